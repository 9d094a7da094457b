"""The commands of ``python -m vae_core.metrics``: train a judge, build the cache, report it.

The CLI shows progress with tqdm and logs how long each command took; the work itself lives in
:mod:`vae_core.judge`, :mod:`vae_core.metrics` and :mod:`vae_core.metrics_cache`.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

from vae_core.checkpoints import CheckpointError
from vae_core.data import DATASET_NAMES, DataUnavailableError, load_dataset
from vae_core.judge import DEFAULT_JUDGE_EPOCHS, judge_test_figures, save_judge, train_judge
from vae_core.metrics import FRAME_NAMES, MetricSettings, ProgressCallback
from vae_core.metrics_cache import (
    DEFAULT_CACHE_FOLDER,
    DRY_RUN_SETTINGS,
    FIGURES_FILE,
    MAPS_FILE,
    MetricsCache,
    build_cache,
    load_cache,
    save_cache,
    short_hash,
)

logger = logging.getLogger(__name__)


def _tqdm_progress() -> tuple[ProgressCallback, Callable[[], None]]:
    from tqdm import tqdm

    bar = tqdm(total=0, unit="step", dynamic_ncols=True)

    def progress(done: int, total: int, description: str) -> None:
        bar.total = total
        bar.set_description(description, refresh=False)
        bar.update(done - bar.n)

    return progress, bar.close


def train_judge_command(args: argparse.Namespace) -> int:
    """``train-judge``: train, evaluate and save one data set's judge."""
    try:
        dataset = load_dataset(args.dataset, args.data_dir)
    except DataUnavailableError as error:
        logger.error("%s", error)
        return 1
    epochs = args.epochs or DEFAULT_JUDGE_EPOCHS[args.dataset]
    progress, close = _tqdm_progress()
    try:
        judge = train_judge(
            dataset, epochs, args.seed, on_batch=lambda step, total: progress(step, total, "judge")
        )
    finally:
        close()
    test = judge_test_figures(judge, dataset.test)
    metadata = {"dataset": dataset.name, "data": dataset.provenance, "seed": args.seed}
    save_judge(args.out, judge, {**metadata, "epochs": epochs, "test": test})
    logger.info(
        "judge for %s: test accuracy %.4f, wrote %s", dataset.name, test["accuracy"], args.out
    )
    return 0


def build_cache_command(args: argparse.Namespace) -> int:
    """``build-cache``: measure every checkpoint and write the cache (unless ``--dry-run``)."""
    names = ("samples", "pairs", "path_steps", "sensitivity_pairs", "map_steps", "seed")
    settings = MetricSettings(**{name: getattr(args, name) for name in names})
    if args.dry_run:
        settings = DRY_RUN_SETTINGS
    progress, close = _tqdm_progress()
    try:
        cache = build_cache(args.checkpoints, settings, progress)
    finally:
        close()
    for name, reason in cache.document["skipped"].items():
        logger.warning("skipped %s: %s", name, reason)
    measured = len(cache.document["models"])
    logger.info("measured %d models in %.1f s", measured, cache.document["seconds"])
    if measured == 0:
        logger.error("nothing was measured in %s", args.checkpoints)
        return 1
    if not args.dry_run:
        out = args.out or args.checkpoints / DEFAULT_CACHE_FOLDER
        save_cache(cache, out)
        logger.info("wrote %s and %s in %s", FIGURES_FILE, MAPS_FILE, out)
    return 0


def format_report(cache: MetricsCache) -> str:
    """Every cached figure as plain text, one model and frame per block."""
    lines = [f"settings: {json.dumps(cache.document['settings'], sort_keys=True)}"]
    for dataset, entry in sorted(cache.document["datasets"].items()):
        judge = entry["judge"]
        lines.append(
            f"{dataset}: judge {short_hash(judge['sha256'])} test {judge['test']}, "
            f"test images {entry['test_data']['images']}, ceiling {entry['ceiling']}"
        )
    for stem, entry in sorted(cache.models.items()):
        for frame in FRAME_NAMES:
            figures = entry["figures"][frame]
            values = "  ".join(f"{name}={value:.4g}" for name, value in sorted(figures.items()))
            lines.append(f"{stem} [{short_hash(entry['sha256'])}] {frame}: {values}")
        if entry["map"] is not None:
            lines.append(
                f"{stem} largest gap {entry['map']['gap']} score {entry['map']['gap_score']:.3f}"
            )
    return "\n".join(lines) + "\n"


def report_command(args: argparse.Namespace) -> int:
    """``report``: print every figure of a cache."""
    try:
        cache = load_cache(args.cache)
    except CheckpointError as error:
        logger.error("%s", error)
        return 1
    sys.stdout.write(format_report(cache))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m vae_core.metrics`` argument parser and its three commands."""
    parser = argparse.ArgumentParser(
        prog="python -m vae_core.metrics",
        description="Train the judges and build the metrics cache the app reads.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    judge = commands.add_parser("train-judge", help="train a data set's judge classifier")
    judge.add_argument("--dataset", choices=DATASET_NAMES, required=True, help="data set")
    judge.add_argument("--out", type=Path, required=True, help="safetensors file to write")
    judge.add_argument(
        "--epochs", type=int, default=None, help="default: 6 (Fashion-MNIST), 30 (MNIST)"
    )
    judge.add_argument("--seed", type=int, default=0, help="default: %(default)s")
    judge.add_argument("--data-dir", type=Path, default=None, help="data root (default: cache)")

    cache = commands.add_parser("build-cache", help="measure every checkpoint in a folder")
    cache.add_argument(
        "--checkpoints", type=Path, default=Path("checkpoints"), help="default: %(default)s"
    )
    cache.add_argument("--out", type=Path, default=None, help="default: CHECKPOINTS/metrics")
    defaults = MetricSettings()
    for name in ("samples", "pairs", "path_steps", "sensitivity_pairs", "map_steps", "seed"):
        flag = "--" + name.replace("_", "-")
        cache.add_argument(
            flag, type=int, default=getattr(defaults, name), help="default: %(default)s"
        )
    cache.add_argument("--dry-run", action="store_true", help="tiny settings, write nothing")

    report = commands.add_parser("report", help="print every cached figure")
    report.add_argument(
        "--cache", type=Path, default=Path("checkpoints/metrics"), help="default: %(default)s"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    started = time.perf_counter()
    handler = {
        "train-judge": train_judge_command,
        "build-cache": build_cache_command,
        "report": report_command,
    }[args.command]
    status = handler(args)
    logger.info("%s took %.1f s", args.command, time.perf_counter() - started)
    return status
