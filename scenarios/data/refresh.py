"""`python -m scenarios refresh`: bring new figures into data/, show what they change, lose nothing.

Two sources: ``--import FILE.csv`` (figures read off a release by hand, long form) and ``--ecos``
(the Bank of Korea's ECOS Open API, scenarios.data.ecos). Every refresh

1. reads the new figures and checks each one (a bad row stops everything with one line naming the
   file, the row and the field);
2. merges them into a temporary copy of data/ and loads that copy with the start-up loaders
   (load_baseline, load_monthly, load_macro, load_market, the nowcast of the year in progress);
3. prints what changed: new figures, revised figures (old -> new) and the headline numbers before and
   after (latest month, the year's nowcast p50 and p10-p90, the chance the year reaches USD 1 trn,
   the year USD 1 trn is reached in the default scenario);
4. refuses revisions of figures already in data/ unless ``--accept-revisions`` is given;
5. unless ``--dry-run``: keeps each file it replaces as data/vintages/<file>.<n> (the file's vintage
   number; the shipped file is vintage 1), writes the new file to a temporary file in data/ and
   moves it into place with os.replace, and appends a line to data/vintages/log.csv. Only the newest
   KEEP_VINTAGES copies of each file are kept. The engine never reads data/vintages/.

Any error writes nothing and exits 2 with one line on stderr. This module holds the file side (reading,
checking, merging, writing with vintages); scenarios.words.refresh_report runs the engine on a folder
to show a refresh's effect, and scenarios.cli.refresh is the command line.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import fcntl
import hashlib
import io
import json
import math
import os
import re
import shutil
import tempfile
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from scenarios.data import baseline as baseline_module
from scenarios.data import ecos
from scenarios.data import monthly as monthly_module
from scenarios.data.vintages import FIRST_VINTAGE, LOG_COLUMNS, LOG_FILE, read_log, vintage_dir, vintage_of
from scenarios.registry.i18n import DEFAULT_LANG, fmt_number, t
from scenarios.registry.levers import industry_levers
from scenarios.registry.safety import is_month, is_year, parse_plain_number, strip_controls, text_problem, url_problem

KEEP_VINTAGES = 10

IMPORT_REQUIRED = ("period", "series", "value_usd_bn", "quality", "source_url")
IMPORT_OPTIONAL = ("note", "source", "coverage")
HAND_SOURCE = "Entered by hand from {host} ({file}, {date})"  # an imported row's source if it names none
_LINE_REF = re.compile(r"^(?P<file>[\w.]+\.csv), (?:row|line) (?P<line>\d+): ")


class RefreshError(Exception):
    """A refresh cannot go ahead; the message is one line."""


# ---------------------------------------------------------------------------- the files refresh writes


@dataclass(frozen=True)
class Schema:
    """A data file refresh may write: its columns, the fields that identify a row, and how rows are grouped."""

    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    group: tuple[str, ...]
    order: str

    def key_of(self, row: dict[str, str]) -> tuple[str, ...]:
        """The fields that identify a row."""
        return tuple((row.get(k) or "").strip() for k in self.key)


SCHEMAS = {
    "monthly.csv": Schema("monthly.csv", monthly_module.COLUMNS, ("period", "series", "coverage"),
                          ("series", "coverage"), "period"),
    "exports.csv": Schema("exports.csv", baseline_module.COLUMNS, ("year", "series"), ("series",), "year"),
    ecos.MARKET_FILE: Schema(ecos.MARKET_FILE, ecos.MARKET_COLUMNS, ("period", "series"), ("series",), "period"),
}


@dataclass
class Table:
    """A data file as its header and rows of raw strings (written back byte for byte where untouched)."""

    header: list[str]
    rows: list[dict[str, str]]


def read_table(path: Path, schema: Schema) -> Table:
    """A data file as a Table (an empty one with the schema's columns if the file does not exist)."""
    if not path.exists():
        return Table(list(schema.columns), [])
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return Table(list(reader.fieldnames or schema.columns), [dict(r) for r in reader])


def table_text(table: Table) -> str:
    """A Table as CSV text, written the way the shipped files are (unquoted where possible, LF line ends)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=table.header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: (v if v is not None else "") for k, v in r.items()} for r in table.rows)
    return buf.getvalue()


@dataclass(frozen=True)
class Proposed:
    """A figure to bring in: the row it would be in `file`, and where it came from (for messages)."""

    file: str
    row: dict[str, str]
    origin: str


@dataclass(frozen=True)
class Change:
    """One row that differs: new (old is None), revised, or removed (new is None; only between vintages)."""

    file: str
    key: tuple[str, ...]
    old: dict[str, str] | None
    new: dict[str, str] | None
    origin: str = ""

    @property
    def kind(self) -> str:
        """'new', 'revised' or 'removed'."""
        return "new" if self.old is None else "removed" if self.new is None else "revised"


def _number(text: str | None) -> float | None:
    try:
        return float(text or "")
    except ValueError:
        return None


def changed_fields(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """Every field that differs between two versions of a row (the value compared as a number)."""
    a, b = _number(old.get("value")), _number(new.get("value"))
    same_value = (a == b) if a is None or b is None else math.isclose(a, b, rel_tol=0.0, abs_tol=1e-9)
    fields = [] if same_value else ["value"]
    return fields + [k for k in sorted(set(old) | set(new))
                     if k != "value" and (old.get(k) or "").strip() != (new.get(k) or "").strip()]


def field_changes(changes: list[Change]) -> list[tuple[str, str, str, str]]:
    """(row, field, old, new) of every revised field other than the value and the quality (data text)."""
    return [(_what(c), name, c.old.get(name, ""), c.new.get(name, "")) for c in changes
            if c.kind == "revised" and c.old is not None and c.new is not None
            for name in changed_fields(c.old, c.new) if name not in ("value", "quality")]


def differs(old: dict[str, str], new: dict[str, str]) -> bool:
    """A revision: any field of the row changed (the value, its quality, its source, its address or its note)."""
    return bool(changed_fields(old, new))


def diff_tables(schema: Schema, old: Table, new: Table) -> list[Change]:
    """Rows new, revised or removed from one version of a file to another."""
    before = {schema.key_of(r): r for r in old.rows}
    after = {schema.key_of(r): r for r in new.rows}
    out = [Change(schema.name, k, before.get(k), r) for k, r in after.items()
           if k not in before or differs(before[k], r)]
    out += [Change(schema.name, k, r, None) for k, r in before.items() if k not in after]
    return out


def merge(schema: Schema, table: Table, proposals: list[Proposed],
          lang: str = DEFAULT_LANG) -> tuple[Table, list[Change], int, dict[int, str]]:
    """The file with the proposals in: revisions replace their row, new rows join their group in order.

    Returns the merged table, the changes, the number of proposals equal to what is there, and the
    origin of each merged line that came from a proposal (line number in the merged file, header = 1).
    """
    rows = list(table.rows)
    index = {schema.key_of(r): i for i, r in enumerate(rows)}
    changes: list[Change] = []
    unchanged = 0
    placed: list[tuple[dict[str, str], str]] = []
    given: dict[tuple[str, ...], str] = {}
    for p in proposals:
        key = schema.key_of(p.row)
        if key in given:
            raise RefreshError(t("refresh.err_conflict", lang, file=schema.name, what=" ".join(key),
                                 first=given[key], second=p.origin))
        given[key] = p.origin
        row = {c: p.row.get(c, "") for c in table.header}
        if key in index:
            old = rows[index[key]]
            if not differs(old, row):
                unchanged += 1
                continue
            rows[index[key]] = row
            changes.append(Change(schema.name, key, old, row, p.origin))
        else:
            group = tuple(row.get(g, "") for g in schema.group)
            members = [i for i, r in enumerate(rows) if tuple(r.get(g, "") for g in schema.group) == group]
            later = [i for i in members if rows[i].get(schema.order, "") > row.get(schema.order, "")]
            pos = later[0] if later else (members[-1] + 1 if members else len(rows))
            rows.insert(pos, row)
            index = {schema.key_of(r): i for i, r in enumerate(rows)}
            changes.append(Change(schema.name, key, None, row, p.origin))
        placed.append((row, p.origin))
    origins = {}
    for row, origin in placed:
        origins[next(i for i, r in enumerate(rows) if r is row) + 2] = origin
    return Table(table.header, rows), changes, unchanged, origins


# ---------------------------------------------------------------------------- --import FILE.csv


def _err(lang: str, file: str, row: int, fld: str, problem: str, **values: object) -> RefreshError:
    return RefreshError(t("refresh.err_field", lang, file=file, row=row, field=fld,
                          problem=t(f"refresh.problem.{problem}", lang, **values)))


def _host(url: str) -> str | None:
    if any(ch.isspace() for ch in url):
        return None
    parts = urllib.parse.urlsplit(url)
    return parts.netloc if parts.scheme in ("http", "https") and "." in parts.netloc else None


def _annual_series() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """exports.csv series -> basis, and Big 10 ids made of several exports.csv series -> those series."""
    basis = {baseline_module.TOTAL_SERIES: "goods"}
    split = {}
    for lev in industry_levers():
        for comp in lev.components:
            basis[comp] = lev.basis
        if tuple(lev.components) != (lev.id,):
            split[lev.id] = tuple(lev.components)
    return basis, split


@dataclass(frozen=True)
class Limits:
    """Plausible magnitudes for new figures, from the data already there: anything beyond is a typo or worse."""

    max_month: float = 1000.0      # twice the largest full month on record (USD bn)
    min_month: float = 0.0         # half the smallest full month of the total on record (a total's full month)
    max_year: float = 10000.0      # twice the largest annual total on record (USD bn)
    first_year: int = 1950         # no figure before the data begin


def limits_of(data_dir: Path, today: datetime.date) -> Limits:
    """The limits a folder's own records set (loaded with the start-up rules)."""
    months = monthly_module.load_monthly(data_dir, today)
    largest_month = max((r.value for r in months.rows if r.coverage == monthly_module.FULL_MONTH), default=500.0)
    smallest_total = min((r.value for r in months.rows if r.coverage == monthly_module.FULL_MONTH
                          and r.series in (baseline_module.TOTAL_SERIES, monthly_module.MINISTRY_TOTAL)), default=0.0)
    exports = baseline_module.load_baseline(data_dir)
    totals = exports.actual_totals()
    years = [y for by_year in exports.rows.values() for y in by_year]
    return Limits(max_month=2.0 * largest_month, min_month=0.5 * smallest_total,
                  max_year=2.0 * max(totals.values(), default=5000.0), first_year=min(years, default=1950))


def parse_import(data: bytes, name: str, today: datetime.date, lang: str = DEFAULT_LANG,
                 limits: Limits = Limits()) -> list[Proposed]:
    """The rows of an import file as figures for monthly.csv (YYYY-MM) and exports.csv (YYYY), each checked.

    Columns: period, series, value_usd_bn, quality, source_url; optional note (the method), source
    (the release's name; else it says the figure was entered by hand from the address's site) and
    coverage (monthly rows: month, 1-10 or 1-20; default month). Periods and values in ASCII digits only
    (a full-width or Arabic-Indic "2026" would be keyed apart from the month it means), values no larger
    than `limits` allow, addresses well-formed http(s) URLs without markup characters, no control bytes.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _err(lang, name, 1, "-", "not_utf8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in IMPORT_REQUIRED if c not in header]
    if missing:
        raise _err(lang, name, 1, missing[0], "missing_columns", columns=", ".join(missing))
    unknown = [c for c in header if c not in (*IMPORT_REQUIRED, *IMPORT_OPTIONAL)]
    if unknown:
        raise _err(lang, name, 1, unknown[0], "unknown_columns", columns=", ".join(unknown),
                   allowed=", ".join((*IMPORT_REQUIRED, *IMPORT_OPTIONAL)))
    reader.fieldnames = header
    monthly_series = monthly_module.series_names()
    annual_basis, split = _annual_series()
    now = today.year * 12 + today.month - 1
    seen: dict[tuple[str, ...], int] = {}
    out: list[Proposed] = []
    for raw in reader:
        line = reader.line_num
        if None in raw or any(raw.get(c) is None for c in IMPORT_REQUIRED):
            raise _err(lang, name, line, "-", "wrong_fields", n=len(header))
        rec = {k: (raw.get(k) or "").strip() for k in (*IMPORT_REQUIRED, *IMPORT_OPTIONAL)}
        if not any(rec.values()):
            continue
        period, series, quality = rec["period"], rec["series"], rec["quality"]
        for field_name in ("period", "series", "value_usd_bn", "quality", "coverage", "source_url", "note", "source"):
            if text_problem(rec[field_name]):
                raise _err(lang, name, line, field_name, "bad_text", reason=text_problem(rec[field_name]))
        annual = is_year(period)
        if not annual and not is_month(period):
            raise _err(lang, name, line, "period", "bad_period", value=period[:20])
        if annual and int(period) < limits.first_year:
            raise _err(lang, name, line, "period", "too_early", value=period, first=limits.first_year)
        allowed = tuple(annual_basis) if annual else monthly_series
        if annual and series in split:
            raise _err(lang, name, line, "series", "split_series", value=series, parts=" + ".join(split[series]))
        if series not in allowed:
            raise _err(lang, name, line, "series", "unknown_series", value=series, allowed=", ".join(allowed))
        try:
            value = parse_plain_number(rec["value_usd_bn"])
        except ValueError:
            raise _err(lang, name, line, "value_usd_bn", "not_number", value=rec["value_usd_bn"][:30]) from None
        if not math.isfinite(value):
            raise _err(lang, name, line, "value_usd_bn", "not_number", value=rec["value_usd_bn"][:30])
        if value < 0:
            raise _err(lang, name, line, "value_usd_bn", "negative", value=rec["value_usd_bn"][:30])
        cap = limits.max_year if annual else limits.max_month
        total_month = (not annual and series in (baseline_module.TOTAL_SERIES, monthly_module.MINISTRY_TOTAL)
                       and (rec["coverage"] or monthly_module.FULL_MONTH) == monthly_module.FULL_MONTH)
        if total_month and value < limits.min_month:
            raise _err(lang, name, line, "value_usd_bn", "too_small", value=rec["value_usd_bn"][:30],
                       min=fmt_number(limits.min_month, lang, 1))
        if value > cap:
            raise _err(lang, name, line, "value_usd_bn", "too_large", value=rec["value_usd_bn"][:30],
                       max=fmt_number(cap, lang, 1))
        qualities = baseline_module.QUALITIES if annual else monthly_module.QUALITIES
        if quality not in qualities:
            raise _err(lang, name, line, "quality", "bad_quality", value=quality, allowed=", ".join(qualities))
        host = _host(rec["source_url"])
        problem = url_problem(rec["source_url"])
        if host is None or problem:
            raise _err(lang, name, line, "source_url", "bad_url", value=rec["source_url"][:80],
                       reason=problem or "-")
        if quality in ("derived", "estimate") and not rec["note"]:
            raise _err(lang, name, line, "note", "needs_note", quality=quality)
        coverage = rec["coverage"] or monthly_module.FULL_MONTH
        if annual and coverage != monthly_module.FULL_MONTH:
            raise _err(lang, name, line, "coverage", "annual_coverage", value=coverage)
        if coverage not in monthly_module.COVERAGES:
            raise _err(lang, name, line, "coverage", "bad_coverage", value=coverage,
                       allowed=", ".join(monthly_module.COVERAGES))
        if annual:
            if int(period) >= today.year:
                raise _err(lang, name, line, "period", "year_not_over", value=period, today=today.isoformat())
        else:
            index = monthly_module.month_index(period)
            if index > now:
                raise _err(lang, name, line, "period", "future", value=period, today=today.isoformat())
            if index == now and (coverage == monthly_module.FULL_MONTH or today.day <= int(coverage.split("-")[1])):
                raise _err(lang, name, line, "period", "not_over", value=period, coverage=coverage,
                           today=today.isoformat())
        key = (period, series, coverage)
        if key in seen:
            raise _err(lang, name, line, "period", "duplicate", value=period, series=series, other=seen[key])
        seen[key] = line
        source = rec["source"] or HAND_SOURCE.format(host=host, file=Path(name).name, date=today.isoformat())
        origin = t("refresh.origin_row", lang, file=name, row=line)
        if annual:
            row = {"year": period, "series": series, "value": rec["value_usd_bn"], "unit": "usd_bn",
                   "basis": annual_basis[series], "quality": quality, "source": source,
                   "source_url": rec["source_url"], "method": rec["note"]}
            out.append(Proposed("exports.csv", row, origin))
        else:
            row = {"period": period, "series": series, "value": rec["value_usd_bn"], "unit": "usd_bn",
                   "coverage": coverage, "quality": quality, "source": source, "source_url": rec["source_url"],
                   "method": rec["note"]}
            out.append(Proposed("monthly.csv", row, origin))
    if not out:
        raise _err(lang, name, 2, "-", "no_rows")
    return out


# ---------------------------------------------------------------------------- --ecos


def _next_month(period: str) -> str:
    return monthly_module.period_of(monthly_module.month_index(period) + 1)


def ecos_proposals(client: ecos.EcosClient, data_dir: Path, today: datetime.date, since: str | None = None,
                   lang: str = DEFAULT_LANG) -> list[Proposed]:
    """KRW/USD and KOSPI months for market.csv and export months for monthly.csv, from ECOS.

    By default each series is asked from the month after its latest month in data/ (market.csv
    from 2024-01 when it does not exist yet) to last month; ``since`` (YYYY-MM) asks from there
    instead, so that figures already in data/ come back as revisions.
    """
    until = monthly_module.period_of(today.year * 12 + today.month - 2)
    current = monthly_module.load_monthly(data_dir, today)
    market = ecos.load_market(data_dir, today)
    out: list[Proposed] = []

    exp_since = since or _next_month(current.latest_month(baseline_module.TOTAL_SERIES))
    if exp_since <= until:
        obs = client.search(ecos.EXPORTS, exp_since.replace("-", ""), until.replace("-", ""))
        origin = t("refresh.origin_ecos", lang, code=ecos.EXPORTS.stat_code)
        out += [Proposed("monthly.csv", row, origin) for row in ecos.monthly_export_rows(obs, today)]
    for spec, series, build in ((ecos.KRW_USD, "krw_per_usd_avg_m", ecos.monthly_fx_rows),
                                (ecos.KOSPI, "kospi_close_m", ecos.monthly_kospi_rows)):
        latest = market.latest(series)
        start = since or (_next_month(latest) if latest else "2024-01")
        if start > until:
            continue
        obs = client.search(spec, *ecos.month_periods(start, until))
        origin = t("refresh.origin_ecos", lang, code=spec.stat_code)
        out += [Proposed(ecos.MARKET_FILE, row, origin) for row in build(obs, today)]
    return out


def _what(change: Change) -> str:
    row = change.new or change.old or {}
    when = row.get("period") or row.get("year") or ""
    coverage = row.get("coverage", "")
    extra = f" ({coverage})" if coverage and coverage != monthly_module.FULL_MONTH else ""
    return f"{row.get('series', '')} {when}{extra}"


def _value(row: dict[str, str] | None, file: str, lang: str) -> str:
    if row is None:
        return "-"
    value = _number(row.get("value"))
    if value is None:
        return row.get("value", "")
    if file == ecos.MARKET_FILE:
        return fmt_number(value, lang, 2)
    text = (row.get("value") or "").strip()
    decimals = max(1, len(text.split(".", 1)[1]) if "." in text and "e" not in text.lower() else 1)
    if lang == "ko":  # Korean readers count dollars in 억 (USD 0.1 bn): as precise as the figure itself
        return t("refresh.exact_usd_bn", lang, value=fmt_number(value * 10, lang, max(0, decimals - 1)))
    return t("refresh.exact_usd_bn", lang, value=fmt_number(value, lang, decimals))


def _quality(row: dict[str, str] | None, lang: str) -> str:
    return t(f"quality.{row['quality']}", lang) if row and row.get("quality") else "-"


def change_lines(changes: list[Change], lang: str = DEFAULT_LANG, fields: bool = True) -> list[str]:
    """One line per changed row: new figures, then revisions (old -> new), then removals.

    fields: under each revision, one line per other changed field (its source, address or note: data text).
    """
    lines = []
    for kind in ("new", "revised", "removed"):
        items = [c for c in changes if c.kind == kind]
        if not items:
            continue
        lines.append(t(f"refresh.{kind}_header", lang, n=len(items)))
        for c in items:
            lines.append("  " + t(f"refresh.line_{kind}", lang, file=c.file, what=_what(c),
                                  old=_value(c.old, c.file, lang), new=_value(c.new, c.file, lang),
                                  quality=_quality(c.new or c.old, lang), old_quality=_quality(c.old, lang)))
            if fields and kind == "revised" and c.old is not None and c.new is not None:
                for name in changed_fields(c.old, c.new):
                    if name not in ("value", "quality"):  # the line above shows those
                        lines.append("    " + t("refresh.line_field", lang, field=name,
                                                old=strip_controls(c.old.get(name, ""), 160) or "-",
                                                new=strip_controls(c.new.get(name, ""), 160) or "-"))
    return lines


# ---------------------------------------------------------------------------- vintages


def _prune(vdir: Path, name: str) -> None:
    """Keep the newest KEEP_VINTAGES copies of a file; delete only regular files inside data/vintages/."""
    kept = sorted((int(p.suffix[1:]), p) for p in vdir.glob(f"{name}.*")
                  if p.suffix[1:].isascii() and p.suffix[1:].isdigit())
    for _, path in kept[:-KEEP_VINTAGES]:
        if path.is_file() and not path.is_symlink() and path.parent.resolve() == vdir.resolve():
            path.unlink(missing_ok=True)


JOURNAL = ".pending.json"     # in data/vintages/: the moves of a refresh that has passed its point of no return
LOCK_FILE = ".refresh.lock"   # in data/: held by the one refresh that may run


@contextlib.contextmanager
def refresh_lock(data_dir: Path, lang: str = DEFAULT_LANG) -> Iterator[None]:
    """Hold the folder's refresh lock for the block, or refuse at once if another refresh holds it."""
    path = Path(data_dir) / LOCK_FILE
    if path.is_symlink():
        raise RefreshError(t("refresh.err_symlink", lang, path=path))
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as exc:
        raise RefreshError(t("refresh.err_write", lang, problem=exc.strerror or str(exc))) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise RefreshError(t("refresh.err_locked", lang, path=data_dir)) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _regular(path: Path, lang: str) -> None:
    """Refuse to write, copy or delete through a symbolic link."""
    if path.is_symlink():
        raise RefreshError(t("refresh.err_symlink", lang, path=path))


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes (the log records it, so the log can be checked against the files)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _write_temp(directory: Path, prefix: str, text: str, mode: int) -> str:
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=directory)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(tmp, mode)
    return tmp


def _copy_exclusive(src: Path, dest: Path) -> None:
    """Copy a file to a new path: never over an existing file, never through a symbolic link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(dest, flags, 0o644)
    with os.fdopen(fd, "wb") as out, open(src, "rb") as f:
        shutil.copyfileobj(f, out)
        out.flush()
        os.fsync(out.fileno())
    shutil.copystat(src, dest, follow_symlinks=False)


def _apply_journal(data_dir: Path) -> bool:
    """Carry out the moves a journal lists (each only if its temporary file is still there); True if there was one.

    The journal is written, atomically, only once every new file, the kept copies and the new log are
    complete on disk: from then on a refresh is finished even if it is killed, by the next refresh (or
    `refresh --recover`), so the data files and the log always end up as one version.
    """
    vdir = vintage_dir(data_dir)
    journal = vdir / JOURNAL
    if not journal.exists() or journal.is_symlink():
        return False
    plan = json.loads(journal.read_text(encoding="utf-8"))
    for name, tmp in plan["files"].items():
        src = Path(data_dir) / tmp
        if src.exists() and not src.is_symlink():
            os.replace(src, Path(data_dir) / name)
    log_tmp = vdir / plan["log"]
    if log_tmp.exists() and not log_tmp.is_symlink():
        os.replace(log_tmp, vdir / LOG_FILE)
    journal.unlink()
    return True


def recover(data_dir: Path) -> list[str]:
    """Finish or undo what a killed refresh left (call with the lock held); say what was done.

    A journal is carried out; without one, the refresh had not reached its point of no return: its
    temporary files and the copy it had made of a current file (a vintage the log does not name) are removed.
    """
    data_dir = Path(data_dir)
    vdir = vintage_dir(data_dir)
    done = []
    if _apply_journal(data_dir):
        done.append("completed")
    for path in [*data_dir.glob(".*.tmp"), *(vdir.glob(".*.tmp") if vdir.is_dir() else [])]:
        if path.is_file() and not path.is_symlink():
            path.unlink()
            done.append(f"removed {path.name}")
    if vdir.is_dir() and not vdir.is_symlink():
        log = read_log(data_dir)
        named = {r["kept"] for r in log if r.get("kept")}
        for name in SCHEMAS:
            current = vintage_of(name, data_dir, log)
            if current is None:
                continue
            stray = vdir / f"{name}.{current.number}"
            if stray.name not in named and stray.is_file() and not stray.is_symlink():
                stray.unlink()
                done.append(f"removed {stray.name}")
    return done


def commit(data_dir: Path, texts: dict[str, str], counts: dict[str, tuple[int, int]], origin: str,
           now: datetime.datetime, lang: str = DEFAULT_LANG) -> dict[str, str | None]:
    """Write the new files as one step; return each file's kept previous copy (None for a new file).

    Every new file and the new log are first written in full to temporary files, every previous file
    copied to data/vintages/<file>.<n> (never over an existing copy, never through a link); then a
    journal naming the moves is put in place atomically, and the moves are made (os.replace each). A
    failure before the journal removes what it made and changes nothing; a kill after it is completed
    by the next refresh (recover). Call with the lock held (refresh_lock).
    """
    data_dir = Path(data_dir)
    vdir = vintage_dir(data_dir)
    _regular(vdir, lang)
    for name in texts:
        _regular(data_dir / name, lang)
    log = read_log(data_dir)
    temps: dict[str, str] = {}
    made: list[Path] = []
    kept: dict[str, str | None] = {}
    made_vdir = not vdir.exists()
    try:
        for name, text in texts.items():
            target = data_dir / name
            temps[name] = _write_temp(data_dir, f".{name}.", text,
                                      target.stat().st_mode & 0o777 if target.exists() else 0o644)
        vdir.mkdir(exist_ok=True)
        for name in texts:
            target = data_dir / name
            if not target.exists():
                kept[name] = None
                continue
            current = vintage_of(name, data_dir, log)
            assert current is not None
            copy = vdir / f"{name}.{current.number}"
            _regular(copy, lang)
            _copy_exclusive(target, copy)
            made.append(copy)
            kept[name] = copy.name
        run = max((int(r["run"]) for r in log), default=0) + 1
        stamp = now.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        new_log = log + [{"run": str(run), "written_at": stamp, "file": name,
                          "vintage": str((vintage_of(name, data_dir, log).number + 1) if kept[name] else FIRST_VINTAGE),
                          "kept": kept[name] or "", "origin": origin, "new": str(counts[name][0]),
                          "revised": str(counts[name][1]),
                          "sha256": hashlib.sha256(texts[name].encode("utf-8")).hexdigest()} for name in texts]
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=LOG_COLUMNS, lineterminator="\n", extrasaction="ignore",
                                restval="")
        writer.writeheader()
        writer.writerows(new_log)
        log_tmp = _write_temp(vdir, ".log.", buf.getvalue(), 0o644)
        journal = {"files": {name: Path(tmp).name for name, tmp in temps.items()}, "log": Path(log_tmp).name}
        journal_tmp = _write_temp(vdir, ".journal.", json.dumps(journal), 0o644)
    except OSError as exc:
        for tmp in temps.values():
            Path(tmp).unlink(missing_ok=True)
        for path in made:
            path.unlink(missing_ok=True)
        if made_vdir and vdir.exists() and not any(vdir.iterdir()):
            vdir.rmdir()
        raise RefreshError(t("refresh.err_write", lang, problem=exc.strerror or str(exc))) from None
    os.replace(journal_tmp, vdir / JOURNAL)  # the point of no return: from here the refresh is finished
    _apply_journal(data_dir)
    for name in texts:
        _prune(vdir, name)
    return kept


def _copy_top_level(src: Path, dest: Path) -> None:
    for path in Path(src).iterdir():
        if path.is_file() and not path.name.startswith("."):
            shutil.copy2(path, dest / path.name)


def _where(message: str, origins: dict[str, dict[int, str]]) -> str:
    """A loader's message, with the import row or ECOS series behind the merged row it names."""
    match = _LINE_REF.match(message)
    if match:
        origin = origins.get(match["file"], {}).get(int(match["line"]))
        if origin:
            return f"{origin} -> {message}"
    return message


# ---------------------------------------------------------------------------- new data while the app runs


def data_stamp(data_dir: Path) -> tuple[tuple[str, int, int, int], ...]:
    """(name, mtime in ns, size, inode) of every file directly in data/: it changes whenever a file is replaced."""
    folder = Path(data_dir)
    out = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return ()
    for entry in entries:
        if entry.is_file() and not entry.name.startswith("."):
            st = entry.stat()
            out.append((entry.name, st.st_mtime_ns, st.st_size, st.st_ino))
    return tuple(out)


