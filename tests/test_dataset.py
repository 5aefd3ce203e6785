"""Data as one value: every result is computed from the Dataset it is given, and only from it."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scenarios.data.baseline import DATA_DIR, DATA_DIR_ENV, BaselineError
from scenarios.data.dataset import folder_version, load_dataset
from scenarios.model.outcome import compute_outcome, outcome_json
from scenarios.model.present import baseline_of, present_of
from scenarios.model.share import scenario_from_params
from tests.shipped import DATA

ROOT = Path(__file__).resolve().parent.parent


def _latest_total_month(folder: Path) -> tuple[int, dict]:
    with open(folder / "monthly.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    full = [(i, r) for i, r in enumerate(rows) if r["series"] == "total" and r["coverage"] == "month"]
    return max(full, key=lambda item: item[1]["period"])


def _copy_with_latest_month_scaled(tmp_path: Path, factor: float) -> tuple[Path, str]:
    """A copy of data/ whose latest full month of total exports is `factor` times the shipped figure."""
    dest = tmp_path / "data"
    shutil.copytree(DATA_DIR, dest, ignore=shutil.ignore_patterns("vintages"))
    with open(dest / "monthly.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    index, row = _latest_total_month(dest)
    rows[index]["value"] = f"{float(row['value']) * factor:.3f}"
    with open(dest / "monthly.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return dest, row["period"]


def _default_outcome(dataset, ranges: bool = False):
    scenario, _ = scenario_from_params({}, baseline=baseline_of(dataset))
    return compute_outcome(scenario, dataset, ranges=ranges)


def test_the_version_follows_the_files_content_not_their_dates(tmp_path):
    same = tmp_path / "same"
    shutil.copytree(DATA_DIR, same, ignore=shutil.ignore_patterns("vintages"))
    os.utime(same / "monthly.csv", (1, 1))
    assert folder_version(same) == folder_version(DATA_DIR)
    changed, _ = _copy_with_latest_month_scaled(tmp_path / "b", 1.2)
    assert folder_version(changed) != folder_version(DATA_DIR)


def test_one_changed_monthly_figure_moves_the_nowcast_projection_tracker_and_5_5_5(tmp_path):
    copy, period = _copy_with_latest_month_scaled(tmp_path, 1.2)
    changed = load_dataset(copy)
    before, after = _default_outcome(DATA), _default_outcome(changed)
    assert after.dataset is changed and after.dataset.folder == copy
    assert present_of(changed).total.p50 > present_of(DATA).total.p50            # the nowcast
    assert after.present is not None and after.present.total.p50 == present_of(changed).total.p50
    assert after.projection.total[0] > before.projection.total[0]                 # the projection's base year
    assert after.projection.total[-1] > before.projection.total[-1]
    assert after.paths["gdp_usd_bn"][0] > before.paths["gdp_usd_bn"][0]           # the 5/5/5 paths
    assert after.paths["gni_per_capita_usd"][-1] > before.paths["gni_per_capita_usd"][-1]
    assert after.tracker is not None and before.tracker is not None               # the tracker
    assert after.tracker["total"].ytd > before.tracker["total"].ytd
    months = {m["month"]: m["value_usd_bn"] for m in outcome_json(after)["tracker"]["months"]}
    shipped = {m["month"]: m["value_usd_bn"] for m in outcome_json(before)["tracker"]["months"]}
    assert months[period] == pytest.approx(shipped[period] * 1.2, abs=1e-3)


def test_a_ranges_outcome_on_a_changed_folder_uses_its_own_calibration(tmp_path):
    copy, _ = _copy_with_latest_month_scaled(tmp_path, 1.2)
    changed = load_dataset(copy)
    after = _default_outcome(changed, ranges=True)
    before = _default_outcome(DATA, ranges=True)
    assert after.simulation is not None and before.simulation is not None
    assert after.bands["exports_total"][0.5][0] > before.bands["exports_total"][0.5][0]


def test_a_broken_folder_is_refused_with_the_file_named(tmp_path):
    copy, _ = _copy_with_latest_month_scaled(tmp_path, 1.0)
    (copy / "macro.csv").write_text("year,series\n", encoding="utf-8")
    with pytest.raises(BaselineError, match=r"macro\.csv"):
        load_dataset(copy)


def test_the_command_line_reads_the_folder_named_by_the_environment(tmp_path):
    copy, period = _copy_with_latest_month_scaled(tmp_path, 1.2)

    def run(folder: Path | None) -> dict:
        env = {k: v for k, v in os.environ.items() if k != DATA_DIR_ENV}
        if folder is not None:
            env[DATA_DIR_ENV] = str(folder)
        proc = subprocess.run([sys.executable, "-m", "scenarios", "--json"], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    shipped, changed = run(None), run(copy)
    assert changed["tracker"]["nowcast"]["p50"] > shipped["tracker"]["nowcast"]["p50"]
    assert changed["exports"]["total"][0] > shipped["exports"]["total"][0]
    assert changed["vision"]["gdp_usd_bn"][0] > shipped["vision"]["gdp_usd_bn"][0]
    months = {m["month"]: m["value_usd_bn"] for m in changed["tracker"]["months"]}
    old = {m["month"]: m["value_usd_bn"] for m in shipped["tracker"]["months"]}
    assert months[period] == pytest.approx(old[period] * 1.2, abs=1e-3)


def test_the_app_reads_the_folder_named_by_the_environment(tmp_path, monkeypatch):
    copy, _ = _copy_with_latest_month_scaled(tmp_path, 1.2)

    def exports_metrics() -> list[str]:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["lang"] = "en"
        at.run()
        assert not at.exception
        return [m.value for m in at.metric]

    shipped = exports_metrics()
    monkeypatch.setenv(DATA_DIR_ENV, str(copy))
    changed = exports_metrics()
    assert shipped and changed and shipped != changed
