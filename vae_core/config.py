"""Frozen settings that define a model and a training run."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

ModelKind = Literal["ae", "vae"]
MODEL_KINDS: tuple[ModelKind, ...] = ("ae", "vae")
Precision = Literal["bfloat16", "float32"]
PRECISIONS: tuple[Precision, ...] = ("bfloat16", "float32")

DEFAULT_IMAGE_SIZE = 28
DEFAULT_CHANNELS = 1
DEFAULT_HIDDEN_DIMS = (256, 128)
DEFAULT_BATCH_SIZE = 256
DEFAULT_LEARNING_RATE = 2e-3
DEFAULT_PRECISION: Precision = "bfloat16"


@dataclass(frozen=True)
class ModelConfig:
    """Everything needed to rebuild an encoder/decoder pair.

    Args:
        kind: ``"ae"`` for a plain autoencoder, ``"vae"`` for a variational one.
        latent_dim: Size of the code ``z``.
        hidden_dims: Widths of the encoder's hidden layers; the decoder mirrors them.
        image_size: Height and width of the square input images.
        channels: Number of image channels.
    """

    kind: ModelKind
    latent_dim: int
    hidden_dims: tuple[int, ...] = DEFAULT_HIDDEN_DIMS
    image_size: int = DEFAULT_IMAGE_SIZE
    channels: int = DEFAULT_CHANNELS

    def __post_init__(self) -> None:
        if self.kind not in MODEL_KINDS:
            raise ValueError(f"kind must be one of {MODEL_KINDS}, got {self.kind!r}")
        sizes = (self.latent_dim, self.image_size, self.channels, *self.hidden_dims)
        if not self.hidden_dims or any(int(size) != size or size < 1 for size in sizes):
            raise ValueError(f"sizes must be positive integers, got {self}")

    @property
    def input_dim(self) -> int:
        """Number of pixels in one flattened image."""
        return self.channels * self.image_size * self.image_size

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (tuples become lists)."""
        return {**asdict(self), "hidden_dims": list(self.hidden_dims)}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> ModelConfig:
        """Rebuild from :meth:`to_dict` output; unknown or missing keys raise ``ValueError``."""
        expected = {"kind", "latent_dim", "hidden_dims", "image_size", "channels"}
        if set(values) != expected:
            raise ValueError(f"architecture keys must be {sorted(expected)}, got {sorted(values)}")
        if not isinstance(values["hidden_dims"], list):
            raise ValueError("hidden_dims must be a list")
        for key in ("latent_dim", "image_size", "channels"):
            if type(values[key]) is not int:
                raise ValueError(f"{key} must be an integer")
        if any(type(width) is not int for width in values["hidden_dims"]):
            raise ValueError("hidden_dims must hold integers")
        return cls(**{**values, "hidden_dims": tuple(values["hidden_dims"])})


@dataclass(frozen=True)
class TrainConfig:
    """One training run: data, budget and optimiser settings.

    Args:
        dataset: Data set name, e.g. ``"fashion-mnist"``.
        epochs: Total number of passes over the training set.
        beta: Weight of the KL term (1 gives the ELBO; ignored by a plain autoencoder).
        seed: Seed for initialisation, shuffling and sampling.
        batch_size: Images per optimiser step.
        learning_rate: Adam step size at the start; a cosine schedule lowers it to zero.
        precision: Number format of the training step's matrix products. ``"bfloat16"`` is
            mixed precision: weights, Adam moments and the loss stay float32, only the
            products run in bfloat16. Evaluation always runs in float32.
    """

    dataset: str
    epochs: int
    beta: float = 1.0
    seed: int = 0
    batch_size: int = DEFAULT_BATCH_SIZE
    learning_rate: float = DEFAULT_LEARNING_RATE
    precision: Precision = DEFAULT_PRECISION

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, got {self.precision!r}")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return asdict(self)
