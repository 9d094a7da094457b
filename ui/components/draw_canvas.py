"""A drawing pad: white strokes on black, sent to Python as a PNG when a stroke ends.

The PNG then goes through :func:`vae_core.images.image_from_bytes`, the same validated path
as an uploaded file, so a drawing and an upload are prepared identically.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

import streamlit as st

from vae_core.images import ImageInputError

COMPONENT_NAME = "lse_drawing_pad"
ASSETS = Path(__file__).resolve().parent
PNG_DATA_URL_PREFIX = "data:image/png;base64,"

_RENDERER = st.components.v2.component(
    COMPONENT_NAME,
    html=(ASSETS / "draw_canvas.html").read_text(encoding="utf-8"),
    css=(ASSETS / "draw_canvas.css").read_text(encoding="utf-8"),
    js=(ASSETS / "draw_canvas.js").read_text(encoding="utf-8"),
)


def png_from_data_url(value: object) -> bytes | None:
    """The PNG bytes of the pad's data URL; ``None`` while the pad is empty.

    Raises:
        ImageInputError: If the value is not a base64 PNG data URL.
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not value.startswith(PNG_DATA_URL_PREFIX):
        raise ImageInputError("not_an_image", "The drawing did not arrive as a PNG image.")
    try:
        return base64.b64decode(value[len(PNG_DATA_URL_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise ImageInputError("not_an_image", "The drawing arrived damaged.") from None


def drawing_pad(key: str, text: dict[str, str]) -> bytes | None:
    """Mount the pad and return the PNG of the drawing so far, or ``None`` if it is empty.

    Args:
        key: The widget key.
        text: Visible strings: ``clear``, ``brush`` and ``canvas`` (the pad's accessible name).

    Raises:
        ImageInputError: If what the browser sent is not a PNG data URL.
    """
    result = _RENDERER(key=key, data={"text": text}, on_png_change=lambda: None)
    return png_from_data_url(result.get("png"))
