"""Docs that cannot drift: every module and every command-line option is in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scenarios.cli.main import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    """One '## title' section of the README."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, flags=re.S | re.M)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


@pytest.mark.parametrize("package", ["scenarios", "ui"])
def test_every_module_is_in_the_readme_layout(package):
    layout = section("Layout")
    missing = [p.name for p in sorted((ROOT / package).glob("*.py"))
               if p.name != "__init__.py" and not re.search(rf"(?<![\w.]){re.escape(p.name)}", layout)]
    assert not missing, f"README's layout does not mention {package}/{', '.join(missing)}"


def test_every_command_line_option_is_in_the_readme():
    text = section("Command line")
    options = [opt for action in build_parser()._actions for opt in action.option_strings
               if opt.startswith("--") and opt != "--help"]
    missing = [opt for opt in options if not re.search(rf"{re.escape(opt)}(?![\w-])", text)]
    assert options and not missing, f"README's command-line section does not mention {', '.join(missing)}"
