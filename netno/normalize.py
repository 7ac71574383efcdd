"""Normalise informal Indonesian comment text while keeping a map back to the original."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from indoNLP.preprocessing import SLANG_DATA

__all__ = [
    "Token",
    "NormalizedText",
    "tokenize",
    "normalize",
    "normalize_with_map",
    "normalize_word",
]

# Order matters: URLs, e-mail addresses and @mentions are matched first so that
# their pieces never become words.
_EMOJI_CHAR = (
    r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2190-\u21FF\u2300-\u23FF"
    r"\u3030\u303D\u3297\u3299\u00A9\u00AE\u203C\u2049\u2122\u2139]"
)
_EMOJI_MODIFIERS = r"(?:\uFE0F|[\U0001F3FB-\U0001F3FF])*"
_TOKEN_RE = re.compile(
    r"(?P<url>(?:https?://|www\.)\S+)"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<mention>@[\w.]+)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)?)(?P<redup>2(?!\d))?"
    r"|(?P<number>\d+(?:[.,:]\d+)*)"
    r"|(?P<emoji>"
    + _EMOJI_CHAR
    + _EMOJI_MODIFIERS
    + r"(?:\u200D"
    + _EMOJI_CHAR
    + _EMOJI_MODIFIERS
    + r")*)"
    r"|(?P<punct>[?!.,;])"
)

_ENGGAK_RE = re.compile(r"\benggak\b")
_ELONGATION_RE = re.compile(r"([^\W\d_])\1{2,}")
_DOUBLE_RE = re.compile(r"([^\W\d_])\1")


@dataclass(frozen=True, slots=True)
class Token:
    """One normalised token and the span of the original text it came from."""

    text: str
    start: int
    end: int
    kind: str  # "word", "number", "emoji" or "punct"


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised text plus the offsets needed to map a match back to the original."""

    original: str
    text: str
    tokens: tuple[Token, ...]
    token_starts: tuple[int, ...]  # offset of each token inside ``text``

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of the normalised text to the original text.

        The result covers every original token the normalised span touches.
        """
        if not self.tokens:
            return (0, 0)
        first = max(bisect.bisect_right(self.token_starts, start) - 1, 0)
        last = max(bisect.bisect_left(self.token_starts, end) - 1, first)
        return (self.tokens[first].start, self.tokens[last].end)


def _read_pairs(name: str) -> dict[str, str]:
    """Read a tab-separated ``variant<TAB>standard`` lexicon shipped in ``netno/lexicon``."""
    pairs: dict[str, str] = {}
    text = resources.files("netno.lexicon").joinpath(name).read_text(encoding="utf-8")
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        # An empty standard form is allowed: the variant is then dropped ("nya").
        parts = line.rstrip("\r\n").split("\t")
        if len(parts) != 2 or not parts[0].strip():
            raise ValueError(
                f"{name} line {line_number}: expected 'variant<TAB>standard', got {line!r}"
            )
        pairs[parts[0].strip().lower()] = parts[1].strip().lower()
    return pairs


def _read_words(name: str) -> frozenset[str]:
    text = resources.files("netno.lexicon").joinpath(name).read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, str], frozenset[str]]:
    """Build the slang map (indoNLP's table under the domain overrides) and the known words."""
    overrides = _read_pairs("slang_overrides.tsv")
    blocked = _read_words("slang_blocked.txt")
    # The generic table spells negation "enggak"; the codebook patterns expect "tidak".
    slang = {
        key: _ENGGAK_RE.sub("tidak", value)
        for key, value in SLANG_DATA.items()
        if key not in blocked
    }
    slang.update(overrides)
    vocabulary = set(_read_words("vocabulary.txt"))
    for value in slang.values():
        vocabulary.update(value.split())
    vocabulary.update(key for key in blocked)
    return slang, frozenset(vocabulary)


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """Return the standard form of one word: lower case, no elongation, slang replaced.

    The result may hold several words ("otpnya" gives "otp") or be the word unchanged
    when nothing applies.
    """
    slang, vocabulary = _lexicon()
    lowered = word.lower().replace("’", "'")
    if lowered in slang:
        return slang[lowered]
    if lowered in vocabulary:
        return lowered

    # "lemottt" -> "lemot": three or more equal letters never occur in standard spelling.
    collapsed = _ELONGATION_RE.sub(r"\1", lowered)
    if collapsed in slang:
        return slang[collapsed]
    if collapsed in vocabulary:
        return collapsed

    # "lemott" -> "lemot", only when the doubled form is unknown and the single one is known.
    single = _DOUBLE_RE.sub(r"\1", collapsed)
    if single != collapsed and (single in vocabulary or single in slang):
        return slang.get(single, single)

    # "aplikasinya" -> "aplikasi": the clitic is dropped only from a known base word.
    for suffix in ("nya", "ny"):
        if collapsed.endswith(suffix) and len(collapsed) - len(suffix) >= 3:
            base = collapsed[: -len(suffix)]
            if base in slang:
                return slang[base]
            if base in vocabulary:
                return base
    return collapsed


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into normalised tokens; URLs, e-mail addresses and @mentions are dropped."""
    tokens: list[Token] = []
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup
        if kind == "redup":
            kind = "word"
        if kind in ("url", "email", "mention"):
            continue
        if kind == "word":
            normalized = normalize_word(match.group("word"))
            if not normalized:
                continue
            tokens.append(Token(normalized, match.start(), match.end(), "word"))
        else:
            tokens.append(Token(match.group().lower(), match.start(), match.end(), kind or "punct"))
    return tokens


def normalize_with_map(text: str) -> NormalizedText:
    """Normalise ``text`` and keep each token's original span for evidence."""
    tokens = tokenize(text)
    starts: list[int] = []
    position = 0
    for token in tokens:
        starts.append(position)
        position += len(token.text) + 1
    return NormalizedText(
        original=text,
        text=" ".join(token.text for token in tokens),
        tokens=tuple(tokens),
        token_starts=tuple(starts),
    )


def normalize(text: str) -> str:
    """Return the normalised form of ``text``: lower case, slang and misspellings replaced."""
    return " ".join(token.text for token in tokenize(text))
