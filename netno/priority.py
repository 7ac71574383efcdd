"""Rank complaint categories by a transparent priority score and track follow-up actions.

The score of a category in a period is the product of four visible components::

    score = volume_points * stage_weight * growth_factor * severity_factor

``volume_points`` is the category's share of the coded complaints in percent,
``stage_weight`` the weight of its e-government maturity stage (codebook, or the
override in :class:`PriorityWeights`), ``growth_factor`` is
``1 + growth * clip(change against the previous period, -1, growth_cap)`` and
``severity_factor`` is ``1 + sum(signal weight * share of the category's comments
with that cue)``. The severity cues are regular expressions on normalised text,
loaded from ``netno/priority.toml``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from netno.codebook import Codebook
from netno.normalize import normalize
from netno.numbers import format_change, format_columns, format_number
from netno.oserrors import describe_os_error
from netno.privacy import mask_text

__all__ = [
    "ACTION_STATUSES",
    "WEIGHTS_SETTING",
    "PriorityError",
    "SeveritySignal",
    "PriorityWeights",
    "Recommendation",
    "load_signals",
    "parse_signals",
    "default_signals",
    "month_column",
    "available_months",
    "previous_month",
    "format_month",
    "frame_from_counts",
    "category_lists",
    "select_period",
    "theme_totals",
    "stage_totals",
    "monthly_counts",
    "score_categories",
    "score_stages",
    "scores_for_display",
    "build_recommendations",
    "action_effect",
    "save_action_status",
    "load_weights",
    "save_weights",
]

_LOGGER = logging.getLogger(__name__)

DEFAULT_SIGNALS = "priority.toml"
WEIGHTS_SETTING = "priority_weights"
ACTION_STATUSES = ("baru", "dalam proses", "selesai")

_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_MONTH_NAMES = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
# A signal found in fewer comments than this share is left out of the explanation
# because one stray comment in a small category would otherwise read as a trend.
_EXPLAIN_MIN_SHARE = 0.1
# Relative change of the monthly mean below which an action's effect reads as "tetap".
_EFFECT_THRESHOLD = 0.1


class PriorityError(ValueError):
    """Invalid input to the priority score; the message (Indonesian) names the value and the fix."""


@dataclass(frozen=True)
class SeveritySignal:
    """A cue that a complaint costs the applicant more than an inconvenience."""

    code: str
    label: str
    phrase: str  # completes "60% ..." in the explanation
    weight: float
    patterns: tuple[re.Pattern[str], ...]

    def matches(self, normalized_text: str) -> bool:
        """Return True when any pattern occurs in the normalised text."""
        return any(pattern.search(normalized_text) for pattern in self.patterns)


@dataclass(frozen=True)
class PriorityWeights:
    """Weights of the priority score; empty mappings fall back to the data files.

    ``stages`` overrides ``Stage.weight`` of the codebook per stage code and
    ``severity`` overrides each signal's ``weight`` from ``priority.toml``.
    """

    growth: float = 0.5
    growth_cap: float = 1.0
    stages: dict[str, float] = field(default_factory=dict)
    severity: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_number(self.growth, "growth", upper=5.0)
        _check_number(self.growth_cap, "growth_cap", upper=10.0)
        for name, mapping in (("stages", self.stages), ("severity", self.severity)):
            if not isinstance(mapping, Mapping):
                raise PriorityError(
                    f"Bobot {name!r} harus berupa pasangan kode dan angka, bukan {mapping!r}."
                )
            for code, value in mapping.items():
                _check_number(value, f"{name}.{code}", upper=10.0)

    def stage_weight(self, codebook: Codebook, stage: str) -> float:
        """Return the weight of ``stage``: the override, else the codebook's ``Stage.weight``."""
        return float(self.stages.get(stage, codebook.stages[stage].weight))

    def signal_weight(self, signal: SeveritySignal) -> float:
        """Return the weight of ``signal``: the override, else its ``priority.toml`` default."""
        return float(self.severity.get(signal.code, signal.weight))

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict; :meth:`from_dict` reads it back."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PriorityWeights:
        """Build weights from a dict written by :meth:`to_dict`.

        Raises:
            PriorityError: a key is unknown or a value is not a number in range.
        """
        known = {"growth", "growth_cap", "stages", "severity"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise PriorityError(
                f"Kunci bobot tidak dikenal: {', '.join(unknown)}; "
                f"gunakan {', '.join(sorted(known))}."
            )
        return cls(
            growth=data.get("growth", 0.5),
            growth_cap=data.get("growth_cap", 1.0),
            stages=dict(data.get("stages") or {}),
            severity=dict(data.get("severity") or {}),
        )


def _check_number(value: Any, name: str, *, upper: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise PriorityError(f"Bobot {name!r} harus berupa angka, bukan {value!r}.")
    if not 0 <= value <= upper:
        raise PriorityError(
            f"Bobot {name!r} bernilai {value}; gunakan angka antara 0 dan {upper:g}."
        )


@dataclass(frozen=True)
class Recommendation:
    """One ranked recommendation with the evidence a manager needs."""

    category: str
    label: str
    rank: int
    score: float
    stage: str
    theme: str
    count: int
    share: float
    explanation: str
    action: str
    unit: str
    trend: tuple[tuple[str, int], ...]  # (YYYY-MM, complaints), oldest first
    examples: tuple[str, ...]


# --- severity signals -------------------------------------------------------------


def parse_signals(text: str, *, source: str = DEFAULT_SIGNALS) -> tuple[SeveritySignal, ...]:
    """Parse and validate the severity-signal TOML text.

    Raises:
        PriorityError: the TOML is invalid, a field is missing, a code repeats,
            a weight is not a number of 0 or more, or a pattern does not compile.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PriorityError(f"{source}: TOML tidak valid ({error}).") from error
    entries = data.get("signals")
    if not isinstance(entries, list) or not entries:
        raise PriorityError(f"{source}: daftar [[signals]] tidak ada atau kosong.")

    signals: list[SeveritySignal] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise PriorityError(f"{source}: entri [[signals]] ke-{position} bukan tabel.")
        fields = {}
        for key in ("code", "label", "phrase"):
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip():
                raise PriorityError(
                    f"{source}: sinyal ke-{position} tidak punya isian {key!r}; isi dengan teks."
                )
            fields[key] = value.strip()
        code = fields["code"]
        if code in seen:
            raise PriorityError(f"{source}: kode sinyal {code!r} ganda; setiap kode harus unik.")
        seen.add(code)
        weight = entry.get("weight", 0.0)
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
            raise PriorityError(
                f"{source}: bobot sinyal {code!r} bernilai {weight!r}; gunakan angka 0 atau lebih."
            )
        signals.append(
            SeveritySignal(
                code=code,
                label=fields["label"],
                phrase=fields["phrase"],
                weight=float(weight),
                patterns=_compile_patterns(entry.get("patterns"), f"{source}: sinyal {code!r}"),
            )
        )
    return tuple(signals)


def _compile_patterns(patterns: Any, where: str) -> tuple[re.Pattern[str], ...]:
    if not isinstance(patterns, list) or not patterns:
        raise PriorityError(f"{where}: 'patterns' harus berupa daftar regex yang tidak kosong.")
    compiled = []
    for pattern in patterns:
        if not isinstance(pattern, str) or not pattern.strip():
            raise PriorityError(f"{where}: pola {pattern!r} harus berupa teks yang tidak kosong.")
        try:
            compiled.append(re.compile(pattern))
        except re.error as error:
            raise PriorityError(
                f"{where}: pola {pattern!r} tidak valid ({error}); perbaiki regex tersebut."
            ) from error
    return tuple(compiled)


def load_signals(path: str | Path | None = None) -> tuple[SeveritySignal, ...]:
    """Load severity signals from ``path``, or the ones shipped in ``netno/`` when None.

    Raises:
        PriorityError: the file cannot be read or fails validation.
    """
    if path is None:
        text = resources.files("netno").joinpath(DEFAULT_SIGNALS).read_text(encoding="utf-8")
        return parse_signals(text)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise PriorityError(
            f"{path}: berkas sinyal tidak bisa dibaca ({describe_os_error(error)})."
        ) from error
    return parse_signals(text, source=str(path))


@lru_cache(maxsize=1)
def default_signals() -> tuple[SeveritySignal, ...]:
    """Return the shipped severity signals, loaded once per process."""
    return load_signals()


# --- months -----------------------------------------------------------------------


def month_column(coded: pd.DataFrame) -> pd.Series:
    """Return each row's month (``YYYY-MM``, Asia/Jakarta) from ``month`` or ``created_at``.

    Raises:
        PriorityError: the frame has neither column.
    """
    if "month" in coded.columns:
        return coded["month"].astype("string")
    if "created_at" in coded.columns:
        instants = pd.to_datetime(coded["created_at"], utc=True, errors="coerce")
        local = instants.dt.tz_convert("Asia/Jakarta")
        return local.dt.strftime("%Y-%m").astype("string")
    raise PriorityError(
        "Data komentar tidak punya kolom 'month' atau 'created_at'; "
        "kodekan ulang berkas ekspor agar bulan komentar diketahui."
    )


def _check_month(value: str, role: str) -> str:
    """Raise ``PriorityError`` unless ``value`` is ``YYYY-MM``; ``role`` names it in Indonesian."""
    if not isinstance(value, str) or not _MONTH_RE.match(value):
        raise PriorityError(
            f"{role} {value!r} tidak valid; tulis sebagai TAHUN-BULAN, misalnya 2024-03."
        )
    return value


def available_months(coded: pd.DataFrame) -> list[str]:
    """Return the months present in ``coded``, oldest first."""
    if coded.empty:
        return []
    return sorted(month_column(coded).dropna().unique().tolist())


def previous_month(period: str) -> str:
    """Return the month before ``period`` (``YYYY-MM``).

    Raises:
        PriorityError: ``period`` is not ``YYYY-MM``.
    """
    _check_month(period, "Periode")
    year, month = int(period[:4]), int(period[5:])
    if month == 1:
        return f"{year - 1}-12"
    return f"{year}-{month - 1:02d}"


def format_month(period: str) -> str:
    """Return ``"Maret 2024"`` for ``"2024-03"``; other text is returned unchanged."""
    if isinstance(period, str) and _MONTH_RE.match(period):
        return f"{_MONTH_NAMES[int(period[5:]) - 1]} {period[:4]}"
    return str(period)


def _month_range(first: str, last: str) -> list[str]:
    months = pd.period_range(first, last, freq="M")
    return [str(month) for month in months]


# --- counting ---------------------------------------------------------------------


def frame_from_counts(
    counts: Mapping[str, int], *, codebook: Codebook, month: str = "2024-01"
) -> pd.DataFrame:
    """Build a coded frame with one text-less comment per counted complaint.

    Use it to score published totals (such as a study's table) with the same code
    as stored comments. Each comment carries exactly one category.

    Raises:
        PriorityError: a category is not in the codebook or a count is negative.
    """
    _check_month(month, "Bulan")
    rows: list[dict[str, Any]] = []
    for category, count in counts.items():
        if category not in codebook.categories:
            raise PriorityError(
                f"Kategori {category!r} tidak ada di codebook; "
                f"gunakan salah satu dari {', '.join(codebook.categories)}."
            )
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise PriorityError(
                f"Jumlah untuk kategori {category!r} bernilai {count!r}; "
                "gunakan bilangan bulat 0 atau lebih."
            )
        spec = codebook.categories[category]
        rows.extend(
            {
                "text": "",
                "categories": [category],
                "themes": [spec.theme],
                "stages": [spec.stage],
                "month": month,
            }
            for _ in range(count)
        )
    return pd.DataFrame(rows, columns=["text", "categories", "themes", "stages", "month"])


def category_lists(coded: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """Return each row's known categories as a list, dropping codes outside the codebook.

    Raises:
        PriorityError: the frame has no ``categories`` column.
    """
    if "categories" not in coded.columns:
        raise PriorityError(
            "Data komentar tidak punya kolom 'categories'; kodekan komentar terlebih dahulu."
        )

    def known(value: Any) -> list[str]:
        if value is None or isinstance(value, str | float):
            return []
        return [code for code in value if code in codebook.categories]

    return coded["categories"].map(known)


def _totals_by(coded: pd.DataFrame, codebook: Codebook, key: str) -> dict[str, int]:
    lists = category_lists(coded, codebook)
    totals: dict[str, int] = {}
    for categories in lists:
        # A comment counts once per theme or stage even with two categories in it.
        for group in {getattr(codebook.categories[code], key) for code in categories}:
            totals[group] = totals.get(group, 0) + 1
    return totals


def theme_totals(coded: pd.DataFrame, *, codebook: Codebook) -> dict[str, int]:
    """Count comments per theme (codebook order); a comment counts once per theme."""
    totals = _totals_by(coded, codebook, "theme")
    return {code: totals.get(code, 0) for code in codebook.themes}


def stage_totals(coded: pd.DataFrame, *, codebook: Codebook) -> dict[str, int]:
    """Count comments per maturity stage (stage order); a comment counts once per stage."""
    totals = _totals_by(coded, codebook, "stage")
    return {code: totals.get(code, 0) for code in codebook.stages}


def monthly_counts(coded: pd.DataFrame, *, codebook: Codebook) -> pd.DataFrame:
    """Count comments per month and category, with every month between the first and last.

    Returns a frame indexed by month (``YYYY-MM``) with one column per category in
    codebook order; months without complaints hold zeros.
    """
    columns = list(codebook.categories)
    if coded.empty:
        return pd.DataFrame(columns=columns, dtype="int64")
    coded = _unique_index(coded)
    months = month_column(coded)
    pairs = _category_rows(coded, codebook)
    exploded = pd.DataFrame(
        {"month": months.loc[pairs.index].to_numpy(), "category": pairs.to_numpy()}
    ).dropna()
    known_months = months.dropna()
    if known_months.empty:
        return pd.DataFrame(columns=columns, dtype="int64")
    table = pd.crosstab(exploded["month"], exploded["category"])
    index = _month_range(known_months.min(), known_months.max())
    return table.reindex(index=index, columns=columns, fill_value=0).astype("int64")


def select_period(coded: pd.DataFrame, period: str | None) -> pd.DataFrame:
    """Return the rows of ``period`` (``YYYY-MM``), or all rows when ``period`` is None.

    Raises:
        PriorityError: ``period`` is not ``YYYY-MM``.
    """
    if period is None:
        return coded
    _check_month(period, "Periode")
    return coded[month_column(coded) == period]


# --- scoring ----------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def _text_signal_hits(text: str, signals: tuple[SeveritySignal, ...]) -> tuple[bool, ...]:
    # The score and the example picker test the same comments on one page, and the
    # dashboard repeats both on every rerun, so each text is normalised and searched once.
    normalized = normalize(text)
    return tuple(signal.matches(normalized) for signal in signals)


def _signal_hits(
    texts: pd.Series, signals: tuple[SeveritySignal, ...], *, rows: pd.Index | None = None
) -> pd.DataFrame:
    """Return one boolean column per signal: does the comment's normalised text match it.

    ``rows`` limits the test to those index labels (the complaints); the other rows are
    False. Each distinct text is tested once.
    """
    columns = [signal.code for signal in signals]
    hits = pd.DataFrame(False, index=texts.index, columns=columns, dtype=bool)
    tested = texts if rows is None else texts.loc[rows]
    if tested.empty or not signals:
        return hits
    codes, uniques = pd.factorize(tested.fillna("").astype(str))
    found = [_text_signal_hits(text, signals) for text in uniques]
    matrix = pd.DataFrame(found, columns=columns, dtype=bool).to_numpy()[codes]
    hits.loc[tested.index, columns] = matrix
    return hits


def _unique_index(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with a unique index, renumbering it only when labels repeat."""
    return frame if frame.index.is_unique else frame.reset_index(drop=True)


def _category_rows(coded: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """Return one row per (comment, known category), indexed by the comment's label.

    A category listed twice in one comment appears once. Callers select rows by these
    labels, so ``coded`` needs a unique index (see :func:`_unique_index`).
    """
    lists = category_lists(coded, codebook)
    exploded = lists.explode().dropna()
    frame = pd.DataFrame({"row": exploded.index, "code": exploded.to_numpy()})
    frame = frame.drop_duplicates()
    return pd.Series(frame["code"].to_numpy(), index=frame["row"].to_numpy(), dtype=object)


def _format_number(value: float, decimals: int = 1, *, keep_zeros: bool = False) -> str:
    """Format a number the Indonesian way; trailing zeros of the decimals go unless kept."""
    return format_number(value, decimals=decimals, trim=not keep_zeros)


def _format_weight(value: float) -> str:
    """Format a weight with at least one decimal: 1,0, 1,6, 1,25."""
    text = _format_number(value, 2)
    return text if "," in text else f"{text},0"


def _percent(share: float) -> str:
    if 0 < abs(share) < 0.005:
        return "<1%"
    return f"{_format_number(share * 100, 0)}%"


def _growth_text(row: Mapping[str, Any], previous_label: str | None) -> str | None:
    if previous_label is None:
        return None
    previous_count = row["previous_count"]
    if pd.isna(previous_count):
        return f"belum ada data {previous_label}"
    if previous_count == 0:
        if row["count"] == 0:
            return None
        return f"baru muncul (0 keluhan {previous_label})"
    growth = row["growth"]
    if growth > 0:
        return f"naik {_percent(growth)} dari {previous_label}"
    if growth < 0:
        return f"turun {_percent(-growth)} dari {previous_label}"
    return f"sama dengan {previous_label}"


def _explain(
    row: Mapping[str, Any],
    *,
    codebook: Codebook,
    signals: tuple[SeveritySignal, ...],
    previous_label: str | None,
) -> str:
    label = row["label"]
    if row["count"] == 0:
        growth = _growth_text(row, previous_label)
        suffix = f" ({growth})" if growth and growth.startswith("turun") else ""
        return f"{label}: tidak ada keluhan pada periode ini{suffix}."
    parts = [f"{format_number(row['count'])} keluhan ({_percent(row['share'])} dari semua)"]
    growth = _growth_text(row, previous_label)
    if growth:
        parts.append(growth)
    stage = codebook.stages[row["stage"]]
    parts.append(f"tahap {stage.label.lower()} (bobot {_format_weight(row['stage_weight'])})")
    found = sorted(
        (
            (row[f"signal_{signal.code}"], signal)
            for signal in signals
            if row[f"signal_{signal.code}"] >= _EXPLAIN_MIN_SHARE
        ),
        key=lambda pair: -pair[0],
    )
    for share, signal in found[:2]:
        parts.append(f"{_percent(share)} {signal.phrase}")
    return f"{label}: {', '.join(parts)}."


def _previous_label(period: str | None, previous: str | None) -> str | None:
    if previous is None:
        return None
    if period is not None and previous == previous_month(period):
        return "bulan lalu"
    return format_month(previous)


def _check_weights(
    weights: PriorityWeights, codebook: Codebook, signals: tuple[SeveritySignal, ...]
) -> None:
    for code in weights.stages:
        if code not in codebook.stages:
            raise PriorityError(
                f"Bobot untuk tahap {code!r} tidak dikenal; "
                f"gunakan salah satu dari {', '.join(codebook.stages)}."
            )
    codes = [signal.code for signal in signals]
    for code in weights.severity:
        if code not in codes:
            raise PriorityError(
                f"Bobot untuk sinyal {code!r} tidak dikenal; "
                f"gunakan salah satu dari {', '.join(codes)}."
            )


def score_categories(
    coded: pd.DataFrame,
    *,
    codebook: Codebook,
    period: str | None = None,
    previous: str | None = None,
    weights: PriorityWeights | None = None,
    signals: tuple[SeveritySignal, ...] | None = None,
) -> pd.DataFrame:
    """Score every codebook category for ``period`` and rank them, highest score first.

    Args:
        coded: the coded frame (``categories`` and ``month`` or ``created_at``;
            ``text`` for the severity cues).
        codebook: gives each category's label, theme and stage.
        period: the month scored (``YYYY-MM``); None scores the whole frame.
        previous: the month to compare against; None leaves growth out.
        weights: score weights; None uses the defaults.
        signals: severity cues; None uses ``netno/priority.toml``.

    Returns:
        One row per category: ``category, label, theme, stage, count, share,
        previous_count, growth, volume_points, stage_weight, growth_factor,
        signal_<code>`` (share of the category's comments with the cue) per signal,
        ``severity_factor, score, rank, explanation``.

    Raises:
        PriorityError: a month is not ``YYYY-MM``, a column is missing or a weight
            names an unknown stage or signal.
    """
    weights = weights or PriorityWeights()
    signals = default_signals() if signals is None else signals
    _check_weights(weights, codebook, signals)
    if previous is not None:
        _check_month(previous, "Periode pembanding")

    current = _unique_index(select_period(coded, period))
    pairs = _category_rows(current, codebook)
    rows_of = pairs.groupby(pairs.to_numpy(), sort=False).groups if len(pairs) else {}
    complaints = int(pairs.index.nunique())
    if "text" in current.columns and signals:
        hits = _signal_hits(current["text"], signals, rows=pd.Index(pairs.index.unique()))
    else:
        hits = pd.DataFrame(False, index=current.index, columns=[s.code for s in signals])

    previous_counts: dict[str, int] | None = None
    if previous is not None:
        before_frame = select_period(coded, previous)
        if len(before_frame):
            before = _category_rows(before_frame, codebook).value_counts()
            previous_counts = {code: int(before.get(code, 0)) for code in codebook.categories}

    rows = []
    for order, (code, spec) in enumerate(codebook.categories.items()):
        members = rows_of.get(code, pd.Index([]))
        count = len(members)
        share = count / complaints if complaints else 0.0
        row: dict[str, Any] = {
            "category": code,
            "label": spec.label,
            "theme": spec.theme,
            "stage": spec.stage,
            "count": count,
            "share": share,
            "previous_count": pd.NA,
            "growth": math.nan,
        }
        growth_factor = 1.0
        if previous_counts is not None:
            before_count = previous_counts[code]
            row["previous_count"] = before_count
            if before_count:
                row["growth"] = (count - before_count) / before_count
                clipped = max(-1.0, min(weights.growth_cap, row["growth"]))
                growth_factor = 1 + weights.growth * clipped
            elif count:
                growth_factor = 1 + weights.growth * weights.growth_cap

        severity_factor = 1.0
        for signal in signals:
            signal_share = float(hits.loc[members, signal.code].mean()) if count else 0.0
            row[f"signal_{signal.code}"] = signal_share
            severity_factor += weights.signal_weight(signal) * signal_share

        row["volume_points"] = share * 100
        row["stage_weight"] = weights.stage_weight(codebook, spec.stage)
        row["growth_factor"] = growth_factor
        row["severity_factor"] = severity_factor
        row["score"] = round(
            row["volume_points"] * row["stage_weight"] * growth_factor * severity_factor, 2
        )
        row["_order"] = order
        rows.append(row)

    scores = pd.DataFrame(rows)
    scores["previous_count"] = scores["previous_count"].astype("Int64")
    scores = scores.sort_values(
        ["score", "count", "_order"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)
    scores["rank"] = range(1, len(scores) + 1)
    label = _previous_label(period, previous)
    scores["explanation"] = [
        _explain(row, codebook=codebook, signals=signals, previous_label=label)
        for row in scores.to_dict("records")
    ]
    _LOGGER.info(
        "scored %d categories over %d coded complaints (period %s)",
        len(scores), complaints, period or "all",
    )
    return scores.drop(columns="_order")


def _growth_cell(row: Mapping[str, Any]) -> str:
    """Render growth for a table cell: "+40%", "baru" (none last period) or "-" (no comparison)."""
    if pd.isna(row["previous_count"]):
        return "-"
    if pd.isna(row["growth"]):
        return "baru" if row["count"] else "-"
    return format_change(row["growth"] * 100)


def scores_for_display(
    scores: pd.DataFrame, *, signals: tuple[SeveritySignal, ...] | None = None
) -> pd.DataFrame:
    """Return the ranked scores with Indonesian headers and numbers, for a table on screen.

    Every number is text with a decimal comma and a thousands dot (``netno.numbers``).
    """
    signals = default_signals() if signals is None else signals
    table = pd.DataFrame(
        {
            "Peringkat": scores["rank"],
            "Kategori": scores["label"],
            "Tahap": scores["stage"],
            "Jumlah": scores["count"],
            "Porsi (%)": scores["share"] * 100,
            "Pertumbuhan": [_growth_cell(row) for row in scores.to_dict("records")],
            "Bobot tahap": scores["stage_weight"],
        }
    )
    decimals = {"Jumlah": 0, "Porsi (%)": 1, "Bobot tahap": 2, "Faktor keparahan": 2, "Skor": 2}
    for signal in signals:
        table[f"{signal.label} (%)"] = scores[f"signal_{signal.code}"] * 100
        decimals[f"{signal.label} (%)"] = 1
    table["Faktor keparahan"] = scores["severity_factor"]
    table["Skor"] = scores["score"]
    table["Penjelasan"] = scores["explanation"]
    return format_columns(table, decimals)


def score_stages(
    coded: pd.DataFrame,
    scores: pd.DataFrame,
    *,
    codebook: Codebook,
    period: str | None = None,
) -> pd.DataFrame:
    """Rank the maturity stages by their most urgent category.

    A stage's priority is the highest category score inside it, not the sum: the
    sum grows with the number of categories the codebook splits a stage into
    (interact has eight, transact three), while each category needs its own fix.

    Returns:
        One row per stage in maturity order: ``stage, label, count, share,
        stage_weight, top_category, top_label, priority, rank, explanation``.
    """
    current = select_period(coded, period)
    totals = stage_totals(current, codebook=codebook)
    complaints = int((category_lists(current, codebook).map(len) > 0).sum())

    rows = []
    for code, stage in codebook.stages.items():
        inside = scores[scores["stage"] == code]
        top = inside.sort_values("rank").iloc[0] if len(inside) else None
        count = totals[code]
        priority = float(top["score"]) if top is not None else 0.0
        weight = float(inside["stage_weight"].iloc[0]) if len(inside) else stage.weight
        rows.append(
            {
                "stage": code,
                "label": stage.label,
                "count": count,
                "share": count / complaints if complaints else 0.0,
                "stage_weight": weight,
                "top_category": top["category"] if top is not None else None,
                "top_label": top["label"] if top is not None else None,
                "priority": priority,
            }
        )
    stages = pd.DataFrame(rows)
    order = stages.sort_values(["priority", "count"], ascending=False, kind="stable").index
    stages.loc[order, "rank"] = range(1, len(stages) + 1)
    stages["rank"] = stages["rank"].astype(int)
    stages["explanation"] = [
        _explain_stage(row) for row in stages.to_dict("records")
    ]
    return stages


def _explain_stage(row: Mapping[str, Any]) -> str:
    text = (
        f"Tahap {row['label'].lower()}: {format_number(row['count'])} keluhan "
        f"({_percent(row['share'])}), "
        f"bobot {_format_weight(row['stage_weight'])}"
    )
    if row["count"] and row["top_label"]:
        text += (
            f"; masalah paling mendesak: {row['top_label']} "
            f"(skor {_format_number(row['priority'], 1, keep_zeros=True)})"
        )
    return text + "."


# --- recommendations --------------------------------------------------------------


def _pick_examples(
    rows: pd.DataFrame, hits: pd.DataFrame, *, limit: int
) -> tuple[str, ...]:
    """Pick the comments that show the most severity cues, then the most liked, then the newest."""
    if rows.empty or "text" not in rows.columns:
        return ()
    candidates = pd.DataFrame(
        {
            "text": rows["text"].fillna("").astype(str).str.strip(),
            "cues": hits.loc[rows.index].sum(axis=1) if len(hits.columns) else 0,
            "likes": pd.to_numeric(rows.get("likes", 0), errors="coerce"),
        },
        index=rows.index,
    )
    candidates["likes"] = candidates["likes"].fillna(0)
    candidates["created"] = (
        pd.to_datetime(rows["created_at"], utc=True, errors="coerce")
        if "created_at" in rows.columns
        else pd.NaT
    )
    # Very short comments ("error") show nothing a manager can act on.
    candidates = candidates[candidates["text"].str.len() >= 15]
    candidates = candidates.drop_duplicates("text")
    candidates = candidates.sort_values(
        ["cues", "likes", "created"], ascending=False, kind="stable", na_position="last"
    )
    return tuple(mask_text(text) for text in candidates["text"].head(limit))


def build_recommendations(
    coded: pd.DataFrame,
    scores: pd.DataFrame,
    *,
    codebook: Codebook,
    period: str | None = None,
    trend_months: int = 6,
    examples: int = 3,
    signals: tuple[SeveritySignal, ...] | None = None,
) -> list[Recommendation]:
    """Turn ranked scores into recommendations with action, unit, trend and example comments.

    Categories without complaints in the period are left out. The trend covers the
    ``trend_months`` months up to ``period`` (or up to the last month in the data).
    """
    signals = default_signals() if signals is None else signals
    monthly = monthly_counts(coded, codebook=codebook)
    if period is not None and period in monthly.index:
        monthly = monthly.loc[:period]
    monthly = monthly.tail(trend_months)

    current = _unique_index(select_period(coded, period))
    pairs = _category_rows(current, codebook)
    rows_of = pairs.groupby(pairs.to_numpy(), sort=False).groups if len(pairs) else {}
    hits = (
        _signal_hits(current["text"], signals, rows=pd.Index(pairs.index.unique()))
        if "text" in current.columns and signals
        else pd.DataFrame(index=current.index)
    )

    recommendations = []
    for row in scores.sort_values("rank").to_dict("records"):
        if row["count"] == 0:
            continue
        spec = codebook.categories[row["category"]]
        members = rows_of.get(spec.code, pd.Index([]))
        trend = tuple((str(month), int(value)) for month, value in monthly[spec.code].items())
        recommendations.append(
            Recommendation(
                category=spec.code,
                label=spec.label,
                rank=int(row["rank"]),
                score=float(row["score"]),
                stage=spec.stage,
                theme=spec.theme,
                count=int(row["count"]),
                share=float(row["share"]),
                explanation=row["explanation"],
                action=spec.action or "Belum ada tindakan yang disarankan di codebook.",
                unit=spec.unit or "Belum ditentukan",
                trend=trend,
                examples=_pick_examples(current.loc[members], hits, limit=examples),
            )
        )
    return recommendations


# --- follow-up of actions ---------------------------------------------------------


def _as_date(value: dt.date | dt.datetime | str, name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError as error:
            raise PriorityError(
                f"Tanggal {name} {value!r} tidak valid; tulis sebagai TAHUN-BULAN-TANGGAL, "
                "misalnya 2024-03-15."
            ) from error
    raise PriorityError(f"Tanggal {name} {value!r} tidak valid; isi dengan tanggal.")


def action_effect(
    coded: pd.DataFrame,
    category: str,
    action_date: dt.date | dt.datetime | str,
    *,
    months: int = 3,
) -> dict[str, Any]:
    """Compare a category's mean monthly complaints before and after an action.

    The month of the action itself is left out because it mixes both sides. Up to
    ``months`` whole months on each side are used, zeros included.

    Returns:
        A dict with ``category, action_month, months_before, months_after,
        mean_before, mean_after, change`` (relative, None when undefined),
        ``verdict`` (``turun``, ``naik``, ``tetap`` or ``belum_ada_data``) and an
        Indonesian ``message``.

    Raises:
        PriorityError: the date is invalid or ``months`` is below 1.
    """
    if months < 1:
        raise PriorityError(f"Jumlah bulan pembanding {months} tidak valid; gunakan 1 atau lebih.")
    action_month = _as_date(action_date, "tindakan").strftime("%Y-%m")

    series = pd.Series(dtype="int64")
    if not coded.empty:
        lists = coded["categories"] if "categories" in coded.columns else pd.Series(dtype=object)
        hit = lists.map(lambda value: value is not None and not isinstance(value, str | float)
                        and category in value)
        frame_months = month_column(coded)
        known = frame_months.dropna()
        if not known.empty:
            index = _month_range(min(known.min(), action_month), max(known.max(), action_month))
            series = hit.groupby(frame_months).sum().reindex(index, fill_value=0).astype("int64")
            # Months after the last month in the data are unknown, not zero.
            series = series.loc[: known.max()]

    before = series[series.index < action_month].tail(months)
    after = series[series.index > action_month].head(months)
    mean_before = float(before.mean()) if len(before) else None
    mean_after = float(after.mean()) if len(after) else None

    result: dict[str, Any] = {
        "category": category,
        "action_month": action_month,
        "months_before": list(before.index),
        "months_after": list(after.index),
        "mean_before": mean_before,
        "mean_after": mean_after,
        "change": None,
    }
    if mean_before is None or mean_after is None:
        result["verdict"] = "belum_ada_data"
        side = "sebelum" if mean_before is None else "sesudah"
        result["message"] = f"Belum ada data bulan {side} tindakan ({format_month(action_month)})."
        return result

    before_text = _format_number(mean_before, 1)
    after_text = _format_number(mean_after, 1)
    if mean_before == 0:
        result["verdict"] = "naik" if mean_after > 0 else "tetap"
    else:
        result["change"] = (mean_after - mean_before) / mean_before
        if result["change"] <= -_EFFECT_THRESHOLD:
            result["verdict"] = "turun"
        elif result["change"] >= _EFFECT_THRESHOLD:
            result["verdict"] = "naik"
        else:
            result["verdict"] = "tetap"
    wording = {"turun": "turun", "naik": "naik", "tetap": "relatif tetap"}[result["verdict"]]
    result["message"] = (
        f"Keluhan {wording}: rata-rata {before_text} per bulan sebelum tindakan "
        f"({len(before)} bulan), {after_text} per bulan sesudahnya ({len(after)} bulan)."
    )
    return result


class _ActionStore(Protocol):
    def set_action_status(
        self, category: str, *, status: str, note: str, action_date: Any, actor: str
    ) -> Any: ...


class _SettingsStore(Protocol):
    def get_setting(self, key: str) -> Any: ...

    def set_setting(self, key: str, value: Any) -> Any: ...


def save_action_status(
    store: _ActionStore,
    category: str,
    *,
    status: str,
    note: str = "",
    action_date: dt.date | dt.datetime | str | None = None,
    actor: str,
    codebook: Codebook,
) -> None:
    """Validate a follow-up status and save it with ``store.set_action_status``.

    The store masks personal data in the note, because visitors and the downloadable
    report can read it.

    Raises:
        PriorityError: the category, status or date is invalid.
    """
    if category not in codebook.categories:
        raise PriorityError(
            f"Kategori {category!r} tidak ada di codebook; pilih kategori dari daftar prioritas."
        )
    if status not in ACTION_STATUSES:
        raise PriorityError(
            f"Status {status!r} tidak dikenal; "
            f"gunakan salah satu dari {', '.join(ACTION_STATUSES)}."
        )
    date = _as_date(action_date, "tindakan") if action_date is not None else None
    store.set_action_status(
        category, status=status, note=note.strip(), action_date=date, actor=actor
    )
    _LOGGER.info("action status of %s set to %r by %s", category, status, actor)


def load_weights(store: _SettingsStore) -> PriorityWeights:
    """Read the saved weights from the store, or the defaults when none are saved.

    Raises:
        PriorityError: the saved value is not valid weights.
    """
    saved = store.get_setting(WEIGHTS_SETTING)
    if saved is None or saved == "":
        return PriorityWeights()
    if isinstance(saved, str):
        try:
            saved = json.loads(saved)
        except json.JSONDecodeError as error:
            raise PriorityError(
                f"Bobot prioritas yang tersimpan rusak ({error}); simpan ulang bobot di halaman "
                "Rekomendasi prioritas."
            ) from error
    if not isinstance(saved, Mapping):
        raise PriorityError(
            f"Bobot prioritas yang tersimpan bukan tabel ({saved!r}); simpan ulang bobotnya."
        )
    return PriorityWeights.from_dict(saved)


def save_weights(store: _SettingsStore, weights: PriorityWeights) -> None:
    """Save ``weights`` in the store as a JSON text under ``priority_weights``."""
    store.set_setting(WEIGHTS_SETTING, json.dumps(weights.to_dict(), sort_keys=True))
