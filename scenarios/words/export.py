"""Files a user takes away: the scenario as JSON, every path as tidy CSV, charts as PNG/SVG, a summary image.

Pure functions (no Streamlit). Chart images are rendered by vl-convert from
the same Vega-Lite specs the app shows, with a CJK-capable font named so that
Korean text renders.
"""

from __future__ import annotations

import datetime
import json
import re
import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from scenarios.data.baseline import Baseline
from scenarios.data.freshness import freshness
from scenarios.data.overrides import OverrideError, overrides_from_json, overrides_to_json
from scenarios.model.projection import Projection, Scenario
from scenarios.model.share import Notice, ScenarioError, scenario_from_params, scenario_to_params
from scenarios.registry.i18n import Message, fmt_number, fmt_pct, fmt_usd_bn, message_of, t
from scenarios.registry.levers import MODEL_VERSION
from scenarios.registry.safety import JSON_MAX_DEPTH, NumberTooLong, clean_name, csv_safe_frame, json_depth, json_int
from scenarios.words.describe import headline_quote, preset_name, reached_text, required_pct

if TYPE_CHECKING:
    from scenarios.model.outcome import Outcome
    from scenarios.model.vision import VisionPath

APP_ID = "big10-export-explorer"
# UTF-8 with a byte-order mark: Excel (the spreadsheet most readers open a CSV in) then reads Korean
# names right instead of guessing a legacy code page; every CSV reader still reads it as UTF-8.
CSV_ENCODING = "utf-8-sig"
MAX_JSON_BYTES = 100_000
CHART_FONT = "Noto Sans CJK KR, Noto Sans, Arial, sans-serif"


# ------------------------------------------------------------------ JSON


def scenario_to_json(scenario: Scenario, name: str = "", lang: str = "en", overrides: dict | None = None) -> str:
    """The whole scenario (every lever, the settings, the data/model version, the user's own figures) as JSON."""
    params = scenario_to_params(scenario, lang)
    params.update({k: f"{v:.12g}" for k, v in scenario.macro.items()})  # every lever, defaults included
    return json.dumps({"app": APP_ID, "v": MODEL_VERSION, "name": name, "params": params,
                       "overrides": overrides_to_json(overrides or {})}, ensure_ascii=False, indent=2)


def scenario_from_json(text: str | bytes, baseline: Baseline) -> tuple[Scenario, str, list[Notice]]:
    """Parse a saved scenario; values are validated and clamped like a link's. Raises ScenarioError."""
    scenario, name, notices, _ = scenario_and_overrides_from_json(text, baseline)
    return scenario, name, notices


def scenario_and_overrides_from_json(text: str | bytes,
                                     baseline: Baseline) -> tuple[Scenario, str, list[Notice], dict]:
    """Parse a saved scenario and the user's own figures in it. Raises ScenarioError (bad figures included).

    The scenario's base year is checked against `baseline` (the data the scenario will run on). A UTF-8
    byte-order mark, as some editors write one, is skipped.
    """
    if isinstance(text, bytes):
        if len(text) > MAX_JSON_BYTES:
            raise ScenarioError(Message("share.json_too_big", max=MAX_JSON_BYTES // 1000))
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ScenarioError(Message("share.json_invalid", problem=Message("hostile.not_utf8"))) from None
    if len(text) > MAX_JSON_BYTES:
        raise ScenarioError(Message("share.json_too_big", max=MAX_JSON_BYTES // 1000))
    text = text.removeprefix("\ufeff")
    if json_depth(text) > JSON_MAX_DEPTH:  # measured first: json.loads would recurse once per level
        raise ScenarioError(Message("share.json_invalid", problem=Message("hostile.json_too_deep", max=JSON_MAX_DEPTH)))
    try:
        raw = json.loads(text, parse_int=json_int)
    except json.JSONDecodeError as exc:
        raise ScenarioError(Message("share.json_invalid", problem=Message("hostile.json_syntax", line=exc.lineno,
                                                                      column=exc.colno))) from None
    except NumberTooLong as exc:
        raise ScenarioError(Message("share.json_invalid", problem=exc)) from None
    except RecursionError:  # the depth check above should make this unreachable
        too_deep = Message("hostile.json_too_deep", max=JSON_MAX_DEPTH)
        raise ScenarioError(Message("share.json_invalid", problem=too_deep)) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("params"), dict):
        raise ScenarioError(Message("share.json_invalid", problem=Message("hostile.json_no_params")))
    params = {str(k): v for k, v in raw["params"].items() if isinstance(v, (str, int, float))}
    scenario, notices = scenario_from_params(params, clamp=True, baseline=baseline)
    name = clean_name(raw.get("name")) if isinstance(raw.get("name"), str) else ""
    try:
        overrides = overrides_from_json(raw.get("overrides", []))
    except OverrideError as exc:
        raise ScenarioError(message_of(exc)) from None
    return scenario, name, notices, overrides


# ------------------------------------------------------------------ CSV


def tidy_frame(proj: Projection, vision: VisionPath, scenario_name: str) -> pd.DataFrame:
    """Every path the app shows, long form: scenario, year, series, value, unit."""
    years = proj.years
    blocks = [(sid, proj.values[i], "usd_bn") for i, sid in enumerate(proj.series_ids)]
    counted = [bool(c) for c in proj.counted]
    blocks += [("exports_total", proj.total, "usd_bn"), ("gdp_usd_bn", vision.gdp_usd_bn, "usd_bn"),
               ("gni_per_capita_usd", vision.gni_per_capita_usd, "usd"), ("kospi", vision.kospi, "index"),
               ("gdp_rank", vision.gdp_rank.astype(float), "rank"), ("population_mn", vision.population_mn,
                                                                       "mn_persons"),
               ("fifth_largest_other_economy_usd_bn", vision.fifth_largest_peer, "usd_bn")]
    n = len(years)
    return pd.DataFrame({
        "scenario": scenario_name,
        "year": np.tile(years, len(blocks)),
        "series": np.repeat([b[0] for b in blocks], n),
        "value": np.concatenate([np.asarray(b[1], dtype=float) for b in blocks]).round(6),
        "unit": np.repeat([b[2] for b in blocks], n),
        # False for a services series left out of the pledge's goods total, so the parts add up to exports_total
        "counted_in_total": np.repeat(counted + [True] * (len(blocks) - len(counted)), n),
    })


def outcome_frames(outcome: Outcome, name: str, reference_name: str = "") -> list[pd.DataFrame]:
    """The tidy tables of a scenario and, when one is compared, of its reference."""
    frames = [tidy_frame(outcome.projection, outcome.vision, name)]
    if outcome.reference is not None and outcome.reference_vision is not None:
        frames.append(tidy_frame(outcome.reference, outcome.reference_vision, reference_name))
    return frames


def tidy_csv(frames: list[pd.DataFrame]) -> bytes:
    """One CSV of the given tidy frames (yours, and the reference when there is one).

    A text cell that a spreadsheet would run as a formula (a scenario named "=HYPERLINK(...)") starts with an
    apostrophe in the file, so it is shown as text.
    """
    return csv_safe_frame(pd.concat(frames, ignore_index=True)).to_csv(index=False).encode(CSV_ENCODING)


# ------------------------------------------------------------------ images


def _with_data(spec: dict, frame: pd.DataFrame, width: int, height: int | None = None) -> dict:
    """A standalone Vega-Lite spec: the app's spec plus its data inline and a CJK-capable font."""
    out = json.loads(json.dumps(spec))
    out["data"] = {"values": json.loads(frame.to_json(orient="records"))}
    out["width"] = width
    if height:
        out["height"] = height
    config = out.setdefault("config", {})
    config["font"] = CHART_FONT
    out["background"] = "white"
    out["autosize"] = {"type": "fit", "contains": "padding"}  # the image is exactly `width` wide
    return out


CHART_WIDTH = 900
CHART_SCALE = 2.0


def chart_png(spec: dict, frame: pd.DataFrame, width: int = CHART_WIDTH, scale: float = CHART_SCALE) -> bytes:
    """One chart as PNG: exactly width x scale pixels wide (1,800 by default)."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(_with_data(spec, frame, width), scale=scale)


def chart_svg(spec: dict, frame: pd.DataFrame, width: int = CHART_WIDTH) -> bytes:
    """One chart as SVG, `width` pixels wide."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(_with_data(spec, frame, width)).encode("utf-8")


_WIDTH_RULE = re.compile(r"^width < (\d+) \? (\d+) : width < (\d+) \? (\d+) : (\d+)$")


def _at_width(spec: object, width: int) -> object:
    """The spec with every legend layout that depends on the chart's width (charts.columns) fixed for `width`.

    Inside the summary image the chart is one part of a composition, where Vega's `width` is not the chart's.
    """
    if isinstance(spec, dict):
        found = _WIDTH_RULE.match(spec.get("expr", "")) if set(spec) == {"expr"} else None
        if found:
            narrow, n_narrow, medium, n_medium, n_wide = map(int, found.groups())
            return n_narrow if width < narrow else n_medium if width < medium else n_wide
        return {key: _at_width(value, width) for key, value in spec.items()}
    if isinstance(spec, list):
        return [_at_width(value, width) for value in spec]
    return spec


def summary_lines(outcome: Outcome, lang: str) -> list[str]:
    """The scenario's headline numbers as short lines of text."""
    s, at = outcome.scenario, outcome.at_target
    year = s.target_year
    return [
        t("summary_image.settings", lang, base=s.base_year, target=s.target_year, horizon=s.horizon,
          preset=preset_name(s.preset, lang)),
        reached_text(outcome, "exports_1t", "summary_image.exports", lang, year=year,
                     value=fmt_usd_bn(at["exports_total"], lang)),
        t("summary_image.required", lang, year=year, pct=fmt_pct(required_pct(outcome.required_uniform_pct), lang)),
        reached_text(outcome, "gni_per_capita_50k", "summary_image.gni", lang, year=year,
                     value=fmt_number(at["gni_per_capita_usd"], lang, 0)),
        reached_text(outcome, "kospi_5000", "summary_image.kospi", lang, projected=True, year=year,
                     value=fmt_number(at["kospi"], lang, 0)),
        reached_text(outcome, "top5_economy", "summary_image.rank", lang, year=year,
                     rank=round(at["gdp_rank"])),
    ]


def summary_png(outcome: Outcome, exports_spec: dict, exports_frame: pd.DataFrame,
                lang: str, width: int = 1000, today: datetime.date | None = None, custom: bool = False) -> bytes:
    """A one-page image of the scenario, ready for an article.

    The title, the dated quote (today's date, the data's cut-off, the year's estimate with its range, the
    crossing and the chances), the headline numbers and the exports chart.
    """
    import vl_convert as vlc  # only when an image is asked for: the converter is large

    quote = headline_quote(outcome, freshness(outcome.dataset, today), lang, custom)
    lines = [*textwrap.wrap(quote, 58 if lang == "ko" else 110), "", *summary_lines(outcome, lang)]
    chart = _at_width(_with_data(exports_spec, exports_frame, width - 220, 360), width - 220)
    chart.pop("$schema", None)
    chart.pop("config", None)
    chart.pop("background", None)
    text = {
        "data": {"values": [{"i": i, "line": line} for i, line in enumerate(lines)]},
        "mark": {"type": "text", "align": "left", "baseline": "top", "fontSize": 15, "dx": 0},
        "encoding": {"y": {"field": "i", "type": "ordinal", "axis": None}, "x": {"value": 0},
                     "text": {"field": "line", "type": "nominal"}},
        "width": width - 40, "height": 24 * len(lines),
    }
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": {"text": t("app.title", lang), "subtitle": t("summary_image.source", lang), "fontSize": 22,
                  "anchor": "start"},
        "vconcat": [text, chart],
        "config": {"font": CHART_FONT, "view": {"stroke": None}},
        "background": "white", "padding": 20,
    }
    return vlc.vegalite_to_png(spec, scale=1.5)


# ------------------------------------------------------------------ what it would take (issue #14)


def gap_frame(outcome: Outcome, scenario_name: str) -> pd.DataFrame:
    """The gap by series as a table: each series' base-year and target-year value and its contribution.

    contribution_usd_bn is V_i(T) - V_i(b) for series counted in the total (0
    for the others) and sums to the exports_total row's; the last row,
    shortfall_to_usd_1trn, is USD 1 trn minus the target-year total
    (negative: beyond it).
    """
    s, gap = outcome.scenario, outcome.gap
    rows = [{"series": sid, "counted_in_total": bool(c), "base_value_usd_bn": float(b), "target_value_usd_bn": float(v),
             "contribution_usd_bn": float(d)}
            for sid, c, b, v, d in zip(gap.series_ids, gap.counted, gap.base_values, gap.target_values,
                                       gap.contributions, strict=True)]
    rows.append({"series": "exports_total", "counted_in_total": True, "base_value_usd_bn": gap.base_total,
                 "target_value_usd_bn": gap.target_total, "contribution_usd_bn": gap.change})
    rows.append({"series": "shortfall_to_usd_1trn", "counted_in_total": False, "base_value_usd_bn": np.nan,
                 "target_value_usd_bn": gap.target, "contribution_usd_bn": gap.shortfall})
    frame = pd.DataFrame(rows)
    frame.insert(0, "scenario", scenario_name)
    frame.insert(2, "base_year", s.base_year)
    frame.insert(3, "target_year", s.target_year)
    return frame.round(6)


def sensitivity_frame(outcome: Outcome, scenario_name: str) -> pd.DataFrame:
    """Every lever's swing and its effect (the tornado's numbers), with chances when ranges are on."""
    rows = outcome.sensitivity_chances or outcome.sensitivity
    frame = pd.DataFrame([row.as_dict() for row in rows])
    frame.insert(0, "scenario", scenario_name)
    frame.insert(1, "target_year", outcome.scenario.target_year)
    return frame.round(6)


def frame_csv(frame: pd.DataFrame) -> bytes:
    """One table as CSV bytes (UTF-8 with a byte-order mark, as tidy_csv)."""
    return frame.to_csv(index=False).encode(CSV_ENCODING)


def months_and_bands_csv(outcome: Outcome) -> bytes:
    """The months behind the tracker and the bands behind the charts, as one long CSV (full precision).

    table "month": every monthly figure in the data (series, coverage, value, quality, source); table
    "nowcast": the year in progress' months to come on the central path ("missing" when the month is over
    but its release is not in the data); table "band": each path's p10-p90 by year when ranges are on.
    """
    rows: list[dict] = []
    for r in outcome.dataset.monthly.rows:
        rows.append({"table": "month", "period": r.period, "series": r.series, "coverage": r.coverage,
                     "kind": "data", "value": r.value, "quality": r.quality, "source": r.source,
                     "source_url": r.source_url})
    if outcome.present is not None:
        missing = set(freshness(outcome.dataset).months_missing)
        for period, value in outcome.present.total.projected:
            rows.append({"table": "nowcast", "period": period, "series": "total", "coverage": "month",
                         "kind": "missing" if period in missing else "nowcast", "value": value,
                         "quality": "nowcast", "source": "", "source_url": ""})
    for name, quantiles in outcome.bands.items():
        for q, path in quantiles.items():
            for year, value in zip(outcome.years, path, strict=True):
                rows.append({"table": "band", "period": str(int(year)), "series": name, "coverage": "year",
                             "kind": f"p{round(q * 100):d}", "value": float(value), "quality": "simulated",
                             "source": "", "source_url": ""})
    return csv_safe_frame(pd.DataFrame(rows)).to_csv(index=False).encode(CSV_ENCODING)
