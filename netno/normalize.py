"""Normalise informal Indonesian comment text while keeping a map back to the original."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from typing import NamedTuple

from indoNLP.preprocessing import SLANG_DATA

__all__ = [
    "Token",
    "NormalizedText",
    "tokenize",
    "normalize",
    "normalize_with_map",
    "normalize_word",
    "MatchText",
    "match_texts",
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


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """Return the standard form of one word: lower case, no elongation, slang replaced.

    The result may hold several words ("otpnya" gives "otp") or be the word unchanged
    when nothing applies.
    """
    slang, vocabulary = _lexicon()
    # A superscript two marks reduplication as "2" does ("abal²" = "abal-abal").
    lowered = word.lower().replace("’", "'").rstrip("²³")
    if not lowered:
        return ""
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

    # "aplikasinya" -> "aplikasi", "membayarpun" -> "membayar": a clitic is dropped
    # only from a known base word.
    for suffix in ("nya", "ny", "pun", "lah"):
        if collapsed.endswith(suffix) and len(collapsed) - len(suffix) >= 3:
            base = collapsed[: -len(suffix)]
            if base in slang:
                return slang[base]
            if base in vocabulary:
                return base
    return collapsed


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
    for match in _PLAIN_TOKEN_RE.finditer(chunk):
        kind = match.lastgroup
        start, end = match.span()
        if kind == "word" or kind == "redup":
            normalized = normalize_word(match.group("word"))
            if normalized:
                pieces.append((normalized, start, end, "word"))
        else:
            pieces.append((match.group().lower(), start, end, kind or "punct"))
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
            tokens.append(Token(match.group().lower(), start, end, kind or "punct"))
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


class _ChunkBatch:
    """The chunks of texts normalised together, with offsets to map spans back to each text.

    ``chunks`` cover the joined texts (``_COVER_RE``, separators included) and
    ``normalized`` maps each distinct chunk to its normalised text. The offsets are
    computed once, on the first ``original_spans`` call of any text in the batch, so
    that texts share one pass over all chunks instead of splitting each text again.
    """

    __slots__ = ("chunks", "normalized", "_original_offsets", "_normal_offsets", "_firsts")

    def __init__(self, chunks: list[str], normalized: dict[str, str]) -> None:
        self.chunks = chunks
        self.normalized = normalized
        self._original_offsets: list[int] = []
        self._normal_offsets: list[int] = []
        self._firsts: list[int] = []

    def _prepare(self) -> None:
        chunks = self.chunks
        # Offsets in the joined original, and in the joined normalised text, where
        # each non-empty normalised chunk is followed by one space.
        self._original_offsets = list(accumulate(map(len, chunks), initial=0))
        steps = {
            chunk: len(text) + 1 if text else 0 for chunk, text in self.normalized.items()
        }
        self._normal_offsets = list(accumulate(map(steps.__getitem__, chunks), initial=0))
        # First chunk of each text. ``list.index`` jumps from separator to separator in
        # C, far faster than comparing every chunk in Python.
        firsts = [0]
        position = -1
        for _ in range(chunks.count(_SEPARATOR)):
            position = chunks.index(_SEPARATOR, position + 1)
            firsts.append(position + 1)
        firsts.append(len(chunks) + 1)
        self._firsts = firsts

    def original_spans(
        self, ordinal: int, spans: list[tuple[int, int]]
    ) -> list[tuple[int, int]]:
        """Map spans of the normalised text number ``ordinal`` as ``MatchText.original_spans``."""
        if not self._firsts:
            self._prepare()
        low = self._firsts[ordinal]
        high = self._firsts[ordinal + 1] - 1  # the separator after the text, or the end
        original_base = self._original_offsets[low]
        normal_base = self._normal_offsets[low]
        result = []
        for start, end in spans:
            first = self._token_at(normal_base + start, low, high)
            # The last token that starts before ``end``; an empty span keeps ``first``.
            last = self._token_at(normal_base + end - 1, low, high) if end > start else first
            last = max(last, first)
            result.append((first[2] - original_base, last[3] - original_base))
        return result

    def _token_at(self, position: int, low: int, high: int) -> tuple[int, int, int, int]:
        """Return the last token that starts at or before ``position`` of the joined text.

        The result is (chunk index, piece index, original start, original end) and
        sorts in text order.
        """
        offsets = self._normal_offsets
        # For a position inside the text, the last chunk that starts at or before it
        # has tokens, because a chunk without tokens starts where the next token starts.
        index = bisect.bisect_right(offsets, position, low, high) - 1
        pieces = _chunk_pieces(self.chunks[index])
        relative = position - offsets[index]
        piece_index = 0
        piece_start = len(pieces[0][0]) + 1
        while piece_index + 1 < len(pieces) and piece_start <= relative:
            piece_index += 1
            piece_start += len(pieces[piece_index][0]) + 1
        _text, begin, end, _kind = pieces[piece_index]
        origin = self._original_offsets[index]
        return (index, piece_index, origin + begin, origin + end)


# Separator of the texts joined for one chunking pass. It is neither a word character
# nor white space, so "[^\w\s]" takes it as a chunk of its own and no chunk spans two texts.
_SEPARATOR = "\x00"


def match_texts(texts: list[str]) -> list[MatchText]:
    """Build the ``MatchText`` of many texts at once.

    The result equals ``[MatchText(text) for text in texts]``. Texts without links are
    split into chunks in one pass over all of them, and each distinct chunk is
    normalised once, which saves a regex call and a list of chunks per text. The
    chunks are kept to map spans back to these texts in one shared pass as well.

    Args:
        texts: the comments as written.

    Returns:
        One ``MatchText`` per text, in order.
    """
    results: list[MatchText | None] = [None] * len(texts)
    plain_indices: list[int] = []
    for index, text in enumerate(texts):
        if _SEPARATOR in text or _LINK_HINT_RE.search(text):
            results[index] = MatchText(text)
        else:
            plain_indices.append(index)

    if plain_indices:
        plain = [texts[index] for index in plain_indices]
        chunks = _COVER_RE.findall(_SEPARATOR.join(plain))
        normalized = {
            chunk: " ".join([piece[0] for piece in _chunk_pieces(chunk)])
            for chunk in set(chunks)
        }
        normalized[_SEPARATOR] = _SEPARATOR
        batch = _ChunkBatch(chunks, normalized)
        # White space and chunks without tokens map to "" and are dropped, as in
        # ``MatchText``; the separators then stand between spaces (" \x00 "), which
        # are cut off below.
        parts = " ".join(filter(None, map(normalized.__getitem__, chunks))).split(_SEPARATOR)
        last = len(parts) - 1
        for position, (index, part) in enumerate(zip(plain_indices, parts, strict=True)):
            if position:
                part = part[1:]
            if position < last:
                part = part[:-1]
            results[index] = MatchText._in_batch(texts[index], part, batch, position)
    return results  # type: ignore[return-value]
