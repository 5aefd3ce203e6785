"""The exports chart follows a held growth or chip-cycle slider in the browser (issue 28).

A Streamlit slider sends its value on release; while it is held, ui/drag_preview.js (a custom component of
st.components.v2, mounted in the page itself, no iframe) recomputes the projection from the base values and
the levers (the same formula as scenarios.model.projection.project) and puts it into the exports chart's own
Vega view. On release the rerun replaces it with the engine's table. The component draws nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from scenarios.model.outcome import Outcome
from scenarios.model.projection import CHIPS
from scenarios.registry.levers import growth_levers

JS = (Path(__file__).with_name("drag_preview.js")).read_text(encoding="utf-8")
CHIP_LEVERS = ("chip_price", "chip_years", "chip_delay")
# On unless BIG10_DRAG_PREVIEW=0: then not even mounted (the bench compares the release with and without it).
ENABLED = os.environ.get("BIG10_DRAG_PREVIEW", "1") != "0"

_component = st.components.v2.component("big10_drag_preview", js=JS, html="", isolate_styles=False)


def preview_data(outcome: Outcome) -> dict:
    """What the browser needs to project: base year, years, each series' base value and lever values (JSON)."""
    proj = outcome.projection
    s = proj.scenario
    values = {sid: float(s.growth[sid]) for sid in proj.series_ids}
    values.update({k: float(s.macro.get(k, 0.0)) for k in CHIP_LEVERS})
    # the base year's values: the chip price path is 1 there (chip_price_path), so these are V_i(b)
    return {"enabled": ENABLED, "base_year": int(s.base_year), "years": [int(y) for y in proj.years],
            "series": list(proj.series_ids), "counted": [bool(c) for c in proj.counted],
            "base": [float(v) for v in proj.values[:, 0]], "chips": CHIPS,
            "levers": [lev.id for lev in growth_levers()] + list(CHIP_LEVERS), "values": values}


def drag_preview(data: dict) -> None:
    """Mount the preview with this rerun's preview_data (nothing is drawn; its container is hidden by the script)."""
    if not ENABLED:
        return
    _component(key="drag_preview", data=data)
