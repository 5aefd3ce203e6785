"""The Bank of Korea's ECOS Open API: a small client (stdlib urllib) and what it fills in data/.

Pure (no streamlit, no third-party HTTP library). Three series are read, each by a statistic
code and item code cross-checked against ECOS's own table list and independent clients (see
data/SOURCES.md, "New figures"):

- KRW/USD: ``731Y001`` (3.1.1.1 주요국 통화의 대원화환율, daily), item ``0000001`` (원/미국달러,
  매매기준율). Written to data/market.csv as ``krw_per_usd_avg_m``, the mean of a month's daily rates.
- KOSPI: ``802Y001`` (1.5.1.1 주식시장(일), daily), item ``0001000`` (KOSPI지수). Written to
  data/market.csv as ``kospi_close_m``, the close on the month's last trading day.
- Exports: ``901Y118`` (3.2.1 수출입 총괄, monthly, customs basis, thousand USD), item ``T002``
  (수출금액). Written to data/monthly.csv as full months of ``total`` (quality ``official``).

Requests look like ``{BASE_URL}/StatisticSearch/{key}/json/kr/{first}/{last}/{stat}/{cycle}/{from}/{to}/{item}``.
An answer is either ``{"StatisticSearch": {"list_total_count": n, "row": [...]}}`` or
``{"RESULT": {"CODE": "INFO-200" | "INFO-100" | "ERROR-nnn", "MESSAGE": ...}}``. INFO-200 (no data)
is an empty answer; server errors (ERROR-500, -600), the rate limit (ERROR-602), time-outs, network
errors and HTTP 5xx are retried with exponential backoff; everything else fails at once. The key is
never printed: messages name the statistic, never the URL.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import itertools
import json
import math
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scenarios.data.baseline import BaselineError
from scenarios.data.monthly import check_sourced
from scenarios.registry.safety import is_month, parse_plain_number, strip_controls

BASE_URL = "https://ecos.bok.or.kr/api"
ECOS_SITE = "https://ecos.bok.or.kr/"
KEY_ENV = "ECOS_API_KEY"
TIMEOUT_S = 20.0
RETRIES = 3          # attempts per request
BACKOFF_S = 1.0      # sleep before retry k (k = 1, 2, ...) is BACKOFF_S * 2 ** (k - 1)
PAGE_SIZE = 1000     # rows per request (ECOS pages with first/last row numbers)
DEADLINE_S = 120.0   # the whole refresh's ECOS requests, retries and waits included
MAX_ANSWER_BYTES = 5_000_000  # one page of 1,000 rows is about 300 KB
MAX_PAGES = 20       # 20,000 rows: more than a decade of daily rates, the longest series asked for
RETRYABLE_CODES = ("ERROR-500", "ERROR-600", "ERROR-602")
NO_DATA = "INFO-200"


class EcosError(Exception):
    """An ECOS request failed for good; the message is one line and never holds the key."""


@dataclass(frozen=True)
class EcosSeries:
    """One ECOS statistic: table code, cycle (D daily, M monthly), item code and what it is."""

    stat_code: str
    cycle: str
    item_code: str
    name: str

    def label(self) -> str:
        """Code, cycle, item and name, for messages."""
        return f"{self.stat_code}/{self.cycle}/{self.item_code} ({self.name})"


KRW_USD = EcosSeries("731Y001", "D", "0000001", "KRW/USD, daily base rate")
KOSPI = EcosSeries("802Y001", "D", "0001000", "KOSPI, daily close")
EXPORTS = EcosSeries("901Y118", "M", "T002", "exports, customs basis, thousand USD")


@dataclass(frozen=True)
class Observation:
    """One ECOS data point: its time (YYYYMMDD or YYYYMM), value and unit."""

    time: str
    value: float
    unit: str


Opener = Callable[..., object]  # urllib.request.urlopen's shape: opener(url, timeout=...) -> response


class EcosClient:
    """StatisticSearch with time-outs, retries with backoff and paging.

    ``opener`` and ``sleep`` are injectable so that tests can replay recorded answers and fake a
    time-out without a network or real waiting.
    """

    def __init__(self, api_key: str, *, opener: Opener | None = None, timeout: float = TIMEOUT_S,
                 retries: int = RETRIES, backoff: float = BACKOFF_S, sleep: Callable[[float], None] = time.sleep,
                 page_size: int = PAGE_SIZE, base_url: str = BASE_URL, deadline: float = DEADLINE_S,
                 max_bytes: int = MAX_ANSWER_BYTES, max_pages: int = MAX_PAGES,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not api_key or not api_key.strip():
            raise EcosError(f"no ECOS API key: set the environment variable {KEY_ENV}")
        self.api_key = api_key.strip()
        self.opener = opener or urllib.request.urlopen
        self.timeout, self.retries, self.backoff, self.sleep = timeout, max(1, retries), backoff, sleep
        self.page_size, self.base_url = page_size, base_url.rstrip("/")
        self.max_bytes, self.max_pages, self.clock = max_bytes, max_pages, clock
        self.ends_at = clock() + deadline  # one overall deadline: a slow server cannot hold a refresh for long

    def url(self, series: EcosSeries, start: str, end: str, first: int, last: int) -> str:
        """The StatisticSearch address of rows first..last (it holds the key: never print it)."""
        parts = ["StatisticSearch", self.api_key, "json", "kr", str(first), str(last), series.stat_code,
                 series.cycle, start, end, series.item_code]
        return "/".join([self.base_url, *(urllib.parse.quote(p, safe="") for p in parts)])

    def _fetch(self, url: str, what: str) -> dict:
        problem = ""
        for attempt in range(1, self.retries + 1):
            if attempt > 1:
                self.sleep(self.backoff * 2 ** (attempt - 2))
            left = self.ends_at - self.clock()
            if left <= 0:
                raise EcosError(f"ECOS {what}: no answer within the overall deadline"
                                + (f" ({problem})" if problem else ""))
            try:
                with self.opener(url, timeout=min(self.timeout, left)) as response:  # type: ignore[attr-defined]
                    raw = response.read(self.max_bytes + 1)
                if len(raw) > self.max_bytes:
                    raise EcosError(f"ECOS {what}: the answer is larger than {self.max_bytes:,} bytes")
            except urllib.error.HTTPError as exc:
                problem = f"HTTP {exc.code}"
                if exc.code < 500:
                    raise EcosError(f"ECOS {what}: {problem}") from None
                continue
            except TimeoutError:
                problem = "timed out"
                continue
            except urllib.error.URLError as exc:
                problem = "timed out" if isinstance(exc.reason, TimeoutError) else f"network error ({exc.reason})"
                continue
            except OSError as exc:
                problem = f"network error ({exc.strerror or exc})"
                continue
            try:
                answer = json.loads(raw)
            except (ValueError, UnicodeDecodeError):
                raise EcosError(f"ECOS {what}: the answer is not JSON") from None
            if not isinstance(answer, dict):
                raise EcosError(f"ECOS {what}: unexpected answer")
            result = answer.get("RESULT")
            if isinstance(result, dict) and result.get("CODE") and result.get("CODE") != NO_DATA:
                code = strip_controls(str(result.get("CODE")), 40)
                message = strip_controls(str(result.get("MESSAGE", "")), 200).strip()
                problem = f"{code} {message}".strip()
                if code in RETRYABLE_CODES:
                    continue
                raise EcosError(f"ECOS {what}: {problem}")
            return answer
        raise EcosError(f"ECOS {what}: no answer after {self.retries} attempt(s): {problem}")

    def search(self, series: EcosSeries, start: str, end: str) -> list[Observation]:
        """Every observation of a series from start to end (ECOS date format of its cycle), in time order."""
        out: list[Observation] = []
        first, total, pages = 1, None, 0
        while total is None or first <= total:
            pages += 1
            if pages > self.max_pages:
                raise EcosError(f"ECOS {series.label()}: more than {self.max_pages} pages of answers")
            last = first + self.page_size - 1
            answer = self._fetch(self.url(series, start, end, first, last), series.label())
            body = answer.get("StatisticSearch")
            if not isinstance(body, dict):  # INFO-200: no data in the range
                break
            rows = body.get("row") or []
            try:
                total = int(body.get("list_total_count", len(rows)))
            except (TypeError, ValueError):
                raise EcosError(f"ECOS {series.label()}: list_total_count is not a number") from None
            for row in rows:
                out.append(_observation(row, series))
            if not rows:
                break
            first = last + 1
        keep = [o for o in out if start <= o.time <= end]
        return sorted({o.time: o for o in keep}.values(), key=lambda o: o.time)


def _observation(row: object, series: EcosSeries) -> Observation:
    if not isinstance(row, dict):
        raise EcosError(f"ECOS {series.label()}: a row is not an object")
    stamp = strip_controls(str(row.get("TIME", "")), 20)
    raw = strip_controls(str(row.get("DATA_VALUE", "")), 40).replace(",", "").strip()
    size = 8 if series.cycle == "D" else 6
    if not re.fullmatch(rf"[0-9]{{{size}}}", stamp, flags=re.ASCII):
        raise EcosError(f"ECOS {series.label()}: TIME {stamp!r} is not a date of cycle {series.cycle}")
    if row.get("STAT_CODE", series.stat_code) != series.stat_code:
        raise EcosError(f"ECOS {series.label()}: a row of {strip_controls(str(row.get('STAT_CODE')), 20)!r} came back")
    try:
        value = parse_plain_number(raw)
    except ValueError:
        raise EcosError(f"ECOS {series.label()}: DATA_VALUE {raw!r} of {stamp} is not a number") from None
    if not math.isfinite(value) or value <= 0:
        raise EcosError(f"ECOS {series.label()}: DATA_VALUE {raw!r} of {stamp} is not a positive number")
    return Observation(stamp, value, str(row.get("UNIT_NAME", "")))


# ---------------------------------------------------------------------------- months from ECOS

COMPLETE_WITHIN_DAYS = 7  # a month counts only if its latest daily figure is this close to its end


def month_periods(since: str, until: str) -> tuple[str, str]:
    """ECOS date bounds (YYYYMMDD) from the first day of `since` to the last day of `until` (YYYY-MM)."""
    y1, m1 = int(since[:4]), int(since[5:7])
    y2, m2 = int(until[:4]), int(until[5:7])
    return f"{y1:04d}{m1:02d}01", f"{y2:04d}{m2:02d}{calendar.monthrange(y2, m2)[1]:02d}"


def _by_month(obs: list[Observation]) -> dict[str, list[Observation]]:
    out: dict[str, list[Observation]] = {}
    for o in obs:
        out.setdefault(f"{o.time[:4]}-{o.time[4:6]}", []).append(o)
    return out


def _complete(period: str, days: list[Observation]) -> bool:
    year, month = int(period[:4]), int(period[5:7])
    last_day = calendar.monthrange(year, month)[1]
    return last_day - int(days[-1].time[6:8]) <= COMPLETE_WITHIN_DAYS


def monthly_fx_rows(obs: list[Observation], fetched: datetime.date) -> list[dict[str, str]]:
    """market.csv rows: each complete month's mean of the daily KRW/USD base rates."""
    rows = []
    for period, days in sorted(_by_month(obs).items()):
        if not _complete(period, days):
            continue
        mean = sum(o.value for o in days) / len(days)
        rows.append(market_row(period, "krw_per_usd_avg_m", round(mean, 2), "derived",
                               f"Bank of Korea, KRW/USD base rate (매매기준율), ECOS {KRW_USD.stat_code} item "
                               f"{KRW_USD.item_code}, fetched {fetched.isoformat()}",
                               f"mean of the {len(days)} daily rates {days[0].time}-{days[-1].time}"))
    return rows


def monthly_kospi_rows(obs: list[Observation], fetched: datetime.date) -> list[dict[str, str]]:
    """market.csv rows: each complete month's KOSPI close on its last trading day."""
    rows = []
    for period, days in sorted(_by_month(obs).items()):
        if not _complete(period, days):
            continue
        last = days[-1]
        rows.append(market_row(period, "kospi_close_m", round(last.value, 2), "official",
                               f"KRX KOSPI close, via Bank of Korea ECOS {KOSPI.stat_code} item {KOSPI.item_code}, "
                               f"fetched {fetched.isoformat()}",
                               f"close on {last.time[:4]}-{last.time[4:6]}-{last.time[6:8]}"))
    return rows


def monthly_export_rows(obs: list[Observation], fetched: datetime.date) -> list[dict[str, str]]:
    """monthly.csv rows: full months of total exports (thousand USD -> USD bn)."""
    rows = []
    for o in obs:
        period = f"{o.time[:4]}-{o.time[4:6]}"
        rows.append({
            "period": period, "series": "total", "value": f"{o.value / 1e6:.3f}", "unit": "usd_bn",
            "coverage": "month", "quality": "official",
            "source": f"Korea Customs Service export value (customs clearance), via Bank of Korea ECOS "
                      f"{EXPORTS.stat_code} item {EXPORTS.item_code}, fetched {fetched.isoformat()}",
            "source_url": ECOS_SITE,
            "method": f"ECOS {EXPORTS.stat_code}/{EXPORTS.cycle}/{EXPORTS.item_code}: {o.value:,.0f} thousand USD",
        })
    return rows


# ---------------------------------------------------------------------------- data/market.csv

MARKET_FILE = "market.csv"
MARKET_COLUMNS = ("period", "series", "value", "unit", "quality", "source", "source_url", "method")
# series -> unit. The monthly series have a period YYYY-MM; a *_latest series holds the latest close found, one
# row, its period the day YYYY-MM-DD (a close taken when the market is past the latest month's end).
MARKET_SERIES = {"krw_per_usd_avg_m": "krw_per_usd", "kospi_close_m": "index",
                 "krw_per_usd_close_latest": "krw_per_usd", "kospi_close_latest": "index"}
DAILY_SERIES = ("krw_per_usd_close_latest", "kospi_close_latest")
MARKET_QUALITIES = ("official", "transcribed", "secondary", "derived")
_DAY = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])", re.ASCII)
MARKET_MAX = 1e6  # the won per dollar and the KOSPI are both far below it


def market_row(period: str, series: str, value: float, quality: str, source: str, method: str) -> dict[str, str]:
    """One market.csv row as text."""
    return {"period": period, "series": series, "value": f"{value:.2f}", "unit": MARKET_SERIES[series],
            "quality": quality, "source": source, "source_url": ECOS_SITE, "method": method}


@dataclass(frozen=True)
class MarketRow:
    """One validated row of market.csv; ``line`` is its line in the file (header = 1)."""

    period: str
    series: str
    value: float
    unit: str
    quality: str
    source: str
    source_url: str
    method: str
    line: int


@dataclass(frozen=True)
class Market:
    """Monthly market figures (KRW/USD, KOSPI); empty when data/market.csv does not exist yet."""

    rows: tuple[MarketRow, ...] = ()

    def series(self, name: str) -> dict[str, float]:
        """One series by period, in order."""
        return dict(sorted((r.period, r.value) for r in self.rows if r.series == name))

    def latest(self, name: str | None = None) -> str | None:
        """The latest period of one series (or of any monthly one), None if there is none."""
        periods = [r.period for r in self.rows if (name is None and r.series not in DAILY_SERIES) or r.series == name]
        return max(periods) if periods else None


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _index(period: str) -> int:
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def _fail(line: int, text: str) -> BaselineError:
    return BaselineError(f"{MARKET_FILE}, row {line}: {text}")


def load_market(data_dir: Path, today: datetime.date | None = None) -> Market:
    """Read and validate data/market.csv (a missing file is an empty Market).

    Same rules as monthly.csv: every column present, a period YYYY-MM that is over by ``today``,
    a known series with its unit, a finite value > 0, a known quality, a source and a web address,
    a method for derived values, no duplicate (period, series) and no month missing inside a series.
    """
    path = Path(data_dir) / MARKET_FILE
    if not path.exists():
        return Market()
    today = today or datetime.date.today()
    now = today.year * 12 + today.month - 1
    rows: list[MarketRow] = []
    seen: dict[tuple[str, str], int] = {}
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = [c for c in MARKET_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise _fail(1, f"missing column(s) {', '.join(missing)}")
        for raw in reader:
            line = reader.line_num
            if None in raw or any(raw.get(c) is None for c in MARKET_COLUMNS):
                raise _fail(line, f"wrong number of fields (expected {len(MARKET_COLUMNS)})")
            rec = {k: (raw[k] or "").strip() for k in MARKET_COLUMNS}
            if rec["series"] not in MARKET_SERIES:
                raise _fail(line, f"series {rec['series']!r} is not one of {', '.join(MARKET_SERIES)}")
            if rec["series"] in DAILY_SERIES:
                if not _DAY.fullmatch(rec["period"]) or not _is_date(rec["period"]):
                    raise _fail(line, f"period {rec['period']!r} is not a day written YYYY-MM-DD")
                if rec["period"] > today.isoformat():
                    raise _fail(line, f"period {rec['period']!r} is after {today.isoformat()}")
            else:
                if not is_month(rec["period"]):
                    raise _fail(line, f"period {rec['period']!r} is not a month written YYYY-MM")
                if _index(rec["period"]) >= now:
                    raise _fail(line, f"period {rec['period']!r} is not over on {today.isoformat()}")
            try:
                value = parse_plain_number(rec["value"])
            except ValueError:
                raise _fail(line, f"value {rec['value'][:30]!r} is not a number written plainly") from None
            if not math.isfinite(value) or not 0 < value <= MARKET_MAX:
                raise _fail(line, f"value {rec['value'][:30]!r} is not a positive number up to {MARKET_MAX:g}")
            if rec["unit"] != MARKET_SERIES[rec["series"]]:
                raise _fail(line, f"unit {rec['unit']!r} is not {MARKET_SERIES[rec['series']]!r}")
            check_sourced(rec, MARKET_QUALITIES, lambda text, line=line: _fail(line, text))
            key = (rec["period"], rec["series"])
            if key in seen:
                raise _fail(line, f"period {rec['period']!r} duplicates row {seen[key]} (series {rec['series']})")
            seen[key] = line
            rows.append(MarketRow(rec["period"], rec["series"], value, rec["unit"], rec["quality"], rec["source"],
                                  rec["source_url"], rec["method"], line))
    for name in DAILY_SERIES:
        extra = [r for r in rows if r.series == name][1:]
        if extra:
            raise _fail(extra[0].line, f"series {name!r} holds one row, the latest close")
    for name in MARKET_SERIES:
        if name in DAILY_SERIES:
            continue
        items = sorted((r for r in rows if r.series == name), key=lambda r: r.period)
        for prev, cur in itertools.pairwise(items):
            if _index(cur.period) - _index(prev.period) > 1:
                raise _fail(cur.line, f"period {cur.period!r} leaves a gap in series {name!r} after {prev.period}")
    return Market(tuple(rows))
