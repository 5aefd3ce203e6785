"""Chances from one simulation (issue 28): common random numbers against re-simulating each lever's end.

The sensitivity's chances and the goal-seek by chance used to run simulate() once per end of every lever
(about 35 simulations); now a growth lever or the chip turn rescales one series' simulated paths, and a 5/5/5
lever re-links the same won and market shocks. These tests keep the old way as the reference: the same seed
and paths must give the same chances (equal to a path or two at the threshold: only floating-point rounding
differs).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios.model.projection import CHIPS, Scenario, chip_price_path, project
from scenarios.model.uncertainty import relink, relinked, rescaled_totals, simulate
from scenarios.model.vision import GNI_TARGET_USD, KOSPI_TARGET
from scenarios.model.what_it_takes import (
    EXPORTS,
    GNI,
    MACRO_SWINGS,
    _export_chance,
    _reach_share,
    _uniform_zero_projection,
    reproject,
    required_for_probability,
    sensitivity,
    with_chip_turn,
)
from scenarios.registry.levers import growth_levers
from scenarios.registry.presets import load_presets, resolve_growth
from tests.shipped import BASE, DATA, MACRO, SHOCKS, VOL

IDS = [lev.id for lev in growth_levers()]
PATHS = 2_000
SEED = 7
# Two paths of 2,000: a path sitting on the threshold may flip with the last bit of rounding.
CHANCE_TOL = 2.0 / PATHS


def scenario_of(preset: str, **kw) -> Scenario:
    return Scenario(growth=resolve_growth(load_presets()[preset], BASE), preset=preset, **kw)


def sim(proj, n_paths=PATHS, seed=SEED, vol=VOL):
    return simulate(proj, vol, n_paths=n_paths, seed=seed, macro=MACRO, shocks=SHOCKS)


def resimulated_chances(scenario: Scenario, vol=VOL, n_paths=PATHS, seed=SEED) -> dict[tuple[str, int], float]:
    """The old implementation's chances: one simulate() per end of each lever (same seed and paths)."""
    proj = project(scenario, BASE)
    n = scenario.target_year - scenario.base_year
    out = {}
    for row in sensitivity(scenario, BASE, vol, MACRO, SHOCKS, proj=proj):  # the ends, without chances
        for end, v in ((0, row.low_value), (1, row.high_value)):
            if row.lever in IDS:
                if not proj.counted[proj.series_ids.index(row.lever)] or v == scenario.growth[row.lever]:
                    continue
                moved = reproject(proj, scenario.with_growth(**{row.lever: v}))
                out[row.lever, end] = _export_chance(sim(moved, n_paths, seed, vol).totals, n + 1)
            elif row.lever == "chip_price":
                if v == scenario.macro["chip_price"]:
                    continue
                moved = with_chip_turn(proj, scenario.with_macro(chip_price=v))
                out[row.lever, end] = _export_chance(sim(moved, n_paths, seed, vol).totals, n + 1)
            else:
                s = simulate(replace(proj, scenario=scenario.with_macro(**{row.lever: v})), vol, n_paths=n_paths,
                             seed=seed, macro=MACRO, shocks=SHOCKS)
                paths, target = (s.gni, GNI_TARGET_USD) if row.outcome == GNI else (s.kospi, KOSPI_TARGET)
                out[row.lever, end] = _reach_share(paths, n + 1, target)
    return out


def assert_same_chances(scenario: Scenario, vol=VOL, n_paths=PATHS, seed=SEED) -> None:
    old = resimulated_chances(scenario, vol, n_paths, seed)
    rows = sensitivity(scenario, BASE, vol, MACRO, SHOCKS, n_paths=n_paths, seed=seed)
    new = {(r.lever, end): p for r in rows for end, p in ((0, r.probability_low), (1, r.probability_high))}
    assert old, "no lever end moved"
    for key, p in old.items():
        assert new[key] == pytest.approx(p, abs=2.0 / n_paths), key


# ----------------------------------------------------------------------------- the building blocks

def test_rescaled_totals_equal_a_new_simulation_of_the_moved_growth():
    scenario = scenario_of("central")
    proj = project(scenario, BASE)
    base = sim(proj)
    steps = (proj.years - scenario.base_year).astype(float)
    for sid, g in (("semiconductors", -12.0), ("rest", 9.5), ("bio_health", 30.0)):
        moved = sim(reproject(proj, scenario.with_growth(**{sid: g})))
        factor = ((1 + g / 100) / (1 + scenario.growth[sid] / 100)) ** steps
        np.testing.assert_allclose(rescaled_totals(base, {sid: factor}), moved.totals, rtol=1e-12)


def test_rescaled_totals_equal_a_new_simulation_of_the_chip_turn():
    scenario = scenario_of("chip_downturn")
    proj = project(scenario, BASE)
    base = sim(proj)
    for v in (-45.0, 0.0, 30.0):
        moved_s = scenario.with_macro(chip_price=v)
        moved = sim(with_chip_turn(proj, moved_s))
        factor = chip_price_path(moved_s, proj.years) / chip_price_path(scenario, proj.years)
        np.testing.assert_allclose(rescaled_totals(base, {CHIPS: factor}), moved.totals, rtol=1e-12)


def test_rescaled_totals_keep_only_the_years_asked_and_ignore_uncounted_series():
    proj = project(scenario_of("pledge"), BASE)
    base = sim(proj, n_paths=300)
    assert rescaled_totals(base, {}, 3).shape == (300, 3)
    np.testing.assert_array_equal(rescaled_totals(base, {"no_such_series": np.full(len(proj.years), 2.0)}),
                                  base.totals)


@pytest.mark.parametrize("lid", list(MACRO_SWINGS))
def test_relink_equals_a_new_simulation_of_the_moved_5_5_5_lever(lid):
    scenario = scenario_of("central")
    proj = project(scenario, BASE)
    base = sim(proj)
    for delta in (-1.0, 1.5):
        moved_proj = replace(proj, scenario=scenario.with_macro(**{lid: scenario.macro[lid] + delta}))
        fresh, linked = sim(moved_proj), relink(base, moved_proj, MACRO, SHOCKS.fx_sigma)
        for name in ("totals", "gdp", "gni", "rank"):
            np.testing.assert_allclose(getattr(linked, name), getattr(fresh, name), rtol=1e-12, err_msg=name)
        # the mix is rounded to float32 in the simulation: a moved elasticity differs in the last bits
        np.testing.assert_allclose(linked.kospi, fresh.kospi, rtol=1e-5)
        # one outcome alone, as the sensitivity reads it: the same numbers
        for name, arr in (("gni_per_capita_usd", linked.gni), ("kospi", linked.kospi)):
            np.testing.assert_array_equal(relinked(base, moved_proj, MACRO, SHOCKS.fx_sigma, name), arr)


def test_relink_refuses_a_moved_elasticity_under_cut_t_shocks():
    fat = replace(VOL, df=5.0)
    scenario = scenario_of("central")
    proj = project(scenario, BASE)
    base = sim(proj, n_paths=200, vol=fat)
    moved = replace(proj, scenario=scenario.with_macro(earnings_elasticity=scenario.macro["earnings_elasticity"] + 1))
    with pytest.raises(ValueError):
        relink(base, moved, MACRO, SHOCKS.fx_sigma)
    # the other links still follow exactly
    other = replace(proj, scenario=scenario.with_macro(real_growth=scenario.macro["real_growth"] + 1))
    np.testing.assert_allclose(relink(base, other, MACRO, SHOCKS.fx_sigma).gni, sim(other, 200, vol=fat).gni,
                               rtol=1e-12)


# ----------------------------------------------------------------------------- the chances, old against new

@pytest.mark.parametrize("preset", list(load_presets()))
def test_sensitivity_chances_equal_resimulating_each_end(preset):
    assert_same_chances(scenario_of(preset, target_year=2030))


def test_sensitivity_chances_equal_resimulating_under_fat_tails():
    """Cut Student-t shocks: growth ends still rescale exactly; the elasticity's ends are simulated anew."""
    assert_same_chances(scenario_of("central", target_year=2030), vol=replace(VOL, df=5.0), n_paths=500)


def test_sensitivity_reuses_a_simulation_given():
    scenario = scenario_of("trend", target_year=2030)
    proj = project(scenario, BASE)
    given_sim = sim(proj)
    a = sensitivity(scenario, BASE, VOL, MACRO, SHOCKS, n_paths=PATHS, seed=SEED, proj=proj)
    b = sensitivity(scenario, BASE, VOL, MACRO, SHOCKS, n_paths=PATHS, seed=SEED, proj=proj, simulation=given_sim)
    assert a == b


@pytest.mark.parametrize("preset", list(load_presets()))
def test_required_for_probability_from_the_scenario_s_own_paths(preset):
    scenario = scenario_of(preset, target_year=2030)
    proj = project(scenario, BASE)
    old = required_for_probability(proj, (0.1, 0.5, 0.8, 0.95), VOL, PATHS, SEED, MACRO, SHOCKS)
    new = required_for_probability(proj, (0.1, 0.5, 0.8, 0.95), VOL, PATHS, SEED, MACRO, SHOCKS,
                                   simulation=sim(proj))
    assert new == old
    zero = sim(_uniform_zero_projection(proj)).totals
    steps = (proj.years - scenario.base_year).astype(float)
    rescaled = rescaled_totals(sim(proj), {s: (1 + scenario.growth[s] / 100) ** -steps for s in IDS})
    np.testing.assert_allclose(rescaled, zero, rtol=1e-12)


lever_sets = st.fixed_dictionaries({
    "growth": st.fixed_dictionaries({s: st.floats(-30.0, 40.0).map(lambda x: round(x, 1)) for s in IDS}),
    "chip_price": st.sampled_from([0.0, -45.0, -25.0, 20.0]),
    "chip_years": st.integers(1, 3),
    "chip_delay": st.integers(0, 4),
    "target_year": st.integers(2027, 2035),
    "seed": st.integers(0, 10_000),
})


@settings(max_examples=15, deadline=None)
@given(lever_sets)
def test_any_lever_set_gives_the_chances_of_resimulating(levers):
    scenario = Scenario(growth=levers["growth"], target_year=levers["target_year"]).with_macro(
        chip_price=levers["chip_price"], chip_years=levers["chip_years"], chip_delay=levers["chip_delay"])
    if scenario.target_year <= scenario.base_year:
        return
    assert_same_chances(scenario, n_paths=400, seed=levers["seed"])
    proj = project(scenario, BASE)
    old = required_for_probability(proj, (0.5, 0.8), VOL, 400, levers["seed"], MACRO, SHOCKS)
    new = required_for_probability(proj, (0.5, 0.8), VOL, 400, levers["seed"], MACRO, SHOCKS,
                                   simulation=sim(proj, 400, levers["seed"]))
    assert new == old


def test_the_outcome_reads_its_chances_off_one_simulation(monkeypatch):
    """Outcome.sensitivity_chances and required_for_probability together: two simulate() calls in all."""
    import scenarios.model.outcome as outcome_mod
    import scenarios.model.uncertainty as unc
    import scenarios.model.what_it_takes as wit

    calls = []
    real = unc.simulate

    def counting(*a, **k):
        calls.append(1)
        return real(*a, **k)

    for mod in (outcome_mod, wit):
        monkeypatch.setattr(mod, "simulate", counting)
    scenario = scenario_of("central", target_year=2030).with_macro(ranges=1, paths=2000)
    out = outcome_mod.compute_outcome(scenario, DATA)
    assert out.sensitivity_chances and out.required_for_probability is not None
    assert len(calls) == 2, "the shown simulation and the one the chances are read from"
    assert EXPORTS in {r.outcome for r in out.sensitivity_chances}
