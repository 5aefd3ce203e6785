"""The data page: the baseline files row by row, with sources, and downloads."""

from __future__ import annotations

import streamlit as st

from scenarios.baseline import DATA_DIR
from scenarios.i18n import t
from scenarios.safety import csv_safe_bytes
from ui.common import current_scenario, lang, sync_link

TABS = (("exports.csv", "data_page.exports_tab"), ("macro.csv", "data_page.macro_tab"),
        ("peers.csv", "data_page.peers_tab"))


@st.cache_data(max_entries=4)
def read_file(name: str) -> bytes:
    """The bytes of one shipped data file (a CSV's formula-like text cells get an apostrophe; none do today)."""
    data = (DATA_DIR / name).read_bytes()
    return csv_safe_bytes(data) if name.endswith(".csv") else data


@st.cache_data(max_entries=4)
def read_table(name: str):
    """One shipped data file as a table."""
    import pandas as pd

    return pd.read_csv(DATA_DIR / name)


def render() -> None:
    """The data page."""
    L = lang()
    sync_link(current_scenario())
    st.title(t("data_page.title", L))
    st.markdown(t("data_page.intro", L))
    for tab, (name, _) in zip(st.tabs([t(key, L) for _, key in TABS]), TABS, strict=True):
        with tab:
            st.download_button(t("data_page.download", L, file=name), data=read_file(name), file_name=name,
                               mime="text/csv", key=f"download_{name}")
            st.dataframe(read_table(name), hide_index=True, width="stretch",
                         column_config={"source_url": st.column_config.LinkColumn("source_url")})
    with st.expander(t("data_page.notes", L)):
        st.download_button(t("data_page.download", L, file="SOURCES.md"), data=read_file("SOURCES.md"),
                           file_name="SOURCES.md", mime="text/markdown", key="download_sources")
        if L == "en":
            st.markdown(read_file("SOURCES.md").decode("utf-8"))
        else:  # the notes are written in English: a reader of another language gets the file, not a page of it
            st.caption(t("data_page.notes_english", L))
