"""The latent map in a real browser: clicking a test image's point selects and shows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.streamlit_page import PAGE_TIMEOUT_MS, open_page, problems

pytestmark = pytest.mark.browser

MAP = '[data-testid="stMain"] [data-testid="stPlotlyChart"] .js-plotly-plot'
INDEX_INPUT = '[data-testid="stMain"] [data-testid="stNumberInput"] input'
# a click this far from every other point can only mean this one
MIN_PIXEL_GAP = 8
# candidates: the points farthest from the cloud's centre, where points are sparse
CANDIDATES = 300
FIND_ISOLATED_POINT = """
([gd, candidates]) => {
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const box = gd.getBoundingClientRect();
  const points = [];
  gd._fullData.forEach((trace) => {
    if (trace.type !== "scattergl" || !trace.customdata) return;
    trace.x.forEach((x, i) => points.push({
      px: box.left + xa._offset + xa.d2p(x),
      py: box.top + ya._offset + ya.d2p(trace.y[i]),
      index: Number(trace.customdata[i]),
    }));
  });
  const cx = points.reduce((s, p) => s + p.px, 0) / points.length;
  const cy = points.reduce((s, p) => s + p.py, 0) / points.length;
  const left = box.left + xa._offset, top = box.top + ya._offset;
  const inside = (p) => p.px > left + 5 && p.px < left + xa._length - 5
    && p.py > top + 5 && p.py < top + ya._length - 5;
  const far = points.filter(inside)
    .sort((a, b) => Math.hypot(b.px - cx, b.py - cy) - Math.hypot(a.px - cx, a.py - cy))
    .slice(0, candidates);
  let best = null;
  far.forEach((p) => {
    let gap = Infinity;
    points.forEach((q) => {
      if (q !== p) gap = Math.min(gap, Math.hypot(q.px - p.px, q.py - p.py));
    });
    if (!best || gap > best.gap) best = { ...p, gap };
  });
  return best;
}
"""


def test_clicking_a_point_on_the_map_shows_that_test_image(
    page: Page, screenshot_folder: Path
) -> None:
    open_page(page, "latent_map")
    chart = page.locator(MAP).first
    chart.locator(".main-svg").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    chart.scroll_into_view_if_needed()
    target = page.evaluate(FIND_ISOLATED_POINT, [chart.element_handle(), CANDIDATES])
    assert target["gap"] > MIN_PIXEL_GAP, f"no isolated point to click: {target}"
    expect(page.locator(INDEX_INPUT).first).not_to_have_value(str(target["index"]))
    # plotly picks the point under the pointer on hover: its label names the test image
    page.mouse.move(target["px"], target["py"])
    expect(chart.locator(".hoverlayer .hovertext")).to_contain_text(f"#{target['index']}")

    page.mouse.down()
    page.mouse.up()

    expect(page.locator(INDEX_INPUT).first).to_have_value(
        str(target["index"]), timeout=PAGE_TIMEOUT_MS
    )
    page.screenshot(path=str(screenshot_folder / "latent_map-clicked.png"))
    assert problems(page) == []
