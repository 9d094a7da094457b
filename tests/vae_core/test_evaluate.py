"""Test-set figures and the CLI ``python -m vae_core.evaluate``."""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path

import pytest
import torch

from tests.vae_core.helpers import (
    make_model,
    run_cli,
    save_model,
    tiny_config,
    tiny_dataset,
    write_offline_data_root,
)
from vae_core import evaluate
from vae_core.data import DataUnavailableError
from vae_core.evaluate import evaluate_model
from vae_core.losses import bce_floor, kl_divergence, reconstruction_loss

KINDS = ("ae", "vae")
FIGURES = {"recon_loss", "kl_loss", "neg_elbo", "pixel_mse", "bce_floor"}
DRY_RUN_IMAGES = 64


@pytest.mark.parametrize("kind", KINDS)
def test_figures_are_per_image_averages(kind: str) -> None:
    model = make_model(tiny_config(kind))
    split = tiny_dataset().test

    figures = evaluate_model(model, split, seed=0)

    # the AE decodes its mean code, so its figures can be recomputed by hand
    mu, logvar = model.encode(split.images)
    with torch.no_grad():
        recon = model.decode(mu)
    assert set(figures) == FIGURES
    assert figures["kl_loss"] == pytest.approx(kl_divergence(mu, logvar).mean().item(), rel=1e-5)
    assert figures["bce_floor"] == pytest.approx(bce_floor(split.images).mean().item(), rel=1e-5)
    mse = (recon - split.images).pow(2).mean().item()
    assert figures["pixel_mse"] == pytest.approx(mse, rel=1e-5)
    if kind == "ae":
        logits = model.decoder(mu).detach()
        expected = reconstruction_loss(logits, split.images).mean().item()
        assert figures["recon_loss"] == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("kind", KINDS)
def test_neg_elbo_is_recon_plus_kl_for_a_vae_only(kind: str) -> None:
    figures = evaluate_model(make_model(tiny_config(kind)), tiny_dataset().test)
    if kind == "ae":
        assert figures["neg_elbo"] is None
        assert figures["kl_loss"] == 0
    else:
        assert figures["kl_loss"] > 0
        assert figures["neg_elbo"] == pytest.approx(figures["recon_loss"] + figures["kl_loss"])
    assert figures["recon_loss"] > figures["bce_floor"]


def test_vae_figures_are_reproducible_with_a_seed() -> None:
    model = make_model(tiny_config("vae"))
    split = tiny_dataset().test
    first = evaluate_model(model, split, seed=0)
    assert evaluate_model(model, split, seed=0) == first
    assert evaluate_model(model, split, seed=1)["recon_loss"] != first["recon_loss"]


def test_ae_figures_do_not_depend_on_the_batch_size() -> None:
    model = make_model(tiny_config("ae"))
    split = tiny_dataset().test
    whole = evaluate_model(model, split, batch_size=1000)
    batched = evaluate_model(model, split, batch_size=7)
    for name in ("recon_loss", "pixel_mse", "bce_floor"):
        assert batched[name] == pytest.approx(whole[name], rel=1e-5), name


@pytest.mark.parametrize("training", [True, False])
def test_evaluation_restores_the_models_mode(training: bool) -> None:
    model = make_model(tiny_config("vae")).train(training)
    evaluate_model(model, tiny_dataset().test)
    assert model.training is training


# the CLI


def test_cli_reports_a_broken_checkpoint_and_exits_1(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "broken.safetensors"
    path.write_bytes(b"not a checkpoint")
    assert evaluate.main([str(path)]) == 1
    assert str(path) in caplog.text


def test_cli_without_data_exits_1_with_the_sources_tried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def unavailable(name: str, root: Path | None = None, split_seed: int = 0) -> None:
        raise DataUnavailableError(f"could not load {name}; tried:\n- nothing here")

    monkeypatch.setattr(evaluate, "load_dataset", unavailable)
    path = save_model(tmp_path / "model.safetensors", make_model(tiny_config("vae")))
    with caplog.at_level(logging.ERROR):
        assert evaluate.main([str(path)]) == 1
    assert "could not load fashion-mnist" in caplog.text


def test_cli_dry_run_prints_json_figures_for_every_checkpoint(tmp_path: Path) -> None:
    root = write_offline_data_root(tmp_path / "data", train_images=16, test_images=80)
    paths = [
        save_model(tmp_path / f"{kind}.safetensors", make_model(tiny_config(kind)))
        for kind in KINDS
    ]

    result = run_cli(
        "vae_core.evaluate", *map(str, paths), "--json", "--dry-run", "--data-dir", str(root)
    )

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert sorted(report) == sorted(map(str, paths))
    for path, kind in zip(paths, KINDS, strict=True):
        figures = report[str(path)]
        assert figures["kind"] == kind
        assert figures["test_images"] == DRY_RUN_IMAGES
        assert math.isfinite(figures["recon_loss"]) and figures["pixel_mse"] > 0
        assert (figures["neg_elbo"] is None) == (kind == "ae")


def test_cli_prints_one_line_per_checkpoint(tmp_path: Path) -> None:
    root = write_offline_data_root(tmp_path / "data", train_images=16, test_images=8)
    path = save_model(tmp_path / "vae.safetensors", make_model(tiny_config("vae")))

    result = run_cli("vae_core.evaluate", str(path), "--data-dir", str(root))

    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert line.startswith(f"{path} [vae]") and "neg_elbo=" in line
