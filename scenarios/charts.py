"""Altair chart builders: pure functions from tidy data to alt.Chart (no Streamlit).

Specs never contain slider values (no numbers in titles, no data-driven
domains), so the browser swaps data in place when a slider moves.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from scenarios.model import EXPORT_TARGET_USD_BN, Projection

# Paul Tol's colour-blind-safe "muted" scheme, plus a neutral grey for `rest`.
PALETTE = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE",
           "#882255", "#44AA99", "#999933", "#AA4499", "#6699CC", "#BBBBBB")

KIND_AREA = "area"
KIND_UNCOUNTED = "uncounted"
KIND_TOTAL = "total"
KIND_ACTUAL = "actual"
KIND_REFERENCE = "reference"
REFERENCE_COLOUR = "#0077BB"
DIRECT_LABEL_MIN_SHARE = 0.05  # a band under 5 % of the total is too thin for its name


def exports_frame(proj: Projection, labels: dict[str, str], actual: dict[int, float],
                  total_label: str, actual_label: str, reference_total: np.ndarray | None = None,
                  reference_label: str = "", bands: dict[float, np.ndarray] | None = None,
                  band_label: str = "") -> pd.DataFrame:
    """One tidy table behind the exports chart: year, series, value, kind, order.

    Rows: each series' path (kind 'area' if counted in the total, else
    'uncounted'), the scenario total, actual totals from the base year on, and
    a reference scenario's total when one is compared.
    """
    n_series, n_years = proj.values.shape
    years = np.tile(proj.years, n_series)
    kinds = np.repeat(np.where(proj.counted, KIND_AREA, KIND_UNCOUNTED), n_years)
    parts = [
        pd.DataFrame({
            "year": years,
            "series": np.repeat([labels[s] for s in proj.series_ids], n_years),
            "value": proj.values.ravel(),
            "kind": kinds,
            "order": np.repeat(np.arange(n_series), n_years),
        }),
        pd.DataFrame({"year": proj.years, "series": total_label, "value": proj.total,
                      "kind": KIND_TOTAL, "order": n_series}),
    ]
    first, last = int(proj.years[0]), int(proj.years[-1])
    act = {y: v for y, v in actual.items() if first <= y <= last}
    parts.append(pd.DataFrame({"year": list(act), "series": actual_label, "value": list(act.values()),
                               "kind": KIND_ACTUAL, "order": n_series + 1}))
    if reference_total is not None:
        parts.append(pd.DataFrame({"year": proj.years, "series": reference_label, "value": reference_total,
                                   "kind": KIND_REFERENCE, "order": n_series + 2}))
    parts.append(band_rows(proj.years, bands, band_label).assign(order=n_series + 3))
    frame = pd.concat([p for p in parts if len(p)], ignore_index=True)
    for col in ("lo", "hi"):
        frame[col] = frame[col].round(3) if col in frame else np.nan
    frame["year"] = frame["year"].astype(int)
    frame["value"] = frame["value"].round(3)
    # Direct labels, so no industry depends on colour alone: each counted series large enough to
    # hold its name is labelled at the middle of its band in the last year.
    end = frame[(frame.kind == KIND_AREA) & (frame.year == last)].sort_values("order")
    mid = end.value.cumsum() - end.value / 2
    big = end.value >= DIRECT_LABEL_MIN_SHARE * end.value.sum()
    frame["label"] = ""
    frame["label_y"] = np.nan
    frame.loc[end.index[big], "label"] = end.series[big]
    frame.loc[end.index[big], "label_y"] = mid[big].round(3)
    return frame


KIND_BAND90 = "band90"
KIND_BAND50 = "band50"
KIND_MEDIAN = "median"


def band_rows(years: np.ndarray, bands: dict[float, np.ndarray] | None, label: str) -> pd.DataFrame:
    """Fan-chart rows from simulated quantiles: p10-p90 and p25-p75 ranges (lo, hi) and the median (value)."""
    if not bands:
        return pd.DataFrame()
    n = len(years)
    return pd.DataFrame({
        "year": np.tile(years, 3),
        "series": label,
        "value": np.concatenate([np.full(n, np.nan), np.full(n, np.nan), bands[0.5]]),
        "lo": np.concatenate([bands[0.1], bands[0.25], np.full(n, np.nan)]),
        "hi": np.concatenate([bands[0.9], bands[0.75], np.full(n, np.nan)]),
        "kind": np.repeat([KIND_BAND90, KIND_BAND50, KIND_MEDIAN], n),
    })


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


def exports_frame_columns() -> pd.DataFrame:
    """An empty table with exports_frame's columns and types (to build the spec once)."""
    return pd.DataFrame({"year": pd.Series(dtype=int), "series": pd.Series(dtype=str),
                         "value": pd.Series(dtype=float), "kind": pd.Series(dtype=str),
                         "order": pd.Series(dtype=int), "label": pd.Series(dtype=str),
                         "label_y": pd.Series(dtype=float), "lo": pd.Series(dtype=float),
                         "hi": pd.Series(dtype=float)})


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
            .mark_area(opacity=0.85, line={"strokeWidth": 0.5, "color": "white"})
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
    fan = band_layers(x, "#000000", y_title, ",.1f")
    return (alt.layer(area, uncounted, *fan, reference, total, actual, rule, rule_label, direct, data=frame)
            .properties(title=texts["title"], height=420, description=texts.get("alt", texts["title"])))


def spec_without_data(chart: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite spec with its top-level data removed.

    Build it once per language and pass each rerun's table beside it
    (st.vega_lite_chart(frame, spec)): the spec is then byte-identical across
    reruns, so the browser only swaps data, and Altair's slow validation and
    conversion run once instead of on every slider move.
    """
    spec = chart.to_dict()
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

KIND_SCENARIO = "scenario"
KIND_TARGET = "target"
KIND_EVENT = "event"


def vision_frame_columns() -> pd.DataFrame:
    """An empty table with the columns of a 5/5/5 chart (to build its spec once)."""
    return pd.DataFrame({"year": pd.Series(dtype=int), "series": pd.Series(dtype=str),
                         "value": pd.Series(dtype=float), "kind": pd.Series(dtype=str),
                         "note": pd.Series(dtype=str), "lo": pd.Series(dtype=float), "hi": pd.Series(dtype=float)})


def vision_frame(years: np.ndarray, path: np.ndarray, target: np.ndarray | float,
                 actual: dict[int, float], labels: dict[str, str],
                 events: list[tuple[int, float, str]] = (), reference: np.ndarray | None = None,
                 bands: dict[float, np.ndarray] | None = None) -> pd.DataFrame:
    """One 5/5/5 chart's table: the scenario path, its target line, actuals, dated events and a reference path.

    labels: names for 'scenario', 'target', 'actual' and 'reference' in the user's language.
    """
    first, last = int(years[0]), int(years[-1])
    n = len(years)
    act_years = [y for y in actual if first <= y <= last]
    ev = [e for e in events if first <= e[0] <= last]
    ref = np.asarray(reference, dtype=float) if reference is not None else np.empty(0)
    n_ref = len(ref)
    frame = pd.DataFrame({
        "year": np.concatenate([years, years, act_years, [e[0] for e in ev], years[:n_ref]]).astype(int),
        "series": ([labels["scenario"]] * n + [labels["target"]] * n + [labels["actual"]] * (len(act_years) + len(ev))
                   + [labels.get("reference", "")] * n_ref),
        "value": np.round(np.concatenate([path, np.broadcast_to(np.asarray(target, dtype=float), years.shape),
                                          [actual[y] for y in act_years], [e[1] for e in ev], ref]).astype(float), 2),
        "kind": ([KIND_SCENARIO] * n + [KIND_TARGET] * n + [KIND_ACTUAL] * len(act_years) + [KIND_EVENT] * len(ev)
                 + [KIND_REFERENCE] * n_ref),
        "note": [""] * (2 * n + len(act_years)) + [e[2] for e in ev] + [""] * n_ref,
    })
    fan = band_rows(years, bands, labels["scenario"])
    frame = pd.concat([frame, fan.assign(note="")], ignore_index=True) if len(fan) else frame
    for col in ("lo", "hi"):
        frame[col] = frame[col].round(2) if col in frame else np.nan
    return frame


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


def rank_frame(years: np.ndarray, korea_gdp: np.ndarray, peer_gdp: np.ndarray, korea_label: str,
               peer_labels: list[str], actual_rank: dict[int, int], reference_rank: np.ndarray | None = None,
               reference_label: str = "", bands: dict[float, np.ndarray] | None = None) -> pd.DataFrame:
    """Every economy's GDP rank by year (1 = largest), Korea flagged, plus sourced IMF ranks for Korea."""
    gdp = np.vstack([korea_gdp[None, :], peer_gdp])
    order = np.argsort(-gdp, axis=0, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, gdp.shape[0] + 1)[:, None].repeat(gdp.shape[1], axis=1), axis=0)
    ranks[0] = 1 + (peer_gdp > korea_gdp[None, :]).sum(axis=0)  # Korea's rank, ties in its favour
    names = [korea_label, *peer_labels]
    n_years = len(years)
    frame = pd.DataFrame({
        "year": np.tile(years, len(names)),
        "economy": np.repeat(names, n_years),
        "rank": ranks.ravel(),
        "gdp": gdp.ravel().round(1),
        "kind": np.repeat(["korea", *(["peer"] * len(peer_labels))], n_years),
    })
    first, last = int(years[0]), int(years[-1])
    act = {y: r for y, r in actual_rank.items() if first <= y <= last}
    extra = []
    if act:
        extra.append(pd.DataFrame({"year": list(act), "economy": korea_label, "rank": list(act.values()),
                                   "gdp": np.nan, "kind": KIND_ACTUAL}))
    if reference_rank is not None:
        extra.append(pd.DataFrame({"year": years, "economy": reference_label, "rank": reference_rank,
                                   "gdp": np.nan, "kind": KIND_REFERENCE}))
    fan = band_rows(years, bands, korea_label)
    if len(fan):
        extra.append(fan.rename(columns={"series": "economy", "value": "rank"}).assign(gdp=np.nan))
    if extra:
        frame = pd.concat([frame, *extra], ignore_index=True)
    frame["year"] = frame["year"].astype(int)
    for col in ("lo", "hi"):
        if col not in frame:
            frame[col] = np.nan
    return frame


def rank_frame_columns() -> pd.DataFrame:
    """An empty table with rank_frame's columns (to build the spec once)."""
    return pd.DataFrame({"year": pd.Series(dtype=int), "economy": pd.Series(dtype=str),
                         "rank": pd.Series(dtype=int), "gdp": pd.Series(dtype=float), "kind": pd.Series(dtype=str),
                         "lo": pd.Series(dtype=float), "hi": pd.Series(dtype=float)})


def rank_chart(frame: pd.DataFrame, texts: dict[str, str], n_economies: int, target_rank: int = 5) -> alt.LayerChart:
    """A bump chart of GDP ranks: Korea's scenario path in colour, the other economies in grey, the top-5 line."""
    x = alt.X("year:O", title=texts["year"], axis=alt.Axis(labelAngle=0))
    y = alt.Y("rank:Q", title=texts["value"], scale=alt.Scale(domain=[1, n_economies], reverse=True, nice=False),
              axis=alt.Axis(values=list(range(1, n_economies + 1)), format="d"))
    tooltip = [alt.Tooltip("economy:N", title=texts["series"]), alt.Tooltip("year:O", title=texts["year"]),
               alt.Tooltip("rank:Q", title=texts["value"]), alt.Tooltip("gdp:Q", title=texts["gdp"], format=",.0f")]
    layer = alt.Chart()
    peers = (layer.transform_filter(alt.datum.kind == "peer")
             .mark_line(color="#BBBBBB", strokeWidth=1, point=alt.OverlayMarkDef(color="#BBBBBB", size=12))
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
