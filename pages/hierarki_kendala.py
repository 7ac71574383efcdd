"""Hierarki kendala: the treemap theme -> category -> step, and the comments behind a box."""

import streamlit as st

from netno.charts import hierarchy_treemap
from netno.numbers import format_number
from netno.summary import NO_STEP, comments_matching, select_comments
from pages.shared import codebook, filtered_comments, route_through_app
from pages.views import comment_table, stop_without_comments

route_through_app()

st.title("Hierarki kendala")
st.caption(
    "Kendala dikelompokkan seperti pada studi netnografi: tema → kategori → langkah pemohon "
    "saat kendala terjadi. Ukuran kotak = jumlah komentar."
)

book = codebook()
coded = filtered_comments()
stop_without_comments(coded)
event = st.plotly_chart(
    hierarchy_treemap(coded, book), width="stretch", on_select="rerun", key="hk_treemap"
)

st.subheader("Komentar di balik kotak")
# A click on a treemap box preselects its category; the boxes carry (theme, category, step).
points = event.selection.get("points", []) if event and event.selection else []
clicked = (points[0].get("customdata") or []) if points else []
category_options = ["", *book.categories]
step_options = ["", *book.steps, NO_STEP]
clicked_index = (
    category_options.index(clicked[1]) if len(clicked) > 1 and clicked[1] in category_options else 0
)
left, right = st.columns(2)
category = left.selectbox(
    "Kategori",
    options=category_options,
    index=clicked_index,
    format_func=lambda code: book.categories[code].label if code else "(semua kategori)",
    placeholder="Pilih kategori",
    key="hk_category",
)
step = right.selectbox(
    "Langkah",
    options=step_options,
    format_func=lambda code: (
        book.steps[code].label if code in book.steps else (code or "(semua langkah)")
    ),
    placeholder="Pilih langkah",
    key="hk_step",
)
behind = select_comments(
    comments_matching(coded, category=category or None, step=step or None), categorised_only=True
)
st.write(f"{format_number(len(behind))} komentar.")
comment_table(behind, key="hk")
