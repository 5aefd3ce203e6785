"""The user's own figures: export values that replace the shipped ones, validated, for one session.

An override is (series, year) -> USD bn for a series of data/exports.csv (an
industry component or `total`). Overridden rows get quality "user" so that
every table and chart can mark them, and they travel in the saved JSON (a
link cannot carry them).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import replace

from scenarios.data.baseline import TOTAL_SERIES, Baseline, Row, export_series_names
from scenarios.registry.i18n import Choices, Message
from scenarios.registry.safety import AmbiguousNumber, parse_plain_number

MAX_CSV_BYTES = 200_000
MAX_ROWS = 500
MAX_VALUE_USD_BN = 5_000.0   # more than seven times Korea's total exports: anything above is a typo
YEARS = (2014, 2025)
USER_QUALITY = "user"

Overrides = dict[tuple[str, int], float]


class OverrideError(ValueError):
    """Refused user data; str() names the row and the field and says what is allowed."""


def check_value(series: str, year: object, value: object, where: str) -> tuple[str, int, float]:
    """Validate one override; raise OverrideError naming `where`, the field and the allowed range."""
    if series not in export_series_names():
        allowed = Choices("series", sorted(export_series_names()))
        raise OverrideError(Message("overrides.bad_series", where=where, value=str(series)[:40], allowed=allowed))
    year_text = str(year).strip()
    if isinstance(year, bool) or not (year_text.isascii() and year_text.isdigit() and len(year_text) <= 6):
        raise OverrideError(Message("overrides.bad_year", where=where, value=year_text[:20], min=YEARS[0],
                                    max=YEARS[1]))
    year_int = int(year_text)
    if not YEARS[0] <= year_int <= YEARS[1]:
        raise OverrideError(Message("overrides.bad_year", where=where, value=year_int, min=YEARS[0], max=YEARS[1]))
    try:
        number = parse_plain_number(value)
    except AmbiguousNumber:
        raise OverrideError(Message("hostile.ambiguous_number", where=where, value=str(value).strip()[:20])) from None
    except ValueError:
        number = float("nan")
    if not math.isfinite(number) or not 0 <= number <= MAX_VALUE_USD_BN:
        raise OverrideError(Message("overrides.bad_value", where=where, value=str(value)[:20],
                              max=f"{MAX_VALUE_USD_BN:,.0f}"))
    return series, year_int, number


def parse_override_csv(data: bytes) -> Overrides:
    """Read an uploaded CSV in data/exports.csv's long form (year, series, value; unit usd_bn if given)."""
    if len(data) > MAX_CSV_BYTES:
        raise OverrideError(Message("overrides.too_big", max=MAX_CSV_BYTES // 1000))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OverrideError(Message("overrides.not_text")) from None
    # newline="": the csv module itself splits rows, so \r\n, \n and old Mac \r line endings all work
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        return _read_rows(reader)
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise OverrideError(Message("hostile.csv_field_too_long", line=reader.reader.line_num,
                                  max=f"{csv.field_size_limit():,}")) from None
        detail = Message("hostile.csv_detail", detail=str(exc)[:80])
        raise OverrideError(Message("hostile.csv_unreadable", line=reader.reader.line_num, problem=detail)) from None


def _read_rows(reader: csv.DictReader) -> Overrides:
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ("year", "series", "value") if c not in header]
    if missing:
        raise OverrideError(Message("overrides.missing_columns", columns=", ".join(missing)))
    out: Overrides = {}
    for i, raw in enumerate(reader, start=2):
        if i - 1 > MAX_ROWS:
            raise OverrideError(Message("overrides.too_many_rows", max=MAX_ROWS))
        rec = {str(k).strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        where = Message("overrides.row", line=reader.line_num)
        unit = rec.get("unit", "usd_bn") or "usd_bn"
        if unit != "usd_bn":
            raise OverrideError(Message("overrides.bad_unit", where=where, value=unit[:20]))
        series, year, value = check_value(rec.get("series", ""), rec.get("year", ""), rec.get("value", ""), where)
        if (series, year) in out:
            raise OverrideError(Message("overrides.duplicate", where=where, series=Choices("series", [series]),
                                        year=year))
        out[(series, year)] = value
    if not out:
        raise OverrideError(Message("overrides.empty"))
    return out


def apply_overrides(base: Baseline, overrides: Overrides) -> Baseline:
    """A copy of the baseline with the user's values in place (quality "user"); the shipped one is untouched."""
    if not overrides:
        return base
    rows = {name: dict(by_year) for name, by_year in base.rows.items()}
    for (series, year), value in overrides.items():
        old = rows[series].get(year)
        rows[series][year] = Row(year, series, float(value), "usd_bn", old.basis if old else _basis(base, series),
                                 USER_QUALITY, "user", "user", "", 0)
    out = replace(base, rows=rows, bases={})
    for year in sorted(rows[TOTAL_SERIES]):
        vec = out._complete_vector(year)
        if vec is not None:
            vec.setflags(write=False)
            out.bases[year] = vec
    return out


def _basis(base: Baseline, series: str) -> str:
    for by_year in (base.rows.get(series) or {}).values():
        return by_year.basis
    return "goods"


def overrides_to_json(overrides: Overrides) -> list[dict]:
    """Overrides as JSON-ready records."""
    return [{"series": s, "year": y, "value": v} for (s, y), v in sorted(overrides.items())]


def overrides_from_json(records: object) -> Overrides:
    """Overrides from a saved scenario's JSON, validated like an upload."""
    if not isinstance(records, list) or len(records) > MAX_ROWS:
        raise OverrideError(Message("overrides.bad_json"))
    out: Overrides = {}
    for i, rec in enumerate(records, start=1):
        if not isinstance(rec, dict):
            raise OverrideError(Message("overrides.bad_json"))
        series, year, value = check_value(str(rec.get("series", "")), rec.get("year", ""), rec.get("value", ""),
                                          Message("overrides.item", n=i))
        out[(series, year)] = value
    return out


def check_complete(base: Baseline, overrides: Overrides) -> None:
    """Refuse overrides that would leave a base year without a complete baseline (e.g. a negative `rest`)."""
    if not overrides:
        return
    lost = sorted(set(base.base_years()) - set(apply_overrides(base, overrides).base_years()))
    if lost:
        raise OverrideError(Message("overrides.base_lost", years=", ".join(str(y) for y in lost)))


def own_figures_table(shipped: Baseline, data: Baseline, base_year: int):
    """The editor's table: every export series, its shipped base-year value and the value in use."""
    import pandas as pd

    series = sorted(export_series_names())
    return pd.DataFrame({
        "series": series,
        "shipped": [shipped.rows[s][base_year].value if base_year in shipped.rows[s] else None for s in series],
        "value": [data.rows[s][base_year].value if base_year in data.rows[s] else None for s in series],
    })
