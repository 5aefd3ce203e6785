"""The chip cycle: a price level that turns, the Central preset that uses it, and every series' own bands."""

from __future__ import annotations

import numpy as np
import pytest

from scenarios.model.projection import Scenario, chip_price_path
from scenarios.model.share import scenario_from_params
from scenarios.registry.presets import load_presets
from tests.shipped import BASE, proj_of, sim_of


def test_the_chip_price_change_can_wait_a_year():
    s = Scenario(base_year=2026).with_macro(chip_price=-25.0, chip_years=1.0, chip_delay=1.0)
    np.testing.assert_allclose(chip_price_path(s, np.arange(2026, 2031)), [1.0, 1.0, 0.75, 0.75, 0.75])
    two = Scenario(base_year=2026).with_macro(chip_price=-30.0, chip_years=2.0, chip_delay=2.0)
    np.testing.assert_allclose(chip_price_path(two, np.arange(2026, 2032)), [1.0, 1.0, 1.0, 0.85, 0.7, 0.7])


def test_the_central_preset_is_trend_with_the_chip_boom_turning_once():
    central = load_presets()["central"]
    assert central.levers == {"chip_price": -25.0, "chip_years": 1.0, "chip_delay": 1.0}
    # the median fall after the four earlier chip export peaks (1996, 2001, 2019, 2023)
    falls = [-19.3, -45.0, -25.9, -23.7]
    assert central.levers["chip_price"] == pytest.approx(float(np.median(falls)), abs=0.5)
    scenario, _ = scenario_from_params({"preset": "central"}, baseline=BASE)
    trend, _ = scenario_from_params({"preset": "trend"}, baseline=BASE)
    assert scenario.growth == trend.growth


def test_every_series_has_its_own_bands_and_chips_may_well_be_lower_in_2028():
    scenario, _ = scenario_from_params({"preset": "central", "base": "2026", "target": "2030"}, baseline=BASE)
    proj = proj_of(scenario)
    sim = sim_of(proj, n_paths=2000, seed=1)
    bands = sim.bands()
    chips = bands["semiconductors"]
    assert chips[0.5][0] == pytest.approx(proj.values[proj.series_ids.index("semiconductors"), 0])
    assert chips[0.25][2] < chips[0.5][0]  # at least a one-in-four chance that chips in 2028 are below 2026
    assert {"future_mobility", "rest"} <= set(bands)
