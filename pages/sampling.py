"""Sampling: codes from N(0, I) decoded by both models, and a fair second chance for the AE."""

import math

import streamlit as st
import torch

from ui.i18n import t
from ui.models import ModelSlot, encoded_test_codes, model_pair
from ui.render import images_png, model_columns, show_png, test_split_or_explain
from ui.shell import ensure_app_shell
from ui.state import SamplingState, Selection, current, widget_key
from vae_core.data import DatasetSplit
from vae_core.latent import decode_codes, fit_gaussian, sample_gaussian, sample_prior

COUNTS = (16, 36, 64)
TEMPERATURE_RANGE = (0.1, 2.0)
TEMPERATURE_STEP = 0.1
SAMPLE_SCALE = 2


def next_seed() -> None:
    """Button callback: move to the next seed."""
    st.session_state[widget_key(SamplingState, "seed")] += 1


def controls() -> SamplingState:
    """Seed, temperature and number of samples in one row."""
    seed_column, button_column, temperature_column, count_column = st.columns([2, 1, 3, 2])
    with seed_column:
        st.number_input(t("common.seed"), 0, None, key=widget_key(SamplingState, "seed"), step=1)
    with button_column:
        st.button(t("common.new_seed"), key="sampling.next_seed", on_click=next_seed)
    with temperature_column:
        st.slider(
            t("sampling.temperature"),
            *TEMPERATURE_RANGE,
            step=TEMPERATURE_STEP,
            key=widget_key(SamplingState, "temperature"),
            help=t("sampling.temperature_help"),
        )
    with count_column:
        st.selectbox(t("sampling.count"), COUNTS, key=widget_key(SamplingState, "count"))
    return current(SamplingState)


def show_samples(z: torch.Tensor, slot: ModelSlot, caption: str, name: str) -> None:
    """Decode codes ``(count, latent_dim)`` and show them as a square grid with a download."""
    assert slot.loaded is not None
    columns = math.isqrt(z.shape[0])
    png = images_png(decode_codes(slot.loaded.model, z), columns, SAMPLE_SCALE)
    show_png(png, caption, f"{slot.name}-{name}.png", f"sampling.download.{slot.kind}.{name}")


def draw_samples(slot: ModelSlot, split: DatasetSplit, dataset: str, state: SamplingState) -> None:
    """The prior's samples; for the AE also samples from a Gaussian fitted to its codes."""
    assert slot.loaded is not None
    latent_dim = slot.loaded.model.latent_dim
    z = sample_prior(state.count, latent_dim, state.seed, state.temperature)
    show_samples(z, slot, t("sampling.from_prior"), "prior")
    if slot.kind == "ae":
        codes = encoded_test_codes(slot.loaded, dataset, split.images)
        mean, covariance = fit_gaussian(torch.from_numpy(codes.mu))
        z = sample_gaussian(mean, covariance, state.count, state.seed, state.temperature)
        show_samples(z, slot, t("sampling.from_fitted"), "fitted")


def main() -> None:
    selection = current(Selection)
    current(SamplingState)
    st.title(t("sampling.title"))
    st.caption(t("sampling.intro"))
    split = test_split_or_explain(selection.dataset)
    if split is None:
        return
    state = controls()
    pair = model_pair(selection)
    model_columns(pair, lambda slot: draw_samples(slot, split, selection.dataset, state))
    st.caption(t("sampling.note"))


ensure_app_shell()
main()
