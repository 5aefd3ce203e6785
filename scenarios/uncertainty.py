"""Uncertainty: volatility estimated from the shipped data, and a Monte Carlo of every export path.

Exports swing hard from year to year (semiconductors fell 24 % in 2023 and
rose 44 % in 2024), so a single path overstates how sure any milestone is.

Volatility (estimate_volatility, baseline_volatility)
    Per series, the annual log growth ln(V(y) / V(y-1)) over consecutive years
    inside the window (default 2015-2025) whose values are both known; the
    shipped data's "estimate" values (carried or interpolated fills) are left
    out, since a fill fakes zero growth. sigma is the sample standard deviation
    (ddof 1), shrunk toward the pooled median sigma with weight n / (n + k);
    each pairwise correlation (Pearson, on overlapping years; 0 below three
    overlapping pairs) is shrunk toward 0 with weight m / (m + k). The matrix
    is then made positive semi-definite by clipping negative eigenvalues at 0
    and rescaling to a unit diagonal.

Simulation (simulate)
    V_i(t) = V_i(b) * prod_{u=b+1..t} (1 + g_i) * exp(s sigma_i eps_iu - (s sigma_i)^2 / 2)
    with eps_.u ~ N(0, corr), independent across years; the -(s sigma)^2 / 2
    term keeps each series' mean on the user's path. s = 0 gives the
    deterministic projection exactly. The 5/5/5 targets run through the same
    links as the deterministic model (scenarios.vision.VisionLinks) on every
    simulated total; peers, population and the macro levers stay deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

import numpy as np

from scenarios.baseline import NOWCAST_QUALITY, Baseline, MacroBaseline, default_baseline
from scenarios.model import Projection
from scenarios.targets import TARGETS
from scenarios.vision import vision_links

DEFAULT_WINDOW = (2015, 2025)
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
        return Volatility(tuple(ids), _frozen(self.sigma[idx]), _frozen(self.corr[sub]), _frozen(self.n_obs[idx]),
                          self.window, self.k, _frozen(self.sigma_raw[idx]), self.pooled_sigma,
                          _frozen(self.corr_raw[sub]), _frozen(self.n_pairs[sub]),
                          {s: self.years[s] for s in ids})

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
            "method": ("sample standard deviation of annual log growth over consecutive non-estimate years, "
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


def baseline_series(baseline: Baseline | None = None) -> dict[str, dict[int, float]]:
    """Each series' history from the shipped data, without filled estimates, the nowcast or pre-break years."""
    base = baseline or default_baseline()
    # `rest` is the published total minus the industries: its small estimated parts are kept (as in trends)
    return {s: {y: v for y, (v, q) in base.history(s).items()
                if (q != "estimate" or s == "rest") and q != NOWCAST_QUALITY and y >= SERIES_BREAKS.get(s, 0)}
            for s in base.series_ids}


def baseline_volatility(baseline: Baseline | None = None, window: tuple[int, int] = DEFAULT_WINDOW,
                        k: float = DEFAULT_SHRINKAGE_K) -> Volatility:
    """Volatility of the 10 industries and `rest` estimated from the shipped data (fills excluded)."""
    if baseline is None:
        return _default_volatility((int(window[0]), int(window[1])), float(k))
    return estimate_volatility(baseline_series(baseline), window, k)


@cache
def _default_volatility(window: tuple[int, int], k: float) -> Volatility:
    return estimate_volatility(baseline_series(default_baseline()), window, k)


def total_volatility(baseline: Baseline | None = None, window: tuple[int, int] = DEFAULT_WINDOW) -> float:
    """The raw sigma of actual total goods exports' annual log growth (a yardstick, not a model input)."""
    base = baseline or default_baseline()
    return float(estimate_volatility({"total": base.actual_totals()}, window, k=0.0).sigma[0])


# ----------------------------------------------------------------------------- simulation

@dataclass(frozen=True, eq=False)
class Simulation:
    """Monte Carlo paths of total exports and the 5/5/5 targets; arrays have shape (n_paths, n_years)."""

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

    def bands(self, quantiles: Sequence[float] = DEFAULT_QUANTILES) -> dict[str, dict[float, np.ndarray]]:
        """Per target, each quantile's path across simulations: {target: {q: array (n_years,)}}."""
        qs = np.asarray(quantiles, dtype=float)
        if qs.ndim != 1 or np.any((qs < 0) | (qs > 1)):
            raise ValueError("quantiles must be a list of numbers in [0, 1]")
        out = {}
        for name, arr in zip(BAND_TARGETS, (self.totals, self.gni, self.kospi, self.gdp, self.rank), strict=True):
            by_year = np.moveaxis(arr, 0, -1)  # (n_years, n_paths), contiguous rows
            values = np.quantile(by_year, qs, axis=-1)
            out[name] = {float(q): values[i] for i, q in enumerate(qs)}
        return out

    def to_dict(self, quantiles: Sequence[float] = (0.1, 0.5, 0.9)) -> dict:
        """JSON-ready summary: settings, probabilities and bands as p10/p50/p90 lists."""
        bands = self.bands(quantiles)
        return {
            "n_paths": self.n_paths, "seed": self.seed, "vol_scale": self.vol_scale,
            "years": self.years.tolist(),
            "probabilities": self.probabilities(),
            "bands": {name: {f"p{round(q * 100):d}": v.tolist() for q, v in b.items()} for name, b in bands.items()},
        }


def shock_factor(corr: np.ndarray) -> np.ndarray:
    """A matrix L with L @ L.T = corr: Cholesky if positive definite, else from the eigen-decomposition."""
    try:
        return np.linalg.cholesky(corr)
    except np.linalg.LinAlgError:
        w, v = np.linalg.eigh(corr)
        return v * np.sqrt(np.clip(w, 0.0, None))


def _simulate_block(rng: np.random.Generator, factor: np.ndarray, level: np.ndarray, n_series: int,
                    totals: np.ndarray) -> None:
    """Total exports for one block of paths, written into totals (n_years - 1, n_block).

    factor: the counted series' rows of the shock factor times s * sigma;
    level: their deterministic values with the -(s sigma)^2 / 2 drift, years
    1..n. The block is worked through in chunks of paths small enough to stay
    in cache; each chunk draws its normals from `rng` in turn.
    """
    n_steps, n_paths = totals.shape
    n_counted = factor.shape[0]
    width = min(_CHUNK_PATHS, n_paths)
    z_buf = np.empty(n_series * n_steps * width, dtype=_SHOCK_DTYPE)
    shock_buf = np.empty(n_counted * n_steps * width, dtype=_SHOCK_DTYPE)
    value_buf = np.empty(n_counted * n_steps * width)
    factor = factor.astype(_SHOCK_DTYPE)
    step = max(_GEMM_SINGLE_THREAD_MNK // max(n_counted * n_series, 1), 1)
    for lo in range(0, n_paths, width):
        w = min(width, n_paths - lo)
        cols = n_steps * w
        z = z_buf[:n_series * cols].reshape(n_series, cols)
        rng.standard_normal(out=z, dtype=_SHOCK_DTYPE)
        shocks = shock_buf[:n_counted * cols].reshape(n_counted, cols)
        for a in range(0, cols, step):
            np.matmul(factor, z[:, a:a + step], out=shocks[:, a:a + step])
        log_paths = shocks.reshape(n_counted, n_steps, w)
        for t in range(1, n_steps):  # cumulative log shock along years (rows of paths: fast)
            log_paths[:, t] += log_paths[:, t - 1]
        np.exp(log_paths, out=log_paths)
        vc = value_buf[:n_counted * cols].reshape(n_counted, n_steps, w)
        np.multiply(log_paths, level[:, :, None], out=vc)
        np.sum(vc, axis=0, out=totals[:, lo:lo + w])  # series by series, in the same order as project()


def simulate(proj: Projection, vol: Volatility | None = None, n_paths: int = DEFAULT_PATHS, seed: int | None = 1,
             vol_scale: float = 1.0, macro: MacroBaseline | None = None) -> Simulation:
    """Monte Carlo of every export series around the user's growth rates, with the 5/5/5 links.

    Parameters
    ----------
    proj : Projection
        The deterministic projection (growth rates, base year, horizon, counted series).
    vol : Volatility, optional
        Must cover proj.series_ids; baseline_volatility() if omitted.
    n_paths : int
        Number of simulated paths (1 to MAX_PATHS).
    seed : int or None
        Seed for numpy.random.default_rng; the same seed gives the same numbers.
    vol_scale : float
        Multiplies every sigma (0 to MAX_VOL_SCALE); 0 reproduces the deterministic path exactly.
    macro : MacroBaseline, optional
        The macro and peer data for the links; the shipped data if omitted.

    Returns
    -------
    Simulation

    """
    n_paths = int(n_paths)
    if not 1 <= n_paths <= MAX_PATHS:
        raise ValueError(f"n_paths must be between 1 and {MAX_PATHS}, got {n_paths}")
    if not (math.isfinite(vol_scale) and 0 <= vol_scale <= MAX_VOL_SCALE):
        raise ValueError(f"vol_scale must be between 0 and {MAX_VOL_SCALE:g}, got {vol_scale}")
    vol = (vol if vol is not None else baseline_volatility()).subset(proj.series_ids)
    counted = np.flatnonzero(proj.counted)
    n_years = len(proj.years)

    # Shocks are drawn for every series (so counting services never reshuffles the others' draws) and
    # mixed by the correlation factor with s * sigma folded in; only counted series are carried further.
    scaled = vol_scale * vol.sigma
    factor = scaled[counted, None] * shock_factor(vol.corr)[counted]
    # The deterministic values with the -(s sigma)^2 / 2 drift per year: exactly proj.values when s = 0.
    level = (proj.values[counted] * np.exp(-0.5 * scaled[counted, None] ** 2 * np.arange(n_years)))[:, 1:]

    totals = np.empty((n_years, n_paths))
    totals[0] = proj.total[0]
    # A fixed number of blocks of paths, each from its own child of the seeded generator, so the
    # numbers depend on (seed, n_paths) only; the blocks run on two threads (numpy releases the GIL).
    children = np.random.default_rng(seed).spawn(_RNG_BLOCKS)
    edges = np.linspace(0, n_paths, _RNG_BLOCKS + 1).round().astype(int)
    jobs = [(children[i], factor, level, len(proj.series_ids), totals[1:, edges[i]:edges[i + 1]])
            for i in range(_RNG_BLOCKS) if edges[i + 1] > edges[i] and n_years > 1]
    if n_paths * n_years < _THREAD_MIN_CELLS or len(jobs) < 2:
        for job in jobs:
            _simulate_block(*job)
    else:
        with ThreadPoolExecutor(max_workers=len(jobs) - 1) as pool:
            pending = [pool.submit(_simulate_block, *job) for job in jobs[1:]]
            _simulate_block(*jobs[0])
            for f in pending:
                f.result()

    links = vision_links(proj, macro)
    x = totals.T  # (n_paths, n_years) views of (n_years, n_paths) arrays: each year's paths are contiguous
    gdp = links.gdp(x)
    arrays = (x, gdp, links.gni_per_capita(gdp), links.kospi(x), links.rank(gdp))
    for a in arrays:
        a.setflags(write=False)
    return Simulation(proj.years, proj.scenario.target_year, *arrays, n_paths, seed, float(vol_scale))
