"""Tiny models, checkpoints and data sets that the core tests build for themselves."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch
from hypothesis import settings

from vae_core.checkpoints import save_checkpoint
from vae_core.config import ModelConfig, TrainConfig
from vae_core.data import Dataset, to_split
from vae_core.models import Autoencoder, build_model

# latent 2, hidden 8, as STYLE.md asks: every test runs in seconds on a CPU
TINY_LATENT_DIM = 2
TINY_HIDDEN_DIMS = (8,)
# a 4 x 4 image keeps a whole checkpoint under 2 kB, so a test can try every byte of it
MICRO_IMAGE_SIZE = 4
MICRO_HIDDEN_DIMS = (4,)
IMAGE_SIZE = 28
TINY_TRAIN_IMAGES = 64
TINY_TEST_IMAGES = 32
TINY_BATCH_SIZE = 16
DATASET = "fashion-mnist"
REPOSITORY = Path(__file__).resolve().parents[2]
# a CLI run imports torch and trains a few batches: seconds, even on a busy 2-core machine
CLI_TIMEOUT_SECONDS = 120

# hypothesis draws the same examples on every run and writes no database into the checkout
DETERMINISTIC = settings(derandomize=True, database=None, deadline=None, max_examples=200)


def tiny_config(kind: str, latent_dim: int = TINY_LATENT_DIM) -> ModelConfig:
    """A 28 x 28 model small enough to train for a few epochs inside a test."""
    return ModelConfig(kind, latent_dim, TINY_HIDDEN_DIMS)


def micro_config(kind: str) -> ModelConfig:
    """A 4 x 4 model whose whole checkpoint is a few kilobytes."""
    return ModelConfig(kind, TINY_LATENT_DIM, MICRO_HIDDEN_DIMS, image_size=MICRO_IMAGE_SIZE)


def make_model(config: ModelConfig, seed: int = 0) -> Autoencoder:
    """A freshly initialised model in eval mode; the seed fixes its weights."""
    torch.manual_seed(seed)
    return build_model(config).eval()


def save_model(path: Path, model: Autoencoder, dataset: str = DATASET) -> Path:
    """Save ``model`` with the least metadata a checkpoint needs and return the path."""
    save_checkpoint(path, model, {"dataset": dataset, "seed": 0})
    return path


def assert_same_weights(first: Autoencoder, second: Autoencoder) -> None:
    """Both models have the same architecture and bit-identical tensors."""
    assert first.config == second.config
    first_state, second_state = first.state_dict(), second.state_dict()
    assert first_state.keys() == second_state.keys()
    for name, tensor in first_state.items():
        assert torch.equal(tensor, second_state[name]), f"{name} differs"


def random_pixels(count: int, seed: int, size: int = IMAGE_SIZE) -> np.ndarray:
    """uint8 images ``(count, size, size)`` with a blob of ink, like a real digit or garment."""
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, size=(count, size, size), dtype=np.uint8)
    # zero the border so the images have a background, as MNIST and Fashion-MNIST do
    pixels[:, : size // 4] = 0
    pixels[:, -(size // 4) :] = 0
    return pixels


def random_labels(count: int, seed: int) -> np.ndarray:
    """uint8 labels ``(count,)`` in 0..9."""
    return np.random.default_rng(seed).integers(0, 10, size=count, dtype=np.uint8)


def tiny_dataset(name: str = DATASET, seed: int = 0) -> Dataset:
    """A few random 28 x 28 images standing in for a real data set."""
    train = to_split(random_pixels(TINY_TRAIN_IMAGES, seed), random_labels(TINY_TRAIN_IMAGES, seed))
    test = to_split(random_pixels(TINY_TEST_IMAGES, seed + 1), random_labels(TINY_TEST_IMAGES, 1))
    return Dataset(name, train, test, {"source": "test", "seed": seed})


def tiny_train_config(epochs: int, seed: int = 0, beta: float = 1.0) -> TrainConfig:
    """A budget of a few small batches per epoch."""
    return TrainConfig(DATASET, epochs, beta=beta, seed=seed, batch_size=TINY_BATCH_SIZE)


def idx_bytes(array: np.ndarray) -> bytes:
    """Encode a uint8 array in the idx format: magic, big-endian sizes, then the raw bytes."""
    header = bytes([0, 0, 0x08, array.ndim])
    sizes = b"".join(int(size).to_bytes(4, "big") for size in array.shape)
    return header + sizes + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def write_idx(path: Path, array: np.ndarray, compress: bool = False) -> Path:
    """Write ``array`` as an idx file, gzipped (with ``.gz`` appended) when asked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if compress:
        path = path.with_name(path.name + ".gz")
        path.write_bytes(gzip.compress(idx_bytes(array)))
    else:
        path.write_bytes(idx_bytes(array))
    return path


def write_idx_folder(
    folder: Path, train: tuple[np.ndarray, np.ndarray], test: tuple[np.ndarray, np.ndarray]
) -> None:
    """Write the four standard idx files of a data set into ``folder``, half of them gzipped."""
    write_idx(folder / "train-images-idx3-ubyte", train[0], compress=True)
    write_idx(folder / "train-labels-idx1-ubyte", train[1])
    write_idx(folder / "t10k-images-idx3-ubyte", test[0])
    write_idx(folder / "t10k-labels-idx1-ubyte", test[1], compress=True)


def write_offline_data_root(root: Path, train_images: int, test_images: int) -> Path:
    """A data root holding a small Fashion-MNIST as raw idx files, so a CLI needs no download."""
    train = (random_pixels(train_images, 0), random_labels(train_images, 0))
    test = (random_pixels(test_images, 1), random_labels(test_images, 1))
    write_idx_folder(root / DATASET, train, test)
    return root


def run_cli(module: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m module arguments`` from the repository root, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", module, *arguments],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_SECONDS,
        check=False,
    )
