"""What the drag preview is given (ui/drag_preview.py): enough to redo project() in the browser, as JSON.

The browser side is tested in Chromium (tests/e2e/test_drag_preview_browser.py); here the same formula in
Python, on the data the page sends, gives the engine's projection for every preset and moved levers.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from scenarios.model.outcome import compute_outcome
from scenarios.model.projection import Scenario, project
from scenarios.registry.presets import load_presets, resolve_growth
from tests.shipped import BASE, DATA
from ui.drag_preview import CHIP_LEVERS, preview_data


def browser_formula(data: dict, values: dict) -> tuple[np.ndarray, np.ndarray]:
    """ui/drag_preview.js's project(), line for line."""
    v = {**data["values"], **values}
    years = np.array(data["years"], dtype=float)
    b = data["base_year"]
    change = v["chip_price"] / 100.0
    k, d = max(round(v["chip_years"]), 1), max(round(v["chip_delay"]), 0)
    price = np.ones(len(years)) if change == 0 else 1.0 + change * np.clip(years - b - d, 0, k) / k
    rows = np.array([[data["base"][i] * (1.0 + v[sid] / 100.0) ** (y - b) for y in years]
                     for i, sid in enumerate(data["series"])])
    rows[data["series"].index(data["chips"])] *= price
    return rows, rows[np.array(data["counted"])].sum(axis=0)


@pytest.mark.parametrize("preset", list(load_presets()))
def test_the_browser_formula_on_the_data_sent_is_the_engine(preset):
    scenario = Scenario(growth=resolve_growth(load_presets()[preset], BASE), preset=preset)
    data = json.loads(json.dumps(preview_data(compute_outcome(scenario, DATA, ranges=False))))
    assert set(CHIP_LEVERS) <= set(data["levers"]) and set(data["series"]) <= set(data["levers"])
    for moved in ({}, {"semiconductors": 21.4, "rest": -3.0}, {"chip_price": -45.0, "chip_years": 2.0,
                                                                "chip_delay": 1.0}):
        s = scenario.with_growth(**{k: v for k, v in moved.items() if k not in CHIP_LEVERS}).with_macro(
            **{k: v for k, v in moved.items() if k in CHIP_LEVERS})
        proj = project(s, BASE)
        values, total = browser_formula(data, moved)
        np.testing.assert_allclose(values, proj.values, rtol=1e-12)
        np.testing.assert_allclose(total, proj.total, rtol=1e-12)
