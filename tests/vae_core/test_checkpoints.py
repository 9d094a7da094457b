"""The checkpoint format: round trips, every kind of broken file, and saves that fail safely."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import struct
from collections.abc import Callable
from pathlib import Path

import hypothesis.strategies as st
import pytest
import torch
from hypothesis import given

from tests.vae_core.helpers import (
    DETERMINISTIC,
    assert_same_weights,
    make_model,
    micro_config,
    save_model,
    tiny_config,
)
from vae_core import checkpoints
from vae_core.checkpoints import (
    CheckpointError,
    load_checkpoint,
    read_tensors,
    save_checkpoint,
    save_tensors,
    scan_folder,
)

KINDS = ("ae", "vae")
# safetensors files start with the header's length as a little-endian unsigned 64-bit integer
LENGTH_PREFIX = 8
SINGLE_BIT_MASKS = tuple(1 << bit for bit in range(8))


def header_size(data: bytes) -> int:
    """Bytes taken by the length prefix and the JSON header of a safetensors file."""
    return LENGTH_PREFIX + struct.unpack("<Q", data[:LENGTH_PREFIX])[0]


def assert_clear_error(path: Path, error: pytest.ExceptionInfo[CheckpointError]) -> None:
    """The error names the file and gives a reason."""
    assert error.value.path == path
    assert str(path) in str(error.value)
    assert error.value.reason


def load_or_clear_error(path: Path) -> checkpoints.LoadedModel | None:
    """Load ``path``; a :class:`CheckpointError` gives ``None``, any other exception fails."""
    try:
        return load_checkpoint(path)
    except CheckpointError as error:
        assert error.path == path and error.reason
        return None


@pytest.fixture(params=KINDS)
def micro_checkpoint(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A valid checkpoint of a few kilobytes, so a test can break it at every byte."""
    return save_model(tmp_path / "original.safetensors", make_model(micro_config(request.param)))


# round trips


@pytest.mark.parametrize("kind", KINDS)
def test_save_then_load_gives_identical_outputs(kind: str, tmp_path: Path) -> None:
    model = make_model(tiny_config(kind), seed=3)
    path = save_model(tmp_path / "model.safetensors", model)
    loaded = load_checkpoint(path)

    x = torch.rand(5, 1, 28, 28)
    z = torch.randn(5, 2)
    with torch.inference_mode():
        assert torch.equal(loaded.model.decode(z), model.decode(z))
        for original, reloaded in zip(model.encode(x), loaded.model.encode(x), strict=True):
            assert (original is None and reloaded is None) or torch.equal(original, reloaded)
        original_forward = model(x, generator=torch.Generator().manual_seed(0))
        reloaded_forward = loaded.model(x, generator=torch.Generator().manual_seed(0))
    assert torch.equal(original_forward[0], reloaded_forward[0])
    assert_same_weights(loaded.model, model)


@pytest.mark.parametrize("kind", KINDS)
def test_loaded_checkpoint_carries_its_metadata(kind: str, tmp_path: Path) -> None:
    path = save_model(tmp_path / "model.safetensors", make_model(tiny_config(kind)))
    loaded = load_checkpoint(path)

    assert not loaded.model.training
    assert loaded.config == tiny_config(kind)
    assert loaded.path == path
    assert loaded.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    metadata = loaded.metadata
    assert metadata["schema_version"] == checkpoints.SCHEMA_VERSION
    assert metadata["kind"] == kind
    assert metadata["architecture"] == tiny_config(kind).to_dict()
    assert metadata["dataset"] == "fashion-mnist"
    assert metadata["created"] and set(metadata["versions"]) >= {"torch", "safetensors"}


def test_saved_checkpoint_is_readable_by_everyone(tmp_path: Path) -> None:
    path = save_model(tmp_path / "model.safetensors", make_model(tiny_config("vae")))
    assert path.stat().st_mode & 0o777 == checkpoints.DEFAULT_FILE_MODE


# broken files: every one gives CheckpointError naming the file


def test_checkpoint_truncated_at_every_byte_offset_gives_the_clear_error(
    micro_checkpoint: Path,
) -> None:
    size = micro_checkpoint.stat().st_size
    # shorten the file in place, one byte at a time: rewriting it each time is ten times slower
    with micro_checkpoint.open("r+b") as handle:
        for length in reversed(range(size)):
            os.ftruncate(handle.fileno(), length)
            with pytest.raises(CheckpointError) as error:
                load_checkpoint(micro_checkpoint)
            assert_clear_error(micro_checkpoint, error)
    assert micro_checkpoint.stat().st_size == 0


def test_every_single_bit_flip_in_the_header_is_caught_or_harmless(micro_checkpoint: Path) -> None:
    original = load_checkpoint(micro_checkpoint)
    data = micro_checkpoint.read_bytes()
    outcomes = {"error": 0, "identical": 0}
    # flip bytes in place and put them back: rewriting the file each time is ten times slower
    with micro_checkpoint.open("r+b") as handle:
        for offset in range(header_size(data)):
            for mask in SINGLE_BIT_MASKS:
                os.pwrite(handle.fileno(), bytes([data[offset] ^ mask]), offset)
                loaded = load_or_clear_error(micro_checkpoint)
                os.pwrite(handle.fileno(), data[offset : offset + 1], offset)
                if loaded is not None:
                    assert_same_weights(loaded.model, original.model)
                outcomes["error" if loaded is None else "identical"] += 1
    # both outcomes really happen: flips in names and shapes fail, flips in a date do not
    assert outcomes["error"] > 0 and outcomes["identical"] > 0


@DETERMINISTIC
@given(position=st.integers(min_value=0), replacement=st.integers(min_value=0, max_value=255))
def test_any_replaced_header_byte_is_caught_or_harmless(
    position: int, replacement: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("replaced")
    model = make_model(micro_config("vae"))
    data = bytearray(save_model(folder / "original.safetensors", model).read_bytes())
    data[position % header_size(data)] = replacement
    broken = folder / "replaced.safetensors"
    broken.write_bytes(data)

    loaded = load_or_clear_error(broken)
    if loaded is not None:
        assert_same_weights(loaded.model, model)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("change", [{"latent_dim": 3}, {"hidden_dims": (6,)}])
def test_weights_of_another_architecture_give_the_clear_error(
    kind: str, change: dict, tmp_path: Path
) -> None:
    path = save_model(tmp_path / "model.safetensors", make_model(tiny_config(kind)))
    _, metadata = read_tensors(path)
    other = make_model(dataclasses.replace(tiny_config(kind), **change))
    # the header still describes the tiny model; the tensors belong to another one
    save_tensors(path, other.state_dict(), metadata)

    with pytest.raises(CheckpointError, match="tensor") as error:
        load_checkpoint(path)
    assert_clear_error(path, error)


@pytest.mark.parametrize("dtype", [torch.float64, torch.float16, torch.int32], ids=str)
def test_weights_of_another_dtype_give_the_clear_error(dtype: torch.dtype, tmp_path: Path) -> None:
    path = save_model(tmp_path / "model.safetensors", make_model(tiny_config("vae")))
    tensors, metadata = read_tensors(path)
    # same names and shapes; one tensor stored as another type (int32 has float32's size)
    tensors["encoder.to_mu.weight"] = tensors["encoder.to_mu.weight"].to(dtype)
    save_tensors(path, tensors, metadata)

    with pytest.raises(CheckpointError, match="encoder.to_mu.weight") as error:
        load_checkpoint(path)
    assert_clear_error(path, error)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("bad_value", [float("nan"), float("inf"), float("-inf")])
def test_a_non_finite_weight_gives_the_clear_error(
    kind: str, bad_value: float, tmp_path: Path
) -> None:
    model = make_model(tiny_config(kind))
    with torch.no_grad():
        model.decoder.to_logits.weight[3, 1] = bad_value
    path = save_model(tmp_path / "model.safetensors", model)

    with pytest.raises(CheckpointError, match="NaN or infinite") as error:
        load_checkpoint(path)
    assert_clear_error(path, error)


class _Payload:
    """Unpickling this would create a folder: the test checks that it never happens."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return os.mkdir, (str(self.marker),)


@pytest.mark.parametrize("name", ["model.safetensors", "model.pt"])
def test_a_pickle_file_gives_the_clear_error_and_is_never_unpickled(
    name: str, tmp_path: Path
) -> None:
    marker = tmp_path / "unpickled"
    path = tmp_path / name
    torch.save(
        {"weights": make_model(tiny_config("vae")).state_dict(), "x": _Payload(marker)}, path
    )

    with pytest.raises(CheckpointError) as error:
        load_checkpoint(path)
    assert_clear_error(path, error)
    assert not marker.exists()


def test_a_plain_pickle_is_never_unpickled(tmp_path: Path) -> None:
    marker = tmp_path / "unpickled"
    path = tmp_path / "model.safetensors"
    path.write_bytes(pickle.dumps(_Payload(marker)))

    with pytest.raises(CheckpointError):
        load_checkpoint(path)
    assert not marker.exists()


@pytest.mark.parametrize("content", [b"", b"not a checkpoint at all", bytes(64)])
def test_garbage_gives_the_clear_error(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "garbage.safetensors"
    path.write_bytes(content)
    with pytest.raises(CheckpointError) as error:
        load_checkpoint(path)
    assert_clear_error(path, error)


def test_a_missing_file_gives_the_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "absent.safetensors"
    with pytest.raises(CheckpointError, match="no such file") as error:
        load_checkpoint(path)
    assert_clear_error(path, error)


def test_a_safetensors_file_without_our_metadata_gives_the_clear_error(tmp_path: Path) -> None:
    import safetensors.torch

    path = tmp_path / "foreign.safetensors"
    safetensors.torch.save_file(make_model(tiny_config("ae")).state_dict(), str(path))
    with pytest.raises(CheckpointError, match="metadata") as error:
        load_checkpoint(path)
    assert_clear_error(path, error)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"schema_version": checkpoints.SCHEMA_VERSION + 1}, "schema version"),
        ({"kind": "ae"}, "disagrees"),
        ({"architecture": "vae"}, "architecture"),
        ({"architecture": {"kind": "vae", "latent_dim": 2}}, "invalid architecture"),
        ({"dataset": None, "created": None}, None),
    ],
)
def test_wrong_metadata_gives_the_clear_error(
    change: dict, reason: str | None, tmp_path: Path
) -> None:
    model = make_model(tiny_config("vae"))
    path = save_model(tmp_path / "model.safetensors", model)
    tensors, metadata = read_tensors(path)
    metadata = {key: value for key, value in {**metadata, **change}.items() if value is not None}
    save_tensors(path, tensors, metadata)

    with pytest.raises(CheckpointError, match=reason or "lacks") as error:
        load_checkpoint(path)
    assert_clear_error(path, error)


# saves that fail or are interrupted leave the old file byte-identical


def _raising(error: BaseException) -> Callable[..., None]:
    """A stand-in for an ``os`` function that fails with ``error``."""

    def broken(*args: object) -> None:
        raise error

    return broken


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
@pytest.mark.parametrize("stage", ["fsync", "replace"])
def test_a_save_that_breaks_leaves_the_old_file_untouched(
    error: BaseException, stage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = save_model(tmp_path / "model.safetensors", make_model(tiny_config("vae"), seed=0))
    before = path.read_bytes()

    if stage == "fsync":
        monkeypatch.setattr(checkpoints.os, "fsync", _raising(error))
    else:
        monkeypatch.setattr(checkpoints.os, "replace", _raising(error))
    with pytest.raises(type(error)):
        save_model(path, make_model(tiny_config("vae"), seed=1))

    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [entry.name for entry in tmp_path.iterdir()] == [path.name]


@pytest.mark.parametrize(
    ("metadata", "error"),
    [({"dataset": "fashion-mnist", "bad": object()}, TypeError), ({}, CheckpointError)],
)
def test_a_save_with_bad_metadata_leaves_the_old_file_untouched(
    metadata: dict, error: type[Exception], tmp_path: Path
) -> None:
    path = save_model(tmp_path / "model.safetensors", make_model(tiny_config("ae")))
    before = path.read_bytes()

    with pytest.raises(error):
        save_checkpoint(path, make_model(tiny_config("ae"), seed=1), metadata)

    assert path.read_bytes() == before
    assert [entry.name for entry in tmp_path.iterdir()] == [path.name]


# the registry


def test_registry_lists_valid_checkpoints_and_rejects_broken_ones(tmp_path: Path) -> None:
    for kind in KINDS:
        save_model(tmp_path / f"{kind}.safetensors", make_model(tiny_config(kind)))
    (tmp_path / "truncated.safetensors").write_bytes(
        (tmp_path / "vae.safetensors").read_bytes()[:99]
    )
    torch.save({"weights": torch.zeros(2)}, tmp_path / "pickled.safetensors")
    (tmp_path / "notes.txt").write_text("not a checkpoint, not even looked at")

    registry = scan_folder(tmp_path)

    assert sorted(registry.models) == ["ae", "vae"]
    assert sorted(registry.rejected) == ["pickled.safetensors", "truncated.safetensors"]
    assert all(reason for reason in registry.rejected.values())
    assert [loaded.model.kind for loaded in registry.find(kind="vae")] == ["vae"]
    assert len(registry.find(dataset="fashion-mnist")) == 2
    assert registry.find(dataset="mnist") == []
