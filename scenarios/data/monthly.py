"""Monthly exports: load and validate data/monthly.csv (the nowcast and tracker are scenarios.model.nowcast).

``load_monthly`` validates the file the way ``baseline.read_long_csv`` validates the annual ones: every
problem is a ``BaselineError`` whose message starts ``monthly.csv, row N:``. Values are USD bn.
"""

from __future__ import annotations

import csv
import datetime
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from scenarios.data.baseline import TOTAL_SERIES, BaselineError, check_text_fields
from scenarios.registry.levers import industry_levers
from scenarios.registry.safety import is_month, parse_plain_number

FILE_NAME = "monthly.csv"
COLUMNS = ("period", "series", "value", "unit", "coverage", "quality", "source", "source_url", "method")
UNITS = ("usd_bn",)
FULL_MONTH = "month"
MAX_MONTH_USD_BN = 1000.0  # no month comes near it (the record is about 121); a typo or a hostile file does
COVERAGES = (FULL_MONTH, "1-10", "1-20")  # a full month, or a customs count of days 1-10 / 1-20
QUALITIES = ("official", "preliminary", "transcribed", "secondary", "derived")
# transcribed: a third party's copy of an official release that names the release (opening it upgrades the row)
STRONG_QUALITIES = ("official", "preliminary", "transcribed")
WEAK_QUALITIES = ("secondary", "derived")
# Two agencies' monthly totals, one line each: `total` is the customs service's (KCS: the confirmed month, the
# provisional month published on the 1st, and its 10- and 20-day counts; ECOS republishes it), the line the
# nowcast and the tracker read; `total_motir` is the trade ministry's first release (MOTIR/MOTIE, on the 1st).
MINISTRY_TOTAL = "total_motir"


def series_names() -> tuple[str, ...]:
    """Series allowed in monthly.csv: the customs total, the ministry's total and the Big 10 industry ids."""
    return (TOTAL_SERIES, MINISTRY_TOTAL, *(lev.id for lev in industry_levers()))


def month_index(period: str) -> int:
    """A "YYYY-MM" period as a running month number (year * 12 + month - 1)."""
    year, month = period.split("-")
    return int(year) * 12 + int(month) - 1


def period_of(index: int) -> str:
    """The "YYYY-MM" period of a running month number."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


class MonthValue(NamedTuple):
    """One full month: (period "YYYY-MM", value in USD bn, quality)."""

    period: str
    value: float
    quality: str


@dataclass(frozen=True)
class MonthlyRow:
    """One validated row of monthly.csv; ``line`` is its line in the file (header = 1)."""

    period: str
    series: str
    value: float
    unit: str
    coverage: str
    quality: str
    source: str
    source_url: str
    method: str
    line: int

    @property
    def index(self) -> int:
        """Running month number of the period."""
        return month_index(self.period)


@dataclass(frozen=True)
class Monthly:
    """Every monthly figure, validated; lookups by series."""

    rows: tuple[MonthlyRow, ...]

    @cached_property
    def _full(self) -> dict[str, dict[int, MonthlyRow]]:
        out: dict[str, dict[int, MonthlyRow]] = {}
        for r in self.rows:
            if r.coverage == FULL_MONTH:
                out.setdefault(r.series, {})[r.index] = r
        return {s: dict(sorted(m.items())) for s, m in out.items()}

    def series_ids(self) -> tuple[str, ...]:
        """Series present in the file, the total first, then the industries in registry order."""
        present = {r.series for r in self.rows}
        return tuple(s for s in series_names() if s in present)

    def until(self, period: str | int) -> Monthly:
        """The data as they stood with ``period`` ("YYYY-MM" or a running month number) the latest month.

        Every row of every series dated after it is dropped (full and partial months alike).
        """
        last = period if isinstance(period, int) else month_index(period)
        return Monthly(tuple(r for r in self.rows if r.index <= last))

    def full_months(self, series: str = TOTAL_SERIES) -> dict[int, MonthlyRow]:
        """Full-month rows of one series by running month number, in order (empty if none)."""
        return self._full.get(series, {})

    def months(self, series: str = TOTAL_SERIES) -> tuple[MonthValue, ...]:
        """Full-month values of one series in order, each with its quality."""
        return tuple(MonthValue(r.period, r.value, r.quality) for r in self.full_months(series).values())

    def latest_month(self, series: str = TOTAL_SERIES) -> str:
        """The latest full month of a series as "YYYY-MM" (ValueError if it has none)."""
        full = self.full_months(series)
        if not full:
            raise ValueError(f"{FILE_NAME} has no full month of series {series!r}")
        return period_of(next(reversed(full)))

    def partial(self, series: str = TOTAL_SERIES) -> tuple[MonthlyRow, ...]:
        """Partial-month rows (e.g. customs days 1-20) dated after the series' last full month."""
        full = self.full_months(series)
        last = next(reversed(full)) if full else -1
        rows = [r for r in self.rows if r.series == series and r.coverage != FULL_MONTH and r.index > last]
        return tuple(sorted(rows, key=lambda r: (r.index, COVERAGES.index(r.coverage))))


# ---------------------------------------------------------------------------- loading


def check_sourced(rec: dict, qualities: tuple[str, ...], fail: Callable[[str], Exception]) -> None:
    """The quality, source, source_url and method fields of one row (monthly.csv, market.csv): raise fail(text)."""
    if rec["quality"] not in qualities:
        raise fail(f"quality {rec['quality']!r} is not one of {', '.join(qualities)}")
    if not rec["source"]:
        raise fail("source is empty")
    if not rec["source_url"].startswith(("http://", "https://")):
        raise fail(f"source_url {rec['source_url'][:80]!r} is not a web address")
    if rec["quality"] == "derived" and not rec["method"]:
        raise fail("method is empty, but a derived value needs its computation stated")
    check_text_fields(rec, fail)


def _fail(line: int, text: str) -> BaselineError:
    return BaselineError(f"{FILE_NAME}, row {line}: {text}")


def _parse_row(raw: dict, line: int, allowed: tuple[str, ...]) -> MonthlyRow:
    if None in raw or any(raw.get(c) is None for c in COLUMNS):
        raise _fail(line, f"wrong number of fields (expected {len(COLUMNS)}: {', '.join(COLUMNS)})")
    rec = {k: (raw[k] or "").strip() for k in COLUMNS}
    period = rec["period"]
    if not is_month(period):
        raise _fail(line, f"period {period[:20]!r} is not a month written YYYY-MM")
    series = rec["series"]
    if series not in allowed:
        raise _fail(line, f"series {series!r} is not one of {', '.join(allowed)}")
    try:
        value = parse_plain_number(rec["value"])
    except ValueError:
        raise _fail(line, f"value {rec['value'][:30]!r} is not a number written plainly") from None
    if not math.isfinite(value) or value > MAX_MONTH_USD_BN:
        raise _fail(line, f"value {rec['value'][:30]!r} is not a finite number up to {MAX_MONTH_USD_BN:g}")
    if value < 0:
        raise _fail(line, f"value {rec['value']!r} is negative (exports are >= 0)")
    if rec["unit"] not in UNITS:
        raise _fail(line, f"unit {rec['unit']!r} is not one of {', '.join(UNITS)}")
    if rec["coverage"] not in COVERAGES:
        raise _fail(line, f"coverage {rec['coverage']!r} is not one of {', '.join(COVERAGES)}")
    check_sourced(rec, QUALITIES, lambda text: _fail(line, text))
    return MonthlyRow(period, series, value, rec["unit"], rec["coverage"], rec["quality"], rec["source"],
                      rec["source_url"], rec["method"], line)


def _check_dates(row: MonthlyRow, today: datetime.date) -> None:
    now = today.year * 12 + today.month - 1
    if row.index > now:
        raise _fail(row.line, f"period {row.period!r} is after today ({today.isoformat()})")
    if row.index == now:
        if row.coverage == FULL_MONTH:
            raise _fail(row.line, f"period {row.period!r} with coverage 'month' is not over on {today.isoformat()}")
        last_day = int(row.coverage.split("-")[1])
        if today.day <= last_day:
            raise _fail(row.line, f"period {row.period!r} with coverage {row.coverage!r} is not over on "
                                  f"{today.isoformat()}")


def _check_gaps(rows: list[MonthlyRow]) -> None:
    by_series: dict[str, list[MonthlyRow]] = {}
    for r in rows:
        if r.coverage == FULL_MONTH:
            by_series.setdefault(r.series, []).append(r)
    for series, items in by_series.items():
        items.sort(key=lambda r: r.index)
        for prev, cur in itertools.pairwise(items):
            if cur.index - prev.index > 1:
                missing = period_of(prev.index + 1)
                if cur.index - prev.index > 2:
                    missing += f"..{period_of(cur.index - 1)}"
                raise _fail(cur.line, f"period {cur.period!r} leaves a gap in series {series!r}: full month(s) "
                                      f"{missing} missing after {prev.period} (row {prev.line})")


def load_monthly(data_dir: Path, today: datetime.date | None = None) -> Monthly:
    """Read and validate data/monthly.csv.

    Parameters
    ----------
    data_dir
        Folder holding monthly.csv.
    today
        No figure may postdate this day (default: ``datetime.date.today()``).

    Raises
    ------
    BaselineError
        On the first problem, as ``monthly.csv, row N: <field> ... <problem>`` (N is the line
        in the file, the header being line 1): a missing column, a malformed period, an unknown
        series, quality, coverage or unit, a value that is not a finite number >= 0, a missing
        source, a derived value without its method, a duplicate (period, series, coverage), a
        gap between a series' first and last full month, or a period after ``today``.

    """
    today = today or datetime.date.today()
    path = Path(data_dir) / FILE_NAME
    if not path.exists():
        raise BaselineError(f"{FILE_NAME}: file not found")
    allowed = series_names()
    rows: list[MonthlyRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header = tuple(reader.fieldnames or ())
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise _fail(1, f"missing column(s) {', '.join(missing)}")
        for raw in reader:
            row = _parse_row(raw, reader.line_num, allowed)
            key = (row.period, row.series, row.coverage)
            if key in seen:
                raise _fail(row.line, f"period {row.period!r} duplicates row {seen[key]} "
                                      f"(series {row.series}, coverage {row.coverage})")
            seen[key] = row.line
            _check_dates(row, today)
            rows.append(row)
    if not rows:
        raise _fail(2, "no data rows")
    _check_gaps(rows)
    return Monthly(rows=tuple(rows))
