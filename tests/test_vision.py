"""The 5/5/5 links: each formula, the properties the issue promises, base-year values from data/."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios.data.baseline import BaselineError, load_macro
from scenarios.model.projection import Scenario
from scenarios.model.vision import imf_korea_rank, peer_growth_pct, peer_paths, project_vision
from scenarios.registry.levers import growth_levers, vision_levers
from tests.shipped import MACRO, proj_of

IDS = [lev.id for lev in growth_levers()]
base_years = st.sampled_from([2021, 2022, 2023, 2024, 2025])
growth_pct = st.floats(-20.0, 30.0, allow_nan=False)


def vision_for(scenario: Scenario):
    proj = proj_of(scenario)
    return proj, project_vision(proj, MACRO)


@pytest.fixture(scope="module")
def macro():
    return MACRO


@pytest.mark.parametrize("base", [2021, 2022, 2023, 2024, 2025])
def test_base_year_values_equal_the_data(base, macro):
    _, v = vision_for(Scenario(base_year=base, target_year=base + 2))
    assert v.gdp_usd_bn[0] == pytest.approx(macro.value("gdp_nominal_usd_bn", base))
    assert v.gni_per_capita_usd[0] == pytest.approx(macro.value("gni_per_capita_usd", base))
    assert v.kospi[0] == pytest.approx(macro.value("kospi_close_end", base))
    assert v.population_mn[0] == pytest.approx(macro.value("population_mn", base))


def test_base_2025_matches_the_published_figures():
    _, v = vision_for(Scenario(base_year=2025, target_year=2030))
    assert v.gni_per_capita_usd[0] == pytest.approx(36963)  # the June 2026 revision of 2025
    assert v.kospi[0] == pytest.approx(4214.17)
    # IMF WEO Oct 2025 lists Korea 14th for 2025 (behind Spain and Mexico, ahead of Australia)
    assert v.gdp_rank[0] == 14


def test_imf_vintage_rank_for_2026_is_15th():
    assert imf_korea_rank(MACRO) == {2026: 15}


def test_gdp_formula():
    s = Scenario(base_year=2025, target_year=2030).with_macro(real_growth=2.0, deflator=1.0, krw_change=3.0,
                                                              va_share=0.5)
    proj, v = vision_for(s)
    x = proj.total
    nominal = 1.02 * 1.01 / 1.03
    # after the base year the won starts from its year-end close (1,439.0 in 2025), not its average
    won = np.where(proj.years > 2025, MACRO.value("krw_per_usd_avg", 2025) / 1439.0, 1.0)
    expected = (1872.7 - 0.5 * x[0]) * nominal ** np.arange(len(x)) * won + 0.5 * x
    np.testing.assert_allclose(v.gdp_usd_bn, expected, rtol=1e-12)


def test_gni_formula(macro):
    s = Scenario(base_year=2024, target_year=2030).with_macro(population_shift=-0.5)
    _, v = vision_for(s)
    ratio = 36745 * macro.value("population_mn", 2024) / (macro.value("gdp_nominal_usd_bn", 2024) * 1e3)
    proj_pop = macro.series("population_proj_mn")
    pop = np.array([macro.value("population_mn", 2024)] + [proj_pop[y] for y in range(2025, 2036)])
    pop = pop * 0.995 ** np.arange(len(pop))
    np.testing.assert_allclose(v.population_mn, pop, rtol=1e-12)
    np.testing.assert_allclose(v.gni_per_capita_usd, v.gdp_usd_bn * 1e3 * ratio / pop, rtol=1e-12)


def test_kospi_formula():
    s = Scenario(base_year=2025, target_year=2030, horizon=2035).with_macro(earnings_elasticity=1.5, rerating=40.0)
    proj, v = vision_for(s)
    t = np.arange(len(proj.years))
    expected = 4214.17 * (proj.total / proj.total[0]) ** 1.5 * (1 + 0.4 * t / 10)
    np.testing.assert_allclose(v.kospi, expected, rtol=1e-12)


def test_rank_counts_the_larger_peers(macro):
    _, v = vision_for(Scenario(base_year=2025, target_year=2030))
    expected = 1 + (v.peer_gdp_usd_bn > v.gdp_usd_bn[None, :]).sum(axis=0)
    np.testing.assert_array_equal(v.gdp_rank, expected)
    fifth = np.sort(v.peer_gdp_usd_bn, axis=0)[-5]
    np.testing.assert_allclose(v.fifth_largest_peer, fifth)


def test_peer_paths_start_from_the_weo_values(macro):
    years = np.arange(2024, 2031)
    paths = peer_paths(macro, years, peer_growth_pct(macro, {}))
    japan = [p.iso3 for p in macro.peers].index("JPN")
    assert paths[japan, 1] == pytest.approx(4279.8)       # 2025: WEO Oct 2025
    assert paths[japan, 2] == pytest.approx(4463.63)      # 2026: the anchor
    assert paths[japan, 6] == pytest.approx(5119.8, rel=1e-6)  # 2030: WEO's own 2030, by construction of its growth


@settings(max_examples=60, deadline=None)
@given(sid=st.sampled_from(IDS), g=growth_pct, bump=st.floats(0.1, 10.0), base=base_years)
def test_higher_export_growth_never_lowers_gdp_gni_or_kospi(sid, g, bump, base):
    s = Scenario(base_year=base, target_year=2030, horizon=2040, count_services=True).with_growth(**{sid: g})
    _, low = vision_for(s)
    _, high = vision_for(s.with_growth(**{sid: g + bump}))
    assert np.all(high.gdp_usd_bn >= low.gdp_usd_bn - 1e-9)
    assert np.all(high.gni_per_capita_usd >= low.gni_per_capita_usd - 1e-9)
    assert np.all(high.kospi >= low.kospi - 1e-9)
    assert np.all(high.gdp_rank <= low.gdp_rank)


@settings(max_examples=60, deadline=None)
@given(shift=st.floats(-5.0, 4.0), bump=st.floats(0.1, 1.0), base=base_years,
       peer=st.sampled_from([lev.id for lev in vision_levers() if lev.kind == "peer"] + ["peer_shift"]))
def test_faster_peer_growth_never_improves_koreas_rank(shift, bump, base, peer):
    s = Scenario(base_year=base, target_year=2030, horizon=2050).with_macro(**{peer: shift})
    _, slow = vision_for(s)
    _, fast = vision_for(s.with_macro(**{peer: shift + bump}))
    assert np.all(fast.gdp_rank >= slow.gdp_rank)


def test_every_export_slider_moves_all_four_targets():
    for sid in [i for i in IDS if i != "metaverse"]:
        _, a = vision_for(Scenario(base_year=2021, target_year=2027, horizon=2050))
        _, b = vision_for(Scenario(base_year=2021, target_year=2027, horizon=2050).with_growth(**{sid: 30.0}))
        assert b.gdp_usd_bn[-1] > a.gdp_usd_bn[-1]
        assert b.gni_per_capita_usd[-1] > a.gni_per_capita_usd[-1]
        assert b.kospi[-1] > a.kospi[-1]
        assert b.gdp_rank[-1] <= a.gdp_rank[-1]


def test_milestones_are_first_years():
    _, v = vision_for(Scenario(base_year=2025, target_year=2030, horizon=2050))
    m = v.milestones()
    year = m["gni_per_capita_50k"]
    assert year is not None and v.gni_per_capita_usd[year - 2025] >= 50_000
    assert v.gni_per_capita_usd[year - 2025 - 1] < 50_000
    assert m["kospi_5000"] is not None and v.kospi[m["kospi_5000"] - 2025] >= 5000


def test_minus_100_percent_everywhere_stays_finite():
    s = Scenario(growth=dict.fromkeys(IDS, -100.0), horizon=2050)
    _, v = vision_for(s)
    for arr in (v.gdp_usd_bn, v.gni_per_capita_usd, v.kospi):
        assert np.all(np.isfinite(arr))
    assert np.all(v.kospi[1:] == 0)


def test_macro_files_validate(data_copy):
    (data_copy / "macro.csv").write_text(
        (data_copy / "macro.csv").read_text(encoding="utf-8").replace("gni_per_capita_usd", "gni_pc_usd"),
        encoding="utf-8")
    with pytest.raises(BaselineError, match="unknown series 'gni_pc_usd'"):
        load_macro(data_copy)


def test_peers_toml_method_is_checked(data_copy):
    path = data_copy / "peers.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('method = "median"', 'method = "guess"', 1),
                    encoding="utf-8")
    with pytest.raises(BaselineError, match=r"growth\.method must be 'cagr' or 'median'"):
        load_macro(data_copy)


def test_a_peer_without_its_anchor_year_is_refused(data_copy):
    path = data_copy / "peers.csv"
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("2026,gdp_usd_bn_FRA,")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BaselineError, match="gdp_usd_bn_FRA needs values for 2025 and 2026"):
        load_macro(data_copy)
