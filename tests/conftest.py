"""Fixtures shared by the test modules."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A URL of a fresh SQLite database file in the test's own folder."""
    return f"sqlite:///{tmp_path / 'netno-test.sqlite'}"


@pytest.fixture
def app_environment(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> str:
    """Point the dashboard at a fresh database and a fixed pseudonym key."""
    monkeypatch.setenv("NETNO_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("NETNO_SECRET_KEY", "kunci-uji-netno-yang-cukup-panjang")
    return sqlite_url
