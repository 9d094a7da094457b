"""The sidebar: which data set, latent size and beta every page shows, and the language."""

from __future__ import annotations

import streamlit as st

from ui.i18n import LANGUAGE_NAMES, t
from ui.models import available_betas, model_pair
from ui.state import DATASETS, LANGUAGES, LATENT_DIMS, Selection, current, widget_key


def _beta_control(dataset: str, latent_dim: int) -> None:
    """The beta choice, shown only where a ladder of VAEs exists."""
    key = widget_key(Selection, "beta")
    betas = available_betas(dataset, latent_dim)
    # a beta left over from another data set or latent size would name a missing file
    if st.session_state.get(key) not in betas:
        st.session_state[key] = Selection.beta
    if len(betas) > 1:
        st.selectbox(
            t("sidebar.beta"),
            betas,
            key=key,
            format_func=lambda beta: f"{beta:g}",
            help=t("sidebar.beta_help"),
        )


def render_sidebar() -> Selection:
    """Draw the sidebar's widgets and return the selection they describe."""
    current(Selection)
    with st.sidebar:
        st.header(t("sidebar.header"))
        st.selectbox(
            t("sidebar.dataset"),
            DATASETS,
            key=widget_key(Selection, "dataset"),
            format_func=lambda name: t(f"dataset.{name}"),
        )
        st.radio(
            t("sidebar.latent_dim"),
            LATENT_DIMS,
            key=widget_key(Selection, "latent_dim"),
            horizontal=True,
        )
        dataset = st.session_state[widget_key(Selection, "dataset")]
        _beta_control(dataset, st.session_state[widget_key(Selection, "latent_dim")])
        selection = current(Selection)
        pair = model_pair(selection)
        st.caption(t("sidebar.pair", ae=pair.ae.name, vae=pair.vae.name))
        st.radio(
            t("sidebar.language"),
            LANGUAGES,
            key=widget_key(Selection, "language"),
            format_func=LANGUAGE_NAMES.__getitem__,
            horizontal=True,
        )
    return selection
