"""The judge: a small CNN classifier that referees whether a decoded image is meaningful.

One judge per data set is trained on that set's training images and shipped in
``checkpoints/judges/``. The metrics call a decoded image *valid* when the judge names a class
with high confidence, and compare decoded samples with real images in the judge's penultimate
feature space (a Frechet distance in the spirit of FID, Heusel et al. 2017, without any
download). Judges are stored and validated like the models: safetensors plus JSON metadata,
and any problem raises :class:`~vae_core.checkpoints.CheckpointError`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

from vae_core.checkpoints import (
    CheckpointError,
    file_sha256,
    package_metadata,
    read_tensors,
    save_tensors,
)
from vae_core.config import DEFAULT_CHANNELS, DEFAULT_IMAGE_SIZE
from vae_core.data import CLASS_NAMES, Dataset, DatasetSplit

logger = logging.getLogger(__name__)

JUDGE_SCHEMA = "lse-judge/1"
DEFAULT_JUDGE_CHANNELS = (8, 16)
DEFAULT_JUDGE_HIDDEN = 64
DEFAULT_JUDGE_SEED = 0
# MNIST here has only 4,000 training digits, so it gets more passes for a similar step count
DEFAULT_JUDGE_EPOCHS = {"fashion-mnist": 6, "mnist": 30}
JUDGE_BATCH_SIZE = 128
JUDGE_LEARNING_RATE = 1e-3
JUDGE_EVAL_BATCH_SIZE = 1000
POOLING = 2
KERNEL_SIZE = 3
REQUIRED_JUDGE_METADATA = {"schema", "dataset", "architecture", "seed", "epochs", "test"}

BatchCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class JudgeConfig:
    """The judge's architecture: conv blocks (conv, ReLU, 2x2 max-pool), one hidden layer, head.

    Args:
        num_classes: Number of classes the head scores.
        channels: Output channels of each conv block.
        hidden: Width of the penultimate layer, whose activations are the judge's features.
        image_size: Height and width of the square input images.
        in_channels: Channels of the input images.
    """

    num_classes: int = len(CLASS_NAMES["fashion-mnist"])
    channels: tuple[int, ...] = DEFAULT_JUDGE_CHANNELS
    hidden: int = DEFAULT_JUDGE_HIDDEN
    image_size: int = DEFAULT_IMAGE_SIZE
    in_channels: int = DEFAULT_CHANNELS

    def __post_init__(self) -> None:
        sizes = (self.num_classes, self.hidden, self.image_size, self.in_channels, *self.channels)
        if not self.channels or any(type(size) is not int or size < 1 for size in sizes):
            raise ValueError(f"sizes must be positive integers, got {self}")
        if self.image_size % (POOLING ** len(self.channels)) != 0:
            raise ValueError(f"image size {self.image_size} does not pool {len(self.channels)}x")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (tuples become lists)."""
        return {**asdict(self), "channels": list(self.channels)}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> JudgeConfig:
        """Rebuild from :meth:`to_dict` output; wrong keys or types raise ``ValueError``."""
        expected = {"num_classes", "channels", "hidden", "image_size", "in_channels"}
        if not isinstance(values, dict) or set(values) != expected:
            raise ValueError(f"judge architecture keys must be {sorted(expected)}")
        if not isinstance(values["channels"], list):
            raise ValueError("channels must be a list")
        return cls(**{**values, "channels": tuple(values["channels"])})


class Judge(nn.Module):
    """A small CNN: ``features(x)`` gives the penultimate activations, ``classify`` the logits."""

    def __init__(self, config: JudgeConfig) -> None:
        super().__init__()
        self.config = config
        blocks: list[nn.Module] = []
        in_channels = config.in_channels
        for out_channels in config.channels:
            blocks += [
                nn.Conv2d(in_channels, out_channels, KERNEL_SIZE, padding=KERNEL_SIZE // 2),
                nn.ReLU(),
                nn.MaxPool2d(POOLING),
            ]
            in_channels = out_channels
        self.convs = nn.Sequential(*blocks)
        side = config.image_size // POOLING ** len(config.channels)
        self.embed = nn.Sequential(nn.Linear(in_channels * side * side, config.hidden), nn.ReLU())
        self.head = nn.Linear(config.hidden, config.num_classes)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Penultimate activations ``(batch, hidden)`` for images ``(batch, C, H, W)``."""
        return self.embed(self.convs(x).flatten(start_dim=1))

    def classify(self, features: torch.Tensor) -> torch.Tensor:
        """Class logits ``(batch, num_classes)`` from :meth:`features`."""
        return self.head(features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Class logits ``(batch, num_classes)`` for images ``(batch, C, H, W)`` in [0, 1]."""
        return self.classify(self.features(x))


@dataclass(frozen=True)
class LoadedJudge:
    """A validated judge in eval mode, its metadata, file and hash."""

    judge: Judge
    metadata: dict[str, Any]
    path: Path
    sha256: str

    @property
    def dataset(self) -> str:
        """The data set the judge was trained on."""
        return str(self.metadata["dataset"])


@torch.inference_mode()
def judge_outputs(
    judge: Judge, images: torch.Tensor, batch_size: int = JUDGE_EVAL_BATCH_SIZE
) -> tuple[torch.Tensor, torch.Tensor]:
    """Class probabilities and features for many images, in batches.

    Args:
        judge: The classifier (any module with ``features`` and ``classify``).
        images: ``(N, C, H, W)`` in [0, 1].

    Returns:
        ``probabilities`` ``(N, num_classes)`` and ``features`` ``(N, hidden)``.
    """
    probabilities, features = [], []
    for chunk in images.split(batch_size):
        chunk_features = judge.features(chunk)
        probabilities.append(torch.softmax(judge.classify(chunk_features), dim=1))
        features.append(chunk_features)
    return torch.cat(probabilities), torch.cat(features)


def train_judge(
    dataset: Dataset,
    epochs: int,
    seed: int = DEFAULT_JUDGE_SEED,
    config: JudgeConfig | None = None,
    on_batch: BatchCallback | None = None,
) -> Judge:
    """Train a judge on ``dataset.train`` with Adam and cross-entropy, reproducibly on a CPU.

    Args:
        dataset: Training images (the test split is not touched).
        epochs: Passes over the training images.
        seed: Fixes the initial weights and every epoch's shuffle.
        config: Architecture (default :class:`JudgeConfig` with the data set's class count).
        on_batch: Called after each step with ``(step, total_steps)``.

    Returns:
        The trained judge, in eval mode.
    """
    config = config or JudgeConfig(num_classes=len(dataset.class_names))
    torch.manual_seed(seed)
    judge = Judge(config)
    optimizer = torch.optim.Adam(judge.parameters(), lr=JUDGE_LEARNING_RATE)
    images, labels = dataset.train.images, dataset.train.labels
    generator = torch.Generator().manual_seed(seed)
    steps_per_epoch = -(-len(labels) // JUDGE_BATCH_SIZE)
    judge.train()
    for epoch in range(epochs):
        order = torch.randperm(len(labels), generator=generator)
        for step, indices in enumerate(order.split(JUDGE_BATCH_SIZE)):
            loss = F.cross_entropy(judge(images[indices]), labels[indices])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if on_batch is not None:
                on_batch(epoch * steps_per_epoch + step + 1, epochs * steps_per_epoch)
    return judge.eval()


def judge_test_figures(judge: Judge, split: DatasetSplit) -> dict[str, float]:
    """Accuracy and mean top-class confidence of the judge on a labelled split."""
    probabilities, _ = judge_outputs(judge, split.images)
    confidence, predicted = probabilities.max(dim=1)
    accuracy = (predicted == split.labels).float().mean().item()
    return {"accuracy": accuracy, "mean_confidence": confidence.mean().item()}


def save_judge(path: Path, judge: Judge, metadata: dict[str, Any]) -> None:
    """Atomically save a judge; ``metadata`` needs ``dataset``, ``seed``, ``epochs``, ``test``."""
    full = {
        **metadata,
        "schema": JUDGE_SCHEMA,
        "architecture": judge.config.to_dict(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": package_metadata(),
    }
    missing = REQUIRED_JUDGE_METADATA - set(full)
    if missing:
        raise CheckpointError(path, f"judge metadata lacks {sorted(missing)}")
    save_tensors(Path(path), judge.state_dict(), full)


def _judge_config(path: Path, metadata: dict[str, Any]) -> JudgeConfig:
    missing = REQUIRED_JUDGE_METADATA - set(metadata)
    if missing:
        raise CheckpointError(path, f"judge metadata lacks {sorted(missing)}")
    if metadata["schema"] != JUDGE_SCHEMA:
        raise CheckpointError(path, f"schema {metadata['schema']!r}, expected {JUDGE_SCHEMA}")
    if metadata["dataset"] not in CLASS_NAMES:
        raise CheckpointError(path, f"unknown data set {metadata['dataset']!r}")
    try:
        config = JudgeConfig.from_dict(metadata["architecture"])
    except (TypeError, ValueError) as error:
        raise CheckpointError(path, f"invalid judge architecture ({error})") from None
    if config.num_classes != len(CLASS_NAMES[metadata["dataset"]]):
        raise CheckpointError(path, "the judge's class count does not match its data set")
    return config


def _check_judge_tensors(path: Path, tensors: dict[str, torch.Tensor], judge: Judge) -> None:
    expected = judge.state_dict()
    if set(tensors) != set(expected):
        raise CheckpointError(path, f"tensor names differ from the judge's {sorted(expected)}")
    for name, tensor in tensors.items():
        if tensor.shape != expected[name].shape or tensor.dtype != expected[name].dtype:
            raise CheckpointError(path, f"tensor {name} has the wrong shape or dtype")
        if not torch.isfinite(tensor).all():
            raise CheckpointError(path, f"tensor {name} holds NaN or infinite values")


def load_judge(path: Path | str) -> LoadedJudge:
    """Load and validate a judge saved by :func:`save_judge`; it comes back in eval mode.

    Raises:
        CheckpointError: If anything about the file is wrong; no judge is returned then.
    """
    path = Path(path)
    tensors, metadata = read_tensors(path)
    config = _judge_config(path, metadata)
    judge = Judge(config)
    _check_judge_tensors(path, tensors, judge)
    judge.load_state_dict(tensors, strict=True)
    judge.eval()
    size = config.image_size
    with torch.inference_mode():
        logits = judge(torch.zeros(1, config.in_channels, size, size))
    if not torch.isfinite(logits).all():
        raise CheckpointError(path, "the judge gives non-finite scores for a blank image")
    return LoadedJudge(judge, metadata, path, file_sha256(path))


def judge_path(folder: Path, dataset: str) -> Path:
    """Where the judge of ``dataset`` lives inside a checkpoints folder."""
    return Path(folder) / "judges" / f"{dataset}-judge.safetensors"
