"""Streamlit UI: widgets -> Scenario -> engine -> charts. No model logic lives here."""

from __future__ import annotations

import logging

import streamlit as st

from scenarios.baseline import Baseline, BaselineError, default_baseline
from scenarios.charts import exports_chart, exports_frame, exports_frame_columns, spec_without_data
from scenarios.describe import industry_table, lever_help, requirement_text, series_labels
from scenarios.goals import milestones, required_big10_growth, required_uniform_growth
from scenarios.i18n import DEFAULT_LANG, fmt_number, fmt_pct, fmt_usd_bn, t
from scenarios.levers import growth_levers, lever
from scenarios.model import EXPORT_TARGET_USD_BN, Projection, Scenario, project
from scenarios.presets import load_presets, resolve_growth
from scenarios.share import scenario_from_params, scenario_to_params

log = logging.getLogger(__name__)
LANG = DEFAULT_LANG
YEAR_KEYS = ("base", "target", "horizon")
TABLE_ROW_PX = 35  # st.dataframe's row height: show every row without a scrollbar


@st.cache_resource
def baseline() -> Baseline:
    """The shipped data, validated once per server."""
    return default_baseline()


@st.cache_data
def preset_growth(preset_id: str) -> dict[str, float]:
    """Growth rates of one preset, resolved against the data."""
    return resolve_growth(load_presets()[preset_id], baseline())


@st.cache_resource
def exports_spec(lang: str) -> dict:
    """The exports chart's Vega-Lite spec for one language, built once (data is sent per rerun)."""
    labels = list(series_labels(lang).values())
    texts = {key: t(f"chart.{key}", lang) for key in ("year", "value", "series", "target_line")}
    texts.update(title=t("chart.exports_title", lang), alt=t("chart.exports_alt", lang))
    empty = exports_frame_columns()
    return spec_without_data(exports_chart(empty, labels, texts))


def apply_preset() -> None:
    """Set every growth slider to the chosen preset (a widget callback)."""
    for sid, value in preset_growth(st.session_state["preset"]).items():
        st.session_state[sid] = value


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
    ss.update(base=scenario.base_year, target=scenario.target_year, horizon=scenario.horizon,
              services=scenario.count_services)
    ss["notices"] = [n.text(LANG) for n in notices]
    ss["initialised"] = True


def current_scenario() -> Scenario:
    """The scenario the widgets describe."""
    ss = st.session_state
    return Scenario(base_year=int(ss["base"]), target_year=int(ss["target"]), horizon=int(ss["horizon"]),
                    count_services=bool(ss["services"]),
                    growth={lev.id: float(ss[lev.id]) for lev in growth_levers()}, preset=ss["preset"])


def sidebar(data: Baseline) -> None:
    """Preset, reset, years, the services toggle and one growth slider per series."""
    presets = load_presets()
    sb = st.sidebar
    sb.selectbox(t("sidebar.preset", LANG), list(presets), key="preset", on_change=apply_preset,
                 format_func=lambda pid: t(presets[pid].label_key, LANG), help=t("sidebar.preset_help", LANG))
    sb.caption(t(presets[st.session_state["preset"]].rationale_key, LANG))
    preset_values = preset_growth(st.session_state["preset"])
    changed = sum(abs(st.session_state[sid] - v) > 1e-9 for sid, v in preset_values.items())
    if changed:
        sb.caption(t("sidebar.modified", LANG, n=changed, total=len(preset_values)))
    sb.button(t("sidebar.reset", LANG), on_click=apply_preset, help=t("sidebar.reset_help", LANG),
              width="stretch")

    sb.subheader(t("sidebar.settings", LANG))
    years = {key: lever(key) for key in YEAR_KEYS}
    base_options = list(data.base_years())
    c1, c2 = sb.columns(2)
    c1.selectbox(t("sidebar.base_year", LANG), base_options, key="base", on_change=keep_years_ordered,
                 help=t("sidebar.base_year_help", LANG))
    c2.selectbox(t("sidebar.target_year", LANG), list(range(int(years["target"].min), int(years["target"].max) + 1)),
                 key="target", on_change=keep_years_ordered, help=t("sidebar.target_year_help", LANG))
    b1, b2 = sb.columns(2)
    b1.button(t("sidebar.target_2027", LANG), on_click=set_target, args=(2027,), width="stretch",
              help=t("sidebar.target_2027_help", LANG))
    b2.button(t("sidebar.target_2030", LANG), on_click=set_target, args=(2030,), width="stretch",
              help=t("sidebar.target_2030_help", LANG))
    sb.selectbox(t("sidebar.horizon", LANG), list(range(int(years["horizon"].min), int(years["horizon"].max) + 1)),
                 key="horizon", on_change=keep_years_ordered, help=t("sidebar.horizon_help", LANG))
    sb.toggle(t("sidebar.services", LANG), key="services", help=t("sidebar.services_help", LANG))

    sb.subheader(t("sidebar.growth_header", LANG))
    base_year = int(st.session_state["base"])
    for group in ("super_cluster", "emerging", "rest"):
        sb.markdown(f"**{t(f'group.{group}', LANG)}**")
        for lev in growth_levers():
            if lev.group == group:
                sb.slider(t(lev.label_key, LANG), min_value=float(lev.min), max_value=float(lev.max),
                          step=float(lev.step), key=lev.id, format="%.1f %%",
                          help=lever_help(lev, data, base_year, LANG))


def headline(proj: Projection) -> None:
    """Four metrics that answer 'will the pledge be met, and what would it take'."""
    s = proj.scenario
    at_target = proj.total_at(s.target_year)
    gap = at_target - EXPORT_TARGET_USD_BN
    reached = milestones(proj)["exports_1t"]
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(t("metric.exports_in_target", LANG, year=s.target_year), fmt_number(at_target, LANG),
              delta=t("metric.gap_above" if gap >= 0 else "metric.gap_below", LANG,
                      value=fmt_usd_bn(abs(gap), LANG)),
              delta_color="normal" if gap >= 0 else "inverse", help=t("metric.exports_in_target_help", LANG))
    if reached is None:
        when, delta = t("metric.not_by", LANG, year=s.horizon), None
    elif reached <= s.target_year:
        when, delta = str(reached), t("metric.on_time", LANG, year=s.target_year)
    else:
        late = reached - s.target_year
        when = str(reached)
        delta = (t("metric.late_one", LANG, year=s.target_year) if late == 1
                 else t("metric.late", LANG, years=late, year=s.target_year))
    m2.metric(t("metric.year_reached", LANG), when, delta=delta,
              delta_color="normal" if reached is not None and reached <= s.target_year else "inverse",
              help=t("metric.year_reached_help", LANG))
    m3.metric(t("metric.uniform", LANG, year=s.target_year), fmt_pct(required_uniform_growth(proj), LANG, 2),
              help=t("metric.uniform_help", LANG))
    m4.metric(t("metric.big10", LANG), requirement_text(required_big10_growth(proj), LANG, subject="big10"),
              help=t("metric.big10_help", LANG))


def main_view(data: Baseline) -> None:
    """Headline, exports chart and industry table for the current scenario."""
    scenario = current_scenario()
    proj = project(scenario, data)
    st.query_params.from_dict(scenario_to_params(scenario, LANG))
    headline(proj)

    frame = exports_frame(proj, series_labels(LANG), data.actual_totals(), t("chart.scenario_total", LANG),
                          t("chart.actual_total", LANG))
    st.vega_lite_chart(frame, exports_spec(LANG), width="stretch")

    st.subheader(t("table.title", LANG))
    table = industry_table(proj, data, LANG)
    st.dataframe(table, hide_index=True, width="stretch", height=TABLE_ROW_PX * (len(table) + 1) + 3)
    st.caption(t("table.caption", LANG))
    st.caption(t("quality.legend", LANG))
    st.caption(t("footer.sources", LANG))


def run() -> None:
    """The page. Any unexpected error becomes a message; the scenario in session state survives."""
    st.set_page_config(page_title=t("app.page_title", LANG), layout="wide")
    try:
        data = baseline()
    except BaselineError as exc:
        st.error(t("app.data_error", LANG, message=str(exc)))
        return
    init_state()
    st.title(t("app.title", LANG))
    st.markdown(t("app.intro", LANG))
    st.caption(t("app.what_it_is_not", LANG))
    for notice in st.session_state.get("notices", []):
        st.warning(notice)
    try:
        sidebar(data)
        main_view(data)
    except Exception:
        log.exception("view failed")
        st.error(t("app.unexpected_error", LANG))


run()
