"""Streamlit pieces that several pages draw the same way."""

import pandas as pd
import streamlit as st

from netno.numbers import format_number
from netno.summary import comment_rows, page_count
from pages.shared import all_comments, codebook, is_staff

PAGE_SIZES = (50, 100, 250, 500)
UPLOAD_PAGE = "pages/unggah_data.py"


def comment_table(coded: pd.DataFrame, *, key: str = "komentar") -> None:
    """Show comments with their codes and evidence as a table (never as HTML), page by page.

    ``key`` prefixes the session-state keys of the paging widgets, so two tables on
    one page keep separate pages.
    """
    if coded.empty:
        st.info("Tidak ada komentar untuk pilihan ini.")
        return
    size_column, page_column = st.columns(2)
    page_size = size_column.selectbox(
        "Komentar per halaman",
        PAGE_SIZES,
        index=1,
        format_func=format_number,
        placeholder="Pilih jumlah",
        key=f"{key}_page_size",
    )
    pages = page_count(len(coded), page_size)
    page = page_column.number_input(
        f"Halaman (dari {format_number(pages)})",
        min_value=1,
        max_value=pages,
        value=1,
        step=1,
        key=f"{key}_page",
    )
    offset = (int(page) - 1) * page_size
    table = comment_rows(coded, codebook(), limit=page_size, offset=offset)
    st.dataframe(table, hide_index=True, width="stretch", key=f"{key}_table")
    st.caption(
        f"Komentar {format_number(offset + 1)}–{format_number(offset + len(table))} dari "
        f"{format_number(len(coded))}, terbaru lebih dulu."
    )


def stop_without_comments(coded: pd.DataFrame) -> None:
    """Stop the page with an Indonesian notice when there is nothing to analyse.

    An empty database points to *Unggah data*; comments hidden by the filters point to
    the sidebar. Analysis pages call this instead of drawing empty charts.
    """
    if not coded.empty:
        return
    if all_comments().empty:
        st.info(
            "Belum ada komentar tersimpan, jadi belum ada yang bisa dianalisis. "
            "Unggah ekspor komentar Instagram atau ulasan Play Store di halaman Unggah data."
        )
        if is_staff():
            st.page_link(UPLOAD_PAGE, label="Unggah data", icon=":material/upload_file:")
    else:
        st.info("Tidak ada komentar yang cocok dengan filter. Ubah filter di sidebar.")
    st.stop()
