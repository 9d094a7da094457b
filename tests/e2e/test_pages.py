"""Every page in a real browser: it loads without an error, and the app's shell is around it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.server import free_port, start_server, stop, wait_for_health
from tests.e2e.streamlit_page import (
    NAVIGATION_LINKS,
    PAGE_TIMEOUT_MS,
    PAGES,
    TITLE_KEYS,
    open_by_navigation,
    open_page,
    problems,
)
from ui.i18n import translate

pytestmark = pytest.mark.browser

LANGUAGE_RADIO = '[data-testid="stSidebar"] [data-testid="stRadio"]'
SIDEBAR_SELECTS = '[data-testid="stSidebar"] [data-testid="stSelectbox"]'


@contextmanager
def fresh_server_tab(browser) -> Iterator[Page]:  # noqa: ANN001 - Playwright's Browser
    """A browser tab on a server of its own that nobody has visited yet."""
    port = free_port()
    process = start_server(port)
    try:
        wait_for_health(f"http://127.0.0.1:{port}", process)
        context = browser.new_context(base_url=f"http://127.0.0.1:{port}")
        yield context.new_page()
        context.close()
    finally:
        stop(process)


@pytest.mark.parametrize("name", PAGES)
def test_every_page_loads_without_an_error(page: Page, name: str, screenshot_folder: Path) -> None:
    open_by_navigation(page, name)

    expect(page.locator("h1").first).to_have_text(translate("en", TITLE_KEYS[name]))
    page.screenshot(path=str(screenshot_folder / f"{name}.png"))
    assert problems(page) == []


@pytest.mark.parametrize("name", [name for name in PAGES if name != "overview"])
def test_every_view_has_an_address_of_its_own(page: Page, name: str) -> None:
    open_page(page, name)

    assert page.url.endswith(f"/{name}")
    assert problems(page) == []


def test_the_navigation_lists_every_page_by_its_translated_title(page: Page) -> None:
    open_page(page, "")

    titles = [translate("en", f"nav.{name}") for name in PAGES]
    expect(page.locator(NAVIGATION_LINKS)).to_have_count(len(PAGES))
    for link, title in zip(page.locator(NAVIGATION_LINKS).all(), titles, strict=True):
        expect(link).to_contain_text(title)


def test_the_language_switch_changes_the_text(page: Page, screenshot_folder: Path) -> None:
    open_page(page, "")
    expect(page.locator("h1").first).to_have_text(translate("en", "overview.title"))

    page.locator(LANGUAGE_RADIO).get_by_text("Polski").click()

    expect(page.locator("h1").first).to_have_text(
        translate("pl", "overview.title"), timeout=PAGE_TIMEOUT_MS
    )
    expect(page.locator(NAVIGATION_LINKS).nth(PAGES.index("sliders"))).to_contain_text(
        translate("pl", "nav.sliders")
    )
    page.screenshot(path=str(screenshot_folder / "overview-pl.png"))


def test_the_first_click_on_a_fresh_server_keeps_every_other_choice(browser) -> None:
    """The first run of a fresh server must give the sidebar the identities of every later run."""
    with fresh_server_tab(browser) as tab:
        open_page(tab, "")

        tab.locator(LANGUAGE_RADIO).get_by_text("Polski").click()

        expect(tab.locator("h1").first).to_have_text(
            translate("pl", "overview.title"), timeout=PAGE_TIMEOUT_MS
        )
        expect(tab.locator(LANGUAGE_RADIO).get_by_label("Polski")).to_be_checked()
        # beta 1 stays chosen: the pair is still the standard VAE, not the ladder's first
        pair = translate("pl", "sidebar.pair", ae="fashion-mnist-ae-z2", vae="fashion-mnist-vae-z2")
        expect(tab.locator('[data-testid="stSidebar"]')).to_contain_text(pair)


def test_a_deep_link_to_a_fresh_server_still_shows_the_whole_app(browser) -> None:
    """Streamlit runs a page file on its own when a fresh server's first visitor deep-links."""
    with fresh_server_tab(browser) as tab:
        open_page(tab, "sliders")

        expect(tab.locator(NAVIGATION_LINKS).first).to_contain_text(
            translate("en", "nav.overview"), timeout=PAGE_TIMEOUT_MS
        )
        expect(tab.locator("h1").first).to_have_text(translate("en", "sliders.title"))
        expect(tab.locator(SIDEBAR_SELECTS).first).to_be_visible()


def test_polish_charts_write_decimal_commas(page: Page) -> None:
    open_page(page, "applications")
    ticks = page.locator(".js-plotly-plot .xtick text")
    expect(ticks.filter(has_text=re.compile(r"^0\.2$")).first).to_be_attached()

    page.locator(LANGUAGE_RADIO).get_by_text("Polski").click()

    # the ROC curve's axes run from 0 to 1 in steps of 0.2
    expect(ticks.filter(has_text=re.compile(r"^0,2$")).first).to_be_attached(
        timeout=PAGE_TIMEOUT_MS
    )
    assert ticks.filter(has_text=re.compile(r"^0\.2$")).count() == 0
    assert problems(page) == []
