"""Command line for the store: list and remove batches, back up, restore and count."""

from __future__ import annotations

import argparse
import calendar
import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from netno.cli import CommandError
from netno.store import Store, StoreError
from netno.trends import TrendError, monthly_counts

__all__ = ["register"]

_DB_HELP = ("URL basis data (sqlite:///PATH, postgresql+psycopg://...) atau path file SQLite; "
            "bawaan: NETNO_DATABASE_URL bila diisi, selain itu data/netno.sqlite")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the batches, remove-batch, backup, restore and stats commands."""
    batches = subparsers.add_parser("batches", help="daftar batch unggahan yang tersimpan")
    batches.add_argument("--json", action="store_true", help="keluarkan sebagai JSON")
    batches.set_defaults(handler=_batches)

    remove = subparsers.add_parser(
        "remove-batch", help="hapus satu batch beserta komentar yang hanya dibawa batch itu"
    )
    remove.add_argument("batch_id", metavar="ID", type=int, help="nomor batch (lihat `batches`)")
    remove.add_argument("--yes", action="store_true", help="hapus tanpa meminta konfirmasi")
    remove.set_defaults(handler=_remove_batch)

    backup = subparsers.add_parser("backup", help="simpan seluruh isi basis data ke file zip")
    backup.add_argument("file", metavar="FILE", type=Path, help="file cadangan yang dibuat")
    backup.set_defaults(handler=_backup)

    restore = subparsers.add_parser(
        "restore", help="ganti seluruh isi basis data dengan isi file cadangan"
    )
    restore.add_argument("file", metavar="FILE", type=Path, help="file cadangan netno (.zip)")
    restore.add_argument("--yes", action="store_true", help="pulihkan tanpa meminta konfirmasi")
    restore.set_defaults(handler=_restore)

    stats = subparsers.add_parser(
        "stats", help="jumlah komentar per kategori, tema dan tahap"
    )
    stats.add_argument("--since", metavar="YYYY-MM", help="mulai bulan ini (waktu Jakarta)")
    stats.add_argument("--until", metavar="YYYY-MM", help="sampai akhir bulan ini")
    stats.add_argument("--json", action="store_true", help="keluarkan sebagai JSON")
    stats.set_defaults(handler=_stats)

    for parser in (batches, remove, backup, restore, stats):
        parser.add_argument("--db", metavar="URL", help=_DB_HELP)


def _open(arguments: argparse.Namespace, *, create: bool = False) -> Store:
    try:
        return Store(arguments.db, create=create)
    except StoreError as error:
        raise CommandError(str(error)) from error


def _confirm(question: str, arguments: argparse.Namespace) -> None:
    if arguments.yes:
        return
    if not sys.stdin.isatty():
        raise CommandError(f"{question} Tambahkan --yes untuk menjalankannya tanpa konfirmasi.")
    answer = input(f"{question} Ketik 'ya' untuk lanjut: ").strip().lower()
    if answer not in ("ya", "y"):
        raise CommandError("Dibatalkan; tidak ada yang berubah.")


def _batches(arguments: argparse.Namespace) -> int:
    found = _open(arguments).batches()
    if arguments.json:
        print(json.dumps([
            {"id": batch.id, "file": batch.file_name, "uploaded_by": batch.uploaded_by,
             "uploaded_at": batch.uploaded_at.isoformat(), "rows_read": batch.rows_read,
             "rows_new": batch.rows_new, "rows_duplicate": batch.rows_duplicate,
             "rows_skipped": batch.rows_skipped, "source_format": batch.source_format,
             "codebook_version": batch.codebook_version}
            for batch in found
        ], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("Belum ada batch tersimpan.")
        return 0
    print(f"{'ID':>4}  {'diunggah (UTC)':16}  {'baca':>6}  {'baru':>6}  {'ganda':>6}  "
          f"{'lewat':>6}  file")
    for batch in found:
        print(f"{batch.id:>4}  {batch.uploaded_at:%Y-%m-%d %H:%M}  {batch.rows_read:>6}  "
              f"{batch.rows_new:>6}  {batch.rows_duplicate:>6}  {batch.rows_skipped:>6}  "
              f"{batch.file_name}")
    print(f"{len(found)} batch, {sum(batch.rows_new for batch in found)} komentar baru.")
    return 0


def _remove_batch(arguments: argparse.Namespace) -> int:
    store = _open(arguments)
    _confirm(f"Batch {arguments.batch_id} akan dihapus.", arguments)
    try:
        removed = store.remove_batch(arguments.batch_id, actor="cli")
    except StoreError as error:
        raise CommandError(str(error)) from error
    print(f"Batch {arguments.batch_id} dihapus; {removed} komentar yang hanya dibawa batch itu "
          f"ikut terhapus. Tersisa {store.comment_count()} komentar.")
    return 0


def _backup(arguments: argparse.Namespace) -> int:
    target = Path(arguments.file)
    if target.suffix.lower() != ".zip":
        raise CommandError(
            f"File cadangan {str(target)!r} harus berakhiran .zip, misalnya netno-cadangan.zip."
        )
    if target.exists():
        raise CommandError(
            f"File {str(target)!r} sudah ada dan tidak akan ditimpa. Pilih nama file lain."
        )
    store = _open(arguments)
    try:
        store.backup(arguments.file)
    except StoreError as error:
        raise CommandError(str(error)) from error
    print(f"Cadangan {store.comment_count()} komentar dan {len(store.batches())} batch "
          f"ditulis ke {arguments.file}.")
    return 0


def _restore(arguments: argparse.Namespace) -> int:
    store = _open(arguments, create=True)
    _confirm(f"Seluruh isi basis data akan diganti dengan isi {arguments.file}.", arguments)
    try:
        store.restore(arguments.file, actor="cli")
    except StoreError as error:
        raise CommandError(str(error)) from error
    print(f"Cadangan {arguments.file} dipulihkan: {store.comment_count()} komentar dan "
          f"{len(store.batches())} batch.")
    return 0


def _parse_month(value: str | None, option: str, *, end: bool) -> date | None:
    if value is None:
        return None
    try:
        # "2025-1" is rejected too, so that a month is always written the same way.
        if not re.fullmatch(r"\d{4}-\d{2}", value):
            raise ValueError(value)
        year, month = (int(part) for part in value.split("-"))
        last_day = calendar.monthrange(year, month)[1]
        return date(year, month, last_day if end else 1)
    except ValueError as error:
        raise CommandError(
            f"{option} {value!r} tidak sah; tulis bulan sebagai YYYY-MM, misalnya 2025-03."
        ) from error


def _stats(arguments: argparse.Namespace) -> int:
    start = _parse_month(arguments.since, "--since", end=False)
    end = _parse_month(arguments.until, "--until", end=True)
    if start and end and start > end:
        raise CommandError(f"--since {arguments.since} jatuh setelah --until {arguments.until}.")
    frame = _open(arguments).coded_frame(start=start, end=end)

    result: dict[str, Any] = {"total": len(frame)}
    for field in ("categories", "themes", "stages"):
        try:
            long = monthly_counts(frame.assign(month="semua"), field=field, months=["semua"])
        except TrendError as error:
            raise CommandError(str(error)) from error
        counts = {str(code): int(count) for code, count in zip(long["code"], long["count"],
                                                               strict=True)}
        result[field] = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    if arguments.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    span = f" ({arguments.since or 'awal'} s.d. {arguments.until or 'akhir'})" \
        if start or end else ""
    print(f"Total {result['total']} komentar{span}.")
    for field, title in (("categories", "Kategori"), ("themes", "Tema"), ("stages", "Tahap")):
        parts = ", ".join(f"{code} {count}" for code, count in result[field].items())
        print(f"{title}: {parts or '-'}")
    return 0
