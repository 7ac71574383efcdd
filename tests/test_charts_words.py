"""Tests for netno.charts_words: bar charts, the comparison chart and the word cloud PNG."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from PIL import Image

from netno.charts_words import (
    comparison_bar_chart,
    emoji_bar_chart,
    terms_bar_chart,
    word_cloud_png,
)
from netno.wordfreq import WordQuery, compare_periods, word_frequency

COMMENTS = [
    "pembayaran gagal terus, kode billing kadaluarsa 😡",
    "gak bisa bayar, kode billing tidak muncul 😡🙏",
    "antrian online penuh, kuota habis",
    "pembayaran sudah tapi status belum berubah",
]


def test_terms_bar_chart_labels_and_order():
    result = word_frequency(COMMENTS)

    figure = terms_bar_chart(result, top=5)

    bar = figure.data[0]
    assert bar.orientation == "h"
    assert list(bar.y)[-1] == result.terms.iloc[0]["term"]
    assert len(bar.y) == 5
    assert figure.layout.xaxis.title.text == "Jumlah kemunculan"
    assert figure.layout.title.text == "5 kata tersering"
    assert "paling sering" in figure.layout.title.subtitle.text
    assert result.terms.iloc[0]["term"] in figure.layout.title.subtitle.text


def test_terms_bar_chart_phrases_title():
    result = word_frequency(COMMENTS, WordQuery(ngram=2, min_phrase_count=1))

    figure = terms_bar_chart(result)

    assert "frasa 2 kata" in figure.layout.title.text
    assert "kode billing" in list(figure.data[0].y)


def test_terms_bar_chart_empty_result_has_message():
    result = word_frequency(["ya"])

    figure = terms_bar_chart(result)

    assert len(figure.data) == 0
    assert "Tidak ada istilah" in figure.layout.annotations[0].text


def test_emoji_bar_chart_counts():
    result = word_frequency(COMMENTS)

    figure = emoji_bar_chart(result.emoji)

    assert list(figure.data[0].y)[-1] == "😡"
    assert list(figure.data[0].x)[-1] == 2
    assert figure.layout.title.text == "Emoji tersering"


def test_emoji_bar_chart_empty_has_message():
    figure = emoji_bar_chart(word_frequency(["tanpa emoji"]).emoji)

    assert "Tidak ada emoji" in figure.layout.annotations[0].text


def test_comparison_bar_chart_colours_rise_and_fall():
    comparison = compare_periods(
        ["login gagal"] * 5 + ["bayar lancar"] * 5,
        ["bayar gagal"] * 8 + ["login gagal"] * 2,
        min_count=3,
    )

    figure = comparison_bar_chart(comparison, label_a="2022", label_b="2023")

    bar = figure.data[0]
    colours = dict(zip(bar.y, bar.marker.color, strict=True))
    assert colours["bayar"] != colours["login"]
    assert "2022 → 2023" in figure.layout.title.text
    leader = comparison.iloc[0]["term"]
    assert f"“{leader}” paling naik" in figure.layout.title.subtitle.text


def test_word_cloud_png_same_input_same_bytes():
    terms = word_frequency(COMMENTS).terms

    first = word_cloud_png(terms, width=400, height=200)
    second = word_cloud_png(terms, width=400, height=200)

    assert first == second
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(io.BytesIO(first)).size == (400, 200)


def test_word_cloud_png_depends_on_counts():
    terms = pd.DataFrame({"term": ["bayar", "antrian"], "count": [10, 1]})
    swapped = pd.DataFrame({"term": ["bayar", "antrian"], "count": [1, 10]})

    assert word_cloud_png(terms, width=300, height=150) != word_cloud_png(
        swapped, width=300, height=150
    )


def test_word_cloud_png_empty_table_rejected():
    with pytest.raises(ValueError, match="Tabel istilah kosong"):
        word_cloud_png(pd.DataFrame({"term": [], "count": []}))


def test_word_cloud_png_accepts_dict_of_columns():
    frame = pd.DataFrame({"term": ["bayar", "antrian"], "count": [10, 4]})

    from_dict = word_cloud_png({"term": ["bayar", "antrian"], "count": [10, 4]}, width=300,
                               height=150)

    assert from_dict == word_cloud_png(frame, width=300, height=150)
