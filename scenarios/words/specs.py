"""The app's Vega-Lite specs per language: built from scenarios/words/charts.py, shipped as JSON.

Building them needs Altair (import plus conversion: about a second), so they
are built ahead of time into scenarios/words/specs/<lang>.json and the app only
reads those files. A test fails when a shipped file no longer equals what the
builders make; regenerate with `python -m scenarios.words.specs`.
"""

from __future__ import annotations

import copy
import json
from functools import cache, lru_cache
from pathlib import Path

from scenarios.registry.i18n import available_langs, t
from scenarios.registry.levers import growth_levers
from scenarios.words.charts import (
    cumulative_chart,
    exports_chart,
    monthly_chart,
    rank_chart,
    spec_without_data,
    tornado_chart,
    vision_chart,
    waterfall_chart,
)
from scenarios.words.frames import (
    TORNADO_COLUMNS,
    WATERFALL_COLUMNS,
    cumulative_frame_columns,
    exports_frame_columns,
    monthly_frame_columns,
    rank_frame_columns,
    vision_frame_columns,
    waterfall_kinds,
)

SPEC_DIR = Path(__file__).with_name("specs")
NAMES = ("exports", "gni", "kospi", "gdp", "rank", "monthly", "cumulative", "waterfall", "tornado")


def money(lang: str) -> str:
    """How a language writes amounts in USD bn on charts: "eok" (억/조, Korean) or "usd_bn"."""
    return "eok" if lang == "ko" else "usd_bn"


def _vision_texts(lang: str, name: str, value_key: str) -> dict[str, str]:
    return {"title": t(f"vision.{name}_title", lang), "alt": t(f"vision.{name}_alt", lang),
            "year": t("chart.year", lang), "value": t(f"vision.{value_key}", lang),
            "series": t("chart.series", lang), "note": t("vision.note", lang), "gdp": t("vision.gdp", lang),
            "scenario": t("vision.scenario", lang), "actual": t("vision.actual", lang),
            "reference": t("compare.reference", lang), "band80": t("chart.band80", lang),
            "band50": t("chart.band50", lang), "median": t("chart.median", lang),
            "band_low": t("chart.band_low", lang), "band_high": t("chart.band_high", lang),
            "event": t("vision.kospi_event_name", lang), "others": t("vision.others", lang),
            "top5": t("vision.top5_line", lang), "imf": t("vision.imf_rank", lang), "money": money(lang),
            "target": t(f"vision.{name}_target", lang) if name != "rank" else ""}


def cumulative_texts(lang: str) -> dict[str, str]:
    """The cumulative chart's words (its series names fix the colours)."""
    return {key: t(f"fresh.cumulative_{key}", lang) for key in (
        "title", "alt", "month", "value", "actual", "nowcast", "prior", "crossing", "target_line")}


def build_specs(lang: str, n_economies: int) -> dict[str, dict]:
    """Build every spec (NAMES) for one language with Altair (validated against the Vega-Lite schema).

    n_economies: Korea and its peers (the rank chart's axis), len(dataset.macro.peers) + 1.
    """
    labels = [t(lev.label_key, lang) for lev in growth_levers()]
    texts = {key: t(f"chart.{key}", lang) for key in ("year", "value", "series", "target_line", "lines", "total",
                                                       "actual", "reference", "band80", "band50", "median",
                                                       "pledge_path", "needed_path")}
    texts.update(title=t("chart.exports_title", lang), alt=t("chart.exports_alt", lang))
    empty = vision_frame_columns()
    m = money(lang)
    charts = {
        "exports": exports_chart(exports_frame_columns(), labels, texts, money=m),
        "gni": vision_chart(empty, _vision_texts(lang, "gni", "usd")),
        "kospi": vision_chart(empty, _vision_texts(lang, "kospi", "index")),
        "gdp": vision_chart(empty, _vision_texts(lang, "gdp", "gdp"), money=m),
        "rank": rank_chart(rank_frame_columns(), _vision_texts(lang, "rank", "rank"), n_economies),
        "monthly": monthly_chart(monthly_frame_columns(), {**{key: t(f"present.month_chart.{key}", lang) for key in (
            "title", "alt", "month", "value", "kind", "strong", "weak", "nowcast", "prior", "record")},
            "missing": t("fresh.missing_chart", lang)}, money=m),
        "cumulative": cumulative_chart(cumulative_frame_columns(), cumulative_texts(lang), money=m),
    }
    charts.update(_what_it_takes_charts(lang))
    return {name: spec_without_data(chart, validate=True) for name, chart in charts.items()}


def _what_it_takes_charts(lang: str) -> dict:
    """The gap waterfall and the levers' tornado (issue #14)."""
    import pandas as pd


    waterfall_texts = {"title": t("wit.waterfall_title", lang), "alt": t("wit.waterfall_alt", lang),
                       "value": t("chart.value", lang), "series": t("chart.series", lang),
                       "kind": t("wit.kind_title", lang), "change": t("wit.change", lang),
                       "target_line": t("chart.target_line", lang)}
    tornado_texts = {"title": t("wit.tornado_title", lang), "alt": t("wit.tornado_alt", lang),
                     "lever": t("wit.lever", lang), "setting": t("wit.setting", lang),
                     "result": t("wit.result", lang), "as_set": t("wit.as_set", lang)}
    return {
        "waterfall": waterfall_chart(pd.DataFrame(columns=list(WATERFALL_COLUMNS)), waterfall_kinds(lang),
                                     waterfall_texts, money=money(lang)),
        "tornado": tornado_chart(pd.DataFrame(columns=list(TORNADO_COLUMNS)),
                                 [t("wit.end_low", lang), t("wit.end_high", lang)], tornado_texts),
    }


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


def write_specs(n_economies: int) -> None:
    """Regenerate scenarios/words/specs/<lang>.json for every language."""
    SPEC_DIR.mkdir(exist_ok=True)
    for lang in available_langs():
        text = json.dumps(build_specs(lang, n_economies), ensure_ascii=False, indent=1, sort_keys=True)
        (SPEC_DIR / f"{lang}.json").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    from scenarios.data.dataset import load_dataset  # only when run as a script: the specs need the peers' count

    write_specs(len(load_dataset().macro.peers) + 1)
