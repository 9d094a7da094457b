"""Every view's state in one place: a frozen dataclass of defaults per view.

Each field of a view's dataclass is stored in ``st.session_state`` under ``"<view>.<field>"``,
and the page's widgets use exactly those keys. A presentation mode or a URL handler can
therefore set any view before its page runs (``set_view``), and a test can do the same through
``AppTest.session_state``. Seeds are explicit fields, so the same state draws the same pictures.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar, TypeVar

import streamlit as st

DATASETS = ("fashion-mnist", "mnist")
LATENT_DIMS = (2, 16)
LANGUAGES = ("en", "pl")
DEFAULT_SEED = 0
# the beta ladder exists only for this data set and latent size
BETA_LADDER_DATASET = "fashion-mnist"
BETA_LADDER_LATENT_DIM = 2


@dataclass(frozen=True)
class Selection:
    """The sidebar: which pair of models every page shows, and in which language."""

    PREFIX: ClassVar[str] = "sidebar"
    dataset: str = "fashion-mnist"
    latent_dim: int = 2
    beta: float = 1.0
    language: str = "en"


@dataclass(frozen=True)
class LatentMapState:
    """Latent map: the selected test image and the point on the latent pad."""

    PREFIX: ClassVar[str] = "latent_map"
    selected_index: int = 0
    pad_x: float = 0.0
    pad_y: float = 0.0
    # half-width of the pad's window; 0 chooses one that covers both models' codes
    pad_extent: float = 0.0
    # a cached metrics map under the codes ("none" or one of vae_core.metrics.MAP_NAMES)
    overlay: str = "none"
    # whether the AE's largest gap (from the metrics cache) is shown under the maps
    show_gap: bool = False


@dataclass(frozen=True)
class SlidersState:
    """Sliders: the seed of "random" and the slider range (the values live in the component).

    ``window`` is ``"codes"`` (the prior's +-3 widened to both models' test codes) or
    ``"prior"`` (+-3 only, finer steps inside the VAE's prior).
    """

    PREFIX: ClassVar[str] = "sliders"
    seed: int = DEFAULT_SEED
    window: str = "codes"


@dataclass(frozen=True)
class ManifoldGridState:
    """Manifold grid: grid size, window and whether the cells follow the prior's quantiles."""

    PREFIX: ClassVar[str] = "manifold_grid"
    steps: int = 15
    extent: float = 3.0
    gaussian: bool = False
    show_density: bool = True
    # a cached metrics map over the tiles ("none" or one of vae_core.metrics.MAP_NAMES)
    overlay: str = "none"


@dataclass(frozen=True)
class InterpolationState:
    """Interpolation: the two test images, the number of steps and the seed of "random"."""

    PREFIX: ClassVar[str] = "interpolation"
    start_index: int = 0
    end_index: int = 1
    steps: int = 10
    seed: int = DEFAULT_SEED


@dataclass(frozen=True)
class SamplingState:
    """Sampling: how many codes are drawn, from which seed and at which temperature."""

    PREFIX: ClassVar[str] = "sampling"
    seed: int = DEFAULT_SEED
    temperature: float = 1.0
    count: int = 36


@dataclass(frozen=True)
class DrawState:
    """Draw or upload: nothing beyond the widgets' own state yet."""

    PREFIX: ClassVar[str] = "draw"


@dataclass(frozen=True)
class ApplicationsState:
    """What autoencoders are for: denoising strength and the seeds of both experiments."""

    PREFIX: ClassVar[str] = "applications"
    noise: float = 0.3
    seed: int = DEFAULT_SEED
    count: int = 8
    # anomaly scores minus each image's own floor (see ui.analysis.above_floor)
    above_floor: bool = True


@dataclass(frozen=True)
class MetricsState:
    """Metrics: which cached map the maps and the beta ladder show."""

    PREFIX: ClassVar[str] = "metrics"
    # the cached map shown for the pair and across the beta ladder
    map_name: str = "density"
    ladder_map: str = "confidence"


ViewState = TypeVar("ViewState")


def widget_key(state_class: type, field_name: str) -> str:
    """The session-state key (and widget key) of one field of a view."""
    names = {item.name for item in fields(state_class)}
    if field_name not in names:
        raise KeyError(f"{state_class.__name__} has no field {field_name!r}")
    return f"{state_class.PREFIX}.{field_name}"  # type: ignore[attr-defined]


def ensure_defaults(state_class: type) -> None:
    """Put the view's default values into session state where nothing is set yet."""
    for item in fields(state_class):
        key = widget_key(state_class, item.name)
        if key not in st.session_state:
            st.session_state[key] = item.default


def current(state_class: type[ViewState]) -> ViewState:
    """The view's state as its dataclass, filling in defaults first."""
    ensure_defaults(state_class)
    values = {
        item.name: st.session_state[widget_key(state_class, item.name)]
        for item in fields(state_class)  # type: ignore[arg-type]
    }
    return state_class(**values)


def set_view(state: Any) -> None:
    """Write a whole view state (e.g. from a presentation script) into session state."""
    for item in fields(state):
        st.session_state[widget_key(type(state), item.name)] = getattr(state, item.name)


def language() -> str:
    """The current language code, ``"en"`` until the sidebar has set one."""
    value = st.session_state.get(widget_key(Selection, "language"), Selection.language)
    return value if value in LANGUAGES else Selection.language
