"""Plotly figures for the hierarchy and maturity-stage views, labelled in Indonesian."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from netno.codebook import Codebook
from netno.numbers import PLOTLY_SEPARATORS, format_number, format_percent
from netno.summary import category_counts, hierarchy_counts, stage_counts

# The one colour of each stage and theme in every chart of the dashboard and the report.
# All are Okabe-Ito colours, which stay distinguishable under the common colour-vision
# deficiencies. The themes avoid vermillion beside orange, because deuteranopes
# confuse those two.
STAGE_COLOURS = {
    "present": "#56B4E9",
    "interact": "#0072B2",
    "transact": "#D55E00",
    "integration": "#009E73",
}
THEME_COLOURS = {"aksesibilitas": "#0072B2", "pengajuan": "#E69F00", "pembayaran": "#CC79A7"}
NO_COLOUR = "#999999"


def label_colours(colours: dict[str, str], labels: dict[str, str]) -> dict[str, str]:
    """Return ``colours`` keyed by display label instead of code, for plotly colour maps."""
    return {labels[code]: colour for code, colour in colours.items() if code in labels}


def _empty_figure(message: str) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, font={"size": 16})
    figure.update_layout(
        xaxis={"visible": False}, yaxis={"visible": False}, height=300,
        separators=PLOTLY_SEPARATORS,
    )
    return figure


def hierarchy_treemap(coded: pd.DataFrame, codebook: Codebook) -> go.Figure:
    """Draw the treemap theme -> category -> journey step, sized by comment count."""
    counts = hierarchy_counts(coded, codebook)
    if counts.empty:
        return _empty_figure("Belum ada komentar berkategori pada filter ini.")
    figure = px.treemap(
        counts,
        path=[px.Constant("Semua kendala"), "theme_label", "category_label", "step_label"],
        values="count",
        color="theme",
        color_discrete_map={"(?)": "#EEF2F8", **THEME_COLOURS},
        custom_data=["theme", "category", "step"],
    )
    figure.update_traces(
        hovertemplate="%{label}<br>%{value:,.0f} komentar<extra></extra>",
        textinfo="label+value",
        root_color="#EEF2F8",
    )
    themes = counts.groupby("theme_label")["count"].sum().sort_values(ascending=False)
    takeaway = f"Tema dengan kendala terbanyak: {themes.index[0]}."
    figure.update_layout(
        title=f"Hierarki kendala: tema → kategori → langkah<br><sup>{takeaway}</sup>",
        margin={"t": 50, "l": 10, "r": 10, "b": 10},
        height=620,
        separators=PLOTLY_SEPARATORS,
    )
    return figure


def stage_bar(coded: pd.DataFrame, codebook: Codebook) -> go.Figure:
    """Draw comment counts per maturity stage, in stage order."""
    counts = stage_counts(coded, codebook)
    figure = px.bar(
        counts,
        x="label",
        y="count",
        color="stage",
        color_discrete_map=STAGE_COLOURS,
        text="count",
        labels={"label": "Tahap kematangan e-government", "count": "Jumlah komentar"},
    )
    top = counts.sort_values("count", ascending=False).iloc[0]
    takeaway = (
        f"Paling banyak di tahap {top['label']} ({format_number(top['count'])} komentar)."
        if top["count"]
        else "Belum ada komentar berkategori."
    )
    figure.update_layout(
        title=f"Komentar per tahap kematangan<br><sup>{takeaway}</sup>",
        showlegend=False,
        height=420,
        separators=PLOTLY_SEPARATORS,
    )
    figure.update_traces(texttemplate="%{y:,.0f}")
    return figure


def stage_category_bar(coded: pd.DataFrame, codebook: Codebook) -> go.Figure:
    """Draw comment counts per category, grouped under their stage."""
    counts = category_counts(coded, codebook)
    counts["stage_order"] = counts["stage"].map(lambda code: codebook.stages[code].order)
    counts = counts.sort_values(["stage_order", "count"], ascending=[True, True])
    figure = px.bar(
        counts,
        x="count",
        y="label",
        color="stage_label",
        orientation="h",
        color_discrete_map={
            codebook.stages[code].label: colour for code, colour in STAGE_COLOURS.items()
        },
        labels={"count": "Jumlah komentar", "label": "Kategori", "stage_label": "Tahap"},
        text="count",
    )
    top = counts.sort_values("count", ascending=False).iloc[0]
    takeaway = (
        f"Kategori terbanyak: {top['label']} di tahap {top['stage_label']}."
        if top["count"]
        else "Belum ada komentar berkategori."
    )
    figure.update_layout(
        title=f"Kategori kendala di setiap tahap<br><sup>{takeaway}</sup>",
        height=120 + 32 * len(counts),
        yaxis={"categoryorder": "array", "categoryarray": list(counts["label"])},
        separators=PLOTLY_SEPARATORS,
    )
    figure.update_traces(texttemplate="%{x:,.0f}")
    return figure


def category_bar(coded: pd.DataFrame, codebook: Codebook) -> go.Figure:
    """Draw comment counts per category, largest first, with a one-line takeaway."""
    counts = category_counts(coded, codebook)
    figure = px.bar(
        counts.sort_values("count"),
        x="count",
        y="label",
        color="theme_label",
        orientation="h",
        color_discrete_map=label_colours(
            THEME_COLOURS, {code: theme.label for code, theme in codebook.themes.items()}
        ),
        labels={"count": "Jumlah komentar", "label": "Kategori", "theme_label": "Tema"},
        text="count",
    )
    top = counts.iloc[0] if len(counts) else None
    takeaway = (
        f"Terbanyak: {top['label']} ({format_number(top['count'])} komentar, "
        f"{format_percent(top['share'] * 100, decimals=0)} dari yang berkategori)."
        if top is not None and top["count"]
        else "Belum ada komentar berkategori."
    )
    figure.update_layout(
        title=f"Jumlah komentar per kategori kendala<br><sup>{takeaway}</sup>",
        height=560,
        # One trace per theme would otherwise group the bars by theme, not by count.
        yaxis={"categoryorder": "total ascending"},
        legend={"orientation": "h", "yanchor": "bottom", "y": -0.25},
        separators=PLOTLY_SEPARATORS,
    )
    figure.update_traces(texttemplate="%{x:,.0f}")
    return figure
