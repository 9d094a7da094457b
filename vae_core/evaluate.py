"""Test-set figures for a model, and the CLI ``python -m vae_core.evaluate``."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import torch

from vae_core.checkpoints import CheckpointError, load_checkpoint
from vae_core.data import DatasetSplit, DataUnavailableError, load_dataset
from vae_core.losses import bce_floor, kl_divergence, reconstruction_loss
from vae_core.models import Autoencoder

logger = logging.getLogger(__name__)

DEFAULT_EVAL_BATCH_SIZE = 1000
DEFAULT_EVAL_SEED = 0
DRY_RUN_IMAGES = 64


@torch.inference_mode()
def evaluate_model(
    model: Autoencoder,
    split: DatasetSplit,
    seed: int = DEFAULT_EVAL_SEED,
    batch_size: int = DEFAULT_EVAL_BATCH_SIZE,
) -> dict[str, float | None]:
    """Average figures over a split, in nats per image.

    The VAE's reconstruction term uses one sampled ``z`` per image (a fixed ``seed``), so
    ``neg_elbo = recon_loss + kl_loss`` is the usual single-sample ELBO estimate with
    ``beta = 1`` whatever beta the model was trained with. A plain AE decodes ``mu`` and has
    no ELBO. ``pixel_mse`` compares ``x`` with the decoded mean code.

    Returns:
        ``recon_loss``, ``kl_loss``, ``neg_elbo`` (``None`` for an AE), ``pixel_mse`` and
        ``bce_floor`` (the lowest reconstruction loss these images allow).
    """
    was_training = model.training
    model.eval()
    generator = torch.Generator().manual_seed(seed)
    totals = {"recon_loss": 0.0, "kl_loss": 0.0, "pixel_mse": 0.0, "bce_floor": 0.0}
    for start in range(0, len(split), batch_size):
        x = split.images[start : start + batch_size]
        recon_logits, mu, logvar, _ = model(x, generator=generator)
        totals["recon_loss"] += reconstruction_loss(recon_logits, x).sum().item()
        totals["kl_loss"] += kl_divergence(mu, logvar).sum().item()
        squared_error = (model.decode(mu) - x).pow(2).flatten(start_dim=1).mean(dim=1)
        totals["pixel_mse"] += squared_error.sum().item()
        totals["bce_floor"] += bce_floor(x).sum().item()
    model.train(was_training)

    figures: dict[str, float | None] = {name: total / len(split) for name, total in totals.items()}
    is_vae = model.kind == "vae"
    figures["neg_elbo"] = totals["recon_loss"] / len(split) + totals["kl_loss"] / len(split)
    if not is_vae:
        figures["neg_elbo"] = None
    return figures


def format_figures(name: str, kind: str, figures: dict[str, float | None]) -> str:
    """One line of figures for a terminal."""
    parts = [f"{name} [{kind}]"]
    for key in ("neg_elbo", "recon_loss", "kl_loss", "pixel_mse", "bce_floor"):
        value = figures.get(key)
        if value is not None:
            parts.append(f"{key}={value:.4f}" if key == "pixel_mse" else f"{key}={value:.2f}")
    return "  ".join(parts)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m vae_core.evaluate",
        description="Test-set figures (nats per image) for one or more checkpoints.",
    )
    parser.add_argument("checkpoints", nargs="+", type=Path, help="safetensors checkpoints")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--data-dir", type=Path, default=None, help="data root (default: cache)")
    parser.add_argument("--seed", type=int, default=DEFAULT_EVAL_SEED, help="default: %(default)s")
    parser.add_argument(
        "--dry-run", action="store_true", help=f"use only the first {DRY_RUN_IMAGES} test images"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    results = {}
    # several checkpoints usually share a data set: load each (name, split) once
    test_splits: dict[tuple[str, int], DatasetSplit] = {}
    for path in args.checkpoints:
        try:
            loaded = load_checkpoint(path)
        except CheckpointError as error:
            logger.error("%s", error)
            return 1
        split_seed = loaded.metadata.get("data", {}).get("split_seed", 0)
        source = (loaded.metadata["dataset"], split_seed)
        if source not in test_splits:
            try:
                test_splits[source] = load_dataset(source[0], args.data_dir, source[1]).test
            except DataUnavailableError as error:
                logger.error("%s", error)
                return 1
        test = test_splits[source]
        if args.dry_run:
            test = DatasetSplit(test.images[:DRY_RUN_IMAGES], test.labels[:DRY_RUN_IMAGES])
        figures = evaluate_model(loaded.model, test, seed=args.seed)
        results[str(path)] = {"kind": loaded.model.kind, "test_images": len(test), **figures}
        if not args.json:
            sys.stdout.write(format_figures(str(path), loaded.model.kind, figures) + "\n")
    if args.json:
        sys.stdout.write(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
