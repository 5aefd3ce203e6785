"""The methodology page: every formula worked through with the open scenario, every lever and every series."""

from __future__ import annotations

import streamlit as st

from scenarios.describe import all_levers_table, data_series_table
from scenarios.goals import milestones, required_uniform_growth
from scenarios.i18n import fmt_number, fmt_pct, fmt_usd_bn, fmt_year, t
from scenarios.model import project
from scenarios.presets import load_presets
from scenarios.vision import project_vision
from ui.common import current_scenario, lang, macro_data, session_baseline, sync_link, volatility


@st.cache_data
def levers_table(lang_code: str):
    """The registry as a table, per language."""
    return all_levers_table(lang_code)


@st.cache_data
def volatility_table(lang_code: str):
    """Each series' estimated volatility, before and after shrinkage, per language."""
    import pandas as pd

    described = volatility().describe()
    return pd.DataFrame([{
        t("methodology.col_series", lang_code): t(f"lever.{row['id']}.label", lang_code),
        t("ranges.col_sigma", lang_code): round(row["sigma"], 3),
        t("ranges.col_raw", lang_code): None if row["sigma_raw"] is None else round(row["sigma_raw"], 3),
        t("ranges.col_obs", lang_code): row["n_obs"],
        t("ranges.col_years", lang_code): f"{row['first_year']}-{row['last_year']}",
    } for row in described["series"]])


@st.cache_data
def series_table(lang_code: str):
    """Every data series as a table, per language."""
    return data_series_table(lang_code)


def render() -> None:
    """The methodology page."""
    L = lang()
    scenario = current_scenario()
    sync_link(scenario)
    proj = project(scenario, session_baseline())
    vision = project_vision(proj, macro_data())
    b, target = scenario.base_year, scenario.target_year
    n = target - b

    st.title(t("methodology.title", L))
    st.markdown(t("methodology.intro", L))

    st.header(t("methodology.exports_header", L))
    st.markdown(t("methodology.exports_text", L))
    i = proj.series_ids.index("semiconductors")
    st.markdown(t("methodology.example_series", L, name=t("lever.semiconductors.label", L),
                  base=fmt_number(float(proj.values[i, 0]), L, 2),
                  g=f"{scenario.growth['semiconductors'] / 100:.3f}", year=target, b=b,
                  value=fmt_usd_bn(float(proj.values[i, n]), L)))
    reached = milestones(proj)["exports_1t"]
    st.markdown(t("methodology.example_total", L, year=target, value=fmt_usd_bn(proj.total_at(target), L),
                  when=fmt_year(reached, L) if reached else t("metric.not_by", L, year=scenario.horizon)))

    st.header(t("methodology.goals_header", L))
    st.markdown(t("methodology.goals_text", L))
    st.markdown(t("methodology.example_uniform", L, xb=fmt_number(float(proj.total[0]), L, 2), n=n,
                  pct=fmt_pct(required_uniform_growth(proj), L, 2)))

    st.header(t("methodology.presets_header", L))
    for preset in load_presets().values():
        st.markdown(f"- **{t(preset.label_key, L)}**: {t(preset.rationale_key, L)}")

    st.header(t("methodology.vision_header", L))
    for key in ("gdp", "gni", "kospi", "rank"):
        st.markdown(t(f"method.{key}", L))
    st.markdown(t("methodology.example_vision", L, year=target, gdp=fmt_usd_bn(float(vision.gdp_usd_bn[n]), L),
                  gni=fmt_number(float(vision.gni_per_capita_usd[n]), L, 0),
                  kospi=fmt_number(float(vision.kospi[n]), L, 0), rank=int(vision.gdp_rank[n])))

    st.header(t("methodology.levers_header", L))
    st.dataframe(levers_table(L), hide_index=True, width="stretch")

    st.header(t("methodology.series_header", L))
    st.markdown(t("methodology.series_text", L))
    source_col = t("methodology.col_source", L)
    link = st.column_config.LinkColumn(source_col, display_text=t("data_page.link", L))
    st.dataframe(series_table(L), hide_index=True, width="stretch", column_config={source_col: link})

    st.header(t("methodology.leaves_out_header", L))
    st.markdown(t("methodology.leaves_out", L))

    st.header(t("ranges.method_header", L))
    st.markdown(t("ranges.method_text", L))
    st.dataframe(volatility_table(L), hide_index=True, width="stretch")
