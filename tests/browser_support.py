"""Start the real dashboard as a subprocess and drive it with headless Debian Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
START_TIMEOUT_SECONDS = 60
WAIT_MS = 60_000


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_app(root: Path, env: Mapping[str, str], log_path: Path) -> Iterator[str]:
    """Run ``streamlit run app.py`` on a free loopback port and yield its base URL.

    The server is terminated (then killed) when the block ends, also on failure.
    """
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--browser.serverAddress", "127.0.0.1",
        "--browser.serverPort", str(port),
    ]
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            command, cwd=root, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_healthy(base, server, log_path)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


def _wait_healthy(base: str, server: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}: {log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer /_stcore/health within {START_TIMEOUT_SECONDS} s")


def wait_idle(page, *, ready: str = "h1") -> None:
    """Wait until the page shows ``ready`` and the script run has finished."""
    page.wait_for_selector(ready, state="attached", timeout=WAIT_MS)
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    # A bound widget or a toast can start one more run right after the first ends.
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
