"""Command line: python -m scenarios --preset pledge --growth semiconductors=12 --json.

Bad input exits with status 2 and one line on stderr naming the field and the
allowed range.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from scenarios.baseline import BaselineError
from scenarios.goals import milestones, required_uniform_growth
from scenarios.i18n import fmt_pct, t
from scenarios.levers import growth_levers, vision_levers
from scenarios.model import Projection, project
from scenarios.presets import PresetError, load_presets
from scenarios.share import ScenarioError, scenario_from_params, scenario_to_params
from scenarios.vision import VisionPath, project_vision


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """The CLI's options (all validated again against the lever registry)."""
    p = _Parser(prog="python -m scenarios", description=t("cli.description"))
    p.add_argument("--preset", default="pledge", help=f"one of: {', '.join(load_presets())}")
    p.add_argument("--base-year", help="base year (a year with a complete baseline, 2021-2025)")
    p.add_argument("--target-year", help="year USD 1 trn should be reached (default 2027)")
    p.add_argument("--horizon", help="last projected year (default 2035, at most 2050)")
    ids = ", ".join(lev.id for lev in growth_levers())
    p.add_argument("--growth", action="append", default=[], metavar="ID=PCT",
                   help=f"growth in %% per year for one series (repeatable); ids: {ids}")
    macro_ids = ", ".join(lev.id for lev in vision_levers())
    p.add_argument("--lever", action="append", default=[], metavar="ID=VALUE",
                   help=f"a 5/5/5 link lever (repeatable); ids: {macro_ids}")
    p.add_argument("--count-services", action="store_true", help="count services exports (metaverse) in the total")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return p


def _params(args: argparse.Namespace) -> dict[str, str]:
    params: dict[str, str] = {"preset": args.preset}
    for name, key in (("base_year", "base"), ("target_year", "target"), ("horizon", "horizon")):
        if getattr(args, name) is not None:
            params[key] = getattr(args, name)
    if args.count_services:
        params["services"] = "1"
    for option, items, levers, example in (("--growth", args.growth, growth_levers(), "semiconductors=12"),
                                           ("--lever", args.lever, vision_levers(), "va_share=0.6")):
        valid = {lev.id for lev in levers}
        for item in items:
            key, sep, value = item.partition("=")
            if not sep:
                raise ScenarioError(f"{option} {item!r} must look like ID=VALUE, e.g. {example}")
            if key not in valid:
                raise ScenarioError(f"{option}: unknown id {key!r} (allowed: {', '.join(sorted(valid))})")
            params[key] = value
    return params


def _rounded(values) -> list[float]:
    return [round(float(v), 4) for v in values]


def projection_json(proj: Projection, vision: VisionPath) -> dict:
    """The projection as JSON-ready data (the CLI's --json output)."""
    exports = {sid: _rounded(proj.values[i]) for i, sid in enumerate(proj.series_ids)}
    exports["total"] = _rounded(proj.total)
    return {
        "years": [int(y) for y in proj.years],
        "exports": exports,
        "vision": {
            "gni_per_capita_usd": _rounded(vision.gni_per_capita_usd),
            "kospi": _rounded(vision.kospi),
            "gdp_usd_bn": _rounded(vision.gdp_usd_bn),
            "gdp_rank": [int(r) for r in vision.gdp_rank],
        },
        "milestones": {**milestones(proj), **vision.milestones()},
        "required_uniform_growth_pct": round(required_uniform_growth(proj), 4),
        "scenario": {**scenario_to_params(proj.scenario), "growth": proj.scenario.growth,
                     "levers": proj.scenario.macro},
    }


def _table(proj: Projection, vision: VisionPath) -> str:
    s = proj.scenario
    cols = [*proj.series_ids, "total"]
    head = f"{'year':>4} " + " ".join(f"{c[:11]:>11}" for c in cols)
    lines = [t("cli.table_header", preset=s.preset, base=s.base_year), head]
    for j, year in enumerate(proj.years):
        cells = [*(proj.values[i, j] for i in range(len(proj.series_ids))), proj.total[j]]
        lines.append(f"{year:>4} " + " ".join(f"{v:>11,.1f}" for v in cells))
    lines += ["", t("cli.vision_header"),
              f"{'year':>4} {'GNI pc USD':>11} {'KOSPI':>11} {'GDP USD bn':>11} {'GDP rank':>9}"]
    for j, year in enumerate(vision.years):
        lines.append(f"{year:>4} {vision.gni_per_capita_usd[j]:>11,.0f} {vision.kospi[j]:>11,.0f} "
                     f"{vision.gdp_usd_bn[j]:>11,.1f} {vision.gdp_rank[j]:>9d}")
    not_by = t("metric.not_by", year=s.horizon)
    for key, year in {**milestones(proj), **vision.milestones()}.items():
        lines.append(t(f"cli.milestone_{key}", year=year if year else not_by))
    lines.append(t("cli.required", year=s.target_year, pct=fmt_pct(required_uniform_growth(proj), decimals=2)))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        scenario, _ = scenario_from_params(_params(args), clamp=False)
        proj = project(scenario)
        vision = project_vision(proj)
    except (ScenarioError, BaselineError, PresetError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(projection_json(proj, vision), ensure_ascii=False))
    else:
        print(_table(proj, vision))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
