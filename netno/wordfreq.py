"""Count words, phrases and emoji in Indonesian comments, like NVivo's word frequency query.

The analysis has three named stages, as in scikit-learn's ``CountVectorizer``:

* scanning: one regular expression splits the lower-cased text into words, numbers,
  emoji and sentence punctuation; URLs, e-mail addresses and @mentions are skipped;
* analysing: each distinct surface word is turned once into its counted term(s)
  (grouping, stop words, minimum length) and the result is cached for the query;
* counting: ``collections.Counter`` over the cached terms.

Known weaknesses: the slang table maps some words to several words ("gabisa" gives
"tidak bisa"), and both pieces then list "gabisa" among their variants. Stop words
are compared with the normalised word before stemming, so adding "mohon" does not
remove "permohonan". Stemming uses PySastrawi, which over-stems some words; the
list in ``netno/lexicon/stem_exceptions.tsv`` corrects the known ones.
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import math
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from netno.normalize import normalize_word, tokenize
from netno.numbers import format_columns, format_number
from netno.oserrors import describe_os_error
from netno.privacy import neutralize_formula

__all__ = [
    "GROUPINGS",
    "PHRASE_RANKINGS",
    "MAX_TOP",
    "WordFrequencyError",
    "WordQuery",
    "WordFrequencyResult",
    "base_stop_words",
    "stop_words",
    "keep_words",
    "stem_word",
    "parse_word_list",
    "parse_stem_exceptions",
    "word_frequency",
    "keyword_in_context",
    "available_months",
    "split_periods",
    "compare_periods",
    "table_to_csv_bytes",
    "table_to_xlsx_bytes",
    "GROUPING_LABELS",
    "NGRAM_LABELS",
    "RANK_LABELS",
    "terms_for_export",
    "terms_for_display",
    "emoji_for_display",
    "comparison_for_display",
    "query_for_export",
]

_LOGGER = logging.getLogger(__name__)

GROUPINGS = ("exact", "variants", "stem")
PHRASE_RANKINGS = ("count", "pmi", "log_likelihood")
MAX_TOP = 1000
TERM_COLUMNS = ("term", "count", "weighted_percentage", "comments", "variants")

# Indonesian names of the query's choices, for the dashboard and its downloads.
GROUPING_LABELS = {
    "exact": "Persis (tanpa penggabungan)",
    "variants": "Ejaan dan slang digabung",
    "stem": "Kata dasar (PySastrawi)",
}
NGRAM_LABELS = {1: "Kata", 2: "Frasa 2 kata", 3: "Frasa 3 kata"}
RANK_LABELS = {
    "count": "Frekuensi",
    "log_likelihood": "Kekuatan asosiasi (log-likelihood)",
    "pmi": "Kekuatan asosiasi (PMI)",
}
TERM_HEADERS = {
    "term": "Istilah",
    "count": "Jumlah",
    "weighted_percentage": "Persentase tertimbang (%)",
    "comments": "Komentar",
    "variants": "Varian yang digabung",
    "pmi": "PMI",
    "log_likelihood": "Log-likelihood",
}
_TERM_DECIMALS = {"Jumlah": 0, "Persentase tertimbang (%)": 2, "Komentar": 0, "PMI": 2,
                  "Log-likelihood": 1}
CODE_COLUMNS = ("categories", "themes", "stages", "steps", "intent")

# One pass finds every token that matters: URLs, e-mail addresses and @mentions come
# first so that their pieces never count as words; numbers, emoji and sentence
# punctuation are kept only because they end a phrase. The word and emoji rules
# follow ``netno.normalize.tokenize`` so that counts and keyword-in-context agree.
_EMOJI_CHAR = (
    r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2190-\u21FF\u2300-\u23FF"
    r"\u3030\u303D\u3297\u3299\u00A9\u00AE\u203C\u2049\u2122\u2139]"
)
_EMOJI_MODIFIERS = r"(?:\uFE0F|[\U0001F3FB-\U0001F3FF])*"
# Leftovers of personal-data masking (``netno.privacy``) and web addresses, matched
# whole so that their pieces ("bx", "com", "id", "co" read as slang for "cowok")
# never count as words: runs with two or more "*" (``b***@g***.co.id``), digits or
# letters hidden by x (``08xx-xxxx-7890``, ``xxxxxxxxxxxx1234``, ``abxxxx567``,
# ``xxxx``), placeholders such as ``[email]``, and domain names with a common ending.
# NOTE: a typo such as "bagus.com" without a space is read as a domain and skipped.
_MASKED = (
    r"[\w.+-]*\*{2,}[\w.*@+-]*"
    r"|(?<![^\W\d_])[a-z\d]{0,3}x{2,}[x\d-]*\d(?!\w)"
    r"|(?<!\w)x{3,}(?!\w)"
    r"|\[[a-z_]+\]"
    r"|(?:[a-z\d-]+\.)+(?:com|net|org|info|io|id|co|go|ac|or|sch|my|sg)(?![\w.])"
)
_MASKED_RE = re.compile(_MASKED)
_SCAN_RE = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|" + _MASKED + r""
    r"|@[\w.]+"
    r"|[^\W\d_]+(?:['’][^\W\d_]+)?(?:2(?!\d))?"
    r"|\d+(?:[.,:]\d+)*"
    r"|" + _EMOJI_CHAR + _EMOJI_MODIFIERS
    + r"(?:\u200D" + _EMOJI_CHAR + _EMOJI_MODIFIERS + r")*"
    r"|[?!.,;]"
)
_EMOJI_START_RE = re.compile(_EMOJI_CHAR)


class WordFrequencyError(ValueError):
    """A word frequency request or lexicon file is invalid. The message explains the fix."""


@dataclass(frozen=True)
class WordQuery:
    """Parameters of one word frequency query, saved with its result so a chart can be redone.

    ``stop_added`` and ``stop_removed`` are the user's edits to the built-in stop list;
    ``phrase_rank`` and ``min_phrase_count`` only apply when ``ngram`` is 2 or 3.
    """

    top: int = 100
    min_length: int = 3
    grouping: str = "variants"
    ngram: int = 1
    stop_added: tuple[str, ...] = ()
    stop_removed: tuple[str, ...] = ()
    use_stop_words: bool = True
    phrase_rank: str = "count"
    min_phrase_count: int = 3

    def __post_init__(self) -> None:
        if not isinstance(self.top, int) or not 1 <= self.top <= MAX_TOP:
            raise WordFrequencyError(
                f"Jumlah kata teratas {self.top!r} tidak valid: isi angka 1 sampai {MAX_TOP}."
            )
        if not isinstance(self.min_length, int) or not 1 <= self.min_length <= 50:
            raise WordFrequencyError(
                f"Panjang kata minimum {self.min_length!r} tidak valid: isi angka 1 sampai 50."
            )
        if self.grouping not in GROUPINGS:
            raise WordFrequencyError(
                f"Pengelompokan {self.grouping!r} tidak dikenal: pilih salah satu dari "
                f"{', '.join(GROUPINGS)}."
            )
        if self.ngram not in (1, 2, 3):
            raise WordFrequencyError(
                f"Ukuran frasa {self.ngram!r} tidak valid: pilih 1 (kata), 2 atau 3 kata."
            )
        if self.phrase_rank not in PHRASE_RANKINGS:
            raise WordFrequencyError(
                f"Urutan frasa {self.phrase_rank!r} tidak dikenal: pilih salah satu dari "
                f"{', '.join(PHRASE_RANKINGS)}."
            )
        if not isinstance(self.min_phrase_count, int) or self.min_phrase_count < 1:
            raise WordFrequencyError(
                f"Frekuensi frasa minimum {self.min_phrase_count!r} tidak valid: "
                "isi angka 1 atau lebih."
            )
        # Edits are stored normalised so that equal queries compare and hash equal.
        object.__setattr__(self, "stop_added", _clean_edits(self.stop_added))
        object.__setattr__(self, "stop_removed", _clean_edits(self.stop_removed))

    def to_dict(self) -> dict[str, Any]:
        """Return the query as a JSON-serialisable dict (tuples become lists)."""
        values = asdict(self)
        values["stop_added"] = list(self.stop_added)
        values["stop_removed"] = list(self.stop_removed)
        return values

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> WordQuery:
        """Rebuild a query saved with ``to_dict``; unknown keys raise ``WordFrequencyError``."""
        known = {name for name in cls.__dataclass_fields__}
        unknown = sorted(set(values) - known)
        if unknown:
            raise WordFrequencyError(
                f"Parameter kueri tidak dikenal: {', '.join(unknown)}. "
                f"Parameter yang dikenal: {', '.join(sorted(known))}."
            )
        arguments = dict(values)
        for key in ("stop_added", "stop_removed"):
            if key in arguments:
                arguments[key] = tuple(arguments[key])
        return cls(**arguments)


@dataclass(frozen=True)
class WordFrequencyResult:
    """The ranked terms, the emoji table and the totals of one query over a set of comments.

    ``terms`` has the columns ``term``, ``count``, ``weighted_percentage`` (share of all
    counted words or phrases, in percent), ``comments`` (comments containing the term)
    and ``variants`` (surface forms merged into the term, most frequent first); phrase
    queries add ``pmi`` and ``log_likelihood``. ``emoji`` has ``emoji``, ``name``,
    ``count`` and ``comments``.
    """

    query: WordQuery
    terms: pd.DataFrame
    emoji: pd.DataFrame
    total_counted: int
    total_comments: int
    stop_words: frozenset[str] = field(repr=False, default=frozenset())


def _clean_edits(words: Iterable[str]) -> tuple[str, ...]:
    if isinstance(words, str):
        words = [words]
    cleaned = set()
    for word in words:
        text = str(word).strip().lower()
        if not text:
            continue
        if any(character.isspace() for character in text):
            raise WordFrequencyError(
                f"Kata henti {text!r} berisi spasi: masukkan satu kata per baris."
            )
        cleaned.add(text)
    return tuple(sorted(cleaned))


# --- Lexicon files -----------------------------------------------------------------


def _lexicon_text(name: str) -> str:
    return resources.files("netno.lexicon").joinpath(name).read_text(encoding="utf-8")


def _content_lines(text: str) -> list[tuple[int, str]]:
    lines = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            lines.append((line_number, stripped))
    return lines


def parse_word_list(text: str, *, name: str = "daftar kata") -> frozenset[str]:
    """Parse a one-word-per-line list (``#`` starts a comment line) into lower-case words.

    Raises ``WordFrequencyError`` naming the line when a line contains more than one word.
    """
    words = set()
    for line_number, line in _content_lines(text):
        if any(character.isspace() for character in line):
            raise WordFrequencyError(
                f"{name} baris {line_number}: {line!r} berisi spasi; tulis satu kata per baris."
            )
        words.add(line.lower())
    return frozenset(words)


def parse_stem_exceptions(text: str, *, name: str = "pengecualian kata dasar") -> dict[str, str]:
    """Parse ``word<TAB>stem`` lines into a dict.

    Raises ``WordFrequencyError`` naming the line when it is not exactly two fields.
    """
    exceptions: dict[str, str] = {}
    for line_number, line in _content_lines(text):
        parts = [part.strip() for part in line.split("\t")]
        if len(parts) != 2 or not all(parts):
            raise WordFrequencyError(
                f"{name} baris {line_number}: {line!r} tidak berbentuk 'kata<TAB>kata dasar'."
            )
        exceptions[parts[0].lower()] = parts[1].lower()
    return exceptions


@lru_cache(maxsize=1)
def _stem_exceptions() -> dict[str, str]:
    name = "stem_exceptions.tsv"
    return parse_stem_exceptions(_lexicon_text(name), name=name)


@lru_cache(maxsize=1)
def keep_words() -> frozenset[str]:
    """Return the words never treated as stop words by default (negations, complaint verbs)."""
    return parse_word_list(_lexicon_text("stopwords_keep.txt"), name="stopwords_keep.txt")


@lru_cache(maxsize=1)
def base_stop_words() -> frozenset[str]:
    """Return the built-in stop list: stopwordsiso and PySastrawi for Indonesian, plus the domain.

    Words in ``stopwords_keep.txt`` are removed from the union.
    """
    import stopwordsiso
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    general = set(stopwordsiso.stopwords("id"))
    general.update(StopWordRemoverFactory().get_stop_words())
    domain = parse_word_list(
        _lexicon_text("stopwords_domain.txt"), name="stopwords_domain.txt"
    )
    return frozenset((general | domain) - keep_words())


def stop_words(*, added: Iterable[str] = (), removed: Iterable[str] = ()) -> frozenset[str]:
    """Return the built-in stop list with the user's additions and removals applied.

    Raises ``WordFrequencyError`` when an edit contains more than one word.
    """
    return frozenset((base_stop_words() | set(_clean_edits(added))) - set(_clean_edits(removed)))


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=100_000)
def stem_word(word: str) -> str:
    """Return the stem of one normalised word, using the exception list before PySastrawi."""
    lowered = word.lower()
    exceptions = _stem_exceptions()
    if lowered in exceptions:
        return exceptions[lowered]
    stem = _stemmer().stem(lowered)
    # PySastrawi returns "" for words made only of characters it strips.
    return stem or lowered


# --- Analysing ---------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def _variant_forms(surface: str) -> tuple[str, ...]:
    """Return the standard word(s) of one surface word.

    ``normalize_word`` is applied a second time to each piece because some slang
    entries map to another slang word ("ngk" gives "enggak", itself a variant of
    "tidak").
    """
    first = normalize_word(surface).split()
    forms: list[str] = []
    for piece in first:
        if piece != surface:
            forms.extend(normalize_word(piece).split())
        else:
            forms.append(piece)
    return tuple(forms)


# A surface token is one of: skipped (URL, e-mail, mention), a break (number,
# punctuation), an emoji, or a word giving one or more units.
_SKIP = ("skip",)
_BREAK = ("break",)


@dataclass(frozen=True, slots=True)
class _Unit:
    term: str  # the grouped form that is counted
    standard: str  # the normalised form the stop list is compared with
    countable: bool  # passes the stop list and the minimum length


class _Analyzer:
    """Turn surface tokens into counted units for one query, caching per surface form."""

    def __init__(self, query: WordQuery) -> None:
        self.query = query
        if query.use_stop_words:
            self.stop_words = stop_words(added=query.stop_added, removed=query.stop_removed)
        else:
            self.stop_words = frozenset(_clean_edits(query.stop_added))
        self._cache: dict[str, Any] = {}

    def analyse(self, surface: str) -> Any:
        """Return ``_SKIP``, ``_BREAK``, ``("emoji", key)`` or a tuple of ``_Unit``."""
        cached = self._cache.get(surface)
        if cached is None:
            cached = self._analyse(surface)
            self._cache[surface] = cached
        return cached

    def _analyse(self, surface: str) -> Any:
        first = surface[0]
        if "@" in surface or "/" in surface or surface.startswith("www."):
            return _SKIP
        if _MASKED_RE.fullmatch(surface):
            # A masked number or address ends a phrase, as the number itself would.
            return _BREAK
        if first.isdigit() or first in "?!.,;":
            return _BREAK
        if _EMOJI_START_RE.match(first):
            return ("emoji", surface.replace("\ufe0f", ""))

        word = surface[:-1] if surface.endswith("2") else surface
        word = word.replace("’", "'")
        grouping = self.query.grouping
        standards = _variant_forms(word) if word else ()
        if grouping == "exact":
            pairs = [(word, standard) for standard in standards[:1]]
            if len(standards) > 1:
                # A multi-word standard form is a stop word only if all its words are.
                stopped = all(standard in self.stop_words for standard in standards)
                pairs = [(word, "" if stopped else word)]
        elif grouping == "variants":
            pairs = [(standard, standard) for standard in standards]
        else:
            pairs = [(stem_word(standard), standard) for standard in standards]

        units = []
        for term, standard in pairs:
            countable = (
                bool(standard)
                and standard not in self.stop_words
                and term not in self.query.stop_added
                and len(term) >= self.query.min_length
            )
            units.append(_Unit(term, standard, countable))
        # A word the normaliser drops entirely (such as a bare "nya") counts as nothing.
        return tuple(units) if units else _SKIP


def _scan(text: str) -> list[str]:
    return _SCAN_RE.findall(text.lower())


def _as_texts(comments: Iterable[str] | pd.Series | pd.DataFrame) -> list[str]:
    if isinstance(comments, pd.DataFrame):
        if "text" not in comments.columns:
            raise WordFrequencyError(
                "Tabel komentar tidak memiliki kolom 'text': sertakan kolom teks komentar."
            )
        comments = comments["text"]
    return ["" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
            for text in comments]


# --- Counting ----------------------------------------------------------------------


def word_frequency(
    comments: Iterable[str] | pd.Series | pd.DataFrame,
    query: WordQuery | None = None,
) -> WordFrequencyResult:
    """Count the terms (words or phrases) and emoji of ``comments`` under ``query``.

    ``comments`` is an iterable of texts, a Series, or a frame with a ``text`` column.
    Returns the top ``query.top`` terms ranked by count (phrases: by ``phrase_rank``).
    Raises ``WordFrequencyError`` for a frame without ``text``.
    """
    query = query or WordQuery()
    texts = _as_texts(comments)
    started = time.perf_counter()

    analyzer = _Analyzer(query)
    if query.ngram == 1:
        counts, comment_counts, surfaces, emoji_counts, emoji_comments = _count_words(
            texts, analyzer
        )
        extra: dict[str, dict[str, float]] = {}
        total = sum(counts.values())
    else:
        counts, comment_counts, surfaces, emoji_counts, emoji_comments, extra, total = (
            _count_phrases(texts, analyzer)
        )

    terms = _term_table(counts, comment_counts, surfaces, total, query, extra)
    emoji_table = _emoji_table(emoji_counts, emoji_comments)
    _LOGGER.info(
        "word frequency: %d comments, %d counted, %d distinct terms, %.2f s",
        len(texts), total, len(counts), time.perf_counter() - started,
    )
    return WordFrequencyResult(
        query=query,
        terms=terms,
        emoji=emoji_table,
        total_counted=total,
        total_comments=len(texts),
        stop_words=analyzer.stop_words,
    )


def _count_words(texts: Sequence[str], analyzer: _Analyzer) -> tuple[Any, ...]:
    """Count unigrams per whitespace chunk first (in C), then fold chunks into terms once.

    Every token lies inside one whitespace-separated chunk, so a chunk's terms can be
    cached: the regular expression then runs once per distinct chunk, not per word.
    """
    chunk_counts: Counter[str] = Counter()
    comment_counts: Counter[str] = Counter()
    keys_of: dict[str, tuple[tuple[str, str], ...]] = {}

    for text in texts:
        chunks = text.lower().split()
        chunk_counts.update(chunks)
        present: set[str] = set()
        for chunk in set(chunks):
            pairs = keys_of.get(chunk)
            if pairs is None:
                pairs = _chunk_keys(chunk, analyzer)
                keys_of[chunk] = pairs
            for key, _ in pairs:
                present.add(key)
        comment_counts.update(present)

    counts: Counter[str] = Counter()
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    for chunk, number in chunk_counts.items():
        for key, surface in keys_of[chunk]:
            counts[key] += number
            surfaces[key][surface] += number
    return _split_emoji(counts, comment_counts, surfaces)


def _chunk_keys(chunk: str, analyzer: _Analyzer) -> tuple[tuple[str, str], ...]:
    """Return (counter key, surface form) for each counted token of one lower-cased chunk."""
    pairs: list[tuple[str, str]] = []
    for surface in _SCAN_RE.findall(chunk):
        pairs.extend((key, surface) for key in _counted_keys(analyzer.analyse(surface)))
    return tuple(pairs)


def _counted_keys(analysed: Any) -> tuple[str, ...]:
    """Return the counter keys of one analysed token; emoji keys start with a NUL marker."""
    if analysed is _SKIP or analysed is _BREAK:
        return ()
    if analysed[0] == "emoji":
        return ("\0" + analysed[1],)
    return tuple(unit.term for unit in analysed if unit.countable)


def _split_emoji(
    counts: Counter[str],
    comment_counts: Counter[str],
    surfaces: Mapping[str, Counter[str]],
) -> tuple[Any, ...]:
    emoji_counts: Counter[str] = Counter()
    emoji_comments: Counter[str] = Counter()
    for key in [key for key in counts if key.startswith("\0")]:
        emoji_counts[key[1:]] = counts.pop(key)
        emoji_comments[key[1:]] = comment_counts.pop(key, 0)
    word_comments = Counter({key: value for key, value in comment_counts.items()
                             if not key.startswith("\0")})
    return counts, word_comments, surfaces, emoji_counts, emoji_comments


def _count_phrases(texts: Sequence[str], analyzer: _Analyzer) -> tuple[Any, ...]:
    """Count n-grams of 2 or 3 units that do not cross punctuation, numbers or emoji.

    Stop words may sit inside a phrase but not at its edges. Every unit (stop words
    included) feeds the unigram and bigram marginals used by the association scores.
    """
    size = analyzer.query.ngram
    phrase_counts: Counter[tuple[str, ...]] = Counter()
    comment_counts: Counter[tuple[str, ...]] = Counter()
    surfaces: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    unit_counts: Counter[str] = Counter()
    pair_counts: Counter[tuple[str, str]] = Counter()
    emoji_counts: Counter[str] = Counter()
    emoji_comments: Counter[str] = Counter()

    for text in texts:
        present: set[tuple[str, ...]] = set()
        emoji_present: set[str] = set()
        for segment in _segments(_scan(text), analyzer, emoji_counts, emoji_present):
            terms = [unit.term for unit, _, _ in segment]
            unit_counts.update(terms)
            pair_counts.update(zip(terms, terms[1:], strict=False))
            for start in range(len(segment) - size + 1):
                window = segment[start:start + size]
                if not (window[0][0].countable and window[-1][0].countable):
                    continue
                key = tuple(unit.term for unit, _, _ in window)
                phrase_counts[key] += 1
                present.add(key)
                surfaces[key][_join_surfaces(window)] += 1
        comment_counts.update(present)
        emoji_comments.update(emoji_present)

    kept = Counter({key: value for key, value in phrase_counts.items()
                    if value >= analyzer.query.min_phrase_count})
    scores = _association(kept, unit_counts, pair_counts)
    counts = Counter({" ".join(key): value for key, value in kept.items()})
    joined_comments = Counter({" ".join(key): comment_counts[key] for key in kept})
    joined_surfaces = {" ".join(key): surfaces[key] for key in kept}
    # The percentage base is every phrase counted, also those below the minimum count.
    total = sum(phrase_counts.values())
    return counts, joined_comments, joined_surfaces, emoji_counts, emoji_comments, scores, total


def _segments(
    tokens: Sequence[str],
    analyzer: _Analyzer,
    emoji_counts: Counter[str],
    emoji_present: set[str],
) -> list[list[tuple[_Unit, str, int]]]:
    """Split one comment into runs of (unit, surface word, token position) between breaks."""
    segments: list[list[tuple[_Unit, str, int]]] = []
    current: list[tuple[_Unit, str, int]] = []
    for position, surface in enumerate(tokens):
        analysed = analyzer.analyse(surface)
        if analysed is _SKIP:
            continue
        if analysed is _BREAK or analysed[0] == "emoji":
            if analysed is not _BREAK:
                emoji_counts[analysed[1]] += 1
                emoji_present.add(analysed[1])
            if current:
                segments.append(current)
                current = []
            continue
        current.extend((unit, surface, position) for unit in analysed if unit.standard)
    if current:
        segments.append(current)
    return segments


def _join_surfaces(window: Sequence[tuple[_Unit, str, int]]) -> str:
    # A surface word that gave several units ("gabisa") is written once, but a word
    # the comment repeats ("bisa bisa") is written twice.
    words: list[str] = []
    last_position = -1
    for _, surface, position in window:
        if position != last_position:
            words.append(surface)
            last_position = position
    return " ".join(words)


def _association(
    phrases: Mapping[tuple[str, ...], int],
    unit_counts: Mapping[str, int],
    pair_counts: Mapping[tuple[str, str], int],
) -> dict[str, dict[str, float]]:
    """Score each phrase by PMI and Dunning's log-likelihood (G²).

    A trigram is scored on its weaker join: G² is the smaller of the splits
    (first | last two) and (first two | last).
    """
    total_units = sum(unit_counts.values()) or 1
    total_pairs = sum(pair_counts.values()) or 1
    scores: dict[str, dict[str, float]] = {}
    for key, count in phrases.items():
        probability = count / (total_pairs if len(key) == 2 else total_units)
        independent = math.prod(unit_counts[word] / total_units for word in key)
        pmi = math.log2(probability / independent) if independent else 0.0
        if len(key) == 2:
            g2 = _log_likelihood(count, unit_counts[key[0]], unit_counts[key[1]], total_units)
        else:
            left = _log_likelihood(
                count, unit_counts[key[0]], pair_counts[(key[1], key[2])], total_units
            )
            right = _log_likelihood(
                count, pair_counts[(key[0], key[1])], unit_counts[key[2]], total_units
            )
            g2 = min(left, right)
        scores[" ".join(key)] = {"pmi": round(pmi, 3), "log_likelihood": round(g2, 3)}
    return scores


def _log_likelihood(joint: int, left: int, right: int, total: int) -> float:
    """Return Dunning's G² of a 2×2 table built from a joint count and its two marginals."""
    cells = (
        joint,
        max(left - joint, 0),
        max(right - joint, 0),
        max(total - left - right + joint, 0),
    )
    rows = (cells[0] + cells[1], cells[2] + cells[3])
    columns = (cells[0] + cells[2], cells[1] + cells[3])
    grand = sum(cells) or 1
    g2 = 0.0
    for index, observed in enumerate(cells):
        expected = rows[index // 2] * columns[index % 2] / grand
        if observed and expected:
            g2 += observed * math.log(observed / expected)
    return 2.0 * g2


def _term_table(
    counts: Counter[str],
    comment_counts: Mapping[str, int],
    surfaces: Mapping[str, Counter[str]],
    total: int,
    query: WordQuery,
    extra: Mapping[str, Mapping[str, float]],
) -> pd.DataFrame:
    if query.ngram > 1 and query.phrase_rank != "count":
        order = sorted(counts, key=lambda term: (-extra[term][query.phrase_rank],
                                                 -counts[term], term))
    else:
        order = sorted(counts, key=lambda term: (-counts[term], term))
    rows = []
    for term in order[: query.top]:
        variants = sorted(surfaces[term].items(), key=lambda item: (-item[1], item[0]))
        row: dict[str, Any] = {
            "term": term,
            "count": counts[term],
            "weighted_percentage": round(100.0 * counts[term] / total, 3) if total else 0.0,
            "comments": comment_counts.get(term, 0),
            "variants": [surface for surface, _ in variants],
        }
        if query.ngram > 1:
            row.update(extra[term])
        rows.append(row)
    columns = list(TERM_COLUMNS) + (["pmi", "log_likelihood"] if query.ngram > 1 else [])
    table = pd.DataFrame(rows, columns=columns)
    return table.astype({"count": "int64", "comments": "int64"})


def _emoji_table(counts: Counter[str], comment_counts: Mapping[str, int]) -> pd.DataFrame:
    import emoji as emoji_package

    rows = []
    for symbol, number in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        name = emoji_package.demojize(symbol, language="id", delimiters=("", "")).strip()
        rows.append({
            "emoji": symbol,
            "name": name.replace("_", " ") if name != symbol else "",
            "count": number,
            "comments": comment_counts.get(symbol, 0),
        })
    return pd.DataFrame(rows, columns=["emoji", "name", "count", "comments"])


# --- Keyword in context ------------------------------------------------------------


def keyword_in_context(
    frame: pd.DataFrame,
    term: str,
    query: WordQuery | None = None,
    *,
    window: int = 5,
    limit: int | None = None,
) -> pd.DataFrame:
    """List every occurrence of ``term`` with ``window`` tokens of original text each side.

    ``term`` is a word or phrase as shown in the result table of the same ``query``
    (so "tidak bisa" also finds "gak bisa" under the ``variants`` grouping). ``frame``
    needs ``text`` and may carry ``comment_id`` and the code columns. Returns one row
    per occurrence with ``comment_id``, ``left``, ``match``, ``right``, ``start``,
    ``end`` (the span of ``match`` in the comment) and the comment's code columns.
    Raises ``WordFrequencyError`` for an empty term or a frame without ``text``.
    """
    query = query or WordQuery()
    target = tuple(term.strip().lower().split())
    if not target:
        raise WordFrequencyError("Kata yang dicari kosong: pilih atau ketik satu kata atau frasa.")
    if window < 0:
        raise WordFrequencyError(f"Lebar konteks {window} tidak valid: isi angka 0 atau lebih.")
    texts = _as_texts(frame)

    ids = frame["comment_id"].tolist() if "comment_id" in frame.columns else list(range(len(texts)))
    code_columns = [column for column in CODE_COLUMNS if column in frame.columns]
    codes = {column: frame[column].tolist() for column in code_columns}
    analyzer = _Analyzer(query)
    chunk_terms: dict[str, frozenset[str]] = {}
    rows: list[dict[str, Any]] = []
    for index, text in enumerate(texts):
        # The full tokenizer is slow, so it only runs on comments that contain every
        # word of the target somewhere.
        if not _may_contain(text, target, analyzer, chunk_terms):
            continue
        for start, end, left, right in _occurrences(text, target, analyzer, window):
            row: dict[str, Any] = {
                "comment_id": ids[index],
                "left": left,
                "match": text[start:end],
                "right": right,
                "start": start,
                "end": end,
            }
            row.update({column: codes[column][index] for column in code_columns})
            rows.append(row)
            if limit is not None and len(rows) >= limit:
                return pd.DataFrame(rows)
    columns = ["comment_id", "left", "match", "right", "start", "end", *code_columns]
    return pd.DataFrame(rows, columns=columns)


def _may_contain(
    text: str,
    target: tuple[str, ...],
    analyzer: _Analyzer,
    chunk_terms: dict[str, frozenset[str]],
) -> bool:
    found: set[str] = set()
    for chunk in text.lower().split():
        terms = chunk_terms.get(chunk)
        if terms is None:
            terms = frozenset(
                term for surface in _SCAN_RE.findall(chunk)
                for term in _unit_terms(analyzer.analyse(surface))
            )
            chunk_terms[chunk] = terms
        found.update(terms)
    return all(term in found for term in target)


def _unit_terms(analysed: Any) -> tuple[str, ...]:
    """Return the terms of every unit of one analysed word, stop words included."""
    if analysed is _SKIP or analysed is _BREAK or analysed[0] == "emoji":
        return ()
    return tuple(unit.term for unit in analysed if unit.standard)


def _occurrences(
    text: str, target: tuple[str, ...], analyzer: _Analyzer, window: int
) -> list[tuple[int, int, str, str]]:
    """Find ``target`` in ``text`` and return (start, end, left context, right context)."""
    tokens = tokenize(text)
    # One entry per unit: (term, token index); a surface word may give several units.
    units: list[tuple[str, int]] = []
    for index, token in enumerate(tokens):
        if token.kind != "word":
            units.append(("\0", index))
            continue
        analysed = analyzer.analyse(text[token.start:token.end].lower())
        units.extend((term, index) for term in _unit_terms(analysed))

    found = []
    size = len(target)
    position = 0
    while position + size <= len(units):
        if tuple(term for term, _ in units[position:position + size]) != target:
            position += 1
            continue
        first = units[position][1]
        last = units[position + size - 1][1]
        start, end = tokens[first].start, tokens[last].end
        left_start = tokens[max(first - window, 0)].start if window else start
        right_end = tokens[min(last + window, len(tokens) - 1)].end if window else end
        found.append((start, end, text[left_start:start].strip(), text[end:right_end].strip()))
        position += size
    return found


# --- Period comparison -------------------------------------------------------------


def split_periods(
    frame: pd.DataFrame,
    period_a: tuple[str, str],
    period_b: tuple[str, str],
    *,
    month_column: str = "month",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split ``frame`` into two frames by inclusive ``(first, last)`` month ranges (YYYY-MM).

    Raises ``WordFrequencyError`` when the month column is missing or a month is malformed.
    """
    if month_column not in frame.columns:
        raise WordFrequencyError(
            f"Kolom bulan {month_column!r} tidak ada: data perlu kolom bulan (YYYY-MM)."
        )
    for period in (period_a, period_b):
        for month in period:
            if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", str(month)):
                raise WordFrequencyError(
                    f"Bulan {month!r} tidak valid: tulis dalam bentuk YYYY-MM, misalnya 2023-01."
                )
        if period[0] > period[1]:
            raise WordFrequencyError(
                f"Periode {period[0]} sampai {period[1]} terbalik: bulan awal harus sebelum "
                "bulan akhir."
            )
    months = frame[month_column].astype("string")
    in_a = months.between(period_a[0], period_a[1])
    in_b = months.between(period_b[0], period_b[1])
    return frame[in_a.fillna(False)], frame[in_b.fillna(False)]


def available_months(frame: pd.DataFrame, *, month_column: str = "month") -> list[str]:
    """Return the distinct months (YYYY-MM) of ``frame`` in order, or [] without the column."""
    if month_column not in frame.columns:
        return []
    return sorted(str(month) for month in frame[month_column].dropna().unique())


def compare_periods(
    comments_a: Iterable[str] | pd.Series | pd.DataFrame,
    comments_b: Iterable[str] | pd.Series | pd.DataFrame,
    query: WordQuery | None = None,
    *,
    min_count: int = 5,
) -> pd.DataFrame:
    """Compare the terms of two periods; sorted from the sharpest rise to the sharpest fall.

    Columns: ``term``, ``count_a``, ``count_b``, ``comments_a``, ``comments_b``,
    ``rate_a`` and ``rate_b`` (occurrences per 100 comments of the period), and
    ``change`` (``rate_b - rate_a``). Only terms counted at least ``min_count`` times
    over both periods are kept. Raises ``WordFrequencyError`` for an empty period.
    """
    query = query or WordQuery()
    if min_count < 1:
        raise WordFrequencyError(f"Frekuensi minimum {min_count} tidak valid: isi 1 atau lebih.")
    texts_a, texts_b = _as_texts(comments_a), _as_texts(comments_b)
    for label, texts in (("pertama", texts_a), ("kedua", texts_b)):
        if not texts:
            raise WordFrequencyError(
                f"Periode {label} tidak berisi komentar: pilih rentang bulan yang berisi data."
            )

    # Every term is needed here, not only the top ones of each period.
    full = WordQuery(**{**query.to_dict(), "top": MAX_TOP,
                        "stop_added": query.stop_added, "stop_removed": query.stop_removed})
    result_a = _all_terms(texts_a, full)
    result_b = _all_terms(texts_b, full)
    terms = sorted(set(result_a) | set(result_b))
    rows = []
    for term in terms:
        count_a, comments_in_a = result_a.get(term, (0, 0))
        count_b, comments_in_b = result_b.get(term, (0, 0))
        if count_a + count_b < min_count:
            continue
        rate_a = 100.0 * count_a / len(texts_a)
        rate_b = 100.0 * count_b / len(texts_b)
        rows.append({
            "term": term,
            "count_a": count_a,
            "count_b": count_b,
            "comments_a": comments_in_a,
            "comments_b": comments_in_b,
            "rate_a": round(rate_a, 3),
            "rate_b": round(rate_b, 3),
            "change": round(rate_b - rate_a, 3),
        })
    columns = ["term", "count_a", "count_b", "comments_a", "comments_b",
               "rate_a", "rate_b", "change"]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["change", "term"], ascending=[False, True], ignore_index=True)


def _all_terms(texts: Sequence[str], query: WordQuery) -> dict[str, tuple[int, int]]:
    analyzer = _Analyzer(query)
    if query.ngram == 1:
        counts, comment_counts, *_ = _count_words(texts, analyzer)
    else:
        counts, comment_counts, *_ = _count_phrases(texts, analyzer)
    return {term: (count, comment_counts.get(term, 0)) for term, count in counts.items()}


# --- Export ------------------------------------------------------------------------


def _export_frame(table: pd.DataFrame) -> pd.DataFrame:
    """Join list cells with ", " and neutralise text that a spreadsheet would run as a formula."""
    exported = table.copy()
    for column in exported.columns:
        if exported[column].dtype == object or pd.api.types.is_string_dtype(exported[column]):
            exported[column] = exported[column].map(_export_cell)
    return exported


def _export_cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        value = ", ".join(str(item) for item in value)
    return neutralize_formula(value)


def table_to_csv_bytes(table: pd.DataFrame, *, regional: bool = False) -> bytes:
    """Return ``table`` as UTF-8 CSV with a BOM, so Excel reads emoji and accents correctly.

    ``regional`` writes ";" between fields and "," before decimals, which is what Excel
    expects under Indonesian regional settings; the default suits other programs.
    """
    buffer = io.StringIO()
    separator, decimal = (";", ",") if regional else (",", ".")
    _export_frame(table).to_csv(
        buffer, index=False, quoting=csv.QUOTE_MINIMAL, sep=separator, decimal=decimal
    )
    return buffer.getvalue().encode("utf-8-sig")


def table_to_xlsx_bytes(
    table: pd.DataFrame,
    *,
    query: WordQuery | None = None,
    parameters: pd.DataFrame | None = None,
    sheet_name: str = "frekuensi_kata",
) -> bytes:
    """Return ``table`` as an XLSX workbook with the query on a ``parameter`` sheet.

    ``parameters`` (such as :func:`query_for_export`) is written as that sheet as is;
    otherwise ``query``, if given, is written with its field names, as the command
    line does.
    """
    if parameters is None and query is not None:
        parameters = pd.DataFrame(
            [(key, ", ".join(value) if isinstance(value, list) else value)
             for key, value in query.to_dict().items()],
            columns=["parameter", "nilai"],
        )
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        _export_frame(table).to_excel(writer, sheet_name=sheet_name, index=False)
        if parameters is not None:
            _export_frame(parameters).to_excel(writer, sheet_name="parameter", index=False)
    return buffer.getvalue()


# --- Dashboard tables --------------------------------------------------------------


def terms_for_export(terms: pd.DataFrame) -> pd.DataFrame:
    """Return a term table (``WordFrequencyResult.terms``) with Indonesian headers.

    The numbers stay numbers so that a spreadsheet can sum and sort them. The command
    line keeps the English column names, which scripts rely on.
    """
    return terms.rename(columns=TERM_HEADERS)


def terms_for_display(terms: pd.DataFrame) -> pd.DataFrame:
    """Return a term table with Indonesian headers and Indonesian-formatted numbers."""
    return format_columns(terms_for_export(terms), _TERM_DECIMALS)


def emoji_for_display(emoji: pd.DataFrame) -> pd.DataFrame:
    """Return the emoji table (``WordFrequencyResult.emoji``) with Indonesian headers."""
    shown = emoji.rename(
        columns={"emoji": "Emoji", "name": "Nama", "count": "Jumlah", "comments": "Komentar"}
    )
    return format_columns(shown, {"Jumlah": 0, "Komentar": 0})


def comparison_for_display(
    comparison: pd.DataFrame, *, label_a: str = "A", label_b: str = "B"
) -> pd.DataFrame:
    """Return a ``compare_periods`` table with Indonesian headers and formatted numbers.

    ``label_a`` and ``label_b`` name the two periods in the headers.
    """
    headers = {
        "term": "Istilah",
        "count_a": f"Jumlah {label_a}",
        "count_b": f"Jumlah {label_b}",
        "comments_a": f"Komentar {label_a}",
        "comments_b": f"Komentar {label_b}",
        "rate_a": f"Per 100 komentar {label_a}",
        "rate_b": f"Per 100 komentar {label_b}",
        "change": "Perubahan per 100 komentar",
    }
    shown = comparison.rename(columns=headers)
    decimals = {headers[column]: 0 for column in ("count_a", "count_b", "comments_a",
                                                   "comments_b")}
    decimals.update({headers[column]: 2 for column in ("rate_a", "rate_b", "change")})
    shown = format_columns(shown, decimals)
    # A rise reads better with its sign: "+1,50".
    shown[headers["change"]] = [
        f"+{text}" if value > 0 else text
        for text, value in zip(shown[headers["change"]], comparison["change"], strict=True)
    ]
    return shown


def query_for_export(query: WordQuery) -> pd.DataFrame:
    """Return the query's parameters as ``Parameter``/``Nilai`` rows in Indonesian."""
    def words(values: tuple[str, ...]) -> str:
        return ", ".join(values) if values else "(tidak ada)"

    rows = [
        ("Jumlah istilah teratas", format_number(query.top)),
        ("Panjang kata minimum (huruf)", format_number(query.min_length)),
        ("Pengelompokan", GROUPING_LABELS[query.grouping]),
        ("Satuan", NGRAM_LABELS[query.ngram]),
        ("Pakai daftar kata henti", "ya" if query.use_stop_words else "tidak"),
        ("Kata henti tambahan", words(query.stop_added)),
        ("Kata yang dikeluarkan dari kata henti", words(query.stop_removed)),
    ]
    if query.ngram > 1:
        rows += [
            ("Urutkan frasa menurut", RANK_LABELS[query.phrase_rank]),
            ("Frekuensi frasa minimum", format_number(query.min_phrase_count)),
        ]
    return pd.DataFrame(rows, columns=["Parameter", "Nilai"])


# --- Command line ------------------------------------------------------------------

_OUTPUT_SUFFIXES = (".csv", ".xlsx", ".jsonl")


def _read_input(arguments: argparse.Namespace) -> pd.Series:
    """Read the comment texts of an export file with the same reader as ``classify``."""
    from netno.pipeline_cli import read_export

    result = read_export(
        Path(arguments.input), text_column=arguments.text_column, date_column=None
    )
    return result.comments["text"]


def _write_output(table: pd.DataFrame, path: str, query: WordQuery) -> None:
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        Path(path).write_bytes(table_to_csv_bytes(table))
    elif suffix == ".xlsx":
        Path(path).write_bytes(table_to_xlsx_bytes(table, query=query))
    else:
        table.to_json(path, orient="records", lines=True, force_ascii=False)


def _run_words(arguments: argparse.Namespace) -> int:
    from netno.cli import CommandError

    if Path(arguments.output).suffix.lower() not in _OUTPUT_SUFFIXES:
        raise CommandError(
            f"Berkas keluaran {arguments.output!r} tidak didukung: akhiri namanya dengan "
            ".csv, .xlsx atau .jsonl."
        )
    try:
        query = WordQuery(
            top=arguments.top,
            min_length=arguments.min_length,
            grouping=arguments.group,
            ngram=arguments.ngram,
            stop_added=tuple(arguments.stop_add or ()),
            stop_removed=tuple(arguments.stop_remove or ()),
        )
    except WordFrequencyError as error:
        raise CommandError(str(error)) from error

    from netno.pipeline_cli import check_output_path

    check_output_path(Path(arguments.input), Path(arguments.output))
    texts = _read_input(arguments)
    result = word_frequency(texts, query)
    table = result.terms[list(TERM_COLUMNS)]
    try:
        _write_output(table, arguments.output, query)
    except OSError as error:
        raise CommandError(
            f"Berkas keluaran {arguments.output!r} tidak dapat ditulis "
            f"({describe_os_error(error)}): periksa foldernya dan izin menulis."
        ) from error
    _LOGGER.info("wrote %d terms to %s", len(table), arguments.output)
    print(
        f"{len(table)} istilah dari {result.total_comments} komentar ditulis ke "
        f"{arguments.output}."
    )
    return 0


def register(subparsers: Any) -> None:
    """Add the ``words`` command to the netno command line."""
    parser = subparsers.add_parser(
        "words",
        help="hitung frekuensi kata dan frasa komentar",
        description="Hitung frekuensi kata atau frasa dalam komentar, seperti kueri "
        "frekuensi kata NVivo, dengan kata henti dan penggabungan ejaan bahasa Indonesia.",
    )
    parser.add_argument(
        "input", metavar="MASUKAN", help="file ekspor komentar (CSV, XLSX, JSON atau JSONL)"
    )
    parser.add_argument(
        "--text-column", help="nama kolom teks komentar, bila tidak terdeteksi otomatis"
    )
    parser.add_argument("-o", "--output", required=True, metavar="KELUARAN",
                        help="berkas hasil .csv, .xlsx atau .jsonl")
    parser.add_argument("--top", type=int, default=100,
                        help=f"jumlah istilah teratas (1-{MAX_TOP}, bawaan 100)")
    parser.add_argument("--min-length", type=int, default=3,
                        help="panjang kata minimum dalam huruf (bawaan 3)")
    parser.add_argument("--group", choices=GROUPINGS, default="variants",
                        help="pengelompokan: exact (persis), variants (ejaan dan slang "
                        "digabung, bawaan) atau stem (kata dasar)")
    parser.add_argument("--ngram", type=int, choices=(1, 2, 3), default=1,
                        help="jumlah kata per istilah: 1 kata, 2 atau 3 untuk frasa (bawaan 1)")
    parser.add_argument("--stop-add", action="append", metavar="KATA",
                        help="tambahkan kata henti (boleh diulang)")
    parser.add_argument("--stop-remove", action="append", metavar="KATA",
                        help="keluarkan kata dari daftar kata henti (boleh diulang)")
    parser.set_defaults(handler=_run_words)
