"""Helpers for AppTest: open the app, read the data inside its charts."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_app(params: dict[str, str] | None = None, panels_open: bool = True) -> AppTest:
    """The app after its first run; by default with every lazily built panel open, so tests see their widgets."""
    from ui.common import PANEL_KEYS

    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if panels_open:
        for key in PANEL_KEYS:
            at.session_state[key] = True
    return at.run()


def charts(at: AppTest) -> list:
    return list(at.get("vega_lite_chart"))


def chart_data(chart) -> pd.DataFrame:
    """Every dataset inside one Vega-Lite chart element, concatenated."""
    frames = [pa.ipc.open_stream(ds.data.data).read_all().to_pandas() for ds in chart.proto.datasets]
    if chart.proto.HasField("data") and chart.proto.data.data:
        frames.append(pa.ipc.open_stream(chart.proto.data.data).read_all().to_pandas())
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def chart_spec(chart) -> dict:
    return json.loads(chart.proto.spec)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}
