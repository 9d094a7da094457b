"""Reading cached maps: orientation, bilinear look-up, display values."""

from __future__ import annotations

import numpy as np
import torch

from ui.overlays import display_values, map_trace, sample_map
from vae_core.gap_maps import PlaneMaps
from vae_core.latent import grid_codes

STEPS = 5
WINDOW = (-2.0, 2.0, 10.0, 14.0)


def linear_maps() -> PlaneMaps:
    """Maps whose every value is ``x + 10 y`` at the cell's code, laid out like the cache."""
    grid = grid_codes((WINDOW[0], WINDOW[1]), (WINDOW[2], WINDOW[3]), STEPS)
    values = (grid[:, 0] + 10 * grid[:, 1]).reshape(STEPS, STEPS)
    maps = {name: values for name in ("density", "confidence", "cycle_error", "sensitivity")}
    return PlaneMaps(WINDOW, WINDOW, maps, torch.zeros(2), 0.0, torch.zeros(0, 2))


def test_sample_map_is_exact_on_a_linear_map_and_nan_outside() -> None:
    maps = linear_maps()
    z = np.array([[0.3, 11.7], [-2.0, 14.0], [2.0, 10.0], [2.5, 12.0], [0.0, 9.0]])
    found = sample_map(maps, maps.maps["confidence"].numpy(), z)
    expected = z[:3, 0] + 10 * z[:3, 1]
    assert np.allclose(found[:3], expected, atol=1e-4)
    assert np.isnan(found[3:]).all()


def test_map_trace_puts_large_y_at_the_top() -> None:
    trace = map_trace(linear_maps(), "confidence")
    values = np.asarray(trace.z)
    # heatmap rows follow trace.y upwards: each row's values grow with y
    assert np.all(np.diff(np.asarray(trace.y)) > 0)
    assert np.all(np.diff(values[:, 0]) > 0)
    assert values[0, 0] == WINDOW[0] + 10 * WINDOW[2]


def test_density_is_shown_as_a_floored_log() -> None:
    maps = linear_maps()
    density = torch.tensor([[1.0, 1e-9], [1e-2, 0.0]])
    maps.maps["density"] = density
    shown = display_values(maps, "density")
    assert np.allclose(shown[:, 0], [0.0, -2.0])
    # zero and vanishing densities stop four decades below the peak
    assert np.allclose(shown[:, 1], [-4.0, -4.0])
