"""Streamlit entry point: language, navigation and an error boundary. The pages live in ui/."""

from __future__ import annotations

import streamlit as st

from scenarios.data.baseline import BaselineError
from scenarios.registry.i18n import available_langs, md, t
from ui import data_page, explorer, methodology
from ui.common import baseline, data_notice, init_state, macro_data, one_data_version
from ui.guard import guarded
from ui.runtime import freeze_after_first_run, skip_direct_run_check
from ui.state import lang


def language_toggle() -> None:
    """English / 한국어, at the top of the sidebar on every page."""
    # a radio, not a segmented control: the button group loads Streamlit's emoji catalogue (about 0.1 s of the
    # first page load) to look for an icon in "한국어"
    st.sidebar.radio(md(t("app.language", lang())), list(available_langs()), key="lang", horizontal=True,
                     format_func=lambda code: t(f"lang.{code}", code))


PAGE_CSS = """
/* Korean breaks lines between words, not inside one (있을까? stays whole); English is unaffected */
h1, h2, h3, [data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stCaptionContainer"] p {
  word-break: keep-all; overflow-wrap: break-word; }
/* Metrics: a long value or label (1조 4,129억 달러) wraps instead of ending in "..." */
[data-testid="stMetric"] .stMarkdownEllipsis, [data-testid="stMetric"] .stMarkdownEllipsis p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
[data-testid="stMetricValue"] { font-size: clamp(1.55rem, 2.3vw, 2.25rem); line-height: 1.2; }
[data-testid="stMetricDelta"] { height: auto; }
/* Tables, and a chart of fixed width (the tornado), scroll inside themselves on a phone instead of being cut */
[data-testid="stTable"], [data-testid="stVegaLiteChart"] { max-width: 100%; overflow-x: auto; }
/* The selected language and other segmented buttons: text dark enough on their tint (WCAG AA) */
button[data-selected="true"] [data-testid="stMarkdownContainer"] p { color: #9B1C2A; }
/* Captions dark enough to read (WCAG AA contrast) */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stCaptionContainer"] * { color: #555963 !important; }
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
/* Table cells break between words, never inside one (슈퍼클러스터, 나우캐스트): a table too wide scrolls */
table :is(th, td), table :is(th, td) * { word-break: keep-all !important; overflow-wrap: normal !important; }
/* The tornado (a faceted chart, fixed width): its narrow twin on a phone, the wide one elsewhere */
.st-key-tornado_narrow { display: none; }
@media (max-width: 640px) {
  .st-key-tornado_wide { display: none; }
  .st-key-tornado_narrow { display: block; }
}
/* A phone: a shorter title, metrics two to a row, so the verdict and the exports chart come sooner */
@media (max-width: 640px) {
  h1 { font-size: 1.7rem !important; line-height: 1.25 !important; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {
    flex-wrap: wrap !important; row-gap: 0.5rem; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"])
    > [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 1rem) !important; min-width: calc(50% - 1rem) !important;
    width: calc(50% - 1rem) !important; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stElementContainer"] [data-testid="stMetric"])
    > [data-testid="stElementContainer"] {
    flex: 1 1 calc(50% - 1rem) !important; min-width: calc(50% - 1rem) !important;
    max-width: calc(50% - 0.5rem) !important; }
  [data-testid="stMetricValue"] { font-size: 1.3rem; }
  [data-testid="stMetricLabel"] p { font-size: 0.8rem; }
}
/* No fade of outdated elements while a run is in progress: the fade's pending opacity transition (0.5 s
   delay) made the browser lift each element into its own layer and paint it twice on every rerun, about
   a third of the browser's work for a slider move that takes 0.1 s; the header's "Running" shows a run */
[data-stale="true"] { opacity: 1 !important; transition: none !important; }
/* Headings written as Markdown (ui/common.heading) without a hover link, as st.title(anchor=False) was */
[data-testid="stMarkdown"] :is(h1, h2, h3) [data-testid="stHeaderActionElements"] { display: none; }
/* The sidebar's open button says what it opens */
[data-testid="stExpandSidebarButton"]::after { content: "SIDEBAR_LABEL"; margin-left: 0.25rem;
  font-size: 0.875rem; color: #31333F; white-space: nowrap; }
"""


def page_css(lang_code: str) -> str:
    """The page's few style rules, with the sidebar button's label in the reader's language."""
    label = "".join(ch for ch in t("app.sidebar_button", lang_code) if ch not in '\\"<>{};')
    return f"<style>{PAGE_CSS.replace('SIDEBAR_LABEL', label)}</style>"


def run() -> None:
    """Set up the page, load the data, pick the language, then show the chosen page (on one data version)."""
    skip_direct_run_check()  # served by `streamlit run` only: no REPL check on the first element (~50 ms)
    with one_data_version():
        show_page()


def show_page() -> None:
    """The page itself: style, data, state, language toggle and navigation."""
    st.set_page_config(page_title=t("app.page_title", lang()), layout="wide")
    st.html(page_css(lang()))
    try:
        baseline()
        macro_data()
    except BaselineError as exc:
        st.error(md(t("app.data_error", lang(), message=str(exc))))
        return
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
    freeze_after_first_run()


run()
