"""Filter a coded frame and count it the ways the dashboard's views need."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from netno.codebook import Codebook
from netno.numbers import format_change, format_number

NO_STEP = "(langkah tidak disebut)"


@dataclass(frozen=True)
class Filters:
    """The sidebar's choices; an empty tuple means no restriction."""

    start_month: str | None = None  # "YYYY-MM", inclusive
    end_month: str | None = None
    themes: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    intents: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)


def _has_any(values: pd.Series, wanted: Iterable[str]) -> pd.Series:
    wanted_set = set(wanted)
    return values.map(lambda codes: bool(wanted_set.intersection(codes)))


def apply_filters(coded: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Return the rows of ``coded`` that pass every filter.

    A comment passes a theme, stage or category filter when any of its codes is chosen.
    """
    if coded.empty:
        return coded
    mask = pd.Series(True, index=coded.index)
    if filters.start_month:
        mask &= coded["month"].fillna("") >= filters.start_month
    if filters.end_month:
        mask &= coded["month"].fillna("9999") <= filters.end_month
    if filters.themes:
        mask &= _has_any(coded["themes"], filters.themes)
    if filters.stages:
        mask &= _has_any(coded["stages"], filters.stages)
    if filters.categories:
        mask &= _has_any(coded["categories"], filters.categories)
    if filters.intents:
        mask &= coded["intent"].isin(filters.intents)
    return coded[mask]


def months_in(coded: pd.DataFrame) -> list[str]:
    """Return the sorted months (``YYYY-MM``) that have at least one comment."""
    if coded.empty or "month" not in coded:
        return []
    return sorted(month for month in coded["month"].dropna().unique())


def category_counts(coded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Count comments per category (a comment counts once per category).

    Returns one row per codebook category, zero counts included, with label, theme and
    stage, ordered by count.
    """
    exploded = coded["categories"].explode().dropna() if not coded.empty else pd.Series([])
    counts = exploded.value_counts()
    total_coded = int((coded["categories"].map(len) > 0).sum()) if not coded.empty else 0
    rows = []
    for code, category in codebook.categories.items():
        count = int(counts.get(code, 0))
        rows.append(
            {
                "category": code,
                "label": category.label,
                "theme": category.theme,
                "theme_label": codebook.themes[category.theme].label,
                "stage": category.stage,
                "stage_label": codebook.stages[category.stage].label,
                "count": count,
                "share": count / total_coded if total_coded else 0.0,
            }
        )
    table = pd.DataFrame(rows)
    return table.sort_values(["count", "category"], ascending=[False, True], ignore_index=True)


def stage_counts(coded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Count comments per maturity stage, in the codebook's stage order.

    A comment with two categories of the same stage counts once for that stage.
    """
    if coded.empty:
        counts = pd.Series(dtype=int)
    else:
        # One explode, then one count per (comment, stage) pair.
        exploded = coded["stages"].reset_index(drop=True).explode().dropna()
        pairs = pd.DataFrame({"row": exploded.index, "stage": exploded.to_numpy()})
        counts = pairs.drop_duplicates()["stage"].value_counts()
    return pd.DataFrame(
        [
            {
                "stage": code,
                "label": stage.label,
                "description": stage.description,
                "order": stage.order,
                "count": int(counts.get(code, 0)),
            }
            for code, stage in codebook.stages.items()
        ]
    )


def hierarchy_counts(coded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Count comments per (theme, category, step) for the hierarchy treemap.

    A comment with a category but no step counts under ``NO_STEP``. Only positive counts
    are returned, because a treemap cannot draw a zero-sized box.
    """
    columns = ["theme", "theme_label", "category", "category_label", "step", "step_label", "count"]
    rows: dict[tuple[str, str, str], int] = {}
    for categories, steps in zip(coded["categories"], coded["steps"], strict=True):
        for category in categories:
            for step in steps or [NO_STEP]:
                key = (codebook.categories[category].theme, category, step)
                rows[key] = rows.get(key, 0) + 1
    records = [
        {
            "theme": theme,
            "theme_label": codebook.themes[theme].label,
            "category": category,
            "category_label": codebook.categories[category].label,
            "step": step,
            "step_label": codebook.steps[step].label if step in codebook.steps else NO_STEP,
            "count": count,
        }
        for (theme, category, step), count in rows.items()
    ]
    return pd.DataFrame(records, columns=columns)


def comments_matching(
    coded: pd.DataFrame,
    *,
    theme: str | None = None,
    category: str | None = None,
    step: str | None = None,
) -> pd.DataFrame:
    """Return the comments behind one box of the hierarchy (``NO_STEP`` selects no step)."""
    mask = pd.Series(True, index=coded.index)
    if theme:
        mask &= coded["themes"].map(lambda codes: theme in codes)
    if category:
        mask &= coded["categories"].map(lambda codes: category in codes)
    if step == NO_STEP:
        mask &= coded["steps"].map(len) == 0
    elif step:
        mask &= coded["steps"].map(lambda codes: step in codes)
    return coded[mask]


_EVIDENCE_ENTRIES = {"category": "categories", "step": "steps", "intent": "intents"}


def evidence_labels(codebook: Codebook) -> dict[tuple[str, str], str]:
    """Return the Indonesian label of every evidence ``(field, code)`` pair of the codebook."""
    return {
        (field_name, code): entry.label
        for field_name, attribute in _EVIDENCE_ENTRIES.items()
        for code, entry in getattr(codebook, attribute).items()
    }


def evidence_summary(
    evidence: list[dict], labels: Mapping[tuple[str, str], str] | None = None
) -> str:
    """Render a comment's evidence as ``label: "span"`` pairs for a table cell.

    ``labels`` (from :func:`evidence_labels`) maps ``(field, code)`` to the label shown;
    a pair without a label shows its code.
    """
    labels = labels or {}
    return "; ".join(
        f'{labels.get((item.get("field", ""), item["code"]), item["code"])}: "{item["text"]}"'
        for item in evidence
    )


def headline(coded: pd.DataFrame, codebook: Codebook) -> dict[str, object]:
    """Return the numbers the home page shows first."""
    if coded.empty:
        return {
            "comments": 0, "complaints": 0, "coded_share": 0.0, "top_category": None,
            "top_category_count": 0,
        }
    counts = category_counts(coded, codebook)
    top = counts.iloc[0]
    return {
        "comments": len(coded),
        "complaints": int((coded["intent"] == "keluhan").sum()),
        "coded_share": float((coded["categories"].map(len) > 0).mean()),
        "top_category": top["label"] if top["count"] > 0 else None,
        "top_category_count": int(top["count"]),
    }


def top_category_text(label: str | None, count: int) -> str:
    """Return the home page's *Kategori terbanyak* value, e.g. ``Loading (65 komentar)``.

    ``label`` and ``count`` are :func:`headline`'s ``top_category`` and
    ``top_category_count``; without a label the text is "-".
    """
    if not label:
        return "-"
    return f"{label} ({format_number(count)} komentar)"


def shorten_text(text: str, *, limit: int = 300) -> str:
    """Return ``text`` cut to at most ``limit`` characters, ending in "…" when it was cut.

    The cut falls on the last space before the limit when there is one in its second
    half, so that no word is split.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def search_comments(coded: pd.DataFrame, query: str) -> pd.DataFrame:
    """Return the comments whose text contains ``query`` (case-insensitive, plain text).

    The query is matched as a literal substring, not as a pattern; an empty or blank
    query returns ``coded`` unchanged.
    """
    needle = query.strip().casefold()
    if not needle or coded.empty:
        return coded
    texts = coded["text"].fillna("").astype(str).str.casefold()
    return coded[texts.str.contains(needle, regex=False)]


def page_count(rows: int, page_size: int) -> int:
    """Return how many pages of ``page_size`` rows ``rows`` rows fill (at least 1)."""
    if page_size < 1:
        raise ValueError(f"page_size must be at least 1, got {page_size}")
    return max(1, -(-rows // page_size))


def select_comments(
    coded: pd.DataFrame, *, uncertain_only: bool = False, categorised_only: bool = False
) -> pd.DataFrame:
    """Keep only comments with a code to check and/or with at least one category."""
    if uncertain_only:
        coded = coded[coded["uncertain"].map(len) > 0]
    if categorised_only:
        coded = coded[coded["categories"].map(len) > 0]
    return coded


def comment_rows(
    coded: pd.DataFrame, codebook: Codebook, *, limit: int | None = None, offset: int = 0
) -> pd.DataFrame:
    """Return comments as a display table with Indonesian headers, newest first.

    ``offset`` skips that many of the newest comments and ``limit`` keeps at most that
    many after them, which together select one page.
    """
    shown = coded.sort_values("created_at", ascending=False, na_position="last")
    if offset or limit is not None:
        end = None if limit is None else offset + limit
        shown = shown.iloc[offset:end]

    spans_labels = evidence_labels(codebook)

    def labels(codes: list[str], entries: dict) -> str:
        return ", ".join(entries[code].label for code in codes if code in entries)

    return pd.DataFrame(
        {
            "Tanggal": shown["day"],
            "Komentar": shown["text"],
            "Kategori": shown["categories"].map(lambda codes: labels(codes, codebook.categories)),
            "Langkah": shown["steps"].map(lambda codes: labels(codes, codebook.steps)),
            "Maksud": shown["intent"].map(
                lambda code: codebook.intents[code].label if code in codebook.intents else code
            ),
            "Bukti": shown["evidence"].map(
                lambda evidence: evidence_summary(evidence, spans_labels)
            ),
            "Perlu dicek": shown["uncertain"].map(", ".join),
        }
    )


def batch_rows(batches: list) -> pd.DataFrame:
    """Return stored batches as a display table with Indonesian headers."""
    return pd.DataFrame(
        [
            {
                "Batch": batch.id,
                "File": batch.file_name,
                "Oleh": batch.uploaded_by,
                "Waktu (UTC)": batch.uploaded_at,
                "Dibaca": batch.rows_read,
                "Baru": batch.rows_new,
                "Duplikat": batch.rows_duplicate,
                "Dilewati": batch.rows_skipped,
                "Alasan dilewati": "; ".join(
                    f"baris {item['row_number']}: {item['reason']}" for item in batch.skipped[:5]
                ),
            }
            for batch in batches
        ]
    )


FIELD_ENTRIES = {"categories": "categories", "themes": "themes", "stages": "stages"}


def code_labels(codebook: Codebook, field: str) -> dict[str, str]:
    """Return the Indonesian label of every code of ``field`` (categories, themes or stages)."""
    entries = getattr(codebook, FIELD_ENTRIES[field])
    return {code: entry.label for code, entry in entries.items()}


def month_over_month_rows(table: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Return a month-over-month table (from ``netno.trends``) with Indonesian headers."""
    return pd.DataFrame(
        {
            "Kode": table["code"].map(lambda code: labels.get(code, code)),
            "Bulan ini": [format_number(value) for value in table["count"]],
            "Bulan lalu": [format_number(value) for value in table["previous"]],
            "Selisih": [
                f"+{format_number(value)}" if value > 0 else format_number(value)
                for value in table["change"]
            ],
            "Perubahan (%)": [
                format_change(change, new=previous == 0 and count > 0)
                for change, previous, count in zip(
                    table["pct_change"], table["previous"], table["count"], strict=True
                )
            ],
        }
    )


_CODE_COLUMN_ENTRIES = {
    "categories": "categories",
    "themes": "themes",
    "stages": "stages",
    "steps": "steps",
    "intent": "intents",
}


def codes_as_labels(frame: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Return a copy of ``frame`` with its code columns shown as Indonesian labels.

    The list columns (``categories``, ``themes``, ``stages``, ``steps``) become
    comma-separated labels and ``intent`` its label; a code missing from the codebook
    shows as is. Other columns are left unchanged.
    """
    shown = frame.copy()
    for column, attribute in _CODE_COLUMN_ENTRIES.items():
        if column not in shown.columns:
            continue
        names: dict[str, str] = {
            code: entry.label for code, entry in getattr(codebook, attribute).items()
        }
        if column == "intent":
            shown[column] = [names.get(code, code) for code in shown[column]]
        else:
            shown[column] = [
                ", ".join(names.get(str(code), str(code)) for code in codes)
                if isinstance(codes, list | tuple) else ""
                for codes in shown[column]
            ]
    return shown
