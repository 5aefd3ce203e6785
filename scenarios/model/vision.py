"""The 5/5/5 links: GDP, GNI per capita, KOSPI and Korea's GDP rank, driven by the export path.

GDP(t)   = D(t) + a * X(t), D(b) = GDP(b) - a * X(b), D grows at the nominal
           USD rate (1 + real) * (1 + deflator) / (1 + KRW per USD change) - 1
GNIpc(t) = GDP(t) * (GNI/GDP at b) / population(t)
KOSPI(t) = K(b) * (X(t) / X(b)) ** e * (1 + rerating * (t - b) / (H - b))
rank(t)  = 1 + the number of peer economies whose GDP exceeds Korea's
All vectorised numpy; no Streamlit, no pandas. VisionLinks holds the parts that
do not depend on the export path, so the same formulas run on one path
(project_vision) or on many Monte Carlo paths at once (scenarios.model.uncertainty).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenarios.data.baseline import BaselineError, MacroBaseline
from scenarios.data.dataset import WON_LATEST, WON_TO_DATE
from scenarios.model.projection import Projection
from scenarios.registry.targets import GNI_50K, KOSPI_5000, TOP5, VISION_TARGETS

GNI_TARGET_USD = GNI_50K.threshold
KOSPI_TARGET = KOSPI_5000.threshold
RANK_TARGET = int(TOP5.threshold)


@dataclass(frozen=True)
class VisionPath:
    """The 5/5/5 paths, aligned with the projection's years."""

    years: np.ndarray
    gdp_usd_bn: np.ndarray
    gni_per_capita_usd: np.ndarray
    kospi: np.ndarray
    population_mn: np.ndarray
    gdp_rank: np.ndarray            # 1 = largest
    peer_ids: tuple[str, ...]
    peer_gdp_usd_bn: np.ndarray     # shape (n_peers, n_years)
    fifth_largest_peer: np.ndarray  # GDP Korea must pass to be in the top five
    gni_gdp_ratio: float            # at the base year, from data

    def milestones(self) -> dict[str, int | None]:
        """First year each 5/5/5 target is reached (None: not by the horizon)."""
        paths = {"gni_per_capita_usd": self.gni_per_capita_usd, "kospi": self.kospi, "gdp_rank": self.gdp_rank}
        return {tg.key: tg.first_year(self.years, paths[tg.series]) for tg in VISION_TARGETS}


def base_values(macro: MacroBaseline, year: int) -> dict[str, float]:
    """GDP, GNI per capita and population in a year with national accounts, straight from data/."""
    out = {}
    for key, series in (("gdp", "gdp_nominal_usd_bn"), ("gni_pc", "gni_per_capita_usd"),
                        ("population", "population_mn")):
        value = macro.value(series, year)
        if value is None:
            raise BaselineError(f"macro.csv: no {series} for base year {year}")
        out[key] = value
    return out


def peer_growth_pct(macro: MacroBaseline, levers: dict[str, float]) -> np.ndarray:
    """Each peer's nominal USD growth: its WEO-based default, the all-peer shift and its own shift."""
    shift = levers.get("peer_shift", 0.0)
    return np.array([p.growth_pct + shift + levers.get(f"peer_{p.iso3.lower()}", 0.0) for p in macro.peers])


def peer_paths(macro: MacroBaseline, years: np.ndarray, growth_pct: np.ndarray) -> np.ndarray:
    """Peer GDP by year: the WEO value for the known year, the anchor path after it, back-cast before it.

    The user's growth applies from the anchor year on; the back-cast to years
    before the known year always uses each peer's default growth, so moving a
    peer lever never rewrites the past.
    """
    g = 1.0 + growth_pct[:, None] / 100.0
    g_default = 1.0 + np.array([p.growth_pct for p in macro.peers])[:, None] / 100.0
    anchor = np.array([p.values[macro.peer_anchor_year] for p in macro.peers])[:, None]
    known = np.array([p.values[macro.peer_known_year] for p in macro.peers])[:, None]
    t = years[None, :].astype(float)
    forward = anchor * g ** (t - macro.peer_anchor_year)
    backward = known * g_default ** (t - macro.peer_known_year)
    return np.where(t >= macro.peer_anchor_year, forward, backward)


def population_path(macro: MacroBaseline, years: np.ndarray, shift_pct: float) -> np.ndarray:
    """Statistics Korea's projection after the base year (the actual figure at it), times the user's shift."""
    b = int(years[0])
    proj = macro.series("population_proj_mn")
    base = macro.value("population_mn", b) or proj.get(b)
    values = np.array([base if y == b else proj.get(int(y), np.nan) for y in years], dtype=float)
    if np.isnan(values).any():
        missing = [int(y) for y, v in zip(years, values, strict=True) if np.isnan(v)]
        raise BaselineError(f"macro.csv: population_proj_mn has no value for {missing[0]}")
    return values * (1.0 + shift_pct / 100.0) ** (years - b)


@dataclass(frozen=True, eq=False)
class VisionLinks:
    """The per-scenario pieces of the 5/5/5 links, ready to apply to one export path or to many.

    Everything that does not depend on the export path (the domestic part of
    GDP, population, the valuation path, the peers) is computed once; the
    methods then take total exports `x` of shape (n_years,) or, for Monte
    Carlo paths, (..., n_years) and broadcast over the leading axes.
    """

    years: np.ndarray
    x_b: float                       # total exports at the base year (USD bn)
    va_share: float                  # domestic value-added share of gross exports
    domestic: np.ndarray             # D(t), shape (n_years,)
    population_mn: np.ndarray        # shape (n_years,)
    gni_gdp_ratio: float
    kospi_b: float
    elasticity: float
    valuation: np.ndarray            # PE(t) / PE(b), shape (n_years,)
    peer_ids: tuple[str, ...]
    peer_gdp_usd_bn: np.ndarray      # shape (n_peers, n_years)
    fifth_largest_peer: np.ndarray   # shape (n_years,)

    def gdp(self, x: np.ndarray) -> np.ndarray:
        """GDP(t) = D(t) + a * X(t), in USD bn."""
        return self.domestic + self.va_share * x

    def gni_per_capita(self, gdp: np.ndarray) -> np.ndarray:
        """GNI per capita in USD from GDP in USD bn."""
        return gdp * 1e3 * self.gni_gdp_ratio / self.population_mn

    def kospi(self, x: np.ndarray) -> np.ndarray:
        """KOSPI(t) = K(b) * (X(t) / X(b)) ** e * PE(t) / PE(b); zero exports give zero earnings."""
        with np.errstate(divide="ignore", invalid="ignore"):
            earnings = np.where(x > 0, (x / self.x_b) ** self.elasticity, 0.0)
        return self.kospi_b * earnings * self.valuation

    def rank(self, gdp: np.ndarray) -> np.ndarray:
        """1 + the number of peers whose GDP exceeds Korea's, year by year (1 = largest).

        A single path compares with every peer directly. Many paths (any
        leading shape) give the same counts without an (n_peers, n_paths,
        n_years) comparison: in each year, peers above every path count for
        all, peers at or below every path for none, and only the few peers
        inside the paths' range are compared path by path.
        """
        peers = self.peer_gdp_usd_bn
        if gdp.ndim == 1:
            return 1 + (peers > gdp[None, :]).sum(axis=0)
        n_peers, n_years = peers.shape
        ordered = np.sort(peers, axis=0)
        lead = np.moveaxis(gdp, -1, 0)
        by_year = lead.reshape(n_years, -1)  # a view when years are the outer axis in memory
        rank = np.empty(by_year.shape, dtype=np.intp)
        if by_year.size == 0:
            return np.moveaxis(rank.reshape(lead.shape), 0, -1)
        low, high = by_year.min(axis=1), by_year.max(axis=1)
        for t in range(n_years):
            col, row = ordered[:, t], by_year[t]
            if not (np.isfinite(low[t]) and np.isfinite(high[t])):
                rank[t] = 1 + n_peers - np.searchsorted(col, row, side="right")
                continue
            first, last = np.searchsorted(col, (low[t], high[t]), side="right")
            rank[t] = 1 + n_peers - last
            for k in range(first, last):
                rank[t] += row < col[k]
        return np.moveaxis(rank.reshape(lead.shape), 0, -1)


def anchor_year(macro: MacroBaseline, year: int) -> int:
    """The year the 5/5/5 links start from: the base year, or for a nowcast base the latest year with data.

    A year in progress has no national accounts yet: its GDP and income follow from the last
    complete year through the same links, with the nowcast of exports in them.
    """
    complete = [y for y in macro.base_years() if y <= year]
    if not complete:
        raise BaselineError(f"macro.csv: no national accounts for {year} or any year before it")
    return max(complete)


def kospi_start(macro: MacroBaseline, year: int) -> float:
    """KOSPI at the base year: its year-end close, or for the year in progress the latest close in data."""
    value = macro.value("kospi_close_end", year)
    if value is None:
        value = macro.value("kospi_close_latest_seen", year)
    if value is None:
        raise BaselineError(f"macro.csv: no KOSPI close for {year}")
    return value


def vision_links(proj: Projection, macro: MacroBaseline) -> VisionLinks:
    """The 5/5/5 links for one scenario (levers in proj.scenario.macro), independent of the export path."""
    data = macro
    s, lv = proj.scenario, proj.scenario.macro
    years = proj.years
    b, horizon = s.base_year, s.horizon
    anchor = anchor_year(data, b)
    base = base_values(data, anchor)
    x_b = float(proj.total[0])
    x_anchor = x_b if anchor == b else _actual_total(proj, anchor)
    t = (years - b).astype(float)

    a = lv["va_share"]
    nominal = (1 + lv["real_growth"] / 100) * (1 + lv["deflator"] / 100) / (1 + lv["krw_change"] / 100)
    domestic = (base["gdp"] - a * x_anchor) * nominal ** (years - anchor).astype(float)
    won_to_date = data.value(WON_TO_DATE, b) if anchor < b else None
    won_anchor = data.value("krw_per_usd_avg", anchor)
    if won_to_date and won_anchor:
        # The year in progress: the won's average to date in place of the lever for the years anchor..b (a
        # weaker won shrinks the domestic part in dollars); the lever moves it from there on.
        lever_won = (1 + lv["krw_change"] / 100) ** (b - anchor)
        domestic = domestic * lever_won / (won_to_date / won_anchor)
    # After the base year the won starts from its latest level (the year-end close of a complete year, the
    # latest month's average of the year in progress), not from the base year's average: the lever moves it
    # from there. The base year itself keeps its average.
    won_base = won_to_date if won_to_date else data.value("krw_per_usd_avg", b)
    won_latest = data.value(WON_LATEST, b) if won_to_date else data.value("krw_per_usd_end", b)
    if won_base and won_latest:
        domestic = domestic * np.where(years > b, won_base / won_latest, 1.0)
    population = population_path(data, years, lv["population_shift"])
    ratio = base["gni_pc"] * base["population"] / (base["gdp"] * 1e3)
    valuation = 1.0 + lv["rerating"] / 100.0 * t / max(horizon - b, 1)
    peers = peer_paths(data, years, peer_growth_pct(data, lv))
    fifth = np.sort(peers, axis=0)[::-1][min(RANK_TARGET - 1, len(data.peers) - 1)]
    return VisionLinks(years, x_b, a, domestic, population, ratio, kospi_start(data, b), lv["earnings_elasticity"],
                       valuation, tuple(p.iso3 for p in data.peers), peers, fifth)


def _actual_total(proj: Projection, year: int) -> float:
    """The actual total exports of a year before the base year (the anchor of a nowcast base)."""
    value = proj.history.get(year) if proj.history else None
    if value is None:
        raise BaselineError(f"exports.csv: no actual total for {year}")
    return float(value)


def top5_gdp_multiple(vision: VisionPath | VisionLinks, year: int | None = None) -> float:
    """How many times Korea's base-year GDP the 5th-largest peer's GDP is in `year` (the horizon if None).

    The app can then say what a top-5 economy takes ("needs 2.3x today's GDP") instead of printing a
    chance that rests on a few freak paths. Both in USD bn, the peer on its IMF-based path.
    """
    years = vision.years
    i = len(years) - 1 if year is None else int(np.clip(int(year) - int(years[0]), 0, len(years) - 1))
    if isinstance(vision, VisionPath):
        base_gdp = float(vision.gdp_usd_bn[0])
    else:
        base_gdp = float(vision.domestic[0] + vision.va_share * vision.x_b)
    return float(vision.fifth_largest_peer[i]) / base_gdp if base_gdp > 0 else float("inf")


def project_vision(proj: Projection, macro: MacroBaseline) -> VisionPath:
    """The 5/5/5 paths for one export projection (levers in proj.scenario.macro)."""
    links = vision_links(proj, macro)
    x = proj.total
    gdp = links.gdp(x)
    return VisionPath(proj.years, gdp, links.gni_per_capita(gdp), links.kospi(x), links.population_mn,
                      links.rank(gdp), links.peer_ids, links.peer_gdp_usd_bn, links.fifth_largest_peer,
                      links.gni_gdp_ratio)


def imf_korea_rank(macro: MacroBaseline) -> dict[int, int]:
    """Korea's rank in the IMF vintage itself (Korea's own WEO value against the peers'), by year.

    Only years where every value is published to two decimals are used (the
    anchor year); the rounded 2025 table cannot order Spain, Mexico and Korea.
    """
    data = macro
    korea = data.korea_imf
    year = data.peer_anchor_year
    if year not in korea:
        return {}
    return {year: 1 + sum(p.values[year] > korea[year] for p in data.peers)}
