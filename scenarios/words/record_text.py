"""The nowcast's record in words: the JSON of `backtest --nowcast`, its tables, and the page's sentence."""

from __future__ import annotations

import calendar
import statistics

from scenarios.data.monthly import Monthly
from scenarios.model.nowcast_record import (
    CUTS,
    MIN_YEARS,
    RULES,
    RecordRow,
    fallback_record,
    nowcast_record,
    overall,
    summary_by_cut,
)
from scenarios.registry.i18n import DEFAULT_LANG, fmt_pct, fmt_range, t, text_grid, text_width


def _round(value: object) -> object:
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    return round(value, 4) if isinstance(value, float) else value


def record_result(monthly: Monthly, rows: list[RecordRow] | None = None) -> dict:
    """`backtest --nowcast --json`: the rows with outcomes, the year in progress, a summary by cut, the fallback."""
    rows = nowcast_record(monthly) if rows is None else list(rows)
    fallback = fallback_record(monthly)
    by_cut = []
    for cut in CUTS:
        at = [f for f in fallback if f["cut"] == cut]
        if at:
            by_cut.append({"cut": cut, "n": len(at),
                           "seasonal_median_abs_error_pct": statistics.median(abs(f["seasonal_error_pct"]) for f in at),
                           "annual_growth_median_abs_error_pct": statistics.median(
                               abs(f["annual_growth_error_pct"]) for f in at)})
    years = [f["year"] for f in fallback]
    return {
        "series": "total", "rule": RULES[0], "rules": list(RULES), "min_years": MIN_YEARS,
        "rows": [{k: _round(v) for k, v in r.as_dict().items()} for r in rows if r.actual is not None],
        "in_progress": [{k: _round(v) for k, v in r.as_dict().items()} for r in rows if r.actual is None],
        "summary": [{k: _round(v) for k, v in s.items()} for s in summary_by_cut(rows)],
        "overall": {k: _round(v) for k, v in overall(rows).items()},
        "fallback": {"rule": "seasonal_share", "replaces": "annual_growth",
                     "years": [min(years), max(years)] if years else [], "by_cut": [
                         {k: _round(v) for k, v in b.items()} for b in by_cut]},
    }


def _pct(x: float | None, lang: str, decimals: int = 1) -> str:
    return "-" if x is None else fmt_pct(x, lang, decimals)


def render_record(result: dict, lang: str = DEFAULT_LANG) -> str:
    """`backtest --nowcast` as text in `lang`: the table by cut, the whole record in one line, the fallback."""
    summary = result["summary"]
    first = min(s["first_year"] for s in summary)
    last = max(s["last_year"] for s in summary)
    lines = [t("nowcast_record.title", lang, years=fmt_range(first, last, lang), min=result["min_years"]), ""]
    header = [t(f"nowcast_record.col_{k}", lang) for k in ("cut", "n", "median", "p90", "inside", "inside_record")]
    rows = [[cut_text(s["cut"], lang), str(s["n"]), _pct(s["median_abs_error_pct"], lang),
             "±" + _pct(s["p90_abs_error_pct"], lang), _pct(100 * s["inside_p10_p90"], lang, 0),
             "-" if s["inside_record"] is None else _pct(100 * s["inside_record"], lang, 0)] for s in summary]
    grid = text_grid(header, rows, left=1)
    lines += [grid[0], "-" * max(map(text_width, grid)), *grid[1:]]
    o = result["overall"]
    lines += ["", t("nowcast_record.overall", lang, n=o["n"], inside=_pct(100 * o["inside_p10_p90"], lang, 0),
                    n_record=o["n_record"], inside_record=_pct(100 * (o["inside_record"] or 0.0), lang, 0),
                    median=_pct(o["median_abs_error_pct"], lang))]
    fb = result["fallback"]
    if fb["by_cut"]:
        lines += ["", t("nowcast_record.fallback_title", lang, years=fmt_range(*fb["years"], lang))]
        header = [t("nowcast_record.col_cut", lang), t("nowcast_record.col_n", lang),
                  t("nowcast_record.col_seasonal", lang), t("nowcast_record.col_annual", lang)]
        rows = [[cut_text(b["cut"], lang), str(b["n"]), _pct(b["seasonal_median_abs_error_pct"], lang),
                 _pct(b["annual_growth_median_abs_error_pct"], lang)] for b in fb["by_cut"]]
        grid = text_grid(header, rows, left=1)
        lines += [grid[0], "-" * max(map(text_width, grid)), *grid[1:]]
    lines += ["", t("nowcast_record.note", lang)]
    return "\n".join(lines)


def cut_text(cut: int, lang: str) -> str:
    """The end of a month as the reader writes it: "end of Sep"; "9월 말"."""
    month = cut if lang == "ko" else t("nowcast_record.chart_months", lang).split(",")[cut - 1]
    return t("nowcast_record.cut", lang, month=month)


def record_sentence(rows: list[RecordRow], year: int, cut: int, lang: str = DEFAULT_LANG) -> str:
    """One sentence: how far nowcasts at the same point of the year missed in past years (and what the range is)."""
    summary = next((s for s in summary_by_cut(r for r in rows if r.year < year) if s["cut"] == cut), None)
    month = cut if lang == "ko" else _month_name(cut)
    if summary is None or summary["n"] < MIN_YEARS:
        return t("nowcast_record.sentence_early", lang, month=month, min=MIN_YEARS)
    return t("nowcast_record.sentence", lang, month=month, first=summary["first_year"], last=summary["last_year"],
             median=fmt_pct(summary["median_abs_error_pct"], lang, 1),
             p90=fmt_pct(summary["p90_abs_error_pct"], lang, 1))


def _month_name(cut: int) -> str:
    return calendar.month_name[cut]
