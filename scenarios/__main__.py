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
from scenarios.levers import growth_levers
from scenarios.model import Projection, project
from scenarios.presets import PresetError, load_presets
from scenarios.share import ScenarioError, scenario_from_params, scenario_to_params


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
    valid = {lev.id for lev in growth_levers()}
    for item in args.growth:
        sid, sep, pct = item.partition("=")
        if not sep:
            raise ScenarioError(f"--growth {item!r} must look like ID=PCT, e.g. semiconductors=12")
        if sid not in valid:
            raise ScenarioError(f"--growth: unknown id {sid!r} (allowed: {', '.join(sorted(valid))})")
        params[sid] = pct
    return params


def projection_json(proj: Projection) -> dict:
    """The projection as JSON-ready data (the CLI's --json output)."""
    exports = {sid: [round(float(v), 4) for v in proj.values[i]] for i, sid in enumerate(proj.series_ids)}
    exports["total"] = [round(float(v), 4) for v in proj.total]
    return {
        "years": [int(y) for y in proj.years],
        "exports": exports,
        "milestones": milestones(proj),
        "required_uniform_growth_pct": round(required_uniform_growth(proj), 4),
        "scenario": {**scenario_to_params(proj.scenario), "growth": proj.scenario.growth},
    }


def _table(proj: Projection) -> str:
    s = proj.scenario
    cols = [*proj.series_ids, "total"]
    head = f"{'year':>4} " + " ".join(f"{c[:11]:>11}" for c in cols)
    lines = [t("cli.table_header", preset=s.preset, base=s.base_year), head]
    for j, year in enumerate(proj.years):
        cells = [*(proj.values[i, j] for i in range(len(proj.series_ids))), proj.total[j]]
        lines.append(f"{year:>4} " + " ".join(f"{v:>11,.1f}" for v in cells))
    reached = milestones(proj)["exports_1t"]
    lines.append(t("cli.milestone", year=reached if reached else t("metric.not_by", year=s.horizon)))
    lines.append(t("cli.required", year=s.target_year, pct=fmt_pct(required_uniform_growth(proj), decimals=2)))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        scenario, _ = scenario_from_params(_params(args), clamp=False)
        proj = project(scenario)
    except (ScenarioError, BaselineError, PresetError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(projection_json(proj), ensure_ascii=False))
    else:
        print(_table(proj))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
