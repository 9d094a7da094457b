"""Tables of the metrics page: rows of cached figures with their labels, units and captions.

The numbers come from the metrics cache (``vae_core.metrics_cache``); this module only chooses
their order, formats them in the page's language and writes the captions that stamp an export
with checkpoint hashes, seeds and settings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ui.i18n import t
from vae_core.metrics import FRAME_NAMES, PATH_KINDS, SOURCES
from vae_core.metrics_cache import MetricsCache, short_hash

KINDS = ("ae", "vae")
SHARE_FIGURES = ("validity", "hole_rate")
PER_SOURCE = ("validity", "coverage_bits", "hole_rate", "frechet", "cycle_error")
PER_PATH = ("jump_ratio", "path_length_ratio")
FIGURE_KEYS = (
    *(f"{name}.{source}" for name in PER_SOURCE for source in SOURCES),
    *(f"{name}.{kind}" for name in PER_PATH for kind in PATH_KINDS),
    "sensitivity.mean",
    "sensitivity.p99",
)
LADDER_DATASET = "fashion-mnist"
LADDER_LATENT_DIM = 2
LADDER_FIGURES = (
    "validity.prior",
    "coverage_bits.prior",
    "hole_rate.prior",
    "frechet.prior",
    "jump_ratio.lerp",
    "sensitivity.mean",
)
LOSS_KEYS = ("recon_loss", "kl_loss", "neg_elbo")
MISSING = "—"
PERCENT = 100


@dataclass(frozen=True)
class Table:
    """A header and rows of strings, plus a one-line meaning per row where it has one."""

    header: list[str]
    rows: list[list[str]]
    meanings: list[str]


def format_figure(key: str, value: float | None) -> str:
    """A figure as shown: shares as percentages, ratios and distances to three digits."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    name = key.split(".")[0]
    if name in SHARE_FIGURES:
        return f"{value * PERCENT:.1f}"
    if name == "coverage_bits":
        return f"{value:.2f}"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def figure_label(key: str) -> str:
    """``validity.prior`` -> "Validity (%) · z ~ N(0, I)" in the current language."""
    name, variant = key.split(".")
    return f"{t(f'metrics.figure.{name}')} · {t(f'metrics.variant.{variant}')}"


def figure_meaning(key: str, cache: MetricsCache) -> str:
    """One line on what a figure measures, with the cache's threshold and quantile."""
    settings = cache.settings
    return t(
        f"metrics.meaning.{key.split('.')[0]}",
        threshold=settings.threshold,
        quantile=round(settings.hole_quantile * PERCENT),
    )


def column_title(kind: str, frame: str) -> str:
    """ "AE · own axes", "VAE · whitened", ..."""
    return f"{t(f'kind.{kind}.short')} · {t(f'metrics.frame.{frame}')}"


def pair_table(cache: MetricsCache, stems: dict[str, str | None]) -> Table:
    """Every figure of an AE/VAE pair in both frames: one row per figure.

    Args:
        stems: ``{"ae": stem, "vae": stem}``; ``None`` leaves that model's columns empty.
    """
    columns = [(kind, frame) for kind in KINDS for frame in FRAME_NAMES]
    header = [t("metrics.column.figure")] + [column_title(kind, frame) for kind, frame in columns]
    rows, meanings = [], []
    for key in FIGURE_KEYS:
        row = [figure_label(key)]
        for kind, frame in columns:
            entry = cache.models.get(stems[kind] or "")
            value = entry["figures"][frame].get(key) if entry else None
            row.append(format_figure(key, value))
        rows.append(row)
        meanings.append(figure_meaning(key, cache))
    return Table(header, rows, meanings)


def ladder_stems(cache: MetricsCache, usable: set[str]) -> list[str]:
    """The 2-D Fashion-MNIST VAEs of the cache, ordered by beta, that may be shown."""
    found = [
        (float(entry.get("beta") or 1.0), stem)
        for stem, entry in cache.models.items()
        if stem in usable
        and entry["kind"] == "vae"
        and entry["dataset"] == LADDER_DATASET
        and entry["latent_dim"] == LADDER_LATENT_DIM
    ]
    return [stem for _, stem in sorted(found)]


def ladder_table(cache: MetricsCache, stems: list[str]) -> Table:
    """One row per beta: test losses from the checkpoint, then figures in the VAE's own axes."""
    header = [t("metrics.column.beta")]
    header += [t(f"metrics.loss.{key}") for key in LOSS_KEYS]
    header += [figure_label(key) for key in LADDER_FIGURES]
    rows = []
    for stem in stems:
        entry = cache.models[stem]
        losses = [_loss(entry, key) for key in LOSS_KEYS]
        figures = entry["figures"]["own"]
        values = [format_figure(key, figures.get(key)) for key in LADDER_FIGURES]
        rows.append([f"{float(entry.get('beta') or 1.0):g}", *losses, *values])
    meanings = [figure_meaning(key, cache) for key in LADDER_FIGURES]
    return Table(header, rows, meanings)


def _loss(entry: dict[str, Any], key: str) -> str:
    value = entry.get("test", {}).get(key)
    return MISSING if value is None else f"{value:.2f}"


def ladder_series(cache: MetricsCache, stems: list[str]) -> dict[str, list[float]]:
    """Numbers for the trade-off plot: beta, test losses and figures, one entry per model."""
    series: dict[str, list[float]] = {"beta": [], **{key: [] for key in LOSS_KEYS}}
    series |= {key: [] for key in LADDER_FIGURES}
    for stem in stems:
        entry = cache.models[stem]
        series["beta"].append(float(entry.get("beta") or 1.0))
        for key in LOSS_KEYS:
            series[key].append(entry.get("test", {}).get(key) or math.nan)
        for key in LADDER_FIGURES:
            series[key].append(entry["figures"]["own"].get(key, math.nan))
    return series


def stamp(cache: MetricsCache, stems: list[str], dataset: str) -> str:
    """Checkpoint and judge hashes (short), seeds and settings, for a caption."""
    settings = cache.settings
    models = ", ".join(
        f"{stem} {short_hash(cache.models[stem]['sha256'])}" for stem in stems if stem
    )
    judge = cache.document["datasets"][dataset]["judge"]
    return t(
        "metrics.stamp",
        models=models,
        judge=short_hash(judge["sha256"]),
        samples=settings.samples,
        pairs=settings.pairs,
        steps=settings.path_steps,
        seed=settings.seed,
        threshold=settings.threshold,
        judge_seed=judge["seed"],
    )
