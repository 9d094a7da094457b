"""The metrics page and the overlays, on a folder of tiny checkpoints with a cache built here.

The folder mimics checkpoints/: a 2-D Fashion-MNIST AE/VAE pair, one more VAE of the beta
ladder, bundled test images, a judge and the metrics cache. Nothing here depends on the shipped
models, so these tests run before (and regardless of) the real cache.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
import torch

from tests.app.conftest import page_app, plotly_specs, problems
from ui.i18n import translate
from vae_core.checkpoints import save_checkpoint, save_tensors
from vae_core.config import ModelConfig
from vae_core.judge import Judge, JudgeConfig, judge_path, save_judge
from vae_core.metrics import MetricSettings
from vae_core.metrics_cache import build_cache, bundled_test_images_path, save_cache, short_hash
from vae_core.models import build_model

DATASET = "fashion-mnist"
TINY_SETTINGS = MetricSettings(samples=64, pairs=4, path_steps=6, sensitivity_pairs=2, map_steps=8)
MODELS = {
    "fashion-mnist-ae-z2": ("ae", 1.0),
    "fashion-mnist-vae-z2": ("vae", 1.0),
    "fashion-mnist-vae-z2-beta2": ("vae", 2.0),
}
TEST_IMAGES = 60


def save_tiny_model(folder: Path, stem: str, seed: int = 0) -> None:
    kind, beta = MODELS[stem]
    torch.manual_seed(seed)
    model = build_model(ModelConfig(kind, 2, (8,)))
    test = {"recon_loss": 300.0 - seed, "kl_loss": 5.0 / beta, "neg_elbo": 305.0}
    metadata = {"dataset": DATASET, "beta": beta, "test": test}
    save_checkpoint(folder / f"{stem}.safetensors", model, metadata)


def write_folder(folder: Path) -> Path:
    """Tiny checkpoints, test images, a judge and their metrics cache."""
    for seed, stem in enumerate(MODELS):
        save_tiny_model(folder, stem, seed)
    generator = torch.Generator().manual_seed(0)
    pixels = torch.randint(0, 256, (TEST_IMAGES, 1, 28, 28), generator=generator, dtype=torch.uint8)
    labels = torch.arange(TEST_IMAGES) % 10
    tensors = {"images": pixels, "labels": labels}
    save_tensors(bundled_test_images_path(folder, DATASET), tensors, {"dataset": DATASET})
    torch.manual_seed(0)
    judge_metadata = {"dataset": DATASET, "seed": 0, "epochs": 0, "test": {"accuracy": 0.1}}
    judge = Judge(JudgeConfig(channels=(2,), hidden=4))
    save_judge(judge_path(folder, DATASET), judge, judge_metadata)
    save_cache(build_cache(folder, TINY_SETTINGS), folder / "metrics")
    return folder


@pytest.fixture(scope="module")
def built_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_folder(tmp_path_factory.mktemp("checkpoints"))


@pytest.fixture
def folder(built_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the built folder per test, so a test may damage its own."""
    copy = tmp_path / "checkpoints"
    shutil.copytree(built_folder, copy)
    monkeypatch.setenv("LSE_CHECKPOINTS", str(copy))
    return copy


def code_blocks(app) -> list[str]:  # noqa: ANN001 - an AppTest
    return [block.value for block in app.code]


def heatmap_count(app) -> int:  # noqa: ANN001 - an AppTest
    """Heatmap traces in the page's charts (the layout template mentions heatmaps too)."""
    traces = [trace for spec in plotly_specs(app) for trace in json.loads(spec)["data"]]
    return sum(trace.get("type") == "heatmap" for trace in traces)


@pytest.mark.parametrize("language", ["en", "pl"])
def test_metrics_page_shows_tables_and_exports(folder: Path, language: str) -> None:
    app = page_app("metrics", dataset=DATASET, language=language).run()

    assert problems(app) == []
    assert [title.value for title in app.title] == [translate(language, "metrics.title")]
    # the pair's two maps and the two beta maps
    assert heatmap_count(app) == 4
    # the pair table and the beta ladder table
    assert len(app.dataframe) == 2
    keys = {button.key for button in app.get("download_button")}
    assert {"metrics.csv.metrics-fashion-mnist-z2", "metrics.tex.metrics-fashion-mnist-z2"} <= keys
    assert "metrics.tex.metrics-beta-ladder" in keys
    latex = "\n".join(code_blocks(app))
    assert r"\begin{tabular}" in latex
    ae_bytes = (folder / "fashion-mnist-ae-z2.safetensors").read_bytes()
    assert short_hash(hashlib.sha256(ae_bytes).hexdigest()) in latex
    # two trade-off plots, two beta maps and the pair's two maps
    assert len(plotly_specs(app)) == 6


def test_without_a_cache_the_page_says_how_to_build_it(folder: Path) -> None:
    shutil.rmtree(folder / "metrics")

    app = page_app("metrics", dataset=DATASET).run()

    assert not app.exception
    assert any("build-cache" in warning.value for warning in app.warning)
    assert len(app.dataframe) == 0


def test_a_changed_checkpoint_is_reported_not_shown(folder: Path) -> None:
    save_tiny_model(folder, "fashion-mnist-ae-z2", seed=7)

    app = page_app("metrics", dataset=DATASET).run()

    assert not app.exception
    warnings = [warning.value for warning in app.warning]
    assert any(
        "fashion-mnist-ae-z2" in warning and "build-cache" in warning for warning in warnings
    )
    table = app.dataframe[0].value
    ae_columns = [column for column in table.columns if column.startswith("AE")]
    assert ae_columns and all((table[column] == "—").all() for column in ae_columns)
    vae_columns = [column for column in table.columns if column.startswith("VAE")]
    assert all((table[column] != "—").any() for column in vae_columns)


def test_a_changed_ladder_model_is_reported_and_left_out(folder: Path) -> None:
    save_tiny_model(folder, "fashion-mnist-vae-z2-beta2", seed=9)

    app = page_app("metrics", dataset=DATASET).run()

    assert not app.exception
    assert any("fashion-mnist-vae-z2-beta2" in warning.value for warning in app.warning)
    # one rung left is no ladder: the pair table stays, the ladder table goes
    assert len(app.dataframe) == 1


def test_a_damaged_cache_is_explained(folder: Path) -> None:
    (folder / "metrics" / "metrics.json").write_text("{ not json")

    app = page_app("metrics", dataset=DATASET).run()

    assert not app.exception
    assert any("metrics.json" in warning.value for warning in app.warning)


def test_pages_draw_no_overlay_by_default(folder: Path) -> None:
    for page in ("latent_map", "manifold_grid"):
        app = page_app(page, dataset=DATASET).run()
        assert problems(app) == [] and heatmap_count(app) == 0


@pytest.mark.parametrize("overlay", ["density", "confidence", "cycle_error", "sensitivity"])
def test_latent_map_draws_the_chosen_overlay(folder: Path, overlay: str) -> None:
    app = page_app("latent_map", dataset=DATASET, state={"latent_map.overlay": overlay}).run()

    assert problems(app) == []
    assert heatmap_count(app) == 2


def test_largest_gap_button_moves_the_pad_and_decodes_both_models(folder: Path) -> None:
    app = page_app("latent_map", dataset=DATASET).run()
    images_before = len(app.get("image"))

    app.button(key="latent_map.gap_button").click().run()

    assert problems(app) == []
    document = json.loads((folder / "metrics" / "metrics.json").read_text())
    gap = document["models"]["fashion-mnist-ae-z2"]["map"]["gap"]
    assert app.session_state["latent_map.pad_x"] == pytest.approx(gap[0])
    assert app.session_state["latent_map.pad_y"] == pytest.approx(gap[1])
    # the AE at its gap and the VAE at the matching point
    assert len(app.get("image")) == images_before + 2


def test_manifold_grid_tints_the_tiles(folder: Path) -> None:
    state = {"manifold_grid.overlay": "confidence"}
    app = page_app("manifold_grid", dataset=DATASET, state=state).run()

    assert problems(app) == []
    assert heatmap_count(app) == 2


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("latent_dim", [2, 16])
@pytest.mark.parametrize("dataset", ["fashion-mnist", "mnist"])
def test_metrics_page_on_the_shipped_checkpoints(
    dataset: str, latent_dim: int, language: str
) -> None:
    # whatever state the shipped cache is in (current, stale, absent) the page explains itself
    app = page_app("metrics", dataset=dataset, latent_dim=latent_dim, language=language).run()

    assert not app.exception and not app.error
    assert [title.value for title in app.title] == [translate(language, "metrics.title")]


@pytest.mark.parametrize(("language", "mark"), [("en", "."), ("pl", ",")])
def test_numbers_follow_the_page_language(folder: Path, language: str, mark: str) -> None:
    app = page_app("metrics", dataset=DATASET, language=language).run()

    ladder = app.dataframe[1].value
    # every tiny model records a test negative ELBO of 305 nats
    assert f"305{mark}00" in ladder.iloc[0].tolist()
    latex = "\n".join(code_blocks(app))
    assert f"305{mark}00" in latex
    other = "," if mark == "." else "."
    assert f"305{other}00" not in latex
    layouts = [json.loads(spec)["layout"] for spec in plotly_specs(app)]
    assert layouts
    assert {layout["separators"][0] for layout in layouts} == {mark}
