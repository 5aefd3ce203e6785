"""Named scenarios read from presets/*.toml, resolved against the baseline."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from scenarios.baseline import Baseline, default_baseline
from scenarios.levers import growth_levers, vision_levers

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

    @property
    def label_key(self) -> str:
        """Locale key of the preset's name."""
        return f"preset.{self.id}.label"

    @property
    def rationale_key(self) -> str:
        """Locale key of the one-line rationale shown under the picker."""
        return f"preset.{self.id}.rationale"


def _check_rule(name: str, key: str, rule: object) -> None:
    if isinstance(rule, bool) or not isinstance(rule, (int, float, dict)):
        raise PresetError(f"{name}: growth.{key} must be a number or a {{method = ...}} table")
    if isinstance(rule, dict):
        if rule.get("method") not in METHODS:
            raise PresetError(f"{name}: growth.{key}.method must be one of {', '.join(METHODS)}")
        for k in ("start", "end"):
            if not isinstance(rule.get(k), int):
                raise PresetError(f"{name}: growth.{key}.{k} must be a year")
        if not isinstance(rule.get("offset", 0.0), (int, float)):
            raise PresetError(f"{name}: growth.{key}.offset must be a number")


def parse_preset(path: Path) -> Preset:
    """Read and validate one preset file."""
    name = path.name
    try:
        with open(path, "rb") as f:
            raw = tomllib.load(f)
    except FileNotFoundError:
        raise PresetError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise PresetError(f"{name}: not valid TOML ({exc})") from None
    if not isinstance(raw.get("id"), str) or not isinstance(raw.get("growth"), dict):
        raise PresetError(f"{name}: needs an id and a [growth] table")
    known = {lev.id for lev in growth_levers()} | {"default"}
    ranges = {lev.id: (lev.min, lev.max) for lev in growth_levers()}
    low, high = min(r[0] for r in ranges.values()), max(r[1] for r in ranges.values())
    for key, rule in raw["growth"].items():
        if key not in known:
            raise PresetError(f"{name}: unknown series {key!r} in [growth]")
        _check_rule(name, key, rule)
        lo, hi = ranges.get(key, (low, high))
        if isinstance(rule, (int, float)) and not lo <= rule <= hi:
            raise PresetError(f"{name}: growth.{key} = {rule:g} is outside the allowed range {lo:g} to {hi:g}")
    if "default" not in raw["growth"] and not known - {"default"} <= raw["growth"].keys():
        raise PresetError(f"{name}: [growth] needs a default or a rate for every series")
    levers = raw.get("levers", {})
    if not isinstance(levers, dict):
        raise PresetError(f"{name}: [levers] must be a table of lever ids and numbers")
    allowed = {lev.id: lev for lev in vision_levers()}
    checked: dict[str, float] = {}
    for key, value in levers.items():
        if key not in allowed:
            raise PresetError(f"{name}: unknown lever {key!r} in [levers]")
        lev = allowed[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not lev.min <= value <= lev.max:
            raise PresetError(f"{name}: levers.{key} must be a number from {lev.min:g} to {lev.max:g}")
        checked[key] = float(value)
    return Preset(id=raw["id"], order=int(raw.get("order", 99)), rules=dict(raw["growth"]), levers=checked)


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


def resolve_growth(preset: Preset, baseline: Baseline | None = None) -> dict[str, float]:
    """Each series' growth (percent, rounded to the slider step, clamped to its range)."""
    base = baseline or default_baseline()
    out: dict[str, float] = {}
    for lev in growth_levers():
        rule = preset.rules.get(lev.id, preset.rules.get("default"))
        pct = _resolve_rule(rule, lev.id, base)
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
