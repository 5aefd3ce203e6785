"""What it would take in the app (issue #14): the charts show the engine's numbers; the least-stretch button, Undo."""

from __future__ import annotations

import json
import re

import pytest

from scenarios.model.outcome import compute_outcome
from scenarios.model.projection import Scenario
from scenarios.registry.i18n import fmt_pct, t
from scenarios.registry.levers import growth_levers
from tests.apptest_util import chart_data, chart_spec, charts, open_app
from tests.shipped import DATA

IDS = [lev.id for lev in growth_levers()]
SCENARIO = Scenario(base_year=2025, target_year=2030)
PARAMS = {"base": "2025", "target": "2030", "preset": "pledge"}
# A chance still open: from 2021, USD 1 trn by 2025 (2026's months, which settle every later target year, are after it)
OPEN = Scenario(base_year=2021, target_year=2025)
OPEN_PARAMS = {"base": "2021", "target": "2025", "preset": "pledge"}


def chart_titled(at, key: str):
    return next(c for c in charts(at) if chart_spec(c)["title"] == t(key))


def stable(spec: dict) -> str:
    return re.sub(r'"[0-9a-f]{32}"', '"DATA"', json.dumps(spec, sort_keys=True))


def growth_sliders(at) -> dict[str, float]:
    return {sid: at.slider(key=sid).value for sid in IDS}


@pytest.fixture(scope="module")
def app():
    at = open_app({**OPEN_PARAMS, "paths": "1000", "seed": "4"}, tab="what")
    assert not at.exception and not at.error
    return at


def test_waterfall_shows_the_decomposition(app):
    o = compute_outcome(OPEN.with_macro(paths=1000.0, seed=4.0), DATA)
    data = chart_data(chart_titled(app, "wit.waterfall_title")).sort_values("order")
    bars = data[data.kind.isin(["up", "down"])]
    counted = {sid: v for sid, v in o.gap.as_dict().items() if sid != "metaverse"}  # services not counted
    assert dict(zip(bars.series, bars.value, strict=True)) == pytest.approx(counted, abs=1e-3)
    assert bars.value.tolist() == sorted(bars.value, reverse=True)
    first, total, gap = data.iloc[0], data[data.kind == "total"].iloc[0], data.iloc[-1]
    assert first.kind == "base" and first.end == pytest.approx(o.projection.total[0])  # 2021's 644.5
    assert total.end == pytest.approx(o.at_target["exports_total"], abs=1e-3)
    # 2021 to 2025 at 7.8 % a year ends short of USD 1 trn (a gap bar to the line)
    assert gap.kind == ("short" if o.gap.shortfall > 0 else "over")
    assert gap.value == pytest.approx(o.gap.shortfall, abs=1e-3) and gap.end == 1000.0


def test_tornado_shows_the_sensitivity_and_the_chances(app):
    o = compute_outcome(OPEN.with_macro(paths=1000.0, seed=4.0), DATA)
    data = chart_data(chart_titled(app, "wit.tornado_title"))
    low, high = t("wit.end_low"), t("wit.end_high")
    for row in o.sensitivity_chances:
        mine = data[(data.lever_id == row.lever) & (data.kind == row.outcome)]
        assert mine[mine.end == low].result.item() == pytest.approx(row.total_low, abs=1e-3)
        assert mine[mine.end == high].result.item() == pytest.approx(row.total_high, abs=1e-3)
        assert mine.base.tolist() == pytest.approx([row.total_base] * 2, abs=1e-3)
        if row.outcome == "exports_total":
            chance = data[(data.lever_id == row.lever) & (data.kind == "chance")]
            assert chance[chance.end == low].result.item() == pytest.approx(100 * row.probability_low, abs=1e-3)
            assert chance[chance.end == high].result.item() == pytest.approx(100 * row.probability_high, abs=1e-3)
    chances = data[data.kind == "chance"]
    assert set(chances.base.round(3)) == {round(100 * o.probabilities["exports_1t"], 3)}  # the headline's
    exports = data[(data.kind == "exports_total") & (data.end == low)].sort_values("order")
    assert exports.lever_id.tolist() == [r.lever for r in o.sensitivity if r.outcome == "exports_total"]


def test_panel_states_the_growth_for_a_chance(app):
    o = compute_outcome(OPEN.with_macro(paths=1000.0, seed=4.0), DATA)
    text = " ".join(m.value for m in app.markdown)
    needed = o.required_for_probability
    for key in ("0.5", "0.8"):  # one decimal, as every percentage on the page (issue 27)
        assert f"**{fmt_pct(needed[key], 'en')} a year**" in text


def test_least_stretch_button_sets_the_sliders_and_undo_restores_them():
    at = open_app(PARAMS, tab="what")
    before = growth_sliders(at)
    specs = [chart_spec(chart_titled(at, key)) for key in ("wit.waterfall_title", "wit.tornado_title")]
    expected = compute_outcome(SCENARIO, DATA, ranges=False).least_stretch.growth
    assert before != pytest.approx(expected)
    at.button(key="least_stretch").click().run()
    assert not at.exception and not at.error
    assert growth_sliders(at) == pytest.approx(expected)
    exports = chart_data(charts(at)[0])
    shown = float(exports[(exports.kind == "total") & (exports.year == 2030)].value.iloc[0])
    assert shown == pytest.approx(1000.0, abs=0.5)
    assert at.button(key="least_stretch").disabled  # already there
    after = [chart_spec(chart_titled(at, key)) for key in ("wit.waterfall_title", "wit.tornado_title")]
    assert [stable(s) for s in after] == [stable(s) for s in specs], "specs must not change with the sliders"
    at.button(key="undo").click().run()
    assert growth_sliders(at) == before
    assert not at.button(key="least_stretch").disabled
    at.button(key="redo").click().run()
    assert growth_sliders(at) == pytest.approx(expected)


def test_closed_panel_builds_nothing_but_the_headline_names_industry_and_lever():
    at = open_app(PARAMS, panels_open=False)
    assert not at.exception
    assert len(charts(at)) == 1 and not [b for b in at.button if b.key == "least_stretch"]
    o = compute_outcome(SCENARIO, DATA, ranges=False)
    summary = next(c.value for c in at.caption if c.value.startswith(t("summary.exports")[:9]))
    lever_first = o.sensitivity[0].lever  # exports rows come first, widest first
    assert f"most is {t(f'lever.{lever_first}.label')} growth" in summary
    top = max((k for k in IDS if k != "rest"), key=o.gap.as_dict().__getitem__)
    assert f"{t(f'lever.{top}.label')} adds the most of the Big 10" in summary
    assert "Displays at 7.8 %, faster than any 5-year run since 2018" in summary


def test_slider_help_follows_the_value():
    at = open_app(PARAMS, panels_open=False)
    assert "within its 5-year runs since 1995" in at.slider(key="semiconductors").help
    at.slider(key="semiconductors").set_value(30.0).run()
    help_text = at.slider(key="semiconductors").help
    assert "**30.0 % against its own history:** faster than any 5-year run since 1995" in help_text


def test_panel_in_korean():
    at = open_app({**PARAMS, "lang": "ko"}, tab="what")
    assert not at.exception and not at.error
    titles = [chart_spec(c)["title"] for c in charts(at)]
    assert t("wit.waterfall_title", "ko") in titles and t("wit.tornado_title", "ko") in titles
    assert at.button(key="least_stretch").label == t("wit.stretch_button", "ko")
    text = " ".join(m.value for m in at.markdown)
    assert "조" in text and "억 달러" in text  # the least-stretch total, e.g. 1조 4억 달러
    waterfall = next(c for c in charts(at) if chart_spec(c)["title"] == t("wit.waterfall_title", "ko"))
    assert chart_data(waterfall).label.iloc[0] == t("wit.bar_base", "ko", year=2025)
