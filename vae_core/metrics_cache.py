"""The metrics cache: every figure and map of every checkpoint, computed once, read by the app.

``python -m vae_core.metrics build-cache`` measures every model in a checkpoints folder with
:mod:`vae_core.metrics` and writes two files: ``metrics.json`` (figures, settings, seeds and
the SHA-256 of every checkpoint, judge and test-image file used) and ``maps.safetensors`` (the
2-D maps). The app compares those hashes with the files it loaded and calls a cache *stale*
rather than show figures of other weights. This module also holds the CLI's commands and the
CSV and LaTeX exports of a table of figures.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch

from vae_core.checkpoints import (
    CheckpointError,
    LoadedModel,
    atomic_write_bytes,
    file_sha256,
    package_metadata,
    read_tensors,
    save_tensors,
    scan_folder,
)
from vae_core.data import DatasetSplit, load_test_split
from vae_core.gap_maps import MAP_NAMES, PlaneMaps, plane_maps
from vae_core.judge import LoadedJudge, judge_path, load_judge
from vae_core.latent import encode_images
from vae_core.metrics import MetricSettings, ProgressCallback, measure_model, reference_figures

logger = logging.getLogger(__name__)

CACHE_SCHEMA = "lse-metrics/1"
FIGURES_FILE = "metrics.json"
MAPS_FILE = "maps.safetensors"
DEFAULT_CACHE_FOLDER = "metrics"
TEST_DATA_FOLDER = "data"
SHORT_HASH_LENGTH = 8
PLANE_DIM = 2
DRY_RUN_SETTINGS = MetricSettings(
    samples=256, pairs=8, path_steps=8, sensitivity_pairs=2, map_steps=8
)
REQUIRED_CACHE_KEYS = {"schema", "settings", "datasets", "models", "skipped", "created"}
LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "^": r"\textasciicircum{}",
    # the figures' names use a little notation; plain pdflatex knows none of it as Unicode
    "~": r"$\sim$",
    "|": r"$|$",
    "∂": r"$\partial$",
    "−": r"$-$",
    "β": r"$\beta$",
    "·": r"$\cdot$",
    "×": r"$\times$",
    "≥": r"$\geq$",
    # subscript digits, e.g. log₂
    **{chr(0x2080 + digit): f"$_{digit}$" for digit in range(10)},
}


@dataclass(frozen=True)
class MetricsCache:
    """The figures document (``metrics.json``) and the maps of every 2-D model, by file stem."""

    document: dict[str, Any]
    maps: dict[str, PlaneMaps] = field(default_factory=dict)

    @property
    def models(self) -> dict[str, dict[str, Any]]:
        """Per checkpoint stem: file, sha256, dataset, kind, latent_dim, beta, test, figures."""
        return dict(self.document["models"])

    @property
    def settings(self) -> MetricSettings:
        """The settings (sample counts, threshold, seed) the figures were computed with."""
        return MetricSettings(**self.document["settings"])


def bundled_test_images_path(folder: Path, dataset: str) -> Path:
    """Where a checkpoints folder bundles the test images of ``dataset``."""
    return Path(folder) / TEST_DATA_FOLDER / f"{dataset}-test.safetensors"


def short_hash(sha256: str) -> str:
    """The first characters of a hash, enough to tell files apart in a caption."""
    return sha256[:SHORT_HASH_LENGTH]


# --- building -----------------------------------------------------------------------------


def _model_entry(stem: str, loaded: LoadedModel) -> dict[str, Any]:
    return {
        "file": loaded.path.name,
        "sha256": loaded.sha256,
        "dataset": loaded.metadata["dataset"],
        "kind": loaded.model.kind,
        "latent_dim": loaded.model.latent_dim,
        "beta": loaded.metadata.get("beta"),
        "test": loaded.metadata.get("test", {}),
    }


def _map_entry(maps: PlaneMaps) -> dict[str, Any]:
    return {
        "window": list(maps.window),
        "box": list(maps.box),
        "gap": maps.gap.tolist(),
        "gap_score": maps.gap_score,
        "hull": maps.hull.tolist(),
    }


def _dataset_entry(
    judge: LoadedJudge, test_path: Path, split: DatasetSplit, ceiling: dict[str, float]
) -> dict[str, Any]:
    return {
        "judge": {
            "file": judge.path.name,
            "sha256": judge.sha256,
            "seed": judge.metadata["seed"],
            "epochs": judge.metadata["epochs"],
            "test": judge.metadata["test"],
        },
        "test_data": {
            "file": test_path.name,
            "sha256": file_sha256(test_path),
            "images": len(split),
        },
        "ceiling": ceiling,
    }


def _load_references(
    folder: Path, datasets: set[str]
) -> tuple[dict[str, tuple[LoadedJudge, Path, DatasetSplit]], dict[str, str]]:
    """The judge and test images of each data set, and the reason for each one that failed."""
    references, failures = {}, {}
    for dataset in sorted(datasets):
        test_path = bundled_test_images_path(folder, dataset)
        try:
            judge = load_judge(judge_path(folder, dataset))
            split, _ = load_test_split(test_path)
        except CheckpointError as error:
            failures[dataset] = str(error)
            continue
        references[dataset] = (judge, test_path, split)
    return references, failures


def build_cache(
    folder: Path, settings: MetricSettings, progress: ProgressCallback | None = None
) -> MetricsCache:
    """Measure every valid checkpoint directly in ``folder``.

    Each model is measured against its data set's judge (``folder/judges``) and bundled test
    images (``folder/data``). Models that cannot be measured, and files the registry
    rejected, are listed under ``skipped`` with the reason.

    Args:
        folder: A checkpoints folder.
        settings: Sample counts, seed and threshold.
        progress: Called with ``(done, total, description)`` after each step.
    """
    started = time.perf_counter()
    registry = scan_folder(folder)
    skipped = {name: f"rejected: {reason}" for name, reason in registry.rejected.items()}
    datasets = {loaded.metadata["dataset"] for loaded in registry.models.values()}
    references, failures = _load_references(folder, datasets)
    measurable = {}
    for stem, loaded in registry.models.items():
        if loaded.metadata["dataset"] in failures:
            skipped[stem] = failures[loaded.metadata["dataset"]]
        else:
            measurable[stem] = loaded
    total = len(references) + sum(
        1 + (loaded.model.latent_dim == PLANE_DIM) for loaded in measurable.values()
    )
    done = 0

    def tick(description: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, description)

    document: dict[str, Any] = {"datasets": {}, "models": {}}
    test_features = {}
    for dataset, (judge, test_path, split) in references.items():
        ceiling, test_features[dataset] = reference_figures(judge.judge, split.images, settings)
        document["datasets"][dataset] = _dataset_entry(judge, test_path, split, ceiling)
        tick(f"{dataset} test images")

    all_maps = {}
    for stem, loaded in sorted(measurable.items()):
        dataset = loaded.metadata["dataset"]
        judge, _, split = references[dataset]
        entry = _model_entry(stem, loaded)
        entry["figures"] = measure_model(
            loaded.model, judge.judge, split.images, test_features[dataset], settings
        )
        tick(f"{stem} figures")
        entry["map"] = None
        if loaded.model.latent_dim == PLANE_DIM:
            codes, _ = encode_images(loaded.model, split.images)
            all_maps[stem] = plane_maps(loaded.model, judge.judge, codes, settings)
            entry["map"] = _map_entry(all_maps[stem])
            tick(f"{stem} maps")
        document["models"][stem] = entry

    document |= {
        "schema": CACHE_SCHEMA,
        "settings": settings.to_dict(),
        "skipped": skipped,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 1),
        "versions": package_metadata(),
    }
    return MetricsCache(document, all_maps)


# --- reading and writing ------------------------------------------------------------------


def save_cache(cache: MetricsCache, folder: Path) -> None:
    """Write ``metrics.json`` and ``maps.safetensors`` into ``folder``, each atomically."""
    folder = Path(folder)
    tensors = {
        f"{stem}/{name}": grid
        for stem, maps in cache.maps.items()
        for name, grid in maps.maps.items()
    }
    hashes = {stem: cache.document["models"][stem]["sha256"] for stem in cache.maps}
    # safetensors refuses an empty file; a cache without 2-D models stores a placeholder
    tensors = tensors or {"empty": torch.zeros(1)}
    save_tensors(folder / MAPS_FILE, tensors, {"schema": CACHE_SCHEMA, "models": hashes})
    text = json.dumps(cache.document, indent=1, sort_keys=True, allow_nan=True) + "\n"
    atomic_write_bytes(folder / FIGURES_FILE, text.encode())


def _read_document(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise CheckpointError(path, "no metrics cache; run: python -m vae_core.metrics build-cache")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise CheckpointError(path, f"not valid JSON ({error})") from None
    if not isinstance(document, dict) or not set(document) >= REQUIRED_CACHE_KEYS:
        raise CheckpointError(path, f"a metrics cache needs the keys {sorted(REQUIRED_CACHE_KEYS)}")
    if document["schema"] != CACHE_SCHEMA:
        raise CheckpointError(path, f"schema {document['schema']!r}, expected {CACHE_SCHEMA}")
    return document


def _plane_maps(path: Path, stem: str, entry: dict[str, Any], tensors: dict) -> PlaneMaps:
    try:
        grids = {name: tensors[f"{stem}/{name}"] for name in MAP_NAMES}
        return PlaneMaps(
            window=tuple(entry["window"]),
            box=tuple(entry["box"]),
            maps=grids,
            gap=torch.tensor(entry["gap"]),
            gap_score=float(entry["gap_score"]),
            hull=torch.tensor(entry["hull"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise CheckpointError(path, f"maps of {stem} are incomplete ({error})") from None


def load_cache(folder: Path) -> MetricsCache:
    """Read a cache written by :func:`save_cache`.

    Raises:
        CheckpointError: If a file is missing, unreadable or malformed.
    """
    folder = Path(folder)
    document = _read_document(folder / FIGURES_FILE)
    tensors, metadata = read_tensors(folder / MAPS_FILE)
    maps = {}
    for stem, entry in document["models"].items():
        if entry.get("map") is None:
            continue
        if metadata.get("models", {}).get(stem) != entry.get("sha256"):
            raise CheckpointError(folder / MAPS_FILE, f"maps of {stem} belong to another build")
        maps[stem] = _plane_maps(folder / MAPS_FILE, stem, entry["map"], tensors)
    return MetricsCache(document, maps)


def stale_entries(
    cache: MetricsCache,
    model_hashes: dict[str, str],
    judge_hashes: dict[str, str | None],
    data_hashes: dict[str, str | None] | None = None,
) -> dict[str, str]:
    """The models whose cached figures cannot be trusted, with the reason.

    Args:
        model_hashes: SHA-256 of each checkpoint now present, by file stem.
        judge_hashes: SHA-256 of each data set's judge now present (``None``: no judge).
        data_hashes: SHA-256 of each data set's bundled test images, when known.

    Returns:
        Stem to reason, for every model that is not cached, was cached from other weights,
        or was measured with another judge or other test images. Empty when all is current.
    """
    reasons = {}
    for stem, sha256 in sorted(model_hashes.items()):
        entry = cache.document["models"].get(stem)
        if entry is None:
            reasons[stem] = "not in the metrics cache"
            continue
        dataset = entry["dataset"]
        recorded = cache.document["datasets"].get(dataset, {})
        judge = recorded.get("judge", {}).get("sha256")
        data = recorded.get("test_data", {}).get("sha256")
        if entry["sha256"] != sha256:
            reasons[stem] = "the checkpoint changed after the cache was built"
        elif judge != judge_hashes.get(dataset):
            reasons[stem] = "the judge changed after the cache was built"
        elif data_hashes is not None and data != data_hashes.get(dataset):
            reasons[stem] = "the bundled test images changed after the cache was built"
    return reasons


# --- exports ------------------------------------------------------------------------------


def figures_csv(header: list[str], rows: list[list[str]]) -> str:
    """A table as CSV text (RFC 4180 quoting)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def latex_escape(text: str) -> str:
    """Escape the characters LaTeX treats specially and spell out the notation it lacks."""
    return "".join(LATEX_SPECIALS.get(character, character) for character in text)


def figures_latex(header: list[str], rows: list[list[str]], caption: str, label: str) -> str:
    """A table as a LaTeX ``table`` float with a ``booktabs`` tabular, ready to paste.

    The first column is left-aligned text, the others right-aligned numbers. Every cell and
    the caption are escaped; ``label`` is used as given.
    """
    columns = "l" + "r" * (len(header) - 1)
    lines = [
        r"% needs \usepackage{booktabs}",
        r"\begin{table}[htbp]",
        r"  \centering",
        f"  \\caption{{{latex_escape(caption)}}}",
        f"  \\label{{{label}}}",
        f"  \\begin{{tabular}}{{{columns}}}",
        r"    \toprule",
        "    " + " & ".join(latex_escape(cell) for cell in header) + r" \\",
        r"    \midrule",
    ]
    lines += ["    " + " & ".join(latex_escape(cell) for cell in row) + r" \\" for row in rows]
    lines += [r"    \bottomrule", r"  \end{tabular}", r"\end{table}"]
    return "\n".join(lines) + "\n"
