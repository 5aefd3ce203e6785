"""Monthly exports: the shipped file, the nowcast rule and its range, the tracker and the status scale."""

from __future__ import annotations

import csv
import datetime
import itertools
import math
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scenarios.data.baseline import BaselineError
from scenarios.data.monthly import COLUMNS, QUALITIES, Monthly, MonthlyRow, load_monthly, period_of
from scenarios.model.nowcast import STATUS_THRESHOLDS, nowcast, required_growth_pct, status_of, tracker
from tests.shipped import MONTHLY

TODAY = datetime.date(2026, 11, 30)
URL = "https://example.org/release"


def row(period: str, value: float, series: str = "total", quality: str = "official", coverage: str = "month",
        method: str = "") -> dict:
    return {"period": period, "series": series, "value": value, "unit": "usd_bn", "coverage": coverage,
            "quality": quality, "source": "test release", "source_url": URL, "method": method}


def write(tmp_path: Path, rows: list[dict], header=COLUMNS) -> Path:
    with open(tmp_path / "monthly.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(header), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return tmp_path


def months(start: str, values: list[float], **kw) -> list[dict]:
    y, m = map(int, start.split("-"))
    first = y * 12 + m - 1
    return [row(period_of(first + k), v, **kw) for k, v in enumerate(values)]


def monthly_of(values: dict[str, float | tuple[float, str]], series: str = "total") -> Monthly:
    """A Monthly built in memory: {period: value} or {period: (value, quality)}."""
    out = []
    for line, (period, v) in enumerate(sorted(values.items()), start=2):
        value, quality = v if isinstance(v, tuple) else (v, "official")
        out.append(MonthlyRow(period, series, value, "usd_bn", "month", quality, "test", URL, "", line))
    return Monthly(rows=tuple(out))


def year_values(year: int, values: list[float]) -> dict[str, float]:
    return {f"{year}-{m:02d}": v for m, v in enumerate(values, start=1)}


Y2024 = [50.0, 48.0, 55.0, 54.0, 56.0, 55.0, 54.0, 53.0, 57.0, 56.0, 55.0, 60.0]
Y2025 = [49.0, 52.0, 58.0, 58.0, 57.0, 60.0, 61.0, 58.0, 66.0, 60.0, 61.0, 70.0]


# ---------------------------------------------------------------------------- the shipped file


def test_shipped_file_loads_with_total_from_1990_and_chips_from_2024():
    m = MONTHLY
    assert m.series_ids()[0] == "total" and "semiconductors" in m.series_ids()
    for series in m.series_ids():
        first = m.months(series)[0].period
        assert first == ("1990-01" if series == "total" else "2024-01"), series
        assert all(q in QUALITIES for _, _, q in m.months(series))
    assert all(r.source_url.startswith("http") and r.source for r in m.rows)


def test_shipped_2026_data_reaches_at_least_february():
    m = MONTHLY
    assert m.latest_month() >= "2026-02"
    assert m.latest_month("semiconductors") >= "2026-02"
    assert [p for p, _, _ in m.months()][:2] == ["1990-01", "1990-02"]


def test_shipped_day_counts_are_customs_counts_superseded_by_their_months():
    m = MONTHLY
    last = m.latest_month()
    counts = [r for r in m.rows if r.coverage != "month"]
    assert counts and all(r.series == "total" and r.coverage in ("1-10", "1-20") for r in counts)
    # September's counts are in, and so is September itself: no count is newer than the latest month
    assert all(r.period <= last for r in counts) and m.partial() == ()
    assert m.partial("semiconductors") == ()  # KCS chip counts are another compilation: not shipped


def test_shipped_complete_year_equals_the_sum_of_its_months():
    m = MONTHLY
    values = [v for p, v, _ in m.months() if p.startswith("2025")]
    n = nowcast(m, 2025)
    assert len(values) == 12 and n.rule == "complete" and n.pace_pct is None
    assert n.p10 == n.p50 == n.p90 == sum(values) == n.known_sum


def test_shipped_2026_nowcast_and_tracker():
    m = MONTHLY
    n = nowcast(m, 2026)
    assert n.rule == "yoy_last3" and n.through == m.latest_month()
    assert n.p10 < n.p50 < n.p90 and n.p50 > n.known_sum
    assert n.weak_months == ()  # the customs line: every 2026 month from a copy of the release itself
    ministry = nowcast(m, 2026, "total_motir")
    assert set(ministry.weak_months) >= {"2026-03", "2026-04", "2026-05", "2026-08"}  # weak pages, a derivation
    req = required_growth_pct(709.7, 2025)
    t = tracker(m, req)
    assert t.year == 2026 and t.latest_month == m.latest_month()
    assert t.ytd == pytest.approx(sum(v for p, v, _ in m.months() if p.startswith("2026")))
    assert t.ytd_prior == pytest.approx(sum(v for p, v, _ in m.months()
                                            if "2025-01" <= p <= "2025-" + t.latest_month[5:]))
    assert t.status == status_of(t.actual_growth_pct, req) and t.run_rate_12m is not None


# ---------------------------------------------------------------------------- the nowcast rule


def test_every_month_known_gives_the_exact_sum():
    m = monthly_of({**year_values(2024, Y2024), **year_values(2025, Y2025)})
    n = nowcast(m, 2025, pace_pct=80.0)
    assert n.rule == "complete" and n.p10 == n.p50 == n.p90 == sum(Y2025)
    assert [p for p, _, _ in n.known] == [f"2025-{k:02d}" for k in range(1, 13)] and n.weak_months == ()


def test_weak_known_months_widen_a_complete_year():
    vals = {**year_values(2024, Y2024), **year_values(2025, Y2025)}
    vals["2025-06"] = (60.0, "secondary")
    n = nowcast(monthly_of(vals), 2025)
    assert n.p50 == sum(Y2025) and n.p10 < n.p50 < n.p90 and n.weak_months == ("2025-06",)
    # one secondary month, 5 % 1-sigma: p90 - p50 is close to 1.2816 * 0.05 * 60
    assert n.p90 - n.p50 == pytest.approx(1.2816 * 0.05 * 60.0, rel=0.05)


def test_no_month_known_follows_the_latest_three_months_rule():
    m = monthly_of({**year_values(2024, Y2024), **year_values(2025, Y2025)})
    n = nowcast(m, 2026)
    growth = (60.0 + 61.0 + 70.0) / (56.0 + 55.0 + 60.0) - 1  # Oct-Dec 2025 over Oct-Dec 2024
    assert n.known == () and n.known_sum == 0 and n.rule == "yoy_last3"
    assert n.window == ("2025-10", "2025-11", "2025-12") and n.through == "2025-12"
    assert n.pace_pct == pytest.approx(growth * 100)
    assert n.p50 == pytest.approx(sum(v * (1 + growth) for v in Y2025))
    assert n.p10 < n.p50 < n.p90


def test_partly_known_year_uses_last_years_same_months():
    vals = {**year_values(2024, Y2024), **year_values(2025, Y2025), "2026-01": 66.0, "2026-02": 67.0}
    n = nowcast(monthly_of(vals), 2026)
    growth = (70.0 + 66.0 + 67.0) / (60.0 + 49.0 + 52.0) - 1  # Dec-Feb over a year earlier
    assert n.known_sum == 133.0 and n.through == "2026-02"
    assert n.p50 == pytest.approx(133.0 + sum(Y2025[2:]) * (1 + growth))
    assert [p for p, _ in n.projected] == [f"2026-{k:02d}" for k in range(3, 13)]


def test_user_pace_overrides_the_rule():
    m = monthly_of({**year_values(2024, Y2024), **year_values(2025, Y2025), "2026-01": 66.0})
    n = nowcast(m, 2026, pace_pct=10.0)
    assert n.rule == "user_pace" and n.pace_pct == 10.0
    assert n.p50 == pytest.approx(66.0 + sum(Y2025[1:]) * 1.10)


def test_pace_moves_p50_monotonically():
    m = MONTHLY
    p50s = [nowcast(m, 2026, pace_pct=p).p50 for p in (-100, -50, -10, 0, 5, 10, 50, 100, 300)]
    assert all(a < b for a, b in itertools.pairwise(p50s))
    assert p50s[0] == pytest.approx(nowcast(m, 2026).known_sum)


def test_official_only_treats_weak_months_as_unknown():
    vals = {**year_values(2024, Y2024), **year_values(2025, Y2025), "2026-01": 66.0,
            "2026-02": (90.0, "secondary")}
    m = monthly_of(vals)
    everything, official = nowcast(m, 2026), nowcast(m, 2026, official_only=True)
    assert everything.weak_months and official.weak_months == () and official.official_only
    assert [p for p, _, _ in official.known] == ["2026-01"] and official.through == "2026-01"
    growth = (61.0 + 70.0 + 66.0) / (55.0 + 60.0 + 49.0) - 1  # Nov-Jan: official months only
    assert official.p50 == pytest.approx(66.0 + sum(Y2025[1:]) * (1 + growth))
    assert official.p50 != everything.p50


def test_official_only_changes_a_nowcast_that_rests_on_weak_months():
    m = MONTHLY
    everything, official = nowcast(m, 2026, "total_motir"), nowcast(m, 2026, "total_motir", official_only=True)
    assert official.p50 != everything.p50  # the weak months are left out and estimated instead
    assert {p for p, _, _ in everything.known} - {p for p, _, _ in official.known} == set(everything.weak_months)
    assert all(q in ("official", "preliminary", "transcribed") for _, _, q in official.known)
    # the customs line has no weak month: official months only changes nothing there
    assert nowcast(m, 2026, official_only=True).p50 == nowcast(m, 2026).p50


def test_annual_values_fill_what_the_months_cannot():
    m = monthly_of(year_values(2025, Y2025[:6]))  # no year-earlier months: no monthly growth
    with pytest.raises(ValueError, match="no month has a value a year earlier"):
        nowcast(m, 2025)
    n = nowcast(m, 2025, annual={2023: 600.0, 2024: 660.0})
    assert n.rule == "annual_growth" and n.pace_pct == pytest.approx(10.0)
    assert n.p50 == pytest.approx(sum(Y2025[:6]) + 6 * (660.0 / 12) * 1.10)  # 1/12 of 2024, +10 %


def test_nowcast_refuses_a_pace_below_minus_100():
    with pytest.raises(ValueError, match="pace_pct"):
        nowcast(MONTHLY, 2026, pace_pct=-101.0)
    with pytest.raises(ValueError, match="pace_pct"):
        nowcast(MONTHLY, 2026, pace_pct=math.nan)


def test_nowcast_is_deterministic():
    # its speed is measured in bench/ (no wall-clock limits in unit tests)
    m = MONTHLY
    assert nowcast(m, 2026) == nowcast(m, 2026)
    assert nowcast(m, 2026, series="semiconductors") == nowcast(m, 2026, series="semiconductors")


# ---------------------------------------------------------------------------- tracker and status


@pytest.mark.parametrize(("actual", "required", "status"), [
    (9.5, 10.0, "on_track"),            # ratio exactly 0.95
    (20.0, 10.0, "on_track"),
    (9.49, 10.0, "acceleration_needed"),
    (6.0, 10.0, "acceleration_needed"),  # ratio exactly 0.60
    (5.99, 10.0, "limited_progress"),
    (0.0, 10.0, "limited_progress"),     # ratio exactly 0
    (-0.01, 10.0, "deterioration"),
    (-5.0, 10.0, "deterioration"),
    (0.0, 0.0, "on_track"),              # required <= 0: any growth >= required is on track
    (-3.0, -5.0, "on_track"),
    (-6.0, -5.0, "deterioration"),
    (-0.1, 0.0, "deterioration"),
])
def test_status_thresholds_at_their_edges(actual, required, status):
    assert status_of(actual, required) == status


def test_status_thresholds_are_data():
    assert [s for _, s in STATUS_THRESHOLDS] == ["on_track", "acceleration_needed", "limited_progress",
                                                  "deterioration"]
    assert [b for b, _ in STATUS_THRESHOLDS][:3] == [0.95, 0.60, 0.0]


def test_tracker_year_to_date_and_run_rate():
    vals = {**year_values(2024, Y2024), **year_values(2025, Y2025), "2026-01": 66.0, "2026-02": 67.0}
    t = tracker(monthly_of(vals), required_pct=7.0)
    assert (t.year, t.latest_month, t.ytd_months) == (2026, "2026-02", 2)
    assert t.ytd == 133.0 and t.ytd_prior == 101.0
    assert t.ytd_yoy_pct == pytest.approx((133 / 101 - 1) * 100) == t.actual_growth_pct
    assert t.run_rate_12m == pytest.approx(sum(Y2025[2:]) + 133.0)
    assert t.run_rate_prior_12m == pytest.approx(sum(Y2024[2:]) + 49.0 + 52.0)
    assert t.ratio == pytest.approx(t.actual_growth_pct / 7.0) and t.status == "on_track"


def test_tracker_without_a_year_earlier():
    t = tracker(monthly_of(year_values(2025, Y2025[:3])), required_pct=7.0)
    assert t.ytd == sum(Y2025[:3]) and t.ytd_prior is None and t.ytd_yoy_pct is None
    assert t.run_rate_12m is None and t.status is None and t.ratio is None


def test_tracker_with_required_at_or_below_zero_has_no_ratio():
    vals = {**year_values(2024, Y2024), **year_values(2025, Y2025)}
    t = tracker(monthly_of(vals), required_pct=-2.0)
    assert t.ratio is None and t.status == "on_track"


def test_required_growth_pct():
    assert required_growth_pct(709.7, 2025) == pytest.approx(((1000 / 709.7) ** 0.2 - 1) * 100)
    assert required_growth_pct(644.5, 2021, target_year=2027) == pytest.approx(7.596, abs=1e-3)
    assert required_growth_pct(1100.0, 2026) < 0
    with pytest.raises(ValueError):
        required_growth_pct(0.0, 2025)
    with pytest.raises(ValueError):
        required_growth_pct(700.0, 2030)


# ---------------------------------------------------------------------------- validation


GOOD = [*months("2025-01", [49.0, 52.0, 58.0]), row("2025-04", 20.0, coverage="1-20")]


def test_a_small_valid_file_loads(tmp_path):
    m = load_monthly(write(tmp_path, GOOD), today=TODAY)
    assert m.latest_month() == "2025-03" and [r.coverage for r in m.partial()] == ["1-20"]


@pytest.mark.parametrize(("rows", "line", "words"), [
    ([*GOOD, row("2025-02", 51.0)], 6, ["period '2025-02'", "duplicates row 3"]),
    ([*GOOD, row("2025-06", 60.0)], 6, ["period '2025-06'", "gap", "2025-04..2025-05"]),
    ([*GOOD, row("2026-12", 60.0, coverage="1-10")], 6, ["period '2026-12'", "after today"]),
    ([*GOOD, row("2026-11", 60.0)], 6, ["period '2026-11'", "not over"]),
    ([*GOOD[:2], row("2025-03", -1.0), *GOOD[3:]], 4, ["value '-1.0'", "negative"]),
    ([*GOOD[:2], row("2025-03", 58.0, quality="estimate"), *GOOD[3:]], 4, ["quality 'estimate'", "not one of"]),
    ([*GOOD[:2], row("2025-03", 58.0, quality="derived"), *GOOD[3:]], 4, ["method is empty", "derived"]),
    ([*GOOD[:2], row("2025-13", 58.0), *GOOD[3:]], 4, ["period '2025-13'"]),
    ([*GOOD[:2], row("2025-03", 58.0, series="chips"), *GOOD[3:]], 4, ["series 'chips'"]),
    ([*GOOD[:2], row("2025-03", 58.0, coverage="1-15"), *GOOD[3:]], 4, ["coverage '1-15'"]),
    ([*GOOD[:2], row("2025-03", "inf"), *GOOD[3:]], 4, ["value 'inf'", "not a finite number"]),
    ([*GOOD[:2], row("2025-03", "n/a"), *GOOD[3:]], 4, ["value 'n/a'", "not a number"]),
])
def test_broken_rows_name_the_file_row_and_field(tmp_path, rows, line, words):
    with pytest.raises(BaselineError) as err:
        load_monthly(write(tmp_path, rows), today=TODAY)
    message = str(err.value)
    assert message.startswith(f"monthly.csv, row {line}:"), message
    for w in words:
        assert w in message, message


def test_missing_column_and_missing_file(tmp_path):
    with pytest.raises(BaselineError, match=r"^monthly\.csv, row 1: missing column\(s\) quality"):
        load_monthly(write(tmp_path, GOOD, header=[c for c in COLUMNS if c != "quality"]), today=TODAY)
    with pytest.raises(BaselineError, match=r"monthly\.csv: file not found"):
        load_monthly(tmp_path / "nowhere", today=TODAY)


def test_today_defaults_to_the_clock(tmp_path):
    future = datetime.date.today().replace(day=1) + datetime.timedelta(days=40)
    with pytest.raises(BaselineError, match="after today"):
        load_monthly(write(tmp_path, [*GOOD, row(future.strftime("%Y-%m"), 1.0, coverage="1-10")]))


# ---------------------------------------------------------------------------- properties


@st.composite
def histories(draw):
    n_months = draw(st.integers(min_value=1, max_value=36))
    values = draw(st.lists(st.floats(min_value=0.5, max_value=200.0), min_size=n_months, max_size=n_months))
    qualities = draw(st.lists(st.sampled_from(QUALITIES), min_size=n_months, max_size=n_months))
    start = 2024 * 12
    vals = {period_of(start + k): (v, q) for k, (v, q) in enumerate(zip(values, qualities, strict=True))}
    year = draw(st.integers(min_value=2024, max_value=2027))
    pace = draw(st.one_of(st.none(), st.floats(min_value=-100.0, max_value=400.0)))
    return monthly_of(vals), year, pace, draw(st.booleans())


@settings(max_examples=150, deadline=None)
@given(histories())
def test_range_is_ordered_and_never_below_the_known_months(case):
    m, year, pace, official_only = case
    try:
        n = nowcast(m, year, pace_pct=pace, official_only=official_only, annual={2022: 600.0, 2023: 630.0})
    except ValueError:
        return  # no month and no annual value can serve (e.g. every month weak and official_only)
    assert n.p10 <= n.p50 <= n.p90
    assert all(math.isfinite(x) for x in (n.p10, n.p50, n.p90))
    assert n.p50 >= n.known_sum - 1e-9
    strong = sum(v for _, v, q in n.known if q in ("official", "preliminary"))
    assert n.p10 >= strong - 1e-9


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=-50.0, max_value=50.0), st.floats(min_value=0.01, max_value=30.0))
def test_status_follows_the_ratio(actual, required):
    ratio = actual / required
    assume(all(abs(ratio - b) > 1e-9 for b, _ in STATUS_THRESHOLDS[:3]))
    expected = next(s for b, s in STATUS_THRESHOLDS if ratio >= b)
    assert status_of(actual, required) == expected
