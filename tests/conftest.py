"""Fixtures shared by the test modules."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run, so a run of the suite (and CI)
# passes or fails the same way each time. To search for new failing examples, run
# them with fresh random draws: python -m pytest --hypothesis-profile=explore.
settings.register_profile("default", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("default")

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
