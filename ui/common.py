"""Shared UI plumbing: cached data and chart specs, the language, and the scenario in session state."""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
from collections.abc import Iterator

import pandas as pd
import streamlit as st

from scenarios.data.baseline import Baseline, MacroBaseline, data_folder
from scenarios.data.dataset import Dataset, folder_version, load_dataset
from scenarios.data.overrides import apply_overrides
from scenarios.data.refresh import data_stamp
from scenarios.model.calibration import Calibration, calibration_of
from scenarios.model.outcome import Outcome, compute_outcome
from scenarios.model.present import baseline_of
from scenarios.model.projection import Scenario
from scenarios.model.share import TAB_IDS, scenario_from_params, scenario_to_params
from scenarios.model.uncertainty import Volatility
from scenarios.registry.i18n import LANGS, md, t
from scenarios.registry.levers import growth_levers, lever, vision_levers
from scenarios.registry.presets import load_presets, preset_lever_ids, resolve_growth
from scenarios.words.describe import (
    growth_histories,
    lever_help,
    lever_table,
    peer_table,
    value_help,
)
from scenarios.words.refresh_report import as_of
from ui.guard import cap_notices, guard_callback
from ui.state import KEEP, SCENARIO_KEYS, lang

log = logging.getLogger(__name__)
# Every cache is shared by all sessions of the server and bounded by entries (docs/HOSTING.md adds them up).
# Keys that hold user input (own figures, scenarios) are the ones that need the bound.
# No cache shows a spinner: Streamlit's names the Python function, in English, and on every miss (each slider
# move misses the outcome's cache) sends one more element the browser redraws the whole page for.


def data_version() -> str:
    """The data folder's version, a key of its files' content: every cache of data below is keyed on it.

    The files' stamp (names, modification times, sizes, inodes) is read on every call outside a script run's
    one_data_version(), once per run inside it; their content is hashed again only when the stamp changes, so
    a refresh that replaces a file is picked up at the next rerun without a restart, and a file touched
    without a change keeps its version.
    """
    version = getattr(_RUN, "version", None)
    return version if version is not None else _read_version()


@contextlib.contextmanager
def one_data_version() -> Iterator[None]:
    """One data version for a script run (or a fragment's): its folder stamp read once, not at every call.

    The run's parts then never mix two versions, and a slider move reads the folder once where it read it
    about eight times: each read is a dozen system calls, and each hands the GIL to the server's thread that
    is sending the run's elements meanwhile (about 6 ms of waiting a rerun). Nested runs keep the outer one's.
    """
    outer = getattr(_RUN, "version", None)
    _RUN.version = outer if outer is not None else _read_version()
    try:
        yield
    finally:
        _RUN.version = outer


_RUN = threading.local()  # the version of the script run in progress on this thread (None outside one)


def _read_version() -> str:
    folder = data_folder()
    key = (str(folder), data_stamp(folder))
    with _VERSIONS_LOCK:
        version = _VERSIONS.get(key)
    if version is None:  # a new stamp: hash the files' bytes once (a plain dict: called many times a rerun)
        version = folder_version(folder)
        with _VERSIONS_LOCK:
            if len(_VERSIONS) >= 4:
                _VERSIONS.pop(next(iter(_VERSIONS)))
            _VERSIONS[key] = version
    return version


# The content version of each folder stamp seen (at most 4: the process's folder before and after refreshes)
_VERSIONS: dict[tuple, str] = {}
_VERSIONS_LOCK = threading.Lock()


def dataset() -> Dataset:
    """The data folder as one Dataset, loaded and validated once per data version."""
    return _dataset(data_version())


@st.cache_resource(max_entries=2, show_spinner=False)
def _dataset(version: str) -> Dataset:
    return load_dataset(data_folder())


def baseline() -> Baseline:
    """The Dataset's export baseline with the year in progress as a nowcast (the shipped figures alone)."""
    return baseline_of(dataset())


@st.cache_resource(max_entries=32, show_spinner=False)
def _with_overrides(key: tuple, version: str) -> Baseline:
    return apply_overrides(baseline_of(_dataset(version)), dict(key))


def session_baseline() -> Baseline:
    """The shipped data with this session's own figures in place (the shipped data itself is never changed)."""
    overrides = st.session_state.get("overrides") or {}
    return _with_overrides(tuple(sorted(overrides.items())), data_version()) if overrides else baseline()


def preset_growth(preset_id: str) -> dict[str, float]:
    """Growth rates of one preset, resolved against the data."""
    return _preset_growth(preset_id, data_version())


@st.cache_data(max_entries=32, show_spinner=False)
def _preset_growth(preset_id: str, version: str) -> dict[str, float]:
    return resolve_growth(load_presets()[preset_id], baseline_of(_dataset(version)))


def macro_data() -> MacroBaseline:
    """The Dataset's macro and peer data."""
    return dataset().macro


@st.cache_data(max_entries=16, show_spinner=False)
def _as_of(lang_code: str, short: bool, version: str) -> str:
    return as_of(_dataset(version), lang_code, short)


def data_as_of(lang_code: str, short: bool = False) -> str:
    """Where the data stand and which vintage of each file is in use ("data as of ..."), per data version."""
    return _as_of(lang_code, short, data_version())


def data_notice() -> None:
    """On the first rerun after a refresh replaced a data file, tell this session that newer data are in use."""
    ss = st.session_state
    version = data_version()
    if ss.setdefault("data_version", version) != version:
        ss["data_version"] = version
        st.info(md(t("refresh.newer_data", lang(), as_of=data_as_of(lang(), short=True))))


def newer_data_arrived() -> bool:
    """Whether the data changed since this session's page was last drawn whole (its parts must not mix versions)."""
    return st.session_state.get("data_version") not in (None, data_version())


def calibration() -> Calibration:
    """The shocks' calibration (volatility, correlations, the won and the KOSPI) of the Dataset."""
    return calibration_of(dataset())


def volatility() -> Volatility:
    """Per-series volatility and correlations, from the Dataset's calibration."""
    return calibration().vol


@st.cache_resource(max_entries=32, show_spinner=False)
def _outcome(key: str, overrides: str, reference_key: str, version: str, _scenario: Scenario,
             _reference: Scenario | None, _overrides: tuple) -> Outcome:
    return compute_outcome(_scenario, _dataset(version), _reference, overrides=dict(_overrides))


def scenario_outcome(scenario: Scenario, reference: Scenario | None) -> Outcome:
    """Everything the scenario yields (and its reference), computed once per distinct scenario and data.

    The cache is keyed on the keys' repr (exact for floats): Streamlit hashes a string at once, a tuple of about
    fifty pairs item by item (1.5 ms of every rerun for the scenario's and the reference's).
    """
    overrides = tuple(sorted((st.session_state.get("overrides") or {}).items()))
    return _outcome(repr(scenario.key()), repr(overrides), repr(reference.key() if reference else None),
                    data_version(), scenario, reference, overrides)


@st.cache_data(max_entries=64, show_spinner=False)
def _static_helps(base_year: int, lang: str, overrides: tuple, version: str) -> dict[str, str]:
    data = _with_overrides(overrides, version) if overrides else baseline_of(_dataset(version))
    return {lev.id: lever_help(lev, data, base_year, lang) for lev in growth_levers()}


@functools.lru_cache(maxsize=4096)
def _value_help(series: str, value: float, lang: str, version: str) -> str:
    return value_help(series, value, lang, growth_histories(_dataset(version)))


def slider_helps(base_year: int, lang: str, overrides: tuple = ()) -> dict[str, str]:
    """Help text of every growth slider, with a line on how its value compares with the series' own history.

    The definition, history and source are cached by base year, language and the user's own figures; the
    line on the value by series and value (it changes as the slider moves).
    """
    ss = st.session_state
    version = data_version()
    return {sid: text if sid not in ss else f"{text}\n\n{_value_help(sid, float(ss[sid]), lang, version)}"
            for sid, text in _static_helps(base_year, lang, overrides, version).items()}


def method_tables(lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 5/5/5 lever table and the peer table for the method notes."""
    return _method_tables(lang, data_version())


@st.cache_data(max_entries=4, show_spinner=False)
def _method_tables(lang: str, version: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    macro_levers = tuple(lv for lv in vision_levers() if lv.group == "macro")
    return lever_table(macro_levers, lang), peer_table(_dataset(version).macro, lang)


@guard_callback()
def apply_preset() -> None:
    """Set every growth slider, and every lever a preset may set, to the chosen preset (a widget callback)."""
    preset_id = st.session_state["preset"]
    for sid, value in preset_growth(preset_id).items():
        st.session_state[sid] = value
    chosen = load_presets()[preset_id].levers
    for key in preset_lever_ids():
        st.session_state[key] = widget_value(key, chosen.get(key, lever(key).default))


@guard_callback()
def reset_all() -> None:
    """Back to the chosen preset: its growth rates and levers, every other 5/5/5 lever at its default."""
    for lev in vision_levers():
        st.session_state[lev.id] = widget_value(lev.id, lev.default)
    apply_preset()


@guard_callback()
def set_target(year: int) -> None:
    """One-click target year; the horizon follows if it would fall before the target."""
    st.session_state["target"] = year
    st.session_state["horizon"] = max(st.session_state["horizon"], year)


@guard_callback()
def set_timeline(base: int, target: int, preset: str | None = None) -> None:
    """One click to a timeline: the base and target years (and a preset, e.g. the 2022 pledge's own)."""
    ss = st.session_state
    ss["base"] = base
    set_target(target)
    if preset is not None:
        ss["preset"] = preset
        apply_preset()


@guard_callback()
def keep_years_ordered() -> None:
    """After a year changes, keep base < target <= horizon by moving the later years."""
    ss = st.session_state
    ss["target"] = max(ss["target"], ss["base"] + 1)
    ss["horizon"] = max(ss["horizon"], ss["target"])


def widget_value(lever_id: str, value: float) -> float | int | bool:
    """A lever's value in the type its widget holds (toggles hold bools, counts hold ints)."""
    unit = lever(lever_id).unit
    if unit == "bool":
        return bool(round(value))
    if unit == "count":
        return round(value)
    return float(value)


def apply_scenario(scenario: Scenario) -> None:
    """Put a whole scenario into the widgets (before they are drawn: from a callback or on first run)."""
    ss = st.session_state
    ss["preset"] = scenario.preset
    ss.update(scenario.growth)
    ss.update({key: widget_value(key, value) for key, value in scenario.macro.items()})
    ss.update(base=scenario.base_year, target=scenario.target_year, horizon=scenario.horizon,
              services=scenario.count_services)


def init_state() -> None:
    """First run of a session: take the scenario from the link, else the default preset."""
    if "initialised" in st.session_state:
        return
    params = st.query_params.to_dict()
    scenario, notices = scenario_from_params(params, baseline=baseline())
    apply_scenario(scenario)
    ss = st.session_state
    ref = params.get("ref", DEFAULT_REFERENCE)
    ss["ref"] = ref if ref in reference_options() else DEFAULT_REFERENCE
    ss["tab_id"] = params.get("tab") if params.get("tab") in TAB_IDS else DEFAULT_TAB
    ss["notices"] = cap_notices(notices)
    ss["saved"] = {}
    ss["overrides"] = {}
    ss["history"] = [snapshot()]
    ss["history_at"] = 0
    ss["initialised"] = True


# ---------------------------------------------------------------- undo / redo

HISTORY_LIMIT = 51  # snapshots kept: the current one plus 50 undo steps (the issue asks for at least 20)


def snapshot() -> dict:
    """The scenario's widget values, for undo and redo."""
    ss = st.session_state
    return {key: ss[key] for key in SCENARIO_KEYS if key in ss}


def record_history() -> None:
    """After a run's widgets are read: remember the scenario if it changed (dropping any redo steps)."""
    ss = st.session_state
    now = snapshot()
    history, at = ss["history"], ss["history_at"]
    if history[at] == now:
        return
    del history[at + 1:]
    history.append(now)
    if not ss.pop("keep_notices_once", False):  # a file just opened: its own notices are the news
        ss["notices"] = []  # a link's or a file's notices are answered once the user changes something
    if len(history) > HISTORY_LIMIT:
        del history[0]
    ss["history_at"] = len(history) - 1


def _restore(at: int) -> None:
    ss = st.session_state
    ss["history_at"] = at
    ss.update(ss["history"][at])


@guard_callback()
def undo() -> None:
    """Step back one lever change (a button callback)."""
    if st.session_state["history_at"] > 0:
        _restore(st.session_state["history_at"] - 1)


@guard_callback()
def redo() -> None:
    """Step forward again after an undo (a button callback)."""
    if st.session_state["history_at"] < len(st.session_state["history"]) - 1:
        _restore(st.session_state["history_at"] + 1)


# ---------------------------------------------------------------- reference and saved scenarios

DEFAULT_REFERENCE = "preset:pledge"
NO_REFERENCE = "none"


def reference_options() -> list[str]:
    """Every scenario one can compare with: none, each preset, each scenario saved in this session."""
    saved = st.session_state.get("saved", {})
    return [NO_REFERENCE, *(f"preset:{pid}" for pid in load_presets()), *(f"saved:{name}" for name in saved)]


def reference_scenario(mine: Scenario) -> Scenario | None:
    """The chosen reference's growth rates on the user's years, services setting and 5/5/5 assumptions.

    Only export growth differs, so every difference in the comparison is the exports' doing.
    """
    from dataclasses import replace

    ref = st.session_state.get("ref", NO_REFERENCE)
    if ref.startswith("preset:") and ref[7:] in load_presets():
        chosen = load_presets()[ref[7:]].levers
        export_side = {key: chosen.get(key, lever(key).default) for key in preset_lever_ids()}
        return replace(mine, growth=preset_growth(ref[7:]), preset=ref[7:], macro={**mine.macro, **export_side})
    if ref.startswith("saved:") and ref[6:] in st.session_state.get("saved", {}):
        saved: Scenario = st.session_state["saved"][ref[6:]]
        return replace(mine, growth=dict(saved.growth), preset=saved.preset)
    return None


def sync_link(scenario: Scenario) -> None:
    """Write the whole scenario, the language and a preset reference into the URL."""
    st.query_params.from_dict(link_params(scenario))


def link_params(scenario: Scenario) -> dict[str, str]:
    """The query parameters of the share link (a saved-scenario reference cannot travel in a link)."""
    params = scenario_to_params(scenario, lang())
    if tab_id() != DEFAULT_TAB:
        params["tab"] = tab_id()
    ref = st.session_state.get("ref", DEFAULT_REFERENCE)
    if ref != DEFAULT_REFERENCE and (ref == NO_REFERENCE or ref.startswith("preset:")):
        params["ref"] = ref
    return params


DEFAULT_TAB = TAB_IDS[0]  # the link holds the open tab's id; its label follows the language


def tab_id() -> str:
    """The open tab's id (the tabs widget holds its label, in whichever language it was drawn)."""
    label = st.session_state.get("tab")
    for code in LANGS:
        for tab in TAB_IDS:
            if label == t(f"tabs.{tab}", code):
                return tab
    return st.session_state.get("tab_id", DEFAULT_TAB)


def prepare_tabs() -> None:
    """Before the tabs are drawn: keep the open tab across a language switch and take it from the link once."""
    ss = st.session_state
    wanted = tab_id()
    ss["tab_id"] = wanted
    label = t(f"tabs.{wanted}", lang())
    if ss.get("tab") != label:  # written only when it changes: a write makes the browser redraw the radio whole
        ss["tab"] = label


def current_scenario() -> Scenario:
    """The scenario the widgets describe."""
    ss = st.session_state
    return Scenario(base_year=int(ss["base"]), target_year=int(ss["target"]), horizon=int(ss["horizon"]),
                    count_services=bool(ss["services"]),
                    growth={lev.id: float(ss[lev.id]) for lev in growth_levers()}, preset=ss["preset"],
                    macro={lev.id: float(ss[lev.id]) for lev in vision_levers()})




PANEL_KEYS = ("open_macro", "open_ranges", "open_peers", "open_figures", "open_method", "open_share",
              "open_present", "open_chip", "open_emerging", "open_settings")


def heading(text: str, level: int) -> None:
    """A heading written as Markdown ("### ...") rather than st.title/st.subheader.

    The browser redraws every st.title/st.subheader on each of a rerun's four or five large commits (about 18
    React fibers each, against 4 for a Markdown element), wherever it stands on the page. Its hover link is
    hidden by the page's CSS, as st.title(anchor=False) had none.
    """
    st.markdown(md(f"{'#' * level} {text}"))


def panel(label: str, key: str, parent=None, expanded: bool = False, levers: bool = False):
    """A "Show: ..." (or "Adjust: ...") toggle whose contents are built only while it is on (nothing per rerun if off).

    Returns the container, or None while it is closed. The widgets inside that pass persist_state=KEEP
    keep their values while it is closed. levers: a panel of levers reads "Adjust: ...", so that
    switching it off does not read as switching its subject off (the ranges, the nowcast).
    """
    st.session_state.setdefault(key, expanded)
    parent = parent or st
    # a toggle, not an expander: an expander redraws in the browser on every commit of every run (it shows
    # a spinner while the script runs), open or closed, about eight times what a toggle costs
    text = t("panel.levers" if levers else "panel.show", lang(), label=label)
    return parent.container() if parent.toggle(md(text), key=key, persist_state=KEEP) else None
