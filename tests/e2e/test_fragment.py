"""The levers rerun one fragment (issue #16): what only a browser shows about the parts outside it."""

from __future__ import annotations

from scenarios.registry.i18n import t
from tests.e2e.conftest import open_panel, wait_idle
from tests.e2e.test_browser import metric_value, slider_input


def selectbox_text(pg, label: str) -> str:
    box = pg.locator("[data-testid=stSelectbox]", has_text=label).first
    field = box.locator("input")
    return field.first.input_value() if field.count() else box.inner_text()


def test_undo_of_a_setting_redraws_the_settings_outside_the_fragment(page, server):
    page.goto(server)
    wait_idle(page)
    open_panel(page, "open_settings")  # the years sit in a panel closed at first
    year = page.locator("[data-testid=stSelectbox]", has_text=t("sidebar.target_year")).locator("input").first
    year.scroll_into_view_if_needed()  # below the growth sliders: a select closes its list when the sidebar scrolls
    page.wait_for_timeout(300)
    year.click()
    page.keyboard.type("2029")  # typed and chosen with Enter: a click on the list can land after it closed
    page.keyboard.press("Enter")
    wait_idle(page)
    assert "2029" in selectbox_text(page, t("sidebar.target_year"))
    assert metric_value(page, t("metric.exports_in_target", year=2029))
    page.get_by_role("button", name=t("sidebar.undo")).click()  # drawn by the fragment; the year is not
    wait_idle(page)
    assert "2030" in selectbox_text(page, t("sidebar.target_year"))
    assert metric_value(page, t("metric.exports_in_target", year=2030))
    assert "target=2029" not in page.url
    assert page.locator("[data-testid=stException]").count() == 0


def test_a_slider_move_keeps_where_exports_stand_and_moves_the_answer(page, server):
    page.goto(server)
    wait_idle(page)
    nowcast = metric_value(page, t("present.nowcast", year=2026))
    verdict = page.locator("[data-testid=stMarkdownContainer]", has_text=t("present.verdict_header")).first
    before = verdict.inner_text()
    thumb = slider_input(page, t("lever.semiconductors.label"))
    thumb.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert verdict.inner_text() != before
    assert metric_value(page, t("present.nowcast", year=2026)) == nowcast  # the nowcast does not read growth
    assert page.locator("[data-testid=stException]").count() == 0


def test_a_scenario_and_its_open_panels_survive_a_visit_to_another_page(page, server):
    page.goto(server)
    wait_idle(page)
    semis = slider_input(page, t("lever.semiconductors.label"))
    semis.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    wait_idle(page)
    open_panel(page, "open_emerging")
    robots = slider_input(page, t("lever.robots.label"))
    robots.focus()
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    moved = {"semis": semis.get_attribute("aria-valuenow"), "robots": robots.get_attribute("aria-valuenow")}
    link = page.url
    page.get_by_role("link", name=t("nav.methodology")).click()
    page.wait_for_selector(f"text={t('methodology.title')}")
    page.get_by_role("link", name=t("nav.explorer")).click()
    wait_idle(page)
    assert page.locator(".st-key-open_emerging input[type=checkbox]").first.is_checked()  # still open
    assert semis.get_attribute("aria-valuenow") == moved["semis"]
    assert robots.get_attribute("aria-valuenow") == moved["robots"]
    assert page.url == link
    assert page.locator("[data-testid=stException]").count() == 0
