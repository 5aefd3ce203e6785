"""How fresh the data are, measured against today's date and the release calendar.

The trade ministry releases a month's exports on the 1st of the next month (the customs service's provisional
full month comes out the same day); the customs service publishes its count of a month's first 10 days on the
11th and of its first 20 days on the 21st. From the latest figure in the data, every release that was due by
today and is not in the data is listed: "data through September 2026; the October and November releases are
not in the data". Everything here is read from the Dataset (never from a file's date).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from scenarios.data.baseline import TOTAL_SERIES
from scenarios.data.dataset import Dataset
from scenarios.data.ecos import DAILY_SERIES
from scenarios.data.monthly import FULL_MONTH, STRONG_QUALITIES, month_index, period_of

# (coverage, day of the release): the ministry's month on the 1st of the next month, the customs service's
# day counts on the 11th and the 21st of the month itself.
RELEASES = (("1-10", 11), ("1-20", 21), (FULL_MONTH, 1))
CHIPS = "semiconductors"


@dataclass(frozen=True)
class Release:
    """One release on the calendar: the month it covers, its coverage and the day it is due."""

    month: str
    coverage: str
    due: datetime.date

    def as_dict(self) -> dict:
        """JSON-ready: {month, coverage, due}."""
        return {"month": self.month, "coverage": self.coverage, "due": self.due.isoformat()}


def release_date(period: str, coverage: str = FULL_MONTH) -> datetime.date:
    """The day a month's figure (or its 1-10 / 1-20 day count) is published."""
    index = month_index(period)
    if coverage == FULL_MONTH:
        nxt = index + 1
        return datetime.date(nxt // 12, nxt % 12 + 1, 1)
    day = dict(RELEASES)[coverage]
    return datetime.date(index // 12, index % 12 + 1, day)


def releases_between(after: tuple[str, str], today: datetime.date) -> list[Release]:
    """Every release due after the figure `after` (period, coverage) and on or before today, in order."""
    start = month_index(after[0])
    out = []
    for index in range(start, start + 36):
        period = period_of(index)
        for coverage, _ in RELEASES:
            due = release_date(period, coverage)
            if due > today:
                return out
            if (index, _coverage_order(coverage)) > (start, _coverage_order(after[1])):
                out.append(Release(period, coverage, due))
    return out


def _coverage_order(coverage: str) -> int:
    return [c for c, _ in RELEASES].index(coverage)


@dataclass(frozen=True)
class Freshness:
    """Where the data stand on one day: the latest figures, the releases missing since, each series' date."""

    today: datetime.date
    latest_month: str
    latest_month_released: datetime.date
    latest_official_month: str | None
    latest_count: tuple[str, str] | None      # the latest customs day count after the latest month (period, days)
    releases_missing: tuple[Release, ...]
    series: dict[str, dict[str, str]]

    @property
    def months_missing(self) -> tuple[str, ...]:
        """The months that are over and whose full-month release is missing (drawn as missing, not as data)."""
        return tuple(r.month for r in self.releases_missing if r.coverage == FULL_MONTH)

    @property
    def behind(self) -> bool:
        """More than one release behind: the page says so."""
        return len(self.releases_missing) > 1

    def as_dict(self) -> dict:
        """The `freshness` of `--json`."""
        return {
            "today": self.today.isoformat(),
            "latest_month": self.latest_month,
            "latest_month_released": self.latest_month_released.isoformat(),
            "latest_official_month": self.latest_official_month,
            "latest_count": None if self.latest_count is None else {"month": self.latest_count[0],
                                                                     "coverage": self.latest_count[1]},
            "releases_missing": [r.as_dict() for r in self.releases_missing],
            "months_missing": list(self.months_missing),
            "series": self.series,
        }


def freshness(dataset: Dataset, today: datetime.date | None = None) -> Freshness:
    """Where the Dataset's figures stand on `today` (the Dataset's own day if None)."""
    today = today or dataset.today
    monthly = dataset.monthly
    latest = monthly.latest_month(TOTAL_SERIES)
    full = monthly.full_months(TOTAL_SERIES)
    strong = [i for i, r in full.items() if r.quality in STRONG_QUALITIES]
    partial = monthly.partial(TOTAL_SERIES)
    last_figure = (partial[-1].period, partial[-1].coverage) if partial else (latest, FULL_MONTH)
    series: dict[str, dict[str, str]] = {}

    def monthly_series(name: str, key: str) -> None:
        rows = monthly.full_months(key)
        if rows:
            last = rows[next(reversed(rows))]
            series[name] = {"through": last.period, "quality": last.quality}

    monthly_series("exports", TOTAL_SERIES)
    monthly_series("exports_ministry", "total_motir")
    monthly_series("chips", CHIPS)
    market = dataset.market
    for name, monthly_key, daily_key in (("kospi", "kospi_close_m", "kospi_close_latest"),
                                         ("won", "krw_per_usd_avg_m", "krw_per_usd_close_latest")):
        rows = [r for r in market.rows if r.series in (monthly_key, daily_key)]
        if rows:
            last = max(rows, key=lambda r: (r.period if r.series in DAILY_SERIES else f"{r.period}-99"))
            series[name] = {"through": last.period, "quality": last.quality}
    for name, key in (("gni_per_capita", "gni_per_capita_usd"), ("gdp", "gdp_nominal_usd_bn")):
        values = dataset.macro.rows.get(key, {})
        if values:
            year = max(values)
            series[name] = {"through": str(year), "quality": values[year].quality}
    return Freshness(today, latest, release_date(latest), period_of(max(strong)) if strong else None,
                     (partial[-1].period, partial[-1].coverage) if partial else None,
                     tuple(releases_between(last_figure, today)), series)
