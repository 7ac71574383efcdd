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
import importlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from netno.codebook import Codebook, default_codebook
from netno.normalize import MatchText

__all__ = ["Evidence", "Coding", "Classifier"]

_LOGGER = logging.getLogger(__name__)

# The regular expression parser of CPython 3.11+ (private, but stable across 3.11-3.13);
# the gate reads literal words from parsed patterns. Imported by name because the
# stubs do not declare it.
_sre_parser: Any = importlib.import_module("re._parser")
_sre: Any = importlib.import_module("re._constants")

_PROGRESS_EVERY = 2000
_CONTEXT_WINDOW = 48  # characters of normalised text read before a match for negation
_SENTENCE_PUNCT = frozenset(".!?;")
# Words never contain these characters, so each one in normalised text is a token.
_PUNCT_RE = re.compile(r"[.,!?;]")
_NEVER = re.compile(r"(?!x)x")


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


@dataclass
class _Text:
    """The normalised text of one comment plus the positions the context rules need."""

    norm: MatchText
    clause_cuts: list[int]
    sentence_cuts: list[int]
    contrasts: list[int]
    reassurances: list[tuple[int, int]]
    active: set[int]
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
    if op is _sre.AT:
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


class _Gate:
    """Register patterns and tell, per text, which of them can possibly match.

    A pattern is tried only when, for each word position the gate can read, a word
    of the normalised text starts with one of the pattern's literal words there.
    This skips most patterns of most comments. NOTE: a match that starts inside a
    token (after an apostrophe, as in "syukur'a") is not seen by the gate.
    """

    def __init__(self) -> None:
        self.patterns: list[re.Pattern[str]] = []
        self._requires: list[frozenset[int]] = []  # condition ids each pattern needs
        self._conditions: dict[frozenset[str], int] = {}
        self._by_prefix: dict[str, set[int]] = {}
        self._longest = 0
        self._word_conditions: dict[str, frozenset[int]] = {}
        self._patterns_of: dict[int, list[int]] = {}  # condition id -> pattern ids
        self._always: set[int] = set()  # patterns with no readable first word

    def add(self, patterns: tuple[re.Pattern[str], ...]) -> tuple[int, ...]:
        ids = []
        for pattern in patterns:
            ident = len(self.patterns)
            self.patterns.append(pattern)
            conditions = []
            for words in _word_conditions(pattern.pattern):
                condition = self._conditions.setdefault(frozenset(words), len(self._conditions))
                conditions.append(condition)
                for word in words:
                    self._by_prefix.setdefault(word, set()).add(condition)
                    self._longest = max(self._longest, len(word))
            self._requires.append(frozenset(conditions))
            for condition in conditions:
                self._patterns_of.setdefault(condition, []).append(ident)
            if not conditions:
                self._always.add(ident)
            ids.append(ident)
        return tuple(ids)

    def active(self, text: str) -> set[int]:
        """Return the ids of the patterns that may match ``text``."""
        met: set[int] = set()
        cache = self._word_conditions
        for word in set(text.split()):
            found = cache.get(word)
            if found is None:
                collected: set[int] = set(self._by_prefix.get(word + " ", ()))
                for length in range(1, min(len(word), self._longest) + 1):
                    collected.update(self._by_prefix.get(word[:length], ()))
                found = frozenset(collected)
                cache[word] = found
            met |= found
        requires = self._requires
        candidates = set(self._always)
        for condition in met:
            candidates.update(self._patterns_of[condition])
        return {ident for ident in candidates if requires[ident] <= met}


def _word_conditions(pattern: str) -> list[set[str]]:
    """Return sets of word starts that a match must contain, one set per word position.

    Only word positions of the top-level sequence are read (the start, and each
    position after a literal space); a position whose words cannot be read adds no
    condition, so the result is always a necessary condition.
    """
    items = list(_sre_parser.parse(pattern).data)
    starts = [0]
    starts += [index + 1 for index, item in enumerate(items) if item == (_sre.LITERAL, ord(" "))]
    conditions = []
    for index in starts:
        if index >= len(items):
            continue
        words = _first_words(items, index)
        if words and "" not in words:
            conditions.append(words)
        if items[0][0] is _sre.BRANCH:
            break  # a top-level alternation: later positions belong to one branch only
    return conditions


@dataclass(frozen=True)
class _CategoryRules:
    """One category's pattern ids in the gate, plus its joined exclude pattern."""

    code: str
    patterns: tuple[int, ...]
    mentions: tuple[int, ...]
    fallback: tuple[int, ...]
    weak: tuple[int, ...]
    exclude: re.Pattern[str]
    yield_to: tuple[str, ...]


@dataclass(frozen=True)
class _StepRules:
    code: str
    patterns: tuple[int, ...]
    mentions: tuple[int, ...]
    exclude: re.Pattern[str]


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
                _join(category.exclude),
                category.yield_to,
            )
            for code, category in book.categories.items()
        ]
        self._yield_to = {rules.code: rules.yield_to for rules in self._rules}
        self._step_rules = [
            _StepRules(
                step.code, gate.add(step.patterns), gate.add(step.mentions), _join(step.exclude)
            )
            for step in book.steps.values()
        ]
        self._intent_ids = {
            code: gate.add(intent.patterns) for code, intent in book.intents.items()
        }
        context = book.context
        self._negation_re = _join(context.negation_before + context.hypothetical_before)
        self._contrast_ids = gate.add(context.contrast)
        self._reassurance_ids = gate.add(context.reassurance)
        self._resolution_ids = gate.add(context.resolution)
        self._completed_re = _join(context.completed_before)
        self._category_order = {code: index for index, code in enumerate(book.categories)}
        self._step_order = {code: index for index, code in enumerate(book.steps)}

    # -- public API -------------------------------------------------------------

    def classify(self, text: str) -> Coding:
        """Code one comment.

        Args:
            text: the comment as written; empty, blank or emoji-only text is allowed.

        Returns:
            The coding; ``intent`` is ``lainnya`` when the text says nothing codable.
        """
        if not isinstance(text, str) or not text.strip():
            return Coding((), (), (), (), "lainnya", (), ())

        prepared = self._prepare(text)
        uncertain: set[str] = set()
        strong, mentioned, fallback = self._match_categories(prepared, uncertain)
        complaint_spans = self._accepted_spans(prepared, self._intent_ids["keluhan"])

        if strong or complaint_spans:
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
            problem_sentences = {
                _segment(start, cuts) for start, _ in complaint_spans + list(strong.values())
            }
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
            stated = self._match_steps(prepared, complaint_spans + list(found.values()))
        steps = self._implied_steps(categories, stated)
        uncertain.difference_update(strong)

        spans: list[tuple[str, str, _Span]] = [
            ("category", code, found[code]) for code in categories
        ]
        spans += [
            ("step", code, stated[code])
            for code in sorted(stated, key=self._step_order.__getitem__)
        ]
        if intent == "keluhan" and not categories and complaint_spans:
            spans.append(("intent", intent, complaint_spans[0]))
        evidence = self._evidence(prepared, spans)

        book = self.codebook
        themes = tuple(dict.fromkeys(book.categories[code].theme for code in categories))
        stage_set = {book.categories[code].stage for code in categories}
        return Coding(
            categories=categories,
            themes=themes,
            stages=tuple(code for code in book.stages if code in stage_set),
            steps=steps,
            intent=intent,
            evidence=evidence,
            uncertain=tuple(sorted(uncertain)),
        )

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
            text_column: the column that holds the comment text.
            progress: called as ``progress(done, total)`` every 2,000 rows and once at
                the end.

        Raises:
            KeyError: ``text_column`` is not a column of ``frame``.
        """
        if text_column not in frame.columns:
            columns = ", ".join(map(str, frame.columns))
            raise KeyError(f"column {text_column!r} not found; the frame has {columns}")

        total = len(frame)
        cache: dict[str, Coding] = {}
        codings: list[Coding] = []
        for done, value in enumerate(frame[text_column].tolist(), start=1):
            text = value if isinstance(value, str) else ""
            coding = cache.get(text)
            if coding is None:
                coding = self.classify(text)
                cache[text] = coding
            codings.append(coding)
            if progress is not None and done % _PROGRESS_EVERY == 0:
                progress(done, total)
        if progress is not None and total % _PROGRESS_EVERY != 0:
            progress(total, total)

        coded = frame.copy()
        # Fresh lists and dicts per row: rows with the same text share one Coding, and
        # editing one row's list must not change the others.
        coded["categories"] = [list(c.categories) for c in codings]
        coded["themes"] = [list(c.themes) for c in codings]
        coded["stages"] = [list(c.stages) for c in codings]
        coded["steps"] = [list(c.steps) for c in codings]
        coded["intent"] = [c.intent for c in codings]
        coded["evidence"] = [[_evidence_dict(e) for e in c.evidence] for c in codings]
        coded["uncertain"] = [list(c.uncertain) for c in codings]
        coded["codebook_version"] = self.codebook.version
        _LOGGER.info("coded %d comments (%d distinct texts)", total, len(cache))
        return coded

    # -- preparation --------------------------------------------------------------

    def _prepare(self, text: str) -> _Text:
        norm = MatchText(text)
        normalized = norm.text
        active = self._gate.active(normalized)
        clause_cuts: list[int] = []
        sentence_cuts: list[int] = []
        for match in _PUNCT_RE.finditer(normalized):
            clause_cuts.append(match.start())
            if match.group() in _SENTENCE_PUNCT:
                sentence_cuts.append(match.start())
        prepared = _Text(norm, clause_cuts, sentence_cuts, [], [], active, [])
        contrasts = sorted(start for start, _ in self._spans(prepared, self._contrast_ids))
        if contrasts:
            prepared.contrasts = contrasts
            prepared.clause_cuts = sorted(set(clause_cuts).union(contrasts))
        prepared.reassurances = self._spans(prepared, self._reassurance_ids)
        prepared.resolutions = self._spans(prepared, self._resolution_ids)
        return prepared

    def _spans(self, prepared: _Text, ids: tuple[int, ...]) -> list[_Span]:
        """Return every match span of the active patterns among ``ids``."""
        patterns = self._gate.patterns
        text = prepared.norm.text
        return [
            match.span()
            for ident in ids
            if ident in prepared.active
            for match in patterns[ident].finditer(text)
        ]

    def _any_match(self, prepared: _Text, ids: tuple[int, ...]) -> bool:
        patterns = self._gate.patterns
        text = prepared.norm.text
        return any(ident in prepared.active and patterns[ident].search(text) for ident in ids)

    # -- context rules ------------------------------------------------------------

    def _rejected(self, prepared: _Text, span: _Span) -> bool:
        """Tell whether a negation, a hypothesis or a reassurance cancels the match at ``span``."""
        if span[0] and self._negation_re.search(
            prepared.norm.text, max(0, span[0] - _CONTEXT_WINDOW), span[0]
        ):
            return True
        if not prepared.reassurances and not prepared.resolutions:
            return False
        return self._reassured(prepared, span)

    @staticmethod
    def _reassured(prepared: _Text, span: _Span) -> bool:
        """Tell whether a reassurance in the same clause, or a later resolution, cancels ``span``.

        A resolution ("sekarang sudah lancar") cancels earlier problems unless a
        contrast word ("tapi", "masih") stands between them.
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
        """Tell whether the clause says the step at ``span`` was already done before the problem."""
        index = _segment(span[0], prepared.clause_cuts)
        clause_start = prepared.clause_cuts[index - 1] if index else 0
        start = max(clause_start, span[0] - _CONTEXT_WINDOW)
        return start < span[0] and bool(
            self._completed_re.search(prepared.norm.text, start, span[0])
        )

    def _accepted_spans(self, prepared: _Text, ids: tuple[int, ...]) -> list[_Span]:
        spans = [span for span in self._spans(prepared, ids) if not self._rejected(prepared, span)]
        spans.sort()
        return spans

    # -- categories ---------------------------------------------------------------

    def _first_accepted(
        self,
        prepared: _Text,
        ids: tuple[int, ...],
        rules: _CategoryRules,
        uncertain: set[str],
        excluded: list[_Span] | None,
    ) -> tuple[_Span | None, list[_Span] | None]:
        """Return the first match that survives exclusion and context, and the exclusions."""
        text = prepared.norm.text
        patterns = self._gate.patterns
        for ident in ids:
            if ident not in prepared.active:
                continue
            for match in patterns[ident].finditer(text):
                span = match.span()
                if excluded is None:
                    excluded = [m.span() for m in rules.exclude.finditer(text)]
                if _overlaps(span, excluded):
                    continue
                if self._rejected(prepared, span):
                    uncertain.add(rules.code)
                    continue
                return span, excluded
        return None, excluded

    def _match_categories(
        self, prepared: _Text, uncertain: set[str]
    ) -> tuple[dict[str, _Span], dict[str, _Span], dict[str, _Span]]:
        strong: dict[str, _Span] = {}
        mentioned: dict[str, _Span] = {}
        fallback: dict[str, _Span] = {}
        active = prepared.active
        for rules in self._rules:
            kinds = (
                (rules.patterns, strong),
                (rules.mentions, mentioned),
                (rules.fallback, fallback),
            )
            excluded: list[_Span] | None = None
            for ids, found in kinds:
                if not active.isdisjoint(ids):
                    span, excluded = self._first_accepted(prepared, ids, rules, uncertain, excluded)
                    if span is not None:
                        found[rules.code] = span
                        break
            else:
                if not active.isdisjoint(rules.weak):
                    span, excluded = self._first_accepted(
                        prepared, rules.weak, rules, uncertain, excluded
                    )
                    if span is not None:
                        uncertain.add(rules.code)
        return strong, mentioned, fallback

    # -- steps --------------------------------------------------------------------

    def _match_steps(self, prepared: _Text, problem_spans: list[_Span]) -> dict[str, _Span]:
        """Find the steps the comment names: patterns anywhere, mentions next to a problem."""
        text = prepared.norm.text
        cuts = prepared.sentence_cuts
        active = prepared.active
        patterns = self._gate.patterns
        problem_sentences = {_segment(start, cuts) for start, _ in problem_spans}
        stated: dict[str, _Span] = {}
        for rules in self._step_rules:
            excluded: list[_Span] | None = None
            for ids, needs_problem in ((rules.patterns, False), (rules.mentions, True)):
                if rules.code in stated:
                    break
                for ident in ids:
                    if ident not in active or rules.code in stated:
                        continue
                    for match in patterns[ident].finditer(text):
                        span = match.span()
                        if needs_problem and _segment(span[0], cuts) not in problem_sentences:
                            continue
                        if excluded is None:
                            excluded = [m.span() for m in rules.exclude.finditer(text)]
                        if _overlaps(span, excluded) or self._rejected(prepared, span):
                            continue
                        if self._completed(prepared, span):
                            continue
                        stated[rules.code] = span
                        break
        return stated

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

    # -- evidence -----------------------------------------------------------------

    @staticmethod
    def _evidence(prepared: _Text, spans: list[tuple[str, str, _Span]]) -> tuple[Evidence, ...]:
        if not spans:
            return ()
        original = prepared.norm.original
        mapped = prepared.norm.original_spans([span for _, _, span in spans])
        return tuple(
            Evidence(field, code, start, end, original[start:end])
            for (field, code, _), (start, end) in zip(spans, mapped, strict=True)
        )


def _evidence_dict(evidence: Evidence) -> dict[str, Any]:
    return {
        "field": evidence.field,
        "code": evidence.code,
        "start": evidence.start,
        "end": evidence.end,
        "text": evidence.text,
    }
