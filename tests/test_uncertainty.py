"""Volatility from data and the Monte Carlo of export paths with the 5/5/5 links."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scenarios.model.uncertainty as unc
from scenarios.model.calibration import baseline_volatility
from scenarios.model.projection import Scenario
from scenarios.model.uncertainty import (
    BAND_TARGETS,
    baseline_series,
    estimate_volatility,
    log_growth,
    nearest_psd_correlation,
    total_volatility,
)
from scenarios.model.vision import project_vision, vision_links
from scenarios.registry.levers import growth_levers
from tests.shipped import MACRO, proj_of, sim_of

IDS = [lev.id for lev in growth_levers()]
PROBABILITY_KEYS = {"exports_1t", "gni_per_capita_50k", "kospi_5000", "top5_economy"}


@pytest.fixture(scope="module")
def vol(baseline):
    return baseline_volatility(baseline, MACRO)


def assert_valid_correlation(c: np.ndarray) -> None:
    assert np.array_equal(c, c.T)
    np.testing.assert_array_equal(np.diag(c), 1.0)
    assert np.linalg.eigvalsh(c).min() >= -1e-10
    assert np.all(np.abs(c) <= 1.0 + 1e-12)


def correlated_lognormal(n_years: int, sigmas: tuple[float, float], rho: float, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n_years, 2))
    shocks = np.column_stack([z[:, 0], rho * z[:, 0] + np.sqrt(1 - rho**2) * z[:, 1]])
    growth = np.array([0.03, 0.05]) + shocks * np.array(sigmas)
    levels = 100.0 * np.exp(np.vstack([np.zeros(2), np.cumsum(growth, axis=0)]))
    years = range(1800, 1800 + n_years + 1)
    return {name: dict(zip(years, levels[:, i].tolist(), strict=True)) for i, name in enumerate(("a", "b"))}


# ----------------------------------------------------------------------------- the estimator

@pytest.mark.parametrize("seed", [1, 2, 3])
def test_estimator_recovers_known_sigma_and_correlation(seed):
    data = correlated_lognormal(200, (0.1, 0.2), 0.6, seed)
    v = estimate_volatility(data, window=(1800, 2000), k=0.0)
    assert v.n_obs.tolist() == [200, 200]
    # tolerances: about four standard errors for 200 draws (sigma / sqrt(2n); (1 - rho^2) / sqrt(n))
    assert v.sigma_of("a") == pytest.approx(0.1, rel=0.2)
    assert v.sigma_of("b") == pytest.approx(0.2, rel=0.2)
    assert v.corr_of("a", "b") == pytest.approx(0.6, abs=0.12)
    assert_valid_correlation(v.corr)


def test_growth_uses_consecutive_years_inside_the_window_only():
    g = log_growth({2014: 1.0, 2015: 2.0, 2016: 4.0, 2018: 8.0, 2019: 8.0, 2020: 0.0, 2021: 5.0}, (2015, 2025))
    assert g == {2016: pytest.approx(np.log(2.0)), 2019: 0.0}


def test_shrinkage_pulls_a_short_series_toward_the_pooled_median():
    rng = np.random.default_rng(7)
    years = range(2000, 2041)
    series = {f"long{i}": dict(zip(years, np.exp(np.cumsum(rng.normal(0, s, 41))).tolist(), strict=True))
              for i, s in enumerate((0.08, 0.10, 0.12))}
    series["short"] = {2036: 1.0, 2037: 1.5, 2038: 0.8, 2039: 1.6}  # 3 wild growth rates
    window = (2000, 2040)
    raw = estimate_volatility(series, window, k=0.0)
    shrunk = estimate_volatility(series, window, k=4.0)
    i = shrunk.ids.index("short")
    median = shrunk.pooled_sigma
    assert median == pytest.approx(float(np.median(raw.sigma_raw)))
    w = 3 / (3 + 4)
    assert shrunk.sigma[i] == pytest.approx(w * raw.sigma[i] + (1 - w) * median)
    assert median < shrunk.sigma[i] < raw.sigma[i]
    # long series move less than the short one
    for j in range(3):
        assert abs(shrunk.sigma[j] - raw.sigma[j]) < abs(shrunk.sigma[i] - raw.sigma[i])
    # correlations shrink toward 0 with weight m / (m + k) (then the PSD repair, a no-op when already PSD)
    m = shrunk.n_pairs
    expected = np.where(np.isnan(shrunk.corr_raw), 0.0, shrunk.corr_raw) * m / (m + 4.0)
    np.fill_diagonal(expected, 1.0)
    np.testing.assert_allclose(shrunk.corr, nearest_psd_correlation(expected), atol=1e-12)
    assert np.all(m[i, :3] == 3)
    assert np.all(np.abs(shrunk.corr[i, :3]) < np.abs(shrunk.corr_raw[i, :3]))


def test_correlation_needs_three_overlapping_pairs():
    series = {"a": {2015: 1.0, 2016: 1.2, 2017: 0.9, 2018: 1.3, 2019: 1.1},
              "b": {2017: 2.0, 2018: 2.5, 2019: 2.2}}  # overlaps a in growth years 2018 and 2019 only
    v = estimate_volatility(series, k=0.0)
    assert v.n_pairs[0, 1] == 2
    assert v.corr_of("a", "b") == 0.0
    assert np.isnan(v.corr_raw[0, 1])


def test_a_series_with_one_growth_rate_takes_the_pooled_median():
    series = {"a": {2015: 1.0, 2016: 1.2, 2017: 0.9}, "b": {2015: 1.0, 2016: 1.5, 2017: 1.1, 2018: 1.4},
              "c": {2020: 1.0, 2021: 3.0}}
    v = estimate_volatility(series, k=0.0)
    assert v.n_obs.tolist() == [2, 3, 1]
    assert v.sigma_of("c") == pytest.approx(v.pooled_sigma)
    assert v.pooled_sigma == pytest.approx(np.median(v.sigma_raw[:2]))


def test_nothing_to_estimate_is_refused():
    with pytest.raises(ValueError, match="two growth observations"):
        estimate_volatility({"a": {2015: 1.0, 2016: 2.0}})
    with pytest.raises(ValueError, match="k must be >= 0"):
        estimate_volatility({"a": {2015: 1.0}}, k=-1)


year_values = st.dictionaries(st.integers(2010, 2030), st.floats(0.1, 1000.0), min_size=0, max_size=21)


@settings(max_examples=60, deadline=None)
@given(series=st.lists(year_values, min_size=2, max_size=7), k=st.sampled_from([0.0, 1.0, 4.0, 10.0]))
def test_correlation_matrix_is_symmetric_psd_with_unit_diagonal(series, k):
    data = {f"s{i}": s for i, s in enumerate(series)}
    data["anchor"] = {2015: 1.0, 2016: 1.3, 2017: 1.1, 2018: 1.2}  # at least one series has a sigma
    v = estimate_volatility(data, window=(2010, 2030), k=k)
    assert_valid_correlation(v.corr)
    assert np.all(v.sigma >= 0) and np.all(np.isfinite(v.sigma))


def test_nearest_psd_fixes_an_inconsistent_matrix():
    c = np.array([[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]])
    assert np.linalg.eigvalsh(c).min() < 0
    assert_valid_correlation(nearest_psd_correlation(c))


# ----------------------------------------------------------------------------- the shipped data

def test_shipped_data_leaves_out_estimates_and_series_breaks(baseline):
    from scenarios.model.uncertainty import SERIES_BREAKS

    series = baseline_series(baseline)
    assert set(series) == set(baseline.series_ids)
    for sid, values in series.items():
        history = baseline.history(sid)
        kept = {y for y, (_, q) in history.items()
                if (q != "estimate" or sid == "rest") and q != "nowcast" and y >= SERIES_BREAKS.get(sid, 0)}
        assert set(values) == kept
    assert min(series["metaverse"]) == 2017  # no growth rate across the 2016-2017 break in content exports
    assert len(series["rest"]) == 5  # the residual of the published total keeps every complete year


def test_shipped_volatility_is_well_formed(vol, baseline):
    assert vol.ids == baseline.series_ids
    assert vol.window == (2000, 2025) and vol.k == 4.0  # every year the data allow
    assert np.all(vol.sigma > 0)
    assert_valid_correlation(vol.corr)
    # one common factor: corr = l l' off the diagonal
    expected = np.outer(vol.loadings, vol.loadings)
    np.fill_diagonal(expected, 1.0)
    np.testing.assert_allclose(vol.corr, expected, atol=1e-12)
    # green energy's 2023-2025 values are fills: one growth rate (2022) survives, too few to regress on the
    # total, so it moves one for one with the cycle (beta 1, times the calibration's multiplier) plus the
    # median own shock
    cal = vol.calibration
    i = vol.ids.index("green_energy")
    assert vol.n_obs[i] == 1
    assert cal["beta"][i] == pytest.approx(cal["beta_multiplier"], abs=1e-4)
    assert cal["own_sigma"][i] == pytest.approx(cal["median_own_sigma"], abs=1e-4)
    # calibrated: the total implied at the latest base year's shares swings exactly like the actual total
    year = cal["shares_year"]
    weights = dict(zip(vol.ids, np.where(baseline.services_mask, 0.0, baseline.base_vector(year)), strict=True))
    assert vol.portfolio_sigma(weights) == pytest.approx(total_volatility(baseline), rel=1e-6)
    json.dumps(vol.describe())


def test_semiconductors_swing_more_than_total_exports(vol, baseline):
    assert vol.sigma_of("semiconductors") > total_volatility(baseline)


# ----------------------------------------------------------------------------- the simulation

@pytest.mark.parametrize("base", [2021, 2022, 2023, 2024, 2025])
@pytest.mark.parametrize("services", [False, True])
def test_zero_volatility_is_the_deterministic_path_exactly(base, services, vol):
    s = Scenario(base_year=base, target_year=base + 3, horizon=2050, count_services=services).with_growth(
        semiconductors=12.0, rest=2.0).with_macro(earnings_elasticity=1.4, rerating=20.0)
    proj = proj_of(s)
    v = project_vision(proj, MACRO)
    sim = sim_of(proj, vol, n_paths=300, seed=5, vol_scale=0.0)
    for paths, path in ((sim.totals, proj.total), (sim.gdp, v.gdp_usd_bn), (sim.gni, v.gni_per_capita_usd),
                        (sim.kospi, v.kospi), (sim.rank, v.gdp_rank)):
        assert paths.shape == (300, len(proj.years))
        np.testing.assert_array_equal(paths, np.broadcast_to(path, paths.shape))
    bands = sim.bands()
    for name, path in zip(BAND_TARGETS, (proj.total, v.gni_per_capita_usd, v.kospi, v.gdp_usd_bn, v.gdp_rank),
                          strict=True):
        np.testing.assert_array_equal(bands[name][0.5], path)


def test_probabilities_at_zero_volatility_are_the_deterministic_milestones(vol):
    for growth, expected in ((5.0, 0.0), (7.8, 1.0)):  # from 644.5 in 2021: 864 or 1010 in 2027
        proj = proj_of(Scenario(base_year=2021, target_year=2027, horizon=2040,
                                growth=dict.fromkeys(IDS, growth)))
        p = sim_of(proj, vol, n_paths=50, vol_scale=0.0).probabilities()
        assert p["exports_1t"] == expected
        m = project_vision(proj, MACRO).milestones()
        assert p["kospi_5000"] == float(m["kospi_5000"] is not None)
        assert p["top5_economy"] == float(m["top5_economy"] is not None)


def test_same_seed_same_numbers_other_seed_other_numbers(vol):
    proj = proj_of(Scenario(horizon=2050))
    a = sim_of(proj, vol, n_paths=1000, seed=11)
    b = sim_of(proj, vol, n_paths=1000, seed=11)
    c = sim_of(proj, vol, n_paths=1000, seed=12)
    for name in ("totals", "gdp", "gni", "kospi", "rank"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert a.probabilities() == b.probabilities()
    assert not np.array_equal(a.totals, c.totals)


def test_numbers_do_not_depend_on_threading(vol, monkeypatch):
    proj = proj_of(Scenario(horizon=2050))
    threaded = sim_of(proj, vol, n_paths=3001, seed=3)
    monkeypatch.setattr(unc, "_THREAD_MIN_CELLS", 10**12)
    single = sim_of(proj, vol, n_paths=3001, seed=3)
    np.testing.assert_array_equal(threaded.totals, single.totals)


def test_counting_services_adds_to_the_same_draws(vol):
    s = Scenario(horizon=2040)
    goods = sim_of(proj_of(s), vol, n_paths=400, seed=2)
    both = sim_of(proj_of(Scenario(horizon=2040, count_services=True)), vol, n_paths=400, seed=2)
    assert np.all(both.totals > goods.totals - 1e-9)


@settings(max_examples=25, deadline=None)
@given(sid=st.sampled_from([*IDS, "all"]), g=st.floats(-20.0, 30.0), bump=st.floats(0.1, 10.0),
       base=st.sampled_from([2021, 2023, 2025]), scale=st.sampled_from([0.5, 1.0, 2.0]))
def test_probabilities_rise_with_growth(sid, g, bump, base, scale, vol):
    def run(growth):
        changes = dict.fromkeys(IDS, growth) if sid == "all" else {sid: growth}
        s = Scenario(base_year=base, target_year=base + 4, horizon=2045, count_services=True).with_growth(**changes)
        return sim_of(proj_of(s), vol, n_paths=400, seed=9, vol_scale=scale).probabilities()

    low, high = run(g), run(g + bump)
    assert set(low) == PROBABILITY_KEYS
    for key in low:
        assert 0.0 <= low[key] <= 1.0
        assert high[key] >= low[key]


def test_probabilities_and_bands_are_well_formed(vol):
    proj = proj_of(Scenario(base_year=2025, target_year=2030, horizon=2050))
    sim = sim_of(proj, vol, n_paths=2000)
    p = sim.probabilities()
    assert set(p) == PROBABILITY_KEYS and all(0.0 <= x <= 1.0 for x in p.values())
    bands = sim.bands()
    counted = [sid for sid, c in zip(proj.series_ids, proj.counted, strict=True) if c]
    assert set(bands) == set(BAND_TARGETS) | set(counted)  # the aggregates and every counted series
    # each series' paths add up to the total's, path by path
    np.testing.assert_allclose(sim.series_paths.sum(axis=0), sim.totals.T, rtol=1e-9)
    for b in bands.values():
        qs = sorted(b)
        assert qs == [0.1, 0.25, 0.5, 0.75, 0.9]
        for lo, hi in itertools.pairwise(qs):
            assert np.all(b[lo] <= b[hi])
    # higher exports mean a higher GDP, so a lower (better) rank: the 10th percentile of rank is the best case
    assert np.all(bands["gdp_rank"][0.1] <= bands["gdp_rank"][0.9])
    out = json.loads(json.dumps(sim.to_dict()))
    assert set(out["bands"]["exports_total"]) == {"p10", "p25", "p50", "p75", "p90"}
    assert len(out["bands"]["kospi"]["p50"]) == len(proj.years) == len(out["years"])


def test_spread_grows_with_the_volatility_scale(vol):
    proj = proj_of(Scenario(horizon=2040))
    widths = []
    for scale in (0.25, 1.0, 2.0):
        b = sim_of(proj, vol, n_paths=2000, vol_scale=scale).bands((0.1, 0.9))["exports_total"]
        widths.append(b[0.9][-1] - b[0.1][-1])
    assert widths[0] < widths[1] < widths[2]


def test_simulated_paths_are_centred_on_the_user_path_with_the_estimated_spread(vol):
    proj = proj_of(Scenario(base_year=2021, target_year=2027, horizon=2030))
    sim = sim_of(proj, vol, n_paths=20_000, seed=4)
    # the -(s sigma)^2 / 2 correction keeps the mean on the deterministic path
    mean, se = sim.totals.mean(axis=0), sim.totals.std(axis=0) / np.sqrt(sim.n_paths)
    assert np.all(np.abs(mean - proj.total) <= 4 * se + 1e-9)
    # the first year's log growth of the total has about the spread the correlated shocks imply
    weights = dict(zip(proj.series_ids, proj.values[:, 0] * proj.counted, strict=True))
    first = np.log(sim.totals[:, 1] / sim.totals[:, 0])
    assert first.std() == pytest.approx(vol.portfolio_sigma(weights), rel=0.1)


def test_fast_rank_equals_comparing_with_every_peer():
    proj = proj_of(Scenario(base_year=2025, target_year=2030, horizon=2050))
    links = vision_links(proj, MACRO)
    rng = np.random.default_rng(0)
    gdp = links.gdp(proj.total) * np.exp(rng.normal(0, 0.6, (500, len(proj.years))))
    gdp[:5] = links.peer_gdp_usd_bn[[0, 3, 7, 10, 14]]  # exact ties with a peer
    gdp[5] = np.nextafter(links.peer_gdp_usd_bn[6], 0)
    expected = 1 + (links.peer_gdp_usd_bn[:, None, :] > gdp[None]).sum(axis=0)
    np.testing.assert_array_equal(links.rank(gdp), expected)
    np.testing.assert_array_equal(links.rank(np.asfortranarray(gdp)), expected)
    np.testing.assert_array_equal(links.rank(gdp.reshape(20, 25, -1)), expected.reshape(20, 25, -1))


def test_bad_arguments_are_refused(vol):
    proj = proj_of(Scenario(base_year=2021, target_year=2027))
    with pytest.raises(ValueError, match="n_paths"):
        sim_of(proj, vol, n_paths=0)
    with pytest.raises(ValueError, match="vol_scale"):
        sim_of(proj, vol, vol_scale=-0.1)
    with pytest.raises(ValueError, match="vol_scale"):
        sim_of(proj, vol, vol_scale=float("nan"))
    with pytest.raises(KeyError, match="rest"):
        sim_of(proj, estimate_volatility({"semiconductors": {2015: 1.0, 2016: 1.1, 2017: 1.3}}))
    with pytest.raises(ValueError, match="quantiles"):
        sim_of(proj, vol, n_paths=10).bands((0.5, 1.5))


def test_a_single_path_and_a_default_volatility_work():
    sim = sim_of(proj_of(Scenario(base_year=2021, target_year=2027)), n_paths=1)
    assert sim.totals.shape == (1, 15)
    assert set(sim.probabilities().values()) <= {0.0, 1.0}
