"""Latent map: the test images' codes, a clicked image's reconstructions, and a latent pad."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st
import torch

from ui.analysis import Plane, ellipse, frame_for, plane_for
from ui.i18n import class_names, t
from ui.models import ModelPair, ModelSlot, encoded_test_codes, model_pair
from ui.overlays import add_cached_overlay, gap_button, overlay_note, overlay_selector, show_gap
from ui.render import (
    class_scatter,
    download_png,
    images_png,
    model_columns,
    show_chart,
    show_image,
    style_plane,
    test_split_or_explain,
)
from ui.shell import ensure_app_shell
from ui.state import LatentMapState, Selection, current, widget_key
from vae_core.data import DatasetSplit
from vae_core.latent import decode_codes

SIGMA_RADII = (1, 2)
PRIOR_RADII = (1, 2, 3)
PAD_STEPS = 41
PAD_EXTENTS = (0.0, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0)
# the share of codes the automatic pad window covers on each axis
PAD_COVERAGE_PERCENTILE = 99.5
RECON_SCALE = 5
PAD_SCALE = 7
PAD_COLOURS = {"ae": "#F58518", "vae": "#4C78A8"}
SELECTED_COLOUR = "#E45756"
PRIOR_COLOUR = "#888888"


def chart_key(kind: str) -> str:
    return f"latent_map.chart.{kind}"


def select_from_chart(kind: str) -> None:
    """Callback of a map: the clicked point's test-image index becomes the selection."""
    points = st.session_state[chart_key(kind)]["selection"]["points"]
    indices = [point["customdata"] for point in points if "customdata" in point]
    if indices:
        index = indices[0][0] if isinstance(indices[0], list) else indices[0]
        st.session_state[widget_key(LatentMapState, "selected_index")] = int(index)


def axis_titles(plane: Plane) -> tuple[str, str]:
    if plane.is_pca:
        return t("latent.axis_pca", number=1), t("latent.axis_pca", number=2)
    return t("latent.axis_z", number=1), t("latent.axis_z", number=2)


def add_outline(
    figure: go.Figure, outline: np.ndarray, name: str, dash: str, colour: str, first: bool
) -> None:
    """One contour line; the lines of one name share a single legend entry."""
    figure.add_trace(
        go.Scattergl(
            x=outline[:, 0],
            y=outline[:, 1],
            mode="lines",
            name=name,
            legendgroup=name,
            showlegend=first,
            hoverinfo="skip",
            line={"dash": dash, "color": colour, "width": 2},
        )
    )


def add_vae_overlays(
    figure: go.Figure, plane: Plane, mu: np.ndarray, logvar: np.ndarray, index: int
) -> None:
    """The selected code's one- and two-sigma ellipses and the prior's contours."""
    centre = plane.project(mu[index : index + 1])[0]
    covariance = plane.project_covariance(np.exp(logvar[index]))
    name = t("latent.sigma", radii=", ".join(f"{radius}σ" for radius in SIGMA_RADII))
    for radius in SIGMA_RADII:
        outline = ellipse(centre, covariance, radius)
        add_outline(figure, outline, name, "solid", SELECTED_COLOUR, radius == SIGMA_RADII[0])
    prior = frame_for("vae", plane, mu)
    name = t("latent.prior", radii=", ".join(f"{radius}σ" for radius in PRIOR_RADII))
    for radius in PRIOR_RADII:
        outline = ellipse(prior.centre, np.eye(2), radius)
        add_outline(figure, outline, name, "dot", PRIOR_COLOUR, radius == PRIOR_RADII[0])


def draw_map(slot: ModelSlot, split: DatasetSplit, dataset: str, index: int) -> None:
    """One model's scatter of test codes, with the selected image marked."""
    assert slot.loaded is not None
    codes = encoded_test_codes(slot.loaded, dataset, split.images)
    plane = plane_for(codes.mu)
    points = plane.project(codes.mu)
    figure = class_scatter(points, split.labels.numpy(), class_names(dataset))
    figure.update_traces(unselected={"marker": {"opacity": 1.0}}, selector={"type": "scattergl"})
    if codes.logvar is not None:
        add_vae_overlays(figure, plane, codes.mu, codes.logvar, index)
    figure.add_trace(
        go.Scattergl(
            x=points[index : index + 1, 0],
            y=points[index : index + 1, 1],
            mode="markers",
            name=t("latent.selected", index=index),
            hoverinfo="skip",
            marker={
                "size": 14,
                "color": "rgba(0,0,0,0)",
                "line": {"color": SELECTED_COLOUR, "width": 3},
            },
        )
    )
    add_cached_overlay(figure, slot, current(LatentMapState).overlay)
    style_plane(figure, *axis_titles(plane))
    show_chart(
        figure,
        f"{slot.name}-latent-map",
        key=chart_key(slot.kind),
        on_select=lambda: select_from_chart(slot.kind),
        selection_mode="points",
    )


def selected_tiles(
    pair: ModelPair, split: DatasetSplit, dataset: str, index: int
) -> list[tuple[str, torch.Tensor]]:
    """The selected test image and each loaded model's reconstruction, with captions."""
    x = split.images[index : index + 1]
    label = class_names(dataset)[int(split.labels[index])]
    tiles = [(t("latent.original", label=label), x)]
    for slot in pair.slots:
        if slot.loaded is not None:
            recon = slot.loaded.model.reconstruct(x)
            tiles.append((t("latent.recon_of", kind=t(f"kind.{slot.kind}.short")), recon))
    return tiles


def show_selected(pair: ModelPair, split: DatasetSplit, dataset: str) -> int:
    """A compact row: the index of the selected test image, it and both reconstructions.

    Returns:
        The selected index (set by the number input or by clicking a map).
    """
    index_key = widget_key(LatentMapState, "selected_index")
    st.session_state[index_key] = int(np.clip(st.session_state[index_key], 0, len(split) - 1))
    columns = st.columns([2, 1, 1, 1, 2])
    with columns[0]:
        index = st.number_input(t("latent.index"), 0, len(split) - 1, key=index_key, step=1)
    tiles = selected_tiles(pair, split, dataset, index)
    for column, (caption, pixels) in zip(columns[1:4], tiles, strict=False):
        with column:
            show_image(images_png(pixels, 1, RECON_SCALE, padding=0), caption=caption)
    with columns[4]:
        row = images_png(torch.cat([pixels for _, pixels in tiles]), len(tiles), RECON_SCALE)
        download_png(row, f"{dataset}-test-{index}-reconstructions.png", "latent_map.download")
    return index


def auto_extent(pair_points: list[np.ndarray]) -> float:
    """A window half-width that covers nearly all codes of both models."""
    values = np.concatenate([np.abs(points).ravel() for points in pair_points])
    return float(np.ceil(np.percentile(values, PAD_COVERAGE_PERCENTILE)))


def select_from_pad() -> None:
    """Callback of the pad: the clicked grid point becomes the pad position."""
    points = st.session_state["latent_map.pad_chart"]["selection"]["points"]
    if points:
        st.session_state[widget_key(LatentMapState, "pad_x")] = float(points[0]["x"])
        st.session_state[widget_key(LatentMapState, "pad_y")] = float(points[0]["y"])


def pad_figure(
    planes: dict[str, tuple[Plane, np.ndarray]], extent: float, position: tuple[float, float]
) -> go.Figure:
    """Both models' code clouds, an invisible clickable grid and the current position."""
    figure = go.Figure()
    for kind, (_, points) in planes.items():
        figure.add_trace(
            go.Scattergl(
                x=points[:, 0],
                y=points[:, 1],
                mode="markers",
                hoverinfo="skip",
                name=t("latent.pad_codes", kind=t(f"kind.{kind}.short")),
                marker={"size": 3, "color": PAD_COLOURS[kind], "opacity": 0.35},
            )
        )
    steps = np.linspace(-extent, extent, PAD_STEPS)
    grid_x, grid_y = np.meshgrid(steps, steps)
    figure.add_trace(
        go.Scatter(
            x=grid_x.ravel(),
            y=grid_y.ravel(),
            mode="markers",
            showlegend=False,
            marker={"size": 10, "color": "rgba(0,0,0,0)"},
            hovertemplate="(%{x:.2f}, %{y:.2f})<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[position[0]],
            y=[position[1]],
            mode="markers",
            hoverinfo="skip",
            name=t("latent.pad_position"),
            marker={"symbol": "x", "size": 14, "color": SELECTED_COLOUR},
        )
    )
    figure.update_xaxes(range=[-extent, extent], constrain="domain")
    figure.update_yaxes(range=[-extent, extent], constrain="domain")
    return figure


def pad_controls(extent: float) -> tuple[float, float]:
    """Sliders for the pad position (also set by clicking the pad), kept inside the window."""
    values = []
    for axis in ("pad_x", "pad_y"):
        key = widget_key(LatentMapState, axis)
        st.session_state[key] = float(np.clip(st.session_state[key], -extent, extent))
        label = t(f"latent.{axis}")
        values.append(st.slider(label, -extent, extent, key=key, step=extent / 100))
    return values[0], values[1]


@st.fragment
def latent_pad(pair: ModelPair, split: DatasetSplit, dataset: str) -> None:
    """Point anywhere on the plane and see what both decoders make of it."""
    st.subheader(t("latent.pad_title"))
    loaded = [slot for slot in pair.slots if slot.loaded is not None]
    planes = {}
    for slot in loaded:
        codes = encoded_test_codes(slot.loaded, dataset, split.images)
        plane = plane_for(codes.mu)
        planes[slot.kind] = (plane, plane.project(codes.mu))
    if not planes:
        return
    is_pca = any(plane.is_pca for plane, _ in planes.values())
    st.caption(t("latent.pad_caption_pca" if is_pca else "latent.pad_caption"))

    automatic = auto_extent([points for _, points in planes.values()])
    extent_key = widget_key(LatentMapState, "pad_extent")
    chart_column, image_column = st.columns([3, 2], gap="medium")
    with chart_column:
        choice = st.select_slider(
            t("latent.pad_extent"),
            PAD_EXTENTS,
            key=extent_key,
            format_func=lambda value: (
                t("latent.pad_auto", extent=automatic) if value == 0 else f"±{value:g}"
            ),
        )
        extent = choice or automatic
        position = pad_controls(extent)
        figure = style_plane(
            pad_figure(planes, extent, position), *axis_titles(loaded_plane(planes))
        )
        show_chart(
            figure,
            f"{dataset}-latent-pad",
            key="latent_map.pad_chart",
            on_select=select_from_pad,
            selection_mode="points",
        )
    with image_column:
        st.markdown(t("latent.pad_point", x=position[0], y=position[1]))
        for slot in loaded:
            plane, _ = planes[slot.kind]
            z = torch.from_numpy(plane.lift(np.array([position], np.float32))).float()
            decoded = decode_codes(slot.loaded.model, z)
            show_image(images_png(decoded, 1, PAD_SCALE, padding=0), caption=t(f"kind.{slot.kind}"))


def jump_to_gap(x: float, y: float) -> None:
    """Button callback: move the pad to the AE's largest gap, widening its window to reach it."""
    reach = max(abs(x), abs(y))
    extent = next((value for value in PAD_EXTENTS[1:] if value >= reach), PAD_EXTENTS[-1])
    st.session_state[widget_key(LatentMapState, "pad_extent")] = extent
    st.session_state[widget_key(LatentMapState, "pad_x")] = x
    st.session_state[widget_key(LatentMapState, "pad_y")] = y
    st.session_state[widget_key(LatentMapState, "show_gap")] = True


def loaded_plane(planes: dict[str, tuple[Plane, np.ndarray]]) -> Plane:
    return next(iter(planes.values()))[0]


def main() -> None:
    selection = current(Selection)
    current(LatentMapState)
    st.title(t("latent.title"))
    st.caption(t("latent.intro"))
    split = test_split_or_explain(selection.dataset)
    if split is None:
        return
    pair = model_pair(selection)
    index = show_selected(pair, split, selection.dataset)
    overlay_note(overlay_selector(widget_key(LatentMapState, "overlay")))
    model_columns(pair, lambda slot: draw_map(slot, split, selection.dataset, index))
    view = gap_button(pair, "latent_map.gap_button", jump_to_gap)
    if view is not None and current(LatentMapState).show_gap:
        show_gap(view, pair, split, selection.dataset)
    latent_pad(pair, split, selection.dataset)


ensure_app_shell()
main()
