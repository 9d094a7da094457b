"""Turning tensors into pictures: PNG and GIF bytes, image grids, plotly figures, AE | VAE columns.

Images are upscaled here with nearest-neighbour sampling, so every pixel of the 28 x 28 originals
stays a crisp square on a projector; the browser shows them at that size where the column allows.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st
import torch
from PIL import Image
from torchvision.utils import make_grid

from ui.i18n import t
from ui.models import ModelPair, ModelSlot, bundled_test_split, checkpoint_folder
from ui.numbers import plotly_separators
from ui.state import language
from vae_core.data import DatasetSplit

PIXEL_MAX = 255
DEFAULT_SCALE = 4
GRID_PADDING = 2
# pale grey between tiles: separates black-background tiles in both themes
GRID_PAD_VALUE = 0.5
GIF_FRAME_MS = 120
# Tableau 10: distinct on white and on Streamlit's dark background alike
CLASS_COLOURS = (
    "#4C78A8",
    "#F58518",
    "#E45756",
    "#72B7B2",
    "#54A24B",
    "#EECA3B",
    "#B279A2",
    "#FF9DA6",
    "#9D755D",
    "#BAB0AC",
)
# less empty space above the title, so a 720-pixel-high projector shows more of each view
PAGE_STYLE = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
</style>
"""


def apply_style() -> None:
    """The app's small style adjustments (see ``PAGE_STYLE``)."""
    st.html(PAGE_STYLE)


def to_uint8(images: torch.Tensor) -> np.ndarray:
    """Pixel probabilities in [0, 1], any leading shape ending in ``(H, W)``, to uint8 array."""
    pixels = torch.round(images.detach().clamp(0, 1) * PIXEL_MAX).to(torch.uint8)
    return pixels.cpu().numpy()


def grid_array(
    images: torch.Tensor, columns: int, padding: int = GRID_PADDING, pad_value: float = 0.0
) -> np.ndarray:
    """Tile images ``(N, 1, H, W)`` row by row into one uint8 array ``(H', W')``."""
    tiled = make_grid(images.detach().cpu(), nrow=columns, padding=padding, pad_value=pad_value)
    # make_grid repeats a single channel three times: keep one
    return to_uint8(tiled[0])


def png_bytes(pixels: np.ndarray, scale: int = DEFAULT_SCALE) -> bytes:
    """PNG bytes of a uint8 grey image ``(H, W)``, upscaled ``scale`` times (nearest neighbour)."""
    image = Image.fromarray(pixels, mode="L")
    image = image.resize((image.width * scale, image.height * scale), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def images_png(
    images: torch.Tensor, columns: int, scale: int = DEFAULT_SCALE, padding: int = GRID_PADDING
) -> bytes:
    """PNG bytes of images ``(N, 1, H, W)`` tiled ``columns`` to a row."""
    return png_bytes(grid_array(images, columns, padding, GRID_PAD_VALUE), scale)


def gif_bytes(
    frames: Sequence[np.ndarray], scale: int = DEFAULT_SCALE, frame_ms: int = GIF_FRAME_MS
) -> bytes:
    """An endlessly looping GIF of uint8 grey frames ``(H, W)``, upscaled ``scale`` times."""
    images = [
        Image.fromarray(frame, mode="L").resize(
            (frame.shape[1] * scale, frame.shape[0] * scale), Image.Resampling.NEAREST
        )
        for frame in frames
    ]
    buffer = io.BytesIO()
    images[0].save(
        buffer, format="GIF", save_all=True, append_images=images[1:], duration=frame_ms, loop=0
    )
    return buffer.getvalue()


def download_png(data: bytes, file_name: str, key: str) -> None:
    """A download button for PNG bytes that does not rerun the page."""
    st.download_button(
        t("common.download_png"), data, file_name, "image/png", key=key, on_click="ignore"
    )


def download_gif(data: bytes, file_name: str, key: str) -> None:
    """A download button for GIF bytes that does not rerun the page."""
    st.download_button(
        t("common.download_gif"), data, file_name, "image/gif", key=key, on_click="ignore"
    )


def show_image(data: bytes, caption: str | None = None) -> None:
    """Show PNG bytes as they are: no re-encoding (Streamlit would choose a lossy JPEG)."""
    st.image(data, caption=caption, output_format="PNG")


def show_png(data: bytes, caption: str | None, file_name: str, key: str) -> None:
    """Show PNG bytes at their own size (capped by the column) with a download button."""
    show_image(data, caption)
    download_png(data, file_name, key)


def show_model_problem(slot: ModelSlot) -> None:
    """Explain on the page why one side of the comparison is missing."""
    kind = t(f"kind.{slot.kind}")
    if slot.problem == "missing":
        st.warning(t("model.missing", file=slot.file_name, folder=checkpoint_folder(), kind=kind))
    else:
        st.error(t("model.rejected", file=slot.file_name, reason=slot.problem, kind=kind))


def test_split_or_explain(dataset: str) -> DatasetSplit | None:
    """The bundled test images of a data set, or ``None`` after an error on the page."""
    split, problem = bundled_test_split(dataset)
    if split is None:
        st.error(t("data.unavailable", file=f"{dataset}-test.safetensors", reason=problem))
    return split


def model_columns(pair: ModelPair, draw: Callable[[ModelSlot], None]) -> None:
    """Two columns, AE then VAE, each headed by its model; ``draw`` fills a loaded model's."""
    for column, slot in zip(st.columns(2, gap="medium"), pair.slots, strict=True):
        with column:
            st.markdown(f"**{t(f'kind.{slot.kind}')}** · `{slot.name}`")
            if slot.loaded is None:
                show_model_problem(slot)
            else:
                draw(slot)


def plotly_config(file_stem: str) -> dict[str, object]:
    """Chart options: the camera button saves a PNG named ``file_stem``; no plotly logo."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": file_stem, "scale": 2},
    }


def show_chart(figure: go.Figure, file_stem: str, **options: Any) -> Any:
    """``st.plotly_chart`` with the app's chart options (:func:`plotly_config`) and numbers on
    axes and in hover labels written the way the page's language writes them.

    Returns:
        What ``st.plotly_chart`` returns (the selection, for charts that report one).
    """
    figure.update_layout(separators=plotly_separators(language()))
    return st.plotly_chart(figure, config=plotly_config(file_stem), **options)


PLANE_HEIGHT = 540
LEGEND_FONT_SIZE = 11


def class_scatter(
    points: np.ndarray, labels: np.ndarray, names: Sequence[str], marker_size: int = 4
) -> go.Figure:
    """A WebGL scatter of 2-D points, one trace per class so the legend shows class names.

    Each point carries its row index in ``points`` as ``customdata``, so a selection event
    names the test image that was clicked.
    """
    figure = go.Figure()
    indices = np.arange(points.shape[0])
    for label, name in enumerate(names):
        mask = labels == label
        figure.add_trace(
            go.Scattergl(
                x=points[mask, 0],
                y=points[mask, 1],
                mode="markers",
                name=name,
                customdata=indices[mask],
                marker={"size": marker_size, "color": CLASS_COLOURS[label % len(CLASS_COLOURS)]},
                hovertemplate=f"{name}<br>#%{{customdata}}<extra></extra>",
            )
        )
    return figure


def style_plane(
    figure: go.Figure, x_title: str, y_title: str, height: int = PLANE_HEIGHT
) -> go.Figure:
    """Axis titles, equal scales on both axes (a circle stays round) and a compact margin.

    The legend sits above the plane; the default height leaves the plane itself roughly
    square in a half-width column at 1280 x 720 once ten class names take their rows.
    """
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={
            "itemsizing": "constant",
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "font": {"size": LEGEND_FONT_SIZE},
        },
        xaxis_title=x_title,
        yaxis_title=y_title,
    )
    figure.update_yaxes(scaleanchor="x", scaleratio=1)
    return figure
