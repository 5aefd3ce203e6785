"""The backtest's checks in words (issue #26): each threshold set in advance, the figure met, and a verdict."""

from __future__ import annotations

import math

from scenarios.model.backtest import GDP_WIDE, GNI, GNI_WIDE, KOSPI_WIDE, TOTAL
from scenarios.model.yearahead import ChipCycle
from scenarios.registry.i18n import DEFAULT_LANG, fmt_number, fmt_pct, fmt_usd_bn, t

# The backtest's targets as the catalog names them (a series of its own otherwise: lever.<id>.label).
TARGET_NAME_KEYS = {
    TOTAL: "publish2.total_row", "gni_per_capita_usd": "calib.name_gni", GNI_WIDE: "calib.name_gni_wdi",
    "gdp_usd_bn": "calib.name_gdp", GDP_WIDE: "calib.name_gdp_wdi", "kospi": "calib.name_kospi",
    KOSPI_WIDE: "calib.name_kospi_kis",
}


def target_label(target: str, lang: str) -> str:
    """A backtest target's name in `lang`."""
    return t(TARGET_NAME_KEYS.get(target, f"lever.{target}.label"), lang)


def _num(x: float | None, decimals: int, lang: str, sign: bool = False) -> str:
    return "-" if x is None else fmt_number(x, lang, decimals, sign=sign)


def acceptance_lines(result: dict, lang: str = DEFAULT_LANG) -> list[str]:
    """The issue-#26 checks against the thresholds set in advance, one sentence each."""
    c, th = result["checks"], result["thresholds"]
    ok = c["passed"]

    def verdict(key: str) -> str:
        return t("yearahead.met" if ok[key] else "yearahead.missed", lang)

    def bases(target: str) -> tuple[int, int]:
        found = [r["base"] for r in result["rows"] if r["target"] == target and r["ahead"] == 1]
        return (min(found), max(found)) if found else (0, 0)

    def share(x: float) -> str:
        return fmt_pct(100 * x, lang, 1)

    lines = [t("yearahead.checks_title", lang)]
    first, last = bases(TOTAL)
    t1 = c["total_1y"]
    lines.append(t("yearahead.total_1y", lang, first=first, last=last, n=t1["n"], in80=share(t1["share80"] or 0),
                   in50=share(t1["share50"] or 0), lo80=share(th["total_1y"]["in80"][0]),
                   hi80=share(th["total_1y"]["in80"][1]), lo50=share(th["total_1y"]["in50"][0]),
                   hi50=share(th["total_1y"]["in50"][1]), verdict=verdict("total_1y")))
    first, last = bases("semiconductors")
    c1 = c["chips_1y"]
    lines.append(t("yearahead.chips_1y", lang, first=first, last=last, n=c1["n"], in80=share(c1["share80"] or 0),
                   min80=share(th["chips_1y"]["in80_min"]), verdict=verdict("chips_1y")))
    items = [t("yearahead.peak_item", lang, year=p["year"], actual=_num(p["actual"], 1, lang),
               p10=_num(p["p10"], 1, lang), p90=_num(p["p90"], 1, lang)) for p in c["chips_after_peaks"]]
    lines.append(t("yearahead.peaks", lang, items="; ".join(items), verdict=verdict("chips_after_peaks")))
    acc = c["accuracy"]
    lines.append(t("yearahead.mae", lang, first=acc["years"][0], last=acc["years"][1],
                   model=_num(acc["model"]["mae_pct"], 1, lang), kita=_num(acc["kita"]["mae_pct"], 1, lang),
                   none=_num(acc["no_change"]["mae_pct"], 1, lang), max=_num(th["median_mae_max_pct"], 1, lang),
                   verdict=verdict("median_mae")))
    bias = c["gni_bias"]
    engine, trend = bias[GNI], bias[GNI_WIDE]
    if engine["n"]:
        lines.append(t("yearahead.gni_bias", lang, bias=_num(engine["bias_pct"], 1, lang, sign=True), n=engine["n"],
                       first=engine["first_base"], last=engine["last_base"], max=_num(th["gni_bias_max_pct"], 0, lang),
                       verdict=verdict("gni_bias"), **_parts(engine, lang)))
    else:
        lines.append(t("yearahead.gni_bias_none", lang, max=_num(th["gni_bias_max_pct"], 0, lang)))
    if trend["n"]:
        lines.append(t("yearahead.gni_wide", lang, bias=_num(trend["bias_pct"], 1, lang, sign=True), n=trend["n"],
                       first=trend["first_base"], last=trend["last_base"], **_parts(trend, lang)))
    return lines


def _parts(part: dict, lang: str) -> dict[str, str]:
    return {key: _num(part.get(field), 1, lang, sign=True)
            for key, field in (("log", "log_pts"), ("won", "won_log_pts"), ("rest", "rest_log_pts"))}


def cycle_today_text(cycle: ChipCycle, engine: ChipCycle | None, value: float, share: float | None, target: int,
                     lang: str = DEFAULT_LANG) -> str:
    """Where the chip boom stands against its trend, what an unwinding like past ones would mean, and the engine."""
    prev = cycle.largest_earlier_gap()
    nxt = value * math.exp(cycle.median_log_change(1))
    return t("yearahead.cycle_today", lang, year=cycle.as_of, value=fmt_usd_bn(value, lang),
             ratio=fmt_number(math.exp(cycle.gap), lang, 1), first=cycle.years[0],
             slope=fmt_pct(100 * math.expm1(cycle.slope), lang, 1),
             prev_ratio=fmt_number(math.exp(prev[1]), lang, 1) if prev else "-", prev_year=prev[0] if prev else "-",
             rho=fmt_number(cycle.rho, lang, 2), pairs=cycle.pairs, next=fmt_usd_bn(nxt, lang),
             next_year=cycle.as_of + 1, change=fmt_pct(100 * (nxt / value - 1), lang, 0),
             rho_engine=fmt_number(engine.rho, lang, 2) if engine else "-",
             engine_year=engine.as_of if engine else "-",
             share=fmt_pct(100 * share, lang, 0) if share is not None else "-", target=target)
