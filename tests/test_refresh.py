"""`python -m scenarios refresh`: new months in, what changed shown, nothing lost, the app picks them up.

Every test works on a copy of data/ in tmp_path; the real data/ is never written. `data_copy` is the folder as
shipped (with its data/vintages/ and data/imports/); `fresh_copy` is the folder as a first refresh finds it (the
data files alone, so the shipped monthly.csv is vintage 1 and the log is empty). The shipped data end in
September 2026: the made-up new month of tests/fixtures/refresh/ is October 2026, and "today" is 2026-12-06.
ECOS is replayed from recorded (synthetic) answers in tests/fixtures/ecos/ by a fake opener.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import urllib.parse
from pathlib import Path

import pytest

from scenarios.cli import refresh as refresh_cli
from scenarios.data import ecos, refresh
from scenarios.data.baseline import DATA_DIR
from scenarios.data.dataset import load_dataset
from scenarios.data.monthly import load_monthly
from scenarios.data.vintages import read_log, vintage_of
from scenarios.words import refresh_report

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TODAY = datetime.date(2026, 12, 6)
NOW = datetime.datetime(2026, 12, 6, 9, 0, tzinfo=datetime.UTC)
KEY = "TESTKEY0123456789"


def tree_hash(folder: Path) -> dict[str, str]:
    """Every file under a folder (recursively) and its SHA-256, but the refresh lock.

    The lock (data/.refresh.lock, empty) is made by the first refresh and stays; any other file, hidden or
    not (a temporary file, a journal), counts.
    """
    lock = folder / refresh.LOCK_FILE
    assert not lock.exists() or lock.stat().st_size == 0
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p != lock}


@pytest.fixture
def fresh_copy(tmp_path: Path) -> Path:
    """A copy of data/ that no refresh has written yet: without data/vintages/ and data/imports/."""
    dest = tmp_path / "fresh"
    shutil.copytree(DATA_DIR, dest, ignore=shutil.ignore_patterns("vintages", "imports"))
    return dest


@pytest.fixture
def ecos_copy(fresh_copy: Path) -> Path:
    """A fresh copy without market.csv: ECOS writes it new (from 2024-01), as before the file shipped."""
    (fresh_copy / ecos.MARKET_FILE).unlink()
    return fresh_copy


def run(capsys, data_dir: Path, *args: str, **kwargs) -> tuple[int, str, str]:
    code = refresh_cli.main([*args, "--data-dir", str(data_dir)], today=TODAY, now=NOW, **kwargs)
    out = capsys.readouterr()
    return code, out.out, out.err


def fixture(name: str) -> str:
    return str(FIXTURES / "refresh" / name)


# ---------------------------------------------------------------------------- a good import


def test_dry_run_shows_the_new_month_and_the_nowcast_change_and_writes_nothing(capsys, data_copy):
    before = tree_hash(data_copy)
    code, out, err = run(capsys, data_copy, "--import", fixture("good_october.csv"), "--dry-run")
    assert code == 0, err
    assert "monthly.csv: total 2026-10 = USD 90.8 bn (secondary)" in out
    assert "Latest month of exports: Sep 2026 -> Oct 2026" in out
    nowcast = re.search(r"2026 nowcast \(p50\): USD ([\d,.]+) bn -> USD ([\d,.]+) bn", out)
    assert nowcast and nowcast[1] != nowcast[2]
    assert "Chance that 2026 itself reaches USD 1 trn:" in out and "Year USD 1 trn is reached" in out
    assert "Dry run: nothing written." in out
    assert tree_hash(data_copy) == before


def test_import_adds_the_month_keeps_the_previous_file_and_changes_only_that_line(capsys, fresh_copy):
    data_copy = fresh_copy
    original = (data_copy / "monthly.csv").read_bytes()
    others = {k: v for k, v in tree_hash(data_copy).items() if k != "monthly.csv"}
    code, out, err = run(capsys, data_copy, "--import", fixture("good_october.csv"))
    assert code == 0, err
    assert "Written: monthly.csv (the previous file is kept as vintages/monthly.csv.1)." in out
    monthly = load_monthly(data_copy, TODAY)
    assert monthly.latest_month() == "2026-10"
    october = monthly.full_months()[2026 * 12 + 9]
    assert (october.value, october.quality, october.coverage) == (90.8, "secondary", "month")
    assert october.source == "Entered by hand from example.com (good_october.csv, 2026-12-06)"
    assert (data_copy / "vintages" / "monthly.csv.1").read_bytes() == original
    old, new = original.decode().splitlines(), (data_copy / "monthly.csv").read_text().splitlines()
    september = next(i for i, line in enumerate(new) if line.startswith("2026-09,total,"))
    assert [line for line in new if line not in old] == [new[september + 1]]  # right after the last full month
    assert new[september + 1].startswith("2026-10,total,90.8,usd_bn,month,secondary,")
    assert len(new) == len(old) + 1
    assert {k: v for k, v in tree_hash(data_copy).items() if k in others} == others
    log = read_log(data_copy)
    assert [(r["file"], r["vintage"], r["kept"], r["new"], r["revised"]) for r in log] == [
        ("monthly.csv", "2", "monthly.csv.1", "1", "0")]
    assert log[0]["sha256"] == hashlib.sha256((data_copy / "monthly.csv").read_bytes()).hexdigest()


def test_the_command_line_json_reads_the_new_month_from_big10_data_dir(capsys, data_copy):
    assert run(capsys, data_copy, "--import", fixture("good_october.csv"))[0] == 0
    env = {**os.environ, "BIG10_DATA_DIR": str(data_copy)}
    proc = subprocess.run([sys.executable, "-m", "scenarios", "--json"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    tracker = json.loads(proc.stdout)["tracker"]
    assert tracker["latest_month"] == "2026-10"
    assert tracker["months"][-1] == {"month": "2026-10", "value_usd_bn": 90.8, "quality": "secondary"}


def test_refresh_through_the_main_command_line(data_copy):
    proc = subprocess.run([sys.executable, "-m", "scenarios", "refresh", "--import", fixture("good_october.csv"),
                           "--data-dir", str(data_copy), "--dry-run", "--lang", "ko"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "수출의 최근 월: 2026년 9월 -> 2026년 10월" in proc.stdout
    assert "시험 실행: 아무것도 쓰지 않았습니다." in proc.stdout


# ---------------------------------------------------------------------------- bad files leave data/ alone


@pytest.mark.parametrize(("name", "row", "field", "words"), [
    ("duplicate.csv", 3, "period", "duplicates row 2"),
    ("unknown_series.csv", 2, "series", "'chips' is not one of total, total_motir, semiconductors"),
    ("negative.csv", 2, "value_usd_bn", "-90.8 is negative"),
    ("future_month.csv", 2, "period", "2099-01 is after today (2026-12-06)"),
    ("bad_url.csv", 2, "source_url",
     "'www.example.com/test-fixture/october-2026' is not a well-formed web address (http:// or https://): "
     "not an http(s) address with a host"),
])
def test_each_bad_file_exits_2_with_one_line_and_leaves_the_data_unchanged(capsys, data_copy, name, row, field,
                                                                            words):
    before = tree_hash(data_copy)
    code, out, err = run(capsys, data_copy, "--import", fixture(name))
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert f"{name}, row {row}, field {field}: " in err and words in err
    assert out == ""
    assert tree_hash(data_copy) == before


def test_a_month_that_would_leave_a_gap_is_refused_naming_the_import_row(capsys, data_copy):
    before = tree_hash(data_copy)
    code, _, err = run(capsys, data_copy, "--import", fixture("gap.csv"))
    assert code == 2 and err.count("\n") == 1
    assert "gap.csv, row 2 -> monthly.csv, row 443: period '2026-11' leaves a gap" in err
    assert tree_hash(data_copy) == before


@pytest.mark.parametrize(("text", "words"), [
    ("period,series,value_usd_bn,quality,source_url\n2026,total,900,official,https://example.com/a\n",
     "field period: the year 2026 is not over"),
    ("period,series,value_usd_bn,quality,source_url\n2025,future_mobility,90,official,https://example.com/a\n",
     "field series: 'future_mobility' is automobiles + auto_parts in exports.csv"),
    ("period,series,value_usd_bn,quality,source_url\n2026-10,total,90,proxy,https://example.com/a\n",
     "field quality: 'proxy' is not one of official, preliminary, transcribed, secondary, derived"),
    ("period,series,value_usd_bn,quality,source_url\n2026-10,total,90,derived,https://example.com/a\n",
     "field note: a derived value needs its computation stated in note"),
    ("period,series,value,quality,source_url\n2026-10,total,90,secondary,https://example.com/a\n",
     "row 1, field value_usd_bn: missing column(s) value_usd_bn"),
    ("period,series,value_usd_bn,quality,source_url,comment\n2026-10,total,90,secondary,https://example.com/a,x\n",
     "row 1, field comment: unknown column(s) comment"),
    ("period,series,value_usd_bn,quality,source_url\n2026-12,total,90,secondary,https://example.com/a\n",
     "field period: 2026-12 with coverage 'month' is not over on 2026-12-06"),
    ("period,series,value_usd_bn,quality,source_url\n", "row 2, field -: no data rows"),
])
def test_more_bad_rows(capsys, data_copy, tmp_path, text, words):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    before = tree_hash(data_copy)
    code, _, err = run(capsys, data_copy, "--import", str(path))
    assert code == 2 and err.count("\n") == 1 and words in err, err
    assert tree_hash(data_copy) == before


def test_no_source_unreadable_file_and_bad_data_dir(capsys, data_copy, tmp_path):
    assert run(capsys, data_copy)[2] == "error: nothing to refresh from: give --import FILE.csv or --ecos\n"
    code, _, err = run(capsys, data_copy, "--import", str(tmp_path / "missing.csv"))
    assert code == 2 and "missing.csv: cannot read the file" in err
    code, _, err = run(capsys, tmp_path, "--import", fixture("good_october.csv"))
    assert code == 2 and "is not a data folder" in err


def test_refresh_errors_speak_korean_with_lang_ko(capsys, data_copy):
    """The refresh command's own errors and argparse's errors are in the reader's language, on one line."""
    code, _, err = run(capsys, data_copy, "--lang", "ko")
    assert code == 2 and err == "오류: 갱신할 출처가 없습니다. --import FILE.csv 또는 --ecos를 지정하세요\n"
    with pytest.raises(SystemExit) as exit_info:
        refresh_cli.main(["--lang", "ko", "--since"], today=TODAY, now=NOW)
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and err.startswith("오류: ") and err.count("\n") == 1 and "error" not in err


# ---------------------------------------------------------------------------- revisions


def test_a_revision_is_shown_and_refused_without_accept_revisions(capsys, data_copy):
    before = tree_hash(data_copy)
    code, out, err = run(capsys, data_copy, "--import", fixture("revision.csv"))
    assert code == 2 and err.count("\n") == 1
    assert "monthly.csv: total 2026-05: USD 87.576 bn (transcribed) -> USD 88.10 bn (official)" in out
    assert "1 revision(s) of figures already in data/" in err and "--accept-revisions" in err
    assert tree_hash(data_copy) == before


def test_a_revision_with_accept_revisions_is_applied_and_the_old_file_kept(capsys, fresh_copy):
    data_copy = fresh_copy
    original = (data_copy / "monthly.csv").read_bytes()
    code, _, err = run(capsys, data_copy, "--import", fixture("revision.csv"), "--accept-revisions")
    assert code == 0, err
    may = load_monthly(data_copy, TODAY).full_months()[2026 * 12 + 4]
    assert (may.value, may.quality) == (88.1, "official")
    assert (data_copy / "vintages" / "monthly.csv.1").read_bytes() == original
    assert len((data_copy / "monthly.csv").read_bytes().splitlines()) == len(original.splitlines())
    # a second refresh keeps the first one's file as vintage 2
    assert run(capsys, data_copy, "--import", fixture("good_october.csv"))[0] == 0
    assert sorted(p.name for p in (data_copy / "vintages").iterdir()) == ["log.csv", "monthly.csv.1",
                                                                          "monthly.csv.2"]
    assert vintage_of("monthly.csv", data_copy).number == 3


def test_importing_the_same_file_twice_changes_nothing_the_second_time(capsys, data_copy):
    assert run(capsys, data_copy, "--import", fixture("good_october.csv"))[0] == 0
    before = tree_hash(data_copy)
    code, out, _ = run(capsys, data_copy, "--import", fixture("good_october.csv"))
    assert code == 0 and "Nothing new" in out
    assert tree_hash(data_copy) == before


def test_only_the_newest_vintages_are_kept(fresh_copy):
    data_copy = fresh_copy
    for i in range(refresh.KEEP_VINTAGES + 3):
        row = {"period": "2026-05", "series": "total", "value": f"{87 + i / 100:.2f}", "unit": "usd_bn",
               "coverage": "month", "quality": "secondary", "source": "test", "source_url": "https://example.com/",
               "method": ""}
        refresh_report.refresh(data_copy, [refresh.Proposed("monthly.csv", row, "test")], today=TODAY, now=NOW,
                        accept_revisions=True, out=lambda _: None)
    kept = sorted(int(p.suffix[1:]) for p in (data_copy / "vintages").glob("monthly.csv.*"))
    assert kept == list(range(4, 4 + refresh.KEEP_VINTAGES))
    assert vintage_of("monthly.csv", data_copy).number == refresh.KEEP_VINTAGES + 4


def test_an_annual_row_goes_to_exports_csv_with_the_basis_of_its_lever(capsys, data_copy, tmp_path):
    path = tmp_path / "annual.csv"
    path.write_text("period,series,value_usd_bn,quality,source_url,note,source\n"
                    "2025,content,13.0,estimate,https://example.com/test,test fixture: carried,Test release\n",
                    encoding="utf-8")
    code, out, err = run(capsys, data_copy, "--import", str(path), "--accept-revisions")
    assert code == 0, err
    assert "exports.csv: content 2025" in out
    row = next(r for r in refresh.read_table(data_copy / "exports.csv", refresh.SCHEMAS["exports.csv"]).rows
               if r["series"] == "content" and r["year"] == "2025")
    assert (row["basis"], row["quality"], row["source"], row["method"]) == ("services", "estimate", "Test release",
                                                                           "test fixture: carried")


# ---------------------------------------------------------------------------- ECOS


class Recorded:
    """A fake urlopen: answers from tests/fixtures/ecos by statistic code, paged like ECOS; records every call."""

    def __init__(self, answers: dict[str, list[str]]):
        self.answers = {code: list(files) for code, files in answers.items()}
        self.calls: list[str] = []
        self.timeouts: list[float] = []

    def __call__(self, url: str, timeout: float):
        self.calls.append(url)
        self.timeouts.append(timeout)
        parts = urllib.parse.urlsplit(url).path.split("/")
        i = parts.index("StatisticSearch")
        first, last, code = int(parts[i + 4]), int(parts[i + 5]), parts[i + 6]
        queue = self.answers[code]
        name = queue.pop(0) if len(queue) > 1 else queue[0]
        if name == "timeout":
            raise TimeoutError("timed out")
        answer = json.loads((FIXTURES / "ecos" / name).read_text(encoding="utf-8"))
        if "StatisticSearch" in answer:
            rows = answer["StatisticSearch"]["row"]
            answer["StatisticSearch"] = {"list_total_count": len(rows), "row": rows[first - 1:last]}
        return io.BytesIO(json.dumps(answer, ensure_ascii=False).encode("utf-8"))


OK = {"731Y001": ["731Y001.json"], "802Y001": ["802Y001.json"], "901Y118": ["901Y118.json"]}


@pytest.fixture
def ecos_key(monkeypatch):
    monkeypatch.setenv(ecos.KEY_ENV, KEY)


def test_ecos_fills_market_csv_and_the_new_export_month(capsys, ecos_copy, ecos_key):
    data_copy = ecos_copy
    opener = Recorded(OK)
    code, out, err = run(capsys, data_copy, "--ecos", opener=opener, sleep=lambda s: None)
    assert code == 0, err
    assert KEY not in out + err
    assert all(t == ecos.TIMEOUT_S for t in opener.timeouts)
    assert "/731Y001/D/20240101/20261130/0000001" in opener.calls[1]  # market.csv is new: from 2024-01
    assert "/901Y118/M/202610/202611/T002" in opener.calls[0]  # exports: the month after the latest
    market = ecos.load_market(data_copy, TODAY)
    daily = json.loads((FIXTURES / "ecos" / "731Y001.json").read_text(encoding="utf-8"))["StatisticSearch"]["row"]
    means = {f"2026-{m}": [float(r["DATA_VALUE"]) for r in daily if r["TIME"].startswith(f"2026{m}")]
             for m in ("09", "10")}
    assert market.series("krw_per_usd_avg_m") == {k: pytest.approx(sum(v) / len(v), abs=0.005)
                                                  for k, v in means.items()}
    kospi = json.loads((FIXTURES / "ecos" / "802Y001.json").read_text(encoding="utf-8"))["StatisticSearch"]["row"]
    assert market.series("kospi_close_m")["2026-10"] == float(kospi[-1]["DATA_VALUE"])
    october = load_monthly(data_copy, TODAY).full_months()[2026 * 12 + 9]
    assert (october.value, october.quality) == (90.512, "official")
    assert "Written: market.csv (a new file)." in out
    assert {r["file"]: r["kept"] for r in read_log(data_copy)} == {"monthly.csv": "monthly.csv.1",
                                                                           "market.csv": ""}
    # asked again, ECOS gives the same figures: nothing to write
    before = tree_hash(data_copy)
    code, out, _ = run(capsys, data_copy, "--ecos", "--since", "2026-10", opener=Recorded(OK))
    assert code == 0 and "Nothing new" in out
    assert tree_hash(data_copy) == before


def test_market_series_are_documented_on_the_methodology_page(capsys, ecos_copy, ecos_key):
    data_copy = ecos_copy
    from scenarios.words.describe import data_series_table

    assert run(capsys, data_copy, "--ecos", opener=Recorded(OK))[0] == 0
    table = data_series_table("en", data_copy)
    rows = table[table.iloc[:, 1] == "market.csv"]
    assert {cell.rsplit("(", 1)[1].rstrip(")") for cell in rows.iloc[:, 0]} == {"krw_per_usd_avg_m", "kospi_close_m"}
    assert all("ECOS" in caveat for caveat in rows.iloc[:, 4])


def test_ecos_error_answer_exits_2_at_once_without_the_key(capsys, data_copy, ecos_key):
    before = tree_hash(data_copy)
    opener = Recorded({**OK, "901Y118": ["info_100.json"]})
    code, _, err = run(capsys, data_copy, "--ecos", opener=opener, sleep=lambda s: None)
    assert code == 2 and err.count("\n") == 1
    assert "ECOS 901Y118/M/T002" in err and "INFO-100" in err and KEY not in err
    assert len(opener.calls) == 1  # not retried
    assert tree_hash(data_copy) == before


def test_ecos_timeout_is_retried_with_backoff_then_exits_2_cleanly(capsys, data_copy, ecos_key):
    before = tree_hash(data_copy)
    waits: list[float] = []
    opener = Recorded({**OK, "901Y118": ["timeout"]})
    code, _, err = run(capsys, data_copy, "--ecos", opener=opener, sleep=waits.append)
    assert code == 2 and err.count("\n") == 1
    assert f"no answer after {ecos.RETRIES} attempt(s): timed out" in err and KEY not in err
    assert len(opener.calls) == ecos.RETRIES
    assert waits == [ecos.BACKOFF_S * 2 ** k for k in range(ecos.RETRIES - 1)]
    assert tree_hash(data_copy) == before


def test_ecos_rate_limit_is_retried_and_no_data_is_an_empty_answer(capsys, ecos_copy, ecos_key):
    data_copy = ecos_copy
    waits: list[float] = []
    opener = Recorded({"901Y118": ["info_200.json"], "731Y001": ["error_602.json", "731Y001.json"],
                       "802Y001": ["timeout", "802Y001.json"]})
    code, _, err = run(capsys, data_copy, "--ecos", opener=opener, sleep=waits.append)
    assert code == 0, err
    assert waits == [ecos.BACKOFF_S, ecos.BACKOFF_S]
    assert load_monthly(data_copy, TODAY).latest_month() == "2026-09"  # INFO-200: no new export month
    assert ecos.load_market(data_copy, TODAY).latest() == "2026-10"


def test_ecos_needs_its_key(capsys, data_copy, monkeypatch):
    monkeypatch.delenv(ecos.KEY_ENV, raising=False)
    code, _, err = run(capsys, data_copy, "--ecos", opener=Recorded(OK))
    assert code == 2 and "ECOS_API_KEY" in err


def test_ecos_client_pages_through_long_answers():
    opener = Recorded(OK)
    client = ecos.EcosClient(KEY, opener=opener, page_size=10, sleep=lambda s: None)
    obs = client.search(ecos.KRW_USD, "20260901", "20261031")
    assert len(obs) == 44 and len(opener.calls) == 5
    assert obs[0] == ecos.Observation("20260901", 1400.0, "원")
    assert "/StatisticSearch/" + KEY + "/json/kr/11/20/731Y001/D/20260901/20261031/0000001" in opener.calls[1]


def test_a_partial_month_of_daily_figures_is_left_out():
    days = [ecos.Observation(f"202609{d:02d}", 1400.0, "원") for d in (1, 2, 3)]
    days += [ecos.Observation(f"202610{d:02d}", 1410.0, "원") for d in (1, 30)]
    rows = ecos.monthly_fx_rows(days, TODAY)
    assert [r["period"] for r in rows] == ["2026-10"]


def test_market_csv_is_validated_like_the_other_files(data_copy):
    path = data_copy / "market.csv"
    path.write_text("period,series,value,unit,quality,source,source_url,method\n"
                    "2026-09,kospi_close_m,4100,index,official,KRX,https://ecos.bok.or.kr/,\n"
                    "2026-12,kospi_close_m,4200,index,official,KRX,https://ecos.bok.or.kr/,\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"market.csv, row 3: period '2026-12' is not over on 2026-12-06"):
        ecos.load_market(data_copy, TODAY)
    path.write_text(path.read_text().replace("2026-12", "2026-07"), encoding="utf-8")
    with pytest.raises(Exception, match=r"market.csv, row 2: period '2026-09' leaves a gap"):
        ecos.load_market(data_copy, TODAY)


# ---------------------------------------------------------------------------- the app picks up new data


def test_the_data_stamp_changes_on_refresh_and_a_dataset_loaded_again_has_the_new_month(capsys, data_copy):
    stamp = refresh.data_stamp(data_copy)
    assert [name for name, *_ in stamp] == sorted(p.name for p in data_copy.iterdir()
                                                  if p.is_file() and not p.name.startswith("."))  # not the lock
    before = load_dataset(data_copy, TODAY)
    assert before.monthly.latest_month() == "2026-09"
    assert refresh.data_stamp(data_copy) == stamp  # nothing written: the same stamp, the same data
    assert load_dataset(data_copy, TODAY).version == before.version
    assert run(capsys, data_copy, "--import", fixture("good_october.csv"))[0] == 0
    new = refresh.data_stamp(data_copy)
    assert new != stamp and "vintages" not in {name for name, *_ in new}
    after = load_dataset(data_copy, TODAY)
    assert after.version != before.version and after.monthly.latest_month() == "2026-10"
    assert before.monthly.latest_month() == "2026-09"  # a Dataset is a value: the one loaded before stays as it was


def test_last_refresh_and_data_as_of(capsys, fresh_copy):
    data_copy = fresh_copy
    assert refresh_report.last_refresh(data_copy, TODAY) is None
    assert "monthly.csv as shipped" in refresh_report.as_of(load_dataset(data_copy, TODAY))
    assert run(capsys, data_copy, "--import", fixture("good_october.csv"))[0] == 0
    last = refresh_report.last_refresh(data_copy, TODAY)
    assert last.origin == "good_october.csv" and last.written_at == "2026-12-06 09:00 UTC"
    assert [(c.kind, c.key) for c in last.changes] == [("new", ("2026-10", "total", "month"))]
    assert (last.before.latest_month, last.after.latest_month) == ("2026-09", "2026-10")
    assert last.before.p50 != last.after.p50
    text = refresh_report.as_of(load_dataset(data_copy, TODAY))
    assert "Monthly exports through Oct 2026" in text and "monthly.csv vintage 2, written 2026-12-06 09:00 UTC" in text
    short = refresh_report.as_of(load_dataset(data_copy), short=True)
    assert short == "Data as of 2026-12-06 (monthly.csv, vintage 2)."


APP_SCRIPT = textwrap.dedent("""
    import datetime, sys
    sys.path.insert(0, {root!r})
    from streamlit.testing.v1 import AppTest
    from scenarios.cli import refresh

    def captions(at):
        return " ".join(c.value for c in at.caption)

    at = AppTest.from_file({app!r}, default_timeout=120).run()
    assert not at.exception, at.exception
    before = captions(at)
    code = refresh.main(["--import", {fixture!r}, "--data-dir", {data!r}])
    at.run()
    assert not at.exception, at.exception
    after = captions(at)
    notices = [i.value for i in at.info]

    def page():
        from ui.common import init_state
        from ui.data_page import render
        init_state()
        render()

    data = AppTest.from_function(page, default_timeout=120).run()
    assert not data.exception, data.exception
    markdown = " ".join(m.value for m in data.markdown)
    import json
    print(json.dumps({{"code": code, "before": before, "after": after, "notices": notices, "data": markdown,
                      "tabs": [t.label for t in data.tabs]}}))
""")


def test_a_running_app_shows_the_new_month_after_a_refresh_without_a_restart(fresh_copy, tmp_path):
    data_copy = fresh_copy
    # A process of its own, the app reading the copy named by BIG10_DATA_DIR.
    script = tmp_path / "app_after_refresh.py"
    script.write_text(APP_SCRIPT.format(root=str(ROOT), app=str(ROOT / "app.py"), fixture=fixture("good_october.csv"),
                                        data=str(data_copy)), encoding="utf-8")
    env = {**os.environ, "BIG10_DATA_DIR": str(data_copy)}
    proc = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["code"] == 0
    assert "data through September 2026," in result["before"] and "monthly.csv, vintage 1" in result["before"]
    assert "data through October 2026," in result["after"] and "monthly.csv, vintage 2" in result["after"]
    assert any("Newer data arrived" in n for n in result["notices"])
    assert "Monthly exports through Oct 2026" in result["data"]
    assert "total 2026\\-10 = USD 90\\.8 bn" in result["data"]  # the latest refresh, escaped for Markdown
    assert "Monthly exports" in result["tabs"]


# ---------------------------------------------------------------------------- docs


def test_every_refresh_option_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command_line = re.search(r"^## Command line\n(.*?)(?=^## )", readme, flags=re.S | re.M).group(1)
    options = [o for a in refresh_cli.build_parser()._actions for o in a.option_strings if o.startswith("--")
               and o != "--help"]
    assert [o for o in options if not re.search(rf"{re.escape(o)}(?![\w-])", command_line)] == []
    data = re.search(r"^## Data\n(.*?)(?=^## )", readme, flags=re.S | re.M).group(1)
    assert "refresh --import" in data and "refresh --ecos" in data and "ECOS_API_KEY" in data
    assert "BIG10_DATA_DIR" in (ROOT / "docs" / "HOSTING.md").read_text(encoding="utf-8")
