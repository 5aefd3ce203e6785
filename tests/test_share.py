"""Scenarios that travel: link round trips, JSON, CSV, images, compare, undo/redo."""

from __future__ import annotations

import io
import json
import struct

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios.model.outcome import compute_outcome
from scenarios.model.projection import Scenario
from scenarios.model.share import ScenarioError, scenario_from_params, scenario_to_params
from scenarios.model.vision import project_vision
from scenarios.registry.i18n import t
from scenarios.registry.levers import growth_levers, lever, vision_levers
from scenarios.registry.presets import load_presets, resolve_growth
from scenarios.words.charts import exports_chart, spec_without_data
from scenarios.words.describe import series_labels
from scenarios.words.export import (
    CHART_SCALE,
    CHART_WIDTH,
    chart_png,
    chart_svg,
    scenario_from_json,
    scenario_to_json,
    summary_png,
    tidy_csv,
    tidy_frame,
)
from scenarios.words.frames import exports_frame, exports_frame_columns
from tests.apptest_util import chart_data, charts, metrics, notices, open_app, open_tab
from tests.shipped import BASE, DATA, proj_of

IDS = [lev.id for lev in growth_levers()]
MACRO = [lev.id for lev in vision_levers()]


def on_grid(lev, draw_int: int) -> float:
    steps = round((lev.max - lev.min) / lev.step)
    return round(lev.min + (draw_int % (steps + 1)) * lev.step, 6)


@st.composite
def scenarios(draw) -> Scenario:
    base = draw(st.sampled_from([2021, 2022, 2023, 2024, 2025]))
    target = draw(st.integers(base + 1, 2050))
    horizon = draw(st.integers(max(target, 2025), 2050))
    growth = {sid: on_grid(lever(sid), draw(st.integers(0, 10_000))) for sid in IDS}
    macro = {mid: on_grid(lever(mid), draw(st.integers(0, 10_000))) for mid in MACRO}
    return Scenario(base_year=base, target_year=target, horizon=horizon, count_services=draw(st.booleans()),
                    growth=growth, preset=draw(st.sampled_from(list(load_presets()))), macro=macro)


@pytest.mark.parametrize("preset_id", ["pledge", "trend", "downside", "upside"])
def test_link_round_trip_for_every_preset(preset_id):
    scenario = Scenario(preset=preset_id, growth=resolve_growth(load_presets()[preset_id], BASE))
    back, notices = scenario_from_params(scenario_to_params(scenario), clamp=False, baseline=BASE)
    assert notices == [] and back.key() == scenario.key()


@settings(max_examples=150, deadline=None)
@given(scenario=scenarios())
def test_link_round_trip_for_random_scenarios(scenario):
    back, notices = scenario_from_params(scenario_to_params(scenario), clamp=False, baseline=BASE)
    assert notices == []
    assert back.key() == scenario.key()


@settings(max_examples=60, deadline=None)
@given(scenario=scenarios())
def test_json_round_trip(scenario):
    back, name, notices = scenario_from_json(scenario_to_json(scenario, "chips boom"), BASE)
    assert (back.key(), name, notices) == (scenario.key(), "chips boom", [])


def test_json_holds_every_lever_and_the_version():
    raw = json.loads(scenario_to_json(Scenario(base_year=2021, target_year=2027)))
    assert raw["v"] == 1
    assert set(IDS + MACRO + ["base", "target", "horizon", "services", "preset"]) <= set(raw["params"])


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "not a saved scenario file"),
    ('{"params": 3}', "no 'params' object"),
    (b"\xff\xfe", "not UTF-8"),
    ("x" * 200_000, "larger than 100 KB"),
])
def test_bad_json_is_refused_with_a_message(text, message):
    with pytest.raises(ScenarioError, match=message):
        scenario_from_json(text, BASE)


def test_json_values_out_of_range_are_clamped_with_a_notice():
    raw = json.loads(scenario_to_json(Scenario(base_year=2021, target_year=2027)))
    raw["params"]["semiconductors"] = "500"
    scenario, _, notices = scenario_from_json(json.dumps(raw), BASE)
    assert scenario.growth["semiconductors"] == 40.0
    assert any("Semiconductors" in n.text() for n in notices)  # the lever by its name


def test_old_link_missing_keys_take_defaults():
    scenario, notices = scenario_from_params({"semiconductors": "10", "v": "0", "retired_lever": "3"},
                                           baseline=BASE)
    assert scenario.growth["semiconductors"] == 10.0
    # the missing preset is the landing page's (Central), whose growth and chip levers fill the rest
    central, _ = scenario_from_params({"preset": "central"}, baseline=BASE)
    assert scenario.preset == "central" and scenario.growth["displays"] == central.growth["displays"]
    assert scenario.base_year == 2026 and scenario.target_year == 2030
    assert scenario.macro == central.macro
    assert [n.values["field"] for n in notices if "field" in n.values] == ["retired_lever"]
    assert any(n.key == "validation.other_version" for n in notices)


def test_csv_equals_the_engine_output():
    scenario = Scenario(base_year=2024, target_year=2030).with_growth(semiconductors=11.0)
    proj = proj_of(scenario)
    vision = project_vision(proj, DATA.macro)
    table = pd.read_csv(io.BytesIO(tidy_csv([tidy_frame(proj, vision, "mine")])))
    assert list(table.columns) == ["scenario", "year", "series", "value", "unit", "counted_in_total"]
    parts = table[(table.year == 2030) & table.counted_in_total & table.series.isin(IDS)].value.sum()
    assert parts == pytest.approx(proj.total_at(2030), abs=1e-4)
    semis = table[table.series == "semiconductors"]
    np.testing.assert_allclose(semis.value, proj.values[0], atol=1e-6)
    np.testing.assert_allclose(table[table.series == "exports_total"].value, proj.total, atol=1e-6)
    np.testing.assert_allclose(table[table.series == "kospi"].value, vision.kospi, atol=1e-6)
    assert table[table.series == "gdp_rank"].value.tolist() == vision.gdp_rank.tolist()


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


@pytest.fixture(scope="module")
def chart_inputs():
    proj = proj_of(Scenario(base_year=2021, target_year=2027))
    labels = series_labels("ko")
    texts = {k: t(f"chart.{k}", "ko") for k in ("year", "value", "series", "target_line")}
    texts["title"] = t("chart.exports_title", "ko")
    spec = spec_without_data(exports_chart(exports_frame_columns(), list(labels.values()), texts))
    frame = exports_frame(proj, labels, {2021: 644.54}, "합계", "실적")
    return proj, spec, frame


def test_chart_png_is_produced_at_the_stated_size(chart_inputs):
    _, spec, frame = chart_inputs
    width, height = _png_size(chart_png(spec, frame))
    assert width == CHART_WIDTH * CHART_SCALE
    assert height > 300


def test_chart_svg_holds_the_korean_title(chart_inputs):
    _, spec, frame = chart_inputs
    svg = chart_svg(spec, frame).decode("utf-8")
    assert svg.startswith("<svg") and f'width="{CHART_WIDTH}"' in svg
    assert t("chart.exports_title", "ko") in svg


def test_summary_png_is_produced(chart_inputs):
    proj, spec, frame = chart_inputs
    png = summary_png(compute_outcome(proj.scenario, DATA), spec, frame, "ko")
    width, height = _png_size(png)
    assert width >= 1000 and height >= 500 and len(png) > 50_000


# ---------------------------------------------------------------- in the app


def test_seeded_link_reproduces_every_slider_and_metric():
    scenario = Scenario(base_year=2023, target_year=2030, horizon=2040, count_services=True,
                        growth={sid: 3.0 + i for i, sid in enumerate(IDS)}, preset="trend").with_macro(
        va_share=0.6, rerating=25.0, peer_ind=-2.0)
    at = open_app(scenario_to_params(scenario))
    assert not at.exception and not notices(at)
    sliders = {s.key: s.value for s in at.slider}
    for sid in IDS:
        assert sliders[sid] == pytest.approx(scenario.growth[sid])
    for mid in MACRO:
        if lever(mid).unit == "bool":
            assert at.toggle(key=mid).value == bool(scenario.macro[mid])
        elif mid == "seed":
            assert at.number_input(key="seed").value == scenario.macro["seed"]
        else:
            assert sliders[mid] == pytest.approx(scenario.macro[mid])
    assert at.selectbox(key="base").value == 2023 and at.toggle(key="services").value
    proj = proj_of(scenario)
    vision = project_vision(proj, DATA.macro)
    shown = metrics(at)
    assert shown[t("metric.exports_in_target", year=2030)] == f"{proj.total_at(2030):,.1f}"
    open_tab(at, "vision")
    assert metrics(at)[t("vision.kospi_metric", year=2030)] == f"{vision.kospi[7]:,.0f}"


def test_reference_is_drawn_in_every_chart_and_tabulated():
    at = open_app({"ref": "preset:downside"}, tab="vision")
    ref = proj_of(Scenario(base_year=2021, target_year=2027, growth=resolve_growth(load_presets()["downside"], BASE)))
    data = chart_data(charts(at)[0])
    np.testing.assert_allclose(data[data.kind == "reference"].sort_values("year").value, ref.total, atol=1e-3)
    for chart in charts(at)[1:5]:  # the four 5/5/5 charts (the gap and lever charts have no reference)
        assert (chart_data(chart).kind == "reference").sum() == len(ref.years)
    open_tab(at, "industries")
    table = at.table[1].value.reset_index()
    row = table[table.iloc[:, 0] == t("compare.exports_total", year=2027)].iloc[0]
    assert row.iloc[1] == f"{ref.total_at(2027):,.1f}"  # shown as text, in its own unit


def test_no_reference_draws_nothing():
    at = open_app({"ref": "none"}, tab="industries")
    assert all((chart_data(c).kind == "reference").sum() == 0 for c in charts(at))
    assert not [h for h in at.subheader if h.value.startswith(t("compare.title", name="")[:10])]


def test_a_saved_scenario_can_be_the_reference():
    at = open_app(tab="share")
    at.slider(key="semiconductors").set_value(20.0).run()
    at.text_input(key="save_name").input("chips boom").run()
    at.button(key="save_button").click().run()
    assert t("compare.saved", name="chips boom") in at.selectbox(key="ref").options
    at.slider(key="semiconductors").set_value(5.0).run()
    at.selectbox(key="ref").set_value("saved:chips boom").run()
    ref = proj_of(Scenario(base_year=2021, target_year=2027).with_growth(semiconductors=20.0))
    data = chart_data(charts(at)[0])
    np.testing.assert_allclose(data[data.kind == "reference"].sort_values("year").value, ref.total, atol=1e-3)
    at.selectbox(key="saved_pick").set_value("chips boom").run()
    at.button(key="load_button").click().run()
    assert at.slider(key="semiconductors").value == 20.0


def test_undo_and_redo_twenty_steps():
    at = open_app()
    values = [round(1.0 + 0.5 * i, 1) for i in range(25)]
    for v in values:
        at.slider(key="semiconductors").set_value(v).run()
    for _ in range(20):
        at.button(key="undo").click().run()
    assert at.slider(key="semiconductors").value == values[4]
    for _ in range(3):
        at.button(key="redo").click().run()
    assert at.slider(key="semiconductors").value == values[7]
    at.slider(key="displays").set_value(-2.0).run()  # a new change drops the redo steps
    assert at.button(key="redo").disabled
    at.button(key="undo").click().run()
    assert at.slider(key="displays").value == 7.8 and at.slider(key="semiconductors").value == values[7]


def test_korean_glyphs_render_in_chart_images():
    """With no CJK font every Hangul syllable becomes the same empty box; with one, different words differ."""
    import vl_convert as vlc

    from scenarios.words.export import CHART_FONT

    def png(word: str) -> bytes:
        spec = {"data": {"values": [{"x": 0}]}, "mark": {"type": "text", "fontSize": 40, "font": CHART_FONT},
                "encoding": {"text": {"value": word}}, "width": 200, "height": 60, "background": "white"}
        return vlc.vegalite_to_png(spec)

    assert png("가나다") != png("라마바")
