"""The present: the year in progress as a nowcast, a base year like the others, and the tracker.

The monthly data (data/monthly.csv, scenarios.data.monthly) end in the current
year. Its total is the nowcast of total exports (the months known plus the
months to come at a stated pace, scenarios.data.monthly.nowcast); semiconductors,
the one Big 10 series with a monthly series, get their own nowcast; every
other Big 10 industry is its previous-year value times the growth of the
total outside chips in the nowcast (stated, labelled "nowcast"), and `rest`
is the nowcast total minus the industries, as in every other year. The rows
are made here, never written to data/.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np

from scenarios.data.baseline import NOWCAST_QUALITY, TOTAL_SERIES, Baseline, MacroBaseline, Row
from scenarios.data.dataset import Dataset
from scenarios.data.monthly import Monthly, month_index
from scenarios.model.nowcast import Nowcast, Tracker, nowcast, tracker
from scenarios.model.nowcast_record import CUTS, RecordRow, nowcast_record, with_record
from scenarios.model.vision import vision_links
from scenarios.registry.levers import industry_levers
from scenarios.registry.targets import EXPORTS_1T

if TYPE_CHECKING:
    from scenarios.model.projection import Projection
    from scenarios.model.uncertainty import Simulation

CHIPS = "semiconductors"
NOWCAST_SOURCE = "Nowcast from data/monthly.csv (scenarios/model/present.py)"


@dataclass(frozen=True)
class NowcastSettings:
    """How the year in progress is nowcast: official months only, and the user's own pace (None: the rule)."""

    official_only: bool = False
    pace_pct: float | None = None

    @classmethod
    def of(cls, levers: dict[str, float]) -> NowcastSettings:
        """The settings a scenario's levers ask for."""
        own = bool(round(levers.get("nowcast_own_pace", 0.0)))
        return cls(bool(round(levers.get("nowcast_official", 0.0))),
                   float(levers["nowcast_pace"]) if own and "nowcast_pace" in levers else None)


@dataclass(frozen=True)
class Present:
    """The year in progress: the total's and the chips' nowcasts and how the other series were scaled."""

    year: int
    settings: NowcastSettings
    total: Nowcast
    chips: Nowcast | None
    previous_total: float
    non_chip_growth_pct: float

    def chance_of_1t(self) -> float:
        """The chance that the year in progress itself reaches USD 1 trn, read off the nowcast's range."""
        return chance_at_least(self.total, EXPORTS_1T.threshold)


Z90 = 1.2815515655446004  # the standard normal's 90th percentile


def nowcast_distribution(cast: Nowcast) -> tuple[float, float, float]:
    """(floor, U, s) with the nowcast = floor + U * exp(s Z), Z standard normal, read off p10, p50, p90.

    The floor is the sum of the months of strong quality; s = 0 when the year is known.
    """
    lo, mid, hi = cast.p10, cast.p50, cast.p90
    if hi - mid <= 1e-9 or mid - lo <= 1e-9:
        return mid, 0.0, 0.0
    ratio = (hi - mid) / (mid - lo)
    spread = math.log(ratio)  # = Z90 * s
    if spread <= 1e-12:
        return mid, 0.0, 0.0
    uncertain = (hi - mid) / (ratio - 1.0)
    return mid - uncertain, uncertain, spread / Z90


def chance_at_least(cast: Nowcast, level: float) -> float:
    """P(the year's total >= level) under the nowcast's lognormal range (p10, p50, p90)."""
    floor, uncertain, sigma = nowcast_distribution(cast)
    if sigma == 0.0 or uncertain <= 0.0:
        return 1.0 if cast.p50 >= level else 0.0
    if level <= floor:
        return 1.0
    z = math.log((level - floor) / uncertain) / sigma
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def current_year(monthly: Monthly) -> int:
    """The year of the latest month of total exports."""
    return month_index(monthly.latest_month(TOTAL_SERIES)) // 12


def present_state(baseline: Baseline, monthly: Monthly, settings: NowcastSettings = NowcastSettings(),
                  record: Sequence[RecordRow] | None = None) -> Present:
    """The nowcast of the year in progress and the growth used for the series without monthly data.

    The total's p10/p90 come from the nowcast's record at the same month (``with_record``; ``record``
    from ``nowcast_record``, computed here if not given) whenever the rule is its own.
    """
    year = current_year(monthly)
    annual = baseline.actual_totals()
    total = nowcast(monthly, year, TOTAL_SERIES, pace_pct=settings.pace_pct, official_only=settings.official_only,
                    annual=annual)
    total = with_record(total, monthly, record)
    chips = None
    if CHIPS in monthly.series_ids():
        chips_annual = {y: v for y, (v, q) in baseline.history(CHIPS).items() if q != NOWCAST_QUALITY}
        chips = nowcast(monthly, year, CHIPS, pace_pct=settings.pace_pct, official_only=settings.official_only,
                        annual=chips_annual)
    previous = baseline.total(year - 1)
    if previous is None:
        raise ValueError(f"no actual total for {year - 1}: the nowcast of {year} needs it")
    chips_before = baseline.industry_value(CHIPS, year - 1) or 0.0
    chips_now = chips.p50 if chips is not None else chips_before * total.p50 / previous
    growth = ((total.p50 - chips_now) / (previous - chips_before) - 1.0) * 100.0
    return Present(year, settings, total, chips, previous, growth)


def with_nowcast(baseline: Baseline, present: Present) -> Baseline:
    """A copy of the baseline with the year in progress as a complete base year of quality "nowcast"."""
    year, prev = present.year, present.year - 1
    rows = {name: dict(by_year) for name, by_year in baseline.rows.items()}
    scale = 1.0 + present.non_chip_growth_pct / 100.0
    note = (f"{year} nowcast: the months known plus the months to come ({present.total.method}); "
            f"industries without monthly data grow with the total outside chips "
            f"({present.non_chip_growth_pct:+.1f} %)")

    def put(series: str, value: float, basis: str) -> None:
        rows[series][year] = Row(year, series, float(value), "usd_bn", basis, NOWCAST_QUALITY, NOWCAST_SOURCE,
                                 "", note, 0)

    put(TOTAL_SERIES, present.total.p50, "goods")
    for lev in industry_levers():
        for comp in lev.components:
            before = rows[comp].get(prev)
            if before is None:
                continue
            if lev.id == CHIPS and present.chips is not None and tuple(lev.components) == (CHIPS,):
                put(comp, present.chips.p50, before.basis)
            else:
                put(comp, before.value * scale, before.basis)
    out = replace(baseline, rows=rows, bases=dict(baseline.bases))
    vec = out._complete_vector(year)
    if vec is not None:
        vec.setflags(write=False)
        out.bases[year] = vec
    return out


def record_of(dataset: Dataset, cuts: tuple[int, ...] = CUTS) -> tuple[RecordRow, ...]:
    """A Dataset's nowcast record of the total at some cuts (every one by default), computed once per Dataset."""
    return dataset.derived(("nowcast_record", cuts), lambda: tuple(nowcast_record(dataset.monthly, cuts=cuts)))


def _latest_cut(monthly: Monthly) -> tuple[int, ...]:
    """The cut of the year in progress (the month of the total's latest month), as record_of takes it."""
    month = month_index(monthly.latest_month(TOTAL_SERIES)) % 12 + 1
    return (month,) if month in CUTS else ()


def present_of(dataset: Dataset, settings: NowcastSettings = NowcastSettings()) -> Present:
    """A Dataset's year in progress under some nowcast settings (computed once per Dataset and settings)."""
    return dataset.derived(("present", settings), lambda: present_state(
        dataset.exports, dataset.monthly, settings, record_of(dataset, _latest_cut(dataset.monthly))))


def baseline_of(dataset: Dataset, settings: NowcastSettings = NowcastSettings()) -> Baseline:
    """A Dataset's export baseline with the year in progress as a nowcast base year under these settings."""
    return dataset.derived(("baseline", settings), lambda: with_nowcast(dataset.exports, present_of(dataset, settings)))


def tracker_for(present: Present, required_pct: float, monthly: Monthly) -> dict[str, Tracker]:
    """The tracker of the total and of every series with monthly data, against a required growth."""
    data = monthly
    return {sid: tracker(data, required_pct, sid, present.year) for sid in data.series_ids()}


def stratified_normal(n: int, rng: np.random.Generator) -> np.ndarray:
    """Standard normal scores, one from each of n equal-probability strata, in a random order.

    The draws' own quantiles then match the distribution's to within one stratum, so the chart's band for
    the year in progress shows the same p10-p90 as the nowcast's range (no Monte Carlo noise between them).
    """
    return rng.permutation(_stratum_scores(n))


@cache
def _stratum_scores(n: int) -> np.ndarray:
    """The n strata's normal scores in order, computed once per path count (a rerun reuses them)."""
    inv = NormalDist().inv_cdf
    scores = np.fromiter((inv((i + 0.5) / n) for i in range(n)), dtype=float, count=n)
    scores.setflags(write=False)
    return scores


def with_base_uncertainty(sim: Simulation, proj: Projection, present: Present,
                          macro: MacroBaseline) -> Simulation:
    """Simulated paths from a nowcast base year, with the nowcast's own uncertainty in them.

    Each path's export level is scaled by one draw from the nowcast's range
    (floor + U exp(s Z), divided by its central value p50; Z stratified, so the draws'
    p10-p90 are the range's own): a level error of the
    year in progress persists in every later year. The 5/5/5 paths follow through
    the same links on top of the simulation's own shocks. Seeded from the
    simulation's seed, so the numbers repeat.
    """
    floor, uncertain, sigma = nowcast_distribution(present.total)
    if sigma == 0.0 or uncertain <= 0.0:
        return sim
    rng = np.random.default_rng([int(sim.seed or 0), present.year])
    draws = floor + uncertain * np.exp(sigma * stratified_normal(sim.n_paths, rng))
    factor = (draws / present.total.p50)[:, None]
    links = vision_links(proj, macro)
    totals = np.ascontiguousarray(sim.totals * factor)
    # The simulation's own won and market shocks stay: GDP moves by the value added of the extra
    # exports, income with GDP, and the KOSPI's earnings with exports after the base year (its
    # base-year close is observed).
    gdp = sim.gdp + links.va_share * (totals - sim.totals)
    with np.errstate(divide="ignore", invalid="ignore"):
        gni = np.where(sim.gdp > 0, sim.gni * gdp / sim.gdp, links.gni_per_capita(gdp))
    earnings = np.repeat(factor ** links.elasticity, sim.kospi.shape[1], axis=1)
    earnings[:, 0] = 1.0
    arrays = {"totals": totals, "gdp": gdp, "gni": gni, "kospi": sim.kospi * earnings, "rank": links.rank(gdp)}
    for a in arrays.values():
        a.setflags(write=False)
    return replace(sim, **arrays)
