"""Build the chart specs with Altair (python -m scenarios.words.spec_builder writes specs/<lang>.json).

Kept apart from scenarios.words.specs, which the app reads at run time: Altair is large, and the app never
builds a spec while it runs (it reads the built files), so it never imports this module or Altair.
"""

from __future__ import annotations

import json

from scenarios.data.dataset import load_dataset
from scenarios.registry.i18n import available_langs, t
from scenarios.registry.levers import growth_levers
from scenarios.words.charts import (
    TORNADO_NARROW,
    cumulative_chart,
    exports_chart,
    monthly_chart,
    rank_chart,
    record_chart,
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
    record_frame_columns,
    vision_frame_columns,
    waterfall_kinds,
)
from scenarios.words.specs import SPEC_DIR, cumulative_texts, money


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
        "nowcast_record": record_chart(record_frame_columns(), {key: t(f"nowcast_record.chart_{key}", lang) for key in (
            "title", "alt", "month", "value", "p50", "months")}, money=m),
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
        "tornado_narrow": tornado_chart(pd.DataFrame(columns=list(TORNADO_COLUMNS)),
                                        [t("wit.end_low", lang), t("wit.end_high", lang)], tornado_texts,
                                        **TORNADO_NARROW),
    }


def write_specs(n_economies: int) -> None:
    """Regenerate scenarios/words/specs/<lang>.json for every language."""
    SPEC_DIR.mkdir(exist_ok=True)
    for lang in available_langs():
        text = json.dumps(build_specs(lang, n_economies), ensure_ascii=False, indent=1, sort_keys=True)
        (SPEC_DIR / f"{lang}.json").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_specs(len(load_dataset().macro.peers) + 1)
