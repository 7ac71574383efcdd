"""Fixtures and hand-made coded frames for the store tests; also a child-process uploader.

Run as a script, it uploads made-up comments to a store so tests can run real
concurrent or killed uploads:
``python tests/storefixtures.py URL --first 0 --count 3000 [--go FILE] [--pause FILE]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from netno.store import Store, dispose_engines  # noqa: E402

POSTGRES_ENV = "NETNO_TEST_POSTGRES_URL"

# Invented codes in the shape of the real codebook: category -> (theme, stage).
CATEGORY_CODES = {
    "kuota": ("pengajuan", "transact"),
    "server_error": ("aksesibilitas", "interact"),
    "kode_billing": ("pembayaran", "transact"),
    "kode_otp": ("aksesibilitas", "interact"),
}


def coded_row(
    number: int,
    *,
    when: str = "2025-01-15T03:00:00Z",
    categories: tuple[str, ...] = ("kuota",),
    platform: str = "instagram",
    with_id: bool = True,
    author: str | None = None,
    text: str | None = None,
) -> dict:
    """Return one coded-frame row for an invented comment numbered ``number``."""
    return {
        "source_id": f"c{number:06d}" if with_id else None,
        "parent_id": None,
        "author": author or f"pengguna_{number % 37:02d}",
        "text": text or f"komentar uji nomor {number} soal {' dan '.join(categories)}",
        "created_at": pd.Timestamp(when),
        "likes": number % 5,
        "rating": None,
        "platform": platform,
        "row_number": number + 1,
        "categories": list(categories),
        "themes": sorted({CATEGORY_CODES[code][0] for code in categories}),
        "stages": sorted({CATEGORY_CODES[code][1] for code in categories}),
        "steps": ["pilih_jadwal"] if "kuota" in categories else [],
        "intent": "keluhan",
        "evidence": [
            {"field": "categories", "code": code, "start": 0, "end": 8, "text": "komentar"}
            for code in categories
        ],
        "uncertain": [],
        "codebook_version": "uji+0000000000",
    }


def coded_frame(rows: list[dict]) -> pd.DataFrame:
    """Build a coded frame with the dtypes ``Classifier.code_frame`` produces."""
    frame = pd.DataFrame(rows)
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
    frame["likes"] = frame["likes"].astype("Int64")
    frame["rating"] = frame["rating"].astype("Int64")
    return frame


def numbered_frame(first: int, count: int, *, when: str = "2025-01-15T03:00:00Z") -> pd.DataFrame:
    """Return ``count`` comments numbered from ``first``, all written at ``when``."""
    return coded_frame([coded_row(number, when=when) for number in range(first, first + count)])


def upload(store: Store, frame: pd.DataFrame, name: str = "ekspor.csv", **options):
    """Call ``add_batch`` with the usual bookkeeping for a frame read without skips."""
    return store.add_batch(
        frame, file_name=name, uploaded_by="petugas_uji", rows_read=len(frame), skipped=[],
        source_format="instagram_csv", codebook_version="uji+0000000000", **options,
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'netno.sqlite'}"
        dispose_engines()
        return

    server = os.environ.get(POSTGRES_ENV)
    if not server:
        pytest.skip(f"{POSTGRES_ENV} is unset; start a server with `. .ci/postgres.sh`")
    name = f"netno_t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.engine.make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        dispose_engines()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def store(database_url: str) -> Store:
    """Return a store over an empty database of each kind."""
    return Store(database_url)


def _main() -> int:
    parser = argparse.ArgumentParser(description="Upload invented comments to a netno store.")
    parser.add_argument("url")
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--go", type=Path, help="wait until this file exists before uploading")
    parser.add_argument("--pause", type=Path,
                        help="after the first chunk, create this file and sleep (to be killed)")
    arguments = parser.parse_args()

    store = Store(arguments.url)
    frame = numbered_frame(arguments.first, arguments.count)
    if arguments.go is not None:
        while not arguments.go.exists():
            time.sleep(0.01)

    def pause(done: int, total: int) -> None:
        arguments.pause.write_text(f"{done}/{total}")
        time.sleep(600)

    started = datetime.now(UTC)
    summary = upload(store, frame, name=f"ekspor_{arguments.first}.csv",
                     progress=pause if arguments.pause else None)
    seconds = (datetime.now(UTC) - started).total_seconds()
    print(f"batch={summary.id} new={summary.rows_new} duplicate={summary.rows_duplicate} "
          f"seconds={seconds:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(_main())
