"""The projection engine: formulas, properties and goal-seek."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios.model.goals import (
    NOT_COUNTED,
    OK,
    REACHED_WITHOUT,
    milestones,
    required_big10_growth,
    required_industry_growth,
    required_uniform_growth,
)
from scenarios.model.projection import EXPORT_TARGET_USD_BN, Scenario, project
from scenarios.registry.levers import growth_levers
from tests.shipped import proj_of

IDS = [lev.id for lev in growth_levers()]
growth_pct = st.floats(min_value=-30.0, max_value=40.0, allow_nan=False)
base_years = st.sampled_from([2021, 2022, 2023, 2024, 2025])


def uniform(g: float, **kw) -> Scenario:
    """Every series at g, on the 2022 pledge's timeline (base 2021, target 2027) unless given."""
    kw = {"base_year": 2021, "target_year": 2027, **kw}
    return Scenario(growth=dict.fromkeys(IDS, g), **kw)


def test_base_year_total_is_the_actual_total(baseline):
    for year in baseline.base_years():
        proj = project(Scenario(base_year=year, target_year=year + 2, horizon=year + 5), baseline)
        assert proj.total[0] == pytest.approx(baseline.total(year))


def test_pledge_formula_2021():
    proj = proj_of(uniform(7.8))
    assert proj.total_at(2021) == pytest.approx(644.54)
    assert proj.total_at(2027) == pytest.approx(644.54 * 1.078**6)
    assert proj.total_at(2027) > 1000


@settings(max_examples=60, deadline=None)
@given(g=growth_pct, base=base_years)
def test_uniform_growth_compounds_the_base_total(g, base, baseline):
    proj = project(uniform(g, base_year=base, target_year=base + 1, horizon=2040), baseline)
    expected = baseline.total(base) * (1 + g / 100) ** (proj.years - base)
    np.testing.assert_allclose(proj.total, expected, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(sid=st.sampled_from(IDS), g=growth_pct, bump=st.floats(0.1, 20.0), base=base_years)
def test_total_is_monotone_in_every_growth(sid, g, bump, base, baseline):
    s = Scenario(base_year=base, target_year=2030, horizon=2040, count_services=True).with_growth(**{sid: g})
    low, high = project(s, baseline), project(s.with_growth(**{sid: g + bump}), baseline)
    assert np.all(high.total >= low.total - 1e-9)
    assert np.all(high.values[IDS.index(sid), 1:] > low.values[IDS.index(sid), 1:])


def test_services_enter_the_total_only_when_counted(baseline):
    off, on = proj_of(uniform(5.0)), proj_of(uniform(5.0, count_services=True))
    content = on.values[IDS.index("metaverse")]
    np.testing.assert_allclose(on.total - off.total, content)
    assert not off.counted[IDS.index("metaverse")]


def test_minus_100_percent_growth_zeroes_a_series():
    proj = proj_of(uniform(7.8).with_growth(semiconductors=-100.0))
    row = proj.values[IDS.index("semiconductors")]
    assert row[0] > 0 and np.all(row[1:] == 0)
    assert np.all(np.isfinite(proj.total))


@settings(max_examples=80, deadline=None)
@given(growth=st.lists(growth_pct, min_size=len(IDS), max_size=len(IDS)), base=base_years)
def test_milestone_is_the_first_year_at_or_above_1000(growth, base, baseline):
    s = Scenario(base_year=base, target_year=2030, horizon=2050, growth=dict(zip(IDS, growth, strict=True)))
    proj = project(s, baseline)
    year = milestones(proj)["exports_1t"]
    above = proj.total >= EXPORT_TARGET_USD_BN
    if year is None:
        assert not above.any()
    else:
        assert proj.total_at(year) >= EXPORT_TARGET_USD_BN
        assert not above[: year - base].any()


@settings(max_examples=60, deadline=None)
@given(base=base_years, target=st.integers(2026, 2050))
def test_uniform_goal_seek_reaches_the_target(base, target, baseline):
    proj = project(uniform(0.0, base_year=base, target_year=target, horizon=target), baseline)
    g = required_uniform_growth(proj)
    reached = project(uniform(g, base_year=base, target_year=target, horizon=target), baseline)
    assert reached.total_at(target) == pytest.approx(EXPORT_TARGET_USD_BN, rel=1e-9)


def test_uniform_goal_seek_matches_the_design_formula():
    proj = proj_of(uniform(0.0))
    assert required_uniform_growth(proj) == pytest.approx(((1000 / 644.54) ** (1 / 6) - 1) * 100)


@settings(max_examples=60, deadline=None)
@given(rest=st.floats(-10.0, 8.0), base=base_years, target=st.integers(2026, 2040))
def test_big10_goal_seek_reaches_the_target(rest, base, target, baseline):
    s = uniform(0.0, base_year=base, target_year=target, horizon=target).with_growth(rest=rest)
    req = required_big10_growth(project(s, baseline))
    if req.status == REACHED_WITHOUT:
        assert project(s, baseline).values[IDS.index("rest"), -1] >= EXPORT_TARGET_USD_BN
        return
    assert req.status == OK
    solved = uniform(req.pct, base_year=base, target_year=target, horizon=target).with_growth(rest=rest)
    assert project(solved, baseline).total_at(target) == pytest.approx(EXPORT_TARGET_USD_BN, rel=1e-9)


@settings(max_examples=80, deadline=None)
@given(sid=st.sampled_from([i for i in IDS if i != "metaverse"]), others=st.floats(-5.0, 10.0))
def test_single_industry_goal_seek_reaches_the_target(sid, others):
    s = uniform(others)
    req = required_industry_growth(proj_of(s), sid)
    if req.status == REACHED_WITHOUT:
        assert proj_of(s.with_growth(**{sid: -100.0})).total_at(2027) >= EXPORT_TARGET_USD_BN
        return
    assert req.status == OK and math.isfinite(req.pct)
    assert proj_of(s.with_growth(**{sid: req.pct})).total_at(2027) == pytest.approx(EXPORT_TARGET_USD_BN, rel=1e-9)


def test_uncounted_services_series_cannot_be_goal_sought():
    assert required_industry_growth(proj_of(uniform(3.0)), "metaverse").status == NOT_COUNTED
    assert required_industry_growth(proj_of(uniform(3.0, count_services=True)), "metaverse").status == OK


def test_rest_alone_can_reach_the_target():
    proj = proj_of(uniform(0.0).with_growth(rest=20.0))
    assert required_big10_growth(proj).status == REACHED_WITHOUT


def test_projection_frame_is_long_form():
    proj = proj_of(uniform(7.8))
    frame = proj.to_frame()
    assert set(frame.columns) == {"year", "series", "value", "counted"}
    assert len(frame) == (len(IDS) + 1) * len(proj.years)
    totals = frame[frame.series == "total"].value.to_numpy()
    np.testing.assert_allclose(totals, proj.total)


@settings(max_examples=60, deadline=None)
@given(rest=st.floats(-5.0, 6.0), sid=st.sampled_from([i for i in IDS if i not in ("metaverse", "rest")]),
       base=base_years, target=st.integers(2026, 2040))
def test_a_shown_required_rate_set_on_the_slider_reaches_the_target(rest, sid, base, target, baseline):
    from scenarios.words.describe import requirement_text

    s = uniform(2.0, base_year=base, target_year=target, horizon=target).with_growth(rest=rest)
    req = required_industry_growth(project(s, baseline), sid)
    if req.status != OK:
        return
    shown = requirement_text(req, "en")
    pct = float(shown.split(" ")[0].replace(",", ""))
    assert pct >= req.pct
    assert project(s.with_growth(**{sid: pct}), baseline).total_at(target) >= EXPORT_TARGET_USD_BN
