"""Presets: what each one means, golden outputs per preset, and broken preset files."""

from __future__ import annotations

import json

import pytest

from scenarios.registry.levers import growth_levers
from scenarios.registry.presets import PresetError, load_presets, parse_preset, resolve_growth
from tests.golden.regen import GOLDEN_BASES, golden_args, golden_output, golden_path

IDS = [lev.id for lev in growth_levers()]


def test_the_presets_exist_in_order():
    assert list(load_presets()) == ["central", "pledge", "trend", "downside", "upside", "chip_downturn"]


def test_pledge_is_7_8_everywhere(baseline):
    assert set(resolve_growth(load_presets()["pledge"], baseline).values()) == {7.8}


def test_downside_is_the_2021_2025_pace(baseline):
    pace = ((709.7 / 644.54) ** (1 / 4) - 1) * 100
    assert set(resolve_growth(load_presets()["downside"], baseline).values()) == {round(pace, 1)}


def test_trend_is_each_series_own_cagr(baseline):
    growth = resolve_growth(load_presets()["trend"], baseline)
    assert growth["semiconductors"] == round(((173.4 / 97.94) ** (1 / 8) - 1) * 100, 1)
    # aerospace has only 2022-2023 sourced values: too short, so the total's 2017-2025 pace is used
    assert growth["aerospace"] == round(baseline.cagr_total(2017, 2025), 1)


def test_upside_is_trend_plus_three(baseline):
    trend = resolve_growth(load_presets()["trend"], baseline)
    upside = resolve_growth(load_presets()["upside"], baseline)
    for sid in IDS:
        assert upside[sid] == pytest.approx(min(trend[sid] + 3.0, 40.0), abs=0.11)


def assert_same(actual, expected, where: str = "") -> None:
    """Equal structures; numbers equal to 1e-6 relative (bands from float32 shocks to 1e-4)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and sorted(actual) == sorted(expected), f"{where}: keys differ"
        for key in expected:
            assert_same(actual[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: lengths differ"
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_same(a, e, f"{where}[{i}]")
    elif isinstance(expected, float) and not isinstance(expected, bool):
        tol = 1e-4 if where.startswith(".bands") else 1e-6
        assert actual == pytest.approx(expected, rel=tol, abs=1e-6), f"{where}: {actual} != {expected}"
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


@pytest.mark.parametrize("preset_id", ["pledge", "trend", "downside", "upside", "chip_downturn"])
@pytest.mark.parametrize("base", GOLDEN_BASES)
def test_golden_output(preset_id, base):
    """Everything the CLI prints for a preset (exports, 5/5/5, milestones, chances, bands) is as reviewed."""
    expected = json.loads(golden_path(preset_id, base).read_text(encoding="utf-8"))
    assert_same(golden_output(preset_id, base), expected)


@pytest.mark.parametrize("preset_id", ["pledge", "downside"])
def test_the_golden_files_are_what_the_command_line_prints(preset_id, capsys):
    from scenarios.cli.main import main

    assert main(golden_args(preset_id, GOLDEN_BASES[-1])) == 0
    assert_same(json.loads(capsys.readouterr().out), golden_output(preset_id, GOLDEN_BASES[-1]))


def test_golden_files_cover_every_preset_and_base_year():
    for preset_id in load_presets():
        for base in GOLDEN_BASES:
            data = json.loads(golden_path(preset_id, base).read_text(encoding="utf-8"))
            assert {"exports", "vision", "milestones", "probabilities", "bands"} <= set(data)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id = 'x'\n[growth\n", "not valid TOML"),
        ("id = 'x'\n", "needs an id and a [growth] table"),
        ("id = 'x'\n[growth]\nchips = 3\n", "unknown series 'chips'"),
        ("id = 'x'\n[growth]\ndefault = 'fast'\n", "must be a number"),
        ("id = 'x'\n[growth]\ndefault = { method = 'guess', start = 2017, end = 2025 }\n", "method must be one of"),
        ("id = 'x'\n[growth]\ndefault = { method = 'trend', start = 'then', end = 2025 }\n", "start must be a year"),
        ("id = 'x'\n[growth]\nrest = 3\n", "needs a default or a rate for every series"),
    ],
)
def test_broken_preset_files_are_named(tmp_path, text, message):
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PresetError) as err:
        parse_preset(path)
    assert str(err.value).startswith("broken.toml:")
    assert message in str(err.value)


def test_a_missing_preset_file_is_named(tmp_path):
    with pytest.raises(PresetError, match=r"nothere\.toml: file not found"):
        parse_preset(tmp_path / "nothere.toml")
