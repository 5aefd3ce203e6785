"""Command line: python -m scenarios --preset pledge --growth semiconductors=12 --json.

Bad input exits with status 2 and one line on stderr naming the field and the
allowed range.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from scenarios.cli.backtest import main as backtest_main
from scenarios.cli.parsing import LocalParser, lang_of
from scenarios.cli.refresh import main as refresh_main
from scenarios.data.baseline import BaselineError
from scenarios.data.dataset import load_dataset
from scenarios.data.overrides import MAX_CSV_BYTES, OverrideError, apply_overrides, check_complete, parse_override_csv
from scenarios.model.outcome import Outcome, compute_outcome, outcome_json
from scenarios.model.present import baseline_of
from scenarios.model.share import DEFAULT_PRESET, ScenarioError, scenario_from_params, scenario_to_params
from scenarios.registry.i18n import (
    DEFAULT_LANG,
    Message,
    available_langs,
    fmt_number,
    fmt_pct,
    fmt_year,
    localize,
    t,
    text_grid,
)
from scenarios.registry.levers import growth_levers, lever, vision_levers
from scenarios.registry.presets import PresetError, load_presets, parse_preset, resolve_growth
from scenarios.registry.safety import FileRefused, read_limited
from scenarios.registry.targets import PLEDGE_TIMELINE_YEAR
from scenarios.words.describe import preset_name, required_pct, series_labels
from scenarios.words.export import MAX_JSON_BYTES, scenario_and_overrides_from_json


def build_parser(lang: str = DEFAULT_LANG) -> argparse.ArgumentParser:
    """The CLI's options (all validated again against the lever registry), described in `lang`."""
    p = LocalParser(prog="python -m scenarios", description=t("cli.description", lang), add_help=False)
    p.lang = lang
    p.add_argument("-h", "--help", action="help", help=t("cli.help_help", lang))
    p.add_argument("--preset", help=t("cli.help_preset", lang, ids=", ".join(load_presets())))
    base, target, horizon = lever("base"), lever("target"), lever("horizon")
    p.add_argument("--base-year", help=t("cli.help_base", lang, min=int(base.min), max=int(base.max),
                                          default=int(base.default)))
    p.add_argument("--target-year", help=t("cli.help_target", lang, default=int(target.default),
                                            pledge=PLEDGE_TIMELINE_YEAR))
    p.add_argument("--horizon", help=t("cli.help_horizon", lang, default=int(horizon.default), max=int(horizon.max)))
    ids = ", ".join(lev.id for lev in growth_levers())
    p.add_argument("--growth", action="append", default=[], metavar="ID=PCT",
                   help=t("cli.help_growth", lang, ids=ids).replace("%", "%%"))
    macro_ids = ", ".join(lev.id for lev in vision_levers())
    p.add_argument("--lever", action="append", default=[], metavar="ID=VALUE",
                   help=t("cli.help_lever", lang, ids=macro_ids))
    p.add_argument("--count-services", action="store_true", help=t("cli.help_services", lang))
    p.add_argument("--preset-file", metavar="FILE.toml", help=t("cli.help_preset_file", lang))
    p.add_argument("--scenario", metavar="FILE.json", help=t("cli.help_scenario", lang))
    p.add_argument("--data", metavar="FILE.csv", help=t("cli.help_data", lang))
    p.add_argument("--paths", help=t("cli.help_paths", lang))
    p.add_argument("--seed", help=t("cli.help_seed", lang))
    p.add_argument("--lang", choices=available_langs(), default=lang, help=t("cli.help_lang", lang))
    p.add_argument("--json", action="store_true", help=t("cli.help_json", lang))
    p.add_argument("--today", metavar="YYYY-MM-DD", help=t("cli.help_today", lang))
    return p


def _read(path: str, option: str, max_bytes: int) -> bytes:
    """A file named on the command line: a regular file of at most max_bytes, else one clear ScenarioError.

    Checked before it is read, so /dev/zero, a named pipe or a 1 GB file is refused at once.
    """
    try:
        return read_limited(path, max_bytes)
    except FileRefused as exc:
        raise ScenarioError(Message("cli.unreadable", option=option, path=path, problem=exc)) from None
    except FileNotFoundError:
        raise ScenarioError(Message("cli.unreadable", option=option, path=path,
                                    problem=Message("cli.not_found"))) from None
    except OSError as exc:
        raise ScenarioError(Message("cli.unreadable", option=option, path=path,
                                    problem=exc.strerror or type(exc).__name__)) from None


def _today(text: str | None) -> datetime.date:
    """--today as a date (the clock's day if not given); one clear error otherwise."""
    if text is None:
        return datetime.date.today()
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError(text)
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ScenarioError(Message("cli.bad_today", value=text[:40])) from None


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _params(args: argparse.Namespace) -> dict[str, str]:
    params: dict[str, str] = {"preset": args.preset or DEFAULT_PRESET}
    for name, key in (("base_year", "base"), ("target_year", "target"), ("horizon", "horizon")):
        if getattr(args, name) is not None:
            params[key] = getattr(args, name)
    if args.count_services:
        params["services"] = "1"
    for name in ("paths", "seed"):
        if getattr(args, name) is not None:
            params[name] = getattr(args, name)
    for option, items, levers, example in (("--growth", args.growth, growth_levers(), "semiconductors=12"),
                                           ("--lever", args.lever, vision_levers(), "va_share=0.6")):
        valid = {lev.id for lev in levers}
        for item in items:
            key, sep, value = item.partition("=")
            if not sep:
                raise ScenarioError(Message("cli.bad_pair", option=option, value=item, example=example))
            if key not in valid:
                raise ScenarioError(Message("cli.unknown_id", option=option, value=key,
                                            allowed=", ".join(sorted(valid))))
            params[key] = value
    return params


def _table(outcome: Outcome, lang: str = DEFAULT_LANG) -> str:
    """The projection as readable tables in `lang`: exports by series, the 5/5/5 paths, milestones.

    Amounts are USD bn in English and 억 달러 in Korean (the header says which); years and ranks are
    whole numbers without separators.
    """
    proj, s, p = outcome.projection, outcome.scenario, outcome.paths
    korean = lang == "ko"
    names = series_labels(lang) if korean else {sid: sid for sid in proj.series_ids}
    cols = [t("cli.col_year", lang), *(names[sid][:11] for sid in proj.series_ids), t("cli.col_total", lang)]
    scale, decimals = (10.0, 0) if korean else (1.0, 1)
    rows = [[str(int(year)), *(fmt_number(v * scale, lang, decimals) for v in (*proj.values[:, j], proj.total[j]))]
            for j, year in enumerate(proj.years)]
    lines = [t("cli.table_header", lang, preset=preset_name(s.preset, lang), base=s.base_year), *text_grid(cols, rows)]
    vision_cols = [t(f"cli.col_{key}", lang) for key in ("year", "gni", "kospi", "gdp", "rank")]
    rows = [[str(int(year)), fmt_number(p["gni_per_capita_usd"][j], lang, 0), fmt_number(p["kospi"][j], lang, 0),
             fmt_number(p["gdp_usd_bn"][j] * scale, lang, decimals), str(int(p["gdp_rank"][j]))]
            for j, year in enumerate(outcome.years)]
    lines += ["", t("cli.vision_header", lang), *text_grid(vision_cols, rows), ""]
    for key, year in outcome.milestones.items():
        when = fmt_year(year, lang) if year else t("metric.not_by", lang, year=s.horizon)
        lines.append(t(f"cli.milestone_{key}", lang, year=when))
    lines.append(t("cli.required", lang, year=s.target_year,
                   pct=fmt_pct(required_pct(outcome.required_uniform_pct), lang)))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "backtest":
        return backtest_main(argv[1:])
    if argv and argv[0] == "refresh":
        return refresh_main(argv[1:])
    args = build_parser(lang_of(argv)).parse_args(argv)
    try:
        params = _params(args)
        growth_ids = {lev.id for lev in growth_levers()}
        overrides: dict = {}
        today = _today(args.today)
        dataset = load_dataset(today=today)
        shipped = baseline_of(dataset)
        if args.scenario:
            saved, _, _, overrides = scenario_and_overrides_from_json(
                _read(args.scenario, "--scenario", MAX_JSON_BYTES), shipped)
            explicit = {k: v for k, v in params.items() if k != "preset" or args.preset is not None}
            saved_params = {**scenario_to_params(saved), **{k: f"{v:.12g}" for k, v in saved.macro.items()}}
            if args.preset is not None or args.preset_file:  # a preset chosen here replaces the saved growth
                saved_params = {k: v for k, v in saved_params.items() if k not in growth_ids}
            params = {**saved_params, **explicit}
        if args.data:
            overrides = {**overrides, **parse_override_csv(_read(args.data, "--data", MAX_CSV_BYTES))}
        scenario, _ = scenario_from_params(params, clamp=False, baseline=shipped)
        if args.preset_file:
            try:
                custom = parse_preset(Path(args.preset_file))
            except PresetError as exc:
                raise PresetError(Message("cli.option_problem", option="--preset-file", problem=exc)) from None
            given = {item.partition("=")[0] for item in args.growth}
            explicit_growth = {k: scenario.growth[k] for k in given}
            growth = {**resolve_growth(custom, shipped), **explicit_growth}
            scenario = replace(scenario, growth=growth, preset=custom.id)
        check_complete(shipped, overrides)
        if scenario.base_year not in apply_overrides(shipped, overrides).base_years():
            raise BaselineError(Message("cli.base_incomplete", year=scenario.base_year))
        outcome = compute_outcome(scenario, dataset, ranges=args.paths is not None, overrides=overrides)
        # never print NaN or Infinity: validation keeps them out, and allow_nan=False makes sure of it
        try:
            text = json.dumps(outcome_json(outcome, args.lang, today), ensure_ascii=False, allow_nan=False)
        except ValueError:
            raise ScenarioError(Message("hostile.result_not_finite")) from None
    except (ScenarioError, BaselineError, PresetError, OverrideError) as exc:
        print(t("cli.error", args.lang, message=_one_line(localize(exc, args.lang))), file=sys.stderr)
        return 2
    print(text if args.json else _table(outcome, args.lang))
    return 0

