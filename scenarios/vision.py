"""The 5/5/5 links: GDP, GNI per capita, KOSPI and Korea's GDP rank, driven by the export path.

GDP(t)   = D(t) + a * X(t), D(b) = GDP(b) - a * X(b), D grows at the nominal
           USD rate (1 + real) * (1 + deflator) / (1 + KRW per USD change) - 1
GNIpc(t) = GDP(t) * (GNI/GDP at b) / population(t)
KOSPI(t) = K(b) * (X(t) / X(b)) ** e * (1 + rerating * (t - b) / (H - b))
rank(t)  = 1 + the number of peer economies whose GDP exceeds Korea's
All vectorised numpy; no Streamlit, no pandas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenarios.baseline import BaselineError, MacroBaseline, default_macro
from scenarios.model import Projection

GNI_TARGET_USD = 50_000.0
KOSPI_TARGET = 5_000.0
RANK_TARGET = 5


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
        def first(mask: np.ndarray) -> int | None:
            hits = np.flatnonzero(mask)
            return int(self.years[hits[0]]) if hits.size else None

        return {
            "gni_per_capita_50k": first(self.gni_per_capita_usd >= GNI_TARGET_USD),
            "kospi_5000": first(self.kospi >= KOSPI_TARGET),
            "top5_economy": first(self.gdp_rank <= RANK_TARGET),
        }


def base_values(macro: MacroBaseline, year: int) -> dict[str, float]:
    """GDP, GNI per capita, population and KOSPI in the base year, straight from data/."""
    out = {}
    for key, series in (("gdp", "gdp_nominal_usd_bn"), ("gni_pc", "gni_per_capita_usd"),
                        ("population", "population_mn"), ("kospi", "kospi_close_end")):
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
    base = macro.value("population_mn", b)
    values = np.array([base if y == b else proj.get(int(y), np.nan) for y in years], dtype=float)
    if np.isnan(values).any():
        missing = [int(y) for y, v in zip(years, values, strict=True) if np.isnan(v)]
        raise BaselineError(f"macro.csv: population_proj_mn has no value for {missing[0]}")
    return values * (1.0 + shift_pct / 100.0) ** (years - b)


def project_vision(proj: Projection, macro: MacroBaseline | None = None) -> VisionPath:
    """The 5/5/5 paths for one export projection (levers in proj.scenario.macro)."""
    data = macro or default_macro()
    s, lv = proj.scenario, proj.scenario.macro
    years = proj.years
    b, horizon = s.base_year, s.horizon
    base = base_values(data, b)
    x, x_b = proj.total, float(proj.total[0])
    t = (years - b).astype(float)

    a = lv["va_share"]
    nominal = (1 + lv["real_growth"] / 100) * (1 + lv["deflator"] / 100) / (1 + lv["krw_change"] / 100)
    domestic = (base["gdp"] - a * x_b) * nominal ** t
    gdp = domestic + a * x

    population = population_path(data, years, lv["population_shift"])
    ratio = base["gni_pc"] * base["population"] / (base["gdp"] * 1e3)
    gni_pc = gdp * 1e3 * ratio / population

    with np.errstate(divide="ignore", invalid="ignore"):
        earnings = np.where(x > 0, (x / x_b) ** lv["earnings_elasticity"], 0.0)
    valuation = 1.0 + lv["rerating"] / 100.0 * t / max(horizon - b, 1)
    kospi = base["kospi"] * earnings * valuation

    peers = peer_paths(data, years, peer_growth_pct(data, lv))
    rank = 1 + (peers > gdp[None, :]).sum(axis=0)
    fifth = np.sort(peers, axis=0)[::-1][min(RANK_TARGET - 1, len(data.peers) - 1)]
    return VisionPath(years, gdp, gni_pc, kospi, population, rank, tuple(p.iso3 for p in data.peers),
                      peers, fifth, ratio)


def imf_korea_rank(macro: MacroBaseline | None = None) -> dict[int, int]:
    """Korea's rank in the IMF vintage itself (Korea's own WEO value against the peers'), by year.

    Only years where every value is published to two decimals are used (the
    anchor year); the rounded 2025 table cannot order Spain, Mexico and Korea.
    """
    data = macro or default_macro()
    korea = data.korea_imf
    year = data.peer_anchor_year
    if year not in korea:
        return {}
    return {year: 1 + sum(p.values[year] > korea[year] for p in data.peers)}
