"""Tests for netno.priority: score components, ranking, recommendations and follow-up."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from netno.codebook import default_codebook
from netno.priority import (
    PriorityError,
    PriorityWeights,
    action_effect,
    available_months,
    build_recommendations,
    default_signals,
    format_month,
    frame_from_counts,
    load_weights,
    monthly_counts,
    parse_signals,
    previous_month,
    save_action_status,
    save_weights,
    score_categories,
    score_stages,
    scores_for_display,
    stage_totals,
    theme_totals,
)
from netno.store import Store

CODEBOOK = default_codebook()

# Category totals published by the netnography study of the Karawang office's
# Instagram comments (January 2023 to July 2024).
STUDY_COUNTS = {
    "server_error": 26,
    "request_timeout": 21,
    "loading": 16,
    "force_closed": 10,
    "maintenance": 9,
    "kuota": 30,
    "kadaluwarsa": 20,
    "langkah_7": 17,
    "download_pdf": 16,
    "reapply": 5,
    "kode_otp": 2,
    "reschedule": 2,
    "status_pembayaran": 25,
    "kode_billing": 12,
}


def _comment(text: str, categories: list[str], month: str, **extra) -> dict:
    return {"text": text, "categories": categories, "month": month, **extra}


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


class FakeStore:
    """In-memory stand-in for the settings and action-status part of netno.store.Store."""

    def __init__(self) -> None:
        self.settings: dict[str, object] = {}
        self.actions: dict[str, dict] = {}

    def get_setting(self, key: str):
        return self.settings.get(key)

    def set_setting(self, key: str, value) -> None:
        self.settings[key] = value

    def set_action_status(self, category, *, status, note, action_date, actor) -> None:
        self.actions[category] = {
            "status": status, "note": note, "action_date": action_date, "updated_by": actor,
        }


# --- the study's counts -----------------------------------------------------------


def test_study_counts_theme_totals():
    frame = frame_from_counts(STUDY_COUNTS, codebook=CODEBOOK)

    totals = theme_totals(frame, codebook=CODEBOOK)

    assert totals == {"aksesibilitas": 82, "pengajuan": 92, "pembayaran": 37}


def test_study_counts_stage_totals():
    frame = frame_from_counts(STUDY_COUNTS, codebook=CODEBOOK)

    totals = stage_totals(frame, codebook=CODEBOOK)

    assert totals == {"present": 30, "interact": 117, "transact": 57, "integration": 7}


def test_study_counts_transact_category_ranks_first():
    frame = frame_from_counts(STUDY_COUNTS, codebook=CODEBOOK)

    scores = score_categories(frame, codebook=CODEBOOK)

    first = scores.iloc[0]
    assert first["stage"] == "transact"
    assert first["category"] == "status_pembayaran"
    assert list(scores["rank"]) == list(range(1, 15))
    # kuota has the most complaints but ranks below the transact categories.
    kuota = scores.set_index("category").loc["kuota"]
    assert kuota["count"] == 30
    assert kuota["rank"] > 2


def test_study_counts_transact_stage_ranks_first():
    frame = frame_from_counts(STUDY_COUNTS, codebook=CODEBOOK)
    scores = score_categories(frame, codebook=CODEBOOK)

    stages = score_stages(frame, scores, codebook=CODEBOOK).set_index("stage")

    assert stages.loc["transact", "rank"] == 1
    assert stages["priority"].idxmax() == "transact"
    assert stages.loc["interact", "count"] == 117
    assert stages.loc["transact", "top_category"] == "status_pembayaran"


def test_score_components_multiply_to_total():
    frame = frame_from_counts(STUDY_COUNTS, codebook=CODEBOOK)

    scores = score_categories(frame, codebook=CODEBOOK).set_index("category")

    row = scores.loc["status_pembayaran"]
    assert row["share"] == pytest.approx(25 / 211)
    assert row["volume_points"] == pytest.approx(2500 / 211)
    assert row["stage_weight"] == pytest.approx(1.6)
    assert row["growth_factor"] == 1.0
    assert row["severity_factor"] == 1.0
    assert row["score"] == pytest.approx(2500 / 211 * 1.6, abs=0.01)


# --- components -------------------------------------------------------------------


def test_score_growth_against_previous_month():
    rows = [_comment("status masih menunggu pembayaran", ["status_pembayaran"], "2024-03")] * 5
    rows += [_comment("status masih menunggu pembayaran", ["status_pembayaran"], "2024-02")] * 4
    rows += [_comment("kuota penuh terus", ["kuota"], "2024-02")] * 2

    scores = score_categories(
        _frame(rows), codebook=CODEBOOK, period="2024-03", previous="2024-02"
    ).set_index("category")

    assert scores.loc["status_pembayaran", "count"] == 5
    assert scores.loc["status_pembayaran", "previous_count"] == 4
    assert scores.loc["status_pembayaran", "growth"] == pytest.approx(0.25)
    assert scores.loc["status_pembayaran", "growth_factor"] == pytest.approx(1.125)
    assert scores.loc["kuota", "growth"] == pytest.approx(-1.0)
    assert "naik 25% dari bulan lalu" in scores.loc["status_pembayaran", "explanation"]


def test_score_growth_capped():
    rows = [_comment("kuota penuh", ["kuota"], "2024-03")] * 10
    rows += [_comment("kuota penuh", ["kuota"], "2024-02")]
    weights = PriorityWeights(growth=0.5, growth_cap=1.0)

    scores = score_categories(
        _frame(rows), codebook=CODEBOOK, period="2024-03", previous="2024-02", weights=weights
    ).set_index("category")

    assert scores.loc["kuota", "growth"] == pytest.approx(9.0)
    assert scores.loc["kuota", "growth_factor"] == pytest.approx(1.5)


def test_score_new_category_gets_capped_growth():
    rows = [_comment("kode billing belum muncul", ["kode_billing"], "2024-03")]
    rows += [_comment("kuota penuh", ["kuota"], "2024-02")]

    scores = score_categories(
        _frame(rows), codebook=CODEBOOK, period="2024-03", previous="2024-02"
    ).set_index("category")

    assert scores.loc["kode_billing", "growth_factor"] == pytest.approx(1.5)
    assert "baru muncul" in scores.loc["kode_billing", "explanation"]


def test_score_previous_month_without_data():
    rows = [_comment("kuota penuh", ["kuota"], "2024-03")]

    scores = score_categories(
        _frame(rows), codebook=CODEBOOK, period="2024-03", previous="2024-02"
    ).set_index("category")

    assert pd.isna(scores.loc["kuota", "previous_count"])
    assert scores.loc["kuota", "growth_factor"] == 1.0
    assert "belum ada data bulan lalu" in scores.loc["kuota", "explanation"]


def test_severity_counts_comment_once_per_signal():
    rows = [
        # Three money cues in one comment still count as one comment.
        _comment(
            "Udah bayar, saldo kepotong, ada bukti transfer tapi status tetap menunggu pembayaran",
            ["status_pembayaran"],
            "2024-03",
        ),
        _comment("status tetap menunggu pembayaran dari pagi", ["status_pembayaran"], "2024-03"),
    ]

    scores = score_categories(_frame(rows), codebook=CODEBOOK).set_index("category")

    row = scores.loc["status_pembayaran"]
    assert row["signal_uang"] == pytest.approx(0.5)
    assert row["severity_factor"] == pytest.approx(1 + 0.5 * 0.5)
    assert "50% menyebut uang sudah dibayar" in row["explanation"]


def test_severity_cues_match_normalised_slang():
    rows = [
        _comment("sdh bayar gk masuk2", ["status_pembayaran"], "2024-03"),
        _comment("gk bisa lanjut, kodenya expired cuma 30 menit", ["kadaluwarsa"], "2024-03"),
        _comment("sdh 5x coba tetep timeout", ["request_timeout"], "2024-03"),
    ]

    scores = score_categories(_frame(rows), codebook=CODEBOOK).set_index("category")

    assert scores.loc["status_pembayaran", "signal_uang"] == 1.0
    assert scores.loc["kadaluwarsa", "signal_tenggat"] == 1.0
    assert scores.loc["kadaluwarsa", "signal_terhambat"] == 1.0
    assert scores.loc["request_timeout", "signal_berulang"] == 1.0
    assert scores.loc["request_timeout", "signal_uang"] == 0.0


def test_score_stage_weight_override():
    frame = frame_from_counts({"kuota": 10, "status_pembayaran": 10}, codebook=CODEBOOK)
    weights = PriorityWeights(stages={"present": 2.0})

    scores = score_categories(frame, codebook=CODEBOOK, weights=weights)

    assert scores.iloc[0]["category"] == "kuota"
    assert scores.iloc[0]["stage_weight"] == 2.0


def test_score_period_filters_rows():
    rows = [_comment("kuota penuh", ["kuota"], "2024-03")] * 2
    rows += [_comment("server error", ["server_error"], "2024-02")] * 5

    scores = score_categories(_frame(rows), codebook=CODEBOOK, period="2024-03")

    assert scores.iloc[0]["category"] == "kuota"
    assert scores.set_index("category").loc["server_error", "count"] == 0
    assert scores.set_index("category").loc["server_error", "score"] == 0


def test_score_month_from_created_at_in_jakarta_time():
    # 17:30 UTC on 31 January is 00:30 on 1 February in Jakarta.
    frame = pd.DataFrame(
        {
            "text": ["kuota penuh"],
            "categories": [["kuota"]],
            "created_at": [pd.Timestamp("2024-01-31 17:30", tz="UTC")],
        }
    )

    scores = score_categories(frame, codebook=CODEBOOK, period="2024-02")

    assert scores.set_index("category").loc["kuota", "count"] == 1


def test_score_invalid_period_rejected():
    frame = frame_from_counts({"kuota": 1}, codebook=CODEBOOK)

    with pytest.raises(PriorityError, match="2024-3"):
        score_categories(frame, codebook=CODEBOOK, period="2024-3")


def test_score_invalid_period_message_names_role_once():
    frame = frame_from_counts({"kuota": 1}, codebook=CODEBOOK)

    with pytest.raises(PriorityError) as caught:
        score_categories(frame, codebook=CODEBOOK, period="2024-13")

    message = str(caught.value)
    assert message.startswith("Periode '2024-13' tidak valid")
    assert "period" not in message


def test_score_invalid_previous_month_message():
    frame = frame_from_counts({"kuota": 1}, codebook=CODEBOOK)

    with pytest.raises(PriorityError, match="^Periode pembanding '2024-00' tidak valid"):
        score_categories(frame, codebook=CODEBOOK, previous="2024-00")


def test_score_unknown_stage_weight_rejected():
    frame = frame_from_counts({"kuota": 1}, codebook=CODEBOOK)

    with pytest.raises(PriorityError, match="'bayar'"):
        score_categories(frame, codebook=CODEBOOK, weights=PriorityWeights(stages={"bayar": 1}))


def test_score_explanation_reads_aloud():
    rows = [_comment("sudah bayar tapi status belum berubah", ["status_pembayaran"], "2024-03")]
    rows += [_comment("kuota penuh", ["kuota"], "2024-03")]

    scores = score_categories(_frame(rows), codebook=CODEBOOK).set_index("category")

    assert scores.loc["status_pembayaran", "explanation"] == (
        "Status pembayaran: 1 keluhan (50% dari semua), tahap transact (bobot 1,6), "
        "100% menyebut uang sudah dibayar atau terpotong."
    )
    assert scores.loc["kode_otp", "explanation"] == (
        "Kode OTP: tidak ada keluhan pada periode ini."
    )


# --- data files and weights -------------------------------------------------------


def test_signals_default_file_loads():
    codes = [signal.code for signal in default_signals()]

    assert codes == ["uang", "tenggat", "terhambat", "berulang"]


def test_signals_bad_pattern_rejected():
    text = '[[signals]]\ncode = "x"\nlabel = "X"\nphrase = "x"\npatterns = ["(unclosed"]\n'

    with pytest.raises(PriorityError, match=r"\(unclosed"):
        parse_signals(text)


def test_signals_duplicate_code_rejected():
    entry = '[[signals]]\ncode = "x"\nlabel = "X"\nphrase = "x"\npatterns = ["a"]\n'

    with pytest.raises(PriorityError, match="ganda"):
        parse_signals(entry + entry)


def test_weights_round_trip_through_store():
    store = FakeStore()
    weights = PriorityWeights(growth=0.3, stages={"transact": 2.0}, severity={"uang": 0.8})

    save_weights(store, weights)

    assert isinstance(store.settings["priority_weights"], str)
    assert load_weights(store) == weights


def test_weights_default_when_nothing_saved():
    assert load_weights(FakeStore()) == PriorityWeights()


def test_weights_negative_rejected():
    with pytest.raises(PriorityError, match="-1"):
        PriorityWeights(growth=-1)


def test_weights_unknown_key_rejected():
    store = FakeStore()
    store.settings["priority_weights"] = json.dumps({"volume": 2})

    with pytest.raises(PriorityError, match="volume"):
        load_weights(store)


# --- months, recommendations, follow-up --------------------------------------------


def test_months_helpers():
    assert previous_month("2024-01") == "2023-12"
    assert previous_month("2024-10") == "2024-09"
    assert format_month("2024-03") == "Maret 2024"
    rows = [_comment("a", [], "2024-03"), _comment("b", [], "2024-01")]
    assert available_months(_frame(rows)) == ["2024-01", "2024-03"]


def test_monthly_counts_fill_missing_months():
    rows = [_comment("kuota penuh", ["kuota"], "2024-01"), _comment("x", ["kuota"], "2024-03")]

    table = monthly_counts(_frame(rows), codebook=CODEBOOK)

    assert list(table.index) == ["2024-01", "2024-02", "2024-03"]
    assert list(table["kuota"]) == [1, 0, 1]
    assert list(table.columns) == list(CODEBOOK.categories)


def test_recommendations_carry_action_unit_trend_examples():
    rows = [
        _comment(f"sudah bayar {n} kali tapi status tetap menunggu pembayaran",
                 ["status_pembayaran"], "2024-03", likes=n)
        for n in range(5)
    ]
    rows += [_comment("pembayaran belum terverifikasi sejak kemarin", ["status_pembayaran"],
                      "2024-02")]
    frame = _frame(rows)
    scores = score_categories(frame, codebook=CODEBOOK, period="2024-03", previous="2024-02")

    recommendations = build_recommendations(frame, scores, codebook=CODEBOOK, period="2024-03")

    assert len(recommendations) == 1
    first = recommendations[0]
    assert first.category == "status_pembayaran"
    assert first.action == CODEBOOK.categories["status_pembayaran"].action
    assert first.unit == CODEBOOK.categories["status_pembayaran"].unit
    assert first.trend == (("2024-02", 1), ("2024-03", 5))
    assert len(first.examples) == 3
    # The most liked among equally severe comments comes first.
    assert first.examples[0].startswith("sudah bayar 4 kali")


def test_action_effect_detects_fall():
    counts = {"2024-01": 6, "2024-02": 4, "2024-03": 9, "2024-04": 2, "2024-05": 1}
    rows = [
        _comment("kuota penuh", ["kuota"], month)
        for month, count in counts.items()
        for _ in range(count)
    ]

    effect = action_effect(_frame(rows), "kuota", dt.date(2024, 3, 10))

    assert effect["months_before"] == ["2024-01", "2024-02"]
    assert effect["months_after"] == ["2024-04", "2024-05"]
    assert effect["mean_before"] == 5.0
    assert effect["mean_after"] == 1.5
    assert effect["change"] == pytest.approx(-0.7)
    assert effect["verdict"] == "turun"
    assert effect["message"].startswith("Keluhan turun")


def test_action_effect_counts_empty_months_as_zero():
    rows = [_comment("kuota penuh", ["kuota"], "2024-01")] * 2
    rows += [_comment("lain", ["server_error"], "2024-04")]

    effect = action_effect(_frame(rows), "kuota", "2024-02-01")

    assert effect["months_after"] == ["2024-03", "2024-04"]
    assert effect["mean_after"] == 0.0
    assert effect["verdict"] == "turun"


def test_action_effect_without_later_data():
    rows = [_comment("kuota penuh", ["kuota"], "2024-01")]

    effect = action_effect(_frame(rows), "kuota", "2024-03-15")

    assert effect["verdict"] == "belum_ada_data"
    assert effect["mean_after"] is None
    assert "sesudah" in effect["message"]


def test_save_action_status_validates_and_stores():
    store = FakeStore()

    save_action_status(
        store, "kuota", status="dalam proses", note=" sudah diumumkan ",
        action_date="2024-03-15", actor="kasi_inteldakim", codebook=CODEBOOK,
    )

    assert store.actions["kuota"] == {
        "status": "dalam proses",
        "note": "sudah diumumkan",
        "action_date": dt.date(2024, 3, 15),
        "updated_by": "kasi_inteldakim",
    }


def test_save_action_status_unknown_status_rejected():
    with pytest.raises(PriorityError, match="'beres'"):
        save_action_status(
            FakeStore(), "kuota", status="beres", actor="a", codebook=CODEBOOK
        )


def test_frame_from_counts_unknown_category_rejected():
    with pytest.raises(PriorityError, match="'antrian'"):
        frame_from_counts({"antrian": 3}, codebook=CODEBOOK)


def test_scores_for_display_indonesian_headers():
    frame = frame_from_counts(STUDY_COUNTS, codebook=CODEBOOK)
    scores = score_categories(frame, codebook=CODEBOOK)

    table = scores_for_display(scores)

    assert list(table.columns[:4]) == ["Peringkat", "Kategori", "Tahap", "Jumlah"]
    assert table.iloc[0]["Kategori"] == "Status pembayaran"
    assert table.iloc[0]["Porsi (%)"] == "11,8"
    assert table.iloc[0]["Jumlah"] == "25"
    assert "Uang sudah dibayar atau hilang (%)" in table.columns


def test_scores_for_display_thousands_and_decimal_comma():
    counts = {"kuota": 12951, "loading": 3}
    scores = score_categories(frame_from_counts(counts, codebook=CODEBOOK), codebook=CODEBOOK)

    table = scores_for_display(scores).set_index("Kategori")

    assert table.loc["Kuota", "Jumlah"] == "12.951"
    assert table.loc["Kuota", "Porsi (%)"] == "100,0"
    assert "." not in table.loc["Loading", "Skor"]
    assert "12.951 keluhan" in table.loc["Kuota", "Penjelasan"]


def test_score_and_recommend_with_repeated_index():
    part = frame_from_counts({"kuota": 3, "loading": 2}, codebook=CODEBOOK)
    part["text"] = ["kuota habis terus sejak kemarin pagi"] * 5
    coded = pd.concat([part, part])

    scores = score_categories(coded, codebook=CODEBOOK).set_index("category")
    recommendations = build_recommendations(
        coded, scores.reset_index(), codebook=CODEBOOK
    )

    assert scores.loc["kuota", "count"] == 6
    assert scores.loc["loading", "count"] == 4
    assert [item.count for item in recommendations] == [6, 4]
    assert recommendations[0].trend == (("2024-01", 6),)


def test_score_explanation_small_share_not_zero():
    counts = {"kuota": 250, "reschedule": 1}

    scores = score_categories(frame_from_counts(counts, codebook=CODEBOOK), codebook=CODEBOOK)

    explanation = scores.set_index("category").loc["reschedule", "explanation"]
    assert "(<1% dari semua)" in explanation


def test_display_growth_reads_as_text():
    earlier = frame_from_counts({"kuota": 4, "loading": 2}, codebook=CODEBOOK, month="2024-01")
    later = frame_from_counts(
        {"kuota": 6, "loading": 1, "kode_otp": 3}, codebook=CODEBOOK, month="2024-02"
    )
    coded = pd.concat([earlier, later], ignore_index=True)

    scores = score_categories(coded, codebook=CODEBOOK, period="2024-02", previous="2024-01")
    table = scores_for_display(scores).set_index("Kategori")
    alone = scores_for_display(score_categories(later, codebook=CODEBOOK, period="2024-02"))

    assert table.loc["Kuota", "Pertumbuhan"] == "+50%"
    assert table.loc["Loading", "Pertumbuhan"] == "-50%"
    assert table.loc["Kode OTP", "Pertumbuhan"] == "baru"
    assert set(alone["Pertumbuhan"]) == {"-"}


def test_save_action_status_masks_note_in_real_store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'prioritas.sqlite'}")

    save_action_status(
        store, "kuota", status="dalam proses", note="  pelapor: ani@contoh.id, 0812-3456-7890 ",
        action_date="2024-03-15", actor="kasi_inteldakim", codebook=CODEBOOK,
    )

    note = store.action_statuses()["kuota"]["note"]
    assert "ani@contoh.id" not in note
    assert "3456" not in note
    assert note.startswith("pelapor: a***@")
