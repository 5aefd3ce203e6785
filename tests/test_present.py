"""The present: 2026 as a nowcast base year, the tracker, the chip cycle, KOSPI from the latest close."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from scenarios.data.baseline import DATA_DIR, DATA_DIR_ENV, load_baseline
from scenarios.data.dataset import load_dataset
from scenarios.model.outcome import ACTUAL, NOWCAST, PROJECTED, compute_outcome, outcome_json
from scenarios.model.present import (
    NowcastSettings,
    chance_at_least,
    present_of,
    with_nowcast,
)
from scenarios.model.projection import Scenario, chip_price_path, project
from scenarios.model.share import scenario_from_params
from scenarios.registry.i18n import t
from scenarios.registry.levers import lever
from scenarios.registry.presets import load_presets, resolve_growth
from tests.apptest_util import chart_data, charts, metrics, open_app
from tests.shipped import BASE, DATA, MACRO, MONTHLY, PRESENT, SHOCKS, VOL, proj_of, sim_of


def test_the_landing_default_is_the_present_and_the_end_of_the_term():
    assert int(lever("base").default) == 2026 and int(lever("target").default) == 2030
    scenario, _ = scenario_from_params({}, baseline=BASE)
    assert (scenario.base_year, scenario.target_year) == (2026, 2030)


def test_the_2026_base_is_the_nowcast_and_labelled_so():
    data = BASE
    present = PRESENT
    assert data.is_nowcast(2026) and not data.is_nowcast(2025)
    assert data.total(2026) == pytest.approx(present.total.p50)
    proj = project(Scenario(base_year=2026, target_year=2030), data)
    assert proj.total[0] == pytest.approx(present.total.p50)  # with base 2026 the 2026 total is the nowcast's p50
    assert data.rows["semiconductors"][2026].quality == "nowcast"
    assert data.industry_value("semiconductors", 2026) == pytest.approx(present.chips.p50)


def test_series_without_monthly_data_grow_with_the_total_outside_chips():
    data, present = BASE, PRESENT
    growth = 1 + present.non_chip_growth_pct / 100
    assert data.industry_value("displays", 2026) == pytest.approx(data.industry_value("displays", 2025) * growth)
    outside = data.total(2026) - data.industry_value("semiconductors", 2026)
    before = data.total(2025) - data.industry_value("semiconductors", 2025)
    assert outside / before == pytest.approx(growth)


def weak_months_folder(tmp_path: Path) -> Path:
    """A copy of data/ whose customs months of July-September 2026 are graded secondary (weak)."""
    dest = tmp_path / "data"
    shutil.copytree(DATA_DIR, dest, ignore=shutil.ignore_patterns("vintages", "imports", ".*"))
    with open(dest / "monthly.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    for r in rows:
        if r["series"] == "total" and r["coverage"] == "month" and r["period"] in ("2026-07", "2026-08", "2026-09"):
            r["quality"] = "secondary"
    with open(dest / "monthly.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return dest


def test_official_months_only_and_the_users_pace_change_the_base(tmp_path):
    weak = load_dataset(weak_months_folder(tmp_path))
    default = present_of(weak, NowcastSettings())
    official = present_of(weak, NowcastSettings(official_only=True))
    assert official.total.weak_months == () and default.total.weak_months == ("2026-07", "2026-08", "2026-09")
    assert official.total.p50 != pytest.approx(default.total.p50)
    slow = present_of(DATA, NowcastSettings(pace_pct=0.0))
    fast = present_of(DATA, NowcastSettings(pace_pct=90.0))  # the recent pace is about +72 %
    shipped = present_of(DATA)
    assert slow.total.p50 < shipped.total.p50 < fast.total.p50
    scenario = Scenario(base_year=2026, target_year=2030).with_macro(nowcast_official=1.0)
    assert compute_outcome(scenario, weak, ranges=False).projection.total[0] == pytest.approx(official.total.p50)
    # the shipped customs line has no weak month: official months only leaves it as it is
    assert present_of(DATA, NowcastSettings(official_only=True)).total.p50 == pytest.approx(shipped.total.p50)


def test_the_chance_of_1t_in_the_year_reads_the_nowcasts_range():
    cast = PRESENT.total
    assert chance_at_least(cast, cast.p10) == pytest.approx(0.9, abs=1e-6)
    assert chance_at_least(cast, cast.p50) == pytest.approx(0.5, abs=1e-6)
    assert chance_at_least(cast, cast.p90) == pytest.approx(0.1, abs=1e-6)
    assert 0 < PRESENT.chance_of_1t() < 1


def test_a_nowcast_base_carries_its_uncertainty_into_the_ranges():
    scenario = Scenario(base_year=2026, target_year=2030).with_growth(**dict.fromkeys(Scenario().growth, 0.0))
    from scenarios.model.present import with_base_uncertainty

    outcome = compute_outcome(scenario, DATA, ranges=True)
    proj = outcome.projection
    sim = with_base_uncertainty(sim_of(proj, n_paths=2000, seed=1), proj, outcome.present, MACRO)
    first = sim.totals[:, 0]
    cast = outcome.present.total
    assert np.quantile(first, 0.1) == pytest.approx(cast.p10, rel=0.03)
    assert np.quantile(first, 0.9) == pytest.approx(cast.p90, rel=0.03)
    assert np.mean(first >= 1000) == pytest.approx(outcome.present.chance_of_1t(), abs=0.04)


def test_the_files_alone_still_end_in_2025_and_a_nowcast_is_never_an_actual():
    files = load_baseline(DATA_DIR)
    assert 2026 not in files.base_years()
    assert with_nowcast(files, PRESENT).base_years()[-1] == 2026
    assert 2026 not in BASE.actual_totals()


# ---------------------------------------------------------------- milestones and KOSPI


@pytest.mark.parametrize("base", [2021, 2023, 2025, 2026])
def test_kospi_5000_is_2026_actual_for_every_base_year(base):
    outcome = compute_outcome(Scenario(base_year=base, target_year=max(base + 1, 2027)), DATA, ranges=False)
    assert outcome.milestones["kospi_5000"] == 2026
    assert outcome.milestone_basis["kospi_5000"] == ACTUAL


def test_milestone_basis_says_nowcast_and_projected():
    outcome = compute_outcome(Scenario(base_year=2026, target_year=2030), DATA, ranges=False)
    assert outcome.milestones["exports_1t"] == 2026 and outcome.milestone_basis["exports_1t"] == NOWCAST
    assert outcome.milestone_basis["top5_economy"] == PROJECTED
    old = compute_outcome(Scenario(base_year=2021, target_year=2027), DATA, ranges=False)
    assert old.milestone_basis["exports_1t"] == PROJECTED


def test_the_kospi_path_of_a_2026_base_starts_from_the_latest_close():
    outcome = compute_outcome(Scenario(base_year=2026, target_year=2030), DATA, ranges=False)
    latest = DATA.macro.value("kospi_close_latest_seen", 2026)
    assert latest == pytest.approx(6625.93)  # 8 Oct 2026, the latest close in the data
    assert outcome.paths["kospi"][0] == pytest.approx(latest)
    # GDP and income of the year in progress follow from 2025's accounts with the nowcast in them
    assert outcome.paths["gdp_usd_bn"][0] > 1872.7


# ---------------------------------------------------------------- the chip cycle


def test_chip_price_path_moves_in_even_steps_then_holds():
    s = Scenario(base_year=2026).with_macro(chip_price=-30.0, chip_years=2.0)
    np.testing.assert_allclose(chip_price_path(s, np.arange(2026, 2031)), [1.0, 0.85, 0.7, 0.7, 0.7])
    assert chip_price_path(Scenario(), np.arange(2026, 2029)).tolist() == [1.0, 1.0, 1.0]


def test_the_chip_downturn_preset_replays_2023_from_the_2026_level():
    data = BASE
    preset = load_presets()["chip_downturn"]
    scenario, _ = scenario_from_params({"preset": "chip_downturn"}, baseline=BASE)
    assert scenario.macro["chip_price"] == -24.0 and scenario.growth == resolve_growth(preset, data)
    fall = data.industry_value("semiconductors", 2023) / data.industry_value("semiconductors", 2022) - 1
    assert scenario.macro["chip_price"] == pytest.approx(100 * fall, abs=0.5)
    proj = project(scenario, data)
    trend = project(scenario.with_macro(chip_price=0.0), data)
    i = proj.series_ids.index("semiconductors")
    assert proj.values[i, 1] == pytest.approx(trend.values[i, 1] * 0.76)
    np.testing.assert_allclose(proj.values[i + 1], trend.values[i + 1])  # only chips move


# ---------------------------------------------------------------- the tracker


def test_cli_json_gives_the_tracker(capsys):
    from scenarios.cli.main import main

    assert main(["--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    tracker = out["tracker"]
    assert tracker["latest_month"] >= "2026-02"
    assert {m["month"] for m in tracker["months"]} >= {"2026-01", "2026-02"}
    assert tracker["status"] in ("on_track", "acceleration_needed", "limited_progress", "deterioration")
    assert tracker["nowcast"]["year"] == 2026 and tracker["nowcast"]["p10"] <= tracker["nowcast"]["p50"]
    assert tracker["nowcast"]["p50"] == pytest.approx(out["exports"]["total"][0], abs=1e-3)
    assert tracker["ytd_usd_bn"] == pytest.approx(sum(m["value_usd_bn"] for m in tracker["months"]
                                                      if m["month"].startswith("2026")), abs=1e-3)
    assert out["milestones"]["kospi_5000"] == 2026 and out["milestone_basis"]["kospi_5000"] == "actual"
    assert out["scenario"]["target"] == "2030"
    assert "semiconductors" in tracker["series"]


def test_tracker_required_growth_is_from_the_last_full_year_to_the_target():
    outcome = compute_outcome(Scenario(base_year=2026, target_year=2030), DATA, ranges=False)
    total = outcome.tracker["total"]
    assert total.required_pct == pytest.approx(((1000 / 709.7) ** (1 / 5) - 1) * 100, abs=0.05)
    assert outcome_json(outcome)["tracker"]["target_year"] == 2030


def test_monthly_data_run_from_january_1990_to_at_least_february_2026():
    months = [m.period for m in MONTHLY.months("total")]
    assert months[0] == "1990-01" and months[-1] >= "2026-02"
    assert next(m.period for m in MONTHLY.months("total_motir")) == "2024-01"


# ---------------------------------------------------------------- in the app


def test_landing_page_shows_where_exports_stand_and_both_verdicts():
    at = open_app(timeline={}, panels_open=False)
    assert not at.exception and not at.error
    shown = metrics(at)
    present = PRESENT
    assert t("present.nowcast", year=2026) in shown
    assert t("present.crossing", year=2026) in shown
    assert t("metric.exports_in_target", year=2030) in shown
    verdict = " ".join(m.value for m in at.markdown)
    assert "2030" in verdict and "2027" in verdict and t("present.verdict_header") in verdict
    captions = " ".join(c.value for c in at.caption)
    assert "September 2026" in captions  # data freshness is stated
    assert at.session_state["base"] == 2026 and at.session_state["target"] == 2030
    # the years' panel is closed at first and says the years on its switch
    assert at.toggle(key="open_settings").label == t("panel.levers", label=t("sidebar.settings", base=2026,
                                                                                  target=2030, horizon=2035))
    assert present.total.through == "2026-09"


def test_the_tracker_in_korean():
    at = open_app({"lang": "ko"}, timeline={}, tab="tracker")
    assert not at.exception and not at.error
    shown = metrics(at)
    assert t("present.nowcast", "ko", year=2026) in shown
    status_label = t("present.status", "ko", year=2030)
    assert shown[status_label] in {t(f"present.status_name.{s}", "ko") for s in
                                   ("on_track", "acceleration_needed", "limited_progress", "deterioration")}
    assert "달러" in shown[t("present.nowcast", "ko", year=2026)]
    monthly = chart_data(charts(at)[1])
    assert {"2026-01", "2026-02"} <= set(monthly.month)
    assert t("present.month_chart.strong", "ko") in set(monthly.series)
    table = at.dataframe[0].value
    assert t("present.table_status", "ko") in table.columns


def test_official_months_only_switch_changes_the_nowcast_in_the_app(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(weak_months_folder(tmp_path)))
    at = open_app(timeline={})
    label = t("present.nowcast", year=2026)
    before = metrics(at)[label]
    at.toggle(key="nowcast_official").set_value(True).run()
    assert not at.exception
    assert metrics(at)[label] != before


def test_what_it_takes_knows_the_chip_cycle():
    from scenarios.model.what_it_takes import required_for_probability, solve_least_stretch

    scenario, _ = scenario_from_params({"preset": "chip_downturn", "base": "2026", "target": "2030"},
                                       baseline=BASE)
    proj = proj_of(scenario)
    stretch = solve_least_stretch(proj, VOL, BASE)
    moved = proj_of(scenario.with_growth(**stretch.growth))
    assert moved.total_at(2030) == pytest.approx(1000.0, abs=0.5)
    outcome = compute_outcome(scenario, DATA, ranges=False)
    assert sum(outcome.gap.as_dict().values()) == pytest.approx(proj.total_at(2030) - proj.total[0])
    assert required_for_probability(proj, (0.5, 0.8), VOL, 500, 1, MACRO, SHOCKS)["0.5"] is not None
