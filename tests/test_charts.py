"""Tests for netno.charts: the hierarchy and maturity-stage figures and their colours."""

from __future__ import annotations

import pandas as pd

from netno.charts import (
    STAGE_COLOURS,
    THEME_COLOURS,
    category_bar,
    hierarchy_treemap,
    stage_bar,
    stage_category_bar,
)
from netno.codebook import default_codebook

CODEBOOK = default_codebook()


def _coded(counts: dict[str, int]) -> pd.DataFrame:
    rows = []
    for code, count in counts.items():
        spec = CODEBOOK.categories[code]
        rows += [
            {"categories": [code], "themes": [spec.theme], "stages": [spec.stage], "steps": []}
            for _ in range(count)
        ]
    return pd.DataFrame(rows)


def test_charts_use_indonesian_separators():
    coded = _coded({"kuota": 1200, "loading": 3})

    figures = [
        category_bar(coded, CODEBOOK),
        stage_bar(coded, CODEBOOK),
        stage_category_bar(coded, CODEBOOK),
        hierarchy_treemap(coded, CODEBOOK),
    ]

    for figure in figures:
        assert figure.layout.separators == ",."
    assert "1.200 komentar" in category_bar(coded, CODEBOOK).layout.title.text


def test_category_bar_and_treemap_share_theme_colours():
    coded = _coded({"kuota": 5, "loading": 4, "status_pembayaran": 3})

    bar = category_bar(coded, CODEBOOK)
    treemap = hierarchy_treemap(coded, CODEBOOK)

    bar_colours = {trace.name: trace.marker.color for trace in bar.data}
    for code, theme in CODEBOOK.themes.items():
        assert bar_colours[theme.label] == THEME_COLOURS[code]
    treemap_colours = dict(zip(treemap.data[0].ids, treemap.data[0].marker.colors, strict=True))
    for code, theme in CODEBOOK.themes.items():
        assert treemap_colours[f"Semua kendala/{theme.label}"] == THEME_COLOURS[code]


def test_theme_colours_distinct():
    assert len(set(THEME_COLOURS.values())) == len(THEME_COLOURS)
    assert set(THEME_COLOURS) == set(CODEBOOK.themes)
    assert set(STAGE_COLOURS) == set(CODEBOOK.stages)


def test_score_bar_legend_per_stage():
    from netno.charts_priority import score_bar
    from netno.priority import frame_from_counts, score_categories

    scores = score_categories(
        frame_from_counts({"kuota": 9, "loading": 4, "status_pembayaran": 6}, codebook=CODEBOOK),
        codebook=CODEBOOK,
    )
    labels = {code: stage.label for code, stage in CODEBOOK.stages.items()}

    figure = score_bar(scores, stage_labels=labels)

    names = {trace.name for trace in figure.data}
    assert names == {labels[CODEBOOK.categories[code].stage]
                     for code in ("kuota", "loading", "status_pembayaran")}
    for trace in figure.data:
        stage = next(code for code, label in labels.items() if label == trace.name)
        assert trace.marker.color == STAGE_COLOURS[stage]
    assert figure.layout.yaxis.categoryarray[-1] == scores.iloc[0]["label"]
