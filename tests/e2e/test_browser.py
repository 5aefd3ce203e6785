"""What only a browser shows: the page renders, a keyboard slider move redraws the chart, links reproduce views."""

from __future__ import annotations

import hashlib
import re

from playwright.sync_api import expect

from scenarios.registry.i18n import t
from tests.e2e.conftest import open_panel, open_tab, wait_idle


def chart_hash(pg) -> str:
    svg = pg.locator("[data-testid=stVegaLiteChart]").first.inner_html()
    return hashlib.sha256(svg.encode()).hexdigest()


def metric_value(pg, label: str) -> str:
    box = pg.locator("[data-testid=stMetric]", has_text=label).first
    return box.locator("[data-testid=stMetricValue]").inner_text().strip()


def slider_input(pg, label: str):
    return pg.locator("[data-testid=stSlider]", has_text=label).locator("input[type=range]")


def test_page_renders_without_exception(page, server):
    page.goto(server)
    wait_idle(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.get_by_text(t("app.title")).is_visible()
    assert page.locator("[data-testid=stVegaLiteChart]").count() == 1  # the first screen; tabs draw when opened
    assert metric_value(page, t("metric.exports_in_target", year=2030))
    open_tab(page, t("tabs.vision"))
    wait_idle(page)
    assert page.locator("[data-testid=stVegaLiteChart]").count() == 5
    assert "tab=vision" in page.url
    page.goto(f"{server}/?base=2021&target=2027&preset=pledge")  # the 2022 pledge, on its own timeline
    wait_idle(page)
    assert metric_value(page, t("metric.exports_in_target", year=2027)) == "1,011.5"


def test_first_screen_answers_now_without_scrolling(browser, server):
    """At 1440x900 today's date, the data's month, the nowcast, the crossing, the chance of holding USD 1 trn in
    the target year, both verdicts and the chart are above the fold."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = ctx.new_page()
    try:
        pg.goto(server)
        wait_idle(pg)
        held = t("verdict.held_and_reached", year=2030, held="@", reached="@").split("@")[0].strip()
        for text in (t("present.nowcast", year=2026), t("present.crossing", year=2026), t("present.verdict_header"),
                     "6 December 2026", "September 2026", held):
            box = pg.get_by_text(text).first.bounding_box()
            assert box is not None and box["y"] + box["height"] <= 900, text
        line = pg.locator("[data-testid=stMarkdownContainer]", has_text=held).first.inner_text()
        assert re.search(re.escape(held) + r"\s*[<>]?\s*\d+ %", line), line
        chart = pg.locator("[data-testid=stVegaLiteChart]").first.bounding_box()
        assert chart is not None and chart["y"] <= 900 - 250  # the path against the target starts on screen
        markdown = pg.locator("[data-testid=stMarkdownContainer]", has_text=t("present.verdict_header"))
        verdict = markdown.first.inner_text()
        assert "2030" in verdict and "2027" in verdict
    finally:
        ctx.close()


def test_keyboard_slider_move_redraws_the_chart(page, server):
    page.goto(f"{server}/?base=2021&target=2027&preset=pledge")
    wait_idle(page)
    before_chart = chart_hash(page)
    before_metric = metric_value(page, t("metric.exports_in_target", year=2027))
    thumb = slider_input(page, t("lever.semiconductors.label"))
    thumb.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert thumb.input_value() == "8.3"
    assert chart_hash(page) != before_chart
    assert metric_value(page, t("metric.exports_in_target", year=2027)) != before_metric
    assert "semiconductors=8.3" in page.url
    assert page.locator("[data-testid=stException]").count() == 0


def test_shared_link_reproduces_the_scenario_in_a_fresh_context(browser, server):
    first = browser.new_context(viewport={"width": 1400, "height": 1200})
    pg = first.new_page()
    pg.goto(f"{server}/?preset=trend&base=2025&target=2030&semiconductors=12")
    wait_idle(pg)
    shared_url = pg.url
    shown = metric_value(pg, t("metric.exports_in_target", year=2030))
    first.close()

    second = browser.new_context(viewport={"width": 1400, "height": 1200})
    pg2 = second.new_page()
    pg2.goto(shared_url)
    wait_idle(pg2)
    assert slider_input(pg2, t("lever.semiconductors.label")).input_value() == "12"
    assert metric_value(pg2, t("metric.exports_in_target", year=2030)) == shown
    second.close()


def test_choosing_a_preset_moves_the_sliders(page, server):
    page.goto(server)
    wait_idle(page)
    page.locator("[data-testid=stSelectbox]", has_text=t("sidebar.preset")).click()
    page.get_by_role("option", name=t("preset.downside.label")).click()
    wait_idle(page)
    assert slider_input(page, t("lever.displays.label")).input_value() == "2.4"
    assert "preset=downside" in page.url


def test_language_toggle_switches_to_korean(page, server):
    page.goto(server)
    wait_idle(page)
    page.locator("[data-testid=stSidebar]").get_by_text("한국어", exact=True).click()
    wait_idle(page)
    assert page.get_by_text(t("app.title", "ko")).is_visible()
    assert "lang=ko" in page.url
    assert page.locator("[data-testid=stException]").count() == 0


def test_methodology_and_data_pages_render(page, server):
    page.goto(f"{server}/methodology?base=2025")
    wait_idle_page(page)
    assert page.get_by_text(t("methodology.title")).is_visible()
    page.goto(f"{server}/data")
    wait_idle_page(page)
    assert page.get_by_text(t("data_page.title")).is_visible()
    assert page.locator("[data-testid=stException]").count() == 0


def wait_idle_page(pg) -> None:
    pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=30_000)
    pg.wait_for_timeout(500)
    pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=30_000)


def open_share_panel(pg) -> None:
    open_tab(pg, t("tabs.share"))
    wait_idle(pg)
    open_panel(pg, "open_share")


def test_scenario_json_downloaded_in_one_browser_opens_identically_in_another(browser, server, tmp_path):
    first = browser.new_context(viewport={"width": 1400, "height": 1200}, accept_downloads=True)
    pg = first.new_page()
    pg.goto(f"{server}/?base=2024&target=2030&semiconductors=13&rerating=20")
    wait_idle(pg)
    shown = metric_value(pg, t("metric.exports_in_target", year=2030))
    open_share_panel(pg)
    with pg.expect_download() as info:
        pg.get_by_role("button", name=t("share.download_json")).click()
    path = tmp_path / "scenario.json"
    info.value.save_as(path)
    with pg.expect_download() as info:
        pg.get_by_role("button", name=t("share.download_csv")).click()
    csv_path = tmp_path / "paths.csv"
    info.value.save_as(csv_path)
    first.close()
    assert "semiconductors" in csv_path.read_text(encoding="utf-8")

    second = browser.new_context(viewport={"width": 1400, "height": 1200})
    pg2 = second.new_page()
    pg2.goto(server)
    wait_idle(pg2)
    open_share_panel(pg2)
    pg2.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(path))
    expect(slider_input(pg2, t("lever.semiconductors.label"))).to_have_value("13", timeout=30_000)
    wait_idle(pg2)
    open_tab(pg2, t("tabs.targets"))
    wait_idle(pg2)
    assert metric_value(pg2, t("metric.exports_in_target", year=2030)) == shown
    assert "rerating=20" in pg2.url
    second.close()
