"""What would it take (issue #14): gap decomposition, sensitivity, growth for a probability, least stretch."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios.model.calibration import baseline_volatility
from scenarios.model.projection import EXPORT_TARGET_USD_BN, Scenario, project
from scenarios.model.vision import GNI_TARGET_USD
from scenarios.model.what_it_takes import (
    EXPORTS,
    HISTORY_SD,
    MACRO_SWINGS,
    OUTCOME_ORDER,
    PAST_TURNS,
    QUARTER_RANGE,
    SERIES_SIGMA,
    gap_decomposition,
    least_stretch,
    required_for_probability,
    sensitivity,
    solve_least_stretch,
    trend_growth,
)
from scenarios.registry.levers import growth_levers, lever
from scenarios.registry.presets import load_presets, resolve_growth
from tests.shipped import MACRO, SHOCKS, sim_of

IDS = [lev.id for lev in growth_levers()]
PRESETS = list(load_presets())
BASE_YEARS = [2021, 2022, 2023, 2024, 2025]
growth_pct = st.floats(min_value=-30.0, max_value=40.0, allow_nan=False)


@pytest.fixture(scope="module")
def vol(baseline):
    return baseline_volatility(baseline, MACRO)


def preset_scenario(preset: str, baseline, **kw) -> Scenario:
    return Scenario(growth=resolve_growth(load_presets()[preset], baseline), preset=preset, **kw)


def uniform(g: float, **kw) -> Scenario:
    return Scenario(growth=dict.fromkeys(IDS, g), **kw)


# ----------------------------------------------------------------------------- gap decomposition

def assert_adds_up(proj, target=EXPORT_TARGET_USD_BN):
    d = gap_decomposition(proj, target)
    n = proj.scenario.target_year - proj.scenario.base_year
    change = float(proj.total[n] - proj.total[0])
    parts = d.as_dict()
    assert list(parts) == list(proj.series_ids)
    # floating precision: a few ulps of the largest number summed (the change itself may cancel to ~0)
    tol = 1e-12 * float(np.abs(proj.values[:, [0, n]]).sum())
    assert math.fsum(parts.values()) == pytest.approx(change, rel=0, abs=tol)
    assert d.change == change
    assert d.shortfall == pytest.approx(target - float(proj.total[n]), abs=1e-12)
    for s in d.uncounted:
        assert parts[s] == 0.0
    rows = d.waterfall_rows()
    assert [r["order"] for r in rows] == list(range(len(rows)))
    assert rows[0]["kind"] == "base" and rows[0]["end"] == pytest.approx(float(proj.total[0]))
    assert rows[-2]["kind"] == "total" and rows[-2]["end"] == pytest.approx(float(proj.total[n]))
    assert rows[-1]["kind"] == "gap" and rows[-1]["end"] == target and rows[-1]["start"] == rows[-2]["end"]
    bars = rows[1:-2]
    assert len(bars) == int(proj.counted.sum())
    values = [r["value"] for r in bars]
    assert values == sorted(values, reverse=True)
    for prev, row in zip(rows[: len(bars)], bars, strict=True):  # each bar floats from the previous one's end
        assert row["start"] == pytest.approx(prev["end"], rel=0, abs=tol)
        assert row["end"] - row["start"] == pytest.approx(row["value"], rel=0, abs=tol)
        assert row["kind"] == ("up" if row["value"] >= 0 else "down")
    assert bars[-1]["end"] == pytest.approx(rows[-2]["end"], rel=0, abs=tol)
    return d


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("base", BASE_YEARS)
@pytest.mark.parametrize("services", [False, True])
def test_decomposition_adds_up_for_every_preset_and_base_year(baseline, preset, base, services):
    for target_year in (base + 1, 2030, 2035):
        s = preset_scenario(preset, baseline, base_year=base, target_year=target_year, horizon=2035,
                            count_services=services)
        assert_adds_up(project(s, baseline))


@settings(max_examples=60, deadline=None)
@given(growth=st.lists(growth_pct, min_size=len(IDS), max_size=len(IDS)), base=st.sampled_from(BASE_YEARS),
       span=st.integers(1, 25), services=st.booleans(), target=st.floats(100.0, 5000.0))
def test_decomposition_adds_up_for_any_growth(baseline, growth, base, span, services, target):
    s = Scenario(growth=dict(zip(IDS, growth, strict=True)), base_year=base, target_year=base + span,
                 horizon=min(base + span + 3, 2050), count_services=services)
    assert_adds_up(project(s, baseline), target)


def test_uncounted_services_contribute_nothing_and_are_listed(baseline):
    s = uniform(7.8, base_year=2021, target_year=2030)
    d = gap_decomposition(project(s, baseline))
    assert d.uncounted == ("metaverse",)
    assert d.as_dict()["metaverse"] == 0.0
    assert d.target_values[IDS.index("metaverse")] > d.base_values[IDS.index("metaverse")]
    rows = d.waterfall_rows(include_uncounted=True)
    assert [r["series"] for r in rows if r["kind"] == "excluded"] == ["metaverse"]
    counted = gap_decomposition(project(replace(s, count_services=True), baseline))
    assert counted.uncounted == () and counted.as_dict()["metaverse"] > 0


def test_shortfall_sign(baseline):
    short = gap_decomposition(project(preset_scenario("trend", baseline, base_year=2025, target_year=2030), baseline))
    assert short.shortfall > 0 and short.target_total < 1000
    over = gap_decomposition(project(uniform(12.0, base_year=2021, target_year=2030), baseline))
    assert over.shortfall < 0 and over.target_total > 1000
    rows = over.waterfall_rows()
    assert rows[-1]["value"] < 0 and rows[-1]["end"] < rows[-1]["start"]


def test_waterfall_labels(baseline):
    d = gap_decomposition(project(uniform(5.0, base_year=2024, target_year=2030), baseline))
    rows = d.waterfall_rows({"semiconductors": "Chips"}, "2024", "2030", "to USD 1 trn")
    by_series = {r["series"]: r["label"] for r in rows}
    assert by_series["semiconductors"] == "Chips" and by_series["rest"] == "rest"
    assert [r["label"] for r in rows if r["series"] is None] == ["2024", "2030", "to USD 1 trn"]


def test_decomposition_refuses_a_target_year_not_after_the_base(baseline):
    proj = project(uniform(5.0, base_year=2025, target_year=2027), baseline)
    with pytest.raises(ValueError, match="base year < target year"):
        gap_decomposition(replace(proj, scenario=replace(proj.scenario, target_year=2025)))


# ----------------------------------------------------------------------------- sensitivity

@pytest.fixture(scope="module")
def trend_2025(baseline):
    return preset_scenario("trend", baseline, base_year=2025, target_year=2030)


def test_sensitivity_rows_levers_and_order(baseline, vol, trend_2025):
    rows = sensitivity(trend_2025, baseline, vol, MACRO, SHOCKS)
    assert sorted(r.lever for r in rows) == sorted([*IDS, "chip_price", *MACRO_SWINGS])
    outcomes = [OUTCOME_ORDER.index(r.outcome) for r in rows]
    assert outcomes == sorted(outcomes) and rows[0].outcome == EXPORTS
    for outcome in OUTCOME_ORDER:
        widths = [r.width for r in rows if r.outcome == outcome]
        assert widths == sorted(widths, reverse=True)
    for r in rows:
        lev = lever(r.lever)
        assert lev.min <= r.low_value <= r.value <= r.high_value <= lev.max
        assert r.probability_low is r.probability_high is r.probability_base is None
    codes = {r.lever: r.swing_basis for r in rows}
    assert {codes[s] for s in IDS} == {SERIES_SIGMA}
    assert codes["real_growth"] == codes["krw_change"] == codes["deflator"] == HISTORY_SD
    assert codes["va_share"] == codes["earnings_elasticity"] == codes["rerating"] == QUARTER_RANGE
    assert {r.outcome for r in rows if r.lever in ("earnings_elasticity", "rerating")} == {"kospi"}
    assert {r.outcome for r in rows if r.lever in ("real_growth", "krw_change", "va_share")} == {"gni_per_capita_usd"}
    assert codes["chip_price"] == PAST_TURNS


def test_chip_turn_row_moves_only_chips(baseline, vol):
    s = Scenario(base_year=2025, target_year=2030).with_macro(chip_price=-25, chip_years=1, chip_delay=1)
    row = next(r for r in sensitivity(s, baseline, vol, MACRO, SHOCKS) if r.lever == "chip_price")
    assert (row.low_value, row.value, row.high_value) == (-45.0, -25.0, 0.0)
    for v, total in ((row.low_value, row.total_low), (row.high_value, row.total_high)):
        assert total == pytest.approx(project(s.with_macro(chip_price=v), baseline).total[5], rel=1e-12)
    assert row.total_low < row.total_base < row.total_high


def test_growth_swing_is_one_sigma_and_matches_project(baseline, vol, trend_2025):
    rows = {r.lever: r for r in sensitivity(trend_2025, baseline, vol, MACRO, SHOCKS)}
    n = trend_2025.target_year - trend_2025.base_year
    for s in IDS:
        r = rows[s]
        assert r.swing == pytest.approx(100 * vol.sigma_of(s))
        lev = lever(s)
        assert r.low_value == pytest.approx(max(r.value - r.swing, lev.min))
        assert r.high_value == pytest.approx(min(r.value + r.swing, lev.max))
        for g, total in ((r.low_value, r.total_low), (r.high_value, r.total_high)):
            assert total == pytest.approx(project(trend_2025.with_growth(**{s: g}), baseline).total[n], rel=1e-12)
        assert r.total_low <= r.total_base <= r.total_high
    assert rows["metaverse"].width == 0.0  # not counted in the total


def test_larger_sigma_gives_a_wider_swing(baseline, vol):
    # every series at 0 %: no clamping, the same base-year weights as the data
    rows = {r.lever: r for r in sensitivity(uniform(0.0, base_year=2025, target_year=2030), baseline, vol, MACRO,
                                                SHOCKS)}
    by_sigma = sorted(IDS, key=vol.sigma_of)
    swings = [rows[s].high_value - rows[s].low_value for s in by_sigma]
    assert swings == sorted(swings)
    assert vol.sigma_of("semiconductors") > vol.sigma_of("robots")
    assert rows["semiconductors"].swing > rows["robots"].swing
    # the same base value and growth: the wider swing moves the total more
    equal = project(uniform(0.0, base_year=2025, target_year=2030), baseline)
    v = equal.values[:, 0]
    i, j = IDS.index("semiconductors"), IDS.index("rest")
    assert (rows["semiconductors"].width / v[i]) > (rows["rest"].width / v[j])


def test_macro_swings_are_history_sds(baseline, vol, trend_2025):
    real = MACRO.series("real_gdp_growth_pct")
    rows = {r.lever: r for r in sensitivity(trend_2025, baseline, vol, MACRO, SHOCKS)}
    assert rows["real_growth"].swing == pytest.approx(np.std(list(real.values()), ddof=1))
    lev = lever("earnings_elasticity")
    assert rows["earnings_elasticity"].swing == pytest.approx((lev.max - lev.min) / 4)
    assert rows["rerating"].low_value == lever("rerating").min  # clamped


def test_sensitivity_probabilities_with_paths(baseline, vol, trend_2025):
    rows = sensitivity(trend_2025, baseline, vol, MACRO, SHOCKS, n_paths=400, seed=3)
    for r in rows:
        for p in (r.probability_low, r.probability_base, r.probability_high):
            assert p is not None and 0.0 <= p <= 1.0
    proj = project(trend_2025, baseline)
    sim = sim_of(proj, vol, n_paths=400, seed=3)
    semis = next(r for r in rows if r.lever == "semiconductors")
    assert semis.probability_base == sim.probabilities()["exports_1t"]
    assert semis.probability_low <= semis.probability_base <= semis.probability_high
    high = sim_of(project(trend_2025.with_growth(semiconductors=semis.high_value), baseline), vol, 400, seed=3)
    assert semis.probability_high == high.probabilities()["exports_1t"]
    # a 5/5/5 lever's probability equals a full sim_of() with the lever moved (paths are shared)
    rg = next(r for r in rows if r.lever == "real_growth")
    moved = sim_of(replace(proj, scenario=trend_2025.with_macro(real_growth=rg.high_value)), vol, 400, seed=3)
    n = trend_2025.target_year - trend_2025.base_year
    share = float(np.count_nonzero((moved.gni[:, : n + 1] >= GNI_TARGET_USD).any(axis=1))) / 400
    assert rg.probability_high == share
    assert sensitivity(trend_2025, baseline, vol, MACRO, SHOCKS, n_paths=400, seed=3) == rows  # deterministic


# ----------------------------------------------------------------------------- growth for a probability

def sim_chance(proj, g, vol, n_paths, seed, baseline):
    p = project(replace(proj.scenario, growth=dict.fromkeys(IDS, g)), baseline)
    return sim_of(p, vol, n_paths=n_paths, seed=seed, vol_scale=float(proj.scenario.macro["vol_scale"])
                    ).probabilities()["exports_1t"]


@pytest.mark.parametrize(("base", "target_year"), [(2025, 2030), (2021, 2027), (2023, 2028)])
def test_required_for_probability_hits_the_asked_chance(baseline, vol, base, target_year):
    proj = project(preset_scenario("trend", baseline, base_year=base, target_year=target_year), baseline)
    out = required_for_probability(proj, (0.5, 0.8), vol, 800, 7, MACRO, SHOCKS)
    assert set(out) == {"0.5", "0.8"}
    assert out["0.8"] > out["0.5"]
    for key, g in out.items():
        p = float(key)
        assert sim_chance(proj, g, vol, 800, 7, baseline) >= p
        assert sim_chance(proj, g - 0.01, vol, 800, 7, baseline) < p  # within one 0.01 pp step
    assert required_for_probability(proj, (0.5, 0.8), vol, 800, 7, MACRO, SHOCKS) == out


def test_required_for_probability_is_monotone_and_bounded(baseline, vol):
    proj = project(uniform(5.0, base_year=2025, target_year=2030), baseline)
    ps = (0.1, 0.3, 0.5, 0.7, 0.9, 0.95)
    out = required_for_probability(proj, ps, vol, 500, 1, MACRO, SHOCKS)
    values = [out[f"{p:g}"] for p in ps]
    assert values == sorted(values)
    # the deterministic uniform rate is near the median (the any-year-up-to-T criterion helps a little)
    det = ((1000 / float(proj.total[0])) ** (1 / 5) - 1) * 100
    assert abs(out["0.5"] - det) < 1.5
    # one year at most 40 % cannot reliably lift USD 709.7 bn to 1 trn
    short = project(uniform(5.0, base_year=2025, target_year=2026), baseline)
    assert required_for_probability(short, (0.99,), vol, 500, 1, MACRO, SHOCKS)["0.99"] is None
    with pytest.raises(ValueError):
        required_for_probability(proj, (0.0,), vol, 2000, 1, MACRO, SHOCKS)


# ----------------------------------------------------------------------------- least stretch

@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("base", BASE_YEARS)
def test_least_stretch_reaches_the_target(baseline, vol, preset, base):
    target_year = max(2030, base + 2)
    proj = project(preset_scenario(preset, baseline, base_year=base, target_year=target_year), baseline)
    found = solve_least_stretch(proj, vol, baseline)
    assert found.reachable
    assert found.total_exact == pytest.approx(1000.0, abs=0.01)
    trend = trend_growth(baseline)
    n = target_year - base
    exact = np.array([found.growth_exact[s] for s in IDS])
    assert float(np.sum(np.where(proj.counted, proj.values[:, 0] * (1 + exact / 100) ** n, 0))) == pytest.approx(
        1000.0, abs=0.01)
    # rounded: on the slider grid, within one step of the exact rate (two where one step lands more than
    # ROUNDING_TOLERANCE_BN above), reaching the target and within half a USD bn of it
    assert 1000.0 - 1e-6 <= found.total <= 1000.5
    rounded = least_stretch(proj, vol, baseline)
    assert rounded == found.growth
    for s in IDS:
        step = lever(s).step
        assert rounded[s] == pytest.approx(round(rounded[s] / step) * step, abs=1e-9)
        assert abs(rounded[s] - found.growth_exact[s]) <= 2 * step + 1e-9
    # minimax: every unclamped counted series is asked for the same k sds; uncounted keep their trend
    for s in IDS:
        if not proj.counted[IDS.index(s)]:
            assert rounded[s] == found.growth_exact[s] == trend[s]
        elif s not in found.clamped:
            assert (found.growth_exact[s] - trend[s]) / found.sigma_pct[s] == pytest.approx(found.k, abs=1e-9)


def test_volatile_series_stretch_more(baseline, vol):
    proj = project(uniform(5.0, base_year=2025, target_year=2030), baseline)
    found = solve_least_stretch(proj, vol, baseline)
    assert found.k > 0 and not found.clamped
    trend = found.trend
    stretch = {s: found.growth_exact[s] - trend[s] for s in IDS if s != "metaverse"}
    assert vol.sigma_of("semiconductors") > vol.sigma_of("robots")
    assert stretch["semiconductors"] > stretch["robots"] > 0
    order = [stretch[s] for s in sorted(stretch, key=vol.sigma_of)]
    assert all(a <= b + 1e-9 for a, b in itertools.pairwise(order))


def test_clamped_series_sit_at_their_bound(baseline, vol):
    proj = project(uniform(5.0, base_year=2024, target_year=2026), baseline)
    found = solve_least_stretch(proj, vol, baseline, target=1030.0)
    assert found.reachable and "semiconductors" in found.clamped
    assert found.growth_exact["semiconductors"] == found.growth["semiconductors"] == lever("semiconductors").max
    assert found.total_exact == pytest.approx(1030.0, abs=0.01)
    for s in IDS:
        if s not in found.clamped and s != "metaverse":
            assert (found.growth_exact[s] - found.trend[s]) / found.sigma_pct[s] == pytest.approx(found.k, abs=1e-9)
    # unclamped, the common k would have asked the clamped series for more than its bound
    assert found.trend["semiconductors"] + found.k * found.sigma_pct["semiconductors"] > lever("semiconductors").max


def test_trend_total_gives_zero_stretch(baseline, vol):
    trend = trend_growth(baseline)
    proj = project(Scenario(growth=trend, base_year=2025, target_year=2030), baseline)
    found = solve_least_stretch(proj, vol, baseline, target=float(proj.total[5]))
    assert found.k == pytest.approx(0.0, abs=1e-9)
    assert found.growth == pytest.approx(trend)


def test_unreachable_target(baseline, vol):
    proj = project(uniform(5.0, base_year=2025, target_year=2026), baseline)
    found = solve_least_stretch(proj, vol, baseline)
    assert not found.reachable
    assert all(found.growth[s] == lever(s).max for s in IDS if s != "metaverse")
    with pytest.raises(ValueError, match="no growth within"):
        least_stretch(proj, vol, baseline)


@pytest.mark.parametrize("services", [False, True])
def test_least_stretch_lands_within_half_a_bn_for_every_target_year(baseline, vol, services):
    reached = 0
    for base in BASE_YEARS:
        for target_year in range(base + 1, 2051):
            s = uniform(5.0, base_year=base, target_year=target_year, horizon=max(target_year, 2035),
                        count_services=services)
            found = solve_least_stretch(project(s, baseline), vol, baseline)
            if not found.reachable:
                continue
            reached += 1
            assert 1000.0 - 1e-6 <= found.total <= 1000.5, (base, target_year)
            for sid in IDS:
                assert abs(found.growth[sid] - found.growth_exact[sid]) <= 2 * lever(sid).step + 1e-9
    assert reached > 100
