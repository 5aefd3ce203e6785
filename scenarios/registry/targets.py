"""The four targets of the pledge, in one table every module reads.

Each target names the path it is read from, its threshold, which way counts
as reaching it, and whether it is counted by the scenario's target year (the
export pledge: USD 1 trn within the term) or by the horizon (the 5/5/5
vision, which the pledge framed as a foundation, not a dated promise).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BY_TARGET_YEAR = "target_year"
BY_HORIZON = "horizon"


@dataclass(frozen=True)
class Target:
    """One target: key, the path it reads, its threshold and direction, and the year it is counted by."""

    key: str
    series: str          # a key of Outcome.paths()
    threshold: float
    at_most: bool        # True: reached when the path is <= threshold (a rank); else >=
    counted_by: str      # BY_TARGET_YEAR or BY_HORIZON

    def reached(self, values: np.ndarray) -> np.ndarray:
        """Where the path (any shape) meets the target."""
        return values <= self.threshold if self.at_most else values >= self.threshold

    def first_year(self, years: np.ndarray, values: np.ndarray) -> int | None:
        """The first year the path meets the target, or None by the end of `years`."""
        hits = np.flatnonzero(self.reached(values))
        return int(years[hits[0]]) if hits.size else None

    def deadline(self, target_year: int, horizon: int) -> int:
        """The last year that counts for this target in a scenario."""
        return target_year if self.counted_by == BY_TARGET_YEAR else horizon


EXPORTS_1T = Target("exports_1t", "exports_total", 1000.0, False, BY_TARGET_YEAR)
GNI_50K = Target("gni_per_capita_50k", "gni_per_capita_usd", 50_000.0, False, BY_HORIZON)
KOSPI_5000 = Target("kospi_5000", "kospi", 5_000.0, False, BY_HORIZON)
TOP5 = Target("top5_economy", "gdp_rank", 5.0, True, BY_HORIZON)

TARGETS: tuple[Target, ...] = (EXPORTS_1T, GNI_50K, KOSPI_5000, TOP5)
TARGET_BY_KEY = {tg.key: tg for tg in TARGETS}
VISION_TARGETS = TARGETS[1:]


def year_index(years: np.ndarray, year: int) -> int:
    """The position of `year` in a path that starts at years[0] (the base year)."""
    return int(year) - int(years[0])

# The 2022 pledge's own timeline: USD 1 trn within the term that would have begun in May 2022.
PLEDGE_TIMELINE_YEAR = 2027
PLEDGE_BASE_YEAR = 2021     # the pledge's base: 2021's exports, USD 644.5 bn
PLEDGE_RATE_PCT = 7.8       # "about 7.8 % a year", the pledge's own arithmetic
