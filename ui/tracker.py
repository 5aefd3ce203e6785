"""The present on the first screen: where exports stand, the nowcast, the tracker, the verdict and its detail."""

from __future__ import annotations

import calendar

import streamlit as st

from scenarios.data.freshness import freshness
from scenarios.model.outcome import TERM_END_YEAR, Outcome
from scenarios.model.present import record_of
from scenarios.model.uncertainty import probability_text
from scenarios.registry.i18n import fmt_pct, fmt_usd_bn, fmt_usd_bn_metric, md, md_escape, t
from scenarios.registry.targets import EXPORTS_1T, PLEDGE_TIMELINE_YEAR
from scenarios.words.describe import (
    ChartTables,
    assumption_text,
    ceil_to,
    date_text,
    freshness_notice,
    freshness_text,
    headline_quote,
    month_long,
    month_text,
    nowcast_text,
    rounded_estimate,
)
from scenarios.words.export import chart_png, chart_svg, months_and_bands_csv
from scenarios.words.frames import record_frame
from scenarios.words.record_text import record_sentence
from scenarios.words.specs import load_specs
from ui.common import data_as_of, heading
from ui.copy_box import copy_box
from ui.state import lang, today


def where_exports_stand(outcome: Outcome) -> None:
    """Four metrics: the year so far, the nowcast and its range, the chance of USD 1 trn this year, the tracker."""
    present, trackers = outcome.present, outcome.tracker
    if present is None or trackers is None:
        return
    L = lang()
    total = trackers["total"]
    cast = present.total
    heading(t("present.title", L), 3)
    fresh = freshness(outcome.dataset, today())
    notice = freshness_notice(fresh, L)
    if notice:
        st.warning(md(notice), icon=":material/schedule:")
    row = st.container(horizontal=True)  # one flex row: lighter in the browser than four columns
    last_month = int(total.latest_month[5:7])
    month = str(last_month) if L == "ko" else calendar.month_abbr[last_month]
    growing = total.ytd_yoy_pct is not None and total.ytd_yoy_pct >= 0
    row.metric(md(t("present.ytd", L, year=present.year, month=month)), fmt_usd_bn_metric(total.ytd, L),
               delta=(t("present.ytd_delta", L, pct=fmt_pct(total.ytd_yoy_pct, L))
                      if total.ytd_yoy_pct is not None else None),
               delta_color="green" if growing else "red", delta_arrow="up" if growing else "down",
               help=md(t("present.ytd_help", L, year=present.year, prior=present.year - 1)))
    estimate = [rounded_estimate(v, len(cast.projected)) if cast.projected else v
                for v in (cast.p10, cast.p50, cast.p90)]
    decimals = 0 if cast.projected else 1
    row.metric(md(t("present.nowcast", L, year=present.year)), fmt_usd_bn_metric(estimate[1], L, decimals),
               delta=t("present.nowcast_delta", L, p10=fmt_usd_bn(estimate[0], L, decimals=decimals),
                       p90=fmt_usd_bn(estimate[2], L, decimals=decimals)),
               delta_color="off", delta_arrow="off", help=md(f"{t('present.nowcast_help', L)} {nowcast_text(cast, L)}"))
    crossing = outcome.crossing
    if crossing is not None and crossing.month_p50 is not None:
        row.metric(md(t("present.crossing", L, year=present.year)), month_text(crossing.month_p50, L),
                   delta=(t("present.crossing_actual", L) if crossing.basis == "actual" else
                          t("present.crossing_delta", L, chance=probability_text(crossing.probability, None, L),
                            early=month_text(crossing.month_p10, L),
                            late=month_text(crossing.month_p90, L) if crossing.month_p90 else t(
                                "present.crossing_not_in", L, year=present.year))),
                   delta_color="off", delta_arrow="off", help=md(t("present.crossing_help", L, year=present.year)))
    else:
        row.metric(md(t("present.chance", L, year=present.year)), probability_text(present.chance_of_1t(), None, L),
                   help=md(t("present.chance_help", L)))
    target_year = outcome.tracker_target_year
    status = total.status or "deterioration"
    row.metric(md(t("present.status", L, year=target_year)), t(f"present.status_name.{status}", L),
               delta=(t("present.status_delta", L, actual=fmt_pct(total.actual_growth_pct, L),
                        required=fmt_pct(total.required_pct, L)) if total.actual_growth_pct is not None else None),
               delta_color="green" if status in ("on_track", "acceleration_needed") else "red",
               delta_arrow="up" if status in ("on_track", "acceleration_needed") else "down",
               help=md(t("present.status_help", L, year=target_year, last=present.year - 1,
                      required=fmt_pct(total.required_pct, L))))
    stamp = t("fresh.stamp", L, today=date_text(fresh.today, L), through=month_long(fresh.latest_month, L),
              released=date_text(fresh.latest_month_released, L))
    weak = freshness_text(cast, L) if cast.weak_months else ""  # the weak months, when the nowcast rests on any
    st.caption(md(" ".join(x for x in (stamp, weak, data_as_of(L, short=True)) if x)))


def verdict_text(outcome: Outcome, year: int, key: str) -> str:
    """One verdict sentence: exports in a year against USD 1 trn, or that the year is outside the view."""
    L = lang()
    value = outcome.value_in(EXPORTS_1T.series, year)
    if value is None:
        return t("present.verdict_outside", L, year=year)
    state = (t("present.held", L) if value >= EXPORTS_1T.threshold
             else t("present.short", L, gap=fmt_usd_bn(EXPORTS_1T.threshold - value, L)))
    return t(key, L, year=year, value=fmt_usd_bn(value, L), state=state)


def verdicts_text(outcome: Outcome, custom: bool) -> str:
    """The verdict for the end of the term (2030) and for the 2022 pledge's timeline (2027) (Markdown, for md()).

    It names the scenario it assumes and gives the chance of holding USD 1 trn in the target year beside the
    chance of reaching it.

    custom: the growth rates differ from the preset's (the verdict then says the sliders' rates are assumed).
    """
    L = lang()
    s = outcome.scenario
    parts = [f"**{t('present.verdict_header', L)}** {assumption_text(outcome, L, custom)}:",
             verdict_text(outcome, TERM_END_YEAR, "present.verdict_term"),
             verdict_text(outcome, PLEDGE_TIMELINE_YEAR, "present.verdict_pledge")]
    if outcome.probabilities is not None and outcome.simulation is not None and outcome.chance_held is not None:
        n = outcome.simulation.n_paths
        parts.append(t("verdict.held_and_reached", L, year=s.target_year,
                       held=probability_text(outcome.chance_held, n, L),
                       reached=probability_text(outcome.probabilities["exports_1t"], n, L)))
    return " ".join(parts)


def quote_text(outcome: Outcome, custom: bool) -> str:
    """The dated paragraph a journalist can quote (plain text), in the reader's language."""
    return headline_quote(outcome, freshness(outcome.dataset, today()), lang(), custom)


def quote_box(quote: str) -> None:
    """The dated paragraph to quote (quote_text), with a copy button at its top right, under the chart.

    Not st.code: its element loads a 1.5 MB syntax highlighter on the first page load (ui/copy_box.py).
    """
    L = lang()
    st.markdown(md(t("quote.label_md", L)))
    copy_box(quote, t("quote.copy", L), t("quote.copied", L), key="quote")


def needs_text(outcome: Outcome) -> str:
    """What USD 1 trn in the target year takes across the board (or how much every series could shrink)."""
    L, s, needed = lang(), outcome.scenario, outcome.required_uniform_pct
    if needed >= 0:
        return t("present.verdict_needs", L, year=s.target_year, base=s.base_year,
                 pct=fmt_pct(ceil_to(needed, 1), L))  # one decimal, rounded up: enough
    return t("present.verdict_needs_fall", L, year=s.target_year, base=s.base_year,
             pct=fmt_pct(-ceil_to(needed, 1), L))


def tracker_detail(outcome: Outcome, tables: ChartTables) -> None:
    """The tracker tab: the monthly chart, the tracker of each series with monthly data and the nowcast's method."""
    if outcome.present is None:
        return
    L = lang()
    with st.container():
        st.subheader(md(t("present.detail", L)))
        st.vega_lite_chart(tables.monthly, tables.spec("monthly"), width="stretch")
        st.caption(md(t("present.monthly_caption", L)))
        crossing = outcome.crossing
        if crossing is not None and tables.cumulative is not None:
            st.vega_lite_chart(tables.cumulative, tables.spec("cumulative"), width="stretch")
            if crossing.month_p50 is not None:
                source = (t("fresh.cumulative_source_actual", L, source=md_escape(crossing.source or ""))
                          if crossing.basis == "actual" else t("fresh.cumulative_source_nowcast", L))
                late = (month_text(crossing.month_p90, L) if crossing.month_p90
                        else t("present.crossing_not_in", L, year=crossing.year))
                st.caption(md(t("fresh.cumulative_caption", L, month=month_text(crossing.month_p50, L),
                             early=month_text(crossing.month_p10, L), late=late,
                             chance=probability_text(crossing.probability, None, L), source=source)))
        row = st.container(horizontal=True)
        for chart in ("monthly", "cumulative"):
            frame = tables.chart(chart)
            if frame is None:
                continue
            spec = tables.spec(chart)
            row.download_button(md(t("present.download_png", L, chart=t(f"share.chart_{chart}", L))),
                                key=f"download_{chart}_png", on_click="ignore", mime="image/png",
                                file_name=f"big10-{chart}.png", data=lambda s=spec, f=frame: chart_png(s, f))
            row.download_button(md(t("present.download_svg", L, chart=t(f"share.chart_{chart}", L))),
                                key=f"download_{chart}_svg", on_click="ignore", mime="image/svg+xml",
                                file_name=f"big10-{chart}.svg", data=lambda s=spec, f=frame: chart_svg(s, f))
        row.download_button(md(t("present.download_months", L)), key="download_months_csv", on_click="ignore",
                            mime="text/csv", file_name="big10-months-and-bands.csv",
                            data=lambda: months_and_bands_csv(outcome))
        st.dataframe(tables.tracker, hide_index=True, width="stretch")
        cast = outcome.present.total
        st.caption(md(nowcast_text(cast, L)))
        if outcome.present.chips is not None:
            chips = outcome.present.chips
            low, high = ((rounded_estimate(v, len(chips.projected)), 0) if chips.projected else (v, 1)
                         for v in (chips.p10, chips.p90))
            st.caption(md(t("publish2.chips_nowcast", L, name=t("lever.semiconductors.label", L),
                            month=month_text(chips.through, L), year=outcome.present.year,
                            range=t("fmt.value_range", L, low=fmt_usd_bn(low[0], L, decimals=low[1]),
                                    high=fmt_usd_bn(high[0], L, decimals=high[1])))
                          + " " + md(nowcast_text(chips, L))))
        nowcast_record_view(outcome)


def nowcast_record_view(outcome: Outcome) -> None:
    """How the year's estimate moved month by month (p50, the record's p10-p90), and its record in one line."""
    present = outcome.present
    if present is None:
        return
    L = lang()
    rows = record_of(outcome.dataset)
    year_rows = [r for r in rows if r.year == present.year]
    if not year_rows:
        return
    st.markdown(md(f"**{t('nowcast_record.header', L, year=present.year)}**"))
    months = t("nowcast_record.chart_months", L).split(",")
    frame = record_frame([(r.cut, r.p10, r.p50, r.p90) for r in year_rows], months)
    st.vega_lite_chart(frame, load_specs(L)["nowcast_record"], width="stretch")
    st.markdown(md(record_sentence(list(rows), present.year, year_rows[-1].cut, L)))
    st.caption(md(t("nowcast_record.caption", L, year=present.year)))
