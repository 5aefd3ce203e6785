"""Bad input never breaks the app or loses a scenario: hostile links, broken files, absurd values."""

from __future__ import annotations

import ast
import io
import json
import math
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from scenarios.data.overrides import OverrideError, apply_overrides, parse_override_csv
from scenarios.model.goals import NO_BASE, milestones, required_industry_growth
from scenarios.model.projection import Scenario, project
from scenarios.model.share import scenario_from_params
from scenarios.model.vision import project_vision
from scenarios.registry.i18n import Message, t
from scenarios.registry.levers import LEVERS, growth_levers, vision_levers
from scenarios.words.export import scenario_and_overrides_from_json, scenario_to_json, tidy_csv, tidy_frame
from tests.apptest_util import chart_data, charts, open_app, open_tab
from tests.shipped import BASE, MACRO, proj_of, sim_of

ROOT = Path(__file__).resolve().parent.parent
KNOWN = [lev.id for lev in LEVERS] + ["preset", "lang", "v", "ref", "tab"]
IDS = [lev.id for lev in growth_levers()]

hostile_values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "nan", "NaN", "inf", "-inf", "1e308", "-1e308", "1e999", "0x10", "7,8", " 12 ", "true",
                     "None", "[]", "{}", "<script>alert(1)</script>", "**bold**", "$x$", "preset:trend", "ko"]),
    st.integers(-10**12, 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.just("9" * 10_000),
)
hostile_keys = st.one_of(st.sampled_from(KNOWN), st.text(min_size=1, max_size=20))
hostile_params = st.dictionaries(hostile_keys, hostile_values, max_size=8)


@pytest.mark.fuzz
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=hostile_params)
def test_hostile_links_never_raise_and_say_what_was_ignored(params):
    _, notices = scenario_from_params(params, baseline=BASE)  # the pure path: never raises with clamp=True
    at = open_app({k: v for k, v in params.items()})
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    spec = json.loads(charts(at)[0].proto.spec)  # the first screen's exports chart is always drawn
    assert spec.get("description") == t("chart.exports_alt", at.session_state["lang"])
    shown = " ".join(w.value for w in at.warning).replace("\\", "")
    from ui.guard import cap_notices

    lang = at.session_state["lang"]
    for notice in cap_notices(notices):  # a flood of notices is capped: the first few and a count
        named = notice.values.get("field", "")
        field = named.text(lang) if isinstance(named, Message) else str(named)  # a lever by its label
        if field and field.isidentifier():
            assert field in shown
    for metric in at.metric:
        assert "nan" not in metric.value.lower() and "inf" not in metric.value.lower()


def test_a_hostile_link_keeps_its_valid_parts():
    at = open_app({"semiconductors": "15", "displays": "nan", "rest": "1e9", "<b>": "x", "lang": "fr",
                   "ref": "saved:whatever", "base": "2024"})
    assert at.slider(key="semiconductors").value == 15.0
    assert at.slider(key="displays").value == 7.8
    assert at.slider(key="rest").value == 40.0
    assert at.selectbox(key="base").value == 2024
    shown = " ".join(w.value for w in at.warning)
    for field in ("Displays", "Everything else", "lang", "ref"):  # levers by their names
        assert field in shown
    assert "\\<b\\>" in shown and "<b>" not in shown  # user text is escaped, never rendered as markup


def test_repeated_keys_do_not_break_the_page():
    at = open_app({"semiconductors": ["3", "9"]})
    assert not at.exception
    assert at.slider(key="semiconductors").value in (3.0, 9.0)


# ---------------------------------------------------------------- user-supplied data


@pytest.mark.parametrize(("csv_text", "message"), [
    ("year,series,value\n2021,chips,3\n", "row 2: series 'chips'"),
    ("year,series,value\n1999,semiconductors,3\n", "row 2: year 1999 is outside 2014-2025"),
    ("year,series,value\n2021,semiconductors,-5\n", "row 2: value '-5' must be a number from 0 to 5,000"),
    ("year,series,value\n2021,semiconductors,nan\n", "row 2: value 'nan'"),
    ("year,series,value\n2021,semiconductors,1e9\n", "row 2: value '1e9'"),
    ("year,series,value,unit\n2021,semiconductors,3,krw_bn\n", "row 2: unit 'krw_bn' must be usd_bn"),
    ("year,series,value\n2021,semiconductors,3\n2021,semiconductors,4\n", "row 3: a second value"),
    ("year,value\n2021,3\n", "lacks the column(s) series"),
    ("year,series,value\n", "no data rows"),
])
def test_broken_user_csv_names_the_row_and_field(csv_text, message):
    with pytest.raises(OverrideError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_override_csv(csv_text.encode())


def test_user_csv_size_and_encoding_limits():
    with pytest.raises(OverrideError, match="larger than 200 KB"):
        parse_override_csv(b"x" * 300_000)
    with pytest.raises(OverrideError, match="not UTF-8"):
        parse_override_csv(b"\xff\xfe\x00")


def test_overrides_replace_values_and_leave_the_shipped_data_alone(baseline):
    mine = apply_overrides(baseline, parse_override_csv(b"year,series,value\n2021,semiconductors,200\n"))
    assert mine.industry_value("semiconductors", 2021) == 200.0
    assert mine.industry_quality("semiconductors", 2021) == "user"
    assert baseline.industry_value("semiconductors", 2021) == pytest.approx(127.98)
    assert mine.total(2021) == baseline.total(2021)  # the total stays published; rest absorbs the change
    assert project(Scenario(base_year=2021, target_year=2027), mine).values[0, 0] == 200.0


def test_overrides_travel_in_the_json():
    overrides = {("semiconductors", 2021): 150.0, ("total", 2025): 700.0}
    pledge_timeline = Scenario(base_year=2021, target_year=2027)
    _, _, _, back = scenario_and_overrides_from_json(scenario_to_json(pledge_timeline, "x", "en", overrides), BASE)
    assert back == overrides
    raw = json.loads(scenario_to_json(Scenario(base_year=2021, target_year=2027), "x", "en", overrides))
    raw["overrides"][0]["value"] = "lots"
    with pytest.raises(Exception, match="item 1: value 'lots'"):
        scenario_and_overrides_from_json(json.dumps(raw), BASE)


def test_the_app_marks_the_users_figures():
    at = open_app(tab="industries")
    at.session_state["overrides"] = {("semiconductors", 2021): 150.0}
    at.run()
    assert not at.exception
    mark = t("chart.marked", label=t("lever.semiconductors.label"))
    data = chart_data(charts(at)[0])
    assert mark in set(data.series)
    table = at.table[0].value.reset_index()
    assert t("quality.user") in set(table[t("table.quality")])
    open_tab(at, "share")
    assert any(t("overrides.link_note") in w.value for w in at.warning)


# ---------------------------------------------------------------- CLI and preset files


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scenarios", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize(("body", "needle"), [
    ("id = 'x'\n[growth\n", "not valid TOML"),
    ("id = 'x'\n[growth]\nchips = 3\n", "unknown series 'chips'"),
    ("id = 'x'\n[growth]\ndefault = 99\n", "growth.default = 99 is outside the allowed range -30 to 40"),
    ("id = 'x'\n[growth]\nsemiconductors = -50\ndefault = 1\n", "growth.semiconductors = -50 is outside"),
])
def test_bad_preset_files_exit_2_with_one_line(tmp_path, body, needle):
    path = tmp_path / "mine.toml"
    path.write_text(body, encoding="utf-8")
    result = run_cli("--preset-file", str(path))
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and needle in result.stderr


def test_a_good_preset_file_is_used(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text("id = 'mine'\n[growth]\ndefault = 5.0\nsemiconductors = 12\n", encoding="utf-8")
    result = run_cli("--preset-file", str(path), "--growth", "rest=1", "--json")
    out = json.loads(result.stdout)
    assert out["scenario"]["growth"]["semiconductors"] == 12 and out["scenario"]["growth"]["rest"] == 1.0
    assert out["scenario"]["growth"]["displays"] == 5.0


@pytest.mark.parametrize("option", ["--preset-file", "--scenario", "--data"])
def test_missing_files_exit_2_with_one_line(option):
    result = run_cli(option, "/nonexistent/file")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "/nonexistent/file" in result.stderr


@pytest.mark.parametrize(("name", "content", "needle"), [
    ("bad.json", "{not json", "not a saved scenario file"),
    ("bad.csv", "year,series,value\n2021,semiconductors,-1\n", "row 2: value '-1'"),
])
def test_broken_scenario_and_data_files_exit_2(tmp_path, name, content, needle):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = run_cli("--scenario" if name.endswith(".json") else "--data", str(path))
    assert result.returncode == 2 and needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_saved_scenario_runs_in_the_cli(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(scenario_to_json(Scenario(base_year=2025).with_growth(semiconductors=20.0), "x", "en",
                                     {("semiconductors", 2025): 180.0}), encoding="utf-8")
    out = json.loads(run_cli("--scenario", str(path), "--json").stdout)
    assert out["years"][0] == 2025 and out["exports"]["semiconductors"][0] == 180.0
    assert out["scenario"]["growth"]["semiconductors"] == 20.0


# ---------------------------------------------------------------- security


def _is_page_css(node: ast.AST, path) -> bool:
    """The one st.html call allowed: app.py's constant style sheet, st.html(page_css(...))."""
    return (path.name == "app.py" and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "html" and len(node.args) == 1 and isinstance(node.args[0], ast.Call)
            and isinstance(node.args[0].func, ast.Name) and node.args[0].func.id == "page_css")


def test_no_unsafe_html_and_no_eval_anywhere():
    for path in [ROOT / "app.py", *ROOT.glob("ui/*.py"), *ROOT.glob("scenarios/**/*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        allowed = {id(n.func) for n in ast.walk(tree) if _is_page_css(n, path)}
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword):
                assert node.arg != "unsafe_allow_html", path
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("eval", "exec", "compile"), path
            if isinstance(node, ast.Attribute) and id(node) not in allowed:
                assert node.attr not in ("html", "load_pickle") and not (
                    isinstance(node.value, ast.Name) and node.value.id == "pickle"), path


def test_the_page_style_sheet_holds_no_markup():
    """app.py's style sheet: constant rules plus one catalog label, which can neither close the tag nor the rule."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    css = next(ast.literal_eval(n.value) for n in ast.walk(tree) if isinstance(n, ast.Assign)
               and any(isinstance(tg, ast.Name) and tg.id == "PAGE_CSS" for tg in n.targets))
    assert "<" not in css and "url(" not in css and "@import" not in css and "SIDEBAR_LABEL" in css
    source = ast.unparse(next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "page_css"))
    assert all(ch in source for ch in '<>{};')  # the label loses every character that could end the rule or tag


def test_config_limits_uploads_and_keeps_xsrf_on():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert 0 < config["server"]["maxUploadSize"] <= 5
    assert config["client"]["showErrorDetails"] == "none"  # no exception type, message or traceback


def test_a_scenario_name_holding_markup_renders_as_text():
    at = open_app(tab="share")
    name = "**bold** <img src=x> [x](javascript:alert(1))"
    at.text_input(key="save_name").input(name).run()
    at.button(key="save_button").click().run()
    message = " ".join(s.value for s in at.success)
    assert "\\*\\*bold\\*\\*" in message and "\\<img" in message and "\\[x\\]\\(javascript" in message
    assert name in at.selectbox(key="saved_pick").options  # a plain-text list shows it as typed


# ---------------------------------------------------------------- numbers at the edges


def extreme(which: str) -> Scenario:
    growth = {lev.id: (lev.min if which == "min" else lev.max) for lev in growth_levers()}
    macro = {lev.id: float(lev.min if which == "min" else lev.max) for lev in vision_levers()}
    macro["paths"] = 500.0
    return Scenario(base_year=2021, target_year=2050, horizon=2050, count_services=True, growth=growth, macro=macro)


@pytest.mark.parametrize("which", ["min", "max"])
def test_every_lever_at_its_extremes_stays_finite(which):
    scenario = extreme(which)
    proj = proj_of(scenario)
    vision = project_vision(proj, MACRO)
    for arr in (proj.values, proj.total, vision.gdp_usd_bn, vision.gni_per_capita_usd, vision.kospi,
                vision.population_mn):
        assert np.all(np.isfinite(arr))
    table = pd.read_csv(io.BytesIO(tidy_csv([tidy_frame(proj, vision, "edge")])))
    assert np.all(np.isfinite(table.value))
    sim = sim_of(proj, n_paths=500, seed=1, vol_scale=float(scenario.macro["vol_scale"]))
    assert all(0 <= p <= 1 for p in sim.probabilities().values())
    assert all(np.all(np.isfinite(b)) for bands in sim.bands().values() for b in bands.values())


@pytest.mark.parametrize("which", ["min", "max"])
def test_the_app_at_the_extremes_shows_no_nan(which):
    from scenarios.model.share import scenario_to_params

    at = open_app(scenario_to_params(extreme(which)) | {"paths": "500"})
    assert not at.exception
    for metric in at.metric:
        assert not any(bad in metric.value.lower() for bad in ("nan", "inf"))
    for chart in charts(at):
        values = chart_data(chart).select_dtypes("number").to_numpy(dtype=float)
        assert not np.isinf(values).any()


def test_minus_100_percent_growth_and_milestones():
    proj = proj_of(Scenario(base_year=2021, target_year=2027, growth=dict.fromkeys(IDS, -100.0), horizon=2050))
    assert milestones(proj)["exports_1t"] is None
    assert np.all(proj.total[1:] == 0)
    vision = project_vision(proj, MACRO)
    assert vision.milestones()["kospi_5000"] is None


def test_a_zero_base_value_cannot_be_goal_sought(baseline):
    mine = apply_overrides(baseline, {("semiconductors", 2021): 0.0})
    proj = project(Scenario(base_year=2021, target_year=2027).with_growth(rest=0.0), mine)
    assert required_industry_growth(proj, "semiconductors").status == NO_BASE
    assert np.all(proj.values[0] == 0) and math.isfinite(proj.total_at(2027))


def test_figures_that_would_remove_a_base_year_are_refused(baseline):
    from scenarios.data.overrides import check_complete

    with pytest.raises(OverrideError, match="2021"):
        check_complete(baseline, {("total", 2021): 100.0})
    check_complete(baseline, {("total", 2021): 700.0})  # fine: rest stays positive


def test_the_users_figures_reach_the_ranges():
    at = open_app({"paths": "500"})
    before = chart_data(charts(at)[0])
    at.session_state["overrides"] = {("total", 2021): 700.0}
    at.run()
    after = chart_data(charts(at)[0])
    median = [frame[frame.kind == "median"].sort_values("year").value.iloc[-1] for frame in (before, after)]
    assert median[1] > median[0] * 1.05


def _edit(rows: dict) -> AppTest:
    def page():
        import streamlit as st

        from ui import data_input

        ss = st.session_state
        ss.setdefault("overrides", {})
        ss[data_input._editor_key()] = {"edited_rows": ss["_edits"]}
        data_input._apply_editor(2021)
        st.write(repr(sorted(ss["overrides"].items())))
        st.write(repr(ss.get("data_message")))

    at = AppTest.from_function(page, default_timeout=60)
    at.session_state["_edits"] = rows
    return at.run()


def test_the_editor_takes_a_valid_value_and_refuses_a_bad_one():
    from scenarios.data.baseline import export_series_names

    row = sorted(export_series_names()).index("semiconductors")
    good = _edit({row: {"value": 150.0}})
    assert "('semiconductors', 2021), 150.0" in good.markdown[0].value and good.markdown[1].value == "None"
    bad = _edit({row: {"value": -4.0}})
    assert bad.markdown[0].value == "[]" and "overrides.refused" in bad.markdown[1].value
    total = sorted(export_series_names()).index("total")
    lost = _edit({total: {"value": 100.0}})
    assert lost.markdown[0].value == "[]" and "2021" in lost.markdown[1].value


def test_a_replaced_total_is_not_labelled_as_motie():
    at = open_app()
    at.session_state["overrides"] = {("total", 2021): 700.0}
    at.run()
    actual = chart_data(charts(at)[0])
    assert set(actual[actual.kind == "actual"].series) == {t("chart.marked", label=t("chart.actual_total"))}
