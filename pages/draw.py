"""Draw or upload: your own image, encoded by both models, reconstructed and placed on both maps.

A drawing and an upload take the same validated path (vae_core/images.py); anything it refuses
becomes one message on the page.
"""

import logging

import numpy as np
import plotly.graph_objects as go
import streamlit as st
import torch

from ui.analysis import ellipse, plane_for
from ui.components.draw_canvas import drawing_pad
from ui.i18n import class_names, t
from ui.models import ModelPair, ModelSlot, bundled_test_split, encoded_test_codes, model_pair
from ui.render import class_scatter, images_png, model_columns, show_chart, show_png, style_plane
from ui.shell import ensure_app_shell
from ui.state import Selection, current
from vae_core.data import DatasetSplit
from vae_core.images import ImageInputError, image_from_bytes

logger = logging.getLogger(__name__)

SOURCES = ("draw", "upload")
SOURCE_KEY = "draw.source"
UPLOAD_TYPES = ("png", "jpg", "jpeg", "gif", "bmp", "webp", "tif", "tiff")
IMAGE_SCALE = 5
SIGMA_RADII = (1, 2)
POINT_COLOUR = "#E45756"
MAP_HEIGHT = 380


def read_input() -> bytes | None:
    """The bytes of the drawing or the uploaded file, or ``None`` while there is none."""
    source = st.segmented_control(
        t("draw.source"),
        SOURCES,
        key=SOURCE_KEY,
        default=SOURCES[0],
        format_func=lambda name: t(f"draw.source.{name}"),
        required=True,
    )
    if source == "upload":
        uploaded = st.file_uploader(t("draw.upload"), UPLOAD_TYPES, key="draw.upload")
        return uploaded.getvalue() if uploaded is not None else None
    text = {"clear": t("draw.clear"), "brush": t("draw.brush"), "canvas": t("draw.canvas")}
    return drawing_pad("draw.canvas", text)


def show_results(pair: ModelPair, x: torch.Tensor, dataset: str) -> None:
    """The prepared 28 x 28 input and each model's reconstruction, side by side."""
    columns = st.columns(3)
    with columns[0]:
        png = images_png(x, 1, IMAGE_SCALE, padding=0)
        show_png(png, t("draw.prepared"), f"{dataset}-your-image.png", "draw.download.input")
    for column, slot in zip(columns[1:], pair.slots, strict=True):
        if slot.loaded is None:
            continue
        with column:
            recon = slot.loaded.model.reconstruct(x)
            caption = t("latent.recon_of", kind=t(f"kind.{slot.kind}.short"))
            png = images_png(recon, 1, IMAGE_SCALE, padding=0)
            show_png(png, caption, f"{slot.name}-your-image.png", f"draw.download.{slot.kind}")


def add_posterior(figure: go.Figure, point: np.ndarray, covariance: np.ndarray) -> None:
    """The VAE's one- and two-sigma ellipses of q(z|x) around the new image's mean code."""
    radii = ", ".join(f"{radius}σ" for radius in SIGMA_RADII)
    for radius in SIGMA_RADII:
        outline = ellipse(point, covariance, radius)
        # both ellipses share one legend entry, so the legend stays short
        figure.add_trace(
            go.Scatter(
                x=outline[:, 0],
                y=outline[:, 1],
                mode="lines",
                name=t("draw.sigma", radii=radii),
                legendgroup="sigma",
                showlegend=radius == SIGMA_RADII[0],
                hoverinfo="skip",
                line={"color": POINT_COLOUR, "width": 2},
            )
        )


def add_point(figure: go.Figure, point: np.ndarray) -> None:
    """The new image's code as a star."""
    figure.add_trace(
        go.Scatter(
            x=[point[0]],
            y=[point[1]],
            mode="markers",
            name=t("draw.your_image"),
            hovertemplate=t("draw.your_image") + " (%{x:.2f}, %{y:.2f})<extra></extra>",
            marker={"symbol": "star", "size": 20, "color": POINT_COLOUR, "line": {"width": 1}},
        )
    )


def draw_map(slot: ModelSlot, split: DatasetSplit, dataset: str, x: torch.Tensor) -> None:
    """The test codes by class, with the new image's code (and, for a VAE, its ellipses)."""
    assert slot.loaded is not None
    codes = encoded_test_codes(slot.loaded, dataset, split.images)
    plane = plane_for(codes.mu)
    figure = class_scatter(plane.project(codes.mu), split.labels.numpy(), class_names(dataset))
    with torch.inference_mode():
        mu, logvar = slot.loaded.model.encode(x)
    point = plane.project(mu.numpy())[0]
    if logvar is not None:
        add_posterior(figure, point, plane.project_covariance(np.exp(logvar.numpy()[0])))
    add_point(figure, point)
    axis = "latent.axis_pca" if plane.is_pca else "latent.axis_z"
    style_plane(figure, t(axis, number=1), t(axis, number=2), height=MAP_HEIGHT)
    show_chart(figure, f"{slot.name}-your-image-map", key=f"draw.map.{slot.kind}")


def prepared(data: bytes | None, dataset: str) -> torch.Tensor | None:
    """The model-ready image ``(1, 1, 28, 28)`` of the bytes, or ``None`` without bytes."""
    return image_from_bytes(data, dataset) if data is not None else None


def show_problem(error: ImageInputError) -> None:
    """One clear message, in the page's language, for anything the image path refused."""
    logger.info("refused a user image: %s (%s)", error, error.details)
    st.error(t(f"draw.error.{error.code}", **error.details))


def main() -> None:
    selection = current(Selection)
    st.title(t("draw.title"))
    st.caption(t("draw.intro", dataset=t(f"dataset.{selection.dataset}")))
    pair = model_pair(selection)
    input_column, result_column = st.columns([1, 2], gap="large")
    with input_column:
        try:
            x, problem = prepared(read_input(), selection.dataset), None
        except ImageInputError as error:
            x, problem = None, error
    with result_column:
        if problem is not None:
            show_problem(problem)
            return
        if x is None:
            st.info(t("draw.nothing_yet"))
            return
        show_results(pair, x, selection.dataset)
    split, reason = bundled_test_split(selection.dataset)
    if split is None:
        file = f"{selection.dataset}-test.safetensors"
        st.error(t("data.unavailable", file=file, reason=reason))
        return
    st.subheader(t("draw.maps"))
    model_columns(pair, lambda slot: draw_map(slot, split, selection.dataset, x))


ensure_app_shell()
main()
