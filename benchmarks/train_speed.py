"""Training and inference speed of our VAE trainer against the textbook recipe, on this CPU.

Run from the repository root:

    .venv/bin/python -m benchmarks.train_speed            # or: make benchmark
    .venv/bin/python -m benchmarks.train_speed --epochs 3 --latent-dims 2 16

Every trainer sees the same Fashion-MNIST images for the same number of epochs:

- ours: ``vae_core.train.train_one_epoch`` with the shipped architecture (784-256-128-z) and
  training settings (``TrainConfig``'s defaults: batch 256, fused Adam 2e-3, cosine schedule,
  bfloat16 matrix products with float32 weights), every image already a float tensor in
  memory, batches gathered by index; and the same trainer in float32 throughout, to show what
  the mixed precision adds;
- the textbook recipe: an MLP 784-400-z, binary cross-entropy, Adam 1e-3, batch 128, fed by
  torchvision's ``FashionMNIST`` data set through a ``DataLoader`` that turns one image at a
  time into a PIL image and back into a tensor.

It prints, for every run, seconds per epoch, images per second, the test negative ELBO (nats
per image, one sampled ``z`` per image, same seed) and the share of this CPU's measured
matrix-multiply throughput, in the run's own number format, that the training step reaches;
then, for the shipped models, the time to decode one latent vector and to encode the 10,000
test images on one core (``benchmarks.inference_speed``). Nothing here is a test: the figures
depend on the machine and on what else it is doing, so the load average is printed next to
them. The trainers take turns, one epoch each, and every time is the median over epochs, so
that a busy spell slows all of them alike and the ratios between them hold.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

from benchmarks.inference_speed import DATASET, DEFAULT_LATENT_DIMS, print_inference, shipped_path
from benchmarks.torchvision_data import per_image_loader, torchvision_root
from vae_core.checkpoints import CheckpointError, load_checkpoint
from vae_core.config import (
    DEFAULT_PRECISION,
    PRECISIONS,
    ModelConfig,
    Precision,
    TrainConfig,
)
from vae_core.data import Dataset, load_dataset
from vae_core.evaluate import evaluate_model
from vae_core.losses import kl_divergence
from vae_core.models import Autoencoder, build_model
from vae_core.train import has_native_bfloat16, new_train_state, train_one_epoch

DEFAULT_EPOCHS = 3
DEFAULT_SEED = 0
# the textbook recipe (Kingma & Welling's MLP as in PyTorch's example): one hidden layer of 400
RECIPE_HIDDEN_DIMS = (400,)
RECIPE_BATCH_SIZE = 128
RECIPE_LEARNING_RATE = 1e-3
# our bar: our trainer at least this many times faster per epoch than the recipe
SPEEDUP_TARGET = 3.0
MATMUL_SIZE = 1024
MATMUL_REPEATS = 10


@dataclass
class TrainFigures:
    """What one trainer achieved: timings per epoch and the test loss at the end."""

    name: str
    precision: Precision
    latent_dim: int
    epoch_seconds: list[float]
    cpu_seconds: list[float]
    images_per_epoch: int
    neg_elbo: float
    flops_per_image: float
    data_seconds: float = 0.0

    @property
    def seconds_per_epoch(self) -> float:
        return statistics.median(self.epoch_seconds)

    @property
    def cpu_seconds_per_epoch(self) -> float:
        return statistics.median(self.cpu_seconds)

    @property
    def images_per_second(self) -> float:
        return self.images_per_epoch / self.seconds_per_epoch

    def matmul_share(self, matmul_flops: dict[Precision, float]) -> float:
        """Useful model FLOP/s of the training step over the CPU's GEMM FLOP/s in its format."""
        return self.flops_per_image * self.images_per_second / matmul_flops[self.precision]


# the machine


def measure_matmul_flops(
    precision: Precision, size: int = MATMUL_SIZE, repeats: int = MATMUL_REPEATS
) -> float:
    """Best FLOP/s of a ``size``-cubed matrix product in ``precision`` with torch's threads."""
    generator = torch.Generator().manual_seed(0)
    dtype = getattr(torch, precision)
    left = torch.randn(size, size, generator=generator).to(dtype)
    right = torch.randn(size, size, generator=generator).to(dtype)
    left @ right
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        left @ right
        best = min(best, time.perf_counter() - started)
    return 2 * size**3 / best


def training_flops_per_image(model: Autoencoder) -> float:
    """Matrix-multiply FLOPs of one training step per image: forward, then both backward GEMMs.

    A linear layer costs ``2 * in * out`` forward, as much for the weight gradient, and as much
    again for the gradient of its input, which the first layer skips (the images need none).
    Element-wise work (activations, loss, Adam) is left out: this counts the useful GEMM work.
    """
    linears = [module for module in model.modules() if isinstance(module, nn.Linear)]
    total = sum(6 * layer.in_features * layer.out_features for layer in linears)
    first = linears[0]  # the encoder's first layer: modules() lists the encoder first
    return float(total - 2 * first.in_features * first.out_features)


# the two trainers, one epoch at a time


class TimedRun:
    """A trainer that runs one epoch per call and keeps the wall and CPU time of each."""

    name = ""
    precision: Precision = "float32"

    def __init__(self, model: Autoencoder) -> None:
        self.model = model
        self.epoch_seconds: list[float] = []
        self.cpu_seconds: list[float] = []
        self.data_seconds = 0.0

    def train_epoch(self) -> None:
        raise NotImplementedError

    def timed_epoch(self) -> None:
        started, cpu_started = time.perf_counter(), time.process_time()
        self.train_epoch()
        self.epoch_seconds.append(time.perf_counter() - started)
        self.cpu_seconds.append(time.process_time() - cpu_started)

    def figures(self, dataset: Dataset) -> TrainFigures:
        """Timings so far and the test negative ELBO of the model as it is now."""
        neg_elbo = evaluate_model(self.model, dataset.test)["neg_elbo"]
        assert neg_elbo is not None
        return TrainFigures(
            self.name,
            self.precision,
            self.model.latent_dim,
            self.epoch_seconds,
            self.cpu_seconds,
            len(dataset.train),
            neg_elbo,
            training_flops_per_image(self.model),
            self.data_seconds,
        )


class OursRun(TimedRun):
    """The shipped architecture and settings, trained by ``vae_core.train``."""

    name = "ours"

    def __init__(
        self, dataset: Dataset, latent_dim: int, epochs: int, seed: int, precision: Precision
    ) -> None:
        self.precision = precision
        self.config = TrainConfig(DATASET, epochs, seed=seed, precision=precision)
        self.state = new_train_state(ModelConfig("vae", latent_dim), self.config)
        self.images = dataset.train.images
        super().__init__(self.state.model)

    def train_epoch(self) -> None:
        train_one_epoch(self.state, self.images, self.config)
        self.state.epochs_done += 1


class RecipeRun(TimedRun):
    """The textbook MLP 784-400-z fed by torchvision's loader: summed BCE on probabilities."""

    name = "recipe"

    def __init__(self, root: Path, latent_dim: int, seed: int) -> None:
        torch.manual_seed(seed)
        super().__init__(build_model(ModelConfig("vae", latent_dim, RECIPE_HIDDEN_DIMS)))
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=RECIPE_LEARNING_RATE)
        self.loader = per_image_loader(root, RECIPE_BATCH_SIZE, seed)

    def train_epoch(self) -> None:
        """One textbook epoch, adding the time spent waiting for batches to ``data_seconds``."""
        self.model.train()
        batches = iter(self.loader)
        while True:
            started = time.perf_counter()
            batch = next(batches, None)
            self.data_seconds += time.perf_counter() - started
            if batch is None:
                return
            x, _ = batch
            recon_logits, mu, logvar, _ = self.model(x)
            recon = torch.sigmoid(recon_logits)
            recon_loss = F.binary_cross_entropy(recon, x, reduction="sum")
            loss = recon_loss + kl_divergence(mu, logvar).sum()
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()


def train_all(
    dataset: Dataset,
    root: Path,
    latent_dim: int,
    epochs: int,
    seed: int,
    precisions: tuple[Precision, ...],
) -> list[TrainFigures]:
    """Train ours (in each precision) and the recipe, alternating one epoch at a time."""
    runs: list[TimedRun] = [OursRun(dataset, latent_dim, epochs, seed, p) for p in precisions]
    runs.append(RecipeRun(root, latent_dim, seed))
    for _ in range(epochs):
        for run in runs:
            run.timed_epoch()
    return [run.figures(dataset) for run in runs]


# the report


def measure_all_matmul_flops() -> dict[Precision, float]:
    """Best matrix-multiply FLOP/s in every precision a trainer may use."""
    return {precision: measure_matmul_flops(precision) for precision in PRECISIONS}


def print_machine(threads: int, matmul_flops: dict[Precision, float]) -> None:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, torch {torch.__version__}, {threads} threads")
    print(f"native bfloat16 matrix multiply: {'yes' if has_native_bfloat16() else 'no'}")
    print(f"load average (1, 5, 15 min): {load}  (a busy machine slows every trainer)")
    print_matmul_flops("measured matmul", matmul_flops)


def print_matmul_flops(label: str, matmul_flops: dict[Precision, float]) -> None:
    rates = ", ".join(f"{name} {flops / 1e9:.1f}" for name, flops in matmul_flops.items())
    print(f"{label} ({MATMUL_SIZE}^3, GFLOP/s): {rates}")


def print_training(
    figures: list[TrainFigures], matmul_flops: dict[Precision, float], epochs: int
) -> None:
    images = figures[0].images_per_epoch
    print(f"\ntraining on {DATASET}, {epochs} epochs each, {images:,} images per epoch")
    print(
        "trainer  precision  latent  s/epoch  cpu s/epoch  images/s  test -ELBO  matmul share"
        "  data share"
    )
    for run in figures:
        data_share = run.data_seconds / sum(run.epoch_seconds)
        print(
            f"{run.name:<8} {run.precision:<9}  {run.latent_dim:>6}  {run.seconds_per_epoch:7.2f}  "
            f"{run.cpu_seconds_per_epoch:11.2f}  "
            f"{run.images_per_second:8.0f}  {run.neg_elbo:10.2f}  "
            f"{run.matmul_share(matmul_flops):11.1%}  {data_share:10.0%}"
        )


def print_verdicts(figures: list[TrainFigures]) -> None:
    print()
    for latent_dim in sorted({run.latent_dim for run in figures}):
        runs = [run for run in figures if run.latent_dim == latent_dim]
        recipe = next(run for run in runs if run.name == "recipe")
        for ours in (run for run in runs if run.name == "ours"):
            print_verdict(ours, recipe)
        print_shipped_figure(latent_dim, recipe)


def print_verdict(ours: TrainFigures, recipe: TrainFigures) -> None:
    """Speed-up and test loss of one of our runs against the recipe at the same latent size."""
    speedup = recipe.seconds_per_epoch / ours.seconds_per_epoch
    cpu_speedup = recipe.cpu_seconds_per_epoch / ours.cpu_seconds_per_epoch
    met = "met" if speedup >= SPEEDUP_TARGET else "NOT met"
    shipped = " (the shipped setting)" if ours.precision == DEFAULT_PRECISION else ""
    better = "no worse" if ours.neg_elbo <= recipe.neg_elbo else "WORSE"
    print(
        f"z{ours.latent_dim} ours {ours.precision}{shipped}: {speedup:.1f}x faster per epoch, "
        f"{cpu_speedup:.1f}x in CPU time (target {SPEEDUP_TARGET:g}x: {met}); "
        f"test -ELBO {ours.neg_elbo:.2f} vs {recipe.neg_elbo:.2f} nats ({better})"
    )


def print_shipped_figure(latent_dim: int, recipe: TrainFigures) -> None:
    """The shipped VAE's recorded test figure next to the recipe's."""
    path = shipped_path("vae", latent_dim)
    try:
        metadata = load_checkpoint(path).metadata
    except CheckpointError as error:
        print(f"     shipped {path.name}: not available ({error.reason})")
        return
    test = metadata["test"]
    print(
        f"     shipped {path.name}: test -ELBO {test['neg_elbo']:.2f} nats after "
        f"{metadata['epochs']} epochs, {test['neg_elbo'] - test['bce_floor']:.2f} above the "
        f"BCE floor {test['bce_floor']:.2f} (recipe after {len(recipe.epoch_seconds)} epochs: "
        f"{recipe.neg_elbo:.2f})"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.train_speed",
        description="Our VAE trainer against the textbook recipe, and inference speed.",
    )
    parser.add_argument(
        "--epochs", type=int, default=DEFAULT_EPOCHS, help="budget of both (default: %(default)s)"
    )
    parser.add_argument(
        "--latent-dims", type=int, nargs="+", default=list(DEFAULT_LATENT_DIMS),
        help="latent sizes to compare (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--precisions", choices=PRECISIONS, nargs="+", default=list(PRECISIONS),
        help="number formats to run our trainer in (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="default: %(default)s")
    parser.add_argument(
        "--threads", type=int, default=None, help="torch threads (default: torch's own choice)"
    )
    parser.add_argument("--data-dir", type=Path, default=None, help="data root (default: cache)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    dataset = load_dataset(DATASET, args.data_dir)
    matmul_flops = measure_all_matmul_flops()
    print_machine(torch.get_num_threads(), matmul_flops)

    figures = []
    with tempfile.TemporaryDirectory(prefix="recipe-data-") as scratch:
        root = torchvision_root(dataset, Path(scratch))
        for latent_dim in args.latent_dims:
            figures += train_all(
                dataset, Path(root), latent_dim, args.epochs, args.seed, tuple(args.precisions)
            )
    # the CPU's best: a busy moment during the first measurement would inflate every share
    again = measure_all_matmul_flops()
    matmul_flops = {name: max(flops, again[name]) for name, flops in matmul_flops.items()}
    print_matmul_flops("best of before and after training", matmul_flops)
    print_training(figures, matmul_flops, args.epochs)
    print_verdicts(figures)
    print_inference(dataset, tuple(args.latent_dims))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
