"""The pipeline from export bytes to stored, coded comments."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from netno.ingest import IngestError
from netno.pipeline import (
    add_calendar_columns,
    code_files,
    import_bytes,
    load_demo,
    recode_store,
    remove_demo,
)
from netno.store import Store
from tests.conftest import ROOT

SECRET = b"kunci-uji-pipeline-yang-panjang"

EXPORT = [
    {
        "id": "p-1",
        "text": "Kode billing belum muncul padahal sudah sejam, hubungi 0812-3456-7890",
        "timestamp": "2026-03-31T20:30:00+0000",
        "username": "warga_contoh",
    },
    {
        "id": "p-2",
        "text": "request timeout terus waktu pilih tanggal",
        "timestamp": "2026-04-02T01:00:00+0000",
        "username": "warga_lain",
    },
]


@pytest.fixture(autouse=True)
def fixed_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETNO_SECRET_KEY", SECRET.decode())


def export_bytes(records: list[dict] = EXPORT) -> bytes:
    return json.dumps({"data": records}).encode("utf-8")


def test_import_bytes_stores_coded_batch(sqlite_url: str) -> None:
    store = Store(sqlite_url)

    summary = import_bytes(export_bytes(), "maret.json", store, uploaded_by="uji").batch
    coded = store.coded_frame().set_index("source_id")

    assert summary.rows_new == 2
    assert coded.loc["p-1", "categories"] == ["kode_billing"]
    assert coded.loc["p-2", "categories"] == ["request_timeout"]


def test_import_bytes_masks_and_pseudonymises(sqlite_url: str) -> None:
    store = Store(sqlite_url)

    import_bytes(export_bytes(), "maret.json", store, uploaded_by="uji")
    stored = store.coded_frame().set_index("source_id")

    assert "3456" not in stored.loc["p-1", "text"]
    assert "7890" in stored.loc["p-1", "text"]
    assert "warga_contoh" not in set(stored["author"])


def test_import_bytes_groups_months_in_jakarta(sqlite_url: str) -> None:
    store = Store(sqlite_url)

    import_bytes(export_bytes(), "maret.json", store, uploaded_by="uji")
    stored = store.coded_frame().set_index("source_id")

    # 20:30 UTC on 31 March is 03:30 on 1 April in Jakarta.
    assert stored.loc["p-1", "month"] == "2026-04"


def test_import_bytes_twice_stores_once(sqlite_url: str) -> None:
    store = Store(sqlite_url)

    import_bytes(export_bytes(), "maret.json", store, uploaded_by="uji")
    second = import_bytes(export_bytes(), "maret-lagi.json", store, uploaded_by="uji").batch

    assert second.rows_new == 0
    assert second.rows_duplicate == 2
    assert store.comment_count() == 2


def test_import_bytes_bad_file_stores_nothing(sqlite_url: str) -> None:
    store = Store(sqlite_url)
    import_bytes(export_bytes(), "maret.json", store, uploaded_by="uji")

    with pytest.raises(IngestError):
        import_bytes(b'{"data": [{"id": 1, "te', "rusak.json", store, uploaded_by="uji")

    assert store.comment_count() == 2
    assert len(store.batches()) == 1


def test_import_bytes_reports_progress(sqlite_url: str) -> None:
    stages: list[str] = []

    import_bytes(
        export_bytes(),
        "maret.json",
        Store(sqlite_url),
        uploaded_by="uji",
        progress=lambda stage, done, total: stages.append(stage),
    )

    assert "kode" in stages
    assert stages[-1] == "simpan"


def test_code_files_codes_without_storing(tmp_path, sqlite_url: str) -> None:
    path = tmp_path / "ekspor.json"
    path.write_bytes(export_bytes())

    coded = code_files([path])

    assert list(coded["source_id"]) == ["p-1", "p-2"]
    assert list(coded["month"]) == ["2026-04", "2026-04"]


def test_recode_store_records_codebook_version(sqlite_url: str) -> None:
    store = Store(sqlite_url)
    import_bytes(export_bytes(), "maret.json", store, uploaded_by="uji")

    count = recode_store(store)

    assert count == 2
    assert sum(store.codebook_versions().values()) == 2


def test_calendar_columns_leave_undated_empty() -> None:
    frame = pd.DataFrame({"created_at": pd.to_datetime(["2026-01-31T18:00:00Z", None], utc=True)})

    result = add_calendar_columns(frame)

    assert result.loc[0, "month"] == "2026-02"
    assert result.loc[1, "month"] is None
    assert result.loc[1, "day"] is None


def test_import_bytes_reports_truncated_comment(sqlite_url: str) -> None:
    long_comment = dict(EXPORT[0], id="p-panjang", text="aplikasi lemot " * 2000)

    report = import_bytes(
        export_bytes([long_comment]), "panjang.json", Store(sqlite_url), uploaded_by="uji"
    )

    assert report.batch.rows_new == 1
    assert len(report.notes) == 1
    assert report.source_format.startswith("json:")


def test_remove_demo_leaves_real_batches(sqlite_url: str) -> None:
    store = Store(sqlite_url)
    load_demo(store, ROOT / "data" / "demo_comments.json")
    real = import_bytes(export_bytes(), "maret.json", store, uploaded_by="uji").batch

    removed = remove_demo(store, actor="uji")

    assert removed > 100
    assert [batch.id for batch in store.batches()] == [real.id]
    assert store.comment_count() == 2
