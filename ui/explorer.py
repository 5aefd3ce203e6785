"""The explorer page: sidebar levers, headline metrics, the exports chart, the industry table and the 5/5/5 panel."""

from __future__ import annotations

import streamlit as st

from scenarios.baseline import Baseline
from scenarios.describe import (
    ceil_to,
    exports_summary,
    industry_table,
    requirement_text,
    series_labels,
    vision_summaries,
)
from scenarios.frames import exports_frame, rank_frame, vision_frame
from scenarios.goals import milestones, required_big10_growth, required_uniform_growth
from scenarios.i18n import fmt_number, fmt_pct, fmt_usd_bn, fmt_usd_bn_metric, md_escape, t
from scenarios.levers import Lever, growth_levers, lever, vision_levers
from scenarios.model import EXPORT_TARGET_USD_BN, Projection, project
from scenarios.presets import load_presets
from scenarios.specs import load_specs
from scenarios.vision import GNI_TARGET_USD, KOSPI_TARGET, VisionPath, imf_korea_rank, project_vision
from ui.common import (
    YEAR_KEYS,
    apply_preset,
    current_scenario,
    exports_spec,
    keep_years_ordered,
    lang,
    macro_data,
    method_tables,
    panel,
    preset_growth,
    record_history,
    redo,
    reference_options,
    reference_scenario,
    reset_all,
    session_baseline,
    set_target,
    simulation,
    slider_helps,
    sync_link,
    undo,
)
from ui.data_input import own_figures_panel
from ui.share_panel import delta_table, share_panel


def sidebar(data: Baseline) -> None:
    """Preset, reset, years, the services toggle and one growth slider per series."""
    L = lang()
    presets = load_presets()
    sb = st.sidebar
    sb.selectbox(t("sidebar.preset", L), list(presets), key="preset", on_change=apply_preset,
                 format_func=lambda pid: t(presets[pid].label_key, L), help=t("sidebar.preset_help", L))
    sb.caption(t(presets[st.session_state["preset"]].rationale_key, L))
    preset_values = preset_growth(st.session_state["preset"])
    changed = sum(abs(st.session_state[sid] - v) > 1e-9 for sid, v in preset_values.items())
    if changed:
        sb.caption(t("sidebar.modified", L, n=changed, total=len(preset_values)))
    u1, u2 = sb.columns(2)
    ss = st.session_state
    u1.button(t("sidebar.undo", L), on_click=undo, disabled=ss["history_at"] == 0, width="stretch",
              help=t("sidebar.undo_help", L), key="undo", icon=":material/undo:")
    u2.button(t("sidebar.redo", L), on_click=redo, disabled=ss["history_at"] >= len(ss["history"]) - 1,
              width="stretch", help=t("sidebar.redo_help", L), key="redo", icon=":material/redo:")
    sb.button(t("sidebar.reset", L), on_click=reset_all, help=t("sidebar.reset_help", L), width="stretch",
              key="reset", icon=":material/restart_alt:")
    sb.selectbox(t("compare.with", L), reference_options(), key="ref", format_func=reference_name,
                 help=t("compare.with_help", L))

    sb.subheader(t("sidebar.settings", L))
    years = {key: lever(key) for key in YEAR_KEYS}
    base_options = list(data.base_years())
    c1, c2 = sb.columns(2)
    c1.selectbox(t("sidebar.base_year", L), base_options, key="base", on_change=keep_years_ordered,
                 help=t("sidebar.base_year_help", L))
    c2.selectbox(t("sidebar.target_year", L), list(range(int(years["target"].min), int(years["target"].max) + 1)),
                 key="target", on_change=keep_years_ordered, help=t("sidebar.target_year_help", L))
    b1, b2 = sb.columns(2)
    b1.button(t("sidebar.target_2027", L), on_click=set_target, args=(2027,), width="stretch",
              help=t("sidebar.target_2027_help", L))
    b2.button(t("sidebar.target_2030", L), on_click=set_target, args=(2030,), width="stretch",
              help=t("sidebar.target_2030_help", L))
    sb.selectbox(t("sidebar.horizon", L), list(range(int(years["horizon"].min), int(years["horizon"].max) + 1)),
                 key="horizon", on_change=keep_years_ordered, help=t("sidebar.horizon_help", L))
    sb.toggle(t("sidebar.services", L), key="services", help=t("sidebar.services_help", L))

    sb.subheader(t("sidebar.growth_header", L))
    helps = slider_helps(int(st.session_state["base"]), L, tuple(sorted(st.session_state["overrides"].items())))
    for group in ("super_cluster", "emerging", "rest"):
        sb.markdown(f"**{t(f'group.{group}', L)}**")
        for lev in growth_levers():
            if lev.group == group:
                sb.slider(t(lev.label_key, L), min_value=float(lev.min), max_value=float(lev.max),
                          step=float(lev.step), key=lev.id, format="%.1f %%",
                          help=helps[lev.id])

    if box := panel(t("vision.sidebar_macro", L), "open_macro", sb):
        with box:
            for lev in vision_levers():
                if lev.kind == "macro" and lev.group == "macro":
                    lever_slider(lev, t(lev.label_key, L))
    if box := panel(t("ranges.sidebar", L), "open_ranges", sb):
        with box:
            for lev in vision_levers():
                if lev.group == "uncertainty":
                    lever_slider(lev, t(lev.label_key, L))
    if box := panel(t("vision.sidebar_peers", L), "open_peers", sb):
        with box:
            lever_slider(lever("peer_shift"), t("lever.peer_shift.label", L))
            for peer in macro_data().peers:
                lev = lever(f"peer_{peer.iso3.lower()}")
                lever_slider(lev, t("vision.peer_label", L, name=t(lev.label_key, L),
                                    pct=fmt_pct(peer.growth_pct, L)))


SLIDER_FORMATS = {"pct_per_year": "%.1f %%", "pp_per_year": "%+.1f", "share": "%.2f", "ratio": "%.1f",
                  "pct": "%+.0f %%"}


def lever_slider(lev: Lever, label: str) -> None:
    """A sidebar widget for one registry lever: a toggle, a whole-number box or a slider, by its unit."""
    L = lang()
    if lev.unit == "bool":
        st.toggle(label, key=lev.id, help=t(lev.help_key, L))
    elif lev.unit == "count" and lev.max - lev.min > 100_000:
        st.number_input(label, min_value=int(lev.min), max_value=int(lev.max), step=int(lev.step), key=lev.id,
                        help=t(lev.help_key, L))
    elif lev.unit == "count":
        st.slider(label, min_value=int(lev.min), max_value=int(lev.max), step=int(lev.step), key=lev.id,
                  help=t(lev.help_key, L))
    else:
        st.slider(label, min_value=float(lev.min), max_value=float(lev.max), step=float(lev.step), key=lev.id,
                  format=SLIDER_FORMATS.get(lev.unit, "%.2f"), help=t(lev.help_key, L))


def headline(proj: Projection) -> None:
    """Four metrics that answer 'will the pledge be met, and what would it take'."""
    L = lang()
    s = proj.scenario
    at_target = proj.total_at(s.target_year)
    gap = at_target - EXPORT_TARGET_USD_BN
    reached = milestones(proj)["exports_1t"]
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(t("metric.exports_in_target", L, year=s.target_year), fmt_usd_bn_metric(at_target, L),
              delta=t("metric.gap_above" if gap >= 0 else "metric.gap_below", L,
                      value=fmt_usd_bn(abs(gap), L)),
              delta_color="normal" if gap >= 0 else "inverse", help=t("metric.exports_in_target_help", L))
    if reached is None:
        when, delta = t("metric.not_by", L, year=s.horizon), None
    elif reached <= s.target_year:
        when, delta = str(reached), t("metric.on_time", L, year=s.target_year)
    else:
        late = reached - s.target_year
        when = str(reached)
        delta = (t("metric.late_one", L, year=s.target_year) if late == 1
                 else t("metric.late", L, years=late, year=s.target_year))
    m2.metric(t("metric.year_reached", L), when, delta=delta,
              delta_color="normal" if reached is not None and reached <= s.target_year else "inverse",
              help=t("metric.year_reached_help", L))
    m3.metric(t("metric.uniform", L, year=s.target_year), fmt_pct(ceil_to(required_uniform_growth(proj), 2), L, 2),
              help=t("metric.uniform_help", L))
    m4.metric(t("metric.big10", L), requirement_text(required_big10_growth(proj), L, subject="big10"),
              help=t("metric.big10_help", L))


def main_view(data: Baseline) -> None:
    """Headline, exports chart and industry table for the current scenario."""
    L = lang()
    scenario = current_scenario()
    proj = project(scenario, data)
    vision = project_vision(proj, macro_data())
    ref_scenario = reference_scenario(scenario)
    ref = project(ref_scenario, data) if ref_scenario else None
    ref_vision = project_vision(ref, macro_data()) if ref else None
    sync_link(scenario)
    headline(proj)
    ranges_on = bool(scenario.macro["ranges"])
    sim = simulation(scenario.key(), proj.values.tobytes(), proj) if ranges_on else None
    bands = sim[2] if sim else {}
    if sim:
        chances(proj, sim[1])

    marked = marked_series(data, scenario.base_year)
    labels = {sid: (t("chart.marked", L, label=label) if sid in marked else label)
              for sid, label in series_labels(L).items()}
    actual_label = t("chart.actual_total", L)
    if any(series == "total" for series, _ in st.session_state.get("overrides", {})):
        actual_label = t("chart.marked", L, label=actual_label)  # the user replaced a published total
    frame = exports_frame(proj, labels, data.actual_totals(), t("chart.scenario_total", L), actual_label,
                          reference_total=ref.total if ref else None,
                          reference_label=t("compare.reference_total", L, name=reference_name(st.session_state["ref"])),
                          bands=bands.get("exports_total"), band_label=t("ranges.band", L))
    spec = exports_spec(L, marked)
    st.vega_lite_chart(frame, spec, width="stretch")
    st.caption(exports_summary(proj, L))
    st.session_state["_shown"] = {"proj": proj, "vision": vision, "exports_frame": frame, "exports_spec": spec,
                                  "ref": ref,
                                  "ref_vision": ref_vision}

    st.subheader(t("table.title", L))
    table = industry_table(proj, data, L)
    # a plain HTML table: cheap to redraw, read well by screen readers
    st.table(table_style(table, (t("table.base_value", L),)))
    st.caption(t("table.caption", L))
    st.caption(t("quality.legend", L))
    if ref is not None:
        st.subheader(t("compare.title", L, name=reference_name(st.session_state["ref"])))
        deltas = delta_table(proj, vision, ref, ref_vision, L)
        st.table(table_style(deltas))
        st.caption(t("compare.caption", L))

    own_figures_panel(data, scenario.base_year)
    vision_panel(proj, vision, ref_vision, bands)
    share_panel(scenario)
    st.caption(t("footer.sources", L))


def chances(proj: Projection, probabilities: dict[str, float]) -> None:
    """The chance of each target, and one plain sentence reading them."""
    L = lang()
    s = proj.scenario
    pct = {key: chance_text(p, L) for key, p in probabilities.items()}
    cols = st.columns(4)
    cols[0].metric(t("ranges.p_exports", L, year=s.target_year), pct["exports_1t"], help=t("ranges.p_help", L))
    cols[1].metric(t("ranges.p_gni", L, year=s.horizon), pct["gni_per_capita_50k"], help=t("ranges.p_help", L))
    cols[2].metric(t("ranges.p_kospi", L, year=s.horizon), pct["kospi_5000"], help=t("ranges.p_help", L))
    cols[3].metric(t("ranges.p_top5", L, year=s.horizon), pct["top5_economy"], help=t("ranges.p_help", L))
    st.markdown(t("ranges.sentence", L, target=s.target_year, horizon=s.horizon,
                  exports=t(likelihood_key(probabilities["exports_1t"]), L), p_exports=pct["exports_1t"],
                  gni=pct["gni_per_capita_50k"], kospi=pct["kospi_5000"], top5=pct["top5_economy"],
                  paths=fmt_number(s.macro["paths"], L, 0)))


def chance_text(p: float, lang_code: str) -> str:
    """A probability as a percentage that never rounds a possibility to 0 % or 100 %."""
    if 0 < p < 0.005:
        return t("ranges.below_one", lang_code)
    if 0.995 < p < 1:
        return t("ranges.above_99", lang_code)
    return fmt_pct(100 * p, lang_code, 0)


def likelihood_key(p: float) -> str:
    """Words for a probability, on the scale climate and intelligence reports use."""
    for bound, key in ((0.1, "very_unlikely"), (0.33, "unlikely"), (0.66, "about_as_likely"), (0.9, "likely")):
        if p < bound:
            return f"ranges.{key}"
    return "ranges.very_likely"


def reached_text(year: int | None, horizon: int) -> str:
    """A milestone year, or 'not by H'."""
    L = lang()
    return str(year) if year is not None else t("metric.not_by", L, year=horizon)


def vision_panel(proj: Projection, vision: VisionPath, ref_vision: VisionPath | None = None,
                 bands: dict | None = None) -> None:
    """The 5/5/5 targets: a metric and a path chart each, linked to the export scenario."""
    L = lang()
    s = proj.scenario
    macro = macro_data()
    n = s.target_year - s.base_year
    reached = vision.milestones()
    st.header(t("vision.title", L))
    st.markdown(t("vision.intro", L))
    st.caption(t("vision.measure", L))

    m1, m2, m3, m4 = st.columns(4)
    m1.metric(t("vision.gni_metric", L, year=s.target_year), fmt_number(vision.gni_per_capita_usd[n], L, 0),
              delta=t("vision.reached_in", L, when=reached_text(reached["gni_per_capita_50k"], s.horizon)),
              delta_color="off", delta_arrow="off", help=t("vision.gni_help", L))
    m2.metric(t("vision.kospi_metric", L, year=s.target_year), fmt_number(vision.kospi[n], L, 0),
              delta=t("vision.kospi_reached_in", L, when=reached_text(reached["kospi_5000"], s.horizon)),
              delta_color="off", delta_arrow="off", help=t("vision.kospi_help", L))
    m3.metric(t("vision.rank_metric", L, year=s.target_year), str(int(vision.gdp_rank[n])),
              delta=t("vision.rank_reached_in", L, when=reached_text(reached["top5_economy"], s.horizon)),
              delta_color="off", delta_arrow="off", help=t("vision.rank_help", L))
    m4.metric(t("vision.gdp_metric", L, year=s.target_year), fmt_number(float(vision.gdp_usd_bn[n]), L, 0),
              help=t("vision.gdp_help", L))

    specs = load_specs(L)
    names = {"scenario": t("vision.scenario", L), "actual": t("vision.actual", L),
             "reference": t("compare.reference", L)}
    kospi_event = macro.value("kospi_first_close_above_5000", 2026)
    frames = {
        "gni": vision_frame(vision.years, vision.gni_per_capita_usd, GNI_TARGET_USD,
                            macro.series("gni_per_capita_usd"), {**names, "target": t("vision.gni_target", L)},
                            reference=ref_vision.gni_per_capita_usd if ref_vision else None,
                            bands=(bands or {}).get("gni_per_capita_usd")),
        "kospi": vision_frame(vision.years, vision.kospi, KOSPI_TARGET, macro.series("kospi_close_end"),
                              {**names, "target": t("vision.kospi_target", L)},
                              events=[(2026, kospi_event,
                                       t("vision.kospi_event", L, value=fmt_number(kospi_event, L, 2)))]
                              if kospi_event else [], reference=ref_vision.kospi if ref_vision else None,
                              bands=(bands or {}).get("kospi")),
        "gdp": vision_frame(vision.years, vision.gdp_usd_bn, vision.fifth_largest_peer,
                            macro.series("gdp_nominal_usd_bn"), {**names, "target": t("vision.gdp_target", L)},
                            reference=ref_vision.gdp_usd_bn if ref_vision else None,
                            bands=(bands or {}).get("gdp_usd_bn")),
        "rank": rank_frame(vision.years, vision.gdp_usd_bn, vision.peer_gdp_usd_bn, t("vision.korea", L),
                           [t(f"lever.peer_{iso.lower()}.label", L) for iso in vision.peer_ids],
                           imf_korea_rank(macro), reference_rank=ref_vision.gdp_rank if ref_vision else None,
                           reference_label=t("compare.reference", L), bands=(bands or {}).get("gdp_rank"),
                           actual_label=t("vision.imf_rank", L)),
    }
    st.session_state["_shown"]["vision_frames"] = frames
    summaries = vision_summaries(proj, vision, L)
    for row in (("gni", "kospi"), ("gdp", "rank")):
        for column, name in zip(st.columns(2), row, strict=True):
            column.vega_lite_chart(frames[name], specs[name], width="stretch")
            column.caption(summaries[name])

    box = panel(t("method.expander", L), "open_method")
    if box is None:
        return
    with box:
        for key in ("gdp", "gni", "kospi", "rank"):
            st.markdown(t(f"method.{key}", L))
        b = s.base_year
        st.markdown(t("method.base_values", L, year=b, gdp=fmt_usd_bn(macro.value("gdp_nominal_usd_bn", b), L),
                      gni=fmt_number(macro.value("gni_per_capita_usd", b), L, 0),
                      pop=fmt_number(macro.value("population_mn", b), L, 3),
                      kospi=fmt_number(macro.value("kospi_close_end", b), L, 2),
                      ratio=f"{vision.gni_gdp_ratio:.4f}"))
        levers_table, peers_table = method_tables(L)
        st.markdown(f"**{t('method.levers', L)}**")
        st.dataframe(levers_table, hide_index=True, width="stretch")
        st.markdown(f"**{t('method.peers', L)}**")
        st.dataframe(peers_table, hide_index=True, width="stretch")




def table_style(frame, two_decimals: tuple[str, ...] = ()):
    """A table with its first column as row headers and its numbers to one decimal (the named ones to two)."""
    indexed = frame.set_index(frame.columns[0])
    formats = {col: "{:,.2f}" if col in two_decimals else "{:,.1f}"
               for col in indexed.select_dtypes("number").columns}
    return indexed.style.format(formats, na_rep="")


def marked_series(data: Baseline, base_year: int) -> tuple[str, ...]:
    """Series whose base-year value is the user's own (they are marked in the chart and the table)."""
    return tuple(sid for sid in data.series_ids
                 if sid != "rest" and data.industry_quality(sid, base_year) == "user")


def reference_name(ref: str) -> str:
    """A reference option in words."""
    L = lang()
    if ref.startswith("preset:"):
        return t(f"preset.{ref[7:]}.label", L)
    if ref.startswith("saved:"):
        return t("compare.saved", L, name=ref[6:])
    return t("compare.none", L)


def render() -> None:
    """The explorer page."""
    L = lang()
    data = session_baseline()
    st.title(t("app.title", L))
    st.markdown(t("app.intro", L))
    st.caption(t("app.what_it_is_not", L))
    for notice in st.session_state.get("notices", []):
        st.warning(notice.text(L, escape=md_escape))
    record_history()  # the widgets' new values are already in session state: undo/redo see this change
    sidebar(data)
    main_view(data)
