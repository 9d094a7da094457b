"""The training loop and its CLI: reproducible, resumable, and safe when stopped or diverging."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import torch

from tests.vae_core.helpers import (
    TINY_BATCH_SIZE,
    TINY_TRAIN_IMAGES,
    assert_same_weights,
    run_cli,
    tiny_config,
    tiny_dataset,
    tiny_train_config,
    write_offline_data_root,
)
from vae_core import train
from vae_core.checkpoints import CheckpointError, load_checkpoint
from vae_core.config import TrainConfig
from vae_core.data import Dataset, DatasetSplit, DataUnavailableError
from vae_core.models import build_model
from vae_core.train import (
    EXIT_INTERRUPTED,
    NonFiniteLossError,
    epoch_generator,
    fit,
    load_train_state,
    new_train_state,
    train_state_path,
)

KINDS = ("ae", "vae")
EPOCHS = 3
BATCHES_PER_EPOCH = TINY_TRAIN_IMAGES // TINY_BATCH_SIZE


def train_run(kind: str, out: Path, epochs: int = EPOCHS, seed: int = 0) -> train.TrainState:
    """Train a tiny model on the tiny data set from scratch, saving to ``out``."""
    config = tiny_train_config(epochs, seed=seed)
    state = new_train_state(tiny_config(kind), config)
    return fit(state, config, tiny_dataset(), out)


def interrupt_after(batches: int):
    """An ``on_batch`` callback that presses Ctrl-C after ``batches`` steps."""
    seen = []

    def on_batch(values: dict[str, float]) -> None:
        seen.append(values)
        if len(seen) == batches:
            raise KeyboardInterrupt

    return on_batch


def interrupt_in_the_second_epoch(kind: str, out: Path, config: TrainConfig) -> None:
    """Train from scratch and press Ctrl-C two steps into the second epoch."""
    state = new_train_state(tiny_config(kind), config)
    with pytest.raises(KeyboardInterrupt):
        fit(state, config, tiny_dataset(), out, on_batch=interrupt_after(BATCHES_PER_EPOCH + 2))


def with_nan_pixel(dataset: Dataset) -> Dataset:
    """The same data set with one NaN pixel in every training image, so the loss diverges."""
    images = dataset.train.images.clone()
    images[:, 0, 14, 14] = float("nan")
    return Dataset(dataset.name, DatasetSplit(images, dataset.train.labels), dataset.test, {})


def history_figures(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A run's history without its wall-clock times, which differ between runs."""
    return [{key: value for key, value in entry.items() if key != "seconds"} for entry in history]


# reproducibility


@pytest.mark.parametrize("kind", KINDS)
def test_one_seed_gives_identical_weights_and_two_seeds_differ(kind: str, tmp_path: Path) -> None:
    first = train_run(kind, tmp_path / "first.safetensors", seed=0)
    again = train_run(kind, tmp_path / "again.safetensors", seed=0)
    other = train_run(kind, tmp_path / "other.safetensors", seed=1)

    assert_same_weights(first.model, again.model)
    assert history_figures(first.history) == history_figures(again.history)
    decoder_weight = "decoder.to_logits.weight"
    assert not torch.equal(
        first.model.state_dict()[decoder_weight], other.model.state_dict()[decoder_weight]
    )


@pytest.mark.parametrize("kind", KINDS)
def test_training_lowers_the_loss(kind: str, tmp_path: Path) -> None:
    state = train_run(kind, tmp_path / "model.safetensors", epochs=5)
    first, last = state.history[0], state.history[-1]
    assert last["train_loss"] < first["train_loss"]
    assert last["test_recon_loss"] < first["test_recon_loss"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_checkpoint_describes_its_run(kind: str, tmp_path: Path) -> None:
    out = tmp_path / "model.safetensors"
    state = train_run(kind, out, epochs=2)
    loaded = load_checkpoint(out)

    assert_same_weights(loaded.model, state.model)
    metadata = loaded.metadata
    assert metadata["epochs"] == 2
    assert metadata["train"] == tiny_train_config(2).to_dict()
    assert (metadata["dataset"], metadata["seed"], metadata["beta"]) == ("fashion-mnist", 0, 1.0)
    assert metadata["data"] == tiny_dataset().provenance
    assert [entry["epoch"] for entry in metadata["history"]] == [1, 2]
    assert set(metadata["test"]) >= {"recon_loss", "kl_loss", "neg_elbo", "pixel_mse", "bce_floor"}
    assert (metadata["test"]["neg_elbo"] is None) == (kind == "ae")


# number format of the training step


def precision_run(kind: str, out: Path, precision: str) -> train.TrainState:
    """Train a tiny model for two epochs with its matrix products in ``precision``."""
    config = replace(tiny_train_config(2), precision=precision)
    return fit(new_train_state(tiny_config(kind), config), config, tiny_dataset(), out)


@pytest.mark.parametrize("kind", KINDS)
def test_mixed_precision_keeps_float32_weights_and_differs_from_float32(
    kind: str, tmp_path: Path
) -> None:
    mixed = precision_run(kind, tmp_path / "mixed.safetensors", "bfloat16")
    plain = precision_run(kind, tmp_path / "plain.safetensors", "float32")

    assert {tensor.dtype for tensor in mixed.model.state_dict().values()} == {torch.float32}
    assert load_checkpoint(tmp_path / "mixed.safetensors").metadata["train"]["precision"] == (
        "bfloat16"
    )
    # the bfloat16 products really ran: same seed and batches, slightly different weights
    weight = "decoder.to_logits.weight"
    mixed_weight, plain_weight = mixed.model.state_dict()[weight], plain.model.state_dict()[weight]
    assert not torch.equal(mixed_weight, plain_weight)
    assert torch.allclose(mixed_weight, plain_weight, atol=0.05)


@pytest.mark.parametrize("kind", KINDS)
def test_forward_in_bfloat16_returns_float32_close_to_the_float32_pass(kind: str) -> None:
    torch.manual_seed(0)
    model = build_model(tiny_config(kind))
    x = tiny_dataset().train.images[:TINY_BATCH_SIZE]

    outputs = {
        precision: train.forward_in_precision(model, x, epoch_generator(0, 0), precision)
        for precision in ("bfloat16", "float32")
    }

    for mixed, plain in zip(outputs["bfloat16"], outputs["float32"], strict=True):
        if plain is None:
            assert mixed is None and kind == "ae"
            continue
        assert mixed.dtype == plain.dtype == torch.float32
        assert not torch.equal(mixed, plain)
        assert torch.allclose(mixed, plain, rtol=0.05, atol=0.05)


def test_train_config_rejects_an_unknown_precision() -> None:
    with pytest.raises(ValueError, match="precision"):
        TrainConfig("fashion-mnist", 1, precision="float16")  # type: ignore[arg-type]


@pytest.mark.parametrize("native", [True, False])
def test_bfloat16_on_a_cpu_without_it_warns_once_and_float32_never(
    native: bool, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(train, "has_native_bfloat16", lambda: native)
    train.warn_if_bfloat16_is_emulated("bfloat16")
    train.warn_if_bfloat16_is_emulated("float32")
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == (0 if native else 1)
    if warnings:
        assert "--precision float32" in warnings[0].getMessage()


# resume and interruption


@pytest.mark.parametrize("kind", KINDS)
def test_resume_equals_an_uninterrupted_run(kind: str, tmp_path: Path) -> None:
    uninterrupted = train_run(kind, tmp_path / "whole.safetensors")
    out = tmp_path / "resumed.safetensors"
    config = tiny_train_config(EPOCHS)

    interrupt_in_the_second_epoch(kind, out, config)
    resumed = load_train_state(train_state_path(out), tiny_config(kind), config)
    assert resumed.epochs_done == 1
    fit(resumed, config, tiny_dataset(), out)

    assert_same_weights(resumed.model, uninterrupted.model)
    assert_same_weights(load_checkpoint(out).model, uninterrupted.model)
    assert history_figures(resumed.history) == history_figures(uninterrupted.history)
    resumed_moments = resumed.optimizer.state_dict()["state"]
    for index, moments in uninterrupted.optimizer.state_dict()["state"].items():
        for name, tensor in moments.items():
            assert torch.equal(resumed_moments[index][name], tensor), (index, name)


@pytest.mark.parametrize("kind", KINDS)
def test_an_interrupted_epoch_leaves_the_last_good_files_byte_identical(
    kind: str, tmp_path: Path
) -> None:
    out = tmp_path / "model.safetensors"
    config = tiny_train_config(EPOCHS)
    saved: list[tuple[bytes, bytes]] = []

    def remember_files(entry: dict[str, Any]) -> None:
        saved.append((out.read_bytes(), train_state_path(out).read_bytes()))

    state = new_train_state(tiny_config(kind), config)
    with pytest.raises(KeyboardInterrupt):
        fit(
            state,
            config,
            tiny_dataset(),
            out,
            interrupt_after(BATCHES_PER_EPOCH + 1),
            remember_files,
        )

    assert len(saved) == 1
    assert (out.read_bytes(), train_state_path(out).read_bytes()) == saved[0]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        out.name,
        train_state_path(out).name,
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_a_non_finite_loss_stops_training_and_keeps_the_last_good_files(
    kind: str, tmp_path: Path
) -> None:
    out = tmp_path / "model.safetensors"
    state = train_run(kind, out, epochs=1)
    before = (out.read_bytes(), train_state_path(out).read_bytes())

    config = tiny_train_config(EPOCHS)
    with pytest.raises(NonFiniteLossError, match="epoch 2, batch 1"):
        fit(state, config, with_nan_pixel(tiny_dataset()), out)

    assert (out.read_bytes(), train_state_path(out).read_bytes()) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        out.name,
        train_state_path(out).name,
    ]


def test_a_run_that_diverges_at_once_writes_nothing(tmp_path: Path) -> None:
    config = tiny_train_config(EPOCHS)
    state = new_train_state(tiny_config("vae"), config)
    with pytest.raises(NonFiniteLossError):
        fit(state, config, with_nan_pixel(tiny_dataset()), tmp_path / "model.safetensors")
    assert list(tmp_path.iterdir()) == []


def test_resuming_with_another_architecture_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "model.safetensors"
    train_run("vae", out, epochs=1)
    with pytest.raises(CheckpointError, match="another architecture"):
        load_train_state(
            train_state_path(out), tiny_config("vae", latent_dim=3), tiny_train_config(2)
        )


@pytest.mark.parametrize(
    "setting", [{"beta": 2.0}, {"epochs": EPOCHS + 1}, {"seed": 1}, {"precision": "float32"}]
)
def test_resuming_with_other_training_settings_is_refused(
    setting: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "model.safetensors"
    config = tiny_train_config(EPOCHS)
    interrupt_in_the_second_epoch("vae", out, config)
    ((name, value),) = setting.items()

    with pytest.raises(CheckpointError, match=f"other settings: {name} .*asked for {value!r}"):
        load_train_state(train_state_path(out), tiny_config("vae"), replace(config, **setting))
    assert load_train_state(train_state_path(out), tiny_config("vae"), config).epochs_done == 1


# the CLI, with the data set replaced by the tiny one


@pytest.fixture
def tiny_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(train, "load_dataset", lambda name, root=None: tiny_dataset(name))


def cli_arguments(kind: str, out: Path, *extra: str) -> list[str]:
    return [
        *("--kind", kind, "--dataset", "fashion-mnist", "--latent-dim", "2", "--hidden-dims", "8"),
        *("--epochs", str(EPOCHS), "--batch-size", str(TINY_BATCH_SIZE), "--out", str(out)),
        *extra,
    ]


@pytest.mark.usefixtures("tiny_data")
@pytest.mark.parametrize("kind", KINDS)
def test_cli_dry_run_trains_a_little_and_writes_nothing(
    kind: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="vae_core.train")
    assert train.main(cli_arguments(kind, tmp_path / "model.safetensors", "--dry-run")) == 0
    assert list(tmp_path.iterdir()) == []
    assert "dry run" in caplog.text


@pytest.mark.usefixtures("tiny_data")
def test_cli_ctrl_c_exits_130_and_resume_finishes_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "model.safetensors"
    real_epoch = train.train_one_epoch

    def epoch_with_ctrl_c(state: train.TrainState, *args: Any, **kwargs: Any) -> dict[str, float]:
        if state.epochs_done == 1:
            raise KeyboardInterrupt
        return real_epoch(state, *args, **kwargs)

    monkeypatch.setattr(train, "train_one_epoch", epoch_with_ctrl_c)
    assert train.main(cli_arguments("vae", out)) == EXIT_INTERRUPTED
    assert load_checkpoint(out).metadata["epochs"] == 1

    monkeypatch.setattr(train, "train_one_epoch", real_epoch)
    assert train.main(cli_arguments("vae", out, "--resume")) == 0
    assert load_checkpoint(out).metadata["epochs"] == EPOCHS


def test_cli_reports_a_diverging_run_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(
        train, "load_dataset", lambda name, root=None: with_nan_pixel(tiny_dataset(name))
    )
    assert train.main(cli_arguments("vae", tmp_path / "model.safetensors")) == 1
    assert "training stopped" in caplog.text
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("tiny_data")
@pytest.mark.parametrize("precision", ["bfloat16", "float32"])
def test_cli_precision_is_recorded_in_the_checkpoint(precision: str, tmp_path: Path) -> None:
    out = tmp_path / "model.safetensors"
    assert train.main(cli_arguments("vae", out, "--precision", precision)) == 0
    assert load_checkpoint(out).metadata["train"]["precision"] == precision


@pytest.mark.usefixtures("tiny_data")
def test_cli_resume_without_a_training_state_exits_1(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert train.main(cli_arguments("ae", tmp_path / "model.safetensors", "--resume")) == 1
    assert "cannot resume" in caplog.text


def test_cli_without_data_exits_1_with_the_sources_tried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def unavailable(name: str, root: Path | None = None) -> Dataset:
        raise DataUnavailableError(f"could not load {name}; tried:\n- nothing here")

    monkeypatch.setattr(train, "load_dataset", unavailable)
    assert train.main(cli_arguments("ae", tmp_path / "model.safetensors")) == 1
    assert "tried" in caplog.text


def test_cli_dry_run_as_a_user_runs_it(tmp_path: Path) -> None:
    root = write_offline_data_root(tmp_path / "data", train_images=48, test_images=16)
    out = tmp_path / "model.safetensors"

    arguments = cli_arguments("vae", out, "--dry-run", "--data-dir", str(root))
    result = run_cli("vae_core.train", *arguments)

    assert result.returncode == 0, result.stderr
    assert "dry run" in result.stderr
    assert not out.exists() and not train_state_path(out).exists()
