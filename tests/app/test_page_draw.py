"""The draw-or-upload page under AppTest: an image is encoded, bad input gets one message."""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import pytest
from PIL import Image

from tests.app.conftest import (
    DATASETS,
    LANGUAGES,
    download_urls,
    image_urls,
    page_app,
    plotly_specs,
    problems,
)
from ui.components.draw_canvas import PNG_DATA_URL_PREFIX
from ui.i18n import translate

CANVAS_KEY = "draw.canvas"
SOURCE_KEY = "draw.source"
# the prepared input and the two reconstructions
RESULT_IMAGES = 3


def stroke_png(column: int = 45) -> bytes:
    """A white vertical stroke on black, as the drawing pad sends it."""
    pixels = np.zeros((120, 120), dtype=np.uint8)
    pixels[20:100, column : column + 14] = 255
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def horizontal_png() -> bytes:
    """A white horizontal bar on black."""
    pixels = np.zeros((120, 120), dtype=np.uint8)
    pixels[50:64, 10:110] = 255
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def trace_names(spec: str) -> list[str]:
    return [trace.get("name", "") for trace in json.loads(spec)["data"]]


def drawn(png: bytes) -> dict[str, dict[str, str]]:
    return {CANVAS_KEY: {"png": PNG_DATA_URL_PREFIX + base64.b64encode(png).decode("ascii")}}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("dataset", DATASETS)
def test_an_empty_pad_asks_for_a_drawing(dataset: str, language: str) -> None:
    app = page_app("draw", dataset=dataset, language=language).run()

    assert problems(app) == []
    assert [title.value for title in app.title] == [translate(language, "draw.title")]
    assert [item.value for item in app.info] == [translate(language, "draw.nothing_yet")]


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("latent_dim", [2, 16])
def test_a_drawing_is_encoded_reconstructed_and_placed_on_both_maps(
    dataset: str, latent_dim: int
) -> None:
    app = page_app("draw", dataset=dataset, latent_dim=latent_dim, state=drawn(stroke_png()))
    app.run()

    assert problems(app) == []
    assert len(image_urls(app)) == RESULT_IMAGES
    assert len(plotly_specs(app)) == 2
    assert {"draw.download.input", "draw.download.ae", "draw.download.vae"} <= set(
        download_urls(app)
    )
    # the new image is a star on each map; the VAE's map also shows its q(z|x) ellipses
    names = [trace_names(spec) for spec in plotly_specs(app)]
    ellipses = translate("en", "draw.sigma", radii="1σ, 2σ")
    assert all(translate("en", "draw.your_image") in map_names for map_names in names)
    assert [ellipses in map_names for map_names in names] == [False, True]


def test_a_different_drawing_gives_different_pictures() -> None:
    first = page_app("draw", state=drawn(stroke_png(column=20))).run()
    second = page_app("draw", state=drawn(horizontal_png())).run()

    assert image_urls(first) != image_urls(second)


def test_an_uploaded_file_takes_the_same_path() -> None:
    app = page_app("draw", state={SOURCE_KEY: "upload"}).run()
    app.get("file_uploader")[0].upload("stroke.png", stroke_png(), "image/png").run()

    assert problems(app) == []
    assert len(image_urls(app)) == RESULT_IMAGES


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"this is not an image", "not_an_image"),
        (stroke_png()[:60], "corrupt"),
        (b"", "empty"),
    ],
    ids=["text", "truncated", "empty"],
)
def test_a_bad_upload_gets_one_message_in_the_pages_language(
    content: bytes, code: str, language: str
) -> None:
    app = page_app("draw", language=language, state={SOURCE_KEY: "upload"}).run()
    app.get("file_uploader")[0].upload("bad.png", content, "image/png").run()

    assert not app.exception
    assert [item.value for item in app.error] == [translate(language, f"draw.error.{code}")]
    assert image_urls(app) == []


def test_a_blank_drawing_gets_one_message() -> None:
    blank = io.BytesIO()
    Image.new("L", (120, 120), 0).save(blank, format="PNG")

    app = page_app("draw", state=drawn(blank.getvalue())).run()

    assert not app.exception
    assert [item.value for item in app.error] == [translate("en", "draw.error.blank")]


def test_a_damaged_drawing_message_is_refused_with_one_message() -> None:
    app = page_app("draw", state={CANVAS_KEY: {"png": "data:text/html;base64,PGgxPg=="}}).run()

    assert not app.exception
    assert [item.value for item in app.error] == [translate("en", "draw.error.not_an_image")]
