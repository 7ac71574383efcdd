"""The ``report`` command: write the monthly priority report as Excel or HTML."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import pandas as pd

from netno.cli import CommandError
from netno.codebook import default_codebook
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


def _load_coded(arguments: argparse.Namespace) -> pd.DataFrame:
    # Imported here because the pipeline and the store load heavier dependencies.
    if arguments.db:
        from netno.store import Store, StoreError

        try:
            return Store(arguments.db, create=False).coded_frame()
        except StoreError as error:
            raise CommandError(str(error)) from error
    from netno.ingest import IngestError
    from netno.pipeline import code_files

    try:
        return code_files(list(arguments.inputs))
    except IngestError as error:
        raise CommandError(str(error)) from error


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

    coded = _load_coded(arguments)
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
    print(f"Laporan {data.period_label} ditulis ke {output}.")
    return 0
