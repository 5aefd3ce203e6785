"""Altair chart builders: pure functions from tidy data to alt.Chart (no Streamlit).

Specs never contain slider values (no numbers in titles, no data-driven
domains), so the browser swaps data in place when a slider moves. The app
does not import this module at run time: it reads the specs built from it
(scenarios/words/spec_builder.py), so Altair's import and conversion stay off the start path.
"""

from __future__ import annotations

import json
import textwrap

import altair as alt
import pandas as pd

from scenarios.model.projection import EXPORT_TARGET_USD_BN
from scenarios.registry.i18n import t
from scenarios.words.frames import (
    KIND_ACTUAL,
    KIND_AREA,
    KIND_BAND50,
    KIND_BAND90,
    KIND_CROSSING,
    KIND_EVENT,
    KIND_MEDIAN,
    KIND_MISSING,
    KIND_NEEDED,
    KIND_NOWCAST,
    KIND_PLEDGE,
    KIND_PRIOR,
    KIND_REFERENCE,
    KIND_SCENARIO,
    KIND_STRONG,
    KIND_TARGET,
    KIND_TOTAL,
    KIND_UNCOUNTED,
    KIND_WEAK,
    REFERENCE_COLOUR,
)

FAN_COLOUR = "#EE7733"  # Tol vibrant orange: not in the industry palette, so the range reads apart from them
PALETTE = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE",
           "#882255", "#44AA99", "#999933", "#AA4499", "#6699CC", "#BBBBBB")
TARGET_COLOUR = "#B00020"
ACTUAL_COLOUR = "#444444"
EVENT_COLOUR = "#117733"
SCENARIO_COLOUR = "#332288"
BAND80_FILL = "#DEDAF0"  # the fan of a 5/5/5 path: pale, opaque fills drawn behind every line
BAND50_FILL = "#B9B0DD"
LEGEND = {"direction": "horizontal", "labelLimit": 280, "labelFontSize": 11, "titleFontSize": 11,
          "columnPadding": 10, "rowPadding": 3}
# Heights of the whole chart, legends included (the app fits each chart into its width and this height)
EXPORTS_HEIGHT, VISION_HEIGHT, RANK_HEIGHT = 560, 430, 560
LEGEND_KINDS = "legend_kinds"  # usermeta: legend entry -> the row kinds that draw it (absent: always drawn)
NARROW, MEDIUM = 330, 600  # px: a chart narrower than NARROW is on a phone, one below MEDIUM in a half column


def columns(wide: int, narrow: int = 2, medium: int | None = None) -> dict:
    """A legend's column count by the chart's width (an expression: the spec stays the same at every width)."""
    return {"expr": f"width < {NARROW} ? {narrow} : width < {MEDIUM} ? {medium or wide} : {wide}"}


# ---------------------------------------------------------------- amounts in the reader's units

def eok_expr(field: str, unit: str = "", signed: bool = False) -> str:
    """A Vega expression writing `field` (USD bn) as Korean readers count dollars: 7,097억, 1조 115억, 0.

    unit (e.g. " 달러") is appended; zero is "0" (and "0달러" with the unit); signed puts + before a
    positive amount. The expression is a constant of the spec, so the spec stays the same whatever the data.
    """
    e = f"round(abs({field}) * 10)"
    jo = f"floor({e} / 10000)"
    rest = f"({e} % 10000)"
    plus = "'+'" if signed else "''"
    body = (f"({e} == 0 ? '0' : (({field} < 0 ? '-' : {plus}) + ({jo} > 0 ? format({jo}, ',') + '조' + "
            f"({rest} > 0 ? ' ' + format({rest}, ',') + '억' : '') : format({rest}, ',') + '억')))")
    if not unit:
        return body
    return f"({e} == 0 ? '0{unit.strip()}' : {body} + '{unit}')"


def amount_axis(money: str, title: str, grid: bool = True) -> alt.Axis:
    """The y axis of an amount in USD bn: 1,000 (English, titled USD bn) or 1조 (Korean, titled 달러)."""
    if money == "eok":
        return alt.Axis(title=title, labelExpr=eok_expr("datum.value"), grid=grid)
    return alt.Axis(title=title, format=",.0f", grid=grid)


def amount_tooltip(money: str, field: str, title: str, decimals: int = 1) -> list:
    """(calculate transforms, tooltip) for an amount in USD bn in the reader's units."""
    if money == "eok":
        return [{"calculate": eok_expr(f"datum[{field!r}]", " 달러"), "as": f"{field}_text"}], \
            alt.Tooltip(f"{field}_text:N", title=title)
    return [], alt.Tooltip(f"{field}:Q", title=title, format=f",.{decimals}f")


def _with(chart: alt.Chart, transforms: list[dict]) -> alt.Chart:
    for tr in transforms:
        chart = chart.transform_calculate(**{tr["as"]: tr["calculate"]})
    return chart


def _named(chart: alt.Chart, name: str) -> alt.Chart:
    """A layer whose every mark is one legend entry: the field `line` holds its name."""
    return chart.transform_calculate(line=json.dumps(name, ensure_ascii=False))


def line_encodings(names: list[str], colours: list[str], dashes: list[list[int]], title: str | None,
                   orient: str = "top", wide: int = 4) -> dict:
    """Colour and dash of named lines, sharing one legend (each entry drawn as its line)."""
    legend = alt.Legend(symbolType="stroke", orient=orient, columns=columns(wide, 2, 3), symbolStrokeWidth=2.5,
                        **LEGEND)
    colour = alt.Color("line:N", title=title, scale=alt.Scale(domain=names, range=colours), legend=legend)
    dash = alt.StrokeDash("line:N", title=title, scale=alt.Scale(domain=names, range=dashes), legend=legend)
    return {"color": colour, "strokeDash": dash}


LINE_KEYS = ("lines", "total", "actual", "reference", "target_line", "band80", "band50", "median", "pledge_path",
             "needed_path")


def exports_chart(frame: pd.DataFrame, series_labels: list[str], texts: dict[str, str],
                  money: str = "usd_bn") -> alt.LayerChart:
    """Stacked area by industry; the scenario total, actuals, a reference, the ranges and the USD 1 trn line above it.

    All data layers share the one top-level table `frame` (see exports_frame). Two legends: every line
    (each drawn with its dash, above the chart) and the industries (areas, in stack order, below it);
    no text is drawn inside the plot, so nothing can collide with a line at any width. The ranges are
    drawn as lines (p10 and p90 dashed, p25 and p75 solid, the median dotted) over the stack, so they
    never hide an industry.
    texts: title, year, value, series, lines, target_line, total, actual, reference, band80, band50,
    median, alt (from the locale catalog); money: "usd_bn" or "eok" (Korean 억/조 on the axis and tooltips).
    """
    texts = {**{key: t(f"chart.{key}") for key in LINE_KEYS}, **texts}  # names a caller left out: English
    colour = alt.Color("series:N", title=texts["series"],
                       scale=alt.Scale(domain=series_labels, range=list(PALETTE[: len(series_labels)])),
                       legend=alt.Legend(symbolType="square", orient="bottom", columns=columns(4, 2, 3), **LEGEND))
    x = alt.X("year:O", title=texts["year"], axis=alt.Axis(labelAngle=0, labelOverlap="greedy"))
    y_title = texts["value"]
    calc, value_tip = amount_tooltip(money, "value", y_title)
    tooltip = [alt.Tooltip("series:N", title=texts["series"]), alt.Tooltip("year:O", title=texts["year"]), value_tip]
    layer = alt.Chart()
    area = _with(layer.transform_filter(alt.datum.kind == KIND_AREA), calc).mark_area(opacity=0.85).encode(
        x=x, y=alt.Y("value:Q", stack="zero", axis=amount_axis(money, y_title)), color=colour,
        order=alt.Order("order:Q", sort="ascending"), tooltip=tooltip)
    uncounted = (_with(layer.transform_filter(alt.datum.kind == KIND_UNCOUNTED), calc)
                 .mark_line(strokeDash=[2, 2], strokeWidth=2)
                 .encode(x=x, y="value:Q", color=colour, tooltip=tooltip))
    stack = alt.layer(area, uncounted)

    names = [texts["total"], texts["actual"], texts["reference"], texts["target_line"], texts["band80"],
             texts["band50"], texts["median"], texts["pledge_path"], texts["needed_path"]]
    colours = ["#000000", ACTUAL_COLOUR, REFERENCE_COLOUR, TARGET_COLOUR, FAN_COLOUR, FAN_COLOUR, FAN_COLOUR,
               "#AA3377", "#009988"]
    dashes = [[1, 0], [6, 3], [3, 3], [8, 4], [5, 3], [1, 0], [1, 3], [2, 2], [4, 2, 1, 2]]
    enc = line_encodings(names, colours, dashes, texts["lines"])

    def line(kind: str, name: str, y: str = "value", width: float = 2.0, **mark) -> alt.Chart:
        c_calc, tip = amount_tooltip(money, y, name)
        chart = _with(_named(layer.transform_filter(alt.datum.kind == kind), name), c_calc)
        return chart.mark_line(strokeWidth=width, **mark).encode(
            x=x, y=alt.Y(f"{y}:Q"), detail="series:N", tooltip=[alt.Tooltip("series:N", title=texts["series"]),
                                                               alt.Tooltip("year:O", title=texts["year"]), tip],
            **enc)

    reference = line(KIND_REFERENCE, texts["reference"], width=2.5)
    total = line(KIND_TOTAL, texts["total"], width=2.5)
    actual = line(KIND_ACTUAL, texts["actual"], point=alt.OverlayMarkDef(color=ACTUAL_COLOUR, size=50, filled=True,
                                                                          shape="diamond"))
    fan = [line(KIND_BAND90, texts["band80"], "lo", 1.5), line(KIND_BAND90, texts["band80"], "hi", 1.5),
           line(KIND_BAND50, texts["band50"], "lo", 1.5), line(KIND_BAND50, texts["band50"], "hi", 1.5),
           line(KIND_MEDIAN, texts["median"], width=2)]
    one_row = alt.InlineData(values=[{"target": EXPORT_TARGET_USD_BN, "line": texts["target_line"]}])
    rule = alt.Chart(one_row).mark_rule(strokeWidth=1.5).encode(y="target:Q", **enc)
    pledge = line(KIND_PLEDGE, texts["pledge_path"], width=1.5)
    needed = line(KIND_NEEDED, texts["needed_path"], width=1.5)
    lines = alt.layer(reference, total, actual, *fan, pledge, needed, rule)
    shown_when = {texts["actual"]: [KIND_ACTUAL], texts["reference"]: [KIND_REFERENCE],
                  texts["pledge_path"]: [KIND_PLEDGE], texts["needed_path"]: [KIND_NEEDED],
                  texts["band80"]: [KIND_BAND90], texts["band50"]: [KIND_BAND50], texts["median"]: [KIND_MEDIAN]}
    return (alt.layer(stack, lines, data=frame)
            .resolve_scale(color="independent", strokeDash="independent")
            .resolve_legend(color="independent", strokeDash="independent")
            .properties(title=texts["title"], height=EXPORTS_HEIGHT, description=texts.get("alt", texts["title"]),
                        usermeta={LEGEND_KINDS: shown_when}))


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
    def inline(node: dict) -> None:  # small constant layers (the target line) go back inline, at any depth
        for layer in node.get("layer", []):
            name = layer.get("data", {}).get("name")
            if name is not None:
                layer["data"] = {"values": datasets[name]}
            inline(layer)

    inline(spec)
    # Assistive technology reads each chart as one image named by its description (Vega puts it on the
    # chart's container as role="graphics-document" with aria-label), with the summary sentence under
    # it; the marks themselves are not announced one by one (hundreds of points, and layers with no
    # data would be unnamed graphics).
    spec.setdefault("config", {}).setdefault("mark", {})["aria"] = False
    return spec


# ---------------------------------------------------------------- 5/5/5 panel

def vision_chart(frame: pd.DataFrame, texts: dict[str, str], value_format: str = ",.0f",
                 money: str | None = None) -> alt.LayerChart:
    """A 5/5/5 target: the scenario path against its line, with actuals, a dated event, a reference and the fan.

    One legend names every line, band and mark (each drawn as it is in the chart); the fan (p10-p90,
    p25-p75) is a pair of pale opaque bands behind the lines. texts: title, year, value, series, note,
    alt, and the names scenario, target, actual, reference, band80, band50, median, event (from the
    locale catalog; they fix the colours). money: "usd_bn"/"eok" for an amount in USD bn (GDP), None
    for other units (value_format).
    """
    x = alt.X("year:O", title=texts["year"], axis=alt.Axis(labelAngle=0, labelOverlap="greedy"))
    axis = (amount_axis(money, texts["value"]) if money else alt.Axis(title=texts["value"], format=value_format))
    y = alt.Y("value:Q", axis=axis, scale=alt.Scale(zero=False))
    names = [texts["scenario"], texts["target"], texts["actual"], texts["reference"], texts["band80"],
             texts["band50"], texts["median"], texts["event"]]
    colours = [SCENARIO_COLOUR, TARGET_COLOUR, ACTUAL_COLOUR, REFERENCE_COLOUR, BAND80_FILL, BAND50_FILL,
               SCENARIO_COLOUR, EVENT_COLOUR]
    dashes = [[1, 0], [8, 4], [6, 3], [3, 3], [1, 0], [1, 0], [1, 3], [1, 0]]
    widths = [2.5, 1.5, 2, 2, 0, 0, 2, 0]  # the bands have no outline (their swatches are squares)
    shapes = ["stroke"] * 4 + ["square", "square", "stroke", "triangle-up"]  # the bands as swatches
    legend = alt.Legend(orient="bottom", columns=columns(2, 1, 1), title=None, **LEGEND)
    enc = {"color": alt.Color("line:N", scale=alt.Scale(domain=names, range=colours), legend=legend),
           "strokeDash": alt.StrokeDash("line:N", scale=alt.Scale(domain=names, range=dashes), legend=legend),
           "strokeWidth": alt.StrokeWidth("line:N", scale=alt.Scale(type="ordinal", domain=names, range=widths),
                                          legend=legend)}

    def tip(field: str, title: str) -> tuple[list, alt.Tooltip]:
        if money:
            return amount_tooltip(money, field, title, 0)
        return [], alt.Tooltip(f"{field}:Q", title=title, format=value_format)

    def layer(kind: str, name: str) -> alt.Chart:
        return _named(alt.Chart().transform_filter(alt.datum.kind == kind), name)

    calc, value_tip = tip("value", texts["value"])
    tooltip = [alt.Tooltip("series:N", title=texts["series"]), alt.Tooltip("year:O", title=texts["year"]), value_tip]

    def line(kind: str, name: str, **mark) -> alt.Chart:
        return _with(layer(kind, name), calc).mark_line(**mark).encode(x=x, y=y, tooltip=tooltip, **enc)

    lo_calc, lo_tip = tip("lo", texts["band_low"])
    hi_calc, hi_tip = tip("hi", texts["band_high"])
    band_tip = [alt.Tooltip("year:O", title=texts["year"]), lo_tip, hi_tip]
    bands = [_with(layer(kind, name), lo_calc + hi_calc).mark_area().encode(x=x, y=alt.Y("lo:Q", axis=axis),
                                                                            y2="hi:Q", tooltip=band_tip, **enc)
             for kind, name in ((KIND_BAND90, texts["band80"]), (KIND_BAND50, texts["band50"]))]
    event = (_with(layer(KIND_EVENT, texts["event"]), calc).mark_point(filled=True, size=110, opacity=1)
             .encode(x=x, y=y, tooltip=[*tooltip, alt.Tooltip("note:N", title=texts.get("note", ""))],
                     shape=alt.Shape("line:N", scale=alt.Scale(domain=names, range=shapes), legend=legend), **enc))
    layers = [*bands, line(KIND_REFERENCE, texts["reference"]), line(KIND_TARGET, texts["target"]),
              line(KIND_ACTUAL, texts["actual"], point=alt.OverlayMarkDef(shape="diamond", size=50, filled=True)),
              line(KIND_MEDIAN, texts["median"]), line(KIND_SCENARIO, texts["scenario"]), event]
    shown_when = {texts["actual"]: [KIND_ACTUAL], texts["reference"]: [KIND_REFERENCE],
                  texts["band80"]: [KIND_BAND90], texts["band50"]: [KIND_BAND50], texts["median"]: [KIND_MEDIAN],
                  texts["event"]: [KIND_EVENT]}
    return (alt.layer(*layers, data=frame)
            .properties(title=texts["title"], height=VISION_HEIGHT, description=texts.get("alt", texts["title"]),
                        usermeta={LEGEND_KINDS: shown_when}))


RANK_LABEL_SPACE = 96  # px kept free right of the last year for the economies' names


def rank_chart(frame: pd.DataFrame, texts: dict[str, str], n_economies: int, target_rank: int = 5) -> alt.LayerChart:
    """A bump chart of GDP ranks: Korea's path in colour, the other economies in grey with their names, the top-5 line.

    The x scale stops RANK_LABEL_SPACE pixels short of the right edge, so the names at the last year
    never clip; with one economy per rank they never overlap (ranks are 1..n, one row each). One
    legend names every line, band and mark. texts as vision_chart's, plus others, top5, imf.
    """
    x = alt.X("year:O", title=texts["year"], axis=alt.Axis(labelAngle=0, labelOverlap="greedy"),
              scale=alt.Scale(range=[0, {"expr": f"width - {RANK_LABEL_SPACE}"}]))
    ticks = sorted({1, target_rank, *range(10, n_economies + 1, 5)})
    y = alt.Y("rank:Q", title=texts["value"],
              scale=alt.Scale(domain=[0.5, n_economies + 0.5], reverse=True, nice=False),
              axis=alt.Axis(values=ticks, format="d", grid=False))
    names = [texts["scenario"], texts["others"], texts["top5"], texts["imf"], texts["reference"], texts["band80"],
             texts["band50"], texts["median"]]
    colours = [SCENARIO_COLOUR, "#BBBBBB", TARGET_COLOUR, ACTUAL_COLOUR, REFERENCE_COLOUR, BAND80_FILL,
               BAND50_FILL, SCENARIO_COLOUR]
    dashes = [[1, 0], [1, 0], [8, 4], [1, 0], [3, 3], [1, 0], [1, 0], [1, 3]]
    widths = [3, 1, 1.5, 0, 2, 0, 0, 2]
    shapes = ["stroke", "stroke", "stroke", "diamond", "stroke", "square", "square", "stroke"]
    legend = alt.Legend(orient="bottom", columns=columns(2, 1, 1), title=None, **LEGEND)
    enc = {"color": alt.Color("line:N", scale=alt.Scale(domain=names, range=colours), legend=legend),
           "strokeDash": alt.StrokeDash("line:N", scale=alt.Scale(domain=names, range=dashes), legend=legend),
           "strokeWidth": alt.StrokeWidth("line:N", scale=alt.Scale(type="ordinal", domain=names, range=widths),
                                          legend=legend)}
    tooltip = [alt.Tooltip("economy:N", title=texts["series"]), alt.Tooltip("year:O", title=texts["year"]),
               alt.Tooltip("rank:Q", title=texts["value"], format="d"),
               alt.Tooltip("gdp_text:N", title=texts["gdp"])]
    gdp_text = ({"gdp_text": eok_expr("datum.gdp", " 달러")} if texts.get("money") == "eok"
                else {"gdp_text": "isValid(datum.gdp) ? format(datum.gdp, ',.0f') : ''"})

    def layer(kind: str, name: str) -> alt.Chart:
        return _named(alt.Chart().transform_filter(alt.datum.kind == kind), name).transform_calculate(**gdp_text)

    peers = layer("peer", texts["others"]).mark_line().encode(x=x, y=y, detail="economy:N", tooltip=tooltip, **enc)
    peer_names = (alt.Chart().transform_filter(alt.datum.kind == "peer")
                  .transform_window(last="rank()", sort=[alt.SortField("year", order="descending")],
                                    groupby=["economy"])
                  .transform_filter(alt.datum.last == 1)
                  .mark_text(align="left", dx=8, color="#555555", fontSize=10, aria=False)
                  .encode(x=x, y=y, text="economy:N"))
    bands = [layer(kind, name).mark_area().encode(x=x, y=alt.Y("lo:Q"), y2="hi:Q", **enc)
             for kind, name in ((KIND_BAND90, texts["band80"]), (KIND_BAND50, texts["band50"]))]
    median = layer(KIND_MEDIAN, texts["median"]).mark_line().encode(x=x, y=alt.Y("rank:Q"), **enc)
    reference = layer(KIND_REFERENCE, texts["reference"]).mark_line().encode(x=x, y=y, detail="economy:N",
                                                                             tooltip=tooltip, **enc)
    korea = (layer("korea", texts["scenario"]).mark_line(point=alt.OverlayMarkDef(color=SCENARIO_COLOUR, size=40))
             .encode(x=x, y=y, tooltip=tooltip, **enc))
    imf = (layer(KIND_ACTUAL, texts["imf"]).mark_point(filled=True, size=90, opacity=1)
           .encode(x=x, y=y, tooltip=tooltip,
                   shape=alt.Shape("line:N", scale=alt.Scale(domain=names, range=shapes), legend=legend), **enc))
    one_row = alt.InlineData(values=[{"rank": target_rank + 0.5, "line": texts["top5"]}])
    rule = alt.Chart(one_row).mark_rule().encode(y=alt.Y("rank:Q"), x=alt.value(0),
                                                 x2=alt.value({"expr": f"width - {RANK_LABEL_SPACE}"}), **enc)
    shown_when = {texts["imf"]: [KIND_ACTUAL], texts["reference"]: [KIND_REFERENCE],
                  texts["band80"]: [KIND_BAND90], texts["band50"]: [KIND_BAND50], texts["median"]: [KIND_MEDIAN]}
    return (alt.layer(*bands, peers, peer_names, reference, median, korea, imf, rule, data=frame)
            .properties(title=texts["title"], height=RANK_HEIGHT, description=texts.get("alt", texts["title"]),
                        usermeta={LEGEND_KINDS: shown_when}))


# ---------------------------------------------------------------- the tracker

def monthly_chart(frame: pd.DataFrame, texts: dict[str, str], money: str = "usd_bn") -> alt.LayerChart:
    """Monthly exports: bars by source strength, hollow bars for the nowcast months, a year earlier as a line.

    One legend names the bars, the line and the record marks. texts: title, alt, month, value, kind,
    and the names strong, weak, nowcast, prior, record (they fix the colours).
    """
    x = alt.X("month:O", title=texts["month"], axis=alt.Axis(labelAngle=-45, labelOverlap=True))
    y = alt.Y("value:Q", axis=amount_axis(money, texts["value"]))
    names = [texts["strong"], texts["weak"], texts["nowcast"], texts["missing"], texts["prior"], texts["record"]]
    legend = alt.Legend(orient="bottom", columns=columns(6, 2), title=None, **LEGEND)
    colour_scale = alt.Scale(domain=names, range=["#332288", "#88CCEE", "#EE7733", "#CC3311", "#444444", EVENT_COLOUR])
    colour = alt.Color("entry:N", scale=colour_scale, legend=legend)
    shape = alt.Shape("entry:N", scale=alt.Scale(domain=names, range=["square", "square", "square", "square",
                                                                      "stroke", "triangle-down"]), legend=legend)
    calc, value_tip = amount_tooltip(money, "value", texts["value"], 2)
    tooltip = [alt.Tooltip("month:O", title=texts["month"]), alt.Tooltip("series:N", title=texts["kind"]), value_tip]
    layer = _with(alt.Chart().transform_calculate(entry="datum.series"), calc)
    known = (layer.transform_filter((alt.datum.kind == KIND_STRONG) | (alt.datum.kind == KIND_WEAK))
             .mark_bar().encode(x=x, y=y, color=colour, tooltip=tooltip))
    cast = (layer.transform_filter((alt.datum.kind == KIND_NOWCAST) | (alt.datum.kind == KIND_MISSING))
            .mark_bar(filled=False, strokeWidth=1.5, strokeDash=[3, 2])
            .encode(x=x, y=y, color=colour, stroke=alt.Stroke("entry:N", scale=colour_scale, legend=None),
                    tooltip=tooltip))
    prior = (layer.transform_filter(alt.datum.kind == KIND_PRIOR)
             .mark_line(strokeWidth=1.5, point=alt.OverlayMarkDef(size=15))
             .encode(x=x, y=y, color=colour, tooltip=tooltip))
    record = (_named(layer.transform_filter(alt.datum.note != ""), texts["record"])
              .transform_calculate(entry="datum.line")
              .mark_point(size=70, filled=True, opacity=1, yOffset=-8)
              .encode(x=x, y=y, color=colour, shape=shape, tooltip=[*tooltip, alt.Tooltip("note:N", title="")]))
    return (alt.layer(known, cast, prior, record, data=frame)
            .properties(title=texts["title"], height=VISION_HEIGHT, description=texts["alt"],
                        usermeta={LEGEND_KINDS: {texts["weak"]: [KIND_WEAK], texts["nowcast"]: [KIND_NOWCAST],
                                                 texts["missing"]: [KIND_MISSING], texts["prior"]: [KIND_PRIOR],
                                                 texts["record"]: ["record"]}}))


def cumulative_chart(frame: pd.DataFrame, texts: dict[str, str], money: str = "usd_bn") -> alt.LayerChart:
    """The year's running total against the year before's and the USD 1 trn line, the crossing marked.

    texts: title, alt, month, value, and the names actual, nowcast, prior, crossing, target_line (they fix the
    colours). The months to come are dashed.
    """
    x = alt.X("month:Q", title=texts["month"], scale=alt.Scale(domain=[1, 12]),
              axis=alt.Axis(values=list(range(1, 13)), format="d", tickMinStep=1))
    y = alt.Y("value:Q", axis=amount_axis(money, texts["value"]))
    names = [texts["actual"], texts["nowcast"], texts["prior"], texts["crossing"], texts["target_line"]]
    legend = alt.Legend(orient="bottom", columns=columns(5, 2), title=None, **LEGEND)
    colour = alt.Color("series:N", scale=alt.Scale(domain=names, range=["#332288", "#EE7733", "#888888",
                                                                       EVENT_COLOUR, TARGET_COLOUR]), legend=legend)
    dash = alt.StrokeDash("series:N", scale=alt.Scale(domain=names, range=[[1, 0], [5, 3], [1, 0], [1, 0], [2, 2]]),
                          legend=legend)
    calc, value_tip = amount_tooltip(money, "value", texts["value"], 1)
    tooltip = [alt.Tooltip("period:N", title=texts["month"]), alt.Tooltip("series:N", title=""), value_tip]
    layer = _with(alt.Chart(), calc)
    lines = (layer.transform_filter(alt.datum.kind != KIND_CROSSING)
             .mark_line(point=alt.OverlayMarkDef(size=20))
             .encode(x=x, y=y, color=colour, strokeDash=dash, detail="kind:N", tooltip=tooltip))
    mark = (layer.transform_filter(alt.datum.kind == KIND_CROSSING)
            .mark_point(size=160, filled=True, shape="diamond", opacity=1)
            .encode(x=x, y=y, color=colour, tooltip=tooltip))
    return (alt.layer(lines, mark, data=frame)
            .properties(title=texts["title"], height=VISION_HEIGHT, description=texts["alt"],
                        usermeta={LEGEND_KINDS: {texts["nowcast"]: [KIND_NOWCAST], texts["prior"]: [KIND_PRIOR],
                                                 texts["crossing"]: [KIND_CROSSING]}}))


# ---------------------------------------------------------------- what it would take (issue #14)

WATERFALL_COLOURS = ("#777777", "#117733", "#CC3311", "#332288", "#EE7733", "#44AA99")  # base, up, down, total,
TORNADO_NARROW = {"width": 150, "label_limit": 105}  # the tornado on a phone: about 330 px in all, in a 358 px column
TORNADO_COLOURS = ("#4477AA", "#EE7733")                                               # short, over; low, high


def waterfall_chart(frame: pd.DataFrame, kinds: list[str], texts: dict[str, str],
                    money: str = "usd_bn") -> alt.LayerChart:
    """Horizontal waterfall: base-year total, each series' change, target-year total and the gap to USD 1 trn.

    Each series' bar floats from the running total; a dashed line marks USD 1 trn.
    frame: scenarios.words.describe.waterfall_table; kinds: the colour legend's labels in the order of
    WATERFALL_COLOURS; texts: title, alt, value, series, kind, change.
    """
    # on a phone (a narrow container) the series' names take at most 100 px, so the bars keep the rest
    y = alt.Y("label:N", title=None, sort=alt.EncodingSortField("order", order="ascending"),
              axis=alt.Axis(labelLimit={"expr": "containerSize()[0] < 420 ? 100 : 220"}, labelOverlap=False))
    target = texts.get("target_line") or t("chart.target_line")
    legend = alt.Legend(orient="bottom", columns=columns(7, 2, 4), **LEGEND)
    colour = alt.Color("kind_label:N", title=None, legend=legend,
                       scale=alt.Scale(domain=[*kinds, target], range=[*WATERFALL_COLOURS, TARGET_COLOUR]))
    if money == "eok":
        calc = [{"calculate": eok_expr("datum.value", " 달러", signed=True), "as": "value_text"}]
        change_tip = alt.Tooltip("value_text:N", title=texts["change"])
    else:
        calc, change_tip = [], alt.Tooltip("value:Q", title=texts["change"], format="+,.1f")
    tooltip = [alt.Tooltip("label:N", title=texts["series"]), alt.Tooltip("kind_label:N", title=texts["kind"]),
               change_tip]
    layer = alt.Chart()
    bars = _with(layer, calc).mark_bar(height={"band": 0.75}).encode(
        y=y, x=alt.X("start:Q", axis=amount_axis(money, texts["value"]), scale=alt.Scale(zero=True, padding=56)),
        x2="end:Q",
        color=colour, tooltip=tooltip)
    labels = layer.mark_text(align="left", dx=4, fontSize=11, color="#333333", aria=False).encode(
        y=y, x="text_x:Q", text="text:N")
    one_row = alt.InlineData(values=[{"target": EXPORT_TARGET_USD_BN, "kind_label": target}])
    rule = alt.Chart(one_row).mark_rule(strokeDash=[8, 4], strokeWidth=1.5).encode(x="target:Q", color=colour)
    codes = ("base", "up", "down", "total", "short", "over")  # WATERFALL_COLOURS' order
    shown_when = {name: [code] for name, code in zip(kinds, codes, strict=True) if code not in ("base", "total")}
    return (alt.layer(bars, labels, rule, data=frame)
            .properties(title=texts["title"], height=470, description=texts.get("alt", texts["title"]),
                        usermeta={LEGEND_KINDS: shown_when}))


def tornado_chart(frame: pd.DataFrame, ends: list[str], texts: dict[str, str], width: int = 520,
                  label_limit: int = 280) -> alt.FacetChart:
    """Tornado: per lever, a bar from the outcome as set to the outcome with the lever at each end of its swing.

    One row of panels per outcome (frame's `panel`, ordered by `panel_order`), each with its own x and
    y scales; levers ordered by `order` (widest first). frame: scenarios.words.describe.tornado_table;
    ends: the two end labels (low, high); texts: title, alt, lever, setting, result, as_set. width and
    label_limit: the panels' width and the levers' names' (a facet cannot take its container's width, so a
    phone gets a narrow twin of the chart: TORNADO_NARROW).
    """
    y = alt.Y("lever:N", title=None, sort=alt.EncodingSortField("order", order="ascending"),
              axis=alt.Axis(labelLimit=label_limit, labelOverlap=False))
    x = alt.X("base:Q", title=None, scale=alt.Scale(zero=False, nice=True))
    colour = alt.Color("end:N", title=None, scale=alt.Scale(domain=ends, range=list(TORNADO_COLOURS)),
                       legend=alt.Legend(orient="bottom", **({} if width >= 520 else {"direction": "vertical"})))
    tooltip = [alt.Tooltip("lever:N", title=texts["lever"]), alt.Tooltip("setting:N", title=texts["setting"]),
               alt.Tooltip("result:Q", title=texts["result"], format=",.1f"),
               alt.Tooltip("base:Q", title=texts["as_set"], format=",.1f")]
    bars = alt.Chart().mark_bar(height={"band": 0.7}).encode(y=y, x=x, x2="result:Q", color=colour,
                                                              tooltip=tooltip)
    tick = alt.Chart().mark_tick(color="black", thickness=2, aria=False).encode(y=y, x="base:Q")
    header = alt.Header(labelOrient="top", labelAnchor="start", labelAngle=0, labelFontWeight="bold",
                        labelFontSize=12, labelPadding=4, title=None, labelLimit=width + label_limit)
    title = texts["title"]
    if width < 520:  # the narrow twin: the title in lines no wider than the chart (Hangul is about twice as wide)
        per_line = max(12, (width + label_limit) // (14 if any("\uac00" <= c <= "\ud7a3" for c in title) else 7))
        title = textwrap.wrap(title, per_line)
    return (alt.layer(bars, tick)
            .properties(width=width, height=alt.Step(22))
            .facet(row=alt.Row("panel:N", sort=alt.EncodingSortField("panel_order", op="min", order="ascending"),
                               header=header),
                   data=frame)
            .resolve_scale(x="independent", y="independent")
            .properties(title=title, description=texts.get("alt", texts["title"])))


# ---------------------------------------------------------------- the nowcast's record (issue 26)

RECORD_HEIGHT = 220


def record_chart(frame: pd.DataFrame, texts: dict[str, str], money: str = "usd_bn") -> alt.LayerChart:
    """The year's nowcast as each month arrived: p50 as a line with points, the record's p10-p90 as a band.

    texts: title, alt, month, value, p50 and months (the twelve months' short names, comma-separated). x is
    the month of the latest data (the cut, 1-12), so the spec is the same whatever the year.
    """
    x = alt.X("cut:O", title=texts["month"], scale=alt.Scale(domain=list(range(1, 13))),
              axis=alt.Axis(labelAngle=0, labelExpr=f"{json.dumps(texts['months'].split(','), ensure_ascii=False)}"
                                                                 "[datum.value - 1]"))
    y = alt.Y("p50:Q", axis=amount_axis(money, texts["value"]), scale=alt.Scale(zero=False))
    calc50, tip50 = amount_tooltip(money, "p50", texts["p50"], 1)
    calc10, tip10 = amount_tooltip(money, "p10", "p10", 1)
    calc90, tip90 = amount_tooltip(money, "p90", "p90", 1)
    tooltip = [alt.Tooltip("month:N", title=texts["month"]), tip50, tip10, tip90]
    base = _with(alt.Chart(), [*calc50, *calc10, *calc90])
    band = base.mark_area(opacity=0.25, color="#EE7733").encode(
        x=x, y=alt.Y("p10:Q", axis=amount_axis(money, texts["value"]), scale=alt.Scale(zero=False)),
        y2="p90:Q", tooltip=tooltip)
    line = base.mark_line(color="#EE7733", point=alt.OverlayMarkDef(size=30, color="#EE7733")).encode(
        x=x, y=y, tooltip=tooltip)
    return (alt.layer(band, line, data=frame)
            .properties(title=texts["title"], height=RECORD_HEIGHT, description=texts["alt"]))
