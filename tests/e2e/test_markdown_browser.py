"""No text struck through by accident: Chromium finds no <del>, <s> or <strike> on any page, part or preset.

Streamlit's Markdown reads a pair of single tildes as strikethrough, so Korean ranges (2016~2024, 1~4년)
collapsed into <del> before every Markdown sink passed its text through i18n.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.model.share import TAB_IDS
from tests.e2e.conftest import open_panel

ROOT = Path(__file__).resolve().parents[2]
PRESETS = sorted(p.stem for p in (ROOT / "scenarios/registry/presets").glob("*.toml"))
STRUCK = "del, s, strike"
SIDEBAR_PANELS = ("open_settings", "open_present", "open_emerging", "open_chip", "open_macro", "open_ranges",
                  "open_peers")


def settle(pg) -> None:
    """The script has finished and the page has drawn (the Methodology and Data pages have no chart to wait for)."""
    pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=60_000)
    pg.wait_for_timeout(400)
    pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=60_000)


def struck(pg) -> list[str]:
    return pg.locator(STRUCK).evaluate_all("els => els.map(e => e.outerHTML.slice(0, 120))")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_no_strikethrough_anywhere(browser, server, lang):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    found = {}
    try:
        for preset in PRESETS:
            for path in [f"/?tab={tab}" for tab in TAB_IDS] + ["/methodology?", "/data?"]:
                url = f"{server}{path}&preset={preset}&lang={lang}"
                pg.goto(url)
                settle(pg)
                assert pg.locator("[data-testid=stException]").count() == 0, url
                if hits := struck(pg):
                    found[url] = hits
        # every sidebar panel open too (the years' panel, the chip cycle, the ranges ...), with the upside preset
        pg.goto(f"{server}/?tab=share&preset=upside&lang={lang}")
        settle(pg)
        for key in (*SIDEBAR_PANELS, "open_figures"):
            if pg.locator(f".st-key-{key}").count():
                open_panel(pg, key)
                settle(pg)
        if hits := struck(pg):
            found["panels open"] = hits
    finally:
        ctx.close()
    assert not found, found
