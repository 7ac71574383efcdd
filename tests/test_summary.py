"""Tests for netno.summary: filters, counts and the display tables of the dashboard."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from netno.codebook import default_codebook
from netno.summary import (
    codes_as_labels,
    comment_rows,
    evidence_summary,
    month_over_month_rows,
)

CODEBOOK = default_codebook()


def _coded(rows: list[dict]) -> pd.DataFrame:
    defaults = {
        "categories": [], "themes": [], "stages": [], "steps": [], "intent": "lainnya",
        "evidence": [], "uncertain": [], "month": "2024-03",
    }
    frame = pd.DataFrame([{**defaults, **row} for row in rows])
    frame["created_at"] = pd.to_datetime(
        [f"2024-03-{index + 1:02d}T08:00:00Z" for index in range(len(frame))], utc=True
    )
    frame["day"] = [stamp.date() for stamp in frame["created_at"]]
    frame["comment_id"] = range(1, len(frame) + 1)
    return frame


def test_evidence_summary_shows_labels():
    evidence = [
        {"field": "category", "code": "kode_billing", "start": 0, "end": 12,
         "text": "billing gagal"},
        {"field": "step", "code": "login", "start": 20, "end": 25, "text": "login"},
    ]

    cell = evidence_summary(evidence, {("category", "kode_billing"): "Kode billing",
                                       ("step", "login"): "Login"})

    assert cell == 'Kode billing: "billing gagal"; Login: "login"'


def test_comment_rows_evidence_uses_codebook_labels():
    label = CODEBOOK.categories["kode_billing"].label
    coded = _coded([{
        "text": "kode billing tidak muncul",
        "categories": ["kode_billing"],
        "evidence": [{"field": "category", "code": "kode_billing", "start": 0, "end": 12,
                      "text": "kode billing"}],
    }])

    table = comment_rows(coded, CODEBOOK)

    assert table.loc[0, "Bukti"] == f'{label}: "kode billing"'
    assert "kode_billing:" not in table.loc[0, "Bukti"]


def test_month_over_month_rows_new_and_missing_change():
    table = pd.DataFrame({
        "code": ["kuota", "loading", "kode_otp"],
        "count": [1200, 3, 0],
        "previous": [800, 0, 0],
        "change": [400, 3, 0],
        "pct_change": [50.0, float("nan"), float("nan")],
    })

    rows = month_over_month_rows(table, {"kuota": "Kuota"})

    assert rows["Perubahan (%)"].tolist() == ["+50%", "baru", "-"]
    assert rows["Kode"].tolist()[0] == "Kuota"
    assert None not in rows["Perubahan (%)"].tolist()


def test_codes_as_labels_replaces_codes():
    frame = pd.DataFrame({
        "left": ["bayar"],
        "categories": [["status_pembayaran"]],
        "themes": [["pembayaran"]],
        "intent": ["keluhan"],
    })

    shown = codes_as_labels(frame, CODEBOOK)

    assert shown.loc[0, "categories"] == CODEBOOK.categories["status_pembayaran"].label
    assert shown.loc[0, "themes"] == CODEBOOK.themes["pembayaran"].label
    assert shown.loc[0, "intent"] == CODEBOOK.intents["keluhan"].label
    assert shown.loc[0, "left"] == "bayar"


def test_comment_rows_date_column_kept():
    coded = _coded([{"text": "aplikasi lambat sekali"}])

    table = comment_rows(coded, CODEBOOK)

    assert table.loc[0, "Tanggal"] == dt.date(2024, 3, 1)
