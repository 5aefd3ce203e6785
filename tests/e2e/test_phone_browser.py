"""A phone (390x844): every Vega chart's drawing fits the screen in every part, and Korean table cells break
between words only (issue 27)."""

from __future__ import annotations

import pytest

from scenarios.model.share import TAB_IDS
from tests.e2e.conftest import open_panel, wait_idle

WIDTH, HEIGHT = 390, 844

# Every drawn chart (svg or canvas) that is shown: its left and right edge on the page
DRAWINGS = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].flatMap(c => {
    const d = c.querySelector('svg.marks, canvas');
    if (!d) return [];
    const r = d.getBoundingClientRect();
    if (r.width === 0 || getComputedStyle(c).display === 'none' || c.closest('[style*="display: none"]')) return [];
    return [{left: r.left, right: r.right, title: c.getAttribute('aria-label') || ''}];
})"""

# Words with Hangul in a table cell laid out on more than one line (a word: a run between spaces, or before "(")
SPLIT_WORDS = """() => {
    const out = [];
    for (const cell of document.querySelectorAll('table td, table th')) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const re = /[^\\s(]*[\\uac00-\\ud7a3][^\\s(]*/g;  // a line may break before "(" (기준값 / (억 달러))
            let m;
            while ((m = re.exec(node.data)) !== null) {
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
                if (tops.size > 1) out.push(m[0]);
            }
        }
    }
    return out;
}"""


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_chart_fits_a_phone_in_every_part(browser, server, lang):
    ctx = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    pg = ctx.new_page()
    wide, split, seen = [], [], 0
    try:
        for tab in TAB_IDS:
            pg.goto(f"{server}/?tab={tab}&lang={lang}&ref=preset:trend")
            wait_idle(pg, 90_000)
            if tab == "tracker":  # the tracker's detail (monthly and cumulative charts) is a panel of its own
                for key in ("open_present_detail", "open_detail"):
                    if pg.locator(f".st-key-{key}").count():
                        open_panel(pg, key)
            wait_idle(pg, 90_000)
            drawings = pg.evaluate(DRAWINGS)
            seen += len(drawings)
            wide += [f"{tab}: {d['title'][:50]} ({d['left']:.0f}-{d['right']:.0f})" for d in drawings
                     if d["left"] < -1 or d["right"] > WIDTH + 1]
            if lang == "ko":
                split += [f"{tab}: {w}" for w in pg.evaluate(SPLIT_WORDS)]
    finally:
        ctx.close()
    assert seen >= 8
    assert not wide, wide
    assert not split, split
