"""Normalise informal Indonesian comment text while keeping a map back to the original."""

from __future__ import annotations

import bisect
import importlib
import logging
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import accumulate, islice, repeat
from types import ModuleType
from typing import NamedTuple

import numpy as np
from indoNLP.preprocessing import SLANG_DATA

_LOGGER = logging.getLogger(__name__)

# Environment variable that, set to "1", keeps the pure-Python paths even when the
# C extensions are built (tests set it to compare both paths).
PURE_PYTHON_ENV = "NETNO_PURE_PYTHON"


def load_extension(name: str) -> ModuleType | None:
    """Import the optional C extension ``netno.<name>``, or return None for the Python path.

    ``pip install -e .`` builds the extensions. Each one gives the same results as the
    Python code it replaces, only faster. ``NETNO_PURE_PYTHON=1`` keeps the Python path.
    """
    if os.environ.get(PURE_PYTHON_ENV) == "1":
        _LOGGER.debug("netno.%s: Python path (%s=1)", name, PURE_PYTHON_ENV)
        return None
    try:
        module = importlib.import_module(f"netno.{name}")
    except ImportError:
        _LOGGER.debug("netno.%s: Python path (extension not built)", name)
        return None
    _LOGGER.debug("netno.%s: C extension", name)
    return module


_chunks = load_extension("_chunks")

__all__ = [
    "Token",
    "NormalizedText",
    "tokenize",
    "normalize",
    "normalize_with_map",
    "normalize_word",
    "MatchText",
    "match_texts",
    "original_spans",
    "Tokens",
    "batch_tokens",
]

# Order matters: URLs, e-mail addresses and @mentions are matched first so that
# their pieces never become words.
_EMOJI_CHAR = (
    r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2190-\u21FF\u2300-\u23FF"
    r"\u3030\u303D\u3297\u3299\u00A9\u00AE\u203C\u2049\u2122\u2139]"
)
_EMOJI_MODIFIERS = r"(?:\uFE0F|[\U0001F3FB-\U0001F3FF])*"
_PLAIN_TOKENS = (
    r"(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)?)(?P<redup>2(?!\d))?"
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
_TOKEN_RE = re.compile(
    r"(?P<url>(?:https?://|www\.)\S+)"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<mention>@[\w.]+)"
    r"|" + _PLAIN_TOKENS
)
# Most comments contain no URL, e-mail address or mention. Such texts skip the
# e-mail branch, which backtracks over every word.
_PLAIN_TOKEN_RE = re.compile(_PLAIN_TOKENS)
_LINK_HINT_RE = re.compile(r"@|https?:|www\.", re.IGNORECASE)

_DROPPED_KINDS = frozenset(("url", "email", "mention"))
_ENGGAK_RE = re.compile(r"\benggak\b")
_ELONGATION_RE = re.compile(r"([^\W\d_])\1{2,}")
_DOUBLE_RE = re.compile(r"([^\W\d_])\1")


class Token(NamedTuple):
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


def _styled_letters() -> dict[int, str]:
    """Map styled forms of ASCII characters to them: fullwidth and mathematical letters.

    Comments set in "bold" or "italic" use the mathematical alphanumeric symbols
    ("𝙨𝙚𝙧𝙫𝙚𝙧 𝙚𝙧𝙧𝙤𝙧"); Asian keyboards type fullwidth forms ("ｏｔｐ", "？"). Each
    maps to one ASCII character under NFKC, so spans keep their lengths.
    """
    table: dict[int, str] = {}
    for code in (*range(0xFF01, 0xFF5F), *range(0x1D400, 0x1D800)):
        plain = unicodedata.normalize("NFKC", chr(code))
        if len(plain) == 1 and plain.isascii():
            table[code] = plain
    return table


_STYLED_LETTERS = _styled_letters()


def _plain_lower(text: str) -> str:
    """Lower-case ``text`` with its styled letters made plain ASCII."""
    return text.lower() if text.isascii() else text.translate(_STYLED_LETTERS).lower()


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """Return the standard form of one word: lower case, no elongation, slang replaced.

    The result may hold several words ("otpnya" gives "otp") or be the word unchanged
    when nothing applies.
    """
    # A superscript two marks reduplication as "2" does ("abal²" = "abal-abal").
    lowered = _plain_lower(word).replace("’", "'").rstrip("²³")
    if not lowered:
        return ""
    return _standard_forms([lowered])[0]


def _standard_forms(words: list[str]) -> list[str]:
    """Return ``normalize_word`` of each word, for words already lower-cased and stripped.

    Words are looked up in order of cost: as written, with elongation collapsed, with
    doubled letters made single, without a clitic. Each regex step runs once over all
    words still unresolved, which costs far less than a call per word.
    """
    slang, vocabulary = _lexicon()
    forms: list[str | None] = [slang.get(word) for word in words]
    unresolved: list[int] = []
    for index, (word, form) in enumerate(zip(words, forms, strict=True)):
        if form is None:
            if word in vocabulary:
                forms[index] = word
            else:
                unresolved.append(index)

    # "lemottt" -> "lemot": three or more equal letters never occur in standard spelling.
    collapsed = _substitute_each(_ELONGATION_RE, [words[index] for index in unresolved])
    remaining: list[tuple[int, str]] = []
    for index, word in zip(unresolved, collapsed, strict=True):
        if word in slang:
            forms[index] = slang[word]
        elif word in vocabulary:
            forms[index] = word
        else:
            remaining.append((index, word))

    singles = _substitute_each(_DOUBLE_RE, [word for _, word in remaining])
    for (index, word), single in zip(remaining, singles, strict=True):
        # "lemott" -> "lemot", only when the doubled form is unknown and the single one is known.
        if single != word and (single in vocabulary or single in slang):
            forms[index] = slang.get(single, single)
            continue
        form = _without_clitic(word, slang, vocabulary)
        if form == word and single != word:
            # "lemootnya": the base is known only once its doubled letter is made single.
            single_form = _without_clitic(single, slang, vocabulary)
            if single_form != single:
                form = single_form
        forms[index] = form
    return forms  # type: ignore[return-value]


def _substitute_each(pattern: re.Pattern[str], words: list[str]) -> list[str]:
    """Replace each match of ``pattern`` in each word by its first group.

    The words are joined by line breaks for one regex call. Neither pattern used here
    matches a line break, so no match crosses from one word into the next.
    """
    if any("\n" in word for word in words):
        return [pattern.sub(r"\1", word) for word in words]
    return pattern.sub(r"\1", "\n".join(words)).split("\n") if words else []


def _without_clitic(word: str, slang: dict[str, str], vocabulary: frozenset[str]) -> str:
    """Drop a clitic from a known base word ("aplikasinya" -> "aplikasi"), else keep ``word``."""
    for suffix in ("nya", "ny", "pun", "lah"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if base in slang:
                return slang[base]
            if base in vocabulary:
                return base
    return word


# Chunks of word characters or single other characters; each chunk is split and
# normalised once (cached), so a comment costs one findall plus dictionary lookups.
_CHUNK_RE = re.compile(r"\w+|[^\w\s]")
# The same chunks plus the whitespace between them, so that chunk lengths add up to
# original offsets without a match object per token.
_COVER_RE = re.compile(r"\s+|\w+|[^\w\s]")
_Piece = tuple[str, int, int, str]


@lru_cache(maxsize=200_000)
def _chunk_pieces(chunk: str) -> tuple[_Piece, ...]:
    """Return the normalised tokens of one chunk with offsets relative to the chunk."""
    if chunk.isalpha():
        # Letters only (most chunks): ``_PLAIN_TOKEN_RE`` would match one whole word.
        normalized = normalize_word(chunk)
        return ((normalized, 0, len(chunk), "word"),) if normalized else ()
    pieces: list[_Piece] = []
    # Styled characters are made plain first, one for one, so offsets stay valid and
    # a fullwidth "？" counts as punctuation.
    plain = chunk if chunk.isascii() else chunk.translate(_STYLED_LETTERS)
    for match in _PLAIN_TOKEN_RE.finditer(plain):
        kind = match.lastgroup
        start, end = match.span()
        if kind == "word" or kind == "redup":
            normalized = normalize_word(match.group("word"))
            if normalized:
                pieces.append((normalized, start, end, "word"))
        else:
            pieces.append((_plain_lower(match.group()), start, end, kind or "punct"))
    return tuple(pieces)


def _tokenize_with_links(text: str) -> list[Token]:
    tokens: list[Token] = []
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup
        if kind in _DROPPED_KINDS:
            continue
        start, end = match.span()
        if kind == "word" or kind == "redup":
            normalized = normalize_word(match.group("word"))
            if normalized:
                tokens.append(Token(normalized, start, end, "word"))
        else:
            tokens.append(Token(_plain_lower(match.group()), start, end, kind or "punct"))
    return tokens


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into normalised tokens; URLs, e-mail addresses and @mentions are dropped.

    Characters other than letters, digits, emoji and ``? ! . , ;`` are dropped, so
    "ke-7" gives the tokens "ke" and "7".
    """
    if _LINK_HINT_RE.search(text):
        return _tokenize_with_links(text)
    tokens: list[Token] = []
    append = tokens.append
    find = text.find
    position = 0
    for chunk in _CHUNK_RE.findall(text):
        start = find(chunk, position)
        position = start + len(chunk)
        for normalized, offset, end, kind in _chunk_pieces(chunk):
            append(Token(normalized, start + offset, start + end, kind))
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
        text=" ".join([token.text for token in tokens]),
        tokens=tuple(tokens),
        token_starts=tuple(starts),
    )


def normalize(text: str) -> str:
    """Return the normalised form of ``text``: lower case, slang and misspellings replaced."""
    if _LINK_HINT_RE.search(text):
        return " ".join([token.text for token in _tokenize_with_links(text)])
    return " ".join(
        [piece[0] for chunk in _CHUNK_RE.findall(text) for piece in _chunk_pieces(chunk)]
    )


class MatchText:
    """Normalised text built for pattern matching, mapping spans back only on request.

    It contains the same ``text`` as ``normalize`` but, unlike ``normalize_with_map``,
    computes original offsets only in ``original_spans``; this keeps coding large
    exports fast when most spans are never shown.
    """

    __slots__ = ("original", "text", "_chunks", "_linked", "_batch", "_ordinal")

    def __init__(self, original: str) -> None:
        self.original = original
        self._linked = bool(_LINK_HINT_RE.search(original))
        self._batch: _ChunkBatch | None = None
        self._ordinal = 0
        if self._linked:
            self._chunks: list[str] | None = None
            self.text = normalize(original)
        else:
            self._chunks = _COVER_RE.findall(original)
            self.text = " ".join(
                [piece[0] for chunk in self._chunks for piece in _chunk_pieces(chunk)]
            )

    @classmethod
    def _in_batch(cls, original: str, text: str, batch: _ChunkBatch, ordinal: int) -> MatchText:
        """Wrap text number ``ordinal`` of ``batch``: no links, normalised as ``text``."""
        match_text = cls.__new__(cls)
        match_text.original = original
        match_text.text = text
        match_text._chunks = None
        match_text._linked = False
        match_text._batch = batch
        match_text._ordinal = ordinal
        return match_text

    def original_spans(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Map ``[start, end)`` spans of ``text`` to spans of the original text.

        Each result covers every original token that the normalised span touches.
        """
        if self._linked:
            mapped = normalize_with_map(self.original)
            return [mapped.original_span(start, end) for start, end in spans]
        if not self.text:
            return [(0, 0) for _ in spans]
        if self._batch is not None:
            return self._batch.original_spans(self._ordinal, spans)
        chunks = self._chunks
        if chunks is None:
            chunks = self._chunks = _COVER_RE.findall(self.original)
        # Walk the tokens only up to the last span: later tokens change no result.
        limit = max((max(span) for span in spans), default=-1)
        starts: list[int] = []
        origins: list[tuple[int, int]] = []
        offset = 0
        position = 0
        for chunk in chunks:
            for normalized, begin, end, _kind in _chunk_pieces(chunk):
                starts.append(position)
                origins.append((offset + begin, offset + end))
                position += len(normalized) + 1
            offset += len(chunk)
            if position > limit:
                break
        result = []
        for start, end in spans:
            first = max(bisect.bisect_right(starts, start) - 1, 0)
            last = max(bisect.bisect_left(starts, end) - 1, first)
            result.append((origins[first][0], origins[last][1]))
        return result


def _expand_chunks(kinds: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Number the tokens of a chunk sequence from per-chunk token lists.

    Distinct chunk ``k`` has ``counts[k]`` tokens, listed one after another in a flat
    table, distinct chunk after distinct chunk. ``kinds`` gives the distinct chunk of
    each chunk in sequence.

    Returns:
        For each token of the sequence, in order: its chunk's position in the sequence
        and its row in the flat table.
    """
    firsts = np.cumsum(counts) - counts
    per_chunk = counts[kinds]
    chunk_of_token = np.repeat(np.arange(len(kinds)), per_chunk)
    chunk_firsts = np.cumsum(per_chunk) - per_chunk
    within = np.arange(len(chunk_of_token)) - np.repeat(chunk_firsts, per_chunk)
    return chunk_of_token, firsts[kinds[chunk_of_token]] + within


# Character classes as the regex engine reads them: 1 for ``\w``, 2 for ``\s``, else 0.
_OTHER, _WORD, _SPACE = 0, 1, 2


def _char_class(char: str) -> int:
    """Return the class of one character: ``_WORD``, ``_SPACE`` or ``_OTHER``."""
    if char.isalnum() or char == "_":
        return _WORD
    if char.isspace():
        return _SPACE
    return _OTHER


@lru_cache(maxsize=1)
def _basic_classes() -> np.ndarray:
    """Return the class of every character below U+10000 (built once, about 65,000 calls)."""
    return np.fromiter(map(_char_class, map(chr, range(0x10000))), np.uint8, 0x10000)


def _chunk_starts(text: str) -> np.ndarray:
    """Return where each chunk that ``_CHUNK_RE`` finds in ``text`` starts.

    A chunk starts at each character that is neither a word character nor white space,
    and at each word character that follows no word character. ``\\w`` and ``\\s``
    are ``str.isalnum`` (or "_") and ``str.isspace`` in Python's regex engine.
    """
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    classes = np.zeros(len(codes), np.uint8)
    basic = codes < 0x10000
    classes[basic] = _basic_classes()[codes[basic]]
    # Characters above U+FFFF (mostly emoji) are few, so they are classed one by one.
    for index in np.flatnonzero(~basic).tolist():
        classes[index] = _char_class(text[index])
    word = classes == _WORD
    after_word = np.zeros(len(codes), bool)
    after_word[1:] = word[:-1]
    return np.flatnonzero((classes == _OTHER) | (word & ~after_word))


class Tokens(NamedTuple):
    """The tokens of several normalised texts, split at spaces, as arrays.

    Token ``i`` is ``words[word_of_token[i]]``; it belongs to text ``text_of_token[i]``
    and starts at ``positions[i]`` of that text. Tokens are in text order.
    """

    words: list[str]
    word_of_token: np.ndarray
    text_of_token: np.ndarray
    positions: np.ndarray
    text_count: int


class _ChunkBatch:
    """The chunks of texts normalised together, with offsets to map spans back to each text.

    ``chunks`` are the chunks of the joined texts (``_CHUNK_RE``, separators included) and
    ``normalized`` maps each distinct chunk to its normalised text. The token offsets
    are computed once, with numpy, on the first ``map_spans`` call of any text in the
    batch, so that all texts share one pass over the chunks and one search per span.
    """

    __slots__ = (
        "joined", "lengths", "chunks", "normalized", "letters", "_kinds", "_starts",
        "_token_starts", "_token_origins", "_text_bases",
    )

    def __init__(
        self,
        joined: str,
        lengths: list[int],
        chunks: list[str] | None,
        normalized: dict[str, str],
        letters: int = 0,
        *,
        kinds: np.ndarray | None = None,
        starts: np.ndarray | None = None,
    ) -> None:
        # The texts joined by ``_SEPARATOR``, and the length of each text.
        self.joined = joined
        self.lengths = lengths
        # The chunks in text order. The C path passes ``kinds`` and ``starts`` instead.
        self.chunks = chunks
        self.normalized = normalized
        # The first ``letters`` keys of ``normalized`` are chunks of letters only. Each
        # maps back as one piece, the whole chunk, or none when its form is empty.
        self.letters = letters
        self._kinds = kinds  # each chunk's index in ``normalized``
        self._starts = starts  # each chunk's start in ``joined``
        # Filled by ``_prepare``. Per token of the joined texts: its start in the joined
        # normalised text, and its start and end in the joined original. Per text: where
        # it starts in both.
        self._token_starts = np.empty(0, np.int64)
        self._token_origins = np.empty((0, 2), np.int64)
        self._text_bases = np.empty((0, 2), np.int64)

    def kinds(self) -> np.ndarray:
        """Return the index in ``normalized`` of each chunk, computed on the first call."""
        if self._kinds is None:
            number = {chunk: index for index, chunk in enumerate(self.normalized)}
            chunks = self.chunks
            assert chunks is not None
            self._kinds = np.fromiter(map(number.__getitem__, chunks), np.int64, len(chunks))
        return self._kinds

    def _separator(self) -> int:
        """Return the index of ``_SEPARATOR`` in ``normalized``, or -1."""
        return list(self.normalized).index(_SEPARATOR) if _SEPARATOR in self.normalized else -1

    def _chunk_offsets(self) -> np.ndarray:
        """Return where each chunk starts in ``joined``."""
        if self._starts is not None:
            return self._starts
        chunks = self.chunks
        assert chunks is not None
        offsets = _chunk_starts(self.joined)
        if len(offsets) != len(chunks):
            # Only a character class that Python's regex engine reads differently from
            # ``str.isalnum`` and ``str.isspace`` could cause this; the regex is exact.
            _LOGGER.warning("chunk starts disagree with _CHUNK_RE; using the regex")
            offsets = np.array(
                [match.start() for match in _CHUNK_RE.finditer(self.joined)], np.int64
            )
        return offsets

    def tokens(self) -> Tokens:
        """Split the normalised texts of the batch at spaces, as ``str.split(" ")`` would."""
        kinds = self.kinds()
        separator = self._separator()
        text_count = int(np.count_nonzero(kinds == separator)) + 1 if len(kinds) else 0
        if _chunks is not None:
            words, word_of_token, text_of_token, positions = _chunks.tokens(
                kinds, list(self.normalized.values()), separator
            )
            return Tokens(
                words,
                np.frombuffer(word_of_token, np.int64),
                np.frombuffer(text_of_token, np.int64),
                np.frombuffer(positions, np.int64),
                text_count,
            )
        # The tokens of each distinct chunk, as indices into ``words``. A normalised
        # text is its chunks' texts joined by single spaces, so splitting each chunk
        # apart gives the tokens of the whole text. The separator has none.
        texts = list(self.normalized.values())
        if separator >= 0:
            texts[separator] = ""
        flat = " ".join(filter(None, texts)).split(" ") if any(texts) else []
        counts = np.fromiter(map(str.count, texts, repeat(" ")), np.int64, len(texts)) + 1
        counts[np.fromiter(map(len, texts), np.int64, len(texts)) == 0] = 0
        words = dict.fromkeys(flat)
        number = {word: index for index, word in enumerate(words)}
        word_ids = np.fromiter(map(number.__getitem__, flat), np.int64, len(flat))
        chunk_of_token, entry = _expand_chunks(kinds, counts)
        word_of_token = word_ids[entry]

        # Texts are numbered by the separators before them.
        text_of_token = np.cumsum(kinds == separator)[chunk_of_token]
        word_list = list(words)
        steps = np.fromiter(map(len, word_list), np.int64, len(word_list))[word_of_token] + 1
        starts = np.cumsum(steps) - steps
        first_token = np.searchsorted(text_of_token, np.arange(text_count))
        first_token = np.minimum(first_token, max(len(starts) - 1, 0))
        positions = starts - starts[first_token][text_of_token] if len(starts) else starts
        return Tokens(word_list, word_of_token, text_of_token, positions, text_count)

    def _prepare(self) -> None:
        distinct = list(self.normalized)
        kinds = self.kinds()
        # Offsets in the joined original, and in the joined normalised text, where
        # each non-empty normalised chunk is followed by one space.
        lengths = np.fromiter(map(len, distinct), np.int64, len(distinct))
        steps = np.fromiter(
            (len(text) + 1 if text else 0 for text in self.normalized.values()),
            np.int64,
            len(distinct),
        )
        original_offsets = self._chunk_offsets()

        # The tokens of each distinct chunk, relative to the chunk: start in its
        # normalised text, start and end in the chunk. A chunk of letters gives at most
        # one piece, the whole chunk, and the separator gives none.
        letters = self.letters
        counts = np.zeros(len(distinct), np.int64)
        counts[:letters] = np.fromiter(
            map(bool, islice(self.normalized.values(), letters)), bool, letters
        )
        word_lengths = lengths[:letters][counts[:letters] == 1]
        zeros = np.zeros_like(word_lengths)
        relative = [np.stack((zeros, zeros, word_lengths), axis=1)]
        others: list[tuple[int, int, int]] = []
        for index in range(letters, len(distinct)):
            chunk = distinct[index]
            if chunk == _SEPARATOR:
                continue
            position = 0
            pieces = _chunk_pieces(chunk)
            counts[index] = len(pieces)
            for text, begin, end, _kind in pieces:
                others.append((position, begin, end))
                position += len(text) + 1
        relative.append(np.array(others, np.int64).reshape(-1, 3))
        text_lengths = np.array(self.lengths, np.int64) + len(_SEPARATOR)
        original_bases = np.cumsum(text_lengths) - text_lengths
        if _chunks is not None:
            token_starts, token_origins, normal_bases = _chunks.expand(
                kinds, original_offsets, steps, counts, np.concatenate(relative),
                self._separator(),
            )
            self._token_starts = np.frombuffer(token_starts, np.int64)
            self._token_origins = np.frombuffer(token_origins, np.int64).reshape(-1, 2)
            self._text_bases = np.stack(
                (np.frombuffer(normal_bases, np.int64), original_bases), axis=1
            )
            return
        normal_offsets = np.cumsum(steps[kinds]) - steps[kinds]
        # One row per token of the joined texts, in text order.
        chunk_of_token, entry = _expand_chunks(kinds, counts)
        rows = np.concatenate(relative)[entry]
        self._token_starts = normal_offsets[chunk_of_token] + rows[:, 0]
        origins = original_offsets[chunk_of_token]
        self._token_origins = np.stack((origins + rows[:, 1], origins + rows[:, 2]), axis=1)

        # Each text starts in the joined normalised text where its first chunk does
        # (the chunk after the separator), and in the joined original after the texts
        # and separators before it.
        separators = np.flatnonzero(kinds == self._separator())
        text_firsts = np.concatenate(([0], separators + 1))
        normal_ends = np.append(normal_offsets, normal_offsets[-1] + steps[kinds[-1]])
        self._text_bases = np.stack((normal_ends[text_firsts], original_bases), axis=1)

    def map_spans(
        self, ordinals: np.ndarray, starts: np.ndarray, ends: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Map spans of the normalised texts number ``ordinals`` as ``MatchText.original_spans``.

        Each span must lie inside a text that has at least one token.
        """
        if not len(self._text_bases):
            self._prepare()
        normal_base = self._text_bases[ordinals, 0]
        original_base = self._text_bases[ordinals, 1]
        token_starts = self._token_starts
        # The last token that starts at or before each position.
        first = np.searchsorted(token_starts, normal_base + starts, side="right") - 1
        last = np.searchsorted(token_starts, normal_base + ends - 1, side="right") - 1
        # An empty span keeps ``first``; a span's last token is never before its first.
        last = np.where(ends > starts, np.maximum(last, first), first)
        return (
            self._token_origins[first, 0] - original_base,
            self._token_origins[last, 1] - original_base,
        )

    def original_spans(
        self, ordinal: int, spans: list[tuple[int, int]]
    ) -> list[tuple[int, int]]:
        """Map spans of the normalised text number ``ordinal`` as ``MatchText.original_spans``."""
        if not spans:
            return []
        starts, ends = np.array(spans, np.int64).reshape(-1, 2).T
        mapped_starts, mapped_ends = self.map_spans(
            np.full(len(spans), ordinal, np.int64), starts, ends
        )
        return list(zip(mapped_starts.tolist(), mapped_ends.tolist(), strict=True))


# Separator of the texts joined for one chunking pass. It is neither a word character
# nor white space, so "[^\w\s]" takes it as a chunk of its own and no chunk spans two texts.
_SEPARATOR = "\x00"


# Lower-case forms of what ``_LINK_HINT_RE`` finds. Under IGNORECASE, "s" also matches
# the long s "ſ", whose lower case is itself, so texts with it take the regex.
_LINK_HINTS = ("@", "http", "www.")


def _linked_texts(texts: list[str]) -> set[int]:
    """Return the indices of the texts in which ``_LINK_HINT_RE`` finds a match.

    Plain substring searches of the lower-cased texts, joined, replace the
    case-insensitive regex, which reads every character in Python's regex engine.
    """
    lowered = [text.lower() for text in texts]
    joined = _SEPARATOR.join(lowered)
    positions = []
    for hint in _LINK_HINTS:
        position = joined.find(hint)
        while position >= 0:
            # "http" counts only as "http:" or "https:".
            if hint != "http" or joined.startswith((":", "s:"), position + len(hint)):
                positions.append(position)
            position = joined.find(hint, position + 1)
    # ``ends[i]`` is where text ``i + 1`` starts in ``joined``.
    ends = list(accumulate(len(text) + len(_SEPARATOR) for text in lowered))
    linked = {bisect.bisect_right(ends, position) for position in positions}
    if "ſ" in joined:
        linked.update(
            index
            for index, text in enumerate(texts)
            if "ſ" in text and _LINK_HINT_RE.search(text)
        )
    return linked


def match_texts(texts: list[str], *, forms: dict[str, str] | None = None) -> list[MatchText]:
    """Build the ``MatchText`` of many texts at once.

    The result equals ``[MatchText(text) for text in texts]``. Texts without links are
    split into chunks in one pass over all of them, and each distinct chunk is
    normalised once, which saves a regex call and a list of chunks per text. The
    chunks are kept to map spans back to these texts in one shared pass as well.

    Args:
        texts: the comments as written.
        forms: standard forms of words (chunks of letters) normalised before, which
            this call reads and extends. Passing one dict to the calls for several
            blocks of an export normalises each word once.

    Returns:
        One ``MatchText`` per text, in order.
    """
    results: list[MatchText | None] = [None] * len(texts)
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) == max(len(texts) - 1, 0):
        linked = _linked_texts(texts)
    else:
        # Some text contains the separator itself, so the joined texts cannot be split again.
        linked = {
            index
            for index, text in enumerate(texts)
            if _SEPARATOR in text or _LINK_HINT_RE.search(text)
        }
    plain_indices: list[int] = []
    for index, text in enumerate(texts):
        if index in linked:
            results[index] = MatchText(text)
        else:
            plain_indices.append(index)

    if plain_indices:
        if linked:
            joined = _SEPARATOR.join([texts[index] for index in plain_indices])
        lengths = [len(texts[index]) for index in plain_indices]
        known = forms if forms is not None else {}
        if _chunks is None:
            batch, parts = _python_batch(joined, lengths, known)
        else:
            batch, parts = _c_batch(joined, lengths, known)
        for position, (index, part) in enumerate(zip(plain_indices, parts, strict=True)):
            results[index] = MatchText._in_batch(texts[index], part, batch, position)
    return results  # type: ignore[return-value]


def _chunk_forms(distinct: Iterable[str], known: dict[str, str]) -> tuple[dict[str, str], int]:
    """Normalise each distinct chunk of a batch.

    Returns:
        The normalised form of each chunk, chunks of letters first, and then the
        separator; and the number of chunks of letters.
    """
    # Chunks of letters only (most of them) are single words, normalised together.
    words = [chunk for chunk in distinct if chunk.isalpha()]
    new_words = [word for word in words if word not in known]
    new_forms = _standard_forms([_plain_lower(word) for word in new_words])
    known.update(zip(new_words, new_forms, strict=True))
    normalized = {word: known[word] for word in words}
    for chunk in distinct:
        if chunk not in normalized:
            normalized[chunk] = " ".join([piece[0] for piece in _chunk_pieces(chunk)])
    normalized[_SEPARATOR] = _SEPARATOR
    return normalized, len(words)


def _python_batch(
    joined: str, lengths: list[int], known: dict[str, str]
) -> tuple[_ChunkBatch, list[str]]:
    """Chunk and normalise texts joined by ``_SEPARATOR``, in Python.

    Returns:
        The batch, and the normalised text of each text.
    """
    chunks = _CHUNK_RE.findall(joined)
    normalized, letters = _chunk_forms(set(chunks), known)
    batch = _ChunkBatch(joined, lengths, chunks, normalized, letters=letters)
    # White space and chunks without tokens map to "" and are dropped, as in
    # ``MatchText``. Each separator is then between two spaces (" \x00 "), which are
    # cut off below. Forms are looked up by chunk number, because the numbers are
    # needed later anyway and an array lookup is cheaper than a second dict lookup.
    texts_by_kind = np.array(list(normalized.values()), dtype=object)
    parts = " ".join(filter(None, texts_by_kind[batch.kinds()].tolist())).split(_SEPARATOR)
    last = len(parts) - 1
    for position, part in enumerate(parts):
        if position:
            part = part[1:]
        if position < last:
            part = part[:-1]
        parts[position] = part
    return batch, parts


def _c_batch(
    joined: str, lengths: list[int], known: dict[str, str]
) -> tuple[_ChunkBatch, list[str]]:
    """Chunk and normalise texts joined by ``_SEPARATOR`` as ``_python_batch``, in C."""
    assert _chunks is not None
    distinct, kind_bytes, start_bytes = _chunks.scan(joined)
    normalized, letters = _chunk_forms(distinct, known)
    # ``scan`` numbers chunks in order of first occurrence, so they are renumbered in
    # the order of ``normalized`` (chunks of letters first) that ``_ChunkBatch`` expects.
    number = {chunk: index for index, chunk in enumerate(normalized)}
    renumber = np.fromiter(map(number.__getitem__, distinct), np.int64, len(distinct))
    kinds = renumber[np.frombuffer(kind_bytes, np.int64)]
    batch = _ChunkBatch(
        joined, lengths, None, normalized, letters=letters,
        kinds=kinds, starts=np.frombuffer(start_bytes, np.int64),
    )
    forms = list(normalized.values())
    parts = _chunks.join(kinds, forms, number[_SEPARATOR])
    return batch, parts


def original_spans(
    texts: list[MatchText], spans: list[list[tuple[int, int]]]
) -> list[list[tuple[int, int]]]:
    """Map spans of many normalised texts to their original texts at once.

    The result equals ``[text.original_spans(s) for text, s in zip(texts, spans)]``.
    Texts built together by ``match_texts`` share one search for all their spans.

    Args:
        texts: the texts the spans belong to.
        spans: for each text, ``[start, end)`` spans of its normalised text.

    Returns:
        For each text, the spans of its original text, in the order given.
    """
    results: list[list[tuple[int, int]]] = [[] for _ in texts]
    by_batch: dict[int, tuple[_ChunkBatch, list[int]]] = {}
    for index, (text, text_spans) in enumerate(zip(texts, spans, strict=True)):
        if not text_spans:
            continue
        if text._batch is None or not text.text:
            results[index] = text.original_spans(text_spans)
        else:
            by_batch.setdefault(id(text._batch), (text._batch, []))[1].append(index)
    for batch, indices in by_batch.values():
        counts = [len(spans[index]) for index in indices]
        flat = np.array(
            [span for index in indices for span in spans[index]], np.int64
        ).reshape(-1, 2)
        ordinals = np.repeat([texts[index]._ordinal for index in indices], counts)
        starts, ends = batch.map_spans(ordinals, flat[:, 0], flat[:, 1])
        pairs = list(zip(starts.tolist(), ends.tolist(), strict=True))
        position = 0
        for index, count in zip(indices, counts, strict=True):
            results[index] = pairs[position : position + count]
            position += count
    return results


def batch_tokens(texts: list[MatchText]) -> tuple[list[int], Tokens] | None:
    """Return the tokens of the texts that ``match_texts`` normalised together.

    Args:
        texts: the result of one ``match_texts`` call, in its order.

    Returns:
        The indices in ``texts`` of the texts normalised together, and their tokens,
        where text ``k`` of ``Tokens`` is ``texts[indices[k]]``. None when no two
        texts share a batch, or when they come from several calls.
    """
    batches = {id(text._batch): text._batch for text in texts if text._batch is not None}
    if len(batches) != 1:
        return None
    batch = next(iter(batches.values()))
    assert batch is not None
    indices = [index for index, text in enumerate(texts) if text._batch is batch]
    tokens = batch.tokens()
    if tokens.text_count != len(indices):
        return None  # some texts of the batch are missing from ``texts``
    return indices, tokens
