"""Issue #13, ranges you can trust: the calibration, the won and the KOSPI in the Monte Carlo, the backtest."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pytest

from scenarios.cli import backtest as bt_cli
from scenarios.data.baseline import DATA_DIR, Baseline, MacroBaseline, load_forecasts
from scenarios.model import backtest as bt
from scenarios.model.calibration import (
    baseline_volatility,
    calibrate,
    calibrate_beta,
    estimate_macro_shocks,
    estimate_t_df,
    implied_total_sigma,
    kospi_lag,
    method_notes,
    single_index,
    trend_growth,
    upto,
)
from scenarios.model.projection import Scenario
from scenarios.model.uncertainty import (
    Volatility,
    is_near_certain,
    is_negligible,
    log_growth,
    probability_text,
    top5_text,
    unit_t_log_mgf,
)
from scenarios.model.vision import project_vision, top5_gdp_multiple, vision_links
from scenarios.registry.i18n import catalog, fmt_pct
from scenarios.registry.presets import load_presets, resolve_growth
from tests.shipped import BASE, CAL, DATA, MACRO, VOL, proj_of, sim_of

YEARS = range(1700, 2001)  # synthetic histories: 300 growth years


def levels(growth: np.ndarray, start: int = YEARS[0]) -> dict[int, float]:
    """Levels from log growth rates: {year: value}, the first year 100."""
    path = 100.0 * np.exp(np.concatenate([[0.0], np.cumsum(growth)]))
    return dict(zip(range(start, start + len(path)), path.tolist(), strict=True))


def unit_t(rng: np.random.Generator, df: float, n: int) -> np.ndarray:
    return rng.standard_t(df, n) * math.sqrt((df - 2) / df)


# ----------------------------------------------------------------------------- the estimators, on synthetic data

@pytest.mark.parametrize("seed", [1, 2])
def test_single_index_recovers_a_common_factor(seed):
    rng = np.random.default_rng(seed)
    n = len(YEARS) - 1
    f = 0.12 * rng.standard_normal(n)                      # the total's growth: the common factor
    betas, owns = np.array([1.8, 1.0, 0.3, -0.5]), np.array([0.10, 0.03, 0.08, 0.05])
    total_growth = log_growth(levels(f), (YEARS[0], YEARS[-1]))
    growth = {f"s{i}": log_growth(levels(0.02 + b * f + o * rng.standard_normal(n)), (YEARS[0], YEARS[-1]))
              for i, (b, o) in enumerate(zip(betas, owns, strict=True))}
    idx = single_index(growth, total_growth, k=0.0)
    assert idx.pairs.tolist() == [n] * 4
    # tolerances: about four standard errors for 300 years (own / (0.12 sqrt n) for beta; own / sqrt(2n))
    assert np.all(np.abs(idx.beta_raw - betas) <= 4 * owns / (0.12 * math.sqrt(n)))
    assert np.all(np.abs(idx.own_raw - owns) <= 4 * owns / math.sqrt(2 * n))
    # shrinkage pulls a short history toward beta 1 and the median own sd
    short = {"s0": {y: v for y, v in growth["s0"].items() if y > YEARS[-1] - 4}}  # 4 growth years
    s = single_index({**growth, **short}, total_growth, k=4.0)
    w = 4 / (4 + 4)
    assert s.beta[0] == pytest.approx(w * s.beta_raw[0] + (1 - w) * 1.0)
    assert s.own[0] == pytest.approx(w * s.own_raw[0] + (1 - w) * s.median_own)


def test_too_short_a_series_moves_one_for_one_with_the_cycle():
    idx = single_index({"a": {2020: 0.1, 2021: -0.2}}, {2019: 0.0, 2020: 0.1, 2021: -0.1}, k=4.0)
    assert np.isnan(idx.beta_raw[0]) and idx.beta[0] == 1.0 and idx.own[0] == 0.0


def test_the_calibration_makes_the_total_swing_like_its_history():
    beta, own, w = np.array([1.5, 0.8, 0.3]), np.array([0.13, 0.05, 0.1]), np.array([0.3, 0.6, 0.1])
    for target in (0.08, 0.12, 0.2):
        c = calibrate_beta(beta, own, w, target)
        assert implied_total_sigma(c * beta, own, w, target) == pytest.approx(target, rel=1e-12)
    assert calibrate_beta(beta, own, w, 0.001) == 1.0  # the own shocks alone swing more: left alone


def test_fat_tails_are_found_when_present_and_only_then():
    rng = np.random.default_rng(3)
    assert 3.0 <= estimate_t_df(unit_t(rng, 4.0, 4000)) <= 6.0
    assert math.isinf(estimate_t_df(rng.standard_normal(4000)))
    assert math.isinf(estimate_t_df(unit_t(rng, 4.0, 10)))  # too few to tell: normal


def test_the_kospi_lag_and_the_wons_correlation_are_recovered():
    rng = np.random.default_rng(4)
    n = len(YEARS) - 1
    gx = 0.1 * rng.standard_normal(n + 1)
    market = 1.5 * gx[1:] + 0.1 * rng.standard_normal(n)   # the market moves a year before exports
    won = -0.5 * gx[:n] / 0.1 * 0.08 + math.sqrt(1 - 0.25) * 0.08 * rng.standard_normal(n)
    total, kospi, krw = levels(gx[:n]), levels(market), levels(won)
    lag, by_lag = kospi_lag(log_growth(kospi, (1700, 2000)), log_growth(total, (1700, 2000)))
    assert lag == 1 and by_lag[1][0] > 0.7 > abs(by_lag[0][0])
    shocks, _ = estimate_macro_shocks(total, krw, kospi, (1700, 2000), k=0.0)
    assert shocks.lag == 1
    assert shocks.fx_sigma == pytest.approx(0.08, rel=0.15)
    assert shocks.fx_corr == pytest.approx(-0.5, abs=0.12)
    # the valuation sigma makes the simulated KOSPI (elasticity 1) swing like the actual one
    s_x, s_k = np.std(list(log_growth(total, (1700, 2000)).values()), ddof=1), np.std(market, ddof=1)
    implied = s_x ** 2 + shocks.val_sigma ** 2 + 2 * shocks.val_corr * s_x * shocks.val_sigma
    assert math.sqrt(implied) == pytest.approx(s_k, rel=1e-9)


def test_trend_and_the_as_of_gate():
    values = {2010: 100.0, 2015: 150.0, 2020: 200.0, 2021: 1e9}
    assert upto(values, 2020) == {2010: 100.0, 2015: 150.0, 2020: 200.0}
    pct, first, last = trend_growth(values, 2020)
    assert (first, last) == (2010, 2020) and pct == pytest.approx((2 ** 0.1 - 1) * 100)
    assert trend_growth(values, 2019) is None  # no value at as_of


# ----------------------------------------------------------------------------- as_of never reads a later year

def poisoned(as_of: int) -> tuple[Baseline, MacroBaseline]:
    """The shipped data with every value after as_of scaled wildly (population's projection, a projection
    the links read for their path, and the peers' IMF paths are left alone: they are not estimated)."""
    base, macro = BASE, MACRO
    rng = np.random.default_rng(as_of)

    def spoil(rows: dict) -> dict:
        return {name: {y: (replace(r, value=r.value * float(rng.uniform(0.2, 5.0))) if y > as_of else r)
                       for y, r in by_year.items()} for name, by_year in rows.items()}

    rows = spoil(base.rows)
    bad = replace(base, rows=rows, bases={})
    for year in sorted(rows["total"]):
        vec = bad._complete_vector(year)
        if vec is not None:
            bad.bases[year] = vec
    macro_rows = {name: (by_year if name == "population_proj_mn" else spoil({name: by_year})[name])
                  for name, by_year in macro.rows.items()}
    return bad, replace(macro, rows=macro_rows)


@pytest.mark.parametrize("as_of", [2016, 2019, 2021, 2023])
def test_calibration_as_of_never_reads_a_later_year(as_of):
    bad_base, bad_macro = poisoned(as_of)
    assert bad_base.total(as_of + 1) != BASE.total(as_of + 1)
    good, bad = calibrate(BASE, MACRO, as_of=as_of), calibrate(bad_base, bad_macro, as_of=as_of)
    assert json.dumps(good.describe(), sort_keys=True) == json.dumps(bad.describe(), sort_keys=True)
    np.testing.assert_array_equal(good.vol.sigma, bad.vol.sigma)
    np.testing.assert_array_equal(good.vol.corr, bad.vol.corr)
    assert good.df == bad.df


@pytest.mark.parametrize("as_of", [2017, 2021])
def test_backtest_bands_as_of_never_read_a_later_year(as_of):
    bad_base, bad_macro = poisoned(as_of)
    good = bt.backtest_base(as_of, BASE, MACRO, n_paths=500, last_year=2030)
    bad = bt.backtest_base(as_of, bad_base, bad_macro, n_paths=500, last_year=2030)
    key = [(r.target, r.year) for r in good]
    assert key == [(r.target, r.year) for r in bad] and key
    for g, b in zip(good, bad, strict=True):
        assert (g.p10, g.p25, g.p50, g.p75, g.p90) == (b.p10, b.p25, b.p50, b.p75, b.p90), g.target


def test_a_later_year_does_change_a_later_estimate():
    assert calibrate(BASE, MACRO, as_of=2021).describe() != calibrate(BASE, MACRO, as_of=2022).describe()


# ----------------------------------------------------------------------------- the shipped calibration

def test_shipped_calibration_figures():
    cal = calibrate(BASE, MACRO)
    info, sh = cal.vol.calibration, cal.shocks
    assert info["total_growth_years"] == [2001, 2025] and info["total_growth_n"] == 25
    assert info["implied_total_sigma_after"] == pytest.approx(info["total_sigma"], abs=1e-4)
    assert 0.10 < info["total_sigma"] < 0.14
    assert 0.06 < sh.fx_sigma < 0.10 and sh.fx_corr < -0.3      # the won weakens when exports fall
    assert sh.lag == 1                                            # the KOSPI moves a year before exports
    assert sh.info["kospi_corr_by_lag"]["1"]["corr"] > 0.6 > sh.info["kospi_corr_by_lag"]["0"]["corr"]
    assert math.isinf(cal.df)                                     # the data do not call for fat tails
    json.dumps(cal.describe())
    assert baseline_volatility(BASE, MACRO).calibration == cal.vol.calibration == CAL.vol.calibration


def test_method_notes_in_both_languages():
    for lang in ("en", "ko"):
        notes = method_notes(CAL, lang=lang, backtest={"n": 24, "in80": 22, "in50": 13})
        assert len(notes) == 6 and all(notes)
        assert "12.1" in notes[0]
        assert f"{CAL.vol.calibration['chip_cycle']['rho']:.2f}" in notes[3]  # chips turn: their persistence


# ----------------------------------------------------------------------------- the won and the market in the simulation

@pytest.fixture(scope="module")
def sim_2025():
    return sim_of(proj_of(Scenario(base_year=2025, target_year=2030, horizon=2035)), n_paths=20_000, seed=7)


def test_the_kospi_swings_like_the_real_one(sim_2025):
    k = sim_2025.kospi
    first = np.log(k[:, 1] / k[:, 0])
    assert first.std() == pytest.approx(calibrate(BASE, MACRO).shocks.info["kospi_sigma_raw"], rel=0.05)
    assert np.median(k[:, 0]) == pytest.approx(4214.17)


def test_the_won_moves_gdp_in_dollars_and_gni():
    proj = proj_of(Scenario(base_year=2021, target_year=2025, horizon=2025))
    with_won = sim_of(proj, n_paths=20_000, seed=3)
    without = sim_of(proj, n_paths=20_000, seed=3, won_and_market=False)
    np.testing.assert_array_equal(with_won.totals, without.totals)  # the same export draws either way
    g1, g0 = np.log(with_won.gni[:, 1] / with_won.gni[:, 0]), np.log(without.gni[:, 1] / without.gni[:, 0])
    assert g1.std() > 2.5 * g0.std()
    # the won's shock has zero log mean: with exports on their path, the lever's GDP stays the median
    a = vision_links(proj, MACRO).va_share
    domestic = with_won.gdp[:, -1] - a * with_won.totals[:, -1]
    lever_gdp = project_vision(proj, MACRO).gdp_usd_bn[-1]
    assert np.median(domestic) + a * proj.total[-1] == pytest.approx(lever_gdp, rel=0.01)


def test_student_t_shocks_keep_the_mean_and_fatten_the_tails():
    vol = VOL
    fat = replace(vol, df=4.0)
    proj = proj_of(Scenario(base_year=2025, target_year=2027, horizon=2027))
    a = sim_of(proj, fat, n_paths=40_000, seed=5)
    b = sim_of(proj, vol, n_paths=40_000, seed=5)
    mean, se = a.totals.mean(axis=0), a.totals.std(axis=0) / math.sqrt(a.n_paths)
    assert np.all(np.abs(mean - proj.total) <= 4 * se + 1e-9)

    def kurt(x: np.ndarray) -> float:
        z = (x - x.mean()) / x.std()
        return float((z ** 4).mean() - 3)

    ga, gb = np.log(a.totals[:, 1] / a.totals[:, 0]), np.log(b.totals[:, 1] / b.totals[:, 0])
    assert kurt(ga) > 1.0 > abs(kurt(gb))
    assert ga.std() == pytest.approx(gb.std(), rel=0.05)  # unit variance either way


def test_log_mgf_of_the_shocks():
    a = np.array([0.0, 0.05, 0.2])
    np.testing.assert_allclose(unit_t_log_mgf(a, math.inf), a * a / 2)
    t5 = unit_t_log_mgf(a, 5.0)
    assert t5[0] == 0.0  # exactly: no shock, no drift
    np.testing.assert_allclose(t5[1:], a[1:] ** 2 / 2, rtol=0.05)  # a unit-variance shock: near the normal's


def test_zero_volatility_is_still_the_deterministic_path_with_the_won_and_the_market():
    s = Scenario(base_year=2022, target_year=2027, horizon=2040).with_macro(krw_change=2.0, rerating=30.0,
                                                                          earnings_elasticity=1.5)
    proj = proj_of(s)
    v = project_vision(proj, MACRO)
    for vol in (VOL, replace(VOL, df=5.0)):
        sim = sim_of(proj, vol, n_paths=50, vol_scale=0.0)
        for paths, path in ((sim.totals, proj.total), (sim.gdp, v.gdp_usd_bn), (sim.gni, v.gni_per_capita_usd),
                            (sim.kospi, v.kospi)):
            np.testing.assert_array_equal(paths, np.broadcast_to(path, paths.shape))


# ----------------------------------------------------------------------------- four quantiles, words for the impossible

def test_bands_have_four_quantiles_and_the_median(sim_2025):
    out = json.loads(json.dumps(sim_2025.to_dict()))
    for name in ("exports_total", "gni_per_capita_usd", "kospi", "gdp_usd_bn", "gdp_rank"):
        assert set(out["bands"][name]) == {"p10", "p25", "p50", "p75", "p90"}
        b = out["bands"][name]
        assert all(b["p10"][i] <= b["p25"][i] <= b["p50"][i] <= b["p75"][i] <= b["p90"][i]
                   for i in range(len(out["years"])))
    assert set(out["negligible"]) == set(out["probabilities"])
    assert out["top5_gdp_multiple"] > 2


def test_top5_multiple_and_its_words(sim_2025):
    proj = proj_of(Scenario(base_year=2025, target_year=2030, horizon=2035))
    v = project_vision(proj, MACRO)
    expected = v.fifth_largest_peer[-1] / v.gdp_usd_bn[0]
    assert top5_gdp_multiple(v) == pytest.approx(expected)
    assert top5_gdp_multiple(vision_links(proj, MACRO)) == pytest.approx(expected)
    assert sim_2025.top5_gdp_multiple == pytest.approx(expected)
    assert top5_gdp_multiple(v, 2026) == pytest.approx(v.fifth_largest_peer[1] / v.gdp_usd_bn[0])
    assert 2.0 < top5_gdp_multiple(v, 2026) < 2.6  # "needs 2.3x today's GDP"
    assert f"{expected:.1f}x" in top5_text(sim_2025) and "2035" in top5_text(sim_2025)
    assert f"{expected:.1f}" in top5_text(sim_2025, "ko")
    assert sim_2025.negligible()["top5_economy"]


@pytest.mark.parametrize(("p", "n", "negligible", "text"), [
    (0.0, 10_000, True, "< 1 %"), (0.0009, 10_000, True, "< 1 %"), (0.0099, 10_000, True, "< 1 %"),
    (0.01, 10_000, False, "1 %"), (0.006, 500, True, "< 1 %"), (0.012, 300, True, "< 1 %"),
    (0.37, 2_000, False, "37 %"), (0.995, 10_000, False, "> 99 %"), (1.0, 2_000, False, "> 99 %"),
])
def test_chances_below_one_percent_are_words(p, n, negligible, text):
    assert is_negligible(p, n) is negligible
    assert probability_text(p, n) == text
    assert is_near_certain(p, n) is (text == "> 99 %")
    assert probability_text(p, n, "ko") == {"< 1 %": catalog("ko")["ranges.below_one"],
                                            "> 99 %": catalog("ko")["ranges.above_99"]}.get(
        text, fmt_pct(100 * p, "ko", 0))


# ----------------------------------------------------------------------------- the done-when figures

@pytest.fixture(scope="module")
def result():
    return bt.run(DATA, n_paths=4_000)


def test_backtest_of_the_total_covers_as_promised(result):
    c = result["checks"]["total_2016_2021"]
    assert c["n"] == 24
    assert c["share80"] >= 0.70
    assert c["share50"] >= 0.35


def test_backtest_of_gni_per_capita_from_2021(result):
    c = result["checks"]["gni_from_2021"]
    assert c["n"] == 4 and c["in80"] >= 3


def test_backtest_rows_and_kita(result):
    rows = result["rows"]
    assert {r["target"] for r in rows} >= {"exports_total", "gni_per_capita_usd", "gdp_usd_bn", "kospi",
                                            "semiconductors", "rest"}
    assert all(r["year"] <= 2025 and 1 <= r["ahead"] <= 4 for r in rows)
    # the total, chips and GNI per capita's World Bank line from every base year their data allow; the rest
    # from 2016
    wide = ("exports_total", "semiconductors", "gni_per_capita_usd_wdi", "gdp_usd_bn_wdi", "kospi_kis")
    assert all(2016 <= r["base"] <= 2024 for r in rows if r["target"] not in wide)
    # two GNI lines, never one target: the engine on the Bank of Korea's figures, a trend rule on the World Bank's
    assert {r["model"] for r in rows if r["target"] == "gni_per_capita_usd"} == {"engine"}
    assert {r["model"] for r in rows if r["target"] == "gni_per_capita_usd_wdi"} == {"trend"}
    for target in ("gni_per_capita_usd_wdi", "gdp_usd_bn_wdi", "kospi_kis"):
        assert min(r["base"] for r in rows if r["target"] == target) == 1995
    assert min(r["base"] for r in rows if r["target"] == "exports_total") == 1995
    assert min(r["base"] for r in rows if r["target"] == "semiconductors") == 1999
    assert {r["model"] for r in rows if r["target"] == "exports_total"} == {"yearahead"}
    assert {r["model"] for r in rows if r["target"] == "semiconductors"} == {"cycle"}
    k = result["kita"]
    assert [r["year"] for r in k["years"]] == list(range(2016, 2027))
    assert k["kita"]["n"] == k["model"]["n"] == 10
    assert k["kita"]["mae_pct"] == pytest.approx(7.4, abs=0.1)  # the track record's own figure
    json.dumps(result)


def test_downside_from_2021_no_longer_makes_usd_50000_a_sure_thing():
    growth = resolve_growth(load_presets()["downside"], BASE)
    s = Scenario(base_year=2021, target_year=2030, horizon=2030, growth=growth, preset="downside")
    p = sim_of(proj_of(s), n_paths=10_000, seed=1).probabilities()
    assert p["gni_per_capita_50k"] < 0.85


# ----------------------------------------------------------------------------- the command line

def test_backtest_cli(capsys):
    from scenarios.cli.main import main

    assert main(["backtest", "--as-of", "2021", "--paths", "500", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["bases"] == [2021] and {r["base"] for r in out["rows"]} == {2021}
    assert bt_cli.main(["--as-of", "2019", "--paths", "300"]) == 0
    assert "exports_total" in capsys.readouterr().out
    assert bt_cli.main(["--as-of", "2019", "--paths", "300", "--lang", "ko"]) == 0
    assert "백테스트" in capsys.readouterr().out
    for bad in (["--as-of", "2030"], ["--paths", "abc"], ["--as-of", "x"]):
        assert bt_cli.main(bad) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("error:") and "\n" not in err


def test_forecasts_file_is_valid_data():
    fc = load_forecasts(DATA_DIR)
    assert fc["kita_exports_forecast"][2021] == 538.2 and fc["kita_exports_forecast_growth_pct"][2023] == -4.0
    assert sorted(fc["kita_exports_forecast"]) == list(range(2016, 2027))


def test_volatility_built_by_hand_still_simulates():
    v = VOL
    plain = Volatility(v.ids, v.sigma, v.corr, v.n_obs, v.window, v.k, v.sigma_raw, v.pooled_sigma, v.corr_raw,
                       v.n_pairs, v.years)  # no loadings: the Cholesky path
    proj = proj_of(Scenario(base_year=2025, horizon=2030))
    a, b = sim_of(proj, plain, n_paths=4000, seed=2), sim_of(proj, v, n_paths=4000, seed=2)
    assert np.log(a.totals[:, 1] / a.totals[:, 0]).std() == pytest.approx(
        np.log(b.totals[:, 1] / b.totals[:, 0]).std(), rel=0.06)
