"""Streamlit pieces that several pages draw the same way."""

import pandas as pd
import streamlit as st

from netno.numbers import format_number
from netno.summary import comment_rows
from pages.shared import codebook

MAX_ROWS_SHOWN = 500


def comment_table(coded: pd.DataFrame, *, key: str | None = None) -> None:
    """Show comments with their codes and evidence as a table (never as HTML)."""
    if coded.empty:
        st.info("Tidak ada komentar untuk pilihan ini.")
        return
    table = comment_rows(coded, codebook(), limit=MAX_ROWS_SHOWN)
    st.dataframe(table, hide_index=True, width="stretch", key=key)
    if len(coded) > MAX_ROWS_SHOWN:
        st.caption(
            f"Menampilkan {format_number(MAX_ROWS_SHOWN)} komentar terbaru dari "
            f"{format_number(len(coded))}."
        )
