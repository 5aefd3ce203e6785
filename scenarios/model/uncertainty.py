"""Uncertainty: shocks estimated from the shipped data, and a Monte Carlo of exports, the won and the KOSPI.

Exports swing hard from year to year (semiconductors fell 24 % in 2023 and
rose 44 % in 2024), the won moves GDP in dollars (most of the 2021-2025 fall
of GNI per capita in USD was the won) and the KOSPI moves about 25 % a year,
so a single path overstates how sure any milestone is.

Volatility (estimate_volatility; scenarios.model.calibration for the shipped data)
    Per series, the annual log growth ln(V(y) / V(y-1)) over consecutive years
    inside the window whose values are both known; the shipped data's
    "estimate" values (carried or interpolated fills) are left out, since a
    fill fakes zero growth. sigma is the sample standard deviation (ddof 1),
    shrunk toward the pooled median sigma with weight n / (n + k). The
    shipped calibration (scenarios.model.calibration) ties the series together by
    one common factor, the chip cycle that moves most of them together, with
    loadings calibrated so the simulated total swings like the actual total
    (2001-2025); estimate_volatility alone gives shrunk pairwise correlations.

Simulation (simulate)
    V_i(t) = V_i(b) * prod_{u=b+1..t} (1 + g_i) * exp(e_iu - c_i), e_iu = s sigma_i (L eps_u)_i
    with eps_u standard normal (or unit-variance Student t sharing one mixing
    draw per year and path, when the data call for fat tails), independent
    across years; L L' is the correlation matrix and c_i = ln E[exp(e_iu)]
    keeps each series' mean on the user's path. s = 0 gives the deterministic
    projection exactly. The won (KRW per USD) and the KOSPI's valuation get
    their own shocks, correlated with the total's export shock (see
    MacroShocks): the domestic part of GDP, which is in dollars, is divided
    by the won's cumulative move, so GDP in USD, GNI per capita and the rank
    move with the won; the KOSPI follows the export shock with the lag the
    data show, times its own valuation shocks. Won and valuation shocks have
    zero log mean, so the levers (krw_change, rerating) stay the median.
    Peers and population stay deterministic. Chips are a reverting cycle: their
    log deviation from the path keeps only rho of itself a year (Volatility.persistence,
    the chip cycle's rho from scenarios.model.calibration), with the drift summed the
    same way, so their spread stops growing while the mean stays on the path.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np

from scenarios.data.baseline import NOWCAST_QUALITY, Baseline, MacroBaseline
from scenarios.model.projection import Projection
from scenarios.model.vision import top5_gdp_multiple, vision_links
from scenarios.registry.i18n import fmt_pct, t
from scenarios.registry.targets import TARGETS

DEFAULT_WINDOW = (2000, 2025)  # every year the data allow (the total from 2000; industries from 2014 at most)
DEFAULT_SHRINKAGE_K = 4.0
MIN_CORR_PAIRS = 3
DEFAULT_PATHS = 2_000
MAX_PATHS = 50_000
MAX_VOL_SCALE = 5.0  # beyond this, 30 years of float32 log shocks could overflow
DEFAULT_QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
BAND_TARGETS = ("exports_total", "gni_per_capita_usd", "kospi", "gdp_usd_bn", "gdp_rank")
# Paths are simulated in this many blocks, each from its own child of the seeded
# generator, on up to this many threads. The count is fixed, so the numbers
# never depend on the machine.
_RNG_BLOCKS = 2
_THREAD_MIN_CELLS = 20_000        # below this many path-years one thread is faster
_CHUNK_PATHS = 512                # paths per chunk: the chunk's shocks stay in cache
_SHOCK_DTYPE = np.float32         # normals and log shocks; levels and totals stay float64
# OpenBLAS runs a product with m * n * k up to this on the calling thread; a bigger one wakes BLAS
# workers that keep spinning after it returns and fight the other block for this machine's two cores.
_GEMM_SINGLE_THREAD_MNK = 4 * 65_536
# Student-t shocks are cut at this many standard deviations, so every mean is finite (ln E[exp] exists).
T_CLIP_SD = 5.0
NEGLIGIBLE_P = 0.01      # chances below 1 % are reported as "< 1 %"
NEGLIGIBLE_PATHS = 5     # ... and so is a chance resting on fewer than this many paths


# ----------------------------------------------------------------------------- volatility

@dataclass(frozen=True, eq=False)
class Volatility:
    """Annual volatility of each series' log growth and the correlation between series.

    Attributes
    ----------
    ids : tuple of str
        Series ids, aligned with every array.
    sigma : ndarray, shape (n,)
        Shrunk standard deviation of annual log growth (a fraction: 0.15 = 15 %).
    corr : ndarray, shape (n, n)
        Shrunk, positive semi-definite correlation matrix with a unit diagonal.
    n_obs : ndarray of int, shape (n,)
        Growth observations per series inside the window.
    window : (int, int)
        First and last year whose values may enter a growth rate.
    k : float
        Shrinkage strength: a series with n observations keeps weight n / (n + k).
    sigma_raw : ndarray, shape (n,)
        Unshrunk sample standard deviation (NaN below two observations).
    pooled_sigma : float
        Median of the raw sigmas of series with at least two observations.
    corr_raw : ndarray, shape (n, n)
        Unshrunk correlations (NaN where fewer than three overlapping pairs).
    n_pairs : ndarray of int, shape (n, n)
        Overlapping growth years behind each correlation.
    years : dict
        Growth years used per series (the year a growth rate ends in).
    loadings : ndarray, shape (n,), optional
        Each series' loading on one common factor (the chip cycle): corr = l l' off the
        diagonal. None for pairwise correlations (estimate_volatility).
    df : float
        Degrees of freedom of the Student-t shocks; inf for normal shocks.
    calibration : dict
        How the shipped estimate was made (scenarios.model.calibration): figures for the methodology.
    persistence : ndarray, shape (n,), optional
        The share of a series' past shock left a year on: 1 (None) for a random walk in the level;
        below 1 for a cycle that reverts to the series' path (the chip cycle's rho), so its shocks
        turn instead of piling up.

    """

    ids: tuple[str, ...]
    sigma: np.ndarray
    corr: np.ndarray
    n_obs: np.ndarray
    window: tuple[int, int]
    k: float
    sigma_raw: np.ndarray
    pooled_sigma: float
    corr_raw: np.ndarray
    n_pairs: np.ndarray
    years: dict[str, tuple[int, ...]]
    loadings: np.ndarray | None = None
    df: float = math.inf
    calibration: dict = field(default_factory=dict)
    persistence: np.ndarray | None = None

    def persistence_of(self) -> np.ndarray:
        """Each series' persistence (ones where none was set: a random walk)."""
        return np.ones(len(self.ids)) if self.persistence is None else np.asarray(self.persistence, dtype=float)

    def sigma_of(self, series_id: str) -> float:
        """One series' (shrunk) sigma."""
        return float(self.sigma[self.ids.index(series_id)])

    def corr_of(self, a: str, b: str) -> float:
        """The (shrunk, PSD) correlation between two series."""
        return float(self.corr[self.ids.index(a), self.ids.index(b)])

    def subset(self, ids: Sequence[str]) -> Volatility:
        """The same estimates for some series, in the given order (for aligning with a projection)."""
        missing = [s for s in ids if s not in self.ids]
        if missing:
            raise KeyError(f"no volatility for {', '.join(missing)}")
        idx = np.array([self.ids.index(s) for s in ids], dtype=np.intp)
        sub = np.ix_(idx, idx)
        if tuple(ids) == self.ids:
            return self
        return Volatility(tuple(ids), _frozen(self.sigma[idx]), _frozen(self.corr[sub]), _frozen(self.n_obs[idx]),
                          self.window, self.k, _frozen(self.sigma_raw[idx]), self.pooled_sigma,
                          _frozen(self.corr_raw[sub]), _frozen(self.n_pairs[sub]),
                          {s: self.years[s] for s in ids},
                          None if self.loadings is None else _frozen(self.loadings[idx]), self.df, self.calibration,
                          None if self.persistence is None else _frozen(self.persistence[idx]))

    def shock_matrix(self) -> np.ndarray:
        """A matrix L with L @ L.T = corr.

        [loadings | diag(sqrt(1 - loadings^2))] for the one-factor model (the first column is the
        common factor), else the Cholesky factor of corr.
        """
        if self.loadings is None:
            return shock_factor(self.corr)
        b = np.clip(self.loadings, -1.0, 1.0)
        return np.column_stack([b, np.diag(np.sqrt(1.0 - b * b))])

    def portfolio_sigma(self, weights: Mapping[str, float]) -> float:
        """First-order sigma of a weighted sum's log growth, sqrt(w' S w) with w the shares of the sum.

        Use it to compare the model's implied volatility of total exports
        (weights = base-year values) with the total's own history.
        """
        w = np.array([float(weights.get(s, 0.0)) for s in self.ids])
        if w.sum() <= 0:
            raise ValueError("weights must have a positive sum")
        w = w / w.sum() * self.sigma
        return float(math.sqrt(max(float(w @ self.corr @ w), 0.0)))

    def describe(self) -> dict:
        """A plain dict for the methodology table: method, window, k, and each series' figures."""
        weights = np.where(self.n_obs >= 2, self.n_obs / (self.n_obs + self.k) if self.k > 0 else 1.0, 0.0)
        return {
            "method": self.calibration.get("method") or (
                       "sample standard deviation of annual log growth over consecutive non-estimate years, "
                       "shrunk toward the pooled median with weight n/(n+k); Pearson correlations on "
                       f"overlapping years (0 below {MIN_CORR_PAIRS} pairs) shrunk toward 0 with weight "
                       "m/(m+k); eigenvalues clipped at 0 and the diagonal rescaled to 1"),
            "window": list(self.window),
            "shrinkage_k": self.k,
            "pooled_median_sigma": self.pooled_sigma,
            "series": [
                {"id": s, "n_obs": int(self.n_obs[i]),
                 "first_year": self.years[s][0] - 1 if self.years[s] else None,
                 "last_year": self.years[s][-1] if self.years[s] else None,
                 "sigma_raw": None if np.isnan(self.sigma_raw[i]) else float(self.sigma_raw[i]),
                 "weight": float(weights[i]), "sigma": float(self.sigma[i])}
                for i, s in enumerate(self.ids)
            ],
            "corr": {"ids": list(self.ids), "matrix": self.corr.round(4).tolist(),
                     "n_pairs": self.n_pairs.tolist()},
            "loadings": None if self.loadings is None else [round(float(x), 4) for x in self.loadings],
            "shocks": "normal" if math.isinf(self.df) else f"Student t, df {self.df:g}, cut at {T_CLIP_SD:g} sd",
            "df": None if math.isinf(self.df) else self.df,
            **({"calibration": self.calibration} if self.calibration else {}),
        }


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, copy=True)
    a.setflags(write=False)
    return a


def log_growth(values: Mapping[int, float], window: tuple[int, int] = DEFAULT_WINDOW) -> dict[int, float]:
    """Annual log growth ln(V(y) / V(y-1)) by ending year y, for consecutive years inside the window.

    Non-positive or non-finite values are skipped, so neither they nor their
    neighbours produce a growth rate.
    """
    lo, hi = window
    ok = {int(y): float(v) for y, v in values.items()
          if lo <= int(y) <= hi and math.isfinite(float(v)) and float(v) > 0}
    return {y: math.log(ok[y] / ok[y - 1]) for y in sorted(ok) if y - 1 in ok}


def nearest_psd_correlation(c: np.ndarray) -> np.ndarray:
    """The matrix with negative eigenvalues clipped at 0, rescaled to a unit diagonal (symmetric PSD)."""
    c = (np.asarray(c, dtype=float) + np.asarray(c, dtype=float).T) / 2.0
    w, v = np.linalg.eigh(c)
    if w.min() < 0:
        c = (v * np.clip(w, 0.0, None)) @ v.T
        d = np.sqrt(np.clip(np.diag(c), 1e-300, None))
        c = c / np.outer(d, d)
        c = (c + c.T) / 2.0
    np.fill_diagonal(c, 1.0)
    return c


def estimate_volatility(series: Mapping[str, Mapping[int, float]], window: tuple[int, int] = DEFAULT_WINDOW,
                        k: float = DEFAULT_SHRINKAGE_K) -> Volatility:
    """Estimate per-series sigma and the correlation of annual log growth from plain value series.

    Parameters
    ----------
    series : mapping of id -> {year: value}
        Levels (e.g. USD bn). Leave out values that must not count (fills).
    window : (int, int)
        First and last year whose values may enter a growth rate.
    k : float
        Shrinkage strength (0: no shrinkage). Short series borrow from the
        pooled median sigma, thin correlations from 0.

    Returns
    -------
    Volatility

    """
    if k < 0 or not math.isfinite(k):
        raise ValueError(f"shrinkage k must be >= 0, got {k}")
    ids = tuple(series)
    if not ids:
        raise ValueError("no series to estimate from")
    growth = [log_growth(series[s], window) for s in ids]
    n = np.array([len(g) for g in growth], dtype=int)
    raw = np.array([np.std(list(g.values()), ddof=1) if len(g) >= 2 else np.nan for g in growth])
    if np.all(np.isnan(raw)):
        raise ValueError(f"no series has two growth observations inside {window[0]}-{window[1]}")
    pooled = float(np.nanmedian(raw))
    weight = np.where(n >= 2, n / (n + k) if k > 0 else 1.0, 0.0)
    sigma = weight * np.nan_to_num(raw) + (1.0 - weight) * pooled

    size = len(ids)
    corr_raw = np.full((size, size), np.nan)
    pairs = np.zeros((size, size), dtype=int)
    shrunk = np.eye(size)
    for i in range(size):
        pairs[i, i] = n[i]
        corr_raw[i, i] = 1.0
        for j in range(i):
            common = sorted(set(growth[i]) & set(growth[j]))
            pairs[i, j] = pairs[j, i] = len(common)
            if len(common) < MIN_CORR_PAIRS:
                continue
            a = np.array([growth[i][y] for y in common])
            b = np.array([growth[j][y] for y in common])
            a, b = a - a.mean(), b - b.mean()
            denom = math.sqrt(float(a @ a) * float(b @ b))
            r = float(a @ b) / denom if denom > 0 else 0.0
            corr_raw[i, j] = corr_raw[j, i] = r
            m = len(common)
            shrunk[i, j] = shrunk[j, i] = r * (m / (m + k) if k > 0 else 1.0)
    corr = nearest_psd_correlation(shrunk)
    return Volatility(ids, _frozen(sigma), _frozen(corr), _frozen(n), (int(window[0]), int(window[1])), float(k),
                      _frozen(raw), pooled, _frozen(corr_raw), _frozen(pairs),
                      {s: tuple(g) for s, g in zip(ids, growth, strict=True)})


# Years before which a series' values are not comparable with later ones (data/SOURCES.md): no
# growth rate is taken across the break. Content exports count games' overseas sales only from 2017.
SERIES_BREAKS = {"metaverse": 2017}


def baseline_series(baseline: Baseline, as_of: int | None = None) -> dict[str, dict[int, float]]:
    """Each series' history from the shipped data, without filled estimates, the nowcast or pre-break years.

    as_of: only years up to and including it (None: every year).
    """
    base = baseline
    last = math.inf if as_of is None else int(as_of)
    # `rest` is the published total minus the industries: its small estimated parts are kept (as in trends)
    return {s: {y: v for y, (v, q) in base.history(s).items()
                if (q != "estimate" or s == "rest") and q != NOWCAST_QUALITY and SERIES_BREAKS.get(s, 0) <= y <= last}
            for s in base.series_ids}


def total_volatility(baseline: Baseline, window: tuple[int, int] = DEFAULT_WINDOW,
                     as_of: int | None = None) -> float:
    """The raw sigma of actual total goods exports' annual log growth (the calibration's target)."""
    base = baseline
    hi = window[1] if as_of is None else min(window[1], int(as_of))
    return float(estimate_volatility({"total": base.actual_totals()}, (window[0], hi), k=0.0).sigma[0])


# ----------------------------------------------------------------------------- the won and the market

@dataclass(frozen=True, eq=False)
class MacroShocks:
    """Yearly shocks to the won and to the KOSPI's valuation, tied to the total's export shock.

    Attributes
    ----------
    fx_sigma : float
        Sigma of the annual log change of the average KRW per USD rate.
    fx_corr : float
        Its correlation with the total's export log growth in the same year (shrunk toward 0).
    lag : int
        The KOSPI's year-on-year move follows total exports `lag` years later (1: the market leads
        exports by a year), estimated as the lag of highest correlation.
    val_sigma : float
        Sigma of the KOSPI's valuation shock: its log growth less elasticity_ref times the export log
        growth `lag` years on (what the earnings link leaves unexplained).
    val_corr : float
        Correlation of that valuation shock with the same (lagged) export growth (shrunk toward 0).
    elasticity_ref : float
        The earnings elasticity the valuation shock was measured against (the lever's default).
    info : dict
        Observations, years and raw figures behind each estimate (for the methodology).

    """

    fx_sigma: float = 0.0
    fx_corr: float = 0.0
    lag: int = 0
    val_sigma: float = 0.0
    val_corr: float = 0.0
    elasticity_ref: float = 1.0
    info: dict = field(default_factory=dict)

    def describe(self) -> dict:
        """A plain dict for the methodology page."""
        return {"fx_sigma": self.fx_sigma, "fx_corr": self.fx_corr, "kospi_lag_years": self.lag,
                "valuation_sigma": self.val_sigma, "valuation_corr": self.val_corr,
                "elasticity_ref": self.elasticity_ref, **self.info}


NO_MACRO_SHOCKS = MacroShocks(info={"method": "won and KOSPI valuation held at the levers (no shocks)"})


# ----------------------------------------------------------------------------- chances in words

def top5_text(sim: Simulation, lang: str = "en") -> str:
    """What a top-5 economy takes, in words: "needs about 3.6x today's GDP by 2035 ..." (calib.top5_needs)."""
    return t("calib.top5_needs", lang, multiple=f"{sim.top5_gdp_multiple:.1f}", year=int(sim.years[-1]),
             base=int(sim.years[0]))


def is_negligible(p: float, n_paths: int | None) -> bool:
    """True if a chance should be reported as "< 1 %".

    That is below 1 % (0 included: no path reaching a target does not make it impossible), or resting on
    fewer than NEGLIGIBLE_PATHS of n_paths (a handful of freak paths is not a chance the model can resolve).
    n_paths None: a chance read off a closed-form distribution (the nowcast's), where 0 is exactly 0.
    """
    if n_paths is None:
        return 0.0 < p < NEGLIGIBLE_P
    return p < NEGLIGIBLE_P or p * n_paths < NEGLIGIBLE_PATHS - 1e-9


def is_near_certain(p: float, n_paths: int | None) -> bool:
    """The mirror rule: "> 99 %" when the paths that miss are that few."""
    return is_negligible(1.0 - p, n_paths)


def probability_text(p: float, n_paths: int | None, lang: str = "en") -> str:
    """A chance for display: "< 1 %" and "> 99 %" by the rules above, else a whole percentage.

    n_paths: the simulated paths behind it, or None for a closed-form chance (the nowcast's).
    """
    if is_negligible(p, n_paths):
        return t("ranges.below_one", lang)
    if is_near_certain(p, n_paths):
        return t("ranges.above_99", lang)
    return fmt_pct(100.0 * p, lang, 0)


# ----------------------------------------------------------------------------- simulation

@dataclass(frozen=True, eq=False)
class Simulation:
    """Monte Carlo paths of total exports and the 5/5/5 targets; arrays have shape (n_paths, n_years).

    top5_gdp_multiple: the 5th-largest peer's GDP at the horizon over Korea's GDP in the base year
    (scenarios.model.vision.top5_gdp_multiple), so a tiny chance of a top-5 economy can be put in words.
    """

    years: np.ndarray
    target_year: int
    totals: np.ndarray
    gdp: np.ndarray
    gni: np.ndarray
    kospi: np.ndarray
    rank: np.ndarray
    n_paths: int
    seed: int | None
    vol_scale: float
    top5_gdp_multiple: float = math.nan
    series_ids: tuple[str, ...] = ()              # the counted series whose own paths are kept (series_paths)
    series_paths: np.ndarray | None = None        # (n_series, n_years, n_paths): each counted series' paths
    # The simulated shocks behind the won and the KOSPI, as simulate() drew them (so another set of 5/5/5
    # levers can be applied to the same paths: relink). Each (n_years, n_paths), year b at 0: the won's
    # cumulative log shock; the KOSPI's log factor on its path; the part of that factor tied to the export
    # shock, which is market_tied_coef times the cumulated (lagged) base-year-weighted export shock, and
    # market_tied_coef's rate of change with the earnings elasticity (market_tied_slope), at the elasticity
    # simulated (market_elasticity).
    fx_log: np.ndarray | None = None
    market_log: np.ndarray | None = None
    market_tied_log: np.ndarray | None = None
    market_tied_coef: float = math.nan
    market_tied_slope: float = math.nan
    market_elasticity: float = math.nan
    linear_shocks: bool = False                   # normal shocks (no cut): the tied part scales with its coefficient

    def _upto(self, year: int) -> int:
        return int(np.clip(year - int(self.years[0]), 0, len(self.years) - 1)) + 1

    def probabilities(self) -> dict[str, float]:
        """Share of paths reaching each target: exports by the target year, the 5/5/5 by the horizon."""
        paths = {"exports_total": self.totals, "gni_per_capita_usd": self.gni, "kospi": self.kospi,
                 "gdp_rank": self.rank}
        horizon = int(self.years[-1])
        out = {}
        for tg in TARGETS:
            upto = self._upto(tg.deadline(self.target_year, horizon))
            hit = tg.reached(paths[tg.series][:, :upto]).any(axis=1)
            out[tg.key] = float(np.count_nonzero(hit)) / self.n_paths
        return out

    def probabilities_by(self, year: int) -> dict[str, float]:
        """Share of paths reaching each target by `year` (every target by the same year)."""
        upto = self._upto(year)
        paths = {"exports_total": self.totals, "gni_per_capita_usd": self.gni, "kospi": self.kospi,
                 "gdp_rank": self.rank}
        return {tg.key: float(np.count_nonzero(tg.reached(paths[tg.series][:, :upto]).any(axis=1))) / self.n_paths
                for tg in TARGETS}

    def negligible(self) -> dict[str, bool]:
        """Per target, whether its chance is to be reported as "< 1 %" (is_negligible)."""
        return {key: is_negligible(p, self.n_paths) for key, p in self.probabilities().items()}

    def bands(self, quantiles: Sequence[float] = DEFAULT_QUANTILES) -> dict[str, dict[float, np.ndarray]]:
        """Per target, each quantile's path across simulations: {target: {q: array (n_years,)}}."""
        qs = np.asarray(quantiles, dtype=float)
        if qs.ndim != 1 or np.any((qs < 0) | (qs > 1)):
            raise ValueError("quantiles must be a list of numbers in [0, 1]")
        out = {}
        for name, arr in zip(BAND_TARGETS, (self.totals, self.gni, self.kospi, self.gdp, self.rank), strict=True):
            values = sorted_quantiles(np.moveaxis(arr, 0, -1), qs)  # each year's paths: (n_years, n_paths)
            out[name] = {float(q): values[i] for i, q in enumerate(qs)}
        if self.series_paths is not None:  # each export series on its own (its paths, year by year)
            values = sorted_quantiles(self.series_paths, qs)  # (n_q, n_series, n_years)
            for k, sid in enumerate(self.series_ids):
                out[sid] = {float(q): values[i, k] for i, q in enumerate(qs)}
        return out

    def spread_shares(self, year: int) -> dict[str, float]:
        """Each counted series' share of the spread of total exports in `year`: cov(V_i, X) / var(X).

        The shares add up to 1 (the total is the sum of the counted series); empty without series paths
        or without any spread.
        """
        if self.series_paths is None:
            return {}
        i = self._upto(year) - 1
        x = self.totals[:, i] - self.totals[:, i].mean()
        var = float(x @ x)
        if var <= 0:
            return {}
        parts = self.series_paths[:, i, :] - self.series_paths[:, i, :].mean(axis=1, keepdims=True)
        return {sid: float(parts[k] @ x) / var for k, sid in enumerate(self.series_ids)}

    def to_dict(self, quantiles: Sequence[float] = DEFAULT_QUANTILES) -> dict:
        """JSON-ready summary: settings, probabilities and bands as p10/p25/p50/p75/p90 lists."""
        bands = self.bands(quantiles)
        return {
            "n_paths": self.n_paths, "seed": self.seed, "vol_scale": self.vol_scale,
            "years": self.years.tolist(),
            "probabilities": self.probabilities(),
            "negligible": self.negligible(),
            "top5_gdp_multiple": None if math.isnan(self.top5_gdp_multiple) else round(self.top5_gdp_multiple, 3),
            "bands": {name: {f"p{round(q * 100):d}": v.tolist() for q, v in b.items()} for name, b in bands.items()},
        }


def sorted_quantiles(arr: np.ndarray, qs: np.ndarray) -> np.ndarray:
    """np.quantile(arr, qs, axis=-1), with the rows sorted first: the same values, in about half the time.

    The quantiles are read off the same order statistics either way; numpy's vectorised sort of each row and
    a quantile of sorted rows take less than its partition at five quantiles (9 -> 4 ms a rerun at 2,000 paths).
    """
    return np.quantile(np.sort(arr, axis=-1), qs, axis=-1)


def shock_factor(corr: np.ndarray) -> np.ndarray:
    """A matrix L with L @ L.T = corr: Cholesky if positive definite, else from the eigen-decomposition."""
    try:
        return np.linalg.cholesky(corr)
    except np.linalg.LinAlgError:
        w, v = np.linalg.eigh(corr)
        return v * np.sqrt(np.clip(w, 0.0, None))


def unit_t_log_mgf(a: np.ndarray, df: float, clip: float = T_CLIP_SD) -> np.ndarray:
    """The log of E[exp(a * T)] for T a unit-variance shock.

    a^2 / 2 when normal (df inf); for Student t with df degrees of freedom, cut at +-clip standard
    deviations, by numerical integration of its density.
    """
    a = np.asarray(a, dtype=float)
    if math.isinf(df):
        return 0.5 * a * a
    scale = math.sqrt((df - 2.0) / df)  # T = scale * t_df
    x = np.linspace(-clip, clip, 4001)
    u = x / scale
    logc = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    dens = np.exp(logc - (df + 1) / 2 * np.log1p(u * u / df)) / scale
    dx = x[1] - x[0]
    w = np.full_like(x, dx)
    w[0] = w[-1] = dx / 2
    mass = dens * w
    tail = max(0.0, (1.0 - float(mass.sum())) / 2.0)  # the cut-off tails sit at +-clip
    vals = np.exp(np.multiply.outer(a, x)) @ mass + tail * (np.exp(a * clip) + np.exp(-a * clip))
    norm = float(mass.sum()) + 2.0 * tail
    return np.where(a == 0, 0.0, np.log(vals / norm))  # exactly 0 without a shock (s = 0 is the path itself)


def _simulate_block(rng: np.random.Generator, mix: np.ndarray, level: np.ndarray, n_counted: int, lag: int,
                    df: float, limit: np.ndarray, totals: np.ndarray, fx: np.ndarray, market: np.ndarray,
                    series: np.ndarray | None = None, persist: np.ndarray | None = None,
                    market_tied: np.ndarray | None = None) -> None:
    """One block of paths, with shocks drawn one year past the horizon (for the KOSPI's lead on exports).

    Total exports go into totals, the won's cumulative log shock into fx and the KOSPI's log factor into
    market, each (n_years - 1, n_block) for years b+1..H.

    mix rows: the counted series' log shocks; the won's; the KOSPI's part tied to the export shock (its
    earnings, elasticity x the base-year-weighted export log shock, plus the valuation's tied part),
    taken `lag` years on; the valuation's own part. mix columns: the standard shocks drawn (the series'
    factor shocks, then one for the won and one for the valuation). level: the counted series'
    deterministic values with the ln E[exp] drift, years b+1..H. limit: each row's cut (t shocks).
    persist: each counted series' share of last year's log deviation kept (None: all 1, a random walk).
    market_tied: if given, the cumulated tied part of the KOSPI's log factor alone (same shape as market).
    The block is worked through in chunks of paths small enough to stay in cache; each chunk draws its
    shocks from `rng` in turn.
    """
    n_out, n_paths = totals.shape
    n_steps = n_out + 1
    n_rows, n_z = mix.shape
    width = min(_CHUNK_PATHS, n_paths)
    z_buf = np.empty(n_z * n_steps * width, dtype=_SHOCK_DTYPE)
    shock_buf = np.empty(n_rows * n_steps * width, dtype=_SHOCK_DTYPE)
    value_buf = np.empty(n_counted * n_out * width)
    mix = mix.astype(_SHOCK_DTYPE)
    lim = limit.astype(_SHOCK_DTYPE)[:, None]
    step = max(_GEMM_SINGLE_THREAD_MNK // max(n_rows * n_z, 1), 1)
    fat = not math.isinf(df)
    # year i (0 = b+1) of the KOSPI takes the tied shock of year i + lag (none for years before b+1)
    first, last = max(0, -lag), min(n_out, n_steps - lag)
    cycle = None if persist is None or np.all(persist == 1.0) else persist.astype(_SHOCK_DTYPE)[:, None]
    for lo in range(0, n_paths, width):
        w = min(width, n_paths - lo)
        cols = n_steps * w
        z = z_buf[:n_z * cols].reshape(n_z, cols)
        rng.standard_normal(out=z, dtype=_SHOCK_DTYPE)
        shocks = shock_buf[:n_rows * cols].reshape(n_rows, cols)
        for a in range(0, cols, step):
            np.matmul(mix, z[:, a:a + step], out=shocks[:, a:a + step])
        if fat:  # multivariate t: one mixing draw per year and path, shared by every shock of that year
            shocks *= np.sqrt((df - 2.0) / rng.chisquare(df, cols)).astype(_SHOCK_DTYPE)
            np.clip(shocks, -lim, lim, out=shocks)
        paths = shocks.reshape(n_rows, n_steps, w)
        if n_out < 1:
            continue
        log_paths = paths[:n_counted, :n_out]
        for year in range(1, n_out):  # cumulative log shock along years (rows of paths: fast)
            if cycle is None:
                log_paths[:, year] += log_paths[:, year - 1]
            else:  # a reverting cycle keeps only part of last year's deviation
                log_paths[:, year] += cycle * log_paths[:, year - 1]
        np.exp(log_paths, out=log_paths)
        vc = value_buf[:n_counted * n_out * w].reshape(n_counted, n_out, w)
        np.multiply(log_paths, level[:, :, None], out=vc)
        np.sum(vc, axis=0, out=totals[:, lo:lo + w])  # series by series, in the same order as project()
        if series is not None:
            series[:, :, lo:lo + w] = vc
        np.cumsum(paths[n_counted, :n_out], axis=0, dtype=np.float64, out=fx[:, lo:lo + w])
        tied, own = paths[n_counted + 1], paths[n_counted + 2, :n_out]
        if market_tied is not None:
            market_tied[:, lo:lo + w] = 0.0
            if last > first:
                np.cumsum(tied[first + lag:last + lag], axis=0, dtype=np.float64,
                          out=market_tied[first:last, lo:lo + w])
                market_tied[last:, lo:lo + w] = market_tied[last - 1, lo:lo + w]
        if last > first:
            own[first:last] += tied[first + lag:last + lag]
        np.cumsum(own, axis=0, dtype=np.float64, out=market[:, lo:lo + w])


def simulate(proj: Projection, vol: Volatility, n_paths: int = DEFAULT_PATHS, seed: int | None = 1,
             vol_scale: float = 1.0, *, macro: MacroBaseline, shocks: MacroShocks | None,
             won_and_market: bool = True) -> Simulation:
    """Monte Carlo of every export series, the won and the KOSPI around the user's levers, with the 5/5/5 links.

    Parameters
    ----------
    proj : Projection
        The deterministic projection (growth rates, base year, horizon, counted series).
    vol : Volatility
        Must cover proj.series_ids (scenarios.model.calibration.calibration_of(dataset).vol).
    n_paths : int
        Number of simulated paths (1 to MAX_PATHS).
    seed : int or None
        Seed for numpy.random.default_rng; the same seed gives the same numbers.
    vol_scale : float
        Multiplies every sigma, the won's and the KOSPI's too (0 to MAX_VOL_SCALE); 0 reproduces the
        deterministic path exactly.
    macro : MacroBaseline
        The macro and peer data for the links.
    shocks : MacroShocks or None
        The won and KOSPI valuation shocks (the calibration's); None only with won_and_market=False.
    won_and_market : bool
        False holds the won and the KOSPI's valuation at the levers (exports alone are random).

    Returns
    -------
    Simulation

    """
    n_paths = int(n_paths)
    if not 1 <= n_paths <= MAX_PATHS:
        raise ValueError(f"n_paths must be between 1 and {MAX_PATHS}, got {n_paths}")
    if not (math.isfinite(vol_scale) and 0 <= vol_scale <= MAX_VOL_SCALE):
        raise ValueError(f"vol_scale must be between 0 and {MAX_VOL_SCALE:g}, got {vol_scale}")
    vol = vol.subset(proj.series_ids)
    if not won_and_market:
        shocks = NO_MACRO_SHOCKS
    elif shocks is None:
        raise ValueError("the won's and the KOSPI's shocks are needed (scenarios.model.calibration), "
                         "or won_and_market=False")
    counted = np.flatnonzero(proj.counted)
    n_years = len(proj.years)
    lag = int(np.clip(shocks.lag, -1, 1))
    df = float(vol.df)

    # Shocks are drawn for every series (so counting services never reshuffles the others' draws) and
    # mixed by the correlation factor with s * sigma folded in; only counted series are carried further.
    s = float(vol_scale)
    scaled = s * vol.sigma
    lmat = vol.shock_matrix()
    n_f = lmat.shape[1]
    export_rows = scaled[counted, None] * lmat[counted]
    # The won and the valuation are tied to the total's first-order export shock, sum_i w_i e_i with
    # w_i the base-year shares: its direction u in the space of the drawn shocks.
    share = proj.values[counted, 0] / proj.total[0] if proj.total[0] > 0 else np.zeros(len(counted))
    along = (share * vol.sigma[counted]) @ lmat[counted]
    norm = float(np.linalg.norm(along))
    u = along / norm if norm > 0 else np.zeros(n_f)
    links = vision_links(proj, macro)
    mix = np.zeros((len(counted) + 3, n_f + 2))
    mix[:len(counted), :n_f] = export_rows
    rho_fx = float(np.clip(shocks.fx_corr, -1.0, 1.0)) if norm > 0 else 0.0
    rho_val = float(np.clip(shocks.val_corr, -1.0, 1.0)) if norm > 0 else 0.0
    mix[len(counted), :n_f] = s * shocks.fx_sigma * rho_fx * u
    mix[len(counted), n_f] = s * shocks.fx_sigma * math.sqrt(1.0 - rho_fx ** 2)
    # the KOSPI's tied part: earnings (elasticity x the base-year-weighted export log shock, s * along . z)
    # and the valuation's part tied to the same export shock
    mix[len(counted) + 1, :n_f] = s * shocks.val_sigma * rho_val * u + float(links.elasticity) * s * along
    mix[len(counted) + 2, n_f + 1] = s * shocks.val_sigma * math.sqrt(1.0 - rho_val ** 2)
    limit = T_CLIP_SD * np.linalg.norm(mix, axis=1)

    # The deterministic values with the drift that keeps each mean on the path (ln E[exp(shock)] a year;
    # exactly (s sigma)^2 / 2 for normal shocks): exactly proj.values when s = 0.
    persist = vol.persistence_of()[counted]
    drift = unit_t_log_mgf(scaled[counted], df)
    cum_drift = drift[:, None] * np.arange(n_years)
    # A reverting cycle (p < 1): ln E[exp(deviation at t)] = sum_{j<t} ln E[exp(p^j s sigma z)] (independent
    # years), bounded instead of growing with t.
    for i in np.flatnonzero(persist != 1.0):
        yearly = unit_t_log_mgf(scaled[counted][i] * persist[i] ** np.arange(max(n_years - 1, 0)), df)
        cum_drift[i] = np.concatenate([[0.0], np.cumsum(yearly)])
    level = (proj.values[counted] * np.exp(-cum_drift))[:, 1:]

    totals_full = np.empty((n_years, n_paths))
    totals_full[0] = proj.total[0]
    series_full = np.empty((len(counted), n_years, n_paths))  # each counted series' own paths (its bands)
    series_full[:, 0, :] = proj.values[counted, 0][:, None]
    fx = np.zeros((n_years, n_paths))
    market = np.zeros((n_years, n_paths))
    market_tied = np.zeros((n_years, n_paths))
    # A fixed number of blocks of paths, each from its own child of the seeded generator, so the
    # numbers depend on (seed, n_paths) only; the blocks run on two threads (numpy releases the GIL).
    children = np.random.default_rng(seed).spawn(_RNG_BLOCKS)
    edges = np.linspace(0, n_paths, _RNG_BLOCKS + 1).round().astype(int)
    jobs = [(children[i], mix, level, len(counted), lag, df, limit, totals_full[1:, edges[i]:edges[i + 1]],
             fx[1:, edges[i]:edges[i + 1]], market[1:, edges[i]:edges[i + 1]],
             series_full[:, 1:, edges[i]:edges[i + 1]], persist, market_tied[1:, edges[i]:edges[i + 1]])
            for i in range(_RNG_BLOCKS) if edges[i + 1] > edges[i]]
    if n_paths * n_years < _THREAD_MIN_CELLS or len(jobs) < 2:
        for job in jobs:
            _simulate_block(*job)
    else:
        with ThreadPoolExecutor(max_workers=len(jobs) - 1) as pool:
            pending = [pool.submit(_simulate_block, *job) for job in jobs[1:]]
            _simulate_block(*jobs[0])
            for f in pending:
                f.result()

    arrays = _linked(links, proj, totals_full, fx, market, s, shocks.fx_sigma)
    for a in (*arrays, series_full, fx, market, market_tied):
        a.setflags(write=False)
    return Simulation(proj.years, proj.scenario.target_year, *arrays, n_paths, seed, float(vol_scale),
                      top5_gdp_multiple(links), tuple(proj.series_ids[i] for i in counted), series_full,
                      fx, market, market_tied, float(mix[len(counted) + 1, :n_f] @ along) / norm ** 2 if norm > 0
                      else 0.0, s, float(links.elasticity), math.isinf(df))


def _linked(links, proj: Projection, by_year: np.ndarray, fx: np.ndarray, market: np.ndarray, s: float,
            fx_sigma: float) -> tuple[np.ndarray, ...]:
    """(totals, GDP, GNI per capita, KOSPI, rank), each (n_paths, n_years).

    From the totals' paths by year and the won's and the market's cumulative log shocks.
    """
    x = by_year.T
    if s > 0 and fx_sigma > 0:                 # the domestic part is in dollars: a weaker won shrinks it
        gdp_by_year = links.domestic[:, None] * np.exp(-fx) + links.va_share * by_year
    else:
        gdp_by_year = links.domestic[:, None] + links.va_share * by_year
    gdp = gdp_by_year.T
    if s > 0:
        # K(t) = K_det(t) * exp(e (index(t + lag) - index(b + lag)) + valuation shocks to t)
        kospi = (links.kospi(proj.total)[:, None] * np.exp(market)).T
    else:
        kospi = links.kospi(x)
    return x, gdp, links.gni_per_capita(gdp), kospi, links.rank(gdp)


# ----------------------------------------------------------------------------- common random numbers

def rescaled_totals(sim: Simulation, factors: Mapping[str, np.ndarray], upto: int | None = None) -> np.ndarray:
    """Total exports' paths (n_paths, n_years) with some counted series' simulated paths times a factor by year.

    Why: a series' simulated value is its deterministic path times a shock factor that does not depend on
    the path (simulate: the drift depends on sigma and persistence only), so moving its growth or its price
    level multiplies every one of its paths by the same factor each year, V'(t) / V(t). The totals of any
    such lever set come from the one simulation (common random numbers) instead of a new one.

    factors: {series id: array (n_years,)} of V'(t) / V(t); counted series not named keep their paths,
    uncounted ones (not in sim.series_ids) are ignored. upto: only the first `upto` years.
    """
    if sim.series_paths is None:
        raise ValueError("the simulation kept no series paths")
    n = sim.totals.shape[1] if upto is None else int(upto)
    out = np.array(sim.totals[:, :n].T)  # (n, n_paths)
    for sid, f in factors.items():
        if sid not in sim.series_ids:
            continue
        f = np.asarray(f, dtype=float)[:n]
        if np.all(f == 1.0):
            continue
        out += (f - 1.0)[:, None] * sim.series_paths[sim.series_ids.index(sid), :n]
    return out.T


def _relinked_market(sim: Simulation, links) -> tuple[np.ndarray, np.ndarray, float]:
    """The KOSPI's log factor, its tied part and that part's coefficient at links' earnings elasticity."""
    if sim.fx_log is None or sim.market_log is None or sim.market_tied_log is None:
        raise ValueError("the simulation kept no won or market shocks")
    market, tied, coef = sim.market_log, sim.market_tied_log, sim.market_tied_coef
    elasticity = float(links.elasticity)
    if elasticity != sim.market_elasticity and sim.market_tied_slope != 0.0:
        if not sim.linear_shocks or coef == 0.0:
            raise ValueError("the KOSPI's tied shocks cannot be rescaled: simulate anew")
        coef = sim.market_tied_coef + (elasticity - sim.market_elasticity) * sim.market_tied_slope
        ratio = coef / sim.market_tied_coef
        market = market + (ratio - 1.0) * tied
        tied = tied * ratio
    return market, tied, coef


def relink(sim: Simulation, proj: Projection, macro: MacroBaseline, fx_sigma: float) -> Simulation:
    """The simulation with the 5/5/5 levers of proj.scenario applied to its own paths (common random numbers).

    proj: the projection that was simulated, with other 5/5/5 levers (the exports are the same). The won's
    shocks do not depend on the levers, so the GDP, the GNI per capita and the rank follow exactly; the
    KOSPI's part tied to exports is scaled to the new earnings elasticity (exact for normal shocks; with cut
    t shocks the caller must simulate anew: ValueError). fx_sigma: the won's shock sigma (MacroShocks.fx_sigma).
    """
    links = vision_links(proj, macro)
    market, tied, coef = _relinked_market(sim, links)
    arrays = _linked(links, proj, sim.totals.T, sim.fx_log, market, sim.vol_scale, fx_sigma)
    return replace(sim, totals=arrays[0], gdp=arrays[1], gni=arrays[2], kospi=arrays[3], rank=arrays[4],
                   market_log=market, market_tied_log=tied, market_tied_coef=coef,
                   market_elasticity=float(links.elasticity))


def relinked(sim: Simulation, proj: Projection, macro: MacroBaseline, fx_sigma: float, name: str) -> np.ndarray:
    """One outcome of relink(sim, proj, macro, fx_sigma), "gni_per_capita_usd" or "kospi", alone (n_paths, n_years).

    The same arithmetic as simulate(), without the outcomes not asked for (the rank above all).
    """
    links = vision_links(proj, macro)
    s = sim.vol_scale
    if name == "kospi":
        if s <= 0:
            return links.kospi(sim.totals)
        market = _relinked_market(sim, links)[0]
        return (links.kospi(proj.total)[:, None] * np.exp(market)).T
    if name != "gni_per_capita_usd":
        raise ValueError(f"relinked gives gni_per_capita_usd or kospi, not {name!r}")
    if sim.fx_log is None:
        raise ValueError("the simulation kept no won or market shocks")
    by_year = sim.totals.T
    if s > 0 and fx_sigma > 0:
        gdp_by_year = links.domestic[:, None] * np.exp(-sim.fx_log) + links.va_share * by_year
    else:
        gdp_by_year = links.domestic[:, None] + links.va_share * by_year
    return links.gni_per_capita(gdp_by_year.T)
