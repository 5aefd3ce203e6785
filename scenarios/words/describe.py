"""Words and tables about a scenario, in the user's language (pure; used by the app and tests)."""

from __future__ import annotations

import calendar
import datetime
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from scenarios.data.baseline import NOWCAST_QUALITY, TOTAL_SERIES, Baseline, MacroBaseline, read_long_csv
from scenarios.data.dataset import Dataset
from scenarios.data.ecos import MARKET_FILE, load_market
from scenarios.data.freshness import Freshness, freshness
from scenarios.data.monthly import FULL_MONTH, MINISTRY_TOTAL, load_monthly
from scenarios.model.calibration import calibration_of
from scenarios.model.goals import OK, REACHED_WITHOUT, Requirement
from scenarios.model.outcome import Outcome
from scenarios.model.present import baseline_of
from scenarios.model.projection import EXPORT_TARGET_USD_BN
from scenarios.model.uncertainty import SERIES_BREAKS, probability_text
from scenarios.model.vision import imf_korea_rank
from scenarios.model.what_it_takes import EXPORTS, GNI, KOSPI
from scenarios.registry.i18n import (
    catalog,
    fmt_number,
    fmt_pct,
    fmt_range,
    fmt_usd_bn,
    fmt_year,
    md_escape,
    series_name,
    t,
    usd_bn_table_value,
)
from scenarios.registry.levers import LEVERS, Lever, growth_levers, lever
from scenarios.registry.precision import FEW_MONTHS_UNKNOWN, round_estimate
from scenarios.registry.targets import (
    GNI_50K,
    KOSPI_5000,
    PLEDGE_BASE_YEAR,
    PLEDGE_RATE_PCT,
    PLEDGE_TIMELINE_YEAR,
)
from scenarios.words.backtest_text import target_label
from scenarios.words.frames import (
    KIND_KEYS,
    KIND_NEEDED,
    KIND_PLEDGE,
    TORNADO_COLUMNS,
    WATERFALL_COLUMNS,
    cumulative_frame,
    exports_frame,
    monthly_frame,
    rank_frame,
    vision_frame,
)
from scenarios.words.specs import cumulative_texts, fitted_spec, load_specs, present_kinds

MONTHLY_CHART_YEARS = 3  # the tracker's monthly chart: the year in progress and the two before it


def ceil_to(value: float, decimals: int) -> float:
    """Round up to `decimals` places (a required rate shown this way is enough, never just short)."""
    factor = 10**decimals
    return math.ceil(value * factor - 1e-9) / factor


def series_labels(lang: str) -> dict[str, str]:
    """Display label of every series id."""
    return {lev.id: t(lev.label_key, lang) for lev in growth_levers()}


def preset_name(preset_id: str, lang: str) -> str:
    """A preset's name in the user's language (a preset read from a file of the user's own keeps its id)."""
    key = f"preset.{preset_id}.label"
    return t(key, lang) if key in catalog("en") else preset_id


def lever_help(lev: Lever, baseline: Baseline, base_year: int, lang: str) -> str:
    """Slider help: definition, unit, historical growth, base value, quality and source.

    The line on the slider's value is value_help (the app caches it by series and value).
    """
    found = baseline.trend(lev.id)
    history = (t("help.history_cagr", lang, pct=fmt_pct(found[0], lang), years=fmt_range(found[1], found[2], lang))
               if found else t("help.history_none", lang))
    if lev.kind == "rest":
        base_value, quality = baseline.rest_value(base_year), baseline.history("rest")[base_year][1]
        row = baseline.rows["total"][base_year]
    else:
        base_value = baseline.industry_value(lev.id, base_year)
        quality = baseline.industry_quality(lev.id, base_year)
        row = baseline.industry_rows(lev.id, base_year)[0]
    if quality == NOWCAST_QUALITY:  # the year in progress: computed from the months published so far
        source = t("help.source_nowcast", lang)
    elif row.source_url:
        # the address is a checked http(s) URL without markup characters (scenarios.data.baseline), the name
        # is escaped: a data file's text is shown as text
        source = f"[{md_escape(source_name(row.source, lang))}]({row.source_url})"
    else:
        source = source_name(row.source, lang) or t("method.assumption", lang)
    text = t("help.series", lang, definition=t(lev.help_key, lang), history=history, base_year=base_year,
             base_value=fmt_usd_bn(base_value or 0.0, lang), quality=t(f"quality.{quality}", lang), source=source)
    return text


# Who published a source, as the data files name them (the first word(s) of `source`), and the media quoted.
SOURCE_ORGS = ("MOTIE", "MOTIR", "KITA", "KCS", "KOFOTI", "MCST", "KOCCA", "KAICA", "KIRIA", "KAR", "KDIA",
               "Bank of Korea", "Statistics Korea", "Ministry of Commerce, Industry and Energy",
               "Ministry of Knowledge Economy", "Korea Customs Service", "KRX", "IMF", "KIEP")


def source_name(source: str, lang: str) -> str:
    """A data row's source as a reader of `lang` reads it.

    The data files name sources in English (they are data, shown as such on the Data page); in Korean
    the help texts name the publishers (산업통상자원부, 한국무역협회, ...) and say when a figure is quoted
    from a press report. The link beside it leads to the original.
    """
    if lang == "en" or not source:
        return source
    found: list[str] = []
    for org in SOURCE_ORGS:
        at = source.find(org)
        if at >= 0 and (at == 0 or not source[at - 1].isalpha()):
            found.append((at, org))
    names = []
    for _, org in sorted(found):
        name = t(f"source_org.{org.replace(' ', '_').replace(',', '')}", lang)
        if name not in names:
            names.append(name)
    text = "·".join(names) if names else t("source_org.other", lang)
    key = "source_org.via" if " via " in source else "source_org.plain"
    return t(key, lang, orgs=text)


def required_pct(pct: float) -> float:
    """A required growth rate as every output shows it: rounded up to the sliders' 0.1 step (enough, never short)."""
    return ceil_to(pct, 1)


def requirement_text(req: Requirement, lang: str, subject: str = "one") -> str:
    """A required growth rate in words (a percentage, or why there is none).

    subject: "one" (a single industry) or "big10" (the ten together), which
    words the case where the other series reach the target on their own.
    """
    if req.status == OK and req.pct is not None:
        shown = fmt_pct(required_pct(req.pct), lang)  # rounded up: setting the shown rate does reach the target
        top = max(lev.max for lev in growth_levers())
        return t("metric.above_range", lang, pct=shown) if req.pct > top else shown
    if req.status == REACHED_WITHOUT and subject == "big10":
        return t("metric.rest_alone", lang)
    return t(f"metric.{req.status}", lang)


AMOUNT_DECIMALS = {"en": (2, 1), "ko": (0, 0)}  # (base value, target-year value): USD bn / 억 달러


def industry_table(outcome: Outcome, baseline: Baseline, lang: str) -> pd.DataFrame:
    """One row per series: base value, growth, value in the target year, share, needed growth, quality.

    Amounts are USD bn in English and 억 달러 in Korean (the column names say which); frame.attrs
    ["formats"] holds each number column's format, so a year or a rank is never shown as money.
    """
    proj, s = outcome.projection, outcome.scenario
    n = outcome.target_index
    counted_total = float(proj.total[n])
    rows = []
    # Each series' own grade (official, derived, proxy, estimate) comes from its latest published year: a
    # nowcast base year would read "nowcast" for every series and hide the weak ones. The base value's own
    # basis (published, or a nowcast of the year in progress) is a column of its own.
    nowcast = baseline.is_nowcast(s.base_year)
    graded = max((y for y in baseline.base_years() if not baseline.is_nowcast(y)), default=s.base_year)
    grade_year = graded if nowcast else s.base_year
    basis = t("quality.nowcast" if nowcast else "publish2.basis_published", lang)
    for i, lev in enumerate(growth_levers()):
        sid = lev.id
        quality = (baseline.history("rest")[grade_year][1] if sid == "rest"
                   else baseline.industry_quality(sid, grade_year))
        at_target = float(proj.values[i, n])
        counted = bool(proj.counted[i])
        rows.append({
            t("table.industry", lang): t(lev.label_key, lang),
            t("table.group", lang): t(f"group.{lev.group}_short", lang),
            t("table.base_value", lang): round(usd_bn_table_value(float(proj.values[i, 0]), lang), 2),
            t("table.growth", lang): round(s.growth[sid], 1),
            t("table.target_value", lang): round(usd_bn_table_value(at_target, lang), 1),
            t("table.share", lang): (f"{100.0 * at_target / counted_total:.1f}" if counted
                                     else t("table.not_counted", lang)),
            t("table.needed", lang): requirement_text(outcome.required_by_series[sid], lang),
            t("table.quality", lang): t(f"quality.{quality}", lang),
            t("publish2.col_basis", lang): basis,
        })
    frame = pd.DataFrame(rows)
    base_dec, target_dec = AMOUNT_DECIMALS["ko" if lang == "ko" else "en"]
    frame.attrs["formats"] = {t("table.base_value", lang): f"{{:,.{base_dec}f}}", t("table.growth", lang): "{:,.1f}",
                              t("table.target_value", lang): f"{{:,.{target_dec}f}}"}
    return frame


def _delta_cells(kind: str, key: str, reference: float, yours: float, lang: str, horizon: int) -> tuple[str, ...]:
    """One comparison row's three cells, each in its own unit: money, GNI, index points, a rank or a year."""
    if kind == "milestone":  # years: written as years, a target not reached says so, the gap in whole years
        def year(v: float) -> str:
            return t("metric.not_by", lang, year=horizon) if math.isnan(v) else str(int(v))
        gap = yours - reference
        return year(reference), year(yours), "" if math.isnan(gap) else fmt_number(gap, lang, 0, sign=True)
    if kind == "series" or key in ("exports_total", "gdp_usd_bn"):
        scale, decimals = (10.0, 0) if lang == "ko" else (1.0, 1)
    else:  # GNI per capita (USD), KOSPI (points) and the rank: whole numbers
        scale, decimals = 1.0, 0
    cells = [fmt_number(v * scale, lang, decimals) for v in (reference, yours)]
    return *cells, fmt_number((yours - reference) * scale, lang, decimals, sign=True)


def reference_differs(outcome: Outcome) -> bool:
    """Whether a reference is compared and differs from the scenario anywhere (not the scenario itself)."""
    if outcome.deltas is None:
        return False
    return not all(r == y or (math.isnan(r) and math.isnan(y)) or abs(r - y) < 1e-9 for _, _, r, y in outcome.deltas)


# Targets whose row and sentences speak of the scenario's year-ends: an actual close above 5,000 on
# 27 January 2026 is a date, said as one, never the scenario's first year-end.
YEAR_END_MILESTONES = ("kospi_5000",)


def delta_table(outcome: Outcome, lang: str) -> pd.DataFrame | None:
    """Reference, yours and the difference: each industry in the target year, then each target.

    None without a reference, and None when the reference is the scenario itself (nothing differs).
    Cells are text in each row's own unit (money in USD bn or 억 달러, GNI in USD, KOSPI points, ranks and
    years as whole numbers); frame.attrs["align_right"] names the columns to right-align.
    """
    if not reference_differs(outcome):
        return None
    s = outcome.scenario
    value_keys = {"exports_total": "compare.exports_total", "gni_per_capita_usd": "compare.gni",
                  "kospi": "compare.kospi", "gdp_usd_bn": "compare.gdp", "gdp_rank": "compare.rank"}
    rows = []
    for kind, key, reference, yours in outcome.deltas:
        if kind == "milestone" and key in YEAR_END_MILESTONES:  # the row compares the two paths' year-ends
            mine = outcome.projected_milestones[key]
            yours = float("nan") if mine is None else float(mine)
        if kind == "series":
            item = t("compare.series", lang, label=t(f"lever.{key}.label", lang), year=s.target_year)
        elif kind == "value":
            item = t(value_keys[key], lang, year=s.target_year)
        else:
            item = t(f"compare.year_{key}", lang)
        rows.append((item, *_delta_cells(kind, key, reference, yours, lang, s.horizon)))
    columns = [t("compare.col_item", lang), t("compare.col_reference", lang),
               t("compare.col_yours", lang), t("compare.col_difference", lang)]
    frame = pd.DataFrame(rows, columns=columns)
    frame.attrs["align_right"] = columns[1:]
    return frame


def volatility_table(vol, lang: str) -> pd.DataFrame:
    """Each series' estimated volatility, before and after shrinkage (for the Methodology page)."""
    described = vol.describe()
    return pd.DataFrame([{
        t("methodology.col_series", lang): t(f"lever.{row['id']}.label", lang),
        t("ranges.col_sigma", lang): round(row["sigma"], 3),
        t("ranges.col_raw", lang): "–" if row["sigma_raw"] is None else f"{row['sigma_raw']:.3f}",
        t("ranges.col_obs", lang): row["n_obs"],
        t("ranges.col_years", lang): fmt_range(row["first_year"], row["last_year"], lang),
    } for row in described["series"]])


def _lever_facts(lev: Lever, lang: str) -> dict[str, str]:
    """A lever's unit, range, default and source, as table cells."""
    return {
        t("method.col_unit", lang): t(f"unit.{lev.unit}", lang),
        t("method.col_range", lang): t("fmt.value_range", lang, low=f"{lev.min:g}", high=f"{lev.max:g}"),
        t("method.col_default", lang): f"{lev.default:g}",
        t("method.col_source", lang): lev.source or t("method.assumption", lang),
    }


def lever_table(levers: tuple[Lever, ...], lang: str) -> pd.DataFrame:
    """Every lever's label, unit, default, range and source, from the registry (for the method notes)."""
    return pd.DataFrame([{t("method.col_lever", lang): t(lev.label_key, lang), **_lever_facts(lev, lang)}
                         for lev in levers])


def peer_table(macro: MacroBaseline, lang: str) -> pd.DataFrame:
    """Each peer economy's default growth and how it was read from the WEO rows in data/peers.csv."""
    rows = []
    for p in macro.peers:
        rule = p.growth_rule
        how = (t("method.how_cagr", lang, years=fmt_range(rule["start"], rule["end"], lang), series=rule["series"])
               if rule["method"] == "cagr" else t("method.how_median", lang,
                                                 group=t(f"method.group_{rule['group']}", lang)))
        rows.append({t("method.col_economy", lang): t(f"lever.peer_{p.iso3.lower()}.label", lang),
                     t("method.col_growth", lang): round(p.growth_pct, 2),
                     t("method.col_how", lang): how})
    return pd.DataFrame(rows)


DATA_FILES = ("exports.csv", "macro.csv", "peers.csv", "forecasts.csv")


def series_caveat_key(series: str) -> str:
    """Locale key of a data series' caveat (peer GDP series share one per IMF vintage)."""
    if series.startswith("gdp_usd_bn_"):
        return "series.weo_apr2025" if series.endswith("_weo_apr2025") else "series.weo_oct2025"
    return f"series.{series}"


def data_series_table(lang: str, folder: Path) -> pd.DataFrame:
    """Every series in a data folder's CSVs: file, years, quality counts, latest source and caveat."""
    rows = []
    for name in DATA_FILES:
        by_series: dict[str, list] = {}
        for r in read_long_csv(folder / name, allow_negative=True):
            by_series.setdefault(r.series, []).append(r)
        for series, items in by_series.items():
            items.sort(key=lambda r: r.year)
            years = [r.year for r in items]
            counts = Counter(r.quality for r in items)
            quality = ", ".join(f"{t(f'quality.{q}', lang)} {counts[q]}"
                                for q in ("official", "transcribed", "derived", "proxy", "estimate") if counts[q])
            span = f"{years[0]}" if len(years) == 1 else f"{fmt_range(years[0], years[-1], lang)} ({len(years)})"
            rows.append({
                t("methodology.col_series", lang): series_name(series, lang, with_id=True),
                t("methodology.col_file", lang): name,
                t("methodology.col_years", lang): span,
                t("methodology.col_quality", lang): quality,
                t("methodology.col_caveat", lang): t(series_caveat_key(series), lang),
                t("methodology.col_source", lang): items[-1].source_url,
            })
    rows += _monthly_series_rows(folder, lang)
    rows += _market_series_rows(folder, lang)
    return pd.DataFrame(rows)


def _monthly_series_rows(folder: Path, lang: str) -> list[dict]:
    """The monthly series of data/monthly.csv: the customs line, the ministry's line, the chip item."""
    monthly = load_monthly(folder)
    rows = []
    for series in monthly.series_ids():
        items = [r for r in monthly.rows if r.series == series]
        full = sorted((r for r in items if r.coverage == FULL_MONTH), key=lambda r: r.period)
        counts = Counter(r.quality for r in items)
        rows.append({
            t("methodology.col_series", lang): series_name(series, lang, with_id=True),
            t("methodology.col_file", lang): "monthly.csv",
            t("methodology.col_years", lang): (f"{fmt_range(full[0].period, full[-1].period, lang)} ({len(full)})"
                                               if full else ""),
            t("methodology.col_quality", lang): ", ".join(f"{t(f'quality.{q}', lang)} {n}" for q, n in counts.items()),
            t("methodology.col_caveat", lang): t(f"series.monthly_{series}", lang),
            t("methodology.col_source", lang): (full or items)[-1].source_url,
        })
    return rows


def _market_series_rows(folder, lang: str) -> list[dict]:
    """The monthly market series of data/market.csv (written by `refresh --ecos`), if the file exists."""
    market = load_market(folder)
    rows = []
    for series in sorted({r.series for r in market.rows}):
        items = sorted((r for r in market.rows if r.series == series), key=lambda r: r.period)
        counts = Counter(r.quality for r in items)
        rows.append({
            t("methodology.col_series", lang): series_name(series, lang, with_id=True),
            t("methodology.col_file", lang): MARKET_FILE,
            t("methodology.col_years", lang): f"{fmt_range(items[0].period, items[-1].period, lang)} ({len(items)})",
            t("methodology.col_quality", lang): ", ".join(f"{t(f'quality.{q}', lang)} {n}" for q, n in counts.items()),
            t("methodology.col_caveat", lang): t(series_caveat_key(series), lang),
            t("methodology.col_source", lang): items[-1].source_url,
        })
    return rows


def all_levers_table(lang: str) -> pd.DataFrame:
    """Every lever in the registry: label and URL key, group, definition, unit, range, default, source."""
    return pd.DataFrame([{
        t("methodology.col_lever", lang): f"{t(lev.label_key, lang)} ({lev.id})",
        t("methodology.col_group", lang): t(f"group_name.{lev.group}", lang),
        t("methodology.col_definition", lang): t(lev.help_key, lang),
        **_lever_facts(lev, lang),
    } for lev in LEVERS])


def coverage_table(backtest: dict, lang: str) -> pd.DataFrame:
    """The backtest's coverage per target: outcomes, and how many fell inside the 80 % and 50 % bands."""
    rows = []
    for target, c in backtest["coverage"].items():
        name = target_label(target, lang)
        first, last = c["first_base"], c["last_base"]
        bases = "–" if not c["n"] else str(first) if first == last else fmt_range(first, last, lang)
        rows.append({t("backtest.col_target", lang): name, t("backtest.col_bases", lang): bases,
                     t("backtest.col_n", lang): c["n"],
                     t("backtest.col_in80", lang): f"{c['in80']} ({fmt_pct(100 * c['share80'], lang, 0)})",
                     t("backtest.col_in50", lang): f"{c['in50']} ({fmt_pct(100 * c['share50'], lang, 0)})"})
    return pd.DataFrame(rows)


def kita_table(backtest: dict, lang: str) -> pd.DataFrame:
    """KITA's year-ahead forecasts beside the outcome and the model's one-year-ahead band and median.

    Cells are text as shown: amounts in USD bn (English) or 억 달러 (Korean), errors in percent to one
    decimal, a dash where there is no value (never "None"), the year as a year.
    """
    def amount(value: float | None) -> str:
        return "–" if value is None else fmt_number(usd_bn_table_value(value, lang), lang, 0 if lang == "ko" else 1)

    def pct(value: float | None) -> str:
        return "–" if value is None else fmt_number(value, lang, 1, sign=True)

    return pd.DataFrame([{
        t("backtest.col_year", lang): str(r["year"]),
        t("backtest.col_kita", lang): amount(r["kita"]),
        t("backtest.col_actual", lang): amount(r["actual"]),
        t("backtest.col_kita_error", lang): pct(r["kita_error_pct"]),
        "p10": amount(r["model_p10"]),
        "p50": amount(r["model_p50"]),
        "p90": amount(r["model_p90"]),
        t("backtest.col_model_error", lang): pct(r["model_error_pct"]),
    } for r in backtest["kita"]["years"]])


def when_text(outcome: Outcome, key: str, lang: str) -> str:
    """The year a target is first reached, or 'not by H', in the user's language."""
    year = outcome.milestones[key]
    return fmt_year(year, lang) if year is not None else t("metric.not_by", lang, year=outcome.scenario.horizon)


# Every sentence on a target has a not-reached twin, written as a whole sentence, so no "not by 2035"
# label is ever spliced into a sentence built for a year.
NOT_REACHED = {
    "summary.exports": "summary.exports_never", "summary.gni": "summary.gni_never",
    "summary.kospi": "summary.kospi_never", "summary.rank": "summary.rank_never",
    "summary_image.exports": "summary_image.exports_never", "summary_image.gni": "summary_image.gni_never",
    "summary_image.kospi": "summary_image.kospi_never", "summary_image.rank": "summary_image.rank_never",
    "methodology.example_total": "methodology.example_total_never",
}


def reached_text(outcome: Outcome, milestone: str, key: str, lang: str, projected: bool = False,
                 **values: object) -> str:
    """A sentence on a target: `key` with the year it is first reached, or its not-reached twin (NOT_REACHED).

    projected: the year on the scenario's own path, never an actual date in the data. A sentence about the
    scenario's year-ends says the scenario's year (KOSPI: its first year-end at 5,000), and names the actual
    first close (27 January 2026) as an actual date beside it.
    """
    year = (outcome.projected_milestones if projected else outcome.milestones)[milestone]
    if year is None:
        return t(NOT_REACHED[key], lang, horizon=outcome.scenario.horizon, **values)
    return t(key, lang, when=fmt_year(year, lang), **values)


def exports_summary(outcome: Outcome, lang: str) -> str:
    """The exports chart in a few sentences (its text alternative)."""
    proj, s = outcome.projection, outcome.scenario
    n = outcome.target_index
    total = float(proj.total[n])
    big10 = [i for i, sid in enumerate(proj.series_ids) if sid != "rest" and proj.counted[i]]
    top = max(big10, key=lambda i: proj.values[i, n])
    text = reached_text(outcome, "exports_1t", "summary.exports", lang, year=s.target_year,
                        total=fmt_usd_bn(total, lang))
    share = t("summary.exports_top", lang, year=s.target_year, top=t(f"lever.{proj.series_ids[top]}.label", lang),
              share=fmt_pct(100 * float(proj.values[top, n]) / total, lang),
              big10=fmt_pct(100 * float(proj.values[big10, n].sum()) / total, lang))
    return " ".join([text, share, *what_it_takes_sentences(outcome, lang)])


def vision_summaries(outcome: Outcome, lang: str) -> dict[str, str]:
    """Each 5/5/5 chart in one sentence (their text alternatives)."""
    s, at = outcome.scenario, outcome.at_target
    year = s.target_year
    return {
        "gni": reached_text(outcome, "gni_per_capita_50k", "summary.gni", lang, year=year,
                            value=fmt_number(at["gni_per_capita_usd"], lang, 0)),
        "kospi": reached_text(outcome, "kospi_5000", "summary.kospi", lang, projected=True, year=year,
                              value=fmt_number(at["kospi"], lang, 0)),
        "gdp": t("summary.gdp", lang, year=year, value=fmt_usd_bn(at["gdp_usd_bn"], lang),
                 fifth=fmt_usd_bn(at["fifth_largest_other_economy_usd_bn"], lang)),
        "rank": reached_text(outcome, "top5_economy", "summary.rank", lang, year=year,
                             rank=round(at["gdp_rank"])),
    }


def month_text(period: str | None, lang: str) -> str:
    """A month as a reader of `lang` writes it: May 2026; 2026년 5월."""
    if not period:
        return ""
    year, month = int(period[:4]), int(period[5:7])
    if lang == "ko":
        return f"{year}년 {month}월"
    return f"{calendar.month_abbr[month]} {year}"


def nowcast_text(cast, lang: str) -> str:
    """How the year in progress was nowcast, in one sentence of the user's language."""
    n, m = len(cast.known), len(cast.projected)
    pace = "" if cast.pace_pct is None else fmt_pct(cast.pace_pct, lang)
    text = t(f"present.method_{cast.rule}", lang, n=n, m=m, pace=pace, year=cast.year)
    if getattr(cast, "range_basis", "rule") == "record":
        text = f"{text} {t('present.range_record', lang)}"
    return f"{text} {t('present.official_only_note', lang)}" if cast.official_only else text


def freshness_text(cast, lang: str) -> str:
    """How fresh the data are and which months rest on weak sources."""
    weak = ""
    if cast.weak_months:
        months = ", ".join(month_text(p, lang) for p in cast.weak_months)
        weak = t("present.freshness_weak", lang, months=months)
    return t("present.freshness", lang, through=month_text(cast.through, lang), weak=weak, year=cast.year)


# ---------------------------------------------------------------- what it would take (issue #14)

RUN_YEARS = 5       # growth is compared with the series' own compound growth over runs of this many years,
MIN_RUN_YEARS = 2   # or over the longest shorter runs (at least this long) that occur at least twice
MIN_RUNS = 2
ABOVE, BELOW, WITHIN, UNKNOWN = "above", "below", "within", "unknown"
BEYOND_LISTED = 4   # the summary names at most this many series set beyond their history


@dataclass(frozen=True)
class GrowthHistory:
    """A series' compound growth (pct a year) over every `years`-year run of its sourced history.

    Filled (estimate) years are skipped (except for `rest`, a residual), and
    years before a break in the series (scenarios.model.uncertainty.SERIES_BREAKS),
    as the trend preset and the volatility estimate do. years = 0: too little
    history to compare (no run of at least MIN_RUN_YEARS occurring MIN_RUNS times).
    """

    series: str
    years: int
    since: int | None
    runs: tuple[tuple[int, float], ...]  # (first year, pct a year)

    @property
    def fastest(self) -> tuple[int, float]:
        """The run with the highest growth: (first year, pct)."""
        return max(self.runs, key=lambda r: r[1])

    @property
    def slowest(self) -> tuple[int, float]:
        """The run with the lowest growth: (first year, pct)."""
        return min(self.runs, key=lambda r: r[1])

    def compare(self, value: float) -> str:
        """ABOVE every run, BELOW every run, WITHIN their range, or UNKNOWN (too little history)."""
        if not self.runs:
            return UNKNOWN
        if value > self.fastest[1] + 1e-9:
            return ABOVE
        if value < self.slowest[1] - 1e-9:
            return BELOW
        return WITHIN


def growth_history(baseline: Baseline, series: str) -> GrowthHistory:
    """The series' growth over every run of RUN_YEARS years (or the longest shorter runs found twice)."""
    points = {y: v for y, (v, q) in baseline.history(series).items()
              if (q != "estimate" or series == "rest") and q != NOWCAST_QUALITY and v > 0
              and y >= SERIES_BREAKS.get(series, 0)}
    years = sorted(points)
    for k in range(RUN_YEARS, MIN_RUN_YEARS - 1, -1):
        runs = tuple((y, ((points[y + k] / points[y]) ** (1.0 / k) - 1.0) * 100.0) for y in years if y + k in points)
        if len(runs) >= MIN_RUNS:
            return GrowthHistory(series, k, years[0], runs)
    return GrowthHistory(series, 0, years[0] if years else None, ())


def growth_histories(dataset: Dataset) -> dict[str, GrowthHistory]:
    """Every series' history runs in a Dataset's published figures (plausibility is judged against them).

    Computed once per Dataset; the user's own figures never enter it.
    """
    return dataset.derived(("growth_histories",), lambda: {
        lev.id: growth_history(baseline_of(dataset), lev.id) for lev in growth_levers()})


def plausibility_text(history: GrowthHistory, value: float, lang: str) -> str:
    """How a growth rate compares with the series' own history, in words."""
    where = history.compare(value)
    if where == UNKNOWN:
        return t("wit.plausible_none", lang)
    k = history.years
    if where == WITHIN:
        return t("wit.plausible_within", lang, years=k, since=history.since,
                 low=fmt_pct(history.slowest[1], lang), high=fmt_pct(history.fastest[1], lang))
    start, pct = history.fastest if where == ABOVE else history.slowest
    return t(f"wit.plausible_{where}", lang, years=k, since=history.since, pct=fmt_pct(pct, lang),
             start=start, end=start + k)


def value_help(series: str, value: float, lang: str, histories: Mapping[str, GrowthHistory]) -> str:
    """The slider help's line on its value: how it compares with the series' own history (growth_histories)."""
    return t("wit.help_history", lang, value=fmt_pct(value, lang),
             text=plausibility_text(histories[series], value, lang))


def beyond_history(outcome: Outcome) -> list[tuple[str, str]]:
    """(series id, ABOVE or BELOW) for each series whose growth is set beyond every run of its own history."""
    hist = growth_histories(outcome.dataset)
    out = []
    for sid, g in outcome.scenario.growth.items():
        where = hist[sid].compare(g) if sid in hist else UNKNOWN
        if where in (ABOVE, BELOW):
            out.append((sid, where))
    return out


def _setting_text(lever_id: str, value: float, lang: str) -> str:
    unit = lever(lever_id).unit
    if unit == "pct_per_year":
        return fmt_pct(value, lang)
    if unit == "pct":
        return fmt_pct(value, lang, 0)
    return fmt_number(value, lang, 2 if unit == "share" else 1)


def top_contributor(outcome: Outcome) -> tuple[str, float] | None:
    """The Big 10 industry adding the most to exports from the base year to the target year, or None if none adds."""
    parts = {sid: v for sid, v in outcome.gap.as_dict().items() if sid != "rest"}
    sid = max(parts, key=parts.__getitem__)
    return (sid, parts[sid]) if parts[sid] > 0 else None


def top_lever(outcome: Outcome):
    """The growth lever whose swing moves the target-year exports most (a SensitivityRow), or None."""
    rows = [r for r in outcome.export_sensitivity if r.width > 0]
    return rows[0] if rows else None


def what_it_takes_sentences(outcome: Outcome, lang: str) -> list[str]:
    """The industry carrying most of the change, the lever that matters most, and growth set beyond history."""
    s, gap = outcome.scenario, outcome.gap
    out = []
    top = top_contributor(outcome)
    if top is None:
        out.append(t("wit.summary_gap_none", lang, base=s.base_year, year=s.target_year))
    else:
        sid, value = top
        values = {"base": s.base_year, "year": s.target_year, "industry": t(f"lever.{sid}.label", lang),
                  "value": fmt_usd_bn(value, lang)}
        if gap.change > 0:  # its share of the whole change
            out.append(t("wit.summary_gap", lang, share=fmt_pct(100 * value / gap.change, lang, 0), **values))
        else:
            out.append(t("wit.summary_gap_plain", lang, **values))
    row = top_lever(outcome)
    if row is not None:
        out.append(t("wit.summary_lever", lang, year=s.target_year, lever=t(f"lever.{row.lever}.label", lang),
                     swing=fmt_number(row.swing, lang, 1), low=fmt_usd_bn(row.total_low, lang),
                     high=fmt_usd_bn(row.total_high, lang)))
    beyond = beyond_history(outcome)
    if beyond:
        hist = growth_histories(outcome.dataset)
        items = [t(f"wit.beyond_{where}", lang, label=t(f"lever.{sid}.label", lang),
                   pct=fmt_pct(s.growth[sid], lang), years=hist[sid].years, since=hist[sid].since)
                 for sid, where in beyond[:BEYOND_LISTED]]
        if len(beyond) > BEYOND_LISTED:
            items.append(t("wit.beyond_more", lang, n=len(beyond) - BEYOND_LISTED))
        out.append(t("wit.summary_beyond", lang, items=t("wit.list_sep", lang).join(items)))
    return out


def waterfall_table(outcome: Outcome, lang: str) -> pd.DataFrame:
    """The gap waterfall: base-year total, each counted series' change (largest first), target-year total, gap.

    The gap bar runs from the target-year total to USD 1 trn: kind "short" if
    still missing, "over" if the scenario is beyond it.
    """
    s, gap = outcome.scenario, outcome.gap
    short = gap.shortfall >= 0
    rows = gap.waterfall_rows(series_labels(lang), t("wit.bar_base", lang, year=s.base_year),
                              t("wit.bar_total", lang, year=s.target_year),
                              t("wit.bar_short" if short else "wit.bar_over", lang))
    frame = pd.DataFrame(rows)
    frame.loc[frame.kind == "gap", "kind"] = "short" if short else "over"
    frame["kind_label"] = [t(KIND_KEYS[k], lang) for k in frame.kind]
    frame["series"] = frame.series.fillna("")
    # Totals and the gap as amounts (the gap bar says by its name whether it is short or over), changes signed
    plain = frame.kind.isin(["base", "total", "short", "over"])
    if lang == "ko":  # 억/조, as the axis
        frame["text"] = [fmt_usd_bn(abs(v), lang, unit=False) if is_plain else
                         ("+" if v > 0 else "") + fmt_usd_bn(v, lang, unit=False)
                         for v, is_plain in zip(frame.value, plain, strict=True)]
    else:
        frame["text"] = [fmt_number(abs(v), lang) if is_plain else fmt_number(v, lang, sign=True)
                         for v, is_plain in zip(frame.value, plain, strict=True)]
    frame["text_x"] = frame[["start", "end"]].max(axis=1)
    for col in ("start", "end", "value", "text_x"):
        frame[col] = frame[col].round(3)
    return frame[list(WATERFALL_COLUMNS)]


CHANCE = "chance"  # the tornado panel of the chance of USD 1 trn (its other panels are named by outcome id)


def tornado_table(outcome: Outcome, lang: str) -> pd.DataFrame:
    """The tornado: each lever at the two ends of its swing, and the outcome there, one panel per outcome.

    Panels: exports in the target year (growth levers), the chance of USD 1 trn
    by the target year (growth levers, with ranges on), GNI per capita and the
    KOSPI in the target year (5/5/5 levers). Within a panel, widest effect first
    (the chance panel keeps the exports panel's order). kind: the panel's code
    (the outcome id, or CHANCE); base: the outcome as set; chances in percent.
    """
    year = outcome.scenario.target_year
    rows = outcome.sensitivity_chances or outcome.sensitivity
    panels = {EXPORTS: (0, t("wit.panel_exports", lang, year=year)), GNI: (2, t("wit.panel_gni", lang, year=year)),
              KOSPI: (3, t("wit.panel_kospi", lang, year=year))}
    held = outcome.projection.total[0] >= EXPORT_TARGET_USD_BN  # already there: the chance it holds
    chance_panel = (1, t("wit.panel_chance_held" if held else "wit.panel_chance", lang, year=year))
    still = chance_cannot_move(outcome)  # a panel in which nothing moves is left out; the caption says why
    ends = (t("wit.end_low", lang), t("wit.end_high", lang))
    records: list[dict] = []
    rank: dict[str, int] = {}
    for r in rows:
        order = rank[r.outcome] = rank.get(r.outcome, -1) + 1
        label = t(f"lever.{r.lever}.label", lang)
        settings = (_setting_text(r.lever, r.low_value, lang), _setting_text(r.lever, r.high_value, lang))
        po, panel = panels[r.outcome]
        for end, setting, result in zip(ends, settings, (r.total_low, r.total_high), strict=True):
            records.append({"kind": r.outcome, "panel": panel, "panel_order": po, "lever_id": r.lever, "lever": label,
                            "order": order, "end": end, "setting": setting, "base": r.total_base, "result": result})
        if r.outcome == EXPORTS and r.probability_base is not None and not still:
            for end, setting, p in zip(ends, settings, (r.probability_low, r.probability_high), strict=True):
                records.append({"kind": CHANCE, "panel": chance_panel[1], "panel_order": chance_panel[0],
                                "lever_id": r.lever, "lever": label, "order": order, "end": end, "setting": setting,
                                "base": 100.0 * r.probability_base, "result": 100.0 * p})
    frame = pd.DataFrame(records, columns=list(TORNADO_COLUMNS))
    for col in ("base", "result"):
        frame[col] = frame[col].astype(float)
        if lang == "ko":  # the exports panel in 억 달러, as its title says
            frame.loc[frame.kind == EXPORTS, col] *= 10.0
        frame[col] = frame[col].round(3)
    return frame


def swing_window(outcome: Outcome) -> tuple[int, int]:
    """The years the growth levers' swings (each series' volatility) are estimated from."""
    return calibration_of(outcome.dataset).vol.window


def gap_caption(outcome: Outcome, lang: str) -> str:
    """The waterfall in one sentence (its text alternative), naming series left out of the total."""
    s, gap = outcome.scenario, outcome.gap
    key = "wit.gap_caption_short" if gap.shortfall >= 0 else "wit.gap_caption_over"
    text = t(key, lang, base=s.base_year, year=s.target_year, base_value=fmt_usd_bn(gap.base_total, lang),
             total=fmt_usd_bn(gap.target_total, lang), gap=fmt_usd_bn(abs(gap.shortfall), lang),
             change=fmt_usd_bn(gap.change, lang))
    if gap.uncounted:
        names = t("wit.list_sep", lang).join(t(f"lever.{sid}.label", lang) for sid in gap.uncounted)
        text += " " + t("wit.gap_uncounted", lang, names=names)
    return text


def tornado_caption(outcome: Outcome, lang: str) -> str:
    """What the tornado's swings are, stated."""
    start, end = swing_window(outcome)
    text = t("wit.tornado_caption", lang, start=start, end=end)
    if any(r.lever == "chip_price" for r in outcome.sensitivity):
        text += " " + t("wit.tornado_chip", lang)
    rows = outcome.sensitivity_chances
    if rows is not None and outcome.simulation is not None:
        held = outcome.projection.total[0] >= EXPORT_TARGET_USD_BN
        text += " " + t("wit.tornado_chances_held" if held else "wit.tornado_chances", lang,
                        year=outcome.scenario.target_year, paths=fmt_number(outcome.simulation.n_paths, lang, 0))
        share = outcome.simulation.spread_shares(outcome.scenario.target_year).get("semiconductors")
        if share is not None:
            text += " " + t("wit.chip_spread", lang, year=outcome.scenario.target_year,
                            share=fmt_pct(100.0 * share, lang, 0))
        if chance_cannot_move(outcome):
            base = next(r.probability_base for r in rows if r.outcome == EXPORTS)
            text += " " + t("wit.tornado_chance_still", lang, year=outcome.scenario.target_year,
                            p=probability_text(base, outcome.simulation.n_paths, lang))
    return text


def chance_cannot_move(outcome: Outcome) -> bool:
    """No growth lever moves the chance of USD 1 trn within its swing (e.g. the base year is already there)."""
    rows = [r for r in outcome.sensitivity_chances or () if r.outcome == EXPORTS and r.probability_base is not None]
    return bool(rows) and all(abs((p or 0.0) - r.probability_base) < 1e-12
                              for r in rows for p in (r.probability_low, r.probability_high))


class ChartTables:
    """The table behind each chart and each table of the explorer, in one language, built from one Outcome.

    Each table is built the first time it is asked for, so a closed panel costs nothing.
    """

    def __init__(self, outcome: Outcome, lang: str, baseline: Baseline, macro: MacroBaseline,
                 marked: tuple[str, ...] = (), reference_name: str = "", user_total: bool = False,
                 today: datetime.date | None = None) -> None:
        self.outcome, self.lang, self.baseline, self.macro = outcome, lang, baseline, macro
        self.today = today  # the day freshness is measured on (months over but missing); the Dataset's if None
        self.marked, self.reference_name, self.user_total = marked, reference_name, user_total
        # A reference that is the scenario itself (the landing page: Pledge against Pledge) draws nothing: its
        # lines would hide under the scenario's, and a legend entry would name a line no one can see.
        self.show_reference = reference_differs(outcome)

    @cached_property
    def exports(self) -> pd.DataFrame:
        """The exports chart: stacked series, total, actuals, the reference and the fan."""
        L, o = self.lang, self.outcome
        labels = {sid: (t("chart.marked", L, label=label) if sid in self.marked else label)
                  for sid, label in series_labels(L).items()}
        actual_label = t("chart.actual_total", L)
        if self.user_total:
            actual_label = t("chart.marked", L, label=actual_label)  # the user replaced a published total
        actual = self.baseline.actual_totals()
        paths = {}
        if PLEDGE_BASE_YEAR in actual:
            paths[KIND_PLEDGE] = (t("chart.pledge_path", L), [
                (y, actual[PLEDGE_BASE_YEAR] * (1 + PLEDGE_RATE_PCT / 100) ** (y - PLEDGE_BASE_YEAR))
                for y in range(PLEDGE_BASE_YEAR, PLEDGE_TIMELINE_YEAR + 1)])
        s, needed = o.scenario, o.required_uniform_pct
        if s.target_year > s.base_year and math.isfinite(needed):
            x0 = float(o.projection.total[0])
            paths[KIND_NEEDED] = (t("chart.needed_path", L), [
                (y, x0 * (1 + needed / 100) ** (y - s.base_year)) for y in range(s.base_year, s.target_year + 1)])
        return exports_frame(o.projection, labels, actual, t("chart.scenario_total", L),
                             actual_label, reference_total=o.reference.total if self.show_reference else None,
                             reference_label=t("compare.reference_total", L, name=self.reference_name),
                             bands=o.band("exports_total"), band_label=t("ranges.band", L),
                             history_from=PLEDGE_BASE_YEAR, paths=paths)

    @cached_property
    def vision(self) -> dict[str, pd.DataFrame]:
        """The four 5/5/5 charts' tables: gni, kospi, gdp, rank."""
        L, o, macro = self.lang, self.outcome, self.macro
        ref = (o.reference_paths or {}) if self.show_reference else {}
        names = {"scenario": t("vision.scenario", L), "actual": t("vision.actual", L),
                 "reference": t("compare.reference", L)}
        kospi_event = macro.value("kospi_first_close_above_5000", 2026)
        events = ([(2026, kospi_event, t("present.kospi_events", L, value=fmt_number(kospi_event, L, 2)))]
                  if kospi_event else [])
        p = o.paths
        return {
            "gni": vision_frame(o.years, p["gni_per_capita_usd"], GNI_50K.threshold,
                                macro.series("gni_per_capita_usd"), {**names, "target": t("vision.gni_target", L)},
                                reference=ref.get("gni_per_capita_usd"), bands=o.band("gni_per_capita_usd")),
            "kospi": vision_frame(o.years, p["kospi"], KOSPI_5000.threshold, macro.series("kospi_close_end"),
                                  {**names, "target": t("vision.kospi_target", L)}, events=events,
                                  reference=ref.get("kospi"), bands=o.band("kospi")),
            "gdp": vision_frame(o.years, p["gdp_usd_bn"], p["fifth_largest_other_economy_usd_bn"],
                                macro.series("gdp_nominal_usd_bn"), {**names, "target": t("vision.gdp_target", L)},
                                reference=ref.get("gdp_usd_bn"), bands=o.band("gdp_usd_bn")),
            "rank": rank_frame(o.years, p["gdp_usd_bn"], o.vision.peer_gdp_usd_bn, t("vision.korea", L),
                               [t(f"lever.peer_{iso.lower()}.label", L) for iso in o.vision.peer_ids],
                               imf_korea_rank(macro), reference_rank=ref.get("gdp_rank"),
                               reference_label=t("compare.reference", L), bands=o.band("gdp_rank"),
                               actual_label=t("vision.imf_rank", L)),
        }

    @cached_property
    def industry(self) -> pd.DataFrame:
        """The industry table."""
        return industry_table(self.outcome, self.baseline, self.lang)

    @cached_property
    def deltas(self) -> pd.DataFrame | None:
        """Reference against yours, or None without a reference."""
        return delta_table(self.outcome, self.lang)

    def chart(self, name: str) -> pd.DataFrame:
        """The table of one chart by name: exports, gni, kospi, gdp, rank, monthly, cumulative, waterfall or tornado."""
        if name == "exports":
            return self.exports
        if name in ("monthly", "cumulative", "waterfall", "tornado"):
            return {"monthly": lambda: self.monthly, "cumulative": lambda: self.cumulative,
                    "waterfall": lambda: self.gap_waterfall, "tornado": lambda: self.tornado}[name]()
        return self.vision[name]

    def spec(self, name: str) -> dict:
        """The Vega-Lite spec of one chart for these tables: its legends list only what is drawn.

        The same spec on every rerun unless a reference, the ranges or actuals appear or go (never with a
        slider); the exports chart's industries carry "(yours)" where the user gave a base-year figure.
        """
        if name in ("waterfall", "tornado", "tornado_narrow"):  # their kinds move with the sliders
            return load_specs(self.lang)[name]
        labels = None
        if name == "exports" and self.marked:
            labels = tuple(t("chart.marked", self.lang, label=label) if sid in self.marked else label
                           for sid, label in series_labels(self.lang).items())
        return fitted_spec(self.lang, name, present_kinds(self.chart(name)), labels)

    @cached_property
    def monthly(self) -> pd.DataFrame | None:
        """The tracker's monthly chart: the year's and the earlier months, the nowcast months, a year earlier."""
        present = self.outcome.present
        if present is None:
            return None
        L = self.lang
        first = f"{present.year - MONTHLY_CHART_YEARS + 1}-01"  # the line runs back to 1990: a recent window
        months = [(m.period, m.value, m.quality) for m in self.outcome.dataset.monthly.months(TOTAL_SERIES)
                  if m.period >= first]
        labels = {kind: t(f"present.month_chart.{kind}", L) for kind in ("strong", "weak", "nowcast", "prior")}
        labels["missing"] = t("fresh.missing_chart", L)
        missing = freshness(self.outcome.dataset, self.today).months_missing
        return monthly_frame(months, list(present.total.projected), labels, t("present.record", L), missing)

    @cached_property
    def cumulative(self) -> pd.DataFrame | None:
        """The year's running total against the year before's and USD 1 trn, the crossing marked."""
        crossing = self.outcome.crossing
        if crossing is None:
            return None
        texts = cumulative_texts(self.lang)
        return cumulative_frame(crossing.known, crossing.projected, crossing.previous, crossing.month_p50,
                                crossing.threshold, texts)

    @cached_property
    def tracker(self) -> pd.DataFrame | None:
        """One row per series with monthly data: latest month, year to date, y/y, run rate, needed, status."""
        trackers = self.outcome.tracker
        if trackers is None:
            return None
        L = self.lang

        def amount(value: float) -> str:  # USD bn to one decimal, or whole 억 달러, with separators
            return fmt_number(usd_bn_table_value(value, L), L, 0 if L == "ko" else 1)

        rows = []
        for sid, tr in trackers.items():
            name = (t(f"present.series_{sid}", L) if sid in (TOTAL_SERIES, MINISTRY_TOTAL)
                    else t(f"lever.{sid}.label", L))
            rows.append({
                t("present.table_series", L): name,
                t("present.table_latest", L): month_text(tr.latest_month, L),
                t("present.table_ytd", L): amount(tr.ytd),
                t("present.table_yoy", L): "–" if tr.ytd_yoy_pct is None else fmt_number(tr.ytd_yoy_pct, L, 1),
                t("present.table_run_rate", L): "–" if tr.run_rate_12m is None else amount(tr.run_rate_12m),
                # the requirement is the total's (USD 1 trn): said on the total's rows only, not as a series' own
                t("present.table_required", L): (fmt_number(tr.required_pct, L, 1)
                                                 if sid in (TOTAL_SERIES, MINISTRY_TOTAL) else "–"),
                t("present.table_status", L): t(f"present.status_name.{tr.status}", L) if tr.status else "",
            })
        return pd.DataFrame(rows)

    @cached_property
    def gap_waterfall(self) -> pd.DataFrame:
        """The gap waterfall: from the base-year total to the target-year total and to USD 1 trn."""
        return waterfall_table(self.outcome, self.lang)

    @cached_property
    def tornado(self) -> pd.DataFrame:
        """The tornado: each lever's swing and its effect on the target-year outcome (and the chance)."""
        return tornado_table(self.outcome, self.lang)


# ---------------------------------------------------------------- today's answer, dated


def date_text(day: datetime.date, lang: str) -> str:
    """A day as a reader of `lang` writes it: 6 December 2026; 2026년 12월 6일."""
    if lang == "ko":
        return f"{day.year}년 {day.month}월 {day.day}일"
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def month_long(period: str | None, lang: str) -> str:
    """A month written out: September 2026; 2026년 9월."""
    if not period:
        return ""
    year, month = int(period[:4]), int(period[5:7])
    return f"{year}년 {month}월" if lang == "ko" else f"{calendar.month_name[month]} {year}"


def freshness_notice(fresh: Freshness, lang: str) -> str | None:
    """The notice shown when the data are more than one release behind today (None when they are not)."""
    if not fresh.behind:
        return None
    months = fresh.months_missing
    listed = t("fresh.month_sep", lang).join(month_long(m, lang) for m in months)
    missing = t("fresh.missing_months", lang, months=listed) if months else t("fresh.missing_counts", lang)
    return t("fresh.behind", lang, today=date_text(fresh.today, lang), through=month_long(fresh.latest_month, lang),
             released=date_text(fresh.latest_month_released, lang), missing=missing,
             n=len(fresh.releases_missing))


def assumption_text(outcome: Outcome, lang: str, custom: bool) -> str:
    """The scenario a verdict assumes, in words ("if every series grows 7.8 % a year from 2026, the Pledge preset")."""
    s = outcome.scenario
    key = f"verdict.assume_{s.preset}"
    if custom:
        return t("verdict.assume_custom", lang, base=s.base_year, name=preset_name(s.preset, lang))
    if key not in catalog("en"):  # a preset read from the user's own file: named, its rates as given
        key = "verdict.assume_preset"
    return t(key, lang, base=s.base_year, name=preset_name(s.preset, lang))


def rounded_estimate(value: float, months_unknown: int = FEW_MONTHS_UNKNOWN) -> float:
    """An estimate with months still unknown, rounded by the precision rule (scenarios.registry.precision)."""
    return round_estimate(value, months_unknown)


def headline_quote(outcome: Outcome, fresh: Freshness, lang: str, custom: bool) -> str:
    """One dated paragraph a journalist can quote, in the reader's language.

    The data's date and grade, the year so far, the year's estimate and the month it passes USD 1 trn, the
    scenario assumed and its verdict for the target year with the chance of holding USD 1 trn then.
    """
    s, present, trackers = outcome.scenario, outcome.present, outcome.tracker
    grade = t(f"quality.{fresh.series.get('exports', {}).get('quality', 'official')}", lang)
    parts = [t("quote.as_of", lang, today=date_text(fresh.today, lang), through=month_long(fresh.latest_month, lang),
               grade=grade)]
    if present is not None and trackers is not None:
        total, cast = trackers["total"], present.total
        last = int(total.latest_month[5:7])
        months = (f"{present.year}년 1~{last}월" if lang == "ko"
                  else f"January-{calendar.month_name[last]} {present.year}" if last > 1 else f"January {present.year}")
        parts.append(t("quote.ytd", lang, months=months, value=fmt_usd_bn(total.ytd, lang),
                       yoy=fmt_pct(total.ytd_yoy_pct, lang, sign=True) if total.ytd_yoy_pct is not None else "-"))
        if cast.projected:
            unknown = len(cast.projected)
            low, high = (fmt_usd_bn(rounded_estimate(v, unknown), lang, decimals=0) for v in (cast.p10, cast.p90))
            central = fmt_usd_bn(rounded_estimate(cast.p50, unknown), lang, decimals=0)
            parts.append(t("quote.nowcast", lang, year=present.year, p50=central, range=fmt_range(low, high, lang)))
        crossing = outcome.crossing
        if crossing is not None and crossing.basis == "actual":
            parts.append(t("quote.crossed", lang, month=month_long(crossing.month_p50, lang)))
        elif crossing is not None and crossing.month_p50 is not None:
            parts.append(t("quote.crossing", lang, month=month_long(crossing.month_p50, lang),
                           chance=probability_text(crossing.probability, None, lang)))
    value = outcome.value_in("exports_total", s.target_year)
    if value is not None:
        state = (t("present.held", lang) if value >= 1000.0
                 else t("present.short", lang, gap=fmt_usd_bn(1000.0 - value, lang)))
        parts.append(t("quote.verdict", lang, assume=assumption_text(outcome, lang, custom), year=s.target_year,
                       value=fmt_usd_bn(value, lang), state=state))
    if outcome.chance_held is not None and outcome.simulation is not None:
        parts.append(t("quote.held", lang, year=s.target_year,
                       held=probability_text(outcome.chance_held, outcome.simulation.n_paths, lang)))
    return " ".join(parts)


def vision_freshness_text(outcome: Outcome, fresh: Freshness, lang: str) -> str:
    """How fresh each 5/5/5 figure is: the KOSPI's latest close, the national accounts, the won, the peers."""
    macro, market = outcome.dataset.macro, outcome.dataset.market
    parts = []
    kospi_day = market.latest("kospi_close_latest")
    if kospi_day:
        value = market.series("kospi_close_latest")[kospi_day]
        parts.append(t("fresh.vision_kospi", lang, day=date_text(datetime.date.fromisoformat(kospi_day), lang),
                       value=fmt_number(value, lang, 2)))
    gni = fresh.series.get("gni_per_capita")
    if gni:
        parts.append(t("fresh.vision_gni", lang, year=gni["through"], quality=t(f"quality.{gni['quality']}", lang)))
    b = outcome.scenario.base_year
    won = macro.row("krw_per_usd_avg_ytd", b)
    if won is not None:
        parts.append(t("fresh.vision_won", lang, year=b, value=fmt_number(won.value, lang, 1),
                       through=month_text(max(market.series("krw_per_usd_avg_m")), lang)))
    parts.append(t("fresh.vision_peers", lang))
    return " ".join(parts)
