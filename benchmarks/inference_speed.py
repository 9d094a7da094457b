"""Inference speed of the shipped Fashion-MNIST models on one CPU core.

Run from the repository root (``benchmarks.train_speed`` prints the same after training):

    .venv/bin/python -m benchmarks.inference_speed

It prints the median and 95th-percentile time to decode one latent vector, which is what a
view pays for every picture, and the best time to encode the 10,000 test images, which is
what the latent map pays once per model.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import torch

from vae_core.checkpoints import CheckpointError, load_checkpoint
from vae_core.config import MODEL_KINDS, ModelConfig, ModelKind
from vae_core.data import Dataset, load_dataset
from vae_core.latent import encode_images
from vae_core.models import Autoencoder, build_model

DATASET = "fashion-mnist"
DEFAULT_LATENT_DIMS = (2, 16)
DEFAULT_SEED = 0
DECODE_CALLS = 2000
ENCODE_REPEATS = 5
WARMUP_CALLS = 50
SHIPPED_FOLDER = Path(__file__).resolve().parents[1] / "checkpoints"
MICROSECONDS = 1e6


def shipped_path(kind: ModelKind, latent_dim: int) -> Path:
    """Where the shipped Fashion-MNIST model of that kind and latent size lives."""
    return SHIPPED_FOLDER / f"{DATASET}-{kind}-z{latent_dim}.safetensors"


def shipped_or_fresh(kind: ModelKind, latent_dim: int) -> tuple[str, Autoencoder]:
    """The shipped model of that kind and size, or a fresh one of the same architecture."""
    path = shipped_path(kind, latent_dim)
    try:
        return path.name, load_checkpoint(path).model
    except CheckpointError as error:
        torch.manual_seed(DEFAULT_SEED)
        fresh = build_model(ModelConfig(kind, latent_dim)).eval()
        return f"untrained {kind} z{latent_dim} ({error.reason})", fresh


@torch.inference_mode()
def decode_one_microseconds(model: Autoencoder) -> tuple[float, float]:
    """Median and 95th percentile time to decode one latent vector, in microseconds."""
    z = torch.zeros(1, model.latent_dim)
    for _ in range(WARMUP_CALLS):
        model.decode(z)
    times = []
    for _ in range(DECODE_CALLS):
        started = time.perf_counter()
        model.decode(z)
        times.append(time.perf_counter() - started)
    cuts = statistics.quantiles(times, n=20)
    return statistics.median(times) * MICROSECONDS, cuts[-1] * MICROSECONDS


def encode_all_seconds(model: Autoencoder, images: torch.Tensor) -> float:
    """Best time to encode every image, in seconds."""
    encode_images(model, images[:WARMUP_CALLS])
    best = float("inf")
    for _ in range(ENCODE_REPEATS):
        started = time.perf_counter()
        encode_images(model, images)
        best = min(best, time.perf_counter() - started)
    return best


def print_inference(dataset: Dataset, latent_dims: tuple[int, ...]) -> None:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    images = dataset.test.images
    print(f"\ninference on one core ({len(images):,} test images)")
    print("model                              decode 1 z: median  p95     encode all")
    try:
        for latent_dim in latent_dims:
            for kind in MODEL_KINDS:
                name, model = shipped_or_fresh(kind, latent_dim)
                median, p95 = decode_one_microseconds(model)
                seconds = encode_all_seconds(model, images)
                print(f"{name:<34} {median:8.0f} us {p95:6.0f} us  {seconds * 1000:8.1f} ms")
    finally:
        torch.set_num_threads(threads)


def main() -> int:
    print_inference(load_dataset(DATASET), DEFAULT_LATENT_DIMS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
