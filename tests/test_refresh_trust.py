"""A data refresh you can trust: inert text from data files, strict numbers and periods, one refresh at a time,
all or nothing across files, bounded inputs, and app inputs that are refused rather than guessed."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from scenarios.data.baseline import DATA_DIR, BaselineError
from scenarios.data.dataset import load_dataset
from scenarios.data.vintages import read_log
from scenarios.model.present import baseline_of
from scenarios.registry.levers import lever
from scenarios.registry.safety import url_problem
from scenarios.words.describe import lever_help
from scenarios.words.export import scenario_and_overrides_from_json
from tests.apptest_util import open_app
from tests.shipped import BASE

ROOT = Path(__file__).resolve().parent.parent
HEADER = "period,series,value_usd_bn,quality,source_url,note\n"
MARKDOWN_URL = "https://example.org/x?no=1)![p](http://127.0.0.1:8799/pixel.png"


def data_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(DATA_DIR, dest, ignore=shutil.ignore_patterns("vintages", "imports", ".*"))
    return dest


# `python -m scenarios ARGS` that writes, at exit, the bytes it read (rchar: every read() call, imports too):
# "refused at once" measured in bytes, not in seconds that depend on the machine's load.
_READ_COUNTED = """
import atexit, runpy, sys

report = sys.argv.pop(1)


def write_read():
    with open("/proc/self/io") as io, open(report, "w") as out:
        out.write(next(line for line in io if line.startswith("rchar")).split()[1])


atexit.register(write_read)
sys.argv[0] = "scenarios"
runpy.run_module("scenarios", run_name="__main__", alter_sys=True)
"""


def refresh(folder: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scenarios", "refresh", "--data-dir", str(folder), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
    return proc.stderr


# ---------------------------------------------------------------- H1: text from data is inert

def test_a_markdown_payload_in_an_address_is_refused_by_the_import_naming_row_and_field(tmp_path):
    folder = data_copy(tmp_path)
    before = (folder / "exports.csv").read_bytes()
    src = write(tmp_path / "h1.csv", HEADER + f'2025,semiconductors,173.4,official,"{MARKDOWN_URL}",\n')
    err = one_line_error(refresh(folder, "--import", src, "--accept-revisions"))
    assert "row 2" in err and "source_url" in err
    assert (folder / "exports.csv").read_bytes() == before


@pytest.mark.parametrize("url", [MARKDOWN_URL, "data:image/png;base64,AAAA", "javascript:alert(1)",
                                 "https://example.org/a b", "https://example.org/[x]", "http://x",
                                 "https://user:pw@example.org/", "https://example.org/" + "a" * 130_000])
def test_a_data_file_with_a_bad_address_does_not_load(tmp_path, url):
    folder = data_copy(tmp_path)
    rows = list(csv.DictReader(open(folder / "exports.csv", encoding="utf-8", newline="")))
    rows[0]["source_url"] = url
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / "exports.csv").write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(BaselineError, match=r"exports\.csv, line 2: source_url"):
        load_dataset(folder)


def test_every_shipped_address_is_a_plain_link():
    for name in ("exports.csv", "macro.csv", "peers.csv", "monthly.csv", "forecasts.csv", "market.csv"):
        for row in csv.DictReader(open(DATA_DIR / name, encoding="utf-8", newline="")):
            assert url_problem(row["source_url"]) is None, (name, row["source_url"])


def test_a_source_name_with_markup_reaches_the_help_as_text():
    from dataclasses import replace

    row = BASE.rows["semiconductors"][2025]
    hostile = replace(row, source="MOTIE ![p](http://127.0.0.1:8799/pixel.png) [click](javascript:x)")
    rows = {**BASE.rows, "semiconductors": {**BASE.rows["semiconductors"], 2025: hostile}}
    text = lever_help(lever("semiconductors"), replace(BASE, rows=rows), 2025, "en")
    assert "![p](" not in text and "](javascript" not in text
    assert f"({row.source_url})" in text  # the one link is the checked address


def test_the_dry_run_shows_a_changed_address(tmp_path):
    folder = data_copy(tmp_path)
    src = write(tmp_path / "url.csv",
                HEADER + "2025,semiconductors,173.4,official,https://example.org/another-release,\n")
    proc = refresh(folder, "--import", src, "--dry-run", "--accept-revisions")
    assert proc.returncode == 0, proc.stderr
    assert "source_url:" in proc.stdout and "https://example.org/another-release" in proc.stdout


# ---------------------------------------------------------------- H2: strict digits and periods

@pytest.mark.parametrize("period", ["٢٠٢٦-05", "２０２６-05", "2026-٠5", "202６-05"])
def test_a_month_in_other_digits_is_refused_not_counted_twice(tmp_path, period):
    folder = data_copy(tmp_path)
    before = (folder / "monthly.csv").read_bytes()
    src = write(tmp_path / "h2.csv", HEADER + f"{period},total,87.5,official,https://example.org/a,\n")
    err = one_line_error(refresh(folder, "--import", src))
    assert "period" in err
    assert (folder / "monthly.csv").read_bytes() == before


@pytest.mark.parametrize("value", ["1e308", "1e15", "9_1.2", "１０", "١٠", "17,5", "inf", "nan", "9999"])
def test_an_implausible_or_unreadable_value_is_refused(tmp_path, value):
    folder = data_copy(tmp_path)
    src = write(tmp_path / "v.csv", HEADER + f'2026-10,total,"{value}",official,https://example.org/a,\n')
    assert "value_usd_bn" in one_line_error(refresh(folder, "--import", src))


@pytest.mark.parametrize(("period", "note"), [("0000", ""), ("1900", ""), ("2026-10", "a\x00b"),
                                              ("2026-10", "\x1b[31mred")])
def test_years_before_the_data_and_control_bytes_are_refused(tmp_path, period, note):
    folder = data_copy(tmp_path)
    series = "semiconductors" if len(period) == 4 else "total"
    src = write(tmp_path / "p.csv", HEADER + f'{period},{series},10,official,https://example.org/a,"{note}"\n')
    one_line_error(refresh(folder, "--import", src))


# ---------------------------------------------------------------- M1: bounded reads

@pytest.mark.parametrize("kind", ["dev_zero", "fifo", "sparse"])
def test_an_unreadable_import_exits_at_once(tmp_path, kind):
    folder = data_copy(tmp_path)
    if kind == "dev_zero":
        path = "/dev/zero"
    elif kind == "fifo":
        path = str(tmp_path / "fifo")
        os.mkfifo(path)
    else:
        path = str(tmp_path / "big.csv")
        with open(path, "wb") as f:
            f.truncate(1 << 30)
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "read"
        proc = subprocess.run([sys.executable, "-c", _READ_COUNTED, str(report), "refresh", "--data-dir", str(folder),
                               "--import", path], cwd=ROOT, capture_output=True, text=True, timeout=30)
        read_mb = int(report.read_text()) / 2**20
    err = one_line_error(proc)
    assert read_mb < 256, f"read {read_mb:.0f} MB"  # refused at once: never the 1 GB file or /dev/zero to the end
    assert "--import" in err


# ---------------------------------------------------------------- M2, M3, M7: one refresh, all or nothing

def _month_rows(n: int, start_month: int = 10) -> str:
    return HEADER + "".join(f"2026-{start_month + i:02d},total,{100 + n + i}.5,official,https://example.org/{n},\n"
                            for i in range(1))


def _log_matches_files(folder: Path) -> bool:
    log = read_log(folder)
    for name in {r["file"] for r in log}:
        last = max((r for r in log if r["file"] == name), key=lambda r: int(r["vintage"]))
        if last.get("sha256") and last["sha256"] != hashlib.sha256((folder / name).read_bytes()).hexdigest():
            return False
    return True


def test_two_refreshes_at_once_never_lose_a_row(tmp_path):
    """40 pairs started together: each refresh either writes its row or is refused; the log says what was written."""
    for pair in range(40):
        folder = data_copy(tmp_path / f"p{pair}")
        a = write(tmp_path / f"a{pair}.csv", HEADER + "2026-10,total,101.5,official,https://example.org/a,\n")
        b = write(tmp_path / f"b{pair}.csv", HEADER + "2026-10,semiconductors,50.5,official,https://example.org/b,\n")
        cmd = [sys.executable, "-m", "scenarios", "refresh", "--data-dir", str(folder), "--import"]
        procs = [subprocess.Popen([*cmd, src], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for src in (a, b)]
        results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        months = load_dataset(folder).monthly
        written = {"total": "2026-10" in {r.period for r in months.rows if r.series == "total"},
                   "semiconductors": "2026-10" in {r.period for r in months.rows if r.series == "semiconductors"}}
        for (code, err), series in zip(results, ("total", "semiconductors"), strict=True):
            if code == 0:
                assert written[series], (pair, series)
            else:
                assert code == 2 and ("running" in err or "lock" in err), err
                assert not written[series]
        log = read_log(folder)
        assert len(log) == sum(written.values()) and _log_matches_files(folder)


def test_a_killed_refresh_leaves_a_folder_that_loads_and_a_log_that_matches(tmp_path):
    """40 kills at random points, each followed by the recovery every refresh starts with."""
    rng = random.Random(7)
    for n in range(40):
        folder = data_copy(tmp_path / f"k{n}")
        src = write(tmp_path / f"k{n}.csv", HEADER + "2026-10,total,101.5,official,https://example.org/a,\n"
                    "2025,semiconductors,173.5,official,https://example.org/b,\n")
        proc = subprocess.Popen([sys.executable, "-m", "scenarios", "refresh", "--data-dir", str(folder), "--import",
                                 src, "--accept-revisions"], cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert refresh(folder, "--recover").returncode == 0
        load_dataset(folder)  # loads
        assert _log_matches_files(folder), n
        assert not list(folder.glob(".*.tmp")) and not list((folder / "vintages").glob(".*.tmp")) if (
            folder / "vintages").exists() else True
        # and the next refresh works, keeping every earlier vintage
        ok = refresh(folder, "--import", write(tmp_path / f"n{n}.csv", HEADER +
                                               "2026-10,total,101.6,official,https://example.org/c,\n"),
                     "--accept-revisions")
        assert ok.returncode == 0, ok.stderr
        assert _log_matches_files(folder)


def test_a_symlink_in_the_vintages_is_never_written_through(tmp_path):
    folder = data_copy(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    (folder / "vintages").mkdir()
    (folder / "vintages" / "monthly.csv.1").symlink_to(outside)
    src = write(tmp_path / "s.csv", HEADER + "2026-10,total,101.5,official,https://example.org/a,\n")
    err = one_line_error(refresh(folder, "--import", src))
    assert "symbolic link" in err
    assert outside.read_text(encoding="utf-8") == "keep me"


def test_pruning_deletes_nothing_outside_the_vintages(tmp_path):
    folder = data_copy(tmp_path)
    outside = tmp_path / "outside.csv"
    outside.write_text("keep me", encoding="utf-8")
    (folder / "vintages").mkdir()
    for n in range(1, 12):
        link = folder / "vintages" / f"exports.csv.{n + 100}"
        link.symlink_to(outside)
    src = write(tmp_path / "x.csv", HEADER + "2026-10,total,101.5,official,https://example.org/a,\n")
    assert refresh(folder, "--import", src).returncode == 0
    assert outside.exists()


# ---------------------------------------------------------------- app inputs: refused, never guessed

def test_a_scenario_file_out_of_range_says_it_was_clamped_and_opened():
    from tests.test_hostile import upload

    at = open_app(tab="share")
    data = json.dumps({"app": "big10-export-explorer", "v": 1, "name": "Big",
                       "params": {"preset": "pledge", "semiconductors": "99"}, "overrides": []}).encode()
    upload(at, "upload_json", "big.json", data)
    assert not at.exception
    assert at.slider(key="semiconductors").value == 40.0
    assert any("99" in w.value and "40" in w.value for w in at.warning)
    assert any("Big" in s.value for s in at.success)


def test_a_scenario_file_with_a_byte_order_mark_opens():
    text = json.dumps({"app": "big10-export-explorer", "v": 1, "name": "Bom", "params": {"preset": "trend"}})
    data = b"\xef\xbb\xbf" + text.encode()
    scenario, name, _, _ = scenario_and_overrides_from_json(data, baseline_of(load_dataset()))
    assert name == "Bom" and scenario.preset == "trend"


@pytest.mark.parametrize("raw", ["１０", "١٠", "1_0"])
def test_a_link_with_other_digits_is_not_read_as_a_number(raw):
    at = open_app({"semiconductors": raw})
    assert not at.exception
    assert at.slider(key="semiconductors").value != 10.0
    assert any("Semiconductors" in w.value for w in at.warning)


@pytest.mark.parametrize("typed", ["17,5", "1.234,5", "-5", "１０", "1_0"])
def test_the_own_figures_editor_refuses_what_it_cannot_read(typed):
    from scenarios.data.overrides import OverrideError, check_value

    with pytest.raises(OverrideError):
        check_value("semiconductors", 2025, typed, "row 1")


def test_the_own_figures_editor_takes_text_so_the_browser_never_reads_the_number():
    at = open_app({"base": "2025"}, tab="share")
    assert not at.exception
    editor = at.dataframe[0]  # the editor (AppTest shows a data editor as a dataframe)
    assert editor.value["value"].map(lambda v: isinstance(v, str)).all()
    assert editor.value["value"].str.len().gt(0).any()


def test_the_own_figures_editor_explains_the_nowcast_base_year():
    at = open_app(tab="share", timeline={})
    assert any("year in progress" in i.value for i in at.info)


def test_after_a_refresh_a_slider_move_moves_the_whole_page_to_the_new_data(tmp_path, monkeypatch):
    """M4: the top of the page and the verdict never show two data versions."""
    from scenarios.data.baseline import DATA_DIR_ENV
    from tests.test_dataset import _copy_with_latest_month_scaled

    folder, _ = _copy_with_latest_month_scaled(tmp_path, 1.0)
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    at = open_app(timeline={})
    ytd_before = at.metric[0].value
    src = write(tmp_path / "oct.csv", HEADER + "2026-10,total,101.5,official,https://example.org/a,\n")
    assert refresh(folder, "--import", src).returncode == 0
    at.slider(key="semiconductors").set_value(9.0).run()
    assert not at.exception
    assert at.metric[0].value != ytd_before  # the year so far now includes October: the top moved too
    assert any(i.value for i in at.info if "Newer data" in i.value)


# ---------------------------------------------------------------- ECOS: bounded, and its text made inert

class _Answer:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def read(self, n: int = -1) -> bytes:
        return self.body if n < 0 else self.body[:n]

    def __enter__(self) -> _Answer:
        return self

    def __exit__(self, *args: object) -> None:
        return None


def _client(answers, **kwargs):
    from scenarios.data.ecos import EcosClient

    calls = iter(answers)
    return EcosClient("KEY", opener=lambda url, timeout: next(calls), sleep=lambda s: None, **kwargs)


def test_ecos_has_one_overall_deadline():
    from scenarios.data.ecos import KRW_USD, EcosError

    clock = iter([0.0, 1000.0, 1000.0, 1000.0])
    client = _client([], deadline=10.0, clock=lambda: next(clock))
    with pytest.raises(EcosError, match="deadline"):
        client.search(KRW_USD, "20260101", "20260131")


def test_ecos_refuses_an_answer_larger_than_its_cap():
    from scenarios.data.ecos import KRW_USD, EcosError

    client = _client([_Answer(b"{" + b" " * 5000 + b"}")], max_bytes=1000)
    with pytest.raises(EcosError, match="larger than"):
        client.search(KRW_USD, "20260101", "20260131")


def test_ecos_stops_after_its_page_cap():
    from scenarios.data.ecos import KRW_USD, EcosError

    page = json.dumps({"StatisticSearch": {"list_total_count": 10_000_000, "row": [
        {"STAT_CODE": "731Y001", "TIME": "20260102", "DATA_VALUE": "1450.1", "UNIT_NAME": "원"}]}}).encode()
    client = _client([_Answer(page)] * 10, max_pages=3, page_size=1)
    with pytest.raises(EcosError, match="more than 3 pages"):
        client.search(KRW_USD, "20260101", "20260131")


def test_ecos_server_text_reaches_the_terminal_without_control_characters():
    from scenarios.data.ecos import KRW_USD, EcosError

    answer = json.dumps({"RESULT": {"CODE": "ERROR-100", "MESSAGE": "bad \x1b[31mkey\x1b[0m\x07"}}).encode()
    with pytest.raises(EcosError) as caught:
        _client([_Answer(answer)]).search(KRW_USD, "20260101", "20260131")
    assert "\x1b" not in str(caught.value) and "\x07" not in str(caught.value) and "ERROR-100" in str(caught.value)


def test_a_full_month_of_total_exports_near_zero_is_refused(tmp_path):
    folder = data_copy(tmp_path)
    src = write(tmp_path / "z.csv", HEADER + "2026-10,total,0,official,https://example.org/a,\n")
    assert "value_usd_bn" in one_line_error(refresh(folder, "--import", src))


def test_saving_under_a_name_that_exists_says_it_replaced_it():
    at = open_app(tab="share")
    at.text_input(key="save_name").set_value("Mine").run()
    at.button(key="save_button").click().run()
    at.slider(key="semiconductors").set_value(20.0).run()
    at.button(key="save_button").click().run()
    assert not at.exception
    assert any("Mine" in w.value and "replace" in w.value for w in at.warning)
