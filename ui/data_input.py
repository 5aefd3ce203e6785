"""The user's own figures: edit base-year values in a table or upload a CSV; bad input changes nothing."""

from __future__ import annotations

import streamlit as st

from scenarios.data.baseline import Baseline, export_series_names
from scenarios.data.overrides import (
    MAX_VALUE_USD_BN,
    OverrideError,
    check_complete,
    check_value,
    own_figures_table,
    parse_override_csv,
)
from scenarios.registry.i18n import Message, md, message_of, series_name, t
from ui.common import baseline, panel
from ui.guard import guard_callback, show_message
from ui.state import lang

EDITOR_KEY = "own_figures_editor"


def _editor_key() -> str:
    return f"{EDITOR_KEY}_{st.session_state.get('editor_version', 0)}"


def _reset_editor() -> None:
    st.session_state["editor_version"] = st.session_state.get("editor_version", 0) + 1


@guard_callback("data_message")
def _apply_editor(base_year: int) -> None:
    """Take the edited cells into the overrides, or refuse them all and say why (an editor callback)."""
    ss = st.session_state
    edits = ss.get(_editor_key(), {}).get("edited_rows", {})
    series = sorted(export_series_names())
    new = dict(ss["overrides"])
    try:
        for row, change in edits.items():
            if "value" not in change:
                continue
            name = series[int(row)]
            if change["value"] is None or str(change["value"]).strip() == "":
                new.pop((name, base_year), None)
                continue
            s, y, v = check_value(name, base_year, change["value"], Message("overrides.row", line=int(row) + 1))
            shipped = baseline().rows[s].get(y)
            if shipped is not None and abs(shipped.value - v) < 1e-12:
                new.pop((s, y), None)
            else:
                new[(s, y)] = v
        check_complete(baseline(), new)
    except OverrideError as exc:
        ss["data_message"] = ("error", "overrides.refused", {"problem": message_of(exc)})
        _reset_editor()
        return
    ss["overrides"] = new
    _reset_editor()


@guard_callback("data_message")
def _apply_upload() -> None:
    """Take an uploaded CSV into the overrides, or refuse it whole (an uploader callback)."""
    ss = st.session_state
    upload = ss.get("upload_csv")
    if upload is None:
        return
    try:
        new = {**ss["overrides"], **parse_override_csv(upload.getvalue())}
        check_complete(baseline(), new)
        ss["overrides"] = new
    except OverrideError as exc:
        ss["data_message"] = ("error", "overrides.refused", {"problem": message_of(exc)})
        return
    _reset_editor()


@guard_callback("data_message")
def _clear() -> None:
    st.session_state["overrides"] = {}
    _reset_editor()


def _editor(data: Baseline, base_year: int, L: str) -> None:
    """The table of the base year's figures, each value typed as text."""
    table = own_figures_table(baseline(), data, base_year)
    # The value column is text: a number is read by the app's own strict rules (a point for decimals, no
    # separators), never by the browser's locale, so "17,5" is refused instead of becoming 175
    table["value"] = [("" if v is None or v != v else f"{v:.12g}") for v in table["value"]]
    # each series by its name in the reader's language, the id beside it (a CSV upload names series by id)
    table["series"] = [series_name(s, L, with_id=True) for s in table["series"]]
    st.data_editor(
        table, key=_editor_key(), hide_index=True, width="stretch", on_change=_apply_editor, args=(base_year,),
        disabled=["series", "shipped"],
        column_config={
            "series": st.column_config.TextColumn(t("overrides.editor_series", L)),
            "shipped": st.column_config.NumberColumn(t("overrides.editor_shipped", L), format="%.1f"),
            "value": st.column_config.TextColumn(t("overrides.editor_value", L),
                                                 help=t("overrides.editor_value_help", L,
                                                        max=f"{MAX_VALUE_USD_BN:,.0f}")),
        },
    )


def own_figures_panel(data: Baseline, base_year: int) -> None:
    """An expander with an editable table of the base year's figures and a CSV upload."""
    L = lang()
    ss = st.session_state
    box = panel(t("overrides.title", L), "open_figures", expanded=bool(ss.get("overrides")))
    if box is None:
        return
    with box:
        st.caption(md(t("overrides.intro", L)))
        show_message("data_message", L)
        if data.is_nowcast(base_year):  # the year in progress is made from its months: no table to edit
            years = [y for y in data.base_years() if not data.is_nowcast(y)]
            st.info(md(t("overrides.nowcast_base", L, year=base_year, first=min(years), last=max(years))))
        else:
            _editor(data, base_year, L)
        c1, c2 = st.columns([3, 1])
        c1.file_uploader(md(t("overrides.upload", L)), type=["csv"], key="upload_csv", on_change=_apply_upload,
                         help=md(t("overrides.upload_help", L)))
        if ss["overrides"]:
            c2.button(md(t("overrides.clear", L)), on_click=_clear, key="clear_overrides", width="stretch")
            st.info(md(t("overrides.applied", L, n=len(ss["overrides"]))))
