"""Checks on the project as a whole: lint, types, documentation and configuration."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib

import pytest

from netno.cli import build_parser
from netno.codebook import default_codebook
from tests.conftest import ROOT


def run_tool(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False
    )


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_project_ruff_clean() -> None:
    finished = run_tool("ruff", "check", ".")

    assert finished.returncode == 0, finished.stdout


def test_project_mypy_clean_on_library() -> None:
    pytest.importorskip("mypy")

    finished = run_tool("mypy")

    assert finished.returncode == 0, finished.stdout


def test_project_every_category_documented() -> None:
    guide = (ROOT / "docs" / "coding.md").read_text(encoding="utf-8")
    book = default_codebook()

    for code in [*book.categories, *book.steps, *book.intents]:
        assert f"`{code}`" in guide, f"{code} is missing from docs/coding.md"


def test_project_every_command_documented() -> None:
    documented = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    subparsers = next(
        action for action in build_parser()._actions if action.dest == "command"
    )

    for command in subparsers.choices:
        assert f"python -m netno {command}" in documented, f"{command} is missing from docs/cli.md"


def test_project_readmes_give_the_two_commands() -> None:
    for name in ("README.md", "README.id.md"):
        readme = (ROOT / name).read_text(encoding="utf-8")

        assert "pip install -r requirements.txt && streamlit run app.py" in readme, name
        assert "pip install -r requirements-dev.txt && python -m pytest" in readme, name


def test_project_config_keeps_everything_local() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))

    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["headless"] is True
    assert config["server"]["address"] == "127.0.0.1"
    assert config["server"]["maxUploadSize"] > 0


def test_project_requirements_pinned() -> None:
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            # "-e ." installs the checkout itself, which builds its optional C extensions.
            if not line or line.startswith(("#", "-r")) or line == "-e .":
                continue
            assert "==" in line, f"{name}: {line} is not pinned"
