"""Hostile files and names (issue 18): one test (or more) per class, in the app and on the command line.

The hostile files are in tests/fixtures/hostile (small, made by make.py there); big ones (a CSV field over the
csv module's limit, a 1 GB sparse file) are made here in tmp_path.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import os
import pickle
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scenarios.data.overrides import OverrideError, parse_override_csv
from scenarios.model.outcome import compute_outcome
from scenarios.model.projection import Scenario
from scenarios.model.share import ScenarioError
from scenarios.registry.i18n import md_escape, t
from scenarios.registry.safety import (
    clean_name,
    csv_safe_frame,
    parse_plain_number,
    text_problem,
    unique_name,
    url_problem,
)
from scenarios.words.export import outcome_frames, scenario_and_overrides_from_json, tidy_csv
from tests.apptest_util import notices, open_app, open_tab
from tests.shipped import BASE, DATA

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures" / "hostile"
MARKUP = "![x](http://127.0.0.1:9/x.png) [link](http://example.invalid)"
FIELD_LIMIT_CSV = b'year,series,value\n2021,semiconductors,"' + b"1" * 140_000 + b'"\n'


def fixture(name: str) -> bytes:
    return (FIX / name).read_bytes()


def upload(at, key: str, name: str, data: bytes):
    at.file_uploader(key=key).set_value((name, data, "application/octet-stream"))
    return at.run()


def kept_state(at) -> tuple:
    """What a failed upload must not change: every lever, the saved scenarios and the user's figures."""
    from ui.common import SCENARIO_KEYS

    ss = at.session_state
    return ({k: ss[k] for k in SCENARIO_KEYS if k in ss}, dict(ss["saved"]), dict(ss["overrides"]))


def page_with_a_saved_scenario_and_figures():
    at = open_app(tab="share")
    at.slider(key="semiconductors").set_value(12.0).run()
    at.text_input(key="save_name").input("Mine").run()
    at.button(key="save_button").click().run()
    at.session_state["overrides"] = {("semiconductors", 2021): 150.0}
    return at.run()


def shown(at) -> str:
    return " ".join(e.value for kind in ("error", "warning", "info", "success") for e in at.get(kind))


# ---------------------------------------------------------------- 1. user text rendered as Markdown

PLAIN_TEXT_ELEMENTS = {"selectbox", "text_input", "vega_lite_chart", "file_uploader", "code"}


def _leaves(node):
    children = getattr(node, "children", None)
    if children is not None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            yield "block", node
        for child in children.values():
            yield from _leaves(child)
    else:
        yield getattr(node, "type", ""), node


def markdown_sources(at) -> list[tuple[str, str]]:
    """Every text the app hands to something that renders Markdown (labels, bodies, help, table cells)."""
    out = []
    for kind, node in _leaves(at._tree):
        if kind in PLAIN_TEXT_ELEMENTS:
            continue  # rendered as plain text by the browser (checked in tests/e2e/test_hostile_browser.py)
        if kind == "table":
            frame = node.value.reset_index()
            cells = [str(v) for v in [*frame.columns, *frame.to_numpy().ravel()]]
            out += [(kind, c) for c in cells]
        elif getattr(node, "proto", None) is not None:
            out.append((kind, str(node.proto)))
    return out


def test_markup_in_names_reaches_no_markdown_unescaped():
    at = open_app(tab="share")
    at.slider(key="semiconductors").set_value(12.0).run()
    name = clean_name(MARKUP)  # names are cut at 60 characters: the image markup is whole in it
    at.text_input(key="save_name").input(name).run()
    at.button(key="save_button").click().run()
    upload(at, "upload_json", MARKUP + ".json", fixture("markup_name.json"))  # same name: kept as "... (2)"
    assert list(at.session_state["saved"]) == [name, unique_name(name, {name})]
    at.selectbox(key="ref").set_value(f"saved:{name}").run()
    assert not at.exception
    leaks = [(kind, text[:120]) for kind, text in markdown_sources(at)
             if "![x](" in text or "[link](" in text]
    assert leaks == []
    open_tab(at, "industries")  # the comparison table and its heading
    heading = [h.value for h in at.subheader if md_escape(name) in h.value]
    assert heading, "the comparison heading names the saved scenario, escaped"
    leaks = [(kind, text[:120]) for kind, text in markdown_sources(at)
             if "![x](" in text or "[link](" in text]
    assert leaks == []


@pytest.mark.parametrize("name", [MARKUP, "**bold** <img src=x onerror=alert(1)>", ":red[alarm] :material/home:",
                                  "$x^2$ ~~strike~~ `code`", "https://example.invalid www.example.invalid",
                                  "a@example.invalid &lt;b&gt;", "# heading\n> quote\n- item",
                                  "HTTPS://X.INVALID mailto:a@b.invalid WWW.X.INVALID"])
def test_md_escape_leaves_no_markup(name):
    """Every character Markdown (or Streamlit's directives, or LaTeX) acts on comes out backslash-escaped."""
    escaped = md_escape(clean_name(name))
    bare = re.sub(r"\\.", "", escaped, flags=re.DOTALL)  # drop every escaped pair
    assert not set(bare) & set("\\`*_{}[]()#+-.!|<>~$:&"), bare
    text = escaped.replace("\\", "")  # what GFM's autolink literals see once escapes are resolved
    assert not re.search(r"(?i)https?://|\bwww\.|[\w.+-]@[\w-]", text), text


def test_names_lose_control_and_invisible_characters():
    assert clean_name("a\nb\r\tc\u202ed\u200be\x00f") == "a b cde f"
    assert clean_name("x" * 200) == "x" * 60
    assert clean_name("  내 시나리오  ") == "내 시나리오"


# ---------------------------------------------------------------- 2. upload errors outside the error boundary


@pytest.mark.parametrize(("key", "name", "data", "needle"), [
    ("upload_json", "deep_nesting.json", fixture("deep_nesting.json"), "nested more than 20 levels deep"),
    ("upload_json", "long_integer.json", fixture("long_integer.json"), "a number with 5,000 digits"),
    ("upload_json", "not_utf8.json", fixture("not_utf8.json"), "not UTF-8"),
    ("upload_csv", "field.csv", FIELD_LIMIT_CSV, "row 2: a field is longer than 131,072 characters"),
])
def test_a_hostile_upload_keeps_the_page_and_everything_in_it(key, name, data, needle):
    at = page_with_a_saved_scenario_and_figures()
    sliders, before = len(at.sidebar.slider), kept_state(at)
    upload(at, key, name, data)
    assert not at.exception
    assert len(at.sidebar.slider) == sliders  # the sidebar is still there
    assert needle in shown(at).replace("\\", "")
    assert kept_state(at) == before


def test_old_mac_line_endings_are_read():
    assert parse_override_csv(fixture("mac_line_endings.csv")) == {("semiconductors", 2021): 150.0}
    at = open_app(tab="share")
    upload(at, "upload_csv", "mac.csv", fixture("mac_line_endings.csv"))
    assert not at.exception and at.session_state["overrides"] == {("semiconductors", 2021): 150.0}


@pytest.mark.parametrize(("target", "key", "data", "error"), [
    ("ui.share_panel.scenario_and_overrides_from_json", "upload_json", fixture("named_mine.json"), RecursionError),
    ("ui.share_panel.scenario_and_overrides_from_json", "upload_json", fixture("named_mine.json"), MemoryError),
    ("ui.data_input.parse_override_csv", "upload_csv", fixture("mac_line_endings.csv"), ValueError),
    ("ui.data_input.parse_override_csv", "upload_csv", fixture("mac_line_endings.csv"), KeyError),
])
def test_any_error_in_an_upload_callback_is_caught_and_changes_nothing(monkeypatch, target, key, data, error):
    """Whatever a parser raises, the callback's guard keeps the page and the session as they were."""
    at = page_with_a_saved_scenario_and_figures()
    before = kept_state(at)

    def boom(*args, **kwargs):
        raise error("deep inside")

    monkeypatch.setattr(target, boom)
    upload(at, key, "x.json" if key == "upload_json" else "x.csv", data)
    assert not at.exception and len(at.sidebar.slider) > 10
    assert t("hostile.callback_failed", problem="").split(":")[0] in shown(at).replace("\\", "")
    if error is RecursionError:
        assert t("hostile.problem_recursion") in shown(at).replace("\\", "")
    assert kept_state(at) == before


def test_a_failing_sidebar_callback_keeps_the_page(monkeypatch):
    at = page_with_a_saved_scenario_and_figures()
    before = kept_state(at)

    def boom(*args, **kwargs):
        raise RuntimeError("broken")

    monkeypatch.setattr("ui.common.preset_growth", boom)
    at.selectbox(key="preset").set_value("trend").run()
    assert not at.exception and len(at.sidebar.slider) > 10
    assert "RuntimeError" in shown(at)
    lever_values, saved, overrides = kept_state(at)
    assert {k: v for k, v in lever_values.items() if k != "preset"} == {
        k: v for k, v in before[0].items() if k != "preset"}
    assert (saved, overrides) == before[1:]


def test_every_callback_is_guarded():
    """Every function passed as on_change / on_click in the UI is wrapped by guard_callback."""
    import ui.common
    import ui.data_input
    import ui.share_panel
    import ui.what_it_takes

    modules = {"common": ui.common, "data_input": ui.data_input, "share_panel": ui.share_panel,
               "what_it_takes": ui.what_it_takes}
    names = set()
    for path in (ROOT / "ui").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg in ("on_change", "on_click") and isinstance(
                    node.value, ast.Name):
                names.add(node.value.id)
    assert names >= {"load_upload", "_apply_upload", "_apply_editor", "save_current", "undo", "apply_preset"}
    for name in names:
        fn = next(getattr(m, name) for m in modules.values() if hasattr(m, name))
        assert hasattr(fn, "__wrapped__"), f"{name} is not wrapped by guard_callback"


# ---------------------------------------------------------------- 3. formulas in downloads


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://example.invalid\")", "+1+2", "-2+3", "@SUM(A1)",
                                  "\tx", "\r=1"])
def test_csv_cells_cannot_run_as_formulas(name):
    outcome = compute_outcome(Scenario(), DATA)
    frames = outcome_frames(outcome, name, name)
    table = pd.read_csv(io.BytesIO(tidy_csv(frames)), keep_default_na=False)
    assert len(table) == sum(len(f) for f in frames)  # a carriage return cannot break a row either
    assert set(table.scenario) == {"'" + name.replace("\r", "\n")}
    assert table.value.dtype.kind == "f"  # numbers stay numbers


def test_text_cells_and_labels_are_neutralised_and_numbers_are_not():
    frame = pd.DataFrame({"series": ["=cmd|' /C calc'!A0", "-x", "semiconductors", "@x"], "value": [-5.0, 1, 2, 3],
                          "year": [2021, 2022, 2023, 2024]})
    out = csv_safe_frame(frame)
    assert list(out.series) == ["'=cmd|' /C calc'!A0", "'-x", "semiconductors", "'@x"]
    assert list(out.value) == [-5.0, 1, 2, 3] and out.year.dtype.kind == "i"
    assert "'=" in (ROOT / "README.md").read_text(encoding="utf-8")  # the README says so


def test_the_data_page_csv_files_are_served_safe():
    from scenarios.data.baseline import DATA_DIR
    from scenarios.registry.safety import csv_safe_bytes
    from ui.common import data_version
    from ui.data_page import TABS, read_file

    for name, _ in TABS:  # every file the Data page serves goes through the check (monthly.csv needs it)
        if (DATA_DIR / name).exists():
            assert read_file(name, data_version()) == csv_safe_bytes((DATA_DIR / name).read_bytes())
    risky = (DATA_DIR / "monthly.csv").read_bytes()  # notes like "+13.8% y/y" would be formulas
    safe = list(csv.reader(io.StringIO(csv_safe_bytes(risky).decode())))
    assert all(not c.startswith(("=", "+", "@")) for row in safe for c in row)
    assert any(c.startswith("'+") for row in safe for c in row)
    assert csv_safe_bytes(b"a,b\n-3.5,@x\n") == b"a,b\n-3.5,'@x\n"  # numbers stay numbers


# ---------------------------------------------------------------- 4. silent overwrite


def test_opening_a_file_named_like_a_saved_scenario_keeps_both():
    at = page_with_a_saved_scenario_and_figures()
    upload(at, "upload_json", "named_mine.json", fixture("named_mine.json"))
    saved = at.session_state["saved"]
    assert list(saved) == ["Mine", "Mine (2)"]
    assert saved["Mine"].growth["semiconductors"] == 12.0 and saved["Mine (2)"].growth["semiconductors"] == 20.0
    assert "Mine (2)" in shown(at).replace("\\", "")
    upload(at, "upload_json", "again.json", fixture("named_mine.json"))  # the same file again: no third copy
    assert list(at.session_state["saved"]) == ["Mine", "Mine (2)"]


def test_opening_files_keeps_the_cap_on_saved_scenarios():
    from ui.share_panel import MAX_SAVED

    at = open_app(tab="share")
    at.session_state["saved"] = {f"s{i}": Scenario() for i in range(MAX_SAVED)}
    at.run()
    upload(at, "upload_json", "named_mine.json", fixture("named_mine.json"))
    assert len(at.session_state["saved"]) == MAX_SAVED and "Mine" not in at.session_state["saved"]
    assert at.slider(key="semiconductors").value == 20.0  # opened all the same
    assert str(MAX_SAVED) in " ".join(w.value for w in at.warning)


def test_unique_names_stay_within_the_limit():
    assert unique_name("Mine", {"Mine"}) == "Mine (2)"
    assert unique_name("Mine (2)", {"Mine", "Mine (2)"}) == "Mine (3)"
    long = "x" * 60
    renamed = unique_name(long, {long})
    assert len(renamed) <= 60 and renamed.endswith(" (2)")


# ---------------------------------------------------------------- 5. memory that grows with strangers


def _cache_decorators(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef):
            for dec in node.decorator_list:
                target = dec.func if isinstance(dec, ast.Call) else dec
                if isinstance(target, ast.Attribute) and target.attr in ("cache_data", "cache_resource"):
                    entries = next((k.value.value for k in getattr(dec, "keywords", []) if k.arg == "max_entries"),
                                   None)
                    yield node.name, entries


def test_every_streamlit_cache_is_bounded_and_hosting_says_how():
    found = {name: n for path in [ROOT / "app.py", *ROOT.glob("ui/*.py")] for name, n in _cache_decorators(path)}
    assert len(found) >= 10 and all(n for n in found.values()), found
    hosting = (ROOT / "docs" / "HOSTING.md").read_text(encoding="utf-8")
    for name, n in found.items():  # the table in docs/HOSTING.md lists each cache with its bound
        assert re.search(rf"\| `{name}` \| {n} \|", hosting), f"docs/HOSTING.md lacks `{name}` | {n} |"
    assert "a session can cost at most" in hosting


def test_a_cached_outcome_holds_no_paths():
    from scenarios.model.outcome import RangesSummary, compute_outcome
    from scenarios.registry.levers import vision_levers

    macro = {lev.id: float(lev.default) for lev in vision_levers()} | {"paths": 20_000.0, "ranges": 1.0}
    for base in (2021, 2026):  # a nowcast base adds its own uncertainty to the paths: still dropped
        scenario = Scenario(base_year=base, target_year=2030, horizon=2050, macro=macro)
        outcome = compute_outcome(scenario, DATA, ranges=True)
        summary = outcome.simulation
        assert isinstance(summary, RangesSummary)
        assert len(pickle.dumps(summary)) < 100_000  # the 20,000 x 30 paths (~24 MB) are not kept
        assert 0 <= summary.probabilities()["exports_1t"] <= 1 and summary.bands()["exports_total"]


# ---------------------------------------------------------------- 6. the command line trusts its files


# Runs `python -m scenarios ARGS` in a process that, when it exits, writes its own peak resident memory
# (VmHWM: this process image's alone; rusage's ru_maxrss would include the forking pytest's memory) and the
# bytes it read (rchar: every read() call, its imports' too), so "it did not read the whole file" is
# measured in bytes, not in seconds that depend on the machine's load.
_MEASURED_CLI = """
import atexit, runpy, sys

report = sys.argv.pop(1)


def write_peak():
    with open("/proc/self/status") as status, open("/proc/self/io") as io, open(report, "w") as out:
        peak = next(line for line in status if line.startswith("VmHWM")).split()[1]
        read = next(line for line in io if line.startswith("rchar")).split()[1]
        out.write(f"{peak} {read}")


atexit.register(write_peak)
sys.argv[0] = "scenarios"
runpy.run_module("scenarios", run_name="__main__", alter_sys=True)
"""


def run_cli(args: list[str], timeout: float = 30) -> tuple[int, str, str, float, float]:
    """Run the CLI; return its status, stdout, stderr, the MB it read and its peak resident memory in MB."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "peak_kb"
        try:
            done = subprocess.run([sys.executable, "-c", _MEASURED_CLI, str(report), *args], cwd=ROOT,
                                  capture_output=True, stdin=subprocess.DEVNULL, timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{args} did not finish within {timeout} s")
        peak_kb, read_bytes = report.read_text().split()
    return done.returncode, done.stdout.decode(), done.stderr.decode(), int(read_bytes) / 2**20, int(peak_kb) / 1024


@pytest.fixture(scope="module")
def specials(tmp_path_factory) -> dict[str, str]:
    """Files that are not ordinary: /dev/zero, a named pipe, a 1 GB sparse file, a directory, a loop of links."""
    d = tmp_path_factory.mktemp("specials")
    os.mkfifo(d / "pipe.json")
    with open(d / "sparse.json", "wb") as f:
        f.truncate(1 << 30)  # 1 GB, no blocks on disk
    (d / "folder.json").mkdir()
    os.symlink(d / "loop_b.json", d / "loop_a.json")
    os.symlink(d / "loop_a.json", d / "loop_b.json")
    (d / "field.csv").write_bytes(FIELD_LIMIT_CSV)
    return {"dev_zero": "/dev/zero", "pipe": str(d / "pipe.json"), "sparse_1gb": str(d / "sparse.json"),
            "directory": str(d / "folder.json"), "link_loop": str(d / "loop_a.json"), "field": str(d / "field.csv")}


SPECIALS = ["dev_zero", "pipe", "sparse_1gb", "directory", "link_loop"]
BAD_FILES = [(opt, ("special", s)) for opt in ("--scenario", "--data", "--preset-file") for s in SPECIALS] + [
    ("--scenario", ("fixture", f)) for f in ("deep_nesting.json", "long_integer.json", "not_utf8.json")] + [
    ("--data", ("fixture", f)) for f in ("decimal_comma.csv", "thousands_dot.csv", "thousands_comma.csv",
                                         "markup_series.csv")] + [("--data", ("special", "field"))] + [
    ("--preset-file", ("fixture", f)) for f in ("bad_utf8.toml", "deep_nesting.toml", "order_inf.toml",
                                                "order_string.toml", "start_equals_end.toml", "offset_nan.toml",
                                                "min_span_string.toml", "start_string.toml", "unknown_key.toml",
                                                "id_markup.toml")]


@pytest.mark.parametrize(("option", "file"), BAD_FILES, ids=[f"{o}-{f[1]}" for o, f in BAD_FILES])
def test_every_bad_file_exits_2_with_one_line_fast_and_small(specials, option, file):
    kind, name = file
    path = specials[name] if kind == "special" else str(FIX / name)
    status, out, err, read_mb, rss_mb = run_cli([option, path, "--json"])
    assert status == 2 and out == "", (status, err)
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: "), err
    assert "Traceback" not in err
    assert read_mb < 256, f"read {read_mb:.0f} MB"  # a bounded read: never the 1 GB file or /dev/zero to the end
    assert rss_mb < 200, f"{rss_mb:.0f} MB"


def test_a_good_file_still_works_and_the_json_never_holds_nan(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('id = "mine"\norder = 5\n[growth]\ndefault = { method = "trend", start = 2017, end = 2025, '
                    'offset = -1.5, min_span = 3 }\n', encoding="utf-8")
    status, out, err, _, _ = run_cli(["--preset-file", str(path), "--base-year", "2021", "--data",
                                      str(FIX / "mac_line_endings.csv"), "--json"])
    assert status == 0, err

    def refuse(constant):
        raise AssertionError(f"{constant} in the JSON")

    data = json.loads(out, parse_constant=refuse)
    assert data["scenario"]["preset"] == "mine" and data["exports"]["semiconductors"][0] == 150.0


# ---------------------------------------------------------------- 7. numbers misread


@pytest.mark.parametrize("value", ["17,5", "1.234,5", "1,234", "1,234.5", "1 000", "1_000", "1'000"])
def test_ambiguous_separators_are_refused_with_the_expected_format(value):
    with pytest.raises(OverrideError, match=r"point for decimals and no thousands separators"):
        parse_override_csv(f'year,series,value\n2021,semiconductors,"{value}"\n'.encode())


@pytest.mark.parametrize("value", ["１７", "٣", "0x10", "1e", "--1", "nan", "inf"])
def test_other_non_numbers_are_refused(value):
    with pytest.raises(OverrideError, match=r"must be a number"):
        parse_override_csv(f'year,series,value\n2021,semiconductors,"{value}"\n'.encode())


@pytest.mark.parametrize(("text", "number"), [("709.7", 709.7), (" 12 ", 12.0), ("1e2", 100.0), (".5", 0.5),
                                              ("+3", 3.0)])
def test_plain_numbers_are_read(text, number):
    assert parse_plain_number(text) == number


def test_a_decimal_comma_upload_is_refused_in_the_app():
    at = page_with_a_saved_scenario_and_figures()
    before = kept_state(at)
    upload(at, "upload_csv", "decimal_comma.csv", fixture("decimal_comma.csv"))
    message = shown(at).replace("\\", "")
    assert "'17,5'" in message and "point for decimals" in message
    assert kept_state(at) == before


def test_a_json_with_a_decimal_comma_in_figures_is_refused():
    raw = {"name": "x", "params": {}, "overrides": [{"series": "total", "year": 2021, "value": "1.234,5"}]}
    with pytest.raises(ScenarioError, match="point for decimals"):
        scenario_and_overrides_from_json(json.dumps(raw), BASE)


# ---------------------------------------------------------------- 8. floods


def test_thousands_of_unknown_keys_show_a_few_notices_and_a_count():
    from ui.guard import MAX_NOTICES

    at = open_app(timeline={}, tab="share")  # the file holds the default scenario: nothing changes, the notices stay
    upload(at, "upload_json", "unknown_keys.json", fixture("unknown_keys.json"))
    assert not at.exception
    warnings = [w.value for w in notices(at)]
    assert len(warnings) == MAX_NOTICES + 1
    assert "995" in warnings[-1] and "key\\_0000" in warnings[0]
    assert len(at.session_state["notices"]) == MAX_NOTICES + 1  # the session keeps no more either


def test_a_link_with_hundreds_of_unknown_keys_shows_a_few_notices():
    from ui.guard import MAX_NOTICES

    at = open_app({f"junk{i}": "1" for i in range(300)})
    assert not at.exception
    assert len(notices(at)) == MAX_NOTICES + 1 and "295" in notices(at)[-1].value
    assert np.isfinite(at.slider(key="semiconductors").value)


def test_a_control_character_is_found_as_unicode_defines_it():
    """text_problem's one-class search refuses exactly Unicode's control characters (category Cc)."""
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        assert (text_problem(f"a{ch}b") is not None) == (unicodedata.category(ch) == "Cc"), hex(code)


def test_an_address_is_refused_for_exactly_the_characters_named():
    """url_problem's one-class search refuses the markup characters and the ASCII controls, and nothing else."""
    for code in range(128):
        ch = chr(code)
        refused = url_problem(f"https://example.com/a{ch}b") is not None
        assert refused == (ch in " \t\r\n()[]<>\"'`\\{}|^" or code < 32 or code == 127), hex(code)
