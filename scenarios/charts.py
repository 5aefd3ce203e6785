"""Altair chart builders: pure functions from tidy data to alt.Chart (no Streamlit).

Specs never contain slider values (no numbers in titles, no data-driven
domains), so the browser swaps data in place when a slider moves. The app
does not import this module at run time: it reads the specs built from it
(scenarios/specs.py), so Altair's import and conversion stay off the start path.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from scenarios.frames import (
    KIND_ACTUAL,
    KIND_AREA,
    KIND_BAND50,
    KIND_BAND90,
    KIND_EVENT,
    KIND_MEDIAN,
    KIND_REFERENCE,
    KIND_SCENARIO,
    KIND_TARGET,
    KIND_TOTAL,
    KIND_UNCOUNTED,
    REFERENCE_COLOUR,
)
from scenarios.model import EXPORT_TARGET_USD_BN

FAN_COLOUR = "#EE7733"  # Tol vibrant orange: not in the industry palette, so the range reads apart from them
PALETTE = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE",
           "#882255", "#44AA99", "#999933", "#AA4499", "#6699CC", "#BBBBBB")

def band_layers(x: alt.X, colour: str, y_title: str, value_format: str = ",.0f",
                field: str = "value") -> list[alt.Chart]:
    """The fan: a light p10-p90 band, a darker p25-p75 band and a dotted median."""
    layer = alt.Chart()
    tip = [alt.Tooltip("year:O"), alt.Tooltip("lo:Q", format=value_format), alt.Tooltip("hi:Q", format=value_format)]
    outer = (layer.transform_filter(alt.datum.kind == KIND_BAND90)
             .mark_area(color=colour, opacity=0.13).encode(x=x, y=alt.Y("lo:Q", title=y_title), y2="hi:Q",
                                                             tooltip=tip))
    inner = (layer.transform_filter(alt.datum.kind == KIND_BAND50)
             .mark_area(color=colour, opacity=0.25).encode(x=x, y="lo:Q", y2="hi:Q", tooltip=tip))
    median = (layer.transform_filter(alt.datum.kind == KIND_MEDIAN)
              .mark_line(color=colour, strokeDash=[1, 3], strokeWidth=2)
              .encode(x=x, y=alt.Y(f"{field}:Q" if field != "value" else "value:Q")))
    return [outer, inner, median]


def exports_chart(frame: pd.DataFrame, series_labels: list[str], texts: dict[str, str]) -> alt.LayerChart:
    """Stacked area by industry, the scenario total, actual totals and the USD 1 trn line.

    All data layers share the one top-level table `frame` (see exports_frame);
    texts: title, year, value, series, target_line, alt (from the locale catalog).
    """
    colour = alt.Color("series:N", title=texts["series"],
                       scale=alt.Scale(domain=series_labels, range=list(PALETTE[: len(series_labels)])),
                       legend=alt.Legend(orient="right", symbolType="square"))
    x = alt.X("year:O", title=texts["year"], axis=alt.Axis(labelAngle=0))
    y_title = texts["value"]
    tooltip = [alt.Tooltip("series:N", title=texts["series"]), alt.Tooltip("year:O", title=texts["year"]),
               alt.Tooltip("value:Q", title=y_title, format=",.1f")]
    layer = alt.Chart()
    area = (layer.transform_filter(alt.datum.kind == KIND_AREA)
            .mark_area(opacity=0.85)
            .encode(x=x, y=alt.Y("value:Q", stack="zero", title=y_title), color=colour,
                    order=alt.Order("order:Q", sort="ascending"), tooltip=tooltip))
    uncounted = (layer.transform_filter(alt.datum.kind == KIND_UNCOUNTED)
                 .mark_line(strokeDash=[2, 2], strokeWidth=2)
                 .encode(x=x, y="value:Q", color=colour, tooltip=tooltip))
    total = (layer.transform_filter(alt.datum.kind == KIND_TOTAL)
             .mark_line(color="black", strokeWidth=2.5)
             .encode(x=x, y="value:Q", detail="series:N", tooltip=tooltip))
    actual = (layer.transform_filter(alt.datum.kind == KIND_ACTUAL)
              .mark_line(color="#444444", strokeDash=[6, 3], strokeWidth=2,
                         point=alt.OverlayMarkDef(color="#444444", size=50, filled=True, shape="diamond"))
              .encode(x=x, y="value:Q", detail="series:N", tooltip=tooltip))
    one_row = alt.InlineData(values=[{"target": EXPORT_TARGET_USD_BN}])
    rule = alt.Chart(one_row).mark_rule(color="#B00020", strokeDash=[8, 4], strokeWidth=1.5).encode(
        y="target:Q")
    rule_label = alt.Chart(one_row).mark_text(align="left", dx=4, dy=-7, color="#B00020", fontWeight="bold").encode(
        y="target:Q", x=alt.value(0), text=alt.datum(texts["target_line"]))
    reference = (layer.transform_filter(alt.datum.kind == KIND_REFERENCE)
                 .mark_line(color=REFERENCE_COLOUR, strokeDash=[3, 3], strokeWidth=2.5)
                 .encode(x=x, y="value:Q", detail="series:N", tooltip=tooltip))
    direct = (layer.transform_filter(alt.datum.label != "")
              .mark_text(align="right", dx=-6, fontSize=11, fontWeight="bold", color="white")
              .encode(x=x, y=alt.Y("label_y:Q"), text="label:N"))
    fan = band_layers(x, FAN_COLOUR, y_title, ",.1f")
    return (alt.layer(area, uncounted, *fan, reference, total, actual, rule, rule_label, direct, data=frame)
            .properties(title=texts["title"], height=420, description=texts.get("alt", texts["title"])))


def spec_without_data(chart: alt.TopLevelMixin, validate: bool = False) -> dict:
    """The chart's Vega-Lite spec with its top-level data removed.

    Build it once per language and pass each rerun's table beside it
    (st.vega_lite_chart(frame, spec)): the spec is then byte-identical across
    reruns, so the browser only swaps data, and Altair's slow validation and
    conversion run once instead of on every slider move. Schema validation
    (slow: jsonschema) is off at run time; the tests build every spec with
    validate=True.
    """
    spec = chart.to_dict(validate=validate)
    top = spec.pop("data", None)
    datasets = spec.pop("datasets", {})
    if isinstance(top, dict) and "name" in top:
        datasets.pop(top["name"], None)
    for layer in spec.get("layer", []):  # small constant layers (the target line) go back inline
        name = layer.get("data", {}).get("name")
        if name is not None:
            layer["data"] = {"values": datasets[name]}
    return spec


# ---------------------------------------------------------------- 5/5/5 panel

def vision_chart(frame: pd.DataFrame, texts: dict[str, str], value_format: str = ",.0f") -> alt.LayerChart:
    """A 5/5/5 target: the scenario path against its line, with actuals and dated events.

    texts: title, year, value, series, note, alt, and the series names scenario,
    target and actual (all from the locale catalog; they fix the colours).
    """
    x = alt.X("year:O", title=texts["year"], axis=alt.Axis(labelAngle=0))
    y = alt.Y("value:Q", title=texts["value"], axis=alt.Axis(format=value_format), scale=alt.Scale(zero=False))
    tooltip = [alt.Tooltip("series:N", title=texts["series"]), alt.Tooltip("year:O", title=texts["year"]),
               alt.Tooltip("value:Q", title=texts["value"], format=value_format),
               alt.Tooltip("note:N", title=texts.get("note", ""))]
    layer = alt.Chart()
    colour = alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom"),
                       scale=alt.Scale(domain=[texts["scenario"], texts["target"], texts["actual"],
                                               texts["reference"]],
                                       range=["#332288", "#B00020", "#444444", REFERENCE_COLOUR]))
    scenario = (layer.transform_filter(alt.datum.kind == KIND_SCENARIO)
                .mark_line(strokeWidth=2.5).encode(x=x, y=y, color=colour, tooltip=tooltip))
    target = (layer.transform_filter(alt.datum.kind == KIND_TARGET)
              .mark_line(strokeDash=[8, 4], strokeWidth=1.5).encode(x=x, y=y, color=colour, tooltip=tooltip))
    actual = (layer.transform_filter(alt.datum.kind == KIND_ACTUAL)
              .mark_line(strokeDash=[6, 3], strokeWidth=2, point=alt.OverlayMarkDef(shape="diamond", size=50))
              .encode(x=x, y=y, color=colour, tooltip=tooltip))
    reference = (layer.transform_filter(alt.datum.kind == KIND_REFERENCE)
                 .mark_line(strokeDash=[3, 3], strokeWidth=2).encode(x=x, y=y, color=colour, tooltip=tooltip))
    event = (layer.transform_filter(alt.datum.kind == KIND_EVENT)
             .mark_point(shape="triangle-up", size=120, filled=True, color="#117733")
             .encode(x=x, y=y, tooltip=tooltip))
    event_label = (layer.transform_filter(alt.datum.kind == KIND_EVENT)
                   .mark_text(align="left", dx=8, dy=-12, color="#117733", fontSize=11)
                   .encode(x=x, y=y, text="note:N"))
    fan = band_layers(x, "#332288", texts["value"], value_format)
    return (alt.layer(*fan, reference, scenario, target, actual, event, event_label, data=frame)
            .properties(title=texts["title"], height=260, description=texts.get("alt", texts["title"])))


def rank_chart(frame: pd.DataFrame, texts: dict[str, str], n_economies: int, target_rank: int = 5) -> alt.LayerChart:
    """A bump chart of GDP ranks: Korea's scenario path in colour, the other economies in grey, the top-5 line."""
    x = alt.X("year:O", title=texts["year"], axis=alt.Axis(labelAngle=0))
    y = alt.Y("rank:Q", title=texts["value"], scale=alt.Scale(domain=[1, n_economies], reverse=True, nice=False),
              axis=alt.Axis(values=list(range(1, n_economies + 1)), format="d"))
    tooltip = [alt.Tooltip("economy:N", title=texts["series"]), alt.Tooltip("year:O", title=texts["year"]),
               alt.Tooltip("rank:Q", title=texts["value"]), alt.Tooltip("gdp:Q", title=texts["gdp"], format=",.0f")]
    layer = alt.Chart()
    peers = (layer.transform_filter(alt.datum.kind == "peer")
             .mark_line(color="#BBBBBB", strokeWidth=1)
             .encode(x=x, y=y, detail="economy:N", tooltip=tooltip))
    peer_names = (layer.transform_filter(alt.datum.kind == "peer")
                  .transform_window(last="rank()", sort=[alt.SortField("year", order="descending")],
                                    groupby=["economy"])
                  .transform_filter(alt.datum.last == 1)
                  .mark_text(align="left", dx=5, color="#777777", fontSize=10)
                  .encode(x=x, y=y, text="economy:N"))
    korea = (layer.transform_filter(alt.datum.kind == "korea")
             .mark_line(color="#332288", strokeWidth=3, point=alt.OverlayMarkDef(color="#332288", size=40))
             .encode(x=x, y=y, detail="economy:N", tooltip=tooltip))
    actual = (layer.transform_filter(alt.datum.kind == KIND_ACTUAL)
              .mark_point(shape="diamond", size=90, filled=True, color="#444444")
              .encode(x=x, y=y, tooltip=tooltip))
    reference = (layer.transform_filter(alt.datum.kind == KIND_REFERENCE)
                 .mark_line(color=REFERENCE_COLOUR, strokeDash=[3, 3], strokeWidth=2)
                 .encode(x=x, y=y, detail="economy:N", tooltip=tooltip))
    line = alt.Chart(alt.InlineData(values=[{"rank": target_rank + 0.5}])).mark_rule(
        color="#B00020", strokeDash=[8, 4]).encode(y=alt.Y("rank:Q"))
    fan = band_layers(x, "#332288", texts["value"], ",.1f", field="rank")
    return (alt.layer(peers, peer_names, *fan, reference, korea, actual, line, data=frame)
            .properties(title=texts["title"], height=300, description=texts.get("alt", texts["title"])))


# ---------------------------------------------------------------- the tracker

def monthly_chart(frame: pd.DataFrame, texts: dict[str, str]) -> alt.LayerChart:
    """Monthly exports: bars by source strength, hollow bars for the nowcast months, a year earlier as a line.

    texts: title, alt, month, value, kind, and the names strong, weak, nowcast, prior (they fix the colours).
    """
    from scenarios.frames import KIND_NOWCAST, KIND_PRIOR, KIND_STRONG, KIND_WEAK

    x = alt.X("month:O", title=texts["month"], axis=alt.Axis(labelAngle=-45, labelOverlap=True))
    y = alt.Y("value:Q", title=texts["value"], axis=alt.Axis(format=",.0f"))
    names = [texts["strong"], texts["weak"], texts["nowcast"], texts["prior"]]
    colour = alt.Color("series:N", title=texts["kind"], legend=alt.Legend(orient="bottom"),
                       scale=alt.Scale(domain=names, range=["#332288", "#88CCEE", "#EE7733", "#444444"]))
    tooltip = [alt.Tooltip("month:O", title=texts["month"]), alt.Tooltip("series:N", title=texts["kind"]),
               alt.Tooltip("value:Q", title=texts["value"], format=",.2f")]
    layer = alt.Chart()
    known = (layer.transform_filter((alt.datum.kind == KIND_STRONG) | (alt.datum.kind == KIND_WEAK))
             .mark_bar().encode(x=x, y=y, color=colour, tooltip=tooltip))
    cast = (layer.transform_filter(alt.datum.kind == KIND_NOWCAST)
            .mark_bar(filled=False, strokeWidth=1.5, strokeDash=[3, 2])
            .encode(x=x, y=y, color=colour, stroke=colour, tooltip=tooltip))
    prior = (layer.transform_filter(alt.datum.kind == KIND_PRIOR)
             .mark_line(strokeWidth=1.5, point=alt.OverlayMarkDef(size=15))
             .encode(x=x, y=y, color=colour, tooltip=tooltip))
    record = (layer.transform_filter(alt.datum.note != "")
              .mark_point(shape="triangle-down", size=70, filled=True, color="#117733", yOffset=-8)
              .encode(x=x, y=y, tooltip=[*tooltip, alt.Tooltip("note:N", title="")]))
    return (alt.layer(known, cast, prior, record, data=frame)
            .properties(title=texts["title"], height=260, description=texts["alt"]))


# ---------------------------------------------------------------- what it would take (issue #14)

WATERFALL_COLOURS = ("#777777", "#117733", "#CC3311", "#332288", "#EE7733", "#44AA99")  # base, up, down, total,
TORNADO_COLOURS = ("#4477AA", "#EE7733")                                               # short, over; low, high


def waterfall_chart(frame: pd.DataFrame, kinds: list[str], texts: dict[str, str]) -> alt.LayerChart:
    """Horizontal waterfall: base-year total, each series' change, target-year total and the gap to USD 1 trn.

    Each series' bar floats from the running total; a dashed line marks USD 1 trn.
    frame: scenarios.describe.waterfall_table; kinds: the colour legend's labels in the order of
    WATERFALL_COLOURS; texts: title, alt, value, series, kind, change.
    """
    y = alt.Y("label:N", title=None, sort=alt.EncodingSortField("order", order="ascending"),
              axis=alt.Axis(labelLimit=220, labelOverlap=False))
    colour = alt.Color("kind_label:N", title=None, legend=alt.Legend(orient="bottom"),
                       scale=alt.Scale(domain=kinds, range=list(WATERFALL_COLOURS)))
    tooltip = [alt.Tooltip("label:N", title=texts["series"]), alt.Tooltip("kind_label:N", title=texts["kind"]),
               alt.Tooltip("value:Q", title=texts["change"], format="+,.1f")]
    layer = alt.Chart()
    bars = layer.mark_bar(height={"band": 0.75}).encode(
        y=y, x=alt.X("start:Q", title=texts["value"], scale=alt.Scale(zero=True)), x2="end:Q", color=colour,
        tooltip=tooltip)
    labels = layer.mark_text(align="left", dx=4, fontSize=11, color="#333333", aria=False).encode(
        y=y, x="text_x:Q", text="text:N")
    one_row = alt.InlineData(values=[{"target": EXPORT_TARGET_USD_BN}])
    rule = alt.Chart(one_row).mark_rule(color="#B00020", strokeDash=[8, 4], strokeWidth=1.5, aria=False).encode(
        x="target:Q")
    return (alt.layer(bars, labels, rule, data=frame)
            .properties(title=texts["title"], height=470, description=texts.get("alt", texts["title"])))


def tornado_chart(frame: pd.DataFrame, ends: list[str], texts: dict[str, str]) -> alt.FacetChart:
    """Tornado: per lever, a bar from the outcome as set to the outcome with the lever at each end of its swing.

    One row of panels per outcome (frame's `panel`, ordered by `panel_order`), each with its own x and
    y scales; levers ordered by `order` (widest first). frame: scenarios.describe.tornado_table;
    ends: the two end labels (low, high); texts: title, alt, lever, setting, result, as_set.
    """
    y = alt.Y("lever:N", title=None, sort=alt.EncodingSortField("order", order="ascending"),
              axis=alt.Axis(labelLimit=280, labelOverlap=False))
    x = alt.X("base:Q", title=None, scale=alt.Scale(zero=False, nice=True))
    colour = alt.Color("end:N", title=None, scale=alt.Scale(domain=ends, range=list(TORNADO_COLOURS)),
                       legend=alt.Legend(orient="bottom"))
    tooltip = [alt.Tooltip("lever:N", title=texts["lever"]), alt.Tooltip("setting:N", title=texts["setting"]),
               alt.Tooltip("result:Q", title=texts["result"], format=",.1f"),
               alt.Tooltip("base:Q", title=texts["as_set"], format=",.1f")]
    bars = alt.Chart().mark_bar(height={"band": 0.7}).encode(y=y, x=x, x2="result:Q", color=colour,
                                                              tooltip=tooltip)
    tick = alt.Chart().mark_tick(color="black", thickness=2, aria=False).encode(y=y, x="base:Q")
    header = alt.Header(labelOrient="top", labelAnchor="start", labelAngle=0, labelFontWeight="bold",
                        labelFontSize=12, labelPadding=4, title=None)
    return (alt.layer(bars, tick)
            .properties(width=520, height=alt.Step(22))
            .facet(row=alt.Row("panel:N", sort=alt.EncodingSortField("panel_order", op="min", order="ascending"),
                               header=header),
                   data=frame)
            .resolve_scale(x="independent", y="independent")
            .properties(title=texts["title"], description=texts.get("alt", texts["title"])))
