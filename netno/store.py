"""Keep uploaded batches, deduplicated comments and their codes in SQLite or PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from netno.oserrors import describe_os_error
from netno.privacy import mask_text

__all__ = [
    "ACTION_STATUSES",
    "BatchSummary",
    "DEFAULT_SQLITE_PATH",
    "JAKARTA",
    "SCHEMA_VERSION",
    "Store",
    "StoreError",
    "dedup_key",
    "dispose_engines",
]

_LOGGER = logging.getLogger(__name__)

JAKARTA = ZoneInfo("Asia/Jakarta")
SCHEMA_VERSION = 1
DEFAULT_SQLITE_PATH = Path(__file__).resolve().parent.parent / "data" / "netno.sqlite"
ACTION_STATUSES = ("baru", "dalam proses", "selesai")

# Rows per INSERT statement; keeps statements well under SQLite's 32766 bound
# parameters and PostgreSQL's 65535 while still batching.
_CHUNK = 500
# How long a SQLite writer waits for another writer's lock before failing.
_SQLITE_BUSY_TIMEOUT_MS = 60_000

_CODE_LIST_COLUMNS = ("categories", "themes", "stages", "steps", "evidence", "uncertain")
_REQUIRED_COLUMNS = ("text", "platform", "categories", "themes", "stages", "steps", "intent")


class StoreError(RuntimeError):
    """The store cannot do what was asked; the message (Indonesian) names the cause and fix."""


@dataclass(frozen=True)
class BatchSummary:
    """One upload: where it came from and what happened to its rows."""

    id: int
    file_name: str
    uploaded_by: str
    uploaded_at: datetime
    rows_read: int
    rows_new: int
    rows_duplicate: int
    rows_skipped: int
    skipped: list[dict]
    source_format: str
    codebook_version: str


metadata = sa.MetaData()

schema_info_table = sa.Table(
    "schema_info",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

batches_table = sa.Table(
    "batches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("uploaded_by", sa.Text, nullable=False),
    sa.Column("uploaded_at", sa.DateTime, nullable=False),  # naive UTC
    sa.Column("rows_read", sa.Integer, nullable=False),
    sa.Column("rows_new", sa.Integer, nullable=False),
    sa.Column("rows_duplicate", sa.Integer, nullable=False),
    sa.Column("rows_skipped", sa.Integer, nullable=False),
    sa.Column("skipped", sa.Text, nullable=False),  # JSON list of {row_number, reason}
    sa.Column("source_format", sa.Text, nullable=False),
    sa.Column("codebook_version", sa.Text, nullable=False),
    # AUTOINCREMENT so SQLite never reuses the id of a removed batch.
    sqlite_autoincrement=True,
)

comments_table = sa.Table(
    "comments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("dedup_key", sa.Text, nullable=False, unique=True),
    sa.Column("source_id", sa.Text),
    sa.Column("parent_id", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, index=True),  # naive UTC
    sa.Column("platform", sa.Text, nullable=False),
    sa.Column("likes", sa.Integer),
    sa.Column("rating", sa.Integer),
    sa.Column("first_batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
    sa.CheckConstraint("likes IS NULL OR likes >= 0", name="ck_comments_likes"),
    sqlite_autoincrement=True,
)

comment_batches_table = sa.Table(
    "comment_batches",
    metadata,
    sa.Column("comment_id", sa.Integer, sa.ForeignKey("comments.id"), primary_key=True),
    sa.Column(
        "batch_id", sa.Integer, sa.ForeignKey("batches.id"), primary_key=True, index=True
    ),
)

codings_table = sa.Table(
    "codings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("comment_id", sa.Integer, sa.ForeignKey("comments.id"), nullable=False),
    sa.Column("codebook_version", sa.Text, nullable=False),
    sa.Column("categories", sa.Text, nullable=False),
    sa.Column("themes", sa.Text, nullable=False),
    sa.Column("stages", sa.Text, nullable=False),
    sa.Column("steps", sa.Text, nullable=False),
    sa.Column("evidence", sa.Text, nullable=False),
    sa.Column("uncertain", sa.Text, nullable=False),
    sa.Column("intent", sa.Text),
    sa.Column("coded_at", sa.DateTime, nullable=False),  # naive UTC
    sa.UniqueConstraint("comment_id", "codebook_version", name="uq_codings_comment_version"),
    sqlite_autoincrement=True,
)

audit_log_table = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),  # naive UTC
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("detail", sa.Text, nullable=False),  # JSON object
    sqlite_autoincrement=True,
)

settings_table = sa.Table(
    "settings",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),  # JSON
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False),
)

action_status_table = sa.Table(
    "action_status",
    metadata,
    sa.Column("category", sa.Text, primary_key=True),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("action_date", sa.Date),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False),
    sa.CheckConstraint(
        "status IN ('baru', 'dalam proses', 'selesai')", name="ck_action_status_status"
    ),
)

# Parents before children: the order to insert in, reversed to delete in.
TABLES = (
    schema_info_table, batches_table, comments_table, comment_batches_table, codings_table,
    audit_log_table, settings_table, action_status_table,
)


# --- engines -------------------------------------------------------------------------

_ENGINES: dict[str, Engine] = {}
_READY: set[str] = set()
_ENGINES_LOCK = threading.Lock()


def _resolve_url(url: str | None) -> str:
    if url is None:
        url = os.environ.get("NETNO_DATABASE_URL") or None
    if url is None:
        return f"sqlite:///{DEFAULT_SQLITE_PATH}"
    if "://" not in url:
        # A bare path names a SQLite file, which is what people type on the CLI.
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    return url


def _check_sqlite_path(url: str, *, create: bool) -> None:
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return
    path = Path(parsed.database)
    if path == DEFAULT_SQLITE_PATH or path.exists():
        return
    if not create:
        raise StoreError(
            f"Basis data {str(path)!r} tidak ada. Periksa --db; basis data baru dibuat oleh "
            "python -m netno import."
        )
    if not path.parent.is_dir():
        raise StoreError(
            f"Folder {str(path.parent)!r} untuk basis data tidak ada. Periksa --db atau buat "
            "foldernya dulu."
        )


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Hand transaction control to SQLAlchemy's "begin" event below; the sqlite3
    # module's own implicit BEGIN would run DDL and reads outside transactions.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {_SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # Writers take the write lock up front (BEGIN IMMEDIATE): a deferred transaction
    # that reads first and writes later fails at once with "database is locked"
    # when another writer committed meanwhile, without waiting for busy_timeout.
    write = connection.get_execution_options().get("netno_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _create_engine(url: str) -> Engine:
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if not database or database == ":memory:":
            raise StoreError(
                f"URL basis data {url!r} tidak didukung: SQLite di memori tidak bisa dipakai "
                "bersama antarproses. Gunakan file, misalnya sqlite:///data/netno.sqlite."
            )
        # Only the dashboard's own default file gets its folder created.
        if Path(database) == DEFAULT_SQLITE_PATH:
            DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": _SQLITE_BUSY_TIMEOUT_MS / 1000})
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return sa.create_engine(url, pool_pre_ping=True)
    raise StoreError(
        f"URL basis data {url!r} tidak didukung. Gunakan sqlite:///PATH atau "
        "postgresql+psycopg://USER:SANDI@HOST/NAMA."
    )


def _engine_for(url: str) -> Engine:
    """Return the process-wide engine of ``url`` with the schema created; one per URL."""
    with _ENGINES_LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            engine = _create_engine(url)
            _ENGINES[url] = engine
        if url not in _READY:
            _create_schema(engine)
            _READY.add(url)
    return engine


def dispose_engines() -> None:
    """Close every cached engine's pooled connections, e.g. before dropping a database."""
    with _ENGINES_LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()
        _READY.clear()


def _create_schema(engine: Engine) -> None:
    writer = engine.execution_options(netno_write=True)
    try:
        with writer.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Two processes creating the same tables at once collide in the
                # PostgreSQL catalog; this lock makes the second one wait.
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(8151201)"))
            metadata.create_all(connection)
            found = connection.execute(
                sa.select(schema_info_table.c.value)
                .where(schema_info_table.c.key == "schema_version")
            ).scalar_one_or_none()
            if found is None:
                connection.execute(
                    schema_info_table.insert()
                    .values(key="schema_version", value=str(SCHEMA_VERSION))
                )
            elif int(found) > SCHEMA_VERSION:
                raise StoreError(
                    f"Basis data memakai skema versi {found}, sedangkan netno ini hanya "
                    f"mengenal versi {SCHEMA_VERSION}. Perbarui netno terlebih dahulu."
                )
    except SQLAlchemyError as error:
        raise StoreError(
            f"Basis data {engine.url.render_as_string(hide_password=True)} tidak bisa dibuka "
            f"({_reason(error)}). Periksa URL, izin file, atau apakah server berjalan."
        ) from error


def _reason(error: SQLAlchemyError) -> str:
    original = getattr(error, "orig", None)
    return str(original or error).strip().splitlines()[0]


# --- value conversion ----------------------------------------------------------------

def _masked_reasons(skipped: list[dict]) -> list[dict]:
    """Mask personal data in the skip reasons of a stored batch.

    Reasons stored by older versions quote raw cell values, such as a NIK inside a
    JSON object, so they are masked again when read.
    """
    masked = []
    for item in skipped:
        reason = item.get("reason")
        masked.append({**item, "reason": mask_text(reason)} if isinstance(reason, str) else item)
    return masked


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _to_naive_utc(value: Any) -> datetime | None:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        return None
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    return stamp.tz_convert("UTC").to_pydatetime().replace(tzinfo=None)


def _as_utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=UTC)


def _optional_text(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _optional_int(value: Any) -> int | None:
    if value is None or pd.isna(value):
        return None
    return int(value)


def _code_list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, float) and math.isnan(value):
        return []
    return list(value)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} as JSON")


def dedup_key(
    *, platform: str, source_id: str | None, author: str | None, created_at: datetime | None,
    text: str,
) -> str:
    """Return the key that identifies one comment across uploads.

    The platform's own id is used when there is one. Otherwise the key is a hash of
    author, UTC instant and the text with whitespace collapsed, so the same comment
    in two overlapping exports gets the same key as long as the author is pseudonymised
    the same way both times.
    """
    if source_id:
        return f"id:{platform}:{source_id}"
    instant = created_at.isoformat() if created_at else ""
    normalised = " ".join(text.split())
    digest = hashlib.sha256("\x1f".join([author or "", instant, normalised]).encode("utf-8"))
    return f"hash:{digest.hexdigest()}"


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _coding_values(row: Any, *, codebook_version: str, coded_at: datetime) -> dict[str, Any]:
    values: dict[str, Any] = {
        column: _json(_code_list(getattr(row, column, None))) for column in _CODE_LIST_COLUMNS
    }
    values["intent"] = _optional_text(getattr(row, "intent", None))
    values["codebook_version"] = codebook_version
    values["coded_at"] = coded_at
    return values


def _check_columns(frame: pd.DataFrame, required: Iterable[str], what: str) -> None:
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise StoreError(
            f"{what} tidak memiliki kolom {', '.join(missing)}. Jalankan pengodean "
            "(Classifier.code_frame) sebelum menyimpan."
        )


# --- the store -------------------------------------------------------------------------

class Store:
    """Batches, comments and codes in one SQL database, safe to share across threads.

    ``url`` is a SQLAlchemy URL (``sqlite:///PATH`` or ``postgresql+psycopg://...``) or
    a plain SQLite file path. ``None`` means ``NETNO_DATABASE_URL`` when set, else the
    file ``data/netno.sqlite`` in the repository. Engines are cached per URL and per
    process, so creating many ``Store`` objects is cheap.

    Raises:
        StoreError: the URL is not supported or the database cannot be opened.
    """

    def __init__(self, url: str | None = None, *, create: bool = True) -> None:
        """Open the store at ``url`` (see the class docstring for the default).

        With ``create=False`` a SQLite file that does not exist yet is an error instead
        of a new, empty store: commands that only read use it, so a mistyped path fails.

        Raises:
            StoreError: the URL is not supported, the SQLite file or its folder does
                not exist, or the database cannot be opened.
        """
        self.url = _resolve_url(url)
        _check_sqlite_path(self.url, create=create)
        self._engine = _engine_for(self.url)
        self._writer = self._engine.execution_options(netno_write=True)

    def __repr__(self) -> str:
        return f"Store({self._engine.url.render_as_string(hide_password=True)!r})"

    @property
    def dialect(self) -> str:
        """Return the database kind: ``sqlite`` or ``postgresql``."""
        return self._engine.dialect.name

    # -- batches --------------------------------------------------------------------

    def add_batch(
        self,
        coded: pd.DataFrame,
        *,
        file_name: str,
        uploaded_by: str,
        rows_read: int,
        skipped: list[dict],
        source_format: str,
        codebook_version: str,
        progress: Callable[[int, int], None] | None = None,
    ) -> BatchSummary:
        """Store one upload in a single transaction: its batch, new comments and codes.

        A comment already stored (same dedup key, see :func:`dedup_key`) or repeated
        inside ``coded`` counts as a duplicate and is only linked to this batch.
        ``progress(done, total)`` is called after each chunk of rows.

        Raises:
            StoreError: a column is missing, a row violates a constraint or the
                database fails; nothing is stored then.
        """
        _check_columns(coded, _REQUIRED_COLUMNS, "Data yang akan disimpan")
        uploaded_at = _utcnow()
        rows = self._comment_rows(coded)
        unique_rows: dict[str, tuple[dict[str, Any], Any]] = {}
        for key, values, row in rows:
            unique_rows.setdefault(key, (values, row))
        skipped_list = _masked_reasons([dict(item) for item in skipped])

        try:
            with self._writer.begin() as connection:
                batch_id = connection.execute(
                    batches_table.insert().values(
                        file_name=file_name, uploaded_by=uploaded_by, uploaded_at=uploaded_at,
                        rows_read=int(rows_read), rows_new=0, rows_duplicate=0,
                        rows_skipped=len(skipped_list), skipped=_json(skipped_list),
                        source_format=source_format, codebook_version=codebook_version,
                    ).returning(batches_table.c.id)
                ).scalar_one()
                new_ids = self._insert_comments(
                    connection, unique_rows, batch_id=batch_id,
                    codebook_version=codebook_version, coded_at=uploaded_at, progress=progress,
                )
                rows_new = len(new_ids)
                rows_duplicate = len(rows) - rows_new
                connection.execute(
                    batches_table.update().where(batches_table.c.id == batch_id).values(
                        rows_new=rows_new, rows_duplicate=rows_duplicate
                    )
                )
                self._log(connection, "tambah_batch", actor=uploaded_by, detail={
                    "batch_id": batch_id, "file": file_name, "rows_new": rows_new,
                    "rows_duplicate": rows_duplicate, "rows_skipped": len(skipped_list),
                })
        except IntegrityError as error:
            raise StoreError(
                f"File {file_name!r} tidak disimpan karena ada baris yang melanggar aturan "
                f"basis data ({_reason(error)}). Tidak ada data yang berubah; periksa baris "
                "tersebut lalu unggah ulang."
            ) from error
        except SQLAlchemyError as error:
            raise StoreError(
                f"File {file_name!r} gagal disimpan ({_reason(error)}). Tidak ada data yang "
                "berubah; coba unggah ulang."
            ) from error

        _LOGGER.info(
            "batch %s from %s: %d read, %d new, %d duplicate, %d skipped",
            batch_id, file_name, rows_read, rows_new, rows_duplicate, len(skipped_list),
        )
        return BatchSummary(
            id=batch_id, file_name=file_name, uploaded_by=uploaded_by,
            uploaded_at=uploaded_at.replace(tzinfo=UTC), rows_read=int(rows_read),
            rows_new=rows_new, rows_duplicate=rows_duplicate, rows_skipped=len(skipped_list),
            skipped=skipped_list, source_format=source_format,
            codebook_version=codebook_version,
        )

    @staticmethod
    def _comment_rows(coded: pd.DataFrame) -> list[tuple[str, dict[str, Any], Any]]:
        rows = []
        for row in coded.itertuples(index=False):
            text = getattr(row, "text", None)
            text = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else text
            platform = _optional_text(getattr(row, "platform", None)) or "lainnya"
            source_id = _optional_text(getattr(row, "source_id", None))
            author = _optional_text(getattr(row, "author", None))
            created_at = _to_naive_utc(getattr(row, "created_at", None))
            values = {
                "source_id": source_id,
                "parent_id": _optional_text(getattr(row, "parent_id", None)),
                "author": author,
                "text": text,
                "created_at": created_at,
                "platform": platform,
                "likes": _optional_int(getattr(row, "likes", None)),
                "rating": _optional_int(getattr(row, "rating", None)),
            }
            key = dedup_key(
                platform=platform, source_id=source_id, author=author,
                created_at=created_at, text=text,
            )
            values["dedup_key"] = key
            rows.append((key, values, row))
        return rows

    def _insert_comments(
        self,
        connection: Connection,
        unique_rows: dict[str, tuple[dict[str, Any], Any]],
        *,
        batch_id: int,
        codebook_version: str,
        coded_at: datetime,
        progress: Callable[[int, int], None] | None,
    ) -> dict[str, int]:
        keys = list(unique_rows)
        new_ids: dict[str, int] = {}
        insert = self._insert(comments_table).on_conflict_do_nothing(index_elements=["dedup_key"])
        for done, chunk in enumerate(_chunks(keys), start=1):
            parameters = [dict(unique_rows[key][0], first_batch_id=batch_id) for key in chunk]
            # ON CONFLICT DO NOTHING makes a concurrent upload of the same comment wait
            # for the other transaction and then skip the row instead of failing.
            returned = connection.execute(
                insert.returning(comments_table.c.id, comments_table.c.dedup_key), parameters
            ).all()
            chunk_new = {key: comment_id for comment_id, key in returned}
            new_ids.update(chunk_new)
            existing = connection.execute(
                sa.select(comments_table.c.id).where(
                    comments_table.c.dedup_key.in_([key for key in chunk if key not in chunk_new])
                )
            ).scalars().all()
            links = [{"comment_id": cid, "batch_id": batch_id}
                     for cid in [*chunk_new.values(), *existing]]
            if links:
                connection.execute(
                    self._insert(comment_batches_table).on_conflict_do_nothing(), links
                )
            if chunk_new:
                connection.execute(codings_table.insert(), [
                    dict(
                        _coding_values(unique_rows[key][1], codebook_version=codebook_version,
                                       coded_at=coded_at),
                        comment_id=comment_id,
                    )
                    for key, comment_id in chunk_new.items()
                ])
            if progress is not None:
                progress(min(done * _CHUNK, len(keys)), len(keys))
        return new_ids

    def _insert(self, table: sa.Table) -> Any:
        if self.dialect == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    def batches(self) -> list[BatchSummary]:
        """Return every stored batch, oldest first."""
        with self._engine.connect() as connection:
            found = connection.execute(sa.select(batches_table).order_by(batches_table.c.id)).all()
        return [
            BatchSummary(
                id=row.id, file_name=row.file_name, uploaded_by=row.uploaded_by,
                uploaded_at=row.uploaded_at.replace(tzinfo=UTC), rows_read=row.rows_read,
                rows_new=row.rows_new, rows_duplicate=row.rows_duplicate,
                rows_skipped=row.rows_skipped, skipped=_masked_reasons(json.loads(row.skipped)),
                source_format=row.source_format, codebook_version=row.codebook_version,
            )
            for row in found
        ]

    def remove_batch(self, batch_id: int, *, actor: str) -> int:
        """Delete a batch and the comments no other batch brought; return how many went.

        Comments that another batch also contained stay, linked to that batch.

        Raises:
            StoreError: no batch has this id, or the database fails.
        """
        try:
            with self._writer.begin() as connection:
                found = connection.execute(
                    sa.select(batches_table.c.file_name).where(batches_table.c.id == batch_id)
                ).scalar_one_or_none()
                if found is None:
                    raise StoreError(
                        f"Batch {batch_id} tidak ditemukan. Lihat nomor batch yang ada dengan "
                        "`python -m netno batches`."
                    )
                elsewhere = sa.select(comment_batches_table.c.comment_id).where(
                    comment_batches_table.c.batch_id != batch_id
                )
                only_here = connection.execute(
                    sa.select(comment_batches_table.c.comment_id).where(
                        comment_batches_table.c.batch_id == batch_id,
                        comment_batches_table.c.comment_id.not_in(elsewhere),
                    )
                ).scalars().all()
                for chunk in _chunks(only_here):
                    connection.execute(codings_table.delete().where(codings_table.c.comment_id.in_(chunk)))
                connection.execute(
                    comment_batches_table.delete()
                    .where(comment_batches_table.c.batch_id == batch_id)
                )
                for chunk in _chunks(only_here):
                    connection.execute(comments_table.delete().where(comments_table.c.id.in_(chunk)))
                # Comments first brought by this batch but also by a later one now
                # count as brought by the earliest batch that still has them.
                earliest = (
                    sa.select(sa.func.min(comment_batches_table.c.batch_id))
                    .where(comment_batches_table.c.comment_id == comments_table.c.id)
                    .scalar_subquery()
                )
                connection.execute(
                    comments_table.update().where(comments_table.c.first_batch_id == batch_id)
                    .values(first_batch_id=earliest)
                )
                connection.execute(batches_table.delete().where(batches_table.c.id == batch_id))
                self._log(connection, "hapus_batch", actor=actor, detail={
                    "batch_id": batch_id, "file": found, "comments_removed": len(only_here),
                })
        except SQLAlchemyError as error:
            raise StoreError(
                f"Batch {batch_id} gagal dihapus ({_reason(error)}). Tidak ada data yang berubah."
            ) from error
        _LOGGER.info("batch %s removed by %s: %d comments", batch_id, actor, len(only_here))
        return len(only_here)

    # -- reading ----------------------------------------------------------------------

    def comment_count(self) -> int:
        """Return the number of stored comments."""
        with self._engine.connect() as connection:
            return int(connection.execute(sa.select(sa.func.count()).select_from(comments_table))
                       .scalar_one())

    def coded_frame(self, *, start: date | None = None, end: date | None = None) -> pd.DataFrame:
        """Return the latest coding of every stored comment as a coded frame.

        ``start`` and ``end`` are inclusive Jakarta days; when either is given,
        comments without a time are left out. Besides the coded-frame columns the
        result has ``comment_id``, ``batch_id`` (the first batch that brought the
        comment), ``month`` (``YYYY-MM``) and ``day`` (a ``datetime.date``), both in
        Asia/Jakarta time. List columns hold Python lists.
        """
        latest = (
            sa.select(sa.func.max(codings_table.c.id).label("id"))
            .group_by(codings_table.c.comment_id)
            .subquery()
        )
        comment, coding = comments_table.c, codings_table.c
        query = (
            sa.select(
                comment.id.label("comment_id"), comment.source_id, comment.parent_id,
                comment.author, comment.text, comment.created_at, comment.likes,
                comment.rating, comment.platform, comment.first_batch_id.label("batch_id"),
                *[coding[name] for name in _CODE_LIST_COLUMNS],
                coding.intent, coding.codebook_version,
            )
            .select_from(
                comments_table.join(codings_table, coding.comment_id == comment.id)
                .join(latest, latest.c.id == coding.id)
            )
            .order_by(comment.created_at, comment.id)
        )
        if start is not None:
            query = query.where(comment.created_at >= _jakarta_midnight_utc(start))
        if end is not None:
            query = query.where(comment.created_at < _jakarta_midnight_utc(end + timedelta(days=1)))
        with self._engine.connect() as connection:
            found = connection.execute(query).mappings().all()
        return _coded_frame_from_rows(found)

    def comments_for_recode(self) -> pd.DataFrame:
        """Return every stored comment (``comment_id``, ``text`` and the comment columns)."""
        comment = comments_table.c
        query = sa.select(
            comment.id.label("comment_id"), comment.text, comment.source_id, comment.parent_id,
            comment.author, comment.created_at, comment.likes, comment.rating, comment.platform,
        ).order_by(comment.id)
        with self._engine.connect() as connection:
            found = connection.execute(query).mappings().all()
        frame = pd.DataFrame([dict(row) for row in found], columns=[
            "comment_id", "text", "source_id", "parent_id", "author", "created_at", "likes",
            "rating", "platform",
        ])
        frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
        frame["likes"] = frame["likes"].astype("Int64")
        frame["rating"] = frame["rating"].astype("Int64")
        return frame

    def replace_codings(
        self,
        coded: pd.DataFrame,
        *,
        codebook_version: str,
        progress: Callable[[int, int], None] | None = None,
        actor: str = "sistem",
    ) -> int:
        """Store new codes for stored comments in one transaction; return how many.

        ``coded`` has ``comment_id`` plus the code columns. A coding with the same
        codebook version is overwritten, older versions are kept as history and
        :meth:`coded_frame` shows the newest.

        Raises:
            StoreError: a column is missing, a ``comment_id`` is not stored, or the
                database fails; nothing changes then.
        """
        _check_columns(coded, ("comment_id", "categories", "themes", "stages", "steps",
                               "intent"), "Hasil pengodean ulang")
        coded_at = _utcnow()
        rows = list(coded.itertuples(index=False))
        total = len(rows)
        try:
            with self._writer.begin() as connection:
                known = set(connection.execute(sa.select(comments_table.c.id)).scalars())
                unknown = sorted({int(row.comment_id) for row in rows} - known)
                if unknown:
                    raise StoreError(
                        f"Komentar dengan comment_id {', '.join(map(str, unknown[:5]))} tidak "
                        "ada di basis data. Ambil ulang daftar komentar dengan "
                        "comments_for_recode() lalu kodekan lagi."
                    )
                for done, chunk in enumerate(_chunks(rows), start=1):
                    ids = [int(row.comment_id) for row in chunk]
                    connection.execute(codings_table.delete().where(
                        codings_table.c.comment_id.in_(ids),
                        codings_table.c.codebook_version == codebook_version,
                    ))
                    connection.execute(codings_table.insert(), [
                        dict(_coding_values(row, codebook_version=codebook_version,
                                            coded_at=coded_at), comment_id=int(row.comment_id))
                        for row in chunk
                    ])
                    if progress is not None:
                        progress(min(done * _CHUNK, total), total)
                self._log(connection, "kode_ulang", actor=actor, detail={
                    "codebook_version": codebook_version, "comments": total,
                })
        except SQLAlchemyError as error:
            raise StoreError(
                f"Pengodean ulang gagal disimpan ({_reason(error)}). Kode lama tetap dipakai."
            ) from error
        _LOGGER.info("recoded %d comments with codebook %s", total, codebook_version)
        return total

    def codebook_versions(self) -> dict[str, int]:
        """Return each codebook version with the number of comments whose latest coding used it."""
        latest = (
            sa.select(sa.func.max(codings_table.c.id).label("id"))
            .group_by(codings_table.c.comment_id)
            .subquery()
        )
        query = (
            sa.select(codings_table.c.codebook_version, sa.func.count())
            .join(latest, latest.c.id == codings_table.c.id)
            .group_by(codings_table.c.codebook_version)
            .order_by(codings_table.c.codebook_version)
        )
        with self._engine.connect() as connection:
            return {version: int(count) for version, count in connection.execute(query)}

    # -- settings, follow-up and audit ----------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        """Return the stored JSON value of ``key``, or ``default`` when it is unset."""
        with self._engine.connect() as connection:
            found = connection.execute(
                sa.select(settings_table.c.value).where(settings_table.c.key == key)
            ).scalar_one_or_none()
        return default if found is None else json.loads(found)

    def set_setting(self, key: str, value: Any, *, actor: str) -> None:
        """Store ``value`` (anything JSON can hold) under ``key`` and log the change.

        Raises:
            StoreError: the value cannot be written as JSON, or the database fails.
        """
        try:
            encoded = _json(value)
        except TypeError as error:
            raise StoreError(
                f"Nilai pengaturan {key!r} tidak bisa disimpan ({error}). Gunakan teks, "
                "angka, daftar atau kamus."
            ) from error
        values = {"value": encoded, "updated_at": _utcnow(), "updated_by": actor}
        statement = self._insert(settings_table).values(key=key, **values)
        statement = statement.on_conflict_do_update(index_elements=["key"], set_=values)
        with self._write("Pengaturan gagal disimpan") as connection:
            connection.execute(statement)
            self._log(connection, "ubah_pengaturan", actor=actor, detail={"key": key})

    def action_statuses(self) -> dict[str, dict]:
        """Return the follow-up of each category: status, note, action_date, updated_*.

        Notes pass through ``mask_text`` again, because older versions saved notes
        unmasked, so a stored note may still contain a phone number or e-mail address.
        """
        with self._engine.connect() as connection:
            found = connection.execute(sa.select(action_status_table)).mappings().all()
        return {
            row["category"]: {
                "status": row["status"], "note": mask_text(row["note"]),
                "action_date": row["action_date"], "updated_at": _as_utc(row["updated_at"]),
                "updated_by": row["updated_by"],
            }
            for row in found
        }

    def set_action_status(
        self, category: str, *, status: str, note: str, action_date: date | None, actor: str
    ) -> None:
        """Record the follow-up of a category's recommendation and log it.

        ``note`` is stored after ``mask_text``, because visitors can read it and the
        follow-up needs no phone number, NIK or e-mail address.

        Raises:
            StoreError: ``status`` is not one of baru, dalam proses, selesai; or the
                database fails.
        """
        if status not in ACTION_STATUSES:
            raise StoreError(
                f"Status tindak lanjut {status!r} tidak dikenal. Pilih salah satu: "
                f"{', '.join(ACTION_STATUSES)}."
            )
        values = {
            "status": status, "note": mask_text(note), "action_date": action_date,
            "updated_at": _utcnow(), "updated_by": actor,
        }
        statement = self._insert(action_status_table).values(category=category, **values)
        statement = statement.on_conflict_do_update(index_elements=["category"], set_=values)
        with self._write("Status tindak lanjut gagal disimpan") as connection:
            connection.execute(statement)
            self._log(connection, "ubah_tindak_lanjut", actor=actor, detail={
                "category": category, "status": status,
                "action_date": action_date.isoformat() if action_date else None,
            })

    def log(self, action: str, *, actor: str, detail: dict) -> None:
        """Append one entry to the audit log."""
        with self._write("Catatan audit gagal disimpan") as connection:
            self._log(connection, action, actor=actor, detail=detail)

    def audit_log(self, limit: int = 200) -> list[dict]:
        """Return the newest ``limit`` audit entries, newest first."""
        query = sa.select(audit_log_table).order_by(audit_log_table.c.id.desc()).limit(limit)
        with self._engine.connect() as connection:
            found = connection.execute(query).mappings().all()
        return [
            {"id": row["id"], "at": _as_utc(row["at"]), "actor": row["actor"],
             "action": row["action"], "detail": json.loads(row["detail"])}
            for row in found
        ]

    @staticmethod
    def _log(connection: Connection, action: str, *, actor: str, detail: dict) -> None:
        connection.execute(audit_log_table.insert().values(
            at=_utcnow(), actor=actor, action=action, detail=_json(detail)
        ))

    def _write(self, failure: str) -> _WriteTransaction:
        return _WriteTransaction(self._writer, failure)

    # -- backup ---------------------------------------------------------------------

    def backup(self, path: Path) -> None:
        """Write every table to a portable zip file (JSON lines) at ``path``.

        The file restores into SQLite or PostgreSQL alike. It is written next to
        ``path`` first and renamed, so a failed backup never leaves half a file.

        Raises:
            StoreError: the database or the file cannot be read or written.
        """
        try:
            # Repeatable read gives PostgreSQL one snapshot for all tables; SQLite's
            # read transaction already has one.
            reader = self._engine
            if self.dialect == "postgresql":
                reader = self._engine.execution_options(isolation_level="REPEATABLE READ")
            with reader.connect() as connection, connection.begin():
                counts = _write_backup(connection, Path(path))
        except SQLAlchemyError as error:
            raise StoreError(
                f"Cadangan gagal dibuat ({_reason(error)}). Coba lagi."
            ) from error
        except OSError as error:
            raise StoreError(
                f"File cadangan {str(path)!r} tidak bisa ditulis ({describe_os_error(error)}). "
                "Periksa folder dan izin tulisnya."
            ) from error
        _LOGGER.info("backup written to %s: %s", path, counts)

    def restore(self, path: Path, *, actor: str, source_name: str | None = None) -> None:
        """Replace everything in the store with the content of a backup file.

        The whole file is read and checked before anything changes, and the
        replacement is one transaction. ``source_name`` names the file in messages and
        in the log when ``path`` is a temporary copy (an upload).

        Raises:
            StoreError: the file is missing, is not a netno backup, is damaged or
                comes from a newer schema; or the database fails. The store is left
                as it was.
        """
        name = source_name or str(path)
        content = _read_backup(Path(path), name=name)
        try:
            with self._writer.begin() as connection:
                for table in reversed(TABLES):
                    connection.execute(table.delete())
                for table in TABLES:
                    for chunk in _chunks(content[table.name]):
                        connection.execute(table.insert(), list(chunk))
                if self.dialect == "postgresql":
                    _reset_sequences(connection)
                self._log(connection, "pulihkan_cadangan", actor=actor, detail={
                    "file": Path(name).name,
                    "rows": {table: len(rows) for table, rows in content.items()},
                })
        except SQLAlchemyError as error:
            raise StoreError(
                f"Cadangan {name!r} gagal dipulihkan ({_reason(error)}). Data lama tetap "
                "utuh."
            ) from error
        _LOGGER.info("restored %s by %s", path, actor)


class _WriteTransaction:
    """A write transaction that turns database errors into a StoreError."""

    def __init__(self, engine: Engine, failure: str) -> None:
        self._context = engine.begin()
        self._failure = failure

    def __enter__(self) -> Connection:
        try:
            return self._context.__enter__()
        except SQLAlchemyError as error:
            raise StoreError(f"{self._failure} ({_reason(error)}).") from error

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> None:
        try:
            self._context.__exit__(kind, error, traceback)
        except SQLAlchemyError as commit_error:
            raise StoreError(f"{self._failure} ({_reason(commit_error)}).") from commit_error
        if isinstance(error, SQLAlchemyError):
            raise StoreError(f"{self._failure} ({_reason(error)}).") from error


def _reset_sequences(connection: Connection) -> None:
    # Rows restored with explicit ids leave PostgreSQL sequences behind; move each
    # past the largest id so the next insert does not collide.
    for table in TABLES:
        if "id" not in table.c:
            continue
        connection.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
            f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"
        ))


def _jakarta_midnight_utc(day: date) -> datetime:
    start = datetime(day.year, day.month, day.day, tzinfo=JAKARTA)
    return start.astimezone(UTC).replace(tzinfo=None)


def _coded_frame_from_rows(found: Sequence[Any]) -> pd.DataFrame:
    columns = [
        "comment_id", "source_id", "parent_id", "author", "text", "created_at", "likes",
        "rating", "platform", "batch_id", *_CODE_LIST_COLUMNS, "intent", "codebook_version",
    ]
    frame = pd.DataFrame([dict(row) for row in found], columns=columns)
    for column in _CODE_LIST_COLUMNS:
        frame[column] = [json.loads(value) for value in frame[column]]
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
    frame["likes"] = frame["likes"].astype("Int64")
    frame["rating"] = frame["rating"].astype("Int64")
    frame["comment_id"] = frame["comment_id"].astype("int64")
    local = frame["created_at"].dt.tz_convert(JAKARTA)
    frame["month"] = [None if pd.isna(stamp) else stamp.strftime("%Y-%m") for stamp in local]
    frame["day"] = [None if pd.isna(stamp) else stamp.date() for stamp in local]
    return frame


# --- backup file ---------------------------------------------------------------------

_BACKUP_FORMAT = "netno-backup"
_BACKUP_FORMAT_VERSION = 1


def _encode_cell(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _write_backup(connection: Connection, path: Path) -> dict[str, int]:
    """Write all tables to a zip of JSON lines through a temporary file; return row counts."""
    counts: dict[str, int] = {}
    partial = path.with_name(path.name + ".tmp")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for table in TABLES:
                query = sa.select(table).order_by(*table.primary_key.columns)
                count = 0
                with archive.open(f"tables/{table.name}.jsonl", "w") as member:
                    for row in connection.execute(query).mappings():
                        line = json.dumps({key: _encode_cell(value) for key, value in row.items()},
                                          ensure_ascii=False)
                        member.write(line.encode("utf-8") + b"\n")
                        count += 1
                counts[table.name] = count
            manifest = {
                "format": _BACKUP_FORMAT,
                "format_version": _BACKUP_FORMAT_VERSION,
                "schema_version": SCHEMA_VERSION,
                "created_at": _utcnow().isoformat() + "Z",
                "source": connection.dialect.name,
                "tables": counts,
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return counts


def _read_backup(path: Path, *, name: str) -> dict[str, list[dict[str, Any]]]:
    """Read and check a whole backup file; return the rows of each table.

    Raises:
        StoreError: the file is missing, not a zip, not a netno backup, from a newer
            schema, or a table is missing, cut short or contains a wrongly typed value.
    """
    if not path.is_file():
        raise StoreError(f"File cadangan {name!r} tidak ditemukan. Periksa nama dan lokasinya.")
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _read_manifest(archive, name)
            content = {}
            for table in TABLES:
                content[table.name] = _read_table(archive, table, name,
                                                  manifest["tables"].get(table.name))
    except (zipfile.BadZipFile, EOFError) as error:
        raise StoreError(
            f"File {name!r} bukan cadangan netno yang utuh (bukan arsip ZIP yang lengkap). "
            "Gunakan file yang dibuat dengan `python -m netno backup`."
        ) from error
    return content


def _read_manifest(archive: zipfile.ZipFile, name: str) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except KeyError as error:
        raise StoreError(
            f"File {name!r} tidak memiliki manifest.json, jadi bukan cadangan netno. Gunakan "
            "file yang dibuat dengan `python -m netno backup`."
        ) from error
    except ValueError as error:
        raise StoreError(f"manifest.json di {name!r} rusak ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != _BACKUP_FORMAT:
        raise StoreError(
            f"File {name!r} bukan cadangan netno (format {manifest.get('format')!r} "
            f"bila ada, seharusnya {_BACKUP_FORMAT!r})."
            if isinstance(manifest, dict) else f"manifest.json di {name!r} bukan objek JSON."
        )
    version = manifest.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise StoreError(
            f"Cadangan {name!r} memakai skema versi {version!r}, sedangkan netno ini mengenal "
            f"versi {SCHEMA_VERSION}. Pulihkan dengan netno versi yang membuatnya."
        )
    if manifest.get("format_version") != _BACKUP_FORMAT_VERSION:
        raise StoreError(
            f"Cadangan {name!r} memakai format versi {manifest.get('format_version')!r}; "
            f"netno ini hanya membaca versi {_BACKUP_FORMAT_VERSION}."
        )
    if not isinstance(manifest.get("tables"), dict):
        raise StoreError(f"manifest.json di {name!r} tidak mencantumkan jumlah baris tabel.")
    return manifest


def _read_table(
    archive: zipfile.ZipFile, table: sa.Table, name: str, expected: Any
) -> list[dict[str, Any]]:
    member = f"tables/{table.name}.jsonl"
    try:
        lines = archive.read(member).decode("utf-8").splitlines()
    except KeyError as error:
        raise StoreError(
            f"Cadangan {name!r} tidak berisi tabel {table.name}. File tidak lengkap; "
            "gunakan cadangan lain."
        ) from error
    except UnicodeDecodeError as error:
        raise StoreError(f"Tabel {table.name} di cadangan {name!r} bukan UTF-8.") from error
    if expected != len(lines):
        raise StoreError(
            f"Tabel {table.name} di cadangan {name!r} berisi {len(lines)} baris, padahal "
            f"manifest mencatat {expected!r}. File rusak; gunakan cadangan lain."
        )
    columns = {column.name: column for column in table.columns}
    rows = []
    for number, line in enumerate(lines, start=1):
        where = f"tabel {table.name} baris {number} di cadangan {name!r}"
        try:
            record = json.loads(line)
        except ValueError as error:
            raise StoreError(f"{where.capitalize()} bukan JSON yang sah ({error}).") from error
        if not isinstance(record, dict) or set(record) != set(columns):
            raise StoreError(
                f"{where.capitalize()} tidak memiliki kolom yang diharapkan "
                f"({', '.join(columns)})."
            )
        rows.append(
            {key: _decode_cell(columns[key], value, where) for key, value in record.items()}
        )
    return rows


def _decode_cell(column: sa.Column, value: Any, where: str) -> Any:
    if value is None:
        if not column.nullable:
            raise StoreError(f"Kolom {column.name} di {where} kosong, padahal wajib diisi.")
        return None
    try:
        if isinstance(column.type, sa.DateTime):
            return datetime.fromisoformat(value)
        if isinstance(column.type, sa.Date):
            return date.fromisoformat(value)
        if isinstance(column.type, sa.Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError("bukan bilangan bulat")
            return value
        if not isinstance(value, str):
            raise TypeError("bukan teks")
    except (TypeError, ValueError) as error:
        raise StoreError(
            f"Nilai {value!r} pada kolom {column.name} di {where} tidak sah ({error})."
        ) from error
    return value
