"""Milestones and goal-seek: what growth would reach USD 1 trn in the target year.

Every answer here is closed-form: with the other series held, the total is
monotone in the growth being solved for, and (1 + g) ** n is inverted exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from scenarios.model.projection import EXPORT_TARGET_USD_BN, Projection
from scenarios.registry.targets import EXPORTS_1T

OK = "ok"
REACHED_WITHOUT = "reached_without"  # the other series reach the target on their own
NOT_COUNTED = "not_counted"          # a services series that does not enter the total
NO_BASE = "no_base"                  # a zero base value cannot grow


@dataclass(frozen=True)
class Requirement:
    """A required growth rate (percent per year) or the reason there is none."""

    status: str
    pct: float | None = None


def _solve(need_at_target: float, base_value: float, years: int) -> Requirement:
    if need_at_target <= 0:
        return Requirement(REACHED_WITHOUT)
    if base_value <= 0:
        return Requirement(NO_BASE)
    return Requirement(OK, ((need_at_target / base_value) ** (1.0 / years) - 1.0) * 100.0)


def required_uniform_growth(proj: Projection, target: float = EXPORT_TARGET_USD_BN) -> float:
    """The one growth rate for every series that puts the total at `target` in the target year."""
    s = proj.scenario
    x_b = float(proj.total[0])
    return ((target / x_b) ** (1.0 / (s.target_year - s.base_year)) - 1.0) * 100.0


def required_big10_growth(proj: Projection, target: float = EXPORT_TARGET_USD_BN) -> Requirement:
    """The growth all Big 10 industries would need, `rest` kept at the user's rate."""
    s = proj.scenario
    n = s.target_year - s.base_year
    i_rest = proj.series_ids.index("rest")
    rest_at_target = float(proj.values[i_rest, n])
    big10_base = float(sum(proj.values[i, 0] for i in range(len(proj.series_ids))
                           if i != i_rest and proj.counted[i]))
    return _solve(target - rest_at_target, big10_base, n)


def required_industry_growth(proj: Projection, series_id: str,
                             target: float = EXPORT_TARGET_USD_BN) -> Requirement:
    """The growth one series would need, every other series held at the user's rate."""
    s = proj.scenario
    n = s.target_year - s.base_year
    i = proj.series_ids.index(series_id)
    if not proj.counted[i]:
        return Requirement(NOT_COUNTED)
    others = float(proj.total[n] - proj.values[i, n])
    return _solve(target - others, float(proj.values[i, 0]), n)


def milestones(proj: Projection) -> dict[str, int | None]:
    """First year each target is reached (None: not by the horizon)."""
    return {EXPORTS_1T.key: EXPORTS_1T.first_year(proj.years, proj.total)}
