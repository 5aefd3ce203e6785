"""Streamlit entry point: language, navigation and an error boundary. The pages live in ui/."""

from __future__ import annotations

import logging

import streamlit as st

from scenarios.baseline import BaselineError
from scenarios.i18n import available_langs, t
from ui import data_page, explorer, methodology
from ui.common import baseline, data_notice, init_state, keep_scenario_across_pages, lang, macro_data

log = logging.getLogger(__name__)


def language_toggle() -> None:
    """English / 한국어, at the top of the sidebar on every page."""
    st.sidebar.segmented_control(t("app.language", lang()), list(available_langs()), key="lang",
                                 format_func=lambda code: t(f"lang.{code}", code), required=True)


def guarded(page) -> callable:
    """Run a page; any unexpected error becomes a message and the scenario in session state survives."""
    def run_page() -> None:
        try:
            page()
        except Exception:
            log.exception("page failed")
            st.error(t("app.unexpected_error", lang()))
    run_page.__name__ = page.__module__.rsplit(".", 1)[-1]
    return run_page


def run() -> None:
    """Set up the page, load the data, pick the language, then show the chosen page."""
    st.set_page_config(page_title=t("app.page_title", lang()), layout="wide")
    try:
        baseline()
        macro_data()
    except BaselineError as exc:
        st.error(t("app.data_error", lang(), message=str(exc)))
        return
    keep_scenario_across_pages()
    init_state()
    data_notice()
    language_toggle()
    L = lang()
    pages = [
        st.Page(guarded(explorer.render), title=t("nav.explorer", L), url_path="explorer", default=True),
        st.Page(guarded(methodology.render), title=t("nav.methodology", L), url_path="methodology"),
        st.Page(guarded(data_page.render), title=t("nav.data", L), url_path="data"),
    ]
    st.navigation(pages, position="top").run()


run()
