"""Backtest: the model's ranges from past base years against what happened, beside KITA's forecasts.

From each base year b every estimate is made from data up to b only. Then the p10-p90 and p25-p75 bands
1-4 years ahead are set against the outcomes in data/ and the share of outcomes inside each band is
counted; run() also checks them against THRESHOLDS, set before the outcomes were looked at (issue #26).

Targets and models
    exports_total   every base year from 1995 (model "yearahead", scenarios.model.yearahead): year one
                    from the KOSPI's lead and the last three months' momentum, coefficients from the
                    years before b; later years at the total's trend; each horizon's sd is the rule's own
                    record of errors at that horizon whose outcome was known at b (until five exist, the
                    series' growth sd, widened by it a year after the first). One
                    line for outcomes and estimates alike: the customs' confirmed annual sums
                    (customs_totals, 1990-2025) and the KOSPI's year-end closes from one source
                    (YEARAHEAD_KOSPI, 1989-2025).
    semiconductors  every base year from 1999 with four pairs of consecutive years (model "cycle"): a log
                    trend times a deviation that reverts (rho), the sd from the cycle's own record.
    <industry>      each other industry and `rest` on its own (base years 2016-2024): its calibrated sigma
                    (the engine's marginal for that series) around its own trend shrunk toward the
                    total's by span / (span + 4).
    gni_per_capita_usd_wdi, gdp_usd_bn_wdi
                    GNI per capita and GDP on one World Bank line (1985-2023) from every base year from 1995
                    (model "trend", won_trend_rows): the line in won at its ten-year trend, the won held at
                    the base year's average. Reported beside the engine's GNI and GDP, never pooled with them.
    kospi_kis       the KOSPI's year-end close on one line (YEARAHEAD_KOSPI, 1989-2025) from every base year
                    of the total's rule (model "exports_link", kospi_rows): the engine's link at its default
                    levers, the KOSPI moving with the total's median path.
    gni_per_capita_usd, gdp_usd_bn, kospi
                    the engine from base years with a complete baseline, the
                    5/5/5 levers at their defaults (no fitted value: real
                    growth 1.8 %, deflator 2 %, no change in the won from its latest level,
                    no re-rating), so the centre uses nothing after b.
Trend: the compound growth over the TREND_YEARS years to b (fewer when the
series is shorter). Quantiles from N seeded paths (default 4,000).

KITA: data/forecasts.csv holds KITA's year-ahead export forecasts; each is set
beside the outcome and the model's one-year-ahead median and band.

Command line: python -m scenarios backtest [--as-of YEAR] [--json] [--paths N]
[--seed N] [--lang en|ko] (main(argv) here).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from scenarios.data.baseline import Baseline, BaselineError, MacroBaseline
from scenarios.data.dataset import Dataset
from scenarios.data.monthly import MonthlyRow
from scenarios.model.calibration import (
    FX_SERIES,
    Calibration,
    calibrate,
    chip_history,
    export_series,
    trend_growth,
)
from scenarios.model.present import baseline_of
from scenarios.model.projection import Scenario, project
from scenarios.model.uncertainty import DEFAULT_SHRINKAGE_K, T_CLIP_SD, simulate, unit_t_log_mgf
from scenarios.model.yearahead import (
    chip_cycle,
    growth_sd,
    log_quantiles,
    record_sigma,
    total_median,
)

BASE_YEARS = tuple(range(2016, 2025))
MAX_AHEAD = 4
DEFAULT_PATHS = 4_000
MAX_PATHS = 50_000
SEED = 1
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
TOTAL = "exports_total"
VISION_TARGETS = {"gni_per_capita_usd": "gni_per_capita_usd", "gdp_usd_bn": "gdp_nominal_usd_bn",
                  "kospi": "kospi_close_end"}
# The done-when check of issue #13: the total from these base years, and GNI per capita from this one.
CHECK_TOTAL_BASES = (2016, 2021)
CHECK_GNI_BASE = 2021
CHIPS = "semiconductors"
FIRST_WIDE_BASE = 1995          # the total and chips go back as far as their data allow (from here on)
MIN_CYCLE_PAIRS = 4             # a chip base needs this many consecutive-year pairs behind its cycle
MAE_YEARS = (2016, 2025)        # the year-ahead accuracy is compared over these outcome years
PEAKS = (2018, 2022)            # chip export peaks: the next year must fall inside p10-p90
CUSTOMS_LINE = "KCS monthly customs-clearance export totals, confirmed basis"
YEARAHEAD_KOSPI = "kospi_close_end_kis"   # year-end KOSPI, one source 1989-2025, for the total's year-ahead rule
GNI = "gni_per_capita_usd"
GNI_WIDE = "gni_per_capita_usd_wdi"          # GNI per capita on the World Bank's line, a trend rule (gni_rows)
GDP_WIDE = "gdp_usd_bn_wdi"                  # GDP on the same line, the same rule (gdp_rows)
KOSPI_WIDE = "kospi_kis"                     # the KOSPI on its one-source line by the engine's link (kospi_rows)
WIDE_TARGETS = (GNI_WIDE, GDP_WIDE, KOSPI_WIDE)
WIDE_GNI_KRW = "gni_per_capita_krw_mn_wdi"  # GNI per capita in million won, World Bank WDI, 1985-2023 (one vintage)
WIDE_GNI_FX = "krw_per_usd_avg_wdi"         # the won per dollar the World Bank converts it with, same file
WIDE_GDP_KRW = "gdp_nominal_krw_tn_wdi"     # GDP in trillion won, the same file
FX_END = "krw_per_usd_end"                  # the engine holds the won at the base year's close (vision.links)
# Acceptance thresholds, set before the outcomes were looked at (issue #26's done-when), checked by run().
THRESHOLDS = {
    "total_1y": {"min_n": 20, "in80": (0.68, 0.92), "in50": (0.35, 0.65)},
    "chips_1y": {"min_n": 15, "in80_min": 0.68},
    "median_mae_max_pct": 7.5,
    "gni_bias_max_pct": 5.0,
}


@dataclass(frozen=True)
class BandRow:
    """One target's band for one year, made at base year `base`, against the outcome."""

    target: str
    base: int
    ahead: int
    year: int
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float
    actual: float | None
    model: str  # "engine" or "own" (the series on its own)

    @property
    def in80(self) -> bool | None:
        """The outcome inside p10-p90 (None: no outcome yet)."""
        return None if self.actual is None else self.p10 <= self.actual <= self.p90

    @property
    def in50(self) -> bool | None:
        """The outcome inside p25-p75 (None: no outcome yet)."""
        return None if self.actual is None else self.p25 <= self.actual <= self.p75

    def to_dict(self) -> dict:
        """JSON-ready, with the two flags."""
        return {**asdict(self), "in80": self.in80, "in50": self.in50}


def own_series_bands(base_value: float, growth_pct: float, sigma: float, df: float, ahead: int, n_paths: int,
                     seed: int) -> np.ndarray:
    """Quantiles (rows: QUANTILES) of one series 1..ahead years on: V(b) (1 + g)^h exp(sum of shocks - h c).

    The shocks are the engine's for one series: sigma times unit normal (or unit-variance Student t,
    cut at T_CLIP_SD sd) a year, independent across years; c = ln E[exp(shock)] keeps the mean on the path.
    """
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n_paths, ahead))
    if not math.isinf(df):
        z *= np.sqrt((df - 2.0) / rng.chisquare(df, (n_paths, ahead)))
        np.clip(z, -T_CLIP_SD, T_CLIP_SD, out=z)
    drift = float(unit_t_log_mgf(np.array([sigma]), df)[0])
    h = np.arange(1, ahead + 1)
    log_path = h * math.log1p(growth_pct / 100.0) + np.cumsum(sigma * z, axis=1) - drift * h
    return base_value * np.exp(np.quantile(log_path, QUANTILES, axis=0))


def _rows(target: str, base: int, quantiles: np.ndarray, actual: dict[int, float], model: str,
          last_year: int) -> list[BandRow]:
    out = []
    for i in range(quantiles.shape[1]):
        year = base + i + 1
        if year > last_year:
            break
        q = [float(x) for x in quantiles[:, i]]
        out.append(BandRow(target, base, i + 1, year, *q, actual.get(year), model))
    return out


def backtest_base(base: int, baseline: Baseline, macro: MacroBaseline,
                  n_paths: int = DEFAULT_PATHS, seed: int = SEED, ahead: int = MAX_AHEAD,
                  calibration: Calibration | None = None, last_year: int | None = None) -> list[BandRow]:
    """Every target's bands 1..ahead years after `base`, with every estimate from data up to `base`.

    last_year: the latest outcome year to report (the data's latest total if None; bands beyond it have no
    outcome to meet and are left out).
    """
    data, mdata = baseline, macro
    cal = calibration if calibration is not None else calibrate(data, mdata, as_of=base)
    actual_totals = data.actual_totals()
    last = max(actual_totals) if last_year is None else int(last_year)
    rows: list[BandRow] = []
    trend_total = trend_growth(actual_totals, base)
    if trend_total is None:
        raise BaselineError(f"no total exports trend up to {base}")
    g_total = trend_total[0]

    engine = base in data.base_years()
    if engine:
        scenario = Scenario(base_year=base, target_year=base + 1, horizon=base + ahead,
                            growth=dict.fromkeys(data.series_ids, g_total))
        sim = simulate(project(scenario, data), cal.vol, n_paths=n_paths, seed=seed, macro=mdata, shocks=cal.shocks)
        bands = sim.bands(QUANTILES)
        for target, key in ((TOTAL, "exports_total"), *((k, k) for k in VISION_TARGETS)):
            q = np.array([bands[key][qq][1:] for qq in QUANTILES])
            truth = actual_totals if target == TOTAL else mdata.series(VISION_TARGETS[target])
            rows += _rows(target, base, q, truth, "engine", last)
    else:
        q = own_series_bands(actual_totals[base], g_total, _total_sigma(cal), cal.df, ahead, n_paths, seed)
        rows += _rows(TOTAL, base, q, actual_totals, "own", last)

    # each industry and rest on its own, with its calibrated sigma around its own trend
    history = export_series(data, None)  # outcomes (fills and breaks left out); estimates below use up to base
    for i, sid in enumerate(cal.vol.ids):
        values = history.get(sid, {})
        if base not in values:
            continue
        g = shrunk_trend(values, base, g_total)
        q = own_series_bands(values[base], g, float(cal.vol.sigma[i]), cal.df, ahead, n_paths, seed + 1 + i)
        rows += _rows(sid, base, q, values, "own", last)
    return rows


def shrunk_trend(values: dict[int, float], base: int, g_total: float, k: float = DEFAULT_SHRINKAGE_K) -> float:
    """A series' trend (percent a year) for the backtest.

    Its own compound growth over up to TREND_YEARS years to `base`, shrunk toward the total's by
    span / (span + k): a two-year trend says little.
    """
    own = trend_growth(values, base)
    if own is None:
        return g_total
    span = own[2] - own[1]
    w = span / (span + k) if k > 0 else 1.0
    return w * own[0] + (1.0 - w) * g_total


def _total_sigma(cal: Calibration) -> float:
    return float(cal.vol.calibration.get("total_sigma") or np.nan)


def coverage(rows: Sequence[BandRow]) -> dict:
    """Outcomes met, the share inside p10-p90 and p25-p75, and the base years they were made from."""
    met = [r for r in rows if r.actual is not None]
    n = len(met)
    return {"n": n, "in80": sum(bool(r.in80) for r in met), "in50": sum(bool(r.in50) for r in met),
            "share80": (sum(bool(r.in80) for r in met) / n) if n else None,
            "share50": (sum(bool(r.in50) for r in met) / n) if n else None,
            "first_base": min((r.base for r in met), default=None),
            "last_base": max((r.base for r in met), default=None)}


def kita_record(rows: Sequence[BandRow], actual: Mapping[int, float],
                forecasts: Mapping[str, Mapping[int, float]]) -> dict:
    """KITA's year-ahead forecasts beside the outcome and the model's one-year-ahead band for the same year.

    actual: the line the model's band was set against (run(): the customs' annual sums).
    """
    fc = forecasts
    ours = {r.year: r for r in rows if r.target == TOTAL and r.ahead == 1}
    table = []
    for year, value in sorted(fc["kita_exports_forecast"].items()):
        outcome = actual.get(year)
        mine = ours.get(year)
        table.append({
            "year": year, "kita": value, "kita_growth_pct": fc["kita_exports_forecast_growth_pct"].get(year),
            "actual": outcome,
            "kita_error_pct": None if outcome is None else (outcome / value - 1.0) * 100.0,
            "model_p50": None if mine is None else mine.p50,
            "model_p10": None if mine is None else mine.p10,
            "model_p90": None if mine is None else mine.p90,
            "model_error_pct": None if mine is None or outcome is None else (outcome / mine.p50 - 1.0) * 100.0,
            "kita_inside_model_band": None if mine is None else mine.p10 <= value <= mine.p90,
            "actual_inside_model_band": None if mine is None or outcome is None else bool(mine.in80),
        })

    def summary(key: str) -> dict:
        errs = [r[key] for r in table if r[key] is not None and r["model_error_pct"] is not None]
        if not errs:
            return {"n": 0}
        e = np.asarray(errs)
        return {"n": len(e), "mae_pct": float(np.abs(e).mean()), "rmse_pct": float(np.sqrt((e ** 2).mean())),
                "bias_pct": float(e.mean())}

    return {"years": table, "kita": summary("kita_error_pct"), "model": summary("model_error_pct")}


def _band_rows(target: str, base: int, value: float, changes: list[float], sds: list[float],
               outcomes: Mapping[int, float], model: str, last: int) -> list[BandRow]:
    out = []
    for h, (change, sd) in enumerate(zip(changes, sds, strict=True), start=1):
        year = base + h
        if year > last:
            break
        q = log_quantiles(value, change, sd, QUANTILES)
        out.append(BandRow(target, base, h, year, *q, outcomes.get(year), model))
    return out


def customs_totals(months: Iterable[MonthlyRow]) -> dict[int, float]:
    """The total's annual line for the year-ahead backtest: sums of twelve months of one series, the customs'.

    Only KCS's confirmed monthly totals count (CUSTOMS_LINE, 1990 on; the repository copies that carry them
    agree month for month); a year in progress or a month from another release leaves its year out.
    """
    by_year: dict[int, list[float]] = {}
    for r in months:
        if r.source.startswith(CUSTOMS_LINE):
            by_year.setdefault(int(r.period[:4]), []).append(r.value)
    return {y: round(sum(v), 3) for y, v in sorted(by_year.items()) if len(v) == 12}


def total_changes(totals: Mapping[int, float], kospi: Mapping[int, float], months: Mapping[str, float],
                  ahead: int = MAX_AHEAD) -> dict[int, list[float]]:
    """The total's median log change 1..ahead years on from each base year the year-ahead rule can be made.

    Year one from the rule (KOSPI lead and momentum), later years at the total's trend; data up to b only.
    """
    changes = {}
    for b in sorted(totals):
        try:
            m = total_median(totals, kospi, months, b)
        except ValueError:
            continue
        changes[b] = [m.log_growth + (h - 1) * m.trend for h in range(1, ahead + 1)]
    return changes


def total_rows(totals: Mapping[int, float], kospi: Mapping[int, float], months: Mapping[str, float],
               ahead: int = MAX_AHEAD, last: int | None = None,
               changes: Mapping[int, Sequence[float]] | None = None) -> list[BandRow]:
    """The total's bands 1..ahead years on from every base year its data allow (scenarios.model.yearahead).

    Medians from total_changes (or `changes`, made by it already); each horizon's sd from the rule's own
    record at that horizon up to the base.
    """
    medians = total_changes(totals, kospi, months, ahead) if changes is None else changes
    return record_band_rows(TOTAL, totals, medians, "yearahead", FIRST_WIDE_BASE, last)


def record_band_rows(target: str, values: Mapping[int, float], changes: Mapping[int, Sequence[float]], model: str,
                     first_base: int, last: int | None = None) -> list[BandRow]:
    """Bands from each base year's median log changes (h = 1, 2, ...) and the rule's own record of errors.

    Each horizon's sd is the RMS of that horizon's past errors whose outcome was known at the base
    (record_sigma, once MIN_RECORD exist); until then the series' growth sd, widened by it a year after the
    first (sqrt(s1^2 + (h - 1) s_x^2)). Bases before first_base only feed the record.
    """
    last = max(values) if last is None else last
    ahead = max((len(c) for c in changes.values()), default=0)
    errors = {h: {b: math.log(values[b + h] / values[b]) - c[h - 1] for b, c in changes.items()
                  if b + h in values} for h in range(1, ahead + 1)}
    rows: list[BandRow] = []
    for b, c in changes.items():
        s_x = growth_sd(values, b)
        s1 = record_sigma([e for y, e in errors[1].items() if y + 1 <= b], s_x)
        if b < first_base or s1 is None or s_x is None:
            continue
        sds = [record_sigma([e for y, e in errors[h].items() if y + h <= b], math.sqrt(s1 ** 2 + (h - 1) * s_x ** 2))
               for h in range(1, len(c) + 1)]
        rows += _band_rows(target, b, values[b], list(c), sds, values, model, last)
    return rows


def usd_line(krw: Mapping[int, float], krw_per_usd: Mapping[int, float], scale: float) -> dict[int, float]:
    """A won line in dollars at each year's average rate, as the World Bank converts it.

    scale: dollar units per (won unit / won per dollar): 1e6 for million won to dollars, 1e3 for trillion
    won to billion dollars.
    """
    return {y: v * scale / krw_per_usd[y] for y, v in sorted(krw.items()) if krw_per_usd.get(y)}


def won_trend_rows(target: str, krw: Mapping[int, float], krw_per_usd: Mapping[int, float], scale: float,
                   ahead: int = MAX_AHEAD, last: int | None = None) -> list[BandRow]:
    """A won line's dollar bands from every base year by a trend rule (model "trend"), not the engine.

    The line in won grows at its own trend (the compound growth over TREND_YEARS to b) and the won stays at
    b's average, so the median in dollars is USD(b) (1 + trend)^h; bands from the rule's own record
    (record_band_rows). The engine's levers are today's forecasts, not a trend.
    """
    usd = usd_line(krw, krw_per_usd, scale)
    changes = {}
    for b in usd:
        trend = trend_growth(krw, b)
        if trend is not None:
            changes[b] = [h * math.log1p(trend[0] / 100.0) for h in range(1, ahead + 1)]
    return record_band_rows(target, usd, changes, "trend", FIRST_WIDE_BASE, last)


def gni_rows(krw_mn: Mapping[int, float], krw_per_usd: Mapping[int, float], ahead: int = MAX_AHEAD,
             last: int | None = None) -> list[BandRow]:
    """GNI per capita in dollars on one World Bank line (WIDE_GNI_KRW, WIDE_GNI_FX): target GNI_WIDE.

    Cut at b, but the values are the file's (March 2025), revised since they were first published.
    """
    return won_trend_rows(GNI_WIDE, krw_mn, krw_per_usd, 1e6, ahead, last)


def gdp_rows(krw_tn: Mapping[int, float], krw_per_usd: Mapping[int, float], ahead: int = MAX_AHEAD,
             last: int | None = None) -> list[BandRow]:
    """GDP in USD bn on the same World Bank line (WIDE_GDP_KRW, WIDE_GNI_FX): target GDP_WIDE."""
    return won_trend_rows(GDP_WIDE, krw_tn, krw_per_usd, 1e3, ahead, last)


def kospi_rows(kospi: Mapping[int, float], export_changes: Mapping[int, Sequence[float]],
               last: int | None = None) -> list[BandRow]:
    """The KOSPI's year-end close on one line (YEARAHEAD_KOSPI) by the engine's link: target KOSPI_WIDE.

    KOSPI(b + h) = KOSPI(b) (X(b + h) / X(b))^e with e = 1 and no re-rating (the levers' defaults), X the
    total's median path from the year-ahead rule made at b (export_changes, total_changes); bands from the
    link's own record (record_band_rows).
    """
    changes = {b: list(c) for b, c in export_changes.items() if b in kospi}
    return record_band_rows(KOSPI_WIDE, kospi, changes, "exports_link", FIRST_WIDE_BASE, last)


def chip_rows(chips: Mapping[int, float], ahead: int = MAX_AHEAD, last: int | None = None) -> list[BandRow]:
    """Semiconductors' bands 1..ahead years on from every base year with a chip cycle (scenarios.model.yearahead)."""
    last = max(chips) if last is None else last
    cycles = {}
    for b in sorted(chips):
        try:
            cycles[b] = chip_cycle(chips, b)
        except ValueError:
            continue
    errors = {b: math.log(chips[b + 1] / chips[b]) - c.median_log_change(1) for b, c in cycles.items()
              if b + 1 in chips}
    rows: list[BandRow] = []
    for b, c in cycles.items():
        s1 = record_sigma([e for y, e in errors.items() if y + 1 <= b], growth_sd(chips, b))
        if b < FIRST_WIDE_BASE or c.pairs < MIN_CYCLE_PAIRS or s1 is None:
            continue
        changes = [c.median_log_change(h) for h in range(1, ahead + 1)]
        sds = [s1 * math.sqrt(c.persistence_variance(h)) for h in range(1, ahead + 1)]
        rows += _band_rows(CHIPS, b, chips[b], changes, sds, chips, "cycle", last)
    return rows


def accuracy(rows: Sequence[BandRow], totals: Mapping[int, float], forecasts: Mapping[int, float],
             years: tuple[int, int] = MAE_YEARS) -> dict:
    """Year-ahead mean absolute error (percent, outcome / forecast - 1) of the model's median, KITA and no change."""
    ours = {r.year: r.p50 for r in rows if r.target == TOTAL and r.ahead == 1}
    span = [y for y in range(years[0], years[1] + 1) if y in totals and y - 1 in totals]

    def mae(forecast: Mapping[int, float]) -> dict:
        errs = [(totals[y] / forecast[y] - 1.0) * 100.0 for y in span if forecast.get(y)]
        return {"n": len(errs), "mae_pct": float(np.mean(np.abs(errs))) if errs else None,
                "bias_pct": float(np.mean(errs)) if errs else None}

    return {"years": list(years), "model": mae(ours), "kita": mae(forecasts),
            "no_change": mae({y: totals[y - 1] for y in span})}


def run(dataset: Dataset, bases: Sequence[int] = BASE_YEARS, n_paths: int = DEFAULT_PATHS, seed: int = SEED,
        ahead: int = MAX_AHEAD, wide: bool = True) -> dict:
    """The whole backtest on one Dataset: rows, coverage per target, the done-when checks and KITA's record.

    wide: the total, chips and the lines of WIDE_TARGETS from every base year their data allow
    (FIRST_WIDE_BASE on, up to the last of `bases`); False keeps them to `bases` too.
    """
    data, mdata = baseline_of(dataset), dataset.macro
    rows: list[BandRow] = []
    for b in bases:
        rows += backtest_base(b, data, mdata, n_paths, seed, ahead)
    # one-year-ahead bands for the year of each KITA forecast (base = the year before), for the comparison
    fc = dataset.forecasts
    kita_bases = sorted({y - 1 for y in fc["kita_exports_forecast"]} - set(bases))
    extra: list[BandRow] = []
    for b in kita_bases:
        if b in data.actual_totals() and b - 1 in data.actual_totals():
            extra += [r for r in backtest_base(b, data, mdata, n_paths, seed, 1) if r.target == TOTAL]
    # the total and chips: the year-ahead rule and the chip cycle from every base year with data
    month_rows = dataset.monthly.full_months("total").values()
    months = {r.period: r.value for r in month_rows}
    totals = customs_totals(month_rows)
    kospi = mdata.series(YEARAHEAD_KOSPI)
    changes = total_changes(totals, kospi, months, ahead)
    fx_wdi = mdata.series(WIDE_GNI_FX)
    # the total and chips; GNI per capita, GDP and the KOSPI on lines of their own, beside the engine's
    wide_rows = [r for r in (total_rows(totals, kospi, months, ahead, changes=changes)
                             + chip_rows(chip_history(data), ahead)
                             + gni_rows(mdata.series(WIDE_GNI_KRW), fx_wdi, ahead)
                             + gdp_rows(mdata.series(WIDE_GDP_KRW), fx_wdi, ahead)
                             + kospi_rows(kospi, changes))
                 if r.base <= max(bases) and (wide or r.base in bases)]
    rows = [r for r in rows if r.target not in (TOTAL, CHIPS)] + wide_rows
    extra = [r for r in extra if r.target not in (TOTAL, CHIPS)]
    targets = sorted({r.target for r in rows},
                     key=lambda s: (s != TOTAL, s not in VISION_TARGETS and s not in WIDE_TARGETS, s))
    by_target = {tg: coverage([r for r in rows if r.target == tg]) for tg in targets}
    total_check = [r for r in rows if r.target == TOTAL and CHECK_TOTAL_BASES[0] <= r.base <= CHECK_TOTAL_BASES[1]]
    gni_check = [r for r in rows if r.target == GNI and r.base == CHECK_GNI_BASE]
    return {
        "bases": list(bases), "n_paths": n_paths, "seed": seed, "ahead": ahead,
        "wide_bases": sorted({r.base for r in wide_rows}),
        "coverage": by_target,
        "checks": {"total_2016_2021": coverage(total_check), "gni_from_2021": coverage(gni_check),
                   **acceptance(rows, totals, fc["kita_exports_forecast"],
                                {GNI: (mdata.series(FX_END), mdata.series(FX_SERIES)),
                                 GNI_WIDE: (mdata.series(WIDE_GNI_FX), mdata.series(WIDE_GNI_FX))})},
        "thresholds": THRESHOLDS,
        "rows": [r.to_dict() for r in rows],
        "kita": kita_record([*rows, *extra], totals, fc),
    }


def acceptance(rows: Sequence[BandRow], totals: Mapping[int, float], kita: Mapping[int, float],
               fx: Mapping[str, tuple[Mapping[int, float], Mapping[int, float]]] | None = None) -> dict:
    """The issue-#26 checks against THRESHOLDS: coverage one year ahead, the peaks, the median's MAE, GNI's bias.

    fx: per GNI target, the won per dollar its median holds from the base and the one its outcome is
    converted at (gni_bias). The GNI check is on the engine's rows (target GNI); GNI_WIDE is reported beside.
    """
    total_1y = coverage([r for r in rows if r.target == TOTAL and r.ahead == 1])
    chips_1y = coverage([r for r in rows if r.target == CHIPS and r.ahead == 1])
    peaks = [r for r in rows if r.target == CHIPS and r.ahead == 1 and r.base in PEAKS]
    acc = accuracy(rows, totals, kita)
    bias = gni_bias(rows, fx or {})
    gni_bias_pct = bias[GNI]["bias_pct"]
    th = THRESHOLDS
    ok = {
        "total_1y": bool(total_1y["n"] >= th["total_1y"]["min_n"] and total_1y["n"]
                         and th["total_1y"]["in80"][0] <= total_1y["share80"] <= th["total_1y"]["in80"][1]
                         and th["total_1y"]["in50"][0] <= total_1y["share50"] <= th["total_1y"]["in50"][1]),
        "chips_1y": bool(chips_1y["n"] >= th["chips_1y"]["min_n"] and chips_1y["n"]
                         and chips_1y["share80"] >= th["chips_1y"]["in80_min"]),
        "chips_after_peaks": bool(len(peaks) == len(PEAKS) and all(r.in80 for r in peaks)),
        "median_mae": bool(acc["model"]["mae_pct"] is not None
                           and acc["model"]["mae_pct"] <= th["median_mae_max_pct"]),
        "gni_bias": bool(gni_bias_pct is not None and abs(gni_bias_pct) <= th["gni_bias_max_pct"]),
    }
    return {"total_1y": total_1y, "chips_1y": chips_1y,
            "chips_after_peaks": [{"base": r.base, "year": r.year, "p10": r.p10, "p90": r.p90, "actual": r.actual,
                                   "in80": r.in80} for r in peaks],
            "accuracy": acc, "gni_bias_pct": gni_bias_pct, "gni_bias": bias, "passed": ok}


def gni_bias(rows: Sequence[BandRow], fx: Mapping[str, tuple[Mapping[int, float], Mapping[int, float]]]) -> dict:
    """Per GNI target (GNI, GNI_WIDE): the mean signed error of the median (percent, median / outcome - 1).

    Also the won's part in log points where fx[target] = (held, converted) covers the rows: the mean of
    100 ln(converted(year) / held(base)), what holding the won from the base cost (positive: the won fell;
    the engine holds the base year's close, the trend rule its average); the rest of the mean log error is
    everything else (for the trend rule: income in won growing otherwise than its trend).
    """
    out = {}
    for target in (GNI, GNI_WIDE):
        sel = [r for r in rows if r.target == target and r.actual]
        if not sel:
            out[target] = {"n": 0, "bias_pct": None}
            continue
        part = {"n": len(sel), "bias_pct": float(np.mean([(r.p50 / r.actual - 1.0) * 100.0 for r in sel])),
                "first_base": min(r.base for r in sel), "last_base": max(r.base for r in sel),
                "log_pts": float(np.mean([100.0 * math.log(r.p50 / r.actual) for r in sel]))}
        held, converted = fx.get(target, ({}, {}))
        if all(r.base in held and r.year in converted for r in sel):
            part["won_log_pts"] = float(np.mean([100.0 * math.log(converted[r.year] / held[r.base]) for r in sel]))
            part["rest_log_pts"] = part["log_pts"] - part["won_log_pts"]
        out[target] = part
    return out
