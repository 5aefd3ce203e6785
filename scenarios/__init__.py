"""Big 10 export scenario explorer: the pure model package (no Streamlit)."""

from scenarios.levers import LEVERS, Lever, growth_levers, lever
from scenarios.model import Projection, Scenario, project

__all__ = ["LEVERS", "Lever", "Projection", "Scenario", "growth_levers", "lever", "project"]
