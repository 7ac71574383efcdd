"""Pseudonymise authors, mask personal data in comment text, and defuse spreadsheet formulas."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import stat
import unicodedata
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
    # A short text of hex letters ("aaaaaaaaaaaaaaaa") is long enough as text, as the
    # README promises, but too short as hex: read it as text.
    if len(key) < _MIN_SECRET_BYTES:
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
_EMAIL_RE = re.compile(r"(?<![\w.+%-])[\w.+%-]+@[\w-]+(?:\.[\w-]+)+[\w.+@-]*")

# Addresses written to dodge a plain pattern: "budi [at] gmail dot com", "budi(@)gmail",
# "budi @ gmail . com", "budi＠gmail．com", '"budi santoso"@gmail.com', or an address
# without a suffix ("budi@gmail"). Whether a match is an address is decided in
# _mask_obfuscated_email, because "at" is also an English word and "@name" a mention.
_MAIL_PROVIDERS = frozenset({
    "gmail", "googlemail", "yahoo", "ymail", "rocketmail", "hotmail", "outlook", "live",
    "msn", "icloud", "aol", "proton", "protonmail", "yandex", "gmx", "zoho",
})
_TOP_LEVEL_DOMAINS = (
    "com|net|org|id|co|ac|go|or|sch|web|my|biz|info|io|edu|gov|mil|uk|sg|au|us|me"
)
_SPELLED_DOT = r"\s+[.．]\s+|\s*[(\[{]\s*dot\s*[)\]}]\s*|\s+dot\s+"
_OBFUSCATED_EMAIL_RE = re.compile(
    r"(?i)(?<![\w.+%-])"
    r"(?P<local>\"[^\"\n@]{1,64}\"|[\w.+%-]*\w)"
    r"(?P<at>\s*[@＠﹫]\s*| *[(\[{] ?(?:[@＠]|at) ?[)\]}] *| +at +)"
    r"(?P<domain>[\w-]*\w)"
    # A plain dot may start any label. A spaced or spelled-out dot only counts before a
    # top-level domain, so "budi@gmail. Terima kasih" keeps its next sentence.
    rf"(?P<suffix>(?:[.．][\w-]*\w|(?:{_SPELLED_DOT})(?:{_TOP_LEVEL_DOMAINS})\b)*)"
)
_DOT_SPLIT_RE = re.compile(rf"(?i){_SPELLED_DOT}|[.．]")
_TOP_LEVEL_DOMAIN_SET = frozenset(_TOP_LEVEL_DOMAINS.split("|"))


def _has_email_hint(text: str) -> bool:
    """Return True when _OBFUSCATED_EMAIL_RE may match ``text``, False when it cannot.

    Every match contains "@", "＠" (full width), "﹫" (small) or, in lower case, one of
    the substrings tested below. Substring tests are several times faster than a search
    for the word "at", and most comments contain none of them.
    """
    if "@" in text or "＠" in text or "﹫" in text:
        return True
    lowered = text.lower()
    if "at" not in lowered:
        return False
    if " at " in lowered:
        return True
    # Looking for a single character is faster than for a substring, and few comments
    # contain a bracket.
    if "(" not in lowered and "[" not in lowered and "{" not in lowered:
        return False
    return any(hint in lowered for hint in ("(at", "[at", "{at", "( at", "[ at", "{ at"))


# Separators people type inside a phone number: any white space (also no-break and thin
# spaces and line breaks), zero-width spaces and joiners, dots, slashes, underscores,
# parentheses, the soft hyphen and the hyphen and dash characters U+2010 to U+2015 and
# U+2212.
_PHONE_SEPARATOR = r"[\s.\-_/()\u00ad\u200b-\u200d\u2060\ufeff\u2010-\u2015\u2212]"
# A number that may be a phone number: the prefix, then an 8, then up to 12 digits
# with up to three separator characters between any two. _mask_phones decides where it
# ends, and needs only the first 13 digits to see whether a group is too long. A letter
# may come right before it ("nomorku081234567890"), but not a digit, "+" or the "x" of
# an already masked number.
_PHONE_RE = re.compile(
    rf"(?<![0-9x+])(\+62|62|0)({_PHONE_SEPARATOR}{{0,3}}8(?:{_PHONE_SEPARATOR}{{0,3}}\d){{1,12}})"
)
_DIGIT_GROUP_RE = re.compile(r"\d+")
_PHONE_SEPARATOR_RUN_RE = re.compile(f"{_PHONE_SEPARATOR}*")
_PHONE_MIN_DIGITS = 9  # after the 0 or 62: 8 and at least 8 more digits
_PHONE_MAX_DIGITS = 12

# A payment, virtual account, bank account or application number is only recognised
# near one of these words, because a bare 10-digit number could be anything.
_CODE_WORDS = (
    r"kode\s*billing|billing|kode\s*bayar|kode\s*pembayaran|no(?:mor|\.)?\s*permohonan|"
    r"permohonan|virtual\s*account|(?:no(?:mor|\.)?\s*)?va\b|no(?:mor|\.)?\s*rek(?:ening)?\b|"
    r"norek|rekening"
)
# The number: at least 10 digits, which _mask_code checks, with spaces (also no-break,
# thin and zero-width spaces) or dashes.
_CODE_NUMBER = r"\d[\d \-\u00a0\u2009\u202f\u200b]{8,24}\d"
# The keyword, then up to four words ("kode billing saya adalah", "sudah dibayar ("),
# then the number.
_CODE_RE = re.compile(
    rf"(?i)\b({_CODE_WORDS})([^\W\d_]*(?:(?:\W{{1,4}}[^\W\d_]+){{0,4}}\W{{1,4}})?)"
    rf"({_CODE_NUMBER})(?![\d])"
)
# The number first, then up to two words, then the keyword ("820240312345 kode billing").
_CODE_BEFORE_WORD_RE = re.compile(
    rf"(?i)(?<![\dx])({_CODE_NUMBER})(?![\d])(\W{{1,4}}(?:[^\W\d_]+\W{{1,4}}){{0,2}})"
    rf"({_CODE_WORDS})"
)
# NIK starts with a province code (11 to 94), so a group starting with 0 is a phone number.
# A group right after another number ("0812 3456 7890 0813 4567 8901") is not a NIK start.
_NIK_SPACED_RE = re.compile(
    rf"(?<![\d])(?<!\d{_PHONE_SEPARATOR})[1-9]\d{{3}}({_PHONE_SEPARATOR})\d{{4}}\1\d{{4}}\1\d{{4}}"
    r"(?![\d])"
)
_LONG_DIGITS_RE = re.compile(r"\d{16,}")
# Runs of 13 to 15 digits. Runs of 16 or more are masked before phone numbers, these
# after them, so that a 13-digit "6281234567890" keeps the phone shape.
_BARE_DIGITS_RE = re.compile(r"\d{13,}")
# A number split irregularly ("32 1501 2345 67 0001"): 13 or more digits joined by
# single spaces (also no-break, thin or zero-width), dots or dashes. Phone numbers (at most 13
# digits, starting 08 or +62) are masked first, so what is left here is an identity,
# account or billing number.
_SPLIT_DIGITS_RE = re.compile(
    r"(?<![\d.,])\d{1,8}(?:[ .\-\u00a0\u2009\u202f\u200b]\d{1,8})+(?![\d])"
)
_SPLIT_MIN_DIGITS = 13
_ANY_DIGIT_RE = re.compile(r"\d")
_PASSPORT_RE = re.compile(r"(?<![\w])([A-Za-z]{1,2})( ?)(\d{7})(?![\w])")
# After the word "paspor" the letters and the 7 digits may also be separated
# ("paspor C 123 4567", "no paspor A-1234567").
_PASSPORT_AFTER_WORD_RE = re.compile(
    r"(?i)(\bpaspor\w*(?:\W{1,3}[^\W\d_]+){0,2}?\W{1,3})([a-z]{1,2})([ .\-]{0,2})"
    r"(\d(?:[ \-]?\d){6})(?![\w])"
)


# Full-width forms U+FF01 to U+FF5E are ASCII "!" to "~" shifted by 0xFEE0.
_FULL_WIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


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


def _mask_obfuscated_email(match: re.Match[str]) -> str:
    """Mask a disguised address to the plain masked shape ("b***@g***.com"), or keep it.

    The match is an address when its domain is a known mail provider or it ends in a
    top-level domain, with two stricter cases:
    - "budi @gmail.com" (a space before "@" only) reads like a mention of "gmail", so it
      needs a known provider;
    - the word "at" needs a suffix and a top-level domain, and either a known provider or
      a local part with a dot, "_", "%", "+", "-" or digit ("budi.santoso at kantor.id"),
      so that "look at example.com" stays.
    """
    local, at, domain, suffix = match.group("local", "at", "domain", "suffix")
    labels = [label for label in _DOT_SPLIT_RE.split(suffix) if label]
    # NFKC reads full-width "ｇｍａｉｌ．ｃｏｍ" as "gmail.com".
    provider = unicodedata.normalize("NFKC", domain).lower() in _MAIL_PROVIDERS
    top_level = (
        bool(labels)
        and unicodedata.normalize("NFKC", labels[-1]).lower() in _TOP_LEVEL_DOMAIN_SET
    )
    sign = at.strip()
    if sign.lower() == "at":
        local_like = any(ch in "._%+-" or ch.isdigit() for ch in local)
        is_address = top_level and (provider or local_like)
    elif at[0].isspace() and not at[-1].isspace():
        is_address = provider
    else:
        # With an unspaced sign any suffix will do ("budi＠kantor．xyz"), as in the
        # plain pattern.
        is_address = provider or top_level or (sign == at and bool(labels))
    if not is_address:
        return match.group(0)

    first = local[1] if local.startswith('"') else local[0]
    return first + "***@" + domain[0] + "***" + "".join("." + label for label in labels)


def _mask_emails(text: str) -> str:
    """Mask plain and disguised e-mail addresses. The result may be shorter than ``text``."""
    # The rest of a chain such as "0＠budi.s@gmail" starts inside the first match, so it
    # is found only in a second pass. Each pass that changes the text puts "***" before
    # at least one more at sign, which no pattern reads as the end of a local part, so
    # the loop ends.
    previous = None
    while text != previous:
        previous = text
        if "@" in text:
            text = _EMAIL_RE.sub(_mask_email, text)
        text = _OBFUSCATED_EMAIL_RE.sub(_mask_obfuscated_email, text)
    return text


def _looks_like_phone(number: str) -> bool:
    digits = "".join(ch for ch in number if ch.isdigit())
    if digits.startswith("08"):
        after_prefix = len(digits) - 1
    elif digits.startswith("628"):
        after_prefix = len(digits) - 2
    else:
        return False
    return _PHONE_MIN_DIGITS <= after_prefix <= _PHONE_MAX_DIGITS


def _mask_code(match: re.Match[str]) -> str:
    word, separator, number = match.groups()
    digits = sum(ch.isdigit() for ch in number)
    if digits < 10:
        return match.group(0)
    # A phone number a few words after "billing" ("billing gagal, hubungi 0812...")
    # keeps the phone shape, because _mask_phones masks it later. A number right after
    # the keyword is masked as a code.
    has_words = any(ch.isalpha() for ch in separator)
    if has_words and _looks_like_phone(number):
        return match.group(0)
    return word + separator + _mask_digits(number)


def _mask_code_before_word(match: re.Match[str]) -> str:
    number, separator, word = match.groups()
    if sum(ch.isdigit() for ch in number) < 10 or _looks_like_phone(number):
        return match.group(0)
    return _mask_digits(number) + separator + word


def _mask_phones(text: str) -> str:
    """Mask phone numbers: "0812-3456-7890" becomes "08xx-xxxx-7890".

    A match runs over the digit groups joined by separators, up to 13 digits after the
    prefix. The phone number is the longest run of whole groups from the start with 9 to
    12 digits after the prefix, so a following number ("0812 3456 7890 2024") is not
    swallowed. The search goes on right after the kept part, so that a second phone
    number in the same run is found.
    """
    out = []
    position = 0
    while (match := _PHONE_RE.search(text, position)) is not None:
        prefix, rest = match.group(1), match.group(2)
        rest_start = match.start(2)
        groups = list(_DIGIT_GROUP_RE.finditer(rest))
        first_end = groups[0].end()
        end, count, total = 0, 0, 0
        for group in groups:
            total += group.end() - group.start()
            # A group glued to "x" ("08xxxx7890") is the head of a masked number, so
            # it counts as too long. The chain ends as it did before that mask ran.
            if total > _PHONE_MAX_DIGITS or text.startswith("x", rest_start + group.end()):
                break
            end, count = group.end(), total
        if count >= _PHONE_MIN_DIGITS and _phone_start_is_plausible(prefix, rest, groups[0]):
            out.append(text[position:rest_start])
            out.append(_mask_digits(rest[:end], keep_head=1))
            position = rest_start + end
        else:
            out.append(text[position:rest_start + first_end])
            position = rest_start + first_end
    out.append(text[position:])
    return "".join(out)


def _phone_start_is_plausible(prefix: str, rest: str, first_group: re.Match[str]) -> bool:
    """Reject starts that are times, dates or decimals ("08.30", "08/12", "0.8 ...").

    A lone "8" after the prefix ("08 12 34 ...") must be followed by white space, and a
    "0" prefix must not be followed by a dot or slash.
    """
    if prefix == "0" and any(ch in "./" for ch in rest[: first_group.start()]):
        return False
    if first_group.end() - first_group.start() > 1:
        return True
    following = _PHONE_SEPARATOR_RUN_RE.match(rest, first_group.end())
    separator = following.group(0) if following else ""
    return all(ch.isspace() or ch in "()" for ch in separator)


def _mask_passport(match: re.Match[str]) -> str:
    letters, space, number = match.groups()
    return letters + space + "xxxx" + number[-3:]


def _mask_passport_after_word(match: re.Match[str]) -> str:
    words, letters, separator, number = match.groups()
    return words + letters + separator + _mask_digits(number, keep_tail=3)


def _substitute(
    pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]
) -> Callable[[str], str]:
    return lambda text: pattern.sub(replace, text)


def _mask_all_digits(match: re.Match[str]) -> str:
    return _mask_digits(match.group(0))


# The digit masks in the order they run, each with the minimum number of digits a
# text needs before the mask can change it. They run on a copy of the text with ASCII
# digits (see _mask_numbers), and each keeps the length of its input. Each number is a
# necessary condition, so skipping a mask below it gives the same text:
# - kode billing, either order: _mask_code keeps numbers with fewer than 10 digits;
# - spaced NIK: 16 digits, 4-4-4-4;
# - long digit run: 16 digits in a row;
# - phone: 9 to 12 digits after the "0" or "62", so at least 10;
# - bare digit run: 13 digits in a row;
# - split number: _mask_split_digits keeps runs of fewer than 13 digits;
# - passport, after "paspor" or alone: exactly 7 digits after the letters.
# The digits are counted before the e-mail mask runs (and again after mentions become
# pseudonyms, which may add digits). This is safe because no mask adds a digit. Masks
# replace digits by "x" or drop characters of an e-mail address, so the text a later
# mask or a later pass receives has at most as many digits as were counted.
_DIGIT_MASKS: tuple[tuple[int, Callable[[str], str]], ...] = (
    (10, _substitute(_CODE_RE, _mask_code)),
    (10, _substitute(_CODE_BEFORE_WORD_RE, _mask_code_before_word)),
    (16, _substitute(_NIK_SPACED_RE, _mask_all_digits)),
    (16, _substitute(_LONG_DIGITS_RE, _mask_all_digits)),
    (10, _mask_phones),
    (13, _substitute(_BARE_DIGITS_RE, _mask_all_digits)),
    (_SPLIT_MIN_DIGITS, _substitute(_SPLIT_DIGITS_RE, lambda m: _mask_split_digits(m.group(0)))),
    (7, _substitute(_PASSPORT_AFTER_WORD_RE, _mask_passport_after_word)),
    (7, _substitute(_PASSPORT_RE, _mask_passport)),
)
_MIN_DIGITS = min(min_digits for min_digits, _ in _DIGIT_MASKS)


def _mask_numbers(text: str, digit_chars: Iterable[str], digits: int) -> str:
    """Run the digit masks that ``digits`` allows; keep unmasked digits in their script.

    ``digit_chars`` are the ``\\d`` characters of the text. Digits of other scripts
    ("０８１２", "٠٨١٢", "𝟎𝟖𝟏𝟐"), full-width letters and full-width punctuation
    ("０８１２－３４５６") are translated to ASCII in a copy, because the masks read
    only ASCII digits, letters and separators. Each code point maps to one character,
    so the copy has the same length as the text and the same indices. Where a mask put
    an "x" in the copy, the output gets an "x". Every other character comes from
    ``text``.
    """
    ascii_text = text
    if not text.isascii():
        table = dict(_FULL_WIDTH_TO_ASCII)
        for ch in digit_chars:
            if ch > "9":
                table[ord(ch)] = ord("0") + unicodedata.decimal(ch)
        ascii_text = text.translate(table)
        if ascii_text == text:
            ascii_text = text
    # A mask keeps a few digits of each number it masks ("08xx xxxx 7890"). With the
    # digits around them, these may form a number that the masks find only in the next
    # pass, so the masks repeat until the text stops changing. Each pass that changes
    # the text turns at least one digit into "x", so this ends; the second pass usually
    # changes nothing.
    masked = ascii_text
    previous = None
    while masked != previous:
        previous = masked
        for min_digits, mask in _DIGIT_MASKS:
            if digits >= min_digits:
                masked = mask(masked)
    if ascii_text is text:
        return masked
    if masked == ascii_text:
        return text
    return "".join(
        original if new == old else new
        for original, old, new in zip(text, ascii_text, masked, strict=True)
    )


def mask_text(text: str) -> str:
    """Mask personal data in a comment, keeping enough shape to read it.

    Masks e-mail addresses, also disguised ones ("budi [at] gmail dot com",
    "budi＠gmail．com"), as "b***@g***.com"; phone numbers with any separators and in any
    script of digits ("08xx-xxxx-7890", "+62 8xx xxxx 7890"); NIK and any run of 13 or
    more digits, also split or spaced 4-4-4-4 ("xxxxxxxxxxxx1234"); passport numbers
    ("AB1234567" -> "ABxxxx567", "paspor C 123 4567" -> "paspor C xxx x567"); and
    numbers of 10 or more digits a few words before or after "kode billing", "kode
    bayar", "permohonan", "VA", "virtual account" or "rekening". Dates, times, prices,
    versions and short counts are left alone. Applying it twice gives the same text as
    applying it once.

    Note: a passport-like token (one or two letters, then exactly 7 digits) is masked
    wherever it appears, so a product code of that shape is masked too. A known mail
    provider after the word "at" is read as an address, so "login at gmail.com" is
    masked as well.
    """
    if not isinstance(text, str) or not text:
        return text
    return _mask_text(text)


def _mask_text(text: str, *, mention_secret: bytes | None = None) -> str:
    """Mask ``text`` as mask_text does; with ``mention_secret``, also pseudonymise mentions.

    Mentions are pseudonymised after the e-mail mask, so that "budi @gmail.com" is
    masked as an address and not read as a mention of "gmail".
    """
    # Most comments contain no "@", no "at" between spaces and fewer than 7 digits.
    # Checking is much cheaper than running every pattern, so the checks select the
    # masks that can change the text.
    digit_chars = _ANY_DIGIT_RE.findall(text)
    hinted = _has_email_hint(text)
    if len(digit_chars) < _MIN_DIGITS and not hinted:
        return text

    # E-mail addresses go first: they need no digit, and the digit masks must not see
    # the digits of an address.
    masked = _mask_emails(text) if hinted else text
    if mention_secret is not None and hinted:
        with_pseudonyms = _pseudonymise_mentions(masked, mention_secret)
        if with_pseudonyms != masked:
            # A pseudonym adds hex digits, which the digit masks see like any others.
            masked = with_pseudonyms
            digit_chars = _ANY_DIGIT_RE.findall(masked)
    if len(digit_chars) < _MIN_DIGITS:
        return masked
    return _mask_numbers(masked, digit_chars, len(digit_chars))


# --------------------------------------------------------------------------- frames

# A handle is word characters (any script, also styled letters such as "𝐛𝐮𝐝𝐢") and
# combining accents, with single dots between them. "@" may be full width ("＠") or
# doubled ("@@budi"). A handle followed by "*" is the local part of a masked e-mail
# ("b***@g***.com"). The atomic group keeps the handle whole, so this check cannot
# backtrack into it.
_HANDLE_PART = r"[\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
_MENTION_RE = re.compile(
    rf"(?<![\w.*@＠])([@＠]++)((?>{_HANDLE_PART}(?:\.{_HANDLE_PART})*))(?!\*)"
)
# Official accounts, "@admin" and "@Rp" (a price typed after "@") are not private
# people, so these mentions stay readable.
_OFFICIAL_MENTION_RE = re.compile(
    r"(?i)^(?:imigrasi|kanim|kemenkumham|kemenimipas|ditjenim)|^(?:admin|min|rp)$"
)


def hide_mentions(text: str, replacement: str = "@…") -> str:
    """Replace every mention in ``text`` by ``replacement``, official accounts too.

    For views shown before pseudonyms exist, such as the upload preview. The local
    part of an e-mail address is not a mention, because its "@" follows a letter.
    """
    return _MENTION_RE.sub(replacement, text) if "@" in text or "＠" in text else text


def _pseudonymise_mentions(text: str, secret: bytes) -> str:
    def replace(match: re.Match[str]) -> str:
        # NFKC turns styled and full-width letters into plain ones, so "@𝐛𝐮𝐝𝐢" and
        # "@budi" get the same pseudonym. Plain ASCII handles are unchanged by it.
        signs, handle = match.groups()
        name = unicodedata.normalize("NFKC", handle)
        # A pseudonym already in the text ("@pengguna-3f9a1c2b") stays as it is.
        already = match.string.startswith("pengguna-", match.start(2))
        if already or _OFFICIAL_MENTION_RE.search(name):
            return match.group(0)
        # The at signs stay as typed. Joined into one "@", "-@@0-budi.s" would become an
        # address ("-@pengguna-…-budi.s") for the next pass to mask.
        return signs + pseudonym(name, secret)

    return _MENTION_RE.sub(replace, text)


def protect_frame(
    frame: pd.DataFrame, *, secret: bytes, keep_usernames: bool = False
) -> pd.DataFrame:
    """Return a copy of a comment frame with authors pseudonymised and texts masked.

    ``author`` becomes a ``pengguna-xxxxxxxx`` pseudonym unless ``keep_usernames`` is
    True. @mentions of people in ``text`` always become pseudonyms, because they name
    someone other than the commenter. Mentions of official accounts (names starting
    with "imigrasi", "kanim" and the like) are kept. ``text`` is always masked as
    ``mask_text`` does; e-mail addresses are masked before mentions are read, so
    "budi @gmail.com" is not a mention. Missing values stay missing.
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
                value = _mask_text(value, mention_secret=secret)
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
