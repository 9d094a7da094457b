"""Start and stop `streamlit run app.py` and find the browser: shared by the tests and benchmarks.

The server listens on 127.0.0.1 only, on a free port, headless and without telemetry; it runs in
a process group of its own so that stopping it stops everything it started.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("LSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_TIMEOUT_S = 90
SERVER_STOP_TIMEOUT_S = 10
HEALTH_POLL_S = 0.05


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def streamlit_command(port: int) -> list[str]:
    """The command line of the app under test: local only, headless, no telemetry."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        # nothing edits the code while it runs; watching files would only cost CPU
        "--server.fileWatcherType",
        "none",
    ]


def start_server(port: int, log: IO[bytes] | int = subprocess.DEVNULL) -> subprocess.Popen:
    """Launch the app on ``port`` in a process group of its own (see :func:`stop`)."""
    return subprocess.Popen(
        streamlit_command(port),
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for_health(
    url: str, process: subprocess.Popen, timeout_s: float = SERVER_START_TIMEOUT_S
) -> None:
    """Poll ``/_stcore/health`` until it answers ``ok``, the server dies or time runs out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(HEALTH_POLL_S)
    raise TimeoutError(f"streamlit did not answer {url}/_stcore/health within {timeout_s} s")


def stop(process: subprocess.Popen) -> None:
    """Stop the server's whole process group: SIGTERM, then SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=SERVER_STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=SERVER_STOP_TIMEOUT_S)
