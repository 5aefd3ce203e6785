"""Which version of each data file is in place: data/vintages/log.csv, written by every refresh."""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from scenarios.registry.i18n import DEFAULT_LANG, fmt_date, t

VINTAGE_DIR = "vintages"
LOG_FILE = "log.csv"
LOG_COLUMNS = ("run", "written_at", "file", "vintage", "kept", "origin", "new", "revised", "sha256")
FIRST_VINTAGE = 1  # a file nobody has refreshed yet (as shipped) is vintage 1


def vintage_dir(data_dir: Path) -> Path:
    """data/vintages/: the previous files and the log (never read as data)."""
    return Path(data_dir) / VINTAGE_DIR


def read_log(data_dir: Path) -> list[dict[str, str]]:
    """Every file written by a refresh, oldest first (empty when nothing has been refreshed)."""
    path = vintage_dir(data_dir) / LOG_FILE
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r.get("file")]


@dataclass(frozen=True)
class Vintage:
    """Which version of a data file is in place: its number, when a refresh wrote it, the file's date."""

    file: str
    number: int
    written_at: str | None
    modified: str

    @property
    def date(self) -> str:
        """The day the file was written (by a refresh, else the file's own date)."""
        return (self.written_at or self.modified)[:10]


def vintage_of(name: str, data_dir: Path, log: list[dict[str, str]] | None = None) -> Vintage | None:
    """The vintage of one data file (None if the file does not exist)."""
    path = Path(data_dir) / name
    if not path.exists():
        return None
    modified = datetime.datetime.fromtimestamp(path.stat().st_mtime, datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    entries = [r for r in (read_log(data_dir) if log is None else log) if r["file"] == name]
    if not entries:
        return Vintage(name, FIRST_VINTAGE, None, modified)
    last = max(entries, key=lambda r: int(r["vintage"]))
    return Vintage(name, int(last["vintage"]), last["written_at"], modified)


def vintage_text(v: Vintage, lang: str = DEFAULT_LANG) -> str:
    """A file's vintage in words: as shipped (with its date), or its number and when a refresh wrote it."""
    if v.written_at is None:
        return t("refresh.vintage_shipped", lang, file=v.file, date=fmt_date(v.modified[:10], lang))
    return t("refresh.vintage_n", lang, file=v.file, n=v.number, date=fmt_date(v.written_at, lang))
