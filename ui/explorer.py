"""The explorer page: sidebar levers, headline metrics, the exports chart, the industry table and the 5/5/5 panel."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from scenarios.data.baseline import Baseline
from scenarios.data.freshness import freshness
from scenarios.model.outcome import ACTUAL, PROJECTED, TERM_END_YEAR, Outcome
from scenarios.model.uncertainty import is_negligible, probability_text, top5_text
from scenarios.model.vision import anchor_year, kospi_start
from scenarios.registry.i18n import (
    fmt_number,
    fmt_pct,
    fmt_people_mn,
    fmt_rank,
    fmt_usd_bn,
    fmt_usd_bn_metric,
    fmt_year,
    md,
    md_escape,
    t,
)
from scenarios.registry.levers import Lever, growth_levers, lever, vision_levers
from scenarios.registry.presets import load_presets
from scenarios.registry.targets import KOSPI_5000
from scenarios.words.describe import (
    ChartTables,
    exports_summary,
    required_pct,
    requirement_text,
    vision_freshness_text,
    vision_summaries,
    when_text,
)
from ui.common import (
    DEFAULT_REFERENCE,
    NO_REFERENCE,
    TAB_IDS,
    apply_preset,
    current_scenario,
    heading,
    keep_years_ordered,
    macro_data,
    method_tables,
    newer_data_arrived,
    one_data_version,
    panel,
    prepare_tabs,
    preset_growth,
    record_history,
    redo,
    reference_options,
    reference_scenario,
    reset_all,
    scenario_outcome,
    session_baseline,
    set_timeline,
    slider_helps,
    sync_link,
    tab_id,
    undo,
)
from ui.data_input import own_figures_panel
from ui.drag_preview import drag_preview, preview_data
from ui.guard import guarded, show_message, show_notices
from ui.share_panel import share_panel
from ui.state import KEEP, YEAR_KEYS, lang, today
from ui.tracker import (
    PLEDGE_TIMELINE_YEAR,
    needs_text,
    quote_box,
    quote_text,
    tracker_detail,
    verdicts_text,
    where_exports_stand,
)
from ui.what_it_takes import what_it_takes_panel


def settings_sidebar(data: Baseline) -> DeltaGenerator:
    """What reruns the whole page: preset, reset, comparison, years, services and the nowcast's levers.

    Returns the sidebar container under the preset where the fragment draws the growth sliders, so that at
    1440x900 they are on screen beside the verdict and the chart.
    """
    L = lang()
    presets = load_presets()
    sb = st.sidebar
    sb.selectbox(md(t("sidebar.preset", L)), list(presets), key="preset", on_change=apply_preset,
                 format_func=lambda pid: t(presets[pid].label_key, L), help=md(t("sidebar.preset_help", L)),
                 persist_state=KEEP)
    sb.caption(md(t(presets[st.session_state["preset"]].rationale_key, L)))
    sb.button(md(t("sidebar.reset", L)), on_click=reset_all, help=md(t("sidebar.reset_help", L)), width="stretch",
              key="reset", icon=":material/restart_alt:")
    levers_box = sb.container()
    # the years, the comparison and services in a closed panel: at 1440x900 they were below the fold, and each
    # element drawn costs the browser on every large commit of every rerun, a slider's included
    ss = st.session_state
    label = t("sidebar.settings", L, base=ss["base"], target=ss["target"], horizon=ss["horizon"])
    if ss["ref"] == NO_REFERENCE:  # what the closed panel changes is said on its switch
        label += t("sidebar.settings_no_ref", L)
    elif ss["ref"] != DEFAULT_REFERENCE:
        label += t("sidebar.settings_ref", L, name=md_escape(reference_name(ss["ref"], L)))  # a label is Markdown
    if ss["services"]:
        label += t("sidebar.settings_services", L)
    if box := panel(label, "open_settings", sb, levers=True):
        box.selectbox(md(t("compare.with", L)), reference_options(), key="ref",
                      format_func=lambda ref: reference_name(ref, L), help=md(t("compare.with_help", L)),
                      persist_state=KEEP)
        years = {key: lever(key) for key in YEAR_KEYS}
        base_options = list(data.base_years())
        c1, c2 = box.columns(2)
        c1.selectbox(md(t("sidebar.base_year", L)), base_options, key="base", on_change=keep_years_ordered,
                     help=md(t("sidebar.base_year_help", L)), persist_state=KEEP)
        c2.selectbox(md(t("sidebar.target_year", L)),
                     list(range(int(years["target"].min), int(years["target"].max) + 1)),
                     key="target", on_change=keep_years_ordered, help=md(t("sidebar.target_year_help", L)),
                     persist_state=KEEP)
        timeline = box.container(horizontal=True)
        timeline.button(md(t("present.timeline_now", L)), on_click=set_timeline,
                        args=(max(base_options), TERM_END_YEAR), width="stretch",
                        help=md(t("present.timeline_now_help", L)), key="timeline_now")
        timeline.button(md(t("present.timeline_pledge", L)), on_click=set_timeline,
                        args=(2021, PLEDGE_TIMELINE_YEAR, "pledge"), width="stretch",
                        help=md(t("present.timeline_pledge_help", L)), key="timeline_pledge")
        box.selectbox(md(t("sidebar.horizon", L)),
                      list(range(int(years["horizon"].min), int(years["horizon"].max) + 1)),
                      key="horizon", on_change=keep_years_ordered, help=md(t("sidebar.horizon_help", L)),
                      persist_state=KEEP)
        box.toggle(md(t("sidebar.services", L)), key="services", help=md(t("sidebar.services_help", L)),
                   persist_state=KEEP)
    if box := panel(t("present.sidebar", L), "open_present", sb, levers=True):
        with box:
            for lev in vision_levers():
                if lev.group in PAGE_LEVER_GROUPS:
                    lever_slider(lev, t(lev.label_key, L))
    return levers_box


def levers_sidebar(sb: DeltaGenerator) -> None:
    """Inside the fragment, in the sidebar container sb: what changed, undo/redo, the growth sliders, the panels."""
    L = lang()
    ss = st.session_state
    preset_values = preset_growth(ss["preset"])
    moved = {sid for sid, v in preset_values.items() if abs(ss[sid] - v) > 1e-9}
    undo_row = sb.container(horizontal=True)
    undo_row.button(md(t("sidebar.undo", L)), on_click=undo, disabled=ss["history_at"] == 0, width="stretch",
                    help=md(t("sidebar.undo_help", L)), key="undo", icon=":material/undo:")
    undo_row.button(md(t("sidebar.redo", L)), on_click=redo, disabled=ss["history_at"] >= len(ss["history"]) - 1,
                    width="stretch", help=md(t("sidebar.redo_help", L)), key="redo", icon=":material/redo:")

    # the header, what changed and the first group's name in one element: the browser redraws each element
    # on every large commit of a rerun
    header = [f"### {t('sidebar.growth_header', L)}"]
    if moved:
        header.append(f":small[{t('sidebar.modified', L, n=len(moved), total=len(preset_values))}]")
    helps = slider_helps(int(ss["base"]), L, tuple(sorted(ss["overrides"].items())))
    for group in ("super_cluster", "emerging", "rest"):
        levers = [lev for lev in growth_levers() if lev.group == group]
        name = t(f"group.{group}", L)
        if group in CLOSED_GROUPS:  # drawn only while open: every drawn slider costs each rerun in the browser
            n_moved = sum(lev.id in moved for lev in levers)
            label = name + (t("group.changed", L, n=n_moved) if n_moved else "")
            box = panel(label, CLOSED_GROUPS[group], sb, levers=True)
        else:
            # a group of one lever named like the group ("Everything else") needs no name above it
            if [t(lev.label_key, L) for lev in levers] != [name]:
                header.append(f"**{name}**")
            if header:
                sb.markdown(md("\n\n".join(header)))
                header = []
            box = sb
        if box is None:
            continue
        for lev in levers:
            box.slider(md(t(lev.label_key, L)), min_value=float(lev.min), max_value=float(lev.max),
                       step=float(lev.step), key=lev.id, format=slider_format("pct_per_year", L),
                       help=md(helps[lev.id]),
                       persist_state=KEEP)

    for label_key, key, group in LEVER_PANELS:
        if box := panel(t(label_key, L), key, sb, levers=True):
            with box:
                for lev in vision_levers():
                    if lev.group == group:
                        lever_slider(lev, t(lev.label_key, L))
    if box := panel(t("vision.sidebar_peers", L), "open_peers", sb, levers=True):
        with box:
            lever_slider(lever("peer_shift"), t("lever.peer_shift.label", L))
            for peer in macro_data().peers:
                lev = lever(f"peer_{peer.iso3.lower()}")
                lever_slider(lev, t("vision.peer_label", L, name=t(lev.label_key, L),
                                    pct=fmt_pct(peer.growth_pct, L)))


LEVER_PANELS = (("present.chip_sidebar", "open_chip", "chip"), ("vision.sidebar_macro", "open_macro", "macro"),
                ("ranges.sidebar", "open_ranges", "uncertainty"))  # (label, session key, lever group)
CLOSED_GROUPS = {"emerging": "open_emerging"}  # growth groups in a panel, closed at first (with its session key)
SLIDER_FORMATS = {"pct_per_year": "%.1f %%", "pp_per_year": "%+.1f", "share": "%.2f", "ratio": "%.1f",
                  "pct": "%+.0f %%"}


def slider_format(unit: str, lang_code: str) -> str:
    """A slider's number format: Korean writes 7.8% (no space before the sign), English 7.8 %."""
    fmt = SLIDER_FORMATS.get(unit, "%.2f")
    return fmt.replace(" %%", "%%") if lang_code == "ko" else fmt


def lever_slider(lev: Lever, label: str) -> None:
    """A sidebar widget for one registry lever: a toggle, a whole-number box or a slider, by its unit."""
    L = lang()
    if lev.unit == "bool":
        st.toggle(md(label), key=lev.id, help=md(t(lev.help_key, L)), persist_state=KEEP)
    elif lev.unit == "count" and lev.max - lev.min > 100_000:
        st.number_input(md(label), min_value=int(lev.min), max_value=int(lev.max), step=int(lev.step), key=lev.id,
                        help=md(t(lev.help_key, L)), persist_state=KEEP)
    elif lev.unit == "count":
        st.slider(md(label), min_value=int(lev.min), max_value=int(lev.max), step=int(lev.step), key=lev.id,
                  help=md(t(lev.help_key, L)), persist_state=KEEP)
    else:
        st.slider(md(label), min_value=float(lev.min), max_value=float(lev.max), step=float(lev.step), key=lev.id,
                  format=slider_format(lev.unit, L), help=md(t(lev.help_key, L)), persist_state=KEEP)


def headline(outcome: Outcome) -> None:
    """Exports in the target year against USD 1 trn: the one number the targets part opens with."""
    L = lang()
    s = outcome.scenario
    gap = outcome.gap_to_target
    st.metric(md(t("metric.exports_in_target", L, year=s.target_year)),
              fmt_usd_bn_metric(outcome.at_target["exports_total"], L),
              delta=t("metric.gap_above" if gap >= 0 else "metric.gap_below", L, value=fmt_usd_bn(abs(gap), L)),
              delta_color="green" if gap >= 0 else "red", delta_arrow="up" if gap >= 0 else "down",
              help=md(t("metric.exports_in_target_help", L)))


def first_reached_cell(outcome: Outcome, key: str) -> str:
    """The year a target is first reached, saying when it is actual or a nowcast (and, for USD 1 trn, on time)."""
    L = lang()
    s = outcome.scenario
    reached = outcome.milestones[key]
    if reached is None:
        return when_text(outcome, key, L)
    notes = []
    basis = outcome.milestone_basis[key]
    if basis != PROJECTED:
        notes.append(t(f"present.basis_{basis}", L))
    if key == "exports_1t":
        late = reached - s.target_year
        notes.append(t("metric.on_time", L, year=s.target_year) if late <= 0
                     else t("metric.late_one", L, year=s.target_year) if late == 1
                     else t("metric.late", L, years=late, year=s.target_year))
    year = fmt_year(reached, L)
    return t("targets.reached", L, year=year, timing=" · ".join(notes)) if notes else year


@dataclass(frozen=True)
class FirstScreen:
    """What the first screen draws, every part of it built before the first element is drawn."""

    outcome: Outcome
    tables: ChartTables
    custom: bool       # the growth rates differ from the preset's
    verdicts: str      # Markdown (drawn through md())
    summary: str       # Markdown (drawn through md()): the chart's caption
    quote: str         # plain text
    preview: dict      # the drag preview's data


def first_screen(data: Baseline) -> FirstScreen:
    """The outcome, the chart's table and every text of the first screen, built before the fragment draws anything.

    The browser redraws every element of the fragment once for each burst of elements that reaches it; with
    everything the first screen shows built first, the levers, the verdict, the chart and the words under it
    leave the server together (the chart's spec, fitted to the table's rows, is a cached lookup).
    """
    L = lang()
    scenario = current_scenario()
    outcome = scenario_outcome(scenario, reference_scenario(scenario))
    marked = marked_series(data, scenario.base_year)
    user_total = any(series == "total" for series, _ in st.session_state.get("overrides", {}))
    tables = ChartTables(outcome, L, data, macro_data(), marked, reference_name(st.session_state["ref"]),
                         user_total, today())
    _ = tables.exports  # a cached property: the chart's table, built before anything is drawn
    preset_values = preset_growth(scenario.preset) if scenario.preset in load_presets() else {}
    custom = any(abs(scenario.growth[sid] - v) > 1e-9 for sid, v in preset_values.items())
    summary = f"{exports_summary(outcome, L)} {needs_text(outcome)} {t('app.what_it_is_not', L)}"
    return FirstScreen(outcome, tables, custom, verdicts_text(outcome, custom), summary, quote_text(outcome, custom),
                       preview_data(outcome))


def main_view(data: Baseline, screen: FirstScreen) -> None:
    """The verdict, the exports chart and its summary, then the parts below it (only the chosen one is built)."""
    L = lang()
    outcome, tables = screen.outcome, screen.tables
    scenario = outcome.scenario
    sync_link(scenario)
    # The first screen: the verdict and the one chart; everything else in parts below.
    st.markdown(md(screen.verdicts))
    st.vega_lite_chart(tables.exports, tables.spec("exports"), width="stretch")
    drag_preview(screen.preview)  # the chart follows a held growth or chip slider (draws nothing itself)
    st.caption(md(screen.summary))
    quote_box(screen.quote)

    prepare_tabs()
    draw = {
        "targets": lambda: targets_tab(outcome),
        "industries": lambda: industries_tab(outcome, tables),
        "vision": lambda: vision_panel(outcome, tables),
        "what": lambda: what_it_takes_panel(outcome, tables),
        "tracker": lambda: tracker_detail(outcome, tables),
        "share": lambda: (own_figures_panel(data, scenario.base_year), share_panel(outcome, tables)),
    }
    # A row of radio buttons, not st.tabs: the browser redraws every element of the fragment several times
    # a run, and a tab bar costs it as much as four sliders, a radio next to nothing (BENCHMARKS.md).
    st.radio(md(t("tabs.label", L)), [t(f"tabs.{tab}", L) for tab in TAB_IDS], key="tab", horizontal=True)
    draw[tab_id()]()


def targets_tab(outcome: Outcome) -> None:
    """Exports in the target year, then the four targets in one table and the growth USD 1 trn needs.

    Three elements where there were seven (four metrics in columns): the browser redraws each several times a run.
    """
    headline(outcome)
    targets_table(outcome)


def industries_tab(outcome: Outcome, tables: ChartTables) -> None:
    """The industry table, the quality legend and, with a reference, the comparison table."""
    L = lang()
    st.subheader(md(t("table.title", L)))
    # a plain HTML table: cheap to redraw, read well by screen readers
    st.table(table_style(tables.industry, (t("table.base_value", L),)))
    st.caption(md(t("table.caption", L)))
    st.caption(md(t("quality.legend", L)))
    if tables.deltas is not None:
        st.subheader(md(t("compare.title", L, name=md_escape(reference_name(st.session_state["ref"])))))
        st.table(table_style(tables.deltas))
        st.caption(md(t("compare.caption", L)))


def targets_table(outcome: Outcome) -> None:
    """The four targets: the year each is first reached and, with ranges on, its chance; then what USD 1 trn needs."""
    L = lang()
    s = outcome.scenario
    probabilities = outcome.probabilities
    n_paths = outcome.simulation.n_paths if outcome.simulation is not None else 1
    pct = {key: probability_text(p, n_paths, L) for key, p in (probabilities or {}).items()}
    rows = (("exports_1t", "targets.exports", s.target_year), ("gni_per_capita_50k", "targets.gni", s.horizon),
            ("kospi_5000", "targets.kospi", s.horizon), ("top5_economy", "targets.top5", s.horizon))
    header = [t("targets.col_target", L), t("targets.col_reached", L)]
    if probabilities is not None:
        header.append(t("targets.col_chance", L))
    table = [f"| {' | '.join(header)} |", "| :-- |" + " --: |" * (len(header) - 1)]
    for key, label_key, year in rows:
        cells = [t(label_key, L, year=year), first_reached_cell(outcome, key)]
        if probabilities is not None:
            cells.append(f"**{pct[key]}**")
        table.append(f"| {' | '.join(cells)} |")
    st.markdown(md("\n".join(table)), help=md(t("calib.p_help", L)) if probabilities is not None else None)
    uniform = fmt_pct(required_pct(outcome.required_uniform_pct), L)
    big10 = requirement_text(outcome.required_big10, L, subject="big10")
    paragraphs = [f"{t('metric.uniform', L, year=s.target_year)}: **{uniform}** · {t('metric.big10', L)}: **{big10}**"]
    if probabilities is not None:
        words = [t("calib.sentence", L, target=s.target_year, horizon=s.horizon,
                   exports=t(likelihood_key(probabilities["exports_1t"]), L), p_exports=pct["exports_1t"],
                   gni=pct["gni_per_capita_50k"], kospi=pct["kospi_5000"], top5=pct["top5_economy"],
                   paths=fmt_number(s.macro["paths"], L, 0))]
        if outcome.simulation is not None and is_negligible(probabilities["top5_economy"], n_paths):
            words.append(top5_text(outcome.simulation, L))
        words.append(t("calib.sentence_link", L))
        paragraphs.append(" ".join(words))
    st.markdown(md("\n\n".join(paragraphs)), help=md(t("metric.uniform_help", L)))


def likelihood_key(p: float) -> str:
    """Words for a probability, on the scale climate and intelligence reports use."""
    for bound, key in ((0.1, "very_unlikely"), (0.33, "unlikely"), (0.66, "about_as_likely"), (0.9, "likely")):
        if p < bound:
            return f"ranges.{key}"
    return "ranges.very_likely"


def vision_panel(outcome: Outcome, tables: ChartTables) -> None:
    """The 5/5/5 targets: a metric and a path chart each, linked to the export scenario."""
    L = lang()
    s = outcome.scenario
    macro = macro_data()
    at = outcome.at_target
    st.header(md(t("vision.title", L)))
    st.markdown(md(t("vision.intro", L)))
    st.caption(md(t("vision.measure", L)))
    st.caption(md(vision_freshness_text(outcome, freshness(outcome.dataset, today()), L)))

    m1, m2, m3, m4 = st.columns(4)
    m1.metric(md(t("vision.gni_metric", L, year=s.target_year)), fmt_number(at["gni_per_capita_usd"], L, 0),
              delta=t("vision.reached_in", L, when=when_text(outcome, "gni_per_capita_50k", L)),
              delta_color="off", delta_arrow="off", help=md(t("vision.gni_help", L)))
    if outcome.milestone_basis["kospi_5000"] == ACTUAL:
        state = t("present.kospi_held" if outcome.held(KOSPI_5000) else "present.kospi_below", L)
        kospi_delta = t("present.kospi_reached", L, year=s.target_year, state=state)
    else:
        kospi_delta = t("vision.kospi_reached_in", L, when=when_text(outcome, "kospi_5000", L))
    m2.metric(md(t("vision.kospi_metric", L, year=s.target_year)), fmt_number(at["kospi"], L, 0),
              delta=kospi_delta,
              delta_color="off", delta_arrow="off", help=md(t("vision.kospi_help", L)))
    m3.metric(md(t("vision.rank_metric", L, year=s.target_year)), fmt_rank(at["gdp_rank"], L),
              delta=t("vision.rank_reached_in", L, when=when_text(outcome, "top5_economy", L)),
              delta_color="off", delta_arrow="off", help=md(t("vision.rank_help", L)))
    m4.metric(md(t("vision.gdp_metric", L, year=s.target_year)), fmt_usd_bn_metric(at["gdp_usd_bn"], L),
              help=md(t("vision.gdp_help", L)))

    summaries = vision_summaries(outcome, L)
    for row in (("gni", "kospi"), ("gdp", "rank")):
        for column, name in zip(st.columns(2), row, strict=True):
            column.vega_lite_chart(tables.vision[name], tables.spec(name), width="stretch")
            column.caption(md(summaries[name]))

    box = panel(t("method.expander", L), "open_method")
    if box is None:
        return
    with box:
        for key in ("gdp", "gni", "kospi", "rank"):
            st.markdown(md(t(f"method.{key}", L)))
        b = anchor_year(macro, s.base_year)
        st.markdown(md(t("method.base_values", L, year=b, gdp=fmt_usd_bn(macro.value("gdp_nominal_usd_bn", b), L),
                      gni=fmt_number(macro.value("gni_per_capita_usd", b), L, 0),
                      pop=fmt_people_mn(macro.value("population_mn", b), L),
                      kospi=fmt_number(kospi_start(macro, b), L, 2),
                      ratio=f"{outcome.vision.gni_gdp_ratio:.4f}")))
        levers_table, peers_table = method_tables(L)
        st.markdown(md(f"**{t('method.levers', L)}**"))
        st.dataframe(levers_table, hide_index=True, width="stretch")
        st.markdown(md(f"**{t('method.peers', L)}**"))
        st.dataframe(peers_table, hide_index=True, width="stretch")


def table_style(frame, two_decimals: tuple[str, ...] = ()):
    """A table with its first column as row headers and its numbers to one decimal (the named ones to two).

    A table that carries its own formats (frame.attrs["formats"], ["align_right"]) is shown with those.
    """
    indexed = frame.set_index(frame.columns[0])
    formats = {col: "{:,.2f}" if col in two_decimals else "{:,.1f}"
               for col in indexed.select_dtypes("number").columns}
    formats.update(frame.attrs.get("formats", {}))
    style = indexed.style.format(formats, na_rep="")
    right = [c for c in frame.attrs.get("align_right", ()) if c in indexed.columns]
    return style.set_properties(subset=right, **{"text-align": "right"}) if right else style


def marked_series(data: Baseline, base_year: int) -> tuple[str, ...]:
    """Series whose base-year value is the user's own (they are marked in the chart and the table)."""
    return tuple(sid for sid in data.series_ids
                 if sid != "rest" and data.industry_quality(sid, base_year) == "user")


def reference_name(ref: str, lang_code: str | None = None) -> str:
    """A reference option in words (in lang_code, else the reader's language)."""
    L = lang_code or lang()
    if ref.startswith("preset:"):
        return t(f"preset.{ref[7:]}.label", L)
    if ref.startswith("saved:"):
        return t("compare.saved", L, name=ref[6:])
    return t("compare.none", L)


def render() -> None:
    """The explorer page: the fixed text and the settings, then the part every lever reruns alone."""
    L = lang()
    data = session_baseline()
    heading(t("app.title", L), 1)
    show_notices(st.session_state.get("notices", []), L)  # capped: a file can hold thousands
    levers_box = settings_sidebar(data)
    present_view()
    st.session_state[PAGE_STATE] = page_state()
    live_view(levers_box)
    # The pledge's story below the answer: at 1440x900 the verdict and the chart come first
    st.markdown(md(t("app.intro", L)))
    st.caption(md(t("footer.sources", L)))


@guarded
def present_view() -> None:
    """Where exports stand: it reads only the nowcast's levers and the target year, so whole-page runs draw it.

    The outcome is the one the fragment reads in the same run (one cache entry).
    """
    scenario = current_scenario()
    where_exports_stand(scenario_outcome(scenario, reference_scenario(scenario)))


PAGE_LEVER_GROUPS = ("present",)  # the nowcast's levers: they move "where exports stand", so they rerun the page
PAGE_STATE = "page_state"


def page_state() -> tuple:
    """What the parts outside the fragment show: when a run of the fragment changes it, the page reruns whole."""
    ss = st.session_state
    keys = ("preset", *YEAR_KEYS, "services", "ref",
            *(lev.id for lev in vision_levers() if lev.group in PAGE_LEVER_GROUPS))
    return (tuple(ss.get(key) for key in keys), tuple(ss.get("saved", {})),
            tuple(sorted((ss.get("overrides") or {}).items())), len(ss.get("notices", [])))


def rerun_page_if_changed() -> None:
    """Rerun the whole page when an undo, a saved scenario, own figures or answered notices changed its top."""
    if st.session_state.get(PAGE_STATE) != page_state():
        st.rerun(scope="app")


@st.fragment
@guarded
def live_view(levers_box: DeltaGenerator) -> None:
    """Everything a lever, a button or a tab changes: levers, verdict, chart and the open tab.

    A widget inside reruns this fragment only; the title, the settings, where exports stand, the language and
    the navigation stay as they are in the browser. A change that reaches them reruns the page.
    """
    with one_data_version():  # a fragment's own run reads the data folder's stamp once
        L = lang()
        if newer_data_arrived():  # a refresh since the page was drawn: the whole page moves to the new data at once
            st.rerun(scope="app")
        rerun_page_if_changed()  # an undo or redo callback may have changed a setting
        show_message(lang=L)
        record_history()  # the widgets' new values are already in session state: undo/redo see this change
        data = session_baseline()
        try:
            screen = first_screen(data)
        finally:  # the levers stay on screen when the scenario cannot be computed, so the reader can move them back
            levers_sidebar(levers_box)
        main_view(data, screen)
        rerun_page_if_changed()  # the notices were answered, a scenario saved or own figures loaded
