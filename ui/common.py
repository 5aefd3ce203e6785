"""Shared UI plumbing: cached data and chart specs, the language, and the scenario in session state."""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from scenarios.baseline import Baseline, MacroBaseline, default_baseline, default_macro
from scenarios.charts import (
    exports_chart,
    exports_frame_columns,
    rank_chart,
    rank_frame_columns,
    spec_without_data,
    vision_chart,
    vision_frame_columns,
)
from scenarios.describe import (
    lever_help,
    lever_table,
    peer_table,
    series_labels,
)
from scenarios.i18n import DEFAULT_LANG, LANGS, t
from scenarios.levers import growth_levers, vision_levers
from scenarios.model import Scenario
from scenarios.presets import load_presets, resolve_growth
from scenarios.share import scenario_from_params, scenario_to_params

log = logging.getLogger(__name__)
YEAR_KEYS = ("base", "target", "horizon")
SCENARIO_KEYS = ("preset", *YEAR_KEYS, "services", *(lev.id for lev in growth_levers()),
                 *(lev.id for lev in vision_levers()))
TABLE_ROW_PX = 35  # st.dataframe's row height: show every row without a scrollbar


def lang() -> str:
    """The reader's language for this run: the toggle, else `lang=` in the link, else the browser's locale."""
    ss = st.session_state
    if ss.get("lang") not in LANGS:
        wanted = st.query_params.get("lang")
        if wanted not in LANGS:
            locale = (st.context.locale or "").lower()
            wanted = "ko" if locale.startswith("ko") else DEFAULT_LANG
        ss["lang"] = wanted
    return ss["lang"]


@st.cache_resource
def baseline() -> Baseline:
    """The shipped data, validated once per server."""
    return default_baseline()


@st.cache_data
def preset_growth(preset_id: str) -> dict[str, float]:
    """Growth rates of one preset, resolved against the data."""
    return resolve_growth(load_presets()[preset_id], baseline())


@st.cache_resource
def macro_data() -> MacroBaseline:
    """The shipped macro and peer data, validated once per server."""
    return default_macro()


@st.cache_resource
def exports_spec(lang: str) -> dict:
    """The exports chart's Vega-Lite spec for one language, built once (data is sent per rerun)."""
    labels = list(series_labels(lang).values())
    texts = {key: t(f"chart.{key}", lang) for key in ("year", "value", "series", "target_line")}
    texts.update(title=t("chart.exports_title", lang), alt=t("chart.exports_alt", lang))
    empty = exports_frame_columns()
    return spec_without_data(exports_chart(empty, labels, texts))


@st.cache_resource
def vision_specs(lang: str) -> dict[str, dict]:
    """The four 5/5/5 chart specs for one language, built once."""
    def texts(name: str, value_key: str) -> dict[str, str]:
        return {"title": t(f"vision.{name}_title", lang), "alt": t(f"vision.{name}_alt", lang),
                "year": t("chart.year", lang), "value": t(f"vision.{value_key}", lang),
                "series": t("chart.series", lang), "note": t("vision.note", lang), "gdp": t("vision.gdp", lang),
                "scenario": t("vision.scenario", lang), "actual": t("vision.actual", lang),
                "target": t(f"vision.{name}_target", lang) if name != "rank" else ""}

    empty = vision_frame_columns()
    n_economies = len(macro_data().peers) + 1
    return {
        "gni": spec_without_data(vision_chart(empty, texts("gni", "usd"))),
        "kospi": spec_without_data(vision_chart(empty, texts("kospi", "index"))),
        "gdp": spec_without_data(vision_chart(empty, texts("gdp", "gdp"))),
        "rank": spec_without_data(rank_chart(rank_frame_columns(), texts("rank", "rank"), n_economies)),
    }


@st.cache_data
def slider_helps(base_year: int, lang: str) -> dict[str, str]:
    """Help text of every growth slider (depends only on the base year and language)."""
    return {lev.id: lever_help(lev, baseline(), base_year, lang) for lev in growth_levers()}


@st.cache_data
def method_tables(lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 5/5/5 lever table and the peer table for the method notes."""
    macro_levers = tuple(lv for lv in vision_levers() if lv.kind == "macro")
    return lever_table(macro_levers, lang), peer_table(macro_data(), lang)


def apply_preset() -> None:
    """Set every growth slider to the chosen preset (a widget callback)."""
    for sid, value in preset_growth(st.session_state["preset"]).items():
        st.session_state[sid] = value


def reset_all() -> None:
    """Back to the chosen preset: its growth rates and every 5/5/5 lever at its default."""
    apply_preset()
    for lev in vision_levers():
        st.session_state[lev.id] = float(lev.default)


def set_target(year: int) -> None:
    """One-click target year; the horizon follows if it would fall before the target."""
    st.session_state["target"] = year
    st.session_state["horizon"] = max(st.session_state["horizon"], year)


def keep_years_ordered() -> None:
    """After a year changes, keep base < target <= horizon by moving the later years."""
    ss = st.session_state
    ss["target"] = max(ss["target"], ss["base"] + 1)
    ss["horizon"] = max(ss["horizon"], ss["target"])


def init_state() -> None:
    """First run of a session: take the scenario from the link, else the default preset."""
    if "initialised" in st.session_state:
        return
    scenario, notices = scenario_from_params(st.query_params.to_dict(), baseline=baseline())
    ss = st.session_state
    ss["preset"] = scenario.preset
    ss.update(scenario.growth)
    ss.update(scenario.macro)
    ss.update(base=scenario.base_year, target=scenario.target_year, horizon=scenario.horizon,
              services=scenario.count_services)
    ss["notices"] = notices
    ss["initialised"] = True


def keep_scenario_across_pages() -> None:
    """Detach the scenario's widget values from their widgets so other pages do not drop them."""
    ss = st.session_state
    for key in SCENARIO_KEYS:
        if key in ss:
            ss[key] = ss[key]


def sync_link(scenario: Scenario) -> None:
    """Write the whole scenario, and the language, into the URL."""
    st.query_params.from_dict(scenario_to_params(scenario, lang()))


def current_scenario() -> Scenario:
    """The scenario the widgets describe."""
    ss = st.session_state
    return Scenario(base_year=int(ss["base"]), target_year=int(ss["target"]), horizon=int(ss["horizon"]),
                    count_services=bool(ss["services"]),
                    growth={lev.id: float(ss[lev.id]) for lev in growth_levers()}, preset=ss["preset"],
                    macro={lev.id: float(ss[lev.id]) for lev in vision_levers()})


