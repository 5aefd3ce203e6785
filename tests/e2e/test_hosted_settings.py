"""The app under the settings Streamlit Community Cloud forces, in a real Chromium.

Community Cloud runs every app with runner.fastReruns=true, server.enableXsrfProtection=true and
client.showErrorDetails=false, whatever .streamlit/config.toml says. fastReruns lets a new widget value
interrupt the running script, so a burst of key presses must still end on the last value.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from scenarios.registry.i18n import t
from tests.e2e.conftest import start_server, stop_server, wait_idle

HOSTED_ARGS = ["--runner.fastReruns", "true", "--server.enableXsrfProtection", "true",
               "--client.showErrorDetails", "false"]
ERRORS = "[data-testid=stException], [data-testid=stAlertContentError]"


@pytest.fixture(scope="module")
def hosted_server() -> Iterator[str]:
    proc, url = start_server(HOSTED_ARGS)
    try:
        yield url
    finally:
        stop_server(proc)


@pytest.fixture
def hosted_page(browser, hosted_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.goto(hosted_server)
    wait_idle(pg)
    try:
        yield pg
    finally:
        context.close()
    assert errors == [], f"uncaught page errors: {errors}"


def chart_hash(pg) -> str:
    return hashlib.sha256(pg.locator("[data-testid=stVegaLiteChart]").first.inner_html().encode()).hexdigest()


def thumb(pg, label: str):
    return pg.locator("[data-testid=stSlider]", has_text=label).locator("input[type=range]").first


def exports_metric(pg, year: int = 2030) -> str:
    box = pg.locator("[data-testid=stMetric]", has_text=t("metric.exports_in_target", year=year)).first
    return box.locator("[data-testid=stMetricValue]").inner_text().strip()


def test_page_renders_the_first_screen_without_exception(hosted_page):
    assert hosted_page.locator("[data-testid=stVegaLiteChart]").count() == 1  # the exports chart; tabs are lazy
    assert hosted_page.locator(ERRORS).count() == 0
    assert hosted_page.get_by_text(t("app.title")).is_visible()
    cookies = {c["name"] for c in hosted_page.context.cookies()}
    assert "_streamlit_xsrf" in cookies, "XSRF protection is on, so the server must have set its cookie"


def test_keyboard_slider_move_changes_the_chart(hosted_page):
    before = chart_hash(hosted_page)
    slider = thumb(hosted_page, t("lever.semiconductors.label"))
    start = float(slider.input_value())
    slider.focus()
    hosted_page.keyboard.press("ArrowRight")
    expect(slider).to_have_value(f"{start + 0.1:g}", timeout=30_000)
    wait_idle(hosted_page)
    assert chart_hash(hosted_page) != before
    assert hosted_page.locator(ERRORS).count() == 0


def test_rapid_burst_of_key_presses_ends_on_the_last_value(browser, hosted_server, hosted_page):
    slider = thumb(hosted_page, t("lever.semiconductors.label"))
    start = float(slider.input_value())
    slider.focus()
    for _ in range(5):   # no waiting in between: with fastReruns each press interrupts the running script
        hosted_page.keyboard.press("ArrowRight")
    expected = f"{start + 0.5:.1f}".rstrip("0").rstrip(".")
    expect(slider).to_have_value(expected, timeout=30_000)
    expect(hosted_page).to_have_url(re.compile(rf"[?&]semiconductors={re.escape(expected)}(&|$)"), timeout=30_000)
    wait_idle(hosted_page)
    assert slider.input_value() == expected
    assert hosted_page.locator(ERRORS).count() == 0
    shown = exports_metric(hosted_page)

    # The same scenario opened directly shows the same figure: the last rerun was not lost or stale.
    fresh = browser.new_context(viewport={"width": 1400, "height": 1200})
    try:
        pg = fresh.new_page()
        pg.goto(f"{hosted_server}/?semiconductors={expected}")
        wait_idle(pg)
        assert thumb(pg, t("lever.semiconductors.label")).input_value() == expected
        assert exports_metric(pg) == shown
    finally:
        fresh.close()
