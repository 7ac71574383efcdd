"""Tests for the query-parameter checks and share links in netno.sharing."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from netno.sharing import (
    PRESENTATION,
    ParamRule,
    base_url_from_config,
    build_share_link,
    check_params,
    hide_mention_pseudonyms,
    notice_text,
    shared_rules,
)

MONTHS = ["2026-08", "2026-09", "2026-10"]


def rules() -> dict[str, ParamRule]:
    return shared_rules(
        months=MONTHS,
        themes=["Kendala Pembayaran", "Kendala Akses"],
        stages=["Present", "Transact"],
        categories=["Kuota", "Server error"],
        intents=["Keluhan", "Pertanyaan"],
    )


def test_check_params_keeps_valid_values() -> None:
    params = {
        "period": ["2026-08", "2026-09"],
        "theme": ["Kendala Pembayaran"],
        "category": ["Kuota", "Server error"],
        "mode": [PRESENTATION],
    }

    result = check_params(params, rules())

    assert result.clean == params
    assert result.rejected == ()


def test_check_params_drops_unknown_value() -> None:
    result = check_params({"theme": ["Kendala Pembayaran", "bukan-tema"]}, rules())

    assert result.clean == {"theme": ["Kendala Pembayaran"]}
    assert [(item.name, item.value) for item in result.rejected] == [("theme", "bukan-tema")]


def test_check_params_drops_code_instead_of_label() -> None:
    # A bound multiselect carries labels; a code such as "kuota" is not a valid value.
    result = check_params({"category": ["kuota"]}, rules())

    assert result.clean == {}
    assert result.changed_names == {"category"}


def test_check_params_drops_unknown_parameter() -> None:
    result = check_params({"utm_source": ["wa"], "intent": ["Keluhan"]}, rules())

    assert result.clean == {"intent": ["Keluhan"]}
    assert result.rejected[0].name == "utm_source"
    assert result.rejected[0].value is None


def test_check_params_keeps_page_prefixed_key() -> None:
    result = check_params({"fk_top": ["30"]}, rules(), page_path="frekuensi_kata")

    assert result.clean == {"fk_top": ["30"]}
    assert result.rejected == ()


def test_check_params_rejects_other_page_key() -> None:
    result = check_params({"fk_top": ["30"]}, rules(), page_path="komentar")

    assert result.clean == {}
    assert result.changed_names == {"fk_top"}


def test_check_params_limits_period_to_two() -> None:
    result = check_params({"period": MONTHS}, rules())

    assert result.clean == {"period": MONTHS[:2]}
    assert [item.value for item in result.rejected] == [MONTHS[2]]


def test_check_params_rejects_other_mode() -> None:
    result = check_params({"mode": ["edit"]}, rules())

    assert result.clean == {}
    assert result.rejected[0].reason == "nilai tidak dikenal"


def test_check_params_rejects_long_value() -> None:
    result = check_params({"theme": ["x" * 500]}, rules())

    assert result.clean == {}
    assert len(result.rejected[0].value or "") < 50


def test_check_params_accepts_empty_value() -> None:
    # ?theme= clears a multiselect; it is not an error.
    result = check_params({"theme": [""]}, rules())

    assert result.rejected == ()


def test_notice_text_names_each_rejected_value() -> None:
    result = check_params({"theme": ["zzz"], "foo": ["1"]}, rules())

    text = notice_text(result.rejected)

    assert "Tema = 'zzz'" in text
    assert "'foo'" in text
    assert "diabaikan" in text


def test_notice_text_empty_without_rejects() -> None:
    assert notice_text(()) == ""


def test_notice_text_counts_beyond_five() -> None:
    params = {f"x{number}": ["1"] for number in range(8)}

    text = notice_text(check_params(params, rules()).rejected)

    assert "dan 3 lainnya" in text


def test_build_share_link_repeats_multi_values() -> None:
    link = build_share_link(
        "http://10.1.2.3:8501",
        "hierarki_kendala",
        {"theme": ["Kendala Pembayaran", "Kendala Akses"], "period": ["2026-08", "2026-10"]},
    )

    parts = urlsplit(link)
    assert parts.netloc == "10.1.2.3:8501"
    assert parts.path == "/hierarki_kendala"
    assert parse_qs(parts.query) == {
        "theme": ["Kendala Pembayaran", "Kendala Akses"],
        "period": ["2026-08", "2026-10"],
    }


def test_build_share_link_replaces_current_page_path() -> None:
    link = build_share_link("http://kantor:8501/tren", "tren", {})

    assert link == "http://kantor:8501/tren"


def test_build_share_link_keeps_base_path() -> None:
    link = build_share_link("https://kantor.example/netno/", "tren", {"mode": ["presentasi"]})

    assert link == "https://kantor.example/netno/tren?mode=presentasi"


def test_build_share_link_default_page() -> None:
    assert build_share_link("http://127.0.0.1:8501", "", {}) == "http://127.0.0.1:8501/"


def test_build_share_link_rejects_relative_base() -> None:
    with pytest.raises(ValueError, match="no scheme or host"):
        build_share_link("kantor:8501", "tren", {})


def test_base_url_from_config_uses_port() -> None:
    assert base_url_from_config("kantor", 8501) == "http://kantor:8501"
    assert base_url_from_config(None, 8501, "netno") == "http://localhost:8501/netno"


def test_hide_mention_pseudonyms_masked_digits() -> None:
    text = "kata @pengguna-3f9a1c2b dan @pengguna-exxxx577, ＠pengguna-00aa11bb, juga @admin"

    assert hide_mention_pseudonyms(text) == "kata @pengguna dan @pengguna, ＠pengguna, juga @admin"
    assert hide_mention_pseudonyms("tanpa sebutan") == "tanpa sebutan"
