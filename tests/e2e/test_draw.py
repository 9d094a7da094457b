"""Draw or upload in a real browser: both models encode the image; bad input gets one message."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.streamlit_page import (
    ERROR_SELECTOR,
    EXCEPTION_SELECTOR,
    PAGE_TIMEOUT_MS,
    open_page,
    problems,
)
from ui.i18n import translate

pytestmark = pytest.mark.browser

IMAGES = '[data-testid="stMain"] [data-testid="stImage"]'
CHARTS = '[data-testid="stMain"] .js-plotly-plot'
# the prepared input and the two reconstructions
RESULT_IMAGES = 3
PAD = "canvas.pad"
STROKE_STEPS = 15


def trouser_png() -> bytes:
    """A dark trouser-like shape on a light background, as a photo of a drawing would be."""
    pixels = np.full((120, 90), 235, dtype=np.uint8)
    pixels[10:110, 20:42] = 30
    pixels[10:110, 48:70] = 30
    pixels[10:30, 20:70] = 30
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def choose_upload(page: Page) -> None:
    page.get_by_role("radio", name=translate("en", "draw.source.upload")).click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').wait_for(
        state="attached", timeout=PAGE_TIMEOUT_MS
    )


def upload(page: Page, path: Path) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))


def test_an_uploaded_png_is_encoded_by_both_models(
    page: Page, tmp_path: Path, screenshot_folder: Path
) -> None:
    path = tmp_path / "trouser.png"
    path.write_bytes(trouser_png())
    open_page(page, "draw")
    choose_upload(page)

    upload(page, path)

    expect(page.locator(IMAGES)).to_have_count(RESULT_IMAGES, timeout=PAGE_TIMEOUT_MS)
    expect(page.locator(CHARTS)).to_have_count(2, timeout=PAGE_TIMEOUT_MS)
    page.screenshot(path=str(screenshot_folder / "draw-upload.png"))
    assert problems(page) == []


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (np.random.default_rng(0).integers(0, 256, 4000, dtype=np.uint8).tobytes(), "not_an_image"),
        (trouser_png()[:100], "corrupt"),
    ],
    ids=["random-bytes", "truncated"],
)
def test_a_broken_upload_gets_one_clear_message(
    page: Page, tmp_path: Path, content: bytes, code: str
) -> None:
    path = tmp_path / "broken.png"
    path.write_bytes(content)
    open_page(page, "draw")
    choose_upload(page)

    upload(page, path)

    expect(page.locator(ERROR_SELECTOR)).to_have_count(1, timeout=PAGE_TIMEOUT_MS)
    expect(page.locator(ERROR_SELECTOR)).to_have_text(translate("en", f"draw.error.{code}"))
    expect(page.locator(EXCEPTION_SELECTOR)).to_have_count(0)
    expect(page.locator(IMAGES)).to_have_count(0)


def test_a_drawing_is_encoded_by_both_models(page: Page) -> None:
    open_page(page, "draw")
    pad = page.locator(PAD)
    box = pad.bounding_box()
    assert box is not None
    start_x, start_y = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.15

    page.mouse.move(start_x, start_y)
    page.mouse.down()
    for step in range(1, STROKE_STEPS + 1):
        page.mouse.move(start_x, start_y + box["height"] * 0.7 * step / STROKE_STEPS)
    page.mouse.up()

    expect(page.locator(IMAGES)).to_have_count(RESULT_IMAGES, timeout=PAGE_TIMEOUT_MS)
    expect(page.locator(CHARTS)).to_have_count(2, timeout=PAGE_TIMEOUT_MS)
    assert problems(page) == []


def test_an_empty_pad_asks_for_a_drawing_instead_of_failing(page: Page) -> None:
    open_page(page, "draw")

    page.locator(".lse-canvas button.clear").click()

    expect(page.get_by_text(translate("en", "draw.nothing_yet"))).to_be_visible()
    assert problems(page) == []
