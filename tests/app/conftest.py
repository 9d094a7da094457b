"""Drive the app's page files and app.py with Streamlit's AppTest.

``st.navigation`` over a folder named ``pages/`` makes AppTest run only the page file after the
first run of app.py, so every page is also tested on its own: the session state the sidebar
would set is put in place first. The shipped checkpoints are used unless ``LSE_CHECKPOINTS``
points elsewhere (the broken-checkpoint tests do that).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
# the views of the explorer built in pages/ by this test suite's owner
PAGES = ("overview", "latent_map", "manifold_grid", "interpolation", "sampling", "applications")
DATASETS = ("fashion-mnist", "mnist")
LANGUAGES = ("en", "pl")
# the first run of a page encodes a whole test set on a busy CPU
RUN_TIMEOUT_S = 180


def page_app(
    name: str,
    dataset: str = "fashion-mnist",
    latent_dim: int = 2,
    language: str = "en",
    beta: float = 1.0,
    state: dict[str, Any] | None = None,
) -> AppTest:
    """An AppTest of ``pages/<name>.py`` with the sidebar's choices already in session state."""
    app = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=RUN_TIMEOUT_S)
    app.session_state["sidebar.dataset"] = dataset
    app.session_state["sidebar.latent_dim"] = latent_dim
    app.session_state["sidebar.language"] = language
    app.session_state["sidebar.beta"] = beta
    for key, value in (state or {}).items():
        app.session_state[key] = value
    return app


def main_app(state: dict[str, Any] | None = None) -> AppTest:
    """An AppTest of app.py itself (sidebar, navigation and the default page)."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=RUN_TIMEOUT_S)
    for key, value in (state or {}).items():
        app.session_state[key] = value
    return app


def problems(app: AppTest) -> list[str]:
    """Every exception, error and warning the run put on the page."""
    found = [f"exception: {item.value}" for item in app.exception]
    found += [f"error: {item.value}" for item in app.error]
    return found + [f"warning: {item.value}" for item in app.warning]


def image_urls(app: AppTest) -> list[str]:
    """The media URLs of every st.image; Streamlit names media by a hash of their bytes."""
    return [item.url for element in app.get("image") for item in element.proto.imgs]


def download_urls(app: AppTest) -> dict[str, str]:
    """Download buttons by key, each with the URL (a hash of its bytes) it serves."""
    return {button.key: button.proto.url for button in app.get("download_button")}


def plotly_specs(app: AppTest) -> list[str]:
    """The JSON of every plotly chart on the page."""
    return [chart.proto.spec for chart in app.get("plotly_chart")]
