"""Command line: python -m scenarios --preset pledge --growth semiconductors=12 --json.

Bad input exits with status 2 and one line on stderr naming the field and the
allowed range.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from scenarios.baseline import BaselineError, default_baseline
from scenarios.export import MAX_JSON_BYTES, scenario_and_overrides_from_json
from scenarios.i18n import DEFAULT_LANG, available_langs, fmt_pct, t
from scenarios.levers import growth_levers, vision_levers
from scenarios.outcome import Outcome, compute_outcome, outcome_json
from scenarios.overrides import MAX_CSV_BYTES, OverrideError, apply_overrides, check_complete, parse_override_csv
from scenarios.presets import PresetError, load_presets, parse_preset, resolve_growth
from scenarios.safety import FileRefused, read_limited
from scenarios.share import ScenarioError, scenario_from_params, scenario_to_params


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser(lang: str = DEFAULT_LANG) -> argparse.ArgumentParser:
    """The CLI's options (all validated again against the lever registry), described in `lang`."""
    p = _Parser(prog="python -m scenarios", description=t("cli.description", lang))
    p.add_argument("--preset", help=t("cli.help_preset", lang, ids=", ".join(load_presets())))
    p.add_argument("--base-year", help=t("cli.help_base", lang))
    p.add_argument("--target-year", help=t("cli.help_target", lang))
    p.add_argument("--horizon", help=t("cli.help_horizon", lang))
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
    return p


def _lang_of(argv: Sequence[str]) -> str:
    """The --lang value, read before the parser is built so that its help is in that language."""
    args = list(argv)
    for i, arg in enumerate(args):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else (
            args[i + 1] if arg == "--lang" and i + 1 < len(args) else None)
        if value in available_langs():
            return value
    return DEFAULT_LANG


def _read(path: str, option: str, max_bytes: int) -> bytes:
    """A file named on the command line: a regular file of at most max_bytes, else one clear ScenarioError.

    Checked before it is read, so /dev/zero, a named pipe or a 1 GB file is refused at once.
    """
    try:
        return read_limited(path, max_bytes)
    except FileRefused as exc:
        raise ScenarioError(t("cli.unreadable", option=option, path=path, problem=str(exc))) from None
    except OSError as exc:
        raise ScenarioError(t("cli.unreadable", option=option, path=path,
                              problem=exc.strerror or type(exc).__name__)) from None


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _params(args: argparse.Namespace) -> dict[str, str]:
    params: dict[str, str] = {"preset": args.preset or "pledge"}
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
                raise ScenarioError(t("cli.bad_pair", args.lang, option=option, value=item, example=example))
            if key not in valid:
                raise ScenarioError(t("cli.unknown_id", args.lang, option=option, value=key,
                                      allowed=", ".join(sorted(valid))))
            params[key] = value
    return params


def _table(outcome: Outcome, lang: str = DEFAULT_LANG) -> str:
    proj, s, p = outcome.projection, outcome.scenario, outcome.paths
    cols = [*proj.series_ids, "total"]
    head = f"{'year':>4} " + " ".join(f"{c[:11]:>11}" for c in cols)
    lines = [t("cli.table_header", lang, preset=s.preset, base=s.base_year), head]
    for j, year in enumerate(proj.years):
        cells = [*(proj.values[i, j] for i in range(len(proj.series_ids))), proj.total[j]]
        lines.append(f"{year:>4} " + " ".join(f"{v:>11,.1f}" for v in cells))
    lines += ["", t("cli.vision_header", lang),
              f"{'year':>4} {'GNI pc USD':>11} {'KOSPI':>11} {'GDP USD bn':>11} {'GDP rank':>9}"]
    for j, year in enumerate(outcome.years):
        lines.append(f"{year:>4} {p['gni_per_capita_usd'][j]:>11,.0f} {p['kospi'][j]:>11,.0f} "
                     f"{p['gdp_usd_bn'][j]:>11,.1f} {int(p['gdp_rank'][j]):>9d}")
    not_by = t("metric.not_by", lang, year=s.horizon)
    for key, year in outcome.milestones.items():
        lines.append(t(f"cli.milestone_{key}", lang, year=year if year else not_by))
    lines.append(t("cli.required", lang, year=s.target_year,
                   pct=fmt_pct(outcome.required_uniform_pct, lang, decimals=2)))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "backtest":
        from scenarios.backtest import main as bt
        return bt(argv[1:])
    if argv and argv[0] == "refresh":
        from scenarios.refresh import main as refresh
        return refresh(argv[1:])
    args = build_parser(_lang_of(argv)).parse_args(argv)
    try:
        params = _params(args)
        growth_ids = {lev.id for lev in growth_levers()}
        overrides: dict = {}
        if args.scenario:
            saved, _, _, overrides = scenario_and_overrides_from_json(
                _read(args.scenario, "--scenario", MAX_JSON_BYTES))
            explicit = {k: v for k, v in params.items() if k != "preset" or args.preset is not None}
            saved_params = {**scenario_to_params(saved), **{k: f"{v:.12g}" for k, v in saved.macro.items()}}
            if args.preset is not None or args.preset_file:  # a preset chosen here replaces the saved growth
                saved_params = {k: v for k, v in saved_params.items() if k not in growth_ids}
            params = {**saved_params, **explicit}
        if args.data:
            overrides = {**overrides, **parse_override_csv(_read(args.data, "--data", MAX_CSV_BYTES))}
        scenario, _ = scenario_from_params(params, clamp=False)
        if args.preset_file:
            try:
                custom = parse_preset(Path(args.preset_file))
            except PresetError as exc:
                raise PresetError(f"--preset-file {exc}") from None
            given = {item.partition("=")[0] for item in args.growth}
            explicit_growth = {k: scenario.growth[k] for k in given}
            scenario = replace(scenario, growth={**resolve_growth(custom), **explicit_growth}, preset=custom.id)
        check_complete(default_baseline(), overrides)
        data = apply_overrides(default_baseline(), overrides)
        if scenario.base_year not in data.base_years():
            raise BaselineError(t("cli.base_incomplete", year=scenario.base_year))
        outcome = compute_outcome(scenario, data, ranges=args.paths is not None)
        # never print NaN or Infinity: validation keeps them out, and allow_nan=False makes sure of it
        try:
            text = json.dumps(outcome_json(outcome), ensure_ascii=False, allow_nan=False)
        except ValueError:
            raise ScenarioError(t("hostile.result_not_finite", args.lang)) from None
    except (ScenarioError, BaselineError, PresetError, OverrideError) as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    print(text if args.json else _table(outcome, args.lang))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
