"""Chart builders: pure functions tested on their data and their specs."""

from __future__ import annotations

import json

import altair as alt
import numpy as np

from scenarios.charts import exports_chart, spec_without_data
from scenarios.describe import series_labels
from scenarios.frames import (
    KIND_ACTUAL,
    KIND_AREA,
    KIND_TOTAL,
    KIND_UNCOUNTED,
    exports_frame,
    exports_frame_columns,
)
from scenarios.model import Scenario, project

TEXTS = {"year": "Year", "value": "USD bn", "series": "Series", "target_line": "USD 1 trn", "title": "Exports"}


def frame_for(scenario: Scenario, baseline):
    return exports_frame(project(scenario, baseline), series_labels("en"), baseline.actual_totals(),
                         "Scenario total", "Actual")


def test_frame_holds_every_path_the_total_and_actuals(baseline):
    frame = frame_for(Scenario(base_year=2021, target_year=2027), baseline)
    proj = project(Scenario(base_year=2021, target_year=2027), baseline)
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
    pledge_timeline = Scenario(base_year=2021, target_year=2027)
    chart = exports_chart(frame_for(pledge_timeline, baseline), list(series_labels("en").values()), TEXTS)
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
        for frame in (exports_frame_columns(), frame_for(Scenario(base_year=2021, target_year=2027), baseline),
                      frame_for(Scenario(base_year=2021, target_year=2027).with_growth(semiconductors=30.0), baseline))
    ]
    assert specs[0] == specs[1] == specs[2]
    assert "data" not in json.loads(specs[0])


def test_large_bands_are_labelled_directly(baseline):
    frame = frame_for(Scenario(base_year=2021, target_year=2027), baseline)
    labelled = frame[frame.label != ""]
    assert set(labelled.series) >= {"Semiconductors", "Future mobility", "Everything else"}
    assert (labelled.year == 2035).all()
    end = frame[(frame.kind == KIND_AREA) & (frame.year == 2035)].sort_values("order")
    top = end.value.sum()
    assert labelled.label_y.max() < top and labelled.label_y.min() > 0


def test_every_app_spec_is_valid_vega_lite():
    from scenarios.charts import rank_chart, vision_chart
    from scenarios.frames import rank_frame_columns, vision_frame_columns

    texts = {**TEXTS, "note": "Note", "gdp": "GDP", "scenario": "S", "target": "T", "actual": "A", "reference": "R"}
    for chart in (exports_chart(exports_frame_columns(), list(series_labels("ko").values()), TEXTS),
                  vision_chart(vision_frame_columns(), texts), rank_chart(rank_frame_columns(), texts, 16)):
        spec_without_data(chart, validate=True)  # raises if the spec breaks the Vega-Lite schema


def test_shipped_specs_equal_what_the_builders_make():
    """Regenerate with `python -m scenarios.specs` when a chart or a catalog string changes."""
    from scenarios.specs import build_specs, load_specs

    for lang in ("en", "ko"):
        load_specs.cache_clear()
        assert load_specs(lang) == json.loads(json.dumps(build_specs(lang))), lang


def test_the_app_never_imports_altair_to_start():
    """The specs are shipped as JSON, so a whole page run imports neither Altair nor vl-convert."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys; from streamlit.testing.v1 import AppTest; "
            "at = AppTest.from_file('app.py', default_timeout=120).run(); "
            "print(len(at.exception), 'altair' in sys.modules, 'vl_convert' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip().splitlines()[-1] == "0 False False", out.stderr[-2000:]
