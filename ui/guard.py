"""The page's error boundary for widget callbacks, and capped notices.

A callback runs before the page script; an exception there is not caught by
guarded() and replaces the whole page, sidebar included, with Streamlit's
error box. Every callback is wrapped in guard_callback: on any error the
session's scenario, saved scenarios and own figures are put back as they were
before the callback ran, and a message names the problem.
"""

from __future__ import annotations

import csv
import functools
import logging
from collections.abc import Callable

import streamlit as st
from streamlit.errors import StreamlitAPIException

from scenarios.model.share import Notice
from scenarios.registry.i18n import Message, md, md_escape, t
from ui.state import SCENARIO_KEYS, lang

log = logging.getLogger(__name__)

# What a failed callback must never change: the widgets' scenario, the reference, saved scenarios, own figures,
# undo history and the notices shown.
KEPT = ("ref", "saved", "overrides", "notices", "history", "history_at")
MESSAGE = "callback_message"  # shown at the top of the page by show_notices
MAX_NOTICES = 5


def _problem(exc: BaseException) -> Message:
    """The problem in a few words (put into the reader's language when shown), without a traceback."""
    if isinstance(exc, RecursionError):
        return Message("hostile.problem_recursion")
    if isinstance(exc, MemoryError):
        return Message("hostile.problem_memory")
    if isinstance(exc, ValueError) and "digits" in str(exc):
        return Message("hostile.problem_number")
    if isinstance(exc, csv.Error):
        return Message("hostile.problem_csv")
    return Message("hostile.problem_other", kind=type(exc).__name__)


def _snapshot() -> dict:
    ss = st.session_state
    out = {}
    for key in (*SCENARIO_KEYS, *KEPT):
        if key in ss:
            value = ss[key]
            out[key] = value.copy() if isinstance(value, dict | list) else value
    return out


def guard_callback(message_key: str = MESSAGE) -> Callable:
    """Decorate a widget callback: any error leaves the session as it was and shows a message.

    message_key: the session-state slot the message goes to (("error", locale key, values)); the panel that
    owns the callback shows it, or the top of the page for MESSAGE.
    """
    def wrap(callback: Callable) -> Callable:
        @functools.wraps(callback)
        def run(*args, **kwargs):
            before = _snapshot()
            try:
                return callback(*args, **kwargs)
            except Exception as exc:
                log.exception("callback %s failed", callback.__name__)
                ss = st.session_state
                for key, value in before.items():
                    try:
                        ss[key] = value
                    except StreamlitAPIException:  # a key Streamlit will not let a callback set: it was not changed
                        log.log(logging.WARNING, "could not restore %s", key)
                ss[message_key] = ("error", "hostile.callback_failed", {"problem": _problem(exc)})
                return None

        return run

    return wrap


def guarded(page: Callable[..., None]) -> Callable[..., None]:
    """A page (or a fragment) whose unexpected error becomes a message: the scenario in session state survives."""
    def run_page(*args: object) -> None:
        try:
            page(*args)
        except Exception:
            log.exception("page failed")
            st.error(md(t("app.unexpected_error", lang())))

    run_page.__name__ = page.__module__.rsplit(".", 1)[-1]
    return run_page


def show_message(key: str = MESSAGE, lang: str = "en") -> None:
    """Show and forget a callback's message kept under `key` (the whole text is escaped: it may quote a user)."""
    message = st.session_state.pop(key, None)
    if message:
        kind, text_key, values = message
        getattr(st, kind)(md_escape(t(text_key, lang, **values)))


def cap_notices(notices: list) -> list:
    """The first MAX_NOTICES notices and, if there were more, one that counts the rest.

    A link or a file can hold thousands of unknown keys; the session keeps (and the page shows) at most
    MAX_NOTICES + 1 notices for them.
    """
    if len(notices) <= MAX_NOTICES + 1:  # (so a capped list stays as it is)
        return list(notices)
    return [*notices[:MAX_NOTICES], Notice("hostile.more_notices", {"n": f"{len(notices) - MAX_NOTICES:,}"})]


def show_notices(notices: list, lang: str) -> None:
    """A failed callback's message, then the notices of a link or a file (capped) as warnings."""
    show_message(MESSAGE, lang)
    for notice in cap_notices(notices):
        st.warning(md(notice.text(lang, escape=md_escape)))
