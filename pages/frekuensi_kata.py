"""Frekuensi kata: the most frequent words, phrases and emoji of the filtered comments.

The page reads its widgets, calls netno.wordfreq and netno.charts_words, and places
the results. Comment text is only shown through st.dataframe, never as HTML.
"""

from __future__ import annotations

import logging

import streamlit as st

from netno.charts_words import (
    comparison_bar_chart,
    emoji_bar_chart,
    terms_bar_chart,
    word_cloud_png,
)
from netno.markup import escape_markdown
from netno.numbers import format_number
from netno.summary import codes_as_labels
from netno.wordfreq import (
    GROUPING_LABELS,
    GROUPINGS,
    MAX_TOP,
    NGRAM_LABELS,
    PHRASE_RANKINGS,
    RANK_LABELS,
    WordFrequencyError,
    WordQuery,
    available_months,
    compare_periods,
    comparison_for_display,
    emoji_for_display,
    keyword_in_context,
    parse_word_list,
    query_for_export,
    split_periods,
    table_to_csv_bytes,
    table_to_xlsx_bytes,
    terms_for_display,
    terms_for_export,
    word_frequency,
)
from pages.shared import codebook, filtered_comments, get_store, is_staff, route_through_app
from pages.views import stop_without_comments

route_through_app()

_LOGGER = logging.getLogger(__name__)

# Store key of the stop-word edits: {"added": [...], "removed": [...]}.
STOP_WORDS_SETTING = "frekuensi_kata.stop_words"

KWIC_COLUMNS = {
    "comment_id": st.column_config.TextColumn("ID komentar"),
    "left": st.column_config.TextColumn("Sebelum"),
    "match": st.column_config.TextColumn("Istilah"),
    "right": st.column_config.TextColumn("Sesudah"),
    "categories": st.column_config.TextColumn("Kategori"),
    "themes": st.column_config.TextColumn("Tema"),
    "stages": st.column_config.TextColumn("Tahap"),
    "steps": st.column_config.TextColumn("Langkah"),
    "intent": st.column_config.TextColumn("Maksud"),
}
TERM_COLUMNS = {"Varian yang digabung": st.column_config.ListColumn("Varian yang digabung")}


@st.cache_data(show_spinner="Menghitung frekuensi kata…", max_entries=20)
def _frequency(texts: list[str], query: WordQuery):
    return word_frequency(texts, query)


@st.cache_data(show_spinner="Menggambar awan kata…", max_entries=20)
def _cloud(terms: list[str], counts: list[int], width: int, height: int) -> bytes:
    return word_cloud_png({"term": terms, "count": counts}, width=width, height=height)


st.title("Frekuensi kata")
st.caption(
    "Kata, frasa dan emoji yang paling sering muncul dalam komentar yang sedang disaring, "
    "seperti kueri frekuensi kata NVivo, dengan kata henti bahasa Indonesia dan ejaan "
    "slang yang digabung."
)

comments = filtered_comments()
stop_without_comments(comments)
store = get_store()
edits = store.get_setting(STOP_WORDS_SETTING, {"added": [], "removed": []})

# --- Parameters ----------------------------------------------------------------------
left, middle, right = st.columns(3)
top = left.number_input(
    "Jumlah istilah teratas",
    min_value=1,
    max_value=MAX_TOP,
    value=100,
    step=10,
    key="fk_top",
    bind="query-params",
)
min_length = left.number_input(
    "Panjang kata minimum (huruf)",
    min_value=1,
    max_value=20,
    value=3,
    key="fk_min_length",
    bind="query-params",
)
grouping = middle.selectbox(
    "Pengelompokan",
    GROUPINGS,
    index=1,
    format_func=GROUPING_LABELS.get,
    placeholder="Pilih pengelompokan",
    key="fk_group",
    bind="query-params",
)
ngram = middle.radio(
    "Satuan",
    (1, 2, 3),
    format_func=NGRAM_LABELS.get,
    horizontal=True,
    key="fk_ngram",
    bind="query-params",
)
phrase_rank = right.selectbox(
    "Urutkan frasa menurut",
    PHRASE_RANKINGS,
    format_func=RANK_LABELS.get,
    placeholder="Pilih urutan",
    key="fk_rank",
    disabled=ngram == 1,
)
min_phrase_count = right.number_input(
    "Frekuensi frasa minimum", min_value=1, value=3, key="fk_min_phrase", disabled=ngram == 1
)
use_stop_words = right.toggle("Pakai daftar kata henti", value=True, key="fk_use_stop")
if grouping == "stem":
    st.caption(
        "Kata dasar memakai kamus PySastrawi yang berlisensi CC-BY-NC-SA 3.0 (nonkomersial)."
    )

try:
    query = WordQuery(
        top=int(top),
        min_length=int(min_length),
        grouping=grouping,
        ngram=int(ngram),
        stop_added=tuple(edits.get("added", [])),
        stop_removed=tuple(edits.get("removed", [])),
        use_stop_words=use_stop_words,
        phrase_rank=phrase_rank,
        min_phrase_count=int(min_phrase_count),
    )
except WordFrequencyError as error:
    st.error(escape_markdown(error))
    st.stop()

result = _frequency(comments["text"].tolist(), query)

# --- Results -------------------------------------------------------------------------
table_tab, cloud_tab, emoji_tab = st.tabs(["Tabel dan grafik", "Awan kata", "Emoji"])
with table_tab:
    st.plotly_chart(terms_bar_chart(result, top=30), key="fk_bar")
    st.dataframe(terms_for_display(result.terms), column_config=TERM_COLUMNS, hide_index=True)
with cloud_tab:
    cloud_png = None
    if not result.terms.empty:
        cloud_png = _cloud(result.terms["term"].tolist(), result.terms["count"].tolist(), 1000, 500)
    if cloud_png is None:
        st.info("Tidak ada istilah untuk awan kata.")
    else:
        st.image(cloud_png, caption="Ukuran kata sebanding dengan jumlah kemunculannya.")
with emoji_tab:
    st.plotly_chart(emoji_bar_chart(result.emoji), key="fk_emoji")
    st.dataframe(emoji_for_display(result.emoji), hide_index=True)

# --- Downloads -----------------------------------------------------------------------
st.subheader("Unduh")
csv_column, xlsx_column, png_column = st.columns(3)
csv_column.download_button(
    "Tabel (CSV)",
    table_to_csv_bytes(terms_for_export(result.terms), regional=True),
    file_name="frekuensi_kata.csv",
    mime="text/csv",
    key="fk_dl_csv",
)
xlsx_column.download_button(
    "Tabel (XLSX)",
    table_to_xlsx_bytes(terms_for_export(result.terms), parameters=query_for_export(query)),
    file_name="frekuensi_kata.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="fk_dl_xlsx",
)
if cloud_png is not None:
    png_column.download_button(
        "Awan kata (PNG)", cloud_png, file_name="awan_kata.png", mime="image/png", key="fk_dl_png"
    )

# --- Keyword in context --------------------------------------------------------------
st.subheader("Kata dalam konteks")
if not result.terms.empty:
    kwic_term = st.selectbox(
        "Istilah", result.terms["term"].tolist(), placeholder="Pilih istilah", key="fk_kwic_term"
    )
    window = st.slider("Jumlah kata di kiri dan kanan", 1, 15, 5, key="fk_kwic_window")
    kwic = keyword_in_context(comments, kwic_term, query, window=window, limit=1000)
    st.caption(f"{format_number(len(kwic))} kemunculan (paling banyak 1.000 ditampilkan).")
    st.dataframe(
        codes_as_labels(kwic.drop(columns=["start", "end"]), codebook()),
        column_config=KWIC_COLUMNS,
        hide_index=True,
    )

# --- Period comparison ---------------------------------------------------------------
st.subheader("Perbandingan periode")
months = available_months(comments)
if len(months) < 2:
    st.info("Perbandingan periode perlu komentar dari sedikitnya dua bulan.")
else:
    first_column, second_column = st.columns(2)
    period_a = first_column.select_slider(
        "Periode A", months, value=(months[0], months[0]), key="fk_period_a"
    )
    period_b = second_column.select_slider(
        "Periode B", months, value=(months[-1], months[-1]), key="fk_period_b"
    )
    min_count = st.number_input(
        "Frekuensi minimum di kedua periode", min_value=1, value=5, key="fk_compare_min"
    )
    try:
        frame_a, frame_b = split_periods(comments, period_a, period_b)
        comparison = compare_periods(frame_a, frame_b, query, min_count=int(min_count))
    except WordFrequencyError as error:
        st.warning(escape_markdown(error))
    else:
        label_a = f"{period_a[0]}–{period_a[1]}" if period_a[0] != period_a[1] else period_a[0]
        label_b = f"{period_b[0]}–{period_b[1]}" if period_b[0] != period_b[1] else period_b[0]
        st.plotly_chart(
            comparison_bar_chart(comparison, label_a=label_a, label_b=label_b), key="fk_compare"
        )
        st.dataframe(comparison_for_display(comparison, label_a="A", label_b="B"), hide_index=True)

# --- Stop-word editing (staff only) --------------------------------------------------
if is_staff():
    with st.expander("Ubah daftar kata henti"):
        st.caption("Satu kata per baris. Perubahan berlaku untuk semua pengguna.")
        added_text = st.text_area(
            "Tambahkan sebagai kata henti", "\n".join(edits.get("added", [])), key="fk_stop_added"
        )
        removed_text = st.text_area(
            "Keluarkan dari daftar kata henti",
            "\n".join(edits.get("removed", [])),
            key="fk_stop_removed",
        )
        if st.button("Simpan daftar kata henti", key="fk_stop_save"):
            try:
                new_edits = {
                    "added": sorted(parse_word_list(added_text, name="Tambahan")),
                    "removed": sorted(parse_word_list(removed_text, name="Pengecualian")),
                }
            except WordFrequencyError as error:
                st.error(escape_markdown(error))
            else:
                store.set_setting(STOP_WORDS_SETTING, new_edits, actor="staf")
                _LOGGER.info("stop-word edits saved: %s", new_edits)
                st.success("Daftar kata henti disimpan.")
                st.rerun()
