"""Masuk staf: log in to upload data, remove batches and edit the codebook, or log out."""

import streamlit as st

from netno.auth import LoginLimiter, login, staff_without_login
from pages.shared import AUTH_USER_KEY, client_ip, get_store, route_through_app, staff_credentials

route_through_app()

st.title("Masuk staf")
st.caption(
    "Melihat dasbor tidak perlu masuk. Mengunggah data, menghapus batch, mengubah "
    "codebook, kata abaian dan bobot prioritas hanya untuk staf."
)

credentials = staff_credentials()
if credentials is None:
    st.stop()

user = st.session_state.get(AUTH_USER_KEY)
if user:
    st.success(f"Anda masuk sebagai **{user}**.")
    if st.button("Keluar", key="auth_logout"):
        get_store().log("logout", actor=user, detail={})
        del st.session_state[AUTH_USER_KEY]
        st.rerun()
    st.stop()

if not credentials.has_staff:
    if staff_without_login(credentials, client_ip()):
        st.info(
            "Belum ada akun staf. Dari komputer ini semua tindakan staf terbuka tanpa "
            "login (mode tanpa login); dari komputer lain dasbor hanya bisa dilihat."
        )
    else:
        st.warning(
            "Belum ada akun staf, jadi tindakan staf hanya bisa dilakukan dari komputer "
            "server. Minta pengelola membuat akun staf."
        )
    st.markdown(
        "Membuat akun: jalankan `python -m netno hash-password --user NAMA`, lalu simpan "
        "barisnya di variabel lingkungan `NETNO_STAFF_USERS` atau di "
        "`.streamlit/secrets.toml` (lihat `docs/sharing.md`)."
    )
    st.stop()

with st.form("auth_login_form", clear_on_submit=True):
    name = st.text_input("Nama pengguna", key="auth_name")
    password = st.text_input("Kata sandi", type="password")
    submitted = st.form_submit_button("Masuk", type="primary")

if submitted:
    store = get_store()
    result = login(credentials, LoginLimiter(store), name, password)
    if result.ok:
        st.session_state[AUTH_USER_KEY] = result.user
        store.log("login", actor=result.user or name, detail={})
        st.rerun()
    st.error(result.message)
