"""Build the monthly priority report and write it as an Excel workbook or a standalone HTML page."""

from __future__ import annotations

import datetime as dt
import html
import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pandas as pd
import plotly.io as pio
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from netno import charts_priority
from netno.codebook import Codebook
from netno.numbers import format_number
from netno.oserrors import describe_os_error
from netno.priority import (
    PriorityWeights,
    Recommendation,
    SeveritySignal,
    action_effect,
    build_recommendations,
    category_lists,
    default_signals,
    format_month,
    month_column,
    monthly_counts,
    previous_month,
    score_categories,
    score_stages,
    select_period,
    theme_totals,
)
from netno.privacy import mask_text, neutralize_formula
from netno.summary import shorten_text
from netno.wordfreq import WordQuery, word_frequency

__all__ = [
    "ReportError", "ReportData", "build_report_data", "write_xlsx", "write_html", "report_bytes",
]

_LOGGER = logging.getLogger(__name__)

REPORT_TITLE = "Laporan Bulanan Keluhan Pengguna M-Paspor"
_TOP_CATEGORIES_IN_TREND = 5


class ReportError(ValueError):
    """The report cannot be built or written; the message (Indonesian) names the fix."""


@dataclass(frozen=True)
class ReportData:
    """Everything one monthly report shows, computed once for both output formats."""

    title: str
    period: str | None
    previous: str | None
    period_label: str
    generated_at: dt.datetime
    codebook_name: str
    total_comments: int
    coded_complaints: int
    scores: pd.DataFrame
    stages: pd.DataFrame
    themes: dict[str, tuple[str, int]]  # code -> (label, complaints)
    trend: pd.DataFrame  # month -> "Semua keluhan" and the top categories
    changes: pd.DataFrame
    recommendations: list[Recommendation]
    words: pd.DataFrame  # term, count
    signals: tuple[SeveritySignal, ...]
    follow_up: pd.DataFrame = field(default_factory=pd.DataFrame)


# --- building ---------------------------------------------------------------------


def _top_terms(texts: pd.Series, *, limit: int = 30) -> pd.DataFrame:
    """Count words of ``texts`` with the word-frequency query's defaults, most frequent first."""
    result = word_frequency(texts.fillna("").astype(str).tolist(), WordQuery(top=limit))
    return result.terms[["term", "count"]]


def _check_words(words: pd.DataFrame) -> pd.DataFrame:
    missing = {"term", "count"} - set(words.columns)
    if missing:
        raise ReportError(
            f"Tabel frekuensi kata tidak punya kolom {', '.join(sorted(missing))}; "
            "berikan tabel dengan kolom term dan count."
        )
    return words[["term", "count"]].reset_index(drop=True)


def _changes(scores: pd.DataFrame) -> pd.DataFrame:
    """Return categories whose count moved against the previous period, largest move first."""
    frame = scores[["category", "label", "count", "previous_count", "growth"]].copy()
    frame = frame[frame["previous_count"].notna()]
    frame["difference"] = frame["count"] - frame["previous_count"].astype("int64")
    frame = frame[(frame["count"] > 0) | (frame["previous_count"] > 0)]
    order = frame["difference"].abs().sort_values(ascending=False, kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def _trend(coded: pd.DataFrame, scores: pd.DataFrame, *, codebook: Codebook,
           period: str | None) -> pd.DataFrame:
    monthly = monthly_counts(coded, codebook=codebook)
    if period is not None:
        monthly = monthly.loc[monthly.index <= period]
    lists = category_lists(coded, codebook)
    has_complaint = lists.map(len) > 0
    totals = has_complaint.groupby(month_column(coded)).sum()
    trend = pd.DataFrame(index=monthly.index)
    trend["Semua keluhan"] = totals.reindex(monthly.index, fill_value=0).astype("int64")
    top = scores[scores["count"] > 0].sort_values("rank").head(_TOP_CATEGORIES_IN_TREND)
    for code, label in zip(top["category"], top["label"], strict=True):
        trend[label] = monthly[code]
    trend.index.name = "Bulan"
    return trend


def _follow_up(
    coded: pd.DataFrame, actions: Mapping[str, Mapping[str, Any]], *, codebook: Codebook
) -> pd.DataFrame:
    rows = []
    for category, entry in actions.items():
        if category not in codebook.categories:
            _LOGGER.warning("follow-up for unknown category %r left out of the report", category)
            continue
        action_date = entry.get("action_date")
        effect = action_effect(coded, category, action_date) if action_date else None
        rows.append(
            {
                "label": codebook.categories[category].label,
                "status": entry.get("status", ""),
                # Store.action_statuses masks notes, but a caller may pass its own.
                "note": mask_text(entry.get("note", "") or ""),
                "action_date": str(action_date)[:10] if action_date else "",
                "mean_before": effect["mean_before"] if effect else None,
                "mean_after": effect["mean_after"] if effect else None,
                "result": effect["message"] if effect else "Tanggal tindakan belum diisi.",
            }
        )
    return pd.DataFrame(
        rows,
        columns=["label", "status", "note", "action_date", "mean_before", "mean_after", "result"],
    )


def build_report_data(
    coded: pd.DataFrame,
    *,
    codebook: Codebook,
    period: str | None = None,
    previous: str | None = None,
    weights: PriorityWeights | None = None,
    words: pd.DataFrame | None = None,
    actions: Mapping[str, Mapping[str, Any]] | None = None,
    signals: tuple[SeveritySignal, ...] | None = None,
) -> ReportData:
    """Compute the scores, stages, trend, changes, words and examples for one report.

    Args:
        coded: the coded frame (all months, so the trend and growth can be shown).
        period: the month reported (``YYYY-MM``); None reports the whole frame.
        previous: the month compared against; None means the month before ``period``
            (no comparison when ``period`` is None).
        words: a word-frequency table with columns ``term`` and ``count``; None
            counts normalised words of the period's comments minus a small stop list.
        actions: follow-up statuses as returned by ``Store.action_statuses()``.

    Raises:
        PriorityError: a month is not ``YYYY-MM`` or a weight is unknown.
        ReportError: the frame has no comments or ``words`` lacks a column.
    """
    if coded.empty:
        raise ReportError(
            "Tidak ada komentar untuk dilaporkan; unggah atau pilih data komentar terlebih dahulu."
        )
    signals = default_signals() if signals is None else signals
    if previous is None and period is not None:
        previous = previous_month(period)

    scores = score_categories(
        coded, codebook=codebook, period=period, previous=previous, weights=weights,
        signals=signals,
    )
    current = select_period(coded, period)
    themes = theme_totals(current, codebook=codebook)
    complaints = int((category_lists(current, codebook).map(len) > 0).sum())
    if period is None:
        months = month_column(coded).dropna()
        period_label = (
            f"Semua data ({format_month(months.min())} s.d. {format_month(months.max())})"
            if not months.empty
            else "Semua data"
        )
    else:
        period_label = format_month(period)

    data = ReportData(
        title=REPORT_TITLE,
        period=period,
        previous=previous,
        period_label=period_label,
        generated_at=dt.datetime.now(dt.UTC),
        codebook_name=codebook.name,
        total_comments=len(current),
        coded_complaints=complaints,
        scores=scores,
        stages=score_stages(coded, scores, codebook=codebook, period=period),
        themes={code: (codebook.themes[code].label, count) for code, count in themes.items()},
        trend=_trend(coded, scores, codebook=codebook, period=period),
        changes=_changes(scores),
        recommendations=build_recommendations(
            coded, scores, codebook=codebook, period=period, signals=signals
        ),
        words=(
            _check_words(words)
            if words is not None
            else _top_terms(current.get("text", pd.Series(dtype=str)))
        ),
        signals=signals,
        follow_up=_follow_up(coded, actions or {}, codebook=codebook),
    )
    _LOGGER.info(
        "report data for %s: %d comments, %d coded complaints",
        period_label, data.total_comments, complaints,
    )
    return data


# --- Excel ------------------------------------------------------------------------


def _cell_value(value: Any) -> Any:
    """Make a value safe for a cell: no formula prefix, no illegal control characters."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return neutralize_formula(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _write_table(
    sheet: Worksheet, headers: list[str], rows: list[list[Any]], *, start_row: int = 1
) -> tuple[int, int]:
    """Write a header row and data rows; return the first and last data row numbers."""
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=start_row, column=column, value=_cell_value(header))
        cell.font = Font(bold=True)
    for offset, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=start_row + offset, column=column, value=_cell_value(value))
    for column, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = max(12, min(60, len(header) + 4))
    return start_row + 1, start_row + len(rows)


def _percent_value(value: Any) -> float | None:
    if value is None or pd.isna(value):
        return None
    return round(float(value) * 100, 1)


def _sheet_summary(workbook: Workbook, data: ReportData) -> None:
    sheet = workbook.active
    sheet.title = "Ringkasan"
    sheet["A1"] = data.title
    sheet["A1"].font = Font(bold=True, size=14)
    facts = [
        ("Periode", data.period_label),
        ("Dibandingkan dengan", format_month(data.previous) if data.previous else "-"),
        ("Dibuat pada", data.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
        ("Codebook", data.codebook_name),
        ("Jumlah komentar", data.total_comments),
        ("Komentar berisi keluhan terkode", data.coded_complaints),
    ]
    for label, count in data.themes.values():
        facts.append((f"Tema: {label}", count))
    for offset, (label, value) in enumerate(facts, start=3):
        sheet.cell(row=offset, column=1, value=_cell_value(label)).font = Font(bold=True)
        sheet.cell(row=offset, column=2, value=_cell_value(value))

    row = len(facts) + 4
    sheet.cell(row=row, column=1, value="Prioritas utama").font = Font(bold=True, size=12)
    for recommendation in data.recommendations[:3]:
        row += 1
        sheet.cell(row=row, column=1, value=recommendation.rank)
        sheet.cell(row=row, column=2, value=_cell_value(recommendation.explanation))
    top_stage = data.stages.sort_values("rank").iloc[0]
    row += 2
    sheet.cell(row=row, column=1, value="Tahap prioritas").font = Font(bold=True, size=12)
    sheet.cell(row=row + 1, column=2, value=_cell_value(top_stage["explanation"]))
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 110


def _sheet_priorities(workbook: Workbook, data: ReportData, codebook_actions: dict) -> None:
    sheet = workbook.create_sheet("Prioritas")
    headers = [
        "Peringkat", "Kategori", "Tema", "Tahap", "Jumlah keluhan", "Porsi (%)",
        "Periode pembanding", "Pertumbuhan (%)", "Poin volume", "Bobot tahap",
        "Faktor pertumbuhan",
    ]
    headers += [f"Sinyal: {signal.label} (%)" for signal in data.signals]
    headers += [
        "Faktor keparahan", "Skor", "Penjelasan", "Tindakan yang disarankan", "Unit pelaksana",
    ]
    rows = []
    for row in data.scores.to_dict("records"):
        action, unit = codebook_actions.get(row["category"], ("", ""))
        values = [
            row["rank"], row["label"], row["theme"], row["stage"], row["count"],
            _percent_value(row["share"]), row["previous_count"], _percent_value(row["growth"]),
            round(row["volume_points"], 2), row["stage_weight"], round(row["growth_factor"], 3),
        ]
        values += [_percent_value(row[f"signal_{signal.code}"]) for signal in data.signals]
        values += [round(row["severity_factor"], 3), row["score"], row["explanation"], action, unit]
        rows.append(values)
    _write_table(sheet, headers, rows)
    sheet.column_dimensions[get_column_letter(len(headers) - 2)].width = 90
    sheet.freeze_panes = "C2"


def _sheet_categories(workbook: Workbook, data: ReportData) -> None:
    sheet = workbook.create_sheet("Per kategori")
    ordered = data.scores.sort_values("count", ascending=False, kind="stable")
    rows = [[row["label"], row["count"]] for row in ordered.to_dict("records")]
    first, last = _write_table(sheet, ["Kategori", "Jumlah keluhan"], rows)
    chart = _bar_chart(
        sheet, first, last, direction="bar", title="Jumlah keluhan per kategori",
        axis_title="Kategori",
    )
    chart.height, chart.width = 10, 18
    sheet.add_chart(chart, "D2")


def _bar_chart(
    sheet: Worksheet, first: int, last: int, *, direction: str, title: str, axis_title: str
) -> BarChart:
    """Chart column B (counts) against column A (labels) for data rows ``first``..``last``."""
    chart = BarChart()
    chart.type = direction
    chart.title = title
    chart.y_axis.title = "Jumlah keluhan"
    chart.x_axis.title = axis_title
    values = Reference(sheet, min_col=2, min_row=first - 1, max_row=last)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    return chart


def _sheet_stages(workbook: Workbook, data: ReportData) -> None:
    sheet = workbook.create_sheet("Per tahap")
    headers = [
        "Tahap", "Jumlah keluhan", "Porsi (%)", "Bobot tahap", "Masalah paling mendesak",
        "Skor prioritas tahap", "Peringkat", "Penjelasan",
    ]
    rows = [
        [row["label"], row["count"], _percent_value(row["share"]), row["stage_weight"],
         row["top_label"], row["priority"], row["rank"], row["explanation"]]
        for row in data.stages.to_dict("records")
    ]
    first, last = _write_table(sheet, headers, rows)
    sheet.column_dimensions["H"].width = 90

    chart = _bar_chart(
        sheet, first, last, direction="col",
        title="Keluhan per tahap kematangan e-government", axis_title="Tahap",
    )
    sheet.add_chart(chart, f"A{last + 3}")


def _sheet_trend(workbook: Workbook, data: ReportData) -> None:
    sheet = workbook.create_sheet("Tren bulanan")
    headers = ["Bulan", *data.trend.columns]
    rows = [[month, *values] for month, values in zip(
        data.trend.index, data.trend.itertuples(index=False), strict=True)]
    first, last = _write_table(sheet, headers, rows)
    if not rows:
        return

    chart = LineChart()
    chart.title = "Tren keluhan bulanan"
    chart.y_axis.title = "Jumlah keluhan"
    chart.x_axis.title = "Bulan"
    chart.add_data(
        Reference(sheet, min_col=2, max_col=len(headers), min_row=first - 1, max_row=last),
        titles_from_data=True,
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    chart.height, chart.width = 10, 22
    sheet.add_chart(chart, f"{get_column_letter(len(headers) + 2)}2")


def _sheet_changes(workbook: Workbook, data: ReportData) -> None:
    sheet = workbook.create_sheet("Perubahan")
    if data.previous is None:
        sheet["A1"] = "Tidak ada periode pembanding: laporan ini mencakup semua data."
        return
    headers = [
        "Kategori", f"Jumlah {format_month(data.period or '')}",
        f"Jumlah {format_month(data.previous)}", "Selisih", "Perubahan (%)",
    ]
    rows = [
        [row["label"], row["count"], row["previous_count"], row["difference"],
         _percent_value(row["growth"])]
        for row in data.changes.to_dict("records")
    ]
    _write_table(sheet, headers, rows)


def _sheet_words(workbook: Workbook, data: ReportData) -> None:
    sheet = workbook.create_sheet("Frekuensi kata")
    rows = [[row["term"], row["count"]] for row in data.words.to_dict("records")]
    _write_table(sheet, ["Kata", "Jumlah"], rows)


def _sheet_examples(workbook: Workbook, data: ReportData) -> None:
    sheet = workbook.create_sheet("Contoh komentar")
    rows = [
        [recommendation.rank, recommendation.label, example]
        for recommendation in data.recommendations[:5]
        for example in recommendation.examples
    ]
    _write_table(sheet, ["Peringkat", "Kategori", "Komentar"], rows)
    sheet.column_dimensions["C"].width = 110
    for row in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def _sheet_follow_up(workbook: Workbook, data: ReportData) -> None:
    sheet = workbook.create_sheet("Tindak lanjut")
    headers = [
        "Kategori", "Status", "Catatan", "Tanggal tindakan", "Rata-rata sebelum (per bulan)",
        "Rata-rata sesudah (per bulan)", "Hasil",
    ]
    rows = [
        [row["label"], row["status"], row["note"], row["action_date"], row["mean_before"],
         row["mean_after"], row["result"]]
        for row in data.follow_up.to_dict("records")
    ]
    _write_table(sheet, headers, rows)
    sheet.column_dimensions["G"].width = 90


def write_xlsx(data: ReportData, target: str | Path | IO[bytes], *,
               codebook: Codebook | None = None) -> None:
    """Write the report as an Excel workbook with native charts to a path or binary buffer.

    ``codebook`` adds each category's action and unit to the priority sheet; without it
    they come from the recommendations (categories with complaints only).
    """
    if codebook is not None:
        actions = {code: (spec.action, spec.unit) for code, spec in codebook.categories.items()}
    else:
        actions = {r.category: (r.action, r.unit) for r in data.recommendations}

    workbook = Workbook()
    _sheet_summary(workbook, data)
    _sheet_priorities(workbook, data, actions)
    _sheet_categories(workbook, data)
    _sheet_stages(workbook, data)
    _sheet_trend(workbook, data)
    _sheet_changes(workbook, data)
    _sheet_words(workbook, data)
    _sheet_examples(workbook, data)
    _sheet_follow_up(workbook, data)
    try:
        workbook.save(target)
    except OSError as error:
        raise ReportError(
            f"Laporan tidak bisa ditulis ke {target} ({describe_os_error(error)}); "
            "periksa folder dan izin tulisnya."
        ) from error
    _LOGGER.info("wrote the Excel report for %s", data.period_label)


# --- HTML -------------------------------------------------------------------------


_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; width: 100%; margin: .8rem 0; font-size: .9rem; }
th, td { border: 1px solid #ddd; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f5f7; } td.num { text-align: right; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: .8rem 1rem; margin: 1rem 0; }
.muted { color: #666; } blockquote { margin: .4rem 0; padding-left: .8rem;
  border-left: 3px solid #ccc; }
"""


def _escape(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "-"
    return html.escape(str(value))


def _html_table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{_escape(header)}</th>" for header in headers)
    body = []
    for row in rows:
        cells = []
        for value in row:
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            css = ' class="num"' if numeric else ""
            text = _html_number(value) if numeric else value
            cells.append(f"<td{css}>{_escape(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _html_number(value: float) -> str:
    """Format a table number the Indonesian way: at most two decimals, no trailing zeros."""
    if isinstance(value, int):
        return format_number(value)
    return format_number(value, decimals=2, trim=True)


def _format_percent(value: Any) -> str:
    percent = _percent_value(value)
    return "-" if percent is None else f"{format_number(percent, decimals=1, trim=True)}%"


def _html_sections(data: ReportData) -> list[str]:
    sections = []

    facts: list[list[Any]] = [
        ["Periode", data.period_label],
        ["Dibandingkan dengan", format_month(data.previous) if data.previous else "-"],
        ["Jumlah komentar", data.total_comments],
        ["Komentar berisi keluhan terkode", data.coded_complaints],
    ]
    facts += [[f"Tema: {label}", count] for label, count in data.themes.values()]
    top_stage = data.stages.sort_values("rank").iloc[0]
    sections.append(
        "<h2>Ringkasan</h2>" + _html_table(["Keterangan", "Nilai"], facts)
        + f"<p><strong>Tahap prioritas:</strong> {_escape(top_stage['explanation'])}</p>"
    )

    signal_headers = [f"{signal.label}" for signal in data.signals]
    rows = []
    for row in data.scores.to_dict("records"):
        rows.append(
            [row["rank"], row["label"], row["stage"], row["count"], _format_percent(row["share"]),
             _format_percent(row["growth"]), row["stage_weight"],
             *[_format_percent(row[f"signal_{s.code}"]) for s in data.signals],
             round(row["score"], 2), row["explanation"]]
        )
    sections.append(
        "<h2>Prioritas perbaikan</h2>"
        "<p class='muted'>Skor = poin volume × bobot tahap × faktor pertumbuhan × "
        "faktor keparahan.</p>"
        + _html_table(
            ["Peringkat", "Kategori", "Tahap", "Jumlah", "Porsi", "Pertumbuhan", "Bobot tahap",
             *signal_headers, "Skor", "Penjelasan"],
            rows,
        )
    )

    cards = []
    for recommendation in data.recommendations[:5]:
        trend = ", ".join(f"{format_month(m)}: {c}" for m, c in recommendation.trend)
        examples = "".join(
            f"<blockquote>{_escape(shorten_text(text))}</blockquote>"
            for text in recommendation.examples
        ) or "<p class='muted'>Tidak ada contoh komentar.</p>"
        cards.append(
            f"<div class='card'><h3>{recommendation.rank}. {_escape(recommendation.label)}</h3>"
            f"<p>{_escape(recommendation.explanation)}</p>"
            f"<p><strong>Tindakan yang disarankan:</strong> {_escape(recommendation.action)}</p>"
            f"<p><strong>Unit pelaksana:</strong> {_escape(recommendation.unit)}</p>"
            f"<p><strong>Tren:</strong> {_escape(trend)}</p>"
            f"<p><strong>Contoh komentar:</strong></p>{examples}</div>"
        )
    sections.append("<h2>Rekomendasi</h2>" + "".join(cards))

    if data.previous is not None:
        rows = [
            [row["label"], row["count"], row["previous_count"], row["difference"],
             _format_percent(row["growth"])]
            for row in data.changes.to_dict("records")
        ]
        sections.append(
            f"<h2>Perubahan dibanding {_escape(format_month(data.previous))}</h2>"
            + _html_table(["Kategori", "Periode ini", "Pembanding", "Selisih", "Perubahan"], rows)
        )

    rows = [
        [row["label"], row["count"], _format_percent(row["share"]), row["stage_weight"],
         row["top_label"], row["rank"], row["explanation"]]
        for row in data.stages.to_dict("records")
    ]
    sections.append(
        "<h2>Tahap kematangan e-government</h2>"
        + _html_table(
            ["Tahap", "Jumlah", "Porsi", "Bobot", "Masalah paling mendesak", "Peringkat",
             "Penjelasan"],
            rows,
        )
    )

    rows = [[row["term"], row["count"]] for row in data.words.to_dict("records")]
    sections.append("<h2>Frekuensi kata</h2>" + _html_table(["Kata", "Jumlah"], rows))

    if not data.follow_up.empty:
        rows = [
            [row["label"], row["status"], row["note"], row["action_date"], row["result"]]
            for row in data.follow_up.to_dict("records")
        ]
        sections.append(
            "<h2>Tindak lanjut</h2>"
            + _html_table(["Kategori", "Status", "Catatan", "Tanggal tindakan", "Hasil"], rows)
        )
    return sections


def _html_charts(data: ReportData) -> str:
    figures = [
        charts_priority.score_bar(data.scores),
        charts_priority.category_bar(data.scores),
        charts_priority.stage_bar(data.stages),
        charts_priority.trend_line(data.trend),
    ]
    parts = []
    for position, figure in enumerate(figures):
        # plotly.js goes inline once, with the first figure, so the page works offline.
        parts.append(
            pio.to_html(
                figure,
                full_html=False,
                include_plotlyjs=position == 0,
                config={"displaylogo": False},
            )
        )
    return "<h2>Grafik</h2>" + "".join(parts)


def write_html(data: ReportData, target: str | Path | IO[bytes]) -> None:
    """Write the report as one standalone HTML page (plotly.js inline, no network needed)."""
    generated = data.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    document = (
        "<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'>"
        f"<title>{_escape(data.title)} - {_escape(data.period_label)}</title>"
        f"<style>{_CSS}</style></head><body>"
        f"<h1>{_escape(data.title)}</h1>"
        f"<p class='muted'>Periode: {_escape(data.period_label)}. Dibuat pada {generated}. "
        f"Codebook: {_escape(data.codebook_name)}.</p>"
        + "".join(_html_sections(data))
        + _html_charts(data)
        + "</body></html>"
    )
    encoded = document.encode("utf-8")
    if isinstance(target, str | Path):
        try:
            Path(target).write_bytes(encoded)
        except OSError as error:
            raise ReportError(
                f"Laporan tidak bisa ditulis ke {target} ({describe_os_error(error)}); "
                "periksa folder dan izin tulisnya."
            ) from error
    else:
        target.write(encoded)
    _LOGGER.info("wrote the HTML report for %s (%d bytes)", data.period_label, len(encoded))


def report_bytes(data: ReportData, kind: str, *, codebook: Codebook | None = None) -> bytes:
    """Return the report as ``xlsx`` or ``html`` bytes, e.g. for a download button.

    Raises:
        ReportError: ``kind`` is neither ``xlsx`` nor ``html``.
    """
    buffer = io.BytesIO()
    if kind == "xlsx":
        write_xlsx(data, buffer, codebook=codebook)
    elif kind == "html":
        write_html(data, buffer)
    else:
        raise ReportError(f"Format laporan {kind!r} tidak dikenal; gunakan xlsx atau html.")
    return buffer.getvalue()
