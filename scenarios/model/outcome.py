"""Everything a scenario yields, computed once: the object every output reads.

The explorer's panels, the share panel, the CSV and JSON downloads, the
summary image, the Methodology page's worked example and the command line's
`--json` all read one Outcome, so a number can never differ between them.
Pure numpy (no Streamlit); the tables in the user's language are built from
it in scenarios.words.describe.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from scenarios.data.baseline import Baseline, MacroBaseline
from scenarios.data.dataset import Dataset
from scenarios.data.freshness import freshness
from scenarios.data.overrides import apply_overrides
from scenarios.model.calibration import calibration_of
from scenarios.model.crossing import Crossing, crossing_of
from scenarios.model.goals import (
    Requirement,
    required_big10_growth,
    required_industry_growth,
    required_uniform_growth,
)
from scenarios.model.nowcast import Tracker, required_growth_pct
from scenarios.model.present import (
    NowcastSettings,
    Present,
    baseline_of,
    present_of,
    tracker_for,
    with_base_uncertainty,
)
from scenarios.model.projection import Projection, Scenario, project
from scenarios.model.share import scenario_to_params
from scenarios.model.uncertainty import Simulation, simulate
from scenarios.model.vision import VisionPath, imf_korea_rank, project_vision
from scenarios.model.what_it_takes import (
    EXPORTS as SENSITIVITY_EXPORTS,
)
from scenarios.model.what_it_takes import (
    GapDecomposition,
    SensitivityRow,
    Stretch,
    gap_decomposition,
    required_for_probability,
    sensitivity,
    solve_least_stretch,
)
from scenarios.registry.targets import TARGETS, Target, year_index

JSON_QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
ACTUAL, NOWCAST, PROJECTED = "actual", "nowcast", "projected"
TERM_END_YEAR = 2030  # President Lee's term ends on 3 June 2030; the government's aim for USD 1 trn


def actual_milestones(baseline: Baseline, macro: MacroBaseline, first: int, last: int) -> dict[str, int | None]:
    """The first year in [first, last] each target was reached in the data (None: not in the data).

    Exports: actual annual totals. GNI per capita: the Bank of Korea's series. KOSPI: year-end
    closes and the first close above 5,000 (27 Jan 2026). Rank: the IMF vintage's own order.
    """
    kospi = dict(macro.series("kospi_close_end"))
    for year, value in macro.series("kospi_first_close_above_5000").items():
        kospi[year] = max(kospi.get(year, 0.0), value)
    actual = {"exports_total": baseline.actual_totals(), "gni_per_capita_usd": macro.series("gni_per_capita_usd"),
              "kospi": kospi, "gdp_rank": {y: float(r) for y, r in imf_korea_rank(macro).items()}}
    out: dict[str, int | None] = {}
    for tg in TARGETS:
        hits = [y for y, v in sorted(actual[tg.series].items()) if first <= y <= last and tg.reached(np.float64(v))]
        out[tg.key] = hits[0] if hits else None
    return out


@dataclass(frozen=True, eq=False)
class RangesSummary:
    """What every output reads of a Monte Carlo: settings, chances and bands, without the paths.

    A Simulation at 20,000 paths to 2050 holds ~25 MB of paths; this holds a few KB, so an Outcome kept
    in a cache stays small. It answers probabilities() and bands() like a Simulation.
    """

    years: np.ndarray
    target_year: int
    n_paths: int
    seed: int | None
    vol_scale: float
    chances: dict[str, float]
    quantile_bands: dict[str, dict[float, np.ndarray]]
    held_in_target_year: float         # share of paths at or above USD 1 trn in the target year itself
    top5_gdp_multiple: float = float("nan")
    chance_basis: dict[str, str] = field(default_factory=dict)  # per target: "simulated", "actual" or "nowcast"
    simulated: dict[str, float] = field(default_factory=dict)     # the chances on the paths alone, before the data
    spread: dict[str, float] = field(default_factory=dict)  # each series' share of the target year's export spread

    def spread_shares(self, year: int | None = None) -> dict[str, float]:
        """Each counted series' share of the spread of target-year exports (Simulation.spread_shares)."""
        return self.spread

    def probabilities(self) -> dict[str, float]:
        """Share of paths reaching each target (exports by the target year, the 5/5/5 by the horizon)."""
        return self.chances

    def bands(self) -> dict[str, dict[float, np.ndarray]]:
        """Each target's quantile paths ({target: {q: path}})."""
        return self.quantile_bands


def summarize(sim: Simulation) -> RangesSummary:
    """The summary every output reads; the paths are dropped with the Simulation."""
    i = min(year_index(sim.years, sim.target_year), sim.totals.shape[1] - 1)
    held = float(np.count_nonzero(TARGETS[0].reached(sim.totals[:, i]))) / sim.n_paths
    return RangesSummary(sim.years, sim.target_year, sim.n_paths, sim.seed, sim.vol_scale, sim.probabilities(),
                         sim.bands(), held, float(getattr(sim, "top5_gdp_multiple", float("nan"))),
                         spread=sim.spread_shares(sim.target_year))


def vision_paths(proj: Projection, vision: VisionPath) -> dict[str, np.ndarray]:
    """Every path a target or a chart reads, by name, aligned with proj.years."""
    return {
        "exports_total": proj.total,
        "gdp_usd_bn": vision.gdp_usd_bn,
        "gni_per_capita_usd": vision.gni_per_capita_usd,
        "kospi": vision.kospi,
        "gdp_rank": vision.gdp_rank,
        "population_mn": vision.population_mn,
        "fifth_largest_other_economy_usd_bn": vision.fifth_largest_peer,
    }


def milestones_of(years: np.ndarray, paths: dict[str, np.ndarray]) -> dict[str, int | None]:
    """The first year each target is reached on these paths (None: not by the horizon)."""
    return {tg.key: tg.first_year(years, paths[tg.series]) for tg in TARGETS}


@dataclass(frozen=True, eq=False)
class Outcome:
    """One scenario's results: projection, 5/5/5 paths, reference, ranges, milestones and requirements."""

    scenario: Scenario
    dataset: Dataset
    projection: Projection
    vision: VisionPath
    reference: Projection | None = None
    reference_vision: VisionPath | None = None
    simulation: RangesSummary | None = None
    present: Present | None = None
    actual_milestones: dict[str, int | None] = field(default_factory=dict)
    base_is_nowcast: bool = False
    baseline: Baseline | None = None  # the export data the projection started from (the user's figures in place)

    @property
    def probabilities(self) -> dict[str, float] | None:
        """The chance of each target (None when ranges are off)."""
        return None if self.simulation is None else self.simulation.probabilities()

    @property
    def bands(self) -> dict[str, dict[float, np.ndarray]]:
        """Each path's simulated quantiles ({name: {q: path}}; empty when ranges are off)."""
        return {} if self.simulation is None else self.simulation.bands()

    @property
    def years(self) -> np.ndarray:
        """Base year to horizon."""
        return self.projection.years

    @property
    def target_index(self) -> int:
        """The target year's position in every path."""
        return year_index(self.years, self.scenario.target_year)

    @cached_property
    def paths(self) -> dict[str, np.ndarray]:
        """The scenario's total exports and 5/5/5 paths by name."""
        return vision_paths(self.projection, self.vision)

    @cached_property
    def reference_paths(self) -> dict[str, np.ndarray] | None:
        """The reference's paths by name, or None without a reference."""
        if self.reference is None or self.reference_vision is None:
            return None
        return vision_paths(self.reference, self.reference_vision)

    @cached_property
    def projected_milestones(self) -> dict[str, int | None]:
        """The first year each target is reached on the scenario's paths (None: not by the horizon)."""
        return milestones_of(self.years, self.paths)

    @cached_property
    def milestones(self) -> dict[str, int | None]:
        """The first year each target is reached: the actual year where data show it, else the projected one."""
        return {key: self.actual_milestones.get(key) or year for key, year in self.projected_milestones.items()}

    @cached_property
    def milestone_basis(self) -> dict[str, str]:
        """Whether each milestone is 'actual' (in the data), 'nowcast' (the year in progress) or 'projected'."""
        out = {}
        for tg in TARGETS:
            if self.actual_milestones.get(tg.key) is not None:
                out[tg.key] = ACTUAL
            elif self.base_is_nowcast and self.projected_milestones[tg.key] == self.scenario.base_year:
                out[tg.key] = NOWCAST
            else:
                out[tg.key] = PROJECTED
        return out

    def held(self, target: Target, year: int | None = None) -> bool:
        """Whether the path meets the target in a year (the target year by default): reached and held."""
        series = self.paths[target.series]
        i = self.target_index if year is None else year_index(self.years, year)
        return bool(target.reached(series[i]))

    def value_in(self, series: str, year: int) -> float | None:
        """One path's value in a year, or None outside the base year to the horizon."""
        if not int(self.years[0]) <= year <= int(self.years[-1]):
            return None
        return float(self.paths[series][year_index(self.years, year)])

    @cached_property
    def tracker_target_year(self) -> int | None:
        """The year the tracker measures against: the scenario's target if after the last full year, else 2030."""
        if self.present is None:
            return None
        last = self.present.year - 1
        return self.scenario.target_year if self.scenario.target_year > last else TERM_END_YEAR

    @cached_property
    def tracker(self) -> dict[str, Tracker] | None:
        """Year to date and the trailing run rate against the growth USD 1 trn by the target year needs."""
        if self.present is None or self.tracker_target_year is None:
            return None
        required = required_growth_pct(self.present.previous_total, self.present.year - 1, TARGETS[0].threshold,
                                       self.tracker_target_year)
        return tracker_for(self.present, required, self.dataset.monthly)

    @cached_property
    def crossing(self) -> Crossing | None:
        """The month the year in progress passes USD 1 trn, from its months and its nowcast (None without one)."""
        if self.present is None:
            return None
        return crossing_of(self.present, self.dataset.monthly)

    @cached_property
    def reference_milestones(self) -> dict[str, int | None] | None:
        """The reference's milestones, or None without a reference."""
        return None if self.reference_paths is None else milestones_of(self.years, self.reference_paths)

    def met(self, target: Target) -> bool:
        """Whether a target is reached by the year it is counted by (target year or horizon)."""
        year = self.milestones[target.key]
        return year is not None and year <= target.deadline(self.scenario.target_year, self.scenario.horizon)

    def at(self, series: str, year: int | None = None) -> float:
        """One path's value in a year (the target year by default)."""
        i = self.target_index if year is None else year_index(self.years, year)
        return float(self.paths[series][i])

    @cached_property
    def at_target(self) -> dict[str, float]:
        """Every path's value in the target year."""
        return {name: float(path[self.target_index]) for name, path in self.paths.items()}

    @cached_property
    def gap_to_target(self) -> float:
        """Exports in the target year minus USD 1 trn (negative: short of it)."""
        return self.at_target["exports_total"] - TARGETS[0].threshold

    @cached_property
    def required_uniform_pct(self) -> float:
        """The one growth rate for every series that puts exports at USD 1 trn in the target year."""
        return required_uniform_growth(self.projection)

    @cached_property
    def required_big10(self) -> Requirement:
        """The growth all Big 10 industries would need, `rest` at the user's rate."""
        return required_big10_growth(self.projection)

    @cached_property
    def required_by_series(self) -> dict[str, Requirement]:
        """The growth each series would need alone, the others at the user's rates."""
        return {sid: required_industry_growth(self.projection, sid) for sid in self.projection.series_ids}

    # ---- what it would take: scenarios.model.what_it_takes does the work, on this outcome's Dataset (its
    # macro data and its calibration's volatility) and the projection's own baseline.

    @cached_property
    def gap(self) -> GapDecomposition:
        """Exports' change from the base year to the target year by series (summing exactly), and the shortfall."""
        return gap_decomposition(self.projection)

    @cached_property
    def sensitivity(self) -> list[SensitivityRow]:
        """Each growth and 5/5/5 lever moved by a realistic swing: its effect on the target-year outcome.

        Deterministic (no chances; see sensitivity_chances). Rows by outcome, widest effect first.
        """
        cal = calibration_of(self.dataset)
        return sensitivity(self.scenario, self.baseline, cal.vol, self.dataset.macro, cal.shocks, proj=self.projection)

    @cached_property
    def export_sensitivity(self) -> list[SensitivityRow]:
        """The sensitivity's rows on exports alone (growth levers and the chip turn), widest effect first.

        The same rows as in sensitivity; without its 5/5/5 rows (their links are redrawn per lever end), so
        the first screen's sentence on the lever that matters most costs a fraction of it on every slider move.
        """
        if "sensitivity" in self.__dict__:  # already computed: its exports rows come first
            return [r for r in self.sensitivity if r.outcome == SENSITIVITY_EXPORTS]
        cal = calibration_of(self.dataset)
        return sensitivity(self.scenario, self.baseline, cal.vol, self.dataset.macro, cal.shocks, proj=self.projection,
                           macro_levers=False)

    @cached_property
    def least_stretch(self) -> Stretch:
        """The growth per series reaching USD 1 trn in the target year with the fewest sds above its own trend."""
        return solve_least_stretch(self.projection, calibration_of(self.dataset).vol, baseline_of(self.dataset))

    @cached_property
    def sensitivity_chances(self) -> list[SensitivityRow] | None:
        """The sensitivity with each row's chance of its target by the target year (None when ranges are off).

        Same paths, seed and volatility scale as the scenario's own simulation (common random numbers).
        """
        if self.simulation is None:
            return None
        rows = self._chances_from_base[0]
        floor = self.chance_floor
        if floor is None:
            return rows
        # what the data already say holds at either end of every lever's swing too
        return [replace(r, probability_base=max(r.probability_base, floor),
                        probability_low=max(r.probability_low, floor), probability_high=max(r.probability_high, floor))
                if r.outcome == "exports_total" and r.probability_base is not None else r for r in rows]

    @cached_property
    def chance_floor(self) -> float | None:
        """The chance of USD 1 trn by the target year that the year in progress sets whatever the growth (None: none).

        Set when the year in progress lies after the base year and by the target year: the nowcast's chance
        that it reaches USD 1 trn (scenarios.model.crossing), and the simulation from the base year cannot
        know its months.
        """
        crossing, s = self.crossing, self.scenario
        deadline = TARGETS[0].deadline(s.target_year, s.horizon)
        if self.simulation is None or crossing is None or not s.base_year < crossing.year <= deadline:
            return None
        return crossing.probability

    @cached_property
    def required_for_probability(self) -> dict[str, float | None] | None:
        """The uniform growth giving a 50 % and an 80 % chance of USD 1 trn by the target year (None: ranges off).

        Keys "0.5" and "0.8"; a value is None when no growth within the sliders' range gives that chance.
        """
        if self.simulation is None:
            return None
        return self._chances_from_base[1]

    @cached_property
    def _chances_from_base(self) -> tuple[list[SensitivityRow], dict[str, float | None]]:
        """The sensitivity's rows with chances and the goal-seek by chance, from one simulation.

        The projection's own Monte Carlo from the base year, as drawn (same paths, seed and volatility
        scale); every lever's end is read off its paths (common random numbers). The paths themselves are
        not kept (an Outcome stays small in a cache); the simulation shown (self.simulation) may add the
        year in progress' own spread.
        """
        sim, cal, mac = self.simulation, calibration_of(self.dataset), self.dataset.macro
        paths = simulate(self.projection, cal.vol, n_paths=sim.n_paths, seed=sim.seed, vol_scale=sim.vol_scale,
                         macro=mac, shocks=cal.shocks)
        rows = sensitivity(self.scenario, self.baseline, cal.vol, mac, cal.shocks, n_paths=sim.n_paths,
                           seed=sim.seed, vol_scale=sim.vol_scale, proj=self.projection, simulation=paths)
        needed = required_for_probability(self.projection, (0.5, 0.8), cal.vol, sim.n_paths, sim.seed, mac,
                                          cal.shocks, vol_scale=sim.vol_scale, simulation=paths)
        return rows, needed

    @cached_property
    def deltas(self) -> list[tuple[str, str, float, float]] | None:
        """Reference against yours: (kind, key, reference, yours) for each series and target-year value.

        kind is 'series' (a series id), 'value' (a path name) or 'milestone' (a
        target key; NaN where not reached by the horizon).
        """
        if self.reference is None or self.reference_paths is None:
            return None
        n = self.target_index
        rows = [("series", sid, float(self.reference.values[i, n]), float(self.projection.values[i, n]))
                for i, sid in enumerate(self.projection.series_ids)]
        rows += [("value", name, float(self.reference_paths[name][n]), float(self.paths[name][n]))
                 for name in ("exports_total", "gni_per_capita_usd", "kospi", "gdp_usd_bn", "gdp_rank")]
        ref_m, mine = self.reference_milestones or {}, self.milestones

        def year(value: int | None) -> float:
            return float("nan") if value is None else float(value)

        rows += [("milestone", tg.key, year(ref_m.get(tg.key)), year(mine[tg.key])) for tg in TARGETS]
        return rows

    @cached_property
    def chance_held(self) -> float | None:
        """The share of simulated paths with exports at or above USD 1 trn in the target year itself (held)."""
        return None if self.simulation is None else self.simulation.held_in_target_year

    def band(self, name: str) -> dict[float, np.ndarray] | None:
        """One path's simulated quantiles ({q: path}), or None when ranges are off."""
        return self.bands.get(name) or None


def compute_outcome(scenario: Scenario, dataset: Dataset, reference: Scenario | None = None,
                    ranges: bool | None = None, overrides: Mapping[tuple[str, int], float] | None = None) -> Outcome:
    """Everything the scenario yields on one Dataset, computed once.

    Parameters
    ----------
    scenario : Scenario
        Settings, growth rates and levers.
    dataset : Dataset
        The data (scenarios.data.dataset.load_dataset); every figure below comes from it.
    reference : Scenario, optional
        A scenario to compare with; its paths are computed on the same data.
    ranges : bool, optional
        Run the Monte Carlo; by default when the scenario's `ranges` lever is on.
    overrides : mapping, optional
        The user's own base-year figures ({(series, year): USD bn}, scenarios.data.overrides), put in place of
        the data's for the projection; the shocks' calibration stays the data's.

    """
    settings = NowcastSettings.of(scenario.macro)
    data = baseline_of(dataset, settings)
    if overrides:
        data = apply_overrides(data, dict(overrides))
    mac = dataset.macro
    present = present_of(dataset, settings)
    proj = project(scenario, data)
    vision = project_vision(proj, mac)
    ref = project(reference, data) if reference is not None else None
    ref_vision = project_vision(ref, mac) if ref is not None else None
    run_ranges = bool(scenario.macro.get("ranges", 0)) if ranges is None else ranges
    sim = None
    if run_ranges:
        cal = calibration_of(dataset)
        m = scenario.macro
        sim = simulate(proj, cal.vol, n_paths=int(m["paths"]), seed=int(m["seed"]), vol_scale=float(m["vol_scale"]),
                       macro=mac, shocks=cal.shocks)
        if data.is_nowcast(scenario.base_year) and present.year == scenario.base_year:
            sim = with_base_uncertainty(sim, proj, present, mac)
        sim = summarize(sim)
    actual = actual_milestones(data, mac, scenario.base_year, scenario.horizon)
    crossed = crossing_of(present, dataset.monthly)
    if crossed.basis == ACTUAL and scenario.base_year <= crossed.year <= scenario.horizon:
        actual[TARGETS[0].key] = min(actual.get(TARGETS[0].key) or crossed.year, crossed.year)
    if sim is not None:
        sim = reached_in_data(sim, actual, scenario, crossed)
    return Outcome(scenario, dataset, proj, vision, ref, ref_vision, sim, present, actual,
                   data.is_nowcast(scenario.base_year), data)


def reached_in_data(summary: RangesSummary, actual: dict[str, int | None], scenario: Scenario,
                    crossing: Crossing) -> RangesSummary:
    """The simulated chances, with what the data already say.

    A target the data show reached by the year it is counted by has chance 1, never simulated again (KOSPI
    5,000 since 27 January 2026). USD 1 trn by the target year is at least as likely as the year in progress
    reaching it (the nowcast's chance) when that year lies between the base year and the target year: a
    simulation from an earlier base year does not know this year's months.
    """
    chances = dict(summary.chances)
    basis = dict.fromkeys(chances, "simulated")
    for tg in TARGETS:
        deadline = tg.deadline(scenario.target_year, scenario.horizon)
        year = actual.get(tg.key)
        if year is not None and year <= deadline:
            chances[tg.key], basis[tg.key] = 1.0, ACTUAL
        elif (tg is TARGETS[0] and scenario.base_year < crossing.year <= deadline
              and crossing.probability > chances[tg.key]):
            chances[tg.key], basis[tg.key] = crossing.probability, NOWCAST
    return replace(summary, chances=chances, chance_basis=basis, simulated=dict(summary.chances))


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 4) for v in values]


def outcome_json(outcome: Outcome, lang: str = "en", today: datetime.date | None = None) -> dict:
    """The outcome as JSON-ready data (the command line's --json, the app's JSON of results).

    lang is recorded in the scenario's parameters (scenario.lang), as in a share link; today is the day the
    freshness is measured on (the Dataset's own day if None).
    """
    proj, s = outcome.projection, outcome.scenario
    exports = {sid: _rounded(proj.values[i]) for i, sid in enumerate(proj.series_ids)}
    exports["total"] = _rounded(proj.total)
    p = outcome.paths
    out = {
        "years": [int(y) for y in proj.years],
        "exports": exports,
        "vision": {
            "gni_per_capita_usd": _rounded(p["gni_per_capita_usd"]),
            "kospi": _rounded(p["kospi"]),
            "gdp_usd_bn": _rounded(p["gdp_usd_bn"]),
            "gdp_rank": [int(r) for r in p["gdp_rank"]],
        },
        "milestones": dict(outcome.milestones),
        "milestone_basis": dict(outcome.milestone_basis),
        "targets": [{"key": tg.key, "series": tg.series, "threshold": tg.threshold,
                     "direction": "at_most" if tg.at_most else "at_least", "counted_by": tg.counted_by,
                     "met": outcome.met(tg)} for tg in TARGETS],
        "at_target_year": {k: round(v, 4) for k, v in outcome.at_target.items()},
        "required_uniform_growth_pct": round(outcome.required_uniform_pct, 4),
        "required_big10_growth": _requirement_json(outcome.required_big10),
        "scenario": {**scenario_to_params(s, lang), "growth": s.growth, "levers": s.macro},
    }
    out["freshness"] = freshness(outcome.dataset, today).as_dict()
    if outcome.present is not None and outcome.tracker is not None:
        out["tracker"] = tracker_json(outcome)
    if outcome.crossing is not None:
        out["crossing"] = outcome.crossing.as_dict()
    stretch = outcome.least_stretch
    out["gap_decomposition"] = {sid: round(v, 4) for sid, v in outcome.gap.as_dict().items()}
    out["sensitivity"] = [_sensitivity_json(row) for row in outcome.sensitivity]
    out["least_stretch"] = dict(stretch.growth) if stretch.reachable else None
    if outcome.simulation is not None and outcome.probabilities is not None:
        sim = outcome.simulation
        out["probabilities"] = {k: round(v, 4) for k, v in outcome.probabilities.items()}
        out["probability_basis"] = dict(sim.chance_basis)
        out["probability_exports_held_in_target_year"] = round(outcome.chance_held or 0.0, 4)
        out["bands"] = {name: {f"p{round(q * 100):d}": _rounded(path) for q, path in quantiles.items()
                               if any(abs(q - j) < 1e-9 for j in JSON_QUANTILES)}
                        for name, quantiles in outcome.bands.items()}
        out["simulation"] = {"paths": sim.n_paths, "seed": sim.seed, "vol_scale": sim.vol_scale}
        out["spread_shares_in_target_year"] = {k: round(v, 4) for k, v in sim.spread_shares().items()}
        out["sensitivity"] = [_sensitivity_json(row) for row in outcome.sensitivity_chances or []]
        out["required_for_probability"] = outcome.required_for_probability
    return out


def _requirement_json(req: Requirement) -> dict:
    return {"status": req.status, "pct": None if req.pct is None else round(req.pct, 4)}


def tracker_json(outcome: Outcome) -> dict:
    """The tracker of the total (and, under `series`, of each series with monthly data) as JSON."""
    present, trackers = outcome.present, outcome.tracker
    assert present is not None and trackers is not None
    monthly = outcome.dataset.monthly

    def num(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    def one(sid: str) -> dict:
        tr = trackers[sid]
        cast = present.total if sid == "total" else present.chips if sid == "semiconductors" else None
        out = {
            "latest_month": tr.latest_month,
            # the year in progress and the two before it (all the tracker reads); the customs line runs back to 1990
            "months": [{"month": m.period, "value_usd_bn": round(m.value, 4), "quality": m.quality}
                       for m in monthly.months(sid) if m.period >= f"{present.year - 2}-01"],
            "ytd_usd_bn": round(tr.ytd, 4),
            "ytd_prior_usd_bn": num(tr.ytd_prior),
            "ytd_yoy_pct": num(tr.ytd_yoy_pct),
            "run_rate_12m_usd_bn": num(tr.run_rate_12m),
            "trailing_12_growth_pct": num(tr.trailing_12_growth_pct),
            "required_growth_pct": round(tr.required_pct, 4),
            "actual_growth_pct": num(tr.actual_growth_pct),
            "ratio": num(tr.ratio),
            "status": tr.status,
            "weak_months": list(tr.weak_months),
        }
        if cast is not None:
            out["nowcast"] = {"year": cast.year, "p10": round(cast.p10, 4), "p50": round(cast.p50, 4),
                              "p90": round(cast.p90, 4), "rule": cast.rule, "method": cast.method,
                              "pace_pct": num(cast.pace_pct),
                              "through": cast.through, "weak_months": list(cast.weak_months),
                              "official_only": cast.official_only}
        return out

    total = one("total")
    total["target_year"] = outcome.tracker_target_year
    total["chance_of_1t_in_year"] = round(present.chance_of_1t(), 4)
    total["series"] = {sid: one(sid) for sid in trackers if sid != "total"}
    return total
def _sensitivity_json(row: SensitivityRow) -> dict:
    return {key: round(value, 4) if isinstance(value, float) else value for key, value in row.as_dict().items()}
