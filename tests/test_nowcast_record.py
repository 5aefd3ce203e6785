"""The nowcast's own record (issue 26): every past year nowcast at every month, out of sample, and its use."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from scenarios.data.monthly import Monthly, MonthlyRow
from scenarios.model.nowcast import nowcast
from scenarios.model.nowcast_record import (
    CUTS,
    MIN_YEARS,
    fallback_record,
    nowcast_record,
    overall,
    record_range,
    rule_estimate,
    summary_by_cut,
    with_record,
)
from scenarios.model.present import chance_at_least, nowcast_distribution, record_of
from scenarios.registry.i18n import t
from scenarios.words.frames import RECORD_COLUMNS, record_frame
from scenarios.words.record_text import record_sentence
from tests.apptest_util import chart_data, charts, open_app
from tests.shipped import DATA, MONTHLY, PRESENT

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def rows():
    return nowcast_record(MONTHLY)


def _values(monthly: Monthly) -> dict[int, float]:
    return {i: r.value for i, r in monthly.full_months("total").items()}


def test_the_record_has_every_year_and_cut_with_an_outcome(rows):
    done = [r for r in rows if r.actual is not None]
    assert len(done) >= 40
    assert {r.year for r in done} == set(range(1991, 2026))
    assert {r.cut for r in done} == set(CUTS)
    assert len(done) == 35 * 11 - 2  # 1991 at the end of January and February: no November 1989 to compare
    for r in done:
        assert r.p10 <= r.p50 <= r.p90
        actual = sum(v for i, v in _values(MONTHLY).items() if i // 12 == r.year)
        assert r.actual == pytest.approx(actual)
        assert r.error_pct == pytest.approx((r.actual / r.p50 - 1) * 100)
        assert r.in80 == (r.p10 <= r.actual <= r.p90)
        assert r.basis == ("record" if r.n_before >= MIN_YEARS else "rule")
    assert [(r.year, r.cut) for r in rows if r.actual is None] == [(2026, c) for c in range(1, 10)]


def test_the_central_value_is_the_nowcast_itself_on_the_data_of_the_time(rows):
    for r in rows:
        if (r.year, r.cut) in {(1991, 3), (1998, 6), (2009, 2), (2020, 9), (2025, 11), (2026, 9)}:
            cast = nowcast(MONTHLY.until(r.year * 12 + r.cut - 1), r.year)
            assert cast.rule == "yoy_last3" and cast.p50 == pytest.approx(r.p50, rel=1e-9)
            if r.basis == "rule":
                assert (cast.p10, cast.p90) == pytest.approx((r.p10, r.p90))


def test_until_drops_every_later_row():
    cut = MONTHLY.until("2010-05")
    assert cut.latest_month() == "2010-05"
    assert all(r.index <= 2010 * 12 + 4 for r in cut.rows)
    assert MONTHLY.until(2010 * 12 + 4).rows == cut.rows


def test_rules_differ_only_in_their_window():
    v = _values(MONTHLY)
    ytd = rule_estimate(v, 2026, 9, "ytd_yoy")
    last3 = rule_estimate(v, 2026, 9, "yoy_last3")
    last6 = rule_estimate(v, 2026, 9, "yoy_last6")
    assert ytd < last6 < last3  # 2026 accelerated: the later the window, the higher the pace
    assert rule_estimate(v, 1990, 3, "ytd_yoy") is None  # no 1989


def _perturbed(monthly: Monthly, after_year: int, factor: float) -> Monthly:
    return Monthly(tuple(replace(r, value=r.value * factor) if r.series == "total" and r.index // 12 > after_year
                         else r for r in monthly.rows))


def test_a_years_range_does_not_change_when_later_years_change(rows):
    changed = nowcast_record(_perturbed(MONTHLY, 2010, 1.37))
    before = {(r.year, r.cut): (r.p10, r.p50, r.p90) for r in rows if r.year <= 2010}
    after = {(r.year, r.cut): (r.p10, r.p50, r.p90) for r in changed if r.year <= 2010}
    assert before == after
    assert any(a.p90 != b.p90 for a, b in zip(rows, changed, strict=True) if a.year > 2011)


def test_coverage_and_errors_meet_the_issues_thresholds(rows):
    whole = overall(rows)
    assert whole["n"] >= 40
    assert 0.70 <= whole["inside_p10_p90"] <= 0.95
    assert 0.70 <= whole["inside_record"] <= 0.95
    may = next(s for s in summary_by_cut(rows) if s["cut"] == 5)
    assert may["median_abs_error_pct"] <= 5.0
    errors = [s["median_abs_error_pct"] for s in summary_by_cut(rows)]
    assert errors[-1] < errors[0]  # the more months known, the smaller the miss


def test_record_range_holds_every_rule_and_reads_back_as_the_nowcasts_shape():
    errors = [-0.05, -0.02, 0.0, 0.01, 0.03, 0.04, 0.02, -0.01, 0.06]
    p10, p90 = record_range(1000.0, [980.0, 1010.0], 700.0, errors)
    assert p10 < 980.0 * math.exp(-0.02) and p90 > 1010.0 * math.exp(0.04)
    cast = replace(PRESENT.total, p10=p10, p50=1000.0, p90=p90)
    floor, uncertain, sigma = nowcast_distribution(cast)
    assert floor == pytest.approx(700.0) and uncertain == pytest.approx(300.0) and sigma > 0
    assert record_range(700.0, [], 700.0, errors) == (700.0, 700.0)  # nothing uncertain left


def test_the_2026_nowcast_takes_its_range_from_the_record(rows):
    cast = PRESENT.total
    row = next(r for r in rows if r.year == 2026 and r.cut == 9)
    assert cast.range_basis == "record" and row.basis == "record" and row.n_before == 35
    assert (cast.p10, cast.p50, cast.p90) == pytest.approx((row.p10, row.p50, row.p90))
    assert cast.known_sum < cast.p10 < cast.p50 < cast.p90
    assert 0.99 < chance_at_least(cast, 1000.0) < 1.0
    assert record_of(DATA) == tuple(rows)
    own = nowcast(MONTHLY, 2026, pace_pct=50.0)
    assert with_record(own, MONTHLY, rows) is own  # the user's pace keeps its own range


def _synthetic(months: dict[str, float]) -> Monthly:
    return Monthly(tuple(MonthlyRow(p, "total", v, "usd_bn", "month", "official", "test", "https://example.org", "", n)
                         for n, (p, v) in enumerate(months.items(), start=2)))


def test_a_year_without_the_previous_years_months_uses_seasonal_shares():
    shares = [0.07, 0.075, 0.085, 0.08, 0.085, 0.085, 0.08, 0.08, 0.085, 0.09, 0.085, 0.1]
    months = {f"2022-{m + 1:02d}": 600 * s for m, s in enumerate(shares)}  # 2023 missing, 2021 too
    months.update({f"2024-{m + 1:02d}": 660 * shares[m] for m in range(5)})
    cast = nowcast(_synthetic(months), 2024, annual={2023: 630.0})
    assert cast.rule == "seasonal_share"
    assert cast.p50 == pytest.approx(660.0)
    assert cast.pace_pct == pytest.approx((660 / 600) ** 0.5 * 100 - 100)
    assert sum(v for _, v in cast.projected) == pytest.approx(660 * sum(shares[5:]))
    assert cast.p10 < cast.p50 < cast.p90


def test_the_fallback_misses_less_than_the_annual_growth_rule_it_replaced():
    fb = fallback_record(MONTHLY)
    assert {f["year"] for f in fb} == set(range(2001, 2026))
    for cut in CUTS:
        at = [f for f in fb if f["cut"] == cut]
        med = sorted(abs(f["seasonal_error_pct"]) for f in at)[len(at) // 2]
        old = sorted(abs(f["annual_growth_error_pct"]) for f in at)[len(at) // 2]
        assert med < old, cut


def test_record_frame_and_sentence(rows):
    year_rows = [r for r in rows if r.year == 2026]
    frame = record_frame([(r.cut, r.p10, r.p50, r.p90) for r in year_rows], t("nowcast_record.chart_months").split(","))
    assert tuple(frame.columns) == RECORD_COLUMNS and list(frame.cut) == list(range(1, 10))
    assert list(frame.month[:2]) == ["Jan", "Feb"] and (frame.p10 <= frame.p50).all() and (frame.p50 <= frame.p90).all()
    en = record_sentence(rows, 2026, 9, "en")
    assert en.startswith("At the end of September, nowcasts of 1991–2025 missed") and "±" in en
    ko = record_sentence(rows, 2026, 9, "ko")
    assert ko.startswith("9월 말 시점의 나우캐스트는 1991년부터 2025년까지") and "~" not in ko
    assert "8" in record_sentence(rows, 1995, 9, "en")  # too few earlier years: says so


def test_cli_json_shape():
    out = subprocess.run([sys.executable, "-m", "scenarios", "backtest", "--nowcast", "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert len(data["rows"]) >= 40
    assert set(data["rows"][0]) >= {"year", "cut", "p10", "p50", "p90", "actual", "rule", "error_pct", "in80"}
    assert [s["cut"] for s in data["summary"]] == list(CUTS)
    assert {"n", "median_abs_error_pct", "inside_p10_p90"} <= set(data["summary"][0])
    assert [r["cut"] for r in data["in_progress"]] == list(range(1, 10))
    assert 0.70 <= data["overall"]["inside_p10_p90"] <= 0.95


def test_cli_text_in_korean():
    out = subprocess.run([sys.executable, "-m", "scenarios", "backtest", "--nowcast", "--lang", "ko"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("나우캐스트 성적표") and "9월 말" in out.stdout and "계절 비중" in out.stdout


def test_the_tracker_shows_the_record():
    at = open_app(timeline={}, tab="tracker")
    assert not at.exception and not at.error
    shown = " ".join(m.value for m in at.markdown)
    assert t("nowcast_record.header", year=2026) in shown
    assert "At the end of September, nowcasts of 1991–2025 missed" in shown
    record = [c for c in charts(at) if "p50" in chart_data(c).columns]
    assert len(record) == 1 and list(chart_data(record[0]).cut) == list(range(1, 10))
