"""The methodology page: every formula worked through with the open scenario, every lever and every series."""

from __future__ import annotations

import streamlit as st

from scenarios.model.backtest import run as run_backtest
from scenarios.model.calibration import CHIPS, cycle_of, cycle_today, method_notes
from scenarios.model.present import baseline_of
from scenarios.registry.i18n import fmt_number, fmt_pct, fmt_range, fmt_usd_bn, md, t
from scenarios.registry.presets import load_presets
from scenarios.words.backtest_text import acceptance_lines, cycle_today_text
from scenarios.words.describe import (
    all_levers_table,
    coverage_table,
    data_series_table,
    kita_table,
    month_text,
    reached_text,
    required_pct,
)
from scenarios.words.describe import volatility_table as describe_volatility
from ui.common import calibration, current_scenario, data_version, dataset, scenario_outcome, sync_link, volatility
from ui.state import lang


@st.cache_data(max_entries=4, show_spinner=False)
def levers_table(lang_code: str):
    """The registry as a table, per language."""
    return all_levers_table(lang_code)


@st.cache_data(max_entries=4, show_spinner=False)
def volatility_table(lang_code: str, version: str):
    """Each series' estimated volatility, before and after shrinkage, per language and data version."""
    return describe_volatility(volatility(), lang_code)


@st.cache_resource(max_entries=2, show_spinner=False)
def backtest_record(version: str) -> dict:
    """The backtest of the ranges on the Dataset, once per data version (about half a second)."""
    return run_backtest(dataset())


@st.cache_data(max_entries=4, show_spinner=False)
def series_table(lang_code: str, version: str):
    """Every data series as a table, per language and data version."""
    return data_series_table(lang_code, dataset().folder)


class Sections:
    """The page's headings numbered in the order drawn (1., 2., ...).

    A heading shown only sometimes (the year in progress) never leaves a gap or an unnumbered heading
    between numbered ones.
    """

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, text: str, anchor: str | None = None) -> None:
        """Draw the next numbered heading."""
        self.n += 1
        st.header(md(t("publish2.numbered", lang(), n=self.n, text=text)), anchor=anchor)


def render() -> None:
    """The methodology page."""
    section = Sections()
    L = lang()
    scenario = current_scenario()
    sync_link(scenario)
    outcome = scenario_outcome(scenario, None)
    proj, at = outcome.projection, outcome.at_target
    b, target = scenario.base_year, scenario.target_year
    n = outcome.target_index

    st.title(md(t("methodology.title", L)))
    st.markdown(md(t("methodology.intro", L)))

    section(t("methodology.exports_header", L))
    st.markdown(md(t("methodology.exports_text", L)))
    i = proj.series_ids.index("semiconductors")
    st.markdown(md(t("methodology.example_series", L, name=t("lever.semiconductors.label", L),
                  base=fmt_number(float(proj.values[i, 0]), L, 2),
                  g=f"{scenario.growth['semiconductors'] / 100:.3f}", year=target, b=b,
                  value_bn=fmt_number(float(proj.values[i, n]), L, 2),
                  value=fmt_usd_bn(float(proj.values[i, n]), L))))
    st.markdown(md(reached_text(outcome, "exports_1t", "methodology.example_total", L, year=target,
                             value=fmt_usd_bn(at["exports_total"], L))))

    section(t("methodology.goals_header", L))
    st.markdown(md(t("methodology.goals_text", L)))
    st.markdown(md(t("methodology.example_uniform", L, xb=fmt_number(float(proj.total[0]), L, 2), n=n,
                  pct=fmt_pct(outcome.required_uniform_pct, L, 2),
                  shown=fmt_pct(required_pct(outcome.required_uniform_pct), L))))

    present = outcome.present
    if present is not None:
        cast = present.total
        section(t("present.method.header", L))
        st.markdown(md(t("present.method.text", L)))
        st.markdown(md(t("present.method.example", L, n=len(cast.known), m=len(cast.projected), year=cast.year,
                      through=month_text(cast.through, L),
                      pace=fmt_pct(cast.pace_pct, L) if cast.pace_pct is not None else "-",
                      p50=fmt_usd_bn(cast.p50, L), p10=fmt_usd_bn(cast.p10, L), p90=fmt_usd_bn(cast.p90, L),
                      chance=fmt_pct(100 * present.chance_of_1t(), L, 0))))
        section(t("present.method.tracker_header", L))
        st.markdown(md(t("present.method.tracker_text", L)))
    section(t("present.method.chip_header", L))
    st.markdown(md(t("present.method.chip_text", L)))

    section(t("methodology.presets_header", L))
    for preset in load_presets().values():
        st.markdown(md(f"- **{t(preset.label_key, L)}**: {t(preset.rationale_key, L)}"))

    section(t("methodology.vision_header", L))
    for key in ("gdp", "gni", "kospi", "rank"):
        st.markdown(md(t(f"method.{key}", L)))
    st.markdown(md(t("methodology.example_vision", L, year=target, gdp=fmt_usd_bn(at["gdp_usd_bn"], L),
                  gni=fmt_number(at["gni_per_capita_usd"], L, 0),
                  kospi=fmt_number(at["kospi"], L, 0), rank=round(at["gdp_rank"]))))

    section(t("methodology.levers_header", L))
    st.dataframe(levers_table(L), hide_index=True, width="stretch")

    section(t("methodology.series_header", L))
    st.markdown(md(t("methodology.series_text", L)))
    source_col = t("methodology.col_source", L)
    link = st.column_config.LinkColumn(source_col, display_text=t("data_page.link", L))
    st.dataframe(series_table(L, data_version()), hide_index=True, width="stretch", column_config={source_col: link})

    section(t("methodology.leaves_out_header", L))
    st.markdown(md(t("methodology.leaves_out", L)))

    section(t("calib.method_header", L), anchor="ranges")
    record = backtest_record(data_version())
    # The paragraph states the same backtest as the coverage table below it (every base year, total exports),
    # so the page makes one claim, not two (22 of 24 for 2016~2021 beside 28 of 30 for 2016~2024)
    total = record["coverage"]["exports_total"]
    claim = {"n": total["n"], "in80": total["in80"], "in50": total["in50"],
             "bases": fmt_range(total["first_base"], total["last_base"], L)}
    for paragraph in method_notes(calibration(), L, claim):
        st.markdown(md(paragraph))
    st.dataframe(volatility_table(L, data_version()), hide_index=True, width="stretch")
    st.subheader(md(t("calib.coverage_title", L)))
    st.dataframe(coverage_table(record, L), hide_index=True, width="stretch")
    st.caption(md(t("calib.coverage_caption", L, ahead=record["ahead"], paths=fmt_number(record["n_paths"], L, 0))))
    st.subheader(md(t("calib.kita_title", L)))
    st.dataframe(kita_table(record, L), hide_index=True, width="stretch")
    kita, model = record["kita"]["kita"], record["kita"]["model"]
    summary = t("backtest.kita_summary", L, n=kita["n"], kita_mae=f"{kita['mae_pct']:.1f}",
                model_mae=f"{model['mae_pct']:.1f}", kita_rmse=f"{kita['rmse_pct']:.1f}",
                model_rmse=f"{model['rmse_pct']:.1f}")
    st.caption(md(t("calib.kita_caption", L, summary=summary)))
    st.subheader(md(t("yearahead.checks_title", L)), anchor="chip-cycle")
    st.markdown(md("\n".join(f"- {line}" for line in acceptance_lines(record, L)[1:])))
    today = cycle_today(dataset())
    if today is not None:
        chips_now = baseline_of(dataset()).history(CHIPS)[today.as_of][0]
        share = outcome.simulation.spread_shares().get(CHIPS) if outcome.simulation is not None else None
        st.markdown(md(cycle_today_text(today, cycle_of(baseline_of(dataset())), chips_now, share, target, L)))
