"""The command line: JSON shape, the design's promises, and exit 2 with one line on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scenarios.cli.main import main

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scenarios", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def as_json(capsys, *args: str) -> dict:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_pledge_json_passes_1000_in_2027(capsys):
    out = as_json(capsys, "--preset", "pledge", "--base-year", "2021", "--target-year", "2027")
    assert out["years"][0] == 2021 and out["years"][-1] == 2035
    total = dict(zip(out["years"], out["exports"]["total"], strict=True))
    assert total[2027] > 1000 > total[2026]
    assert out["milestones"]["exports_1t"] == 2027
    assert out["required_uniform_growth_pct"] == pytest.approx(((1000 / 644.54) ** (1 / 6) - 1) * 100, abs=1e-4)
    assert set(out["exports"]) == {"semiconductors", "future_mobility", "secondary_batteries", "displays",
                                   "bio_health", "robots", "green_energy", "aerospace", "fashion_tech",
                                   "metaverse", "rest", "total"}
    assert all(len(v) == len(out["years"]) for v in out["exports"].values())
    assert out["scenario"]["preset"] == "pledge" and out["scenario"]["growth"]["rest"] == 7.8


def test_base_2025_starts_from_the_2025_total(capsys):
    out = as_json(capsys, "--preset", "pledge", "--base-year", "2025", "--growth", "semiconductors=12")
    assert out["years"][0] == 2025
    assert out["exports"]["total"][0] == pytest.approx(709.7)
    assert out["scenario"]["growth"]["semiconductors"] == 12.0


def test_options_reach_the_scenario(capsys):
    out = as_json(capsys, "--preset", "trend", "--target-year", "2030", "--horizon", "2040", "--count-services")
    assert out["years"][-1] == 2040
    assert out["scenario"]["target"] == "2030" and out["scenario"]["services"] == "1"
    i = out["years"].index(2030)
    counted = sum(out["exports"][k][i] for k in out["exports"] if k != "total")
    assert out["exports"]["total"][i] == pytest.approx(counted, abs=1e-3)


def test_readable_table_without_json():
    result = run_cli("--preset", "downside")
    assert result.returncode == 0, result.stderr
    assert "USD 1 trn of exports reached:" in result.stdout and "KOSPI 5,000 reached:" in result.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--growth", "chips=3"], "unknown id 'chips'"),
        (["--growth", "semiconductors=99"], "semiconductors = 99 is outside the allowed range -30 to 40"),
        (["--growth", "semiconductors=fast"], "semiconductors = 'fast' is not a number (allowed: -30 to 40)"),
        (["--growth", "semiconductors"], "must look like ID=VALUE"),
        (["--base-year", "2019"], "base = 2019 is outside the allowed range 2021 to 2026"),
        (["--horizon", "2070"], "horizon = 2070 is outside the allowed range 2025 to 2050"),
        (["--target-year", "2040", "--horizon", "2035"], "the target year (2040) must be after the base year"),
        (["--preset", "rosy"], "unknown preset 'rosy'"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, needle):
    result = run_cli(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]
    assert result.stdout == ""


def test_json_has_the_vision_paths_and_milestones(capsys):
    out = as_json(capsys, "--preset", "pledge", "--base-year", "2025")
    n = len(out["years"])
    assert set(out["vision"]) == {"gni_per_capita_usd", "kospi", "gdp_usd_bn", "gdp_rank"}
    assert all(len(v) == n for v in out["vision"].values())
    assert out["vision"]["kospi"][0] == pytest.approx(4214.17)
    assert out["vision"]["gni_per_capita_usd"][0] == pytest.approx(36963)  # the June 2026 revision of 2025
    assert out["vision"]["gdp_rank"][0] == 14
    assert set(out["milestones"]) == {"exports_1t", "gni_per_capita_50k", "kospi_5000", "top5_economy"}


def test_an_export_slider_moves_every_vision_path_in_the_cli(capsys):
    low = as_json(capsys, "--growth", "semiconductors=5", "--horizon", "2050")["vision"]
    high = as_json(capsys, "--growth", "semiconductors=20", "--horizon", "2050")["vision"]
    for key in ("gni_per_capita_usd", "kospi", "gdp_usd_bn"):
        assert high[key][-1] > low[key][-1]
    assert high["gdp_rank"][-1] < low["gdp_rank"][-1]


def test_vision_levers_from_the_cli(capsys):
    out = as_json(capsys, "--lever", "rerating=50", "--lever", "peer_ind=-5")
    assert out["scenario"]["levers"]["rerating"] == 50.0
    assert out["scenario"]["rerating"] == "50"
    assert run_cli("--lever", "va_share=2").returncode == 2


def test_paths_and_seed_add_probabilities_and_bands(capsys):
    out = as_json(capsys, "--paths", "1000", "--seed", "3")
    assert set(out["probabilities"]) == {"exports_1t", "gni_per_capita_50k", "kospi_5000", "top5_economy"}
    assert all(0 <= p <= 1 for p in out["probabilities"].values())
    assert set(out["bands"]["exports_total"]) == {"p10", "p25", "p50", "p75", "p90"}
    assert len(out["bands"]["kospi"]["p50"]) == len(out["years"])
    again = as_json(capsys, "--paths", "1000", "--seed", "3")
    assert again["probabilities"] == out["probabilities"] and again["bands"] == out["bands"]
    other = as_json(capsys, "--paths", "1000", "--seed", "4")
    assert other["bands"] != out["bands"]


def test_probabilities_rise_with_growth_in_the_cli(capsys):
    # from 2025 the chance of USD 1 trn by 2027 is still open (2026's months are after the base year)
    args = ("--paths", "2000", "--base-year", "2025", "--target-year", "2027", "--preset", "downside")
    low = as_json(capsys, *args, "--growth", "rest=0")
    high = as_json(capsys, *args, "--growth", "rest=10")
    # the simulated chance rises with growth; what the year in progress already says is a floor under both
    assert high["probabilities"]["exports_1t"] >= low["probabilities"]["exports_1t"]
    held_low, held_high = (x["probability_exports_held_in_target_year"] for x in (low, high))
    assert held_high > held_low


def test_bad_paths_exit_2():
    result = run_cli("--paths", "5")
    assert result.returncode == 2 and "paths = 5 is outside the allowed range 500 to 20000" in result.stderr
