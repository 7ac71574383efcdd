"""Streamlit helpers shared by every page: the store, the demo data and the sidebar filters."""

from __future__ import annotations

import logging
import os
import runpy
from pathlib import Path

import pandas as pd
import streamlit as st

from netno.auth import AuthError, Credentials, load_credentials, staff_without_login
from netno.codebook import Codebook, default_codebook
from netno.markup import escape_markdown
from netno.pipeline import load_demo
from netno.sharing import (
    MODE_PARAM,
    PRESENTATION,
    base_url_from_config,
    build_share_link,
    check_params,
    hide_mention_pseudonyms,
    notice_text,
    shared_rules,
)
from netno.store import Store
from netno.summary import Filters, apply_filters, months_in

_LOGGER = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEMO_FILE = ROOT / "data" / "demo_comments.json"


ROUTED_KEY = "shared_routed"


def route_through_app() -> None:
    """Run ``app.py``'s router when Streamlit ran this page file on its own.

    On a fresh server, the first request for a page's own URL can run the page file
    directly (Streamlit has not yet seen ``st.navigation``): the menu then lists the
    files of ``pages/`` and the sidebar tools are missing. Every page calls this first;
    ``app.py`` sets the flag before it runs a page, so a routed run passes through.
    """
    if st.session_state.get(ROUTED_KEY):
        return
    st.session_state[ROUTED_KEY] = True
    runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
    st.stop()


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


# One entry per store revision; older revisions are never asked for again.
@st.cache_data(show_spinner=False, max_entries=1)
def _coded_frame(url: str | None, revision: tuple) -> pd.DataFrame:
    return _open_store(url).coded_frame()


@st.cache_data(show_spinner=False, max_entries=1)
def _presented_frame(url: str | None, revision: tuple) -> pd.DataFrame:
    """Return the coded comments with mention pseudonyms hidden, for presentation mode."""
    frame = _coded_frame(url, revision).copy()
    frame["text"] = [
        hide_mention_pseudonyms(text) if isinstance(text, str) else text
        for text in frame["text"].tolist()
    ]
    return frame


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
    """Return every stored coded comment (cached until the store changes).

    Stops the page with the viewer-password form when the session may not view. The
    check sits here as well as in ``start_page`` because, on a server's first request,
    Streamlit can run a page file from a direct link without running ``app.py``.
    """
    if not _viewer_allowed():
        _viewer_password_form()
        st.stop()
    store = get_store()
    if presentation_mode():
        return _presented_frame(database_url(), store_revision(store))
    return _coded_frame(database_url(), store_revision(store))


def outdated_codings(store: Store) -> int:
    """Return how many stored comments were coded with a codebook version other than today's."""
    current = codebook().version
    return sum(count for version, count in store.codebook_versions().items() if version != current)


def current_user() -> str:
    """Return the name recorded as the actor of a change: the staff login, or a role name.

    ``lokal`` marks a change made in "mode tanpa login" on the office machine,
    ``tamu`` a session with no staff rights.
    """
    user = st.session_state.get(AUTH_USER_KEY)
    if user:
        return str(user)
    credentials = staff_credentials()
    if credentials is not None and staff_without_login(credentials, client_ip()):
        return "lokal"
    return "tamu"


def is_staff() -> bool:
    """Return True when the session may change data.

    That needs a staff login, or "mode tanpa login" (no staff user configured and a
    browser on this machine). Presentation mode is always read-only.
    """
    if presentation_mode():
        return False
    credentials = staff_credentials()
    if credentials is None:
        return False
    user = st.session_state.get(AUTH_USER_KEY)
    if user and user in credentials.staff:
        return True
    return staff_without_login(credentials, client_ip())


FILTER_KEYS = ("period", "theme", "stage", "category", "intent")


def _filter_labels(book: Codebook) -> dict[str, dict[str, str]]:
    """Return, per multiselect filter key, the map from code to the label a link carries."""
    return {
        "theme": {code: entry.label for code, entry in book.themes.items()},
        "stage": {code: entry.label for code, entry in book.stages.items()},
        "category": {code: entry.label for code, entry in book.categories.items()},
        "intent": {code: entry.label for code, entry in book.intents.items()},
    }


def _filters_in_url() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in FILTER_KEYS if key in st.query_params}


def _load_filters_from_link(book: Codebook, months: list[str]) -> None:
    # The URL is read only when it differs from what this session last wrote: then it
    # came from a link (or a hand-edited address). Otherwise the widgets' own state is
    # the truth, which is what keeps the filters when a page switch drops the URL.
    in_url = _filters_in_url()
    if not in_url or in_url == st.session_state.get("shared_filters_written"):
        return
    for key, labels in _filter_labels(book).items():
        codes_by_label = {label: code for code, label in labels.items()}
        values = in_url.get(key, [])
        st.session_state[key] = [codes_by_label[v] for v in values if v in codes_by_label]
    period = sorted(month for month in in_url.get("period", []) if month in months)
    if len(period) >= 2:
        st.session_state["period"] = (period[0], period[-1])
    else:
        st.session_state.pop("period", None)


def _write_filters_to_url(book: Codebook, values: dict, months: list[str]) -> None:
    params: dict[str, list[str]] = {}
    for key, labels in _filter_labels(book).items():
        if values[key]:
            params[key] = [labels[code] for code in values[key]]
    period = values["period"]
    if period and months and period != (months[0], months[-1]):
        params["period"] = list(period)
    for key in FILTER_KEYS:
        if key in params:
            st.query_params[key] = params[key]
        else:
            st.query_params.pop(key, None)
    st.session_state["shared_filters_written"] = params


def _restore_filters_after_page_switch() -> None:
    # Streamlit drops widget values when the user switches pages, so the last
    # values are kept under a key of our own and put back on the new page.
    page = st.session_state.get("shared_current_page")
    saved = st.session_state.get("shared_filter_values")
    if saved and page != st.session_state.get("shared_filters_page"):
        for key, value in saved.items():
            if value:
                st.session_state[key] = value
    st.session_state["shared_filters_page"] = page


def sidebar_filters(coded: pd.DataFrame) -> Filters:
    """Draw the shared filters in the sidebar and return the choices.

    The choices are mirrored in the URL's query parameters (labels, not codes), so a
    copied link reproduces the view, and they survive switching pages.
    """
    book = codebook()
    sidebar = st.sidebar
    sidebar.header("Filter")
    months = months_in(coded)
    _load_filters_from_link(book, months)
    _restore_filters_after_page_switch()
    period = st.session_state.get("period")
    if period is not None and not (len(period) == 2 and set(period) <= set(months)):
        st.session_state.pop("period")  # stale after data changed

    start_month = end_month = None
    if len(months) >= 2:
        start_month, end_month = sidebar.select_slider(
            "Periode (bulan)",
            options=months,
            value=(months[0], months[-1]),
            key="period",
        )
    elif months:
        sidebar.caption(f"Periode: {months[0]}")
    labels = _filter_labels(book)
    chosen = {}
    for key, title, placeholder in (
        ("theme", "Tema", "Semua tema"),
        ("stage", "Tahap kematangan", "Semua tahap"),
        ("category", "Kategori", "Semua kategori"),
        ("intent", "Maksud komentar", "Semua maksud"),
    ):
        chosen[key] = sidebar.multiselect(
            title,
            options=list(labels[key]),
            format_func=labels[key].get,
            key=key,
            placeholder=placeholder,
        )
    values = {**chosen, "period": (start_month, end_month) if start_month else None}
    st.session_state["shared_filter_values"] = values
    _write_filters_to_url(book, values, months)
    return Filters(
        start_month=start_month,
        end_month=end_month,
        themes=tuple(chosen["theme"]),
        stages=tuple(chosen["stage"]),
        categories=tuple(chosen["category"]),
        intents=tuple(chosen["intent"]),
    )


def filtered_comments() -> pd.DataFrame:
    """Return the stored coded comments that pass the sidebar filters.

    Warns when some comments were coded with another codebook version, so that old
    and new codes are never mixed without notice.
    """
    coded = all_comments()
    outdated = outdated_codings(get_store())
    if outdated:
        st.warning(
            f"{outdated} komentar masih dikodekan dengan codebook versi lain, jadi angka di "
            "halaman ini mencampur dua versi aturan. Staf dapat menekan *Kodekan ulang* di "
            "halaman Riwayat unggahan."
        )
    return apply_filters(coded, sidebar_filters(coded))


# --- Roles, presentation mode and shared links -------------------------------------

AUTH_USER_KEY = "auth_user"
AUTH_VIEWER_KEY = "auth_viewer_ok"
PRESENTATION_KEY = "share_presentation"
LOGIN_PAGE = "pages/masuk.py"
LOGIN_PATH = "masuk"
STAFF_SECTION = "Data"

# Larger type for a projector; the charts keep their own font sizes.
_PRESENTATION_CSS = """
<style>
[data-testid="stMain"] { font-size: 1.2rem; }
[data-testid="stMetricValue"] { font-size: 3rem; }
[data-testid="stMain"] h1 { font-size: 2.6rem; }
</style>
"""


def staff_credentials() -> Credentials | None:
    """Return the configured password hashes, or None (and an error) when they are malformed.

    A malformed setting locks every staff action rather than opening them.
    """
    try:
        section = st.secrets.get("auth")
    except FileNotFoundError:
        section = None
    try:
        return load_credentials(os.environ, section)
    except AuthError as error:
        _LOGGER.error("credential settings are malformed: %s", error)
        st.error(f"Pengaturan login tidak valid, tindakan staf dinonaktifkan. {error}")
        return None


def client_ip() -> str | None:
    """Return the browser's IP address, or None when it connects from this machine."""
    address = st.context.ip_address
    # AppTest has no real connection and returns a mock object here; the test
    # runs on this machine, so it counts as a local browser.
    return address if isinstance(address, str) else None


def presentation_mode() -> bool:
    """Return True in presentation mode (``?mode=presentasi`` or the sidebar toggle)."""
    if st.query_params.get(MODE_PARAM) == PRESENTATION:
        return True
    return bool(st.session_state.get(PRESENTATION_KEY))


def navigation_pages(pages: dict[str, list]) -> dict[str, list]:
    """Return the menu: the given pages plus the staff login, without the staff pages
    in presentation mode."""
    menu = {section: list(entries) for section, entries in pages.items()}
    if presentation_mode():
        menu.pop(STAFF_SECTION, None)
        return menu
    menu.setdefault(STAFF_SECTION, []).append(
        st.Page(LOGIN_PAGE, title="Masuk staf", icon=":material/key:")
    )
    return menu


def start_page(page) -> None:
    """Prepare a run before the page draws: link check, viewer password and sidebar tools.

    ``page`` is the ``StreamlitPage`` that ``st.navigation`` returned. Runs before the
    page's widgets bind to the query parameters, so a link's invalid values are
    reported before the widgets drop them.
    """
    st.session_state["shared_current_page"] = page.url_path
    _keep_presentation_in_url()
    _report_invalid_params(page.url_path)
    # The login page stays open so staff can sign in without the viewer password.
    if page.url_path != LOGIN_PATH and not _viewer_allowed():
        _viewer_password_form()
        st.stop()
    if presentation_mode():
        st.markdown(_PRESENTATION_CSS, unsafe_allow_html=True)
    _presentation_toggle()
    if not presentation_mode():
        share_box(page.url_path)
        _login_status()


def _keep_presentation_in_url() -> None:
    # Switching pages drops the query parameters; the session flag puts the mode
    # back so the next shared link still opens in presentation mode.
    if st.query_params.get(MODE_PARAM) == PRESENTATION:
        st.session_state[PRESENTATION_KEY] = True
    elif st.session_state.get(PRESENTATION_KEY) and MODE_PARAM not in st.query_params:
        st.query_params[MODE_PARAM] = PRESENTATION


def _report_invalid_params(page_path: str) -> None:
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    if not params:
        return
    result = check_params(params, _link_rules(), page_path=page_path)
    if not result.rejected:
        return

    # Unknown keys and a bad mode are not bound to widgets, so they can be removed
    # here. Bound filters drop their invalid values themselves when they register.
    for item in result.rejected:
        if item.value is None or item.name == MODE_PARAM:
            st.query_params.pop(item.name, None)
    st.info(escape_markdown(notice_text(result.rejected)), icon=":material/link:")


def _link_rules():
    book = codebook()
    months = months_in(all_comments()) if "period" in st.query_params else []
    return shared_rules(
        months=months,
        themes=[theme.label for theme in book.themes.values()],
        stages=[stage.label for stage in book.stages.values()],
        categories=[category.label for category in book.categories.values()],
        intents=[intent.label for intent in book.intents.values()],
    )


def _viewer_allowed() -> bool:
    credentials = staff_credentials()
    if credentials is None or credentials.viewer_hash is None:
        return True
    return bool(st.session_state.get(AUTH_VIEWER_KEY) or st.session_state.get(AUTH_USER_KEY))


def _viewer_password_form() -> None:
    # NOTE: the viewer password has no failure limit, because one shared lock would
    # let a single person lock out every viewer; scrypt keeps each guess slow.
    from netno.auth import check_viewer_password

    st.title("netno")
    st.write("Dasbor ini dilindungi kata sandi. Masukkan kata sandi penonton dari kantor.")
    with st.form("auth_viewer_form"):
        password = st.text_input("Kata sandi penonton", type="password", key="auth_viewer_password")
        submitted = st.form_submit_button("Buka dasbor")
    if not submitted:
        return
    credentials = staff_credentials()
    if credentials is not None and check_viewer_password(credentials, password):
        st.session_state[AUTH_VIEWER_KEY] = True
        st.rerun()
    st.error("Kata sandi penonton salah.")


def _presentation_toggle() -> None:
    st.sidebar.toggle(
        "Mode presentasi",
        value=presentation_mode(),
        key="share_presentation_toggle",
        on_change=_switch_presentation,
        help="Tampilan baca-saja untuk rapat: tanpa tombol ubah data, huruf lebih besar.",
    )


def _switch_presentation() -> None:
    turned_on = bool(st.session_state.get("share_presentation_toggle"))
    st.session_state[PRESENTATION_KEY] = turned_on
    if turned_on:
        st.query_params[MODE_PARAM] = PRESENTATION
    else:
        st.query_params.pop(MODE_PARAM, None)


def share_link(page_path: str) -> str:
    """Return the full link to the current page with the current filters."""
    base = st.context.url or base_url_from_config(
        st.get_option("browser.serverAddress"),
        st.get_option("browser.serverPort") or st.get_option("server.port"),
        st.get_option("server.baseUrlPath") or "",
    )
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    return build_share_link(base, page_path, params)


def share_box(page_path: str) -> None:
    """Draw the *Bagikan* box in the sidebar: the link to this view, ready to copy."""
    with st.sidebar.expander("Bagikan tampilan ini", icon=":material/share:"):
        st.caption(
            "Salin tautan ini: halaman dan filter yang sedang dipilih ikut terbawa. "
            "Tambahkan ?mode=presentasi untuk tampilan rapat."
        )
        st.code(share_link(page_path), language=None, wrap_lines=True)


def _login_status() -> None:
    credentials = staff_credentials()
    user = st.session_state.get(AUTH_USER_KEY)
    if user:
        st.sidebar.caption(f"Masuk sebagai staf: **{user}**")
    elif credentials is not None and staff_without_login(credentials, client_ip()):
        st.sidebar.warning(
            "Mode tanpa login: belum ada akun staf, jadi tindakan staf terbuka hanya dari "
            "komputer ini. Lihat docs/sharing.md untuk membuat akun.",
            icon=":material/lock_open:",
        )


def require_staff(what: str = "mengubah data") -> None:
    """Stop the page with an Indonesian notice unless the session is staff."""
    if is_staff():
        return
    if presentation_mode():
        st.info(f"Mode presentasi hanya untuk melihat: {what} tidak tersedia.")
    else:
        st.warning(f"Hanya staf yang boleh {what}. Masuk dulu di halaman Masuk staf.")
        st.page_link(LOGIN_PAGE, label="Masuk staf", icon=":material/key:")
    st.stop()
