"""Load and validate data/*.csv into one Baseline object.

Every data file is long-form CSV with one source per row. Loading refuses a
broken file with a message naming the file, the row and the problem, so a bad
edit to data/ never reaches a chart.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from scenarios.registry.i18n import DEFAULT_LANG, localize
from scenarios.registry.levers import growth_levers, industry_levers
from scenarios.registry.safety import is_year, parse_plain_number, text_problem, url_problem

# The shipped data folder, data/ beside the package. BIG10_DATA_DIR names another (docs/HOSTING.md): data_folder().
DATA_DIR = (Path(__file__).resolve().parents[2] / "data").resolve()
DATA_DIR_ENV = "BIG10_DATA_DIR"


def data_folder() -> Path:
    """The data folder in use: the one named by BIG10_DATA_DIR if set (read at each call), else data/."""
    named = os.environ.get(DATA_DIR_ENV)
    return Path(named).resolve() if named else DATA_DIR

COLUMNS = ("year", "series", "value", "unit", "basis", "quality", "source", "source_url", "method")
QUALITIES = ("official", "transcribed", "derived", "proxy", "estimate")
BASES = ("goods", "services", "na")
# Order used when an industry sums several components: the weakest quality wins.
QUALITY_RANK = {"official": 0, "transcribed": 1, "derived": 2, "proxy": 3, "estimate": 4, "nowcast": 5, "user": 6}
# The year in progress, made from data/monthly.csv by scenarios/model/present.py (never a row of a data file).
NOWCAST_QUALITY = "nowcast"
TOTAL_SERIES = "total"
EXPORT_UNITS = ("usd_bn",)


FIRST_YEAR, LAST_YEAR = 1950, 2100  # every year of every data file lies in between
MAX_VALUE = 1e9                        # larger than any figure the files hold (KRW tn, USD bn, persons mn)


def check_text_fields(rec: dict[str, str], fail: Callable[[str], Exception]) -> None:
    """A data row's text fields: the address a well-formed http(s) URL, the texts plain (no control bytes).

    They reach the page as plain text or as a link built by code, so a row cannot inject markup.
    """
    problem = url_problem(rec["source_url"]) if rec.get("source_url") else None
    if problem:
        raise fail(f"source_url {rec['source_url'][:80]!r} is refused: {localize(problem, DEFAULT_LANG)}")
    for name in ("source", "method", "note"):
        problem = text_problem(rec.get(name) or "")
        if problem:
            raise fail(f"{name} is refused: {localize(problem, DEFAULT_LANG)}")


class BaselineError(ValueError):
    """A data file is broken; the message names the file, the row and the problem."""


@dataclass(frozen=True)
class Row:
    """One validated CSV row."""

    year: int
    series: str
    value: float
    unit: str
    basis: str
    quality: str
    source: str
    source_url: str
    method: str
    line: int


def read_long_csv(
    path: Path,
    *,
    allowed_series: set[str] | None = None,
    allowed_units: tuple[str, ...] | None = None,
    allow_negative: bool = False,
) -> list[Row]:
    """Read and validate one long-form data file; raise BaselineError on the first problem."""
    name = path.name
    if not path.exists():
        raise BaselineError(f"{name}: file not found")
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header = tuple(reader.fieldnames or ())
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise BaselineError(f"{name}: missing column(s) {', '.join(missing)}")
        rows: list[Row] = []
        seen: dict[tuple[int, str], int] = {}
        for raw in reader:
            line = reader.line_num
            where = f"{name}, line {line}"
            if None in raw or any(raw.get(c) is None for c in COLUMNS):
                raise BaselineError(f"{where}: wrong number of fields")
            rec = {k: (raw[k] or "").strip() for k in COLUMNS}
            if not is_year(rec["year"]) or not FIRST_YEAR <= int(rec["year"]) <= LAST_YEAR:
                raise BaselineError(f"{where}: year {rec['year'][:20]!r} is not a year written YYYY "
                                    f"({FIRST_YEAR}-{LAST_YEAR})")
            year = int(rec["year"])
            try:
                value = parse_plain_number(rec["value"])
            except ValueError:
                raise BaselineError(f"{where}: value {rec['value'][:30]!r} is not a number written plainly") from None
            if not math.isfinite(value) or abs(value) > MAX_VALUE:
                raise BaselineError(f"{where}: value {rec['value'][:30]!r} is not a finite number up to {MAX_VALUE:g}")
            if value < 0 and not allow_negative:
                raise BaselineError(f"{where}: value {value} is negative")
            series = rec["series"]
            if not series:
                raise BaselineError(f"{where}: series is empty")
            if allowed_series is not None and series not in allowed_series:
                raise BaselineError(f"{where}: unknown series {series!r}")
            if allowed_units is not None and rec["unit"] not in allowed_units:
                raise BaselineError(
                    f"{where}: unit {rec['unit']!r} is not one of {', '.join(allowed_units)}"
                )
            if rec["basis"] not in BASES:
                raise BaselineError(f"{where}: basis {rec['basis']!r} is not one of {', '.join(BASES)}")
            if rec["quality"] not in QUALITIES:
                raise BaselineError(
                    f"{where}: quality {rec['quality']!r} is not one of {', '.join(QUALITIES)}"
                )
            if not rec["source"] or not rec["source_url"]:
                raise BaselineError(f"{where}: missing source or source_url")
            check_text_fields(rec, lambda text, where=where: BaselineError(f"{where}: {text}"))
            if rec["quality"] in ("derived", "estimate") and not rec["method"]:
                raise BaselineError(f"{where}: a {rec['quality']} value needs its method stated")
            key = (year, series)
            if key in seen:
                raise BaselineError(f"{where}: duplicate of line {seen[key]} ({series}, {year})")
            seen[key] = line
            rows.append(Row(year, series, value, rec["unit"], rec["basis"], rec["quality"],
                            rec["source"], rec["source_url"], rec["method"], line))
    if not rows:
        raise BaselineError(f"{name}: no data rows")
    return rows


@dataclass(frozen=True)
class Baseline:
    """Export baseline: component series by year, mapped onto the Big 10 industries and `rest`."""

    rows: dict[str, dict[int, Row]]
    series_ids: tuple[str, ...]  # Big 10 ids then "rest"
    services_mask: np.ndarray = field(repr=False)  # True where the series is services basis
    bases: dict[int, np.ndarray] = field(default_factory=dict, repr=False)  # filled by load_baseline

    # ---------------------------------------------------------------- lookups
    def total(self, year: int) -> float | None:
        """Actual total goods exports (MOTIE preliminary) in USD bn, or None."""
        row = self.rows[TOTAL_SERIES].get(year)
        return row.value if row else None

    def actual_totals(self) -> dict[int, float]:
        """Every actual total by year (a nowcast of the year in progress is not an actual)."""
        return {y: r.value for y, r in sorted(self.rows[TOTAL_SERIES].items()) if r.quality != NOWCAST_QUALITY}

    def is_nowcast(self, year: int) -> bool:
        """Whether a year's total is the nowcast of the year in progress."""
        row = self.rows[TOTAL_SERIES].get(year)
        return row is not None and row.quality == NOWCAST_QUALITY

    def industry_rows(self, industry_id: str, year: int) -> list[Row] | None:
        """The component rows that make up one industry in one year, or None if any is missing."""
        out = [self.rows[c].get(year) for c in _industry_components()[industry_id]]
        return None if any(r is None for r in out) else out  # type: ignore[return-value]

    def industry_value(self, industry_id: str, year: int) -> float | None:
        """An industry's exports in one year (sum of its components), or None."""
        rows = self.industry_rows(industry_id, year)
        return None if rows is None else float(sum(r.value for r in rows))

    def industry_quality(self, industry_id: str, year: int) -> str | None:
        """The weakest quality among an industry's components in one year."""
        rows = self.industry_rows(industry_id, year)
        if rows is None:
            return None
        return max((r.quality for r in rows), key=QUALITY_RANK.__getitem__)

    def rest_value(self, year: int) -> float | None:
        """Total goods exports minus the goods-basis industries, or None."""
        total = self.total(year)
        values = [self.industry_value(lv.id, year) for lv in industry_levers() if lv.basis == "goods"]
        if total is None or any(v is None for v in values):
            return None
        return total - float(sum(values))  # type: ignore[arg-type]

    def _complete_vector(self, year: int) -> np.ndarray | None:
        values = [self.industry_value(lv.id, year) for lv in industry_levers()]
        values.append(self.rest_value(year))
        if any(v is None for v in values) or values[-1] <= 0:  # type: ignore[operator]
            return None
        return np.asarray(values, dtype=float)

    def base_years(self) -> tuple[int, ...]:
        """Years with a complete baseline: a total and a value for every industry."""
        return tuple(sorted(self.bases))

    def base_vector(self, year: int) -> np.ndarray:
        """Base values in USD bn aligned with series_ids (industries then rest); do not mutate."""
        vec = self.bases.get(year)
        if vec is None:
            raise BaselineError(f"no complete baseline for {year}; choose one of {self.base_years()}")
        return vec

    def history(self, series_id: str) -> dict[int, tuple[float, str]]:
        """Every year's (value, quality) of one industry or `rest`."""
        years = sorted({y for c in self.rows.values() for y in c})
        out: dict[int, tuple[float, str]] = {}
        for y in years:
            if series_id == "rest":  # total minus the industries: as weak as the weakest of them
                v = self.rest_value(y)
                inputs = [self.industry_quality(lv.id, y) for lv in industry_levers() if lv.basis == "goods"]
                q = None if v is None else max(("derived", *inputs), key=QUALITY_RANK.__getitem__)
            else:
                v, q = self.industry_value(series_id, y), self.industry_quality(series_id, y)
            if v is not None and q is not None:
                out[y] = (v, q)
        return out

    def trend(self, series_id: str, start: int = 2017, end: int = 2025) -> tuple[float, int, int] | None:
        """Compound annual growth (percent) over the widest window inside [start, end].

        Years whose value is an estimate (a carried or interpolated fill) are
        skipped, so a fill never flattens a trend. Returns (pct, first, last).
        """
        # `rest` is a residual of the published total: its small estimated parts do not fake its growth
        points = {y: v for y, (v, q) in self.history(series_id).items()
                  if start <= y <= end and (q != "estimate" or series_id == "rest") and v > 0}
        if len(points) < 2:
            return None
        y0, y1 = min(points), max(points)
        pct = ((points[y1] / points[y0]) ** (1.0 / (y1 - y0)) - 1.0) * 100.0
        return pct, y0, y1

    def cagr_total(self, start: int, end: int) -> float:
        """Compound annual growth of actual total exports between two years, in percent."""
        a, b = self.total(start), self.total(end)
        if a is None or b is None:
            raise BaselineError(f"no actual total for {start} or {end}")
        return ((b / a) ** (1.0 / (end - start)) - 1.0) * 100.0


def export_series_names() -> set[str]:
    """Series names allowed in exports.csv: the total and every industry component."""
    names = {TOTAL_SERIES}
    for lev in industry_levers():
        names.update(lev.components)
    return names


def load_baseline(data_dir: Path) -> Baseline:
    """Read data/exports.csv, validate it and build the Baseline."""
    path = Path(data_dir) / "exports.csv"
    rows = read_long_csv(path, allowed_series=export_series_names(), allowed_units=EXPORT_UNITS)
    by_series: dict[str, dict[int, Row]] = {name: {} for name in export_series_names()}
    for r in rows:
        by_series[r.series][r.year] = r
    for lev in industry_levers():
        for comp in lev.components:
            bases = {r.basis for r in by_series[comp].values()}
            if bases and bases != {lev.basis}:
                bad = next(r for r in by_series[comp].values() if r.basis != lev.basis)
                raise BaselineError(
                    f"{path.name}, line {bad.line}: basis {bad.basis!r} but {lev.id} is {lev.basis!r}"
                )
    ids = tuple(lev.id for lev in growth_levers())
    services = np.array([lev.basis == "services" for lev in growth_levers()])
    baseline = Baseline(rows=by_series, series_ids=ids, services_mask=services)
    for year in sorted(by_series[TOTAL_SERIES]):
        vec = baseline._complete_vector(year)
        if vec is not None:
            vec.setflags(write=False)
            baseline.bases[year] = vec
    if not baseline.base_years():
        raise BaselineError(f"{path.name}: no year has a complete baseline")
    return baseline


# ---------------------------------------------------------------------------
# Macro and peer data for the 5/5/5 links

MACRO_UNITS = ("usd_bn", "krw_tn", "usd", "krw_mn", "pct", "krw_per_usd", "mn_persons", "index", "ratio")
# Series the 5/5/5 model reads; each base year needs all but the projection.
MACRO_REQUIRED = ("gdp_nominal_usd_bn", "gni_per_capita_usd", "population_mn", "kospi_close_end")
MACRO_SERIES = frozenset({
    *MACRO_REQUIRED, "population_proj_mn", "gdp_nominal_krw_tn", "gni_gdp_ratio", "gni_per_capita_krw_mn",
    "krw_per_usd_avg", "krw_per_usd_avg_ytd", "krw_per_usd_end", "real_gdp_growth_pct", "gdp_deflator_growth_pct",
    "export_domestic_va_share_pct", "bok_export_va_inducement_coef", "kita_export_va_ratio_pct",
    "kita_export_va_ratio_pct_rev2025", "kospi_close_back_above_3000", "kospi_close_latest_seen",
    "kospi_close_end_kis", "gni_per_capita_krw_mn_wdi", "krw_per_usd_avg_wdi", "gdp_nominal_krw_tn_wdi",
    "kospi_close_lee_inauguration", "kospi_first_close_above_3000",
    "kospi_first_close_above_3500",
    "kospi_first_close_above_4000", "kospi_first_close_above_4500", "kospi_first_close_above_5000",
    "kospi_first_close_above_5500", "kospi_first_close_above_6000", "kospi_first_close_above_7000",
    "kospi_first_close_above_8000", "kospi_first_close_above_9000", "kospi_first_intraday_above_5000",
    "kospi_record_close", "kospi_record_close_2025", "kospi_forward_pe_jan", "kospi_forward_pe_siblis_yearend",
    "kospi_trailing_pe_siblis_yearend", "msci_em_forward_pe_siblis_yearend", "msci_em_trailing_pe_siblis_yearend",
    "kospi_pb_krx_jan", "kospi_pb_krx_may", "kospi_trailing_pe_krx_may", "kospi200_pb_krx_may",
    "kospi200_pe_krx_may", "msci_dm_pb_krx_may", "msci_dm_pe_krx_may", "msci_em_pb_krx_may", "msci_em_pe_krx_may",
})


@dataclass(frozen=True)
class Peer:
    """One economy Korea is ranked against, with its sourced WEO values and growth rule."""

    iso3: str
    values: dict[int, float]   # WEO Oct 2025 nominal GDP, USD bn
    growth_pct: float          # default nominal USD growth, percent per year
    growth_rule: dict          # how growth_pct was read (for the methodology)


@dataclass(frozen=True)
class MacroBaseline:
    """Macro series by name and year, plus the peer economies."""

    rows: dict[str, dict[int, Row]]
    peers: tuple[Peer, ...]
    peer_anchor_year: int
    peer_known_year: int
    korea_imf: dict[int, float] = field(default_factory=dict)  # Korea's own WEO values (for the IMF's rank)

    def value(self, series: str, year: int) -> float | None:
        """One value, or None if the data has none."""
        row = self.rows.get(series, {}).get(year)
        return row.value if row else None

    def series(self, series: str) -> dict[int, float]:
        """Every year's value of one series."""
        return {y: r.value for y, r in sorted(self.rows.get(series, {}).items())}

    def row(self, series: str, year: int) -> Row | None:
        """The full row (source, quality, method) behind one value."""
        return self.rows.get(series, {}).get(year)

    def base_years(self) -> tuple[int, ...]:
        """Years with every value the 5/5/5 links need at the base year."""
        years = set.intersection(*(set(self.rows[s]) for s in MACRO_REQUIRED))
        return tuple(sorted(years))


def _cagr_pct(values: dict[int, float], start: int, end: int, where: str) -> float:
    if start not in values or end not in values or end <= start:
        raise BaselineError(f"{where}: needs values for {start} and {end}")
    return ((values[end] / values[start]) ** (1.0 / (end - start)) - 1.0) * 100.0


def load_macro(data_dir: Path) -> MacroBaseline:
    """Read data/macro.csv, data/peers.csv and data/peers.toml, validated."""
    import tomllib

    data_dir = Path(data_dir)
    macro_rows = read_long_csv(data_dir / "macro.csv", allowed_series=set(MACRO_SERIES), allowed_units=MACRO_UNITS)
    rows: dict[str, dict[int, Row]] = {}
    for r in macro_rows:
        rows.setdefault(r.series, {})[r.year] = r
    for name in (*MACRO_REQUIRED, "population_proj_mn"):
        if name not in rows:
            raise BaselineError(f"macro.csv: series {name!r} is missing")

    cfg_path = data_dir / "peers.toml"
    if not cfg_path.exists():
        raise BaselineError("peers.toml: file not found")
    with open(cfg_path, "rb") as f:
        try:
            cfg = tomllib.load(f)
        except tomllib.TOMLDecodeError as exc:
            raise BaselineError(f"peers.toml: not valid TOML ({exc})") from None
    isos = [p["iso3"] for p in cfg["peer"]]
    allowed = {name for iso in [*isos, "KOR"] for name in (f"gdp_usd_bn_{iso}", f"gdp_usd_bn_{iso}_weo_apr2025")}
    peer_rows = read_long_csv(data_dir / "peers.csv", allowed_series=allowed, allowed_units=("usd_bn",))
    by_series: dict[str, dict[int, float]] = {}
    for r in peer_rows:
        by_series.setdefault(r.series, {})[r.year] = r.value

    anchor, known = int(cfg["anchor_year"]), int(cfg["known_year"])
    cagr: dict[str, float] = {}
    for p in cfg["peer"]:
        rule = p["growth"]
        if rule.get("method") == "cagr":
            where = f"peers.toml, peer {p['iso3']}"
            cagr[p["iso3"]] = _cagr_pct(by_series.get(rule["series"], {}), rule["start"], rule["end"], where)
        elif rule.get("method") != "median":
            raise BaselineError(f"peers.toml, peer {p['iso3']}: growth.method must be 'cagr' or 'median'")
    group_of = {p["iso3"]: p.get("group", "all") for p in cfg["peer"]}
    medians = {g: float(np.median([v for iso, v in cagr.items() if group_of[iso] == g]))
               for g in set(group_of.values()) if any(group_of[iso] == g for iso in cagr)}
    peers = []
    for p in cfg["peer"]:
        values = by_series.get(f"gdp_usd_bn_{p['iso3']}", {})
        if anchor not in values or known not in values:
            raise BaselineError(f"peers.csv: gdp_usd_bn_{p['iso3']} needs values for {known} and {anchor}")
        group = group_of[p["iso3"]]
        if p["iso3"] not in cagr and group not in medians:
            raise BaselineError(f"peers.toml, peer {p['iso3']}: no peer of group {group!r} has a 'cagr' rule")
        rule = {**p["growth"], "group": group}
        peers.append(Peer(p["iso3"], values, cagr.get(p["iso3"], medians.get(group, 0.0)), rule))
    korea = by_series.get("gdp_usd_bn_KOR", {})
    if anchor not in korea:
        raise BaselineError(f"peers.csv: gdp_usd_bn_KOR needs a value for {anchor}")
    return MacroBaseline(rows=rows, peers=tuple(peers), peer_anchor_year=anchor, peer_known_year=known,
                         korea_imf=dict(korea))


@cache
def _industry_components() -> dict[str, tuple[str, ...]]:
    """Each Big 10 industry's component series, by industry id (looked up thousands of times a first run)."""
    return {lev.id: tuple(lev.components) for lev in industry_levers()}


# ---------------------------------------------------------------------------
# Published forecasts (the backtest's yardstick)

FORECAST_SERIES = (
    "kita_exports_forecast", "kita_exports_forecast_growth_pct", "kdi_exports_forecast_bop",
    "kdi_exports_forecast_bop_growth_pct", "kiet_exports_forecast_h2", "kiet_exports_forecast_h2_growth_pct",
    "bok_real_goods_exports_growth_forecast_pct", "bok_gdp_growth_forecast_pct", "kdi_gdp_growth_forecast_pct",
)
FORECAST_UNITS = ("usd_bn", "pct")


def load_forecasts(data_dir: Path) -> dict[str, dict[int, float]]:
    """data/forecasts.csv (validated like every data file): {series: {target year: value}}."""
    rows = read_long_csv(Path(data_dir) / "forecasts.csv", allowed_series=set(FORECAST_SERIES),
                         allowed_units=FORECAST_UNITS, allow_negative=True)
    out: dict[str, dict[int, float]] = {s: {} for s in FORECAST_SERIES}
    for r in rows:
        out[r.series][r.year] = r.value
    return out
