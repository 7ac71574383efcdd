"""Code comments with the codebook's rules: problem categories, journey steps and intent.

The rules run on the normalised text (``netno.normalize``) and every code carries the
span of the original text that decided it. A match is dropped when a negation sits
right before it ("tidak ada error"), when it is hypothetical ("takut nanti
kadaluwarsa"), or when a reassurance resolves it ("sekarang sudah lancar"); such
codes, and codes found only by a weak cue, are listed as ``uncertain`` for a human
to check.

Known weaknesses: the rules read words, not grammar, so a problem stated far from
its topic ("OTP-nya ... sampai sekarang belum juga") or sarcasm ("keren banget,
loadingnya setahun") can be missed; the step of a problem is tagged only when the
comment names it.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from netno.codebook import Category, Codebook, default_codebook
from netno.normalize import NormalizedText, normalize_with_map

__all__ = ["Evidence", "Coding", "Classifier"]

_LOGGER = logging.getLogger(__name__)

_PROGRESS_EVERY = 2000
_CONTEXT_WINDOW = 48  # characters of normalised text read before a match for negation
_CLAUSE_PUNCT = frozenset(",.!?;")
_SENTENCE_PUNCT = frozenset(".!?;")


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

    norm: NormalizedText
    clause_cuts: list[int]
    sentence_cuts: list[int]
    contrasts: list[int]
    reassurances: list[tuple[int, int]]


_Span = tuple[int, int]


def _overlaps(span: _Span, others: list[_Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


def _segment(position: int, cuts: list[int]) -> int:
    """Return the index of the clause or sentence that contains ``position``."""
    return bisect.bisect_right(cuts, position)


class Classifier:
    """Apply a codebook's rules to comments.

    Args:
        codebook: the codebook to apply; None uses ``default_codebook()``.
    """

    def __init__(self, codebook: Codebook | None = None) -> None:
        self.codebook = codebook if codebook is not None else default_codebook()
        self._always: list[Category] = []
        trigger_owners: dict[str, list[str]] = {}
        for category in self.codebook.categories.values():
            if not category.triggers:
                self._always.append(category)
            for trigger in category.triggers:
                trigger_owners.setdefault(trigger, []).append(category.code)
        self._trigger_owners = trigger_owners
        # Longest first so that "nomor antri" wins over a shorter overlapping trigger.
        alternatives = sorted(trigger_owners, key=len, reverse=True)
        self._trigger_re = (
            re.compile(r"\b(?:" + "|".join(re.escape(word) for word in alternatives) + ")")
            if alternatives
            else None
        )
        self._category_order = {code: index for index, code in enumerate(self.codebook.categories)}
        self._step_order = {code: index for index, code in enumerate(self.codebook.steps)}

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
        evidence: list[Evidence] = []
        uncertain: set[str] = set()

        strong, mentioned, fallback, category_spans = self._match_categories(prepared, uncertain)
        complaint_spans = self._match_intent(prepared, "keluhan")
        complaint = bool(complaint_spans) or bool(strong)
        if complaint:
            intent = "keluhan"
        elif self._match_intent(prepared, "pertanyaan", check_context=False):
            intent = "pertanyaan"
        elif (
            self._match_intent(prepared, "apresiasi", check_context=False) or prepared.reassurances
        ):
            intent = "apresiasi"
        else:
            intent = "lainnya"

        found: dict[str, _Span] = dict(strong)
        if intent in ("keluhan", "pertanyaan"):
            for code, span in mentioned.items():
                found.setdefault(code, span)
        for code, span in fallback.items():
            category = self.codebook.categories[code]
            if not any(other in found for other in category.yield_to):
                found.setdefault(code, span)
                uncertain.add(code)
        if mentioned and intent not in ("keluhan", "pertanyaan"):
            uncertain.update(code for code in mentioned if code not in found)

        categories = tuple(sorted(found, key=self._category_order.__getitem__))
        for code in categories:
            evidence.append(self._evidence(prepared, "category", code, found[code]))

        steps = self._match_steps(
            prepared, categories, intent, complaint_spans + category_spans, evidence
        )
        uncertain.difference_update(code for code in categories if code in strong)

        themes = tuple(dict.fromkeys(self.codebook.categories[c].theme for c in categories))
        stage_set = {self.codebook.categories[c].stage for c in categories}
        stages = tuple(code for code in self.codebook.stages if code in stage_set)
        if complaint_spans and intent == "keluhan" and not categories:
            evidence.append(self._evidence(prepared, "intent", intent, complaint_spans[0]))
        return Coding(
            categories=categories,
            themes=themes,
            stages=stages,
            steps=steps,
            intent=intent,
            evidence=tuple(evidence),
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
        text), ``uncertain`` (list of codes) and ``codebook_version``.

        Args:
            frame: the comments, one per row.
            text_column: the column that holds the comment text.
            progress: called as ``progress(done, total)`` every few thousand rows and
                once at the end.

        Raises:
            KeyError: ``text_column`` is not a column of ``frame``.
        """
        if text_column not in frame.columns:
            raise KeyError(
                f"column {text_column!r} not found; the frame has {', '.join(map(str, frame.columns))}"
            )

        total = len(frame)
        cache: dict[str, tuple[Any, ...]] = {}
        rows: list[tuple[Any, ...]] = []
        for done, value in enumerate(frame[text_column].tolist(), start=1):
            text = value if isinstance(value, str) else ""
            row = cache.get(text)
            if row is None:
                coding = self.classify(text)
                row = (
                    coding.categories,
                    coding.themes,
                    coding.stages,
                    coding.steps,
                    coding.intent,
                    tuple(
                        {
                            "field": e.field,
                            "code": e.code,
                            "start": e.start,
                            "end": e.end,
                            "text": e.text,
                        }
                        for e in coding.evidence
                    ),
                    coding.uncertain,
                )
                cache[text] = row
            rows.append(row)
            if progress is not None and done % _PROGRESS_EVERY == 0:
                progress(done, total)
        if progress is not None and total % _PROGRESS_EVERY != 0:
            progress(total, total)

        coded = frame.copy()
        # Fresh lists and dicts per row: a cached row must not be shared between rows,
        # or editing one row's list in the frame would change the others.
        coded["categories"] = [list(row[0]) for row in rows]
        coded["themes"] = [list(row[1]) for row in rows]
        coded["stages"] = [list(row[2]) for row in rows]
        coded["steps"] = [list(row[3]) for row in rows]
        coded["intent"] = [row[4] for row in rows]
        coded["evidence"] = [[dict(item) for item in row[5]] for row in rows]
        coded["uncertain"] = [list(row[6]) for row in rows]
        coded["codebook_version"] = self.codebook.version
        _LOGGER.info("coded %d comments (%d distinct texts)", total, len(cache))
        return coded

    # -- preparation --------------------------------------------------------------

    def _prepare(self, text: str) -> _Text:
        norm = normalize_with_map(text)
        clause_cuts: list[int] = []
        sentence_cuts: list[int] = []
        for token, start in zip(norm.tokens, norm.token_starts, strict=True):
            if token.kind == "punct":
                clause_cuts.append(start)
                if token.text in _SENTENCE_PUNCT:
                    sentence_cuts.append(start)
        context = self.codebook.context
        contrasts = sorted(
            match.start() for pattern in context.contrast for match in pattern.finditer(norm.text)
        )
        clause_cuts = sorted(set(clause_cuts) | set(contrasts))
        reassurances = [
            match.span() for pattern in context.reassurance for match in pattern.finditer(norm.text)
        ]
        return _Text(norm, clause_cuts, sentence_cuts, contrasts, reassurances)

    # -- context rules ------------------------------------------------------------

    def _rejected(self, prepared: _Text, span: _Span) -> bool:
        """Tell whether a negation, a hypothesis or a reassurance cancels the match at ``span``."""
        text = prepared.norm.text
        context = self.codebook.context
        window = text[max(0, span[0] - _CONTEXT_WINDOW) : span[0]]
        if window:
            for pattern in context.negation_before:
                if pattern.search(window):
                    return True
            for pattern in context.hypothetical_before:
                if pattern.search(window):
                    return True
        return self._reassured(prepared, span)

    def _reassured(self, prepared: _Text, span: _Span) -> bool:
        if not prepared.reassurances:
            return False
        clause = _segment(span[0], prepared.clause_cuts)
        for start, _end in prepared.reassurances:
            if _segment(start, prepared.clause_cuts) == clause:
                return True
            if start >= span[1]:
                between = bisect.bisect_left(prepared.contrasts, span[1]) < bisect.bisect_left(
                    prepared.contrasts, start
                )
                if not between:
                    return True
        return False

    # -- categories ---------------------------------------------------------------

    def _candidates(self, text: str) -> list[Category]:
        if self._trigger_re is None:
            return list(self._always)
        codes: set[str] = set()
        for word in self._trigger_re.findall(text):
            codes.update(self._trigger_owners[word])
        chosen = [
            category for category in self.codebook.categories.values() if category.code in codes
        ]
        return chosen + [category for category in self._always if category not in chosen]

    def _first_accepted(
        self,
        prepared: _Text,
        patterns: tuple[re.Pattern[str], ...],
        excluded: list[_Span],
        uncertain: set[str],
        code: str,
    ) -> _Span | None:
        for pattern in patterns:
            for match in pattern.finditer(prepared.norm.text):
                span = match.span()
                if _overlaps(span, excluded):
                    continue
                if self._rejected(prepared, span):
                    uncertain.add(code)
                    continue
                return span
        return None

    def _match_categories(
        self, prepared: _Text, uncertain: set[str]
    ) -> tuple[dict[str, _Span], dict[str, _Span], dict[str, _Span], list[_Span]]:
        text = prepared.norm.text
        strong: dict[str, _Span] = {}
        mentioned: dict[str, _Span] = {}
        fallback: dict[str, _Span] = {}
        spans: list[_Span] = []
        for category in self._candidates(text):
            code = category.code
            excluded = [m.span() for p in category.exclude for m in p.finditer(text)]
            span = self._first_accepted(prepared, category.patterns, excluded, uncertain, code)
            if span is not None:
                strong[code] = span
                spans.append(span)
                continue
            span = self._first_accepted(prepared, category.mentions, excluded, uncertain, code)
            if span is not None:
                mentioned[code] = span
                spans.append(span)
                continue
            span = self._first_accepted(prepared, category.fallback, excluded, uncertain, code)
            if span is not None:
                fallback[code] = span
                spans.append(span)
                continue
            if any(
                not _overlaps(m.span(), excluded) for p in category.weak for m in p.finditer(text)
            ):
                uncertain.add(code)
        return strong, mentioned, fallback, spans

    # -- intent -------------------------------------------------------------------

    def _match_intent(
        self, prepared: _Text, code: str, *, check_context: bool = True
    ) -> list[_Span]:
        intent = self.codebook.intents.get(code)
        if intent is None:
            return []
        spans: list[_Span] = []
        for pattern in intent.patterns:
            for match in pattern.finditer(prepared.norm.text):
                span = match.span()
                if check_context and self._rejected(prepared, span):
                    continue
                spans.append(span)
                if not check_context:
                    return spans
        spans.sort()
        return spans

    # -- steps --------------------------------------------------------------------

    def _match_steps(
        self,
        prepared: _Text,
        categories: tuple[str, ...],
        intent: str,
        problem_spans: list[_Span],
        evidence: list[Evidence],
    ) -> tuple[str, ...]:
        text = prepared.norm.text
        stated: dict[str, _Span] = {}
        if intent == "keluhan":
            problem_sentences = {
                _segment(start, prepared.sentence_cuts) for start, _ in problem_spans
            }
            for step in self.codebook.steps.values():
                excluded = [m.span() for p in step.exclude for m in p.finditer(text)]
                span = self._first_step_span(prepared, step.patterns, excluded, None)
                if span is None and problem_sentences:
                    span = self._first_step_span(
                        prepared, step.mentions, excluded, problem_sentences
                    )
                if span is not None:
                    stated[step.code] = span

        steps: set[str] = set(stated)
        for code in categories:
            category = self.codebook.categories[code]
            if any(step in stated for step in category.steps_unless):
                continue
            steps.update(category.steps)
        for code in sorted(stated, key=self._step_order.__getitem__):
            evidence.append(self._evidence(prepared, "step", code, stated[code]))
        return tuple(sorted(steps, key=self._step_order.__getitem__))

    def _first_step_span(
        self,
        prepared: _Text,
        patterns: tuple[re.Pattern[str], ...],
        excluded: list[_Span],
        sentences: set[int] | None,
    ) -> _Span | None:
        for pattern in patterns:
            for match in pattern.finditer(prepared.norm.text):
                span = match.span()
                if _overlaps(span, excluded) or self._rejected(prepared, span):
                    continue
                if (
                    sentences is not None
                    and _segment(span[0], prepared.sentence_cuts) not in sentences
                ):
                    continue
                return span
        return None

    # -- evidence -----------------------------------------------------------------

    @staticmethod
    def _evidence(prepared: _Text, field: str, code: str, span: _Span) -> Evidence:
        start, end = prepared.norm.original_span(*span)
        return Evidence(field, code, start, end, prepared.norm.original[start:end])
