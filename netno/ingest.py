"""Read exported comments and reviews (CSV, XLSX, JSON, JSONL) into one comment frame."""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import ParseError as XMLParseError
from zoneinfo import ZoneInfo

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.utils.exceptions import InvalidFileException

from netno.privacy import mask_text

if TYPE_CHECKING:
    from _csv import Reader as _CsvReader

__all__ = [
    "JAKARTA",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MAX_BYTES",
    "MAX_TEXT_CHARS",
    "SUPPORTED_EXTENSIONS",
    "COMMENT_COLUMNS",
    "IngestError",
    "SkippedRow",
    "RowNote",
    "ColumnGuess",
    "Preview",
    "IngestResult",
    "preview",
    "read_comments",
    "read_path",
]

_LOGGER = logging.getLogger(__name__)

JAKARTA = ZoneInfo("Asia/Jakarta")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        _LOGGER.warning("ignoring %s=%r: not an integer, using %d", name, raw, default)
        return default
    return value if value > 0 else default


# Read once at import; pass ``max_rows`` / ``max_bytes`` to override per call.
DEFAULT_MAX_ROWS: int = _env_int("NETNO_MAX_ROWS", 200_000)
DEFAULT_MAX_BYTES: int = _env_int("NETNO_MAX_FILE_MB", 100) * 1024 * 1024

# Play Store reviews are capped at 500 characters and Instagram comments are short too,
# so a longer text is pasted material. It is kept up to this length and noted.
MAX_TEXT_CHARS = 10_000

SUPPORTED_EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".json", ".jsonl", ".ndjson")

COMMENT_COLUMNS = (
    "source_id",
    "parent_id",
    "author",
    "text",
    "created_at",
    "likes",
    "rating",
    "platform",
    "row_number",
)

# The csv module rejects fields over 128 KiB by default, but one comment cell of pasted
# text may be larger. The file size limit already bounds memory.
_CSV_FIELD_LIMIT = 64 * 1024 * 1024
csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))

_HEADER_SCAN_ROWS = 30
_CONTENT_SAMPLE_ROWS = 200


class IngestError(ValueError):
    """An uploaded file cannot be read; the message (Indonesian) names the problem and the fix."""


class TextColumnError(IngestError):
    """No column of the file looks like comment text; ``columns`` lists the columns found."""

    def __init__(self, message: str, *, columns: list[str]) -> None:
        super().__init__(message)
        self.columns = columns


@dataclass(frozen=True)
class SkippedRow:
    """A source row that produced no comment, with the reason in Indonesian."""

    row_number: int
    reason: str


@dataclass(frozen=True)
class RowNote:
    """A source row that was imported but changed (for example truncated), in Indonesian."""

    row_number: int
    message: str


@dataclass(frozen=True)
class ColumnGuess:
    """Source column names chosen for the comment fields.

    ``confident`` is False when the text or date column was chosen by content, not by name.
    """

    text: str | None
    date: str | None
    id: str | None
    author: str | None
    parent: str | None
    candidates: list[str]
    confident: bool


@dataclass(frozen=True)
class Preview:
    """The first rows of a file as read, with the column guess, for a confirmation screen."""

    frame: pd.DataFrame
    guess: ColumnGuess
    source_format: str
    rows_estimate: int | None


@dataclass(frozen=True)
class IngestResult:
    """Comments read from one file plus the rows that were skipped or changed."""

    comments: pd.DataFrame
    skipped: list[SkippedRow]
    rows_read: int
    source_format: str
    columns: ColumnGuess
    notes: list[RowNote] = field(default_factory=list)


# --------------------------------------------------------------------------- names

def _key(name: object) -> str:
    """Reduce a column name to lowercase letters and digits, so "Comment ID" == "comment_id"."""
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


# Role -> normalised column names, best first.
_ROLE_NAMES: dict[str, tuple[str, ...]] = {
    "text": (
        "text", "content", "comment", "komentar", "ulasan", "review", "reviewtext",
        "commenttext", "isikomentar", "isiulasan", "isi", "teks", "pesan", "message",
        "body", "tanggapan", "comments",
    ),
    "date": (
        "timestamp", "createdat", "at", "date", "tanggal", "waktu", "createdtime",
        "datetime", "reviewdate", "publishedat", "postedat", "tanggalkomentar",
        "tanggalulasan", "tgl", "time", "datecreated",
    ),
    "id": (
        "id", "reviewid", "commentid", "idkomentar", "idulasan", "pk", "commentpk",
        "sourceid",
    ),
    "author": (
        "username", "ownerusername", "fromusername", "author", "namapengguna",
        "pengguna", "user", "akun", "name", "nama", "profilename",
    ),
    "parent": ("parentid", "parentcommentid", "replyto", "inreplyto", "parent"),
    "likes": ("likecount", "likescount", "likes", "thumbsupcount", "jumlahsuka", "suka", "like"),
    "rating": ("score", "rating", "bintang", "stars", "star", "nilai"),
}
_ALL_ROLE_KEYS = frozenset(k for names in _ROLE_NAMES.values() for k in names)

_SHAPE_LABELS = {
    "instagram-graph": "instagram",
    "instaloader": "instagram",
    "apify": "instagram",
    "meta-dyi": "instagram",
    "google-play": "playstore",
    "netno": "playstore",
}


def _leaf_key(column: str) -> str:
    """Return the key of a nested column's own field: "owner.username" -> "username".

    Meta exports wrap each value ("string_map_data.Comment.value"), so there the
    field is the segment before "value" or "timestamp".
    """
    parts = [p for p in re.split(r"[./]", column) if p]
    if len(parts) >= 2 and parts[-1].lower() in ("value", "timestamp", "href"):
        return _key(parts[-2])
    return _key(parts[-1]) if parts else ""


def _match_role(columns: list[str], role: str, taken: set[str]) -> list[str]:
    """Return the columns named like ``role``, best first, skipping ``taken`` ones.

    Whole names match first; nested names ("owner.username") then match on their leaf.
    """
    by_key: dict[str, list[str]] = {}
    by_leaf: dict[str, list[str]] = {}
    for column in columns:
        if column in taken:
            continue
        by_key.setdefault(_key(column), []).append(column)
        if re.search(r"[./]", column):
            by_leaf.setdefault(_leaf_key(column), []).append(column)
    found: list[str] = []
    for name in _ROLE_NAMES[role]:
        found.extend(by_key.get(name, []))
    for name in _ROLE_NAMES[role]:
        found.extend(c for c in by_leaf.get(name, []) if c not in found)
    return found


def _detect_shape(columns: Iterable[str]) -> str:
    """Name the export a set of column names (or flattened JSON keys) comes from."""
    raw = {str(c) for c in columns}
    keys = {_key(c) for c in raw}
    if any(c.startswith("string_map_data") for c in raw):
        return "meta-dyi"
    if {"reviewid", "content"} <= keys and ({"score", "at"} & keys):
        return "google-play"
    if {"reviewid", "text"} <= keys and ("rating" in keys or "date" in keys):
        return "netno"
    if {"profileid", "commentid"} <= keys or ("commenturl" in keys and "comment" in keys):
        return "exportcomments"
    if raw & {"ownerUsername", "postUrl", "owner/username", "likesCount", "repliesCount"}:
        return "apify"
    if "answers" in raw or {"created_at", "likes_count"} <= raw:
        return "instaloader"
    if raw & {"like_count", "from.username", "media.id"} or {"timestamp", "username"} <= raw:
        return "instagram-graph"
    return "umum"


def _platform_for(shape: str, columns: Iterable[str], sample_values: Iterable[object]) -> str:
    if shape in _SHAPE_LABELS:
        return _SHAPE_LABELS[shape]
    keys = {_key(c) for c in columns}
    if keys & {"thumbsupcount", "reviewcreatedversion", "appversion", "score"}:
        return "playstore"
    for value in sample_values:
        if isinstance(value, str):
            lowered = value.lower()
            if "instagram.com" in lowered:
                return "instagram"
            if "play.google.com" in lowered:
                return "playstore"
    return "lainnya"


# --------------------------------------------------------------------------- values

_NUMBER_RE = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
_SUFFIX_RE = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(rb|ribu|k|jt|juta|m)$", re.IGNORECASE)
_SUFFIX_FACTOR = {"rb": 1_000, "ribu": 1_000, "k": 1_000, "jt": 1_000_000, "juta": 1_000_000,
                  "m": 1_000_000}
_INT64_MAX = 2**63 - 1


def _to_int(value: object) -> int | None:
    """Parse a like count or rating ("1.234", "4,0", "1,2rb", 5.0); None when not a number.

    A fraction is rounded. The comment frame gets ``_checked_counts`` instead, which
    empties fractions.
    """
    number = _to_number(value)
    if number is None or abs(number) > _INT64_MAX:
        return None
    return round(number)


def _to_number(value: object) -> int | float | None:
    """Parse a like count or rating as written, without rounding; None when not a number."""
    result: int | float | None = None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        result = value
    elif isinstance(value, float):
        result = value if value == value and abs(value) != float("inf") else None
    elif isinstance(value, str):
        text = value.strip()
        suffix = _SUFFIX_RE.match(text)
        if _THOUSANDS_RE.match(text) and len(text) > 4:
            result = int(re.sub(r"[.,]", "", text))
        elif _NUMBER_RE.match(text):
            result = float(text.replace(",", "."))
        elif suffix:
            result = float(suffix.group(1).replace(",", ".")) * _SUFFIX_FACTOR[
                suffix.group(2).lower()
            ]
    return result


@dataclass(frozen=True)
class _CountRule:
    """The whole numbers a like or rating column may store, and its name in notes."""

    label: str
    low: int
    high: int


# The comments table accepts likes >= 0 only (CHECK ck_comments_likes) in an INTEGER
# column, which PostgreSQL stores in 32 bits. Play Store ratings are 1 to 5 stars.
_LIKES_RULE = _CountRule("Jumlah suka", 0, 2**31 - 1)
_RATING_RULE = _CountRule("Rating", 1, 5)


def _count_problem(number: int | float, rule: _CountRule) -> str | None:
    """Say in Indonesian why ``number`` cannot be stored under ``rule``; None when it can."""
    if isinstance(number, float) and not number.is_integer():
        return "bukan bilangan bulat"
    if rule.low <= number <= rule.high:
        return None
    if rule.low == 0 and number < 0:
        return "bernilai negatif, padahal harus 0 atau lebih"
    return f"di luar rentang {_fmt_int(rule.low)} sampai {_fmt_int(rule.high)}"


def _checked_counts(
    values: list[object], row_numbers: list[int], rule: _CountRule
) -> tuple[list[int | None], list[RowNote]]:
    """Parse like counts or ratings, emptying each number ``rule`` does not allow.

    A fraction ("1,5", 3.5) is emptied, not rounded, because a rounded count is a guess.
    A cell that is not a number at all is emptied without a note. Each distinct string
    is parsed once, because a rating or like column repeats few strings ("5", "1").

    Returns:
        The numbers, one per cell, and a note for each emptied number.
    """
    parsed: dict[str, int | float | None] = {}
    numbers: list[int | None] = []
    notes: list[RowNote] = []
    for value, row_number in zip(values, row_numbers, strict=True):
        if type(value) is str:
            if value not in parsed:
                parsed[value] = _to_number(value)
            number = parsed[value]
        else:
            number = _to_number(value)
        if number is None:
            numbers.append(None)
            continue
        problem = _count_problem(number, rule)
        if problem is None:
            numbers.append(int(number))
            continue
        numbers.append(None)
        notes.append(RowNote(row_number, (
            f"{rule.label} '{_shown_cell(value)}' {problem}. Nilai itu dikosongkan, tetapi "
            "komentarnya tetap diimpor. Perbaiki nilai di file sumber lalu unggah ulang bila "
            f"{rule.label.lower()} diperlukan."
        )))
    return numbers, notes


def _excerpt(text: str) -> str:
    """Return ``text`` masked and cut to 40 characters for a message, marked with "…" when cut.

    The whole text is masked before the cut, because a cut number (a phone number
    missing its last digits) no longer looks like one to ``mask_text``.
    """
    text = mask_text(text)
    return text if len(text) <= 40 else text[:39] + "…"


def _shown_cell(value: object) -> str:
    """Return a cell as text for a message, masked and cut to 40 characters."""
    return _excerpt(_cell_text(value) or "")


_ISO_RE = re.compile(
    r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})"
    r"(?:[T ]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"\s*(Z|UTC|GMT|WIB|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_DMY_RE = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
    r"(?:[ ,T]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?"
    r"\s*(Z|UTC|GMT|WIB|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
# Epoch seconds or milliseconds as text, with an optional fraction ("1706731200.5").
_EPOCH_TEXT_RE = re.compile(r"^(?:\d{10}|\d{13})(?:\.\d+)?$")
_EPOCH_SECONDS_MIN = 946_684_800  # 2000-01-01
_EPOCH_SECONDS_MAX = 4_102_444_800  # 2100-01-01


def _zone_from(token: str | None) -> timezone | ZoneInfo:
    if token is None or token.upper() == "WIB":
        return JAKARTA
    if token.upper() in {"Z", "UTC", "GMT"}:
        return UTC
    sign = -1 if token[0] == "-" else 1
    digits = token[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 14 or minutes > 59:
        raise ValueError(token)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _epoch_to_utc(number: float) -> datetime | None:
    if _EPOCH_SECONDS_MIN * 1000 <= number <= _EPOCH_SECONDS_MAX * 1000:
        number /= 1000
    if _EPOCH_SECONDS_MIN <= number <= _EPOCH_SECONDS_MAX:
        return datetime.fromtimestamp(number, tz=UTC)
    return None


def _parse_instant(value: object) -> datetime | None:
    """Parse a timestamp into an aware UTC datetime; naive times are Asia/Jakarta.

    Accepts ISO 8601 with ``Z``, ``+0000`` or ``+07:00``, epoch seconds or
    milliseconds, with or without a fraction (years 2000 to 2100 only, so a like
    count is never read as a date),
    ``dd/mm/yyyy [HH:MM[:SS]]`` (``mm/dd`` only when the day part is over 12) and
    ``yyyy-mm-dd HH:MM:SS``. Returns None for anything else.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=JAKARTA)
        return _storable(aware)
    if isinstance(value, int | float):
        return _epoch_to_utc(float(value)) if value == value else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if _EPOCH_TEXT_RE.match(text):
        return _epoch_to_utc(float(text))
    try:
        iso = _ISO_RE.match(text)
        if iso:
            year, month, day, hour, minute, second, fraction, zone = iso.groups()
        else:
            dmy = _DMY_RE.match(text)
            if not dmy:
                return None
            day, month, year, hour, minute, second, zone = dmy.groups()
            fraction = None
            if int(month) > 12 >= int(day):
                day, month = month, day
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        local = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0),
            int(second or 0), micro, tzinfo=_zone_from(zone),
        )
    except ValueError:
        return None
    return _storable(local)


# The comment frame stores instants in nanoseconds, which reach only from
# 1677-09-21 00:12:43.145224193 to 2262-04-11 23:47:16.854775807 (pd.Timestamp.min
# and max). These bounds are the whole microseconds inside that range, and the latest
# is 7 hours earlier because the pipeline converts each instant to Jakarta time
# (UTC+7), which must fit too. An instant outside is a broken cell ("0001-01-01"),
# counted as an unreadable date.
_EARLIEST_INSTANT = pd.Timestamp.min.ceil("us").tz_localize(UTC).to_pydatetime()
_LATEST_INSTANT = (
    pd.Timestamp.max.floor("us").tz_localize(UTC).to_pydatetime() - timedelta(hours=7)
)


def _storable(instant: datetime) -> datetime | None:
    """Return the aware ``instant`` in UTC, or None when pandas cannot store it."""
    try:
        utc = instant.astimezone(UTC)
    except OverflowError:  # the shift to UTC leaves the years 1 to 9999
        return None
    return utc if _EARLIEST_INSTANT <= utc <= _LATEST_INSTANT else None


# Exports (the Play Store scraper, spreadsheets) mostly write naive local times like this.
_PLAIN_TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"
_PLAIN_TIMESTAMP_YEARS = (pd.Timestamp("2000-01-01"), pd.Timestamp("2100-01-01"))
# A pandas call has a fixed cost of about 0.5 ms (an estimate), so below this many cells
# parsing one by one is as fast.
_BULK_DATES_MIN = 200


def _unreadable_date_note(text: str) -> str:
    return (
        f"Tanggal '{_excerpt(text)}' tidak terbaca, jadi komentar disimpan tanpa tanggal dan tidak "
        "masuk tren bulanan. Gunakan format seperti 2024-03-15 14:30 atau 15/03/2024."
    )


def _not_text_reason(json_text: str) -> str:
    excerpt = _excerpt(json_text)
    return (
        f"Sel teks komentar berisi objek atau daftar JSON ({excerpt}), bukan teks; baris "
        "dilewati. Ubah sel itu menjadi teks komentar di file sumber, lalu unggah ulang."
    )


def _parse_instants(values: list[object]) -> pd.Series:
    """Apply ``_parse_instant`` to many cells, stripping strings first, into a UTC Series.

    Large lists take a fast path for the plain format (see ``_parse_plain_timestamps``).
    The cells it does not handle go through ``_parse_instant`` one by one.
    """
    cells = [value.strip() if isinstance(value, str) else value for value in values]
    if len(cells) < _BULK_DATES_MIN:
        return _utc_series([_parse_instant(cell) for cell in cells])

    instants, pending = _parse_plain_timestamps(cells)
    if pending:
        instants.iloc[pending] = _utc_series([_parse_instant(cells[i]) for i in pending]).array
    return instants


def _utc_series(instants: list[datetime | None]) -> pd.Series:
    return pd.to_datetime(pd.Series(instants, dtype=object), utc=True)


def _parse_plain_timestamps(cells: list[object]) -> tuple[pd.Series, list[int]]:
    """Parse the "2023-12-31 17:14:25" cells with one pandas call.

    A cell keeps the pandas result only when it is a naive time of the years 2000 to
    2099 that prints back as the same string, so pandas read it as ``_parse_instant``
    does. Local times that Asia/Jakarta skipped or repeated at a past clock change are
    left to ``_parse_instant`` as well.

    Returns:
        The UTC times, NaT for all other cells, and the indices of those cells.
    """
    # Other lengths cannot match the format, and "" keeps the numpy array below small.
    strings = [cell if type(cell) is str and len(cell) == 19 else "" for cell in cells]
    naive = pd.to_datetime(
        pd.Series(strings, dtype=object), format=_PLAIN_TIMESTAMP_FORMAT, errors="coerce"
    )
    printed = np.datetime_as_string(naive.to_numpy(), unit="s")
    same = printed == np.char.replace(np.array(strings), " ", "T", count=1)
    first, end = _PLAIN_TIMESTAMP_YEARS
    in_years = ((naive >= first) & (naive < end)).to_numpy()
    utc = naive.dt.tz_localize(JAKARTA, ambiguous="NaT", nonexistent="NaT").dt.tz_convert(UTC)
    parsed = same & in_years & utc.notna().to_numpy()
    return utc.where(parsed), np.flatnonzero(~parsed).tolist()


_MOJIBAKE_RE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf]")


def _repair_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as Latin-1 (Meta "Download your information")."""
    if not _MOJIBAKE_RE.search(text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text


def _cell_text(value: object) -> str | None:
    """Turn a cell into stripped text, or None when empty."""
    if type(value) is str and value.isascii():
        # Most CSV cells: mojibake needs non-ASCII characters, so only NUL and spaces go.
        return value.replace("\x00", "").strip() or None
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:
            return None
        text = str(int(value)) if value.is_integer() else str(value)
    elif isinstance(value, datetime):
        text = value.isoformat()
    else:
        text = str(value)
    text = _repair_mojibake(text.replace("\x00", "")).strip()
    return text or None


def _cell_texts(values: Iterable[object]) -> list[str | None]:
    """Apply ``_cell_text`` to many cells, with its ASCII fast path inlined."""
    return [
        (value.replace("\x00", "").strip() or None)
        if type(value) is str and value.isascii()
        else None if value is None else _cell_text(value)
        for value in values
    ]


# --------------------------------------------------------------------------- errors

def _fmt_int(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _columns_list(columns: Iterable[str]) -> str:
    # Column names are cells of the header row, and a file without one makes the
    # first comment the header, so the names are masked like any cell value.
    names = [f"'{mask_text(c)}'" for c in columns]
    if len(names) > 25:
        names = names[:25] + [f"dan {len(names) - 25} lainnya"]
    return ", ".join(names) if names else "(tidak ada)"


def _fmt_size(size: int) -> str:
    if size >= 1_048_576:
        return f"{size / 1_048_576:.1f} MB".replace(".", ",")
    return f"{_fmt_int(max(1, round(size / 1024)))} KB"


def _too_large(filename: str, size: int, limit: int) -> IngestError:
    return IngestError(
        f"File '{filename}' berukuran {_fmt_size(size)}, melebihi batas "
        f"{_fmt_size(limit)}. Pecah file menjadi beberapa bagian, atau naikkan "
        "batas dengan variabel lingkungan NETNO_MAX_FILE_MB."
    )


def _too_many_rows(filename: str, max_rows: int) -> IngestError:
    return IngestError(
        f"File '{filename}' berisi lebih dari {_fmt_int(max_rows)} baris data, melebihi "
        f"batas {_fmt_int(max_rows)} baris. Pecah file menjadi beberapa bagian, atau "
        "naikkan batas dengan variabel lingkungan NETNO_MAX_ROWS."
    )


_MAGIC = (
    (b"PK\x03\x04", "arsip ZIP atau file Excel .xlsx"),
    (b"\xd0\xcf\x11\xe0", "file Excel lama (.xls) atau dokumen Office"),
    (b"%PDF", "dokumen PDF"),
    (b"\x89PNG", "gambar PNG"),
    (b"\xff\xd8\xff", "gambar JPEG"),
    (b"GIF8", "gambar GIF"),
    (b"\x1f\x8b", "arsip GZIP"),
    (b"Rar!", "arsip RAR"),
    (b"7z\xbc\xaf", "arsip 7z"),
    (b"SQLite format 3", "basis data SQLite"),
)


def _check_common(data: bytes, filename: str, max_bytes: int | None) -> str:
    """Validate size, emptiness and extension; return the lower-case extension."""
    extension = Path(filename).suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        hint = " Simpan ulang file Excel lama (.xls) sebagai .xlsx." if extension == ".xls" else ""
        shown = extension or "tanpa ekstensi"
        raise IngestError(
            f"Format file '{filename}' tidak didukung (ekstensi '{shown}'). "
            f"Gunakan salah satu: {', '.join(SUPPORTED_EXTENSIONS)}.{hint}"
        )
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    if len(data) > limit:
        raise _too_large(filename, len(data), limit)
    stripped = data.lstrip(codecs.BOM_UTF8).strip(b" \t\r\n\x00\xff\xfe")
    if not stripped:
        raise IngestError(
            f"File '{filename}' kosong ({_fmt_int(len(data))} byte tanpa data). Ekspor ulang "
            "komentar dari sumbernya, lalu unggah file yang berisi data."
        )
    return extension


def _check_not_binary(data: bytes, filename: str, extension: str) -> None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            fix = (
                "Ubah ekstensinya menjadi .xlsx, lalu unggah lagi."
                if magic == b"PK\x03\x04"
                else "Simpan ulang data sebagai CSV (UTF-8) atau JSON, lalu unggah lagi."
            )
            raise IngestError(
                f"File '{filename}' bukan teks {extension}: isinya tampak seperti {kind}. {fix}"
            )


# --------------------------------------------------------------------------- text decoding

# The Unicode category Cc (control characters) is exactly U+0000-U+001F and U+007F-U+009F;
# tab, line feed, form feed and carriage return are allowed in text files.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _decode(data: bytes, filename: str) -> str:
    """Decode CSV/JSON bytes: BOMs first, then UTF-8, then Windows-1252; reject binary."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith(codecs.BOM_UTF16_LE):
        text = data[2:].decode("utf-16-le", errors="replace")
    elif data.startswith(codecs.BOM_UTF16_BE):
        text = data[2:].decode("utf-16-be", errors="replace")
    else:
        head = data[:4096]
        even_nuls = head[0::2].count(0)
        odd_nuls = head[1::2].count(0)
        half = max(1, len(head) // 2)
        if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
            text = data.decode("utf-16-le", errors="replace")
        elif even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
            text = data.decode("utf-16-be", errors="replace")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    text = data.decode("cp1252")
                except UnicodeDecodeError:
                    text = data.decode("latin-1")
    sample = text[:65536]
    controls = len(_CONTROL_RE.findall(sample))
    # A stray NUL in a text export is dropped with the cell's other NULs. Binary files
    # contain many control characters, NULs among them.
    if controls > max(2, len(sample) // 100):
        raise IngestError(
            f"File '{filename}' bukan file teks: isinya berisi data biner. Simpan ulang data "
            "sebagai CSV (UTF-8) atau JSON, atau unggah file .xlsx dengan ekstensi .xlsx."
        )
    return text


# --------------------------------------------------------------------------- tables

@dataclass
class _Table:
    """Rows of a CSV file or worksheet after the header row."""

    columns: list[str]
    rows: Iterator[list[object]]  # data rows, blank rows included, aligned to ``columns``
    container: str
    rows_estimate: int | None
    closer: Callable[[], None] | None = None


def _unique_names(raw: list[object]) -> list[str]:
    names: list[str] = []
    seen: dict[str, int] = {}
    for index, value in enumerate(raw):
        name = _cell_text(value) or f"Kolom {index + 1}"
        name = name.replace("\n", " ")
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        names.append(name)
    return names


def _header_index(sample: list[list[object]]) -> int:
    """Find the header row among the first rows: the row naming the most known columns.

    A title row above the header ("Komentar Instagram, diekspor ...") has one filled
    cell, so without known names the first row at least 60% as wide as the widest is used.
    """
    best_index, best_known = -1, 0
    for index, row in enumerate(sample):
        known = sum(1 for cell in row if _cell_text(cell) and _key(cell) in _ALL_ROLE_KEYS)
        if known > best_known:
            best_index, best_known = index, known
    if best_index >= 0:
        return best_index
    widths = [sum(1 for cell in row if _cell_text(cell)) for row in sample]
    widest = max(widths, default=0)
    for index, width in enumerate(widths):
        if width and width >= 0.6 * widest:
            return index
    return 0


_DELIMITERS = (",", ";", "\t", "|")


def _sniff_delimiter(text: str, extension: str) -> str:
    """Pick the delimiter (comma, semicolon, tab, pipe) of a CSV text.

    The header line decides first. When it names known columns, a delimiter that
    does not split it cannot be the delimiter, because comment texts may contain
    commas but a header of several columns contains its delimiter. Among the other
    delimiters, the one that splits the data rows most evenly wins, with a bonus when
    it splits the header into as many fields as the data rows.

    NOTE: without known column names the first line counts as the header, so a title
    line with a comma above a semicolon table can still make the comma win.
    """
    sample = text[:262_144]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    default = "\t" if extension == ".tsv" else ","
    header, body, decisive = _split_at_header_line(sample)
    widths = {delimiter: len(_split_line(header, delimiter)) for delimiter in _DELIMITERS}
    candidates = list(_DELIMITERS)
    if decisive:
        candidates = [delimiter for delimiter in _DELIMITERS if widths[delimiter] >= 2]
        if not candidates:
            return _one_column_delimiter(body, default)

    best, best_score = default, -1.0
    for delimiter in candidates:
        counts = [len(row) for row in _sample_rows(body, delimiter)] or [widths[delimiter]]
        common = max(set(counts), key=counts.count)
        if common < 2 and widths[delimiter] < 2:
            continue
        score = counts.count(common) / len(counts) * 10 + min(common, 10)
        if widths[delimiter] == common:
            score += 10
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _split_line(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])
    except csv.Error:
        return []


def _sample_rows(text: str, delimiter: str) -> list[list[str]]:
    """Parse the first 50 non-empty rows of ``text``; [] when the csv module rejects it."""
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        return [row for row in islice(reader, 50) if row]
    except csv.Error:
        return []


def _split_at_header_line(sample: str) -> tuple[str, str, bool]:
    """Find the header line among the first lines: the line naming the most known columns.

    Returns:
        The header line, the text after it, and whether known column names found it.
        Without known names the first non-blank line is the header, not decisively,
        because it may be a title line above the table.
    """
    lines = sample.splitlines(keepends=True)
    first_at, best_at, best_known = -1, -1, 0
    scanned = 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if first_at < 0:
            first_at = index
        known = max(
            sum(1 for cell in _split_line(line, delimiter) if _key(cell) in _ALL_ROLE_KEYS)
            for delimiter in _DELIMITERS
        )
        if known > best_known:
            best_at, best_known = index, known
        scanned += 1
        if scanned == _HEADER_SCAN_ROWS:
            break
    header_at = best_at if best_at >= 0 else max(first_at, 0)
    if not lines:
        return "", "", False
    start = sum(len(line) for line in lines[:header_at])
    header = lines[header_at]
    return header, sample[start + len(header):], best_at >= 0


def _one_column_delimiter(body: str, default: str) -> str:
    """Return the delimiter that splits the fewest data rows of a one-column file."""
    def split_rows(delimiter: str) -> int:
        return sum(1 for row in _sample_rows(body, delimiter) if len(row) > 1)

    ordered = [default] + [delimiter for delimiter in _DELIMITERS if delimiter != default]
    return min(ordered, key=split_rows)


def _csv_table(data: bytes, filename: str, extension: str, max_rows: int | None) -> _Table:
    text = _decode(data, filename)
    delimiter = _sniff_delimiter(text, extension)

    if max_rows is not None:
        _check_csv_row_count(text, delimiter, filename, max_rows)

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = _checked_records(reader, text, delimiter, filename)
    try:
        sample: list[list[object]] = [list(r) for r in islice(records, _HEADER_SCAN_ROWS)]
    except csv.Error as error:
        raise IngestError(
            f"File CSV '{filename}' tidak dapat dibaca: {error}. Buka dan simpan ulang "
            "sebagai CSV UTF-8."
        ) from error
    header_at = _header_index(sample)
    columns = _unique_names(list(sample[header_at]) if sample else [])

    def rows() -> Iterator[list[object]]:
        try:
            yield from sample[header_at + 1:]
            yield from records
        except csv.Error as error:
            raise IngestError(
                f"File CSV '{filename}' rusak setelah baris {reader.line_num}: {error}. "
                "Buka dan simpan ulang sebagai CSV UTF-8."
            ) from error

    line_breaks = text.count("\n") or text.count("\r")
    estimate = max(0, line_breaks - header_at - (0 if text.endswith(("\n", "\r")) else -1) - 1)
    return _Table(columns, rows(), "csv", estimate)


_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


def _checked_records(
    reader: _CsvReader, text: str, delimiter: str, filename: str
) -> Iterator[list[Any]]:
    """Yield the records of ``reader``, then reject the file when its last record is cut.

    The csv module ends a quoted field that is still open at the end of the file
    without an error, so one stray quote makes the rest of the file a single cell.

    Raises:
        IngestError: a field of the last record opens a quote that never closes.
    """
    line_num = reader.line_num
    begin = line_num
    for row in reader:
        begin, line_num = line_num, reader.line_num
        yield row
    if line_num - begin < 2:
        return  # A record of one line cannot hold an open quote running to the end.

    breaks = islice(_LINE_BREAK_RE.finditer(text), begin - 1, None) if begin else None
    first_break = next(breaks, None) if breaks is not None else None
    start = first_break.end() if first_break is not None else 0
    quote_at = _unclosed_quote_at(text[start:], delimiter)
    if quote_at is None:
        return
    line = begin + 1 + len(_LINE_BREAK_RE.findall(text, start, start + quote_at))
    excerpt = _excerpt(_collapsed_window(text, start + quote_at + 1))
    raise IngestError(
        f"File CSV '{filename}' berisi tanda kutip (\") yang dibuka di baris {line} (baris "
        f"judul kolom ikut dihitung) tetapi tidak pernah ditutup, sehingga seluruh sisa file "
        f"terbaca sebagai satu sel: \"{excerpt}\". Tambahkan tanda kutip penutup di akhir teks "
        "itu, atau ekspor ulang file, lalu unggah lagi."
    )


def _collapsed_window(text: str, start: int) -> str:
    """Return the text from ``start`` with whitespace runs collapsed, long enough to quote.

    The window grows until it keeps at least 200 characters after masking. A number or
    e-mail address cut at the window's end then starts beyond the 40 characters that
    ``_excerpt`` keeps, unless its cut part is longer than 160 characters.
    """
    size = 400
    while True:
        window = " ".join(text[start:start + size].split())
        if start + size >= len(text) or len(mask_text(window)) >= 200:
            return window
        size *= 2


def _unclosed_quote_at(record: str, delimiter: str) -> int | None:
    """Return the offset of a quote that opens a field of ``record`` and never closes.

    The fields are read as the csv module reads them by default: a quote opens a
    quoted field only as a field's first character, and "" inside it is one quote.
    """
    other = f"[^{re.escape(delimiter)}\r\n]*"
    # The possessive *+ keeps a doubled quote at the end from counting as a close.
    quoted = re.compile(f'"(?:[^"]++|"")*+"{other}')
    unquoted = re.compile(other)
    position = 0
    while True:
        pattern = quoted if record.startswith('"', position) else unquoted
        match = pattern.match(record, position)
        if match is None:  # only a quoted field fails to match: its quote never closes
            return position
        position = match.end()
        if not record.startswith(delimiter, position):
            return None  # a line break or the end of the text ends the record
        position += len(delimiter)


def _check_csv_row_count(text: str, delimiter: str, filename: str, max_rows: int) -> None:
    """Raise before parsing fields when the file has more than ``max_rows`` records.

    Counting line breaks is an upper bound (quoted newlines add breaks), so the records
    are only counted with the csv reader, stopping at the limit, when that bound is over.
    """
    if text.count("\n") + text.count("\r") <= max_rows:
        return
    records = 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if row:
                records += 1
            if records > max_rows + _HEADER_SCAN_ROWS:
                raise _too_many_rows(filename, max_rows)
    except csv.Error:
        return  # The full read reports the broken record with its line number.


_XLSX_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    InvalidFileException,
    KeyError,
    ValueError,
    TypeError,
    OSError,
    EOFError,
    XMLParseError,
    IndexError,
)


def _xlsx_table(data: bytes, filename: str) -> _Table:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError(
            f"File '{filename}' adalah file Excel lama (.xls) meskipun bernama .xlsx. Buka di "
            "Excel lalu simpan ulang sebagai Buku Kerja Excel (.xlsx)."
        )
    if not data.startswith(b"PK\x03\x04"):
        raise IngestError(
            f"File '{filename}' bukan file Excel .xlsx yang valid (bukan arsip ZIP). Buka di "
            "Excel lalu simpan ulang sebagai .xlsx, atau ekspor sebagai CSV."
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _XLSX_ERRORS as error:
        raise IngestError(
            f"File '{filename}' bukan file Excel .xlsx yang valid ({type(error).__name__}). "
            "Buka di Excel lalu simpan ulang sebagai .xlsx, atau ekspor sebagai CSV."
        ) from error

    try:
        best: tuple[float, Any, list[list[object]], int] | None = None
        for sheet in workbook.worksheets:
            sample = [list(r) for r in islice(sheet.iter_rows(values_only=True), _HEADER_SCAN_ROWS)]
            header_at = _header_index(sample)
            score = _sheet_score(sample, header_at)
            if best is None or score > best[0]:
                best = (score, sheet, sample, header_at)
    except _XLSX_ERRORS as error:
        workbook.close()
        raise IngestError(
            f"File Excel '{filename}' rusak dan tidak dapat dibaca ({type(error).__name__}). "
            "Buka di Excel lalu simpan ulang sebagai .xlsx."
        ) from error
    if best is None or not best[2]:
        workbook.close()
        raise IngestError(
            f"File Excel '{filename}' tidak berisi lembar kerja dengan data. Periksa file, "
            "lalu ekspor ulang komentar."
        )

    _, sheet, sample, header_at = best
    columns = _unique_names(sample[header_at])
    width = len(columns)
    _LOGGER.info("reading sheet %r of %s from row %d", sheet.title, filename, header_at + 1)

    def rows() -> Iterator[list[object]]:
        try:
            for row in sheet.iter_rows(min_row=header_at + 2, values_only=True):
                values = list(row[:width])
                yield values + [None] * (width - len(values))
        except _XLSX_ERRORS as error:
            raise IngestError(
                f"Lembar '{mask_text(sheet.title)}' di file Excel '{filename}' rusak "
                f"({type(error).__name__}). Buka di Excel lalu simpan ulang sebagai .xlsx."
            ) from error

    max_row = sheet.max_row if isinstance(sheet.max_row, int) else None
    estimate = None if max_row is None else max(0, max_row - header_at - 1)
    return _Table(columns, rows(), "xlsx", estimate, closer=workbook.close)


def _sheet_score(sample: list[list[object]], header_at: int) -> float:
    """Score how much a worksheet looks like a comment list."""
    if not sample:
        return -1.0
    header = [_key(c) for c in sample[header_at] if _cell_text(c)]
    score = 0.0
    if set(header) & set(_ROLE_NAMES["text"]):
        score += 10
    score += sum(1 for k in header if k in _ALL_ROLE_KEYS)
    for row in sample[header_at + 1:]:
        longest = max((len(t) for t in (_cell_text(c) for c in row) if t), default=0)
        score += min(longest, 40) / 400
    return score


# --------------------------------------------------------------------------- guessing

def _sample_values(frame: pd.DataFrame, column: str) -> list[str]:
    values = []
    for value in frame[column].tolist()[:_CONTENT_SAMPLE_ROWS]:
        text = _cell_text(value)
        if text is not None:
            values.append(text)
    return values


def _looks_like_date_column(values: list[str]) -> bool:
    if not values:
        return False
    hits = sum(
        1 for v in values
        if not v.isdigit() and not _EPOCH_TEXT_RE.match(v) and _parse_instant(v) is not None
    )
    return hits >= 0.8 * len(values)


# Bidirectional overrides and isolates reorder what a reader sees (a file named
# "x\u202Egpj.csv" shows as "xvsc.jpg"), and zero-width characters hide inside
# words. The zero-width joiner stays: emoji sequences need it.
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def strip_invisible(text: str) -> str:
    """Remove bidirectional control and zero-width characters (but not the emoji joiner)."""
    return _INVISIBLE_RE.sub("", text)


SOURCE_LABELS = {
    "instagram-graph": "komentar Instagram (Graph API)",
    "instaloader": "komentar Instagram (instaloader)",
    "apify": "komentar Instagram (Apify)",
    "meta-dyi": "unduhan data Meta (Download your information)",
    "exportcomments": "komentar Instagram (ExportComments)",
    "google-play": "ulasan Google Play",
    "netno": "tabel ulasan netno",
    "umum": "tabel umum (kolom dipilih otomatis)",
}
_CONTAINER_LABELS = {"csv": "CSV", "xlsx": "Excel", "json": "JSON", "jsonl": "JSON Lines"}


def describe_source_format(source_format: str) -> str:
    """Return a ``"<container>:<shape>"`` label such as ``json:apify`` in Indonesian."""
    container, _, shape = source_format.partition(":")
    kind = SOURCE_LABELS.get(shape, shape or "tidak dikenal")
    return f"{kind}, file {_CONTAINER_LABELS.get(container, container)}"


def looks_like_comments(values: Iterable[object]) -> bool:
    """Return True when a column's sample reads like free text rather than numbers or ids."""
    sample = [str(value) for value in values if _cell_text(value) is not None]
    return _text_score(sample) > 0


def _text_score(values: list[str]) -> float:
    """Mean length of free text, or 0 for numbers, dates, URLs and short codes."""
    if not values:
        return 0.0
    plain = [
        v for v in values
        if _to_int(v) is None and _parse_instant(v) is None and not v.startswith("http")
    ]
    if len(plain) < 0.5 * len(values):
        return 0.0
    spaced = sum(1 for v in plain if " " in v)
    if spaced < 0.3 * len(plain):
        return 0.0
    return sum(len(v) for v in plain) / len(plain)


def _first_or_none(names: list[str]) -> str | None:
    return names[0] if names else None


@dataclass(frozen=True)
class _Mapping:
    """Source columns (best first) feeding each field of the comment frame."""

    roles: dict[str, list[str]]
    guess: ColumnGuess
    shape: str


# Each role a user can choose a column for, as a message names it.
_OVERRIDE_LABELS = {"text": "teks", "date": "tanggal", "id": "id", "author": "nama pengguna"}


def _resolve_overrides(
    overrides: dict[str, str | None], columns: list[str], top_level: list[str], filename: str
) -> dict[str, str | None]:
    """Map each chosen column name to a column of the file, ignoring case when unambiguous.

    Raises:
        IngestError: a chosen name matches no column, or more than one only by case, or
            two roles name the same column.
    """
    resolved: dict[str, str | None] = {}
    for role, chosen in overrides.items():
        if chosen is None or chosen in columns:
            resolved[role] = chosen
            continue
        same_case = [c for c in columns if c.casefold() == chosen.casefold()]
        if len(same_case) == 1:
            resolved[role] = same_case[0]
            continue
        hint = ""
        if same_case:
            hint = (
                f" Beberapa kolom hanya berbeda huruf besar dan kecilnya "
                f"({_columns_list(same_case)}), jadi tulis nama kolom persis."
            )
        raise IngestError(
            f"Kolom '{mask_text(chosen)}' tidak ada di '{filename}'. Kolom yang ada: "
            f"{_columns_list(top_level)}. Pilih salah satu nama kolom tersebut.{hint}"
        )

    roles_by_column: dict[str, list[str]] = {}
    for role, chosen in resolved.items():
        if chosen is not None:
            roles_by_column.setdefault(chosen, []).append(role)
    for chosen, roles in roles_by_column.items():
        if len(roles) > 1:
            labels = " dan ".join(f"kolom {_OVERRIDE_LABELS[role]}" for role in roles)
            raise IngestError(
                f"Kolom '{mask_text(chosen)}' dipilih sebagai {labels} sekaligus. Setiap kolom "
                "hanya boleh dipilih untuk satu peran: pilih kolom yang berbeda."
            )
    return resolved


def _raise_if_text_column_taken(
    top_level: list[str], overrides: dict[str, str | None], filename: str
) -> None:
    """Raise when a column named like comment text was chosen for another role."""
    named_text = _match_role(top_level, "text", set())
    for role, chosen in overrides.items():
        if chosen is not None and role != "text" and chosen in named_text:
            raise IngestError(
                f"Kolom '{mask_text(chosen)}' di '{filename}' dipilih sebagai kolom "
                f"{_OVERRIDE_LABELS[role]}, padahal kolom itu tampak berisi teks komentar. "
                f"Kolom teks dan kolom {_OVERRIDE_LABELS[role]} harus berbeda: pilih kolom "
                f"{_OVERRIDE_LABELS[role]} yang lain, atau pilih juga kolom teksnya."
            )


def _guess_columns(
    frame: pd.DataFrame, overrides: dict[str, str | None], filename: str
) -> _Mapping:
    """Match columns to comment fields by name, then by content; apply user overrides."""
    columns = [str(c) for c in frame.columns]
    top_level = [c for c in columns if not re.match(r"^replies/\d+/", c)]
    overrides = _resolve_overrides(overrides, columns, top_level, filename)

    roles: dict[str, list[str]] = {}
    taken = {c for c in overrides.values() if c}
    for role in ("text", "id", "author", "parent", "date", "likes", "rating"):
        if overrides.get(role):
            roles[role] = [str(overrides[role])]
        else:
            roles[role] = _match_role(top_level, role, taken)
            if role in ("text", "date", "id"):
                taken.update(roles[role][:1])

    text_by_name = bool(roles["text"])
    if text_by_name and not overrides.get("text"):
        # A named text column that is empty in every sampled row is not the text.
        filled = [c for c in roles["text"] if _sample_values(frame, c)]
        roles["text"] = filled or roles["text"]
    if not roles["text"]:
        used = {c for names in roles.values() for c in names[:1]}
        scores = {c: _text_score(_sample_values(frame, c)) for c in top_level if c not in used}
        best = max(scores, key=lambda c: scores[c], default=None)
        if best is not None and scores[best] >= 5:
            roles["text"] = [best]
    if not roles["text"]:
        _raise_if_text_column_taken(top_level, overrides, filename)
        raise TextColumnError(
            f"Kolom teks komentar tidak ditemukan di '{filename}'. Kolom yang ada: "
            f"{_columns_list(top_level)}. Pilih kolom yang berisi teks komentar secara manual.",
            columns=list(top_level),
        )

    date_by_name = bool(roles["date"])
    if not date_by_name:
        for column in top_level:
            if column not in roles["text"] and _looks_like_date_column(
                _sample_values(frame, column)
            ):
                roles["date"] = [column]
                break

    confident = bool(overrides.get("text")) or (
        text_by_name and (date_by_name or bool(overrides.get("date")) or not roles["date"])
    )
    guess = ColumnGuess(
        text=roles["text"][0],
        date=_first_or_none(roles["date"]),
        id=_first_or_none(roles["id"]),
        author=_first_or_none(roles["author"]),
        parent=_first_or_none(roles["parent"]),
        candidates=top_level,
        confident=confident,
    )
    return _Mapping(roles, guess, _detect_shape(columns))


# --------------------------------------------------------------------------- JSON

_CHILD_KEYS = ("replies", "answers", "children", "comments")


def _children(record: dict[str, Any]) -> list[Any]:
    for key in _CHILD_KEYS:
        value = record.get(key)
        if isinstance(value, dict) and isinstance(value.get("data"), list):
            return list(value["data"])
        if isinstance(value, list) and any(isinstance(v, dict) for v in value):
            return value
    return []


class _JsonValue(str):
    """A JSON object or list, as JSON text, found where a comment's text or date belongs.

    It is a ``str`` so that a preview table shows it like any other cell.
    """


# Keys that must hold text or a date, not an object: text and date role names.
_SCALAR_KEY_ROLES = {name: role for role in ("text", "date") for name in _ROLE_NAMES[role]}


def _flatten(record: dict[str, Any], prefix: str = "", depth: int = 0) -> dict[str, object]:
    """Flatten nested objects to dotted keys ("owner.username"); replies are left out.

    An object or list under a text or date key ("text": {"a": 1}) is also kept as a
    ``_JsonValue`` under the key itself, unless one of its own keys names the same
    role ("date": {"$date": ...}), so the reader can say why the cell is unusable.
    """
    flat: dict[str, object] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if not prefix and key in _CHILD_KEYS and _children({key: value}):
            continue
        nested: dict[str, object] = {}
        if isinstance(value, dict) and depth < 4:
            nested = _flatten(value, f"{name}.", depth + 1)
            flat.update(nested)
        elif isinstance(value, list):
            if value and all(not isinstance(v, dict | list) for v in value):
                flat[name] = ", ".join(str(v) for v in value)
                continue
        else:
            flat[name] = value
            continue
        role = _SCALAR_KEY_ROLES.get(_key(key)) if not prefix else None
        if role and value and not any(_leaf_key(c) in _ROLE_NAMES[role] for c in nested):
            flat[name] = _JsonValue(json.dumps(value, ensure_ascii=False, default=str))
    return flat


def _json_records(payload: Any) -> list[dict[str, Any]]:
    """Find the list of comment objects in a JSON document."""
    if isinstance(payload, list):
        return [r for r in payload if isinstance(r, dict)]
    if not isinstance(payload, dict):
        return []
    if isinstance(payload.get("data"), list):
        return [r for r in payload["data"] if isinstance(r, dict)]
    for value in payload.values():
        if isinstance(value, dict) and isinstance(value.get("data"), list):
            value = value["data"]  # a Graph API media object: {"comments": {"data": [...]}}
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            return value
    return [payload]


def _walk(records: Iterable[Any]) -> Iterator[tuple[dict[str, object], str | None]]:
    """Yield each comment (flattened) with the id of the comment it replies to, any depth.

    Comments come in document order: each comment, then its replies. A stack of
    sibling iterators replaces recursion, so a long reply chain reaches no recursion limit.
    """
    stack: list[tuple[Iterator[Any], str | None]] = [(iter(records), None)]
    while stack:
        siblings, parent = stack[-1]
        record = next(siblings, _NO_RECORD)
        if record is _NO_RECORD:
            stack.pop()
            continue
        if not isinstance(record, dict):
            continue
        flat = _flatten(record)
        yield flat, parent
        own_id = _cell_text(flat.get("id") or flat.get("pk") or flat.get("reviewId"))
        stack.append((iter(_children(record)), own_id))


_NO_RECORD = object()


def _json_invalid(
    filename: str, text: str, error: json.JSONDecodeError, line_offset: int = 0
) -> IngestError:
    line = error.lineno + line_offset
    # A string that never closes, or an error at the very end, means the file was cut.
    if error.msg.startswith("Unterminated string") or error.pos >= len(text.rstrip()) - 1:
        return IngestError(
            f"File JSON '{filename}' terpotong: data berhenti di baris {line}, kolom "
            f"{error.colno} sebelum selesai. Unduh atau ekspor ulang file secara lengkap."
        )
    return IngestError(
        f"File JSON '{filename}' tidak valid di baris {line}, kolom {error.colno} "
        f"(posisi {error.pos}): {_json_problem(error.msg)}. Periksa file atau ekspor ulang, "
        "lalu unggah lagi."
    )


# The parser's English messages, by their first words, in the words shown to users.
_JSON_PROBLEMS = (
    ("Expecting property name", "nama kolom harus diapit tanda kutip ganda"),
    ("Expecting value", "nilai yang diharapkan tidak ada"),
    ("Expecting ',' delimiter", "tanda koma yang diharapkan tidak ada"),
    ("Expecting ':' delimiter", "tanda titik dua yang diharapkan tidak ada"),
    ("Extra data", "ada data lain setelah akhir JSON"),
    ("Invalid control character", "ada karakter kontrol di dalam teks"),
    ("Invalid \\escape", "ada garis miring terbalik yang tidak sah"),
    ("Invalid \\uXXXX escape", "ada kode \\u yang tidak sah"),
)


def _json_problem(message: str) -> str:
    """Return the Indonesian words for a ``json.JSONDecodeError`` message."""
    for start, problem in _JSON_PROBLEMS:
        if message.startswith(start):
            return problem
    return "susunan JSON rusak"


# A lone surrogate code point is not a character, and it cannot be written as UTF-8
# (hashing, storage, export). Decoded bytes never contain one, but JSON escapes can.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# A "\\u" escape of a surrogate code point. The parser joins valid pairs (emoji in
# ASCII-only exports) into one character, so only a lone one stays in the string.
_SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F]")


def _without_surrogates(value: Any) -> Any:
    """Return ``value`` with lone surrogates in its strings replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE_RE.sub("\ufffd", value) if _SURROGATE_RE.search(value) else value
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    return value


def _json_loads(text: str) -> Any:
    """Parse JSON text, replacing lone surrogates in keys and strings by U+FFFD.

    They cannot be encoded as UTF-8, so they would break hashing, storage and exports
    later. Only text with surrogate escapes pays for the check of every object.
    """
    if not _SURROGATE_ESCAPE_RE.search(text):
        return json.loads(text)
    return _without_surrogates(json.loads(text, object_pairs_hook=_object_without_surrogates))


def _object_without_surrogates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    return {_without_surrogates(key): _without_surrogates(item) for key, item in pairs}


def _parse_json(
    data: bytes, filename: str, extension: str, max_rows: int | None
) -> list[dict[str, Any]]:
    text = _decode(data, filename)
    # JSON Lines ends records with "\n" only. ``splitlines`` would also cut at U+2028,
    # U+0085 and other breaks, which JSON allows raw inside strings.
    lines = [(n, line) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
    as_lines = extension in (".jsonl", ".ndjson")
    if not as_lines:
        try:
            return _json_records(_json_loads(text))
        except json.JSONDecodeError as error:
            # Several objects, one per line, in a file named .json: read it as JSONL.
            if error.msg != "Extra data" or error.lineno < 2:
                raise _json_invalid(filename, text, error) from error
        except RecursionError as error:
            raise IngestError(
                f"File JSON '{filename}' bersarang terlalu dalam untuk dibaca. Ekspor ulang "
                "komentar dengan struktur yang lebih datar."
            ) from error
    if max_rows is not None and len(lines) > max_rows:
        raise _too_many_rows(filename, max_rows)
    records: list[dict[str, Any]] = []
    for number, line in lines:
        try:
            value = _json_loads(line)
        except json.JSONDecodeError as error:
            raise _json_invalid(filename, line, error, number - 1) from error
        except RecursionError as error:
            raise IngestError(
                f"Baris {number} file JSON '{filename}' bersarang terlalu dalam. Ekspor ulang "
                "komentar dengan struktur yang lebih datar."
            ) from error
        records.extend(_json_records(value) if not isinstance(value, dict) else [value])
    return records


def _json_frame(
    data: bytes, filename: str, extension: str, max_rows: int | None
) -> tuple[pd.DataFrame, str]:
    records = _parse_json(data, filename, extension, max_rows)
    rows: list[dict[str, object]] = []
    for flat, parent in _walk(records):
        if parent is not None and "parent_id" not in flat:
            flat = {**flat, "parent_id": parent}
        rows.append(flat)
    container = "jsonl" if extension in (".jsonl", ".ndjson") else "json"
    return pd.DataFrame(rows, dtype=object), container


# --------------------------------------------------------------------------- building

def _comment_texts(texts: list[str | None]) -> list[str | None]:
    """Normalise line breaks to "\\n" and remove invisible characters from cell texts."""
    normalised: list[str | None] = []
    for text in texts:
        # Cell texts are stripped already, and invisible characters are not ASCII.
        if text is None or (text.isascii() and "\r" not in text):
            normalised.append(text)
            continue
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        normalised.append(strip_invisible(text).strip() or None)
    return normalised


@dataclass
class _Builder:
    """Accumulate comment rows column by column."""

    platform: str
    filename: str
    columns: dict[str, list[object]] = field(
        default_factory=lambda: {name: [] for name in COMMENT_COLUMNS if name != "created_at"}
    )
    # One datetime64 Series per batch, so no Python datetime is made for plain timestamps.
    instants: list[pd.Series] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    notes: list[RowNote] = field(default_factory=list)
    rows_read: int = 0
    bad_dates: int = 0

    def add(self, row_number: int, values: dict[str, object]) -> None:
        """Add one source row, given the raw cell of each role ("text", "date", ...)."""
        self.add_rows([row_number], {
            role: _RoleCells([value], [_cell_text(value)]) for role, value in values.items()
        })

    def add_rows(self, row_numbers: list[int], cells: dict[str, _RoleCells]) -> None:
        """Add source rows, given the cells of each role, one cell per row.

        Working column by column keeps the per-row cost of large tables low. The result
        is the same as adding the rows one at a time.
        """
        count = len(row_numbers)
        self.rows_read += count
        empty = _RoleCells([None] * count, [None] * count)

        text_cells = cells.get("text", empty)
        texts = _comment_texts(text_cells.texts)
        kept: list[int] = []  # indices of the rows with text
        for index, text in enumerate(texts):
            if text is None:
                self.skipped.append(
                    SkippedRow(row_numbers[index], "Teks komentar kosong; baris dilewati.")
                )
                continue
            if type(text_cells.values[index]) is _JsonValue:
                self.skipped.append(SkippedRow(row_numbers[index], _not_text_reason(text)))
                continue
            if len(text) > MAX_TEXT_CHARS:
                self.notes.append(RowNote(
                    row_numbers[index],
                    f"Teks komentar {_fmt_int(len(text))} karakter dipotong menjadi "
                    f"{_fmt_int(MAX_TEXT_CHARS)} karakter.",
                ))
                # Masked before the cut, because a number cut in two is no longer
                # recognised: "081234567890" cut after "081234567" would stay readable.
                texts[index] = mask_text(text)[:MAX_TEXT_CHARS]
            kept.append(index)

        def kept_cells(cells: list[Any]) -> list[Any]:
            return cells if len(kept) == count else [cells[index] for index in kept]

        # Rows without text are skipped before their date is read, so they add no bad date.
        dates = cells.get("date", empty)
        instants = _parse_instants(kept_cells(dates.values))
        kept_rows = kept_cells(row_numbers)
        for missing, text, row_number in zip(
            instants.isna().tolist(), kept_cells(dates.texts), kept_rows, strict=True
        ):
            if missing and text is not None:
                self.bad_dates += 1
                self.notes.append(RowNote(row_number, _unreadable_date_note(text)))
        out = self.columns
        out["source_id"].extend(kept_cells(cells.get("id", empty).texts))
        out["parent_id"].extend(kept_cells(cells.get("parent", empty).texts))
        out["author"].extend(kept_cells(cells.get("author", empty).texts))
        out["text"].extend(kept_cells(texts))
        if len(instants):
            self.instants.append(instants)
        for role, rule in (("likes", _LIKES_RULE), ("rating", _RATING_RULE)):
            numbers, notes = _checked_counts(
                kept_cells(cells.get(role, empty).values), kept_rows, rule
            )
            out[role].extend(numbers)
            self.notes.extend(notes)
        out["platform"].extend([self.platform] * len(kept))
        out["row_number"].extend(kept_rows)

    def frame(self) -> pd.DataFrame:
        out = self.columns
        frame = pd.DataFrame({
            "source_id": pd.Series(out["source_id"], dtype=object),
            "parent_id": pd.Series(out["parent_id"], dtype=object),
            "author": pd.Series(out["author"], dtype=object),
            "text": pd.Series(out["text"], dtype=object),
            "created_at": pd.concat(
                self.instants or [_utc_series([])], ignore_index=True
            ).astype("datetime64[ns, UTC]"),
            "likes": pd.array(out["likes"], dtype="Int64"),
            "rating": pd.array(out["rating"], dtype="Int64"),
            "platform": pd.Series(out["platform"], dtype=object),
            "row_number": pd.Series(out["row_number"], dtype="int64"),
        })
        return frame


def _first_value(row: dict[str, object], names: list[str]) -> object:
    """Return the first non-empty value among ``names`` (e.g. Username, then Name)."""
    for name in names:
        value = row.get(name)
        if _cell_text(value) is not None:
            return value
    return None


@dataclass(frozen=True)
class _RoleCells:
    """The source cells of one role, one per row, with their ``_cell_text``."""

    values: list[object]
    texts: list[str | None]


def _first_values(columns: list[list[object]], count: int) -> _RoleCells:
    """Apply ``_first_value`` to ``count`` rows of whole columns: the first non-empty cell."""
    if not columns:
        return _RoleCells([None] * count, [None] * count)
    texts = _cell_texts(columns[0])
    first = [
        cell if text is not None else None
        for cell, text in zip(columns[0], texts, strict=True)
    ]
    for column in columns[1:]:
        for position, text in enumerate(_cell_texts(column)):
            if texts[position] is None and text is not None:
                first[position] = column[position]
                texts[position] = text
    return _RoleCells(first, texts)


def _row_values(row: dict[str, object], roles: dict[str, list[str]]) -> dict[str, object]:
    return {role: _first_value(row, names) for role, names in roles.items()}


def _role_values(
    roles: dict[str, list[str]], cells: dict[str, list[object]], count: int
) -> dict[str, _RoleCells]:
    """Apply ``_row_values`` to ``count`` rows at once, given the cells of each column."""
    return {
        role: _first_values([cells[name] for name in names], count)
        for role, names in roles.items()
    }


_REPLY_PREFIX_RE = re.compile(r"^((?:replies/\d+/)+)")


def _reply_prefixes(columns: list[str]) -> list[str]:
    """Return Apify CSV reply prefixes ("replies/0/", "replies/0/replies/1/"), outer first."""
    prefixes: set[str] = set()
    for column in columns:
        match = _REPLY_PREFIX_RE.match(column)
        if match:
            prefixes.add(match.group(1))
    return sorted(prefixes, key=lambda p: (p.count("/"), [int(n) for n in re.findall(r"\d+", p)]))


def _reply_roles(
    roles: dict[str, list[str]], prefix: str, columns: set[str]
) -> dict[str, list[str]]:
    return {
        role: [prefix + name for name in names if prefix + name in columns]
        for role, names in roles.items()
    }


# Rows added at a time; progress is reported after each full batch, every 10,000 rows.
_BATCH_ROWS = 10_000


def _default_progress(done: int, total: int) -> None:
    return None


def _open_table(data: bytes, filename: str, extension: str, max_rows: int | None) -> _Table:
    if extension in (".xlsx", ".xlsm"):
        return _xlsx_table(data, filename)
    _check_not_binary(data, filename, extension)
    return _csv_table(data, filename, extension, max_rows)


def _raise_header_only(filename: str, columns: list[str]) -> None:
    raise IngestError(
        f"File '{filename}' hanya berisi baris judul kolom ({_columns_list(columns)}) tanpa "
        "baris komentar. Pastikan ekspor berisi data, lalu unggah lagi."
    )


def _is_blank(values: list[object]) -> bool:
    for value in values:
        # The ASCII fast path of ``_cell_text``, inlined: this runs for every row.
        if type(value) is str and value.isascii():
            if value.replace("\x00", "").strip():
                return False
        elif _cell_text(value) is not None:
            return False
    return True


# --------------------------------------------------------------------------- public API

def preview(
    data: bytes, filename: str, *, rows: int = 20, max_bytes: int | None = None
) -> Preview:
    """Read the first rows of an upload and guess its columns, without reading it all.

    Args:
        data: the file content.
        filename: the file name; its extension selects the reader.
        rows: how many data rows to put in ``Preview.frame``.
        max_bytes: size limit in bytes; ``DEFAULT_MAX_BYTES`` when None.

    Returns:
        The first rows with their raw column names (all values as text), the column
        guess, the format label (see ``read_comments``) and an estimate of the row count.

    Raises:
        IngestError: the file is empty, too large, binary, has an unsupported
            extension, invalid JSON, only a header, or no column that contains text.
    """
    extension = _check_common(data, filename, max_bytes)
    if extension in (".json", ".jsonl", ".ndjson"):
        _check_not_binary(data, filename, extension)
        frame, container = _json_frame(data, filename, extension, None)
        if frame.empty:
            _raise_no_json_records(filename)
        mapping = _guess_columns(frame, {}, filename)
        return Preview(
            frame.head(rows).reset_index(drop=True), mapping.guess,
            f"{container}:{mapping.shape}", len(frame),
        )

    table = _open_table(data, filename, extension, None)
    try:
        head = islice(table.rows, max(rows, _CONTENT_SAMPLE_ROWS))
        sample = [r for r in head if not _is_blank(r)]
    finally:
        if table.closer:
            table.closer()
    frame = pd.DataFrame(
        [[_cell_text(v) for v in _fit(r, len(table.columns))] for r in sample],
        columns=table.columns, dtype=object,
    )
    if frame.empty:
        _raise_header_only(filename, table.columns)
    mapping = _guess_columns(frame, {}, filename)
    return Preview(
        frame.head(rows).reset_index(drop=True), mapping.guess,
        f"{table.container}:{mapping.shape}", table.rows_estimate,
    )


def _fit(values: list[object], width: int) -> list[object]:
    """Cut or pad a row to ``width`` cells. A row that fits is returned itself, not copied."""
    if len(values) == width:
        return values
    if len(values) > width:
        return values[:width]
    return values + [None] * (width - len(values))


def _raise_no_json_records(filename: str) -> None:
    raise IngestError(
        f"File JSON '{filename}' tidak berisi daftar komentar (tidak ada objek komentar). "
        "Unggah ekspor komentar yang berisi daftar objek, misalnya [{\"text\": ...}, ...]."
    )


def read_comments(
    data: bytes,
    filename: str,
    *,
    text_column: str | None = None,
    date_column: str | None = None,
    id_column: str | None = None,
    author_column: str | None = None,
    max_rows: int | None = DEFAULT_MAX_ROWS,
    max_bytes: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> IngestResult:
    """Read every comment of an uploaded export into the comment frame.

    Replies become rows of their own whose ``parent_id`` is the id of the comment
    they reply to, at any depth. Naive timestamps are read as Asia/Jakarta time and
    stored as UTC. Rows without text are listed in ``skipped``; texts longer than
    ``MAX_TEXT_CHARS`` are cut and listed in ``notes``.

    Args:
        data: the file content.
        filename: the file name; its extension selects the reader.
        text_column, date_column, id_column, author_column: source column names chosen
            by the user (for JSON, dotted keys such as ``owner.username``); None to guess.
        max_rows: most data rows accepted (replies count), None for no limit.
        max_bytes: size limit in bytes; ``DEFAULT_MAX_BYTES`` when None.
        progress: called as ``progress(rows_done, rows_estimate)`` while reading.

    Returns:
        The comments (columns ``COMMENT_COLUMNS``), skipped rows, rows read, a format
        label ``"<csv|xlsx|json|jsonl>:<shape>"`` where shape is ``instagram-graph``,
        ``instaloader``, ``apify``, ``meta-dyi``, ``exportcomments``, ``google-play``,
        ``netno`` or ``umum``, and the columns used.

    Raises:
        IngestError: the file is empty, too large, has too many rows, is binary, has an
            unsupported extension, invalid JSON, only a header, or no text column, or a
            chosen column does not exist.
    """
    extension = _check_common(data, filename, max_bytes)
    report = progress or _default_progress
    overrides = {"text": text_column, "date": date_column, "id": id_column, "author": author_column}

    if extension in (".json", ".jsonl", ".ndjson"):
        result = _read_json(data, filename, extension, overrides, max_rows, report)
    else:
        result = _read_table(data, filename, extension, overrides, max_rows, report)
    _LOGGER.info(
        "read %s (%s): %d rows, %d comments, %d skipped",
        filename, result.source_format, result.rows_read, len(result.comments),
        len(result.skipped),
    )
    return result


def _read_json(
    data: bytes,
    filename: str,
    extension: str,
    overrides: dict[str, str | None],
    max_rows: int | None,
    report: Callable[[int, int], None],
) -> IngestResult:
    _check_not_binary(data, filename, extension)
    frame, container = _json_frame(data, filename, extension, max_rows)
    if frame.empty:
        _raise_no_json_records(filename)
    if max_rows is not None and len(frame) > max_rows:
        raise _too_many_rows(filename, max_rows)
    mapping = _guess_columns(frame, overrides, filename)
    if "parent_id" in frame.columns and "parent_id" not in mapping.roles["parent"]:
        mapping.roles["parent"].append("parent_id")

    columns = [str(c) for c in frame.columns]
    platform = _platform_for(mapping.shape, columns, _url_sample(frame))
    builder = _Builder(platform, filename)
    total = len(frame)
    for start in range(0, total, _BATCH_ROWS):
        batch = frame.iloc[start:start + _BATCH_ROWS]
        cells = {name: batch[name].tolist() for names in mapping.roles.values() for name in names}
        values = _role_values(mapping.roles, cells, len(batch))
        builder.add_rows(list(range(start + 1, start + len(batch) + 1)), values)
        if start + _BATCH_ROWS <= total:
            report(start + _BATCH_ROWS, total)
    report(total, total)
    return _finish(builder, f"{container}:{mapping.shape}", mapping.guess)


def _url_sample(frame: pd.DataFrame) -> list[object]:
    url_columns = [c for c in frame.columns if "url" in str(c).lower()]
    return [v for c in url_columns for v in frame[c].head(50).tolist()]


def _read_table(
    data: bytes,
    filename: str,
    extension: str,
    overrides: dict[str, str | None],
    max_rows: int | None,
    report: Callable[[int, int], None],
) -> IngestResult:
    table = _open_table(data, filename, extension, max_rows)
    try:
        return _read_table_rows(table, filename, overrides, max_rows, report)
    finally:
        if table.closer:
            table.closer()


def _read_table_rows(
    table: _Table,
    filename: str,
    overrides: dict[str, str | None],
    max_rows: int | None,
    report: Callable[[int, int], None],
) -> IngestResult:
    width = len(table.columns)
    head = list(islice(table.rows, _CONTENT_SAMPLE_ROWS))
    sample = [_fit(r, width) for r in head if not _is_blank(r)]
    if not sample:
        _raise_header_only(filename, table.columns)
    frame = pd.DataFrame(sample, columns=table.columns, dtype=object)
    mapping = _guess_columns(frame, overrides, filename)
    column_set = set(table.columns)
    replies = [
        (prefix, _reply_roles(mapping.roles, prefix, column_set))
        for prefix in _reply_prefixes(table.columns)
    ]
    platform = _platform_for(mapping.shape, table.columns, _url_sample(frame))
    builder = _Builder(platform, filename)
    total = table.rows_estimate or len(head)

    positions = {name: position for position, name in enumerate(table.columns)}
    rows = _chain(head, table.rows)
    number = 0
    comments = 0
    while True:
        batch, read_error = _next_batch(rows, _BATCH_ROWS)
        filled = [
            (number + offset, _fit(values, width))
            for offset, values in enumerate(batch, start=1)
            if not _is_blank(values)
        ]
        number += len(batch)
        if replies:
            comments += _add_rows_with_replies(
                builder, filled, table.columns, mapping.roles, replies
            )
        elif filled:
            cells = {
                name: [row[positions[name]] for _, row in filled]
                for names in mapping.roles.values() for name in names
            }
            values = _role_values(mapping.roles, cells, len(filled))
            builder.add_rows([number for number, _ in filled], values)
            comments += len(filled)
        if max_rows is not None and comments > max_rows:
            raise _too_many_rows(filename, max_rows)
        if read_error is not None:
            raise read_error
        if len(batch) < _BATCH_ROWS:
            break
        # Progress is reported at every 10,000th row, unless that row is blank.
        if filled and filled[-1][0] == number:
            report(number, max(total, number))
    report(number, number)
    return _finish(builder, f"{table.container}:{mapping.shape}", mapping.guess)




def _next_batch(
    rows: Iterator[list[object]], size: int
) -> tuple[list[list[object]], IngestError | None]:
    """Take up to ``size`` rows, returning an ``IngestError`` raised while reading them.

    The caller adds the rows before the error and checks the row limit, then raises it.
    """
    batch: list[list[object]] = []
    try:
        for values in rows:
            batch.append(values)
            if len(batch) == size:
                break
    except IngestError as error:
        return batch, error
    return batch, None


def _add_rows_with_replies(
    builder: _Builder,
    rows: list[tuple[int, list[object]]],
    columns: list[str],
    roles: dict[str, list[str]],
    replies: list[tuple[str, dict[str, list[str]]]],
) -> int:
    """Add numbered table rows one by one, each followed by its flattened replies."""
    comments = 0
    for number, cells in rows:
        row = dict(zip(columns, cells, strict=True))
        builder.add(number, _row_values(row, roles))
        comments += 1 + _add_flat_replies(builder, number, row, roles, replies)
    return comments


def _chain(head: list[list[object]], rest: Iterator[list[object]]) -> Iterator[list[object]]:
    yield from head
    yield from rest


def _add_flat_replies(
    builder: _Builder,
    number: int,
    row: dict[str, object],
    roles: dict[str, list[str]],
    replies: list[tuple[str, dict[str, list[str]]]],
) -> int:
    """Add the replies an Apify CSV flattens into ``replies/N/...`` columns; return how many."""
    ids = {"": _cell_text(_first_value(row, roles["id"]))}
    added = 0
    for prefix, reply_roles in replies:
        values = _row_values(row, reply_roles)
        if _cell_text(values.get("text")) is None:
            continue
        # "replies/0/replies/1/" replies to "replies/0/", and "replies/0/" to the row itself.
        parent_prefix = prefix[: prefix.rstrip("/").rfind("replies/")]
        if _cell_text(values.get("parent")) is None:
            values["parent"] = ids.get(parent_prefix)
        ids[prefix] = _cell_text(values.get("id"))
        builder.add(number, values)
        added += 1
    return added


def _finish(builder: _Builder, source_format: str, guess: ColumnGuess) -> IngestResult:
    if builder.bad_dates:
        _LOGGER.warning(
            "%s: %d dates could not be parsed and were left empty",
            builder.filename, builder.bad_dates,
        )
    return IngestResult(
        comments=builder.frame(),
        skipped=builder.skipped,
        rows_read=builder.rows_read,
        source_format=source_format,
        columns=guess,
        # Each check appends its own notes, so a stable sort lists them by row number and
        # keeps the check order within a row.
        notes=sorted(builder.notes, key=lambda note: note.row_number),
    )


def read_path(path: str | Path, **kwargs: Any) -> IngestResult:
    """Read comments from a file on disk; keyword arguments go to ``read_comments``.

    Raises:
        IngestError: the file is missing or unreadable, or ``read_comments`` rejects it.
    """
    file_path = Path(path)
    limit = kwargs.get("max_bytes") or DEFAULT_MAX_BYTES
    try:
        size = file_path.stat().st_size
        if size > limit:
            # Reject before loading the bytes into memory.
            raise _too_large(file_path.name, size, limit)
        data = file_path.read_bytes()
    except FileNotFoundError as error:
        raise IngestError(
            f"File '{file_path}' tidak ditemukan. Periksa nama dan lokasi file."
        ) from error
    except IsADirectoryError as error:
        raise IngestError(
            f"'{file_path}' adalah folder, bukan file. Sebutkan satu file ekspor komentar."
        ) from error
    except PermissionError as error:
        raise IngestError(
            f"File '{file_path}' tidak dapat dibaca (izin ditolak). Periksa izin file."
        ) from error
    return read_comments(data, file_path.name, **kwargs)
