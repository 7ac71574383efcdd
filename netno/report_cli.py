"""The ``report`` command: write the monthly priority report as Excel or HTML."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import pandas as pd

from netno.cli import CommandError
from netno.codebook import default_codebook
from netno.numbers import format_number
from netno.pipeline_cli import check_output_path
from netno.priority import PriorityError, available_months, previous_month
from netno.report import ReportError, build_report_data, write_html, write_xlsx

_LOGGER = logging.getLogger(__name__)

_FORMATS = {".xlsx": "xlsx", ".html": "html", ".htm": "html"}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``report`` command."""
    parser = subparsers.add_parser(
        "report",
        help="tulis laporan prioritas bulanan (Excel atau HTML)",
        description=(
            "Kodekan berkas ekspor komentar (atau baca database) lalu tulis laporan "
            "prioritas perbaikan dalam Bahasa Indonesia."
        ),
    )
    parser.add_argument(
        "inputs", nargs="*", type=Path, metavar="BERKAS",
        help="berkas ekspor komentar (CSV, XLSX atau JSON); tidak perlu bila memakai --db",
    )
    parser.add_argument(
        "-o", "--output", required=True, type=Path, metavar="LAPORAN",
        help="berkas laporan; akhiran .xlsx untuk Excel, .html untuk halaman web",
    )
    parser.add_argument(
        "--period", metavar="TAHUN-BULAN",
        help="bulan yang dilaporkan, misalnya 2024-03 (bawaan: semua data)",
    )
    parser.add_argument(
        "--db", metavar="URL",
        help="baca komentar terkode dari database ini (URL SQLAlchemy), bukan dari berkas",
    )
    parser.set_defaults(handler=run_report)


def drop_duplicate_comments(coded: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Drop comments that repeat an earlier row, by the key ``import`` uses for stored comments.

    The key (``netno.store.dedup_key``) is the platform's own id when there is one,
    otherwise the author, time and text with whitespace collapsed. The first row wins.

    Returns:
        The frame without the repeats and the number of rows dropped.
    """
    from netno.store import dedup_key

    if coded.empty:
        return coded, 0

    keys = pd.Series(
        [
            dedup_key(
                platform=_text_or_none(row.platform) or "lainnya",
                source_id=_text_or_none(row.source_id),
                author=_text_or_none(row.author),
                created_at=None if pd.isna(row.created_at) else row.created_at,
                text=str(row.text),
            )
            for row in coded[["platform", "source_id", "author", "created_at", "text"]].itertuples()
        ],
        index=coded.index,
    )
    repeated = keys.duplicated()
    return coded[~repeated].reset_index(drop=True), int(repeated.sum())


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _load_coded(arguments: argparse.Namespace) -> tuple[pd.DataFrame, int]:
    """Load the coded comments and count the duplicates dropped from the input files."""
    # Imported here because the pipeline and the store load heavier dependencies.
    if arguments.db:
        from netno.store import Store, StoreError

        try:
            # Stored comments are unique already because ``import`` drops duplicates.
            return Store(arguments.db, create=False).coded_frame(), 0
        except StoreError as error:
            raise CommandError(str(error)) from error
    from netno.ingest import IngestError
    from netno.pipeline import code_files

    try:
        coded = code_files(list(arguments.inputs))
    except IngestError as error:
        raise CommandError(str(error)) from error
    return drop_duplicate_comments(coded)


def run_report(arguments: argparse.Namespace) -> int:
    """Build the report from the inputs or the database and write it; return the exit code."""
    output: Path = arguments.output
    kind = _FORMATS.get(output.suffix.lower())
    if kind is None:
        raise CommandError(
            f"Format laporan {output.name!r} tidak dikenal; "
            "akhiri nama berkas dengan .xlsx atau .html."
        )
    if bool(arguments.inputs) == bool(arguments.db):
        raise CommandError("Berikan berkas ekspor komentar atau --db URL (salah satu saja).")
    for source in arguments.inputs:
        check_output_path(source, output)

    if arguments.period:
        try:
            previous_month(arguments.period)
        except PriorityError as error:
            raise CommandError(str(error)) from error

    coded, duplicates = _load_coded(arguments)
    if arguments.period and arguments.period not in available_months(coded):
        months = available_months(coded)
        known = f"{months[0]} s.d. {months[-1]}" if months else "tidak ada"
        raise CommandError(
            f"Tidak ada komentar pada periode {arguments.period}; bulan yang tersedia: {known}."
        )

    codebook = default_codebook()
    try:
        data = build_report_data(coded, codebook=codebook, period=arguments.period)
        if kind == "xlsx":
            write_xlsx(data, output, codebook=codebook)
        else:
            write_html(data, output)
    except (PriorityError, ReportError) as error:
        raise CommandError(str(error)) from error
    if arguments.db:
        print(f"Laporan {data.period_label} ditulis ke {output}.")
    else:
        print(
            f"Laporan {data.period_label} ditulis ke {output}; "
            f"{format_number(duplicates)} komentar duplikat dibuang."
        )
    return 0
