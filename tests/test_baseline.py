"""The data files: facts the app promises, and a clear message for each kind of broken file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from scenarios.data.baseline import COLUMNS, DATA_DIR, BaselineError, load_baseline
from scenarios.registry.levers import industry_levers


def rows_of(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write_rows(path: Path, rows: list[dict], header=COLUMNS) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(header), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def test_base_years_are_2021_to_2025_and_the_2026_nowcast(baseline):
    assert baseline.base_years() == (2021, 2022, 2023, 2024, 2025, 2026)
    assert [y for y in baseline.base_years() if baseline.is_nowcast(y)] == [2026]
    assert 2026 not in baseline.actual_totals()  # a nowcast is never drawn or counted as an actual
    assert load_baseline(DATA_DIR).base_years() == (2021, 2022, 2023, 2024, 2025)  # the files alone end in 2025


def test_pledge_base_and_latest_totals(baseline):
    assert baseline.total(2021) == pytest.approx(644.54)
    assert baseline.total(2025) == pytest.approx(709.7)


def test_every_row_has_a_source_and_every_fill_a_method():
    for path in DATA_DIR.glob("*.csv"):
        for i, row in enumerate(rows_of(path), start=2):
            assert row["source"].strip() and row["source_url"].strip().startswith("http"), f"{path.name}:{i}"
            if row["quality"] in ("derived", "estimate"):
                assert row["method"].strip(), f"{path.name}:{i} fill without method"


def test_sources_md_explains_every_series_and_the_2025_total():
    text = (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for lev in industry_levers():
        assert lev.id in text
        for comp in lev.components:
            assert comp in text
    assert "709.7" in text and "709.4" in text


def test_rest_is_positive_and_sums_back_to_the_total(baseline):
    for year in baseline.base_years():
        vec = baseline.base_vector(year)
        assert vec[-1] > 0
        goods = sum(baseline.industry_value(lev.id, year) for lev in industry_levers() if lev.basis == "goods")
        assert goods + vec[-1] == pytest.approx(baseline.total(year))


def test_industry_quality_is_the_weakest_component(baseline):
    # aerospace 2024 carries 2023's value: an estimate, whatever the other component says
    assert baseline.industry_quality("aerospace", 2024) == "estimate"
    assert baseline.industry_quality("semiconductors", 2025) == "official"


def _break(data_copy: Path, mutate) -> str:
    path = data_copy / "exports.csv"
    rows = rows_of(path)
    header = mutate(rows) or COLUMNS
    write_rows(path, rows, header)
    with pytest.raises(BaselineError) as err:
        load_baseline(data_copy)
    return str(err.value)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("year", "20x1", "year '20x1' is not a year written YYYY"),
        ("value", "abc", "value 'abc' is not a number"),
        ("value", "nan", "is not a finite number"),
        ("value", "-3", "is negative"),
        ("series", "unobtainium", "unknown series 'unobtainium'"),
        ("unit", "krw_bn", "unit 'krw_bn' is not one of usd_bn"),
        ("quality", "guess", "quality 'guess' is not one of"),
        ("basis", "vibes", "basis 'vibes' is not one of"),
        ("source_url", "", "missing source or source_url"),
        ("source", "", "missing source or source_url"),
    ],
)
def test_each_broken_field_names_file_line_and_problem(data_copy, field, value, expected):
    def mutate(rows):
        rows[3][field] = value

    message = _break(data_copy, mutate)
    assert message.startswith("exports.csv, line 5:")
    assert expected in message


def test_a_fill_without_method_is_refused(data_copy):
    def mutate(rows):
        row = next(r for r in rows if r["quality"] == "estimate")
        row["method"] = ""

    assert "needs its method stated" in _break(data_copy, mutate)


def test_duplicate_rows_are_refused(data_copy):
    def mutate(rows):
        rows.append(dict(rows[0]))

    message = _break(data_copy, mutate)
    assert "duplicate of line 2" in message


def test_a_missing_column_is_refused(data_copy):
    def mutate(rows):
        return [c for c in COLUMNS if c != "quality"]

    assert "missing column(s) quality" in _break(data_copy, mutate)


def test_a_services_row_in_a_goods_industry_is_refused(data_copy):
    def mutate(rows):
        next(r for r in rows if r["series"] == "semiconductors")["basis"] = "services"

    assert "basis 'services' but semiconductors is 'goods'" in _break(data_copy, mutate)


def test_a_missing_base_year_value_removes_that_base_year(data_copy):
    path = data_copy / "exports.csv"
    rows = [r for r in rows_of(path) if not (r["series"] == "displays" and r["year"] == "2023")]
    write_rows(path, rows)
    assert 2023 not in load_baseline(data_copy).base_years()


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(BaselineError, match=r"exports\.csv: file not found"):
        load_baseline(tmp_path)


def test_a_short_row_is_refused(data_copy):
    path = data_copy / "exports.csv"
    with open(path, "a", encoding="utf-8") as f:
        f.write("2030,total,1\n")
    with pytest.raises(BaselineError, match="wrong number of fields"):
        load_baseline(data_copy)


def test_sources_md_explains_the_5_5_5_series():
    from scenarios.data.baseline import MACRO_REQUIRED
    from tests.shipped import MACRO

    text = (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for series in (*MACRO_REQUIRED, "population_proj_mn", "peers.toml", "WEO"):
        assert series in text
    for peer in MACRO.peers:
        assert peer.iso3 in (DATA_DIR / "peers.toml").read_text(encoding="utf-8")
