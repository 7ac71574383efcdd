"""The running dashboard in headless Chromium: shared links, staff upload, viewer limits.

Skipped when /usr/bin/chromium is missing, unless NETNO_REQUIRE_BROWSER=1 (as in CI),
where a missing browser fails the run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from netno.auth import hash_password
from netno.codebook import default_codebook
from netno.store import Store
from netno.summary import Filters, apply_filters, months_in
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, running_app, wait_idle
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    if os.environ.get("NETNO_REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"{CHROMIUM} is missing but NETNO_REQUIRE_BROWSER=1 demands the browser tests",
            pytrace=False,
        )
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")

STAFF_NAME = "dewi"
STAFF_PASSWORD = "sandi-peramban-uji"
# Screenshots go to tests/artifacts/ (ignored by git); set NETNO_UPDATE_SCREENSHOTS=1
# to refresh the ones the README shows in docs/screenshots/.
SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("NETNO_UPDATE_SCREENSHOTS") == "1"
    else ROOT / "tests" / "artifacts" / "screenshots"
)
PAGES = {
    "beranda": "",
    "rekomendasi_prioritas": "rekomendasi_prioritas",
    "hierarki_kendala": "hierarki_kendala",
    "tahap_kematangan": "tahap_kematangan",
    "frekuensi_kata": "frekuensi_kata",
    "tren": "tren",
    "komentar": "komentar",
}
UPLOAD = [
    {
        "id": "b-1",
        "text": "kode billing tidak muncul setelah isi data",
        "timestamp": "2026-11-02T02:00:00+0000",
        "username": "pemakai_satu",
    },
    {
        "id": "b-2",
        "text": "verifikasi wajah gagal terus",
        "timestamp": "2026-11-03T02:00:00+0000",
        "username": "pemakai_dua",
    },
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Start one dashboard with a fresh SQLite database and one staff user."""
    folder = tmp_path_factory.mktemp("browser")
    database = f"sqlite:///{folder / 'netno.sqlite'}"
    env = {
        "NETNO_DATABASE_URL": database,
        "NETNO_SECRET_KEY": "kunci-peramban-uji-netno-0123456789",
        "NETNO_STAFF_USERS": f"{STAFF_NAME}:{hash_password(STAFF_PASSWORD)}",
    }
    env.pop("NETNO_VIEWER_PASSWORD_HASH", None)
    with running_app(ROOT, env, folder / "streamlit.log") as base:
        yield base, database


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    try:
        yield tab
    finally:
        context.close()


def open_link(page, base: str, path: str = "", query: list[tuple[str, str]] | None = None) -> None:
    url = f"{base}/{path}" + (f"?{urlencode(query)}" if query else "")
    page.goto(url)
    wait_idle(page)


def test_browser_shared_link_restores_filters(server, page) -> None:
    base, database = server
    open_link(page, base)  # the first visit loads the demo data
    book = default_codebook()
    coded = Store(database).coded_frame()
    months = months_in(coded)
    theme_code, theme = next(iter(book.themes.items()))
    start, end = months[1], months[-2]
    expected = apply_filters(
        coded, Filters(start_month=start, end_month=end, themes=(theme_code,))
    )

    open_link(page, base, query=[("theme", theme.label), ("period", start), ("period", end)])

    sidebar = page.locator('[data-testid="stSidebar"]')
    chips = sidebar.locator('[data-testid="stMultiSelect"]').first.inner_text()
    shown = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    link = sidebar.locator("code").first.text_content() or ""
    assert theme.label in chips
    assert start in sidebar.inner_text()
    assert shown.replace(".", "").replace(",", "") == str(len(expected))
    assert f"period={start}" in link
    assert "theme=" in link


def test_browser_link_filters_survive_page_switch(server, page) -> None:
    base, _ = server
    theme = next(iter(default_codebook().themes.values()))
    open_link(page, base, query=[("theme", theme.label)])

    page.get_by_role("link", name="Daftar komentar").first.click()
    wait_idle(page)

    chips = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    assert theme.label in chips.inner_text()
    assert "theme=" in page.url
    assert "/komentar" in page.url


def test_browser_invalid_link_shows_notice(server, page) -> None:
    base, _ = server

    open_link(page, base, "hierarki_kendala", [("theme", "tema-karangan"), ("x", "1")])

    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "tidak dikenali dan diabaikan" in main
    assert "tema-karangan" in main
    assert "tema-karangan" not in page.url
    assert page.locator('[data-testid="stException"]').count() == 0


def test_browser_viewer_sees_no_upload(server, page) -> None:
    base, _ = server

    open_link(page, base, "unggah_data")

    assert page.locator('[data-testid="stFileUploaderDropzoneInput"]').count() == 0
    assert "Hanya staf" in page.locator('[data-testid="stMain"]').inner_text()


def test_browser_staff_uploads_file(server, page, tmp_path: Path) -> None:
    base, database = server
    export = tmp_path / "november.json"
    export.write_text(json.dumps(UPLOAD), encoding="utf-8")

    open_link(page, base, "masuk")
    page.get_by_label("Nama pengguna").fill(STAFF_NAME)
    page.get_by_label("Kata sandi").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_text(f"Anda masuk sebagai {STAFF_NAME}").wait_for()
    # A page link keeps the session (and the login); typing a URL would start a new one.
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Unggah data").click()
    wait_idle(page, ready='[data-testid="stFileUploaderDropzoneInput"]')
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(export))
    page.get_by_role("button", name="Kodekan dan simpan").click()
    success = page.locator('[data-testid="stAlertContentSuccess"]')
    success.wait_for()

    assert "tersimpan" in success.inner_text()
    batches = [batch for batch in Store(database).batches() if batch.file_name == "november.json"]
    assert [batch.uploaded_by for batch in batches] == [STAFF_NAME]


def test_browser_presentation_mode(server, page) -> None:
    base, _ = server

    open_link(page, base, "hierarki_kendala", [("mode", "presentasi")])

    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "Unggah data" not in sidebar
    assert "Bagikan" not in sidebar
    assert "Filter" in sidebar


@pytest.mark.parametrize("name", list(PAGES))
def test_browser_page_screenshot(server, page, name: str) -> None:
    base, _ = server

    open_link(page, base, PAGES[name])

    assert page.locator('[data-testid="stException"]').count() == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
    assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000


def test_browser_deep_link_on_fresh_server_is_routed(tmp_path, page) -> None:
    # A fresh server whose first request is a page's own URL: Streamlit runs the page
    # file before app.py has declared the menu.
    env = {
        "NETNO_DATABASE_URL": f"sqlite:///{tmp_path / 'netno.sqlite'}",
        "NETNO_SECRET_KEY": "kunci-peramban-segar-0123456789",
    }
    with running_app(ROOT, env, tmp_path / "streamlit.log") as base:
        open_link(page, base, "hierarki_kendala")

        menu = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Tahap kematangan e-government" in menu
        assert "shared" not in menu
        assert page.locator("h1").first.inner_text() == "Hierarki kendala"
        assert page.get_by_text("Bagikan tampilan ini").count() == 1
