"""Wiring: sliders, presets, reset, years, query params, metrics and the data inside the chart."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from scenarios.model.outcome import compute_outcome
from scenarios.model.projection import Scenario
from scenarios.model.uncertainty import probability_text
from scenarios.registry.i18n import t
from scenarios.registry.levers import growth_levers, vision_levers
from scenarios.registry.presets import load_presets, resolve_growth
from tests.apptest_util import chart_data, chart_spec, charts, metrics, open_app, open_tab
from tests.shipped import BASE, DATA, MACRO, proj_of, sim_of

IDS = [lev.id for lev in growth_levers()]
LABELS = {lev.id: t(lev.label_key) for lev in growth_levers()}


@pytest.fixture(scope="module")
def app():
    at = open_app(tab="vision")
    assert not at.exception
    return at


def area_values(at, sid: str) -> np.ndarray:
    data = chart_data(charts(at)[0])
    rows = data[(data.series == LABELS[sid]) & data.kind.isin(["area", "uncounted"])].sort_values("year")
    return rows.value.to_numpy()


def total_values(at) -> np.ndarray:
    data = chart_data(charts(at)[0])
    return data[data.kind == "total"].sort_values("year").value.to_numpy()


def targets_table(at) -> str:
    """The targets part's table of the four targets, as the Markdown the app wrote."""
    return next(m.value for m in at.markdown if m.value.startswith(f"| {t('targets.col_target')} |"))


def stable(spec: dict) -> str:
    return re.sub(r'"[0-9a-f]{32}"', '"DATA"', json.dumps(spec, sort_keys=True))


def test_page_renders_every_slider_metric_and_the_chart(app):
    macro = [lev.id for lev in vision_levers() if lev.group == "macro"]
    ranges = [lev.id for lev in vision_levers() if lev.group == "uncertainty" and lev.unit != "bool"
              and lev.id != "seed"]
    peers = [lev.id for lev in vision_levers() if lev.group == "peer"]
    present = [lev.id for lev in vision_levers() if lev.group == "present" and lev.unit != "bool"]
    chip = [lev.id for lev in vision_levers() if lev.group == "chip" and lev.unit != "bool"]
    # the levers' fragment draws under the preset; the nowcast's levers sit with the settings (they rerun the page)
    assert [s.key for s in app.slider] == IDS + chip + macro + ranges + peers + present
    assert app.toggle(key="ranges").value is True and app.number_input(key="seed").value == 1
    assert len(app.metric) == 8  # where exports stand (4) on the first screen, the open 5/5/5 tab (4)
    assert len(charts(app)) == 5  # exports, and the four 5/5/5 charts of the open tab
    assert not app.error


def test_chart_shows_the_engines_numbers(app):
    proj = proj_of(Scenario(base_year=2021, target_year=2027))
    np.testing.assert_allclose(total_values(app), proj.total, atol=1e-3)
    np.testing.assert_allclose(area_values(app, "semiconductors"), proj.values[0], atol=1e-3)
    data = chart_data(charts(app)[0])
    actual = data[data.kind == "actual"].sort_values("year")
    assert actual.year.tolist() == [2021, 2022, 2023, 2024, 2025]
    assert actual.value.iloc[-1] == pytest.approx(709.7)


@pytest.mark.parametrize("sid", IDS)
def test_each_slider_changes_the_plotted_data(sid):
    at = open_app()
    before = area_values(at, sid)
    spec_before = stable(chart_spec(charts(at)[0]))
    at.slider(key=sid).set_value(15.0).run()
    after = area_values(at, sid)
    assert not at.exception
    assert after[-1] > before[-1]
    assert after[0] == pytest.approx(before[0])
    expected = proj_of(Scenario(base_year=2021, target_year=2027).with_growth(**{sid: 15.0})).values[IDS.index(sid)]
    np.testing.assert_allclose(after, expected, atol=1e-3)
    assert stable(chart_spec(charts(at)[0])) == spec_before, "chart spec must not change with a slider"


def test_metrics_follow_the_sliders():
    at = open_app()
    label = t("metric.exports_in_target", year=2027)
    assert metrics(at)[label] == "1,011.5"
    at.slider(key="rest").set_value(0.0).run()
    expected = proj_of(Scenario(base_year=2021, target_year=2027).with_growth(rest=0.0)).total_at(2027)
    assert metrics(at)[label] == f"{expected:,.1f}"
    table = targets_table(at)
    exports_row = table.splitlines()[2]
    assert exports_row.startswith(f"| {t('targets.exports', year=2027)} |")
    assert "| 2027 (" not in exports_row and t("metric.on_time", year=2027) not in exports_row  # later now


@pytest.mark.parametrize("preset_id", ["trend", "downside", "upside", "pledge"])
def test_a_preset_sets_every_slider(preset_id, baseline):
    at = open_app({"preset": "downside" if preset_id == "pledge" else "pledge"})
    at.slider(key="semiconductors").set_value(33.0).run()
    at.selectbox(key="preset").set_value(preset_id).run()
    expected = resolve_growth(load_presets()[preset_id], baseline)
    assert {s.key: s.value for s in at.slider if s.key in IDS} == pytest.approx(expected)


def test_reset_returns_every_slider_to_the_preset(baseline):
    at = open_app()
    at.selectbox(key="preset").set_value("trend").run()
    for sid in IDS:
        at.slider(key=sid).set_value(-5.0)
    at.run()
    at.slider(key="va_share").set_value(0.7).run()
    at.button(key="reset").click().run()
    expected = resolve_growth(load_presets()["trend"], baseline)
    expected.update({lev.id: lev.default for lev in vision_levers()})
    assert {s.key: s.value for s in at.slider} == pytest.approx({s.key: expected[s.key] for s in at.slider})


@pytest.mark.parametrize("preset_id", ["pledge", "trend", "downside", "upside"])
@pytest.mark.parametrize("base", [2021, 2022, 2023, 2024, 2025])
def test_every_preset_and_base_year_runs(preset_id, base):
    at = open_app({"preset": preset_id, "base": str(base)})
    assert not at.exception and not at.error
    scenario = Scenario(base_year=base, preset=preset_id, growth=resolve_growth(load_presets()[preset_id], BASE))
    np.testing.assert_allclose(total_values(at), proj_of(scenario).total, atol=1e-3)


def test_timeline_buttons_and_year_order():
    at = open_app()
    at.button(key="timeline_now").click().run()
    assert (at.selectbox(key="base").value, at.selectbox(key="target").value) == (2026, 2030)
    assert t("metric.exports_in_target", year=2030) in metrics(at)
    at.slider(key="semiconductors").set_value(3.0).run()
    at.button(key="timeline_pledge").click().run()
    assert (at.selectbox(key="base").value, at.selectbox(key="target").value) == (2021, 2027)
    assert at.selectbox(key="preset").value == "pledge" and at.slider(key="semiconductors").value == 7.8
    at.button(key="timeline_now").click().run()
    at.selectbox(key="target").set_value(2045).run()
    assert at.selectbox(key="horizon").value == 2045  # the horizon follows a later target
    at.selectbox(key="base").set_value(2025).run()
    assert total_values(at)[0] == pytest.approx(709.7)


def test_services_toggle_adds_content_to_the_total():
    at = open_app()
    before = total_values(at)
    at.toggle(key="services").set_value(True).run()
    content = area_values(at, "metaverse")
    np.testing.assert_allclose(total_values(at) - before, content, atol=2e-3)


def test_query_params_seed_the_scenario_and_bad_ones_are_named():
    at = open_app({"semiconductors": "12.5", "base": "2025", "rest": "999", "bogus": "1"})
    assert at.slider(key="semiconductors").value == 12.5
    assert at.slider(key="rest").value == 40.0
    assert at.selectbox(key="base").value == 2025
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")  # shown escaped, read unescaped
    assert "Everything else = 999 was outside -30 to 40 and was set to 40" in warnings  # named, not by id
    assert "unknown field 'bogus'" in warnings
    assert at.query_params["semiconductors"] == "12.5"


def test_the_url_follows_the_sliders():
    at = open_app()
    at.slider(key="displays").set_value(-3.0).run()
    assert at.query_params["displays"] == "-3"
    assert at.query_params["v"] == "1"


def test_industry_table_matches_the_engine():
    at = open_app(tab="industries")
    table = at.table[0].value.reset_index()
    proj = proj_of(Scenario(base_year=2021, target_year=2027))
    assert list(table[t("table.industry")]) == list(LABELS.values())
    np.testing.assert_allclose(table[t("table.target_value")], np.round(proj.values[:, 6], 1))


VISION_CHARTS = {"gni": 1, "kospi": 2, "gdp": 3, "rank": 4}


def scenario_path(at, name: str) -> np.ndarray:
    data = chart_data(charts(at)[VISION_CHARTS[name]])
    if name == "rank":
        return data[data.kind == "korea"].sort_values("year")["rank"].to_numpy()
    return data[data.kind == "scenario"].sort_values("year").value.to_numpy()


def test_vision_charts_show_the_engines_numbers():
    from scenarios.model.vision import project_vision

    at = open_app({"base": "2025", "target": "2030"}, tab="vision")
    v = project_vision(proj_of(Scenario(base_year=2025, target_year=2030)), MACRO)
    np.testing.assert_allclose(scenario_path(at, "gni"), v.gni_per_capita_usd, atol=0.01)
    np.testing.assert_allclose(scenario_path(at, "kospi"), v.kospi, atol=0.01)
    np.testing.assert_allclose(scenario_path(at, "gdp"), v.gdp_usd_bn, atol=0.01)
    np.testing.assert_array_equal(scenario_path(at, "rank"), v.gdp_rank)
    kospi = chart_data(charts(at)[VISION_CHARTS["kospi"]])
    event = kospi[kospi.kind == "event"]
    assert event.year.tolist() == [2026] and event.value.iloc[0] == pytest.approx(5084.85)
    assert metrics(at)[t("vision.kospi_metric", year=2030)] == f"{v.kospi[5]:,.0f}"


@pytest.mark.parametrize("sid", ["semiconductors", "rest", "displays"])
def test_an_export_slider_moves_all_four_targets(sid):
    at = open_app({"horizon": "2050"}, tab="vision")
    before = {name: scenario_path(at, name) for name in VISION_CHARTS}
    at.slider(key=sid).set_value(25.0).run()
    after = {name: scenario_path(at, name) for name in VISION_CHARTS}
    for name in ("gni", "kospi", "gdp"):
        assert after[name][-1] > before[name][-1], name
    assert after["rank"][-1] < before["rank"][-1]


def test_a_macro_lever_moves_its_link_only():
    at = open_app(tab="vision")
    before = {name: scenario_path(at, name) for name in VISION_CHARTS}
    at.slider(key="rerating").set_value(50.0).run()
    assert scenario_path(at, "kospi")[-1] == pytest.approx(before["kospi"][-1] * 1.5, rel=1e-4)
    np.testing.assert_allclose(scenario_path(at, "gni"), before["gni"])


def test_fan_charts_show_the_simulations_bands_and_chances():
    at = open_app({"seed": "5", "paths": "1000"}, tab="vision")
    scenario = Scenario(base_year=2021, target_year=2027).with_macro(seed=5.0, paths=1000.0)
    sim = sim_of(proj_of(scenario), n_paths=1000, seed=5)
    bands = sim.bands()
    data = chart_data(charts(at)[0])
    outer = data[data.kind == "band90"].sort_values("year")
    np.testing.assert_allclose(outer.lo, bands["exports_total"][0.1], atol=1e-3)
    np.testing.assert_allclose(outer.hi, bands["exports_total"][0.9], atol=1e-3)
    kospi = chart_data(charts(at)[VISION_CHARTS["kospi"]])
    np.testing.assert_allclose(kospi[kospi.kind == "median"].sort_values("year").value, bands["kospi"][0.5], atol=0.01)
    open_tab(at, "targets")
    # the 2022 timeline: 2026's months (after the 2021 base) already settle USD 1 trn by 2027: the table gives the
    # nowcast's chance, at least the simulation's
    outcome = compute_outcome(scenario, DATA)
    shown = outcome.probabilities["exports_1t"]
    assert shown >= sim.probabilities()["exports_1t"] and outcome.simulation.chance_basis["exports_1t"] == "nowcast"
    chance = probability_text(shown, 1000, "en")
    row = targets_table(at).splitlines()[2]
    assert row.startswith(f"| {t('targets.exports', year=2027)} |") and row.endswith(f"| **{chance}** |")
    from ui.explorer import likelihood_key

    word = t(likelihood_key(shown))
    assert any(f"**{word}**" in m.value for m in at.markdown)


def test_ranges_can_be_switched_off():
    at = open_app()
    at.toggle(key="ranges").set_value(False).run()
    assert all((chart_data(c).kind == "band90").sum() == 0 for c in charts(at))
    open_tab(at, "targets")
    table = targets_table(at)
    assert t("targets.col_chance") not in table and len(table.splitlines()) == 6  # the targets, without chances
    assert any(m.value.startswith(t("metric.uniform", year=2027)) for m in at.markdown)
    assert at.query_params["ranges"] == "0"


def test_zero_volatility_collapses_the_fan_onto_the_path():
    at = open_app({"vol_scale": "0"})
    data = chart_data(charts(at)[0])
    proj = proj_of(Scenario(base_year=2021, target_year=2027))
    np.testing.assert_allclose(data[data.kind == "median"].sort_values("year").value, proj.total, atol=1e-3)
    outer = data[data.kind == "band90"]
    np.testing.assert_allclose(outer.lo, outer.hi, atol=1e-3)


def test_closed_panels_build_nothing_and_keep_their_values():
    at = open_app({"va_share": "0.7", "seed": "9"}, panels_open=False)
    assert not at.exception
    keys = {s.key for s in at.slider}
    assert "va_share" not in keys and "peer_jpn" not in keys  # not built while closed
    assert not [w for w in at.text_input if w.key == "save_name"]
    at.slider(key="semiconductors").set_value(9.0).run()
    assert at.query_params["va_share"] == "0.7" and at.query_params["seed"] == "9"  # still in the scenario


def test_the_emerging_group_is_closed_at_first_says_what_changed_and_keeps_its_values():
    at = open_app({"robots": "12"}, panels_open=False)
    assert not at.exception
    keys = {s.key for s in at.slider}
    assert {"semiconductors", "rest"} <= keys and not keys & {"robots", "metaverse"}  # drawn only when opened
    label = t("panel.levers", label=t("group.emerging") + t("group.changed", n=1))
    assert label in [toggle.label for toggle in at.toggle]
    at.slider(key="semiconductors").set_value(9.0).run()
    assert at.query_params["robots"] == "12"  # kept while closed
    at.session_state["open_emerging"] = True
    at.run()
    assert at.slider(key="robots").value == 12.0 and not at.exception
    at.slider(key="robots").set_value(3.0).run()  # moved while open, then the group closed again
    at.session_state["open_emerging"] = False
    at.run()
    at.slider(key="semiconductors").set_value(9.5).run()
    assert float(at.query_params["robots"]) == 3.0 and "robots" not in {s.key for s in at.slider}


def test_the_targets_table_says_which_first_years_are_data():
    at = open_app(timeline={}, panels_open=False)  # base 2026: the year in progress is a nowcast
    table = targets_table(at)
    rows = {row.split(" | ")[0].lstrip("| "): row.split(" | ")[1] for row in table.splitlines()[2:]}
    exports = rows[t("targets.exports", year=2030)]
    assert t("present.basis_nowcast") in exports and t("metric.on_time", year=2030) in exports
    assert t("present.basis_actual") in rows[t("targets.kospi", year=2035)]  # first close above 5,000 in Jan 2026


def test_the_open_part_survives_a_language_switch():
    at = open_app(tab="industries")
    at.radio(key="lang").set_value("ko").run()
    assert not at.exception
    assert at.query_params["tab"] == "industries" and at.radio(key="tab").value == t("tabs.industries", "ko")
    assert t("tabs.industries", "ko") != t("tabs.industries", "en")  # the label itself changed language


def test_the_open_tab_is_in_the_link_in_either_language():
    at = open_app(tab="vision")
    assert at.query_params["tab"] == "vision"
    assert t("vision.kospi_metric", year=2027) in metrics(at)
    open_tab(at, "targets")
    assert "tab" not in at.query_params  # the default tab stays out of the link
    ko = open_app({"lang": "ko"}, tab="vision")
    assert not ko.exception
    assert t("vision.kospi_metric", "ko", year=2027) in metrics(ko) and ko.query_params["tab"] == "vision"


def test_the_growth_header_is_one_element_with_what_changed_and_the_first_group():
    at = open_app(panels_open=False)
    header = next(m.value for m in at.sidebar.markdown if m.value.startswith("### "))
    assert header == f"### {t('sidebar.growth_header')}\n\n**{t('group.super_cluster')}**"  # nothing moved yet
    at.slider(key="semiconductors").set_value(9.0).run()
    header = next(m.value for m in at.sidebar.markdown if m.value.startswith("### "))
    total = len(growth_levers())
    assert header.split("\n\n") == [f"### {t('sidebar.growth_header')}",
                                    f":small[{t('sidebar.modified', n=1, total=total)}]",
                                    f"**{t('group.super_cluster')}**"]
    # the one-lever group "Everything else" has no name above its slider: the slider says it
    assert not [m for m in at.sidebar.markdown if t("group.rest") in m.value]
    assert at.slider(key="rest").label == t("group.rest")


def test_an_undo_of_a_year_reaches_the_closed_panel_its_switch_and_the_link():
    at = open_app(timeline={}, panels_open=False)
    at.session_state["open_settings"] = True
    at.run()
    at.selectbox(key="target").set_value(2032).run()
    at.selectbox(key="ref").set_value("none").run()
    at.toggle(key="services").set_value(True).run()
    at.toggle(key="open_settings").set_value(False).run()  # closed: its widgets are not drawn
    assert at.query_params["target"] == "2032" and at.query_params["ref"] == "none"
    label = at.toggle(key="open_settings").label
    assert label == t("panel.levers", label=t("sidebar.settings", base=2026, target=2032, horizon=2035)
                      + t("sidebar.settings_no_ref") + t("sidebar.settings_services"))
    at.slider(key="semiconductors").set_value(9.0).run()
    for _ in range(2):  # back over the slider and the services (the comparison is not part of the scenario)
        at.button(key="undo").click().run()
    assert at.session_state["target"] == 2032 and at.session_state["ref"] == "none"
    assert not at.session_state["services"] and at.session_state["semiconductors"] != 9.0
    at.button(key="undo").click().run()  # and the year, while the panel stays closed
    assert at.session_state["target"] == 2030 and at.query_params["target"] == "2030"
    assert at.toggle(key="open_settings").label.startswith(
        t("panel.levers", label=t("sidebar.settings", base=2026, target=2030, horizon=2035)))
    assert not at.exception
