"""Beranda: the headline numbers, this month's spikes and the way into the other pages."""

import streamlit as st

from netno.charts import category_bar
from netno.numbers import format_number, format_percent
from netno.summary import code_labels, headline, top_category_text
from netno.trends import SPIKE_RULE, latest_spikes
from pages.shared import codebook, filtered_comments, route_through_app
from pages.views import stop_without_comments

route_through_app()

st.title("netno · Suara pengguna M-Paspor")
st.caption(
    "Komentar pengguna M-Paspor (Instagram Kantor Imigrasi Karawang dan ulasan Play Store) "
    "dikodekan otomatis ke 14 kategori kendala, 3 tema dan 4 tahap kematangan e-government."
)

book = codebook()
coded = filtered_comments()
stop_without_comments(coded)
numbers = headline(coded, book)

first, second, third, fourth = st.columns(4)
first.metric("Komentar", format_number(numbers["comments"]))
second.metric("Keluhan", format_number(numbers["complaints"]))
third.metric("Berkategori", format_percent(numbers["coded_share"] * 100, decimals=0))
fourth.metric(
    "Kategori terbanyak",
    top_category_text(numbers["top_category"], numbers["top_category_count"]),
    help="Kategori kendala dengan komentar terbanyak pada filter ini.",
)

st.plotly_chart(category_bar(coded, book), width="stretch")

spikes = latest_spikes(coded, labels=code_labels(book, "categories"))
if spikes.empty:
    st.success("Tidak ada lonjakan kategori pada bulan terakhir.")
else:
    st.subheader("Lonjakan bulan terakhir")
    for row in spikes.itertuples():
        st.warning(row.explanation)
    st.caption("Aturan lonjakan: " + SPIKE_RULE)
