"""Accessibility (issue #15): an automated WCAG 2.1 A/AA audit of every page, in both languages.

axe-core (vendored: tests/e2e/vendor/axe.min.js) runs inside Chromium with the rules tagged wcag2a, wcag2aa,
wcag21a and wcag21aa. A one-slider Streamlit page (tests/e2e/floor_app.py) is audited the same way first:
what it shows is Streamlit's own. The app may add no serious or critical violation beyond it, judged element
by element (a rule on the same kind of Streamlit element as on the floor page is the floor's), and every chart
carries a text alternative.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.registry.i18n import t
from tests.e2e.conftest import open_panel, open_tab, start_server, stop_server, wait_idle

HERE = Path(__file__).resolve().parent
AXE = HERE / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = ("serious", "critical")

AUDIT = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact,
    nodes: v.nodes.map(n => {
      const el = document.querySelector(n.target[0]);
      const owner = el && el.closest('[data-testid]');
      return {where: owner ? owner.getAttribute('data-testid') : '', target: n.target.join(' '),
              summary: (n.failureSummary || '').slice(0, 240)};
    }),
  }));
}"""


def audit(pg) -> list[dict]:
    """Serious and critical violations on the page as it stands: [{id, impact, nodes: [{where, target, summary}]}]."""
    if not pg.evaluate("typeof window.axe !== 'undefined'"):
        pg.add_script_tag(path=str(AXE))
    return [v for v in pg.evaluate(AUDIT, TAGS) if v["impact"] in SERIOUS]


def signatures(violations: list[dict]) -> set[tuple[str, str]]:
    """(rule, kind of Streamlit element) of every violating node."""
    return {(v["id"], node["where"]) for v in violations for node in v["nodes"]}


def beyond_floor(violations: list[dict], floor: set[tuple[str, str]]) -> list[str]:
    """Every violating node the floor page does not show on the same kind of element, in words."""
    return [f"{v['id']} ({v['impact']}) at {node['where'] or '-'}: {node['target']} :: {node['summary']}"
            for v in violations for node in v["nodes"] if (v["id"], node["where"]) not in floor]


@pytest.fixture(scope="module")
def floor(browser) -> set[tuple[str, str]]:
    """What axe finds on the one-slider page: Streamlit's own."""
    proc, url = start_server(script=HERE / "floor_app.py")
    try:
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        pg = context.new_page()
        pg.goto(url)
        wait_idle(pg)
        found = audit(pg)
        context.close()
    finally:
        stop_server(proc)
    return signatures(found)


# Each tab below the first screen, and the closed panels inside it (their content is built only when open).
TAB_PANELS = {"targets": (), "industries": (), "vision": ("open_method",), "what": (), "tracker": (),
              "share": ("open_share", "open_figures")}


def each_tab_opened(pg, lang: str):
    """Open every tab in turn, and the panels inside it; yield each tab's id once it is drawn."""
    for tab, panels in TAB_PANELS.items():
        open_tab(pg, t(f"tabs.{tab}", lang))
        wait_idle(pg)
        for key in panels:
            open_panel(pg, key)
        yield tab


def charts_without_text_alternative(pg) -> list[str]:
    """Charts with no name for assistive technology (Vega puts the spec's description on the chart's container)."""
    return pg.evaluate("""() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].map((c, i) => {
        const doc = c.getAttribute('role') === 'graphics-document' ? c : c.querySelector('[role=graphics-document]');
        const label = doc ? (doc.getAttribute('aria-label') || '') : '';
        return label.trim() ? '' : `chart ${i}`;
    }).filter(Boolean)""")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_explorer_with_every_panel_open_adds_nothing_to_the_floor(browser, server, floor, lang):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = context.new_page()
    try:
        pg.goto(f"{server}/?lang={lang}&ref=preset:trend")
        wait_idle(pg)
        found = audit(pg)
        charts, unnamed = 1, []  # the first screen's exports chart, then each tab's own
        for tab in each_tab_opened(pg, lang):
            found += audit(pg)
            charts += pg.locator("[data-testid=stVegaLiteChart]").count() - 1
            unnamed += [f"{tab}: {c}" for c in charts_without_text_alternative(pg)]
        assert beyond_floor(found, floor) == []
        assert charts >= 8
        assert unnamed == []
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("path", ["methodology", "data"])
def test_the_methodology_and_data_pages_add_nothing_to_the_floor(browser, server, floor, lang, path):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = context.new_page()
    try:
        pg.goto(f"{server}/{path}?lang={lang}")
        pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=60_000)
        pg.wait_for_timeout(1500)
        assert beyond_floor(audit(pg), floor) == []
    finally:
        context.close()


def test_a_phone_sees_the_verdict_and_the_chart_without_scrolling_sideways(browser, server):
    """At 390 px: nothing wider than the screen on the first screen; tables scroll inside themselves."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    try:
        pg.goto(f"{server}/?lang=ko")
        wait_idle(pg)
        assert pg.evaluate("document.documentElement.scrollWidth") <= 390
        main = pg.locator("[data-testid=stMain]")
        assert main.evaluate("e => e.scrollWidth") <= 390
        verdict = pg.get_by_text(t("present.verdict_header", "ko"), exact=True).first
        chart = pg.locator("[data-testid=stVegaLiteChart]").first
        for element in (verdict, chart):
            box = element.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        rights = []
        for tab in each_tab_opened(pg, "ko"):  # the tornado has a fixed width: it scrolls inside itself
            assert main.evaluate("e => e.scrollWidth") <= 390, tab
            rights += pg.evaluate("() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]"
                                  ".map(c => c.getBoundingClientRect().right)")
            if tab == "industries":
                table = pg.locator("[data-testid=stTable]").first
                assert table.evaluate("e => getComputedStyle(e).overflowX") in ("auto", "scroll")
                assert table.evaluate("e => e.getBoundingClientRect().right") <= 390
        assert len(rights) >= 8 and max(rights) <= 390
    finally:
        context.close()
