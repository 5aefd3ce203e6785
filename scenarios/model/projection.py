"""Scenario and the export projection: pure numpy, no Streamlit, no pandas in the hot path.

V_i(t) = V_i(b) * (1 + g_i) ** (t - b) for each Big 10 industry and `rest`;
the total X(t) sums the goods-basis series, plus services-basis series when the
scenario counts services exports.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from scenarios.data.baseline import Baseline
from scenarios.registry.levers import growth_levers, lever, vision_levers
from scenarios.registry.targets import EXPORTS_1T

if TYPE_CHECKING:
    import pandas as pd

EXPORT_TARGET_USD_BN = EXPORTS_1T.threshold


def _default_growth() -> dict[str, float]:
    return {lev.id: float(lev.default) for lev in growth_levers()}


def default_macro_levers() -> dict[str, float]:
    """Every 5/5/5 lever at its registry default."""
    return {lev.id: float(lev.default) for lev in vision_levers()}


@dataclass(frozen=True)
class Scenario:
    """A complete scenario: settings plus the growth of every series (percent per year).

    A scenario is plain data: the dict `growth` maps each series id (Big 10
    industries and `rest`) to its annual growth in percent; `macro` holds the
    5/5/5 link levers (see levers.toml, kinds "macro" and "peer").
    """

    base_year: int = int(lever("base").default)
    target_year: int = int(lever("target").default)
    horizon: int = int(lever("horizon").default)
    count_services: bool = bool(lever("services").default)
    growth: dict[str, float] = field(default_factory=_default_growth)
    preset: str = "pledge"
    macro: dict[str, float] = field(default_factory=default_macro_levers)

    def with_growth(self, **changes: float) -> Scenario:
        """A copy with some growth rates changed."""
        return replace(self, growth={**self.growth, **changes})

    def with_macro(self, **changes: float) -> Scenario:
        """A copy with some 5/5/5 levers changed."""
        return replace(self, macro={**self.macro, **changes})

    def key(self) -> tuple:
        """A hashable identity of the scenario (for caches and comparisons)."""
        return (self.base_year, self.target_year, self.horizon, self.count_services,
                tuple(sorted(self.growth.items())), self.preset, tuple(sorted(self.macro.items())))


@dataclass(frozen=True)
class Projection:
    """The result of project(): paths in USD bn, aligned with `years`."""

    scenario: Scenario
    years: np.ndarray            # shape (n_years,)
    series_ids: tuple[str, ...]  # industries then "rest"
    values: np.ndarray           # shape (n_series, n_years)
    counted: np.ndarray          # shape (n_series,), True if the series enters the total
    total: np.ndarray            # shape (n_years,)
    history: dict[int, float] | None = None  # actual totals before the base year (the anchor of a nowcast base)

    def value_at(self, series_id: str, year: int) -> float:
        """One series' value in one year."""
        return float(self.values[self.series_ids.index(series_id), year - int(self.years[0])])

    def total_at(self, year: int) -> float:
        """Total exports in one year."""
        return float(self.total[year - int(self.years[0])])

    def first_year_at_or_above(self, threshold: float = EXPORT_TARGET_USD_BN) -> int | None:
        """The first year the total reaches the threshold, or None by the horizon."""
        hits = np.flatnonzero(self.total >= threshold)
        return int(self.years[hits[0]]) if hits.size else None

    def to_frame(self) -> pd.DataFrame:
        """Long form: year, series, value (USD bn), counted; the total as series 'total'."""
        import pandas as pd

        n = len(self.years)
        ids = [*self.series_ids, "total"]
        vals = np.vstack([self.values, self.total[None, :]])
        counted = [*self.counted.tolist(), True]
        return pd.DataFrame({
            "year": np.tile(self.years, len(ids)),
            "series": np.repeat(ids, n),
            "value": vals.ravel(),
            "counted": np.repeat(counted, n),
        })


CHIPS = "semiconductors"


def chip_price_path(scenario: Scenario, years: np.ndarray) -> np.ndarray:
    """The chip cycle: semiconductors' price level relative to the base year, on top of volume growth.

    P(t) = 1 + c * clip(t - b - d, 0, k) / k: the price level moves by c (percent, lever
    `chip_price`) in even steps over k years (lever `chip_years`) that start d years after
    the base year (lever `chip_delay`) and stays there, so "prices fall back 25 % next
    year" is c = -25, k = 1, d = 0, with volume growing at the slider's rate throughout.
    """
    change = scenario.macro.get("chip_price", 0.0) / 100.0
    if change == 0.0:
        return np.ones(len(years))
    span = max(round(scenario.macro.get("chip_years", 1.0)), 1)
    delay = max(round(scenario.macro.get("chip_delay", 0.0)), 0)
    elapsed = np.clip(years - scenario.base_year - delay, 0, span).astype(float)
    return 1.0 + change * elapsed / span


def growth_vector(scenario: Scenario, series_ids: tuple[str, ...]) -> np.ndarray:
    """The scenario's growth rates as fractions, aligned with series_ids."""
    return np.fromiter((scenario.growth[s] for s in series_ids), dtype=float, count=len(series_ids)) / 100.0


def project(scenario: Scenario, baseline: Baseline) -> Projection:
    """Project every export series from the base year to the horizon.

    Parameters
    ----------
    scenario : Scenario
        Settings and growth rates (percent per year).
    baseline : Baseline
        The export data (scenarios.model.present.baseline_of gives a Dataset's, with the year in progress).

    """
    base = baseline
    b = scenario.base_year
    years = np.arange(b, scenario.horizon + 1)
    v0 = base.base_vector(b)
    g = growth_vector(scenario, base.series_ids)
    # (1 + g) ** t for t = 0..n, computed as one outer power; g = -100 % gives zeros after b.
    factors = np.power.outer(1.0 + g, (years - b).astype(float))
    values = v0[:, None] * factors
    if CHIPS in base.series_ids:
        values[base.series_ids.index(CHIPS)] *= chip_price_path(scenario, years)
    counted = ~base.services_mask | scenario.count_services
    total = values[counted].sum(axis=0)
    history = {y: v for y, v in base.actual_totals().items() if y < b}
    return Projection(scenario, years, base.series_ids, values, counted, total, history)
