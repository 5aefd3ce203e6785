"""`python -m scenarios backtest`: the bands' record beside KITA's, and the nowcast's (scenarios.model.backtest).

`backtest --nowcast`: the nowcast's own record instead (scenarios.model.nowcast_record).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from scenarios.cli.parsing import LocalParser
from scenarios.data.baseline import BaselineError
from scenarios.data.dataset import load_dataset
from scenarios.model.backtest import (
    BASE_YEARS,
    DEFAULT_PATHS,
    MAX_PATHS,
    SEED,
    TOTAL,
    VISION_TARGETS,
    run,
)
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
from scenarios.words.backtest_text import acceptance_lines, target_label
from scenarios.words.record_text import record_result, render_record


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
    return t("backtest.name_exports", lang) if target == TOTAL else target_label(target, lang)


def render(result: dict, lang: str = DEFAULT_LANG) -> str:
    """The backtest as readable tables in `lang` (Korean: names, 억 달러, ~ between years, ○/× for the bands)."""
    every = sorted({*result["bases"], *result.get("wide_bases", [])})  # the total and chips reach further back
    first, last = every[0], every[-1]
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
    lines += ["", *acceptance_lines(result, lang), "", t("yearahead.note", lang)]
    return "\n".join(lines)


def build_parser(lang: str = DEFAULT_LANG) -> argparse.ArgumentParser:
    """The backtest command's options."""
    p = LocalParser(prog="python -m scenarios backtest", description=t("backtest.description", lang))
    p.lang = lang
    p.add_argument("--as-of", metavar="YEAR", help=t("backtest.help_as_of", lang, min=BASE_YEARS[0] - 1,
                                                      max=BASE_YEARS[-1]))
    p.add_argument("--paths", help=t("backtest.help_paths", lang, max=MAX_PATHS))
    p.add_argument("--seed", help=t("backtest.help_seed", lang))
    p.add_argument("--lang", choices=available_langs(), default=lang, help=t("cli.help_lang", lang))
    p.add_argument("--json", action="store_true", help=t("cli.help_json", lang))
    p.add_argument("--nowcast", action="store_true", help=t("nowcast_record.help_nowcast", lang))
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
    if args.nowcast:
        try:
            record = record_result(load_dataset().monthly)
        except (ValueError, BaselineError) as exc:
            print(t("cli.error", lang, message=localize(exc, lang)), file=sys.stderr)
            return 2
        print(json.dumps(record, indent=2, ensure_ascii=False) if args.json else render_record(record, lang))
        return 0
    try:
        bases: tuple[int, ...] = BASE_YEARS
        if args.as_of is not None:
            bases = (_int_in("--as-of", args.as_of, BASE_YEARS[0] - 1, BASE_YEARS[-1], lang),)
        n_paths = DEFAULT_PATHS if args.paths is None else _int_in("--paths", args.paths, 100, MAX_PATHS, lang)
        seed = SEED if args.seed is None else _int_in("--seed", args.seed, 0, 2**32 - 1, lang)
        result = run(load_dataset(), bases, n_paths=n_paths, seed=seed, wide=args.as_of is None)
    except (ValueError, BaselineError) as exc:
        print(t("cli.error", lang, message=localize(exc, lang)), file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2) if args.json else render(result, lang))
    return 0

