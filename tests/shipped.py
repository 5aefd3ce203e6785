"""The shipped data folder as the tests use it: one Dataset and the parts they read, loaded once per test run."""

from __future__ import annotations

from scenarios.data.dataset import load_dataset
from scenarios.model.calibration import calibration_of
from scenarios.model.present import baseline_of, present_of
from scenarios.model.projection import Projection, Scenario, project
from scenarios.model.uncertainty import Simulation, simulate

DATA = load_dataset()
BASE = baseline_of(DATA)          # exports with the year in progress as a nowcast base year
FILES = DATA.exports              # exports.csv alone
MACRO = DATA.macro
MONTHLY = DATA.monthly
PRESENT = present_of(DATA)
CAL = calibration_of(DATA)
VOL = CAL.vol
SHOCKS = CAL.shocks


def proj_of(scenario: Scenario) -> Projection:
    """A scenario's projection on the shipped data."""
    return project(scenario, BASE)


def sim_of(proj: Projection, vol=None, n_paths: int = 2000, seed: int | None = 1, vol_scale: float = 1.0,
           won_and_market: bool = True) -> Simulation:
    """The Monte Carlo on the shipped data's calibration (vol: another volatility, if given)."""
    return simulate(proj, VOL if vol is None else vol, n_paths=n_paths, seed=seed, vol_scale=vol_scale, macro=MACRO,
                    shocks=SHOCKS, won_and_market=won_and_market)
