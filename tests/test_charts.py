"""Tests for netno.charts: the hierarchy and maturity-stage figures and their colours."""

from __future__ import annotations

import pandas as pd

from netno.charts import category_bar, hierarchy_treemap, stage_bar, stage_category_bar
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
