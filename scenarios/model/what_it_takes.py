"""What would it take: where the gap to USD 1 trn comes from, which levers matter, and what growth closes it.

Pure numpy, deterministic, no Streamlit (issue #14). Four questions:

gap_decomposition
    X(T) - X(b) = sum_i (V_i(T) - V_i(b)) over the counted series, exactly;
    uncounted services series contribute 0. The shortfall is target - X(T).
sensitivity
    Each lever moved by a realistic swing, the others held: its effect on the
    target-year outcome it drives (exports for growth levers, GNI per capita
    or KOSPI for the 5/5/5 levers) and, with Monte Carlo paths, on the chance
    of that outcome's target by the target year.
required_for_probability
    The one growth rate for every series that gives a chance p of USD 1 trn
    by the target year under the Monte Carlo of scenarios.model.uncertainty.
least_stretch
    The growth per series that reaches the target in the target year while
    asking each series for the fewest standard deviations above its own trend
    (g_i = trend_i + k sigma_i with one common k, clamped to the levers).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from scenarios.data.baseline import Baseline, MacroBaseline
from scenarios.model.projection import (
    CHIPS,
    EXPORT_TARGET_USD_BN,
    Projection,
    Scenario,
    chip_price_path,
    growth_vector,
    project,
)
from scenarios.model.uncertainty import MacroShocks, Simulation, Volatility, relinked, rescaled_totals, simulate
from scenarios.model.vision import GNI_TARGET_USD, KOSPI_TARGET, vision_links
from scenarios.registry.levers import Lever, growth_levers, lever
from scenarios.registry.presets import load_presets, resolve_growth

# Outcome ids (as in scenarios.model.uncertainty.BAND_TARGETS), their target ids and thresholds.
EXPORTS = "exports_total"
GNI = "gni_per_capita_usd"
KOSPI = "kospi"
OUTCOME_ORDER = (EXPORTS, GNI, KOSPI)
OUTCOME_TARGETS = {EXPORTS: ("exports_1t", EXPORT_TARGET_USD_BN), GNI: ("gni_per_capita_50k", GNI_TARGET_USD),
                   KOSPI: ("kospi_5000", KOSPI_TARGET)}

# Swing bases (codes in SensitivityRow.swing_basis).
SERIES_SIGMA = "series_sigma"    # +/- 100 * sigma of the series' annual log growth (Volatility, shrunk)
HISTORY_SD = "history_sd"        # +/- the sample standard deviation (ddof 1) of the lever's history in data/macro.csv
QUARTER_RANGE = "quarter_range"  # +/- a quarter of the lever's slider range (no usable history)
PAST_TURNS = "past_turns"        # the chip cycle: from the deepest past fall after a chip export peak to no turn
# Chip export falls after the peaks on record (data/exports.csv): 1996 -19 %, 2001 -45 %, 2019 -26 %, 2023 -24 %.
DEEPEST_CHIP_FALL_PCT = -45.0
CHIP_TURN_DETAIL = ("the chip price level from the deepest fall after a chip export peak on record (-45 %, "
                    "2001; data/exports.csv) to no turn (0 %), at the scenario's timing")

# The 5/5/5 levers in the sensitivity: lever id -> (outcome, history rule or None).
# History rules read data/macro.csv:
#   ("level", series)       the series is the lever's own quantity each year (real growth in %)
#   ("pct_change", series)  annual % change of a level (KRW per USD, annual average)
#   ("deflator",)           implied GDP deflator growth, (1 + nominal KRW GDP growth) / (1 + real growth) - 1
# va_share has no single consistent series (BOK, KITA and OECD compilations disagree and must not be
# mixed); earnings_elasticity and rerating are assumptions without a history: a quarter of the range.
# Left out: population_shift (a shift against Statistics Korea's projection, no history) and the peer
# levers (they move the GDP rank only).
MACRO_SWINGS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "real_growth": (GNI, ("level", "real_gdp_growth_pct")),
    "deflator": (GNI, ("deflator",)),
    "krw_change": (GNI, ("pct_change", "krw_per_usd_avg")),
    "va_share": (GNI, None),
    "earnings_elasticity": (KOSPI, None),
    "rerating": (KOSPI, None),
}
MIN_HISTORY_OBS = 4  # fewer observations than this: no standard deviation is trusted, a quarter of the range

PROBABILITY_STEP_PCT = 0.01  # required_for_probability answers on this grid of growth rates
_REACH_TOL_BN = 1e-6         # least_stretch's rounded growth must reach the target to within this
ROUNDING_TOLERANCE_BN = 0.25  # least_stretch rounds within one step if that lands this close above the target


def _check_years(s: Scenario) -> int:
    n = s.target_year - s.base_year
    if n < 1 or s.target_year > s.horizon:
        raise ValueError(f"need base year < target year <= horizon, got {s.base_year}, {s.target_year}, {s.horizon}")
    return n


def _growth_range() -> tuple[float, float]:
    """The growth every series' lever allows: the widest range common to all of them (percent)."""
    levs = growth_levers()
    return max(lev.min for lev in levs), min(lev.max for lev in levs)


def reproject(proj: Projection, scenario: Scenario) -> Projection:
    """project(scenario, data) for a scenario differing from proj's only in growth, from proj's own base values.

    The same arithmetic as scenarios.model.projection.project (bit for bit), without the
    data: so the user's own base-year figures carry over.
    """
    b = proj.scenario.base_year
    g = growth_vector(scenario, proj.series_ids)
    values = proj.values[:, :1] * np.power.outer(1.0 + g, (proj.years - b).astype(float)) * _price(proj)
    return Projection(scenario, proj.years, proj.series_ids, values, proj.counted, values[proj.counted].sum(axis=0),
                      proj.history)


def with_chip_turn(proj: Projection, scenario: Scenario) -> Projection:
    """The projection with the chip cycle levers of `scenario` (chip_price, chip_years, chip_delay), growth as is."""
    values = proj.values.copy()
    if CHIPS in proj.series_ids:
        i = proj.series_ids.index(CHIPS)
        values[i] *= chip_price_path(scenario, proj.years) / chip_price_path(proj.scenario, proj.years)
    return Projection(scenario, proj.years, proj.series_ids, values, proj.counted, values[proj.counted].sum(axis=0),
                      proj.history)


def _price(proj: Projection) -> np.ndarray:
    """Each series' price level by year (the chip cycle on semiconductors; 1 elsewhere), shape (n_series, n_years)."""
    price = np.ones((len(proj.series_ids), len(proj.years)))
    if CHIPS in proj.series_ids:
        price[proj.series_ids.index(CHIPS)] = chip_price_path(proj.scenario, proj.years)
    return price


def _clamp(x: float, lev: Lever) -> float:
    return float(min(max(x, lev.min), lev.max))


# ----------------------------------------------------------------------------- 1. the gap, decomposed

@dataclass(frozen=True, eq=False)
class GapDecomposition:
    """Where exports' change from the base year to the target year comes from, and what is still missing.

    contributions[i] = V_i(T) - V_i(b) for counted series, 0 for the others;
    they sum to target_total - base_total (to floating precision).
    shortfall = target - target_total: positive is still missing, negative an overshoot.
    """

    base_year: int
    target_year: int
    series_ids: tuple[str, ...]
    counted: np.ndarray         # (n_series,) bool
    base_values: np.ndarray     # V_i(b), USD bn (uncounted series too)
    target_values: np.ndarray   # V_i(T), USD bn (uncounted series too)
    contributions: np.ndarray   # (n_series,), USD bn; 0 where not counted
    base_total: float
    target_total: float
    target: float
    shortfall: float

    @property
    def change(self) -> float:
        """X(T) - X(b), USD bn."""
        return self.target_total - self.base_total

    @property
    def uncounted(self) -> tuple[str, ...]:
        """Series projected but left out of the total (services when not counted): they contribute 0."""
        return tuple(s for s, c in zip(self.series_ids, self.counted, strict=True) if not c)

    def as_dict(self) -> dict[str, float]:
        """{series id: contribution in USD bn}, every series (uncounted ones at 0.0); sums to X(T) - X(b)."""
        return {s: float(v) for s, v in zip(self.series_ids, self.contributions, strict=True)}

    def waterfall_rows(self, labels: Mapping[str, str] | None = None, base_label: str = "base",
                       target_label: str = "target", gap_label: str = "gap",
                       include_uncounted: bool = False) -> list[dict]:
        """Bars for a waterfall chart, in drawing order.

        The base-year total (kind "base", 0 -> X(b)); one bar per counted series,
        largest contribution first (kind "up" or "down", floating from the running
        total); the target-year total (kind "total", 0 -> X(T)); the gap to the
        target (kind "gap", X(T) -> target; its value is the signed shortfall).
        With include_uncounted, uncounted series follow the counted ones as
        zero-height bars of kind "excluded". Each row: order, kind, series (None
        for base/total/gap), label, start, end, value (USD bn).
        """
        labels = labels or {}
        rows: list[dict] = []

        def add(kind: str, series: str | None, label: str, start: float, end: float, value: float) -> None:
            rows.append({"order": len(rows), "kind": kind, "series": series, "label": label,
                         "start": float(start), "end": float(end), "value": float(value)})

        add("base", None, base_label, 0.0, self.base_total, self.base_total)
        idx = np.flatnonzero(self.counted)
        idx = idx[np.argsort(-self.contributions[idx], kind="stable")]
        level = self.base_total
        for i in idx:
            v = float(self.contributions[i])
            s = self.series_ids[i]
            add("up" if v >= 0 else "down", s, labels.get(s, s), level, level + v, v)
            level += v
        if include_uncounted:
            for s in self.uncounted:
                add("excluded", s, labels.get(s, s), level, level, 0.0)
        add("total", None, target_label, 0.0, self.target_total, self.target_total)
        add("gap", None, gap_label, self.target_total, self.target, self.shortfall)
        return rows


def gap_decomposition(proj: Projection, target: float = EXPORT_TARGET_USD_BN) -> GapDecomposition:
    """Split X(T) - X(b) into each counted series' V_i(T) - V_i(b), and the shortfall target - X(T).

    Why: it shows which industries carry the change the scenario projects and
    how much is still missing, as numbers that add up exactly.
    """
    s = proj.scenario
    n = _check_years(s)
    v0, vt = proj.values[:, 0], proj.values[:, n]
    contributions = np.where(proj.counted, vt - v0, 0.0)
    x_b, x_t = float(proj.total[0]), float(proj.total[n])
    return GapDecomposition(s.base_year, s.target_year, proj.series_ids, proj.counted.copy(), v0.copy(), vt.copy(),
                            contributions, x_b, x_t, float(target), float(target) - x_t)


# ----------------------------------------------------------------------------- 2. sensitivity

@dataclass(frozen=True)
class SensitivityRow:
    """One lever moved down and up by its swing, everything else at the scenario's values.

    lever: lever id; outcome: "exports_total" (USD bn), "gni_per_capita_usd"
    (USD) or "kospi" (points), each in the target year; target_id: the target
    the probabilities refer to ("exports_1t", "gni_per_capita_50k",
    "kospi_5000"). value/low_value/high_value: the lever at the scenario and
    at the two ends of the swing (clamped to the lever's range); swing: the
    +/- amount in the lever's unit before clamping; swing_basis: one of
    SERIES_SIGMA, HISTORY_SD, QUARTER_RANGE; basis_detail: what the swing was
    computed from. total_*: the outcome's target-year value. probability_*:
    the share of Monte Carlo paths that reach the outcome's target in some
    year up to the target year (None without paths).
    """

    lever: str
    outcome: str
    target_id: str
    value: float
    low_value: float
    high_value: float
    swing: float
    swing_basis: str
    basis_detail: str
    total_base: float
    total_low: float
    total_high: float
    probability_base: float | None = None
    probability_low: float | None = None
    probability_high: float | None = None

    @property
    def width(self) -> float:
        """|total_high - total_low|: how far the swing moves the outcome."""
        return abs(self.total_high - self.total_low)

    def as_dict(self) -> dict:
        """A plain dict (JSON-ready), with the width."""
        return {**{f: getattr(self, f) for f in self.__dataclass_fields__}, "width": self.width}


def _history_swing(rule: tuple[str, ...], macro: MacroBaseline) -> tuple[float, str] | None:
    """The sample sd (ddof 1) of a lever's history and a note on it, or None below MIN_HISTORY_OBS."""
    kind = rule[0]
    if kind == "level":
        data = macro.series(rule[1])
        obs = [data[y] for y in sorted(data)]
        years = sorted(data)
        what = rule[1]
    elif kind == "pct_change":
        data = macro.series(rule[1])
        years = [y for y in sorted(data) if y - 1 in data]
        obs = [(data[y] / data[y - 1] - 1.0) * 100.0 for y in years]
        what = f"annual % change of {rule[1]}"
    elif kind == "deflator":
        nom, real = macro.series("gdp_nominal_krw_tn"), macro.series("real_gdp_growth_pct")
        years = [y for y in sorted(nom) if y - 1 in nom and y in real]
        obs = [((nom[y] / nom[y - 1]) / (1.0 + real[y] / 100.0) - 1.0) * 100.0 for y in years]
        what = "implied deflator growth (nominal KRW GDP growth over real_gdp_growth_pct)"
    else:
        raise ValueError(f"unknown history rule {rule!r}")
    if len(obs) < MIN_HISTORY_OBS:
        return None
    sd = float(np.std(obs, ddof=1))
    return sd, f"sd of {what}, {years[0]}-{years[-1]} ({len(obs)} obs)"


def macro_swings(macro: MacroBaseline) -> dict[str, tuple[float, str, str]]:
    """For each 5/5/5 lever in the sensitivity: (swing, basis code, detail), from data/macro.csv or the range."""
    data = macro
    out = {}
    for lid, (_, rule) in MACRO_SWINGS.items():
        lev = lever(lid)
        found = _history_swing(rule, data) if rule else None
        if found is not None:
            out[lid] = (found[0], HISTORY_SD, found[1])
        else:
            out[lid] = ((lev.max - lev.min) / 4.0, QUARTER_RANGE,
                        f"a quarter of the lever's range {lev.min:g} to {lev.max:g} (no usable history)")
    return out


def _reach_share(paths: np.ndarray, upto: int, threshold: float) -> float:
    """Share of paths (rows) at or above the threshold in some year among the first `upto` columns."""
    return float(np.count_nonzero((paths[:, :upto] >= threshold).any(axis=1))) / paths.shape[0]


def _export_chance(paths: np.ndarray, upto: int) -> float:
    """The exports chance the tornado shows: USD 1 trn reached by the target year, or held in it.

    Held (at or above it in the target year itself) when every path starts there (holds_already).
    """
    if holds_already(paths):
        return float(np.count_nonzero(paths[:, upto - 1] >= EXPORT_TARGET_USD_BN)) / paths.shape[0]
    return _reach_share(paths, upto, EXPORT_TARGET_USD_BN)


def holds_already(paths: np.ndarray) -> bool:
    """Every path starts at or above USD 1 trn (the base year is there): the question is whether it holds."""
    return bool(paths.shape[1] and np.all(paths[:, 0] >= EXPORT_TARGET_USD_BN))


def _outcome_at(links, x: np.ndarray, outcome: str) -> np.ndarray:
    if outcome == GNI:
        return links.gni_per_capita(links.gdp(x))
    if outcome == KOSPI:
        return links.kospi(x)
    return x


def sensitivity(scenario: Scenario, baseline: Baseline, vol: Volatility, macro: MacroBaseline,
                shocks: MacroShocks | None, n_paths: int = 0, seed: int | None = 1,
                vol_scale: float | None = None, proj: Projection | None = None,
                simulation: Simulation | None = None, macro_levers: bool = True) -> list[SensitivityRow]:
    """Each lever's realistic swing and what it does to the target-year outcome it drives (a tornado chart).

    Why: it tells the user which assumptions matter most for the pledge and
    the 5/5/5 targets, measured in the same units as the headline figures.

    Growth levers (every series): +/- 100 * sigma percentage points, sigma the
    series' shrunk standard deviation of annual log growth (Volatility, window
    2015-2025 by default), on exports in the target year (USD bn), in closed
    form. 5/5/5 levers in MACRO_SWINGS: the swing macro_swings() gives, on GNI
    per capita or the KOSPI in the target year. Low and high are clamped to
    the lever's range. With n_paths > 0 each row also carries the chance of
    its outcome's target by the target year, all from one simulation (common
    random numbers): a growth lever or the chip turn multiplies one series'
    simulated paths by a known factor each year (rescaled_totals); the 5/5/5
    levers leave the export paths as they are and move only the links applied
    to the same won and market shocks (relinked; with cut Student-t shocks an
    earnings elasticity end is simulated anew, same seed). vol_scale defaults
    to the scenario's "vol_scale" lever.
    proj: the scenario's projection if already made (e.g. on the user's own
    figures); the moved growth levers are projected from its base values.
    simulation: simulate(proj, vol, n_paths, seed, vol_scale, macro, shocks) if already run (it is reused).
    macro_levers: False leaves out the 5/5/5 levers' rows (the exports rows alone are the same).
    Rows are sorted by outcome (exports, GNI, KOSPI), then width, widest
    first, then lever order.
    """
    base, mdata = baseline, macro
    proj = proj if proj is not None else project(scenario, base)
    n = _check_years(scenario)
    ids = proj.series_ids
    sub = vol.subset(ids)
    sig = sub.sigma * 100.0
    scale = float(scenario.macro.get("vol_scale", 1.0)) if vol_scale is None else float(vol_scale)

    # --- growth levers, all at once: X(T) - V_i(T) + V_i(b) * (1 + g') ** n
    levs = [lever(s) for s in ids]
    g = np.array([scenario.growth[s] for s in ids], dtype=float)
    lo_b, hi_b = np.array([lv.min for lv in levs]), np.array([lv.max for lv in levs])
    g_low, g_high = np.clip(g - sig, lo_b, hi_b), np.clip(g + sig, lo_b, hi_b)
    v0, vt, x_t = proj.values[:, 0] * _price(proj)[:, n], proj.values[:, n], float(proj.total[n])

    def total_with(gi: np.ndarray) -> np.ndarray:
        return np.where(proj.counted, x_t - vt + v0 * (1.0 + gi / 100.0) ** n, x_t)

    t_low, t_high = total_with(g_low), total_with(g_high)

    sim = None
    p_base: dict[str, float | None] = dict.fromkeys(OUTCOME_ORDER)
    if n_paths > 0:
        sim = simulation if simulation is not None else simulate(
            proj, vol, n_paths=n_paths, seed=seed, vol_scale=scale, macro=mdata, shocks=shocks)
        upto = n + 1
        p_base = {EXPORTS: _export_chance(sim.totals, upto),
                  GNI: _reach_share(sim.gni, upto, GNI_TARGET_USD),
                  KOSPI: _reach_share(sim.kospi, upto, KOSPI_TARGET)}

    steps = (proj.years - proj.scenario.base_year).astype(float)

    def p_exports(series: str, gi: float) -> float | None:
        if sim is None:
            return None
        if not proj.counted[ids.index(series)] or gi == scenario.growth[series]:
            return p_base[EXPORTS]  # the total's paths do not change
        # the series' paths times ((1 + g') / (1 + g)) ** t, on the same shocks (common random numbers)
        factor = ((1.0 + gi / 100.0) / (1.0 + scenario.growth[series] / 100.0)) ** steps
        return _export_chance(rescaled_totals(sim, {series: factor}, n + 1), n + 1)

    rows = []
    for i, s in enumerate(ids):
        detail = (f"sd of annual log growth {vol.window[0]}-{vol.window[1]} ({int(sub.n_obs[i])} obs, "
                  f"shrunk), x100: {sig[i]:.2f} pp")
        if not proj.counted[i]:
            detail += "; not counted in the total"
        rows.append(SensitivityRow(
            s, EXPORTS, OUTCOME_TARGETS[EXPORTS][0], float(g[i]), float(g_low[i]), float(g_high[i]),
            float(sig[i]), SERIES_SIGMA, detail, x_t, float(t_low[i]), float(t_high[i]),
            p_base[EXPORTS], p_exports(s, float(g_low[i])), p_exports(s, float(g_high[i]))))

    # --- the chip cycle: the price level's turn from the deepest fall on record to none (exports)
    if CHIPS in ids and proj.counted[ids.index(CHIPS)]:
        here = chip_price_path(scenario, proj.years)
        rows.append(_chip_turn_row(proj, scenario, n, x_t, p_base[EXPORTS],
                                   None if sim is None else lambda v: _export_chance(rescaled_totals(
                                       sim, {CHIPS: chip_price_path(scenario.with_macro(chip_price=v), proj.years)
                                             / here}, n + 1), n + 1)))

    # --- 5/5/5 levers: the export path is unchanged, only the links move
    for lid, (swing, code, detail) in (macro_swings(mdata) if macro_levers else {}).items():
        outcome = MACRO_SWINGS[lid][0]
        lev = lever(lid)
        value = float(scenario.macro[lid])
        ends = (_clamp(value - swing, lev), _clamp(value + swing, lev))
        totals, probs = [], []
        for v in ends:
            links = vision_links(replace(proj, scenario=scenario.with_macro(**{lid: v})), mdata)
            totals.append(float(_outcome_at(links, proj.total, outcome)[n]))
            if sim is not None:
                moved_proj = replace(proj, scenario=scenario.with_macro(**{lid: v}))
                try:  # the same paths with the moved link (common random numbers)
                    paths = relinked(sim, moved_proj, mdata, shocks.fx_sigma, outcome)
                except ValueError:  # cut t shocks: the KOSPI's tied part does not scale, so simulate anew
                    moved = simulate(moved_proj, vol, n_paths=n_paths, seed=seed, vol_scale=scale, macro=mdata,
                                     shocks=shocks)
                    paths = moved.gni if outcome == GNI else moved.kospi
                probs.append(_reach_share(paths, n + 1, OUTCOME_TARGETS[outcome][1]))
            else:
                probs.append(None)
        base_links = vision_links(proj, mdata)
        rows.append(SensitivityRow(
            lid, outcome, OUTCOME_TARGETS[outcome][0], value, ends[0], ends[1], float(swing), code, detail,
            float(_outcome_at(base_links, proj.total, outcome)[n]), totals[0], totals[1],
            p_base[outcome], probs[0], probs[1]))

    order = {lid: k for k, lid in enumerate([*ids, "chip_price", *MACRO_SWINGS])}
    rows.sort(key=lambda r: (OUTCOME_ORDER.index(r.outcome), -r.width, order[r.lever]))
    return rows


# ----------------------------------------------------------------------------- 3. growth for a probability

def _chip_turn_row(proj: Projection, scenario: Scenario, n: int, x_t: float, p_base: float | None,
                   chance: Callable[[float], float] | None) -> SensitivityRow:
    """The tornado's chip-cycle row: target-year exports with the chip turn at its deepest on record and at none.

    The timing (chip_years, chip_delay) stays as set; chance(v) gives the chance of USD 1 trn at chip_price v.
    """
    value = float(scenario.macro.get("chip_price", 0.0))
    lev = lever("chip_price")
    ends = (_clamp(min(DEEPEST_CHIP_FALL_PCT, value), lev), _clamp(max(0.0, value), lev))
    chips_t = float(proj.values[proj.series_ids.index(CHIPS), n])
    here = float(chip_price_path(scenario, proj.years)[n])
    totals = [x_t + chips_t * (float(chip_price_path(scenario.with_macro(chip_price=v), proj.years)[n]) / here - 1.0)
              if here > 0 else x_t for v in ends]
    probs = [None, None] if chance is None else [p_base if v == value else chance(v) for v in ends]
    return SensitivityRow("chip_price", EXPORTS, OUTCOME_TARGETS[EXPORTS][0], value, ends[0], ends[1],
                          (ends[1] - ends[0]) / 2.0, PAST_TURNS, CHIP_TURN_DETAIL, x_t, totals[0], totals[1],
                          p_base, probs[0], probs[1])


def _uniform_zero_projection(proj: Projection) -> Projection:
    """The same projection with every series at 0 % growth (each series flat at its base value)."""
    s = proj.scenario
    values = np.repeat(proj.values[:, :1], len(proj.years), axis=1) * _price(proj)
    scenario = replace(s, growth=dict.fromkeys(s.growth, 0.0))
    return Projection(scenario, proj.years, proj.series_ids, values, proj.counted, values[proj.counted].sum(axis=0),
                      proj.history)


def required_for_probability(proj: Projection, probabilities: Sequence[float], vol: Volatility, n_paths: int,
                             seed: int | None, macro: MacroBaseline, shocks: MacroShocks | None,
                             vol_scale: float | None = None,
                             target: float = EXPORT_TARGET_USD_BN,
                             simulation: Simulation | None = None) -> dict[str, float | None]:
    """The uniform growth (percent a year, every series) giving each chance p of the target by the target year.

    Why: "7.6 % a year" reaches USD 1 trn only on the average path; this says
    what growth makes it likely, under the same Monte Carlo the app shows.

    Method: with one growth g for every series, each simulated path's total is
    (1 + g) ** t times that path's total at g = 0 (the shocks do not depend on
    g; scenarios.model.uncertainty.simulate), so the chance is monotone in g and
    one simulation at g = 0 (seed and n_paths as given: common random
    numbers) gives each path's own required growth, min over t <= T of
    (target / Y(t)) ** (1 / t) - 1. The answer is the smallest growth on a
    0.01 pp grid whose chance is at least p: what a bisection to 0.01 pp
    finds, without its dozen simulations. None if even the growth levers'
    maximum does not give p; the levers' minimum if it already does. When the base year is already at the
    target, the chance asked for is that of holding it in the target year itself (the growth is then usually
    negative: how much every series could shrink).
    Keys are f"{p:g}" ("0.5", "0.8"). vol_scale defaults to the scenario's
    "vol_scale" lever. simulation: proj's own simulation with these settings, if already run: the paths at
    g = 0 are then its series' paths divided by (1 + g_i) ** t (rescaled_totals), with no new simulation.
    """
    s = proj.scenario
    n = _check_years(s)
    for p in probabilities:
        if not 0.0 < p <= 1.0:
            raise ValueError(f"probabilities must be in (0, 1], got {p}")
    scale = float(s.macro.get("vol_scale", 1.0)) if vol_scale is None else float(vol_scale)
    if simulation is not None:  # the same shocks at g = 0: each series' paths over (1 + g_i) ** t
        steps = (proj.years - s.base_year).astype(float)
        y = rescaled_totals(simulation, {sid: (1.0 + s.growth[sid] / 100.0) ** -steps
                                         for sid in simulation.series_ids}, n + 1)
    else:
        y = simulate(_uniform_zero_projection(proj), vol, n_paths=n_paths, seed=seed, vol_scale=scale, macro=macro,
                     shocks=shocks).totals[:, : n + 1]
    t = np.arange(n + 1, dtype=float)
    with np.errstate(divide="ignore"):
        if proj.total[0] >= target:
            # The base year is already there: what each path needs is to hold the target in the target year
            # itself (the answer is how fast every series could shrink and still be there).
            need = (math.log(target) - np.log(y[:, n])) / n
        else:
            need = ((math.log(target) - np.log(y[:, 1:])) / t[1:]).min(axis=1)  # log(1 + g) it would need
            need[y[:, 0] >= target] = -np.inf                              # reached at the base year already
    need.sort()
    lo, hi = _growth_range()

    def chance(g_pct: float) -> float:
        return float(np.searchsorted(need, math.log1p(g_pct / 100.0), side="right")) / n_paths

    out: dict[str, float | None] = {}
    step = PROBABILITY_STEP_PCT
    for p in probabilities:
        k = max(math.ceil(p * n_paths - 1e-9), 1)      # paths that must reach the target
        g_star = math.expm1(need[k - 1]) * 100.0 if np.isfinite(need[k - 1]) else -math.inf
        if g_star > hi:
            out[f"{p:g}"] = None
            continue
        if g_star <= lo:
            out[f"{p:g}"] = float(lo)
            continue
        r = math.ceil(g_star / step - 1e-9)
        while chance(r * step) < p:                    # guard the grid rounding
            r += 1
        while r * step - step >= lo and chance((r - 1) * step) >= p:
            r -= 1
        val = round(r * step, 2)
        out[f"{p:g}"] = None if val > hi else val
    return out


# ----------------------------------------------------------------------------- 4. least stretch

@dataclass(frozen=True)
class Stretch:
    """The least-stretch growth set: g_i = trend_i + k * sigma_i (pct), clamped, reaching the target.

    growth: rounded to each lever's step (the dict least_stretch returns);
    growth_exact: before rounding (reaches the target to float precision);
    k: the common number of standard deviations above trend (exact solution);
    trend, sigma_pct: the inputs; stretch_sd: (growth - trend) / sigma of the
    rounded growth; clamped: series at a lever bound in the exact solution;
    reachable: False if no growth within the levers' ranges reaches the
    target exactly (then growth is the closest the levers allow: all at
    their max, or all at their min); total_exact / total: the target-year
    total with growth_exact / growth.
    """

    growth: dict[str, float]
    growth_exact: dict[str, float]
    k: float
    trend: dict[str, float]
    sigma_pct: dict[str, float]
    stretch_sd: dict[str, float]
    clamped: tuple[str, ...]
    reachable: bool
    total_exact: float
    total: float
    target: float


def trend_growth(baseline: Baseline) -> dict[str, float]:
    """Each series' trend growth (percent) exactly as the "trend" preset resolves it (window, fallback, rounding)."""
    return resolve_growth(load_presets()["trend"], baseline)


def solve_least_stretch(proj: Projection, vol: Volatility, baseline: Baseline,
                        target: float = EXPORT_TARGET_USD_BN,
                        trend: Mapping[str, float] | None = None) -> Stretch:
    """The growth per series reaching `target` in the target year with the fewest sds above trend (minimax).

    Why: "every industry grows 7.6 %" asks a steady industry for as much as a
    volatile one; this asks each for the same number k of its own standard
    deviations above its own trend, which is the least any must stretch.

    g_i(k) = clip(trend_i + k * sigma_i, min_i, max_i) for counted series
    (sigma_i = 100 * the Volatility sigma, pct points); the target-year total
    is monotone in k, so k is found by bisection; a series that hits a bound
    stays there while the others go on (the clamp-and-re-solve solution).
    Uncounted series keep their trend. Rounding: each counted series' exact
    growth is rounded down or up to its lever's step, choosing among every
    such combination the one whose total reaches the target (to 1e-6 bn) with
    the least overshoot (ties: the smaller largest stretch). Every rounded
    rate is within one step of the exact one, unless that overshoots by more
    than ROUNDING_TOLERANCE_BN (far target years, where one 0.1-point step
    of a large series moves the total by several USD bn): then within two
    steps, the combination landing closest above the target.
    """
    s = proj.scenario
    n = _check_years(s)
    ids = proj.series_ids
    trend = dict(trend) if trend is not None else trend_growth(baseline)
    levs = [lever(i) for i in ids]
    lo, hi = np.array([lv.min for lv in levs]), np.array([lv.max for lv in levs])
    step = np.array([lv.step for lv in levs])
    tr = np.clip(np.array([trend[i] for i in ids], dtype=float), lo, hi)
    sig = vol.subset(ids).sigma * 100.0
    v0 = proj.values[:, 0] * _price(proj)[:, proj.scenario.target_year - proj.scenario.base_year]
    free = proj.counted & (sig > 0)

    def growth_at(k: float) -> np.ndarray:
        return np.where(free, np.clip(tr + k * sig, lo, hi), tr)

    def total_of(g: np.ndarray) -> float:
        return float(np.sum(np.where(proj.counted, v0 * (1.0 + g / 100.0) ** n, 0.0)))

    with np.errstate(divide="ignore", invalid="ignore"):
        k_lo = float(np.max(np.where(free, (lo - tr) / sig, -np.inf), initial=-np.inf))
        k_hi = float(np.max(np.where(free, (hi - tr) / sig, -np.inf), initial=-np.inf))
    reachable = bool(free.any())
    if not reachable:
        k = 0.0
    elif total_of(growth_at(k_hi)) < target:
        k, reachable = k_hi, False
    elif total_of(growth_at(k_lo)) > target:
        k, reachable = k_lo, False
    else:
        a, b = k_lo, k_hi
        for _ in range(200):
            k = 0.5 * (a + b)
            if total_of(growth_at(k)) < target:
                a = k
            else:
                b = k
            if b - a <= 1e-13 * max(1.0, abs(b)):
                break
        k = b  # the side that reaches the target
    exact = growth_at(k)
    total_exact = total_of(exact)

    # Round each series down or up to its step: of the 2 ** m ways (m <= the number of series), the one
    # whose total lands closest above the target; ties: the smaller largest stretch.
    down = np.clip(np.round(np.floor(exact / step + 1e-9) * step, 10), lo, hi)
    up = np.clip(np.round(np.ceil(exact / step - 1e-9) * step, 10), lo, hi)
    rounded = np.where(proj.counted, down, np.round(np.round(tr / step) * step, 10))
    if reachable:
        pick = np.flatnonzero(free & (up > down))
        masks = ((np.arange(2 ** pick.size)[:, None] >> np.arange(pick.size)) & 1).astype(bool)
        gain = v0[pick] * ((1.0 + up[pick] / 100.0) ** n - (1.0 + down[pick] / 100.0) ** n)
        overshoot = total_of(rounded) + masks @ gain - target
        safe_sig = np.where(sig > 0, sig, 1.0)
        fixed = np.setdiff1d(np.flatnonzero(free), pick)
        worst_fixed = float(np.max((rounded[fixed] - tr[fixed]) / safe_sig[fixed], initial=-np.inf))
        worst = np.maximum(np.where(masks, (up[pick] - tr[pick]) / safe_sig[pick],
                                    (down[pick] - tr[pick]) / safe_sig[pick]).max(axis=1, initial=-np.inf),
                           worst_fixed)
        ok = np.flatnonzero(overshoot >= -_REACH_TOL_BN)  # never empty: all up is at least the exact total
        best = ok[np.lexsort((worst[ok], overshoot[ok]))[0]]
        rounded[pick] = np.where(masks[best], up[pick], down[pick])
        if overshoot[best] > ROUNDING_TOLERANCE_BN:  # far target years: one more step either way
            wide = np.flatnonzero(free)
            options = [np.unique(np.clip(np.round(np.array([down[i] - step[i], down[i], up[i], up[i] + step[i]]),
                                                  10), lo[i], hi[i])) for i in wide]
            fixed_total = float(np.sum(np.where(proj.counted & ~free, v0 * (1.0 + rounded / 100.0) ** n, 0.0)))
            values = [v0[i] * (1.0 + opt / 100.0) ** n for i, opt in zip(wide, options, strict=True)]
            chosen = _closest_sum_above(values, target - fixed_total - _REACH_TOL_BN)
            rounded[wide] = [opt[c] for opt, c in zip(options, chosen, strict=True)]
    else:
        rounded = np.where(proj.counted, np.round(exact, 10), rounded)  # at bounds: already on the grid
    with np.errstate(divide="ignore", invalid="ignore"):
        stretch = np.where(sig > 0, (rounded - tr) / sig, 0.0)
    at_bound = free & ((exact <= lo + 1e-12) | (exact >= hi - 1e-12))
    return Stretch(
        growth={i: float(v) for i, v in zip(ids, rounded, strict=True)},
        growth_exact={i: float(v) for i, v in zip(ids, exact, strict=True)},
        k=float(k),
        trend={i: float(v) for i, v in zip(ids, tr, strict=True)},
        sigma_pct={i: float(v) for i, v in zip(ids, sig, strict=True)},
        stretch_sd={i: float(v) for i, v in zip(ids, stretch, strict=True)},
        clamped=tuple(i for i, c in zip(ids, at_bound, strict=True) if c),
        reachable=reachable,
        total_exact=total_exact,
        total=total_of(rounded),
        target=float(target),
    )


def _closest_sum_above(values: list[np.ndarray], need: float) -> list[int]:
    """One index into each array whose values sum to at least `need` with the least excess (meet in the middle).

    At least one combination must reach `need`.
    """
    half = len(values) // 2

    def sums(group: list[np.ndarray]) -> np.ndarray:
        out = np.zeros(1)
        for v in group:
            out = (out[:, None] + v[None, :]).ravel()
        return out

    a, b = sums(values[:half]), sums(values[half:])
    order = np.argsort(b, kind="stable")
    b_sorted = b[order]
    j = np.searchsorted(b_sorted, need - a, side="left")
    valid = j < b.size
    excess = np.where(valid, a + b_sorted[np.minimum(j, b.size - 1)] - need, np.inf)
    ia = int(np.argmin(excess))
    flat = [ia, int(order[j[ia]])]
    chosen: list[int] = []
    for group, k in ((values[:half], flat[0]), (values[half:], flat[1])):
        shape = [len(v) for v in group]
        chosen += [int(x) for x in np.unravel_index(k, shape)] if shape else []
    return chosen


def least_stretch(proj: Projection, vol: Volatility, baseline: Baseline,
                  target: float = EXPORT_TARGET_USD_BN) -> dict[str, float]:
    """{series id: growth pct} reaching `target` with the fewest sds above trend, rounded to the slider step.

    Why: a ready set of slider values for "what would it take, asked fairly of
    each industry". solve_least_stretch() gives k, the exact rates and the
    clamped series. Raises ValueError when the levers' ranges cannot reach
    the target exactly.
    """
    found = solve_least_stretch(proj, vol, baseline, target)
    if not found.reachable:
        raise ValueError(f"no growth within the levers' ranges gives exactly {target:g} in {proj.scenario.target_year}")
    return found.growth
