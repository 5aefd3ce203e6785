"""Backtest: the model's ranges from past base years against what happened, beside KITA's forecasts.

From each base year b (2016-2024) every estimate is made from data up to b
only (scenarios.model.calibration with as_of=b: volatilities, the common factor,
the won and KOSPI shocks, the tails, and the trend growth at the centre).
Then the p10-p90 and p25-p75 bands 1-4 years ahead are set against the
outcomes in data/ and the share of outcomes inside each band is counted.

Targets and models
    exports_total   the engine (scenarios.model.uncertainty.simulate) where b has a
                    complete industry baseline (2021 on), every series at the
                    total's trend; before that the total on its own, with its
                    own sigma (the engine's calibration makes the simulated
                    total swing exactly like this).
    <industry>      each industry and `rest` on its own: its calibrated sigma
                    (the engine's marginal for that series) around its own
                    trend shrunk toward the total's by span / (span + 4).
    gni_per_capita_usd, gdp_usd_bn, kospi
                    the engine from base years with a complete baseline, the
                    5/5/5 levers at their defaults (no fitted value: real
                    growth 1.8 %, deflator 2 %, no change in the won, no
                    re-rating), so the centre uses nothing after b.
Trend: the compound growth over the TREND_YEARS years to b (fewer when the
series is shorter). Quantiles from N seeded paths (default 4,000).

KITA: data/forecasts.csv holds KITA's year-ahead export forecasts; each is set
beside the outcome and the model's one-year-ahead median and band.

Command line: python -m scenarios backtest [--as-of YEAR] [--json] [--paths N]
[--seed N] [--lang en|ko] (main(argv) here).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from scenarios.data.baseline import (
    DATA_DIR,
    Baseline,
    BaselineError,
    MacroBaseline,
    default_baseline,
    default_macro,
    read_long_csv,
)
from scenarios.model.calibration import Calibration, calibrate, export_series, trend_growth
from scenarios.model.projection import Scenario, project
from scenarios.model.uncertainty import DEFAULT_SHRINKAGE_K, T_CLIP_SD, simulate, unit_t_log_mgf
from scenarios.registry.i18n import (
    DEFAULT_LANG,
    available_langs,
    fmt_number,
    fmt_pct,
    fmt_range,
    localize,
    t,
    text_grid,
    text_width,
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
FORECAST_SERIES = ("kita_exports_forecast", "kita_exports_forecast_growth_pct")
FORECAST_UNITS = ("usd_bn", "pct")
# The done-when check of issue #13: the total from these base years, and GNI per capita from this one.
CHECK_TOTAL_BASES = (2016, 2021)
CHECK_GNI_BASE = 2021


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


def load_forecasts(data_dir: Path = DATA_DIR) -> dict[str, dict[int, float]]:
    """data/forecasts.csv (validated like every data file): {series: {target year: value}}."""
    rows = read_long_csv(Path(data_dir) / "forecasts.csv", allowed_series=set(FORECAST_SERIES),
                         allowed_units=FORECAST_UNITS, allow_negative=True)
    out: dict[str, dict[int, float]] = {s: {} for s in FORECAST_SERIES}
    for r in rows:
        out[r.series][r.year] = r.value
    return out


def backtest_base(base: int, baseline: Baseline | None = None, macro: MacroBaseline | None = None,
                  n_paths: int = DEFAULT_PATHS, seed: int = SEED, ahead: int = MAX_AHEAD,
                  calibration: Calibration | None = None, last_year: int | None = None) -> list[BandRow]:
    """Every target's bands 1..ahead years after `base`, with every estimate from data up to `base`.

    last_year: the latest outcome year to report (the data's latest total if None; bands beyond it have no
    outcome to meet and are left out).
    """
    data, mdata = baseline or default_baseline(), macro or default_macro()
    cal = calibration or calibrate(data, mdata, as_of=base)
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
    """Outcomes met, and the share inside p10-p90 and p25-p75."""
    met = [r for r in rows if r.actual is not None]
    n = len(met)
    return {"n": n, "in80": sum(bool(r.in80) for r in met), "in50": sum(bool(r.in50) for r in met),
            "share80": (sum(bool(r.in80) for r in met) / n) if n else None,
            "share50": (sum(bool(r.in50) for r in met) / n) if n else None}


def kita_record(rows: Sequence[BandRow], baseline: Baseline | None = None,
                forecasts: dict[str, dict[int, float]] | None = None) -> dict:
    """KITA's year-ahead forecasts beside the outcome and the model's one-year-ahead band for the same year."""
    data = baseline or default_baseline()
    fc = forecasts or load_forecasts()
    actual = data.actual_totals()
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


def run(bases: Sequence[int] = BASE_YEARS, baseline: Baseline | None = None, macro: MacroBaseline | None = None,
        n_paths: int = DEFAULT_PATHS, seed: int = SEED, ahead: int = MAX_AHEAD) -> dict:
    """The whole backtest: rows, coverage per target, the done-when checks and KITA's record."""
    data, mdata = baseline or default_baseline(), macro or default_macro()
    rows: list[BandRow] = []
    for b in bases:
        rows += backtest_base(b, data, mdata, n_paths, seed, ahead)
    # one-year-ahead bands for the year of each KITA forecast (base = the year before), for the comparison
    fc = load_forecasts()
    kita_bases = sorted({y - 1 for y in fc["kita_exports_forecast"]} - set(bases))
    extra: list[BandRow] = []
    for b in kita_bases:
        if b in data.actual_totals() and b - 1 in data.actual_totals():
            extra += [r for r in backtest_base(b, data, mdata, n_paths, seed, 1) if r.target == TOTAL]
    targets = sorted({r.target for r in rows}, key=lambda s: (s != TOTAL, s not in VISION_TARGETS, s))
    by_target = {tg: coverage([r for r in rows if r.target == tg]) for tg in targets}
    total_check = [r for r in rows if r.target == TOTAL and CHECK_TOTAL_BASES[0] <= r.base <= CHECK_TOTAL_BASES[1]]
    gni_check = [r for r in rows if r.target == "gni_per_capita_usd" and r.base == CHECK_GNI_BASE]
    return {
        "bases": list(bases), "n_paths": n_paths, "seed": seed, "ahead": ahead,
        "coverage": by_target,
        "checks": {"total_2016_2021": coverage(total_check), "gni_from_2021": coverage(gni_check)},
        "rows": [r.to_dict() for r in rows],
        "kita": kita_record([*rows, *extra], data, fc),
    }


# ----------------------------------------------------------------------------- command line

class _Parser(argparse.ArgumentParser):
    """As the main command line's parser: errors on one line (exit 2), in the parser's language."""

    lang = DEFAULT_LANG

    def error(self, message: str) -> None:  # one line, exit 2
        from scenarios.cli.main import argparse_message

        print(t("cli.error", self.lang, message=argparse_message(message, self.lang)), file=sys.stderr)
        raise SystemExit(2)

    def format_help(self) -> str:
        from scenarios.cli.main import _Parser as MainParser

        return MainParser._localize(self, super().format_help())


def _int_in(name: str, text: str, lo: int, hi: int, lang: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not lo <= value <= hi:
        raise ValueError(t("backtest.bad_int", lang, name=name, value=text, min=lo, max=hi))
    return value


def _fmt(x: float | None, decimals: int = 1, lang: str = DEFAULT_LANG, scale: float = 1.0) -> str:
    return "-" if x is None else fmt_number(x * scale, lang, decimals)


def _pct(x: float | None, lang: str = DEFAULT_LANG) -> str:
    return "-" if x is None else fmt_pct(100 * x, lang, 0)


AMOUNTS_USD_BN = (TOTAL, "gdp_usd_bn")  # targets counted in USD bn (억 달러 in Korean: x 10, whole numbers)


def target_name(target: str, lang: str) -> str:
    """A backtest target as the reader's language names it (the id in English: it is what --json holds)."""
    if lang == DEFAULT_LANG:
        return target
    names = {TOTAL: "backtest.name_exports", "gdp_usd_bn": "calib.name_gdp", "gni_per_capita_usd": "calib.name_gni",
             "kospi": "calib.name_kospi"}
    return t(names.get(target, f"lever.{target}.label"), lang)


def render(result: dict, lang: str = DEFAULT_LANG) -> str:
    """The backtest as readable tables in `lang` (Korean: names, 억 달러, ~ between years, ○/× for the bands)."""
    first, last = result["bases"][0], result["bases"][-1]
    korean = lang == "ko"
    lines = [t("backtest.title", lang, bases=str(first) if first == last else fmt_range(first, last, lang),
               ahead=result["ahead"], paths=fmt_number(result["n_paths"], lang, 0)), ""]
    header = [t("backtest.col_target", lang), t("backtest.col_n", lang), t("backtest.col_in80", lang),
              t("backtest.col_in50", lang)]
    rows = [[target_name(target, lang), str(c["n"]), _pct(c["share80"], lang), _pct(c["share50"], lang)]
            for target, c in result["coverage"].items()]
    grid = text_grid(header, rows, left=1)
    lines += [grid[0], "-" * max(map(text_width, grid)), *grid[1:]]
    ch = result["checks"]
    lines += ["", t("backtest.check_total", lang, n=ch["total_2016_2021"]["n"],
                    in80=_pct(ch["total_2016_2021"]["share80"], lang),
                    in50=_pct(ch["total_2016_2021"]["share50"], lang)),
              t("backtest.check_gni", lang, k=ch["gni_from_2021"]["in80"], n=ch["gni_from_2021"]["n"]), "",
              t("backtest.units", lang)]
    yes, no = t("backtest.flag_yes", lang), t("backtest.flag_no", lang)
    header = [t("backtest.col_target", lang), t("backtest.col_base", lang), t("backtest.col_year", lang),
              "p10", "p25", "p50", "p75", "p90", t("backtest.col_actual", lang), "80", "50"]
    rows = []
    for r in result["rows"]:
        if r["target"] not in (TOTAL, *VISION_TARGETS):
            continue
        scale, decimals = (10.0, 0) if korean and r["target"] in AMOUNTS_USD_BN else (1.0, 1)
        flags = ["-" if r[k] is None else (yes if r[k] else no) for k in ("in80", "in50")]
        rows.append([target_name(r["target"], lang), str(r["base"]), str(r["year"]),
                     *(_fmt(r[k], decimals, lang, scale) for k in ("p10", "p25", "p50", "p75", "p90", "actual")),
                     *flags])
    grid = text_grid(header, rows, left=1)
    lines += [grid[0], "-" * max(map(text_width, grid)), *grid[1:]]
    k = result["kita"]
    lines += ["", t("backtest.kita_title", lang)]
    scale, decimals = (10.0, 0) if korean else (1.0, 1)
    header = [t("backtest.col_year", lang), t("backtest.col_kita", lang), t("backtest.col_actual", lang),
              t("backtest.col_kita_error", lang), "p10", "p50", "p90", t("backtest.col_model_error", lang)]
    rows = [[str(r["year"]), _fmt(r["kita"], decimals, lang, scale), _fmt(r["actual"], decimals, lang, scale),
             _fmt(r["kita_error_pct"], 1, lang), _fmt(r["model_p10"], decimals, lang, scale),
             _fmt(r["model_p50"], decimals, lang, scale), _fmt(r["model_p90"], decimals, lang, scale),
             _fmt(r["model_error_pct"], 1, lang)] for r in k["years"]]
    grid = text_grid(header, rows)
    lines += [grid[0], "-" * max(map(text_width, grid)), *grid[1:]]
    if k["kita"].get("n"):
        lines.append(t("backtest.kita_summary", lang, n=k["kita"]["n"], kita_mae=_fmt(k["kita"]["mae_pct"], 1, lang),
                       model_mae=_fmt(k["model"]["mae_pct"], 1, lang), kita_rmse=_fmt(k["kita"]["rmse_pct"], 1, lang),
                       model_rmse=_fmt(k["model"]["rmse_pct"], 1, lang)))
    lines += ["", t("backtest.note", lang)]
    return "\n".join(lines)


def build_parser(lang: str = DEFAULT_LANG) -> argparse.ArgumentParser:
    """The backtest command's options."""
    p = _Parser(prog="python -m scenarios backtest", description=t("backtest.description", lang))
    p.lang = lang
    p.add_argument("--as-of", metavar="YEAR", help=t("backtest.help_as_of", lang, min=BASE_YEARS[0] - 1,
                                                      max=BASE_YEARS[-1]))
    p.add_argument("--paths", help=t("backtest.help_paths", lang, max=MAX_PATHS))
    p.add_argument("--seed", help=t("backtest.help_seed", lang))
    p.add_argument("--lang", choices=available_langs(), default=lang, help=t("cli.help_lang", lang))
    p.add_argument("--json", action="store_true", help=t("cli.help_json", lang))
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the backtest CLI; return the exit status (2 with one line on stderr for bad input)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    lang = DEFAULT_LANG
    at = argv.index("--lang") + 1 if "--lang" in argv else len(argv)
    if at < len(argv) and argv[at] in available_langs():
        lang = argv[at]
    args = build_parser(lang).parse_args(argv)
    lang = args.lang
    try:
        bases: tuple[int, ...] = BASE_YEARS
        if args.as_of is not None:
            bases = (_int_in("--as-of", args.as_of, BASE_YEARS[0] - 1, BASE_YEARS[-1], lang),)
        n_paths = DEFAULT_PATHS if args.paths is None else _int_in("--paths", args.paths, 100, MAX_PATHS, lang)
        seed = SEED if args.seed is None else _int_in("--seed", args.seed, 0, 2**32 - 1, lang)
        result = run(bases, n_paths=n_paths, seed=seed)
    except (ValueError, BaselineError) as exc:
        print(t("cli.error", lang, message=localize(exc, lang)), file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2) if args.json else render(result, lang))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
