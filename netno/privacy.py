"""Pseudonymise authors, mask personal data in comment text, and defuse spreadsheet formulas."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from netno.oserrors import describe_os_error

__all__ = [
    "SecretKeyError",
    "DEFAULT_SECRET_PATH",
    "pseudonym",
    "load_secret",
    "mask_text",
    "protect_frame",
    "neutralize_formula",
    "neutralize_frame",
]

_LOGGER = logging.getLogger(__name__)

DEFAULT_SECRET_PATH = Path("data") / "secret_key"
_MIN_SECRET_BYTES = 16


class SecretKeyError(ValueError):
    """The pseudonym key is unusable; the message (Indonesian) names the problem and the fix."""


# --------------------------------------------------------------------------- pseudonyms

def pseudonym(username: str, secret: bytes) -> str:
    """Return a stable pseudonym such as ``pengguna-3f9a1c2b`` for a user name.

    The name is compared without case, surrounding spaces and a leading "@", so
    "@Budi" and "budi" get the same pseudonym. The pseudonym is the first 8 hex
    digits of HMAC-SHA256 under ``secret``: without the key, names cannot be
    recovered by hashing a list of candidates.
    """
    canonical = username.strip().lstrip("@").lower()
    digest = hmac.new(secret, canonical.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"pengguna-{digest[:8]}"


def load_secret(path: Path | None = None) -> bytes:
    """Load the pseudonym key, creating it on first use.

    The key comes from the environment variable ``NETNO_SECRET_KEY`` (hex, or any
    text of at least 16 bytes) when it is set, else from ``path`` (default
    ``data/secret_key``), which is created once with 32 random bytes and mode 0600.
    Keep the file: a new key gives every author a new pseudonym.

    Raises:
        SecretKeyError: the variable or the file contains fewer than 16 bytes, or the
            file cannot be created or read.
    """
    from_env = os.environ.get("NETNO_SECRET_KEY")
    if from_env:
        return _secret_from_env(from_env)

    key_path = DEFAULT_SECRET_PATH if path is None else Path(path)
    try:
        key_path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret_file(key_path)
    except OSError as error:
        raise SecretKeyError(
            f"Kunci pseudonim '{key_path}' tidak dapat dibuat ({describe_os_error(error)}). "
            "Periksa izin folder, atau isi variabel lingkungan NETNO_SECRET_KEY."
        ) from error
    key = secrets.token_bytes(32)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
    _LOGGER.info("created pseudonym key %s", key_path)
    return key


def _secret_from_env(value: str) -> bytes:
    text = value.strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = text.encode("utf-8")
    if len(key) < _MIN_SECRET_BYTES:
        raise SecretKeyError(
            f"NETNO_SECRET_KEY terlalu pendek ({len(key)} byte, minimal {_MIN_SECRET_BYTES}). "
            "Isi dengan teks acak yang panjang, misalnya keluaran "
            "'python -c \"import secrets; print(secrets.token_hex(32))\"'."
        )
    return key


def _read_secret_file(key_path: Path) -> bytes:
    try:
        key = key_path.read_bytes()
        mode = key_path.stat().st_mode
    except OSError as error:
        raise SecretKeyError(
            f"Kunci pseudonim '{key_path}' tidak dapat dibaca ({describe_os_error(error)}). "
            "Periksa izin file, atau isi variabel lingkungan NETNO_SECRET_KEY."
        ) from error
    if len(key) < _MIN_SECRET_BYTES:
        raise SecretKeyError(
            f"Kunci pseudonim '{key_path}' rusak (hanya {len(key)} byte). Pulihkan file dari "
            "cadangan; menghapusnya membuat kunci baru dan semua pseudonim berubah."
        )
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        _LOGGER.warning("pseudonym key %s is readable by other users; chmod 600 it", key_path)
    return key


# --------------------------------------------------------------------------- masking

# An address together with every address character right after it. In a chain such as
# "a@b.id@c.id" the first domain is also the second local part, so one match takes the
# whole chain. Otherwise a second pass of mask_text would find the second address.
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+[\w.+@-]*")

# A payment or application number is only recognised after one of these words,
# because a bare 15-digit number could be anything.
_CODE_RE = re.compile(
    r"(?i)\b(kode\s*billing|billing|kode\s*bayar|kode\s*pembayaran|"
    r"no(?:mor|\.)?\s*permohonan|permohonan)"
    r"(\W{0,4}(?:(?:no|nomor|nya|kode)\b\W{0,4})?)"
    r"(\d[\d \-]{8,24}\d)(?![\d])"
)
# NIK starts with a province code (11 to 94), so a group starting with 0 is a phone number.
_NIK_SPACED_RE = re.compile(r"(?<![\d])[1-9]\d{3}([ .-])\d{4}\1\d{4}\1\d{4}(?![\d])")
_LONG_DIGITS_RE = re.compile(r"\d{16,}")
# A number split irregularly ("32 1501 2345 67 0001"): 13 or more digits joined by
# single spaces, dots or dashes. Phone numbers (at most 13 digits, starting 08 or +62)
# are masked first, so what is left here is an identity, account or billing number.
_SPLIT_DIGITS_RE = re.compile(r"(?<![\d.,])\d{1,8}(?:[ .-]\d{1,8})+(?![\d])")
_SPLIT_MIN_DIGITS = 13
_ANY_DIGIT_RE = re.compile(r"\d")
_PHONE_RE = re.compile(
    r"(?<![\w+])(\+62|62|0)([ .-]?)(8\d{1,3}(?:[ .-]?\d{2,5}){1,4})(?![\w])"
)
_PASSPORT_RE = re.compile(r"(?<![\w])([A-Za-z]{1,2})( ?)(\d{7})(?![\w])")


def _mask_digits(text: str, *, keep_head: int = 0, keep_tail: int = 4) -> str:
    """Replace digits by "x", keeping the first ``keep_head`` and last ``keep_tail`` digits."""
    total = sum(ch.isdigit() for ch in text)
    seen = 0
    out = []
    for ch in text:
        if ch.isdigit():
            seen += 1
            if seen > keep_head and seen <= total - keep_tail:
                ch = "x"
        out.append(ch)
    return "".join(out)


def _mask_split_digits(text: str) -> str:
    if sum(ch.isdigit() for ch in text) < _SPLIT_MIN_DIGITS:
        return text
    return _mask_digits(text)


def _mask_email(match: re.Match[str]) -> str:
    """Mask an address chain: "budi@gmail.com" becomes "b***@g***.com".

    The local part and every middle part are cut to their first character. The last
    part keeps its suffix from the first dot on. Every "@" is then followed by one
    character and "***", which the pattern cannot read as a domain.
    """
    *heads, last = match.group(0).split("@")
    masked = [part[:1] + "***" if part else part for part in heads]
    dot = last.find(".", 1)
    suffix = last[dot:] if dot > 0 else ""
    masked.append(last[:1] + "***" + suffix if last else last)
    return "@".join(masked)


def _mask_code(match: re.Match[str]) -> str:
    word, separator, number = match.groups()
    digits = sum(ch.isdigit() for ch in number)
    if digits < 10:
        return match.group(0)
    return word + separator + _mask_digits(number)


def _mask_phone(match: re.Match[str]) -> str:
    prefix, separator, rest = match.groups()
    # The pattern may run into a following number ("0812 3456 7890 2024"): drop
    # trailing groups until the number is no longer than a phone number.
    tail = ""
    while sum(ch.isdigit() for ch in rest) > 12:
        cut = max(rest.rfind(" "), rest.rfind("."), rest.rfind("-"))
        if cut <= 0:
            return match.group(0)
        tail = rest[cut:] + tail
        rest = rest[:cut]
    # Indonesian mobile numbers have 9 to 12 digits after the 0 or 62, starting with 8.
    if not 9 <= sum(ch.isdigit() for ch in rest) <= 12:
        return match.group(0)
    return prefix + separator + _mask_digits(rest, keep_head=1) + tail


def _mask_passport(match: re.Match[str]) -> str:
    letters, space, number = match.groups()
    return letters + space + "xxxx" + number[-3:]


# The digit masks in the order they run, each with the minimum number of digits a
# text needs before the mask can change it. Digits are counted with ``\d``, the class
# the patterns use, so Arabic-Indic and full-width digits count too. The helpers count
# with ``str.isdigit``, which agrees with ``\d`` inside a match because a match contains
# no other digits. Each number is a necessary condition, so skipping a mask below it
# gives the same text:
# - kode billing: ``_mask_code`` keeps numbers with fewer than 10 digits as they are;
# - spaced NIK: 16 digits, 4-4-4-4;
# - long digit run: 16 digits in a row;
# - phone: ``_mask_phone`` keeps it unless 9 to 12 digits follow the "0" or "62", so 10;
# - split number: ``_mask_split_digits`` keeps runs of fewer than 13 digits;
# - passport: exactly 7 digits after the letters.
# The digits are counted once, before any mask runs. This is safe because no mask adds
# a digit. Masks replace digits by "x" or drop characters of an e-mail address, so the
# text a later mask receives has at most as many digits as the original.
_DIGIT_MASKS: tuple[tuple[int, re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (10, _CODE_RE, _mask_code),
    (16, _NIK_SPACED_RE, lambda m: _mask_digits(m.group(0))),
    (16, _LONG_DIGITS_RE, lambda m: _mask_digits(m.group(0))),
    (10, _PHONE_RE, _mask_phone),
    (_SPLIT_MIN_DIGITS, _SPLIT_DIGITS_RE, lambda m: _mask_split_digits(m.group(0))),
    (7, _PASSPORT_RE, _mask_passport),
)
_MIN_DIGITS = min(min_digits for min_digits, _, _ in _DIGIT_MASKS)


def mask_text(text: str) -> str:
    """Mask personal data in a comment, keeping enough shape to read it.

    Masks e-mail addresses ("a***@g***.com"), phone numbers ("08xx-xxxx-7890",
    "+62 8xx xxxx 7890"), NIK and any run of 16 or more digits, also spaced 4-4-4-4
    ("xxxxxxxxxxxx1234"), passport numbers ("AB1234567" -> "ABxxxx567") and billing or
    application numbers after "kode billing", "kode bayar" or "permohonan". Dates,
    times, prices, versions and short counts are left alone. Applying it twice gives
    the same text as applying it once.

    Note: a passport-like token (one or two letters, then exactly 7 digits) is masked
    wherever it appears, so a product code of that shape is masked too.
    """
    if not isinstance(text, str) or not text:
        return text
    # Most comments contain neither an "@" nor 7 digits. Counting is much cheaper than
    # running every pattern, so the count selects the masks that can change the text.
    has_at = "@" in text
    digits = len(_ANY_DIGIT_RE.findall(text))
    if not has_at and digits < _MIN_DIGITS:
        return text

    # The e-mail mask runs first. It needs only an "@", because an address may have no digit.
    masked = _EMAIL_RE.sub(_mask_email, text) if has_at else text
    for min_digits, pattern, replace in _DIGIT_MASKS:
        if digits >= min_digits:
            masked = pattern.sub(replace, masked)
    return masked


# --------------------------------------------------------------------------- frames

# Instagram user names allow single dots between letters, digits and underscores.
_MENTION_RE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)")
# Official accounts, "@admin" and "@Rp" (a price typed after "@") are not private
# people, so these mentions stay readable.
_OFFICIAL_MENTION_RE = re.compile(
    r"(?i)^(?:imigrasi|kanim|kemenkumham|kemenimipas|ditjenim)|^(?:admin|min|rp)$"
)


def _pseudonymise_mentions(text: str, secret: bytes) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        # A pseudonym already in the text ("@pengguna-3f9a1c2b") stays as it is.
        already = match.string.startswith("pengguna-", match.start(1))
        if already or _OFFICIAL_MENTION_RE.search(name):
            return match.group(0)
        return "@" + pseudonym(name, secret)

    return _MENTION_RE.sub(replace, text)


def protect_frame(
    frame: pd.DataFrame, *, secret: bytes, keep_usernames: bool = False
) -> pd.DataFrame:
    """Return a copy of a comment frame with authors pseudonymised and texts masked.

    ``author`` becomes a ``pengguna-xxxxxxxx`` pseudonym unless ``keep_usernames`` is
    True. @mentions of people in ``text`` always become pseudonyms, because they name
    someone other than the commenter. Mentions of official accounts (names containing
    "imigrasi", "kanim", "paspor" and the like) are kept. ``text`` is always passed
    through ``mask_text``. Missing values stay missing.
    """
    protected = frame.copy()
    if "author" in protected.columns and not keep_usernames:
        names = protected["author"].tolist()
        # Authors repeat across comments, so one HMAC per distinct name is enough.
        pseudonyms = {
            name: pseudonym(str(name), secret)
            for name in {name for name in names if isinstance(name, str)}
            if name.strip()
        }
        protected["author"] = pd.Series(
            [pseudonyms.get(name) if isinstance(name, str) else None for name in names],
            index=protected.index,
            dtype=object,
        )
    if "text" in protected.columns:
        texts = []
        for value in protected["text"].tolist():
            if isinstance(value, str):
                # Mentions first: a masked e-mail ("b***@g***.com") would otherwise
                # read as a mention of "g".
                if "@" in value:
                    value = _pseudonymise_mentions(value, secret)
                value = mask_text(value)
            texts.append(value)
        protected["text"] = pd.Series(texts, index=protected.index, dtype=protected["text"].dtype)
    return protected


_PERSONAL_COLUMN_RE = re.compile(
    r"(?i)user|name|nama|owner|profile|profil|author|penulis|akun|account|pic|url|link|from"
)


def personal_columns(columns: Iterable[str], *, author: str | None = None) -> list[str]:
    """Return the columns of a raw export that name or point to a person.

    Matches the detected author column and every column whose name suggests a user
    name, profile or link. A post link is blanked too, because its name looks the same.
    """
    return [
        column
        for column in columns
        if column == author or _PERSONAL_COLUMN_RE.search(str(column))
    ]


def mask_preview(frame: pd.DataFrame, *, hidden_columns: Iterable[str] = ()) -> pd.DataFrame:
    """Return a copy of a raw preview with personal data masked in every text cell.

    ``hidden_columns`` (user names, profile links) are blanked out entirely, because
    a preview shows the file as exported, before pseudonyms exist.
    """
    hidden = set(hidden_columns)
    preview = frame.copy()
    for column in preview.columns:
        if column in hidden:
            preview[column] = "(disamarkan)"
        elif preview[column].dtype == object:
            preview[column] = preview[column].map(
                lambda value: mask_text(value) if isinstance(value, str) else value
            )
    return preview


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(value: object) -> object:
    """Prefix "'" to a string that a spreadsheet would run as a formula; return others as is.

    Strings starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return are
    prefixed, so a comment such as ``=HYPERLINK(...)`` shows as text in Excel.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` safe to write as CSV or XLSX: text cells and headers defused."""
    safe = frame.copy()
    for column in safe.columns:
        series = safe[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            safe[column] = pd.Series(
                [neutralize_formula(v) for v in series.tolist()], index=safe.index, dtype=object
            )
    safe.columns = [neutralize_formula(c) for c in safe.columns]
    return safe
