"""Tests for netno.summary: filters, counts and the display tables of the dashboard."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from netno.codebook import default_codebook
from netno.summary import (
    codes_as_labels,
    comment_rows,
    evidence_summary,
    headline,
    month_over_month_rows,
    page_count,
    search_comments,
    shorten_text,
    stage_counts,
    top_category_text,
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


def test_search_comments_case_insensitive_literal():
    coded = _coded([
        {"text": "Kode BILLING tidak muncul"},
        {"text": "aplikasi lambat"},
        {"text": "billing (gagal) lagi"},
    ])

    assert search_comments(coded, "billing")["text"].tolist() == [
        "Kode BILLING tidak muncul", "billing (gagal) lagi"
    ]
    assert search_comments(coded, "(gagal)")["text"].tolist() == ["billing (gagal) lagi"]
    assert search_comments(coded, ".*")["text"].tolist() == []
    assert len(search_comments(coded, "   ")) == 3


def test_comment_rows_offset_selects_page():
    coded = _coded([{"text": f"komentar nomor {index}"} for index in range(5)])

    page = comment_rows(coded, CODEBOOK, limit=2, offset=2)

    # Newest first: rows 4, 3 on page one, then 2, 1.
    assert page["Komentar"].tolist() == ["komentar nomor 2", "komentar nomor 1"]


def test_page_count_rounds_up():
    assert page_count(0, 100) == 1
    assert page_count(100, 100) == 1
    assert page_count(101, 100) == 2


def test_shorten_text_cuts_long_text():
    text = "kata " * 3000

    short = shorten_text(text, limit=300)

    assert len(short) <= 300
    assert short.endswith("…")
    assert shorten_text("pendek", limit=300) == "pendek"


def test_top_category_text_names_count():
    coded = _coded([{"text": "muter terus", "categories": ["loading"]}] * 3)

    numbers = headline(coded, CODEBOOK)
    empty = headline(coded.iloc[0:0], CODEBOOK)

    text = top_category_text(numbers["top_category"], numbers["top_category_count"])

    assert text == f"{CODEBOOK.categories['loading'].label} (3 komentar)"
    assert top_category_text(empty["top_category"], empty["top_category_count"]) == "-"


def test_stage_counts_once_per_comment():
    part = pd.DataFrame({"stages": [["interact", "interact"], ["transact"], []]})
    coded = pd.concat([part, part])

    counts = stage_counts(coded, CODEBOOK).set_index("stage")["count"]

    assert counts["interact"] == 2
    assert counts["transact"] == 2
    assert counts["present"] == 0
