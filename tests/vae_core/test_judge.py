"""The judge classifier: it learns, it is reproducible, and broken files are refused."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
import torch

from tests.vae_core.helpers import run_cli, write_offline_data_root
from vae_core.checkpoints import CheckpointError, read_tensors, save_tensors
from vae_core.data import Dataset, to_split
from vae_core.judge import (
    Judge,
    JudgeConfig,
    judge_outputs,
    judge_test_figures,
    load_judge,
    save_judge,
    train_judge,
)

TINY_JUDGE = JudgeConfig(channels=(4,), hidden=32)
CLASSES = 10
PER_CLASS = 20
NOISE = 0.1
JUDGE_METADATA = {"dataset": "mnist", "seed": 0, "epochs": 1, "test": {"accuracy": 0.5}}


def template_dataset(seed: int = 0) -> Dataset:
    """Ten random binary templates plus small noise: an easy, separable 10-class problem."""
    generator = torch.Generator().manual_seed(seed)
    templates = (torch.rand(CLASSES, 28, 28, generator=generator) > 0.5).float()
    labels = torch.arange(CLASSES).repeat(PER_CLASS)
    noise = NOISE * torch.rand(len(labels), 28, 28, generator=generator)
    pixels = ((templates[labels] * (1 - NOISE) + noise) * 255).round().to(torch.uint8)
    split = to_split(pixels.numpy(), labels.numpy())
    return Dataset("mnist", split, split, {"source": "templates"})


def tiny_judge(seed: int = 0) -> Judge:
    torch.manual_seed(seed)
    return Judge(TINY_JUDGE).eval()


def test_judge_shapes() -> None:
    judge = tiny_judge()
    probabilities, features = judge_outputs(judge, torch.rand(5, 1, 28, 28), batch_size=2)
    assert probabilities.shape == (5, CLASSES)
    assert features.shape == (5, TINY_JUDGE.hidden)
    assert torch.allclose(probabilities.sum(dim=1), torch.ones(5))


def test_judge_learns_a_separable_problem() -> None:
    dataset = template_dataset()
    steps = []
    judge = train_judge(
        dataset, epochs=10, config=TINY_JUDGE, on_batch=lambda s, t: steps.append(s)
    )
    figures = judge_test_figures(judge, dataset.test)
    assert figures["accuracy"] > 0.9
    assert steps == list(range(1, len(steps) + 1)) and len(steps) == 10 * 2


def test_same_seed_same_judge_other_seed_differs() -> None:
    dataset = template_dataset()
    first = train_judge(dataset, epochs=1, seed=3, config=TINY_JUDGE)
    second = train_judge(dataset, epochs=1, seed=3, config=TINY_JUDGE)
    third = train_judge(dataset, epochs=1, seed=4, config=TINY_JUDGE)
    for name, tensor in first.state_dict().items():
        assert torch.equal(tensor, second.state_dict()[name])
    assert not torch.equal(first.head.weight, third.head.weight)


def test_save_load_round_trip(tmp_path: Path) -> None:
    judge = tiny_judge()
    path = tmp_path / "judge.safetensors"
    save_judge(path, judge, JUDGE_METADATA)
    loaded = load_judge(path)
    images = torch.rand(4, 1, 28, 28)
    assert torch.equal(loaded.judge(images), judge(images))
    assert loaded.dataset == "mnist" and not loaded.judge.training
    assert loaded.metadata["architecture"] == TINY_JUDGE.to_dict()
    assert len(loaded.sha256) == 64


def _rewrite(path: Path, tensors: dict[str, torch.Tensor], metadata: dict) -> None:
    save_tensors(path, tensors, metadata)


@pytest.mark.parametrize(
    "breakage",
    ["nan weight", "wrong schema", "wrong class count", "missing tensor", "wrong dataset"],
)
def test_broken_judges_are_refused(tmp_path: Path, breakage: str) -> None:
    path = tmp_path / "judge.safetensors"
    save_judge(path, tiny_judge(), JUDGE_METADATA)
    tensors, metadata = read_tensors(path)
    if breakage == "nan weight":
        tensors["head.weight"][0, 0] = float("nan")
    elif breakage == "wrong schema":
        metadata["schema"] = "lse-judge/99"
    elif breakage == "wrong class count":
        metadata["architecture"]["num_classes"] = 3
    elif breakage == "missing tensor":
        del tensors["head.bias"]
    else:
        metadata["dataset"] = "cifar"
    _rewrite(path, tensors, metadata)
    with pytest.raises(CheckpointError):
        load_judge(path)


def test_truncated_and_garbage_judges_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "judge.safetensors"
    save_judge(path, tiny_judge(), JUDGE_METADATA)
    data = path.read_bytes()
    header_length = struct.unpack("<Q", data[:8])[0]
    # every cut inside the header and a few inside the weights
    for cut in [*range(0, 8 + header_length, 7), len(data) // 2, len(data) - 1]:
        path.write_bytes(data[:cut])
        with pytest.raises(CheckpointError):
            load_judge(path)
    path.write_bytes(json.dumps({"not": "a judge"}).encode())
    with pytest.raises(CheckpointError):
        load_judge(path)


def test_train_judge_cli(tmp_path: Path) -> None:
    root = write_offline_data_root(tmp_path / "data", train_images=64, test_images=16)
    out = tmp_path / "judges" / "fashion-mnist-judge.safetensors"
    arguments = ["--dataset", "fashion-mnist", "--out", str(out), "--epochs", "1"]
    result = run_cli("vae_core.metrics", "train-judge", *arguments, "--data-dir", str(root))
    assert result.returncode == 0, result.stderr
    loaded = load_judge(out)
    assert loaded.metadata["epochs"] == 1 and loaded.dataset == "fashion-mnist"
    assert 0 <= loaded.metadata["test"]["accuracy"] <= 1
    assert "test accuracy" in result.stderr
