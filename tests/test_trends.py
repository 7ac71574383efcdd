"""Tests for netno.trends on small hand-made monthly counts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from netno.charts_trends import trend_figure
from netno.trends import (
    TrendError,
    detect_spikes,
    latest_spikes,
    month_over_month,
    month_range,
    monthly_counts,
    monthly_table,
    negative_binomial_upper_tail,
    poisson_upper_tail,
)


def _frame(counts: dict[str, dict[str, int]], *, other_per_month: int = 0) -> pd.DataFrame:
    """Build a coded frame with ``counts[code][month]`` comments of each code."""
    rows = []
    months = sorted({month for per_month in counts.values() for month in per_month})
    for code, per_month in counts.items():
        for month, count in per_month.items():
            rows += [{"month": month, "categories": [code], "themes": ["pengajuan"],
                      "stages": ["transact"], "steps": []}] * count
    for month in months:
        rows += [{"month": month, "categories": [], "themes": [], "stages": [],
                  "steps": []}] * other_per_month
    return pd.DataFrame(rows)


def _series(values: list[int], *, start: str = "2024-01") -> dict[str, int]:
    months = month_range(start, str(pd.Period(start, "M") + len(values) - 1))
    return {month: value for month, value in zip(months, values, strict=True) if value}


def _ref_poisson_tail(count: int, mean: float) -> float:
    return 1 - sum(math.exp(-mean) * mean**k / math.factorial(k) for k in range(count))


def test_month_range_spans_year_end():
    assert month_range("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]


def test_monthly_counts_fill_missing_months_with_zero():
    frame = _frame({"kuota": {"2025-01": 2, "2025-03": 1}})

    long = monthly_counts(frame)

    assert long["month"].tolist() == ["2025-01", "2025-02", "2025-03"]
    assert long["count"].tolist() == [2, 0, 1]


def test_monthly_counts_code_twice_in_comment_counts_once():
    frame = pd.DataFrame({"month": ["2025-01"], "categories": [["kuota", "kuota"]]})

    assert monthly_counts(frame)["count"].tolist() == [1]


def test_monthly_counts_normalize_gives_share():
    frame = _frame({"kuota": {"2025-01": 1, "2025-02": 3}}, other_per_month=1)

    long = monthly_counts(frame, normalize=True)

    assert long["total"].tolist() == [2, 4]
    assert long["value"].tolist() == [0.5, 0.75]


def test_monthly_counts_ignores_comments_without_month():
    frame = _frame({"kuota": {"2025-01": 2}})
    frame.loc[len(frame)] = {"month": None, "categories": ["kuota"], "themes": [],
                             "stages": [], "steps": []}

    assert monthly_counts(frame)["count"].tolist() == [2]


def test_monthly_counts_unknown_field_raises():
    with pytest.raises(TrendError, match="'intent'"):
        monthly_counts(_frame({"kuota": {"2025-01": 1}}), field="intent")


def test_monthly_table_has_requested_codes():
    frame = _frame({"kuota": {"2025-01": 2}, "kode_otp": {"2025-02": 1}})

    table = monthly_table(frame, codes=["kode_otp", "kuota", "reschedule"])

    assert table.columns.tolist() == ["kode_otp", "kuota", "reschedule"]
    assert table.loc["2025-01"].tolist() == [0, 2, 0]
    assert table.loc["2025-02"].tolist() == [1, 0, 0]


def test_monthly_table_by_theme():
    frame = _frame({"kuota": {"2025-01": 2}})

    assert monthly_table(frame, field="themes").loc["2025-01", "pengajuan"] == 2


def test_month_over_month_change_and_percent():
    frame = _frame({"kuota": {"2025-01": 4, "2025-02": 6}, "kode_otp": {"2025-02": 3}})

    table = month_over_month(frame).set_index("code")

    assert table.loc["kuota", "previous"] == 4
    assert table.loc["kuota", "change"] == 2
    assert table.loc["kuota", "pct_change"] == 50.0
    assert table.loc["kode_otp", "change"] == 3
    assert math.isnan(table.loc["kode_otp", "pct_change"])


def test_poisson_upper_tail_matches_direct_sum():
    for count, mean in [(5, 0.5), (3, 2.0), (14, 2.5), (1, 0.1), (2, 5.0), (10, 10.0)]:
        assert poisson_upper_tail(count, mean) == pytest.approx(
            _ref_poisson_tail(count, mean), rel=1e-9, abs=1e-15
        )


def test_poisson_upper_tail_keeps_tiny_probabilities():
    # 1 - CDF rounds to 0 here; the direct tail sum does not.
    assert 0 < poisson_upper_tail(50, 3.0) < 1e-40


def test_negative_binomial_tail_wider_than_poisson():
    assert negative_binomial_upper_tail(10, 3.0, 9.0) > 10 * poisson_upper_tail(10, 3.0)
    assert negative_binomial_upper_tail(10, 3.0, 2.0) == poisson_upper_tail(10, 3.0)


def test_detect_spikes_flags_clear_spike():
    frame = _frame({"kuota": _series([2, 3, 1, 2, 3, 2, 14])})

    spikes = detect_spikes(frame)

    last = spikes.iloc[-1]
    assert last["month"] == "2024-07"
    assert bool(last["spike"])
    assert last["model"] == "Poisson"
    assert last["p_value"] < 1e-5
    assert last["expected"] == pytest.approx(13 / 6)
    assert "Lonjakan kuota: 14 komentar pada 2024-07" in last["explanation"]
    assert spikes["spike"].sum() == 1


def test_detect_spikes_explains_with_labels():
    frame = _frame({"status_pembayaran": _series([2, 3, 1, 2, 3, 2, 14])})

    spikes = detect_spikes(frame, labels={"status_pembayaran": "Status pembayaran"})

    last = spikes.iloc[-1]
    assert last["code"] == "status_pembayaran"
    assert last["explanation"].startswith("Lonjakan Status pembayaran: 14 komentar")
    assert "status_pembayaran" not in " ".join(spikes["explanation"])


def test_latest_spikes_passes_labels():
    frame = _frame({"kuota": _series([2, 3, 1, 2, 3, 2, 14])})

    found = latest_spikes(frame, labels={"kuota": "Kuota habis"})

    assert found["explanation"].iloc[0].startswith("Lonjakan Kuota habis:")


def test_detect_spikes_ignores_small_moves():
    # 4 is unlikely under the floor rate of 0.5, but 4 comments are below min_count.
    frame = _frame({"kuota": _series([1, 0, 0, 0, 0, 0, 4])})

    last = detect_spikes(frame).iloc[-1]

    assert last["p_value"] < 0.01
    assert not last["spike"]
    assert "di bawah batas 5" in last["explanation"]


def test_detect_spikes_noise_is_not_flagged():
    frame = _frame({"kuota": _series([4, 7, 3, 6, 5, 4, 8, 5, 3, 7, 6, 4])})

    assert not detect_spikes(frame)["spike"].any()


def test_detect_spikes_overdispersed_history_uses_negative_binomial():
    # Bursty history: 14 would be a Poisson spike against mean 4.7, not against this.
    frame = _frame({"kuota": _series([0, 12, 1, 10, 0, 5, 14])})

    last = detect_spikes(frame).iloc[-1]

    assert last["model"] == "binomial negatif"
    assert poisson_upper_tail(14, last["expected"]) < 0.01
    assert not last["spike"]


def test_detect_spikes_needs_minimum_history():
    frame = _frame({"kuota": _series([1, 1, 20])})

    spikes = detect_spikes(frame)

    assert not spikes["spike"].any()
    assert math.isnan(spikes.iloc[-1]["p_value"])
    assert "belum diuji" in spikes.iloc[-1]["explanation"]


def test_detect_spikes_new_code_after_silence_is_flagged():
    frame = _frame({"kuota": _series([3, 3, 3, 3, 3, 3, 3]),
                    "kode_otp": _series([0, 0, 0, 0, 0, 0, 9])})

    flagged = detect_spikes(frame).query("spike")

    assert flagged[["code", "month"]].values.tolist() == [["kode_otp", "2024-07"]]


def test_detect_spikes_normalized_discounts_busier_month():
    # Everything triples in July: the count jumps, the share does not.
    history = [3, 3, 3, 3, 3, 3]
    frame = pd.concat([
        _frame({"kuota": _series(history + [9])}),
        _frame({"lainnya": _series([27] * 6 + [81])}),
    ])

    raw = detect_spikes(frame, codes=["kuota"]).iloc[-1]
    relative = detect_spikes(frame, codes=["kuota"], normalize=True).iloc[-1]

    assert bool(raw["spike"])
    assert not relative["spike"]
    assert relative["expected"] == pytest.approx(9.0)


def test_detect_spikes_invalid_option_raises():
    with pytest.raises(TrendError, match="alpha=2"):
        detect_spikes(_frame({"kuota": {"2025-01": 1}}), alpha=2)


def test_latest_spikes_only_latest_month():
    frame = _frame({"kuota": _series([1, 1, 1, 1, 1, 1, 12]),
                    "kode_otp": _series([1, 1, 1, 1, 12, 1, 1])})

    found = latest_spikes(frame)

    assert detect_spikes(frame).query("spike")["month"].tolist() == ["2024-05", "2024-07"]
    assert found["month"].tolist() == ["2024-07"]
    assert found["code"].tolist() == ["kuota"]


# Charts from netno.charts_trends live here too: they only draw what trends computes.

def test_trend_figure_one_trace_per_code_and_spike_marker():
    frame = _frame({"kuota": _series([2, 3, 1, 2, 3, 2, 14]),
                    "kode_otp": _series([1, 1, 1, 1, 1, 1, 1])})

    figure = trend_figure(frame, labels={"kuota": "Kuota habis"})

    names = [trace.name for trace in figure.data]
    assert names == ["kode_otp", "Kuota habis", "Lonjakan"]
    assert list(figure.data[-1].x) == ["2024-07"]
    assert list(figure.data[-1].y) == [14]
    assert figure.layout.xaxis.title.text == "Bulan"
    assert figure.layout.yaxis.title.text == "Jumlah komentar"
    assert figure.data[-1].text[0].startswith("Lonjakan Kuota habis:")


def test_trend_figure_area_marks_stacked_value():
    frame = _frame({"kode_otp": _series([1, 1, 1, 1, 1, 1, 1]),
                    "kuota": _series([2, 3, 1, 2, 3, 2, 14])})

    figure = trend_figure(frame, kind="area", normalize=False)

    assert figure.data[0].stackgroup == "semua"
    assert list(figure.data[-1].y) == [15]  # 1 kode_otp + 14 kuota on top


def test_trend_figure_normalized_in_percent():
    frame = _frame({"kuota": {"2025-01": 1, "2025-02": 3}}, other_per_month=1)

    figure = trend_figure(frame, normalize=True, show_spikes=False)

    assert list(figure.data[0].y) == [50.0, 75.0]
    assert figure.layout.yaxis.title.text == "Porsi komentar (%)"


def test_trend_figure_empty_frame_has_note():
    empty = pd.DataFrame({"month": [], "categories": []})

    figure = trend_figure(empty)

    assert figure.data == ()
    assert "Belum ada komentar" in figure.layout.annotations[0].text
