"""Helpers for AppTest: open the app, read the data inside its charts."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


# The 2022 pledge's own timeline: most wiring tests check the engine's numbers on it (the landing
# page's default, base 2026 to 2030, has tests of its own).
PLEDGE_TIMELINE = {"base": "2021", "target": "2027", "preset": "pledge"}  # the 2022 pledge, as it was made


def open_app(params: dict[str, str] | None = None, panels_open: bool = True, timeline: dict | None = None,
             tab: str | None = None) -> AppTest:
    """The app after its first run; by default with every lazily built panel open, so tests see their widgets.

    timeline: base and target put in the link unless params give them (the 2022 pledge timeline by
    default; pass {} for the landing page's own defaults). The tracker's detail panel (a chart) stays
    closed unless asked, so the charts keep their order: exports, then the four 5/5/5 charts.
    """
    from ui.common import PANEL_KEYS

    at = AppTest.from_file(APP, default_timeout=60)
    link = {**(PLEDGE_TIMELINE if timeline is None else timeline), **({"tab": tab} if tab else {}), **(params or {})}
    for key, value in link.items():
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


def open_tab(at: AppTest, tab: str) -> AppTest:
    """Switch the explorer to one of its tabs below the first screen (by id) and rerun."""
    from scenarios.registry.i18n import t

    at.session_state["tab"] = t(f"tabs.{tab}", at.session_state["lang"])
    return at.run()


FRESHNESS_ICON = ":material/schedule:"


def notices(at: AppTest) -> list:
    """The page's warnings about the user's own input (a link, a file), without the data's freshness notice."""
    return [w for w in at.warning if getattr(w, "icon", None) != FRESHNESS_ICON]
