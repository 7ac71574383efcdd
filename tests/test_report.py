"""Tests for netno.report and the report command: real openpyxl and HTML files."""

from __future__ import annotations

import argparse
import io
import json
import re

import openpyxl
import pandas as pd
import pytest
from openpyxl.chart import BarChart, LineChart

from netno import report_cli
from netno.cli import CommandError
from netno.codebook import default_codebook
from netno.report import ReportError, build_report_data, report_bytes, write_html, write_xlsx

CODEBOOK = default_codebook()
HOSTILE = "<script>alert(1)</script>"


def _coded_frame() -> pd.DataFrame:
    """Three months of invented comments; payment complaints grow in March."""
    rows = []
    for month, payments in (("2024-01", 2), ("2024-02", 3), ("2024-03", 6)):
        for number in range(payments):
            rows.append(
                {
                    "text": f"Sudah bayar jam {number + 8} pagi tapi status masih menunggu "
                    f"pembayaran {HOSTILE}",
                    "categories": ["status_pembayaran"],
                    "month": month,
                    "likes": number,
                }
            )
        rows.append(
            {
                "text": '=HYPERLINK("http://contoh.invalid") kuota penuh terus dari kemarin',
                "categories": ["kuota"],
                "month": month,
                "likes": 0,
            }
        )
        rows.append({"text": "aplikasinya mantap", "categories": [], "month": month, "likes": 0})
    rows.append(
        {
            "text": "-aplikasi keluar sendiri waktu isi formulir",
            "categories": ["force_closed"],
            "month": "2024-02",
            "likes": 0,
        }
    )
    return pd.DataFrame(rows)


@pytest.fixture
def report_data():
    return build_report_data(_coded_frame(), codebook=CODEBOOK, period="2024-03")


@pytest.fixture
def workbook(report_data, tmp_path):
    path = tmp_path / "laporan.xlsx"
    write_xlsx(report_data, path, codebook=CODEBOOK)
    return openpyxl.load_workbook(path)


@pytest.fixture
def html_text(report_data, tmp_path):
    path = tmp_path / "laporan.html"
    write_html(report_data, path)
    return path.read_text(encoding="utf-8")


def _headers(sheet) -> list:
    return [cell.value for cell in sheet[1]]


# --- report data ------------------------------------------------------------------


def test_build_previous_defaults_to_month_before(report_data):
    assert report_data.previous == "2024-02"
    assert report_data.period_label == "Maret 2024"


def test_build_counts_period_only(report_data):
    assert report_data.total_comments == 8
    assert report_data.coded_complaints == 7
    assert report_data.recommendations[0].category == "status_pembayaran"


def test_build_changes_list_moves(report_data):
    changes = report_data.changes.set_index("category")

    assert changes.loc["status_pembayaran", "difference"] == 3
    assert changes.loc["force_closed", "difference"] == -1


def test_build_trend_has_total_and_top_categories(report_data):
    trend = report_data.trend

    assert list(trend.index) == ["2024-01", "2024-02", "2024-03"]
    assert list(trend["Semua keluhan"]) == [3, 5, 7]
    assert list(trend["Status pembayaran"]) == [2, 3, 6]


def test_build_words_fallback_counts_terms(report_data):
    words = report_data.words.set_index("term")["count"]

    assert words["pembayaran"] == 6
    assert "yang" not in words.index


def test_build_words_given_table_kept():
    words = pd.DataFrame({"term": ["bayar", "kuota"], "count": [10, 4]})

    data = build_report_data(_coded_frame(), codebook=CODEBOOK, words=words)

    assert data.words.to_dict("records") == [
        {"term": "bayar", "count": 10}, {"term": "kuota", "count": 4},
    ]


def test_build_words_missing_column_rejected():
    with pytest.raises(ReportError, match="count"):
        build_report_data(
            _coded_frame(), codebook=CODEBOOK, words=pd.DataFrame({"term": ["a"]})
        )


def test_build_empty_frame_rejected():
    with pytest.raises(ReportError, match="Tidak ada komentar"):
        build_report_data(_coded_frame().iloc[0:0], codebook=CODEBOOK)


def test_build_whole_frame_has_no_comparison():
    data = build_report_data(_coded_frame(), codebook=CODEBOOK)

    assert data.previous is None
    assert data.period_label == "Semua data (Januari 2024 s.d. Maret 2024)"
    assert data.changes.empty


def test_build_follow_up_shows_effect():
    actions = {
        "force_closed": {
            "status": "selesai", "note": "rilis perbaikan", "action_date": "2024-02-20",
        },
    }

    data = build_report_data(_coded_frame(), codebook=CODEBOOK, period="2024-03", actions=actions)

    row = data.follow_up.iloc[0]
    assert row["label"] == "Force closed"
    assert row["mean_before"] == 0.0
    assert row["mean_after"] == 0.0
    assert row["status"] == "selesai"


PERSONAL_NOTE = "Bu Sari (081234567890, sari@contoh.id) NIK 3215012345678903 sudah dihubungi"


@pytest.fixture
def data_with_note():
    actions = {
        "kuota": {"status": "selesai", "note": PERSONAL_NOTE, "action_date": "2024-02-20"},
    }
    return build_report_data(_coded_frame(), codebook=CODEBOOK, period="2024-03", actions=actions)


def _assert_note_masked(text: str) -> None:
    assert "Bu Sari" in text, "the note is missing"
    assert "34567890" not in text
    assert "sari@contoh.id" not in text
    assert "321501234567" not in text


def test_build_follow_up_masks_note(data_with_note):
    _assert_note_masked(data_with_note.follow_up.iloc[0]["note"])


def test_xlsx_follow_up_note_masked(data_with_note, tmp_path):
    path = tmp_path / "laporan.xlsx"
    write_xlsx(data_with_note, path, codebook=CODEBOOK)

    sheet = openpyxl.load_workbook(path)["Tindak lanjut"]
    cells = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row)

    _assert_note_masked(cells)


def test_html_follow_up_note_masked(data_with_note, tmp_path):
    path = tmp_path / "laporan.html"
    write_html(data_with_note, path)

    _assert_note_masked(path.read_text(encoding="utf-8"))


# --- Excel ------------------------------------------------------------------------


def test_xlsx_sheets_in_indonesian(workbook):
    assert workbook.sheetnames == [
        "Ringkasan", "Prioritas", "Per kategori", "Per tahap", "Tren bulanan",
        "Perubahan", "Frekuensi kata", "Contoh komentar", "Tindak lanjut",
    ]


def test_xlsx_priority_sheet_has_components(workbook):
    sheet = workbook["Prioritas"]
    headers = _headers(sheet)

    for header in ("Peringkat", "Kategori", "Jumlah keluhan", "Bobot tahap",
                   "Faktor pertumbuhan", "Faktor keparahan", "Skor", "Penjelasan",
                   "Tindakan yang disarankan", "Unit pelaksana"):
        assert header in headers
    first = dict(zip(headers, [cell.value for cell in sheet[2]], strict=True))
    assert first["Peringkat"] == 1
    assert first["Kategori"] == "Status pembayaran"
    assert first["Jumlah keluhan"] == 6
    assert first["Bobot tahap"] == 1.6
    assert first["Penjelasan"].startswith("Status pembayaran: 6 keluhan")
    assert first["Unit pelaksana"] == CODEBOOK.categories["status_pembayaran"].unit


def test_xlsx_category_chart_is_bar(workbook):
    sheet = workbook["Per kategori"]
    charts = sheet._charts

    assert len(charts) == 1
    assert isinstance(charts[0], BarChart)
    assert charts[0].type == "bar"
    reference = charts[0].series[0].val.numRef.f
    assert reference == "'Per kategori'!$B$2:$B$15"
    assert sheet["A2"].value == "Status pembayaran"
    assert sheet["B2"].value == 6


def test_xlsx_stage_chart_in_stage_order(workbook):
    sheet = workbook["Per tahap"]
    charts = sheet._charts

    assert len(charts) == 1
    assert isinstance(charts[0], BarChart)
    assert charts[0].type == "col"
    assert charts[0].series[0].val.numRef.f == "'Per tahap'!$B$2:$B$5"
    assert charts[0].series[0].cat.numRef.f == "'Per tahap'!$A$2:$A$5"
    assert [sheet.cell(row=row, column=1).value for row in range(2, 6)] == [
        "Present", "Interact", "Transact", "Integration",
    ]
    assert sheet["B4"].value == 6


def test_xlsx_trend_chart_is_line(workbook):
    sheet = workbook["Tren bulanan"]
    charts = sheet._charts

    assert len(charts) == 1
    assert isinstance(charts[0], LineChart)
    assert _headers(sheet)[:3] == ["Bulan", "Semua keluhan", "Status pembayaran"]
    assert [sheet.cell(row=row, column=1).value for row in range(2, 5)] == [
        "2024-01", "2024-02", "2024-03",
    ]
    assert len(charts[0].series) == sheet.max_column - 1


def test_xlsx_formula_text_neutralised(workbook):
    examples = [cell.value for cell in workbook["Contoh komentar"]["C"]]

    assert "'=HYPERLINK(\"http://contoh.invalid\") kuota penuh terus dari kemarin" in examples
    assert not any(
        isinstance(value, str) and value.startswith("=") for value in examples
    )


def test_xlsx_changes_sheet_headers(workbook):
    sheet = workbook["Perubahan"]

    assert _headers(sheet) == [
        "Kategori", "Jumlah Maret 2024", "Jumlah Februari 2024", "Selisih", "Perubahan (%)",
    ]
    assert sheet["A2"].value == "Status pembayaran"
    assert sheet["E2"].value == 100.0


def test_xlsx_summary_lists_top_priority(workbook):
    values = [cell.value for row in workbook["Ringkasan"].iter_rows() for cell in row]

    assert "Maret 2024" in values
    assert any(isinstance(value, str) and value.startswith("Status pembayaran:")
               for value in values)


def test_xlsx_writes_to_buffer(report_data):
    buffer = io.BytesIO()

    write_xlsx(report_data, buffer)

    assert buffer.getvalue()[:2] == b"PK"


def test_xlsx_three_examples_per_category(workbook):
    sheet = workbook["Contoh komentar"]
    categories = [cell.value for cell in sheet["B"][1:]]

    assert categories.count("Status pembayaran") == 3
    assert all(HOSTILE in cell.value for cell in sheet["C"][1:4])


# --- HTML -------------------------------------------------------------------------


def test_html_has_indonesian_headings(html_text):
    for heading in ("Laporan Bulanan Keluhan Pengguna M-Paspor", "Prioritas perbaikan",
                    "Rekomendasi", "Perubahan dibanding Februari 2024",
                    "Tahap kematangan e-government", "Frekuensi kata", "Grafik"):
        assert heading in html_text
    assert "<html lang='id'>" in html_text


def test_html_names_top_category_and_action(html_text):
    assert "1. Status pembayaran" in html_text
    assert CODEBOOK.categories["status_pembayaran"].action in html_text


def test_html_embeds_plotly_inline(html_text):
    assert "plotly.js v" in html_text
    assert html_text.count("Plotly.newPlot") == 4
    assert not re.search(r"<script[^>]+src=[\"']?https?:", html_text, flags=re.IGNORECASE)
    assert '<script src="http' not in html_text


def test_html_escapes_comment_text(html_text):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text
    assert HOSTILE not in html_text


def test_html_writes_to_buffer(report_data):
    buffer = io.BytesIO()

    write_html(report_data, buffer)

    assert buffer.getvalue().startswith(b"<!DOCTYPE html>")


def test_report_bytes_both_formats(report_data):
    assert report_bytes(report_data, "xlsx")[:2] == b"PK"
    assert report_bytes(report_data, "html").startswith(b"<!DOCTYPE html>")


def test_report_bytes_unknown_format_rejected(report_data):
    with pytest.raises(ReportError, match="'pdf'"):
        report_bytes(report_data, "pdf")


# --- command ----------------------------------------------------------------------


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    report_cli.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


EXPORT_COMMENTS = [
    ("2024-01-05T03:00:00+0000", "Sudah bayar tapi status masih menunggu pembayaran"),
    ("2024-02-07T03:00:00+0000", "Kuota selalu penuh, kapan dibuka lagi?"),
    ("2024-03-02T03:00:00+0000", "Sudah transfer dari pagi, status pembayaran belum berubah"),
    ("2024-03-09T03:00:00+0000", "sudah bayar di bank tapi statusnya masih menunggu pembayaran"),
    ("2024-03-11T03:00:00+0000", "Aplikasi keluar sendiri waktu dibuka"),
]


@pytest.fixture
def export_file(tmp_path, monkeypatch):
    """A small Instagram Graph API export spanning January to March 2024."""
    monkeypatch.setenv("NETNO_SECRET_KEY", "kunci-uji-laporan-yang-panjang")
    records = [
        {"id": f"c{number}", "text": text, "timestamp": timestamp, "username": f"warga{number}"}
        for number, (timestamp, text) in enumerate(EXPORT_COMMENTS)
    ]
    path = tmp_path / "ekspor.json"
    path.write_text(json.dumps({"data": records}), encoding="utf-8")
    return path


def test_report_command_writes_html(tmp_path, export_file, capsys):
    output = tmp_path / "laporan.html"
    arguments = _parse(["report", str(export_file), "-o", str(output), "--period", "2024-03"])

    code = arguments.handler(arguments)

    assert code == 0
    assert "Status pembayaran" in output.read_text(encoding="utf-8")
    assert "Maret 2024" in capsys.readouterr().out


def test_report_command_writes_xlsx(tmp_path, export_file):
    output = tmp_path / "laporan.xlsx"
    arguments = _parse(["report", str(export_file), "-o", str(output)])

    arguments.handler(arguments)

    assert openpyxl.load_workbook(output).sheetnames[0] == "Ringkasan"


def test_report_command_unknown_format_rejected(tmp_path, export_file):
    arguments = _parse(["report", str(export_file), "-o", str(tmp_path / "laporan.pdf")])

    with pytest.raises(CommandError, match=r"\.xlsx atau \.html"):
        arguments.handler(arguments)


def test_report_command_missing_month_rejected(tmp_path, export_file):
    arguments = _parse(
        ["report", str(export_file), "-o", str(tmp_path / "l.html"), "--period", "2023-05"]
    )

    with pytest.raises(CommandError, match="2024-01 s.d. 2024-03"):
        arguments.handler(arguments)


def test_report_command_needs_inputs_or_db(tmp_path):
    arguments = _parse(["report", "-o", str(tmp_path / "l.html")])

    with pytest.raises(CommandError, match="--db"):
        arguments.handler(arguments)


def _summary_value(path, label):
    sheet = openpyxl.load_workbook(path)["Ringkasan"]
    return next(row[1] for row in sheet.iter_rows(values_only=True) if row[0] == label)


def test_report_command_drops_repeated_file(tmp_path, export_file, capsys):
    output = tmp_path / "laporan.xlsx"
    arguments = _parse(
        ["report", str(export_file), str(export_file), "-o", str(output), "--period", "2024-03"]
    )

    code = arguments.handler(arguments)

    assert code == 0
    assert _summary_value(output, "Jumlah komentar") == 3
    assert "5 komentar duplikat dibuang" in capsys.readouterr().out


def test_report_command_drops_duplicates_without_ids(tmp_path, monkeypatch, capsys):
    # Without platform ids, author, time and text identify a comment, as in the store.
    monkeypatch.setenv("NETNO_SECRET_KEY", "kunci-uji-laporan-yang-panjang")
    header = "pengguna,komentar,tanggal\n"
    first = tmp_path / "maret.csv"
    first.write_text(
        header
        + "warga1,Status pembayaran masih menunggu,2024-03-02 10:00:00\n"
        + "warga1,Status pembayaran masih menunggu,2024-03-02 10:00:00\n"
        + "warga2,Status pembayaran masih menunggu,2024-03-02 10:00:00\n",
        encoding="utf-8",
    )
    second = tmp_path / "maret_lagi.csv"
    second.write_text(
        header
        + "warga1,Status  pembayaran masih menunggu,2024-03-02 10:00:00\n"
        + "warga1,Status pembayaran masih menunggu,2024-03-05 10:00:00\n",
        encoding="utf-8",
    )
    output = tmp_path / "laporan.xlsx"
    arguments = _parse(["report", str(first), str(second), "-o", str(output)])

    arguments.handler(arguments)

    assert _summary_value(output, "Jumlah komentar") == 3
    assert "2 komentar duplikat dibuang" in capsys.readouterr().out


def test_report_command_single_file_keeps_all(tmp_path, export_file, capsys):
    output = tmp_path / "laporan.xlsx"
    arguments = _parse(["report", str(export_file), "-o", str(output)])

    arguments.handler(arguments)

    assert _summary_value(output, "Jumlah komentar") == len(EXPORT_COMMENTS)
    assert "0 komentar duplikat dibuang" in capsys.readouterr().out
