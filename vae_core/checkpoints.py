"""The one checkpoint format: safetensors weights plus a JSON metadata header.

Loading trusts nothing in the file. It checks the schema, every tensor's name, shape, dtype
and finiteness, loads the state dict strictly and decodes one code as a smoke test. Any
failure raises :class:`CheckpointError` naming the file and the reason; a half-loaded model
is never returned. Nothing here ever unpickles.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import safetensors
import safetensors.torch
import torch

from vae_core.config import ModelConfig
from vae_core.models import Autoencoder, build_model

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
METADATA_KEY = "latent_space_explorer"
MAX_CHECKPOINT_BYTES = 256 * 1024 * 1024
DEFAULT_FILE_MODE = 0o644
REQUIRED_METADATA = {"schema_version", "kind", "architecture", "dataset", "created"}


class CheckpointError(Exception):
    """A checkpoint could not be saved or loaded; ``str(error)`` names the file and reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


@dataclass(frozen=True)
class LoadedModel:
    """A validated model in eval mode plus the metadata it was saved with."""

    model: Autoencoder
    metadata: dict[str, Any]
    path: Path
    sha256: str

    @property
    def config(self) -> ModelConfig:
        """The architecture the model was rebuilt from."""
        return self.model.config


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a mix.

    The bytes go to a temporary file in the same folder, are flushed to disk, and the file
    then replaces ``path`` in one ``os.replace``. On any failure the temporary file is removed
    and ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp creates the file readable by its owner only; checkpoints are shared files
        os.fchmod(handle, DEFAULT_FILE_MODE)
        with os.fdopen(handle, "wb") as temp_file:
            temp_file.write(data)
            temp_file.flush()
            os.fsync(temp_file.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def package_metadata() -> dict[str, str]:
    """Versions of the libraries that produced a file."""
    return {"torch": torch.__version__, "safetensors": safetensors.__version__}


def save_tensors(path: Path, tensors: dict[str, torch.Tensor], metadata: dict[str, Any]) -> None:
    """Atomically save ``tensors`` with ``metadata`` stored as JSON under one header key."""
    contiguous = {name: tensor.detach().contiguous().cpu() for name, tensor in tensors.items()}
    header = {METADATA_KEY: json.dumps(metadata, sort_keys=True)}
    atomic_write_bytes(Path(path), safetensors.torch.save(contiguous, metadata=header))


def save_checkpoint(path: Path, model: Autoencoder, metadata: dict[str, Any]) -> None:
    """Save a model's weights with its architecture and ``metadata`` (training, figures...).

    ``schema_version``, ``kind``, ``architecture``, ``created`` and ``versions`` are filled in
    here; ``metadata`` must hold at least ``dataset``.
    """
    full = {
        **metadata,
        "schema_version": SCHEMA_VERSION,
        "kind": model.config.kind,
        "architecture": model.config.to_dict(),
        "created": metadata.get("created") or datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": package_metadata(),
    }
    missing = REQUIRED_METADATA - set(full)
    if missing:
        raise CheckpointError(path, f"metadata lacks {sorted(missing)}")
    save_tensors(path, model.state_dict(), full)


def read_tensors(path: Path) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    """Read a safetensors file and its JSON metadata, or raise :class:`CheckpointError`."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(path, "no such file")
    size = path.stat().st_size
    if size > MAX_CHECKPOINT_BYTES:
        raise CheckpointError(path, f"file is {size} bytes, more than {MAX_CHECKPOINT_BYTES}")
    try:
        with safetensors.safe_open(str(path), framework="pt") as handle:
            header = handle.metadata() or {}
            tensors = {name: handle.get_tensor(name) for name in handle.keys()}  # noqa: SIM118
    except Exception as error:  # noqa: BLE001 - any parse failure means "not a valid file"
        raise CheckpointError(path, f"not a readable safetensors file ({error})") from None
    if METADATA_KEY not in header:
        raise CheckpointError(path, "no Latent Space Explorer metadata in the header")
    try:
        metadata = json.loads(header[METADATA_KEY])
    except ValueError as error:
        raise CheckpointError(path, f"metadata is not valid JSON ({error})") from None
    if not isinstance(metadata, dict):
        raise CheckpointError(path, "metadata is not a JSON object")
    return tensors, metadata


def _check_metadata(path: Path, metadata: dict[str, Any]) -> ModelConfig:
    missing = REQUIRED_METADATA - set(metadata)
    if missing:
        raise CheckpointError(path, f"metadata lacks {sorted(missing)}")
    if metadata["schema_version"] != SCHEMA_VERSION:
        found = metadata["schema_version"]
        raise CheckpointError(
            path, f"schema version {found!r}, this program reads {SCHEMA_VERSION}"
        )
    architecture = metadata["architecture"]
    if not isinstance(architecture, dict):
        raise CheckpointError(path, "architecture is not a JSON object")
    try:
        config = ModelConfig.from_dict(architecture)
    except (TypeError, ValueError) as error:
        raise CheckpointError(path, f"invalid architecture ({error})") from None
    if metadata["kind"] != config.kind:
        raise CheckpointError(path, f"kind {metadata['kind']!r} disagrees with the architecture")
    return config


def _check_tensors(path: Path, tensors: dict[str, torch.Tensor], model: Autoencoder) -> None:
    expected = model.state_dict()
    if set(tensors) != set(expected):
        missing = sorted(set(expected) - set(tensors))
        unexpected = sorted(set(tensors) - set(expected))
        raise CheckpointError(path, f"tensor names differ: missing {missing}, extra {unexpected}")
    for name, tensor in tensors.items():
        if tensor.shape != expected[name].shape or tensor.dtype != expected[name].dtype:
            raise CheckpointError(
                path,
                f"tensor {name} is {tensor.dtype} {tuple(tensor.shape)}, the architecture "
                f"needs {expected[name].dtype} {tuple(expected[name].shape)}",
            )
        if not torch.isfinite(tensor).all():
            raise CheckpointError(path, f"tensor {name} holds NaN or infinite values")


def _smoke_decode(path: Path, model: Autoencoder) -> None:
    with torch.inference_mode():
        images = model.decode(torch.zeros(1, model.latent_dim))
    if not torch.isfinite(images).all():
        raise CheckpointError(path, "decoding the origin gives non-finite pixels")


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_checkpoint(path: Path | str) -> LoadedModel:
    """Load and validate a checkpoint; the model comes back in eval mode.

    Raises:
        CheckpointError: If anything about the file is wrong; no model is returned then.
    """
    path = Path(path)
    tensors, metadata = read_tensors(path)
    config = _check_metadata(path, metadata)
    model = build_model(config)
    _check_tensors(path, tensors, model)
    try:
        model.load_state_dict(tensors, strict=True)
    except RuntimeError as error:
        raise CheckpointError(path, f"weights do not fit the model ({error})") from None
    model.eval()
    _smoke_decode(path, model)
    return LoadedModel(model, metadata, path, file_sha256(path))


@dataclass
class Registry:
    """The valid checkpoints of a folder, and the rejected files with their reasons."""

    models: dict[str, LoadedModel] = field(default_factory=dict)
    rejected: dict[str, str] = field(default_factory=dict)

    def find(self, **wanted: Any) -> list[LoadedModel]:
        """The models whose metadata matches every ``key=value`` given, sorted by file name."""
        return [
            loaded
            for name, loaded in sorted(self.models.items())
            if all(loaded.metadata.get(key) == value for key, value in wanted.items())
        ]


def scan_folder(folder: Path | str) -> Registry:
    """Load every ``*.safetensors`` file directly in ``folder``, keyed by file stem."""
    registry = Registry()
    for path in sorted(Path(folder).glob("*.safetensors")):
        try:
            registry.models[path.stem] = load_checkpoint(path)
        except CheckpointError as error:
            logger.warning("rejected checkpoint %s", error)
            registry.rejected[path.name] = error.reason
    return registry
