"""Tests for netno.store against a real SQLite file and, when configured, PostgreSQL."""

from __future__ import annotations

import json
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import sqlalchemy as sa

pytest.register_assert_rewrite("storefixtures")

from storefixtures import coded_frame, coded_row, numbered_frame, upload  # noqa: E402

from netno.store import Store, StoreError, dedup_key  # noqa: E402

# The `database_url` and `store` fixtures, parametrised over SQLite and PostgreSQL.
pytest_plugins = ["storefixtures"]


def _snapshot(store: Store) -> tuple:
    frame = store.coded_frame()
    return (
        store.comment_count(),
        sorted(frame["source_id"].dropna()),
        [batch.id for batch in store.batches()],
    )


def test_add_batch_reports_counts(store):
    summary = upload(store, numbered_frame(0, 120))

    assert summary.rows_new == 120
    assert summary.rows_duplicate == 0
    assert summary.rows_read == 120
    assert store.comment_count() == 120
    assert [batch.id for batch in store.batches()] == [summary.id]


def test_add_batch_same_export_twice_keeps_counts(store):
    upload(store, numbered_frame(0, 50))
    before = store.coded_frame()

    second = upload(store, numbered_frame(0, 50))

    assert second.rows_new == 0
    assert second.rows_duplicate == 50
    assert store.comment_count() == 50
    assert store.coded_frame()["comment_id"].tolist() == before["comment_id"].tolist()


def test_add_batch_overlapping_months_count_once(store):
    january = [coded_row(n, when="2025-01-10T02:00:00Z") for n in range(0, 30)]
    february = [coded_row(n, when="2025-02-10T02:00:00Z") for n in range(30, 60)]
    march = [coded_row(n, when="2025-03-10T02:00:00Z") for n in range(60, 90)]

    upload(store, coded_frame(january + february), name="jan-feb.csv")
    second = upload(store, coded_frame(february + march), name="feb-mar.csv")

    assert second.rows_new == 30
    assert second.rows_duplicate == 30
    months = store.coded_frame()["month"].value_counts().to_dict()
    assert months == {"2025-01": 30, "2025-02": 30, "2025-03": 30}


def test_add_batch_duplicates_inside_file_count_once(store):
    rows = [coded_row(n) for n in range(10)] + [coded_row(3), coded_row(7)]

    summary = upload(store, coded_frame(rows))

    assert summary.rows_new == 10
    assert summary.rows_duplicate == 2
    assert store.comment_count() == 10


def test_add_batch_without_ids_deduplicates_by_content(store):
    first = coded_row(1, with_id=False, author="anon_a", text="kuota  habis\nterus")
    same_spacing_changed = coded_row(1, with_id=False, author="anon_a", text="kuota habis terus")
    other_author = coded_row(1, with_id=False, author="anon_b", text="kuota habis terus")

    upload(store, coded_frame([first]))
    summary = upload(store, coded_frame([same_spacing_changed, other_author]))

    assert summary.rows_duplicate == 1
    assert summary.rows_new == 1
    assert store.comment_count() == 2


def test_dedup_key_same_id_other_platform_differs():
    instagram = dedup_key(platform="instagram", source_id="42", author=None, created_at=None,
                          text="a")
    playstore = dedup_key(platform="playstore", source_id="42", author=None, created_at=None,
                          text="a")

    assert instagram != playstore


def test_add_batch_records_skipped_rows(store):
    skipped = [{"row_number": 4, "reason": "teks kosong"}]

    summary = store.add_batch(
        numbered_frame(0, 3), file_name="ulasan.csv", uploaded_by="petugas", rows_read=4,
        skipped=skipped, source_format="playstore_csv", codebook_version="uji+0000000000",
    )

    stored = store.batches()[0]
    assert summary.rows_skipped == 1
    assert stored.skipped == skipped
    assert stored.rows_read == 4
    assert stored.source_format == "playstore_csv"


def test_add_batch_missing_columns_raises(store):
    frame = numbered_frame(0, 3).drop(columns=["categories"])

    with pytest.raises(StoreError, match="categories"):
        upload(store, frame)
    assert store.batches() == []


def test_add_batch_failing_midway_stores_nothing(store):
    upload(store, numbered_frame(0, 10))
    before = _snapshot(store)
    # 1200 good rows span several insert chunks before the bad last row fails.
    rows = [coded_row(n) for n in range(1000, 2200)]
    rows[-1]["likes"] = -1
    chunks_done = []

    with pytest.raises(StoreError, match="melanggar"):
        upload(store, coded_frame(rows), progress=lambda done, total: chunks_done.append(done))

    assert chunks_done[:2] == [500, 1000]
    assert _snapshot(store) == before
    assert [entry["action"] for entry in store.audit_log()] == ["tambah_batch"]


def test_remove_batch_restores_previous_counts(store):
    upload(store, numbered_frame(0, 40), name="satu.csv")
    before = _snapshot(store)
    before_frame = store.coded_frame()
    second = upload(store, numbered_frame(30, 40), name="dua.csv")

    removed = store.remove_batch(second.id, actor="admin")

    assert removed == 30
    assert _snapshot(store) == before
    assert store.coded_frame()["categories"].tolist() == before_frame["categories"].tolist()


def test_remove_batch_keeps_comments_another_batch_brought(store):
    first = upload(store, numbered_frame(0, 20), name="satu.csv")
    second = upload(store, numbered_frame(10, 20), name="dua.csv")

    removed = store.remove_batch(first.id, actor="admin")

    frame = store.coded_frame()
    assert removed == 10
    assert store.comment_count() == 20
    assert set(frame["batch_id"]) == {second.id}


def test_remove_batch_unknown_id_raises(store):
    with pytest.raises(StoreError, match="Batch 99 tidak ditemukan"):
        store.remove_batch(99, actor="admin")


def test_remove_batch_id_is_not_reused(store):
    first = upload(store, numbered_frame(0, 5))
    store.remove_batch(first.id, actor="admin")

    second = upload(store, numbered_frame(0, 5))

    assert second.id > first.id


def test_coded_frame_days_and_months_in_jakarta(store):
    # 18:30 UTC on 31 January is already 1 February in Jakarta (UTC+7).
    rows = [coded_row(1, when="2025-01-31T18:30:00Z"), coded_row(2, when="2025-01-31T16:00:00Z")]
    upload(store, coded_frame(rows))

    frame = store.coded_frame().set_index("source_id")

    assert frame.loc["c000001", "month"] == "2025-02"
    assert frame.loc["c000001", "day"] == date(2025, 2, 1)
    assert frame.loc["c000002", "month"] == "2025-01"


def test_coded_frame_filters_by_jakarta_day(store):
    rows = [
        coded_row(1, when="2025-01-31T18:30:00Z"),  # 1 Feb Jakarta
        coded_row(2, when="2025-02-28T16:59:00Z"),  # 28 Feb 23:59 Jakarta
        coded_row(3, when="2025-02-28T17:00:00Z"),  # 1 Mar Jakarta
    ]
    upload(store, coded_frame(rows))

    frame = store.coded_frame(start=date(2025, 2, 1), end=date(2025, 2, 28))

    assert sorted(frame["source_id"]) == ["c000001", "c000002"]


def test_coded_frame_lists_are_python_lists(store):
    upload(store, coded_frame([coded_row(1, categories=("kuota", "kode_billing"))]))

    row = store.coded_frame().iloc[0]

    assert row["categories"] == ["kuota", "kode_billing"]
    assert row["themes"] == ["pembayaran", "pengajuan"]
    assert row["evidence"][0]["code"] == "kuota"
    assert isinstance(row["uncertain"], list)
    assert str(store.coded_frame()["created_at"].dt.tz) == "UTC"


def test_replace_codings_newest_wins(store):
    upload(store, numbered_frame(0, 4))
    recode = store.comments_for_recode()
    recode["categories"] = [["kode_otp"]] * len(recode)
    for column, value in [("themes", ["aksesibilitas"]), ("stages", ["interact"]),
                          ("steps", []), ("evidence", []), ("uncertain", [])]:
        recode[column] = [value] * len(recode)
    recode["intent"] = "pertanyaan"
    seen = []

    count = store.replace_codings(recode, codebook_version="uji+1111111111",
                                  progress=lambda done, total: seen.append((done, total)))

    frame = store.coded_frame()
    assert count == 4
    assert seen == [(4, 4)]
    assert frame["categories"].tolist() == [["kode_otp"]] * 4
    assert set(frame["codebook_version"]) == {"uji+1111111111"}
    assert store.codebook_versions() == {"uji+1111111111": 4}


def test_replace_codings_unknown_comment_changes_nothing(store):
    upload(store, numbered_frame(0, 2))
    recode = store.coded_frame()[["comment_id", "categories", "themes", "stages", "steps",
                                  "intent", "evidence", "uncertain"]].copy()
    recode.loc[1, "comment_id"] = 9999

    with pytest.raises(StoreError, match="9999"):
        store.replace_codings(recode, codebook_version="uji+2222222222")
    assert store.codebook_versions() == {"uji+0000000000": 2}


def test_settings_round_trip(store):
    assert store.get_setting("bobot", {"x": 1}) == {"x": 1}

    store.set_setting("bobot", {"transact": 2.5, "daftar": [1, 2]}, actor="admin")
    store.set_setting("bobot", {"transact": 3}, actor="admin")

    assert store.get_setting("bobot") == {"transact": 3}
    assert store.audit_log(limit=1)[0]["action"] == "ubah_pengaturan"


def test_set_action_status_round_trip(store):
    store.set_action_status("kuota", status="dalam proses", note="tambah slot Sabtu",
                            action_date=date(2025, 3, 1), actor="kasi")

    status = store.action_statuses()["kuota"]

    assert status["status"] == "dalam proses"
    assert status["note"] == "tambah slot Sabtu"
    assert status["action_date"] == date(2025, 3, 1)
    assert status["updated_by"] == "kasi"


def _stored_column(database_url: str, sql: str) -> list:
    """Read raw values with plain SQL, as someone copying the database file would."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            return [row[0] for row in connection.exec_driver_sql(sql)]
    finally:
        engine.dispose()


def test_set_action_status_masks_note_on_save(store, database_url):
    store.set_action_status(
        "kuota", status="baru", note="minta Bu Sari telepon 081234567890 atau sari@contoh.id",
        action_date=None, actor="kasi",
    )

    stored = _stored_column(database_url, "SELECT note FROM action_status")

    assert len(stored) == 1
    assert "34567" not in stored[0]
    assert "sari@contoh.id" not in stored[0]
    assert stored[0].startswith("minta Bu Sari telepon 08")


def test_action_statuses_masks_older_notes(store, database_url):
    store.set_action_status("kuota", status="baru", note="", action_date=None, actor="kasi")
    # A note saved by a version that did not mask notes yet.
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE action_status SET note = :note"),
            {"note": "NIK pelapor 3215012345678903, wa 081299998888"},
        )
    engine.dispose()

    note = store.action_statuses()["kuota"]["note"]

    assert "321501234567" not in note
    assert "99998" not in note
    assert note.startswith("NIK pelapor ")


def test_add_batch_masks_skip_reasons(store, database_url):
    skipped = [{"row_number": 2, "reason": "Sel berisi ({\"nik\": \"3215012345678903\"})"}]

    store.add_batch(
        numbered_frame(0, 1), file_name="a.json", uploaded_by="petugas", rows_read=2,
        skipped=skipped, source_format="json:umum", codebook_version="uji+0000000000",
    )

    raw = _stored_column(database_url, "SELECT skipped FROM batches")
    assert "321501234567" not in raw[0]
    assert "321501234567" not in store.batches()[0].skipped[0]["reason"]
    assert store.batches()[0].skipped[0]["row_number"] == 2


def test_batches_masks_older_skip_reasons(store, database_url):
    store.add_batch(
        numbered_frame(0, 1), file_name="a.json", uploaded_by="petugas", rows_read=2,
        skipped=[{"row_number": 2, "reason": "kosong"}], source_format="json:umum",
        codebook_version="uji+0000000000",
    )
    older = json.dumps([{"row_number": 2, "reason": "Tanggal 'wa 081299998888' tidak terbaca"}])
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE batches SET skipped = :skipped"), {"skipped": older})
    engine.dispose()

    reason = store.batches()[0].skipped[0]["reason"]

    assert "99998" not in reason
    assert reason.startswith("Tanggal 'wa 08")


def test_set_action_status_unknown_status_raises(store):
    with pytest.raises(StoreError, match="'beres'"):
        store.set_action_status("kuota", status="beres", note="", action_date=None, actor="kasi")
    assert store.action_statuses() == {}


def test_audit_log_newest_first(store):
    store.log("masuk", actor="a", detail={"n": 1})
    store.log("keluar", actor="b", detail={"n": 2})

    entries = store.audit_log()

    assert [entry["action"] for entry in entries] == ["keluar", "masuk"]
    assert entries[0]["detail"] == {"n": 2}
    assert entries[0]["at"].tzinfo is not None


def test_backup_restore_round_trip(store, tmp_path):
    first = upload(store, numbered_frame(0, 30))
    upload(store, numbered_frame(20, 30))
    store.set_setting("ambang", 5, actor="admin")
    store.set_action_status("kuota", status="baru", note="", action_date=None, actor="kasi")
    expected = store.coded_frame()
    path = tmp_path / "cadangan.zip"
    store.backup(path)
    store.remove_batch(first.id, actor="admin")

    store.restore(path, actor="admin")

    restored = store.coded_frame()
    assert restored.drop(columns=["day"]).equals(expected.drop(columns=["day"]))
    assert [batch.id for batch in store.batches()] == [1, 2]
    assert store.get_setting("ambang") == 5
    assert store.action_statuses()["kuota"]["status"] == "baru"
    assert store.audit_log(limit=1)[0]["action"] == "pulihkan_cadangan"
    # New rows after a restore must not collide with restored ids.
    assert upload(store, numbered_frame(500, 2)).id == 3


def test_restore_sqlite_backup_into_other_store(database_url, tmp_path):
    source = Store(f"sqlite:///{tmp_path / 'asal.sqlite'}")
    upload(source, numbered_frame(0, 25))
    path = tmp_path / "cadangan.zip"
    source.backup(path)
    target = Store(database_url)
    upload(target, numbered_frame(900, 3))

    target.restore(path, actor="admin")

    assert target.comment_count() == 25
    assert target.coded_frame()["source_id"].tolist() == source.coded_frame()["source_id"].tolist()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("not_zip", "bukan cadangan netno"),
        ("no_manifest", "manifest.json"),
        ("cut_table", "berisi 2 baris"),
        ("bad_value", "tidak sah"),
        ("newer_schema", "skema versi 99"),
    ],
)
def test_restore_damaged_file_leaves_store(store, tmp_path, damage, message):
    upload(store, numbered_frame(0, 3))
    good = tmp_path / "baik.zip"
    store.backup(good)
    upload(store, numbered_frame(100, 5))
    before = _snapshot(store)
    bad = tmp_path / "rusak.zip"
    _damage_backup(good, bad, damage)

    with pytest.raises(StoreError, match=message):
        store.restore(bad, actor="admin")

    assert _snapshot(store) == before


def test_restore_missing_file_raises(store, tmp_path):
    with pytest.raises(StoreError, match="tidak ditemukan"):
        store.restore(tmp_path / "tidak-ada.zip", actor="admin")


def _damage_backup(good, bad, damage):
    if damage == "not_zip":
        bad.write_bytes(b"id,text\n1,halo\n")
        return
    with zipfile.ZipFile(good) as source:
        members = {name: source.read(name) for name in source.namelist()}
    if damage == "no_manifest":
        del members["manifest.json"]
    elif damage == "cut_table":
        lines = members["tables/comments.jsonl"].splitlines(keepends=True)
        members["tables/comments.jsonl"] = b"".join(lines[:2])
    elif damage == "bad_value":
        first, *rest = members["tables/comments.jsonl"].splitlines(keepends=True)
        record = json.loads(first)
        record["created_at"] = "kemarin sore"
        members["tables/comments.jsonl"] = json.dumps(record).encode() + b"\n" + b"".join(rest)
    elif damage == "newer_schema":
        manifest = json.loads(members["manifest.json"])
        manifest["schema_version"] = 99
        members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(bad, "w") as target:
        for name, content in members.items():
            target.writestr(name, content)


def test_store_default_url_uses_environment(monkeypatch, tmp_path):
    path = tmp_path / "dari_env.sqlite"
    monkeypatch.setenv("NETNO_DATABASE_URL", f"sqlite:///{path}")

    Store().log("cek", actor="uji", detail={})

    assert path.exists()


def test_store_plain_path_creates_file(tmp_path):
    path = tmp_path / "netno.sqlite"

    Store(str(path)).log("cek", actor="uji", detail={})

    assert path.exists()


def test_store_missing_folder_rejected(tmp_path):
    path = tmp_path / "salah-ketik" / "netno.sqlite"

    with pytest.raises(StoreError, match="Folder"):
        Store(str(path))

    assert not path.parent.exists()


def test_store_without_create_rejects_missing_file(tmp_path):
    path = tmp_path / "belum-ada.sqlite"

    with pytest.raises(StoreError, match="tidak ada"):
        Store(str(path), create=False)

    assert not path.exists()


def test_store_unsupported_url_raises():
    with pytest.raises(StoreError, match="mysql"):
        Store("mysql://localhost/netno")


def test_store_sqlite_uses_wal(tmp_path):
    sqlite_store = Store(str(tmp_path / "wal.sqlite"))
    upload(sqlite_store, numbered_frame(0, 1))

    assert (tmp_path / "wal.sqlite-wal").exists()


def test_store_shared_across_threads(database_url):
    shared = Store(database_url)
    frames = [numbered_frame(start, 200) for start in (0, 150, 300, 450)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        summaries = list(pool.map(lambda frame: upload(shared, frame), frames))
        counts = list(pool.map(lambda _: shared.comment_count(), range(8)))

    assert shared.comment_count() == 650
    assert sum(summary.rows_new for summary in summaries) == 650
    assert all(0 <= count <= 650 for count in counts)
