"""Cached loaders: the checkpoint registry, the model pair a page shows, test images and codes.

Models are loaded once per server (``st.cache_resource``) and shared by every session, so they
are never mutated: they stay in eval mode and every computation runs under
``torch.inference_mode()``. Heavy results (codes of 10,000 images) are cached with
``st.cache_data`` keyed by the checkpoint's SHA-256, with the model itself passed unhashed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st
import torch

from ui.state import BETA_LADDER_DATASET, BETA_LADDER_LATENT_DIM, Selection
from vae_core.checkpoints import CheckpointError, LoadedModel, Registry, scan_folder
from vae_core.data import DatasetSplit, load_test_split
from vae_core.latent import encode_images

CHECKPOINTS_ENV = "LSE_CHECKPOINTS"
DEFAULT_CHECKPOINTS = Path(__file__).resolve().parent.parent / "checkpoints"
TEST_DATA_FOLDER = "data"
# enough for every shipped model on both data sets, with room for a few extra
MAX_CACHED_CODE_SETS = 64


def checkpoint_folder() -> Path:
    """The folder the app reads checkpoints from: ``$LSE_CHECKPOINTS`` or ``checkpoints/``."""
    return Path(os.environ.get(CHECKPOINTS_ENV, DEFAULT_CHECKPOINTS))


@st.cache_resource(show_spinner=False)
def _scan(folder: str) -> Registry:
    return scan_folder(folder)


def registry() -> Registry:
    """Every valid checkpoint of the folder (scanned once per server) and the rejected files."""
    return _scan(str(checkpoint_folder()))


def checkpoint_name(dataset: str, kind: str, latent_dim: int, beta: float = 1.0) -> str:
    """The file stem of a shipped checkpoint, e.g. ``fashion-mnist-vae-z2-beta0.5``."""
    stem = f"{dataset}-{kind}-z{latent_dim}"
    return stem if beta == 1.0 else f"{stem}-beta{beta:g}"


@dataclass(frozen=True)
class ModelSlot:
    """One side of a comparison: the model, or why it is not there."""

    kind: str
    name: str
    loaded: LoadedModel | None
    # "missing" or the registry's reason for rejecting the file; None when loaded
    problem: str | None

    @property
    def file_name(self) -> str:
        """The checkpoint's file name."""
        return f"{self.name}.safetensors"


@dataclass(frozen=True)
class ModelPair:
    """The AE and the VAE that every page compares under the same controls."""

    ae: ModelSlot
    vae: ModelSlot

    @property
    def slots(self) -> tuple[ModelSlot, ModelSlot]:
        """``(ae, vae)``, the order of the columns on every page."""
        return (self.ae, self.vae)

    @property
    def loaded(self) -> list[LoadedModel]:
        """The models that did load."""
        return [slot.loaded for slot in self.slots if slot.loaded is not None]


def _slot(found: Registry, kind: str, name: str) -> ModelSlot:
    if name in found.models:
        return ModelSlot(kind, name, found.models[name], None)
    reason = found.rejected.get(f"{name}.safetensors", "missing")
    return ModelSlot(kind, name, None, reason)


def model_pair(selection: Selection) -> ModelPair:
    """The pair for a sidebar selection; the AE ignores beta (the ladder varies the VAE only)."""
    found = registry()
    ae_name = checkpoint_name(selection.dataset, "ae", selection.latent_dim)
    vae_name = checkpoint_name(selection.dataset, "vae", selection.latent_dim, selection.beta)
    return ModelPair(_slot(found, "ae", ae_name), _slot(found, "vae", vae_name))


def available_betas(dataset: str, latent_dim: int) -> list[float]:
    """The betas that can be chosen: the ladder for 2-D Fashion-MNIST, otherwise only 1."""
    if (dataset, latent_dim) != (BETA_LADDER_DATASET, BETA_LADDER_LATENT_DIM):
        return [1.0]
    ladder_prefix = checkpoint_name(dataset, "vae", latent_dim) + "-beta"
    betas = {1.0}
    for name, loaded in registry().models.items():
        if name.startswith(ladder_prefix) and loaded.metadata.get("beta") is not None:
            betas.add(float(loaded.metadata["beta"]))
    return sorted(betas)


@st.cache_resource(show_spinner=False)
def _test_split(path: str) -> DatasetSplit:
    split, _ = load_test_split(Path(path))
    return split


def bundled_data_path(dataset: str) -> Path:
    """Where the bundled test images of a data set live."""
    return checkpoint_folder() / TEST_DATA_FOLDER / f"{dataset}-test.safetensors"


def bundled_test_split(dataset: str) -> tuple[DatasetSplit | None, str | None]:
    """The bundled test images of a data set, or ``None`` and the reason they cannot be read."""
    try:
        return _test_split(str(bundled_data_path(dataset))), None
    except CheckpointError as error:
        return None, error.reason


@dataclass(frozen=True)
class CodeSet:
    """Encoded images: ``mu`` ``(N, latent_dim)`` and ``logvar`` (``None`` for an AE)."""

    mu: np.ndarray
    logvar: np.ndarray | None


@st.cache_data(show_spinner=False, max_entries=MAX_CACHED_CODE_SETS)
def _codes(
    sha256: str, dataset: str, _model: torch.nn.Module, _images: torch.Tensor
) -> tuple[np.ndarray, np.ndarray | None]:
    mu, logvar = encode_images(_model, _images)  # type: ignore[arg-type]
    return mu.numpy(), (logvar.numpy() if logvar is not None else None)


def encoded_test_codes(loaded: LoadedModel, dataset: str, images: torch.Tensor) -> CodeSet:
    """The codes of a data set's test images under a model, cached per checkpoint hash."""
    mu, logvar = _codes(loaded.sha256, dataset, loaded.model, images)
    return CodeSet(mu, logvar)
