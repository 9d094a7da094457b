"""Training and inference speed of our VAE trainer against the textbook recipe, on this CPU.

Run from the repository root:

    .venv/bin/python -m benchmarks.train_speed            # or: make benchmark
    .venv/bin/python -m benchmarks.train_speed --epochs 3 --latent-dims 2 16

Both trainers see the same Fashion-MNIST images for the same number of epochs:

- ours: ``vae_core.train.train_one_epoch`` with the shipped architecture (784-256-128-z) and
  training settings (``TrainConfig``'s defaults: batch 256, fused Adam 2e-3, cosine schedule),
  every image already a float tensor in memory, batches gathered by index;
- the textbook recipe: an MLP 784-400-z, binary cross-entropy, Adam 1e-3, batch 128, fed by
  torchvision's ``FashionMNIST`` data set through a ``DataLoader`` that turns one image at a
  time into a PIL image and back into a tensor.

It prints, for both, seconds per epoch, images per second, the test negative ELBO (nats per
image, one sampled ``z`` per image, same seed) and the share of this CPU's measured
matrix-multiply throughput that the training step reaches; then, for the shipped models, the
time to decode one latent vector and to encode the 10,000 test images on one core.
Nothing here is a test: the figures depend on the machine and on what else it is doing,
so the load average is printed next to them. The two trainers take turns, one epoch each,
and every time is the median over epochs, so that a busy spell slows both alike and the
ratio between them holds.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

from vae_core.checkpoints import CheckpointError, load_checkpoint
from vae_core.config import MODEL_KINDS, ModelConfig, ModelKind, TrainConfig
from vae_core.data import IDX_FILES, Dataset, load_dataset
from vae_core.evaluate import evaluate_model
from vae_core.latent import encode_images
from vae_core.losses import kl_divergence
from vae_core.models import Autoencoder, build_model
from vae_core.train import new_train_state, train_one_epoch

DATASET = "fashion-mnist"
DEFAULT_EPOCHS = 3
DEFAULT_LATENT_DIMS = (2, 16)
DEFAULT_SEED = 0
# the textbook recipe (Kingma & Welling's MLP as in PyTorch's example): one hidden layer of 400
RECIPE_HIDDEN_DIMS = (400,)
RECIPE_BATCH_SIZE = 128
RECIPE_LEARNING_RATE = 1e-3
# issue 2's bar: our trainer at least this many times faster per epoch than the recipe
SPEEDUP_TARGET = 3.0
MATMUL_SIZE = 1024
MATMUL_REPEATS = 10
DECODE_CALLS = 2000
ENCODE_REPEATS = 5
WARMUP_CALLS = 50
SHIPPED_FOLDER = Path("checkpoints")
MICROSECONDS = 1e6


@dataclass
class TrainFigures:
    """What one trainer achieved: timings per epoch and the test loss at the end."""

    name: str
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

    def matmul_share(self, matmul_flops: float) -> float:
        """Useful model FLOP/s of the training step over the CPU's measured GEMM FLOP/s."""
        return self.flops_per_image * self.images_per_second / matmul_flops


# the machine


def measure_matmul_flops(size: int = MATMUL_SIZE, repeats: int = MATMUL_REPEATS) -> float:
    """Best float32 FLOP/s of a ``size``-cubed matrix product with torch's current threads."""
    generator = torch.Generator().manual_seed(0)
    left = torch.randn(size, size, generator=generator)
    right = torch.randn(size, size, generator=generator)
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

    def __init__(self, dataset: Dataset, latent_dim: int, epochs: int, seed: int) -> None:
        self.config = TrainConfig(DATASET, epochs, seed=seed)
        self.state = new_train_state(ModelConfig("vae", latent_dim), self.config)
        self.images = dataset.train.images
        super().__init__(self.state.model)

    def train_epoch(self) -> None:
        train_one_epoch(self.state, self.images, self.config)
        self.state.epochs_done += 1


def torchvision_root(dataset: Dataset, scratch: Path) -> Path:
    """A root folder where torchvision's ``FashionMNIST`` finds the very images we loaded.

    torchvision reads the four idx files, uncompressed, from ``root/FashionMNIST/raw``.
    """
    if dataset.provenance["source"] == "torchvision":
        return Path(dataset.provenance["path"])
    source = Path(dataset.provenance["path"])
    raw = scratch / "FashionMNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for stem in (name for pair in IDX_FILES.values() for name in pair):
        packed = source / f"{stem}.gz"
        if packed.is_file():
            with gzip.open(packed, "rb") as compressed, (raw / stem).open("wb") as plain:
                shutil.copyfileobj(compressed, plain)
        else:
            shutil.copyfile(source / stem, raw / stem)
    return scratch


def recipe_loader(root: Path, seed: int) -> torch.utils.data.DataLoader:
    """torchvision's per-image pipeline: PIL image, ``ToTensor``, default collate."""
    from torchvision import datasets, transforms

    images = datasets.FashionMNIST(
        str(root), train=True, download=False, transform=transforms.ToTensor()
    )
    generator = torch.Generator().manual_seed(seed)
    return torch.utils.data.DataLoader(
        images, batch_size=RECIPE_BATCH_SIZE, shuffle=True, generator=generator
    )


class RecipeRun(TimedRun):
    """The textbook MLP 784-400-z fed by torchvision's loader: summed BCE on probabilities."""

    name = "recipe"

    def __init__(self, root: Path, latent_dim: int, seed: int) -> None:
        torch.manual_seed(seed)
        super().__init__(build_model(ModelConfig("vae", latent_dim, RECIPE_HIDDEN_DIMS)))
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=RECIPE_LEARNING_RATE)
        self.loader = recipe_loader(root, seed)

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


def train_both(
    dataset: Dataset, root: Path, latent_dim: int, epochs: int, seed: int
) -> list[TrainFigures]:
    """Train ours and the recipe for ``epochs`` each, alternating one epoch at a time."""
    runs = [OursRun(dataset, latent_dim, epochs, seed), RecipeRun(root, latent_dim, seed)]
    for _ in range(epochs):
        for run in runs:
            run.timed_epoch()
    return [run.figures(dataset) for run in runs]


# inference on one core


def shipped_or_fresh(kind: ModelKind, latent_dim: int) -> tuple[str, Autoencoder]:
    """The shipped model of that kind and size, or a fresh one of the same architecture."""
    path = SHIPPED_FOLDER / f"{DATASET}-{kind}-z{latent_dim}.safetensors"
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


# the report


def print_machine(threads: int, matmul_flops: float) -> None:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, torch {torch.__version__}, {threads} threads")
    print(f"load average (1, 5, 15 min): {load}  (a busy machine slows both trainers)")
    print(f"measured float32 matmul ({MATMUL_SIZE}^3): {matmul_flops / 1e9:.1f} GFLOP/s")


def print_training(figures: list[TrainFigures], matmul_flops: float, epochs: int) -> None:
    images = figures[0].images_per_epoch
    print(f"\ntraining on {DATASET}, {epochs} epochs each, {images:,} images per epoch")
    header = "trainer  latent  s/epoch  cpu s/epoch  images/s  test -ELBO  matmul share  data share"
    print(header)
    for run in figures:
        data_share = run.data_seconds / sum(run.epoch_seconds)
        print(
            f"{run.name:<8} {run.latent_dim:>6}  {run.seconds_per_epoch:7.2f}  "
            f"{run.cpu_seconds_per_epoch:11.2f}  "
            f"{run.images_per_second:8.0f}  {run.neg_elbo:10.2f}  "
            f"{run.matmul_share(matmul_flops):11.1%}  {data_share:10.0%}"
        )


def print_verdicts(figures: list[TrainFigures]) -> None:
    print()
    for latent_dim in sorted({run.latent_dim for run in figures}):
        ours, recipe = (
            next(run for run in figures if run.name == name and run.latent_dim == latent_dim)
            for name in ("ours", "recipe")
        )
        speedup = recipe.seconds_per_epoch / ours.seconds_per_epoch
        cpu_speedup = recipe.cpu_seconds_per_epoch / ours.cpu_seconds_per_epoch
        met = "met" if speedup >= SPEEDUP_TARGET else "NOT met"
        better = "no worse" if ours.neg_elbo <= recipe.neg_elbo else "WORSE"
        print(
            f"z{latent_dim}: ours {speedup:.1f}x faster per epoch, {cpu_speedup:.1f}x in CPU time "
            f"(target {SPEEDUP_TARGET:g}x: {met}); test -ELBO {ours.neg_elbo:.2f} vs "
            f"{recipe.neg_elbo:.2f} nats ({better})"
        )
        print_shipped_figure(latent_dim, recipe)


def print_shipped_figure(latent_dim: int, recipe: TrainFigures) -> None:
    """The shipped VAE's recorded test figure next to the recipe's."""
    path = SHIPPED_FOLDER / f"{DATASET}-vae-z{latent_dim}.safetensors"
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


def print_inference(dataset: Dataset, latent_dims: tuple[int, ...]) -> None:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    images = dataset.test.images
    print(f"\ninference on one core ({len(images):,} test images)")
    print("model                              decode 1 z: median  p95     encode all")
    for latent_dim in latent_dims:
        for kind in MODEL_KINDS:
            name, model = shipped_or_fresh(kind, latent_dim)
            median, p95 = decode_one_microseconds(model)
            seconds = encode_all_seconds(model, images)
            print(f"{name:<34} {median:8.0f} us {p95:6.0f} us  {seconds * 1000:8.1f} ms")
    torch.set_num_threads(threads)


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
    matmul_flops = measure_matmul_flops()
    print_machine(torch.get_num_threads(), matmul_flops)

    figures = []
    with tempfile.TemporaryDirectory(prefix="recipe-data-") as scratch:
        root = torchvision_root(dataset, Path(scratch))
        for latent_dim in args.latent_dims:
            figures += train_both(dataset, Path(root), latent_dim, args.epochs, args.seed)
    # the CPU's best: a busy moment during the first measurement would inflate every share
    matmul_flops = max(matmul_flops, measure_matmul_flops())
    print(f"measured again after training: best {matmul_flops / 1e9:.1f} GFLOP/s")
    print_training(figures, matmul_flops, args.epochs)
    print_verdicts(figures)
    print_inference(dataset, tuple(args.latent_dims))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
