"""The lever registry: every slider, URL parameter and CLI option is read from levers.toml."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

REGISTRY_PATH = Path(__file__).with_name("levers.toml")

KINDS = {"growth", "rest", "year", "toggle", "macro", "peer"}
GROUPS = {"super_cluster", "emerging", "rest", "setting", "macro", "peer", "uncertainty", "present", "chip"}


@dataclass(frozen=True)
class Lever:
    """One lever: its id (also its URL key), range, default and where it comes from."""

    id: str
    kind: str
    group: str
    unit: str
    min: float
    max: float
    step: float
    default: float
    source: str
    components: tuple[str, ...] = ()
    basis: str = "goods"

    @property
    def label_key(self) -> str:
        """Locale key of the lever's short label."""
        return f"lever.{self.id}.label"

    @property
    def help_key(self) -> str:
        """Locale key of the lever's definition (help text)."""
        return f"lever.{self.id}.help"

    @property
    def is_series(self) -> bool:
        """True for levers that set the growth of an export series (industries and rest)."""
        return self.kind in ("growth", "rest")


def _parse(raw: dict) -> Lever:
    missing = {"id", "kind", "group", "unit", "min", "max", "step", "default"} - raw.keys()
    if missing:
        raise ValueError(f"levers.toml: lever {raw.get('id', '?')!r} lacks {sorted(missing)}")
    if raw["kind"] not in KINDS or raw["group"] not in GROUPS:
        raise ValueError(f"levers.toml: lever {raw['id']!r} has unknown kind or group")
    lev = Lever(
        id=raw["id"],
        kind=raw["kind"],
        group=raw["group"],
        unit=raw["unit"],
        min=raw["min"],
        max=raw["max"],
        step=raw["step"],
        default=raw["default"],
        source=raw.get("source", ""),
        components=tuple(raw.get("components", ())),
        basis=raw.get("basis", "goods"),
    )
    if not lev.min <= lev.default <= lev.max:
        raise ValueError(f"levers.toml: default of {lev.id!r} is outside [{lev.min}, {lev.max}]")
    return lev


def load_registry(path: Path = REGISTRY_PATH) -> tuple[tuple[Lever, ...], int]:
    """Read the registry; return the levers in file order and the model version."""
    with open(path, "rb") as f:
        raw = tomllib.load(f)
    levers = tuple(_parse(item) for item in raw["lever"])
    ids = [lev.id for lev in levers]
    if len(ids) != len(set(ids)):
        raise ValueError("levers.toml: duplicate lever ids")
    return levers, int(raw["model_version"])


LEVERS, MODEL_VERSION = load_registry()
_BY_ID = {lev.id: lev for lev in LEVERS}


def lever(lever_id: str) -> Lever:
    """The lever with this id (KeyError if unknown)."""
    return _BY_ID[lever_id]


@functools.cache
def growth_levers() -> tuple[Lever, ...]:
    """The growth levers in display order: Big 10 industries, then `rest`."""
    return tuple(lev for lev in LEVERS if lev.is_series)


@functools.cache
def industry_levers() -> tuple[Lever, ...]:
    """The ten Big 10 industries, grouped as the pledge groups them."""
    return tuple(lev for lev in LEVERS if lev.kind == "growth")


@functools.cache
def vision_levers() -> tuple[Lever, ...]:
    """The 5/5/5 link levers: macro assumptions, then the peer economies."""
    return tuple(lev for lev in LEVERS if lev.kind in ("macro", "peer"))
