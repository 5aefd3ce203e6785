"""Chart builders: pure functions tested on their data and their specs."""

from __future__ import annotations

import json

import altair as alt
import numpy as np

from scenarios.charts import (
    KIND_ACTUAL,
    KIND_AREA,
    KIND_TOTAL,
    KIND_UNCOUNTED,
    exports_chart,
    exports_frame,
    exports_frame_columns,
    spec_without_data,
)
from scenarios.describe import series_labels
from scenarios.model import Scenario, project

TEXTS = {"year": "Year", "value": "USD bn", "series": "Series", "target_line": "USD 1 trn", "title": "Exports"}


def frame_for(scenario: Scenario, baseline):
    return exports_frame(project(scenario, baseline), series_labels("en"), baseline.actual_totals(),
                         "Scenario total", "Actual")


def test_frame_holds_every_path_the_total_and_actuals(baseline):
    frame = frame_for(Scenario(), baseline)
    proj = project(Scenario(), baseline)
    assert set(frame.kind) == {KIND_AREA, KIND_UNCOUNTED, KIND_TOTAL, KIND_ACTUAL}
    np.testing.assert_allclose(frame[frame.kind == KIND_TOTAL].value, proj.total, atol=1e-3)
    assert frame[frame.kind == KIND_UNCOUNTED].series.unique().tolist() == ["Metaverse"]
    actual = frame[frame.kind == KIND_ACTUAL]
    assert actual.year.tolist() == [2021, 2022, 2023, 2024, 2025]
    assert len(frame) < 500  # hundreds of rows, not thousands


def test_actuals_start_at_the_base_year(baseline):
    frame = frame_for(Scenario(base_year=2024, target_year=2027), baseline)
    assert frame[frame.kind == KIND_ACTUAL].year.tolist() == [2024, 2025]


def test_counted_services_join_the_stack(baseline):
    frame = frame_for(Scenario(count_services=True), baseline)
    assert KIND_UNCOUNTED not in set(frame.kind)


def test_chart_layers_and_encodings(baseline):
    chart = exports_chart(frame_for(Scenario(), baseline), list(series_labels("en").values()), TEXTS)
    assert isinstance(chart, alt.LayerChart)
    spec = chart.to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert marks == ["area", "line", "area", "area", "line", "line", "line", "line", "rule", "text", "text"]
    assert spec["layer"][0]["encoding"]["y"]["stack"] == "zero"
    assert spec["title"] == "Exports" and spec["description"]


def test_spec_is_identical_whatever_the_data(baseline):
    labels = list(series_labels("en").values())
    specs = [
        json.dumps(spec_without_data(exports_chart(frame, labels, TEXTS)), sort_keys=True)
        for frame in (exports_frame_columns(), frame_for(Scenario(), baseline),
                      frame_for(Scenario().with_growth(semiconductors=30.0), baseline))
    ]
    assert specs[0] == specs[1] == specs[2]
    assert "data" not in json.loads(specs[0])


def test_large_bands_are_labelled_directly(baseline):
    frame = frame_for(Scenario(), baseline)
    labelled = frame[frame.label != ""]
    assert set(labelled.series) >= {"Semiconductors", "Future mobility", "Everything else"}
    assert (labelled.year == 2035).all()
    end = frame[(frame.kind == KIND_AREA) & (frame.year == 2035)].sort_values("order")
    top = end.value.sum()
    assert labelled.label_y.max() < top and labelled.label_y.min() > 0
