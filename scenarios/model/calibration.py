"""Calibration: every shock the Monte Carlo draws, estimated from the shipped data up to a chosen year.

Every estimate takes `as_of`: only years up to and including it are read (the
one gate is `upto`), so a backtest from a past year sees what was known then.
None means every year in data/.

Exports (export_volatility)
    One common factor: the chip cycle moves most series together, and the
    total is the best-measured series (annual since 2000; the industries
    have 1-10 growth years). Each series' log growth is regressed on the
    total's over overlapping years: the slope beta is shrunk toward 1 (a
    series moves one for one with the cycle unless its data say otherwise)
    and the residual sd toward the median of all series, both by m / (m + k).
    One multiplier c of every beta then makes the simulated total, at the
    latest base year's shares, swing exactly like the actual total (sd s_X of
    its log growth over every year up to as_of). sigma_i = sqrt((beta_i s_X)^2
    + own_i^2); correlations l_i l_j with l_i = beta_i s_X / sigma_i.
Fat tails (estimate_t_df)
    The pooled standardised growth rates (every export series with four or
    more growth years, the total, the won, the KOSPI's valuation residual)
    pick the degrees of freedom of unit-variance Student-t shocks by maximum
    likelihood on a grid; normal shocks when normal fits best or df > 30.
The won (estimate_macro_shocks)
    sigma of the annual log change of the average KRW per USD rate, and its
    correlation with total exports' log growth in the same year (shrunk
    toward 0 by m / (m + k)).
The KOSPI
    The lag: the one of -1, 0, 1 years at which the KOSPI's year-end log
    growth correlates most with total exports' log growth (lag 1: the market
    moves a year before exports do). Valuation shock: the KOSPI's log growth
    less elasticity 1 (the lever's default) times the export growth `lag`
    years on; its correlation with that export growth, and its sigma set so
    the simulated KOSPI swings like the actual one at that elasticity.
Trend (trend_growth)
    A series' compound growth over the TREND_YEARS years to as_of (fewer
    when the series is shorter), the centre of the backtest.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from scenarios.data.baseline import Baseline, BaselineError, MacroBaseline
from scenarios.data.dataset import Dataset
from scenarios.model.present import baseline_of
from scenarios.model.uncertainty import (
    DEFAULT_SHRINKAGE_K,
    DEFAULT_WINDOW,
    MIN_CORR_PAIRS,
    MacroShocks,
    Volatility,
    _frozen,
    baseline_series,
    estimate_volatility,
    log_growth,
)
from scenarios.model.yearahead import ChipCycle, chip_cycle
from scenarios.registry.i18n import fmt_pct, t
from scenarios.registry.levers import lever

TREND_YEARS = 10
LAGS = (-1, 0, 1)
DF_GRID = (3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0, 15.0, 20.0, 25.0, 30.0)
MIN_TAIL_OBS = 4          # a series enters the pooled tail estimate with at least this many growth years
FX_SERIES = "krw_per_usd_avg"
KOSPI_SERIES = "kospi_close_end"
FACTOR_METHOD = (
    "one common factor, the total's swings (the chip cycle moves most series together): each series' annual "
    "log growth (consecutive non-estimate years) is regressed on the total's over overlapping years; the "
    "slope beta is shrunk toward 1 and the residual sd toward the median of all series, both by m/(m+k) "
    "(m overlapping years, k = 4). Every beta is then multiplied by one number c so that the simulated total, "
    "at the latest base year's shares, swings exactly like the actual total (sd s_X of its log growth over "
    "every year up to as_of). sigma_i = sqrt((beta_i s_X)^2 + own_i^2); corr = l l' off the diagonal with "
    "l_i = beta_i s_X / sigma_i."
)


# ----------------------------------------------------------------------------- the as_of gate

def upto(values: Mapping[int, float], as_of: int | None) -> dict[int, float]:
    """The values of years up to and including as_of (all of them if None): every estimate reads through here."""
    if as_of is None:
        return {int(y): float(v) for y, v in values.items()}
    return {int(y): float(v) for y, v in values.items() if int(y) <= int(as_of)}


def export_series(baseline: Baseline, as_of: int | None) -> dict[str, dict[int, float]]:
    """The industries and `rest` (fills and breaks left out), years up to as_of."""
    return baseline_series(baseline, as_of)


def total_series(baseline: Baseline, as_of: int | None) -> dict[int, float]:
    """Actual total goods exports, years up to as_of."""
    return upto(baseline.actual_totals(), as_of)


def macro_series(macro: MacroBaseline, name: str, as_of: int | None) -> dict[int, float]:
    """One macro series, years up to as_of."""
    return upto(macro.series(name), as_of)


def _window(window: tuple[int, int], as_of: int | None) -> tuple[int, int]:
    return (int(window[0]), int(window[1]) if as_of is None else min(int(window[1]), int(as_of)))


# ----------------------------------------------------------------------------- small estimators

def _sd(values: list[float]) -> float:
    return float(np.std(values, ddof=1)) if len(values) >= 2 else math.nan


def _corr(a: list[float], b: list[float]) -> float:
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    x, y = x - x.mean(), y - y.mean()
    denom = math.sqrt(float(x @ x) * float(y @ y))
    return float(x @ y) / denom if denom > 0 else 0.0


def _shrunk(r: float, m: int, k: float) -> float:
    return r * (m / (m + k) if k > 0 else 1.0)


def paired(a: Mapping[int, float], b: Mapping[int, float], lag: int = 0) -> tuple[list[int], list[float], list[float]]:
    """Years y with a[y] and b[y + lag] both known: (years, a values, b values)."""
    years = [y for y in sorted(a) if y + lag in b]
    return years, [a[y] for y in years], [b[y + lag] for y in years]


def standardised(values: Mapping[int, float]) -> list[float]:
    """(x - mean) / sd (ddof 1) of a series' values; empty below MIN_TAIL_OBS values or with no spread."""
    x = np.asarray(list(values.values()), dtype=float)
    if len(x) < MIN_TAIL_OBS or x.std(ddof=1) <= 0:
        return []
    return ((x - x.mean()) / x.std(ddof=1)).tolist()


def unit_t_loglik(x: np.ndarray, df: float) -> float:
    """Log likelihood of unit-variance Student-t (normal if df is inf) for standardised data x."""
    x = np.asarray(x, dtype=float)
    if math.isinf(df):
        return float(np.sum(-0.5 * x * x - 0.5 * math.log(2 * math.pi)))
    c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(math.pi * (df - 2))
    return float(np.sum(c - (df + 1) / 2 * np.log1p(x * x / (df - 2))))


def estimate_t_df(samples: list[float] | np.ndarray, grid: tuple[float, ...] = DF_GRID) -> float:
    """Degrees of freedom of unit-variance Student-t shocks by maximum likelihood over `grid`.

    Returns inf (normal shocks) when the normal fits at least as well as every t in the grid, or
    with fewer than 20 samples. samples: standardised shocks (mean 0, variance about 1).
    """
    x = np.asarray(samples, dtype=float)
    x = x[np.isfinite(x)]
    if len(x) < 20:
        return math.inf
    best, best_ll = math.inf, unit_t_loglik(x, math.inf)
    for df in grid:
        ll = unit_t_loglik(x, df)
        if ll > best_ll:
            best, best_ll = df, ll
    return best


def trend_growth(values: Mapping[int, float], as_of: int, years: int = TREND_YEARS) -> tuple[float, int, int] | None:
    """Compound annual growth (percent) from the earliest year within `years` before as_of to as_of.

    Needs a value at as_of and one earlier; returns (pct, first, last) or None.
    """
    v = {y: x for y, x in upto(values, as_of).items() if x > 0 and y >= as_of - years}
    if as_of not in v or len(v) < 2:
        return None
    y0 = min(v)
    return ((v[as_of] / v[y0]) ** (1.0 / (as_of - y0)) - 1.0) * 100.0, y0, as_of


# ----------------------------------------------------------------------------- exports: the common factor

@dataclass(frozen=True)
class SingleIndex:
    """Each series' exposure to the common factor (the total's growth) and its own shock.

    beta: growth of the series per unit growth of the total (regression slope), shrunk toward 1;
    own: sd of what the total's growth leaves unexplained, shrunk toward the median of all series.
    """

    beta_raw: np.ndarray
    beta: np.ndarray
    own_raw: np.ndarray
    own: np.ndarray
    pairs: np.ndarray
    median_own: float


def single_index(growth: Mapping[str, Mapping[int, float]], total_growth: Mapping[int, float],
                 k: float = DEFAULT_SHRINKAGE_K) -> SingleIndex:
    """Regress each series' log growth on the total's over overlapping years (MIN_CORR_PAIRS or more).

    beta = m/(m+k) * slope + k/(m+k) * 1 (a series moves one for one with the cycle unless its data say
    otherwise); own = m/(m+k) * residual sd (ddof 2) + k/(m+k) * median residual sd; a series with too
    few pairs takes beta 1 and the median.
    """
    ids = list(growth)
    beta_raw = np.full(len(ids), np.nan)
    own_raw = np.full(len(ids), np.nan)
    pairs = np.zeros(len(ids), dtype=int)
    for i, s in enumerate(ids):
        _, a, b = paired(growth[s], total_growth)
        pairs[i] = len(a)
        if len(a) < MIN_CORR_PAIRS:
            continue
        y, x = np.asarray(a), np.asarray(b)
        xc, yc = x - x.mean(), y - y.mean()
        sxx = float(xc @ xc)
        slope = float(xc @ yc) / sxx if sxx > 0 else 0.0
        resid = yc - slope * xc
        beta_raw[i] = slope
        own_raw[i] = math.sqrt(float(resid @ resid) / (len(a) - 2)) if len(a) > 2 else 0.0
    median_own = float(np.nanmedian(own_raw)) if np.any(np.isfinite(own_raw)) else 0.0
    weight = np.where(np.isfinite(beta_raw), pairs / (pairs + k) if k > 0 else 1.0, 0.0)
    beta = weight * np.nan_to_num(beta_raw) + (1.0 - weight) * 1.0
    own = weight * np.nan_to_num(own_raw) + (1.0 - weight) * median_own
    return SingleIndex(beta_raw, beta, own_raw, own, pairs, median_own)


def implied_total_sigma(beta: np.ndarray, own: np.ndarray, weights: np.ndarray, sigma_total: float) -> float:
    """The sd of the total's first-order log shock, sum_i w_i (beta_i sigma_total f + own_i e_i) (w: shares)."""
    common = float(weights @ beta) * sigma_total
    return math.sqrt(max(common * common + float(np.sum((weights * own) ** 2)), 0.0))


def calibrate_beta(beta: np.ndarray, own: np.ndarray, weights: np.ndarray, sigma_total: float) -> float:
    """The one multiplier c of every beta that makes the implied total sd equal sigma_total (1 if none can)."""
    exposure = float(weights @ beta) * sigma_total
    room = sigma_total ** 2 - float(np.sum((weights * own) ** 2))
    if not (math.isfinite(sigma_total) and sigma_total > 0) or exposure == 0 or room <= 0:
        return 1.0
    return math.sqrt(room) / abs(exposure)


def base_shares(baseline: Baseline, as_of: int | None) -> tuple[int | None, np.ndarray]:
    """Shares of the goods series (counted by default) at the latest complete base year up to as_of."""
    years = [y for y in baseline.base_years() if (as_of is None or y <= as_of) and not baseline.is_nowcast(y)]
    ids = baseline.series_ids
    if not years:
        return None, np.zeros(len(ids))
    year = max(years)
    v = np.where(baseline.services_mask, 0.0, baseline.base_vector(year))
    return year, v / v.sum()


def export_volatility(baseline: Baseline, macro: MacroBaseline, window: tuple[int, int] = DEFAULT_WINDOW,
                      k: float = DEFAULT_SHRINKAGE_K, as_of: int | None = None,
                      df: float | None = None) -> Volatility:
    """The industries' and `rest`'s volatility on the common factor (see the module notes).

    Each series' shock is beta_i * the total's shock + its own: sigma_i = sqrt((c beta_i s_X)^2 + own_i^2)
    and loading_i = c beta_i s_X / sigma_i, with s_X the sd of the total's log growth over every year up to
    as_of and c the one multiplier that makes the simulated total, at the latest base year's shares
    (up to as_of), swing exactly like the actual total. df: the Student-t degrees of freedom to attach
    (None: estimated by pooled_t_df from data up to as_of).
    """
    base = baseline
    win = _window(window, as_of)
    series = export_series(base, as_of)
    total_growth = log_growth(total_series(base, as_of), win)
    s_x = _sd(list(total_growth.values()))
    if not math.isfinite(s_x):
        raise BaselineError(f"fewer than two total export growth rates up to {as_of}")
    try:
        vol = estimate_volatility(series, win, k)
    except ValueError:  # too early a year: no industry has two growth rates (kept for n_obs and years)
        ids = tuple(series)
        n = np.array([len(log_growth(series[s], win)) for s in ids], dtype=int)
        nan = np.full(len(ids), np.nan)
        vol = Volatility(ids, _frozen(np.full(len(ids), s_x)), _frozen(np.eye(len(ids))), _frozen(n), win,
                         float(k), _frozen(nan), s_x, _frozen(np.full((len(ids), len(ids)), np.nan)),
                         _frozen(np.diag(n)), {s: tuple(log_growth(series[s], win)) for s in ids})
    growth = {s: log_growth(series[s], win) for s in vol.ids}
    idx = single_index(growth, total_growth, k)
    share_year, weights = base_shares(base, as_of)
    before = implied_total_sigma(idx.beta, idx.own, weights, s_x) if share_year else math.nan
    c = calibrate_beta(idx.beta, idx.own, weights, s_x) if share_year else 1.0
    beta = c * idx.beta
    common = beta * s_x
    sigma = np.sqrt(common ** 2 + idx.own ** 2)
    loadings = np.divide(common, sigma, out=np.zeros_like(sigma), where=sigma > 0)
    after = implied_total_sigma(beta, idx.own, weights, s_x) if share_year else math.nan
    corr = np.outer(loadings, loadings)
    np.fill_diagonal(corr, 1.0)
    if df is None:
        df = pooled_t_df(base, macro, as_of, window)

    def rounded(a: np.ndarray) -> list:
        return [None if not math.isfinite(float(x)) else round(float(x), 4) for x in a]

    info = {
        "method": FACTOR_METHOD,
        "as_of": as_of,
        "total_sigma": round(s_x, 4),
        "total_growth_years": [min(total_growth), max(total_growth)],
        "total_growth_n": len(total_growth),
        "implied_total_sigma_before": None if not math.isfinite(before) else round(before, 4),
        "implied_total_sigma_after": None if not math.isfinite(after) else round(after, 4),
        "shares_year": share_year,
        "beta_multiplier": round(c, 4),
        "beta_raw": rounded(idx.beta_raw),
        "beta": rounded(beta),
        "own_sigma_raw": rounded(idx.own_raw),
        "own_sigma": rounded(idx.own),
        "median_own_sigma": round(idx.median_own, 4),
        "pairs_with_total": idx.pairs.tolist(),
        "calibrated": share_year is not None,
    }
    return replace(vol, sigma=_frozen(sigma), corr=_frozen(corr), loadings=_frozen(loadings), df=float(df),
                   calibration=info)


# ----------------------------------------------------------------------------- the won and the market

def kospi_lag(kospi_growth: Mapping[int, float], total_growth: Mapping[int, float],
              lags: tuple[int, ...] = LAGS) -> tuple[int, dict[int, tuple[float, int]]]:
    """The lag (years) at which the KOSPI's log growth correlates most with total exports' log growth later.

    Returns (lag, {lag: (correlation, pairs)}); lags with fewer than MIN_CORR_PAIRS pairs are skipped;
    ties and no data give 0.
    """
    found: dict[int, tuple[float, int]] = {}
    for lag in lags:
        _, a, b = paired(kospi_growth, total_growth, lag)
        if len(a) >= MIN_CORR_PAIRS:
            found[lag] = (_corr(a, b), len(a))
    if not found:
        return 0, found
    best = max(found, key=lambda lag: (found[lag][0], lag == 0))
    return best, found


def estimate_macro_shocks(total: Mapping[int, float], krw: Mapping[int, float], kospi: Mapping[int, float],
                          window: tuple[int, int] = DEFAULT_WINDOW, k: float = DEFAULT_SHRINKAGE_K,
                          elasticity_ref: float | None = None) -> tuple[MacroShocks, dict[int, float]]:
    """The won's and the KOSPI's shocks from plain level series (each {year: value}, already cut at as_of).

    Returns the MacroShocks and the KOSPI valuation residuals by year (for the pooled tail estimate).
    """
    e_ref = float(lever("earnings_elasticity").default) if elasticity_ref is None else float(elasticity_ref)
    gx = log_growth(total, window)
    gw = log_growth(krw, window)
    gk = log_growth(kospi, window)
    fx_sigma = _sd(list(gw.values()))
    fx_years, a, b = paired(gw, gx)
    fx_raw = _corr(a, b) if len(a) >= MIN_CORR_PAIRS else 0.0
    fx_corr = _shrunk(fx_raw, len(a), k)
    lag, by_lag = kospi_lag(gk, gx)
    val_years, kg, xg = paired(gk, gx, lag)
    resid = {y: kv - e_ref * xv for y, kv, xv in zip(val_years, kg, xg, strict=True)}
    resid_sigma = _sd(list(resid.values()))
    val_raw = _corr(list(resid.values()), xg) if len(resid) >= MIN_CORR_PAIRS else 0.0
    val_corr = _shrunk(val_raw, len(resid), k)
    # The valuation sigma that makes the simulated KOSPI swing like the actual one (sd s_K of its log growth)
    # at the reference elasticity, given the total's sd s_X and the correlation:
    # s_K^2 = (e s_X)^2 + s_v^2 + 2 rho e s_X s_v.
    s_x, s_k = _sd(list(gx.values())), _sd(list(gk.values()))
    val_sigma = resid_sigma
    if all(math.isfinite(v) for v in (s_x, s_k, resid_sigma)):
        a = val_corr * e_ref * s_x
        disc = a * a - (e_ref * s_x) ** 2 + s_k ** 2
        if disc > 0 and -a + math.sqrt(disc) > 0:
            val_sigma = -a + math.sqrt(disc)
    info = {
        "method": (
            "won: sd of the annual log change of the average KRW/USD rate, and its correlation with total "
            "exports' log growth in the same year, shrunk toward 0 by m/(m+k); KOSPI: the lag of highest "
            "correlation between its year-end log growth and total exports' log growth (of -1, 0, 1 years), "
            f"and a valuation shock = KOSPI log growth - {e_ref:g} x export log growth that many years on; "
            "its correlation with that export growth (shrunk the same way) and its sd, set so the simulated "
            "KOSPI swings like the actual one (sd of its year-end log growth) at that elasticity. Shocks have "
            "zero log mean: the krw_change and rerating levers stay the median."),
        "fx_years": [min(gw), max(gw)] if gw else None, "fx_n": len(gw),
        "fx_corr_raw": round(fx_raw, 4), "fx_corr_pairs": len(fx_years),
        "kospi_years": [min(gk), max(gk)] if gk else None, "kospi_n": len(gk),
        "kospi_sigma_raw": None if len(gk) < 2 else round(_sd(list(gk.values())), 4),
        "kospi_corr_by_lag": {str(lg): {"corr": round(c, 4), "pairs": n} for lg, (c, n) in sorted(by_lag.items())},
        "valuation_n": len(resid), "valuation_corr_raw": round(val_raw, 4),
        "valuation_resid_sigma": None if math.isnan(resid_sigma) else round(resid_sigma, 4),
    }
    shocks = MacroShocks(fx_sigma=0.0 if math.isnan(fx_sigma) else fx_sigma, fx_corr=fx_corr, lag=lag,
                         val_sigma=0.0 if math.isnan(val_sigma) else val_sigma, val_corr=val_corr,
                         elasticity_ref=e_ref, info=info)
    return shocks, resid


def macro_shocks(baseline: Baseline, macro: MacroBaseline, as_of: int | None = None,
                 window: tuple[int, int] = DEFAULT_WINDOW, k: float = DEFAULT_SHRINKAGE_K) -> MacroShocks:
    """The won and KOSPI shocks from the data, years up to as_of."""
    base, data = baseline, macro
    shocks, _ = estimate_macro_shocks(total_series(base, as_of), macro_series(data, FX_SERIES, as_of),
                                      macro_series(data, KOSPI_SERIES, as_of), _window(window, as_of), k)
    return shocks


def pooled_t_df(baseline: Baseline, macro: MacroBaseline, as_of: int | None = None,
                window: tuple[int, int] = DEFAULT_WINDOW) -> float:
    """The Student-t degrees of freedom of the shipped data's shocks (inf: normal), years up to as_of.

    estimate_t_df on the pooled standardised growth of every export series with four or more growth
    years, the total, the won and the KOSPI's valuation residual.
    """
    base, data = baseline, macro
    win = _window(window, as_of)
    pool: list[float] = []
    for values in export_series(base, as_of).values():
        pool += standardised(log_growth(values, win))
    totals = total_series(base, as_of)
    pool += standardised(log_growth(totals, win))
    krw, kospi = macro_series(data, FX_SERIES, as_of), macro_series(data, KOSPI_SERIES, as_of)
    pool += standardised(log_growth(krw, win))
    _, resid = estimate_macro_shocks(totals, krw, kospi, win)
    pool += standardised(resid)
    return estimate_t_df(pool)


# ----------------------------------------------------------------------------- everything together

@dataclass(frozen=True, eq=False)
class Calibration:
    """Everything the Monte Carlo draws, estimated from data up to as_of (None: every year)."""

    as_of: int | None
    vol: Volatility
    shocks: MacroShocks

    @property
    def df(self) -> float:
        """Degrees of freedom of the shocks (inf: normal)."""
        return self.vol.df

    def describe(self) -> dict:
        """A plain, JSON-ready dict of the method and every figure (for the methodology page)."""
        d = self.vol.describe()
        return {
            "as_of": self.as_of,
            "shocks": d["shocks"],
            "df": d["df"],
            "tails_method": ("unit-variance Student t by maximum likelihood on the pooled standardised growth "
                             f"rates (df grid {DF_GRID[0]:g}-{DF_GRID[-1]:g}); normal when it fits best"),
            "exports": {key: d[key] for key in ("method", "window", "shrinkage_k", "pooled_median_sigma",
                                                "series", "loadings")} | {"calibration": self.vol.calibration},
            "won_and_kospi": self.shocks.describe(),
        }


def calibrate(baseline: Baseline, macro: MacroBaseline, as_of: int | None = None,
              window: tuple[int, int] = DEFAULT_WINDOW, k: float = DEFAULT_SHRINKAGE_K) -> Calibration:
    """Estimate every shock from data up to as_of (see the module notes)."""
    base, data = baseline, macro
    if as_of is not None and not base.actual_totals().keys() & set(range(int(window[0]), int(as_of) + 1)):
        raise BaselineError(f"no total exports up to {as_of}")
    df = pooled_t_df(base, data, as_of, window)
    vol = with_chip_cycle(export_volatility(base, data, window, k, as_of, df=df), base, as_of)
    return Calibration(as_of, vol, macro_shocks(base, data, as_of, window, k))


CHIPS = "semiconductors"


def chip_history(baseline: Baseline, as_of: int | None = None) -> dict[int, float]:
    """Semiconductors' annual exports up to as_of, without nowcasts or carried fills."""
    return {y: v for y, (v, q) in baseline.history(CHIPS).items()
            if q not in ("nowcast", "estimate") and (as_of is None or y <= as_of)}


def cycle_of(baseline: Baseline, as_of: int | None = None) -> ChipCycle | None:
    """The chip cycle (scenarios.model.yearahead.chip_cycle) at the latest chip year up to as_of."""
    chips = chip_history(baseline, as_of)
    try:
        return chip_cycle(chips, max(chips)) if chips else None
    except ValueError:
        return None


def cycle_today(dataset: Dataset) -> ChipCycle | None:
    """The chip cycle with the year in progress (its nowcast) as the latest year: where the boom stands today."""
    chips = {y: v for y, (v, q) in baseline_of(dataset).history(CHIPS).items() if q != "estimate"}
    try:
        return chip_cycle(chips, max(chips)) if chips else None
    except ValueError:
        return None


def with_chip_cycle(vol: Volatility, baseline: Baseline, as_of: int | None) -> Volatility:
    """Chips' shocks as a reverting cycle: their persistence is the chip cycle's rho (others stay 1)."""
    cycle = cycle_of(baseline, as_of)
    if cycle is None or CHIPS not in vol.ids:
        return vol
    persistence = np.ones(len(vol.ids))
    persistence[vol.ids.index(CHIPS)] = cycle.rho
    info = {**vol.calibration, "chip_cycle": {
        "as_of": cycle.as_of, "years": [cycle.years[0], cycle.years[-1]], "n_years": len(cycle.years),
        "trend_log_growth": round(cycle.slope, 4), "gap": round(cycle.gap, 4), "rho": round(cycle.rho, 4),
        "rho_raw": round(cycle.rho_raw, 4), "pairs": cycle.pairs}}
    return replace(vol, persistence=_frozen(persistence), calibration=info)


def calibration_of(dataset: Dataset, as_of: int | None = None) -> Calibration:
    """The calibration of a Dataset's data up to as_of (None: every year), computed once per Dataset."""
    return dataset.derived(("calibration", as_of), lambda: calibrate(baseline_of(dataset), dataset.macro, as_of))


def baseline_volatility(baseline: Baseline, macro: MacroBaseline, window: tuple[int, int] = DEFAULT_WINDOW,
                        k: float = DEFAULT_SHRINKAGE_K, as_of: int | None = None) -> Volatility:
    """Volatility of the 10 industries and `rest`, tied by the common factor, chips as a reverting cycle."""
    return with_chip_cycle(export_volatility(baseline, macro, window=window, k=k, as_of=as_of), baseline, as_of)


# ----------------------------------------------------------------------------- words for the methodology



def method_notes(cal: Calibration, lang: str = "en", backtest: dict | None = None) -> list[str]:
    """The methodology's paragraphs on the ranges, with the calibration's figures (markdown).

    backtest: a coverage of the total to quote, as in scenarios.model.backtest.run()["checks"]["total_2016_2021"]
    ({"n", "in80", "in50"}, optionally "bases": "2016-2021"); left out if None.
    """
    c = cal
    info, sh = c.vol.calibration, c.shocks

    def pct(x: float | None, decimals: int = 1) -> str:
        return "-" if x is None or not math.isfinite(x) else fmt_pct(100.0 * x, lang, decimals)

    first, last = info.get("total_growth_years") or (None, None)
    out = [
        t("calib.method_exports", lang, multiplier=f"{info.get('beta_multiplier', 1.0):.2f}", first=first,
          last=last, total_sigma=pct(info.get("total_sigma")), before=pct(info.get("implied_total_sigma_before"))),
    ]
    fx_years = sh.info.get("fx_years") or (None, None)
    out.append(t("calib.method_won", lang, fx_sigma=pct(sh.fx_sigma), fx_first=fx_years[0], fx_last=fx_years[1],
                 fx_corr=f"{sh.fx_corr:.2f}", example=pct(sh.fx_sigma, 0)))
    by_lag = sh.info.get("kospi_corr_by_lag", {})
    k_years = sh.info.get("kospi_years") or (None, None)
    out.append(t("calib.method_kospi", lang, corr_lead=f"{by_lag.get('1', {}).get('corr', math.nan):.2f}",
                 corr_same=f"{by_lag.get('0', {}).get('corr', math.nan):.2f}", lag=sh.lag, val_sigma=pct(sh.val_sigma),
                 kospi_sigma=pct(sh.info.get("kospi_sigma_raw")), k_first=k_years[0], k_last=k_years[1]))
    chips = info.get("chip_cycle")
    if chips:
        out.append(t("yearahead.method_chips", lang, rho=f"{chips['rho']:.2f}", pairs=chips["pairs"],
                     first=chips["years"][0], last=chips["years"][1]))
    out.append(t("calib.method_tails_normal", lang) if math.isinf(c.df)
               else t("calib.method_tails_t", lang, df=f"{c.df:g}"))
    if backtest:
        out.append(t("calib.method_backtest", lang, bases=backtest.get("bases", "2016-2021"), n=backtest["n"],
                     in80=backtest["in80"], in50=backtest["in50"]))
    return out
