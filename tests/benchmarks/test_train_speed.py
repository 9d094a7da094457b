"""The training benchmark runs end to end on a small data set and states its verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from benchmarks import train_speed
from tests.vae_core.helpers import tiny_config, write_offline_data_root
from vae_core.models import build_model

PIXELS = 28 * 28


def test_flops_count_every_gemm_but_the_images_gradient() -> None:
    model = build_model(tiny_config("vae"))
    linears = [module for module in model.modules() if isinstance(module, torch.nn.Linear)]
    weights = sum(layer.in_features * layer.out_features for layer in linears)

    # forward, weight gradient and input gradient: 2 FLOPs per weight each, less one input
    # gradient for the first layer (784 inputs), which the images do not need
    expected = 6 * weights - 2 * PIXELS * linears[0].out_features
    assert train_speed.training_flops_per_image(model) == expected


def test_one_epoch_benchmark_prints_every_trainer_and_its_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_offline_data_root(tmp_path / "data", train_images=256, test_images=64)

    arguments = ["--epochs", "1", "--latent-dims", "2", "--data-dir", str(root)]
    assert train_speed.main(arguments) == 0

    output = capsys.readouterr().out
    rows = [line.split() for line in output.splitlines() if line.startswith(("ours", "recipe"))]
    assert [row[:3] for row in rows] == [
        ["ours", "bfloat16", "2"],
        ["ours", "float32", "2"],
        ["recipe", "float32", "2"],
    ]
    assert output.count("faster per epoch") == 2
    assert "(the shipped setting)" in output
    assert "decode 1 z" in output
