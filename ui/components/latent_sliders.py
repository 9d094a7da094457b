"""One slider per latent dimension, decoding both models in the browser while the thumb moves.

Streamlit's own slider reports its value only on release, which hides the continuity this view
exists to show. This component receives both decoders' Linear layers once (base64 float32) and
runs them in JavaScript (``latent_sliders.js``) on every ``input`` event, so both pictures follow
the thumb. Python hears the vector when the thumb is released, a key is pressed or a button is
clicked, and renders the downloads from it.

The payload only changes when the models, the text or the starting vector change, so reruns
after a release send the same message again and Streamlit's message cache turns it into a
reference instead of resending the weights.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st
import torch
from torch import nn

from vae_core.checkpoints import LoadedModel
from vae_core.models import Autoencoder

COMPONENT_NAME = "lse_latent_sliders"
ASSETS = Path(__file__).resolve().parent
# +-3 standard deviations of the VAE's prior N(0, I) hold 99.7 % of its mass per dimension
PRIOR_RANGE = 3.0
# the bands under each slider show where the middle 98 % of the test images' codes lie
BAND_QUANTILES = (0.01, 0.99)
# slider ends are rounded outwards to this grid, so the labels read well
RANGE_ROUNDING = 0.5
# a step that divides RANGE_ROUNDING keeps 0 exactly reachable on every slider
SLIDER_STEP = 0.01


@dataclass(frozen=True)
class SliderAxis:
    """One slider: its range, its step and, per model, where that model's test codes lie.

    Args:
        low: Left end of the slider.
        high: Right end of the slider.
        step: Smallest change of the value.
        bands: ``(low, high)`` of the test codes per model (AE, VAE), ``None`` if unknown.
    """

    low: float
    high: float
    step: float
    bands: tuple[tuple[float, float] | None, ...]

    def to_json(self) -> dict[str, Any]:
        """The form the JavaScript reads."""
        bands = [list(band) if band is not None else None for band in self.bands]
        return {"low": self.low, "high": self.high, "step": self.step, "bands": bands}


def _round_out(value: float, outwards: int) -> float:
    """Round to :data:`RANGE_ROUNDING` away from zero in the direction ``outwards`` (+1/-1)."""
    rounder = math.ceil if outwards > 0 else math.floor
    return rounder(value / RANGE_ROUNDING) * RANGE_ROUNDING


def slider_axes(
    latent_dim: int, code_sets: Sequence[np.ndarray | None], cover_codes: bool = True
) -> list[SliderAxis]:
    """Slider ranges over the VAE's prior, widened to every model's test codes if asked.

    One vector drives both decoders, so each slider spans ``[-3, 3]`` (the prior), widened
    (``cover_codes``) to include the middle 98 % of each model's codes in that dimension: a
    plain AE's codes live on a scale of their own, and the bands show where.

    Args:
        latent_dim: Number of sliders.
        code_sets: Per model, its test codes ``(N, latent_dim)``, or ``None`` if unknown.
        cover_codes: Widen the range to the codes; otherwise keep ``[-3, 3]``.

    Returns:
        One :class:`SliderAxis` per latent dimension.
    """
    bands_per_model = [
        np.quantile(codes, BAND_QUANTILES, axis=0).T if codes is not None else None
        for codes in code_sets
    ]
    axes = []
    for dim in range(latent_dim):
        bands = tuple(
            (float(found[dim, 0]), float(found[dim, 1])) if found is not None else None
            for found in bands_per_model
        )
        ends = [end for band in bands if band is not None for end in band] if cover_codes else []
        low = _round_out(min([-PRIOR_RANGE, *ends]), -1)
        high = _round_out(max([PRIOR_RANGE, *ends]), +1)
        axes.append(SliderAxis(low, high, SLIDER_STEP, bands))
    return axes


def decoder_layers(model: Autoencoder) -> list[nn.Linear]:
    """The decoder's Linear layers in order; ReLU follows each but the last (then a sigmoid).

    Raises:
        ValueError: If the decoder is not the Linear/ReLU stack the JavaScript reproduces.
    """
    trunk = list(model.decoder.trunk)
    linears, activations = trunk[0::2], trunk[1::2]
    if not all(isinstance(layer, nn.Linear) for layer in linears) or not all(
        isinstance(layer, nn.ReLU) for layer in activations
    ):
        raise ValueError("the decoder trunk must alternate Linear and ReLU layers")
    if len(linears) != len(activations):
        raise ValueError("every Linear layer of the decoder trunk must be followed by a ReLU")
    return [*linears, model.decoder.to_logits]


def float32_base64(tensor: torch.Tensor) -> str:
    """Base64 of a tensor's values as little-endian float32, row by row."""
    values = tensor.detach().cpu().to(torch.float32).contiguous().numpy()
    return base64.b64encode(values.astype("<f4").tobytes()).decode("ascii")


def decoder_spec(model: Autoencoder) -> dict[str, Any]:
    """Everything the browser needs to decode like ``model.decode``: layers and image size."""
    layers = [
        {
            "inputs": layer.in_features,
            "outputs": layer.out_features,
            "weight": float32_base64(layer.weight),
            "bias": float32_base64(layer.bias),
        }
        for layer in decoder_layers(model)
    ]
    return {"layers": layers, "image_size": model.config.image_size}


# a resource, not data: every session shares the one read-only payload instead of a copy
@st.cache_resource(show_spinner=False, max_entries=32)
def _cached_spec(sha256: str, _model: Autoencoder) -> dict[str, Any]:
    return decoder_spec(_model)


def cached_decoder_spec(loaded: LoadedModel) -> dict[str, Any]:
    """:func:`decoder_spec` of a loaded checkpoint, computed once per file hash; never mutate it."""
    return _cached_spec(loaded.sha256, loaded.model)


_RENDERER = st.components.v2.component(
    COMPONENT_NAME,
    html=(ASSETS / "latent_sliders.html").read_text(encoding="utf-8"),
    css=(ASSETS / "latent_sliders.css").read_text(encoding="utf-8"),
    js=(ASSETS / "latent_sliders.js").read_text(encoding="utf-8"),
)


@dataclass(frozen=True)
class SliderRequest:
    """What the page asks the component to show.

    Args:
        decoders: Per model (AE, VAE), its :func:`decoder_spec`, or ``None`` if missing.
        signature: Changes whenever the models change (e.g. their checkpoint hashes).
        axes: One :class:`SliderAxis` per latent dimension.
        start: The vector the sliders start from.
        revision: Bump it to move the sliders to ``start`` while the component stays mounted.
        seed: Seed of the "random" button's sequence.
        text: Visible strings: ``captions``, ``missing``, ``bands`` (lists, one per model),
            ``reset``, ``random``, ``dimension``.
    """

    decoders: Sequence[dict[str, Any] | None]
    signature: str
    axes: Sequence[SliderAxis]
    start: Sequence[float]
    revision: int
    seed: int
    text: dict[str, Any]


def latent_sliders(request: SliderRequest, key: str) -> list[float] | None:
    """Mount the sliders and return the vector the browser last reported, if it is valid.

    Returns:
        The reported vector (one float per axis), or ``None`` before the first report or
        when the report does not fit the axes (e.g. just after the latent size changed).
    """
    image_size = next((spec["image_size"] for spec in request.decoders if spec), 0)
    data = {
        "decoders": list(request.decoders),
        "signature": request.signature,
        "axes": [axis.to_json() for axis in request.axes],
        "z": [float(value) for value in request.start],
        "revision": request.revision,
        "seed": request.seed,
        "text": request.text,
        "image_size": image_size,
    }
    result = _RENDERER(key=key, data=data, on_z_change=lambda: None)
    return valid_vector(result.get("z"), len(request.axes))


def valid_vector(value: Any, latent_dim: int) -> list[float] | None:
    """``value`` as a list of ``latent_dim`` finite floats, or ``None`` if it is not one."""
    if not isinstance(value, list) or len(value) != latent_dim:
        return None
    if not all(isinstance(item, int | float) and math.isfinite(item) for item in value):
        return None
    return [float(item) for item in value]
