"""The year in progress from its months: the nowcast of a year's total and the tracker against a target.

Pure (stdlib only); values are USD bn.

- ``nowcast`` adds the months to come to the months known (the rule is in its docstring).
- ``tracker`` compares year-to-date growth with the growth a target needs and gives a status
  on the SDG progress-report scale (``STATUS_THRESHOLDS``).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass

from scenarios.data.baseline import TOTAL_SERIES
from scenarios.data.monthly import (
    FILE_NAME,
    STRONG_QUALITIES,
    WEAK_QUALITIES,
    Monthly,
    MonthlyRow,
    MonthValue,
    period_of,
)

# 1-sigma relative level error of a known month, by quality. First releases (preliminary) are
# revised by well under 1 % (2024-2025: at most about 0.6 %), so they count as exact.
LEVEL_SIGMA = {"official": 0.0, "preliminary": 0.0, "transcribed": 0.0, "secondary": 0.05, "derived": 0.03}
WINDOW_MONTHS = 3  # the default pace is the y/y growth of the latest three known months
DEFAULT_PACE_SIGMA = 0.05  # monthly pace-error sd when the history has fewer than 3 y/y changes
PACE_SIGMA_MONTHS = 120  # the closed-form range reads the pace error off the latest ten years of y/y changes
SEASONAL_YEARS = 10  # the seasonal-share fallback averages the shares of the latest ten complete years
Z90 = 1.2815515655446004  # standard normal 90th percentile
# SDG progress-report convention on actual / required growth: (lower bound, status), checked in order.
STATUS_THRESHOLDS: tuple[tuple[float, str], ...] = (
    (0.95, "on_track"),
    (0.60, "acceleration_needed"),
    (0.0, "limited_progress"),
    (-math.inf, "deterioration"),
)
STATUSES = tuple(s for _, s in STATUS_THRESHOLDS)
_EPS = 1e-12


# ---------------------------------------------------------------------------- nowcast


@dataclass(frozen=True)
class Nowcast:
    """A year's total exports of one series: the months known plus a nowcast of the months to come.

    ``known`` lists the months used as known (``(period, value, quality)``), ``pace_pct`` the
    y/y growth applied to the months to come (None when none remain), ``p10/p50/p90`` the
    range (``p50`` is the central value), ``rule`` a short id of the rule applied
    (``complete``, ``yoy_last3``, ``user_pace``, ``seasonal_share`` or ``annual_growth``), ``method`` one English
    sentence, ``through`` the latest month known, ``weak_months`` every month of weak quality
    (secondary, derived) that the result rests on.
    """

    year: int
    series: str
    known: tuple[MonthValue, ...]
    known_sum: float
    pace_pct: float | None
    p10: float
    p50: float
    p90: float
    method: str
    rule: str
    through: str | None
    weak_months: tuple[str, ...]
    official_only: bool = False
    window: tuple[str, ...] = ()           # months whose y/y growth set the default pace
    projected: tuple[tuple[str, float], ...] = ()  # (period, value) of each month to come
    pace_sigma_pct: float = 0.0            # monthly sd of the pace error (random walk), percent
    range_basis: str = "rule"              # "rule": the closed form below; "record": nowcast_record.with_record


def _history(monthly: Monthly, series: str, last: int, official_only: bool) -> dict[int, MonthlyRow]:
    full = monthly.full_months(series)
    return {i: r for i, r in full.items()
            if i <= last and (not official_only or r.quality in STRONG_QUALITIES)}


def _pace_sigma(hist: Mapping[int, MonthlyRow]) -> float:
    """Sample sd of the latest ``PACE_SIGMA_MONTHS`` month-to-month changes in y/y log growth.

    DEFAULT_PACE_SIGMA if there are fewer than 2.

    A recent window, not the whole record: the total's monthly line runs back to 1990, and the
    1998 and 2009 swings would set today's range. The record of past nowcasts
    (scenarios.model.nowcast_record) is where the whole history speaks.
    """
    yoy = {i: math.log(r.value / hist[i - 12].value) for i, r in hist.items()
           if i - 12 in hist and r.value > 0 and hist[i - 12].value > 0}
    steps = [yoy[i] - yoy[i - 1] for i in yoy if i - 1 in yoy][-PACE_SIGMA_MONTHS:]
    return statistics.stdev(steps) if len(steps) >= 2 else DEFAULT_PACE_SIGMA


def seasonal_shares(hist: Mapping[int, MonthlyRow], year: int) -> tuple[dict[int, float], int] | None:
    """Each calendar month's (0-11) average share of its year, and the latest year averaged.

    The latest ``SEASONAL_YEARS`` complete years before ``year``; None if there is none.
    """
    complete = [y for y in sorted({i // 12 for i in hist}) if y < year
                and all(y * 12 + m in hist for m in range(12))][-SEASONAL_YEARS:]
    if not complete:
        return None
    shares = {m: 0.0 for m in range(12)}
    for y in complete:
        total = sum(hist[y * 12 + m].value for m in range(12))
        if total <= 0:
            return None
        for m in range(12):
            shares[m] += hist[y * 12 + m].value / total / len(complete)
    return shares, complete[-1]


def seasonal_estimate(known: Mapping[int, float], shares: Mapping[int, float]) -> float:
    """A year's total from some of its months: their sum over their average share of a year.

    ``known`` maps calendar months (0-11) to values, ``shares`` calendar months to shares (summing to 1).
    """
    part = sum(shares[m] for m in known)
    if part <= 0:
        raise ValueError("the months known have no share of a year")
    return float(sum(known.values())) / part


def _seasonal_fallback(monthly: Monthly, hist: Mapping[int, MonthlyRow], series: str, year: int,
                       known_sum: float, known: list[MonthlyRow], annual: Mapping[int, float] | None
                       ) -> tuple[dict[int, float], float, int, float] | None:
    """(shares, year total, reference year, growth a year) of the seasonal-share fallback, or None.

    The shares are the series' own (latest ten complete years before ``year``), else the total's;
    the growth is on the series' own latest complete year, else on its latest earlier annual value.
    """
    own = seasonal_shares(hist, year)
    ref = own
    if ref is None and series != TOTAL_SERIES:
        ref = seasonal_shares({i: r for i, r in monthly.full_months(TOTAL_SERIES).items() if i < year * 12}, year)
    if ref is None:
        return None
    shares = ref[0]
    year_total = seasonal_estimate({r.index % 12: r.value for r in known}, shares)
    if own is not None:
        y_last = own[1]
        last_total = sum(hist[y_last * 12 + m].value for m in range(12))
    else:
        earlier = [y for y in (annual or {}) if y < year and (annual or {})[y] > 0]
        if not earlier:
            return None
        y_last = max(earlier)
        last_total = annual[y_last]  # type: ignore[index]
    if last_total <= 0 or year_total <= 0 or known_sum <= 0:
        return None
    return shares, year_total, y_last, (year_total / last_total) ** (1.0 / (year - y_last)) - 1.0


def _annual_pace(annual: Mapping[int, float], year: int) -> tuple[float, int] | None:
    years = sorted(y for y in annual if y < year and y - 1 in annual and annual[y - 1] > 0)
    if not years:
        return None
    y = years[-1]
    return annual[y] / annual[y - 1] - 1.0, y


def nowcast(
    monthly: Monthly,
    year: int,
    series: str = TOTAL_SERIES,
    pace_pct: float | None = None,
    official_only: bool = False,
    annual: Mapping[int, float] | None = None,
) -> Nowcast:
    """Nowcast one year's exports: the known full months plus the months to come.

    Rule (``rule="yoy_last3"``): take the latest three known months up to December of
    ``year`` that have a value a year earlier; their y/y growth ``g = sum(them) / sum(same
    months a year earlier) - 1`` is applied to last year's same month for each month still
    unknown (if that month is unknown too, to the latest earlier year's, compounded once per
    year). ``pace_pct`` overrides ``g`` (``rule="user_pace"``). With ``official_only`` months of
    weak quality (secondary, derived) count as unknown: they are nowcast by the rule computed
    from the official and preliminary months. With every month of the year known the total
    is their sum (``rule="complete"``).

    When no known month has a value a year earlier (the previous year's months are missing) but
    the year has known months and the series has an earlier complete year, the year's total is the
    months known divided by their average share of a year (``seasonal_shares``: the latest ten
    complete years), and each month to come is that total times its own share
    (``rule="seasonal_share"``; ``pace_pct`` is then the implied growth a year on the latest
    complete year).

    ``annual`` (e.g. ``Baseline.actual_totals()``) is used only where the months cannot serve:
    a month with no same-month value in any earlier year starts from 1/12 of the latest earlier
    annual value, and when no y/y growth is computable from months the latest annual growth is
    applied (``rule="annual_growth"``).

    Range: the pace error follows a random walk whose monthly step is the sample sd of the
    month-to-month change in y/y log growth over the latest ten years of the series' history
    (through the latest known month; ``_pace_sigma``), so a month h months ahead carries variance
    ``h * sd**2`` and two months to come
    share the error of the months they have in common: a persistent, not independent, error.
    Each known month of weak quality adds an independent 1-sigma level error (secondary 5 %,
    derived 3 %) that passes into the total, the pace and the bases it sets. The uncertain part
    of the total (everything but the official and preliminary months known) is taken as
    lognormal with that variance, so p10 <= p50 <= p90, p50 is the central value and p10 never
    falls below the sum of the official and preliminary months known. Closed form, deterministic.

    Raises ValueError if the series has no months and no usable ``annual`` values, or if
    ``pace_pct`` is not a finite number >= -100.
    """
    if pace_pct is not None and (not math.isfinite(pace_pct) or pace_pct < -100.0):
        raise ValueError(f"pace_pct {pace_pct!r} must be a finite number >= -100")
    dec = year * 12 + 11
    hist = _history(monthly, series, dec, official_only)
    months_of_year = range(year * 12, dec + 1)
    known = [hist[i] for i in months_of_year if i in hist]
    remaining = [i for i in months_of_year if i not in hist]
    through_idx = max(hist) if hist else None
    known_sum = float(sum(r.value for r in known))

    window = [i for i in sorted(hist, reverse=True) if i - 12 in hist][:WINDOW_MONTHS]
    window.sort()
    annual_note = ""
    if not remaining:
        rule, g = "complete", None
    elif pace_pct is not None:
        rule, g = "user_pace", pace_pct / 100.0
    elif window:
        w_sum = sum(hist[i].value for i in window)
        w_prev = sum(hist[i - 12].value for i in window)
        if w_prev <= 0:
            raise ValueError(f"{series} {year}: the year-earlier months of the pace window sum to zero")
        rule, g = "yoy_last3", w_sum / w_prev - 1.0
    elif known and (seasonal := _seasonal_fallback(monthly, hist, series, year, known_sum, known, annual)):
        shares, year_total, y_last, g = seasonal
        rule = "seasonal_share"
    else:
        found = _annual_pace(annual or {}, year)
        if found is None:
            raise ValueError(f"cannot nowcast {series} {year}: no month has a value a year earlier "
                             "and no annual values were given")
        g, y = found
        rule, annual_note = "annual_growth", f" (annual growth {y - 1}-{y})"

    # months to come: value, years of compounding, base month (None if from annual values)
    projected: list[tuple[int, float, int, int | None]] = []
    for i in remaining:
        assert g is not None
        if rule == "seasonal_share":
            projected.append((i, year_total * shares[i % 12], max(1, year - y_last), None))
            continue
        base_i = next((b for b in range(i - 12, min(hist) - 1, -12) if b in hist), None) if hist else None
        if base_i is not None:
            years_ahead = (i - base_i) // 12
            base = hist[base_i].value
        else:
            earlier = [y for y in (annual or {}) if y < year]
            if not earlier:
                raise ValueError(f"cannot nowcast {series} {period_of(i)}: no earlier same month and no annual value")
            y1 = max(earlier)
            years_ahead, base = year - y1, annual[y1] / 12.0  # type: ignore[index]
        projected.append((i, base * (1.0 + g) ** years_ahead, years_ahead, base_i))
    p50 = known_sum + sum(v for _, v, _, _ in projected)

    # pace error: random walk in y/y log growth, step sd from history
    sigma = _pace_sigma(hist) if projected else 0.0
    origin = through_idx if through_idx is not None else year * 12 - 1
    var_pace = 0.0
    for a, va, _, _ in projected:
        ha = max(1, abs(a - origin))
        for b, vb, _, _ in projected:
            var_pace += va * vb * min(ha, max(1, abs(b - origin)))
    var_pace *= sigma * sigma

    # level error of weak months: d(total) / d(log value) of every month used, times its sigma
    grad: dict[int, float] = {}
    for r in known:
        grad[r.index] = grad.get(r.index, 0.0) + r.value
    for _, v, _, base_i in projected:
        if base_i is not None:
            grad[base_i] = grad.get(base_i, 0.0) + v
    if rule == "yoy_last3":
        carried = sum(n * v for _, v, n, _ in projected)  # d(sum of months to come) / d log(1 + g)
        w_sum = sum(hist[i].value for i in window)
        w_prev = sum(hist[i - 12].value for i in window)
        for i in window:
            grad[i] = grad.get(i, 0.0) + carried * hist[i].value / w_sum
            grad[i - 12] = grad.get(i - 12, 0.0) - carried * hist[i - 12].value / w_prev
    var_level = sum((gv * LEVEL_SIGMA[hist[i].quality]) ** 2 for i, gv in grad.items())
    weak = tuple(period_of(i) for i in sorted(grad) if hist[i].quality in WEAK_QUALITIES)

    strong_known = sum(r.value for r in known if r.quality in STRONG_QUALITIES)
    uncertain = p50 - strong_known
    var = var_pace + var_level
    if uncertain > _EPS and var > 0.0:
        spread = Z90 * math.sqrt(var) / uncertain
        p10 = strong_known + uncertain * math.exp(-spread)
        p90 = strong_known + uncertain * math.exp(spread)
    else:
        p10 = p90 = p50

    through = period_of(through_idx) if through_idx is not None else None
    pace_out = None if g is None else g * 100.0
    method = _method_text(year, known, projected, rule, pace_out, window, sigma, weak, official_only, annual_note)
    return Nowcast(
        year=year, series=series, known=tuple(MonthValue(r.period, r.value, r.quality) for r in known),
        known_sum=known_sum, pace_pct=pace_out, p10=p10, p50=p50, p90=p90, method=method, rule=rule,
        through=through, weak_months=weak, official_only=official_only,
        window=tuple(period_of(i) for i in window) if rule == "yoy_last3" else (),
        projected=tuple((period_of(i), v) for i, v, _, _ in projected), pace_sigma_pct=sigma * 100.0,
    )


def _method_text(year: int, known: list[MonthlyRow], projected: list, rule: str, pace: float | None,
                 window: list[int], sigma: float, weak: tuple[str, ...], official_only: bool,
                 annual_note: str) -> str:
    scope = " (official and preliminary months only)" if official_only else ""
    if rule == "complete":
        text = f"All 12 months of {year} are known{scope}; the total is their sum."
    else:
        have = f"{len(known)} known month(s) of {year}{scope}" if known else f"no known month of {year}{scope}"
        why = {
            "yoy_last3": (f"the y/y growth of {period_of(window[0])}..{period_of(window[-1])}"
                          if window else ""),
            "user_pace": "a pace set by the user",
            "annual_growth": f"the latest annual growth{annual_note}",
            "seasonal_share": ("no month has a value a year earlier: the months known divided by their "
                               "average share of a year, the months to come at their own shares"),
        }[rule]
        at = (f"({why}; {pace:+.1f} % a year on the latest complete year)" if rule == "seasonal_share"
              else f"at {pace:+.1f} % on the same months a year earlier ({why})")
        text = (f"{have} plus {len(projected)} month(s) to come {at}; range from a persistent pace error "
                f"of {sigma * 100:.1f} % a month (random walk)")
        text += f" and the level error of {len(weak)} weak month(s)." if weak else "."
    return text


# ---------------------------------------------------------------------------- tracker


@dataclass(frozen=True)
class Tracker:
    """Where a series stands against the growth a target needs.

    ``actual_growth_pct`` is the year-to-date y/y growth (``ytd_yoy_pct``); the trailing
    twelve-month growth is ``trailing_12_growth_pct``. ``ratio`` is actual / required (None
    when required <= 0 or actual is unknown); ``status`` comes from ``status_of``.
    """

    series: str
    year: int
    latest_month: str
    ytd_months: int
    ytd: float
    ytd_prior: float | None
    ytd_yoy_pct: float | None
    run_rate_12m: float | None
    run_rate_prior_12m: float | None
    trailing_12_growth_pct: float | None
    actual_growth_pct: float | None
    required_pct: float
    ratio: float | None
    status: str | None
    weak_months: tuple[str, ...]


def status_of(actual_pct: float, required_pct: float) -> str:
    """Progress status of an actual growth rate against the required one (both percent a year).

    With required > 0 the ratio actual / required is read on ``STATUS_THRESHOLDS`` (the SDG
    progress-report scale): >= 0.95 ``on_track``, 0.60-0.95 ``acceleration_needed``,
    0-0.60 ``limited_progress``, < 0 ``deterioration``; each bound belongs to the better status.
    With required <= 0 (the target is already met at the start) any growth >= required is
    ``on_track`` and anything lower is ``deterioration``.
    """
    if not (math.isfinite(actual_pct) and math.isfinite(required_pct)):
        raise ValueError("status_of needs finite growth rates")
    if required_pct <= 0:
        return "on_track" if actual_pct >= required_pct else "deterioration"
    ratio = actual_pct / required_pct
    for bound, status in STATUS_THRESHOLDS:
        if ratio >= bound - _EPS:
            return status
    return STATUS_THRESHOLDS[-1][1]  # pragma: no cover - the last bound is -inf


def _window_sum(full: Mapping[int, MonthlyRow], end: int, n: int = 12) -> float | None:
    idx = range(end - n + 1, end + 1)
    return float(sum(full[i].value for i in idx)) if all(i in full for i in idx) else None


def tracker(monthly: Monthly, required_pct: float, series: str = TOTAL_SERIES, year: int | None = None) -> Tracker:
    """Year to date, the twelve-month run rate and a status against ``required_pct`` (percent a year).

    ``year`` defaults to the year of the series' latest full month; the year-to-date sums run
    from January to the latest known month of that year and are compared with the same months
    a year earlier (None where one of them is unknown).
    """
    if not math.isfinite(required_pct):
        raise ValueError(f"required_pct {required_pct!r} is not a finite number")
    full = monthly.full_months(series)
    if not full:
        raise ValueError(f"{FILE_NAME} has no full month of series {series!r}")
    if year is None:
        year = next(reversed(full)) // 12
    in_year = [i for i in full if i // 12 == year]
    if not in_year:
        raise ValueError(f"no full month of {year} is known for series {series!r}")
    latest = max(in_year)
    ytd_idx = [i for i in in_year if i <= latest]
    ytd = float(sum(full[i].value for i in ytd_idx))
    prior_known = all(i - 12 in full for i in ytd_idx)
    ytd_prior = float(sum(full[i - 12].value for i in ytd_idx)) if prior_known else None
    ytd_yoy = (ytd / ytd_prior - 1.0) * 100.0 if ytd_prior else None
    run = _window_sum(full, latest)
    run_prior = _window_sum(full, latest - 12)
    t12 = (run / run_prior - 1.0) * 100.0 if run is not None and run_prior else None
    ratio = ytd_yoy / required_pct if ytd_yoy is not None and required_pct > 0 else None
    status = status_of(ytd_yoy, required_pct) if ytd_yoy is not None else None
    used = set(ytd_idx) | {i - 12 for i in ytd_idx} | set(range(latest - 23, latest + 1))
    weak = tuple(period_of(i) for i in sorted(used) if i in full and full[i].quality in WEAK_QUALITIES)
    return Tracker(series=series, year=year, latest_month=period_of(latest), ytd_months=len(ytd_idx), ytd=ytd,
                   ytd_prior=ytd_prior, ytd_yoy_pct=ytd_yoy, run_rate_12m=run, run_rate_prior_12m=run_prior,
                   trailing_12_growth_pct=t12, actual_growth_pct=ytd_yoy, required_pct=required_pct, ratio=ratio,
                   status=status, weak_months=weak)


def required_growth_pct(start_value: float, start_year: int, target: float = 1000.0, target_year: int = 2030) -> float:
    """Uniform growth (percent a year) that takes ``start_value`` in ``start_year`` to ``target`` in ``target_year``.

    ``(target / start_value) ** (1 / (target_year - start_year)) - 1``; negative when the start is
    already above the target.
    """
    if not (math.isfinite(start_value) and start_value > 0):
        raise ValueError(f"start_value {start_value!r} must be a positive number")
    if target <= 0 or target_year <= start_year:
        raise ValueError("the target must be positive and its year after the start year")
    return ((target / start_value) ** (1.0 / (target_year - start_year)) - 1.0) * 100.0
