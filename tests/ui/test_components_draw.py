"""The drawing pad's data URL, and a translated message for every refused image."""

from __future__ import annotations

import base64
import io
import string

import numpy as np
import pytest
from PIL import Image

from ui.components.draw_canvas import PNG_DATA_URL_PREFIX, png_from_data_url
from ui.i18n import CATALOGUE, translate
from vae_core.images import ERROR_CODES, ImageInputError, image_from_bytes, image_from_canvas


def drawing_png() -> bytes:
    pixels = np.zeros((40, 40), dtype=np.uint8)
    pixels[10:30, 18:22] = 255
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_png_data_url_gives_the_png_bytes() -> None:
    png = drawing_png()
    url = PNG_DATA_URL_PREFIX + base64.b64encode(png).decode("ascii")

    assert png_from_data_url(url) == png
    assert image_from_bytes(png_from_data_url(url), "mnist").shape == (1, 1, 28, 28)


@pytest.mark.parametrize("value", [None, ""])
def test_an_empty_pad_gives_nothing(value: object) -> None:
    assert png_from_data_url(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "data:image/jpeg;base64,AAAA",
        PNG_DATA_URL_PREFIX + "not base64!",
        42,
        ["data:image/png;base64,"],
    ],
)
def test_anything_else_is_refused_with_the_one_error(value: object) -> None:
    with pytest.raises(ImageInputError) as caught:
        png_from_data_url(value)

    assert caught.value.code == "not_an_image"


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("code", ERROR_CODES)
def test_every_refusal_has_a_message_in_both_languages(code: str, language: str) -> None:
    key = f"draw.error.{code}"

    assert key in CATALOGUE[language], key
    assert placeholders(CATALOGUE[language][key]) == placeholders(CATALOGUE["en"][key])


def refusals() -> list[ImageInputError]:
    """Real refusals from the image path, one per code that a file or canvas can trigger."""
    attempts = [
        lambda: image_from_bytes(b"", "mnist"),
        lambda: image_from_bytes(b"\0" * (11 * 2**20), "mnist"),
        lambda: image_from_bytes(b"not an image at all", "mnist"),
        lambda: image_from_canvas(np.zeros((0, 8, 4), np.uint8), "mnist"),
        lambda: image_from_canvas(np.zeros((8, 8, 4), np.uint8), "mnist"),
        lambda: image_from_canvas(np.zeros((8, 8), np.uint8), "mnist"),
        lambda: image_from_bytes(drawing_png()[:60], "mnist"),
    ]
    errors = []
    for attempt in attempts:
        with pytest.raises(ImageInputError) as caught:
            attempt()
        errors.append(caught.value)
    return errors


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_details_of_real_refusals_fill_their_messages(language: str) -> None:
    for error in refusals():
        template = CATALOGUE[language][f"draw.error.{error.code}"]

        assert placeholders(template) <= set(error.details), error.code
        assert "{" not in translate(language, f"draw.error.{error.code}", **error.details)


def test_an_unknown_code_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown image error code"):
        ImageInputError("oops", "message")
