"""Share, save, load and download: the link, named scenarios in the session, JSON, CSV and images."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from scenarios.export import (
    chart_png,
    chart_svg,
    scenario_and_overrides_from_json,
    scenario_to_json,
    summary_png,
    tidy_csv,
    tidy_frame,
)
from scenarios.goals import milestones
from scenarios.i18n import fmt_number, md_escape, t
from scenarios.model import Projection, Scenario
from scenarios.overrides import OverrideError, check_complete
from scenarios.share import ScenarioError
from scenarios.specs import load_specs
from scenarios.vision import VisionPath
from ui.common import (
    DEFAULT_REFERENCE,
    apply_scenario,
    baseline,
    current_scenario,
    lang,
    link_params,
    panel,
)

CHARTS = ("exports", "gni", "kospi", "gdp", "rank")
MAX_SAVED = 20


def share_url(scenario: Scenario) -> str:
    """The full link that reproduces this view."""
    base = (st.context.url or "").split("?", 1)[0]
    return f"{base}?{urlencode(link_params(scenario))}"


def save_current() -> None:
    """Keep the open scenario under the typed name (a button callback)."""
    ss = st.session_state
    name = (ss.get("save_name") or "").strip()[:60]
    if not name:
        ss["share_message"] = ("warning", "share.name_needed", {})
        return
    if name not in ss["saved"] and len(ss["saved"]) >= MAX_SAVED:
        ss["share_message"] = ("warning", "share.too_many", {"n": MAX_SAVED})
        return
    ss["saved"][name] = current_scenario()
    ss["share_message"] = ("success", "share.saved", {"name": name})


def load_saved() -> None:
    """Open the chosen saved scenario (a button callback)."""
    ss = st.session_state
    name = ss.get("saved_pick")
    if name in ss["saved"]:
        apply_scenario(ss["saved"][name])
        ss["share_message"] = ("success", "share.loaded", {"name": name})


def delete_saved() -> None:
    """Forget the chosen saved scenario (a button callback)."""
    ss = st.session_state
    name = ss.get("saved_pick")
    if name in ss["saved"]:
        del ss["saved"][name]
        if ss.get("ref") == f"saved:{name}":
            ss["ref"] = DEFAULT_REFERENCE
        ss["share_message"] = ("info", "share.deleted", {"name": name})


def load_upload() -> None:
    """Open an uploaded scenario JSON; a bad file leaves the scenario as it was (an uploader callback)."""
    ss = st.session_state
    upload = ss.get("upload_json")
    if upload is None:
        return
    try:
        scenario, name, notices, overrides = scenario_and_overrides_from_json(upload.getvalue())
        check_complete(baseline(), overrides)
    except (ScenarioError, OverrideError) as exc:
        ss["share_message"] = ("error", "share.load_failed", {"problem": str(exc)})
        return
    apply_scenario(scenario)
    ss["overrides"] = overrides
    if name:
        ss["saved"][name] = scenario
    ss["notices"] = notices
    ss["share_message"] = ("success", "share.loaded", {"name": name or upload.name})


def delta_table(proj: Projection, vision: VisionPath, ref: Projection, ref_vision: VisionPath,
                lang_code: str) -> pd.DataFrame:
    """Reference, yours and the difference: each industry in the target year, then each target."""
    s = proj.scenario
    n = s.target_year - s.base_year
    rows: list[tuple[str, float, float]] = [
        (t(f"lever.{sid}.label", lang_code), float(ref.values[i, n]), float(proj.values[i, n]))
        for i, sid in enumerate(proj.series_ids)
    ]
    rows += [
        (t("compare.exports_total", lang_code, year=s.target_year), float(ref.total[n]), float(proj.total[n])),
        (t("compare.gni", lang_code, year=s.target_year), float(ref_vision.gni_per_capita_usd[n]),
         float(vision.gni_per_capita_usd[n])),
        (t("compare.kospi", lang_code, year=s.target_year), float(ref_vision.kospi[n]), float(vision.kospi[n])),
        (t("compare.gdp", lang_code, year=s.target_year), float(ref_vision.gdp_usd_bn[n]),
         float(vision.gdp_usd_bn[n])),
        (t("compare.rank", lang_code, year=s.target_year), float(ref_vision.gdp_rank[n]), float(vision.gdp_rank[n])),
    ]
    never = float("nan")
    for key, mine, theirs in (("exports_1t", milestones(proj), milestones(ref)),
                              ("gni_per_capita_50k", vision.milestones(), ref_vision.milestones()),
                              ("kospi_5000", vision.milestones(), ref_vision.milestones()),
                              ("top5_economy", vision.milestones(), ref_vision.milestones())):
        rows.append((t(f"compare.year_{key}", lang_code),
                     theirs[key] if theirs[key] is not None else never,
                     mine[key] if mine[key] is not None else never))
    frame = pd.DataFrame(rows, columns=["item", "reference", "yours"])
    frame["difference"] = frame["yours"] - frame["reference"]
    for col in ("reference", "yours", "difference"):
        frame[col] = frame[col].round(1)
    frame = frame.astype({"reference": float, "yours": float, "difference": float})
    frame.columns = [t("compare.col_item", lang_code), t("compare.col_reference", lang_code),
                     t("compare.col_yours", lang_code), t("compare.col_difference", lang_code)]
    return frame


def _chart_files(name: str) -> tuple[dict, pd.DataFrame]:
    shown = st.session_state["_shown"]
    if name == "exports":
        return shown["exports_spec"], shown["exports_frame"]
    return load_specs(lang())[name], shown["vision_frames"][name]


def share_panel(scenario: Scenario) -> None:
    """The share / save / download expander below the charts."""
    L = lang()
    ss = st.session_state
    shown = ss["_shown"]
    box = panel(t("share.title", L), "open_share")
    if box is None:
        return
    with box:
        message = ss.pop("share_message", None)
        if message:
            kind, key, values = message
            getattr(st, kind)(md_escape(t(key, L, **values)))

        st.markdown(f"**{t('share.link', L)}**")
        st.code(share_url(scenario), language=None, wrap_lines=True)
        st.caption(t("share.link_help", L))
        if ss["overrides"]:
            st.warning(t("overrides.link_note", L))

        st.markdown(f"**{t('share.save_header', L)}**")
        c1, c2 = st.columns([3, 1])
        c1.text_input(t("share.name", L), key="save_name", max_chars=60, placeholder=t("share.name_hint", L))
        c2.button(t("share.save", L), on_click=save_current, width="stretch", key="save_button")
        if ss["saved"]:
            d1, d2, d3 = st.columns([3, 1, 1])
            d1.selectbox(t("share.saved_list", L), list(ss["saved"]), key="saved_pick")
            d2.button(t("share.load", L), on_click=load_saved, width="stretch", key="load_button")
            d3.button(t("share.delete", L), on_click=delete_saved, width="stretch", key="delete_button")

        name = (ss.get("save_name") or "").strip() or t("share.default_name", L)
        overrides = dict(ss["overrides"])
        st.download_button(t("share.download_json", L), key="download_json", mime="application/json",
                           file_name="big10-scenario.json",
                           data=lambda: scenario_to_json(scenario, name, L, overrides))
        st.file_uploader(t("share.upload_json", L), type=["json"], key="upload_json", on_change=load_upload,
                         help=t("share.upload_help", L))

        st.markdown(f"**{t('share.downloads', L)}**")
        frames = [tidy_frame(shown["proj"], shown["vision"], name)]
        if shown["ref"] is not None:
            frames.append(tidy_frame(shown["ref"], shown["ref_vision"], t("compare.reference", L)))
        e1, e2 = st.columns(2)
        e1.download_button(t("share.download_csv", L), key="download_csv", mime="text/csv",
                           file_name="big10-paths.csv", data=lambda: tidy_csv(frames), width="stretch")
        e2.download_button(t("share.download_summary", L), key="download_summary", mime="image/png",
                           file_name="big10-summary.png", width="stretch",
                           data=lambda: summary_png(shown["proj"], shown["vision"], shown["exports_spec"],
                                                    shown["exports_frame"], L))
        chart = st.selectbox(t("share.chart", L), CHARTS, key="chart_pick",
                             format_func=lambda c: t(f"share.chart_{c}", L))
        spec, frame = _chart_files(chart)
        f1, f2 = st.columns(2)
        f1.download_button(t("share.download_png", L), key="download_png", mime="image/png",
                           file_name=f"big10-{chart}.png", data=lambda: chart_png(spec, frame), width="stretch")
        f2.download_button(t("share.download_svg", L), key="download_svg", mime="image/svg+xml",
                           file_name=f"big10-{chart}.svg", data=lambda: chart_svg(spec, frame), width="stretch")
        st.caption(t("share.files_help", L, rows=fmt_number(sum(len(f) for f in frames), L, 0)))

