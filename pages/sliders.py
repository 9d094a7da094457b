"""Sliders: one per latent dimension; one vector drives both decoders while the thumb moves.

The pictures are decoded in the browser (ui/components/latent_sliders.py), so they follow the
thumb without a rerun. Streamlit reruns this script only when the browser reports a vector
(on release, on an arrow key, on "reset" or "random"); then the downloads are rendered here.
"""

import numpy as np
import streamlit as st
import torch

from ui.components.latent_sliders import (
    SliderRequest,
    cached_decoder_spec,
    latent_sliders,
    slider_axes,
    valid_vector,
)
from ui.i18n import t
from ui.models import ModelPair, bundled_test_split, encoded_test_codes, model_pair
from ui.numbers import number_list
from ui.render import download_png, images_png, show_model_problem
from ui.shell import ensure_app_shell
from ui.state import Selection, SlidersState, current, widget_key
from vae_core.latent import decode_codes

COMPONENT_KEY = "sliders.component"
# the last vector the browser reported; a plain key, so it outlives a visit to another page
VECTOR_KEY = "sliders.vector"
# the vector the mounted component started from, and the models it was started for
START_KEY = "sliders.start"
START_MODELS_KEY = "sliders.start_models"
DOWNLOAD_SCALE = 10
# "codes": +-3 widened to both models' test codes; "prior": +-3 only
WINDOWS = ("codes", "prior")


def code_sets(pair: ModelPair, dataset: str) -> list[np.ndarray | None]:
    """Per model, the test images' mean codes, or ``None`` when they cannot be computed."""
    split, _ = bundled_test_split(dataset)
    return [
        encoded_test_codes(slot.loaded, dataset, split.images).mu
        if slot.loaded is not None and split is not None
        else None
        for slot in pair.slots
    ]


def start_vector(signature: str, latent_dim: int) -> list[float]:
    """The vector to start from: kept while the component stays mounted with the same models.

    A fresh mount (first visit, back from another page) or a new pair of models starts from
    the last reported vector, so the payload, and with it the weights, is sent only then.
    """
    mounted = COMPONENT_KEY in st.session_state
    if not mounted or st.session_state.get(START_MODELS_KEY) != signature:
        saved = valid_vector(st.session_state.get(VECTOR_KEY), latent_dim)
        st.session_state[START_KEY] = saved or [0.0] * latent_dim
        st.session_state[START_MODELS_KEY] = signature
    return st.session_state[START_KEY]


def component_text() -> dict[str, object]:
    kinds = ("ae", "vae")
    return {
        "captions": [t(f"kind.{kind}.short") for kind in kinds],
        "missing": [t("sliders.missing") for _ in kinds],
        "bands": [t(f"sliders.band.{kind}") for kind in kinds],
        "reset": t("sliders.reset"),
        "random": t("sliders.random"),
        "dimension": t("sliders.dimension"),
    }


def show_downloads(pair: ModelPair, z: list[float]) -> None:
    """The current pictures as PNG, decoded here by torch from the reported vector."""
    # adding 0.0 turns a rounded -0.0 into 0.0, which prints without a sign
    shown = number_list((round(value, 2) + 0.0 for value in z), ".2f")
    st.caption(t("sliders.vector", vector=shown))
    code = torch.tensor([z])
    columns = st.columns(len(pair.slots))
    for column, slot in zip(columns, pair.slots, strict=True):
        if slot.loaded is None:
            continue
        png = images_png(decode_codes(slot.loaded.model, code), 1, DOWNLOAD_SCALE, padding=0)
        with column:
            download_png(png, f"{slot.name}-sliders.png", f"sliders.download.{slot.kind}")


def controls() -> SlidersState:
    """The slider range and the seed of the random button, in one row."""
    window_column, seed_column, _ = st.columns([2, 1, 1])
    with window_column:
        st.segmented_control(
            t("sliders.window"),
            WINDOWS,
            key=widget_key(SlidersState, "window"),
            format_func=lambda window: t(f"sliders.window.{window}"),
            required=True,
        )
    with seed_column:
        st.number_input(t("sliders.seed"), 0, None, key=widget_key(SlidersState, "seed"), step=1)
    return current(SlidersState)


def slider_request(pair: ModelPair, dataset: str, state: SlidersState) -> SliderRequest:
    """Everything the component needs: both decoders, the axes, the start and the text."""
    latent_dim = pair.loaded[0].model.latent_dim
    models = ":".join(slot.loaded.sha256 if slot.loaded else slot.name for slot in pair.slots)
    # a new window rebuilds the sliders, so it restarts from the last vector like new models
    signature = f"{models}:{state.window}"
    return SliderRequest(
        decoders=[cached_decoder_spec(slot.loaded) if slot.loaded else None for slot in pair.slots],
        signature=signature,
        axes=slider_axes(latent_dim, code_sets(pair, dataset), state.window == "codes"),
        start=start_vector(signature, latent_dim),
        revision=0,
        seed=state.seed,
        text=component_text(),
    )


def main() -> None:
    selection = current(Selection)
    current(SlidersState)
    st.title(t("sliders.title"))
    st.caption(t("sliders.intro"))
    pair = model_pair(selection)
    for slot in pair.slots:
        if slot.loaded is None:
            show_model_problem(slot)
    if not pair.loaded:
        return

    state = controls()
    request = slider_request(pair, selection.dataset, state)
    reported = latent_sliders(request, key=COMPONENT_KEY)
    if reported is not None:
        st.session_state[VECTOR_KEY] = reported
    st.caption(t("sliders.how"))
    show_downloads(pair, reported or list(request.start))


ensure_app_shell()
main()
