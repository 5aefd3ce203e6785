"""The month in which the year's cumulative exports pass USD 1 trn: from the months known, then the nowcast.

The running total of the year's known months (the customs line) is followed month by month by the nowcast's
months to come. If the known months already pass the threshold, the crossing is actual: that month, with the
release it comes from. Otherwise the months to come are scaled so the year ends at the nowcast's p90, p50 and
p10 in turn (the known months stay as they are): the month each path passes the threshold is the crossing's
early (p10), central (p50) and late (p90) month; a path that ends the year short of it has no crossing (None).
The chance is the nowcast's chance that the year reaches the threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

from scenarios.data.baseline import TOTAL_SERIES
from scenarios.data.monthly import Monthly
from scenarios.model.nowcast import Nowcast
from scenarios.model.present import Present, chance_at_least
from scenarios.registry.targets import EXPORTS_1T

ACTUAL, NOWCAST = "actual", "nowcast"


@dataclass(frozen=True)
class Crossing:
    """When the year's running total passes the threshold (USD bn)."""

    year: int
    threshold: float
    month_p10: str | None      # early: the path that ends the year at the nowcast's p90
    month_p50: str | None
    month_p90: str | None      # late: the path that ends at the nowcast's p10 (None: not in the year)
    probability: float
    basis: str                 # "actual" (a release shows it) or "nowcast"
    source: str | None         # the release behind an actual crossing
    known: tuple[tuple[str, float], ...]       # (month, running total) of the months in the data
    projected: tuple[tuple[str, float], ...]   # (month, running total) of the central path's months to come
    previous: tuple[tuple[str, float], ...]    # (month, running total) of the year before

    def as_dict(self) -> dict:
        """The `crossing` of `--json`."""
        return {"year": self.year, "threshold": self.threshold, "month_p10": self.month_p10,
                "month_p50": self.month_p50, "month_p90": self.month_p90, "probability": round(self.probability, 4),
                "basis": self.basis, "source": self.source,
                "cumulative": [{"month": m, "usd_bn": round(v, 4), "kind": kind} for kind, rows in
                               (("actual", self.known), ("nowcast", self.projected)) for m, v in rows],
                "previous_year": [{"month": m, "usd_bn": round(v, 4)} for m, v in self.previous]}


def _running(values: list[tuple[str, float]], start: float = 0.0) -> tuple[tuple[str, float], ...]:
    out, total = [], start
    for month, value in values:
        total += value
        out.append((month, total))
    return tuple(out)


def _first_at_least(running: tuple[tuple[str, float], ...], level: float) -> str | None:
    return next((month for month, total in running if total >= level - 1e-9), None)


def crossing_of(present: Present, monthly: Monthly, threshold: float = EXPORTS_1T.threshold) -> Crossing:
    """The crossing of the year in progress (its total's nowcast) over `threshold`."""
    cast: Nowcast = present.total
    known = _running([(m.period, m.value) for m in cast.known])
    year = cast.year
    prior = [(m.period, m.value) for m in monthly.months(TOTAL_SERIES) if m.period.startswith(f"{year - 1}-")]
    previous = _running(prior)
    hit = _first_at_least(known, threshold)
    if hit is not None:
        row = monthly.full_months(TOTAL_SERIES)
        source = next((r.source for r in row.values() if r.period == hit), None)
        return Crossing(year, threshold, hit, hit, hit, 1.0, ACTUAL, source, known, (), previous)
    known_sum = known[-1][1] if known else 0.0
    to_come = list(cast.projected)
    central_rest = sum(v for _, v in to_come)

    def month_for(year_total: float) -> str | None:
        if central_rest <= 0:
            return None
        scale = max(year_total - known_sum, 0.0) / central_rest
        return _first_at_least(_running([(m, v * scale) for m, v in to_come], known_sum), threshold)

    return Crossing(year, threshold, month_for(cast.p90), month_for(cast.p50), month_for(cast.p10),
                    chance_at_least(cast, threshold), NOWCAST, None, known,
                    _running(to_come, known_sum), previous)
