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
    NAVIGATION_LINKS,
    PAGE_TIMEOUT_MS,
    PAGES,
    SLIDER_INPUTS,
    SLIDERS,
    TITLE_KEYS,
    VIEWPORT,
    main_text,
    open_page,
    settle,
    thumb_position,
)
from ui.i18n import translate  # noqa: E402
from ui.render import images_png  # noqa: E402
from vae_core.checkpoints import load_checkpoint  # noqa: E402
from vae_core.latent import decode_codes  # noqa: E402

logger = logging.getLogger("app_speed")

DEFAULT_SWEEPS = 4
DEFAULT_DRAG_STEPS = 60
DEFAULT_CHANGES = 30
DRAG_SHARE = 0.6
DOWNLOAD_SCALE = 10
PAIRS = (("fashion-mnist", 2), ("fashion-mnist", 16), ("mnist", 2), ("mnist", 16))
LADDER = ("fashion-mnist", 2)
SELECTS = '[data-testid="stSidebar"] [data-testid="stSelectbox"]'
# the page's clock: animation frames, rerun requests sent, script runs finished
INSTRUMENT = """
window.__lse = { ticks: 0, sends: [], received: [], idle: [] };
const tick = () => { window.__lse.ticks += 1; requestAnimationFrame(tick); };
requestAnimationFrame(tick);
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", () => window.__lse.received.push(performance.now()));
  }
  send(data) { window.__lse.sends.push(performance.now()); return super.send(data); }
};
new MutationObserver((records) => {
  for (const record of records) {
    if (record.target.getAttribute("data-test-script-state") === "notRunning") {
      window.__lse.idle.push(performance.now());
    }
  }
}).observe(document, { subtree: true, attributeFilter: ["data-test-script-state"] });
"""


def percentile(values: list[float], share: float) -> float:
    return float(np.percentile(np.array(values), share))


def first_page_ready(page: Page, port: int, log: IO[bytes]) -> tuple[float, float, Popen]:
    """Launch the server, then time until health answers and until the first page is shown."""
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = start_server(port, log)
    wait_for_health(url, process)
    healthy = time.perf_counter() - started
    open_page(page, "")
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
    settle(page)


def choose_sidebar(page: Page, dataset: str, latent_dim: int) -> None:
    """Pick a data set and a latent size in the sidebar, as a user would."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    choose_option(page, page.locator(SELECTS).first, translate("en", f"dataset.{dataset}"))
    sidebar.locator('[data-testid="stRadio"]').first.get_by_text(
        str(latent_dim), exact=True
    ).click()
    radio = sidebar.get_by_role("radio", name=str(latent_dim), exact=True)
    page.wait_for_function("(radio) => radio.checked", arg=radio.element_handle())
    settle(page)


def drag_fps(page: Page, sweeps: int, steps: int) -> tuple[float, float, list[float]]:
    """Drag the first slider back and forth with a burst of mouse moves.

    The moves arrive faster than the screen refreshes, as they do under a hand, so the
    component can draw at most once per animation frame; the page counts both.

    Returns:
        Frames drawn per second, animation frames per second (the ceiling), and the
        component's milliseconds per drawn frame.
    """
    slider = page.locator(SLIDER_INPUTS).first
    root = page.locator(SLIDERS)
    start_x, y = thumb_position(slider, 0.0)
    width = slider.bounding_box()["width"]
    page.mouse.move(start_x, y)
    page.mouse.down()
    frames_before = int(root.get_attribute("data-frames"))
    ticks_before, began = page.evaluate("() => [window.__lse.ticks, performance.now()]")
    for _ in range(sweeps):
        for share in (DRAG_SHARE / 2, -DRAG_SHARE / 2):
            page.mouse.move(start_x + width * share, y, steps=steps)
    ticks_after, ended = page.evaluate("() => [window.__lse.ticks, performance.now()]")
    frames = int(root.get_attribute("data-frames")) - frames_before
    page.mouse.up()
    seconds = (ended - began) / 1000
    frame_ms = [float(value) for value in root.get_attribute("data-frame-ms").split(",")]
    recent = frame_ms[-min(frames, len(frame_ms)) :]
    return frames / seconds, (ticks_after - ticks_before) / seconds, recent


def change_timings(page: Page, changes: int) -> tuple[list[float], list[float]]:
    """Per arrow-key change, in ms on the browser's clock: the server's run, and the round trip.

    Returns:
        ``server``: from the rerun request leaving the browser until the run's last message
        (Streamlit's "script finished") arrives: the whole script, app.py, sidebar, the
        sliders page and its downloads, plus the local network;
        ``round_trip``: from the key press until the page shows the vector Python received.
    """
    slider = page.locator(SLIDER_INPUTS).first
    caption = main_text(page).filter(has_text="z = (")
    slider.focus()
    server, round_trip = [], []
    for _ in range(changes):
        before = caption.inner_text()
        page.evaluate("() => { Object.assign(window.__lse, {sends: [], received: [], idle: []}); }")
        pressed = page.evaluate("() => performance.now()")
        slider.press("ArrowRight")
        page.wait_for_function(
            "([element, before]) => element.innerText !== before",
            arg=[caption.element_handle(), before],
            timeout=PAGE_TIMEOUT_MS,
        )
        shown = page.evaluate("() => performance.now()")
        page.wait_for_function("() => window.__lse.idle.length > 0", timeout=PAGE_TIMEOUT_MS)
        sent, finished = page.evaluate(
            "() => [window.__lse.sends[0], window.__lse.received.at(-1)]"
        )
        server.append(finished - sent)
        round_trip.append(shown - pressed)
    return server, round_trip


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
                go_to(page, name)
                visits += 1
                logger.info("visited %s (%s, z%d, beta %s)", name, dataset, latent_dim, beta)
    return visits


def beta_options(page: Page) -> list[str]:
    """The betas the sidebar offers for the ladder's data set and latent size."""
    selects = page.locator(SELECTS)
    selects.nth(1).wait_for(timeout=PAGE_TIMEOUT_MS)
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
        "--sweeps",
        type=int,
        default=DEFAULT_SWEEPS,
        help=f"back-and-forth drags per latent size (default {DEFAULT_SWEEPS})",
    )
    parser.add_argument(
        "--drag-steps",
        type=int,
        default=DEFAULT_DRAG_STEPS,
        help=f"mouse moves per half sweep (default {DEFAULT_DRAG_STEPS})",
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


def go_to(page: Page, name: str) -> None:
    """Open a view through the sidebar, keeping the session (and its sidebar choices)."""
    page.locator(NAVIGATION_LINKS).nth(PAGES.index(name)).click()
    path = "/" if name == PAGES[0] else f"/{name}"
    page.wait_for_function("(path) => location.pathname.endsWith(path)", arg=path)
    # the new title shows once the page's run has begun; then wait for the run to end
    page.wait_for_function(
        "(title) => document.querySelector('h1')?.innerText === title",
        arg=translate("en", TITLE_KEYS[name]),
        timeout=PAGE_TIMEOUT_MS,
    )
    settle(page)


def drag_rows(page: Page, sweeps: int, steps: int) -> list[tuple[str, str]]:
    """Frames per second and time per frame while dragging, for both latent sizes."""
    rows = []
    for dataset, latent_dim in (("fashion-mnist", 2), ("fashion-mnist", 16)):
        choose_sidebar(page, dataset, latent_dim)
        go_to(page, "sliders")
        page.locator(SLIDER_INPUTS).nth(latent_dim - 1).wait_for(timeout=PAGE_TIMEOUT_MS)
        page.wait_for_function(
            "(root) => Number(root.dataset.frames) > 0",
            arg=page.locator(SLIDERS).element_handle(),
        )
        fps, display_fps, frame_ms = drag_fps(page, sweeps, steps)
        logger.info("latent %d: %.1f frames per second", latent_dim, fps)
        label = f"drag, latent {latent_dim}"
        rows.append((f"{label}: frames drawn per second", f"{fps:.1f}"))
        rows.append((f"{label}: animation frames per second", f"{display_fps:.1f}"))
        rows.append((f"{label}: ms per frame (decode 2 + draw) p50 / p95", p50_p95(frame_ms, 2)))
    return rows


def change_rows(page: Page, changes: int) -> list[tuple[str, str]]:
    """Server time per slider change, seen from the browser, and the Python work alone."""
    server, round_trip = change_timings(page, changes)
    work = [1000 * seconds for seconds in python_work_per_change(changes)]
    return [
        ("slider change, server run (ms) p50 / p95", p50_p95(server, 0)),
        ("slider change, key press to page updated (ms) p50 / p95", p50_p95(round_trip, 0)),
        ("slider change, Python decode + 2 PNG (ms) p50 / p95", p50_p95(work, 2)),
    ]


def p50_p95(values: list[float], digits: int) -> str:
    return f"{statistics.median(values):.{digits}f} / {percentile(values, 95):.{digits}f}"


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
        context.add_init_script(INSTRUMENT)
        page = context.new_page()
        healthy, ready, process = first_page_ready(page, port, log)
        rows = [
            ("first page ready after launch (s)", f"{ready:.2f}"),
            ("  of which until /_stcore/health (s)", f"{healthy:.2f}"),
        ]
        try:
            rows += drag_rows(page, args.sweeps, args.drag_steps)
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
