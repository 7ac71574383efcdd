"""Streamlit helpers shared by every page: the store, the demo data and the sidebar filters."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pandas as pd
import streamlit as st
from netno.store import Store

from netno.codebook import Codebook, default_codebook
from netno.pipeline import load_demo
from netno.summary import Filters, apply_filters, months_in

_LOGGER = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEMO_FILE = ROOT / "data" / "demo_comments.json"


def database_url() -> str | None:
    """Return the configured database URL (environment first, then secrets), or None."""
    url = os.environ.get("NETNO_DATABASE_URL")
    if url:
        return url
    try:
        return st.secrets.get("NETNO_DATABASE_URL")
    except FileNotFoundError:
        return None


@st.cache_resource(show_spinner=False)
def _open_store(url: str | None) -> Store:
    return Store(url)


def get_store() -> Store:
    """Return the store shared by every session of this server process."""
    store = _open_store(database_url())
    _load_demo_once(store)
    return store


def _load_demo_once(store: Store) -> None:
    if st.session_state.get("shared_demo_checked"):
        return
    st.session_state["shared_demo_checked"] = True
    if store.comment_count() == 0 and not store.get_setting("demo_loaded", False):
        with st.spinner("Basis data masih kosong: memuat data contoh..."):
            summary = load_demo(store, DEMO_FILE)
        store.set_setting("demo_loaded", True, actor="sistem")
        _LOGGER.info("loaded demo data: %d comments", summary.rows_new)


def codebook() -> Codebook:
    return default_codebook()


@st.cache_data(show_spinner=False, max_entries=4)
def _coded_frame(url: str | None, revision: tuple) -> pd.DataFrame:
    return _open_store(url).coded_frame()


def store_revision(store: Store) -> tuple:
    """Return a value that changes whenever the stored comments or their codes change."""
    batches = store.batches()
    last = batches[0].id if batches else 0
    return (
        len(batches),
        last,
        store.comment_count(),
        tuple(sorted(store.codebook_versions().items())),
    )


def all_comments() -> pd.DataFrame:
    """Return every stored coded comment (cached until the store changes)."""
    store = get_store()
    return _coded_frame(database_url(), store_revision(store))


def current_user() -> str:
    return st.session_state.get("auth_user") or "staf"


def is_staff() -> bool:
    """Return True when the session may change data.

    TODO: replace with the staff login once roles exist; until then every session
    outside presentation mode is staff.
    """
    return st.query_params.get("mode") != "presentasi"


def sidebar_filters(coded: pd.DataFrame) -> Filters:
    """Draw the shared filters in the sidebar and return the choices."""
    book = codebook()
    sidebar = st.sidebar
    sidebar.header("Filter")
    months = months_in(coded)
    start_month = end_month = None
    if len(months) >= 2:
        start_month, end_month = sidebar.select_slider(
            "Periode (bulan)",
            options=months,
            value=(months[0], months[-1]),
            key="period",
            bind="query-params",
        )
    elif months:
        sidebar.caption(f"Periode: {months[0]}")
    themes = sidebar.multiselect(
        "Tema",
        options=list(book.themes),
        format_func=lambda code: book.themes[code].label,
        key="theme",
        bind="query-params",
    )
    stages = sidebar.multiselect(
        "Tahap kematangan",
        options=list(book.stages),
        format_func=lambda code: book.stages[code].label,
        key="stage",
        bind="query-params",
    )
    categories = sidebar.multiselect(
        "Kategori",
        options=list(book.categories),
        format_func=lambda code: book.categories[code].label,
        key="category",
        bind="query-params",
    )
    intents = sidebar.multiselect(
        "Maksud komentar",
        options=list(book.intents),
        format_func=lambda code: book.intents[code].label,
        key="intent",
        bind="query-params",
    )
    return Filters(
        start_month=start_month,
        end_month=end_month,
        themes=tuple(themes),
        stages=tuple(stages),
        categories=tuple(categories),
        intents=tuple(intents),
    )


def filtered_comments() -> pd.DataFrame:
    """Return the stored coded comments that pass the sidebar filters."""
    coded = all_comments()
    return apply_filters(coded, sidebar_filters(coded))
