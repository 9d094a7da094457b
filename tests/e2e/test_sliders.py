"""The sliders in a real browser: both pictures change while the thumb moves, before release."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.streamlit_page import (
    PAGE_TIMEOUT_MS,
    SLIDER_CANVASES,
    SLIDER_INPUTS,
    SLIDERS,
    canvas_pixels,
    main_text,
    open_page,
    problems,
    thumb_position,
)
from ui.i18n import translate

pytestmark = pytest.mark.browser

DRAG_STEPS = 12
# how far along the slider's track the drag goes, as a share of its width
DRAG_SHARE = 0.3
ORIGIN_CAPTION = translate("en", "sliders.vector", vector="0.00, 0.00")


def open_sliders(page: Page) -> None:
    open_page(page, "sliders")
    expect(page.locator(SLIDER_CANVASES)).to_have_count(2)
    # the first frame is drawn once the weights are parsed
    page.wait_for_function(
        "(root) => Number(root.dataset.frames) > 0", arg=page.locator(SLIDERS).element_handle()
    )


def pictures_differ_from(page: Page, before: list[str]) -> None:
    """Wait until both canvases show something other than ``before``."""
    handles = [canvas.element_handle() for canvas in page.locator(SLIDER_CANVASES).all()]
    page.wait_for_function(
        "([canvases, before]) => canvases.every((c, i) => c.toDataURL() !== before[i])",
        arg=[handles, before],
    )


def test_dragging_a_slider_changes_both_pictures_before_release(
    page: Page, screenshot_folder: Path
) -> None:
    open_sliders(page)
    slider = page.locator(SLIDER_INPUTS).first
    before = [canvas_pixels(canvas) for canvas in page.locator(SLIDER_CANVASES).all()]
    frames_before = int(page.locator(SLIDERS).get_attribute("data-frames"))
    start_x, y = thumb_position(slider, 0.0)
    width = slider.bounding_box()["width"]

    page.mouse.move(start_x, y)
    page.mouse.down()
    for step in range(1, DRAG_STEPS + 1):
        page.mouse.move(start_x + width * DRAG_SHARE * step / DRAG_STEPS, y)
    # the button is still held: the browser has redrawn, Python has heard nothing yet
    pictures_differ_from(page, before)
    frames_while_dragging = int(page.locator(SLIDERS).get_attribute("data-frames"))
    expect(main_text(page).filter(has_text="z = (")).to_have_text(ORIGIN_CAPTION)
    page.screenshot(path=str(screenshot_folder / "sliders-dragging.png"))
    page.mouse.up()

    assert frames_while_dragging > frames_before
    # on release the vector reaches Python, which renders the downloads from it
    expect(main_text(page).filter(has_text="z = (")).not_to_have_text(
        ORIGIN_CAPTION, timeout=PAGE_TIMEOUT_MS
    )
    assert float(slider.input_value()) > 0
    assert problems(page) == []


def test_arrow_keys_move_a_slider_and_redraw(page: Page) -> None:
    open_sliders(page)
    slider = page.locator(SLIDER_INPUTS).nth(1)
    before = [canvas_pixels(canvas) for canvas in page.locator(SLIDER_CANVASES).all()]

    slider.focus()
    for _ in range(30):
        slider.press("ArrowLeft")

    pictures_differ_from(page, before)
    assert float(slider.input_value()) < 0
    expect(main_text(page).filter(has_text="z = (")).not_to_have_text(
        ORIGIN_CAPTION, timeout=PAGE_TIMEOUT_MS
    )


def test_random_is_repeatable_and_reset_returns_to_the_origin(page: Page) -> None:
    open_sliders(page)
    random_button = page.locator(f"{SLIDERS} button.random")
    caption = main_text(page).filter(has_text="z = (")

    random_button.click()
    expect(caption).not_to_have_text(ORIGIN_CAPTION, timeout=PAGE_TIMEOUT_MS)
    first_draw = page.locator(SLIDERS).get_attribute("data-z")
    page.locator(f"{SLIDERS} button.reset").click()
    expect(caption).to_have_text(ORIGIN_CAPTION, timeout=PAGE_TIMEOUT_MS)

    # a new tab is a new session: the same seed must give the same first draw
    other = page.context.new_page()
    open_sliders(other)
    other.locator(f"{SLIDERS} button.random").click()
    expect(other.locator(SLIDERS)).to_have_attribute("data-z", first_draw)
    other.close()
