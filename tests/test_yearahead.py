"""The year-ahead median, the chip cycle and the wide backtest (issue #26): formulas, out-of-sample, thresholds."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios.model import backtest as bt
from scenarios.model.calibration import chip_history, cycle_of
from scenarios.model.present import baseline_of
from scenarios.model.projection import Scenario
from scenarios.model.yearahead import (
    MIN_LEAD_PAIRS,
    RHO_MAX,
    chip_cycle,
    log_quantiles,
    momentum,
    record_sigma,
    total_median,
)
from tests.shipped import BASE, DATA, VOL, proj_of, sim_of

CHIPS = chip_history(baseline_of(DATA))


@pytest.fixture(scope="module")
def result():
    return bt.run(DATA, n_paths=2_000)


# ----------------------------------------------------------------------------- the chip cycle


def test_chip_history_reaches_back_to_1995_without_nowcasts():
    assert min(CHIPS) == 1995 and max(CHIPS) == 2025
    assert CHIPS[2001] == pytest.approx(14.3) and CHIPS[2000] == pytest.approx(26.0)  # the -45 % of 2001


def test_chip_cycle_formula_on_a_known_series():
    # an exact log-linear trend with a deviation that halves each year
    years = range(2000, 2012)
    values = {y: 10.0 * math.exp(0.05 * (y - 2000) + 0.4 * 0.5 ** (y - 2000)) for y in years}
    c = chip_cycle(values, 2011, k=0.0)
    assert c.rho_raw == pytest.approx(0.5, abs=0.1)
    for h in (1, 2, 3):  # the median is the trend plus what is left of today's gap
        assert c.median_log_change(h) == pytest.approx(h * c.slope + (c.rho ** h - 1) * c.gap)
    assert c.persistence_variance(1) == 1.0
    assert c.persistence_variance(3) == pytest.approx(1 + c.rho ** 2 + c.rho ** 4)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.5, 500.0), min_size=4, max_size=20))
def test_chip_cycle_rho_is_shrunk_and_bounded(values):
    series = {2000 + i: v for i, v in enumerate(values)}
    c = chip_cycle(series, max(series))
    assert 0.0 <= c.rho <= RHO_MAX
    assert c.pairs == len(values) - 1


def test_chip_cycle_uses_nothing_after_as_of():
    changed = {**CHIPS, 2019: CHIPS[2019] * 3, 2025: 1.0}
    assert chip_cycle(changed, 2018) == chip_cycle(CHIPS, 2018)


def test_a_boom_above_trend_is_expected_to_fall_back():
    c = chip_cycle(CHIPS, 2018)  # 2018: the peak before the 2019 fall
    assert c.gap > 0.2 and c.median_log_change(1) < 0


def test_the_engine_draws_chips_as_a_reverting_cycle():
    cycle = cycle_of(BASE)
    assert cycle is not None and cycle.as_of == 2025
    i = VOL.ids.index("semiconductors")
    assert VOL.persistence is not None and VOL.persistence[i] == pytest.approx(cycle.rho)
    assert all(p == 1.0 for j, p in enumerate(VOL.persistence) if j != i)
    # with the cycle, chips' spread stops growing with the horizon; a random walk's keeps growing
    proj = proj_of(Scenario(base_year=2025, target_year=2030, horizon=2035))
    walk = replace(VOL, persistence=None)
    for vol, grows in ((VOL, False), (walk, True)):
        b = sim_of(proj, vol=vol, n_paths=4_000, seed=3).bands((0.1, 0.9))["semiconductors"]
        ratio = b[0.9] / b[0.1]
        assert bool(ratio[10] > 1.25 * ratio[3]) is grows


def test_a_reverting_cycle_keeps_the_mean_on_the_path():
    proj = proj_of(Scenario(base_year=2025, target_year=2030, horizon=2035))
    sim = sim_of(proj, n_paths=40_000, seed=5)
    k = sim.series_ids.index("semiconductors")
    mean = sim.series_paths[k].mean(axis=1)
    np.testing.assert_allclose(mean, proj.values[proj.series_ids.index("semiconductors")], rtol=0.02)


def test_spread_shares_add_up_to_one():
    for base, largest in ((2025, "rest"), (2026, "semiconductors")):  # chips are half of 2026's exports
        sim = sim_of(proj_of(Scenario(base_year=base, target_year=2030)), n_paths=3_000, seed=2)
        shares = sim.spread_shares(2030)
        assert sum(shares.values()) == pytest.approx(1.0, abs=1e-9)
        assert max(shares, key=shares.get) == largest


# ----------------------------------------------------------------------------- the total's year-ahead rule


def test_momentum_is_the_last_three_months_yoy():
    months = {f"2020-{m:02d}": 10.0 for m in range(1, 13)} | {f"2021-{m:02d}": 11.0 for m in range(1, 13)}
    assert momentum(months, 2021) == pytest.approx(math.log(1.1))
    assert momentum(months, 2022) is None


def test_total_median_rules_and_out_of_sample():
    totals = DATA.exports.actual_totals()
    kospi = DATA.macro.series("kospi_close_end")
    months = {r.period: r.value for r in DATA.monthly.full_months("total").values()}
    m = total_median(totals, kospi, months, 2020)
    assert m.rule in ("kospi_momentum", "momentum_trend", "trend")
    if m.rule == "kospi_momentum":
        assert m.pairs >= MIN_LEAD_PAIRS and len(m.coefficients) == 3
    later = {**totals, 2021: totals[2021] * 5, 2024: 1.0}
    assert total_median(later, {**kospi, 2022: 1.0}, months, 2020) == m


def test_customs_totals_sum_twelve_months_of_the_customs_line_only():
    rows = list(DATA.monthly.full_months("total").values())
    totals = bt.customs_totals(rows)
    assert min(totals) == 1990 and max(totals) == 2025  # 2026 is in progress
    assert totals[1997] == pytest.approx(sum(r.value for r in rows if r.period.startswith("1997-")), abs=1e-6)
    ministry = DATA.exports.actual_totals()
    assert all(abs(totals[y] / ministry[y] - 1) < 0.0026 for y in ministry if y in totals)
    # a month from another release, or a missing month, leaves its year out
    other = [replace(r, source="KCS provisional") if r.period == "2010-05" else r for r in rows]
    assert 2010 not in bt.customs_totals(other) and 2011 in bt.customs_totals(other)
    assert 2012 not in bt.customs_totals([r for r in rows if r.period != "2012-12"])


def test_yearahead_kospi_is_one_line_that_agrees_with_krx():
    kis, krx = DATA.macro.series(bt.YEARAHEAD_KOSPI), DATA.macro.series("kospi_close_end")
    assert min(kis) == 1989 and max(kis) == 2025 and set(range(1989, 2026)) <= set(kis)
    assert len({DATA.macro.rows[bt.YEARAHEAD_KOSPI][y].source for y in kis}) == 1
    assert all(abs(kis[y] - krx[y]) <= 0.1 for y in krx if y in kis)


def test_the_kospi_lead_enters_the_rule_from_the_1990s():
    totals = bt.customs_totals(DATA.monthly.full_months("total").values())
    kospi = DATA.macro.series(bt.YEARAHEAD_KOSPI)
    months = {r.period: r.value for r in DATA.monthly.full_months("total").values()}
    rules = {b: total_median(totals, kospi, months, b).rule for b in range(1995, 2025)}
    first = min(b for b, r in rules.items() if r == "kospi_momentum")
    assert first <= 2000 and all(rules[b] == "kospi_momentum" for b in range(first, 2025))


def test_total_bands_at_every_horizon_use_only_outcomes_known_at_the_base():
    totals = bt.customs_totals(DATA.monthly.full_months("total").values())
    kospi = DATA.macro.series(bt.YEARAHEAD_KOSPI)
    months = {r.period: r.value for r in DATA.monthly.full_months("total").values()}
    before = [r for r in bt.total_rows(totals, kospi, months) if r.base == 2010]
    later = {**totals, **{y: totals[y] * (3.0 if y % 2 else 0.3) for y in range(2011, 2026)}}
    after = [r for r in bt.total_rows(later, kospi, months) if r.base == 2010]
    assert len(before) == 4
    assert [(r.p10, r.p50, r.p90) for r in before] == [(r.p10, r.p50, r.p90) for r in after]


def test_record_sigma_needs_five_errors():
    assert record_sigma([0.1] * 4, 0.2) == 0.2
    assert record_sigma([0.1, -0.1, 0.1, -0.1, 0.1], 0.2) == pytest.approx(0.1)


def test_log_quantiles_are_ordered_and_centred():
    q = log_quantiles(100.0, 0.05, 0.1, (0.1, 0.25, 0.5, 0.75, 0.9))
    assert q == sorted(q) and q[2] == pytest.approx(100 * math.exp(0.05))


# ----------------------------------------------------------------------------- the wide backtest


def test_backtest_rows_have_the_promised_fields(result):
    row = result["rows"][0]
    assert {"target", "base", "ahead", "year", "p10", "p25", "p50", "p75", "p90", "actual"} <= set(row)
    for r in result["rows"]:
        assert r["p10"] <= r["p25"] <= r["p50"] <= r["p75"] <= r["p90"]


def test_wide_backtest_reaches_back(result):
    c = result["checks"]
    assert c["total_1y"]["n"] >= 20
    assert c["chips_1y"]["n"] >= 15
    assert result["wide_bases"][0] <= 2001


def test_chips_thresholds_met(result):
    """Set before the outcomes were looked at (issue #26): chips one year ahead, and after both peaks."""
    c = result["checks"]
    assert c["chips_1y"]["share80"] >= bt.THRESHOLDS["chips_1y"]["in80_min"]
    assert [p["base"] for p in c["chips_after_peaks"]] == list(bt.PEAKS)
    assert all(p["in80"] for p in c["chips_after_peaks"])
    assert c["passed"]["chips_1y"] and c["passed"]["chips_after_peaks"]


def test_total_one_year_ahead_inside_p10_p90_as_promised(result):
    c = result["checks"]["total_1y"]
    lo, hi = bt.THRESHOLDS["total_1y"]["in80"]
    assert lo <= c["share80"] <= hi


def test_passed_flags_follow_the_numbers(result):
    """Each flag says what its numbers say (a miss is reported as a miss, not hidden)."""
    c, th = result["checks"], bt.THRESHOLDS
    t1 = c["total_1y"]
    expect_total = (t1["n"] >= th["total_1y"]["min_n"]
                    and th["total_1y"]["in80"][0] <= t1["share80"] <= th["total_1y"]["in80"][1]
                    and th["total_1y"]["in50"][0] <= t1["share50"] <= th["total_1y"]["in50"][1])
    assert c["passed"]["total_1y"] is expect_total
    assert c["passed"]["median_mae"] is (c["accuracy"]["model"]["mae_pct"] <= th["median_mae_max_pct"])
    assert c["passed"]["gni_bias"] is (abs(c["gni_bias_pct"]) <= th["gni_bias_max_pct"])


def test_accuracy_sets_the_model_beside_kita_and_no_change(result):
    acc = result["checks"]["accuracy"]
    assert acc["years"] == [2016, 2025]
    assert acc["model"]["n"] == acc["kita"]["n"] == acc["no_change"]["n"] == 10
    assert acc["kita"]["mae_pct"] == pytest.approx(7.4, abs=0.1)
    assert acc["no_change"]["mae_pct"] == pytest.approx(9.4, abs=0.1)
    # the median beats "no change" once the customs months give it momentum
    assert acc["model"]["mae_pct"] < acc["no_change"]["mae_pct"]


def test_gni_median_bias_is_smaller_with_the_won_at_its_latest_level(result):
    engine = result["checks"]["gni_bias"][bt.GNI]
    assert engine["n"] == 10 and engine["bias_pct"] < 7.0  # 7.5 % with the won held at its average (issue #26)


# ----------------------------------------------------------------------------- GNI per capita from 1995

WDI_KRW, WDI_FX = DATA.macro.series(bt.WIDE_GNI_KRW), DATA.macro.series(bt.WIDE_GNI_FX)


def test_wide_gni_line_is_one_source_from_1985_to_2023():
    for series in (bt.WIDE_GNI_KRW, bt.WIDE_GNI_FX):
        values = DATA.macro.series(series)
        assert set(values) == set(range(1985, 2024))
        assert len({DATA.macro.rows[series][y].source for y in values}) == 1
        assert len({DATA.macro.rows[series][y].source_url for y in values}) == 1


def test_wide_gni_line_in_dollars_is_the_world_banks_own():
    """Won over won per dollar gives, within 0.01 %, the file's GNI in US$ over its population (2023:
    1,744,702,631,805.69 / 51,712,619, NY.GNP.MKTP.CD / SP.POP.TOTL in the same file; 1995: 564,501,325,276.008 /
    45,092,991): a check of the transcription against two series it does not copy."""
    usd = bt.usd_line(WDI_KRW, WDI_FX, 1e6)
    assert usd[2023] == pytest.approx(1_744_702_631_805.69 / 51_712_619, rel=1e-4)
    assert usd[1995] == pytest.approx(564_501_325_276.008 / 45_092_991, rel=1e-4)


def test_gni_rows_formula_and_bases():
    rows = bt.gni_rows(WDI_KRW, WDI_FX)
    usd = bt.usd_line(WDI_KRW, WDI_FX, 1e6)
    assert min(r.base for r in rows) == bt.FIRST_WIDE_BASE and max(r.year for r in rows) == 2023
    r = next(r for r in rows if r.base == 2010 and r.ahead == 3)
    trend = (WDI_KRW[2010] / WDI_KRW[2000]) ** 0.1  # ten years of income in won; the won held at 2010's
    assert r.p50 == pytest.approx(usd[2010] * trend ** 3, rel=1e-9)
    assert r.actual == pytest.approx(usd[2013])
    assert {x.model for x in rows} == {"trend"} and {x.target for x in rows} == {bt.GNI_WIDE}


def test_gni_bands_use_only_data_known_at_the_base():
    before = [r for r in bt.gni_rows(WDI_KRW, WDI_FX) if r.base == 2005]
    later_krw = {**WDI_KRW, **{y: v * (2.0 if y % 2 else 0.5) for y, v in WDI_KRW.items() if y > 2005}}
    later_fx = {**WDI_FX, **{y: v * (0.6 if y % 2 else 1.7) for y, v in WDI_FX.items() if y > 2005}}
    after = [r for r in bt.gni_rows(later_krw, later_fx) if r.base == 2005]
    assert len(before) == 4
    assert [(r.p10, r.p50, r.p90) for r in before] == [(r.p10, r.p50, r.p90) for r in after]


def test_wide_gdp_line_in_dollars_is_the_world_banks_own():
    """Trillion won over won per dollar gives, within 0.01 %, the file's GDP in current US$ (NY.GDP.MKTP.CD:
    2023 1,712,792,854,202.37; 1995 566,581,003,128.204), a series it does not copy."""
    usd = bt.usd_line(DATA.macro.series(bt.WIDE_GDP_KRW), WDI_FX, 1e3)
    assert set(DATA.macro.series(bt.WIDE_GDP_KRW)) == set(range(1985, 2024))
    assert usd[2023] == pytest.approx(1_712.79285420237, rel=1e-4)
    assert usd[1995] == pytest.approx(566.581003128204, rel=1e-4)


def test_gdp_rows_are_the_same_trend_rule_on_gdp():
    krw = DATA.macro.series(bt.WIDE_GDP_KRW)
    rows = bt.gdp_rows(krw, WDI_FX)
    r = next(r for r in rows if r.base == 2000 and r.ahead == 2)
    assert r.target == bt.GDP_WIDE and r.model == "trend"
    assert r.p50 == pytest.approx(krw[2000] * 1e3 / WDI_FX[2000] * ((krw[2000] / krw[1990]) ** 0.1) ** 2)
    assert r.actual == pytest.approx(krw[2002] * 1e3 / WDI_FX[2002])


def test_kospi_rows_follow_the_totals_median_path_and_use_only_the_past():
    totals = bt.customs_totals(DATA.monthly.full_months("total").values())
    kospi = DATA.macro.series(bt.YEARAHEAD_KOSPI)
    months = {r.period: r.value for r in DATA.monthly.full_months("total").values()}
    changes = bt.total_changes(totals, kospi, months)
    rows = bt.kospi_rows(kospi, changes)
    r = next(r for r in rows if r.base == 2010 and r.ahead == 2)
    assert r.target == bt.KOSPI_WIDE and r.model == "exports_link"
    assert r.p50 == pytest.approx(kospi[2010] * math.exp(changes[2010][1]))  # elasticity 1, no re-rating
    assert r.actual == kospi[2012]
    # everything after 2010 changed (the KOSPI, the totals, the months), the medians made again from it
    later = {**kospi, **{y: v * (4.0 if y % 2 else 0.25) for y, v in kospi.items() if y > 2010}}
    later_totals = {**totals, **{y: v * (3.0 if y % 2 else 0.3) for y, v in totals.items() if y > 2010}}
    later_months = {k: v * (2.0 if int(k[:4]) > 2010 else 1.0) for k, v in months.items()}
    after = [x for x in bt.kospi_rows(later, bt.total_changes(later_totals, later, later_months)) if x.base == 2010]
    assert [(x.p10, x.p50, x.p90) for x in rows if x.base == 2010] == [(x.p10, x.p50, x.p90) for x in after]


def test_coverage_table_gives_each_targets_base_years(result):
    import re

    from scenarios.words.describe import coverage_table

    col = coverage_table(result, "en").set_index("Target")["Base years"]
    assert col["Total exports"] == "1995-2024"
    assert col["GNI per capita (USD), the app's engine"] == "2021-2024"
    assert col["GNI per capita (USD), World Bank line, trend rule"] == "1995-2022"
    assert all(re.fullmatch(r"\d{4}(-\d{4})?", v) for v in col)
    assert not any(re.fullmatch(r"(\d{4})-\1", v) for v in col)  # one base year is written once


def test_as_of_a_year_without_the_engine_the_gni_sentence_says_so():
    from scenarios.words.backtest_text import acceptance_lines

    result = bt.run(DATA, bases=(2018,), n_paths=200, wide=False)
    assert result["checks"]["gni_bias"][bt.GNI]["n"] == 0
    text = " ".join(acceptance_lines(result))
    assert "no outcome yet from these base years" in text and "---" not in text


def test_gni_bias_splits_into_the_won_and_the_rest():
    """Income in won exactly on its assumed path, the won 10 % weaker than the rate held: all the error is the won's.

    The engine holds the base year's close and its outcome is converted at the year's average."""
    row = bt.BandRow(bt.GNI, 2000, 1, 2001, 90.0, 95.0, 100.0, 105.0, 110.0, 100.0 / 1.1, "engine")
    bias = bt.gni_bias([row], {bt.GNI: ({2000: 1000.0}, {2001: 1100.0})})
    part = bias[bt.GNI]
    assert part["bias_pct"] == pytest.approx(10.0)
    assert part["won_log_pts"] == pytest.approx(100 * math.log(1.1))
    assert part["rest_log_pts"] == pytest.approx(0.0, abs=1e-9)
    assert bias[bt.GNI_WIDE] == {"n": 0, "bias_pct": None}


def test_gni_check_is_on_the_engine_and_the_world_bank_line_is_beside_it(result):
    c = result["checks"]
    bias = c["gni_bias"]
    for target in (bt.GNI, bt.GNI_WIDE):
        met = [r for r in result["rows"] if r["target"] == target and r["actual"]]
        assert bias[target]["n"] == len(met) > 0
        assert bias[target]["bias_pct"] == pytest.approx(np.mean([(r["p50"] / r["actual"] - 1) * 100 for r in met]))
        assert bias[target]["won_log_pts"] + bias[target]["rest_log_pts"] == pytest.approx(bias[target]["log_pts"])
    assert c["gni_bias_pct"] == bias[bt.GNI]["bias_pct"]
    # the engine's won part is measured from the close it holds, not the year's average
    close, avg = DATA.macro.series(bt.FX_END), DATA.macro.series("krw_per_usd_avg")
    met = [r for r in result["rows"] if r["target"] == bt.GNI and r["actual"]]
    expect = np.mean([100 * math.log(avg[r["year"]] / close[r["base"]]) for r in met])
    assert bias[bt.GNI]["won_log_pts"] == pytest.approx(expect)


# ----------------------------------------------------------------------------- on the page


def test_methodology_page_shows_the_checks_and_the_chip_cycle_today():
    from streamlit.testing.v1 import AppTest

    def page():
        from ui.common import init_state
        from ui.methodology import render

        init_state()
        render()

    at = AppTest.from_function(page, default_timeout=120).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Semiconductors one year ahead" in text and "After the chip export peaks" in text
    assert "The chip cycle today: semiconductor exports in 2026" in text
    assert "of the spread of exports in 2030" in text
    assert "GNI per capita, the app's engine" in text and "holding the won at the base year's close" in text
    assert "as evidence and not checked: GNI per capita on one World Bank line" in text


def test_tornado_caption_gives_the_chip_turn_and_chips_share_of_the_spread():
    from scenarios.model.outcome import compute_outcome
    from scenarios.registry.presets import load_presets, resolve_growth
    from scenarios.words.describe import tornado_caption, tornado_table

    preset = load_presets()["central"]
    base = baseline_of(DATA)
    s = Scenario(base_year=2026, target_year=2030, growth=resolve_growth(preset, base), preset="central")
    s = s.with_macro(**{k: float(v) for k, v in preset.levers.items()})
    o = compute_outcome(s, DATA)
    for lang, turn, spread in (("en", "Chip cycle:", "of the spread of 2030 exports"),
                               ("ko", "반도체 경기:", "2030년 수출이 흩어지는 폭의")):
        text = tornado_caption(o, lang)
        assert turn in text and spread in text
    table = tornado_table(o, "en")
    assert "chip_price" in set(table.lever_id)
    chance = table[table.kind == "chance"]
    assert chance.panel.iloc[0] == "Chance exports are at or above USD 1 trn in 2030, %"


def test_the_chart_band_of_the_year_in_progress_is_the_nowcast_range():
    """The year in progress: the simulated band's p10-p90 equals the nowcast's range (stratified draws)."""
    from scenarios.model.outcome import compute_outcome

    o = compute_outcome(Scenario(base_year=2026, target_year=2030), DATA)
    cast = o.present.total
    band = o.bands["exports_total"]
    assert band[0.1][0] == pytest.approx(cast.p10, abs=0.5)
    assert band[0.9][0] == pytest.approx(cast.p90, abs=0.5)
