"""Build plotly line and area charts of monthly counts per code, with spike markers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from netno.charts import STAGE_COLOURS, THEME_COLOURS
from netno.numbers import PLOTLY_SEPARATORS
from netno.trends import detect_spikes, monthly_counts

__all__ = ["PALETTE", "FIELD_LABELS", "trend_figure"]

# Okabe-Ito colours, then Paul Tol's "muted" ones: both stay distinguishable under the
# common colour-vision deficiencies. Past 8 traces the dash pattern changes too.
PALETTE = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
)
_DASHES = ("solid", "dash", "dot", "dashdot")

FIELD_LABELS = {
    "categories": "kategori masalah",
    "themes": "tema",
    "stages": "tahap kematangan",
    "steps": "langkah layanan",
}


def trend_figure(
    frame: pd.DataFrame,
    *,
    field: str = "categories",
    codes: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    kind: str = "line",
    normalize: bool = False,
    show_spikes: bool = True,
    spike_options: Mapping[str, Any] | None = None,
) -> go.Figure:
    """Chart the monthly counts (or shares) of each code, marking detected spikes.

    Parameters:
        frame: a coded frame with ``month`` (from ``Store.coded_frame``).
        field: ``categories``, ``themes``, ``stages`` or ``steps``.
        codes: codes to draw, in legend order; default: every code that occurs.
        labels: display name of each code; codes without one show as is.
        kind: ``line`` or ``area`` (stacked).
        normalize: draw each code's share of the month's comments, in percent.
        show_spikes: mark spike months (see :func:`netno.trends.detect_spikes`).
        spike_options: keyword arguments for ``detect_spikes``.

    Raises:
        ValueError: ``kind`` is not ``line`` or ``area``.
        netno.trends.TrendError: ``field`` is unknown or a column is missing.
    """
    if kind not in ("line", "area"):
        raise ValueError(f"Jenis grafik {kind!r} tidak dikenal; gunakan 'line' atau 'area'.")
    labels = dict(labels or {})
    long = monthly_counts(frame, field=field, codes=codes, normalize=normalize)
    if normalize:
        long["value"] = long["value"] * 100
    what = FIELD_LABELS.get(field, field)
    unit = "Porsi komentar (%)" if normalize else "Jumlah komentar"

    # Themes and stages keep the colours they have in every other chart.
    fixed = {"themes": THEME_COLOURS, "stages": STAGE_COLOURS}.get(field, {})
    figure = go.Figure()
    for position, (code, group) in enumerate(long.groupby("code", sort=False)):
        name = labels.get(str(code), str(code))
        figure.add_trace(go.Scatter(
            x=group["month"], y=group["value"], name=name, mode="lines+markers",
            line={"color": fixed.get(str(code), PALETTE[position % len(PALETTE)]),
                  "dash": _DASHES[(position // 8) % len(_DASHES)], "width": 2},
            stackgroup="semua" if kind == "area" else None,
            customdata=group[["count", "total"]].to_numpy(),
            hovertemplate=(f"<b>{name}</b><br>%{{x}}: %{{customdata[0]:,.0f}} dari "
                           "%{customdata[1]:,.0f} komentar<extra></extra>"),
        ))

    if show_spikes and not long.empty:
        _add_spikes(figure, frame, long, field=field, codes=codes, labels=labels,
                    normalize=normalize, options=dict(spike_options or {}))

    figure.update_layout(
        title=f"Tren bulanan per {what}" + (" (porsi)" if normalize else ""),
        xaxis_title="Bulan",
        yaxis_title=unit,
        legend_title=what.capitalize(),
        hovermode="closest",
        template="plotly_white",
        separators=PLOTLY_SEPARATORS,
    )
    figure.update_xaxes(type="category")
    if long.empty:
        figure.add_annotation(text="Belum ada komentar bertanggal untuk digambarkan.",
                              showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    return figure


def _add_spikes(
    figure: go.Figure, frame: pd.DataFrame, long: pd.DataFrame, *, field: str,
    codes: Sequence[str] | None, labels: Mapping[str, str], normalize: bool,
    options: dict[str, Any],
) -> None:
    options.setdefault("normalize", normalize)
    options.setdefault("labels", labels)
    spikes = detect_spikes(frame, field=field, codes=codes, **options)
    spikes = spikes[spikes["spike"]]
    if spikes.empty:
        return
    # Place markers on the plotted value, which for stacked areas is not the count.
    plotted = long.set_index(["code", "month"])["value"]
    if figure.data and figure.data[0].stackgroup:
        plotted = long.pivot(index="month", columns="code", values="value").cumsum(axis=1) \
            .stack().swaplevel().rename("value")
    figure.add_trace(go.Scatter(
        x=spikes["month"],
        y=[plotted[(code, month)] for code, month in zip(spikes["code"], spikes["month"],
                                                         strict=True)],
        mode="markers",
        name="Lonjakan",
        marker={"symbol": "triangle-up", "size": 14, "color": "#000000",
                "line": {"color": "#FFFFFF", "width": 1}},
        text=spikes["explanation"].tolist(),
        hovertemplate="%{text}<extra></extra>",
    ))
