"""Tests for the store commands of ``python -m netno``."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

pytest.register_assert_rewrite("storefixtures")

from storefixtures import REPO, coded_frame, coded_row, numbered_frame, upload  # noqa: E402

from netno.cli import main  # noqa: E402
from netno.store import Store  # noqa: E402

pytest_plugins = ["storefixtures"]


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_batches_json_lists_counts(database_url, capsys):
    store = Store(database_url)
    upload(store, numbered_frame(0, 12), name="jan.csv")
    upload(store, numbered_frame(10, 5), name="feb.csv")

    code, out, _ = _run(capsys, "batches", "--json", "--db", database_url)

    items = json.loads(out)
    assert code == 0
    assert [item["file"] for item in items] == ["jan.csv", "feb.csv"]
    assert items[1]["rows_new"] == 3
    assert items[1]["rows_duplicate"] == 2
    assert set(items[0]) >= {"id", "file", "rows_read", "rows_new", "rows_duplicate",
                             "rows_skipped"}


def test_batches_empty_store_says_so(tmp_path, capsys):
    path = tmp_path / "kosong.sqlite"
    Store(str(path))

    code, out, _ = _run(capsys, "batches", "--db", str(path))

    assert code == 0
    assert out.strip() == "Belum ada batch tersimpan."


def test_remove_batch_with_yes_removes(database_url, capsys):
    store = Store(database_url)
    upload(store, numbered_frame(0, 4))
    second = upload(store, numbered_frame(2, 4))

    code, out, _ = _run(capsys, "remove-batch", str(second.id), "--yes", "--db", database_url)

    assert code == 0
    assert "2 komentar" in out
    assert store.comment_count() == 4


def test_remove_batch_without_yes_refuses_when_not_interactive(tmp_path, capsys, monkeypatch):
    url = str(tmp_path / "netno.sqlite")
    upload(Store(url), numbered_frame(0, 3))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    code, _, err = _run(capsys, "remove-batch", "1", "--db", url)

    assert code == 2
    assert "--yes" in err
    assert Store(url).comment_count() == 3


def test_remove_batch_unknown_id_exits_2(tmp_path, capsys):
    path = str(tmp_path / "netno.sqlite")
    Store(path)

    code, _, err = _run(capsys, "remove-batch", "7", "--yes", "--db", path)

    assert code == 2
    assert "Batch 7 tidak ditemukan" in err


def test_backup_then_restore_round_trip(tmp_path, capsys):
    url = str(tmp_path / "netno.sqlite")
    store = Store(url)
    first = upload(store, numbered_frame(0, 8))
    archive = tmp_path / "cadangan.zip"

    assert _run(capsys, "backup", str(archive), "--db", url)[0] == 0
    store.remove_batch(first.id, actor="uji")
    code, out, _ = _run(capsys, "restore", str(archive), "--yes", "--db", url)

    assert code == 0
    assert "8 komentar" in out
    assert store.comment_count() == 8


def test_restore_bad_file_exits_2(tmp_path, capsys):
    url = str(tmp_path / "netno.sqlite")
    bad = tmp_path / "bukan.zip"
    bad.write_text("halo")

    code, _, err = _run(capsys, "restore", str(bad), "--yes", "--db", url)

    assert code == 2
    assert "bukan cadangan netno" in err


def test_stats_json_counts_in_month_range(database_url, capsys):
    rows = [
        coded_row(1, when="2025-01-10T03:00:00Z", categories=("kuota",)),
        coded_row(2, when="2025-02-10T03:00:00Z", categories=("kuota", "kode_billing")),
        coded_row(3, when="2025-03-10T03:00:00Z", categories=("kode_otp",)),
    ]
    upload(Store(database_url), coded_frame(rows))

    code, out, _ = _run(capsys, "stats", "--since", "2025-02", "--until", "2025-03", "--json",
                        "--db", database_url)

    result = json.loads(out)
    assert code == 0
    assert result["total"] == 2
    assert result["categories"] == {"kode_billing": 1, "kode_otp": 1, "kuota": 1}
    assert result["themes"] == {"aksesibilitas": 1, "pembayaran": 1, "pengajuan": 1}
    assert result["stages"] == {"interact": 1, "transact": 1}


def test_stats_text_prints_total(tmp_path, capsys):
    url = str(tmp_path / "netno.sqlite")
    upload(Store(url), numbered_frame(0, 3))

    code, out, _ = _run(capsys, "stats", "--db", url)

    assert code == 0
    assert out.splitlines()[0] == "Total 3 komentar."
    assert "Kategori: kuota 3" in out


@pytest.mark.parametrize("month", ["2025-13", "Maret", "2025", "2025-1"])
def test_stats_bad_month_exits_2(tmp_path, capsys, month):
    code, _, err = _run(capsys, "stats", "--since", month, "--db", str(tmp_path / "n.sqlite"))

    assert code == 2
    assert "YYYY-MM" in err


def test_store_commands_run_as_module(tmp_path):
    url = str(tmp_path / "netno.sqlite")
    upload(Store(url), numbered_frame(0, 2))

    done = subprocess.run([sys.executable, "-m", "netno", "batches", "--json", "--db", url],
                          cwd=REPO, capture_output=True, text=True, check=False)

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["rows_new"] == 2


def test_batches_closed_pipe_exits_without_traceback(tmp_path):
    url = str(tmp_path / "netno.sqlite")
    upload(Store(url), numbered_frame(0, 2))
    # A pipe whose reader is already gone, as with "netno batches --json | head -1"
    # once head has exited: the first write fails with EPIPE.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "netno", "batches", "--json", "--db", url],
                              cwd=REPO, stdout=write_end, stderr=subprocess.PIPE, text=True,
                              check=False)
    finally:
        os.close(write_end)

    assert done.returncode == 141
    assert "Traceback" not in done.stderr
    assert done.stderr == ""


def test_backup_refuses_existing_file_and_other_suffix(tmp_path, capsys):
    database = tmp_path / "netno.sqlite"
    Store(str(database))
    existing = tmp_path / "ada.zip"
    existing.write_bytes(b"isi lama")

    over_database, _, _ = _run(capsys, "backup", str(database), "--db", str(database))
    over_existing, _, err = _run(capsys, "backup", str(existing), "--db", str(database))

    assert over_database == 2
    assert over_existing == 2
    assert "sudah ada" in err
    assert existing.read_bytes() == b"isi lama"
    assert Store(str(database)).comment_count() == 0
