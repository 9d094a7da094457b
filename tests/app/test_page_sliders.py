"""The sliders page under AppTest: what it sends to the browser and what it does with a report.

The browser's side (decoding while dragging) is tested in tests/e2e and tests/ui; here the page's
Python side: the payload (both decoders, one axis per latent dimension), the vector the
component reports driving the downloads, and a missing checkpoint on one side.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.app.conftest import DATASETS, LANGUAGES, ROOT, download_urls, page_app, problems
from ui.i18n import translate

COMPONENT_KEY = "sliders.component"


def component_data(app) -> dict:
    """The JSON the page handed to the slider component."""
    (element,) = [item for item in app.main if getattr(item, "key", None) == COMPONENT_KEY]
    return json.loads(element.proto.json)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("latent_dim", [2, 16])
def test_the_page_sends_both_decoders_and_one_axis_per_dimension(
    dataset: str, language: str, latent_dim: int
) -> None:
    app = page_app("sliders", dataset=dataset, language=language, latent_dim=latent_dim).run()

    data = component_data(app)
    assert problems(app) == []
    assert [title.value for title in app.title] == [translate(language, "sliders.title")]
    assert len(data["axes"]) == latent_dim
    assert data["z"] == [0.0] * latent_dim
    for decoder in data["decoders"]:
        assert decoder["layers"][0]["inputs"] == latent_dim
        assert decoder["layers"][-1]["outputs"] == 28 * 28
    assert data["text"]["reset"] == translate(language, "sliders.reset")


def test_every_axis_covers_the_prior_and_both_models_codes() -> None:
    app = page_app("sliders").run()

    for axis in component_data(app)["axes"]:
        assert axis["low"] <= -3 and axis["high"] >= 3
        for band in axis["bands"]:
            assert axis["low"] <= band[0] < band[1] <= axis["high"]


def test_a_reported_vector_drives_the_caption_and_both_downloads() -> None:
    origin = page_app("sliders").run()
    moved = page_app("sliders", state={COMPONENT_KEY: {"z": [1.5, -0.5]}}).run()

    assert problems(moved) == []
    assert moved.caption[-1].value == translate("en", "sliders.vector", vector="1.50, -0.50")
    before, after = download_urls(origin), download_urls(moved)
    assert set(before) == {"sliders.download.ae", "sliders.download.vae"} == set(after)
    assert all(before[key] != after[key] for key in before)


def test_a_report_of_the_wrong_length_is_ignored() -> None:
    app = page_app("sliders", state={COMPONENT_KEY: {"z": [1.0, 2.0, 3.0]}}).run()

    assert problems(app) == []
    assert app.caption[-1].value == translate("en", "sliders.vector", vector="0.00, 0.00")


def test_a_broken_vae_is_explained_and_the_ae_keeps_its_sliders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = ROOT / "checkpoints"
    shutil.copytree(source / "data", tmp_path / "data")
    shutil.copy(source / "mnist-ae-z2.safetensors", tmp_path)
    vae_bytes = (source / "mnist-vae-z2.safetensors").read_bytes()
    (tmp_path / "mnist-vae-z2.safetensors").write_bytes(vae_bytes[: len(vae_bytes) // 2])
    monkeypatch.setenv("LSE_CHECKPOINTS", str(tmp_path))

    app = page_app("sliders", dataset="mnist").run()

    data = component_data(app)
    assert not app.exception
    assert [item.value for item in app.error if "mnist-vae-z2.safetensors" in item.value]
    assert data["decoders"][0] is not None and data["decoders"][1] is None
    assert set(download_urls(app)) == {"sliders.download.ae"}


def test_the_prior_window_keeps_every_slider_at_three_standard_deviations() -> None:
    app = page_app("sliders", dataset="mnist", state={"sliders.window": "prior"}).run()

    axes = component_data(app)["axes"]
    assert problems(app) == []
    assert all((axis["low"], axis["high"]) == (-3.0, 3.0) for axis in axes)
    # the bands still say where the codes are, even beyond the slider's ends
    assert any(band[1] > 3 or band[0] < -3 for axis in axes for band in axis["bands"])
