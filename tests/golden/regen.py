"""Rewrite the golden outputs: python tests/golden/regen.py (review the diff before committing)."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from scenarios.model import project  # noqa: E402
from scenarios.presets import load_presets  # noqa: E402
from scenarios.share import scenario_from_params  # noqa: E402

GOLDEN_BASES = (2021, 2025)


def golden_frame(preset_id: str, base: int):
    """The projection of one preset from one base year, to 2035, as long-form CSV rows."""
    scenario, _ = scenario_from_params({"preset": preset_id, "base": str(base)}, clamp=False)
    frame = project(scenario).to_frame()
    frame["value"] = frame["value"].round(6)
    return frame


def main() -> None:
    for preset_id in load_presets():
        for base in GOLDEN_BASES:
            golden_frame(preset_id, base).to_csv(HERE / f"{preset_id}_base{base}.csv", index=False)


if __name__ == "__main__":
    main()
