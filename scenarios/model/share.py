"""Scenario <-> plain values (query params, CLI options, JSON), validated against the registry.

Outside values are never trusted: each is parsed, range-checked and either
clamped (links: the rest of the scenario still opens) or refused (the CLI),
with a message that names the field and the allowed range.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from scenarios.data.baseline import Baseline
from scenarios.model.projection import Scenario
from scenarios.registry.i18n import DEFAULT_LANG, LANGS, Choices, Message, t
from scenarios.registry.levers import MODEL_VERSION, growth_levers, lever, vision_levers
from scenarios.registry.presets import load_presets, resolve_growth
from scenarios.registry.safety import parse_plain_number

SETTING_KEYS = ("base", "target", "horizon", "services")
# The landing scenario: a central path from today, never the 2022 pledge's rate compounding from a boom
DEFAULT_PRESET = "central"
META_KEYS = ("preset", "lang", "v", "ref", "tab")
# The explorer's tabs below the first screen, by id: a link may name the open one (`tab=vision`).
TAB_IDS = ("targets", "industries", "vision", "what", "tracker", "share")


class ScenarioError(ValueError):
    """An outside value was refused; str() is one line naming the field and the allowed range."""


@dataclass(frozen=True)
class Notice:
    """One thing about the input that was ignored, clamped or refused."""

    key: str
    values: dict = field(default_factory=dict)

    def text(self, lang: str = DEFAULT_LANG, escape=None) -> str:
        """The notice in words; `escape` (e.g. i18n.md_escape) makes the whole text, user values included, inert."""
        text = t(self.key, lang, **self.values)
        return escape(text) if escape else text


def _fmt(x: float) -> str:
    return f"{x:.12g}"  # 12 significant digits: a link reproduces any value exactly enough, and stays readable


def field_name(lever_id: str) -> Message:
    """A lever named for a reader (its label in their language), for a link's or a file's notices."""
    return Message(lever(lever_id).label_key)


def parse_lever_value(lever_id: str, raw: object, *, clamp: bool) -> tuple[float, Notice | None]:
    """Parse one lever value; clamp it into range (clamp=True) or raise ScenarioError.

    A notice (links and files) names the lever by its label; an error (the command line, where the user
    typed the id) by its id.
    """
    lev = lever(lever_id)
    rng = {"field": field_name(lever_id) if clamp else lever_id, "min": _fmt(lev.min), "max": _fmt(lev.max)}
    try:  # ASCII digits only: "１０", "١٠" and "1_0" are not read as 10
        value = parse_plain_number(raw) if not isinstance(raw, bool) else float("nan")
    except (TypeError, ValueError):
        value = float("nan")
    if not math.isfinite(value):
        notice = Notice("validation.not_a_number", {**rng, "value": str(raw)[:40]})
        if not clamp:
            raise ScenarioError(Message(notice.key, **notice.values))
        return float(lev.default), notice
    if lev.min <= value <= lev.max:
        return value, None
    clamped = min(max(value, lev.min), lev.max)
    if not clamp:
        raise ScenarioError(Message("validation.out_of_range", field=lever_id, value=_fmt(value),
                                    min=_fmt(lev.min), max=_fmt(lev.max)))
    return clamped, Notice("validation.clamped", {**rng, "value": _fmt(value)[:40], "clamped": _fmt(clamped)})


def scenario_from_params(params: Mapping[str, object], *, clamp: bool = True,
                         baseline: Baseline) -> tuple[Scenario, list[Notice]]:
    """Build a Scenario from readable key/value pairs (URL query or CLI).

    Keys are lever ids, `base`, `target`, `horizon`, `services`, `preset`,
    `lang` and `v`. A preset fills every growth rate first; explicit lever
    values override it. With clamp=True bad values are clamped or dropped with
    a Notice; with clamp=False the first bad value raises ScenarioError.
    """
    base_data = baseline
    presets = load_presets()
    notices: list[Notice] = []

    def refuse(notice: Notice) -> None:
        if not clamp:
            raise ScenarioError(Message(notice.key, **notice.values))
        notices.append(notice)

    preset_id = str(params.get("preset", DEFAULT_PRESET))
    if preset_id not in presets:
        refuse(Notice("validation.unknown_preset", {"value": preset_id[:40], "allowed": Choices("preset", presets)}))
        preset_id = DEFAULT_PRESET
    growth = resolve_growth(presets[preset_id], base_data)

    known = ({lev.id for lev in growth_levers()} | {lev.id for lev in vision_levers()}
             | set(SETTING_KEYS) | set(META_KEYS))
    for key in params:
        if key not in known:
            refuse(Notice("validation.unknown_field", {"field": str(key)[:40]}))
    allowed_meta = {"lang": LANGS, "ref": ("none", *(f"preset:{pid}" for pid in presets)), "tab": TAB_IDS}
    for key, allowed in allowed_meta.items():
        if key in params and str(params[key]) not in allowed:
            refuse(Notice("validation.unknown_value", {"field": Choices("field", [key]), "value": str(params[key])[:40],
                                                       "allowed": Choices(key, allowed)}))
    if "v" in params and str(params["v"]).strip() != str(MODEL_VERSION):
        notices.append(Notice("validation.other_version", {"value": str(params["v"])[:20], "current": MODEL_VERSION}))

    macro = {lev.id: float(lev.default) for lev in vision_levers()}
    macro.update(presets[preset_id].levers)
    for values, levers in ((growth, growth_levers()), (macro, vision_levers())):
        for lev in levers:
            if lev.id in params:
                values[lev.id], notice = parse_lever_value(lev.id, params[lev.id], clamp=clamp)
                if notice:
                    notices.append(notice)

    settings: dict[str, float] = {}
    for key in ("base", "target", "horizon", "services"):
        if key in params:
            value, notice = parse_lever_value(key, params[key], clamp=clamp)
            if notice:
                notices.append(notice)
            settings[key] = value
        else:
            settings[key] = float(lever(key).default)
    base, target, horizon = (round(settings[k]) for k in ("base", "target", "horizon"))
    if base not in base_data.base_years():
        allowed = ", ".join(str(y) for y in base_data.base_years())
        refuse(Notice("validation.base_missing", {"value": base, "allowed": allowed}))
        base = int(lever("base").default)
    if not base < target <= horizon:
        refuse(Notice("validation.target_order", {"target": target, "base": base, "horizon": horizon}))
        target = max(target, base + 1)
        horizon = max(horizon, target)
    scenario = Scenario(base_year=base, target_year=target, horizon=horizon,
                        count_services=bool(round(settings["services"])), growth=growth, preset=preset_id,
                        macro=macro)
    return scenario, notices


def scenario_to_params(scenario: Scenario, lang: str = DEFAULT_LANG) -> dict[str, str]:
    """The scenario as readable strings (the inverse of scenario_from_params).

    Growth levers and settings are always written; a 5/5/5 lever only when it
    differs from its default (or from the value its preset sets), which keeps links short.
    """
    params = {lev.id: _fmt(scenario.growth[lev.id]) for lev in growth_levers()}
    preset = load_presets().get(scenario.preset)
    implied = {lev.id: float(lev.default) for lev in vision_levers()}
    implied.update(preset.levers if preset else {})
    params.update({lev.id: _fmt(scenario.macro[lev.id]) for lev in vision_levers()
                   if scenario.macro[lev.id] != implied[lev.id]})
    params.update({
        "base": str(scenario.base_year),
        "target": str(scenario.target_year),
        "horizon": str(scenario.horizon),
        "services": "1" if scenario.count_services else "0",
        "preset": scenario.preset,
        "lang": lang,
        "v": str(MODEL_VERSION),
    })
    return params
