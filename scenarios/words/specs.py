"""The app's Vega-Lite specs per language: built from scenarios/words/charts.py, shipped as JSON.

Building them needs Altair (import plus conversion: about a second), so they
are built ahead of time into scenarios/words/specs/<lang>.json and the app only
reads those files. A test fails when a shipped file no longer equals what the
builders make; regenerate with `python -m scenarios.words.spec_builder` (scenarios/words/spec_builder.py, the
only module that imports the builders and Altair).
"""

from __future__ import annotations

import copy
import json
from functools import cache, lru_cache
from pathlib import Path

from scenarios.registry.i18n import t

SPEC_DIR = Path(__file__).with_name("specs")
NAMES = ("exports", "gni", "kospi", "gdp", "rank", "monthly", "cumulative", "waterfall", "tornado", "tornado_narrow",
         "nowcast_record")


def money(lang: str) -> str:
    """How a language writes amounts in USD bn on charts: "eok" (억/조, Korean) or "usd_bn"."""
    return "eok" if lang == "ko" else "usd_bn"


def cumulative_texts(lang: str) -> dict[str, str]:
    """The cumulative chart's words (its series names fix the colours)."""
    return {key: t(f"fresh.cumulative_{key}", lang) for key in (
        "title", "alt", "month", "value", "actual", "nowcast", "prior", "crossing", "target_line")}


@cache
def load_specs(lang: str) -> dict[str, dict]:
    """The shipped specs of one language (scenarios/words/specs/<lang>.json; write_specs makes them)."""
    path = SPEC_DIR / f"{lang}.json"
    return json.loads(path.read_text(encoding="utf-8"))


LINE_CHANNELS = ("color", "strokeDash", "strokeWidth", "shape")


def present_kinds(frame) -> frozenset[str]:
    """The row kinds a chart's table holds (and "record" if a month carries a record note)."""
    kinds = set(frame["kind"].unique()) if len(frame) else set()
    if "note" in frame and len(frame) and (frame["note"].fillna("") != "").any():
        kinds.add("record")
    return frozenset(kinds)


def fit_legend(spec: dict, kinds: frozenset[str]) -> dict:
    """The spec with every legend entry whose rows are absent left out (no "Reference" when none is drawn).

    The spec's usermeta names, for each optional entry, the row kinds that draw it; the colour, dash,
    width and shape scales keep their order for the rest, so colours never shift. Deterministic in
    `kinds`: the spec changes only when a reference, the ranges or actuals appear or go, never with a slider.
    """
    shown_when = spec.get("usermeta", {}).get("legend_kinds")
    if not shown_when:
        return spec
    hidden = {name for name, need in shown_when.items() if not kinds & set(need)}
    if not hidden:
        return spec
    out = copy.deepcopy(spec)

    def walk(node: object) -> None:
        if isinstance(node, dict):
            enc = node.get("encoding")
            if isinstance(enc, dict):
                for channel in LINE_CHANNELS:
                    scale = (enc.get(channel) or {}).get("scale") if isinstance(enc.get(channel), dict) else None
                    if scale and isinstance(scale.get("domain"), list) and isinstance(scale.get("range"), list):
                        keep = [i for i, name in enumerate(scale["domain"]) if name not in hidden]
                        if len(keep) < len(scale["domain"]) and len(scale["range"]) == len(scale["domain"]):
                            scale["domain"] = [scale["domain"][i] for i in keep]
                            scale["range"] = [scale["range"][i] for i in keep]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(out)
    return out


@lru_cache(maxsize=256)
def fitted_spec(lang: str, name: str, kinds: frozenset[str], labels: tuple[str, ...] | None = None) -> dict:
    """One chart's spec for the rows at hand: legends fitted to them, the industries renamed if labels given."""
    spec = exports_spec_with_labels(lang, list(labels)) if labels else load_specs(lang)[name]
    return fit_legend(spec, kinds)


def exports_spec_with_labels(lang: str, labels: list[str]) -> dict:
    """The exports spec with other legend names (e.g. 'Semiconductors (yours)'): only the colour domain changes."""
    spec = copy.deepcopy(load_specs(lang)["exports"])

    def walk(node: dict) -> None:
        for layer in node.get("layer", []):
            colour = layer.get("encoding", {}).get("color", {})
            if colour.get("field") == "series" and "domain" in colour.get("scale", {}):
                colour["scale"]["domain"] = list(labels)
            walk(layer)

    walk(spec)
    return spec


