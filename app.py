"""netno dashboard entry point: it only sets up the page and routes to the pages."""

import streamlit as st

from pages.shared import ROUTED_KEY, navigation_pages, start_page

st.set_page_config(page_title="netno · M-Paspor", page_icon=":material/badge:", layout="wide")

PAGES = {
    "Ringkasan": [
        st.Page("pages/beranda.py", title="Beranda", icon=":material/home:", default=True),
        st.Page(
            "pages/rekomendasi_prioritas.py", title="Rekomendasi prioritas", icon=":material/flag:"
        ),
    ],
    "Analisis": [
        st.Page(
            "pages/hierarki_kendala.py", title="Hierarki kendala", icon=":material/account_tree:"
        ),
        st.Page(
            "pages/tahap_kematangan.py",
            title="Tahap kematangan e-government",
            icon=":material/stairs:",
        ),
        st.Page("pages/frekuensi_kata.py", title="Frekuensi kata", icon=":material/text_fields:"),
        st.Page("pages/tren.py", title="Tren bulanan", icon=":material/trending_up:"),
        st.Page("pages/komentar.py", title="Daftar komentar", icon=":material/forum:"),
    ],
    "Data": [
        st.Page("pages/unggah_data.py", title="Unggah data", icon=":material/upload_file:"),
        st.Page(
            "pages/riwayat_unggahan.py", title="Riwayat unggahan", icon=":material/inventory_2:"
        ),
    ],
}

page = st.navigation(navigation_pages(PAGES))
st.session_state[ROUTED_KEY] = True
start_page(page)
page.run()
