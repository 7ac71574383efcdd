"""Plotly figures for the priority page and the monthly report, labelled in Indonesian."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from netno.charts import NO_COLOUR, STAGE_COLOURS
from netno.numbers import PLOTLY_SEPARATORS

__all__ = ["category_bar", "stage_bar", "trend_line", "sparkline", "score_bar"]

_LAYOUT = {
    "template": "plotly_white",
    "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
    "separators": PLOTLY_SEPARATORS,
}


def category_bar(scores: pd.DataFrame, *, title: str = "Jumlah keluhan per kategori") -> go.Figure:
    """Draw a horizontal bar of complaints per category, coloured by stage, largest on top."""
    ordered = scores.sort_values("count", ascending=True)
    figure = go.Figure(
        go.Bar(
            x=ordered["count"],
            y=ordered["label"],
            orientation="h",
            marker_color=[STAGE_COLOURS.get(stage, NO_COLOUR) for stage in ordered["stage"]],
            customdata=ordered["stage"],
            hovertemplate="%{y}: %{x:,.0f} keluhan (tahap %{customdata})<extra></extra>",
        )
    )
    figure.update_layout(title=title, xaxis_title="Jumlah keluhan", yaxis_title=None, **_LAYOUT)
    return figure


def score_bar(
    scores: pd.DataFrame, *, top: int = 10, stage_labels: Mapping[str, str] | None = None
) -> go.Figure:
    """Draw the ``top`` priority scores as horizontal bars, rank 1 on top.

    Bars take their stage's colour, one legend entry per stage, named by
    ``stage_labels`` (a stage without a label shows its code).
    """
    stage_labels = stage_labels or {}
    ordered = scores[scores["count"] > 0].sort_values("rank").head(top).iloc[::-1]
    figure = go.Figure()
    for stage in [code for code in STAGE_COLOURS if code in set(ordered["stage"])]:
        rows = ordered[ordered["stage"] == stage]
        figure.add_trace(
            go.Bar(
                x=rows["score"],
                y=rows["label"],
                orientation="h",
                name=stage_labels.get(stage, stage),
                marker_color=STAGE_COLOURS[stage],
                hovertemplate="%{y}: skor %{x:,.1f}<extra></extra>",
            )
        )
    figure.update_layout(
        title="Skor prioritas",
        xaxis_title="Skor",
        yaxis_title=None,
        # Several traces would otherwise group the bars by stage, not by rank.
        yaxis={"categoryorder": "array", "categoryarray": list(ordered["label"])},
        legend_title="Tahap kematangan",
        **_LAYOUT,
    )
    return figure


def stage_bar(stages: pd.DataFrame) -> go.Figure:
    """Draw complaints per maturity stage as columns in maturity order."""
    figure = go.Figure(
        go.Bar(
            x=stages["label"],
            y=stages["count"],
            marker_color=[STAGE_COLOURS.get(stage, NO_COLOUR) for stage in stages["stage"]],
            hovertemplate="Tahap %{x}: %{y:,.0f} keluhan<extra></extra>",
        )
    )
    figure.update_layout(
        title="Keluhan per tahap kematangan e-government",
        xaxis_title="Tahap",
        yaxis_title="Jumlah keluhan",
        **_LAYOUT,
    )
    return figure


def trend_line(trend: pd.DataFrame) -> go.Figure:
    """Draw one line per column of ``trend`` (indexed by month), e.g. total and top categories."""
    figure = go.Figure()
    for column in trend.columns:
        figure.add_trace(
            go.Scatter(x=list(trend.index), y=trend[column], mode="lines+markers", name=column)
        )
    figure.update_layout(
        title="Tren keluhan bulanan",
        xaxis_title="Bulan",
        yaxis_title="Jumlah keluhan",
        xaxis_type="category",
        **_LAYOUT,
    )
    return figure


def sparkline(trend: Sequence[tuple[str, int]]) -> go.Figure:
    """Draw a small line of monthly complaints without axes, for a recommendation card."""
    months = [month for month, _ in trend]
    counts = [count for _, count in trend]
    figure = go.Figure(
        go.Scatter(
            x=months,
            y=counts,
            mode="lines+markers",
            line={"color": STAGE_COLOURS["interact"]},
            hovertemplate="%{x}: %{y:,.0f} keluhan<extra></extra>",
        )
    )
    figure.update_layout(
        height=120,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        showlegend=False,
        xaxis={"visible": False, "type": "category"},
        yaxis={"visible": False, "rangemode": "tozero"},
        template="plotly_white",
        separators=PLOTLY_SEPARATORS,
    )
    return figure
