"""netno dashboard entry point: it only sets up the page and routes to the pages."""

import streamlit as st

from pages.shared import navigation_pages, start_page

st.set_page_config(page_title="netno · M-Paspor", page_icon="🛂", layout="wide")

PAGES = {
    "Ringkasan": [
        st.Page("pages/beranda.py", title="Beranda", icon="🏠", default=True),
        st.Page("pages/rekomendasi_prioritas.py", title="Rekomendasi prioritas", icon="🎯"),
    ],
    "Analisis": [
        st.Page("pages/hierarki_kendala.py", title="Hierarki kendala", icon="🌳"),
        st.Page("pages/tahap_kematangan.py", title="Tahap kematangan e-government", icon="🪜"),
        st.Page("pages/frekuensi_kata.py", title="Frekuensi kata", icon="🔤"),
        st.Page("pages/tren.py", title="Tren bulanan", icon="📈"),
        st.Page("pages/komentar.py", title="Daftar komentar", icon="💬"),
    ],
    "Data": [
        st.Page("pages/unggah_data.py", title="Unggah data", icon="⬆️"),
        st.Page("pages/riwayat_unggahan.py", title="Riwayat unggahan", icon="🗂️"),
    ],
}

page = st.navigation(navigation_pages(PAGES))
start_page(page)
page.run()
