"""Tests for netno.store under real concurrent and killed uploads from other processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.register_assert_rewrite("storefixtures")

from storefixtures import REPO, numbered_frame, upload  # noqa: E402

from netno.store import Store  # noqa: E402

pytest_plugins = ["storefixtures"]

UPLOADER = Path(__file__).resolve().parent / "storefixtures.py"
# Generous bound for a child process; only guards against a hung test run.
CHILD_TIMEOUT_S = 300


def _start_uploader(url: str, *, first: int, count: int, **paths: Path) -> subprocess.Popen:
    command = [sys.executable, str(UPLOADER), url, "--first", str(first), "--count", str(count)]
    for option, path in paths.items():
        command += [f"--{option}", str(path)]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _wait_for(path: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + CHILD_TIMEOUT_S
    while not path.exists():
        if process.poll() is not None:
            pytest.fail(f"uploader exited early: {process.stderr.read()}")
        if time.monotonic() > deadline:
            pytest.fail("uploader never reached the first chunk")
        time.sleep(0.02)


def test_concurrent_uploads_both_land(database_url, tmp_path):
    Store(database_url)  # create the schema before the race
    go = tmp_path / "go"
    # 3000 rows each, overlapping on numbers 2500-2999.
    processes = [
        _start_uploader(database_url, first=0, count=3000, go=go),
        _start_uploader(database_url, first=2500, count=3000, go=go),
    ]
    time.sleep(1.0)  # both children import pandas and build their frames first
    go.touch()
    results = [process.communicate(timeout=CHILD_TIMEOUT_S) for process in processes]

    for process, (_out, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err
    store = Store(database_url)
    batches = store.batches()
    assert store.comment_count() == 5500
    assert len(batches) == 2
    assert sum(batch.rows_new for batch in batches) == 5500
    assert sum(batch.rows_duplicate for batch in batches) == 500
    assert sorted(store.coded_frame()["source_id"]) == [f"c{n:06d}" for n in range(5500)]


def test_killed_upload_leaves_store_unchanged(database_url, tmp_path):
    store = Store(database_url)
    upload(store, numbered_frame(0, 100), name="awal.csv")
    before = (store.comment_count(), [batch.id for batch in store.batches()])
    paused = tmp_path / "paused"

    process = _start_uploader(database_url, first=10_000, count=5000, pause=paused)
    _wait_for(paused, process)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=CHILD_TIMEOUT_S)

    assert process.returncode == -signal.SIGKILL
    assert paused.read_text() == "500/5000"  # it was killed inside the transaction
    assert (store.comment_count(), [batch.id for batch in store.batches()]) == before
    # The dead writer's lock is gone: the next upload goes through.
    after = upload(store, numbered_frame(10_000, 50), name="ulang.csv")
    assert after.rows_new == 50
    assert store.comment_count() == 150
