"""Daftar komentar: every coded comment with its evidence and the codes to check."""

import streamlit as st

from netno.numbers import format_number
from netno.summary import search_comments, select_comments
from pages.shared import filtered_comments, route_through_app
from pages.views import comment_table, stop_without_comments

route_through_app()

st.title("Daftar komentar")
st.caption(
    "Setiap komentar beserta kode dan bukti (potongan teks yang memicu kode). Kolom "
    "'Perlu dicek' menandai kode yang aturan codebook belum yakin."
)

coded = filtered_comments()
stop_without_comments(coded)

search = st.text_input(
    "Cari dalam teks komentar",
    placeholder="misalnya: kode billing",
    help="Huruf besar dan kecil tidak dibedakan; teks dicari apa adanya.",
    key="km_search",
)
uncertain_only = st.toggle("Hanya yang perlu dicek", key="km_uncertain")
categorised_only = st.toggle("Hanya yang berkategori", key="km_coded")
shown = search_comments(
    select_comments(coded, uncertain_only=uncertain_only, categorised_only=categorised_only),
    search,
)
if search.strip():
    st.caption(f"{format_number(len(shown))} komentar memuat teks yang dicari.")
comment_table(shown, key="km")
