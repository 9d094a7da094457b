"""Helpers to drive the app in Chromium: open a page, wait for Streamlit, read the components."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page

from ui.i18n import translate

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_FOLDER = ROOT / "screenshots" / "e2e"
VIEWPORT = {"width": 1280, "height": 720}
# the app's views, by URL path, in the order of the navigation
PAGES = (
    "overview",
    "latent_map",
    "sliders",
    "manifold_grid",
    "interpolation",
    "sampling",
    "draw",
    "applications",
    "metrics",
)
# the catalogue key of each view's title (its h1)
TITLE_KEYS = {
    "overview": "overview.title",
    "latent_map": "latent.title",
    "sliders": "sliders.title",
    "manifold_grid": "grid.title",
    "interpolation": "interp.title",
    "sampling": "sampling.title",
    "draw": "draw.title",
    "applications": "apps.title",
    "metrics": "metrics.title",
}
# generous: a page's first visit encodes 10,000 test images on a busy 2-core machine
PAGE_TIMEOUT_MS = 180_000
IDLE_SELECTOR = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION_SELECTOR = '[data-testid="stException"]'
ERROR_SELECTOR = '[data-testid="stAlertContentError"]'
# Streamlit's own modal messages, e.g. "Page not found"
DIALOG_SELECTOR = '[role="dialog"]'
NAVIGATION_LINKS = '[data-testid="stSidebarNav"] a'
# grey placeholders Streamlit shows until an element arrives
SKELETON_SELECTOR = (
    '[data-testid="stSkeleton"], [data-testid="stSkeletonElement"], [data-testid="stAppSkeleton"]'
)
# the slider component's pieces (Playwright's CSS selectors pierce its shadow root)
SLIDERS = ".lse-sliders"
SLIDER_CANVASES = ".lse-sliders canvas"
SLIDER_INPUTS = ".lse-sliders input[type=range]"


def settle(page: Page) -> None:
    """Wait until the script has run and no placeholder waits for its element any more."""
    page.wait_for_selector(IDLE_SELECTOR, timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function(
        "(selector) => document.querySelector(selector) === null",
        arg=SKELETON_SELECTOR,
        timeout=PAGE_TIMEOUT_MS,
    )


def open_page(page: Page, path: str) -> None:
    """Go to ``path`` and wait until its script has run and its title is shown."""
    page.goto(f"/{path}")
    page.locator("h1").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    settle(page)


def problems(page: Page) -> list[str]:
    """The text of every exception, error box and modal message on the page."""
    selectors = (EXCEPTION_SELECTOR, ERROR_SELECTOR, DIALOG_SELECTOR)
    return [text for selector in selectors for text in page.locator(selector).all_inner_texts()]


def open_by_navigation(page: Page, name: str) -> None:
    """Open the app at its root and go to the view ``name`` through the sidebar, as users do.

    The view's own title shows once its run has begun; then it settles.
    """
    open_page(page, "")
    link = page.locator(NAVIGATION_LINKS).nth(PAGES.index(name))
    target = link.get_attribute("href")
    link.click()
    if target is not None:
        page.wait_for_url(target, timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function(
        "(title) => document.querySelector('h1')?.innerText === title",
        arg=translate("en", TITLE_KEYS[name]),
        timeout=PAGE_TIMEOUT_MS,
    )
    settle(page)


def canvas_pixels(canvas: Locator) -> str:
    """The canvas's pixels as a PNG data URL: equal strings mean equal pictures."""
    return canvas.evaluate("(canvas) => canvas.toDataURL()")


def thumb_position(slider: Locator, value: float) -> tuple[float, float]:
    """Page coordinates of a range input's thumb when it shows ``value``."""
    box = slider.bounding_box()
    assert box is not None, "the slider is not visible"
    low = float(slider.get_attribute("min"))
    high = float(slider.get_attribute("max"))
    return box["x"] + box["width"] * (value - low) / (high - low), box["y"] + box["height"] / 2


def main_text(page: Page) -> Locator:
    """The main area's captions (markdown), where pages put what Python computed."""
    return page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]')
