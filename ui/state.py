"""The session's own state that every part of the UI reads: the reader's language and the scenario's keys."""

from __future__ import annotations

import datetime
import os
import re

import streamlit as st

from scenarios.registry.i18n import DEFAULT_LANG, LANGS
from scenarios.registry.levers import growth_levers, vision_levers

YEAR_KEYS = ("base", "target", "horizon")
SCENARIO_KEYS = ("preset", *YEAR_KEYS, "services", *(lev.id for lev in growth_levers()),
                 *(lev.id for lev in vision_levers()))
# The scenario's widgets and the panels keep their values while not drawn (another page, a closed panel).
# Streamlit's persist_state, not a write of every value through session state on every run: such a write
# makes the browser redraw each of those widgets whole on every run (about 50 React fibers a slider).
KEEP = "session"


def lang() -> str:
    """The reader's language for this run: the toggle, else `lang=` in the link, else the browser's locale."""
    ss = st.session_state
    if ss.get("lang") not in LANGS:
        wanted = st.query_params.get("lang")
        if wanted not in LANGS:
            locale = (st.context.locale or "").lower()
            wanted = "ko" if locale.startswith("ko") else DEFAULT_LANG
        ss["lang"] = wanted
    return ss["lang"]


TODAY_ENV = "BIG10_TODAY"  # YYYY-MM-DD: the day freshness is measured on (tests and a demo pinned to a day)


def today() -> datetime.date:
    """The day the page measures freshness on: BIG10_TODAY if it names a day, else the clock's."""
    named = os.environ.get(TODAY_ENV, "")
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", named):
        try:
            return datetime.date.fromisoformat(named)
        except ValueError:
            pass
    return datetime.date.today()
