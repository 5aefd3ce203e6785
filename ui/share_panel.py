"""Share, save, load and download: the link, named scenarios in the session, JSON, CSV and images."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from scenarios.data.overrides import OverrideError, check_complete
from scenarios.model.outcome import Outcome
from scenarios.model.projection import Scenario
from scenarios.model.share import ScenarioError
from scenarios.registry.i18n import fmt_number, md, message_of, t
from scenarios.registry.safety import clean_name, unique_name, unique_stem
from scenarios.words.describe import ChartTables
from scenarios.words.export import (
    chart_png,
    chart_svg,
    outcome_frames,
    scenario_and_overrides_from_json,
    scenario_to_json,
    summary_png,
    tidy_csv,
)
from ui.common import DEFAULT_REFERENCE, apply_scenario, baseline, current_scenario, link_params, panel
from ui.guard import cap_notices, guard_callback, show_message
from ui.state import lang, today

CHARTS = ("exports", "monthly", "cumulative", "gni", "kospi", "gdp", "rank")
MAX_SAVED = 20


def share_url(scenario: Scenario) -> str:
    """The full link that reproduces this view."""
    base = (st.context.url or "").split("?", 1)[0]
    return f"{base}?{urlencode(link_params(scenario))}"


@guard_callback("share_message")
def save_current() -> None:
    """Keep the open scenario under the typed name (a button callback)."""
    ss = st.session_state
    name = clean_name(ss.get("save_name") or "")
    if not name:
        ss["share_message"] = ("warning", "share.name_needed", {})
        return
    if name not in ss["saved"] and len(ss["saved"]) >= MAX_SAVED:
        ss["share_message"] = ("warning", "share.too_many", {"n": MAX_SAVED})
        return
    replaced = name in ss["saved"] and ss["saved"][name] != current_scenario()
    ss["saved"][name] = current_scenario()
    ss["share_message"] = (("warning", "share.replaced", {"name": name}) if replaced
                           else ("success", "share.saved", {"name": name}))


@guard_callback("share_message")
def load_saved() -> None:
    """Open the chosen saved scenario (a button callback)."""
    ss = st.session_state
    name = ss.get("saved_pick")
    if name in ss["saved"]:
        apply_scenario(ss["saved"][name])
        ss["share_message"] = ("success", "share.loaded", {"name": name})


@guard_callback("share_message")
def delete_saved() -> None:
    """Forget the chosen saved scenario (a button callback)."""
    ss = st.session_state
    name = ss.get("saved_pick")
    if name in ss["saved"]:
        del ss["saved"][name]
        if ss.get("ref") == f"saved:{name}":
            ss["ref"] = DEFAULT_REFERENCE
        ss["share_message"] = ("info", "share.deleted", {"name": name})


@guard_callback("share_message")
def load_upload() -> None:
    """Open an uploaded scenario JSON; a bad file leaves the scenario as it was (an uploader callback).

    A named file joins the saved scenarios under a name not yet taken ("Mine (2)"), unless MAX_SAVED are
    kept already; either way the message says what happened.
    """
    ss = st.session_state
    upload = ss.get("upload_json")
    if upload is None:
        return
    try:
        scenario, name, notices, overrides = scenario_and_overrides_from_json(upload.getvalue(), baseline())
        check_complete(baseline(), overrides)
    except (ScenarioError, OverrideError) as exc:
        ss["share_message"] = ("error", "share.load_failed", {"problem": message_of(exc)})
        return
    apply_scenario(scenario)
    ss["overrides"] = overrides
    ss["notices"] = cap_notices(notices)
    ss["keep_notices_once"] = True  # the change this file makes must not answer its own notices
    shown = name or clean_name(upload.name)
    ss["share_message"] = ("success", "share.loaded", {"name": shown})
    if not name or any(ss["saved"][k] == scenario for k in ss["saved"] if unique_stem(k) == unique_stem(name)):
        return  # already saved under this name (or a numbered copy of it): nothing to add
    if len(ss["saved"]) >= MAX_SAVED:
        ss["share_message"] = ("warning", "hostile.saved_full", {"name": name, "n": MAX_SAVED})
        return
    kept = unique_name(name, ss["saved"])
    ss["saved"][kept] = scenario
    if kept != name:
        ss["share_message"] = ("info", "hostile.saved_renamed", {"name": name, "saved": kept})


def share_panel(outcome: Outcome, tables: ChartTables) -> None:
    """The share / save / download expander below the charts: everything it offers reads the one outcome."""
    L = lang()
    ss = st.session_state
    scenario = outcome.scenario
    box = panel(t("share.title", L), "open_share")
    if box is None:
        return
    with box:
        show_message("share_message", L)

        st.markdown(md(f"**{t('share.link', L)}**"))
        st.code(share_url(scenario), language=None, wrap_lines=True)
        st.caption(md(t("share.link_help", L)))
        if ss["overrides"]:
            st.warning(md(t("overrides.link_note", L)))

        st.markdown(md(f"**{t('share.save_header', L)}**"))
        c1, c2 = st.columns([3, 1])
        c1.text_input(md(t("share.name", L)), key="save_name", max_chars=60, placeholder=t("share.name_hint", L))
        c2.button(md(t("share.save", L)), on_click=save_current, width="stretch", key="save_button")
        if ss["saved"]:
            d1, d2, d3 = st.columns([3, 1, 1])
            d1.selectbox(md(t("share.saved_list", L)), list(ss["saved"]), key="saved_pick")
            d2.button(md(t("share.load", L)), on_click=load_saved, width="stretch", key="load_button")
            d3.button(md(t("share.delete", L)), on_click=delete_saved, width="stretch", key="delete_button")

        name = (ss.get("save_name") or "").strip() or t("share.default_name", L)
        overrides = dict(ss["overrides"])
        # downloads do not rerun the page (on_click="ignore"): a rerun replaced the other buttons' files
        # while it ran, so a second download started during it could fail
        st.download_button(md(t("share.download_json", L)), key="download_json", on_click="ignore",
                           mime="application/json",
                           file_name="big10-scenario.json",
                           data=lambda: scenario_to_json(scenario, name, L, overrides))
        st.file_uploader(md(t("share.upload_json", L)), type=["json"], key="upload_json", on_change=load_upload,
                         help=md(t("share.upload_help", L)))

        st.markdown(md(f"**{t('share.downloads', L)}**"))
        frames = outcome_frames(outcome, name, t("compare.reference", L))
        exports_chart_spec = tables.spec("exports")
        e1, e2 = st.columns(2)
        e1.download_button(md(t("share.download_csv", L)), key="download_csv", on_click="ignore", mime="text/csv",
                           file_name="big10-paths.csv", data=lambda: tidy_csv(frames), width="stretch")
        e2.download_button(md(t("share.download_summary", L)), key="download_summary", on_click="ignore",
                           mime="image/png",
                           file_name="big10-summary.png", width="stretch",
                           data=lambda: summary_png(outcome, exports_chart_spec, tables.exports, L,
                                                    today=today()))
        chart = st.selectbox(md(t("share.chart", L)), CHARTS, key="chart_pick",
                             format_func=lambda c: t(f"share.chart_{c}", L))
        spec = tables.spec(chart)
        frame = tables.chart(chart)
        f1, f2 = st.columns(2)
        f1.download_button(md(t("share.download_png", L)), key="download_png", on_click="ignore", mime="image/png",
                           file_name=f"big10-{chart}.png", data=lambda: chart_png(spec, frame), width="stretch")
        f2.download_button(md(t("share.download_svg", L)), key="download_svg", on_click="ignore", mime="image/svg+xml",
                           file_name=f"big10-{chart}.svg", data=lambda: chart_svg(spec, frame), width="stretch")
        st.caption(md(t("share.files_help", L, rows=fmt_number(sum(len(f) for f in frames), L, 0))))

