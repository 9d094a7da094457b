"""Where a 2-D latent space has gaps: maps over the plane and the largest gap.

Four grids over a window around the encoded test images, all in the model's own coordinates:
the density of the codes, the judge's confidence in the image decoded at each cell, the cycle
error ``||E(D(z)) - z||`` and the decoder's sensitivity ``||dD/dz||``. The app draws them under
the latent map and over the manifold grid. The largest gap is the cell among the codes where
few codes lie and the decoded image does not encode back to where it came from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from vae_core.judge import Judge, judge_outputs
from vae_core.latent import decode_codes, grid_codes
from vae_core.metrics import (
    CHUNK_SIZE,
    MetricSettings,
    cycle_errors,
    decoder_sensitivity,
    frame_decoder,
    own_frame,
    whitened_frame,
)
from vae_core.models import Autoencoder

MAP_NAMES = ("density", "confidence", "cycle_error", "sensitivity")
# the largest gap is searched inside the hull of this share of codes, the densest ones
CORE_SHARE = 0.99


@dataclass(frozen=True)
class PlaneMaps:
    """Grids over a 2-D window in the model's own coordinates, row 0 at the top (largest y).

    Args:
        window: ``(x_min, x_max, y_min, y_max)`` of the grid's cell centres.
        box: The codes' bounding box ``(x_min, x_max, y_min, y_max)``.
        maps: Name (see :data:`MAP_NAMES`) to ``(steps, steps)`` grid.
        gap: The largest gap's code ``(2,)`` (see :func:`largest_gap`).
        gap_score: Its score in [0, 1].
        hull: Corners ``(H, 2)`` of the region searched for the gap (see :func:`core_hull`).
    """

    window: tuple[float, float, float, float]
    box: tuple[float, float, float, float]
    maps: dict[str, torch.Tensor]
    gap: torch.Tensor
    gap_score: float
    hull: torch.Tensor


def kde_density(codes: torch.Tensor, points: torch.Tensor) -> torch.Tensor:
    """Gaussian kernel density of ``codes`` ``(N, d)`` at ``points`` ``(P, d)``: ``(P,)``.

    The kernel's covariance is the codes' covariance times Scott's factor squared,
    ``N^(-2 / (d + 4))`` (Scott 1992), so the smoothing follows the codes' own scale.
    """
    count, latent_dim = codes.shape
    frame = whitened_frame(codes)
    bandwidth = count ** (-1 / (latent_dim + 4))
    scaled_codes = frame.to_frame(codes) / bandwidth
    scaled_points = frame.to_frame(points) / bandwidth
    normaliser = (
        torch.linalg.det(frame.whiten).abs() / (bandwidth * math.sqrt(2 * math.pi)) ** latent_dim
    )
    densities = []
    for chunk in scaled_points.split(CHUNK_SIZE):
        squared = torch.cdist(chunk, scaled_codes).pow(2)
        densities.append(torch.exp(-0.5 * squared).mean(dim=1))
    return torch.cat(densities) * normaliser


def plane_window(
    codes: torch.Tensor, margin: float
) -> tuple[tuple[float, float, float, float], tuple[float, float, float, float]]:
    """The map window (the codes' bounding box widened by ``margin`` of its range) and the box."""
    low, high = codes.min(dim=0).values, codes.max(dim=0).values
    pad = margin * (high - low)
    box = (low[0].item(), high[0].item(), low[1].item(), high[1].item())
    window = (
        (low[0] - pad[0]).item(),
        (high[0] + pad[0]).item(),
        (low[1] - pad[1]).item(),
        (high[1] + pad[1]).item(),
    )
    return window, box


def convex_hull(points: torch.Tensor) -> torch.Tensor:
    """Corners ``(H, 2)`` of the convex hull of ``points`` ``(N, 2)``, counter-clockwise.

    Andrew's monotone chain: sort by x (then y), build the lower and the upper chain, dropping
    every point that would make a clockwise turn.
    """
    ordered = sorted(set(map(tuple, points.tolist())))
    if len(ordered) < 3:
        return torch.tensor(ordered, dtype=points.dtype)

    def chain(candidates: list[tuple[float, float]]) -> list[tuple[float, float]]:
        kept: list[tuple[float, float]] = []
        for point in candidates:
            while len(kept) >= 2 and _cross(kept[-2], kept[-1], point) <= 0:
                kept.pop()
            kept.append(point)
        return kept[:-1]

    return torch.tensor(chain(ordered) + chain(ordered[::-1]), dtype=points.dtype)


def _cross(origin: tuple[float, ...], a: tuple[float, ...], b: tuple[float, ...]) -> float:
    return (a[0] - origin[0]) * (b[1] - origin[1]) - (a[1] - origin[1]) * (b[0] - origin[0])


def inside_hull(points: torch.Tensor, hull: torch.Tensor) -> torch.Tensor:
    """Whether each point ``(P, 2)`` lies in a counter-clockwise convex polygon ``(H, 2)``."""
    edges = hull.roll(-1, dims=0) - hull
    # (H, P): a point is inside when it is left of (or on) every edge
    offsets = points.unsqueeze(0) - hull.unsqueeze(1)
    cross = edges[:, :1] * offsets[..., 1] - edges[:, 1:] * offsets[..., 0]
    return (cross >= 0).all(dim=0)


def core_hull(codes: torch.Tensor, share: float = CORE_SHARE) -> torch.Tensor:
    """The convex hull of the ``share`` of codes in the densest places (outliers left out)."""
    density = kde_density(codes, codes)
    keep = density >= torch.quantile(density, 1 - share)
    return convex_hull(codes[keep])


def largest_gap(
    grid: torch.Tensor, maps: dict[str, torch.Tensor], hull: torch.Tensor
) -> tuple[int, float]:
    """The grid cell among the codes that looks most like a hole.

    Score = ``(1 - density / max density) * (cycle error / max cycle error)`` over the cells
    whose centres lie inside ``hull`` (the codes' core, see :func:`core_hull`), so an empty
    corner outside the cloud does not count: high where few codes live *between* others *and*
    the decoded image does not encode back to where it came from, i.e. where the decoder
    invents an image nobody trained it on.

    Args:
        grid: Cell centres ``(steps * steps, 2)``, ordered like the maps' flattened cells.
        hull: Corners ``(H, 2)`` of a convex polygon, counter-clockwise.

    Returns:
        The flat index of the cell and its score in [0, 1].
    """
    inside = inside_hull(grid, hull)
    if not inside.any():
        inside = torch.ones_like(inside)
    density, cycle = maps["density"].flatten(), maps["cycle_error"].flatten()
    emptiness = 1 - density / density[inside].max().clamp(min=1e-30)
    badness = cycle / cycle[inside].max().clamp(min=1e-30)
    score = torch.where(inside, emptiness * badness, -1.0)
    index = int(score.argmax().item())
    return index, score[index].item()


def plane_maps(
    model: Autoencoder, judge: Judge, codes: torch.Tensor, settings: MetricSettings
) -> PlaneMaps:
    """Density, judge confidence, cycle error and sensitivity over a window around the codes.

    Args:
        model: A model with a 2-D latent space.
        codes: Its encoded test images ``(N, 2)``.

    Returns:
        The maps, in the model's own coordinates and units.
    """
    window, box = plane_window(codes, settings.map_margin)
    steps = settings.map_steps
    grid = grid_codes((window[0], window[1]), (window[2], window[3]), steps)
    frame = own_frame(model.latent_dim)
    probabilities, _ = judge_outputs(judge, decode_codes(model, grid))
    flat = {
        "density": kde_density(codes, grid),
        "confidence": probabilities.max(dim=1).values,
        "cycle_error": cycle_errors(model, frame, grid),
        "sensitivity": decoder_sensitivity(frame_decoder(model, frame), grid),
    }
    maps = {name: values.reshape(steps, steps) for name, values in flat.items()}
    hull = core_hull(codes)
    index, score = largest_gap(grid, maps, hull)
    return PlaneMaps(window, box, maps, grid[index].clone(), score, hull)
