"""What it would take (issue #14): the gap by industry, the levers that matter, growth for a chance, least stretch.

A tab of the explorer page (only the open tab runs): while it is closed nothing in it is
computed. Everything it shows reads the one Outcome (scenarios/model/outcome.py) and
the tables built from it (scenarios/words/describe.py).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scenarios.model.outcome import Outcome
from scenarios.model.uncertainty import probability_text
from scenarios.registry.i18n import fmt_number, fmt_pct, fmt_usd_bn, md, t
from scenarios.registry.levers import growth_levers
from scenarios.words.describe import ChartTables, gap_caption, required_pct, series_labels, tornado_caption
from scenarios.words.export import frame_csv, gap_frame, sensitivity_frame
from ui.guard import guard_callback
from ui.state import lang

STEP_TOL = 1e-9


@guard_callback()
def set_growth(growth: dict[str, float]) -> None:
    """Put growth rates into the growth sliders (a button callback).

    The next run's record_history() sees the new values and records them as one
    step, so Undo restores the sliders as they were before the click.
    """
    ss = st.session_state
    for sid, value in growth.items():
        ss[sid] = float(value)


def what_it_takes_panel(outcome: Outcome, tables: ChartTables) -> None:
    """The gap waterfall, the levers' tornado, growth for a 50 % / 80 % chance and the least-stretch button."""
    L = lang()
    with st.container():
        st.subheader(md(t("wit.title", L)))
        st.markdown(md(t("wit.intro", L)))

        st.subheader(md(t("wit.gap_header", L)))
        st.vega_lite_chart(tables.gap_waterfall, tables.spec("waterfall"), width="stretch")
        st.caption(md(gap_caption(outcome, L)))

        st.subheader(md(t("wit.levers_header", L)))
        # A facet cannot take its container's width: a phone gets the narrow twin (PAGE_CSS shows one of the two)
        st.container(key="tornado_wide").vega_lite_chart(tables.tornado, tables.spec("tornado"))
        st.container(key="tornado_narrow").vega_lite_chart(tables.tornado, tables.spec("tornado_narrow"))
        st.caption(md(tornado_caption(outcome, L)))

        st.subheader(md(t("wit.chance_header", L)))
        chance_section(outcome, L)

        st.subheader(md(t("wit.stretch_header", L)))
        stretch_section(outcome, L)

        name = (st.session_state.get("save_name") or "").strip() or t("share.default_name", L)
        d1, d2 = st.columns(2)
        d1.download_button(md(t("wit.download_gap", L)), key="download_gap_csv", on_click="ignore", mime="text/csv",
                           file_name="big10-gap-by-series.csv", width="stretch", help=md(t("wit.download_help", L)),
                           data=lambda: frame_csv(gap_frame(outcome, name)))
        d2.download_button(md(t("wit.download_levers", L)), key="download_levers_csv", on_click="ignore",
                           mime="text/csv",
                           file_name="big10-levers.csv", width="stretch", help=md(t("wit.download_help", L)),
                           data=lambda: frame_csv(sensitivity_frame(outcome, name)))


def chance_section(outcome: Outcome, L: str) -> None:
    """The uniform growth giving a 50 % and an 80 % chance of USD 1 trn (needs the ranges)."""
    needed = outcome.required_for_probability
    if needed is None or outcome.simulation is None:
        st.caption(md(t("wit.chance_off", L)))
        return

    def pct(value: float | None) -> str:
        return t("wit.chance_beyond", L) if value is None else t("wit.chance_rate", L, pct=fmt_pct(value, L))

    s, sim = outcome.scenario, outcome.simulation
    floor = min(float(lev.min) for lev in growth_levers())
    at_floor = {k: v is not None and v <= floor + 1e-9 for k, v in needed.items()}
    if at_floor["0.5"]:  # the slider's floor already gives the chance: no "-30 % growth is needed"
        key = "publish2.chance_floor_both" if at_floor["0.8"] else "publish2.chance_floor_half"
        st.markdown(md(t(key, L, year=s.target_year, floor=fmt_pct(floor, L), p80=pct(needed["0.8"]),
                         paths=fmt_number(sim.n_paths, L, 0), seed=sim.seed)))
        return
    if outcome.chance_floor is not None and outcome.chance_floor >= 0.8:
        crossing = outcome.crossing
        st.markdown(md(t("wit.chance_settled", L, year=s.target_year, now=crossing.year,
                      p=probability_text(outcome.chance_floor, None, L))))
        return
    key = "wit.chance_text_held" if outcome.projection.total[0] >= 1000.0 else "wit.chance_text"
    st.markdown(md(t(key, L, paths=fmt_number(sim.n_paths, L, 0), seed=sim.seed, year=s.target_year,
                  p50=pct(needed["0.5"]), p80=pct(needed["0.8"]),
                  central=fmt_pct(required_pct(outcome.required_uniform_pct), L))))


def stretch_section(outcome: Outcome, L: str) -> None:
    """The least-stretch growth rates, a table against trend and yours, and the button that sets them."""
    s, found = outcome.scenario, outcome.least_stretch
    if not found.reachable:
        st.caption(md(t("wit.stretch_unreachable", L, year=s.target_year)))
        return
    key = "wit.stretch_text" if found.k >= 0 else "wit.stretch_text_below"
    text = t(key, L, year=s.target_year, k=fmt_number(abs(found.k), L, 2), total=fmt_usd_bn(found.total, L))
    if found.clamped:
        labels = series_labels(L)
        text += " " + t("wit.stretch_clamped", L, names=t("wit.list_sep", L).join(labels[c] for c in found.clamped))
    st.markdown(md(text))
    labels = series_labels(L)
    table = pd.DataFrame({
        t("wit.col_series", L): [labels[sid] for sid in found.growth],
        t("wit.col_trend", L): list(found.trend.values()),
        t("wit.col_stretch", L): list(found.growth.values()),
        t("wit.col_yours", L): [s.growth[sid] for sid in found.growth],
        t("wit.col_sd", L): list(found.stretch_sd.values()),
    }).set_index(t("wit.col_series", L))
    st.table(table.style.format("{:,.1f}", subset=list(table.columns[:3]))
             .format("{:+,.2f}", subset=[t("wit.col_sd", L)]))
    applied = all(abs(s.growth[sid] - g) <= STEP_TOL for sid, g in found.growth.items())
    st.button(md(t("wit.stretch_button", L)), key="least_stretch", on_click=set_growth, args=(dict(found.growth),),
              disabled=applied, help=md(t("wit.stretch_button_help", L)), icon=":material/tune:")
    if applied:
        st.caption(md(t("wit.stretch_applied", L)))
