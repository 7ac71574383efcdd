"""Build the word frequency charts (plotly bars and a word cloud PNG) with Indonesian labels."""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from netno.numbers import PLOTLY_SEPARATORS, format_number
from netno.wordfreq import WordFrequencyResult

__all__ = [
    "terms_bar_chart",
    "emoji_bar_chart",
    "comparison_bar_chart",
    "word_cloud_png",
]

_LOGGER = logging.getLogger(__name__)

_BAR_COLOUR = "#1f5f8b"
_RISE_COLOUR = "#b2382b"
_FALL_COLOUR = "#2e7d4f"
_GROUPING_LABELS = {
    "exact": "persis",
    "variants": "ejaan dan slang digabung",
    "stem": "kata dasar",
}


def _empty_figure(title: str, message: str) -> go.Figure:
    figure = go.Figure()
    figure.update_layout(
        title={"text": title},
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[{"text": message, "showarrow": False, "font": {"size": 14}}],
        template="plotly_white",
        separators=PLOTLY_SEPARATORS,
    )
    return figure


def terms_bar_chart(result: WordFrequencyResult, *, top: int = 30) -> go.Figure:
    """Draw the ``top`` terms of ``result`` as a horizontal bar chart, most frequent at the top.

    The subtitle is a one-line takeaway naming the leading term and its share.
    """
    query = result.query
    unit = "kata" if query.ngram == 1 else f"frasa {query.ngram} kata"
    title = f"{min(top, len(result.terms))} {unit} tersering"
    if result.terms.empty:
        return _empty_figure(title, "Tidak ada istilah yang memenuhi parameter kueri.")

    bars = result.terms.head(top).iloc[::-1]
    leader = result.terms.iloc[0]
    takeaway = (
        f"“{leader['term']}” paling sering: {format_number(leader['count'])} kali "
        f"({format_number(leader['weighted_percentage'], decimals=2)}% dari "
        f"{format_number(result.total_counted)} {unit} yang dihitung), di "
        f"{format_number(leader['comments'])} dari {format_number(result.total_comments)} "
        "komentar."
    )
    hover = [
        f"{term}<br>{format_number(count)} kali, {format_number(comments)} komentar"
        for term, count, comments in zip(
            bars["term"], bars["count"], bars["comments"], strict=True
        )
    ]
    figure = go.Figure(
        go.Bar(
            x=bars["count"],
            y=bars["term"],
            orientation="h",
            marker_color=_BAR_COLOUR,
            hovertext=hover,
            hoverinfo="text",
        )
    )
    figure.update_layout(
        title={"text": title, "subtitle": {"text": takeaway}},
        xaxis_title="Jumlah kemunculan",
        yaxis_title=f"{unit.capitalize()} ({_GROUPING_LABELS[query.grouping]})",
        template="plotly_white",
        separators=PLOTLY_SEPARATORS,
        height=max(400, 22 * len(bars) + 160),
        margin={"l": 10, "r": 10, "t": 90, "b": 40},
    )
    return figure


def emoji_bar_chart(emoji: pd.DataFrame, *, top: int = 15) -> go.Figure:
    """Draw the most used emoji (columns ``emoji``, ``name``, ``count``) as horizontal bars."""
    title = "Emoji tersering"
    if emoji.empty:
        return _empty_figure(title, "Tidak ada emoji dalam komentar ini.")

    bars = emoji.head(top).iloc[::-1]
    leader = emoji.iloc[0]
    takeaway = (
        f"{leader['emoji']} ({leader['name']}) paling sering: "
        f"{format_number(leader['count'])} kali di {format_number(leader['comments'])} komentar."
    )
    figure = go.Figure(
        go.Bar(
            x=bars["count"],
            y=bars["emoji"],
            orientation="h",
            marker_color=_BAR_COLOUR,
            hovertext=[f"{name}: {format_number(count)} kali"
                       for name, count in zip(bars["name"], bars["count"], strict=True)],
            hoverinfo="text",
        )
    )
    figure.update_layout(
        title={"text": title, "subtitle": {"text": takeaway}},
        xaxis_title="Jumlah kemunculan",
        yaxis_title="Emoji",
        yaxis={"tickfont": {"size": 18}},
        template="plotly_white",
        separators=PLOTLY_SEPARATORS,
        height=max(300, 28 * len(bars) + 160),
        margin={"l": 10, "r": 10, "t": 90, "b": 40},
    )
    return figure


def comparison_bar_chart(
    comparison: pd.DataFrame,
    *,
    top: int = 10,
    label_a: str = "periode A",
    label_b: str = "periode B",
) -> go.Figure:
    """Draw the terms that rose and fell most between two periods (``compare_periods`` output).

    Bars show the change in occurrences per 100 comments; rises are red, falls green.
    """
    title = f"Istilah yang paling naik dan turun: {label_a} → {label_b}"
    if comparison.empty:
        return _empty_figure(title, "Tidak ada istilah yang memenuhi frekuensi minimum.")

    rising = comparison[comparison["change"] > 0].head(top)
    falling = comparison[comparison["change"] < 0].tail(top)
    bars = pd.concat([falling, rising]).sort_values("change")
    if bars.empty:
        return _empty_figure(title, "Tidak ada istilah yang berubah di antara kedua periode.")
    leader = comparison.iloc[0] if comparison.iloc[0]["change"] > 0 else None
    takeaway = (
        f"“{leader['term']}” paling naik: dari {format_number(leader['rate_a'], decimals=1)} "
        f"menjadi {format_number(leader['rate_b'], decimals=1)} per 100 komentar."
        if leader is not None
        else "Tidak ada istilah yang naik."
    )
    figure = go.Figure(
        go.Bar(
            x=bars["change"],
            y=bars["term"],
            orientation="h",
            marker_color=[_RISE_COLOUR if value > 0 else _FALL_COLOUR
                          for value in bars["change"]],
            hovertext=[
                f"{term}: {format_number(a, decimals=1)} → {format_number(b, decimals=1)} "
                "per 100 komentar"
                for term, a, b in zip(bars["term"], bars["rate_a"], bars["rate_b"], strict=True)
            ],
            hoverinfo="text",
        )
    )
    figure.update_layout(
        title={"text": title, "subtitle": {"text": takeaway}},
        xaxis_title="Perubahan kemunculan per 100 komentar",
        yaxis_title="Istilah",
        template="plotly_white",
        separators=PLOTLY_SEPARATORS,
        height=max(400, 22 * len(bars) + 160),
        margin={"l": 10, "r": 10, "t": 90, "b": 40},
    )
    return figure


def word_cloud_png(
    terms: pd.DataFrame | Mapping[str, Sequence[Any]],
    *,
    width: int = 800,
    height: int = 400,
    max_words: int = 200,
    random_state: int = 42,
) -> bytes:
    """Render a word cloud of ``terms`` (a frame or dict with ``term`` and ``count``) as PNG bytes.

    The layout comes only from the counts and ``random_state``, so the same table gives
    the same bytes. Raises ``ValueError`` when the table has no term with a positive count.
    """
    from wordcloud import WordCloud

    frequencies = {
        str(term): int(count)
        for term, count in zip(terms["term"], terms["count"], strict=True)
        if count > 0
    }
    if not frequencies:
        raise ValueError("Tabel istilah kosong: tidak ada kata untuk awan kata.")

    # A new WordCloud per render, because a reused object does not repeat its layout
    # even with the same random_state (checked with wordcloud 1.9.6).
    cloud = WordCloud(
        width=width,
        height=height,
        max_words=max_words,
        background_color="white",
        colormap="viridis",
        prefer_horizontal=0.9,
        random_state=random_state,
    )
    cloud.generate_from_frequencies(frequencies)
    buffer = io.BytesIO()
    cloud.to_image().save(buffer, format="PNG", optimize=False)
    _LOGGER.debug("word cloud of %d terms rendered", len(frequencies))
    return buffer.getvalue()
