"""Run an export through ingest, personal-data protection, coding and storage."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from netno.classify import Classifier
from netno.ingest import (
    JAKARTA,
    IngestResult,
    RowNote,
    read_comments,
    read_path,
    strip_invisible,
)
from netno.privacy import load_secret, protect_frame
from netno.store import BatchSummary, Store

_LOGGER = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""Progress callback: ``(stage, done, total)`` with stage ``"baca"``, ``"kode"`` or ``"simpan"``."""


@dataclass(frozen=True)
class ImportReport:
    """Result of one stored upload: the batch and the rows changed on the way in."""

    batch: BatchSummary
    notes: list[RowNote]
    source_format: str


@dataclass
class CodedExport:
    """An export read, protected and coded, ready to store or to write out."""

    file_name: str
    coded: pd.DataFrame
    ingest: IngestResult
    seconds: dict[str, float] = field(default_factory=dict)


def add_calendar_columns(coded: pd.DataFrame) -> pd.DataFrame:
    """Add ``month`` (``YYYY-MM``) and ``day`` columns in Asia/Jakarta time (None when undated)."""
    result = coded.copy()
    local = pd.to_datetime(result["created_at"], utc=True).dt.tz_convert(JAKARTA)
    # numpy's calendar units give "YYYY-MM" texts and dates without a call per row.
    naive = local.dt.tz_localize(None).to_numpy()
    undated = np.isnat(naive)
    months = np.datetime_as_string(naive.astype("datetime64[M]"), unit="M").astype(object)
    months[undated] = None
    days = naive.astype("datetime64[D]").astype(object)
    days[undated] = None
    result["month"] = pd.Series(months, index=result.index, dtype=object)
    result["day"] = pd.Series(days, index=result.index, dtype=object)
    return result


def code_export(
    ingest: IngestResult,
    *,
    file_name: str,
    classifier: Classifier | None = None,
    keep_usernames: bool = False,
    secret: bytes | None = None,
    progress: Progress | None = None,
) -> CodedExport:
    """Protect personal data in an ingested export, then code every comment."""
    classifier = classifier or Classifier()
    secret = secret if secret is not None else load_secret()

    started = time.perf_counter()
    protected = protect_frame(ingest.comments, secret=secret, keep_usernames=keep_usernames)
    protected_at = time.perf_counter()

    def coding_progress(done: int, total: int) -> None:
        if progress is not None:
            progress("kode", done, total)

    coded = classifier.code_frame(protected, progress=coding_progress)
    coded = add_calendar_columns(coded)
    coded_at = time.perf_counter()
    _LOGGER.info("coded %s: %d comments in %.2f s", file_name, len(coded), coded_at - started)
    return CodedExport(
        file_name=file_name,
        coded=coded,
        ingest=ingest,
        seconds={"lindungi": protected_at - started, "kode": coded_at - protected_at},
    )


def store_export(
    export: CodedExport, store: Store, *, uploaded_by: str, classifier: Classifier | None = None
) -> BatchSummary:
    """Store a coded export as one batch (one transaction)."""
    classifier = classifier or Classifier()
    skipped = [
        {"row_number": row.row_number, "reason": row.reason} for row in export.ingest.skipped
    ]
    summary = store.add_batch(
        export.coded,
        file_name=export.file_name,
        uploaded_by=uploaded_by,
        rows_read=export.ingest.rows_read,
        skipped=skipped,
        source_format=export.ingest.source_format,
        codebook_version=classifier.codebook.version,
    )
    _LOGGER.info(
        "stored %s as batch %d: %d new, %d duplicate, %d skipped",
        export.file_name,
        summary.id,
        summary.rows_new,
        summary.rows_duplicate,
        summary.rows_skipped,
    )
    return summary


def import_bytes(
    data: bytes,
    file_name: str,
    store: Store,
    *,
    uploaded_by: str,
    classifier: Classifier | None = None,
    keep_usernames: bool = False,
    progress: Progress | None = None,
    text_column: str | None = None,
    date_column: str | None = None,
) -> ImportReport:
    """Read, protect, code and store one uploaded file; nothing is stored when any step fails.

    ``text_column`` and ``date_column`` override the columns the reader detects.

    Raises:
        netno.ingest.IngestError: the file cannot be read as comments.
        netno.store.StoreError: the store rejected the batch.
    """
    classifier = classifier or Classifier()
    # The name is shown in the batch list and log, never used as a path.
    file_name = strip_invisible(file_name).strip()[:200] or "(tanpa nama)"

    def reading_progress(done: int, total: int) -> None:
        if progress is not None:
            progress("baca", done, total)

    ingest = read_comments(
        data,
        file_name,
        progress=reading_progress,
        text_column=text_column,
        date_column=date_column,
    )
    export = code_export(
        ingest,
        file_name=file_name,
        classifier=classifier,
        keep_usernames=keep_usernames,
        progress=progress,
    )
    if progress is not None:
        progress("simpan", 0, 1)
    summary = store_export(export, store, uploaded_by=uploaded_by, classifier=classifier)
    if progress is not None:
        progress("simpan", 1, 1)
    return ImportReport(batch=summary, notes=list(ingest.notes), source_format=ingest.source_format)


def code_files(
    paths: Sequence[str | Path],
    *,
    classifier: Classifier | None = None,
    keep_usernames: bool = False,
) -> pd.DataFrame:
    """Read and code several export files into one coded frame (nothing is stored).

    Raises:
        netno.ingest.IngestError: a file cannot be read as comments.
    """
    classifier = classifier or Classifier()
    frames = []
    for path in paths:
        export = code_export(
            read_path(path),
            file_name=Path(path).name,
            classifier=classifier,
            keep_usernames=keep_usernames,
        )
        frames.append(export.coded)
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


def recode_store(
    store: Store,
    *,
    classifier: Classifier | None = None,
    progress: Callable[[int, int], None] | None = None,
    actor: str = "sistem",
) -> int:
    """Code every stored comment again with the current codebook; return how many were coded.

    The store logs the re-coding under ``actor``.
    """
    classifier = classifier or Classifier()
    comments = store.comments_for_recode()
    coded = classifier.code_frame(comments, progress=progress)
    return store.replace_codings(
        coded, codebook_version=classifier.codebook.version, actor=actor
    )


DEMO_UPLOADER = "demo"


def load_demo(store: Store, path: Path, *, classifier: Classifier | None = None) -> BatchSummary:
    """Import the bundled demo export into an empty store."""
    report = import_bytes(
        path.read_bytes(), path.name, store, uploaded_by=DEMO_UPLOADER, classifier=classifier
    )
    return report.batch


def remove_demo(store: Store, *, actor: str) -> int:
    """Remove the demo batches, so invented comments never mix with real ones.

    Returns the number of demo comments removed (0 when none were stored).
    """
    removed = 0
    for batch in store.batches():
        if batch.uploaded_by == DEMO_UPLOADER:
            removed += store.remove_batch(batch.id, actor=actor)
    return removed
