"""Words and tables about a scenario, in the user's language (pure; used by the app and tests)."""

from __future__ import annotations

import math

import pandas as pd

from scenarios.baseline import Baseline, MacroBaseline
from scenarios.goals import OK, REACHED_WITHOUT, Requirement, required_industry_growth
from scenarios.i18n import fmt_number, fmt_pct, fmt_usd_bn, fmt_year, t
from scenarios.levers import Lever, growth_levers
from scenarios.model import Projection


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


def industry_table(proj: Projection, baseline: Baseline, lang: str) -> pd.DataFrame:
    """One row per series: base value, growth, value in the target year, share, needed growth, quality."""
    s = proj.scenario
    n = s.target_year - s.base_year
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
            t("table.needed", lang): requirement_text(required_industry_growth(proj, sid), lang),
            t("table.quality", lang): t(f"quality.{quality}", lang),
        })
    return pd.DataFrame(rows)


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


DATA_FILES = ("exports.csv", "macro.csv", "peers.csv")


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


def exports_summary(proj: Projection, lang: str) -> str:
    """The exports chart in one sentence (its text alternative)."""
    from scenarios.goals import milestones

    s = proj.scenario
    n = s.target_year - s.base_year
    total = float(proj.total[n])
    big10 = [i for i, sid in enumerate(proj.series_ids) if sid != "rest" and proj.counted[i]]
    top = max(big10, key=lambda i: proj.values[i, n])
    reached = milestones(proj)["exports_1t"]
    return t("summary.exports", lang, year=s.target_year, total=fmt_usd_bn(total, lang),
             when=fmt_year(reached, lang) if reached else t("metric.not_by", lang, year=s.horizon),
             top=t(f"lever.{proj.series_ids[top]}.label", lang),
             share=fmt_pct(100 * float(proj.values[top, n]) / total, lang),
             big10=fmt_pct(100 * float(proj.values[big10, n].sum()) / total, lang))


def vision_summaries(proj: Projection, vision, lang: str) -> dict[str, str]:
    """Each 5/5/5 chart in one sentence (their text alternatives)."""
    s = proj.scenario
    n = s.target_year - s.base_year
    m = vision.milestones()

    def when(key: str) -> str:
        return fmt_year(m[key], lang) if m[key] else t("metric.not_by", lang, year=s.horizon)

    return {
        "gni": t("summary.gni", lang, year=s.target_year,
                 value=fmt_number(float(vision.gni_per_capita_usd[n]), lang, 0), when=when("gni_per_capita_50k")),
        "kospi": t("summary.kospi", lang, year=s.target_year, value=fmt_number(float(vision.kospi[n]), lang, 0),
                   when=when("kospi_5000")),
        "gdp": t("summary.gdp", lang, year=s.target_year, value=fmt_usd_bn(float(vision.gdp_usd_bn[n]), lang),
                 fifth=fmt_usd_bn(float(vision.fifth_largest_peer[n]), lang)),
        "rank": t("summary.rank", lang, year=s.target_year, rank=int(vision.gdp_rank[n]), when=when("top5_economy")),
    }
