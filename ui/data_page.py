"""The data page: the baseline files row by row, with sources, and downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scenarios.data.refresh import change_lines, field_changes
from scenarios.data.vintages import vintage_text
from scenarios.registry.i18n import md, md_escape, t
from scenarios.registry.safety import csv_safe_bytes
from scenarios.words.refresh_report import headline_lines, last_refresh
from ui.common import current_scenario, data_as_of, data_version, dataset, sync_link
from ui.state import lang

TABS = (("exports.csv", "data_page.exports_tab"), ("monthly.csv", "refresh.monthly_tab"),
        ("macro.csv", "data_page.macro_tab"), ("peers.csv", "data_page.peers_tab"),
        ("market.csv", "refresh.market_tab"))


@st.cache_data(max_entries=32, show_spinner=False)
def read_file(name: str, version: str) -> bytes:
    """The bytes of one data file, per data version (a CSV's formula-like text cells get an apostrophe)."""
    data = (dataset().folder / name).read_bytes()
    return csv_safe_bytes(data) if name.endswith(".csv") else data


@st.cache_data(max_entries=32, show_spinner=False)
def read_table(name: str, version: str) -> pd.DataFrame:
    """One data file as a table (per data version)."""
    return pd.read_csv(dataset().folder / name)


@st.cache_data(max_entries=16, show_spinner=False)
def file_vintage(name: str, lang_code: str, version: str) -> str:
    """Which vintage of one data file is shown."""
    v = dataset().vintages.get(name)
    return t("refresh.as_of_file", lang_code, vintage=vintage_text(v, lang_code)) if v else ""


@st.cache_data(max_entries=4, show_spinner=False)
def latest_refresh(version: str):
    """The latest refresh of data/: the current vintage against the previous one (None if none)."""
    return last_refresh(dataset().folder)


def what_changed(lang_code: str, version: str) -> None:
    """The latest refresh: new and revised figures and the headline numbers before and after."""
    change = latest_refresh(version)
    with st.expander(md(t("refresh.changed_title", lang_code)), expanded=change is not None):
        if change is None:
            st.caption(md(t("refresh.no_refresh", lang_code)))
            return
        st.markdown(md(t("refresh.changed_intro", lang_code, date=change.written_at, origin=md_escape(change.origin))))
        lines = change_lines(change.changes, lang_code, fields=False) or [t("refresh.no_rows_changed", lang_code)]
        st.markdown(md("\n".join(f"{'    ' if line.startswith(' ') else ''}- {md_escape(line.strip())}"
                               for line in lines)))
        revised = field_changes(change.changes)
        if revised:  # the other fields a revision changed (sources, addresses, notes): data, shown as data
            st.caption(md(t("refresh.fields_changed", lang_code)))
            st.dataframe(pd.DataFrame(revised, columns=["row", "field", "old", "new"]), hide_index=True,
                         width="stretch")
        st.markdown(md(f"**{t('refresh.headline_header', lang_code)}**\n\n"
                    + "\n".join(f"- {md_escape(line)}" for line in headline_lines(change.before, change.after,
                                                                                   lang_code))))


def render() -> None:
    """The data page."""
    L = lang()
    sync_link(current_scenario())
    st.title(md(t("data_page.title", L)))
    st.markdown(md(t("data_page.intro", L)))
    version = data_version()
    st.subheader(md(t("refresh.as_of_title", L)))
    st.markdown(md(data_as_of(L)))
    what_changed(L, version)
    tabs = [(name, key) for name, key in TABS if (dataset().folder / name).exists()]
    for tab, (name, _) in zip(st.tabs([t(key, L) for _, key in tabs]), tabs, strict=True):
        with tab:
            st.caption(md(file_vintage(name, L, version)))
            st.download_button(md(t("data_page.download", L, file=name)), data=read_file(name, version), file_name=name,
                               mime="text/csv", key=f"download_{name}", on_click="ignore")
            st.dataframe(read_table(name, version), hide_index=True, width="stretch",
                         column_config={"source_url": st.column_config.LinkColumn("source_url")})
    with st.expander(md(t("data_page.notes", L))):
        st.download_button(md(t("data_page.download", L, file="SOURCES.md")), data=read_file("SOURCES.md", version),
                           file_name="SOURCES.md", mime="text/markdown", key="download_sources", on_click="ignore")
        if L == "en":
            st.markdown(md(read_file("SOURCES.md", version).decode("utf-8")))
        else:  # the notes are written in English: a reader of another language gets the file, not a page of it
            st.caption(md(t("data_page.notes_english", L)))
