"""Streamlit UI: widgets -> Scenario -> engine -> charts. No model logic lives here."""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from scenarios.baseline import Baseline, BaselineError, MacroBaseline, default_baseline, default_macro
from scenarios.charts import (
    exports_chart,
    exports_frame,
    exports_frame_columns,
    rank_chart,
    rank_frame,
    rank_frame_columns,
    spec_without_data,
    vision_chart,
    vision_frame,
    vision_frame_columns,
)
from scenarios.describe import (
    industry_table,
    lever_help,
    lever_table,
    peer_table,
    requirement_text,
    series_labels,
)
from scenarios.goals import milestones, required_big10_growth, required_uniform_growth
from scenarios.i18n import DEFAULT_LANG, fmt_number, fmt_pct, fmt_usd_bn, t
from scenarios.levers import Lever, growth_levers, lever, vision_levers
from scenarios.model import EXPORT_TARGET_USD_BN, Projection, Scenario, project
from scenarios.presets import load_presets, resolve_growth
from scenarios.share import scenario_from_params, scenario_to_params
from scenarios.vision import GNI_TARGET_USD, KOSPI_TARGET, VisionPath, imf_korea_rank, project_vision

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
    ss["notices"] = [n.text(LANG) for n in notices]
    ss["initialised"] = True


def current_scenario() -> Scenario:
    """The scenario the widgets describe."""
    ss = st.session_state
    return Scenario(base_year=int(ss["base"]), target_year=int(ss["target"]), horizon=int(ss["horizon"]),
                    count_services=bool(ss["services"]),
                    growth={lev.id: float(ss[lev.id]) for lev in growth_levers()}, preset=ss["preset"],
                    macro={lev.id: float(ss[lev.id]) for lev in vision_levers()})


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
    sb.button(t("sidebar.reset", LANG), on_click=reset_all, help=t("sidebar.reset_help", LANG),
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
    helps = slider_helps(int(st.session_state["base"]), LANG)
    for group in ("super_cluster", "emerging", "rest"):
        sb.markdown(f"**{t(f'group.{group}', LANG)}**")
        for lev in growth_levers():
            if lev.group == group:
                sb.slider(t(lev.label_key, LANG), min_value=float(lev.min), max_value=float(lev.max),
                          step=float(lev.step), key=lev.id, format="%.1f %%",
                          help=helps[lev.id])

    with sb.expander(t("vision.sidebar_macro", LANG)):
        for lev in vision_levers():
            if lev.kind == "macro" and lev.group == "macro":
                lever_slider(lev, t(lev.label_key, LANG))
    with sb.expander(t("vision.sidebar_peers", LANG)):
        lever_slider(lever("peer_shift"), t("lever.peer_shift.label", LANG))
        for peer in macro_data().peers:
            lev = lever(f"peer_{peer.iso3.lower()}")
            lever_slider(lev, t("vision.peer_label", LANG, name=t(lev.label_key, LANG),
                                pct=fmt_pct(peer.growth_pct, LANG)))


SLIDER_FORMATS = {"pct_per_year": "%.1f %%", "pp_per_year": "%+.1f", "share": "%.2f", "ratio": "%.1f",
                  "pct": "%+.0f %%"}


def lever_slider(lev: Lever, label: str) -> None:
    """A sidebar slider for one registry lever, formatted by its unit."""
    st.slider(label, min_value=float(lev.min), max_value=float(lev.max), step=float(lev.step), key=lev.id,
              format=SLIDER_FORMATS.get(lev.unit, "%.2f"), help=t(lev.help_key, LANG))


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

    vision_panel(proj, project_vision(proj, macro_data()))
    st.caption(t("footer.sources", LANG))


def reached_text(year: int | None, horizon: int) -> str:
    """A milestone year, or 'not by H'."""
    return str(year) if year is not None else t("metric.not_by", LANG, year=horizon)


def vision_panel(proj: Projection, vision: VisionPath) -> None:
    """The 5/5/5 targets: a metric and a path chart each, linked to the export scenario."""
    s = proj.scenario
    macro = macro_data()
    n = s.target_year - s.base_year
    reached = vision.milestones()
    st.header(t("vision.title", LANG))
    st.markdown(t("vision.intro", LANG))
    st.caption(t("vision.measure", LANG))

    m1, m2, m3, m4 = st.columns(4)
    m1.metric(t("vision.gni_metric", LANG, year=s.target_year), fmt_number(vision.gni_per_capita_usd[n], LANG, 0),
              delta=t("vision.reached_in", LANG, when=reached_text(reached["gni_per_capita_50k"], s.horizon)),
              delta_color="off", delta_arrow="off", help=t("vision.gni_help", LANG))
    m2.metric(t("vision.kospi_metric", LANG, year=s.target_year), fmt_number(vision.kospi[n], LANG, 0),
              delta=t("vision.kospi_reached_in", LANG, when=reached_text(reached["kospi_5000"], s.horizon)),
              delta_color="off", delta_arrow="off", help=t("vision.kospi_help", LANG))
    m3.metric(t("vision.rank_metric", LANG, year=s.target_year), str(int(vision.gdp_rank[n])),
              delta=t("vision.rank_reached_in", LANG, when=reached_text(reached["top5_economy"], s.horizon)),
              delta_color="off", delta_arrow="off", help=t("vision.rank_help", LANG))
    m4.metric(t("vision.gdp_metric", LANG, year=s.target_year), fmt_number(vision.gdp_usd_bn[n], LANG, 0),
              help=t("vision.gdp_help", LANG))

    specs = vision_specs(LANG)
    names = {"scenario": t("vision.scenario", LANG), "actual": t("vision.actual", LANG)}
    kospi_event = macro.value("kospi_first_close_above_5000", 2026)
    frames = {
        "gni": vision_frame(vision.years, vision.gni_per_capita_usd, GNI_TARGET_USD,
                            macro.series("gni_per_capita_usd"), {**names, "target": t("vision.gni_target", LANG)}),
        "kospi": vision_frame(vision.years, vision.kospi, KOSPI_TARGET, macro.series("kospi_close_end"),
                              {**names, "target": t("vision.kospi_target", LANG)},
                              events=[(2026, kospi_event,
                                       t("vision.kospi_event", LANG, value=fmt_number(kospi_event, LANG, 2)))]
                              if kospi_event else []),
        "gdp": vision_frame(vision.years, vision.gdp_usd_bn, vision.fifth_largest_peer,
                            macro.series("gdp_nominal_usd_bn"), {**names, "target": t("vision.gdp_target", LANG)}),
        "rank": rank_frame(vision.years, vision.gdp_usd_bn, vision.peer_gdp_usd_bn, t("vision.korea", LANG),
                           [t(f"lever.peer_{iso.lower()}.label", LANG) for iso in vision.peer_ids],
                           imf_korea_rank(macro)),
    }
    c1, c2 = st.columns(2)
    c1.vega_lite_chart(frames["gni"], specs["gni"], width="stretch")
    c2.vega_lite_chart(frames["kospi"], specs["kospi"], width="stretch")
    c3, c4 = st.columns(2)
    c3.vega_lite_chart(frames["gdp"], specs["gdp"], width="stretch")
    c4.vega_lite_chart(frames["rank"], specs["rank"], width="stretch")

    with st.expander(t("method.expander", LANG)):
        for key in ("gdp", "gni", "kospi", "rank"):
            st.markdown(t(f"method.{key}", LANG))
        b = s.base_year
        st.markdown(t("method.base_values", LANG, year=b, gdp=fmt_usd_bn(macro.value("gdp_nominal_usd_bn", b), LANG),
                      gni=fmt_number(macro.value("gni_per_capita_usd", b), LANG, 0),
                      pop=fmt_number(macro.value("population_mn", b), LANG, 3),
                      kospi=fmt_number(macro.value("kospi_close_end", b), LANG, 2),
                      ratio=f"{vision.gni_gdp_ratio:.4f}"))
        levers_table, peers_table = method_tables(LANG)
        st.markdown(f"**{t('method.levers', LANG)}**")
        st.dataframe(levers_table, hide_index=True, width="stretch")
        st.markdown(f"**{t('method.peers', LANG)}**")
        st.dataframe(peers_table, hide_index=True, width="stretch")


def run() -> None:
    """The page. Any unexpected error becomes a message; the scenario in session state survives."""
    st.set_page_config(page_title=t("app.page_title", LANG), layout="wide")
    try:
        data = baseline()
        macro_data()
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
