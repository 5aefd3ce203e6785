"""Named scenarios read from presets/*.toml, resolved against the baseline."""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from scenarios.registry.i18n import Message
from scenarios.registry.levers import growth_levers, vision_levers
from scenarios.registry.safety import FileRefused, finite, read_limited

if TYPE_CHECKING:  # the data layer sits above the registry: a preset is resolved on the Baseline it is given
    from scenarios.data.baseline import Baseline

PRESET_DIR = Path(__file__).with_name("presets")
METHODS = ("trend", "total_cagr")
# A trend needs at least this many years between its first and last sourced value;
# shorter histories (aerospace, green energy) fall back to the total's pace.
MIN_TREND_SPAN = 3


class PresetError(ValueError):
    """A preset file is broken; the message names the file and the problem."""


@dataclass(frozen=True)
class Preset:
    """A named scenario: its id, display order and the rule for each series' growth."""

    id: str
    order: int
    rules: dict[str, object]  # series id (or "default") -> number or {method=...}
    levers: dict[str, float] = field(default_factory=dict)  # 5/5/5, chip-cycle or other levers it sets
    source: str = ""  # the file it came from, for messages

    @property
    def label_key(self) -> str:
        """Locale key of the preset's name."""
        return f"preset.{self.id}.label"

    @property
    def rationale_key(self) -> str:
        """Locale key of the one-line rationale shown under the picker."""
        return f"preset.{self.id}.rationale"


RULE_KEYS = ("method", "start", "end", "offset", "min_span")
TOP_KEYS = ("id", "order", "growth", "levers")
YEAR_RANGE = (1990, 2100)
MAX_OFFSET = 100.0
MAX_PRESET_BYTES = 64_000
_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_rule(name: str, key: str, rule: object) -> None:
    if isinstance(rule, bool) or not isinstance(rule, (int, float, dict)):
        raise PresetError(Message("hostile.preset_not_rule", name=name, series=key))
    if isinstance(rule, dict):
        for k in rule:
            if k not in RULE_KEYS:
                raise PresetError(Message("hostile.preset_rule_key", name=name, series=key, field=str(k)[:40],
                                    allowed=", ".join(RULE_KEYS)))
        if rule.get("method") not in METHODS:
            raise PresetError(Message("hostile.preset_bad_method", name=name, series=key, allowed=", ".join(METHODS)))
        for k in ("start", "end"):
            if not isinstance(rule.get(k), int):
                raise PresetError(Message("hostile.preset_year_not_int", name=name, series=key, field=k))
            if isinstance(rule[k], bool) or not YEAR_RANGE[0] <= rule[k] <= YEAR_RANGE[1]:
                raise PresetError(Message("hostile.preset_bad_year", name=name, series=key, field=k, min=YEAR_RANGE[0],
                                    max=YEAR_RANGE[1]))
        if rule["start"] >= rule["end"]:
            raise PresetError(Message("hostile.preset_year_order", name=name, series=key, start=rule["start"],
                                end=rule["end"]))
        offset = rule.get("offset", 0.0)
        if not isinstance(offset, (int, float)):
            raise PresetError(Message("hostile.preset_offset_not_number", name=name, series=key))
        if not finite(offset) or abs(offset) > MAX_OFFSET:
            raise PresetError(Message("hostile.preset_bad_offset", name=name, series=key, max=f"{MAX_OFFSET:g}"))
        span_max = rule["end"] - rule["start"]
        if "min_span" in rule and not (_is_int(rule["min_span"]) and 1 <= rule["min_span"] <= span_max):
            raise PresetError(Message("hostile.preset_bad_span", name=name, series=key, max=span_max))


def _read_toml(path: Path) -> dict:
    """A preset file's TOML: a regular file of at most MAX_PRESET_BYTES, UTF-8, not nested absurdly deep."""
    name = path.name
    try:
        data = read_limited(path, MAX_PRESET_BYTES)
    except FileNotFoundError:
        raise PresetError(Message("hostile.preset_not_found", path=str(path))) from None
    except FileRefused as exc:
        raise PresetError(Message("hostile.preset_refused", path=str(path), problem=exc)) from None
    except OSError as exc:
        raise PresetError(Message("hostile.preset_os_error", path=str(path),
                                  problem=exc.strerror or type(exc).__name__)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PresetError(Message("hostile.preset_not_utf8", name=name)) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PresetError(Message("hostile.preset_bad_toml", name=name, problem=str(exc))) from None
    except RecursionError:
        raise PresetError(Message("hostile.preset_too_deep", name=name)) from None


def parse_preset(path: Path) -> Preset:
    """Read and validate one preset file: every field is checked, so a bad file is one clear PresetError."""
    path = Path(path)
    name = path.name
    raw = _read_toml(path)
    if not isinstance(raw.get("id"), str) or not isinstance(raw.get("growth"), dict):
        raise PresetError(Message("hostile.preset_needs_growth", name=name))
    for key in raw:
        if key not in TOP_KEYS:
            raise PresetError(Message("hostile.preset_unknown_key", name=name, field=str(key)[:40],
                                allowed=", ".join(TOP_KEYS)))
    if not _ID.fullmatch(raw["id"]):
        raise PresetError(Message("hostile.preset_bad_id", name=name))
    order = raw.get("order", 99)
    if not _is_int(order) or not 0 <= order <= 999:
        raise PresetError(Message("hostile.preset_bad_order", name=name))
    known = {lev.id for lev in growth_levers()} | {"default"}
    ranges = {lev.id: (lev.min, lev.max) for lev in growth_levers()}
    low, high = min(r[0] for r in ranges.values()), max(r[1] for r in ranges.values())
    for key, rule in raw["growth"].items():
        if key not in known:
            raise PresetError(Message("hostile.preset_unknown_series", name=name, value=key))
        _check_rule(name, key, rule)
        lo, hi = ranges.get(key, (low, high))
        if isinstance(rule, (int, float)) and not lo <= rule <= hi:
            raise PresetError(Message("hostile.preset_out_of_range", name=name, series=key, value=f"{rule:g}",
                                          min=f"{lo:g}", max=f"{hi:g}"))
    if "default" not in raw["growth"] and not known - {"default"} <= raw["growth"].keys():
        raise PresetError(Message("hostile.preset_incomplete", name=name))
    levers = raw.get("levers", {})
    if not isinstance(levers, dict):
        raise PresetError(Message("hostile.preset_levers_table", name=name))
    allowed = {lev.id: lev for lev in vision_levers()}
    checked: dict[str, float] = {}
    for key, value in levers.items():
        if key not in allowed:
            raise PresetError(Message("hostile.preset_unknown_lever", name=name, value=key))
        lev = allowed[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not lev.min <= value <= lev.max:
            raise PresetError(Message("hostile.preset_bad_lever", name=name, field=key, min=f"{lev.min:g}",
                                          max=f"{lev.max:g}"))
        checked[key] = float(value)
    return Preset(id=raw["id"], order=order, rules=dict(raw["growth"]), levers=checked, source=name)


def _resolve_rule(rule: object, series_id: str, baseline: Baseline) -> float:
    if isinstance(rule, (int, float)):
        return float(rule)
    assert isinstance(rule, dict)
    if rule["method"] == "trend":
        found = baseline.trend(series_id, rule["start"], rule["end"])
        min_span = int(rule.get("min_span", MIN_TREND_SPAN))
        if found and found[2] - found[1] >= min_span:
            pct = found[0]
        else:  # too short a history to call a trend: use the total's pace over the window
            pct = baseline.cagr_total(rule["start"], rule["end"])
    else:
        pct = baseline.cagr_total(rule["start"], rule["end"])
    return pct + float(rule.get("offset", 0.0))


def resolve_growth(preset: Preset, baseline: Baseline) -> dict[str, float]:
    """Each series' growth (percent, rounded to the slider step, clamped to its range) on the given data."""
    base = baseline
    out: dict[str, float] = {}
    for lev in growth_levers():
        rule = preset.rules.get(lev.id, preset.rules.get("default"))
        pct = _resolve_rule(rule, lev.id, base)
        if not math.isfinite(pct):
            raise PresetError(Message("hostile.preset_not_finite", name=preset.source or preset.id, series=lev.id))
        out[lev.id] = round(min(max(pct, lev.min), lev.max), 1)
    return out


@cache
def load_presets(directory: Path = PRESET_DIR) -> dict[str, Preset]:
    """Every preset in display order, by id."""
    presets = [parse_preset(p) for p in sorted(Path(directory).glob("*.toml"))]
    ids = [p.id for p in presets]
    if len(ids) != len(set(ids)):
        raise PresetError("presets: duplicate preset ids")
    return {p.id: p for p in sorted(presets, key=lambda p: (p.order, p.id))}


def preset_lever_ids() -> tuple[str, ...]:
    """Every lever some preset sets: choosing any preset sets each of them (to its value or the default)."""
    return tuple(sorted({key for preset in load_presets().values() for key in preset.levers}))
