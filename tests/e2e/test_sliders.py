"""The sliders in a real browser: both pictures change while the thumb moves, before release."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
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
    settle,
    thumb_position,
)
from ui.components.latent_sliders import ASSETS, decoder_spec
from ui.i18n import translate
from ui.models import checkpoint_folder
from vae_core.checkpoints import load_checkpoint
from vae_core.config import ModelConfig
from vae_core.models import build_model

pytestmark = pytest.mark.browser

DRAG_STEPS = 12
# how far along the slider's track the drag goes, as a share of its width
DRAG_SHARE = 0.3
ORIGIN_CAPTION = translate("en", "sliders.vector", vector="0.00, 0.00")
SIDEBAR_RADIOS = '[data-testid="stSidebar"] [data-testid="stRadio"]'
# the red channel of every pixel of a canvas (the pictures are grey)
CANVAS_GREY_LEVELS = """
(canvas) => Array.from(
  canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data
).filter((_, index) => index % 4 === 0)
"""
# import the component's own module in the page and decode with it
RUN_COMPONENT_DECODER = """
async ([source, spec, vectors]) => {
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const { parseDecoder, decode } = await import(url);
  const layers = parseDecoder(spec);
  return vectors.map((z) => Array.from(decode(layers, z)));
}
"""
WIDEST_VAE_BAND = """
(root) => {
  const widths = [...root.querySelectorAll(".dim")].map(
    (row) => parseFloat(row.querySelector(".band-1")?.style.width ?? "0"));
  return widths.indexOf(Math.max(...widths));
}
"""


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


def drag_and_check_before_release(page: Page, slider_index: int, screenshot: Path) -> int:
    """Drag one slider; both pictures must change while the button is still held.

    Returns:
        The frames the component drew during the drag.
    """
    slider = page.locator(SLIDER_INPUTS).nth(slider_index)
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
    caption_while_dragging = main_text(page).filter(has_text="z = (").inner_text()
    page.screenshot(path=str(screenshot))
    page.mouse.up()

    assert caption_while_dragging == origin_caption(page.locator(SLIDER_INPUTS).count())
    assert float(slider.input_value()) > 0
    return frames_while_dragging - frames_before


def origin_caption(latent_dim: int) -> str:
    return translate("en", "sliders.vector", vector=", ".join(["0.00"] * latent_dim))


def test_dragging_a_slider_changes_both_pictures_before_release(
    page: Page, screenshot_folder: Path
) -> None:
    open_sliders(page)

    frames = drag_and_check_before_release(page, 0, screenshot_folder / "sliders-dragging.png")

    assert frames > 0
    # on release the vector reaches Python, which renders the downloads from it
    expect(main_text(page).filter(has_text="z = (")).not_to_have_text(
        ORIGIN_CAPTION, timeout=PAGE_TIMEOUT_MS
    )
    assert problems(page) == []


def test_sixteen_sliders_after_switching_the_latent_size(
    page: Page, screenshot_folder: Path
) -> None:
    open_sliders(page)

    page.locator(SIDEBAR_RADIOS).get_by_text("16", exact=True).click()

    expect(page.locator(SLIDER_INPUTS)).to_have_count(16, timeout=PAGE_TIMEOUT_MS)
    expect(main_text(page).filter(has_text="z = (")).to_have_text(origin_caption(16))
    settle(page)
    # a VAE leaves some of its 16 dimensions unused; drag the one its codes spread most along
    widest = page.locator(SLIDERS).evaluate(WIDEST_VAE_BAND)
    page.locator(SLIDER_INPUTS).nth(widest).scroll_into_view_if_needed()
    frames = drag_and_check_before_release(page, widest, screenshot_folder / "sliders-16.png")
    assert frames > 0
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


def test_the_pictures_drawn_in_the_browser_equal_torchs(page: Page) -> None:
    open_sliders(page)
    drawn = [canvas.evaluate(CANVAS_GREY_LEVELS) for canvas in page.locator(SLIDER_CANVASES).all()]

    z = torch.zeros(1, 2)
    for kind, levels in zip(("ae", "vae"), drawn, strict=True):
        path = checkpoint_folder() / f"fashion-mnist-{kind}-z2.safetensors"
        model = load_checkpoint(path).model
        with torch.inference_mode():
            expected = torch.round(model.decode(z).flatten() * 255)
        # the browser rounds float64 sums, torch float32 ones: one grey level apart at most
        assert (torch.tensor(levels, dtype=torch.float32) - expected).abs().max() <= 1, kind


def test_the_component_decoder_in_chromium_equals_torch(browser) -> None:
    torch.manual_seed(0)
    model = build_model(ModelConfig("vae", 16, (256, 128))).eval()
    vectors = (torch.randn(6, 16, generator=torch.Generator().manual_seed(1)) * 3).tolist()
    tab = browser.new_page()

    pixels = tab.evaluate(
        RUN_COMPONENT_DECODER,
        [(ASSETS / "latent_sliders.js").read_text(encoding="utf-8"), decoder_spec(model), vectors],
    )
    tab.close()

    with torch.inference_mode():
        expected = model.decode(torch.tensor(vectors)).flatten(start_dim=1).double()
    assert torch.allclose(torch.tensor(pixels, dtype=torch.float64), expected, atol=1e-5, rtol=0)


def test_switching_language_translates_the_sliders_and_keeps_the_vector(page: Page) -> None:
    open_sliders(page)
    slider = page.locator(SLIDER_INPUTS).first
    slider.focus()
    for _ in range(10):
        slider.press("ArrowRight")
    moved = slider.input_value()
    expect(main_text(page).filter(has_text="z = (")).not_to_have_text(
        ORIGIN_CAPTION, timeout=PAGE_TIMEOUT_MS
    )

    page.locator(SIDEBAR_RADIOS).get_by_text("Polski").click()

    expect(page.locator(f"{SLIDERS} button.reset")).to_have_text(
        translate("pl", "sliders.reset"), timeout=PAGE_TIMEOUT_MS
    )
    assert slider.input_value() == moved
