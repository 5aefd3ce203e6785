"""Docs that cannot drift: every module and every command-line option is in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scenarios.cli.main import build_parser
from scenarios.model.share import TAB_IDS, scenario_from_params
from scenarios.registry.levers import lever
from scenarios.registry.presets import load_presets
from tests.shipped import BASE

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    """One '## title' section of the README."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, flags=re.S | re.M)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def _layout_folders() -> dict[str, str]:
    """The README's layout tree as {folder path: the text listed under it} (scenarios/data, ui, ...)."""
    block = re.search(r"```\n(.*?)```", section("Layout"), flags=re.S)
    assert block, "README's layout has no code block"
    folders: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for line in block.group(1).splitlines():
        found = re.match(r"^(\s*)([\w.]+)/\s", line)
        if found:
            indent = len(found.group(1))
            stack = [(i, name) for i, name in stack if i < indent] + [(indent, found.group(2))]
            folders["/".join(name for _, name in stack)] = ""
        elif line.strip():
            indent = len(line) - len(line.lstrip())
            if re.match(r"^\s*[\w.{},*]+\.(py|toml|csv|md)\b", line):  # an entry: it belongs to the folder above it
                stack = [(i, name) for i, name in stack if i < indent]
            if stack:
                folders["/".join(name for _, name in stack)] += line + "\n"
    return folders


@pytest.mark.parametrize("package", ["scenarios", "ui"])
def test_every_module_is_in_the_readme_layout_under_its_folder(package):
    folders = _layout_folders()
    missing = []
    for path in sorted((ROOT / package).rglob("*.py")):
        if path.name == "__init__.py":
            continue
        folder = path.parent.relative_to(ROOT).as_posix()
        if not re.search(rf"(?<![\w.]){re.escape(path.name)}", folders.get(folder, "")):
            missing.append(f"{folder}/{path.name}")
    assert not missing, f"README's layout does not list {', '.join(missing)} under its folder"


def test_every_preset_and_part_is_in_the_readme():
    missing = [f"preset {p}" for p in load_presets() if f"`{p}`" not in README]
    missing += [f"tab={tab}" for tab in TAB_IDS if f"`{tab}`" not in README]
    assert not missing, f"README does not name {', '.join(missing)}"


def test_every_default_printed_in_help_is_the_default_the_command_uses():
    """A "(default N" in an option's help is the value the command line uses when the option is left out."""
    for lang in ("en", "ko"):
        parser = build_parser(lang)
        scenario, _ = scenario_from_params({}, baseline=BASE)
        used = {"--base-year": scenario.base_year, "--target-year": scenario.target_year,
                "--horizon": scenario.horizon}
        for action in parser._actions:
            option = next((o for o in action.option_strings if o.startswith("--")), None)
            printed = re.search(r"(?:default|기본) (\d{4})", action.help or "")
            if option in used:
                assert printed, f"--help ({lang}) does not print the default of {option}"
            if printed:
                assert option in used, f"{option}'s help prints a default the test does not know"
                assert int(printed.group(1)) == used[option], (lang, option, action.help)
        # a range printed for the base year is the registry's, and every year in it can be chosen
        first, last = re.search(r"(\d{4})[-~](\d{4})", next(a.help for a in parser._actions
                                                         if "--base-year" in a.option_strings)).groups()
        assert (int(first), int(last)) == (int(lever("base").min), int(lever("base").max))
        assert set(range(int(first), int(last) + 1)) <= set(BASE.base_years())


def test_every_command_line_option_is_in_the_readme():
    text = section("Command line")
    options = [opt for action in build_parser()._actions for opt in action.option_strings
               if opt.startswith("--") and opt != "--help"]
    missing = [opt for opt in options if not re.search(rf"{re.escape(opt)}(?![\w-])", text)]
    assert options and not missing, f"README's command-line section does not mention {', '.join(missing)}"
