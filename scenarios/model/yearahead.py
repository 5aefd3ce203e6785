"""The year-ahead median and its band, from what was known at the time: the total's rule and the chip cycle.

Everything here takes ``as_of`` (the base year b) and reads only years up to it, so the backtest
(scenarios.model.backtest) scores forecasts that could have been made then.

Total exports (``total_median``)
    ln X(b+1) - ln X(b) = a + k * ln(KOSPI(b) / KOSPI(b-1)) + m * momentum(b), the coefficients by least
    squares on the years before b whose outcome was known at b (at least MIN_LEAD_PAIRS of them); momentum
    is the y/y log growth of the last MOMENTUM_MONTHS months of b (customs months, data/monthly.csv).
    Before enough KOSPI years exist: half the momentum, half the total's TREND_YEARS-year trend (the
    momentum fades by half in a year). Years after b+1 grow at that trend.
The chip cycle (``chip_cycle``)
    ln C(y) = trend(y) + d(y): a log-linear trend by least squares on every year with a value up to b, and
    the deviation reverting as d(y+1) = rho d(y) + e, rho by least squares through the origin on
    consecutive years, shrunk toward RHO_PRIOR by m / (m + k), cut to [0, RHO_MAX]. The median h years on
    is ln C(b) + h * slope + (rho^h - 1) d(b): a boom above trend is expected to fall back.
The band (``record_sigma``)
    The sd of the log error one year ahead is the root mean square of the rule's own one-year errors
    in the years before b (out of sample, each made from data up to its own year), once MIN_RECORD of them
    exist; before that, the sd of the series' annual log growth up to b. h years ahead the variance adds
    the series' growth variance for each further year (the total) or rho^2j of the one-year variance (chips).
    Quantiles are normal in logs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

MOMENTUM_MONTHS = 3
MIN_LEAD_PAIRS = 6
MIN_RECORD = 5
TREND_YEARS = 10
RHO_PRIOR = 0.5
RHO_MAX = 0.95
RHO_SHRINK_K = 4.0
FADE = 0.5


def log_growth_of(values: Mapping[int, float], year: int) -> float | None:
    """ln(V(year) / V(year - 1)), or None when either is missing or not positive."""
    a, b = values.get(year), values.get(year - 1)
    return math.log(a / b) if a and b and a > 0 and b > 0 else None


def trend_log_growth(values: Mapping[int, float], as_of: int, years: int = TREND_YEARS) -> float | None:
    """Mean annual log growth from the earliest year within `years` before as_of to as_of (None if too short)."""
    known = [y for y in values if as_of - years <= y <= as_of and values[y] > 0]
    if as_of not in known or len(known) < 2:
        return None
    y0 = min(known)
    return math.log(values[as_of] / values[y0]) / (as_of - y0)


def growth_sd(values: Mapping[int, float], as_of: int) -> float | None:
    """Sample sd of the annual log growth over consecutive years up to as_of (None with fewer than two)."""
    g = [x for y in values if y <= as_of and (x := log_growth_of(values, y)) is not None]
    return float(np.std(g, ddof=1)) if len(g) >= 2 else None


def momentum(months: Mapping[str, float], year: int, n: int = MOMENTUM_MONTHS) -> float | None:
    """y/y log growth of the last n months of `year` ({"YYYY-MM": value}); None when a month is missing."""
    now = [months.get(f"{year}-{m:02d}") for m in range(13 - n, 13)]
    before = [months.get(f"{year - 1}-{m:02d}") for m in range(13 - n, 13)]
    if any(v is None for v in (*now, *before)):
        return None
    return math.log(sum(now) / sum(before))  # type: ignore[arg-type]


@dataclass(frozen=True)
class TotalMedian:
    """The total's year-ahead median log growth from b, and how it was made."""

    as_of: int
    log_growth: float
    rule: str                 # "kospi_momentum" or "momentum_trend" or "trend"
    coefficients: tuple[float, ...] = ()
    pairs: int = 0
    trend: float = 0.0        # the log trend for the years after b + 1


def total_median(total: Mapping[int, float], kospi: Mapping[int, float], months: Mapping[str, float],
                 as_of: int) -> TotalMedian:
    """The total's median log growth from as_of to as_of + 1 (module notes), data up to as_of only."""
    b = as_of
    trend = trend_log_growth(total, b)
    if trend is None:
        raise ValueError(f"no total exports trend up to {b}")
    mom_b = momentum(months, b)
    k_b = log_growth_of(kospi, b)
    rows, ys = [], []
    for y in range(min(total), b):  # outcome y + 1 <= b: known at b
        g_next, k_y, m_y = log_growth_of(total, y + 1), log_growth_of(kospi, y), momentum(months, y)
        if g_next is not None and k_y is not None and m_y is not None:
            rows.append((1.0, k_y, m_y))
            ys.append(g_next)
    if len(rows) >= MIN_LEAD_PAIRS and k_b is not None and mom_b is not None:
        coef = np.linalg.lstsq(np.array(rows), np.array(ys), rcond=None)[0]
        value = float(coef @ np.array([1.0, k_b, mom_b]))
        return TotalMedian(b, value, "kospi_momentum", tuple(float(c) for c in coef), len(rows), trend)
    if mom_b is not None:
        return TotalMedian(b, FADE * mom_b + (1 - FADE) * trend, "momentum_trend", (), 0, trend)
    return TotalMedian(b, trend, "trend", (), 0, trend)


@dataclass(frozen=True)
class ChipCycle:
    """The chip cycle estimated at as_of: log trend, today's deviation from it, its reversion and shock."""

    as_of: int
    slope: float          # log growth of the trend a year
    gap: float            # ln C(as_of) - trend(as_of)
    rho: float            # the share of a deviation left a year on
    rho_raw: float
    pairs: int            # consecutive-year pairs behind rho
    years: tuple[int, ...]
    deviations: tuple[float, ...] = ()  # ln C(y) - trend(y) for each of `years`

    def largest_earlier_gap(self) -> tuple[int, float] | None:
        """The largest deviation above trend before as_of: (year, gap), or None."""
        earlier = [(y, d) for y, d in zip(self.years, self.deviations, strict=True) if y < self.as_of]
        return max(earlier, key=lambda yd: yd[1]) if earlier else None

    def median_log_change(self, ahead: int) -> float:
        """The median log change of chips from b to b + ahead: ln C(b + ahead) - ln C(b)."""
        return ahead * self.slope + (self.rho ** ahead - 1.0) * self.gap

    def persistence_variance(self, ahead: int) -> float:
        """sum_{j < ahead} rho^(2j): the h-year variance in units of the one-year shock's."""
        return float(sum(self.rho ** (2 * j) for j in range(ahead)))


def chip_cycle(values: Mapping[int, float], as_of: int, rho_prior: float = RHO_PRIOR,
               k: float = RHO_SHRINK_K) -> ChipCycle:
    """The chip cycle from the years up to as_of (module notes); ValueError with fewer than three years."""
    years = np.array(sorted(y for y, v in values.items() if y <= as_of and v > 0))
    if len(years) < 3 or as_of not in set(years.tolist()):
        raise ValueError(f"the chip cycle needs as_of={as_of} and two earlier years")
    logs = np.log([values[int(y)] for y in years])
    design = np.vstack([np.ones(len(years)), years - as_of]).T
    level, slope = np.linalg.lstsq(design, logs, rcond=None)[0]
    dev = {int(y): float(logs[i] - (level + slope * (y - as_of))) for i, y in enumerate(years)}
    pairs = [(dev[y - 1], dev[y]) for y in dev if y - 1 in dev]
    x = np.array([p[0] for p in pairs])
    z = np.array([p[1] for p in pairs])
    raw = float(x @ z / (x @ x)) if len(pairs) and float(x @ x) > 0 else rho_prior
    m = len(pairs)
    rho = min(max((m * raw + k * rho_prior) / (m + k), 0.0), RHO_MAX)
    return ChipCycle(as_of, float(slope), dev[as_of], rho, raw, m, tuple(int(y) for y in years),
                     tuple(dev[int(y)] for y in years))


def record_sigma(errors: list[float], fallback: float | None) -> float | None:
    """RMS of the past one-year log errors once MIN_RECORD exist, else the fallback (growth sd)."""
    if len(errors) >= MIN_RECORD:
        return float(math.sqrt(np.mean(np.square(errors))))
    return fallback


_Z = {q: NormalDist().inv_cdf(q) for q in (0.1, 0.25, 0.5, 0.75, 0.9)}


def log_quantiles(base_value: float, median_log_change: float, sd: float,
                  quantiles: tuple[float, ...]) -> list[float]:
    """Quantiles of base * exp(median + sd Z) with Z standard normal."""
    return [base_value * math.exp(median_log_change + sd * _Z.get(q, NormalDist().inv_cdf(q))) for q in quantiles]
