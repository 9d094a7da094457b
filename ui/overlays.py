"""The metrics cache on the page: overlays on the 2-D maps, the largest gap, stale-cache checks.

Nothing is computed here that the cache already holds: ``python -m vae_core.metrics
build-cache`` measured every shipped model once, and this module reads those grids (density of
the test codes, judge confidence, cycle error, decoder sensitivity) and draws them under the
latent map or over the manifold grid. A cache built from other checkpoint files is *stale*: its
figures are then never shown, and the page says why and how to rebuild it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import streamlit as st
import torch

from ui.i18n import t
from ui.models import ModelPair, ModelSlot, checkpoint_folder, encoded_test_codes, registry
from ui.render import images_png, show_image
from vae_core.checkpoints import CheckpointError, file_sha256
from vae_core.data import DATASET_NAMES, DatasetSplit
from vae_core.gap_maps import MAP_NAMES, PlaneMaps
from vae_core.judge import judge_path
from vae_core.latent import decode_codes
from vae_core.metrics import whitened_frame
from vae_core.metrics_cache import (
    DEFAULT_CACHE_FOLDER,
    FIGURES_FILE,
    MetricsCache,
    bundled_test_images_path,
    load_cache,
    stale_entries,
)

NO_OVERLAY = "none"
OVERLAY_CHOICES = (NO_OVERLAY, *MAP_NAMES)
REBUILD_COMMAND = "python -m vae_core.metrics build-cache"
# density spans orders of magnitude; it is shown as log10, floored this far below the peak
DENSITY_DECADES = 4
# colour scales stop at this quantile so a few extreme cells do not wash out the rest
COLOUR_QUANTILE = 99
OVERLAY_OPACITY = {"latent_map": 0.55, "manifold_grid": 0.45}
OVERLAY_COLOURS = "Viridis"
GAP_SCALE = 6


@dataclass(frozen=True)
class CacheView:
    """The cache as the app sees it: loaded (or why not) and which models it cannot vouch for."""

    cache: MetricsCache | None
    problem: str | None
    stale: dict[str, str]
    # checkpoints present now whose cached figures belong to them
    current: frozenset[str] = frozenset()


@st.cache_resource(show_spinner=False)
def _load(folder: str, stamp: float) -> tuple[MetricsCache | None, str | None]:
    # ``stamp`` (the file's modification time) makes a rebuilt cache a new cache entry
    try:
        return load_cache(Path(folder)), None
    except CheckpointError as error:
        return None, str(error)


@st.cache_resource(show_spinner=False)
def _file_hash(path: str, stamp: float) -> str | None:
    return file_sha256(Path(path)) if Path(path).is_file() else None


def _stamp(path: Path) -> float:
    return path.stat().st_mtime if path.is_file() else 0.0


def cache_view() -> CacheView:
    """Load the cache of the app's checkpoint folder and check it against the files in use."""
    folder = checkpoint_folder() / DEFAULT_CACHE_FOLDER
    cache, problem = _load(str(folder), _stamp(folder / FIGURES_FILE))
    if cache is None:
        return CacheView(None, problem, {})
    hashes = {stem: loaded.sha256 for stem, loaded in registry().models.items()}
    judges, data = {}, {}
    for dataset in DATASET_NAMES:
        path = judge_path(checkpoint_folder(), dataset)
        judges[dataset] = _file_hash(str(path), _stamp(path))
        path = bundled_test_images_path(checkpoint_folder(), dataset)
        data[dataset] = _file_hash(str(path), _stamp(path))
    stale = stale_entries(cache, hashes, judges, data)
    current = frozenset(stem for stem in hashes if stem in cache.models and stem not in stale)
    return CacheView(cache, None, stale, current)


def model_maps(view: CacheView, slot: ModelSlot) -> tuple[PlaneMaps | None, str | None]:
    """A model's cached maps, or the sentence that explains why there are none."""
    if view.cache is None:
        return None, t("overlay.no_cache", reason=view.problem, command=REBUILD_COMMAND)
    if slot.name in view.stale:
        reason = view.stale[slot.name]
        return None, t("overlay.stale", name=slot.name, reason=reason, command=REBUILD_COMMAND)
    if slot.name not in view.cache.maps:
        return None, t("overlay.not_2d", name=slot.name)
    return view.cache.maps[slot.name], None


def overlay_selector(key: str) -> str:
    """The switch between no overlay and the four cached maps."""
    return st.radio(
        t("overlay.label"),
        OVERLAY_CHOICES,
        key=key,
        horizontal=True,
        format_func=lambda name: t(f"overlay.{name}"),
        help=t("overlay.help"),
    )


def display_values(maps: PlaneMaps, name: str) -> np.ndarray:
    """A map ``(steps, steps)`` as drawn: log10 for density, the others as they are."""
    values = maps.maps[name].double().numpy()
    if name == "density":
        floor = values.max() * 10.0**-DENSITY_DECADES
        return np.log10(np.maximum(values, floor))
    return values


def _colour_range(values: np.ndarray) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return 0.0, 1.0
    return float(finite.min()), float(np.percentile(finite, COLOUR_QUANTILE))


def _heatmap(
    x: np.ndarray, y: np.ndarray, values: np.ndarray, name: str, opacity: float
) -> go.Heatmap:
    low, high = _colour_range(values)
    return go.Heatmap(
        x=x,
        y=y,
        z=values,
        zmin=low,
        zmax=high,
        colorscale=OVERLAY_COLOURS,
        opacity=opacity,
        showscale=True,
        colorbar={"title": {"text": t(f"overlay.unit.{name}"), "side": "right"}, "len": 0.8},
        name=t(f"overlay.{name}"),
        hovertemplate="(%{x:.2f}, %{y:.2f}): %{z:.3g}<extra></extra>",
    )


def map_trace(maps: PlaneMaps, name: str) -> go.Heatmap:
    """The cached map as a heatmap in the model's own coordinates, for the latent map."""
    steps = maps.maps[name].shape[0]
    x = np.linspace(maps.window[0], maps.window[1], steps)
    y = np.linspace(maps.window[2], maps.window[3], steps)
    # the cache stores row 0 at the top (largest y); a heatmap wants ascending y
    values = display_values(maps, name)[::-1]
    return _heatmap(x, y, values, name, OVERLAY_OPACITY["latent_map"])


def add_map_overlay(figure: go.Figure, maps: PlaneMaps, name: str) -> None:
    """Put the map under every trace already in ``figure`` (the code scatter stays on top)."""
    figure.add_trace(map_trace(maps, name))
    figure.data = (figure.data[-1], *figure.data[:-1])


def sample_map(maps: PlaneMaps, values: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Bilinear look-up of a map ``(steps, steps)`` at codes ``(N, 2)``; NaN outside its window."""
    steps = values.shape[0]
    x_low, x_high, y_low, y_high = maps.window
    # fractional column (left to right) and row (top to bottom) of every code
    column = (z[:, 0] - x_low) / (x_high - x_low) * (steps - 1)
    row = (y_high - z[:, 1]) / (y_high - y_low) * (steps - 1)
    inside = (column >= 0) & (column <= steps - 1) & (row >= 0) & (row <= steps - 1)
    column, row = np.clip(column, 0, steps - 1), np.clip(row, 0, steps - 1)
    left, top = np.minimum(column.astype(int), steps - 2), np.minimum(row.astype(int), steps - 2)
    dx, dy = column - left, row - top
    result = (
        values[top, left] * (1 - dx) * (1 - dy)
        + values[top, left + 1] * dx * (1 - dy)
        + values[top + 1, left] * (1 - dx) * dy
        + values[top + 1, left + 1] * dx * dy
    )
    return np.where(inside, result, np.nan)


def add_grid_overlay(
    figure: go.Figure, maps: PlaneMaps, name: str, z: np.ndarray, shown: np.ndarray, steps: int
) -> None:
    """Tint the manifold grid's tiles with the map's value at each tile's code.

    Args:
        z: The tiles' codes ``(steps * steps, 2)``, row by row from the top.
        shown: Where the tiles are drawn ``(steps * steps, 2)``, in the same order.
    """
    values = sample_map(maps, display_values(maps, name), z).reshape(steps, steps)[::-1]
    x, y = shown[:steps, 0], shown[::steps, 1][::-1]
    figure.add_trace(_heatmap(x, y, values, name, OVERLAY_OPACITY["manifold_grid"]))


def overlay_note(name: str) -> None:
    """One line on what the chosen overlay shows and in which units."""
    if name != NO_OVERLAY:
        st.caption(t(f"overlay.note.{name}"))


# --- the largest gap ----------------------------------------------------------------------


def vae_point_like(pair: ModelPair, split: DatasetSplit, dataset: str, z: np.ndarray) -> np.ndarray:
    """The VAE code at the same place relative to its codes as ``z`` is to the AE's codes.

    Both code clouds are whitened (zero mean, identity covariance); the AE point's whitened
    coordinates are then mapped back through the VAE's whitening.
    """
    assert pair.ae.loaded is not None and pair.vae.loaded is not None
    ae_codes = torch.from_numpy(encoded_test_codes(pair.ae.loaded, dataset, split.images).mu)
    vae_codes = torch.from_numpy(encoded_test_codes(pair.vae.loaded, dataset, split.images).mu)
    position = whitened_frame(ae_codes).to_frame(torch.from_numpy(z).float().reshape(1, -1))
    return whitened_frame(vae_codes).from_frame(position)[0].numpy()


def _decoded_png(slot: ModelSlot, z: np.ndarray) -> bytes:
    assert slot.loaded is not None
    images = decode_codes(slot.loaded.model, torch.from_numpy(z).float().reshape(1, -1))
    return images_png(images, 1, GAP_SCALE, padding=0)


def _values_at(maps: PlaneMaps | None, z: np.ndarray) -> str:
    if maps is None:
        return ""
    names = ("confidence", "cycle_error")
    found = {name: sample_map(maps, maps.maps[name].numpy(), z.reshape(1, 2))[0] for name in names}
    if any(np.isnan(value) for value in found.values()):
        return t("overlay.gap_outside")
    return t("overlay.gap_values", confidence=found["confidence"], cycle=found["cycle_error"])


def show_gap(view: CacheView, pair: ModelPair, split: DatasetSplit, dataset: str) -> None:
    """The AE's largest gap decoded by the AE, and the matching point decoded by the VAE."""
    ae_maps, problem = model_maps(view, pair.ae)
    if ae_maps is None or pair.vae.loaded is None:
        st.info(problem or t("overlay.gap_needs_pair"))
        return
    gap = ae_maps.gap.numpy()
    vae_maps, _ = model_maps(view, pair.vae)
    vae_point = vae_point_like(pair, split, dataset, gap)
    st.markdown(t("overlay.gap_title", score=ae_maps.gap_score))
    ae_column, vae_column, note_column = st.columns([1, 1, 2])
    with ae_column:
        caption = t("overlay.gap_ae", x=gap[0], y=gap[1]) + " " + _values_at(ae_maps, gap)
        show_image(_decoded_png(pair.ae, gap), caption=caption)
    with vae_column:
        caption = t("overlay.gap_vae", x=vae_point[0], y=vae_point[1])
        show_image(
            _decoded_png(pair.vae, vae_point),
            caption=f"{caption} {_values_at(vae_maps, vae_point)}",
        )
    with note_column:
        st.caption(t("overlay.gap_explained"))


def gap_target(view: CacheView, slot: ModelSlot) -> tuple[float, float] | None:
    """The AE's largest gap as a point of its plane, or ``None`` when the cache has none."""
    maps, _ = model_maps(view, slot)
    if maps is None:
        return None
    return float(maps.gap[0]), float(maps.gap[1])


def chosen_maps(slot: ModelSlot, name: str) -> PlaneMaps | None:
    """The slot's cached maps when an overlay is chosen; a caption says why when there are none."""
    if name == NO_OVERLAY:
        return None
    maps, problem = model_maps(cache_view(), slot)
    if maps is None:
        st.caption(problem)
    return maps


def add_cached_overlay(figure: go.Figure, slot: ModelSlot, name: str) -> None:
    """Draw the chosen cached map under a model's latent map, or say why there is none."""
    maps = chosen_maps(slot, name)
    if maps is not None:
        add_map_overlay(figure, maps, name)


def gap_button(
    pair: ModelPair, key: str, on_jump: Callable[[float, float], None]
) -> CacheView | None:
    """The "show the largest gap" button; shown only where the AE has a current cached map.

    Args:
        key: The button's widget key.
        on_jump: Called with the gap's ``(x, y)`` when the button is pressed (before the rerun
            draws the widgets it moves).

    Returns:
        The cache view when the button is shown, else ``None``.
    """
    view = cache_view()
    target = gap_target(view, pair.ae)
    if target is None:
        return None
    st.button(
        t("overlay.gap_button"),
        key=key,
        on_click=on_jump,
        args=target,
        help=t("overlay.gap_button_help"),
    )
    return view


def add_cached_grid_overlay(
    figure: go.Figure, slot: ModelSlot, name: str, z: np.ndarray, shown: np.ndarray, steps: int
) -> None:
    """Tint a model's manifold grid with the chosen cached map, or say why there is none."""
    maps = chosen_maps(slot, name)
    if maps is not None:
        add_grid_overlay(figure, maps, name, z, shown, steps)
