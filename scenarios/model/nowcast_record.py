"""The nowcast's own track record: every past year nowcast at every month, against what the year came to.

Pure (stdlib only); values are USD bn. As the Atlanta Fed's GDPNow publishes its errors, so does
the nowcast of the year in progress (scenarios.model.nowcast).

- ``nowcast_record(monthly)``: for every year Y with twelve known months and a complete previous
  year, and every cut c = 1..11 (the data as they stood with month c of Y the latest,
  ``Monthly.until``), the nowcast's central value (rule ``yoy_last3``) and its range, against the
  year's actual total. The year in progress gets rows too (``actual`` None), one per month known.
- The range of year Y at cut c comes from the record, out of sample: the 10th and 90th
  percentiles of the log errors ``log(actual / p50)`` at the same cut in the years before Y only
  (``MIN_YEARS`` of them at least; else the rule's own closed-form range), widened by the spread
  between three rules (``RULES``), fitted to the nowcast's lognormal shape (``record_range``).
- ``summary_by_cut(rows)``: per cut, how many outcomes, the median and the 90th percentile of
  the absolute error, the share inside p10-p90.
- ``fallback_record(monthly)``: the errors of the seasonal-share fallback (a year without the
  previous year's months) beside the annual-growth rule it replaced.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace

from scenarios.data.baseline import TOTAL_SERIES
from scenarios.data.monthly import STRONG_QUALITIES, Monthly
from scenarios.model.nowcast import Nowcast, nowcast, seasonal_estimate

RULES = ("yoy_last3", "ytd_yoy", "yoy_last6")  # the central rule first; the other two set the spread
CUTS = tuple(range(1, 12))
MIN_YEARS = 8  # earlier years with an outcome at the same cut before the record sets a range
SEASONAL_YEARS = 10
_EPS = 1e-12


@dataclass(frozen=True)
class RecordRow:
    """One nowcast of the record: year, cut (months known), the range and the outcome.

    ``basis`` is ``record`` (p10/p90 from earlier years' errors at this cut) or ``rule`` (the
    rule's own closed-form range, fewer than ``MIN_YEARS`` earlier years); ``rules`` holds each
    rule's central value; ``n_before`` the earlier years the range was read from; ``error_pct``
    is ``(actual / p50 - 1) * 100``; ``in80`` whether the actual fell inside p10-p90.
    """

    year: int
    cut: int
    p10: float
    p50: float
    p90: float
    actual: float | None
    rule: str
    basis: str
    n_before: int
    rules: tuple[tuple[str, float], ...]
    error_pct: float | None
    in80: bool | None

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict (rules as a mapping)."""
        out = asdict(self)
        out["rules"] = dict(self.rules)
        return out


def _values(monthly: Monthly, series: str) -> dict[int, float]:
    return {i: r.value for i, r in monthly.full_months(series).items()}


def rule_estimate(values: Mapping[int, float], year: int, cut: int, rule: str) -> float | None:
    """A year's total at cut ``cut`` by one rule; None if the rule cannot be computed.

    Every rule adds the months known (January to month ``cut``) to last year's months still to
    come, each grown by one y/y growth: that of the latest three known months (``yoy_last3``, the
    nowcast's own rule), of the year to date (``ytd_yoy``) or of the latest six months
    (``yoy_last6``). Needs the previous year's twelve months.
    """
    last = year * 12 + cut - 1
    known = range(year * 12, last + 1)
    if any(i not in values for i in known) or any(year * 12 - 12 + m not in values for m in range(12)):
        return None
    if rule == "ytd_yoy":
        window = list(known)
    else:
        n = {"yoy_last3": 3, "yoy_last6": 6}[rule]
        window = list(range(last - n + 1, last + 1))
    if any(i not in values or i - 12 not in values for i in window):
        return None
    prev = sum(values[i - 12] for i in window)
    if prev <= 0:
        return None
    g = sum(values[i] for i in window) / prev - 1.0
    to_come = range(last + 1, year * 12 + 12)
    return float(sum(values[i] for i in known) + sum(values[i - 12] * (1.0 + g) for i in to_come))


def _quantile_pair(errors: Sequence[float]) -> tuple[float, float]:
    qs = statistics.quantiles(errors, n=10, method="inclusive")
    return qs[0], qs[-1]


def record_range(p50: float, alternatives: Iterable[float], strong: float,
                 errors: Sequence[float]) -> tuple[float, float]:
    """(p10, p90) of a nowcast from the record: earlier years' log errors at the same cut, and the rules' spread.

    The record's 10th and 90th percentiles q10, q90 of ``log(actual / p50)`` (``errors``; q10
    at most 0, q90 at least 0) are put around the lowest and the highest of the central value and
    ``alternatives`` (the other rules' values): ``lo = min(...) * exp(q10)``, ``hi = max(...) *
    exp(q90)``. The range returned is the narrowest one of the nowcast's own shape (the uncertain
    part ``p50 - strong`` lognormal, ``strong`` the months of strong quality known) that holds
    both: ``p10 = strong + U exp(-k)``, ``p90 = strong + U exp(k)``. So p10 <= p50 <= p90 and
    ``scenarios.model.present.nowcast_distribution`` reads it back.
    """
    if len(errors) < 2:
        raise ValueError("record_range needs at least two earlier errors")
    uncertain = p50 - strong
    if uncertain <= _EPS:
        return p50, p50
    q10, q90 = _quantile_pair(errors)
    points = [p50, *alternatives]
    lo = min(points) * math.exp(min(q10, 0.0))
    hi = max(points) * math.exp(max(q90, 0.0))
    k_hi = math.log(max(hi - strong, uncertain) / uncertain)
    k_lo = math.log(uncertain / max(lo - strong, uncertain * 1e-6))
    k = max(k_hi, k_lo)
    return strong + uncertain * math.exp(-k), strong + uncertain * math.exp(k)


def _strong_sum(monthly: Monthly, series: str, year: int, cut: int) -> float:
    full = monthly.full_months(series)
    return float(sum(full[i].value for i in range(year * 12, year * 12 + cut)
                     if i in full and full[i].quality in STRONG_QUALITIES))


def nowcast_record(monthly: Monthly, series: str = TOTAL_SERIES, cuts: Iterable[int] = CUTS,
                   min_years: int = MIN_YEARS) -> list[RecordRow]:
    """Every year's nowcast at every cut, with its out-of-sample range and the outcome (rows by year, then cut).

    Years: each with a complete previous year and at least one known month; a year with all
    twelve months has an outcome (``actual``), the year in progress gets a row for each cut up to
    its latest month, without one.
    """
    values = _values(monthly, series)
    if not values:
        return []
    years = sorted({i // 12 for i in values})
    cuts = tuple(sorted(set(cuts)))
    errors: dict[int, list[tuple[int, float]]] = {c: [] for c in cuts}
    rows: list[RecordRow] = []
    for year in years:
        complete = all(year * 12 + m in values for m in range(12))
        actual = float(sum(values[year * 12 + m] for m in range(12))) if complete else None
        for cut in cuts:
            points = {r: rule_estimate(values, year, cut, r) for r in RULES}
            p50 = points[RULES[0]]
            if p50 is None:
                continue
            alts = [v for r, v in points.items() if r != RULES[0] and v is not None]
            before = [e for y, e in errors[cut] if y < year]
            if len(before) >= min_years:
                strong = _strong_sum(monthly, series, year, cut)
                p10, p90 = record_range(p50, alts, strong, before)
                basis = "record"
            else:
                cast = nowcast(monthly.until(year * 12 + cut - 1), year, series)
                p10, p90, basis = cast.p10, cast.p90, "rule"
            err = in80 = None
            if actual is not None:
                errors[cut].append((year, math.log(actual / p50)))
                err = (actual / p50 - 1.0) * 100.0
                in80 = p10 <= actual <= p90
            rows.append(RecordRow(year, cut, p10, p50, p90, actual, RULES[0], basis, len(before),
                                  tuple((r, v) for r, v in points.items() if v is not None), err, in80))
    return rows


def _pct(values: Sequence[float], q: float) -> float:
    """The q-quantile (0-1) of ``values``, linear between order statistics."""
    s = sorted(values)
    pos = q * (len(s) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def summary_by_cut(rows: Iterable[RecordRow]) -> list[dict[str, object]]:
    """Per cut: how many outcomes, how far they missed, how many fell inside the range.

    Keys: ``n`` (and ``n_record`` with a range from the record), the years covered,
    ``median_abs_error_pct``, ``mean_abs_error_pct``, ``p90_abs_error_pct`` (90 % of misses within it),
    ``inside_p10_p90`` (share of outcomes inside the range) and ``inside_record`` (the same, record ranges only).
    """
    by_cut: dict[int, list[RecordRow]] = {}
    for r in rows:
        if r.actual is not None and r.error_pct is not None:
            by_cut.setdefault(r.cut, []).append(r)
    out = []
    for cut in sorted(by_cut):
        rs = by_cut[cut]
        abs_err = [abs(r.error_pct) for r in rs]  # type: ignore[arg-type]
        rec = [r for r in rs if r.basis == "record"]
        out.append({
            "cut": cut, "n": len(rs), "n_record": len(rec),
            "first_year": min(r.year for r in rs), "last_year": max(r.year for r in rs),
            "median_abs_error_pct": statistics.median(abs_err),
            "mean_abs_error_pct": statistics.fmean(abs_err),
            "p90_abs_error_pct": _pct(abs_err, 0.9),
            "inside_p10_p90": sum(bool(r.in80) for r in rs) / len(rs),
            "inside_record": (sum(bool(r.in80) for r in rec) / len(rec)) if rec else None,
        })
    return out


def overall(rows: Iterable[RecordRow]) -> dict[str, object]:
    """Every outcome at once: ``n``, ``inside_p10_p90``, ``n_record``, ``inside_record``, ``median_abs_error_pct``."""
    done = [r for r in rows if r.actual is not None and r.error_pct is not None]
    rec = [r for r in done if r.basis == "record"]
    return {
        "n": len(done),
        "inside_p10_p90": sum(bool(r.in80) for r in done) / len(done) if done else None,
        "n_record": len(rec),
        "inside_record": sum(bool(r.in80) for r in rec) / len(rec) if rec else None,
        "median_abs_error_pct": statistics.median(abs(r.error_pct) for r in done) if done else None,  # type: ignore[arg-type]
    }


def with_record(cast: Nowcast, monthly: Monthly, rows: Sequence[RecordRow] | None = None) -> Nowcast:
    """The nowcast with its p10/p90 from the record (``record_range`` at its cut), when the record can set them.

    Applies to the rule ``yoy_last3`` on the months January..cut of the year with no gap; anything
    else (the user's pace, a complete year, a fallback rule, too short a record) comes back unchanged.
    """
    if cast.rule != "yoy_last3" or not cast.known or cast.through is None:
        return cast
    cut = len(cast.known)
    if cast.known[-1].period != cast.through or int(cast.through[5:7]) != cut or cut not in CUTS:
        return cast
    if rows is None:
        rows = nowcast_record(monthly, cast.series, cuts=(cut,))
    row = next((r for r in rows if r.year == cast.year and r.cut == cut), None)
    if row is None or row.basis != "record" or abs(row.p50 - cast.p50) > 1e-6 * max(1.0, cast.p50):
        return cast
    return replace(cast, p10=row.p10, p90=row.p90, range_basis="record", method=cast.method + (
        f" The p10-p90 range is the record's: the errors of the nowcasts at the same month in "
        f"{row.n_before} earlier years, widened by the spread between three rules."))


def fallback_record(monthly: Monthly, series: str = TOTAL_SERIES, cuts: Iterable[int] = CUTS,
                    years: int = SEASONAL_YEARS) -> list[dict[str, object]]:
    """The fallback for a year without the previous year's months, tried on every past year and cut.

    For each year Y (with ``years`` complete years before Y - 1) and cut c: ``seasonal`` = the months
    known over their average share of a year in the years before Y - 1 (the previous year taken as
    missing; ``seasonal_estimate``), ``annual_growth`` = the rule it replaced, as it ran with the
    previous year's annual total known (data/exports.csv) but not its months: the months known plus
    each month to come at 1/12 of the total of Y - 1 grown by the growth of Y - 2 to Y - 1.
    Rows: ``year, cut, actual, seasonal, annual_growth, seasonal_error_pct, annual_growth_error_pct``.
    """
    values = _values(monthly, series)
    full_years = sorted(y for y in {i // 12 for i in values} if all(y * 12 + m in values for m in range(12)))
    annual = {y: sum(values[y * 12 + m] for m in range(12)) for y in full_years}
    out = []
    for year in full_years:
        ref = [y for y in full_years if y < year - 1][-years:]
        if len(ref) < years or year - 1 not in annual or year - 2 not in annual:
            continue
        shares = {m: statistics.fmean(values[y * 12 + m] / annual[y] for y in ref) for m in range(12)}
        for cut in sorted(set(cuts)):
            known = {m: values[year * 12 + m] for m in range(cut)}
            seasonal = seasonal_estimate(known, shares)
            g = annual[year - 1] / annual[year - 2] - 1.0
            old = sum(known.values()) + (12 - cut) * annual[year - 1] / 12.0 * (1.0 + g)
            actual = annual[year]
            out.append({"year": year, "cut": cut, "actual": actual, "seasonal": seasonal, "annual_growth": old,
                        "seasonal_error_pct": (actual / seasonal - 1.0) * 100.0,
                        "annual_growth_error_pct": (actual / old - 1.0) * 100.0})
    return out
