"""Chart builders: pure functions tested on their data and their specs."""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import numpy as np
import pytest

from scenarios.model.projection import Scenario, project
from scenarios.words.charts import exports_chart, spec_without_data
from scenarios.words.describe import series_labels
from scenarios.words.frames import (
    KIND_ACTUAL,
    KIND_AREA,
    KIND_TOTAL,
    KIND_UNCOUNTED,
    exports_frame,
    exports_frame_columns,
)
from tests.shipped import MACRO

ROOT = Path(__file__).resolve().parent.parent
TEXTS = {"year": "Year", "value": "USD bn", "series": "Series", "target_line": "USD 1 trn", "title": "Exports",
         "lines": "Lines", "total": "Scenario total", "actual": "Actual", "reference": "Reference",
         "band80": "Middle 80 %", "band50": "Middle 50 %", "median": "Median", "pledge_path": "Pledge path",
         "needed_path": "Needed path"}


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


def _leaves(spec: dict) -> list[dict]:
    """Every unit layer of a (nested) layered spec."""
    out = []
    for layer in spec.get("layer", []):
        out += _leaves(layer) if "layer" in layer else [layer]
    return out


def test_chart_layers_and_encodings(baseline):
    pledge_timeline = Scenario(base_year=2021, target_year=2027)
    chart = exports_chart(frame_for(pledge_timeline, baseline), list(series_labels("en").values()), TEXTS)
    assert isinstance(chart, alt.LayerChart)
    spec = chart.to_dict()
    stack, lines = spec["layer"]
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in _leaves(spec)]
    assert marks == ["area", "line"] + ["line"] * 10 + ["rule"]  # total, actual, reference, 5 fan, pledge, needed
    assert stack["layer"][0]["encoding"]["y"]["stack"] == "zero"
    assert spec["title"] == "Exports" and spec["description"]
    assert spec["resolve"]["scale"]["color"] == "independent"  # two legends: industries and lines
    # every line is named in the lines legend, each with its own colour and dash
    domain = lines["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert domain == [TEXTS[k] for k in ("total", "actual", "reference", "target_line", "band80", "band50", "median",
                                         "pledge_path", "needed_path")]
    assert not any(layer["mark"] in ("text",) or (isinstance(layer["mark"], dict) and layer["mark"]["type"] == "text")
                   for layer in _leaves(spec)), "no text inside the plot: nothing can collide with a line"


def test_the_ranges_are_drawn_over_the_stack_as_lines(baseline):
    """The fan never hides an industry: p10/p90 and p25/p75 are lines above the stack, not filled bands."""
    spec = exports_chart(exports_frame_columns(), list(series_labels("en").values()), TEXTS).to_dict()
    _, lines = spec["layer"]
    ranges = [layer for layer in lines["layer"] if "y" in layer.get("encoding", {})
              and layer["encoding"]["y"]["field"] in ("lo", "hi")]
    assert len(ranges) == 4 and all(layer["mark"]["type"] == "line" for layer in ranges)


def test_legends_list_only_what_is_drawn(baseline):
    """No "Reference" or "Actual" in the legend when none is drawn; the colours of the rest do not shift."""
    from scenarios.words.specs import fit_legend, present_kinds

    spec = spec_without_data(exports_chart(exports_frame_columns(), list(series_labels("en").values()), TEXTS))
    frame = frame_for(Scenario(base_year=2026, target_year=2030), baseline)
    fitted = fit_legend(spec, present_kinds(frame))
    scale = fitted["layer"][1]["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["Scenario total", "USD 1 trn"]
    assert scale["range"] == ["#000000", "#B00020"]
    assert fit_legend(spec, present_kinds(frame)) == fitted  # the same spec for the same rows


def test_spec_is_identical_whatever_the_data(baseline):
    labels = list(series_labels("en").values())
    specs = [
        json.dumps(spec_without_data(exports_chart(frame, labels, TEXTS)), sort_keys=True)
        for frame in (exports_frame_columns(), frame_for(Scenario(base_year=2021, target_year=2027), baseline),
                      frame_for(Scenario(base_year=2021, target_year=2027).with_growth(semiconductors=30.0), baseline))
    ]
    assert specs[0] == specs[1] == specs[2]
    assert "data" not in json.loads(specs[0])


def test_korean_axes_and_tooltips_count_in_eok_and_jo():
    """The Korean spec writes USD bn values as 억/조 달러 with one fixed expression (no data in the spec).

    Evaluated here with Node (Vega's expression language is JavaScript's), with d3's "," format for integers.
    """
    import shutil
    import subprocess

    from scenarios.words.charts import eok_expr

    expr = eok_expr("v", " 달러")
    assert "조" in expr and "억" in expr and "달러" in expr
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    js = (expr.replace("round(", "Math.round(").replace("floor(", "Math.floor(").replace("abs(", "Math.abs(")
          .replace("format(", "fmt("))
    program = ("const fmt = (x) => x.toLocaleString('en-US'); "
               f"for (const v of [1011.5, 709.7, 0, 1000, -167, 2052.5]) console.log((v => {js})(v));")
    out = subprocess.run(["node", "-e", program], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:6] == ["1조 115억 달러", "7,097억 달러", "0달러", "1조 달러", "-1,670억 달러",
                                          "2조 525억 달러"]
    spec = json.loads((ROOT / "scenarios" / "words" / "specs" / "ko.json").read_text(encoding="utf-8"))["exports"]
    assert eok_expr("datum.value") in json.dumps(spec, ensure_ascii=False)


def test_every_app_spec_is_valid_vega_lite():
    from scenarios.words.charts import rank_chart, vision_chart
    from scenarios.words.frames import rank_frame_columns, vision_frame_columns

    texts = {**TEXTS, "note": "Note", "gdp": "GDP", "scenario": "S", "target": "T", "actual": "A", "reference": "R",
             "event": "E", "band_low": "from", "band_high": "to", "others": "O", "top5": "5", "imf": "I"}
    for chart in (exports_chart(exports_frame_columns(), list(series_labels("ko").values()), TEXTS),
                  vision_chart(vision_frame_columns(), texts), rank_chart(rank_frame_columns(), texts, 16)):
        spec_without_data(chart, validate=True)  # raises if the spec breaks the Vega-Lite schema


def test_shipped_specs_equal_what_the_builders_make():
    """Regenerate with `python -m scenarios.words.spec_builder` when a chart or a catalog string changes."""
    from scenarios.words.spec_builder import build_specs
    from scenarios.words.specs import load_specs

    for lang in ("en", "ko"):
        load_specs.cache_clear()
        assert load_specs(lang) == json.loads(json.dumps(build_specs(lang, len(MACRO.peers) + 1))), lang


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
