"""The real dashboard under Streamlit's AppTest: every page renders, uploads land."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from netno.codebook import default_codebook
from netno.store import Store
from tests.conftest import ROOT

PAGES = [
    "pages/beranda.py",
    "pages/rekomendasi_prioritas.py",
    "pages/hierarki_kendala.py",
    "pages/tahap_kematangan.py",
    "pages/frekuensi_kata.py",
    "pages/tren.py",
    "pages/komentar.py",
    "pages/unggah_data.py",
    "pages/riwayat_unggahan.py",
]

UPLOAD = [
    {
        "id": "u-1",
        "text": "Sudah bayar dari kemarin tapi status masih menunggu pembayaran",
        "timestamp": "2026-10-02T02:00:00+0000",
        "username": "penguji_satu",
    },
    {
        "id": "u-2",
        "text": "kuota karawang selalu penuh, kapan dibuka lagi?",
        "timestamp": "2026-10-03T02:00:00+0000",
        "username": "penguji_dua",
    },
    {
        "id": "u-3",
        "text": "Aplikasinya keluar sendiri terus pas dibuka",
        "timestamp": "2026-10-04T02:00:00+0000",
        "username": "penguji_tiga",
    },
]


def start_app() -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    return app


def test_app_home_loads_demo_data(app_environment: str) -> None:
    app = start_app()

    assert not app.exception
    assert Store(app_environment).comment_count() > 100
    metric_labels = [metric.label for metric in app.metric]
    assert "Komentar" in metric_labels


@pytest.mark.parametrize("page", PAGES)
def test_app_page_renders_on_demo(app_environment: str, page: str) -> None:
    app = start_app()
    app.switch_page(page)
    app.run()

    assert not app.exception, f"{page}: {app.exception}"
    assert app.title, f"{page} shows no title"


def test_app_upload_stores_batch(app_environment: str) -> None:
    store = Store(app_environment)
    app = start_app()
    before = store.comment_count()
    app.switch_page("pages/unggah_data.py")
    app.run()

    data = json.dumps(UPLOAD).encode("utf-8")
    app.get("file_uploader")[0].set_value(("oktober.json", data, "application/json"))
    app.run()
    app.button(key="ud_submit").click()
    app.run()

    assert not app.exception
    assert before > len(UPLOAD)
    # The first real upload removes the demo comments.
    assert store.comment_count() == len(UPLOAD)
    assert any("Batch" in success.value for success in app.success)
    assert any("Data contoh" in info.value for info in app.info)


def test_app_upload_rejects_bad_file(app_environment: str) -> None:
    store = Store(app_environment)
    app = start_app()
    before = store.comment_count()
    app.switch_page("pages/unggah_data.py")
    app.run()

    app.get("file_uploader")[0].set_value(("rusak.json", b'{"data": [', "application/json"))
    app.run()

    assert not app.exception
    assert app.error, "a truncated JSON file shows no error"
    assert store.comment_count() == before


def test_app_upload_error_escapes_file_name(app_environment: str) -> None:
    app = start_app()
    app.switch_page("pages/unggah_data.py")
    app.run()

    name = "![pelacak](http://contoh.invalid/a.png).json"
    app.get("file_uploader")[0].set_value((name, b"[1, 2", "application/json"))
    app.run()

    assert not app.exception
    assert app.error
    assert "\\!\\[pelacak\\]" in app.error[0].value


def test_app_warns_about_mixed_codebook_versions(app_environment: str) -> None:
    app = start_app()
    store = Store(app_environment)
    stale = store.comments_for_recode().head(3).copy()
    stale["categories"] = [[] for _ in range(len(stale))]
    for column in ("themes", "stages", "steps", "evidence", "uncertain"):
        stale[column] = [[] for _ in range(len(stale))]
    stale["intent"] = "lainnya"
    store.replace_codings(stale, codebook_version="lama")

    app.run()

    assert not app.exception
    assert any("3 komentar masih dikodekan" in warning.value for warning in app.warning)


def test_app_upload_preview_hides_personal_data(app_environment: str) -> None:
    app = start_app()
    app.switch_page("pages/unggah_data.py")
    app.run()

    rows = [dict(UPLOAD[0], text="hubungi saya di 0812-3456-7890 ya")]
    app.get("file_uploader")[0].set_value(
        ("pribadi.json", json.dumps(rows).encode("utf-8"), "application/json")
    )
    app.run()

    shown = app.dataframe[0].value
    assert not app.exception
    assert "penguji_satu" not in shown.to_string()
    assert "3456" not in shown.to_string()


def test_app_upload_asks_for_unknown_text_column(app_environment: str) -> None:
    store = Store(app_environment)
    app = start_app()
    app.switch_page("pages/unggah_data.py")
    app.run()

    data = b"no,isian,kode\n1,gagal,A\n2,mantap,B\n"
    app.get("file_uploader")[0].set_value(("tanpa_judul.csv", data, "text/csv"))
    app.run()

    assert not app.exception
    assert not app.error
    text_box = app.selectbox(key="ud_text_column")
    assert text_box.options == ["no", "isian", "kode"]
    assert text_box.value is None
    assert app.selectbox(key="ud_date_column").options == ["(tidak ada)", "no", "isian", "kode"]
    assert not app.button, "import offered before a text column is chosen"

    text_box.select("isian").run()
    preview_text = app.dataframe[0].value.to_string()
    preview_columns = json.loads(app.dataframe[0].proto.columns)
    assert not app.exception
    assert "gagal" in preview_text
    assert "mantap" in preview_text
    assert preview_columns["text"]["label"] == "Komentar"
    assert preview_columns["created_at"]["type_config"]["timezone"] == "Asia/Jakarta"

    app.button(key="ud_submit").click().run()
    batches = store.batches()
    assert not app.exception
    assert any("Batch" in success.value for success in app.success)
    assert batches[-1].file_name == "tanpa_judul.csv"
    assert batches[-1].rows_new == 2


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("judul_saja.csv", b"no,isian,kode\n"),
        ("kosong.csv", b""),
        ("gambar.csv", b"\x89PNG\x00\x01"),
    ],
)
def test_app_upload_rejected_file_offers_no_columns(
    app_environment: str, name: str, data: bytes
) -> None:
    app = start_app()
    app.switch_page("pages/unggah_data.py")
    app.run()

    app.get("file_uploader")[0].set_value((name, data, "text/csv"))
    app.run()

    assert not app.exception
    assert app.error
    assert not app.selectbox
    assert not app.button


ENGLISH_HEADERS = {"term", "count", "count_a", "rate_a", "change", "comments", "variants"}
MY_PAGES_WITH_SELECTBOXES = [
    "pages/frekuensi_kata.py",
    "pages/hierarki_kendala.py",
    "pages/tren.py",
    "pages/rekomendasi_prioritas.py",
]


def test_app_word_frequency_tables_in_indonesian(app_environment: str) -> None:
    app = start_app()
    app.switch_page("pages/frekuensi_kata.py")
    app.run()

    headers = {column for frame in app.dataframe for column in frame.value.columns}
    kwic = next(frame.value for frame in app.dataframe if "left" in frame.value.columns)
    category_codes = set(default_codebook().categories)
    assert not app.exception
    assert not ENGLISH_HEADERS & headers
    assert "Perubahan per 100 komentar" in headers
    assert not category_codes & set(kwic["categories"])


def test_app_trend_change_column_has_no_none(app_environment: str) -> None:
    app = start_app()
    app.switch_page("pages/tren.py")
    app.run()

    changes = app.dataframe[0].value["Perubahan (%)"].tolist()
    assert not app.exception
    assert None not in changes
    assert "None" not in changes
    assert all(isinstance(change, str) for change in changes)


@pytest.mark.parametrize("page", MY_PAGES_WITH_SELECTBOXES)
def test_app_selectboxes_have_indonesian_placeholder(app_environment: str, page: str) -> None:
    app = start_app()
    app.switch_page(page)
    app.run()

    assert not app.exception
    for selectbox in app.selectbox:
        assert selectbox.proto.placeholder.startswith("Pilih"), selectbox.label


DATA_PAGES = ("pages/unggah_data.py", "pages/riwayat_unggahan.py")
ANALYSIS_PAGES = [page for page in PAGES if page not in DATA_PAGES]


@pytest.mark.parametrize("page", ANALYSIS_PAGES)
def test_app_empty_database_points_to_upload(app_environment: str, page: str) -> None:
    # Marking the demo as loaded keeps the database empty, as after removing every batch.
    Store(app_environment).set_setting("demo_loaded", True, actor="uji")
    app = start_app()
    app.switch_page(page)
    app.run()

    notices = " ".join(info.value for info in app.info)
    assert not app.exception
    assert "Unggah data" in notices
    assert not app.get("plotly_chart")
    assert not app.success


def test_app_home_top_category_metric(app_environment: str) -> None:
    app = start_app()

    metrics = {metric.label: metric.value for metric in app.metric}
    assert "Kategori terbanyak" in metrics
    assert "Kendala terbanyak" not in metrics
    assert metrics["Kategori terbanyak"].endswith(" komentar)")


def test_app_comment_list_search_and_paging(app_environment: str) -> None:
    app = start_app()
    app.switch_page("pages/komentar.py")
    app.run()
    first_page = app.dataframe[0].value

    app.text_input(key="km_search").input("BILLING").run()
    found = app.dataframe[0].value

    assert not app.exception
    assert len(first_page) == 100
    assert 0 < len(found) < len(first_page)
    assert all("billing" in text.lower() for text in found["Komentar"])
    app.text_input(key="km_search").input("").run()
    app.number_input(key="km_page").set_value(2).run()
    assert app.dataframe[0].value["Komentar"].tolist() != first_page["Komentar"].tolist()


# Invented personal data for the upload privacy checks.
CONTACT_CSV = (
    "komentar,tanggal,pengirim,ig,alamat,paspor 081299990000\n"
    "kak @dewi.lestari_ antrian verifikasi lama; wa saya 081234567890,2026-10-01,"
    "Dewi Lestari,@dewi.lestari_,Jl. Kenanga 7 Karawang,ada\n"
    "bayar sudah tapi status belum berubah,2026-10-02,Rudi Hartono,@rudi_h,Jl. Melati 2,tidak\n"
)
CONTACT_VALUES = [
    "Dewi Lestari", "Rudi Hartono", "dewi.lestari", "rudi_h", "Kenanga", "Melati",
    "081234567890", "081299990000",
]


def open_upload_page() -> AppTest:
    app = start_app()
    app.switch_page("pages/unggah_data.py")
    app.run()
    return app


def test_app_upload_preview_hides_contact_columns(app_environment: str) -> None:
    app = open_upload_page()

    app.get("file_uploader")[0].set_value(("kontak.csv", CONTACT_CSV.encode(), "text/csv"))
    app.run()

    preview = app.dataframe[0].value
    table = preview.to_string()
    options = app.selectbox(key="ud_date_column").options
    assert not app.exception
    for value in CONTACT_VALUES:
        assert value not in table, value
        assert not any(value in option for option in options), value
    assert "paspor 08xxxxxx0000" in list(preview.columns)
    assert "kak @… antrian" in table
    assert any("@…" in caption.value for caption in app.caption)


def test_app_upload_chosen_preview_hides_mentions(app_environment: str) -> None:
    app = open_upload_page()
    data = (
        b"no,isian,wa 081299990000\n"
        b"1,gagal terus @rudi_h tolong,A\n"
        b"2,mantap sekali 081234567890,B\n"
    )

    app.get("file_uploader")[0].set_value(("tanpa_judul.csv", data, "text/csv"))
    app.run()
    text_box = app.selectbox(key="ud_text_column")
    options = text_box.options
    text_box.select("isian").run()

    table = app.dataframe[0].value.to_string()
    assert not app.exception
    assert "wa 08xxxxxx0000" in options
    assert not any("081299990000" in option for option in options)
    assert "gagal terus @… tolong" in table
    assert "rudi_h" not in table
    assert "081234567890" not in table


def test_app_upload_summary_masks_reasons_and_notes(app_environment: str) -> None:
    app = open_upload_page()
    rows = [
        {"id": "p-1", "text": {"nik": "3215012345678903"}, "timestamp": "2026-10-01"},
        {"id": "p-2", "text": "antrian verifikasi lama", "timestamp": "wa 081299998888"},
    ]

    app.get("file_uploader")[0].set_value(
        ("pribadi.json", json.dumps(rows).encode("utf-8"), "application/json")
    )
    app.run()
    app.button(key="ud_submit").click()
    app.run()

    headers = [header.value for header in app.subheader]
    tables = " ".join(frame.value.to_string() for frame in app.dataframe)
    assert not app.exception
    assert "Baris yang dilewati" in headers
    assert "Baris yang diubah" in headers
    assert "xxxx8903" in tables
    assert "321501234567" not in tables
    assert "081299998888" not in tables
    assert "99998" not in tables
