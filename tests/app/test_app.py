"""app.py itself: page set-up, sidebar and navigation, in both languages.

AppTest runs only the page file after the first run of an app whose pages live in ``pages/``,
so these tests look at first runs; the pages are tested on their own in ``test_pages.py``.
"""

from __future__ import annotations

import pytest

from tests.app.conftest import main_app, problems
from ui.i18n import translate


@pytest.mark.parametrize("language", ["en", "pl"])
def test_app_draws_sidebar_and_overview(language: str) -> None:
    app = main_app({"sidebar.language": language}).run()

    assert problems(app) == []
    assert app.sidebar.header[0].value == translate(language, "sidebar.header")
    assert app.sidebar.selectbox(key="sidebar.dataset").label == (
        translate(language, "sidebar.dataset")
    )
    assert app.sidebar.radio(key="sidebar.latent_dim").options == ["2", "16"]
    assert app.title[0].value == translate(language, "overview.title")


def test_beta_choice_only_where_the_ladder_exists() -> None:
    ladder = main_app().run()
    plain = main_app({"sidebar.dataset": "mnist"}).run()

    betas = ladder.sidebar.selectbox(key="sidebar.beta").options
    assert betas == ["0.25", "0.5", "1", "2", "4"]
    assert "sidebar.beta" not in {box.key for box in plain.sidebar.selectbox}


def test_sidebar_names_the_pair_it_selects() -> None:
    app = main_app({"sidebar.dataset": "mnist", "sidebar.latent_dim": 16}).run()

    assert app.sidebar.caption[0].value == "AE: mnist-ae-z16 · VAE: mnist-vae-z16"


def test_a_beta_left_from_the_ladder_falls_back_to_one_elsewhere() -> None:
    app = main_app({"sidebar.dataset": "mnist", "sidebar.beta": 4.0}).run()

    assert app.session_state["sidebar.beta"] == 1.0
    assert app.sidebar.caption[0].value == "AE: mnist-ae-z2 · VAE: mnist-vae-z2"
