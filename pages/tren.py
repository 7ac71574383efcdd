"""Tren bulanan: monthly counts per category, theme or stage, with spikes marked."""

import streamlit as st

from netno.charts_trends import trend_figure
from netno.summary import code_labels, month_over_month_rows, months_in
from netno.trends import SPIKE_RULE, flagged_spikes, month_over_month
from pages.shared import codebook, filtered_comments, route_through_app
from pages.views import stop_without_comments

route_through_app()

FIELDS = {"categories": "Kategori", "themes": "Tema", "stages": "Tahap kematangan"}

st.title("Tren bulanan")
st.caption(
    "Jumlah komentar per bulan (waktu Jakarta). Segitiga hitam menandai lonjakan: " + SPIKE_RULE
)

book = codebook()
coded = filtered_comments()
stop_without_comments(coded)
if not months_in(coded):
    st.info("Belum ada komentar bertanggal pada filter ini.")
    st.stop()

left, middle, right = st.columns(3)
field = left.radio(
    "Kelompokkan menurut", list(FIELDS), format_func=FIELDS.get, key="tr_field", horizontal=True
)
kind = middle.radio(
    "Jenis grafik",
    ["line", "area"],
    format_func={"line": "Garis", "area": "Area"}.get,
    key="tr_kind",
    horizontal=True,
)
normalize = right.toggle("Sebagai persentase dari semua komentar", key="tr_normalize")

labels = code_labels(book, field)
st.plotly_chart(
    trend_figure(coded, field=field, labels=labels, kind=kind, normalize=normalize),
    width="stretch",
)

month = st.selectbox(
    "Bandingkan bulan",
    options=list(reversed(months_in(coded))),
    placeholder="Pilih bulan",
    key="tr_month",
)
st.subheader(f"{month} dibanding bulan sebelumnya")
st.dataframe(
    month_over_month_rows(month_over_month(coded, field=field, month=month), labels),
    hide_index=True,
    width="stretch",
)

flagged = flagged_spikes(coded, field=field, labels=labels)
st.subheader("Lonjakan yang terdeteksi")
if flagged.empty:
    st.write("Tidak ada lonjakan pada periode ini.")
for row in flagged.itertuples():
    st.warning(row.explanation)
