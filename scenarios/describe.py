"""Words and tables about a scenario, in the user's language (pure; used by the app and tests)."""

from __future__ import annotations

import calendar
import math
from functools import cached_property

import pandas as pd

from scenarios.baseline import TOTAL_SERIES, Baseline, MacroBaseline
from scenarios.frames import exports_frame, monthly_frame, rank_frame, vision_frame
from scenarios.goals import OK, REACHED_WITHOUT, Requirement
from scenarios.i18n import fmt_number, fmt_pct, fmt_usd_bn, fmt_year, t
from scenarios.levers import Lever, growth_levers
from scenarios.outcome import Outcome
from scenarios.targets import GNI_50K, KOSPI_5000
from scenarios.vision import imf_korea_rank


def ceil_to(value: float, decimals: int) -> float:
    """Round up to `decimals` places (a required rate shown this way is enough, never just short)."""
    factor = 10**decimals
    return math.ceil(value * factor - 1e-9) / factor


def series_labels(lang: str) -> dict[str, str]:
    """Display label of every series id."""
    return {lev.id: t(lev.label_key, lang) for lev in growth_levers()}


def lever_help(lev: Lever, baseline: Baseline, base_year: int, lang: str) -> str:
    """Slider help: definition, unit, historical growth, base value, quality and source."""
    found = baseline.trend(lev.id)
    history = (t("help.history_cagr", lang, pct=fmt_pct(found[0], lang), start=found[1], end=found[2])
               if found else t("help.history_none", lang))
    if lev.kind == "rest":
        value, quality = baseline.rest_value(base_year), baseline.history("rest")[base_year][1]
        row = baseline.rows["total"][base_year]
    else:
        value, quality = baseline.industry_value(lev.id, base_year), baseline.industry_quality(lev.id, base_year)
        row = baseline.industry_rows(lev.id, base_year)[0]
    return t("help.series", lang, definition=t(lev.help_key, lang), history=history, base_year=base_year,
             base_value=fmt_usd_bn(value or 0.0, lang), quality=t(f"quality.{quality}", lang),
             source=row.source, url=row.source_url)


def requirement_text(req: Requirement, lang: str, subject: str = "one") -> str:
    """A required growth rate in words (a percentage, or why there is none).

    subject: "one" (a single industry) or "big10" (the ten together), which
    words the case where the other series reach the target on their own.
    """
    if req.status == OK and req.pct is not None:
        shown = fmt_pct(ceil_to(req.pct, 1), lang)  # rounded up: setting the shown rate does reach the target
        top = max(lev.max for lev in growth_levers())
        return t("metric.above_range", lang, pct=shown) if req.pct > top else shown
    if req.status == REACHED_WITHOUT and subject == "big10":
        return t("metric.rest_alone", lang)
    return t(f"metric.{req.status}", lang)


def industry_table(outcome: Outcome, baseline: Baseline, lang: str) -> pd.DataFrame:
    """One row per series: base value, growth, value in the target year, share, needed growth, quality."""
    proj, s = outcome.projection, outcome.scenario
    n = outcome.target_index
    counted_total = float(proj.total[n])
    rows = []
    for i, lev in enumerate(growth_levers()):
        sid = lev.id
        quality = (baseline.history("rest")[s.base_year][1] if sid == "rest"
                   else baseline.industry_quality(sid, s.base_year))
        at_target = float(proj.values[i, n])
        counted = bool(proj.counted[i])
        rows.append({
            t("table.industry", lang): t(lev.label_key, lang),
            t("table.group", lang): t(f"group.{lev.group}_short", lang),
            t("table.base_value", lang): round(float(proj.values[i, 0]), 2),
            t("table.growth", lang): round(s.growth[sid], 1),
            t("table.target_value", lang): round(at_target, 1),
            t("table.share", lang): (f"{100.0 * at_target / counted_total:.1f}" if counted
                                     else t("table.not_counted", lang)),
            t("table.needed", lang): requirement_text(outcome.required_by_series[sid], lang),
            t("table.quality", lang): t(f"quality.{quality}", lang),
        })
    return pd.DataFrame(rows)


def delta_table(outcome: Outcome, lang: str) -> pd.DataFrame | None:
    """Reference, yours and the difference: each industry in the target year, then each target."""
    if outcome.deltas is None:
        return None
    year = outcome.scenario.target_year
    value_keys = {"exports_total": "compare.exports_total", "gni_per_capita_usd": "compare.gni",
                  "kospi": "compare.kospi", "gdp_usd_bn": "compare.gdp", "gdp_rank": "compare.rank"}
    rows = []
    for kind, key, reference, yours in outcome.deltas:
        if kind == "series":
            item = t(f"lever.{key}.label", lang)
        elif kind == "value":
            item = t(value_keys[key], lang, year=year)
        else:
            item = t(f"compare.year_{key}", lang)
        rows.append((item, reference, yours))
    frame = pd.DataFrame(rows, columns=["item", "reference", "yours"])
    frame["difference"] = frame["yours"] - frame["reference"]
    for col in ("reference", "yours", "difference"):
        frame[col] = frame[col].astype(float).round(1)
    frame.columns = [t("compare.col_item", lang), t("compare.col_reference", lang),
                     t("compare.col_yours", lang), t("compare.col_difference", lang)]
    return frame


def volatility_table(vol, lang: str) -> pd.DataFrame:
    """Each series' estimated volatility, before and after shrinkage (for the Methodology page)."""
    described = vol.describe()
    return pd.DataFrame([{
        t("methodology.col_series", lang): t(f"lever.{row['id']}.label", lang),
        t("ranges.col_sigma", lang): round(row["sigma"], 3),
        t("ranges.col_raw", lang): None if row["sigma_raw"] is None else round(row["sigma_raw"], 3),
        t("ranges.col_obs", lang): row["n_obs"],
        t("ranges.col_years", lang): f"{row['first_year']}-{row['last_year']}",
    } for row in described["series"]])


def _lever_facts(lev: Lever, lang: str) -> dict[str, str]:
    """A lever's unit, range, default and source, as table cells."""
    return {
        t("method.col_unit", lang): t(f"unit.{lev.unit}", lang),
        t("method.col_range", lang): f"{lev.min:g} .. {lev.max:g}",
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
        how = (t("method.how_cagr", lang, start=rule["start"], end=rule["end"], series=rule["series"])
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


def data_series_table(lang: str, data_dir=None) -> pd.DataFrame:
    """Every series in data/*.csv: file, years, quality counts, latest source and caveat."""
    from collections import Counter

    from scenarios.baseline import DATA_DIR, read_long_csv

    folder = data_dir or DATA_DIR
    rows = []
    for name in DATA_FILES:
        by_series: dict[str, list] = {}
        for r in read_long_csv(folder / name, allow_negative=True):
            by_series.setdefault(r.series, []).append(r)
        for series, items in by_series.items():
            items.sort(key=lambda r: r.year)
            years = [r.year for r in items]
            counts = Counter(r.quality for r in items)
            quality = ", ".join(f"{t(f'quality.{q}', lang)} {counts[q]}" for q in ("official", "derived", "proxy",
                                                                                     "estimate") if counts[q])
            span = f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]} ({len(years)})"
            rows.append({
                t("methodology.col_series", lang): series,
                t("methodology.col_file", lang): name,
                t("methodology.col_years", lang): span,
                t("methodology.col_quality", lang): quality,
                t("methodology.col_caveat", lang): t(series_caveat_key(series), lang),
                t("methodology.col_source", lang): items[-1].source_url,
            })
    return pd.DataFrame(rows)


def all_levers_table(lang: str) -> pd.DataFrame:
    """Every lever in the registry: label and URL key, group, definition, unit, range, default, source."""
    from scenarios.levers import LEVERS

    return pd.DataFrame([{
        t("methodology.col_lever", lang): f"{t(lev.label_key, lang)} ({lev.id})",
        t("methodology.col_group", lang): t(f"group_name.{lev.group}", lang),
        t("methodology.col_definition", lang): t(lev.help_key, lang),
        **_lever_facts(lev, lang),
    } for lev in LEVERS])


def coverage_table(backtest: dict, lang: str) -> pd.DataFrame:
    """The backtest's coverage per target: outcomes, and how many fell inside the 80 % and 50 % bands."""
    names = {"exports_total": t("chart.actual_total", lang), "gni_per_capita_usd": t("calib.name_gni", lang),
             "gdp_usd_bn": t("calib.name_gdp", lang), "kospi": t("calib.name_kospi", lang)}
    rows = []
    for target, c in backtest["coverage"].items():
        name = names.get(target) or t(f"lever.{target}.label", lang)
        rows.append({t("backtest.col_target", lang): name, t("backtest.col_n", lang): c["n"],
                     t("backtest.col_in80", lang): f"{c['in80']} ({fmt_pct(100 * c['share80'], lang, 0)})",
                     t("backtest.col_in50", lang): f"{c['in50']} ({fmt_pct(100 * c['share50'], lang, 0)})"})
    return pd.DataFrame(rows)


def kita_table(backtest: dict, lang: str) -> pd.DataFrame:
    """KITA's year-ahead forecasts beside the outcome and the model's one-year-ahead band and median."""
    return pd.DataFrame([{
        t("backtest.col_year", lang): str(r["year"]),
        t("backtest.col_kita", lang): r["kita"],
        t("backtest.col_actual", lang): r["actual"],
        t("backtest.col_kita_error", lang): None if r["kita_error_pct"] is None else round(r["kita_error_pct"], 1),
        "p10": None if r["model_p10"] is None else round(r["model_p10"], 1),
        "p50": None if r["model_p50"] is None else round(r["model_p50"], 1),
        "p90": None if r["model_p90"] is None else round(r["model_p90"], 1),
        t("backtest.col_model_error", lang): None if r["model_error_pct"] is None else round(r["model_error_pct"], 1),
    } for r in backtest["kita"]["years"]])


def when_text(outcome: Outcome, key: str, lang: str) -> str:
    """The year a target is first reached, or 'not by H', in the user's language."""
    year = outcome.milestones[key]
    return fmt_year(year, lang) if year is not None else t("metric.not_by", lang, year=outcome.scenario.horizon)


def exports_summary(outcome: Outcome, lang: str) -> str:
    """The exports chart in one sentence (its text alternative)."""
    proj, s = outcome.projection, outcome.scenario
    n = outcome.target_index
    total = float(proj.total[n])
    big10 = [i for i, sid in enumerate(proj.series_ids) if sid != "rest" and proj.counted[i]]
    top = max(big10, key=lambda i: proj.values[i, n])
    return t("summary.exports", lang, year=s.target_year, total=fmt_usd_bn(total, lang),
             when=when_text(outcome, "exports_1t", lang),
             top=t(f"lever.{proj.series_ids[top]}.label", lang),
             share=fmt_pct(100 * float(proj.values[top, n]) / total, lang),
             big10=fmt_pct(100 * float(proj.values[big10, n].sum()) / total, lang))


def vision_summaries(outcome: Outcome, lang: str) -> dict[str, str]:
    """Each 5/5/5 chart in one sentence (their text alternatives)."""
    s, at = outcome.scenario, outcome.at_target
    return {
        "gni": t("summary.gni", lang, year=s.target_year, value=fmt_number(at["gni_per_capita_usd"], lang, 0),
                 when=when_text(outcome, "gni_per_capita_50k", lang)),
        "kospi": t("summary.kospi", lang, year=s.target_year, value=fmt_number(at["kospi"], lang, 0),
                   when=when_text(outcome, "kospi_5000", lang)),
        "gdp": t("summary.gdp", lang, year=s.target_year, value=fmt_usd_bn(at["gdp_usd_bn"], lang),
                 fifth=fmt_usd_bn(at["fifth_largest_other_economy_usd_bn"], lang)),
        "rank": t("summary.rank", lang, year=s.target_year, rank=int(at["gdp_rank"]),
                  when=when_text(outcome, "top5_economy", lang)),
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
    return f"{text} {t('present.official_only_note', lang)}" if cast.official_only else text


def freshness_text(cast, lang: str) -> str:
    """How fresh the data are and which months rest on weak sources."""
    weak = ""
    if cast.weak_months:
        months = ", ".join(month_text(p, lang) for p in cast.weak_months)
        weak = t("present.freshness_weak", lang, months=months)
    return t("present.freshness", lang, through=month_text(cast.through, lang), weak=weak, year=cast.year)


class ChartTables:
    """The table behind each chart and each table of the explorer, in one language, built from one Outcome.

    Each table is built the first time it is asked for, so a closed panel costs nothing.
    """

    def __init__(self, outcome: Outcome, lang: str, baseline: Baseline, macro: MacroBaseline,
                 marked: tuple[str, ...] = (), reference_name: str = "", user_total: bool = False) -> None:
        self.outcome, self.lang, self.baseline, self.macro = outcome, lang, baseline, macro
        self.marked, self.reference_name, self.user_total = marked, reference_name, user_total

    @cached_property
    def exports(self) -> pd.DataFrame:
        """The exports chart: stacked series, total, actuals, the reference and the fan."""
        L, o = self.lang, self.outcome
        labels = {sid: (t("chart.marked", L, label=label) if sid in self.marked else label)
                  for sid, label in series_labels(L).items()}
        actual_label = t("chart.actual_total", L)
        if self.user_total:
            actual_label = t("chart.marked", L, label=actual_label)  # the user replaced a published total
        return exports_frame(o.projection, labels, self.baseline.actual_totals(), t("chart.scenario_total", L),
                             actual_label, reference_total=o.reference.total if o.reference else None,
                             reference_label=t("compare.reference_total", L, name=self.reference_name),
                             bands=o.band("exports_total"), band_label=t("ranges.band", L))

    @cached_property
    def vision(self) -> dict[str, pd.DataFrame]:
        """The four 5/5/5 charts' tables: gni, kospi, gdp, rank."""
        L, o, macro = self.lang, self.outcome, self.macro
        ref = o.reference_paths or {}
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
        """The table of one chart by name: exports, gni, kospi, gdp or rank."""
        return self.exports if name == "exports" else self.vision[name]

    @cached_property
    def monthly(self) -> pd.DataFrame | None:
        """The tracker's monthly chart: the year's and the earlier months, the nowcast months, a year earlier."""
        present = self.outcome.present
        if present is None:
            return None
        from scenarios.monthly import default_monthly

        L = self.lang
        months = [(m.period, m.value, m.quality) for m in default_monthly().months(TOTAL_SERIES)]
        labels = {kind: t(f"present.month_chart.{kind}", L) for kind in ("strong", "weak", "nowcast", "prior")}
        return monthly_frame(months, list(present.total.projected), labels, t("present.record", L))

    @cached_property
    def tracker(self) -> pd.DataFrame | None:
        """One row per series with monthly data: latest month, year to date, y/y, run rate, needed, status."""
        trackers = self.outcome.tracker
        if trackers is None:
            return None
        L = self.lang
        rows = []
        for sid, tr in trackers.items():
            name = t("chart.actual_total", L) if sid == TOTAL_SERIES else t(f"lever.{sid}.label", L)
            rows.append({
                t("present.table_series", L): name,
                t("present.table_latest", L): tr.latest_month,
                t("present.table_ytd", L): round(tr.ytd, 1),
                t("present.table_yoy", L): None if tr.ytd_yoy_pct is None else round(tr.ytd_yoy_pct, 1),
                t("present.table_run_rate", L): None if tr.run_rate_12m is None else round(tr.run_rate_12m, 1),
                t("present.table_required", L): round(tr.required_pct, 1),
                t("present.table_status", L): t(f"present.status_name.{tr.status}", L) if tr.status else "",
            })
        return pd.DataFrame(rows)
