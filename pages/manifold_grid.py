"""Manifold grid: an N x N grid of decoded codes over a window, with the codes' density on top."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st
import torch
from PIL import Image

from ui.analysis import Plane, frame_for, plane_for
from ui.i18n import t
from ui.models import ModelSlot, encoded_test_codes, model_pair
from ui.overlays import add_cached_grid_overlay, overlay_note, overlay_selector
from ui.render import (
    download_png,
    grid_array,
    model_columns,
    png_bytes,
    show_chart,
    test_split_or_explain,
)
from ui.shell import ensure_app_shell
from ui.state import ManifoldGridState, Selection, current, widget_key
from vae_core.data import DatasetSplit
from vae_core.latent import decode_codes, gaussian_grid_codes, grid_codes

STEPS_RANGE = (5, 25)
EXTENT_RANGE = (0.5, 5.0)
EXTENT_STEP = 0.5
FIGURE_HEIGHT = 420
DOWNLOAD_SCALE = 2
MOSAIC_SCALE = 2
DENSITY_CONTOURS = 8
DENSITY_COLOURS = [[0.0, "#EECA3B"], [1.0, "#E45756"]]


def unit_grid(state: ManifoldGridState) -> torch.Tensor:
    """Grid points ``(steps * steps, 2)`` in standard deviations of the model's frame."""
    if state.gaussian:
        return gaussian_grid_codes(state.steps)
    window = (-state.extent, state.extent)
    return grid_codes(window, window, state.steps)


def display_coordinates(state: ManifoldGridState, standard: np.ndarray) -> np.ndarray:
    """Where points given in the frame's standard deviations are drawn.

    On the window grid that is the standardised plane itself. On the Gaussian grid every cell
    holds the same probability mass, so the axes show each point's quantile ``Phi(p)`` and the
    cells become equal squares.
    """
    if not state.gaussian:
        return standard
    return torch.special.ndtr(torch.from_numpy(standard)).numpy()


def image_box(state: ManifoldGridState) -> tuple[float, float]:
    """Lower and upper edge of the square mosaic on both display axes."""
    if state.gaussian:
        return 0.0, 1.0
    # the outer tiles are centred on the window's edges: the mosaic reaches half a cell beyond
    reach = state.extent + state.extent / (state.steps - 1)
    return -reach, reach


def grid_figure(state: ManifoldGridState, mosaic: np.ndarray, density: np.ndarray) -> go.Figure:
    """The square mosaic over its window, with the codes' density as contour lines."""
    low, high = image_box(state)
    figure = go.Figure()
    figure.add_layout_image(
        # twice the chart's size: the browser then shrinks it smoothly instead of enlarging
        source=Image.fromarray(mosaic, mode="L").resize(
            (mosaic.shape[1] * MOSAIC_SCALE, mosaic.shape[0] * MOSAIC_SCALE),
            Image.Resampling.NEAREST,
        ),
        xref="x",
        yref="y",
        x=low,
        y=high,
        sizex=high - low,
        sizey=high - low,
        sizing="stretch",
        layer="below",
    )
    if state.show_density:
        figure.add_trace(
            go.Histogram2dContour(
                x=density[:, 0],
                y=density[:, 1],
                ncontours=DENSITY_CONTOURS,
                contours={"coloring": "lines"},
                colorscale=DENSITY_COLOURS,
                showscale=False,
                line={"width": 1.5},
                hoverinfo="skip",
                name=t("grid.density"),
            )
        )
    figure.update_xaxes(range=[low, high], showgrid=False, zeroline=False, constrain="domain")
    # equal scales keep every tile square
    figure.update_yaxes(
        range=[low, high], showgrid=False, zeroline=False, scaleanchor="x", constrain="domain"
    )
    figure.update_layout(height=FIGURE_HEIGHT, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return figure


def axis_title(state: ManifoldGridState, plane: Plane, kind: str, number: int) -> str:
    """``z1``, a principal direction, either standardised (AE) and/or as a quantile."""
    title = t("latent.axis_pca" if plane.is_pca else "latent.axis_z", number=number)
    if kind == "ae":
        title = t("grid.axis_standardised", axis=title)
    return t("grid.axis_quantile", axis=title) if state.gaussian else title


def draw_grid(slot: ModelSlot, split: DatasetSplit, dataset: str, state: ManifoldGridState) -> None:
    """Decode the grid with one model and show it over the density of its test codes."""
    assert slot.loaded is not None
    codes = encoded_test_codes(slot.loaded, dataset, split.images)
    plane = plane_for(codes.mu)
    frame = frame_for(slot.kind, plane, codes.mu)

    # lay the unit grid out in the model's frame, then lift it into the latent space
    points = frame.centre + unit_grid(state).numpy() * frame.scale
    z = torch.from_numpy(plane.lift(points.astype(np.float32))).float()
    mosaic = grid_array(decode_codes(slot.loaded.model, z), state.steps, padding=0)

    standard = (plane.project(codes.mu) - frame.centre) / frame.scale
    figure = grid_figure(state, mosaic, display_coordinates(state, standard))
    shown = display_coordinates(state, unit_grid(state).numpy())
    add_cached_grid_overlay(figure, slot, state.overlay, z.numpy(), shown, state.steps)
    figure.update_layout(
        xaxis_title=axis_title(state, plane, slot.kind, 1),
        yaxis_title=axis_title(state, plane, slot.kind, 2),
    )
    show_chart(figure, f"{slot.name}-manifold-grid", key=f"manifold_grid.chart.{slot.kind}")
    file_name = f"{slot.name}-grid-{state.steps}{'-gaussian' if state.gaussian else ''}.png"
    download_png(
        png_bytes(mosaic, DOWNLOAD_SCALE), file_name, f"manifold_grid.download.{slot.kind}"
    )


def controls() -> ManifoldGridState:
    """Grid size, window, quantile grid and density switches in one row."""
    steps_column, extent_column, switch_column = st.columns([2, 2, 2])
    with steps_column:
        st.slider(t("grid.steps"), *STEPS_RANGE, key=widget_key(ManifoldGridState, "steps"))
    state = current(ManifoldGridState)
    with extent_column:
        st.slider(
            t("grid.extent"),
            *EXTENT_RANGE,
            step=EXTENT_STEP,
            disabled=state.gaussian,
            key=widget_key(ManifoldGridState, "extent"),
            help=t("grid.extent_help"),
        )
    with switch_column:
        st.toggle(t("grid.gaussian"), key=widget_key(ManifoldGridState, "gaussian"))
        st.toggle(t("grid.show_density"), key=widget_key(ManifoldGridState, "show_density"))
    overlay_note(overlay_selector(widget_key(ManifoldGridState, "overlay")))
    return current(ManifoldGridState)


def main() -> None:
    selection = current(Selection)
    current(ManifoldGridState)
    st.title(t("grid.title"))
    st.caption(t("grid.intro"))
    split = test_split_or_explain(selection.dataset)
    if split is None:
        return
    state = controls()
    st.caption(t("grid.frame_note"))
    if selection.latent_dim != 2:
        st.info(t("grid.pca_note", latent_dim=selection.latent_dim))
    pair = model_pair(selection)
    model_columns(pair, lambda slot: draw_grid(slot, split, selection.dataset, state))


ensure_app_shell()
main()
