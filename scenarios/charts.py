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


def exports_frame(proj: Projection, labels: dict[str, str], actual: dict[int, float],
                  total_label: str, actual_label: str) -> pd.DataFrame:
    """One tidy table behind the exports chart: year, series, value, kind, order.

    Rows: each series' path (kind 'area' if counted in the total, else
    'uncounted'), the scenario total, and actual totals from the base year on.
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
    frame = pd.concat(parts, ignore_index=True)
    frame["year"] = frame["year"].astype(int)
    frame["value"] = frame["value"].round(3)
    return frame


def exports_frame_columns() -> pd.DataFrame:
    """An empty table with exports_frame's columns and types (to build the spec once)."""
    return pd.DataFrame({"year": pd.Series(dtype=int), "series": pd.Series(dtype=str),
                         "value": pd.Series(dtype=float), "kind": pd.Series(dtype=str),
                         "order": pd.Series(dtype=int)})


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
    return (alt.layer(area, uncounted, total, actual, rule, rule_label, data=frame)
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
