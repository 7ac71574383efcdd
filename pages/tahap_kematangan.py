"""Tahap kematangan e-government: counts per stage in order, and per category inside each."""

import streamlit as st

from netno.charts import stage_bar, stage_category_bar
from netno.numbers import format_number
from netno.summary import stage_counts
from pages.shared import codebook, filtered_comments, route_through_app
from pages.views import stop_without_comments

route_through_app()

st.title("Tahap kematangan e-government")
st.caption(
    "Setiap kategori kendala ditempatkan pada satu dari empat tahap kematangan "
    "e-government, berurutan dari present sampai integration."
)

book = codebook()
coded = filtered_comments()
stop_without_comments(coded)

columns = st.columns(len(book.stages))
for column, row in zip(columns, stage_counts(coded, book).itertuples(), strict=True):
    column.metric(row.label, format_number(row.count))
    column.caption(row.description)

st.plotly_chart(stage_bar(coded, book), width="stretch")
st.plotly_chart(stage_category_bar(coded, book), width="stretch")
