"""Today's answer, dated and true: the data to September 2026, freshness, the crossing, targets already met."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scenarios.data.freshness import FULL_MONTH, Release, freshness, release_date, releases_between
from scenarios.data.monthly import MINISTRY_TOTAL
from scenarios.model.crossing import ACTUAL, NOWCAST, crossing_of
from scenarios.model.present import present_of
from scenarios.registry.i18n import t
from tests.shipped import DATA, MONTHLY, PRESENT
from ui.state import TODAY_ENV

ROOT = Path(__file__).resolve().parent.parent
TODAY = datetime.date(2026, 12, 6)
# The second pass of the reference figures (transcriptions of the official releases, see data/SOURCES.md):
# the customs service's months of 2026 and the ministry's first releases, USD bn.
CUSTOMS_2026 = {"2026-01": 65.844, "2026-02": 67.643, "2026-03": 87.333, "2026-04": 85.752, "2026-05": 87.576,
                "2026-06": 101.956, "2026-07": 98.959, "2026-08": 98.282, "2026-09": 120.944}
MINISTRY_2026 = {"2026-06": 102.25, "2026-07": 98.89, "2026-09": 120.94}
MINISTRY_JAN_SEP = 814.5


def quote_text(at: AppTest) -> str:
    """The first screen's dated quote, as the page hands it to its copy box (ui/copy_box.py)."""
    box = next(e for e in at.main if getattr(e, "type", None) == "bidi_component"
               and e.proto.component_name == "big10_copy_box")
    return json.loads(box.proto.json)["text"]


def cli(*args: str) -> dict:
    proc = subprocess.run([sys.executable, "-m", "scenarios", "--json", "--today", TODAY.isoformat(), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def default_json() -> dict:
    return cli("--paths", "2000")


def test_the_data_run_to_september_2026_and_agree_with_the_releases(default_json):
    tracker = default_json["tracker"]
    assert tracker["latest_month"] >= "2026-09"
    months = {m["month"]: m["value_usd_bn"] for m in tracker["months"]}
    jan_sep = sum(v for p, v in months.items() if "2026-01" <= p <= "2026-09")
    assert jan_sep == pytest.approx(MINISTRY_JAN_SEP, rel=0.005)
    for period, value in CUSTOMS_2026.items():
        assert months[period] == pytest.approx(value, rel=0.01), period
    ministry = {m["month"]: m["value_usd_bn"] for m in tracker["series"][MINISTRY_TOTAL]["months"]}
    for period, value in MINISTRY_2026.items():
        assert ministry[period] == pytest.approx(value, rel=0.01), period


def test_the_2026_nowcast_and_the_crossing(default_json):
    cast = default_json["tracker"]["nowcast"]
    assert 1060 <= cast["p50"] <= 1200
    assert cast["p10"] >= 960
    assert default_json["tracker"]["chance_of_1t_in_year"] >= 0.9
    crossing = default_json["crossing"]
    assert crossing["year"] == 2026 and crossing["basis"] == NOWCAST
    assert crossing["month_p50"] in ("2026-11", "2026-12")
    assert crossing["month_p10"] <= crossing["month_p50"] <= (crossing["month_p90"] or "2026-13")
    assert crossing["probability"] >= 0.9
    assert set(crossing) >= {"year", "month_p10", "month_p50", "month_p90", "probability", "basis"}


def test_freshness_names_today_the_latest_month_and_the_missing_releases(default_json):
    fresh = default_json["freshness"]
    assert fresh["today"] == "2026-12-06"
    assert fresh["latest_month"] == "2026-09" and fresh["latest_month_released"] == "2026-10-01"
    assert fresh["latest_official_month"] == "2026-09"
    missing = {(r["month"], r["coverage"]): r["due"] for r in fresh["releases_missing"]}
    assert missing[("2026-10", FULL_MONTH)] == "2026-11-01"
    assert missing[("2026-11", FULL_MONTH)] == "2026-12-01"
    assert ("2026-12", "1-10") not in missing  # due on 11 December: not yet
    assert fresh["months_missing"] == ["2026-10", "2026-11"]
    assert fresh["series"]["kospi"]["through"] >= "2026-10"
    assert fresh["series"]["won"]["through"] >= "2026-09"
    assert fresh["series"]["chips"]["through"] == "2026-09"


def test_the_release_calendar():
    assert release_date("2026-09") == datetime.date(2026, 10, 1)
    assert release_date("2026-12") == datetime.date(2027, 1, 1)
    assert release_date("2026-10", "1-10") == datetime.date(2026, 10, 11)
    assert release_date("2026-10", "1-20") == datetime.date(2026, 10, 21)
    due = releases_between(("2026-09", FULL_MONTH), datetime.date(2026, 10, 21))
    assert due == [Release("2026-10", "1-10", datetime.date(2026, 10, 11)),
                   Release("2026-10", "1-20", datetime.date(2026, 10, 21))]
    assert releases_between(("2026-09", FULL_MONTH), datetime.date(2026, 10, 5)) == []
    # a count already in the data: the next release is the month itself
    assert [r.coverage for r in releases_between(("2026-10", "1-20"), datetime.date(2026, 11, 2))] == [FULL_MONTH]


def test_one_release_behind_is_not_flagged_two_are():
    on_time = freshness(DATA, datetime.date(2026, 10, 12))
    assert [r.coverage for r in on_time.releases_missing] == ["1-10"] and not on_time.behind
    assert freshness(DATA, TODAY).behind


def test_a_crossing_the_months_already_show_is_actual_with_its_source():
    # A year whose known months already pass the threshold: the crossing month comes from the data
    present = PRESENT
    low = crossing_of(present, MONTHLY, threshold=500.0)
    assert low.basis == ACTUAL and low.probability == 1.0
    running = dict(low.known)
    assert running[low.month_p50] >= 500.0 > min(v for v in running.values())
    assert low.source and "KCS" in low.source
    # never reached in the year: no month
    high = crossing_of(present, MONTHLY, threshold=5000.0)
    assert high.month_p50 is None and high.probability < 0.01


def test_on_the_2022_timeline_kospi_5000_is_reached_and_usd_1_trn_follows_the_nowcast():
    out = cli("--base-year", "2021", "--target-year", "2027", "--paths", "1000")
    assert out["probabilities"]["kospi_5000"] == 1.0
    assert out["probability_basis"]["kospi_5000"] == "actual"
    # a simulation from 2021 does not know 2026's months: the chance by 2027 is at least the nowcast's
    assert out["probabilities"]["exports_1t"] >= present_of(DATA).chance_of_1t() - 1e-9
    assert out["probability_basis"]["exports_1t"] == "nowcast"


def test_growth_for_a_chance_from_a_base_above_usd_1_trn_is_not_the_sliders_floor(default_json):
    needed = default_json["required_for_probability"]
    assert needed["0.5"] is not None and needed["0.8"] is not None
    assert needed["0.5"] > -30.0 and needed["0.5"] < needed["0.8"]
    assert default_json["probability_exports_held_in_target_year"] < 1.0


def test_a_bad_today_is_refused_with_one_line():
    proc = subprocess.run([sys.executable, "-m", "scenarios", "--json", "--today", "2026-13-06"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "--today" in proc.stderr


@pytest.mark.parametrize(("lang", "month", "today"), [("en", "September 2026", "6 December 2026"),
                                                      ("ko", "2026년 9월", "2026년 12월 6일")])
def test_the_first_screen_is_dated_and_gives_the_chance_of_holding(lang, month, today, monkeypatch):
    monkeypatch.setenv(TODAY_ENV, TODAY.isoformat())
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    texts = [c.value for c in at.caption] + [w.value for w in at.warning] + [m.value for m in at.markdown]
    page = "\n".join(texts)
    assert today in page and month in page
    held = "2030년 한 해 수출이 1조 달러 이상일 가능성" if lang == "ko" else "at or above USD 1 trn in 2030 itself"
    line = next(x for x in texts if held in x)
    assert "%" in line.split(held, 1)[1][:20]
    quote = quote_text(at)
    assert today in quote and month in quote
    assert any(w for w in at.warning if month in w.value)  # two releases or more behind: the notice says so
    crossing = next(m for m in at.metric if "1" in m.label and ("passes" in m.label or "돌파" in m.label))
    assert crossing.value in ("Nov 2026", "Dec 2026", "2026년 11월", "2026년 12월")


def test_the_landing_verdict_names_the_central_preset_not_custom_rates():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    verdict = next(m.value for m in at.markdown if t("present.verdict_header") in m.value)
    assert "(Central)" in verdict and "sliders" not in verdict
    moved = at.slider(key="semiconductors").set_value(20.0).run()
    verdict = next(m.value for m in moved.markdown if t("present.verdict_header") in m.value)
    assert "sliders" in verdict
