"""How fast the app feels: start-up, dragging, server time per slider change, and memory.

Starts `streamlit run app.py` itself (127.0.0.1, a free port), drives Debian's Chromium through
Playwright, and prints:

1. first page ready: seconds from launching the server until the first page's title and
   content are visible in the browser (the health endpoint's time is shown alongside);
2. frames per second while dragging a slider: the slider component counts the frames it draws
   (``data-frames``); a scripted drag moves the mouse once per animation frame, as a hand on a
   60 Hz screen does, for each latent size; the component's own time per frame (decoding both
   models and drawing) is printed too;
3. server time per slider change, p50 and p95, two ways: (a) the round trip a user sees, from
   an arrow key press (the slider reports its vector) until the page shows the vector Python
   received, which includes the whole script rerun; (b) the Python work the sliders page does
   per change (decode both models, render both PNG downloads), timed in this process;
4. server memory: VmRSS of the streamlit process after every page was visited for every model
   pair (both data sets, both latent sizes, every beta of the ladder).

Usage: .venv/bin/python benchmarks/app_speed.py [--drag-steps N] [--changes M]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path
from subprocess import Popen
from typing import IO

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.e2e.server import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    start_server,
    stop,
    wait_for_health,
)
from tests.e2e.streamlit_page import (  # noqa: E402
    IDLE_SELECTOR,
    NAVIGATION_LINKS,
    PAGE_TIMEOUT_MS,
    PAGES,
    SLIDER_INPUTS,
    SLIDERS,
    VIEWPORT,
    main_text,
    thumb_position,
)
from ui.i18n import translate  # noqa: E402
from ui.render import images_png  # noqa: E402
from vae_core.checkpoints import load_checkpoint  # noqa: E402
from vae_core.latent import decode_codes  # noqa: E402

logger = logging.getLogger("app_speed")

DEFAULT_DRAG_STEPS = 120
DEFAULT_CHANGES = 30
DRAG_SHARE = 0.6
DOWNLOAD_SCALE = 10
PAIRS = (("fashion-mnist", 2), ("fashion-mnist", 16), ("mnist", 2), ("mnist", 16))
LADDER = ("fashion-mnist", 2)
SELECTS = '[data-testid="stSidebar"] [data-testid="stSelectbox"]'
NEXT_FRAME = "() => new Promise((done) => requestAnimationFrame(() => done()))"


def percentile(values: list[float], share: float) -> float:
    return float(np.percentile(np.array(values), share))


def open_path(page: Page, path: str) -> None:
    page.goto(f"/{path}")
    page.wait_for_selector(IDLE_SELECTOR, timeout=PAGE_TIMEOUT_MS)
    page.locator("h1").first.wait_for(timeout=PAGE_TIMEOUT_MS)


def first_page_ready(page: Page, port: int, log: IO[bytes]) -> tuple[float, float, Popen]:
    """Launch the server, then time until health answers and until the first page is shown."""
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = start_server(port, log)
    wait_for_health(url, process)
    healthy = time.perf_counter() - started
    open_path(page, "")
    page.locator('[data-testid="stMain"] [data-testid="stImage"]').first.wait_for(
        timeout=PAGE_TIMEOUT_MS
    )
    return healthy, time.perf_counter() - started, process


def choose_option(page: Page, select, option: str) -> None:
    """Pick ``option`` in a Streamlit selectbox (a combobox whose input shows the choice)."""
    combobox = select.get_by_role("combobox")
    if combobox.input_value() == option:
        return
    select.click()
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_function(
        "([input, option]) => input.value === option",
        arg=[combobox.element_handle(), option],
        timeout=PAGE_TIMEOUT_MS,
    )
    page.wait_for_selector(IDLE_SELECTOR, timeout=PAGE_TIMEOUT_MS)


def choose_sidebar(page: Page, dataset: str, latent_dim: int) -> None:
    """Pick a data set and a latent size in the sidebar, as a user would."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    choose_option(page, page.locator(SELECTS).first, translate("en", f"dataset.{dataset}"))
    sidebar.locator('[data-testid="stRadio"]').first.get_by_text(
        str(latent_dim), exact=True
    ).click()
    radio = sidebar.get_by_role("radio", name=str(latent_dim), exact=True)
    page.wait_for_function("(radio) => radio.checked", arg=radio.element_handle())
    page.wait_for_selector(IDLE_SELECTOR, timeout=PAGE_TIMEOUT_MS)


def drag_fps(page: Page, steps: int) -> tuple[float, list[float]]:
    """Drag the first slider one mouse move per animation frame; frames drawn per second."""
    slider = page.locator(SLIDER_INPUTS).first
    root = page.locator(SLIDERS)
    start_x, y = thumb_position(slider, 0.0)
    width = slider.bounding_box()["width"]
    page.mouse.move(start_x, y)
    page.mouse.down()
    frames_before = int(root.get_attribute("data-frames"))
    began = page.evaluate("() => performance.now()")
    for step in range(1, steps + 1):
        # back and forth across the track, one position per displayed frame
        phase = step / steps * 2 * np.pi
        page.mouse.move(start_x + width * DRAG_SHARE / 2 * np.sin(phase), y)
        page.evaluate(NEXT_FRAME)
    ended = page.evaluate("() => performance.now()")
    frames = int(root.get_attribute("data-frames")) - frames_before
    page.mouse.up()
    frame_ms = [float(value) for value in root.get_attribute("data-frame-ms").split(",")]
    return frames / ((ended - began) / 1000), frame_ms[-min(frames, len(frame_ms)) :]


def change_round_trips(page: Page, changes: int) -> list[float]:
    """Seconds from an arrow key press until the page shows the vector Python received."""
    slider = page.locator(SLIDER_INPUTS).first
    caption = main_text(page).filter(has_text="z = (")
    slider.focus()
    seconds = []
    for _ in range(changes):
        before = caption.inner_text()
        started = time.perf_counter()
        slider.press("ArrowRight")
        page.wait_for_function(
            "([element, before]) => element.innerText !== before",
            arg=[caption.element_handle(), before],
            timeout=PAGE_TIMEOUT_MS,
        )
        page.wait_for_selector(IDLE_SELECTOR, timeout=PAGE_TIMEOUT_MS)
        seconds.append(time.perf_counter() - started)
    return seconds


def python_work_per_change(changes: int) -> list[float]:
    """The sliders page's own work per change: decode both models, render both PNGs."""
    models = [
        load_checkpoint(ROOT / "checkpoints" / f"fashion-mnist-{kind}-z2.safetensors").model
        for kind in ("ae", "vae")
    ]
    generator = torch.Generator().manual_seed(0)
    seconds = []
    for _ in range(changes):
        z = torch.randn(1, 2, generator=generator)
        started = time.perf_counter()
        for model in models:
            images_png(decode_codes(model, z), 1, DOWNLOAD_SCALE, padding=0)
        seconds.append(time.perf_counter() - started)
    return seconds


def visit_everything(page: Page) -> int:
    """Every page for every pair and every beta of the ladder; returns the page visits made."""
    visits = 0
    for dataset, latent_dim in PAIRS:
        choose_sidebar(page, dataset, latent_dim)
        betas = beta_options(page) if (dataset, latent_dim) == LADDER else [None]
        for beta in betas:
            if beta is not None:
                choose_option(page, page.locator(SELECTS).nth(1), beta)
            for name in PAGES:
                page.locator(NAVIGATION_LINKS).nth(PAGES.index(name)).click()
                page.wait_for_function(
                    "(path) => location.pathname.endsWith(path)",
                    arg="/" if name == PAGES[0] else f"/{name}",
                )
                page.wait_for_selector(IDLE_SELECTOR, timeout=PAGE_TIMEOUT_MS)
                visits += 1
                logger.info("visited %s (%s, z%d, beta %s)", name, dataset, latent_dim, beta)
    return visits


def beta_options(page: Page) -> list[str]:
    """The betas the sidebar offers (none when it shows no beta choice)."""
    selects = page.locator(SELECTS)
    if selects.count() < 2:
        return [None]
    selects.nth(1).click()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return options


def rss_mib(pid: int) -> float:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--drag-steps",
        type=int,
        default=DEFAULT_DRAG_STEPS,
        help=f"mouse moves per drag, one per frame (default {DEFAULT_DRAG_STEPS})",
    )
    parser.add_argument(
        "--changes",
        type=int,
        default=DEFAULT_CHANGES,
        help=f"slider changes timed per measure (default {DEFAULT_CHANGES})",
    )
    return parser.parse_args()


def report(rows: list[tuple[str, str]]) -> None:
    width = max(len(name) for name, _ in rows)
    print()
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


def drag_rows(page: Page, steps: int) -> list[tuple[str, str]]:
    """Frames per second and time per frame while dragging, for both latent sizes."""
    rows = []
    for dataset, latent_dim in (("fashion-mnist", 2), ("fashion-mnist", 16)):
        choose_sidebar(page, dataset, latent_dim)
        open_path(page, "sliders")
        page.wait_for_function(
            "(root) => Number(root.dataset.frames) > 0",
            arg=page.locator(SLIDERS).element_handle(),
        )
        fps, frame_ms = drag_fps(page, steps)
        logger.info("latent %d: %.1f frames per second", latent_dim, fps)
        p50, p95 = statistics.median(frame_ms), percentile(frame_ms, 95)
        rows.append((f"drag, latent {latent_dim}: frames per second", f"{fps:.1f}"))
        rows.append(
            (f"drag, latent {latent_dim}: ms per frame p50 / p95", f"{p50:.2f} / {p95:.2f}")
        )
    return rows


def change_rows(page: Page, changes: int) -> list[tuple[str, str]]:
    """Server time per slider change: the browser's round trip and the Python work alone."""
    round_trips = [1000 * seconds for seconds in change_round_trips(page, changes)]
    work = [1000 * seconds for seconds in python_work_per_change(changes)]
    return [
        (
            "slider change, round trip (ms) p50 / p95",
            f"{statistics.median(round_trips):.0f} / {percentile(round_trips, 95):.0f}",
        ),
        (
            "slider change, Python decode + PNG (ms) p50 / p95",
            f"{statistics.median(work):.2f} / {percentile(work, 95):.2f}",
        ),
    ]


def main() -> None:
    args = parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    port = free_port()
    with (
        sync_playwright() as playwright,
        tempfile.NamedTemporaryFile(prefix="app_speed-", suffix=".log", delete=False) as log,
    ):
        logger.info("server log: %s", log.name)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=VIEWPORT, base_url=f"http://127.0.0.1:{port}")
        page = context.new_page()
        healthy, ready, process = first_page_ready(page, port, log)
        rows = [
            ("first page ready after launch (s)", f"{ready:.2f}"),
            ("  of which until /_stcore/health (s)", f"{healthy:.2f}"),
        ]
        try:
            rows += drag_rows(page, args.drag_steps)
            rows += change_rows(page, args.changes)
            visits = visit_everything(page)
            rows.append(
                (f"server RSS after {visits} page visits (MiB)", f"{rss_mib(process.pid):.0f}")
            )
        finally:
            stop(process)
            browser.close()
    report(rows)


if __name__ == "__main__":
    main()
