"""One Dataset: everything read from a data folder, validated once, passed to every computation.

``load_dataset(folder)`` reads the export baseline, the macro and peer data, the monthly series, the
market series, the published forecasts and each file's vintage (from the refresh log), and refuses a
broken folder with a BaselineError naming the file, the row and the problem. Nothing in the engine
reads data any other way: a computation is a function of its arguments and of the Dataset it is given.

What the model derives from a Dataset (the nowcast of the year in progress, the calibration of the
shocks) is memoised on the Dataset itself (``Dataset.derived``), so it lives and dies with the value:
no module keeps data, and a new folder is a new Dataset.
"""

from __future__ import annotations

import datetime
import hashlib
import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from scenarios.data.baseline import (
    Baseline,
    BaselineError,
    MacroBaseline,
    Row,
    data_folder,
    load_baseline,
    load_forecasts,
    load_macro,
)
from scenarios.data.ecos import MARKET_FILE, Market, load_market
from scenarios.data.monthly import Monthly, load_monthly
from scenarios.data.vintages import Vintage, read_log, vintage_of

T = TypeVar("T")
DATA_FILES = ("exports.csv", "macro.csv", "peers.csv", "peers.toml", "monthly.csv", "forecasts.csv", MARKET_FILE)


def folder_version(folder: Path | str) -> str:
    """A key of the folder's content: the SHA-256 of every data file's name and bytes (not their dates)."""
    digest = hashlib.sha256()
    folder = Path(folder)
    for name in DATA_FILES:
        path = folder / name
        digest.update(name.encode())
        try:
            digest.update(path.read_bytes())
        except FileNotFoundError:
            digest.update(b"\0missing")
    return digest.hexdigest()[:16]


@dataclass(frozen=True, eq=False)
class Dataset:
    """Every figure read from one data folder, validated, with each file's vintage.

    Attributes
    ----------
    folder : Path
        Where it was read from.
    version : str
        A key of the files' content (folder_version): the same files give the same version.
    exports : Baseline
        data/exports.csv alone; the year in progress is nowcast from ``monthly`` by the model
        (scenarios.model.present), never written here.
    macro : MacroBaseline
        data/macro.csv, peers.csv and peers.toml.
    monthly : Monthly
        data/monthly.csv.
    market : Market
        data/market.csv (empty when the folder has none).
    forecasts : Mapping
        data/forecasts.csv as {series: {year: value}}.
    vintages : Mapping
        Each data file's vintage, from data/vintages/log.csv.
    today : datetime.date
        The day the months were checked against (a month must be over to be in the data).

    """

    folder: Path
    version: str
    exports: Baseline
    macro: MacroBaseline
    monthly: Monthly
    market: Market
    forecasts: Mapping[str, Mapping[int, float]]
    vintages: Mapping[str, Vintage]
    today: datetime.date
    _derived: dict = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def derived(self, key: Hashable, make: Callable[[], T]) -> T:
        """A value the model derives from this Dataset, computed once per key (thread-safe)."""
        try:
            return self._derived[key]
        except KeyError:
            pass
        value = make()
        with self._lock:
            return self._derived.setdefault(key, value)


def load_dataset(folder: Path | str | None = None, today: datetime.date | None = None) -> Dataset:
    """Read and validate every data file of a folder into one Dataset (BaselineError if one is broken).

    folder: the data folder (None: data_folder(), i.e. BIG10_DATA_DIR if set, else data/); today: the day months
    are checked against (None: the clock).
    """
    folder = Path(folder) if folder is not None else data_folder()
    today = today or datetime.date.today()
    if not folder.is_dir():
        raise BaselineError(f"{folder}: not a data folder")
    version = folder_version(folder)
    log = read_log(folder)
    vintages = {name: v for name in DATA_FILES if (v := vintage_of(name, folder, log)) is not None}
    market = load_market(folder, today)
    return Dataset(folder=folder, version=version, exports=load_baseline(folder),
                   macro=with_won_to_date(load_macro(folder), market), monthly=load_monthly(folder, today),
                   market=market, forecasts=load_forecasts(folder), vintages=vintages, today=today)


WON_TO_DATE = "krw_per_usd_avg_ytd"
WON_LATEST = "krw_per_usd_latest_m"


def with_won_to_date(macro: MacroBaseline, market: Market) -> MacroBaseline:
    """The macro data with the won's average to date for the latest year of market.csv that has no annual one.

    The mean of that year's monthly averages (each the mean of the month's daily base rates), a derived row
    that says which months it covers; the 5/5/5 links of a nowcast base year read it in place of the won
    lever for that year. The annual series stays annual: the calibration never sees a part year.
    """
    months = market.series("krw_per_usd_avg_m")
    if not months:
        return macro
    year = int(max(months)[:4])
    if macro.value("krw_per_usd_avg", year) is not None:
        return macro
    values = [v for p, v in months.items() if p.startswith(f"{year}-")]
    first, last = min(p for p in months if p.startswith(f"{year}-")), max(months)
    row = Row(year, WON_TO_DATE, sum(values) / len(values), "krw_per_usd", "na", "derived",
              "data/market.csv: the won's monthly averages (krw_per_usd_avg_m)", market_source_url(market),
              f"mean of the {len(values)} monthly averages {first} to {last}", 0)
    latest = Row(year, WON_LATEST, months[last], "krw_per_usd", "na", "derived",
                 "data/market.csv: the won's monthly averages (krw_per_usd_avg_m)", market_source_url(market),
                 f"the latest monthly average, {last}", 0)
    rows = {**macro.rows, WON_TO_DATE: {**macro.rows.get(WON_TO_DATE, {}), year: row},
            WON_LATEST: {**macro.rows.get(WON_LATEST, {}), year: latest}}
    return replace(macro, rows=rows)


def market_source_url(market: Market) -> str:
    """The address of the latest won row of market.csv (the derived row's source)."""
    rows = [r for r in market.rows if r.series == "krw_per_usd_avg_m"]
    return max(rows, key=lambda r: r.period).source_url if rows else ""


