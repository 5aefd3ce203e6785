"""What it would take, integrated (issue #14): the Outcome's properties, the CLI's JSON, the tables and sentences.

The engine itself is tested in tests/test_what_it_takes.py; here: its answers
hold when fed back through the whole model (compute_outcome, the CLI).
"""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pytest

from scenarios.cli.main import main
from scenarios.model.outcome import compute_outcome
from scenarios.model.projection import Scenario, project
from scenarios.model.what_it_takes import EXPORTS, MACRO_SWINGS, reproject
from scenarios.registry.i18n import fmt_usd_bn, t
from scenarios.registry.levers import growth_levers, lever
from scenarios.registry.presets import load_presets, resolve_growth
from scenarios.words.describe import (
    ABOVE,
    BELOW,
    UNKNOWN,
    WITHIN,
    GrowthHistory,
    beyond_history,
    exports_summary,
    growth_histories,
    growth_history,
    lever_help,
    tornado_table,
    value_help,
    waterfall_table,
)
from scenarios.words.export import gap_frame, sensitivity_frame
from tests.shipped import DATA

IDS = [lev.id for lev in growth_levers()]
TARGET = 1000.0


def preset(preset_id: str, baseline, **kw) -> Scenario:
    return Scenario(growth=resolve_growth(load_presets()[preset_id], baseline), preset=preset_id, **kw)


def with_paths(s: Scenario, paths: int = 2000, seed: int = 1) -> Scenario:
    return s.with_macro(paths=float(paths), seed=float(seed), ranges=1.0)


def as_json(capsys, *args: str) -> dict:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


# ----------------------------------------------------------------------------- fed back through the model

@pytest.mark.parametrize("preset_id", ["pledge", "trend", "downside", "upside"])
@pytest.mark.parametrize(("base", "target_year"), [(2021, 2027), (2025, 2030), (2023, 2030)])
def test_least_stretch_growth_reaches_1000_in_the_target_year(baseline, preset_id, base, target_year):
    s = preset(preset_id, baseline, base_year=base, target_year=target_year)
    found = compute_outcome(s, DATA).least_stretch
    assert found.reachable
    rerun = compute_outcome(replace(s, growth=dict(found.growth)), DATA)
    assert rerun.at_target["exports_total"] == pytest.approx(TARGET, abs=0.5)
    assert rerun.milestones["exports_1t"] <= target_year
    for sid, g in found.growth.items():  # a value every slider accepts
        lev = lever(sid)
        assert lev.min <= g <= lev.max and g == pytest.approx(round(g / lev.step) * lev.step, abs=1e-9)


@pytest.mark.parametrize(("preset_id", "base", "target_year", "seed"),
                         [("trend", 2025, 2030, 1), ("pledge", 2021, 2027, 7), ("downside", 2024, 2030, 3)])
def test_required_growth_for_80_percent_gives_80_percent(baseline, preset_id, base, target_year, seed):
    s = with_paths(preset(preset_id, baseline, base_year=base, target_year=target_year), seed=seed)
    needed = compute_outcome(s, DATA).required_for_probability
    assert set(needed) == {"0.5", "0.8"} and needed["0.5"] < needed["0.8"]
    for key in ("0.5", "0.8"):
        uniform = replace(s, growth=dict.fromkeys(IDS, needed[key]))
        # the growth for a chance is read off the simulation itself (what the year in progress adds is a floor
        # on top, scenarios.model.outcome.reached_in_data)
        chance = compute_outcome(uniform, DATA).simulation.simulated["exports_1t"]
        assert chance == pytest.approx(float(key), abs=0.03)


@pytest.mark.parametrize("seed", [2, 11, 99])
def test_tornado_order_is_stable_under_a_seed_change(baseline, seed):
    s = preset("trend", baseline, base_year=2021, target_year=2025)  # a chance 2026's months do not settle
    order = [r.lever for r in compute_outcome(with_paths(s, 1000, 1), DATA).sensitivity_chances]
    other = compute_outcome(with_paths(s, 1000, seed), DATA)
    assert [r.lever for r in other.sensitivity_chances] == order
    assert [r.lever for r in other.sensitivity] == order  # the same order as without chances
    tornado = tornado_table(other, "en")
    assert tornado[tornado.kind == "chance"].drop_duplicates("lever_id").lever_id.tolist() == [
        r.lever for r in other.sensitivity if r.outcome == EXPORTS]


def test_reproject_is_project_bit_for_bit(baseline):
    s = preset("trend", baseline, base_year=2023, target_year=2030, count_services=True)
    proj = project(s, baseline)
    moved = s.with_growth(semiconductors=21.3, rest=-2.0)
    a, b = reproject(proj, moved), project(moved, baseline)
    assert np.array_equal(a.values, b.values) and np.array_equal(a.total, b.total)


def test_outcome_properties_without_ranges(baseline):
    o = compute_outcome(Scenario(base_year=2025, target_year=2030), DATA, ranges=False)
    assert o.sensitivity_chances is None and o.required_for_probability is None
    assert math.fsum(o.gap.as_dict().values()) == pytest.approx(o.at_target["exports_total"] - 709.7, abs=1e-9)
    assert o.gap.shortfall == pytest.approx(-o.gap_to_target)
    assert {r.lever for r in o.sensitivity} == {*IDS, "chip_price", *MACRO_SWINGS}
    assert all(r.probability_low is None for r in o.sensitivity)


def test_the_users_own_figures_carry_into_the_sensitivity(baseline):
    from scenarios.data.overrides import apply_overrides

    own = {("semiconductors", 2025): 250.0}
    data = apply_overrides(baseline, own)
    o = compute_outcome(Scenario(base_year=2025, target_year=2030), DATA, ranges=False, overrides=own)
    semis = next(r for r in o.sensitivity if r.lever == "semiconductors")
    assert semis.total_base == pytest.approx(o.at_target["exports_total"])
    moved = project(Scenario(base_year=2025, target_year=2030).with_growth(semiconductors=semis.high_value), data)
    assert semis.total_high == pytest.approx(moved.total_at(2030), rel=1e-12)


# ----------------------------------------------------------------------------- the command line

def test_cli_json_has_the_four_keys(capsys, baseline):
    plain = as_json(capsys, "--preset", "trend", "--base-year", "2025", "--target-year", "2030")
    assert {"gap_decomposition", "sensitivity", "least_stretch"} <= set(plain)
    assert "required_for_probability" not in plain
    i, j = plain["years"].index(2025), plain["years"].index(2030)
    change = plain["exports"]["total"][j] - plain["exports"]["total"][i]
    assert sum(plain["gap_decomposition"].values()) == pytest.approx(change, abs=1e-3)
    assert set(plain["gap_decomposition"]) == set(IDS)
    first = plain["sensitivity"][0]
    assert {"lever", "low_value", "high_value", "total_low", "total_high", "probability_low",
            "probability_high", "outcome"} <= set(first)
    assert first["outcome"] == "exports_total" and first["probability_low"] is None
    widths = [r["width"] for r in plain["sensitivity"] if r["outcome"] == "exports_total"]
    assert widths == sorted(widths, reverse=True)
    assert set(plain["least_stretch"]) == set(IDS)
    s = replace(Scenario(base_year=2025, target_year=2030, preset="trend"),
                growth=resolve_growth(load_presets()["trend"], baseline))
    assert project(replace(s, growth=plain["least_stretch"]), baseline).total_at(2030) == pytest.approx(TARGET,
                                                                                                     abs=0.5)

    args = ("--preset", "trend", "--base-year", "2025", "--target-year", "2030", "--paths", "2000", "--seed", "5")
    ranged = as_json(capsys, *args)
    assert set(ranged["required_for_probability"]) == {"0.5", "0.8"}
    assert all(r["probability_low"] is not None for r in ranged["sensitivity"])
    assert [r["lever"] for r in ranged["sensitivity"]] == [r["lever"] for r in plain["sensitivity"]]
    again = as_json(capsys, *args)
    assert again["required_for_probability"] == ranged["required_for_probability"]  # same seed, same answer
    assert again["sensitivity"] == ranged["sensitivity"]


def test_cli_least_stretch_is_null_when_out_of_reach(capsys):
    out = as_json(capsys, "--base-year", "2025", "--target-year", "2026")
    assert out["least_stretch"] is None


# ----------------------------------------------------------------------------- tables, sentences, CSVs

def test_waterfall_table_is_the_decomposition(baseline):
    o = compute_outcome(preset("pledge", baseline, base_year=2025, target_year=2030), DATA, ranges=False)
    w = waterfall_table(o, "en")
    assert w.kind.tolist()[0] == "base" and w.kind.tolist()[-2:] == ["total", "over"]
    bars = w[w.kind.isin(["up", "down"])]
    assert dict(zip(bars.series, bars.value, strict=True)) == pytest.approx(
        {k: v for k, v in o.gap.as_dict().items() if k != "metaverse"}, abs=1e-3)
    assert w.end.iloc[-1] == TARGET and w.start.iloc[-1] == pytest.approx(o.at_target["exports_total"], abs=1e-3)
    short = compute_outcome(preset("downside", baseline, base_year=2025, target_year=2030), DATA, ranges=False)
    assert waterfall_table(short, "ko").kind.iloc[-1] == "short"


def test_gap_and_sensitivity_csvs(baseline):
    o = compute_outcome(with_paths(Scenario(base_year=2025, target_year=2030), 500), DATA)
    g = gap_frame(o, "mine").set_index("series")
    assert g.loc[IDS, "contribution_usd_bn"].sum() == pytest.approx(g.loc["exports_total", "contribution_usd_bn"],
                                                                    abs=1e-4)
    assert g.loc["shortfall_to_usd_1trn", "contribution_usd_bn"] == pytest.approx(o.gap.shortfall, abs=1e-6)
    sens = sensitivity_frame(o, "mine")
    assert sens.lever.tolist() == [r.lever for r in o.sensitivity_chances]
    assert sens.probability_high.notna().all()


def test_history_comparison(baseline):
    hist = growth_histories(DATA)
    semis = hist["semiconductors"]
    assert semis.years == 5 and semis.since == 1995  # the chip history reaches back to 1995 (with gaps)
    assert semis.fastest[1] == pytest.approx(((126.71 / 57.16) ** (1 / 5) - 1) * 100)  # 2013-2018
    assert semis.compare(semis.fastest[1] + 0.1) == ABOVE and semis.compare(semis.slowest[1] - 0.1) == BELOW
    assert semis.compare(semis.fastest[1]) == WITHIN
    assert hist["green_energy"].compare(5.0) == UNKNOWN  # two sourced years only
    assert hist["future_mobility"].years == 3  # 2021-2025: the longest runs that occur twice
    assert growth_history(baseline, "aerospace") == GrowthHistory("aerospace", 0, 2022, ())


def test_slider_help_says_how_the_value_compares(baseline):
    lev = lever("semiconductors")
    hist = growth_histories(DATA)
    static = lever_help(lev, baseline, 2025, "en")
    text = value_help(lev.id, 30.0, "en", hist)  # the line the app adds under the static help
    assert "against its own history" not in static and text not in static
    assert "faster than any 5-year run since 1995" in text
    assert "5년 구간" in value_help(lev.id, -10.0, "ko", hist)


def test_headline_names_the_industry_and_the_lever(baseline):
    s = preset("trend", baseline, base_year=2025, target_year=2030).with_growth(displays=15.0)
    o = compute_outcome(s, DATA, ranges=False)
    text = exports_summary(o, "en")
    top = max((k for k in IDS if k != "rest"), key=o.gap.as_dict().__getitem__)
    lever_row = next(r for r in o.sensitivity if r.outcome == EXPORTS)
    assert t("wit.summary_gap", "en", base=2025, year=2030, industry=t(f"lever.{top}.label"),
             value=fmt_usd_bn(o.gap.as_dict()[top]), share=f"{100 * o.gap.as_dict()[top] / o.gap.change:.0f} %") in text
    assert f"most is {t(f'lever.{lever_row.lever}.label')} growth" in text
    assert ("displays", ABOVE) in beyond_history(o)
    assert "Displays at 15.0 %, faster than any 5-year run since 2018" in text
    ko = exports_summary(o, "ko")
    assert "가장 크게 기여하는 산업" in ko and "과거 추이를 벗어난 설정" in ko
    hist = growth_histories(DATA)
    within = compute_outcome(replace(s, growth={k: hist[k].slowest[1] if hist[k].runs else 0.0 for k in IDS}),
                             DATA, ranges=False)
    assert "beyond their own history" not in exports_summary(within, "en")


@pytest.mark.parametrize("preset", list(load_presets()))
def test_the_exports_rows_alone_are_the_sensitivitys_own(preset):
    """Outcome.export_sensitivity (the first screen's lever that matters most) is sensitivity's exports rows."""
    scenario = Scenario(growth=resolve_growth(load_presets()[preset], DATA.exports), preset=preset).with_growth(
        semiconductors=12.3)
    alone = compute_outcome(scenario, DATA, ranges=False).export_sensitivity
    outcome = compute_outcome(scenario, DATA, ranges=False)
    rows = [r for r in outcome.sensitivity if r.outcome == EXPORTS]
    assert alone == rows and outcome.export_sensitivity == rows and {r.outcome for r in alone} == {EXPORTS}
