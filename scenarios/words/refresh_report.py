"""A refresh's effect in words: the headline numbers before and after, what changed, where the data stand.

The file side of a refresh is scenarios.data.refresh; here each side of a change is loaded as one Dataset
and run through the engine (scenarios.model.outcome), as the app does at start-up.
"""

from __future__ import annotations

import datetime
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scenarios.data.baseline import TOTAL_SERIES, BaselineError
from scenarios.data.dataset import Dataset, load_dataset
from scenarios.data.ecos import MARKET_FILE
from scenarios.data.refresh import (
    SCHEMAS,
    Change,
    Proposed,
    RefreshError,
    _copy_top_level,
    _value,
    _what,
    _where,
    change_lines,
    commit,
    diff_tables,
    merge,
    read_table,
    table_text,
)
from scenarios.data.vintages import VINTAGE_DIR, read_log, vintage_dir, vintage_text
from scenarios.model.outcome import compute_outcome
from scenarios.model.present import baseline_of, present_of
from scenarios.model.share import scenario_from_params
from scenarios.model.uncertainty import probability_text
from scenarios.registry.i18n import DEFAULT_LANG, fmt_date, fmt_days, fmt_usd_bn, t
from scenarios.words.describe import month_text

# ---------------------------------------------------------------------------- the headline numbers


@dataclass(frozen=True)
class Headline:
    """The numbers a refresh is judged by, computed with the engine on one data folder."""

    latest_month: str
    year: int
    p10: float
    p50: float
    p90: float
    chance_1t: float
    year_1t: int | None
    preset: str
    base_year: int
    horizon: int


def headline_of(dataset: Dataset) -> Headline:
    """The headline numbers of one Dataset: the year in progress and the default scenario's milestone."""
    present = present_of(dataset)
    scenario, _ = scenario_from_params({}, baseline=baseline_of(dataset))
    outcome = compute_outcome(scenario, dataset, ranges=False)
    cast = present.total
    return Headline(dataset.monthly.latest_month(), present.year, cast.p10, cast.p50, cast.p90,
                    present.chance_of_1t(), outcome.milestones["exports_1t"], scenario.preset, scenario.base_year,
                    scenario.horizon)


def headline(data_dir: Path, today: datetime.date | None = None) -> Headline:
    """Load a data folder as the app does at start-up (one Dataset) and read the headline numbers off it.

    Raises BaselineError or ValueError when the folder does not load (the same checks as start-up).
    """
    return headline_of(load_dataset(data_dir, today))


def headline_lines(before: Headline | None, after: Headline | None, lang: str = DEFAULT_LANG) -> list[str]:
    """Before -> after of every headline number, one line each (a side that does not load shows '-')."""
    if after is None:
        return []

    def pair(get: Callable[[Headline], str]) -> str:
        return t("refresh.arrow", lang, old=get(before) if before else "-", new=get(after))

    def year_1t(h: Headline) -> str:
        return str(h.year_1t) if h.year_1t is not None else t("refresh.not_by", lang, year=h.horizon)


    year = after.year
    lines = [t("refresh.hl_latest", lang, change=pair(lambda h: month_text(h.latest_month, lang)))]
    if before is not None and before.year != after.year:
        lines.append(t("refresh.hl_new_year", lang, old=before.year, new=after.year))
    lines += [
        t("refresh.hl_nowcast", lang, year=year, change=pair(lambda h: fmt_usd_bn(h.p50, lang))),
        t("refresh.hl_range", lang, year=year,
          change=pair(lambda h: t("fmt.value_range", lang, low=fmt_usd_bn(h.p10, lang),
                                   high=fmt_usd_bn(h.p90, lang)))),
        t("refresh.hl_chance", lang, year=year, change=pair(lambda h: probability_text(h.chance_1t, None, lang))),
        t("refresh.hl_year_1t", lang, preset=t(f"preset.{after.preset}.label", lang), base=after.base_year,
          change=pair(year_1t)),
    ]
    return lines


# ---------------------------------------------------------------------------- describing changes


# ---------------------------------------------------------------------------- one refresh


@dataclass
class Plan:
    """What a refresh would do: the changes, the merged files and the headline numbers before and after."""

    changes: list[Change]
    unchanged: int
    texts: dict[str, str]
    before: Headline | None = None
    after: Headline | None = None
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def revisions(self) -> list[Change]:
        """The changes that revise a figure already in data/."""
        return [c for c in self.changes if c.kind == "revised"]


def plan(data_dir: Path, proposals: list[Proposed], today: datetime.date, lang: str = DEFAULT_LANG) -> Plan:
    """Merge the proposals into a temporary copy of data/, load it as start-up does, and compare."""
    data_dir = Path(data_dir)
    try:
        before = headline(data_dir, today)
    except (BaselineError, ValueError) as exc:
        raise RefreshError(t("refresh.err_current", lang, path=data_dir, problem=exc)) from None
    changes: list[Change] = []
    unchanged = 0
    texts: dict[str, str] = {}
    counts: dict[str, tuple[int, int]] = {}
    origins: dict[str, dict[int, str]] = {}
    for name, schema in SCHEMAS.items():
        mine = [p for p in proposals if p.file == name]
        if not mine:
            continue
        merged, file_changes, same, where = merge(schema, read_table(data_dir / name, schema), mine, lang)
        unchanged += same
        origins[name] = where
        if file_changes:
            changes += file_changes
            texts[name] = table_text(merged)
            counts[name] = (sum(c.kind == "new" for c in file_changes), sum(c.kind == "revised" for c in file_changes))
    result = Plan(changes, unchanged, texts, before, before, counts)
    if not texts:
        return result
    with tempfile.TemporaryDirectory(prefix="big10-refresh-") as tmp:
        copy = Path(tmp)
        _copy_top_level(data_dir, copy)
        for name, text in texts.items():
            (copy / name).write_text(text, encoding="utf-8", newline="")
        try:
            result.after = headline(copy, today)
        except (BaselineError, ValueError) as exc:
            raise RefreshError(t("refresh.err_merged", lang, problem=_where(str(exc), origins))) from None
    return result


def refresh(data_dir: Path, proposals: list[Proposed], *, today: datetime.date, now: datetime.datetime,
            dry_run: bool = False, accept_revisions: bool = False, origin: str = "",
            lang: str = DEFAULT_LANG, out: Callable[[str], None] = print) -> Plan:
    """Plan, print the changes, then (unless a dry run) write them. Raises RefreshError with one line."""
    result = plan(data_dir, proposals, today, lang)
    out(t("refresh.header", lang, path=data_dir, origin=origin))
    if not result.changes:
        out(t("refresh.nothing", lang, path=data_dir, n=result.unchanged))
        return result
    for line in change_lines(result.changes, lang):
        out(line)
    if result.unchanged:
        out(t("refresh.unchanged", lang, n=result.unchanged))
    out(t("refresh.headline_header", lang))
    for line in headline_lines(result.before, result.after, lang):
        out("  " + line)
    if result.revisions and not accept_revisions:
        first = result.revisions[0]
        raise RefreshError(t("refresh.err_revisions", lang, n=len(result.revisions), file=first.file,
                             what=_what(first), old=_value(first.old, first.file, lang),
                             new=_value(first.new, first.file, lang)))
    if dry_run:
        out(t("refresh.dry_run_done", lang))
        return result
    kept = commit(Path(data_dir), result.texts, result.counts, origin, now, lang)
    for name, copy in kept.items():
        out(t("refresh.written", lang, file=name, kept=f"{VINTAGE_DIR}/{copy}") if copy
            else t("refresh.written_new", lang, file=name))
    return result


# ---------------------------------------------------------------------------- the latest refresh, for the app


@dataclass(frozen=True)
class LastRefresh:
    """The latest refresh of a data folder: when, from what, the rows it changed and the headline before/after."""

    written_at: str
    origin: str
    changes: list[Change]
    before: Headline | None
    after: Headline | None


def last_refresh(data_dir: Path, today: datetime.date | None = None) -> LastRefresh | None:
    """The current vintage against the previous one (None when no refresh has written this folder)."""
    data_dir = Path(data_dir)
    log = read_log(data_dir)
    if not log:
        return None
    run = max(int(r["run"]) for r in log)
    entries = [r for r in log if int(r["run"]) == run]
    changes: list[Change] = []
    with tempfile.TemporaryDirectory(prefix="big10-vintage-") as tmp:
        previous = Path(tmp)
        _copy_top_level(data_dir, previous)
        for e in entries:
            schema = SCHEMAS.get(e["file"])
            kept = vintage_dir(data_dir) / e["kept"] if e["kept"] else None
            if kept is not None and not kept.exists():
                continue
            if kept is None:
                (previous / e["file"]).unlink(missing_ok=True)
            else:
                shutil.copy2(kept, previous / e["file"])
            if schema is not None:
                changes += diff_tables(schema, read_table(previous / e["file"], schema),
                                       read_table(data_dir / e["file"], schema))
        before = after = None
        try:
            before = headline(previous, today)
        except (BaselineError, ValueError):
            before = None
        try:
            after = headline(data_dir, today)
        except (BaselineError, ValueError):
            after = None
    return LastRefresh(entries[0]["written_at"], entries[0]["origin"], changes, before, after)


def as_of(dataset: Dataset, lang: str = DEFAULT_LANG, short: bool = False) -> str:
    """Where a Dataset's figures stand and which vintage each comes from ("data as of ...")."""
    monthly_v = dataset.vintages.get("monthly.csv")
    if monthly_v is None:
        return ""
    if short:
        return t("refresh.as_of_short", lang, date=fmt_date(monthly_v.date, lang), file=monthly_v.file,
                 n=monthly_v.number)
    monthly = dataset.monthly
    partial = monthly.partial(TOTAL_SERIES)
    latest_partial = (t("refresh.partial", lang, month=month_text(partial[-1].period, lang),
                        days=fmt_days(partial[-1].coverage, lang))
                      if partial else t("refresh.no_partial", lang))
    lines = [t("refresh.as_of_monthly", lang, month=month_text(monthly.latest_month(), lang), partial=latest_partial,
               vintage=vintage_text(monthly_v, lang))]
    for name in ("exports.csv", "macro.csv", "peers.csv"):
        v = dataset.vintages.get(name)
        if v is not None:
            lines.append(t("refresh.as_of_file", lang, vintage=vintage_text(v, lang)))
    market_v = dataset.vintages.get(MARKET_FILE)
    if market_v is not None:
        latest = dataset.market.latest()
        lines.append(t("refresh.as_of_market", lang, month=month_text(latest, lang) if latest else "-",
                       vintage=vintage_text(market_v, lang)))
    return "\n".join(f"- {line}" for line in lines)
