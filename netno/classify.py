"""Code comments with the codebook's rules: problem categories, journey steps and intent.

The rules run on the normalised text (``netno.normalize``) and every code carries the
span of the original text that decided it. A match is dropped when a negation sits
right before it ("tidak ada error"), when it is hypothetical ("takut nanti
kadaluwarsa"), or when a reassurance resolves it ("sekarang sudah lancar"). Such
codes, and codes found only by a weak cue, are listed as ``uncertain`` for a human
to check.

Known weaknesses: the rules read words, not grammar, so a problem stated far from
its topic ("OTP-nya ... sampai sekarang belum juga") or sarcasm ("keren banget,
loadingnya setahun") can be missed; the step of a problem is tagged only when the
comment names it.
"""

from __future__ import annotations

import bisect
import gc
import importlib
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, compress
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from netno.codebook import Codebook, default_codebook
from netno.normalize import (
    MatchText,
    Tokens,
    batch_tokens,
    load_extension,
    match_texts,
    original_spans,
)

__all__ = ["Evidence", "Coding", "Classifier"]

_LOGGER = logging.getLogger(__name__)

# The regular expression parser of CPython 3.11+ (private, but stable across 3.11-3.13);
# the gate reads literal words from parsed patterns. Imported by name because the
# stubs do not declare it.
_sre_parser: Any = importlib.import_module("re._parser")
_sre: Any = importlib.import_module("re._constants")

# Rows coded together. Progress is reported between blocks, and each block repeats
# some fixed work (array steps per group of patterns, sorting the words), so blocks
# are as large as progress allows.
_PROGRESS_EVERY = 10_000
_CONTEXT_WINDOW = 48  # characters of normalised text read before a match for negation
_SENTENCE_PUNCT = frozenset(".!?;")
# Words never contain these characters, so each one in normalised text is a token.
_PUNCT_RE = re.compile(r"[.,!?;]")
_NEVER = re.compile(r"(?!x)x")
# Texts where a match can start inside a token are scanned one by one. A word
# character after a character that is neither a word character nor a space starts
# such a match ("syukur'a"). White space other than spaces splits words where the
# token arrays do not.
_INNER_WORD_START_RE = re.compile(r"[^\w ]\w")
_OTHER_SPACE_RE = re.compile(r"[^\S ]")
# Below this many texts the gate runs per text; numpy's per-call cost would dominate.
_MIN_BATCH = 16
_INLINE_IGNORECASE_RE = re.compile(r"\(\?[a-zA-Z-]*i")


# The gate's candidate loop in C; None takes the numpy path, which gives the same matches.
_gate_loops = load_extension("_gate")


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, restoring its previous state afterwards.

    Coding a batch allocates millions of small objects, mostly kept in caches, and
    they set off collections that walk every live object again and again (about a
    quarter of ``code_frame``'s time). Reference counting still frees all other
    garbage at once; cycles made meanwhile wait for the first collection after the pause.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_ANYWHERE = re.compile("")


def _cue_pattern(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """Build a pattern of the literal texts that every match of ``patterns`` starts with.

    A search for it is a cheap necessary condition: where it finds nothing, none of
    ``patterns`` matches, and no match starts before the cue it finds first. A
    pattern whose start cannot be read (``_first_words``) or that ignores case makes
    the result match everywhere.
    """
    cues: set[str] = set()
    for pattern in patterns:
        if pattern.flags & re.IGNORECASE or _INLINE_IGNORECASE_RE.search(pattern.pattern):
            return _ANYWHERE
        words = _first_words(list(_sre_parser.parse(pattern.pattern).data), 0)
        if not words or "" in words:
            return _ANYWHERE
        cues |= words
    if not cues:
        return _NEVER
    # A cue that starts with another cue adds nothing ("tidak " beside "tidak").
    shortest = [cue for cue in cues if not any(cue.startswith(o) and cue != o for o in cues)]
    return re.compile("|".join(map(re.escape, sorted(shortest))))


def _join(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """Join patterns into one alternation, so that one scan finds a match of any of them."""
    if not patterns:
        return _NEVER
    return re.compile("|".join(f"(?:{pattern.pattern})" for pattern in patterns))


@dataclass(frozen=True)
class Evidence:
    """The span of the original text that decided one code."""

    field: str  # "category", "step" or "intent"
    code: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Coding:
    """All codes of one comment, with their evidence and the codes to check by hand."""

    categories: tuple[str, ...]
    themes: tuple[str, ...]
    stages: tuple[str, ...]
    steps: tuple[str, ...]
    intent: str
    evidence: tuple[Evidence, ...]
    uncertain: tuple[str, ...]


_EvidenceRow = tuple[str, str, int, int, str]  # the fields of ``Evidence``, in order


class _Codes(NamedTuple):
    """The fields of ``Coding`` with evidence as plain tuples: ``code_frame`` needs no objects."""

    categories: tuple[str, ...]
    themes: tuple[str, ...]
    stages: tuple[str, ...]
    steps: tuple[str, ...]
    intent: str
    evidence: tuple[_EvidenceRow, ...]
    uncertain: tuple[str, ...]

    def coding(self) -> Coding:
        return Coding(
            categories=self.categories,
            themes=self.themes,
            stages=self.stages,
            steps=self.steps,
            intent=self.intent,
            evidence=tuple(Evidence(*row) for row in self.evidence),
            uncertain=self.uncertain,
        )


_UNCODED = _Codes((), (), (), (), "lainnya", (), ())


@dataclass(slots=True)
class _Text:
    """The normalised text of one comment plus the positions the context rules need."""

    norm: MatchText
    clause_cuts: list[int]
    sentence_cuts: list[int]
    contrasts: list[int]
    reassurances: list[tuple[int, int]]
    matches: dict[int, list[tuple[int, int]]]  # pattern id -> spans, only patterns that match
    resolutions: list[tuple[int, int]]


_Span = tuple[int, int]


def _overlaps(span: _Span, others: list[_Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


def _segment(position: int, cuts: list[int]) -> int:
    """Return the index of the clause or sentence that contains ``position``."""
    return bisect.bisect_right(cuts, position)


def _first_words(items: list[tuple[Any, Any]], index: int = 0) -> set[str] | None:
    """Return the literal text that a match's first word must start with, or None if any.

    ``items`` is a parsed pattern (``re._parser``). The walk follows literals, groups,
    alternations and repeats at the start of the pattern and gives up (None) on
    anything else, so a pattern it cannot read is simply always tried.
    """
    if index >= len(items):
        return None
    op, argument = items[index]
    if op is _sre.AT or op is _sre.ASSERT or op is _sre.ASSERT_NOT:
        # Zero-width items: skipping a lookaround keeps the result a necessary condition.
        return _first_words(items, index + 1)
    if op is _sre.LITERAL:
        chars: list[str] = []
        position = index
        while position < len(items) and items[position][0] is _sre.LITERAL:
            char = chr(items[position][1])
            if char == " ":
                break
            chars.append(char)
            position += 1
        if not chars:
            return None
        run = "".join(chars)
        if position < len(items) and items[position] == (_sre.LITERAL, ord(" ")):
            return {run + " "}  # a whole word: the trailing space requires an exact match
        if position < len(items) and items[position][0] is not _sre.LITERAL:
            # The word may go on in a group that the parser factored out of an
            # alternation ("s(?:usah|ulit)"); a longer prefix skips more texts.
            rest = _first_words(items, position)
            if rest is not None and "" not in rest:
                return {run + word for word in rest}
        return {run}
    if op is _sre.IN:
        if all(kind is _sre.LITERAL for kind, _ in argument):
            return {chr(value) for _, value in argument}
        return None
    if op is _sre.SUBPATTERN:
        return _first_words(list(argument[-1].data) + items[index + 1 :])
    if op is _sre.BRANCH:
        found: set[str] = set()
        for alternative in argument[1]:
            words = _first_words(list(alternative.data) + items[index + 1 :])
            if words is None:
                return None
            found |= words
        return found
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, _high, item = argument
        words = _first_words(list(item.data) + items[index + 1 :])
        if words is None:
            return None
        if low == 0:
            rest = _first_words(items, index + 1)
            if rest is None:
                return None
            words |= rest
        return words
    return None


def _prefix_end(prefix: str) -> str | None:
    """Return the least string that sorts after every string starting with ``prefix``.

    None means no such string: every string from ``prefix`` on starts with it.
    """
    stem = prefix.rstrip(chr(0x10FFFF))
    if not stem:
        return None
    return stem[:-1] + chr(ord(stem[-1]) + 1)


class _KeyTable:
    """The keys of a gate's ``_by_prefix`` as arrays, for ``_Gate._conditions_of_words``.

    Prefix keys and whole-word keys (those that end with a space) are numbered apart.
    Each entry pairs a key's number with one of its condition ids.
    """

    def __init__(self, by_prefix: dict[str, set[int]]) -> None:
        self.prefixes = [key for key in by_prefix if not key.endswith(" ")]
        self.bounds = [_prefix_end(key) for key in self.prefixes]
        self.whole_words = [key[:-1] for key in by_prefix if key.endswith(" ")]
        self.prefix_entry_keys, self.prefix_entry_conditions = self._entries(
            [by_prefix[key] for key in self.prefixes]
        )
        self.whole_entry_keys, self.whole_entry_conditions = self._entries(
            [by_prefix[word + " "] for word in self.whole_words]
        )

    @staticmethod
    def _entries(conditions: list[set[int]]) -> tuple[np.ndarray, np.ndarray]:
        pairs = [(number, condition) for number, ids in enumerate(conditions) for condition in ids]
        keys = np.array([number for number, _ in pairs], np.int64)
        return keys, np.array([condition for _, condition in pairs], np.int64)


class _EntryTable(NamedTuple):
    """A gate's start entries as int64 arrays, for the C candidate loop (``netno._gate``).

    Lists per item are flat arrays cut by offsets: condition ``c`` starts the entries
    ``starters[starter_offsets[c]:starter_offsets[c + 1]]``, and entry ``e`` has the
    windows ``window_offsets[e]`` to ``window_offsets[e + 1] - 1``.
    """

    starter_offsets: np.ndarray
    starters: np.ndarray
    pattern: np.ndarray  # per entry, its pattern id
    window_offsets: np.ndarray
    low: np.ndarray  # per window, the least token offset after the first token
    high: np.ndarray  # per window, the greatest token offset
    condition: np.ndarray  # per window, the condition id a token there meets


def _offsets(sizes: list[int] | np.ndarray) -> np.ndarray:
    """Return the offsets that cut a flat array into runs of ``sizes`` items."""
    offsets = np.zeros(len(sizes) + 1, np.int64)
    np.cumsum(np.asarray(sizes, np.int64), out=offsets[1:])
    return offsets


class _Gate:
    """Register patterns, tell which of them can possibly match a text, and find their matches.

    A pattern is tried only when, for each word position the gate can read, a word
    of the normalised text starts with one of the pattern's literal words there. For
    a pattern that is an alternation, the positions of one branch must all be met.
    This skips most patterns of most comments. NOTE: a match that starts inside a
    token (after an apostrophe, as in "syukur'a") is not seen by the gate.
    """

    def __init__(self) -> None:
        self.patterns: list[re.Pattern[str]] = []
        # Per pattern, its options: a pattern may match a text that meets all the
        # condition ids of one option. No options: it may match any text.
        self._requires: list[tuple[frozenset[int], ...]] = []
        self._conditions: dict[frozenset[str], int] = {}
        self._by_prefix: dict[str, set[int]] = {}
        self._longest = 0
        self._stems: set[str] = set()  # every prefix of a key of ``_by_prefix``
        self._word_conditions: dict[str, frozenset[int]] = {}
        self._key_table: _KeyTable | None = None  # ``_by_prefix`` as arrays, built when needed
        self._groups: list[tuple[np.ndarray, np.ndarray]] | None = None  # of ``_requires``
        self._patterns_of: dict[int, list[int]] = {}  # condition id -> pattern ids
        self._always: set[int] = set()  # patterns with no readable first word
        # Condition on a match's first word, set for patterns whose matches can start
        # only at token starts (in texts without inner word starts), else None.
        self._start_condition: list[int | None] = []
        # Condition on the token after a match's first token, when the pattern gives one.
        self._next_condition: list[int | None] = []
        # Start entries of the patterns with a start condition (``_start_entries``), for
        # the C path: the pattern, the condition on the first token, and windows (least
        # offset, greatest offset, condition) that a later token of the match meets.
        self._entries: list[tuple[int, int, tuple[tuple[int, int, int], ...]]] = []
        self._entry_arrays: _EntryTable | None = None  # ``_entries`` as arrays
        self._option_arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def add(self, patterns: tuple[re.Pattern[str], ...]) -> tuple[int, ...]:
        # Both are built from the patterns on first use, so a new pattern resets them.
        self._key_table = None
        self._groups = None
        self._entry_arrays = None
        self._option_arrays = None
        ids = []
        for pattern in patterns:
            ident = len(self.patterns)
            self.patterns.append(pattern)
            options = [
                frozenset(map(self._condition, words))
                for words in _condition_options(pattern.pattern)
            ]
            if all(options):
                self._requires.append(tuple(dict.fromkeys(options)))
                for condition in frozenset().union(*options):
                    self._patterns_of.setdefault(condition, []).append(ident)
            else:
                # An option without conditions lets the pattern match any text.
                self._requires.append(())
                self._always.add(ident)
            start_words = _start_words(pattern)
            self._start_condition.append(
                None if start_words is None else self._condition(start_words)
            )
            next_words = _next_words(pattern)
            self._next_condition.append(
                None if next_words is None else self._condition(next_words)
            )
            for words, windows in _start_entries(pattern) or ():
                conditions = tuple(
                    (low, high, self._condition(window_words))
                    for low, high, window_words in windows
                )
                self._entries.append((ident, self._condition(words), conditions))
            ids.append(ident)
        return tuple(ids)

    def _condition(self, words: frozenset[str]) -> int:
        """Return the id of the condition "a word starts with one of ``words``", adding it."""
        condition = self._conditions.get(words)
        if condition is None:
            condition = self._conditions[words] = len(self._conditions)
            for word in words:
                self._by_prefix.setdefault(word, set()).add(condition)
                self._longest = max(self._longest, len(word))
                self._stems.update(word[:length] for length in range(1, len(word) + 1))
        return condition

    def _conditions_of(self, word: str) -> frozenset[int]:
        """Return the ids of the conditions that the word ``word`` meets (cached)."""
        found = self._word_conditions.get(word)
        if found is None:
            collected: set[int] = set(self._by_prefix.get(word + " ", ()))
            for length in range(1, min(len(word), self._longest) + 1):
                prefix = word[:length]
                if prefix not in self._stems:
                    break  # no longer prefix can be a key either
                collected.update(self._by_prefix.get(prefix, ()))
            found = frozenset(collected)
            self._word_conditions[word] = found
        return found

    def _requirement_groups(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Return the options of the patterns that need conditions, grouped for arrays.

        Each group is pattern ids and, per pattern, the sorted condition ids of one
        option. Options in a group have the same number of conditions, and no pattern
        appears twice in a group, so a group can be written into an array in one step.
        """
        if self._groups is None:
            by_shape: dict[tuple[int, int], list[tuple[int, list[int]]]] = {}
            for ident, options in enumerate(self._requires):
                for rank, option in enumerate(options):
                    by_shape.setdefault((len(option), rank), []).append((ident, sorted(option)))
            self._groups = [
                (
                    np.array([ident for ident, _ in members], np.int64),
                    np.array([conditions for _, conditions in members], np.int64),
                )
                for _, members in sorted(by_shape.items())
            ]
        return self._groups

    def _entry_table(self) -> _EntryTable:
        """Return the start entries as arrays, built on first use after the last ``add``."""
        if self._entry_arrays is None:
            starters: list[list[int]] = [[] for _ in range(len(self._conditions))]
            for entry, (_, start_condition, _) in enumerate(self._entries):
                starters[start_condition].append(entry)
            windows = [window for _, _, entry_windows in self._entries for window in entry_windows]
            low, high, condition = (
                np.array([window[column] for window in windows], np.int64) for column in range(3)
            )
            self._entry_arrays = _EntryTable(
                _offsets([len(entries) for entries in starters]),
                np.array([entry for entries in starters for entry in entries], np.int64),
                np.array([ident for ident, _, _ in self._entries], np.int64),
                _offsets([len(entry_windows) for _, _, entry_windows in self._entries]),
                low,
                high,
                condition,
            )
        return self._entry_arrays

    def _conditions_of_words(
        self, words: list[str], word_index: dict[str, int]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return the condition ids each of ``words`` meets, as ``_conditions_of`` does.

        The result is, per word, the number of its conditions, and all conditions in
        word order. Instead of walking the prefixes of every word, each key of
        ``_by_prefix`` is looked up once: the words that start with a key form one run
        of the sorted words, found by two bisections.
        """
        if self._key_table is None:
            self._key_table = _KeyTable(self._by_prefix)
        table = self._key_table
        order = sorted(range(len(words)), key=words.__getitem__)
        ordered = [words[index] for index in order]

        # Prefix keys: each entry covers the run of sorted words that start with its key.
        lows = np.fromiter((bisect.bisect_left(ordered, key) for key in table.prefixes), np.int64)
        highs = np.fromiter(
            (bisect.bisect_left(ordered, end) if end else len(ordered) for end in table.bounds),
            np.int64,
        )
        run_starts = lows[table.prefix_entry_keys]
        run_lengths = (highs - lows)[table.prefix_entry_keys]
        within = np.arange(int(run_lengths.sum())) - np.repeat(
            np.cumsum(run_lengths) - run_lengths, run_lengths
        )
        positions = np.repeat(run_starts, run_lengths) + within
        prefix_words = np.array(order, np.int64)[positions]
        prefix_conditions = np.repeat(table.prefix_entry_conditions, run_lengths)

        # Whole-word keys (they end with a space) match one word or none.
        exact = np.fromiter((word_index.get(word, -1) for word in table.whole_words), np.int64)
        whole_words = exact[table.whole_entry_keys]
        found = whole_words >= 0
        pair_words = np.concatenate((prefix_words, whole_words[found]))
        pair_conditions = np.concatenate(
            (prefix_conditions, table.whole_entry_conditions[found])
        )
        # Distinct (word, condition) pairs, sorted by word.
        width = max(len(self._conditions), 1)
        pairs = np.unique(pair_words * width + pair_conditions)
        return np.bincount(pairs // width, minlength=len(words)), pairs % width

    def active(self, text: str) -> set[int]:
        """Return the ids of the patterns that may match ``text``."""
        met: set[int] = set()
        for word in set(text.split()):
            met |= self._conditions_of(word)
        requires = self._requires
        candidates = set(self._always)
        for condition in met:
            # A condition used only as a start condition has no patterns here.
            candidates.update(self._patterns_of.get(condition, ()))
        return {
            ident
            for ident in candidates
            if not requires[ident] or any(option <= met for option in requires[ident])
        }

    def matches(self, text: str) -> dict[int, list[_Span]]:
        """Return the match spans of each active pattern that matches ``text``."""
        patterns = self.patterns
        found: dict[int, list[_Span]] = {}
        for ident in self.active(text):
            spans = [match.span() for match in patterns[ident].finditer(text)]
            if spans:
                found[ident] = spans
        return found

    def scan(
        self, texts: list[str], tokens: tuple[list[int], Tokens] | None = None
    ) -> list[dict[int, list[_Span]]]:
        """Return ``[self.matches(text) for text in texts]``, computed for all texts at once.

        The gate runs on arrays of all tokens. A pattern with a start condition is then
        tried with ``Pattern.match`` only at the tokens that meet it, which gives the
        spans ``finditer`` gives because no match can start elsewhere.

        Args:
            texts: the normalised texts.
            tokens: the tokens of some of the texts, already split (``batch_tokens``),
                and their indices in ``texts``; the other texts are split here.
        """
        if len(texts) < _MIN_BATCH:
            return [self.matches(text) for text in texts]
        found: list[dict[int, list[_Span]]] = [{} for _ in texts]
        if tokens is None:
            indices = list(range(len(texts)))
            split = _split_tokens(texts)
        else:
            indices, split = tokens
        # Texts where a match can start inside a token, or whose tokens contain white
        # space other than spaces, get ``matches``. Neither pattern matches a space,
        # so each of their matches lies inside one token.
        odd_words = [
            number
            for number, word in enumerate(split.words)
            if _INNER_WORD_START_RE.search(word) or _OTHER_SPACE_RE.search(word)
        ]
        odd_texts = split.text_of_token[np.isin(split.word_of_token, odd_words)]
        single = {indices[number] for number in np.unique(odd_texts).tolist()}
        single.update(set(range(len(texts))).difference(indices))
        self._scan_batch([texts[index] for index in indices], [found[i] for i in indices], split)
        for index in single:
            found[index] = self.matches(texts[index])
        return found

    def _find_unstarted(
        self,
        texts: list[str],
        found: list[dict[int, list[_Span]]],
        active_in: Callable[[int], np.ndarray],
    ) -> None:
        """Match the patterns without a start condition with ``finditer``.

        ``active_in(ident)`` gives the indices of the texts where pattern ``ident`` is
        active. These keys go into ``found`` before any other.
        """
        for ident, condition in enumerate(self._start_condition):
            if condition is not None:
                continue
            finditer = self.patterns[ident].finditer
            for index in active_in(ident).tolist():
                spans = [match.span() for match in finditer(texts[index])]
                if spans:
                    found[index][ident] = spans

    def _option_table(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return ``_requires`` as offsets and flat arrays, for the C path.

        Pattern ``p`` has the options ``option_offsets[p]`` to ``option_offsets[p + 1] - 1``;
        option ``o`` needs ``conditions[condition_offsets[o]:condition_offsets[o + 1]]``.
        """
        if self._option_arrays is None:
            options = [sorted(option) for requires in self._requires for option in requires]
            self._option_arrays = (
                _offsets([len(requires) for requires in self._requires]),
                _offsets([len(option) for option in options]),
                np.array([condition for option in options for condition in option], np.int64),
            )
        return self._option_arrays

    def _scan_batch_c(
        self,
        texts: list[str],
        found: list[dict[int, list[_Span]]],
        tokens: Tokens,
        condition_offsets: np.ndarray,
        word_conditions: np.ndarray,
    ) -> None:
        """Do the rest of ``_scan_batch`` with the C extension ``netno._gate``.

        It computes each word's and text's conditions as rows of bits, works out
        whether a pattern is active only where a token can start it, and tries only
        the tokens that meet a start entry (``_start_entries``) of the pattern.

        Args:
            texts: the texts; ``found`` gets their matches.
            tokens: the tokens of the texts.
            condition_offsets: per word, where its run of ``word_conditions`` starts,
                plus the end.
            word_conditions: the condition ids each word meets, word by word.
        """
        assert _gate_loops is not None
        count = len(texts)
        condition_count = len(self._conditions)
        words = (condition_offsets, word_conditions)
        word_bits, text_bits = _condition_bits(tokens, words, count, condition_count)
        rows = np.frombuffer(text_bits, np.uint8).reshape(count, max(-(-condition_count // 8), 1))

        def active_in(ident: int) -> np.ndarray:
            options = self._requires[ident]
            if not options:
                return np.arange(count)
            met = np.zeros(count, bool)
            for option in options:
                met_all = np.ones(count, bool)
                for condition in option:
                    met_all &= ((rows[:, condition >> 3] >> (condition & 7)) & 1).astype(bool)
                met |= met_all
            return np.flatnonzero(met)

        self._find_unstarted(texts, found, active_in)
        _match_starts(
            texts,
            found,
            [pattern.match for pattern in self.patterns],
            tokens,
            (*words, word_bits, text_bits),
            self._entry_table(),
            self._option_table(),
        )

    def _scan_batch(
        self, texts: list[str], found: list[dict[int, list[_Span]]], tokens: Tokens
    ) -> None:
        """Fill ``found`` with the matches of ``texts``.

        The result is exact for texts without inner word starts and without white space
        other than spaces; ``scan`` codes the other texts with ``matches``.
        """
        count = len(texts)
        words, word_of_token, text_of_token, positions, _ = tokens

        # Condition ids met by each word, then by each text: the union over its words,
        # taken on rows of bits (one per condition) so that each token costs one row.
        word_index = {word: index for index, word in enumerate(words)}
        sizes, word_conditions = self._conditions_of_words(words, word_index)
        if _gate_loops is not None:
            self._scan_batch_c(texts, found, tokens, _offsets(sizes), word_conditions)
            return
        condition_count = max(len(self._conditions), 1)
        word_rows = np.zeros((len(words), condition_count), dtype=bool)
        pair_word = np.repeat(np.arange(len(words)), sizes)
        word_rows[pair_word, word_conditions] = True
        # Bits are packed into 64-bit words, so each row takes a few machine words.
        packed_bytes = -(-condition_count // 64) * 8
        packed = np.zeros((len(words), packed_bytes), np.uint8)
        packed[:, : -(-condition_count // 8)] = np.packbits(word_rows, axis=1)
        met_packed = np.zeros((count, packed_bytes // 8), np.uint64)
        with_tokens = np.flatnonzero(np.bincount(text_of_token, minlength=count))
        if len(with_tokens):
            first_tokens = np.searchsorted(text_of_token, with_tokens)
            met_packed[with_tokens] = np.bitwise_or.reduceat(
                packed.view(np.uint64)[word_of_token], first_tokens, axis=0
            )
        met = np.unpackbits(met_packed.view(np.uint8), axis=1, count=condition_count)
        met = met.astype(bool)

        # A pattern is active in a text that meets all conditions of one of its options.
        # Options are grouped by shape, so each group takes a few array steps.
        active = np.zeros((count, len(self.patterns)), dtype=bool)
        active[:, sorted(self._always)] = True
        for idents, conditions in self._requirement_groups():
            group = met[:, conditions[:, 0]]
            for column in range(1, conditions.shape[1]):
                group &= met[:, conditions[:, column]]
            active[:, idents] |= group

        self._find_unstarted(texts, found, lambda ident: np.flatnonzero(active[:, ident]))

        # (token, pattern) pairs: the token meets the pattern's start condition. The
        # patterns each word can start are found first, then given to its tokens.
        starters: list[list[int]] = [[] for _ in range(len(self._conditions))]
        for ident, condition in enumerate(self._start_condition):
            if condition is not None:
                starters[condition].append(ident)
        word_of_start, started = _expand(
            word_conditions, [tuple(s) for s in starters], pair_word
        )
        token, pattern_of_pair = _expand_sized(
            word_of_token,
            np.bincount(word_of_start, minlength=len(words)),
            started,
            np.arange(len(word_of_token), dtype=np.int64),
        )
        text_index = text_of_token[token]
        keep = active[text_index, pattern_of_pair]
        # Where the pattern names the words that can follow its first one, the next
        # token of the same text must meet that condition too.
        next_conditions = np.array(
            [-1 if condition is None else condition for condition in self._next_condition],
            np.int64,
        )[pattern_of_pair]
        checked = np.flatnonzero(keep & (next_conditions >= 0))
        following = token[checked] + 1
        has_next = following < len(word_of_token)
        following = np.minimum(following, max(len(word_of_token) - 1, 0))
        same_text = has_next & (text_of_token[following] == text_index[checked])
        keep[checked] = same_text & word_rows[word_of_token[following], next_conditions[checked]]
        token, pattern_of_pair, text_index = token[keep], pattern_of_pair[keep], text_index[keep]
        order = np.argsort(pattern_of_pair, kind="stable")  # tokens stay in text and position order
        idents = pattern_of_pair[order].tolist()
        text_indices = text_index[order].tolist()
        token_positions = positions[token[order]].tolist()
        bounds = [0, *np.flatnonzero(np.diff(pattern_of_pair[order])) + 1, len(idents)]
        text_at = texts.__getitem__
        for low, high in zip(bounds, bounds[1:], strict=False):
            if low == high:
                continue
            ident_here = idents[low]
            indices = text_indices[low:high]
            # ``map`` and ``compress`` keep the loop over candidates in C; most do not match.
            hits = list(
                map(
                    self.patterns[ident_here].match,
                    map(text_at, indices),
                    token_positions[low:high],
                )
            )
            previous_text = -1
            previous_end = 0
            for index, hit in zip(compress(indices, hits), filter(None, hits), strict=True):
                start, end = hit.span()
                if index != previous_text:
                    found[index][ident_here] = [(start, end)]
                elif start >= previous_end:
                    found[index][ident_here].append((start, end))
                else:
                    continue  # inside the previous match, where ``finditer`` never looks
                previous_text, previous_end = index, end


def _vector(array: np.ndarray, name: str, dtype: type, length: int | None = None) -> np.ndarray:
    """Return ``array`` if it is a C-contiguous vector of ``dtype`` (of ``length`` items)."""
    if not (
        isinstance(array, np.ndarray)
        and array.dtype == dtype
        and array.ndim == 1
        and array.flags.c_contiguous
        and (length is None or len(array) == length)
    ):
        raise ValueError(f"{name}: expected a contiguous {np.dtype(dtype)} vector")
    return array


def _condition_bits(
    tokens: Tokens, words: tuple[np.ndarray, np.ndarray], text_count: int, condition_count: int
) -> tuple[bytearray, bytearray]:
    """Check the arrays, then return ``netno._gate.condition_bits``: rows of condition bits.

    Args:
        tokens: the tokens of the texts.
        words: per word, the offset of its run of conditions (plus the end), and the
            conditions, word by word (``_Gate._conditions_of_words``).
        text_count: the number of texts.
        condition_count: the number of condition ids.

    Returns:
        One row per word, then one per text, of ``(condition_count + 7) // 8`` bytes
        (at least one). Bit ``c % 8`` of byte ``c // 8`` is set when condition ``c`` is met.

    Raises:
        ValueError: an array has the wrong type, layout or length. The C code also
            checks every index it reads.
    """
    assert _gate_loops is not None
    token_count = len(tokens.word_of_token)
    condition_offsets, word_conditions = words
    result: tuple[bytearray, bytearray] = _gate_loops.condition_bits(
        _vector(tokens.word_of_token, "word_of_token", np.int64),
        _vector(tokens.text_of_token, "text_of_token", np.int64, token_count),
        _vector(condition_offsets, "condition_offsets", np.int64, len(tokens.words) + 1),
        _vector(word_conditions, "word_conditions", np.int64),
        text_count,
        condition_count,
    )
    return result


def _match_starts(
    texts: list[str],
    found: list[dict[int, list[_Span]]],
    matches: list[Callable[[str, int], re.Match[str] | None]],
    tokens: Tokens,
    words: tuple[np.ndarray, np.ndarray, bytearray, bytearray],
    table: _EntryTable,
    options: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    """Check the arrays, then let ``netno._gate.match_starts`` fill ``found``.

    Args:
        texts: the texts of the batch; ``found`` has one dict per text.
        matches: per pattern id, its bound ``Pattern.match``.
        tokens: the tokens of the texts.
        words: the arrays given to ``_condition_bits`` and the two it returned.
        table: the gate's start entries.
        options: the gate's options (``_Gate._option_table``).

    Raises:
        ValueError: an array has the wrong type, layout or length. The C code also
            checks every index it reads.
    """
    assert _gate_loops is not None
    token_count = len(tokens.word_of_token)
    condition_offsets, word_conditions, word_bits, text_bits = words
    if len(found) != len(texts):
        raise ValueError("found: expected one dict per text")
    _gate_loops.match_starts(
        texts,
        found,
        matches,
        (
            _vector(tokens.word_of_token, "word_of_token", np.int64),
            _vector(tokens.text_of_token, "text_of_token", np.int64, token_count),
            _vector(tokens.positions, "positions", np.int64, token_count),
        ),
        (
            _vector(condition_offsets, "condition_offsets", np.int64, len(tokens.words) + 1),
            _vector(word_conditions, "word_conditions", np.int64),
            word_bits,
        ),
        text_bits,
        tuple(_vector(array, name, np.int64) for name, array in table._asdict().items()),
        tuple(
            _vector(array, name, np.int64)
            for name, array in zip(
                ("option_offsets", "option_condition_offsets", "option_conditions"),
                options,
                strict=True,
            )
        ),
    )


def _split_tokens(texts: list[str]) -> Tokens:
    """Split each text at spaces into ``Tokens``, numbering the texts in order."""
    count = len(texts)
    tokens = [text.split(" ") if text else [] for text in texts]
    token_counts = np.fromiter(map(len, tokens), np.int64, count)
    flat = list(chain.from_iterable(tokens))
    lengths = np.fromiter(map(len, flat), np.int64, len(flat))
    text_of_token = np.repeat(np.arange(count), token_counts)
    ends = np.cumsum(lengths + 1)
    starts = ends - lengths - 1
    first_token = np.cumsum(token_counts) - token_counts
    has_tokens = token_counts > 0
    text_starts = np.zeros(count, np.int64)
    text_starts[has_tokens] = starts[first_token[has_tokens]]
    positions = starts - np.repeat(text_starts, token_counts)
    words = list(dict.fromkeys(flat))
    word_index = {word: index for index, word in enumerate(words)}
    word_of_token = np.fromiter(map(word_index.__getitem__, flat), np.int64, len(flat))
    return Tokens(words, word_of_token, text_of_token, positions, count)


def _expand(
    keys: np.ndarray, values: list[tuple[int, ...]] | list[frozenset[int]], labels: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pair each label with every value listed for its key.

    ``values[k]`` lists the values of key ``k``; the result pairs ``labels[i]`` with
    each value of ``keys[i]``, in the order of ``keys``.
    """
    sizes = np.fromiter(map(len, values), np.int64, len(values))
    flat = np.fromiter(chain.from_iterable(values), np.int64, int(sizes.sum()))
    return _expand_sized(keys, sizes, flat, labels)


def _expand_sized(
    keys: np.ndarray, sizes: np.ndarray, flat: np.ndarray, labels: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pair labels with values as ``_expand``, the values given as counts and one flat array.

    Key ``k`` has the ``sizes[k]`` values that follow those of the keys before it in ``flat``.
    """
    offsets = np.cumsum(sizes) - sizes
    repeats = sizes[keys]
    total = int(repeats.sum())
    paired_labels = np.repeat(labels, repeats)
    within = np.arange(total) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    paired_values = flat[np.repeat(offsets[keys], repeats) + within]
    return paired_labels, paired_values


@lru_cache(maxsize=4096)
def _start_words(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Return the literal words a match must start with, if matches start only at word starts.

    That holds when the pattern opens with ``\\b``, every word it can start with opens
    with a word character, it cannot match the empty string and it ignores no case.
    Otherwise the result is None.
    """
    if pattern.flags & re.IGNORECASE or _INLINE_IGNORECASE_RE.search(pattern.pattern):
        return None
    parsed = _sre_parser.parse(pattern.pattern)
    items = list(parsed.data)
    if not items or items[0] != (_sre.AT, _sre.AT_BOUNDARY) or parsed.getwidth()[0] == 0:
        return None
    words = _first_words(items, 0)
    if not words or any(not re.match(r"\w", word) for word in words):
        return None
    return frozenset(words)


def _never_space(op: Any, argument: Any) -> bool:
    """Tell whether the parsed item ``(op, argument)`` matches one character, never a space."""
    if op is _sre.LITERAL:
        return bool(argument != ord(" "))
    if op is not _sre.IN:
        return False
    for kind, value in argument:
        if kind is _sre.LITERAL and value != ord(" "):
            continue
        if kind is _sre.RANGE and not value[0] <= ord(" ") <= value[1]:
            continue
        if kind is _sre.CATEGORY and value in (_sre.CATEGORY_WORD, _sre.CATEGORY_DIGIT):
            continue
        return False  # a negated set, "\s", "\S" or anything else may match a space
    return True


def _second_words(items: list[tuple[Any, Any]]) -> set[str] | None:
    """Return the literal words the text after a match's first space must start with.

    ``items`` is a parsed pattern. None means unknown: the walk gives up on items it
    cannot read, and on matches that may contain no space at all.
    """
    for index, (op, argument) in enumerate(items):
        if op is _sre.LITERAL and argument == ord(" "):
            return _first_words(items, index + 1)
        if op is _sre.AT or _never_space(op, argument):
            continue
        rest = items[index + 1 :]
        if op is _sre.SUBPATTERN:
            return _second_words(list(argument[-1].data) + rest)
        if op is _sre.BRANCH:
            found: set[str] = set()
            for alternative in argument[1]:
                words = _second_words(list(alternative.data) + rest)
                if words is None:
                    return None
                found |= words
            return found
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            if all(_never_space(*item) for item in argument[2].data):
                continue  # any number of characters that are not spaces
            return None
        return None
    return None  # the match may end before any space


def _space_range(items: list[tuple[Any, Any]]) -> tuple[int, int] | None:
    """Return the least and the most spaces a match of the parsed sequence ``items`` contains.

    None means unknown or unbounded: the walk gives up on items it cannot read.
    """
    least = most = 0
    for op, argument in items:
        if op is _sre.LITERAL or op is _sre.IN:
            spaces = (0, 0) if _never_space(op, argument) else (0, 1)
            if op is _sre.LITERAL and argument == ord(" "):
                spaces = (1, 1)
        elif op is _sre.AT or op is _sre.ASSERT or op is _sre.ASSERT_NOT:
            spaces = (0, 0)  # zero width
        elif op is _sre.NOT_LITERAL or op is _sre.ANY:
            spaces = (0, 0) if argument == ord(" ") else (0, 1)
        elif op is _sre.SUBPATTERN:
            inner = _space_range(list(argument[-1].data))
            if inner is None:
                return None
            spaces = inner
        elif op is _sre.BRANCH:
            ranges = [
                found
                for found in map(_space_range, (list(branch.data) for branch in argument[1]))
                if found is not None
            ]
            if len(ranges) < len(argument[1]):
                return None
            spaces = (min(low for low, _ in ranges), max(high for _, high in ranges))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            low, high, item = argument
            inner = _space_range(list(item.data))
            if inner is None or (high is _sre.MAXREPEAT and inner[1] > 0):
                return None
            spaces = (low * inner[0], 0 if high is _sre.MAXREPEAT else high * inner[1])
        else:
            return None
        least += spaces[0]
        most += spaces[1]
    return least, most


# A window: some token at offset ``low`` to ``high`` after a match's first token
# starts with one of ``words``.
_Window = tuple[int, int, frozenset[str]]


def _last_window(items: list[tuple[Any, Any]]) -> _Window | None:
    """Return the window of the last word position of ``items`` that can be read, if any.

    Positions follow literal spaces of the top-level sequence. A match that starts at a
    token start contains between ``low - 1`` and ``high - 1`` spaces before such a space,
    and tokens are split at single spaces, so the word after it is token ``low`` to
    ``high`` of the match.
    """
    found = None
    for index, item in enumerate(items):
        if item != (_sre.LITERAL, ord(" ")):
            continue
        spaces = _space_range(items[:index])
        if spaces is None:
            break  # every later position is unbounded too
        words = _first_words(items, index + 1)
        if words and "" not in words:
            found = (spaces[0] + 1, spaces[1] + 1, frozenset(words))
    return found


def _leading_sequences(
    items: list[tuple[Any, Any]], limit: int = 256
) -> list[list[tuple[Any, Any]]] | None:
    """Split a parsed pattern into sequences, one per way its first word can be spelled.

    Alternations, groups and optional items met before the first space or other
    unreadable item are opened: "\\b(?:hilang|tidak muncul)" gives "\\bhilang" and
    "\\btidak muncul". Every match of the pattern is a match of one sequence. None
    means more than ``limit`` sequences.
    """
    done: list[list[tuple[Any, Any]]] = []
    pending = [items]
    while pending:
        sequence = pending.pop()
        index = 0
        while index < len(sequence) and (
            sequence[index][0] is _sre.AT
            or (sequence[index][0] is _sre.LITERAL and sequence[index][1] != ord(" "))
        ):
            index += 1
        head, rest = sequence[:index], sequence[index + 1 :]
        op: Any
        argument: Any
        op, argument = sequence[index] if index < len(sequence) else (None, None)
        if op is _sre.SUBPATTERN:
            pending.append(head + list(argument[-1].data) + rest)
        elif op is _sre.BRANCH:
            pending.extend(head + list(branch.data) + rest for branch in argument[1])
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and argument[:2] == (0, 1):
            pending.append(head + rest)
            pending.append(head + list(argument[2].data) + rest)
        else:
            done.append(sequence)
        if len(done) + len(pending) > limit:
            return None
    return done


def _merged_windows(first: tuple[_Window, ...], second: tuple[_Window, ...]) -> tuple[_Window, ...]:
    """Return windows that are met wherever either window list is met: each pair widened.

    Windows left without a partner (the lists differ in length) are dropped, which
    keeps the result a necessary condition.
    """
    return tuple(
        (min(low, other_low), max(high, other_high), words | other_words)
        for (low, high, words), (other_low, other_high, other_words) in zip(
            first, second, strict=False
        )
    )


@lru_cache(maxsize=4096)
def _start_entries(
    pattern: re.Pattern[str],
) -> tuple[tuple[frozenset[str], tuple[_Window, ...]], ...] | None:
    """Return the first words of ``pattern``'s matches, grouped by the windows they meet.

    Only for patterns with a start condition (``_start_words``); None otherwise. The
    windows of a spelling of the first word are the word after the first token
    (``_second_words``) and the last word position that can be read. A first word
    that several spellings share keeps windows that hold for all of them. So
    "\\b(?:hilang|tidak muncul)" needs "muncul" after "tidak", and nothing after "hilang".
    """
    start_words = _start_words(pattern)
    if start_words is None:
        return None
    items = list(_sre_parser.parse(pattern.pattern).data)
    sequences = _leading_sequences(items) or [items]
    of_word: dict[str, tuple[_Window, ...]] = {}
    for sequence in sequences:
        first = _first_words(sequence)
        if not first or "" in first:
            return ((start_words, ()),)
        windows: list[_Window] = []
        second = _second_words(sequence)
        if second and "" not in second:
            windows.append((1, 1, frozenset(second)))
        last = _last_window(sequence)
        if last is not None and last[:2] != (1, 1):
            windows.append(last)
        for word in first:
            known = of_word.get(word)
            of_word[word] = (
                tuple(windows) if known is None else _merged_windows(known, tuple(windows))
            )
    by_windows: dict[tuple[_Window, ...], set[str]] = {}
    for word, word_windows in of_word.items():
        by_windows.setdefault(word_windows, set()).add(word)
    return tuple((frozenset(words), windows) for windows, words in by_windows.items())


@lru_cache(maxsize=4096)
def _next_words(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Return the words the token after a match's first token must start with, if known.

    Only for patterns with a start condition (``_start_words``): every match starts at
    a token, so its first space ends that token and the next token follows.
    """
    if _start_words(pattern) is None:
        return None
    words = _second_words(list(_sre_parser.parse(pattern.pattern).data))
    if not words or "" in words:
        return None
    return frozenset(words)


def _ends_with_space(items: list[tuple[Any, Any]]) -> bool:
    """Tell whether every match of the parsed sequence ``items`` ends with a literal space."""
    if not items:
        return False
    op, argument = items[-1]
    if op is _sre.LITERAL:
        return bool(argument == ord(" "))
    if op is _sre.SUBPATTERN:
        return _ends_with_space(list(argument[-1].data))
    if op is _sre.BRANCH:
        return all(_ends_with_space(list(branch.data)) for branch in argument[1])
    return False


@lru_cache(maxsize=4096)
def _condition_options(pattern: str) -> tuple[tuple[frozenset[str], ...], ...]:
    """Return the word conditions of each top-level alternative of ``pattern``.

    A match meets every condition of at least one alternative. An alternation such as
    "(?:\\bkuota data)|(?:\\bbeli kuota)" gets one option per branch, each read as a
    whole match. Any other pattern gets one option.
    """
    items = list(_sre_parser.parse(pattern).data)
    # The parser moves a prefix that all branches share in front of the alternation.
    if (
        items
        and items[-1][0] is _sre.BRANCH
        and all(op is _sre.AT or op is _sre.LITERAL for op, _ in items[:-1])
    ):
        prefix = items[:-1]
        return tuple(
            _sequence_conditions(prefix + list(branch.data)) for branch in items[-1][1][1]
        )
    return (_sequence_conditions(items),)


def _sequence_conditions(items: list[tuple[Any, Any]]) -> tuple[frozenset[str], ...]:
    """Return sets of word starts that a match must contain, one set per word position.

    Only word positions of the top-level sequence are read: the start, each position
    after a literal space, and each position after a repeat of words that end with a
    space (``(?:\\w+ ){0,2}``) when a word starts before that repeat. A position
    whose words cannot be read adds no condition, so the result is always a
    necessary condition.
    """
    starts = [0]
    for index, (op, argument) in enumerate(items):
        if (op, argument) == (_sre.LITERAL, ord(" ")):
            starts.append(index + 1)
        elif (
            op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)
            and (argument[0] > 0 or starts[-1] == index)
            and _ends_with_space(list(argument[2].data))
        ):
            starts.append(index + 1)
    conditions = []
    for index in starts:
        if index >= len(items):
            continue
        words = _first_words(items, index)
        if words and "" not in words:
            conditions.append(frozenset(words))
        if items[0][0] is _sre.BRANCH:
            break  # a top-level alternation: later positions belong to one branch only
    return tuple(conditions)


@dataclass(frozen=True)
class _CategoryRules:
    """One category's pattern ids in the gate, its exclude pattern's id among them."""

    code: str
    patterns: tuple[int, ...]
    mentions: tuple[int, ...]
    fallback: tuple[int, ...]
    weak: tuple[int, ...]
    exclude: int | None  # the gate id of the joined exclude patterns, None without any
    yield_to: tuple[str, ...]


@dataclass(frozen=True)
class _StepRules:
    code: str
    patterns: tuple[int, ...]
    mentions: tuple[int, ...]
    exclude: int | None


def _exclusions(prepared: _Text, exclude: int | None) -> list[_Span]:
    """Return the spans where the exclude patterns of a rule match the text."""
    if exclude is None:
        return []
    return prepared.matches.get(exclude, [])


class Classifier:
    """Apply a codebook's rules to comments.

    Args:
        codebook: the codebook to apply; None uses ``default_codebook()``.
    """

    def __init__(self, codebook: Codebook | None = None) -> None:
        self.codebook = codebook if codebook is not None else default_codebook()
        book = self.codebook
        gate = _Gate()
        self._gate = gate
        self._rules = [
            _CategoryRules(
                code,
                gate.add(category.patterns),
                gate.add(category.mentions),
                gate.add(category.fallback),
                gate.add(category.weak),
                gate.add((_join(category.exclude),))[0] if category.exclude else None,
                category.yield_to,
            )
            for code, category in book.categories.items()
        ]
        self._yield_to = {rules.code: rules.yield_to for rules in self._rules}
        self._step_rules = [
            _StepRules(
                step.code,
                gate.add(step.patterns),
                gate.add(step.mentions),
                gate.add((_join(step.exclude),))[0] if step.exclude else None,
            )
            for step in book.steps.values()
        ]
        self._intent_ids = {
            code: frozenset(gate.add(intent.patterns)) for code, intent in book.intents.items()
        }
        context = book.context
        negations = context.negation_before + context.hypothetical_before
        self._negation_re = _join(negations)
        self._negation_cue_re = _cue_pattern(negations)
        # Pattern id -> 0 (contrast), 1 (reassurance) or 2 (resolution).
        self._context_role = {
            ident: role
            for role, patterns in enumerate(
                (context.contrast, context.reassurance, context.resolution)
            )
            for ident in gate.add(patterns)
        }
        self._completed_re = _join(context.completed_before)
        self._completed_cue_re = _cue_pattern(context.completed_before)
        self._failed_step_re = _join(context.failed_step) if context.failed_step else None
        self._category_order = {code: index for index, code in enumerate(book.categories)}
        self._step_order = {code: index for index, code in enumerate(book.steps)}
        # Category tuple -> its themes, stages and implied steps, filled by ``_derived``.
        self._derived_of: dict[
            tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
        ] = {}
        # Pattern id -> index of the category (or step) rules it belongs to, so that a
        # comment visits only the rules of the patterns that matched it.
        self._category_of = {
            ident: index
            for index, rules in enumerate(self._rules)
            for ident in rules.patterns + rules.mentions + rules.fallback + rules.weak
        }
        self._step_of = {
            ident: index
            for index, rules in enumerate(self._step_rules)
            for ident in rules.patterns + rules.mentions
        }
        self._category_ids = frozenset(self._category_of)
        self._step_ids = frozenset(self._step_of)
        self._context_ids = frozenset(self._context_role)
        # Pattern ids whose rules read the clause or sentence cuts: context words,
        # steps (``_completed``, ``_problem_sentences``) and category mentions.
        self._cut_readers = self._context_ids.union(
            self._step_of, *(rules.mentions for rules in self._rules)
        )

    # -- public API -------------------------------------------------------------

    def classify(self, text: str) -> Coding:
        """Code one comment.

        Args:
            text: the comment as written; empty, blank or emoji-only text is allowed.

        Returns:
            The coding; ``intent`` is ``lainnya`` when the text contains nothing codable.
        """
        return self._code_texts([text])[0].coding()

    def classify_many(self, texts: list[str]) -> list[Coding]:
        """Code many comments together, as ``code_frame`` does; equals ``classify`` on each.

        Args:
            texts: the comments as written.

        Returns:
            One coding per text, in order.
        """
        return [codes.coding() for codes in self._code_texts(texts)]

    def _code_texts(
        self, texts: list[str], forms: dict[str, str] | None = None
    ) -> list[_Codes]:
        """Code many comments at once; the result equals ``[self.classify(t) for t in texts]``.

        ``forms`` is passed to ``match_texts``, to share word forms between blocks.
        """
        codings = [_UNCODED] * len(texts)
        indices = [
            index for index, text in enumerate(texts) if isinstance(text, str) and text.strip()
        ]
        norms = match_texts([texts[index] for index in indices], forms=forms)
        found = self._gate.scan([norm.text for norm in norms], batch_tokens(norms))
        coded: list[tuple[int, MatchText, _Codes, list[tuple[str, str, _Span]]]] = []
        for index, norm, matches in zip(indices, norms, found, strict=True):
            # Without a single match every rule comes out empty, as in ``_UNCODED``.
            if matches:
                codes, spans = self._code(self._prepare(norm, matches))
                coded.append((index, norm, codes, spans))
        # Evidence spans of all texts are mapped back to the originals in one search.
        mapped = original_spans(
            [norm for _, norm, _, _ in coded],
            [[span for _, _, span in spans] for _, _, _, spans in coded],
        )
        for (index, norm, codes, spans), origins in zip(coded, mapped, strict=True):
            if not spans:
                codings[index] = codes
                continue
            original = norm.original
            evidence = tuple(
                (field, code, start, end, original[start:end])
                for (field, code, _), (start, end) in zip(spans, origins, strict=True)
            )
            # Built anew, because ``_replace`` costs twice as much.
            categories, themes, stages, steps, intent, _, uncertain = codes
            codings[index] = _Codes(categories, themes, stages, steps, intent, evidence, uncertain)
        return codings

    def _code(self, prepared: _Text) -> tuple[_Codes, list[tuple[str, str, _Span]]]:
        """Code one prepared text, returning codes with empty evidence and the evidence spans."""
        uncertain: set[str] = set()
        strong, mentioned, fallback = self._match_categories(prepared, uncertain)
        # The keluhan matches are checked against context only where a result needs
        # them, because most comments have several and the check is the costly part.
        # A strong category makes the comment a complaint and adds no intent
        # evidence, so only without one is the first accepted match looked up.
        first_complaint: _Span | None = None
        unchecked: list[_Span] | None = None  # keluhan matches left to check; None: all
        if not strong:
            complaints = sorted(self._spans(prepared, self._intent_ids["keluhan"]))
            index = self._first_unrejected(prepared, complaints)
            if index < len(complaints):
                first_complaint = complaints[index]
            # The matches before the first accepted one are all cancelled.
            unchecked = complaints[index + 1 :]

        if strong or first_complaint is not None:
            intent = "keluhan"
        elif self._any_match(prepared, self._intent_ids["pertanyaan"]):
            intent = "pertanyaan"
        elif (
            self._any_match(prepared, self._intent_ids["apresiasi"])
            or prepared.reassurances
            or prepared.resolutions
        ):
            intent = "apresiasi"
        else:
            intent = "lainnya"

        found: dict[str, _Span] = dict(strong)
        if mentioned:
            # A neutral mention is tagged in a question, or in a complaint when a
            # problem is stated in its sentence ("sering maintenance"); a mention
            # beside an unrelated complaint is left for a human to check.
            cuts = prepared.sentence_cuts
            problem_sentences = self._problem_sentences(
                prepared, strong, first_complaint, unchecked
            )
            for code, span in mentioned.items():
                if intent == "pertanyaan" or _segment(span[0], cuts) in problem_sentences:
                    found.setdefault(code, span)
                else:
                    uncertain.add(code)
        for code, span in fallback.items():
            if not any(other in found for other in self._yield_to[code]):
                found.setdefault(code, span)
                uncertain.add(code)
        categories = tuple(sorted(found, key=self._category_order.__getitem__))

        stated: dict[str, _Span] = {}
        if intent == "keluhan":
            stated = self._match_steps(prepared, found, first_complaint, unchecked)
        themes, stages, implied = self._derived(categories)
        steps = self._implied_steps(categories, stated) if stated else implied
        uncertain.difference_update(strong)

        spans: list[tuple[str, str, _Span]] = [
            ("category", code, found[code]) for code in categories
        ]
        spans += [
            ("step", code, stated[code])
            for code in sorted(stated, key=self._step_order.__getitem__)
        ]
        # Without categories ``strong`` is empty, so ``first_complaint`` was looked up.
        if intent == "keluhan" and not categories and first_complaint is not None:
            spans.append(("intent", intent, first_complaint))

        codes = _Codes(
            categories,
            themes,
            stages,
            steps,
            intent,
            (),
            tuple(sorted(uncertain)),
        )
        return codes, spans

    def code_frame(
        self,
        frame: pd.DataFrame,
        *,
        text_column: str = "text",
        progress: Callable[[int, int], None] | None = None,
    ) -> pd.DataFrame:
        """Return a copy of ``frame`` with the code columns added.

        Added columns: ``categories``, ``themes``, ``stages``, ``steps`` (lists of
        codes), ``intent``, ``evidence`` (list of dicts with field, code, start, end,
        text), ``uncertain`` (list of codes) and ``codebook_version``. Identical texts
        are coded once.

        Args:
            frame: the comments, one per row.
            text_column: the column that contains the comment text.
            progress: called as ``progress(done, total)`` every 10,000 rows and once at
                the end.

        Raises:
            KeyError: ``text_column`` is not a column of ``frame``.
        """
        if text_column not in frame.columns:
            columns = ", ".join(map(str, frame.columns))
            raise KeyError(f"column {text_column!r} not found; the frame has {columns}")

        with _gc_paused():
            return self._code_frame(frame, text_column, progress)

    def _code_frame(
        self,
        frame: pd.DataFrame,
        text_column: str,
        progress: Callable[[int, int], None] | None,
    ) -> pd.DataFrame:
        texts = [value if isinstance(value, str) else "" for value in frame[text_column].tolist()]
        total = len(texts)
        cache: dict[str, _Codes] = {}
        forms: dict[str, str] = {}  # standard forms of the words seen in earlier blocks
        # Rows are coded in blocks so that progress is reported between blocks; each
        # block's new distinct texts are coded together, which is what makes it fast.
        for block_start in range(0, total, _PROGRESS_EVERY):
            block = texts[block_start : block_start + _PROGRESS_EVERY]
            new = [text for text in dict.fromkeys(block) if text not in cache]
            cache.update(zip(new, self._code_texts(new, forms), strict=True))
            if progress is not None:
                progress(block_start + len(block), total)
        codings = [cache[text] for text in texts]

        coded = frame.copy()
        # Fresh lists and dicts per row: rows with the same text share one Coding, and
        # editing one row's list must not change the others.
        coded["categories"] = [list(c.categories) for c in codings]
        coded["themes"] = [list(c.themes) for c in codings]
        coded["stages"] = [list(c.stages) for c in codings]
        coded["steps"] = [list(c.steps) for c in codings]
        coded["intent"] = [c.intent for c in codings]
        coded["evidence"] = [
            [
                {"field": field, "code": code, "start": start, "end": end, "text": text}
                for field, code, start, end, text in c.evidence
            ]
            for c in codings
        ]
        coded["uncertain"] = [list(c.uncertain) for c in codings]
        coded["codebook_version"] = self.codebook.version
        _LOGGER.info("coded %d comments (%d distinct texts)", total, len(cache))
        return coded

    # -- preparation --------------------------------------------------------------

    def _prepare(self, norm: MatchText, matches: dict[int, list[_Span]]) -> _Text:
        """Collect the positions that the context rules read in one text.

        The clause and sentence cuts are found only when one of ``_cut_readers``
        matched. Otherwise they stay empty, because no rule reads them.
        """
        normalized = norm.text
        clause_cuts: list[int] = []
        sentence_cuts: list[int] = []
        if not self._cut_readers.isdisjoint(matches):
            clause_cuts = [match.start() for match in _PUNCT_RE.finditer(normalized)]
            sentence_cuts = [cut for cut in clause_cuts if normalized[cut] in _SENTENCE_PUNCT]
        if self._context_ids.isdisjoint(matches):
            return _Text(norm, clause_cuts, sentence_cuts, [], [], matches, [])

        by_role: tuple[list[_Span], list[_Span], list[_Span]] = ([], [], [])
        role_of = self._context_role
        for ident, spans in matches.items():
            role = role_of.get(ident)
            if role is not None:
                by_role[role].extend(spans)
        contrast_spans, reassurances, resolutions = by_role
        prepared = _Text(norm, clause_cuts, sentence_cuts, [], reassurances, matches, resolutions)
        if contrast_spans:
            contrasts = sorted(start for start, _ in contrast_spans)
            prepared.contrasts = contrasts
            prepared.clause_cuts = sorted(set(clause_cuts).union(contrasts))
        return prepared

    @staticmethod
    def _spans(prepared: _Text, ids: frozenset[int]) -> list[_Span]:
        """Return every match span of the patterns among ``ids``, in no particular order."""
        # A text matches few patterns, so walking its matches beats walking ``ids``.
        return [
            span for ident, spans in prepared.matches.items() if ident in ids for span in spans
        ]

    @staticmethod
    def _any_match(prepared: _Text, ids: frozenset[int]) -> bool:
        return not ids.isdisjoint(prepared.matches)

    # -- context rules ------------------------------------------------------------

    def _rejected(self, prepared: _Text, span: _Span) -> bool:
        """Tell whether a negation, a hypothesis or a reassurance cancels the match at ``span``."""
        start = span[0]
        if start:
            text = prepared.norm.text
            # Most windows hold no negation cue. The cue search costs about a third of
            # the negation search, and the negation search can then start at the cue.
            cue = self._negation_cue_re.search(text, max(0, start - _CONTEXT_WINDOW), start)
            if cue is not None and self._negation_re.search(text, cue.start(), start):
                return True
        if not prepared.reassurances and not prepared.resolutions:
            return False
        return self._reassured(prepared, span)

    @staticmethod
    def _reassured(prepared: _Text, span: _Span) -> bool:
        """Tell whether a reassurance in the same clause, or a later resolution, cancels ``span``.

        A resolution ("sekarang sudah lancar") cancels earlier problems unless a
        contrast word ("tapi", "masih") comes between them.
        """
        clause = _segment(span[0], prepared.clause_cuts)
        for start, _end in prepared.reassurances:
            if _segment(start, prepared.clause_cuts) == clause:
                return True
        contrasts = prepared.contrasts
        for start, _end in prepared.resolutions:
            if start >= span[1] and bisect.bisect_left(contrasts, span[1]) == bisect.bisect_left(
                contrasts, start
            ):
                return True
        return False

    def _completed(self, prepared: _Text, span: _Span) -> bool:
        """Tell whether the clause states the step at ``span`` was done before the problem.

        A match that itself reports the step failing ("sudah upload semua, tanggal
        tidak bisa diklik") is never a completed step.
        """
        text = prepared.norm.text
        failed = self._failed_step_re
        if failed is not None and failed.search(text, span[0], span[1]):
            return False
        index = _segment(span[0], prepared.clause_cuts)
        clause_start = prepared.clause_cuts[index - 1] if index else 0
        start = max(clause_start, span[0] - _CONTEXT_WINDOW)
        if start >= span[0]:
            return False
        cue = self._completed_cue_re.search(text, start, span[0])
        return cue is not None and bool(self._completed_re.search(text, cue.start(), span[0]))

    def _first_unrejected(self, prepared: _Text, spans: list[_Span]) -> int:
        """Return the index of the first of ``spans`` that no context cancels, else their count."""
        for index, span in enumerate(spans):
            if not self._rejected(prepared, span):
                return index
        return len(spans)

    def _problem_sentences(
        self,
        prepared: _Text,
        problems: dict[str, _Span],
        first_complaint: _Span | None,
        unchecked: list[_Span] | None,
    ) -> set[int]:
        """Return the sentences that state a problem.

        Args:
            prepared: the comment.
            problems: accepted category matches, by code.
            first_complaint: an accepted keluhan match, or None.
            unchecked: the keluhan matches whose context is not checked yet; None
                means all of them.
        """
        cuts = prepared.sentence_cuts
        sentences = {_segment(start, cuts) for start, _ in problems.values()}
        if first_complaint is not None:
            sentences.add(_segment(first_complaint[0], cuts))
        if unchecked is None:
            unchecked = self._spans(prepared, self._intent_ids["keluhan"])
        # A match in a sentence already in the set is not checked: it cannot add to it.
        for span in unchecked:
            sentence = _segment(span[0], cuts)
            if sentence not in sentences and not self._rejected(prepared, span):
                sentences.add(sentence)
        return sentences

    # -- categories ---------------------------------------------------------------

    def _first_accepted(
        self,
        prepared: _Text,
        ids: tuple[int, ...],
        rules: _CategoryRules,
        uncertain: set[str],
    ) -> _Span | None:
        """Return the first match that survives exclusion and context."""
        matches = prepared.matches
        excluded = _exclusions(prepared, rules.exclude)
        for ident in ids:
            if ident not in matches:
                continue
            for span in matches[ident]:
                if excluded and _overlaps(span, excluded):
                    continue
                if self._rejected(prepared, span):
                    uncertain.add(rules.code)
                    continue
                return span
        return None

    def _match_categories(
        self, prepared: _Text, uncertain: set[str]
    ) -> tuple[dict[str, _Span], dict[str, _Span], dict[str, _Span]]:
        strong: dict[str, _Span] = {}
        mentioned: dict[str, _Span] = {}
        fallback: dict[str, _Span] = {}
        active = prepared.matches.keys()
        if self._category_ids.isdisjoint(active):
            return strong, mentioned, fallback
        category_of = self._category_of
        touched = sorted({category_of[i] for i in active if i in category_of})
        for rules in map(self._rules.__getitem__, touched):
            kinds = (
                (rules.patterns, strong),
                (rules.mentions, mentioned),
                (rules.fallback, fallback),
            )
            for ids, found in kinds:
                if not active.isdisjoint(ids):
                    span = self._first_accepted(prepared, ids, rules, uncertain)
                    if span is not None:
                        found[rules.code] = span
                        break
            else:
                if not active.isdisjoint(rules.weak):
                    span = self._first_accepted(prepared, rules.weak, rules, uncertain)
                    if span is not None:
                        uncertain.add(rules.code)
        return strong, mentioned, fallback

    # -- steps --------------------------------------------------------------------

    def _match_steps(
        self,
        prepared: _Text,
        problems: dict[str, _Span],
        first_complaint: _Span | None,
        unchecked: list[_Span] | None,
    ) -> dict[str, _Span]:
        """Find the steps the comment names: patterns anywhere, mentions next to a problem.

        The problems are given as to ``_problem_sentences``.
        """
        stated: dict[str, _Span] = {}
        active = prepared.matches.keys()
        if self._step_ids.isdisjoint(active):
            return stated
        # Built at the first mention, because most comments name no step by a mention.
        problem_sentences: set[int] | None = None
        step_of = self._step_of
        touched = sorted({step_of[i] for i in active if i in step_of})
        for rules in map(self._step_rules.__getitem__, touched):
            excluded = _exclusions(prepared, rules.exclude)
            span = self._first_stated(prepared, rules.patterns, excluded, None)
            if span is None and not active.isdisjoint(rules.mentions):
                if problem_sentences is None:
                    problem_sentences = self._problem_sentences(
                        prepared, problems, first_complaint, unchecked
                    )
                span = self._first_stated(prepared, rules.mentions, excluded, problem_sentences)
            if span is not None:
                stated[rules.code] = span
        return stated

    def _first_stated(
        self,
        prepared: _Text,
        ids: tuple[int, ...],
        excluded: list[_Span],
        sentences: set[int] | None,
    ) -> _Span | None:
        """Return the first match of ``ids`` that states a step, in pattern order.

        With ``sentences`` given, only a match inside one of those sentences counts.
        """
        matches = prepared.matches
        cuts = prepared.sentence_cuts
        for ident in ids:
            for span in matches.get(ident, ()):
                if sentences is not None and _segment(span[0], cuts) not in sentences:
                    continue
                if excluded and _overlaps(span, excluded):
                    continue
                if self._rejected(prepared, span) or self._completed(prepared, span):
                    continue
                return span
        return None

    def _derived(
        self, categories: tuple[str, ...]
    ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """Return the themes, stages and implied steps (with none stated) of ``categories``.

        Comments share few distinct category tuples, so each is worked out once.
        """
        derived = self._derived_of.get(categories)
        if derived is None:
            book = self.codebook
            themes = tuple(dict.fromkeys(book.categories[code].theme for code in categories))
            stage_set = {book.categories[code].stage for code in categories}
            stages = tuple(code for code in book.stages if code in stage_set)
            derived = (themes, stages, self._implied_steps(categories, {}))
            self._derived_of[categories] = derived
        return derived

    def _implied_steps(
        self, categories: tuple[str, ...], stated: dict[str, _Span]
    ) -> tuple[str, ...]:
        steps: set[str] = set(stated)
        for code in categories:
            category = self.codebook.categories[code]
            if any(step in stated for step in category.steps_unless):
                continue
            steps.update(category.steps)
        return tuple(sorted(steps, key=self._step_order.__getitem__))
