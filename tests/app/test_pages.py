"""Every page of the explorer renders, for every shipped data set, latent size and language."""

from __future__ import annotations

import pytest

from tests.app.conftest import DATASETS, LANGUAGES, PAGES, page_app, problems
from ui.i18n import translate

TITLE_KEYS = {
    "overview": "overview.title",
    "latent_map": "latent.title",
    "manifold_grid": "grid.title",
    "interpolation": "interp.title",
    "sampling": "sampling.title",
    "applications": "apps.title",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_in_both_languages(page: str, dataset: str, language: str) -> None:
    app = page_app(page, dataset=dataset, language=language).run()

    assert problems(app) == []
    assert [title.value for title in app.title] == [translate(language, TITLE_KEYS[page])]


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_16_latent_dimensions(page: str, dataset: str) -> None:
    app = page_app(page, dataset=dataset, latent_dim=16).run()

    assert problems(app) == []
    assert len(app.title) == 1


@pytest.mark.parametrize("beta", [0.25, 0.5, 2.0, 4.0])
def test_beta_ladder_swaps_only_the_vae(beta: float) -> None:
    app = page_app("sampling", beta=beta).run()

    headings = [item.value for item in app.markdown if "`" in item.value]
    assert problems(app) == []
    assert any("`fashion-mnist-ae-z2`" in heading for heading in headings)
    assert any(f"`fashion-mnist-vae-z2-beta{beta:g}`" in heading for heading in headings)


def test_pages_show_both_models_side_by_side() -> None:
    app = page_app("latent_map").run()

    keys = {chart.key for chart in app.get("plotly_chart")}
    assert {"latent_map.chart.ae", "latent_map.chart.vae", "latent_map.pad_chart"} <= keys
