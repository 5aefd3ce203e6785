"""What it would take in a real browser: the panel opens, the least-stretch button sets the sliders, Undo restores."""

from __future__ import annotations

from scenarios.model.outcome import compute_outcome
from scenarios.model.projection import Scenario
from scenarios.registry.i18n import t
from scenarios.registry.levers import growth_levers
from tests.e2e.conftest import open_tab, wait_idle
from tests.shipped import DATA

CHECKED = ("semiconductors", "displays", "rest")


def slider_value(pg, sid: str) -> float:
    label = next(t(lev.label_key) for lev in growth_levers() if lev.id == sid)
    box = pg.locator("[data-testid=stSlider]", has_text=label).first
    return float(box.locator("input[type=range]").input_value())


def metric_value(pg, label: str) -> str:
    box = pg.locator("[data-testid=stMetric]", has_text=label).first
    return box.locator("[data-testid=stMetricValue]").inner_text().strip()


def test_least_stretch_button_and_undo(page, server):
    expected = compute_outcome(Scenario(base_year=2025, target_year=2030), DATA, ranges=False).least_stretch.growth
    page.goto(f"{server}/?base=2025&target=2030&preset=pledge")
    wait_idle(page)
    before = {sid: slider_value(page, sid) for sid in CHECKED}
    exports_label = t("metric.exports_in_target", year=2030)
    shown_before = metric_value(page, exports_label)  # in the first tab, "Targets and chances"

    open_tab(page, t("tabs.what"))
    wait_idle(page)
    assert "tab=what" in page.url
    # exports, the waterfall and the tornado (its narrow twin is drawn too, shown only on a phone)
    assert page.locator("[data-testid=stVegaLiteChart]").count() == 4
    panel = page
    button = panel.get_by_role("button", name=t("wit.stretch_button"))
    button.scroll_into_view_if_needed()
    button.click()
    wait_idle(page)
    assert {sid: slider_value(page, sid) for sid in CHECKED} == {sid: expected[sid] for sid in CHECKED}
    assert f"semiconductors={expected['semiconductors']:g}" in page.url
    assert button.is_disabled()

    page.locator("[data-testid=stSidebar]").get_by_role("button", name=t("sidebar.undo")).click()
    wait_idle(page)
    assert {sid: slider_value(page, sid) for sid in CHECKED} == before
    open_tab(page, t("tabs.targets"))
    wait_idle(page)
    assert metric_value(page, exports_label) == shown_before
    assert page.locator("[data-testid=stException]").count() == 0
