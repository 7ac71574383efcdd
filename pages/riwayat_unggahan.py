"""Riwayat unggahan: every batch, removal of a batch, re-coding, backup and restore."""

import tempfile
from pathlib import Path

import streamlit as st

from netno.markup import escape_markdown
from netno.pipeline import recode_store
from netno.store import StoreError
from netno.summary import batch_rows
from pages.shared import (
    codebook,
    current_user,
    get_store,
    outdated_codings,
    require_staff,
    route_through_app,
)

route_through_app()

st.title("Riwayat unggahan")
require_staff("mengelola batch")

store = get_store()
batches = store.batches()
st.subheader("Batch yang tersimpan")
if batches:
    st.dataframe(batch_rows(batches), hide_index=True, width="stretch")
else:
    st.info("Belum ada batch tersimpan.")

if batches:
    st.subheader("Hapus batch")
    st.caption(
        "Menghapus batch menghapus komentar yang hanya dibawa oleh batch itu. Komentar yang "
        "juga ada di batch lain tetap tersimpan. Penghapusan dicatat di log."
    )
    batch_id = st.selectbox(
        "Batch",
        options=[batch.id for batch in batches],
        format_func=lambda value: next(
            f"#{batch.id} · {batch.file_name} · {batch.rows_new} komentar baru"
            for batch in batches
            if batch.id == value
        ),
        key="ru_batch",
    )
    confirmed = st.checkbox(f"Saya yakin ingin menghapus batch #{batch_id}", key="ru_confirm")
    if st.button("Hapus batch", disabled=not confirmed, key="ru_remove"):
        removed = store.remove_batch(batch_id, actor=current_user())
        st.success(f"Batch #{batch_id} dihapus; {removed} komentar ikut terhapus.")
        st.rerun()

st.subheader("Kodekan ulang")
current = codebook().version
outdated = outdated_codings(store)
st.write(
    f"Codebook sekarang: versi `{current}`. "
    + (
        f"{outdated} komentar masih dikodekan dengan versi lama."
        if outdated
        else "Semua komentar sudah dikodekan dengan versi ini."
    )
)
if st.button("Kodekan ulang semua komentar", key="ru_recode"):
    bar = st.progress(0.0, text="Mengodekan ulang...")
    count = recode_store(
        store,
        progress=lambda done, total: bar.progress(
            min(done / total, 1.0) if total else 1.0, text=f"Mengodekan ulang: {done}/{total}"
        ),
        actor=current_user(),
    )
    st.success(f"{count} komentar dikodekan ulang dengan codebook versi {current}.")

st.subheader("Cadangan")
left, right = st.columns(2)
if left.button("Siapkan file cadangan", key="ru_backup"):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "netno-cadangan.zip"
        store.backup(path)
        left.download_button(
            "Unduh cadangan",
            data=path.read_bytes(),
            file_name="netno-cadangan.zip",
            mime="application/zip",
            key="ru_backup_download",
        )
restore_file = right.file_uploader("Pulihkan dari file cadangan", type=["zip"], key="ru_restore")
if restore_file is not None:
    right.warning("Memulihkan mengganti SELURUH isi basis data dengan isi file cadangan.")
    sure = right.checkbox(
        f"Saya yakin ingin mengganti seluruh isi basis data dengan {restore_file.name}",
        key="ru_restore_confirm",
    )
    if right.button("Pulihkan sekarang", disabled=not sure, key="ru_restore_go"):
        with tempfile.TemporaryDirectory() as folder:
            # The upload's own name is never used as a path, only in messages.
            path = Path(folder) / "cadangan.zip"
            path.write_bytes(restore_file.getvalue())
            try:
                store.restore(path, actor=current_user(), source_name=restore_file.name)
            except StoreError as error:
                right.error(f"{escape_markdown(error)} Isi basis data tidak berubah.")
            else:
                right.success("Basis data dipulihkan dari file cadangan.")

st.subheader("Log perubahan")
st.dataframe(store.audit_log(limit=100), hide_index=True, width="stretch")
