"""Daftar komentar: every coded comment with its evidence and the codes to check."""

import streamlit as st

from netno.summary import select_comments
from pages.shared import filtered_comments
from pages.views import comment_table

st.title("Daftar komentar")
st.caption(
    "Setiap komentar beserta kode dan bukti (potongan teks yang memicu kode). Kolom "
    "'Perlu dicek' menandai kode yang aturan codebook belum yakin."
)

coded = filtered_comments()
uncertain_only = st.toggle("Hanya yang perlu dicek", key="km_uncertain")
categorised_only = st.toggle("Hanya yang berkategori", key="km_coded")
comment_table(
    select_comments(coded, uncertain_only=uncertain_only, categorised_only=categorised_only)
)
