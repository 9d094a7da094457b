"""A real `streamlit run` of the app and a real Chromium driven by Playwright.

The server starts once per session on 127.0.0.1 and a free port (see server.py), reading the
checkpoint folder from ``LSE_CHECKPOINTS`` (the shipped ``checkpoints/`` by default), and is
stopped at the end. Every wait is for a condition (the health endpoint, an element, a script
state), never a fixed sleep. Chromium is Debian's, since ``playwright install`` cannot download
a browser here; ``LSE_CHROMIUM`` points elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, free_port, start_server, stop, wait_for_health
from tests.e2e.streamlit_page import SCREENSHOT_FOLDER, VIEWPORT


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a `streamlit run app.py` that lives for the whole test session."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = start_server(port, log)
        try:
            wait_for_health(url, process)
            yield url
        finally:
            stop(process)
    # a traceback in the server's log is a failure even when no page showed it
    server_log = log_path.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in server_log, server_log[-4000:]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the session."""
    if not CHROMIUM.is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}: `apt-get install chromium` or set LSE_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, app_url: str) -> Iterator[object]:
    """A fresh tab (its own Streamlit session) at 1280 x 720, the projector's size."""
    context = browser.new_context(viewport=VIEWPORT, base_url=app_url)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def screenshot_folder() -> Path:
    """Where the pages' screenshots go (gitignored)."""
    SCREENSHOT_FOLDER.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_FOLDER
