"""Tests for netno.wordfreq: counting, grouping, stop words, phrases, KWIC, periods, export."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from netno.cli import main as cli_main
from netno.wordfreq import (
    MAX_TOP,
    WordFrequencyError,
    WordQuery,
    available_months,
    base_stop_words,
    compare_periods,
    comparison_for_display,
    emoji_for_display,
    keep_words,
    keyword_in_context,
    parse_stem_exceptions,
    parse_word_list,
    query_for_export,
    split_periods,
    stem_word,
    stop_words,
    table_to_csv_bytes,
    table_to_xlsx_bytes,
    terms_for_display,
    terms_for_export,
    word_frequency,
)

COMMENTS = [
    "Min, aplikasinya gak bisa login dari kemarin",
    "Kak tolong, aplikasi ga bisa login terus. Bayar sudah",
    "nggak bisa login padahal sudah bayar bgt kesel 😡😡",
    "Pembayaran gagal, kode billing kadaluarsa banget 🙏",
    "Sudah datang ke kantor tapi antrian panjang 🙏️",
]


def _terms(comments, **query):
    return word_frequency(comments, WordQuery(**query)).terms


def _row(table, term):
    rows = table[table["term"] == term]
    assert len(rows) == 1, f"{term!r} not found once in {table['term'].tolist()}"
    return rows.iloc[0]


# --- grouping ------------------------------------------------------------------------


def test_word_frequency_variants_merge_negations():
    table = _terms(COMMENTS)

    assert {"gak", "ga", "nggak"}.isdisjoint(table["term"])
    tidak = _row(table, "tidak")
    assert tidak["count"] == 3
    assert set(tidak["variants"]) == {"gak", "ga", "nggak"}


def test_word_frequency_variants_merge_intensifier():
    table = _terms(COMMENTS)

    assert "bgt" not in set(table["term"])
    banget = _row(table, "banget")
    assert banget["count"] == 2
    assert set(banget["variants"]) == {"bgt", "banget"}


def test_word_frequency_exact_keeps_spellings_apart():
    table = _terms(COMMENTS, grouping="exact", min_length=2)

    assert {"gak", "ga", "nggak"} <= set(table["term"])
    assert "tidak" not in set(table["term"])


def test_word_frequency_variants_ordered_by_count():
    table = _terms(["apk jelek", "aplikasi jelek", "apk lambat", "apk lagi"])

    assert _row(table, "aplikasi")["variants"] == ["apk", "aplikasi"]


def test_word_frequency_stem_merges_affixed_forms():
    table = _terms(["bayar dulu", "pembayaran gagal", "sudah dibayar"], grouping="stem")

    bayar = _row(table, "bayar")
    assert bayar["count"] == 3
    assert bayar["comments"] == 3
    assert set(bayar["variants"]) == {"bayar", "pembayaran", "dibayar"}


def test_word_frequency_counts_and_comment_counts_differ():
    table = _terms(["error error error", "error sekali", "lancar"])

    error = _row(table, "error")
    assert error["count"] == 4
    assert error["comments"] == 2


def test_word_frequency_weighted_percentage_sums_to_hundred():
    result = word_frequency(COMMENTS)

    assert result.total_counted == result.terms["count"].sum()
    assert result.terms["weighted_percentage"].sum() == pytest.approx(100.0, abs=0.05)


def test_word_frequency_top_and_min_length_applied():
    table = _terms(["sip akun kode login login", "kode"], top=2, min_length=4)

    assert table["term"].tolist() == ["kode", "login"]


def test_word_frequency_ranking_ties_broken_alphabetically():
    table = _terms(["zebra ular apel"])

    assert table["term"].tolist() == ["apel", "ular", "zebra"]


def test_word_frequency_skips_urls_mentions_and_emails():
    table = _terms(["cek https://contoh.test/bayar @petugas_satu surel budi@contoh.test"])

    assert set(table["term"]) == {"cek", "surel"}


@pytest.mark.parametrize(
    "masked",
    [
        "08xx-xxxx-7890",
        "08xxxxxx7890",
        "xxxxxxxxxxxx1234",
        "ABxxxx567",
        "b***@g***.com",
        "b***@g***.co.id",
        "[email]",
        "xxxx",
        "imigrasi.go.id",
    ],
)
def test_word_frequency_skips_masking_leftovers(masked):
    terms = _terms([f"tolong cek {masked} segera"], min_length=1, use_stop_words=False)

    assert sorted(terms["term"]) == ["cek", "segera", "tolong"]


def test_word_frequency_masked_domain_not_slang():
    terms = _terms(["kirim ke b***@g***.co.id dan a***@y***.com"], min_length=1)

    assert not {"cowok", "co", "id", "com", "bx", "g"} & set(terms["term"])


def test_word_frequency_keeps_words_with_x():
    terms = _terms(["taxi boxx exxxtra"], min_length=1, grouping="exact")

    assert {"taxi", "boxx", "exxxtra"} <= set(terms["term"])


def test_phrases_break_at_masked_number():
    terms = _terms(["hubungi 08xx-xxxx-7890 segera"] * 3, ngram=2, min_phrase_count=1)

    assert "hubungi segera" not in set(terms["term"])


def test_word_frequency_ignores_words_normalised_away():
    comments = ["status nya belum berubah", "nya"]

    table = _terms(comments)
    contexts = keyword_in_context(pd.DataFrame({"text": comments}), "status")

    assert "nya" not in set(table["term"])
    assert _row(table, "status")["count"] == 1
    assert len(contexts) == 1


def test_word_frequency_accepts_frame_and_missing_text():
    frame = pd.DataFrame({"text": ["error login", None]})

    table = word_frequency(frame).terms

    assert set(table["term"]) == {"error", "login"}


def test_word_frequency_frame_without_text_rejected():
    with pytest.raises(WordFrequencyError, match="kolom 'text'"):
        word_frequency(pd.DataFrame({"isi": ["error"]}))


# --- emoji ---------------------------------------------------------------------------


def test_word_frequency_emoji_counted_separately():
    result = word_frequency(COMMENTS)

    assert not any("😡" in term or "🙏" in term for term in result.terms["term"])
    emoji = result.emoji.set_index("emoji")
    assert emoji.loc["😡", "count"] == 2
    assert emoji.loc["😡", "comments"] == 1
    # The variation selector U+FE0F is dropped, so both prayer emoji are one row.
    assert emoji.loc["🙏", "count"] == 2
    assert emoji.loc["🙏", "name"] != ""


# --- stop words ----------------------------------------------------------------------


def test_stop_words_domain_greetings_removed():
    table = _terms(COMMENTS)

    assert {"min", "kak", "tolong"}.isdisjoint(table["term"])


def test_stop_words_keep_list_survives_general_lists():
    stops = base_stop_words()

    for word in ("tidak", "belum", "bisa", "lama", "kenapa"):
        assert word in keep_words()
        assert word not in stops
    assert "yang" in stops


def test_stop_words_user_additions_and_removals():
    stops = stop_words(added=["Login", " kode "], removed=["yang"])

    assert "login" in stops
    assert "kode" in stops
    assert "yang" not in stops


def test_word_frequency_stop_edits_change_terms():
    comments = ["yang login gagal", "login yang lambat"]

    default = _terms(comments)
    edited = _terms(comments, stop_added=("login",), stop_removed=("yang",))

    assert "login" in set(default["term"])
    assert "yang" not in set(default["term"])
    assert "login" not in set(edited["term"])
    assert _row(edited, "yang")["count"] == 2


def test_word_frequency_stop_list_can_be_switched_off():
    table = _terms(["yang login"], use_stop_words=False)

    assert set(table["term"]) == {"yang", "login"}


def test_stop_words_edit_with_space_rejected():
    with pytest.raises(WordFrequencyError, match="berisi spasi"):
        WordQuery(stop_added=("kode billing",))


def test_parse_word_list_rejects_two_words():
    with pytest.raises(WordFrequencyError, match="baris 2: 'dua kata'"):
        parse_word_list("# komentar\ndua kata\n", name="uji.txt")


def test_parse_word_list_skips_comments_and_blanks():
    assert parse_word_list("# catatan\n\nMin\n kak \n") == frozenset({"min", "kak"})


# --- stemming ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("bekasi", "bekasi"),
        ("berikan", "beri"),
        ("diperbaiki", "perbaiki"),
        ("pengajuan", "pengajuan"),
        ("antrian", "antrean"),
        ("pembayaran", "bayar"),
    ],
)
def test_stem_word_exceptions_before_sastrawi(word, stem):
    assert stem_word(word) == stem


def test_parse_stem_exceptions_rejects_one_field():
    with pytest.raises(WordFrequencyError, match="baris 1: 'bekasi'"):
        parse_stem_exceptions("bekasi\n")


def test_parse_stem_exceptions_round_trip():
    text = "# kata<TAB>kata dasar\nbekasi\tbekasi\nBerikan\tberi\n"

    assert parse_stem_exceptions(text) == {"bekasi": "bekasi", "berikan": "beri"}


# --- query ---------------------------------------------------------------------------


def test_word_query_round_trip_through_json():
    query = WordQuery(top=50, grouping="stem", ngram=2, stop_added=("kode", "bayar"))

    restored = WordQuery.from_dict(json.loads(json.dumps(query.to_dict())))

    assert restored == query
    assert restored.stop_added == ("bayar", "kode")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"top": 0}, "Jumlah kata teratas 0"),
        ({"top": MAX_TOP + 1}, "Jumlah kata teratas 1001"),
        ({"grouping": "lemma"}, "Pengelompokan 'lemma'"),
        ({"ngram": 4}, "Ukuran frasa 4"),
        ({"phrase_rank": "tfidf"}, "Urutan frasa 'tfidf'"),
    ],
)
def test_word_query_invalid_values_rejected(arguments, message):
    with pytest.raises(WordFrequencyError, match=message):
        WordQuery(**arguments)


def test_word_query_unknown_saved_key_rejected():
    with pytest.raises(WordFrequencyError, match="tidak dikenal: warna"):
        WordQuery.from_dict({"top": 10, "warna": "merah"})


def test_word_frequency_result_keeps_query():
    query = WordQuery(top=7)

    assert word_frequency(COMMENTS, query).query is query


# --- phrases -------------------------------------------------------------------------


def test_phrases_bigram_merges_variants():
    table = _terms(COMMENTS, ngram=2, min_phrase_count=1)

    row = _row(table, "tidak bisa")
    assert row["count"] == 3
    assert set(row["variants"]) == {"gak bisa", "ga bisa", "nggak bisa"}
    assert _row(table, "bisa login")["count"] == 3


def test_phrases_trigram_counts_complaint():
    table = _terms(COMMENTS, ngram=3, min_phrase_count=2)

    assert table["term"].tolist() == ["tidak bisa login", "aplikasi tidak bisa"]
    assert _row(table, "tidak bisa login")["comments"] == 3


def test_phrases_stop_words_only_inside():
    table = _terms(["datang ke kantor", "datang ke kantor"], ngram=3, min_phrase_count=1)
    bigrams = _terms(["datang ke kantor", "datang ke kantor"], ngram=2, min_phrase_count=1)

    assert table["term"].tolist() == ["datang ke kantor"]
    assert bigrams.empty


def test_phrases_do_not_cross_punctuation_or_emoji():
    table = _terms(["login gagal. kode salah", "akun 😡 terkunci"], ngram=2, min_phrase_count=1)

    assert set(table["term"]) == {"login gagal", "kode salah"}


def test_phrases_min_count_filters():
    table = _terms(["kode billing", "kode billing", "kode otp"], ngram=2, min_phrase_count=2)

    assert table["term"].tolist() == ["kode billing"]


def test_phrases_association_ranks_fixed_pairs_first():
    # "pilih tanggal kedatangan" always occurs together; "aplikasi error" pairs two
    # words that are common everywhere, so it wins on count but loses on association.
    comments = (
        ["aplikasi error lagi"] * 6
        + ["aplikasi lambat", "aplikasi jelek", "error server", "error lagi"] * 5
        + ["pilih tanggal kedatangan"] * 4
    )

    by_count = _terms(comments, ngram=2, phrase_rank="count")
    by_g2 = _terms(comments, ngram=2, phrase_rank="log_likelihood")
    by_pmi = _terms(comments, ngram=2, phrase_rank="pmi")

    assert by_count["term"].iloc[0] == "aplikasi error"
    assert by_g2["term"].tolist()[:2] == ["pilih tanggal", "tanggal kedatangan"]
    assert by_g2["term"].iloc[-1] == "aplikasi error"
    assert by_pmi["term"].tolist()[:2] == ["pilih tanggal", "tanggal kedatangan"]
    row = _row(by_g2, "tanggal kedatangan")
    assert row["pmi"] > _row(by_g2, "aplikasi error")["pmi"]


# --- keyword in context --------------------------------------------------------------


def _coded_frame():
    return pd.DataFrame({
        "comment_id": [11, 12, 13],
        "text": [
            "Sudah lama gak bisa login ke akun saya",
            "kenapa tidak bisa bayar?",
            "lancar saja",
        ],
        "month": ["2023-01", "2023-02", "2023-02"],
        "categories": [["login"], ["pembayaran"], []],
        "intent": ["keluhan", "pertanyaan", "pujian"],
    })


def test_keyword_in_context_marks_span_of_variant():
    frame = _coded_frame()

    kwic = keyword_in_context(frame, "tidak bisa", window=2)

    assert kwic["comment_id"].tolist() == [11, 12]
    first = kwic.iloc[0]
    assert first["match"] == "gak bisa"
    assert first["left"] == "Sudah lama"
    assert first["right"] == "login ke"
    assert frame.loc[0, "text"][first["start"]:first["end"]] == "gak bisa"
    assert kwic.iloc[1]["match"] == "tidak bisa"
    assert kwic.iloc[1]["right"] == "bayar?"


def test_keyword_in_context_carries_codes():
    kwic = keyword_in_context(_coded_frame(), "bayar")

    assert kwic.iloc[0]["categories"] == ["pembayaran"]
    assert kwic.iloc[0]["intent"] == "pertanyaan"


def test_keyword_in_context_every_occurrence():
    frame = pd.DataFrame({"text": ["error lagi, error terus, ERROR"]})

    kwic = keyword_in_context(frame, "error", window=1)

    assert kwic["match"].tolist() == ["error", "error", "ERROR"]
    assert kwic["comment_id"].tolist() == [0, 0, 0]


def test_keyword_in_context_empty_term_rejected():
    with pytest.raises(WordFrequencyError, match="kosong"):
        keyword_in_context(_coded_frame(), "  ")


def test_keyword_in_context_no_match_has_columns():
    kwic = keyword_in_context(_coded_frame(), "paspor")

    assert kwic.empty
    assert {"left", "match", "right", "comment_id"} <= set(kwic.columns)


# --- period comparison ---------------------------------------------------------------


def test_compare_periods_rise_and_fall():
    before = ["login gagal"] * 6 + ["bayar lancar"] * 4
    after = ["bayar gagal"] * 8 + ["login gagal"] * 2

    table = compare_periods(before, after, min_count=3)

    assert table.iloc[0]["term"] == "bayar"
    assert table.iloc[0]["count_a"] == 4
    assert table.iloc[0]["count_b"] == 8
    assert table.iloc[0]["rate_b"] == pytest.approx(80.0)
    assert table.iloc[-1]["term"] == "login"
    assert table.iloc[-1]["change"] == pytest.approx(-40.0)
    assert "lancar" in set(table["term"])


def test_compare_periods_min_count_filters():
    table = compare_periods(["error langka"], ["error sekali"], min_count=2)

    assert table["term"].tolist() == ["error"]


def test_compare_periods_empty_period_rejected():
    with pytest.raises(WordFrequencyError, match="Periode kedua tidak berisi komentar"):
        compare_periods(["error"], [])


def test_split_periods_by_month_range():
    first, second = split_periods(_coded_frame(), ("2023-01", "2023-01"), ("2023-02", "2023-03"))

    assert first["comment_id"].tolist() == [11]
    assert second["comment_id"].tolist() == [12, 13]


def test_split_periods_bad_month_rejected():
    with pytest.raises(WordFrequencyError, match="Bulan '2023-13'"):
        split_periods(_coded_frame(), ("2023-01", "2023-13"), ("2023-02", "2023-02"))


# --- export --------------------------------------------------------------------------


def _risky_table():
    return pd.DataFrame({
        "term": ["=SUM(A1)", "+tambah", "-kurang", "@sel", "aman"],
        "count": [5, 4, 3, 2, 1],
        "weighted_percentage": [33.3, 26.7, 20.0, 13.3, 6.7],
        "comments": [1, 1, 1, 1, 1],
        "variants": [["=SUM(A1)"], ["+tambah"], ["-kurang"], ["@sel"], ["aman", "amaan"]],
    })


def test_table_to_xlsx_neutralises_formulas():
    data = table_to_xlsx_bytes(_risky_table(), query=WordQuery(top=5))

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["frekuensi_kata"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("term", "count", "weighted_percentage", "comments", "variants")
    assert [row[0] for row in rows[1:]] == ["'=SUM(A1)", "'+tambah", "'-kurang", "'@sel", "aman"]
    assert rows[5][4] == "aman, amaan"
    assert rows[1][1] == 5
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    parameters = dict(workbook["parameter"].iter_rows(min_row=2, values_only=True))
    assert parameters["top"] == 5
    assert parameters["grouping"] == "variants"


def test_table_to_csv_has_bom_and_neutralised_cells():
    data = table_to_csv_bytes(_risky_table())

    assert data.startswith(b"\xef\xbb\xbf")
    read_back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert read_back["term"].tolist()[:2] == ["'=SUM(A1)", "'+tambah"]
    assert read_back["count"].tolist() == [5, 4, 3, 2, 1]


def test_dashboard_xlsx_download_is_indonesian():
    query = WordQuery(top=5, stop_added=("admin",))

    data = table_to_xlsx_bytes(
        terms_for_export(_risky_table()), parameters=query_for_export(query)
    )

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    header = next(workbook["frekuensi_kata"].iter_rows(values_only=True))
    assert header == (
        "Istilah", "Jumlah", "Persentase tertimbang (%)", "Komentar", "Varian yang digabung"
    )
    parameters = dict(workbook["parameter"].iter_rows(min_row=2, values_only=True))
    assert parameters["Jumlah istilah teratas"] == "5"
    assert parameters["Pengelompokan"] == "Ejaan dan slang digabung"
    assert parameters["Satuan"] == "Kata"
    assert parameters["Kata henti tambahan"] == "admin"
    assert parameters["Pakai daftar kata henti"] == "ya"
    english = {"top", "min_length", "grouping", "ngram", "stop_added", "variants"}
    assert not english & set(parameters)
    assert not english & set(parameters.values())


def test_dashboard_csv_download_is_indonesian():
    data = table_to_csv_bytes(terms_for_export(_risky_table()))

    read_back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert read_back.columns.tolist()[:2] == ["Istilah", "Jumlah"]
    assert read_back["Jumlah"].tolist() == [5, 4, 3, 2, 1]


def test_terms_for_display_indonesian_numbers():
    table = _risky_table()
    table.loc[0, "count"] = 12951
    table.loc[0, "weighted_percentage"] = 5.591

    shown = terms_for_display(table)

    assert shown.loc[0, "Jumlah"] == "12.951"
    assert shown.loc[0, "Persentase tertimbang (%)"] == "5,59"
    assert shown.loc[4, "Varian yang digabung"] == ["aman", "amaan"]


def test_emoji_for_display_headers():
    result = word_frequency(COMMENTS)

    shown = emoji_for_display(result.emoji)

    assert shown.columns.tolist() == ["Emoji", "Nama", "Jumlah", "Komentar"]


def test_comparison_for_display_headers_and_numbers():
    before = ["login gagal"] * 6 + ["bayar lancar"] * 4
    after = ["bayar gagal"] * 8 + ["login gagal"] * 2

    shown = comparison_for_display(compare_periods(before, after, min_count=3))

    assert shown.columns.tolist() == [
        "Istilah", "Jumlah A", "Jumlah B", "Komentar A", "Komentar B",
        "Per 100 komentar A", "Per 100 komentar B", "Perubahan per 100 komentar",
    ]
    first = shown.iloc[0]
    assert first["Istilah"] == "bayar"
    assert first["Per 100 komentar B"] == "80,00"
    assert first["Perubahan per 100 komentar"] == "+40,00"
    assert shown.iloc[-1]["Perubahan per 100 komentar"] == "-40,00"


# --- command line --------------------------------------------------------------------


@pytest.fixture
def comments_csv(tmp_path: Path) -> Path:
    path = tmp_path / "komentar.csv"
    pd.DataFrame({"review_id": range(len(COMMENTS)), "content": COMMENTS}).to_csv(
        path, index=False
    )
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".jsonl"])
def test_cli_words_writes_each_format(comments_csv, tmp_path, suffix):
    output = tmp_path / f"hasil{suffix}"

    code = cli_main(["words", str(comments_csv), "--top", "3", "-o", str(output)])

    assert code == 0
    if suffix == ".csv":
        table = pd.read_csv(output, encoding="utf-8-sig")
    elif suffix == ".xlsx":
        table = pd.read_excel(output, sheet_name="frekuensi_kata")
    else:
        table = pd.read_json(output, lines=True)
    assert table.columns.tolist() == [
        "term", "count", "weighted_percentage", "comments", "variants"
    ]
    assert len(table) == 3
    assert table.iloc[0]["term"] == "bisa"
    assert table.iloc[0]["count"] == 3


def test_cli_words_phrases_and_stop_edits(comments_csv, tmp_path):
    output = tmp_path / "frasa.jsonl"

    code = cli_main([
        "words", str(comments_csv), "--ngram", "2", "--stop-add", "login", "-o", str(output),
    ])

    assert code == 0
    assert pd.read_json(output, lines=True)["term"].tolist() == ["tidak bisa"]


def test_cli_words_missing_text_column_exit_2(tmp_path, capsys):
    path = tmp_path / "salah.csv"
    path.write_text("judul,nilai\nsatu,1\n", encoding="utf-8")

    code = cli_main(["words", str(path), "-o", str(tmp_path / "x.csv")])

    assert code == 2
    message = capsys.readouterr().err
    assert "--text-column" in message
    assert message.count("\n") == 1


def test_cli_words_bad_output_suffix_exit_2(comments_csv, tmp_path, capsys):
    code = cli_main(["words", str(comments_csv), "-o", str(tmp_path / "hasil.txt")])

    assert code == 2
    assert "akhiri namanya dengan .csv, .xlsx atau .jsonl" in capsys.readouterr().err


def test_cli_words_invalid_top_exit_2(comments_csv, tmp_path, capsys):
    code = cli_main(["words", str(comments_csv), "--top", "5000", "-o", str(tmp_path / "h.csv")])

    assert code == 2
    assert "Jumlah kata teratas 5000" in capsys.readouterr().err


def test_available_months_sorted_and_distinct():
    frame = pd.DataFrame({"month": ["2023-02", "2023-01", None, "2023-02"]})

    assert available_months(frame) == ["2023-01", "2023-02"]
    assert available_months(frame.rename(columns={"month": "bulan"})) == []


def test_phrases_variants_keep_repeated_words():
    table = _terms(["gak bisa bisa", "gabisa login"], ngram=3, min_phrase_count=1)

    assert _row(table, "tidak bisa bisa")["variants"] == ["gak bisa bisa"]
    assert _row(table, "tidak bisa login")["variants"] == ["gabisa login"]


def test_phrases_percentage_base_includes_rare_phrases():
    result = word_frequency(
        ["kode billing", "kode billing", "kode otp", "akun baru"],
        WordQuery(ngram=2, min_phrase_count=2),
    )

    assert result.total_counted == 4
    assert _row(result.terms, "kode billing")["weighted_percentage"] == pytest.approx(50.0)


def test_csv_regional_uses_semicolon_and_decimal_comma():
    table = pd.DataFrame({"term": ["tidak"], "count": [3], "weighted_percentage": [7.143]})

    regional = table_to_csv_bytes(table, regional=True).decode("utf-8-sig")
    plain = table_to_csv_bytes(table).decode("utf-8-sig")
    parsed = pd.read_csv(io.StringIO(regional), sep=";", decimal=",")

    assert regional.splitlines()[1] == "tidak;3;7,143"
    assert plain.splitlines()[1] == "tidak,3,7.143"
    assert parsed["weighted_percentage"][0] == 7.143
