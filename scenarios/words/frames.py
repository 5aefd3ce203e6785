"""The tables behind every chart: pure numpy/pandas (no Altair), built on every rerun.

Each chart has one table with a `kind` column; the chart specs filter on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scenarios.data.monthly import STRONG_QUALITIES
from scenarios.model.projection import Projection
from scenarios.registry.i18n import t

KIND_AREA = "area"
KIND_UNCOUNTED = "uncounted"
KIND_TOTAL = "total"
KIND_ACTUAL = "actual"
KIND_PLEDGE = "pledge_path"    # the 2022 pledge's path: 2021's actual growing 7.8 % a year to 2027
KIND_NEEDED = "needed_path"    # the path the target year's USD 1 trn needs from the base year (uniform growth)
KIND_REFERENCE = "reference"
REFERENCE_COLOUR = "#0077BB"


def exports_frame(proj: Projection, labels: dict[str, str], actual: dict[int, float],
                  total_label: str, actual_label: str, reference_total: np.ndarray | None = None,
                  reference_label: str = "", bands: dict[float, np.ndarray] | None = None,
                  band_label: str = "", history_from: int | None = None,
                  paths: dict[str, tuple[str, list[tuple[int, float]]]] | None = None) -> pd.DataFrame:
    """One tidy table behind the exports chart: year, series, value, kind, order.

    Rows: each series' path (kind 'area' if counted in the total, else
    'uncounted'), the scenario total, actual totals from history_from (else the
    base year) on, a reference scenario's total when one is compared, and the
    extra paths given ({kind: (label, [(year, value)])}: the pledge's path, the
    path the target needs).
    """
    n_series, n_years = proj.values.shape
    first, last = int(proj.years[0]), int(proj.years[-1])
    start = first if history_from is None else min(first, int(history_from))
    act = {y: v for y, v in actual.items() if start <= y <= last}
    # Each part's columns, put into one DataFrame at the end: a DataFrame per part and their concat cost
    # pandas several times the work (about 5 ms of every slider move); rows, values and types are the same.
    parts = [_Part(np.tile(proj.years, n_series), [labels[s] for s in proj.series_ids for _ in range(n_years)],
                   proj.values.ravel(), np.repeat(np.where(proj.counted, KIND_AREA, KIND_UNCOUNTED), n_years),
                   np.repeat(np.arange(n_series), n_years)),
             _Part.of(proj.years, total_label, proj.total, KIND_TOTAL, n_series),
             _Part.of(list(act), actual_label, list(act.values()), KIND_ACTUAL, n_series + 1)]
    if reference_total is not None:
        parts.append(_Part.of(proj.years, reference_label, reference_total, KIND_REFERENCE, n_series + 2))
    band = band_columns(proj.years, bands)
    if band is not None:
        year, value, lo, hi, kind = band
        parts.append(_Part(year, [band_label] * len(year), value, kind, np.full(len(year), n_series + 3), lo, hi))
    for k, (kind, (label, points)) in enumerate((paths or {}).items()):
        parts.append(_Part.of([y for y, _ in points], label, [v for _, v in points], kind, n_series + 4 + k))
    parts = [p for p in parts if len(p.year)]
    columns = {"year": np.concatenate([np.asarray(p.year, dtype=np.int64) for p in parts]),
               "series": [x for p in parts for x in p.series],
               "value": np.concatenate([np.asarray(p.value, dtype=float) for p in parts]),
               "kind": [str(x) for p in parts for x in p.kind],
               "order": np.concatenate([np.asarray(p.order, dtype=np.int64) for p in parts])}
    if band is not None:  # the fan's ranges; no range on any other row
        columns["lo"] = np.concatenate([p.lo if p.lo is not None else np.full(len(p.year), np.nan) for p in parts])
        columns["hi"] = np.concatenate([p.hi if p.hi is not None else np.full(len(p.year), np.nan) for p in parts])
    frame = pd.DataFrame(columns)
    for col in ("lo", "hi"):
        frame[col] = frame[col].round(3) if col in frame else np.nan
    frame["year"] = frame["year"].astype(int)
    frame["value"] = frame["value"].round(3)
    return frame


@dataclass(frozen=True)
class _Part:
    """The columns of one kind of row in exports_frame."""

    year: Sequence[int]
    series: Sequence[str]
    value: Sequence[float]
    kind: Sequence[str]
    order: Sequence[int]
    lo: np.ndarray | None = None
    hi: np.ndarray | None = None

    @classmethod
    def of(cls, year: Sequence[int], series: str, value: Sequence[float], kind: str, order: int) -> _Part:
        """Rows of one series name, kind and drawing order."""
        n = len(year)
        return cls(year, [series] * n, value, [kind] * n, [order] * n)


KIND_BAND90 = "band90"
KIND_BAND50 = "band50"
KIND_MEDIAN = "median"


def band_columns(years: np.ndarray, bands: dict[float, np.ndarray] | None) -> tuple[np.ndarray, ...] | None:
    """Fan-chart columns from simulated quantiles: year, value (the median), lo, hi (p10-p90, p25-p75), kind."""
    if not bands:
        return None
    n = len(years)
    return (np.tile(years, 3), np.concatenate([np.full(n, np.nan), np.full(n, np.nan), bands[0.5]]),
            np.concatenate([bands[0.1], bands[0.25], np.full(n, np.nan)]),
            np.concatenate([bands[0.9], bands[0.75], np.full(n, np.nan)]),
            np.repeat([KIND_BAND90, KIND_BAND50, KIND_MEDIAN], n))


def band_rows(years: np.ndarray, bands: dict[float, np.ndarray] | None, label: str) -> pd.DataFrame:
    """Fan-chart rows from simulated quantiles: p10-p90 and p25-p75 ranges (lo, hi) and the median (value)."""
    band = band_columns(years, bands)
    if band is None:
        return pd.DataFrame()
    year, value, lo, hi, kind = band
    return pd.DataFrame({"year": year, "series": label, "value": value, "lo": lo, "hi": hi, "kind": kind})


def exports_frame_columns() -> pd.DataFrame:
    """An empty table with exports_frame's columns and types (to build the spec once)."""
    return pd.DataFrame({"year": pd.Series(dtype=int), "series": pd.Series(dtype=str),
                         "value": pd.Series(dtype=float), "kind": pd.Series(dtype=str),
                         "order": pd.Series(dtype=int), "lo": pd.Series(dtype=float),
                         "hi": pd.Series(dtype=float)})


KIND_SCENARIO = "scenario"
KIND_TARGET = "target"
KIND_EVENT = "event"


def vision_frame_columns() -> pd.DataFrame:
    """An empty table with the columns of a 5/5/5 chart (to build its spec once)."""
    return pd.DataFrame({"year": pd.Series(dtype=int), "series": pd.Series(dtype=str),
                         "value": pd.Series(dtype=float), "kind": pd.Series(dtype=str),
                         "note": pd.Series(dtype=str), "lo": pd.Series(dtype=float), "hi": pd.Series(dtype=float)})


def vision_frame(years: np.ndarray, path: np.ndarray, target: np.ndarray | float,
                 actual: dict[int, float], labels: dict[str, str],
                 events: list[tuple[int, float, str]] = (), reference: np.ndarray | None = None,
                 bands: dict[float, np.ndarray] | None = None) -> pd.DataFrame:
    """One 5/5/5 chart's table: the scenario path, its target line, actuals, dated events and a reference path.

    labels: names for 'scenario', 'target', 'actual' and 'reference' in the user's language.
    """
    first, last = int(years[0]), int(years[-1])
    n = len(years)
    act_years = [y for y in actual if first <= y <= last]
    ev = [e for e in events if first <= e[0] <= last]
    ref = np.asarray(reference, dtype=float) if reference is not None else np.empty(0)
    n_ref = len(ref)
    frame = pd.DataFrame({
        "year": np.concatenate([years, years, act_years, [e[0] for e in ev], years[:n_ref]]).astype(int),
        "series": ([labels["scenario"]] * n + [labels["target"]] * n + [labels["actual"]] * (len(act_years) + len(ev))
                   + [labels.get("reference", "")] * n_ref),
        "value": np.round(np.concatenate([path, np.broadcast_to(np.asarray(target, dtype=float), years.shape),
                                          [actual[y] for y in act_years], [e[1] for e in ev], ref]).astype(float), 2),
        "kind": ([KIND_SCENARIO] * n + [KIND_TARGET] * n + [KIND_ACTUAL] * len(act_years) + [KIND_EVENT] * len(ev)
                 + [KIND_REFERENCE] * n_ref),
        "note": [""] * (2 * n + len(act_years)) + [e[2] for e in ev] + [""] * n_ref,
    })
    fan = band_rows(years, bands, labels["scenario"])
    frame = pd.concat([frame, fan.assign(note="")], ignore_index=True) if len(fan) else frame
    for col in ("lo", "hi"):
        frame[col] = frame[col].round(2) if col in frame else np.nan
    return frame


def rank_frame(years: np.ndarray, korea_gdp: np.ndarray, peer_gdp: np.ndarray, korea_label: str,
               peer_labels: list[str], actual_rank: dict[int, int], reference_rank: np.ndarray | None = None,
               reference_label: str = "", bands: dict[float, np.ndarray] | None = None,
               actual_label: str = "") -> pd.DataFrame:
    """Every economy's GDP rank by year (1 = largest), Korea flagged, plus sourced IMF ranks for Korea."""
    gdp = np.vstack([korea_gdp[None, :], peer_gdp])
    order = np.argsort(-gdp, axis=0, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, gdp.shape[0] + 1)[:, None].repeat(gdp.shape[1], axis=1), axis=0)
    ranks[0] = 1 + (peer_gdp > korea_gdp[None, :]).sum(axis=0)  # Korea's rank, ties in its favour
    names = [korea_label, *peer_labels]
    n_years = len(years)
    frame = pd.DataFrame({
        "year": np.tile(years, len(names)),
        "economy": np.repeat(names, n_years),
        "rank": ranks.ravel(),
        "gdp": gdp.ravel().round(1),
        "kind": np.repeat(["korea", *(["peer"] * len(peer_labels))], n_years),
    })
    first, last = int(years[0]), int(years[-1])
    act = {y: r for y, r in actual_rank.items() if first <= y <= last}
    extra = []
    if act:
        extra.append(pd.DataFrame({"year": list(act), "economy": actual_label or korea_label,
                                   "rank": list(act.values()),
                                   "gdp": np.nan, "kind": KIND_ACTUAL}))
    if reference_rank is not None:
        extra.append(pd.DataFrame({"year": years, "economy": reference_label, "rank": reference_rank,
                                   "gdp": np.nan, "kind": KIND_REFERENCE}))
    fan = band_rows(years, bands, korea_label)
    if len(fan):
        extra.append(fan.rename(columns={"series": "economy", "value": "rank"}).assign(gdp=np.nan))
    if extra:
        frame = pd.concat([frame, *extra], ignore_index=True)
    frame["year"] = frame["year"].astype(int)
    for col in ("lo", "hi"):
        if col not in frame:
            frame[col] = np.nan
    return frame


def rank_frame_columns() -> pd.DataFrame:
    """An empty table with rank_frame's columns (to build the spec once)."""
    return pd.DataFrame({"year": pd.Series(dtype=int), "economy": pd.Series(dtype=str),
                         "rank": pd.Series(dtype=int), "gdp": pd.Series(dtype=float), "kind": pd.Series(dtype=str),
                         "lo": pd.Series(dtype=float), "hi": pd.Series(dtype=float)})




KIND_STRONG = "strong"
KIND_WEAK = "weak"
KIND_NOWCAST = "nowcast"
KIND_PRIOR = "prior"
KIND_MISSING = "missing"   # a month that is over but missing from the data: estimated, drawn as missing
KIND_CROSSING = "crossing"
KIND_TARGET_LINE = "target_line"


def monthly_frame(months: list[tuple[str, float, str]], projected: list[tuple[str, float]],
                  labels: dict[str, str], record_note: str, missing: tuple[str, ...] = ()) -> pd.DataFrame:
    """The monthly tracker chart's table: each month (strong or weak source), the nowcast months and a year earlier.

    months: (YYYY-MM, USD bn, quality) in order; projected: (YYYY-MM, USD bn) of the months to
    come; labels: names for 'strong', 'weak', 'nowcast', 'missing' and 'prior'; missing: the months
    among the projected that are already over (their release is missing: estimated, not data). A month
    above every earlier month carries record_note (an event mark), from the second year of data on.
    """
    strong = STRONG_QUALITIES
    values = {p: v for p, v, _ in months}
    rows = []
    best = None
    first_year = months[0][0][:4] if months else ""
    for period, value, quality in months:
        kind = KIND_STRONG if quality in strong else KIND_WEAK
        note = record_note if best is not None and value > best and period[:4] != first_year else ""
        best = value if best is None else max(best, value)
        rows.append((period, labels[kind], value, kind, note))
    for period, value in projected:
        kind = KIND_MISSING if period in missing else KIND_NOWCAST
        rows.append((period, labels[kind], value, kind, ""))
    for period, _, *_ in [*months, *projected]:
        prior = f"{int(period[:4]) - 1}{period[4:]}"
        if prior in values:
            rows.append((period, labels[KIND_PRIOR], values[prior], KIND_PRIOR, ""))
    frame = pd.DataFrame(rows, columns=["month", "series", "value", "kind", "note"])
    frame["value"] = frame["value"].astype(float).round(2)
    return frame


def cumulative_frame(known: tuple[tuple[str, float], ...], projected: tuple[tuple[str, float], ...],
                     previous: tuple[tuple[str, float], ...], crossing_month: str | None, threshold: float,
                     labels: dict[str, str]) -> pd.DataFrame:
    """The year's running total (months known, then the nowcast's) against the year before's and USD 1 trn.

    x is the month number 1-12 so the two years share an axis; the crossing month carries a mark. labels:
    names for 'actual', 'nowcast', 'prior', 'crossing' and 'target_line'.
    """
    rows = []
    for period, value in known:
        rows.append((int(period[5:7]), period, labels["actual"], value, KIND_ACTUAL))
    if known and projected:  # the dashed line starts where the solid one ends
        rows.append((int(known[-1][0][5:7]), known[-1][0], labels["nowcast"], known[-1][1], KIND_NOWCAST))
    for period, value in projected:
        rows.append((int(period[5:7]), period, labels["nowcast"], value, KIND_NOWCAST))
    for period, value in previous:
        rows.append((int(period[5:7]), period, labels["prior"], value, KIND_PRIOR))
    if crossing_month is not None:
        at = dict([*known, *projected]).get(crossing_month)
        if at is not None:
            rows.append((int(crossing_month[5:7]), crossing_month, labels["crossing"], at, KIND_CROSSING))
    for month in (1, 12):
        rows.append((month, "", labels["target_line"], threshold, KIND_TARGET_LINE))
    frame = pd.DataFrame(rows, columns=["month", "period", "series", "value", "kind"])
    frame["value"] = frame["value"].astype(float).round(2)
    return frame


def cumulative_frame_columns() -> pd.DataFrame:
    """An empty table with cumulative_frame's columns (to build the spec once)."""
    return pd.DataFrame({"month": pd.Series(dtype=int), "period": pd.Series(dtype=str),
                         "series": pd.Series(dtype=str), "value": pd.Series(dtype=float),
                         "kind": pd.Series(dtype=str)})


def monthly_frame_columns() -> pd.DataFrame:
    """An empty table with monthly_frame's columns (to build the spec once)."""
    return pd.DataFrame({"month": pd.Series(dtype=str), "series": pd.Series(dtype=str),
                         "value": pd.Series(dtype=float), "kind": pd.Series(dtype=str), "note": pd.Series(dtype=str)})


# The what-it-would-take charts' columns and the waterfall's fixed legend (part of its chart spec).
WATERFALL_COLUMNS = ("order", "kind", "kind_label", "series", "label", "start", "end", "value", "text", "text_x")
KIND_KEYS = {"base": "wit.kind_base", "up": "wit.kind_up", "down": "wit.kind_down", "total": "wit.kind_total",
             "short": "wit.kind_short", "over": "wit.kind_over"}


def waterfall_kinds(lang: str) -> list[str]:
    """The waterfall's colour legend in drawing order (fixed: it is part of the chart spec)."""
    return [t(key, lang) for key in KIND_KEYS.values()]


TORNADO_COLUMNS = ("kind", "panel", "panel_order", "lever_id", "lever", "order", "end", "setting", "base", "result")


# The nowcast record's chart (issue 26): how the year's estimate moved as each month arrived.
RECORD_COLUMNS = ("cut", "month", "p10", "p50", "p90")


def record_frame(rows: list[tuple[int, float, float, float]], month_labels: list[str]) -> pd.DataFrame:
    """One row per month known (cut 1..): the nowcast's p10, p50 and p90 with the data through that month.

    rows: (cut, p10, p50, p90) in order; month_labels: the twelve months' short names (index cut - 1).
    """
    frame = pd.DataFrame([(cut, month_labels[cut - 1], lo, mid, hi) for cut, lo, mid, hi in rows],
                         columns=list(RECORD_COLUMNS))
    for col in ("p10", "p50", "p90"):
        frame[col] = frame[col].astype(float).round(2)
    return frame


def record_frame_columns() -> pd.DataFrame:
    """An empty table with record_frame's columns (to build the spec once)."""
    return pd.DataFrame({"cut": pd.Series(dtype=int), "month": pd.Series(dtype=str), "p10": pd.Series(dtype=float),
                         "p50": pd.Series(dtype=float), "p90": pd.Series(dtype=float)})
