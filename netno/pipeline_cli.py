"""Commands that read exports: ``classify``, ``import`` and ``recode``."""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import time
from pathlib import Path

import pandas as pd

from netno.classify import Classifier
from netno.cli import CommandError
from netno.ingest import IngestError, IngestResult, RowNote, TextColumnError, read_path
from netno.numbers import format_number
from netno.oserrors import describe_os_error
from netno.pipeline import code_export, import_bytes, recode_store, remove_demo
from netno.privacy import neutralize_frame
from netno.store import Store, StoreError

_LOGGER = logging.getLogger(__name__)

OUTPUT_COLUMNS = ["id", "text", "categories", "themes", "stages", "steps", "intent", "evidence"]
CODE_COLUMNS = ["categories", "themes", "stages", "steps"]
OUTPUT_FORMATS = (".jsonl", ".csv", ".xlsx")
# Only this many notes are printed per file and the rest are counted, so a file full of
# unreadable dates still gives a short output.
MAX_NOTES_SHOWN = 10


def register(subparsers: argparse._SubParsersAction) -> None:
    classify = subparsers.add_parser(
        "classify",
        help="kodekan satu file ekspor komentar dan tulis hasilnya",
        description="Kodekan setiap komentar (kategori, tema, tahap, langkah, maksud) "
        "tanpa menyimpannya ke basis data.",
    )
    classify.add_argument("input", type=Path, help="file ekspor (CSV, XLSX, JSON atau JSONL)")
    classify.add_argument(
        "-o", "--output", type=Path, required=True, help="file hasil: .jsonl, .csv atau .xlsx"
    )
    classify.add_argument(
        "--codebook", type=Path, help="file codebook TOML lain (bawaan: netno/codebook.toml)"
    )
    add_column_arguments(classify)
    classify.set_defaults(handler=run_classify)

    importer = subparsers.add_parser(
        "import",
        help="kodekan dan simpan file ekspor ke basis data (satu batch per file)",
    )
    importer.add_argument("files", type=Path, nargs="+", help="file ekspor")
    importer.add_argument("--db", help="URL basis data (bawaan: data/netno.sqlite)")
    importer.add_argument("--user", default="baris-perintah", help="nama pengunggah di log")
    importer.add_argument(
        "--keep-usernames",
        action="store_true",
        help="simpan nama pengguna apa adanya (bawaan: diganti nama samaran)",
    )
    add_column_arguments(importer)
    importer.set_defaults(handler=run_import)

    recode = subparsers.add_parser(
        "recode", help="kodekan ulang semua komentar tersimpan dengan codebook sekarang"
    )
    recode.add_argument("--db", help="URL basis data (bawaan: data/netno.sqlite)")
    recode.add_argument("--codebook", type=Path, help="file codebook TOML lain")
    recode.set_defaults(handler=run_recode)


def check_output_path(source: Path, output: Path) -> None:
    """Reject an output path that would overwrite the input export.

    Raises:
        CommandError: both paths name the same file.
    """
    if output.exists() and source.exists() and output.resolve() == source.resolve():
        raise CommandError(
            f"file keluaran {str(output)!r} sama dengan file masukan, sehingga ekspor asli "
            "akan tertimpa. Pilih nama file keluaran lain."
        )


def add_column_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--text-column`` and ``--date-column`` for sheets the reader cannot recognise."""
    parser.add_argument(
        "--text-column", help="nama kolom teks komentar, bila tidak terdeteksi otomatis"
    )
    parser.add_argument("--date-column", help="nama kolom tanggal, bila tidak terdeteksi otomatis")


def read_export(
    path: Path, *, text_column: str | None = None, date_column: str | None = None
) -> IngestResult:
    """Read an export for a command, refusing a guessed text column the user did not confirm.

    Raises:
        CommandError: the file cannot be read, or its text column is only a guess.
    """
    try:
        result = read_path(path, text_column=text_column, date_column=date_column)
    except TextColumnError as error:
        raise CommandError(
            f"{path}: kolom teks komentar tidak ditemukan (kolom yang ada: "
            f"{', '.join(error.columns)}). Sebutkan kolomnya dengan --text-column NAMA."
        ) from error
    except IngestError as error:
        raise CommandError(f"{path}: {error}") from error
    if text_column is None and not result.columns.confident:
        raise CommandError(
            f"{path}: kolom teks komentar tidak bisa dipastikan (tebakan: "
            f"{result.columns.text!r}; kolom yang ada: {', '.join(result.columns.candidates)}). "
            "Sebutkan kolomnya dengan --text-column NAMA."
        )
    return result


def note_lines(notes: list[RowNote], *, limit: int = MAX_NOTES_SHOWN) -> list[str]:
    """Format the first ``limit`` row notes as indented lines, then count the rest."""
    lines = [f"  baris {note.row_number}: {note.message}" for note in notes[:limit]]
    if len(notes) > limit:
        lines.append(f"  … dan {format_number(len(notes) - limit)} catatan lain")
    return lines


def _classifier(path: Path | None) -> Classifier:
    from netno.codebook import CodebookError, load_codebook

    try:
        return Classifier(load_codebook(path) if path else None)
    except CodebookError as error:
        raise CommandError(f"codebook tidak valid: {error}") from error


def stable_id(row: pd.Series) -> str:
    """Return an id for a comment that has none: a hash of author, time and text."""
    key = f"{row.get('author') or ''}\x1f{row.get('created_at')}\x1f{row['text']}"
    return "h" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def classification_table(coded: pd.DataFrame) -> pd.DataFrame:
    """Shape a coded frame into the ``classify`` output: one row per comment."""
    table = pd.DataFrame(
        {
            "id": [
                source_id if isinstance(source_id, str) and source_id else stable_id(row)
                for source_id, (_, row) in zip(coded["source_id"], coded.iterrows(), strict=True)
            ],
            "text": coded["text"],
        }
    )
    for column in CODE_COLUMNS:
        table[column] = coded[column].map(list)
    table["intent"] = coded["intent"]
    table["evidence"] = coded["evidence"].map(list)
    return table[OUTPUT_COLUMNS]


def write_table(table: pd.DataFrame, path: Path) -> None:
    """Write the ``classify`` output by the extension of ``path``."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        with path.open("w", encoding="utf-8") as handle:
            for record in table.to_dict(orient="records"):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return

    flat = table.copy()
    for column in CODE_COLUMNS:
        flat[column] = flat[column].map("; ".join)
    flat["evidence"] = flat["evidence"].map(lambda items: json.dumps(items, ensure_ascii=False))
    flat = neutralize_frame(flat)
    if suffix == ".csv":
        flat.to_csv(path, index=False, encoding="utf-8-sig")
    else:
        flat.to_excel(path, index=False, sheet_name="Kode komentar", engine="openpyxl")


def run_classify(arguments: argparse.Namespace) -> int:
    output: Path = arguments.output
    if output.suffix.lower() not in OUTPUT_FORMATS:
        raise CommandError(
            f"format keluaran {output.suffix or '(tanpa ekstensi)'!r} tidak didukung; "
            f"pakai salah satu: {', '.join(OUTPUT_FORMATS)}"
        )
    check_output_path(arguments.input, output)
    classifier = _classifier(arguments.codebook)

    started = time.perf_counter()
    ingest = read_export(
        arguments.input, text_column=arguments.text_column, date_column=arguments.date_column
    )
    export = code_export(ingest, file_name=arguments.input.name, classifier=classifier)
    table = classification_table(export.coded)
    try:
        write_table(table, output)
    except OSError as error:
        raise CommandError(
            f"tidak bisa menulis {output}: {describe_os_error(error)}"
        ) from error
    seconds = time.perf_counter() - started

    coded_share = (table["categories"].map(len) > 0).mean() if len(table) else 0.0
    print(
        f"{format_number(len(table))} komentar dikodekan ke {output} "
        f"dalam {format_number(seconds, decimals=1)} detik; "
        f"{coded_share:.0%} mendapat sedikitnya satu kategori; "
        f"{len(ingest.skipped)} baris dilewati."
    )
    for line in note_lines(ingest.notes):
        print(line)
    return 0


def open_store(url: str | None, *, create: bool = False) -> Store:
    """Open the store at ``url`` (default: the dashboard's SQLite file).

    Only ``import`` creates a new SQLite file (``create=True``). Other commands reject
    a path that does not exist, so a typing mistake does not leave an empty database.
    """
    try:
        return Store(url, create=create)
    except StoreError as error:
        raise CommandError(str(error)) from error


def run_import(arguments: argparse.Namespace) -> int:
    if not arguments.user.strip():
        raise CommandError("--user tidak boleh kosong; isi nama pengunggah untuk log.")
    store = open_store(arguments.db, create=True)
    classifier = Classifier()
    failed = 0
    for path in arguments.files:
        try:
            data = path.read_bytes()
        except OSError as error:
            print(f"{path}: tidak bisa dibaca ({describe_os_error(error)}); file dilewati.")
            failed += 1
            continue
        try:
            report = import_bytes(
                data,
                path.name,
                store,
                uploaded_by=arguments.user,
                classifier=classifier,
                keep_usernames=arguments.keep_usernames,
                text_column=arguments.text_column,
                date_column=arguments.date_column,
            )
        except (IngestError, StoreError) as error:
            print(f"{path}: {error} Tidak ada yang disimpan dari file ini.")
            failed += 1
            continue
        summary = report.batch
        print(
            f"{path}: batch {summary.id}, {summary.rows_read} baris dibaca, "
            f"{summary.rows_new} baru, {summary.rows_duplicate} duplikat, "
            f"{summary.rows_skipped} dilewati, {len(report.notes)} diubah."
        )
        for line in note_lines(report.notes):
            print(line)
        removed = remove_demo(store, actor=arguments.user)
        if removed:
            print(f"Data contoh ({removed} komentar) dihapus karena data asli sudah masuk.")
    return 1 if failed else 0


def run_recode(arguments: argparse.Namespace) -> int:
    store = open_store(arguments.db)
    classifier = _classifier(arguments.codebook)
    started = time.perf_counter()
    count = recode_store(store, classifier=classifier, actor="baris-perintah")
    print(
        f"{count} komentar dikodekan ulang dengan codebook versi {classifier.codebook.version} "
        f"dalam {format_number(time.perf_counter() - started, decimals=1)} detik."
    )
    return 0
