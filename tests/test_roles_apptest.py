"""Roles, presentation mode and shared-link checks of the real dashboard under AppTest."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from netno.auth import hash_password
from netno.codebook import default_codebook
from netno.pipeline import import_bytes
from netno.store import Store
from tests.conftest import ROOT

STAFF_NAME = "rina"
STAFF_PASSWORD = "sandi-staf-uji-1"
VIEWER_PASSWORD = "sandi-penonton-uji"
# A cheap scrypt cost keeps the tests quick; the login path is the same.
FAST = {"n": 2**4, "r": 1, "p": 1}

STAFF_PAGES = ["pages/unggah_data.py", "pages/riwayat_unggahan.py"]

UPLOAD = [
    {
        "id": "r-1",
        "text": "antrian verifikasi lama sekali di kantor",
        "timestamp": "2026-10-05T02:00:00+0000",
        "username": "pengulas_satu",
    }
]


@pytest.fixture
def staff_configured(app_environment: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Configure one staff user through the environment, as an office would."""
    monkeypatch.setenv("NETNO_STAFF_USERS", f"{STAFF_NAME}:{hash_password(STAFF_PASSWORD, **FAST)}")
    return app_environment


def start_app(query: dict[str, str | list[str]] | None = None) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for name, value in (query or {}).items():
        app.query_params[name] = value
    app.run()
    return app


def open_page(app: AppTest, page: str) -> AppTest:
    app.switch_page(page)
    app.run()
    return app


def log_in(app: AppTest, name: str = STAFF_NAME, password: str = STAFF_PASSWORD) -> AppTest:
    open_page(app, "pages/masuk.py")
    app.text_input(key="auth_name").input(name)
    app.text_input[1].input(password)
    app.button[0].click()
    app.run()
    return app


def edit_widgets(app: AppTest) -> list:
    """Return the widgets that change data: uploaders and every button."""
    return [*app.get("file_uploader"), *app.button]


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_roles_viewer_sees_no_staff_controls(staff_configured: str, page: str) -> None:
    app = open_page(start_app(), page)

    assert not app.exception
    assert edit_widgets(app) == []
    assert any("Hanya staf" in warning.value for warning in app.warning)


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_roles_staff_login_shows_controls(staff_configured: str, page: str) -> None:
    app = log_in(start_app())
    assert not app.exception
    assert app.session_state["auth_user"] == STAFF_NAME

    open_page(app, page)

    assert not app.exception
    assert edit_widgets(app), f"{page} shows no controls to logged-in staff"
    assert not any("Hanya staf" in warning.value for warning in app.warning)


def test_roles_upload_records_staff_name(staff_configured: str) -> None:
    app = log_in(start_app())
    open_page(app, "pages/unggah_data.py")

    data = json.dumps(UPLOAD).encode("utf-8")
    app.get("file_uploader")[0].set_value(("november.json", data, "application/json"))
    app.run()
    app.button(key="ud_submit").click()
    app.run()

    store = Store(staff_configured)
    uploaded = [batch for batch in store.batches() if batch.file_name == "november.json"]
    assert not app.exception
    assert len(uploaded) == 1
    assert uploaded[0].uploaded_by == STAFF_NAME
    assert any(
        entry["action"] == "login" and entry["actor"] == STAFF_NAME for entry in store.audit_log()
    )


def test_roles_wrong_password_stays_viewer(staff_configured: str) -> None:
    app = log_in(start_app(), password="bukan-sandinya")

    assert not app.exception
    assert "auth_user" not in app.session_state
    assert any("salah" in error.value for error in app.error)
    open_page(app, "pages/unggah_data.py")
    assert app.get("file_uploader") == []


def test_roles_login_locks_after_failures(staff_configured: str) -> None:
    app = start_app()
    for _ in range(5):
        log_in(app, password="tebakan-keliru")

    log_in(app)

    assert "auth_user" not in app.session_state
    assert any("Terlalu banyak percobaan" in error.value for error in app.error)


def test_roles_logout_removes_controls(staff_configured: str) -> None:
    app = log_in(start_app())
    open_page(app, "pages/masuk.py")
    app.button(key="auth_logout").click()
    app.run()

    open_page(app, "pages/unggah_data.py")

    assert "auth_user" not in app.session_state
    assert app.get("file_uploader") == []


def test_roles_no_users_local_is_staff(app_environment: str) -> None:
    app = start_app()
    assert any("Mode tanpa login" in warning.value for warning in app.sidebar.warning)

    open_page(app, "pages/unggah_data.py")

    assert not app.exception
    assert len(app.get("file_uploader")) == 1


def test_roles_no_users_remote_is_viewer(
    app_environment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pages.shared

    monkeypatch.setattr(pages.shared, "client_ip", lambda: "192.168.10.7")
    app = open_page(start_app(), "pages/unggah_data.py")

    assert not app.exception
    assert app.get("file_uploader") == []


def test_roles_malformed_hash_locks_staff(
    app_environment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETNO_STAFF_USERS", "rina:kata-sandi-polos")
    app = open_page(start_app(), "pages/unggah_data.py")

    assert not app.exception
    assert app.get("file_uploader") == []
    assert any("Pengaturan login tidak valid" in error.value for error in app.error)


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_roles_presentation_hides_controls(staff_configured: str, page: str) -> None:
    app = log_in(start_app())
    app.query_params["mode"] = "presentasi"
    open_page(app, page)

    assert not app.exception
    assert app.get("file_uploader") == []
    assert [button for button in app.button] == []


def test_roles_presentation_clean_sidebar(app_environment: str) -> None:
    app = start_app({"mode": "presentasi"})

    assert not app.exception
    assert app.sidebar.toggle(key="share_presentation_toggle").value is True
    assert not any("Bagikan" in expander.label for expander in app.sidebar.expander)
    assert list(app.sidebar.warning) == []


def _store_comment_with_mention(database_url: str) -> None:
    rows = [{"id": "r-9", "text": "tanya @teman_kami soal antrian yang error terus",
             "timestamp": "2026-10-06T02:00:00+0000", "username": "pengulas_dua"}]
    import_bytes(json.dumps(rows).encode(), "komentar.json", Store(database_url),
                 uploaded_by="rina")


@pytest.mark.parametrize(("query", "shown"), [({}, "@pengguna-"), ({"mode": "presentasi"}, None)])
def test_roles_presentation_hides_mention_pseudonyms(
    app_environment: str, query: dict[str, str], shown: str | None
) -> None:
    _store_comment_with_mention(app_environment)
    app = start_app(query)
    open_page(app, "pages/komentar.py")
    texts = " ".join(app.dataframe[0].value["Komentar"])

    assert not app.exception
    assert "@teman_kami" not in texts
    if shown:
        assert shown in texts
    else:
        assert "@pengguna-" not in texts
        assert "tanya @pengguna soal antrian" in texts


def test_roles_presentation_toggle_sets_mode(app_environment: str) -> None:
    app = start_app()
    app.sidebar.toggle(key="share_presentation_toggle").set_value(True)
    app.run()

    assert app.query_params["mode"] == "presentasi"
    open_page(app, "pages/unggah_data.py")
    assert app.get("file_uploader") == []


def test_roles_share_box_shows_link(app_environment: str) -> None:
    book = default_codebook()
    label = next(iter(book.themes.values())).label
    app = start_app({"theme": label})

    links = [block.value for block in app.sidebar.code]
    assert not app.exception
    assert len(links) == 1
    assert links[0].startswith("http://")
    assert "theme=" in links[0]


def test_roles_shared_filter_restored(app_environment: str) -> None:
    book = default_codebook()
    code, theme = next(iter(book.themes.items()))
    app = start_app({"theme": theme.label})

    assert not app.exception
    assert app.multiselect(key="theme").value == [code]
    assert list(app.info) == []


def test_roles_invalid_param_gives_notice(app_environment: str) -> None:
    app = start_app({"theme": "tema-karangan", "utm_source": "grup-wa"})

    # The notice is Markdown-escaped; what a reader sees has no backslashes.
    notices = [info.value.replace("\\", "") for info in app.info]
    assert not app.exception
    assert app.multiselect(key="theme").value == []
    assert any("tema-karangan" in notice and "utm_source" in notice for notice in notices)
    assert "utm_source" not in app.query_params


def test_roles_invalid_mode_ignored(staff_configured: str) -> None:
    app = start_app({"mode": "sunting"})

    assert not app.exception
    assert any("Mode" in info.value for info in app.info)
    assert "mode" not in app.query_params


# NOTE: AppTest runs app.py only on the first run and later runs the page file
# directly (checked with Streamlit 1.67), so what happens after the viewer password
# form is submitted is tested in the browser suite.
def test_roles_viewer_password_gate(app_environment: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETNO_VIEWER_PASSWORD_HASH", hash_password(VIEWER_PASSWORD, **FAST))
    app = start_app()

    assert not app.exception
    assert len(app.metric) == 0
    assert app.text_input(key="auth_viewer_password").value == ""


def test_roles_viewer_password_guards_page_file(
    app_environment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETNO_VIEWER_PASSWORD_HASH", hash_password(VIEWER_PASSWORD, **FAST))
    app = start_app()

    # After the first run AppTest executes the page file alone, as Streamlit can on a
    # fresh server's direct link: the page itself must still ask for the password.
    open_page(app, "pages/hierarki_kendala.py")
    assert not app.exception
    assert len(app.get("plotly_chart")) == 0
    assert app.text_input(key="auth_viewer_password").value == ""

    app.text_input(key="auth_viewer_password").input(VIEWER_PASSWORD)
    app.get("form_submit_button")[0].click()
    app.run()
    assert not app.exception
    assert len(app.get("plotly_chart")) == 1


def editor_widgets(app: AppTest, page: str) -> list:
    """Return the editing widgets of an analysis page (stop words, weights, status)."""
    if page == "pages/frekuensi_kata.py":
        return [area for area in app.text_area if str(area.key).startswith("fk_stop")]
    saves = [button for button in app.button if button.label in {"Simpan status", "Simpan bobot"}]
    return [*app.number_input, *saves]


EDITOR_PAGES = ["pages/frekuensi_kata.py", "pages/rekomendasi_prioritas.py"]


@pytest.mark.parametrize("page", EDITOR_PAGES)
def test_roles_viewer_sees_no_editors(staff_configured: str, page: str) -> None:
    app = open_page(start_app(), page)

    assert not app.exception
    assert editor_widgets(app, page) == []


@pytest.mark.parametrize("page", EDITOR_PAGES)
def test_roles_staff_sees_editors(staff_configured: str, page: str) -> None:
    app = open_page(log_in(start_app()), page)

    assert not app.exception
    assert editor_widgets(app, page), f"{page} shows no editor to logged-in staff"


@pytest.mark.parametrize("page", EDITOR_PAGES)
def test_roles_presentation_hides_editors(staff_configured: str, page: str) -> None:
    app = log_in(start_app())
    app.query_params["mode"] = "presentasi"
    open_page(app, page)

    assert not app.exception
    assert editor_widgets(app, page) == []


# An invented follow-up note as an older version stored it, before notes were masked.
RAW_NOTE = "Pelapor Bu Sari wa 081234567890, NIK 3215012345678903, sari@contoh.id"


def seed_raw_notes(database_url: str) -> None:
    """Give every category a follow-up by the staff user with an unmasked note."""
    store = Store(database_url)
    for category in default_codebook().categories:
        store.set_action_status(category, status="dalam proses", note="", action_date=None,
                                actor=STAFF_NAME)
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE action_status SET note = :note"), {"note": RAW_NOTE})
    engine.dispose()


def note_captions(app: AppTest) -> list[str]:
    return [caption.value for caption in app.caption if caption.value.startswith("Catatan:")]


def assert_note_masked(captions: list[str]) -> None:
    assert captions, "no follow-up note is shown"
    for caption in captions:
        assert "Bu Sari" in caption
        assert "34567890" not in caption
        assert "321501234567" not in caption
        assert "sari@contoh.id" not in caption


def assert_note_for_visitor(app: AppTest) -> None:
    captions = note_captions(app)
    assert not app.exception
    assert_note_masked(captions)
    assert not any(f"({STAFF_NAME})" in caption for caption in captions)


@pytest.mark.parametrize("query", [{}, {"mode": "presentasi"}])
def test_roles_visitor_note_hides_staff_name(staff_configured: str, query) -> None:
    start_app()  # loads the demo comments the recommendations need
    seed_raw_notes(staff_configured)
    app = start_app(query)
    assert_note_for_visitor(open_page(app, "pages/rekomendasi_prioritas.py"))


def test_roles_presentation_note_hides_staff_name(staff_configured: str) -> None:
    app = log_in(start_app())
    seed_raw_notes(staff_configured)
    app.query_params["mode"] = "presentasi"
    assert_note_for_visitor(open_page(app, "pages/rekomendasi_prioritas.py"))


def test_roles_staff_note_shows_staff_name(staff_configured: str) -> None:
    app = log_in(start_app())
    seed_raw_notes(staff_configured)
    open_page(app, "pages/rekomendasi_prioritas.py")

    captions = note_captions(app)
    assert not app.exception
    assert_note_masked(captions)
    assert all(caption.endswith(f"({STAFF_NAME})") for caption in captions)
    assert "34567890" not in app.text_area[0].value


def test_roles_staff_note_saved_masked(staff_configured: str) -> None:
    app = log_in(start_app())
    open_page(app, "pages/rekomendasi_prioritas.py")

    app.text_area[0].input("sudah ditelepon ke 081299998888, NIK 3215012345678903")
    app.button[0].click()
    app.run()

    notes = [entry["note"] for entry in Store(staff_configured).action_statuses().values()]
    raw = _raw_notes(staff_configured)
    assert not app.exception
    assert len(notes) == 1
    assert notes[0].startswith("sudah ditelepon ke 08")
    assert "99998" not in raw[0]
    assert "321501234567" not in raw[0]


def _raw_notes(database_url: str) -> list[str]:
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        notes = [row[0] for row in connection.exec_driver_sql("SELECT note FROM action_status")]
    engine.dispose()
    return notes
