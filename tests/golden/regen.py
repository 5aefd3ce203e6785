"""Rewrite the golden outputs: python tests/golden/regen.py (review the diff before committing).

One file per preset and base year: the whole `python -m scenarios --json` output
with ranges on (a fixed number of paths and seed), so a change to any number
the explorer shows (exports, 5/5/5, milestones, probabilities, bands) shows up
as a diff.
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from scenarios.data.dataset import load_dataset  # noqa: E402
from scenarios.model.outcome import compute_outcome, outcome_json  # noqa: E402
from scenarios.model.present import baseline_of  # noqa: E402
from scenarios.model.share import scenario_from_params  # noqa: E402
from scenarios.registry.presets import load_presets  # noqa: E402

GOLDEN_BASES = (2021, 2025, 2026)
GOLDEN_PATHS = 500
GOLDEN_SEED = 1
GOLDEN_TODAY = datetime.date(2026, 12, 6)  # freshness is measured on a fixed day, so the files do not age


def golden_args(preset_id: str, base: int) -> list[str]:
    """The command line whose --json output is the golden file."""
    return ["--preset", preset_id, "--base-year", str(base), "--paths", str(GOLDEN_PATHS),
            "--seed", str(GOLDEN_SEED), "--today", GOLDEN_TODAY.isoformat(), "--json"]


def golden_output(preset_id: str, base: int) -> dict:
    """Everything one preset yields from one base year, to 2035, as the CLI's JSON."""
    dataset = load_dataset(today=GOLDEN_TODAY)
    scenario, _ = scenario_from_params({"preset": preset_id, "base": str(base), "paths": str(GOLDEN_PATHS),
                                        "seed": str(GOLDEN_SEED)}, clamp=False, baseline=baseline_of(dataset))
    return outcome_json(compute_outcome(scenario, dataset, ranges=True), today=GOLDEN_TODAY)


def golden_path(preset_id: str, base: int) -> Path:
    """Where one golden file lives."""
    return HERE / f"{preset_id}_base{base}.json"


def main() -> None:
    for preset_id in load_presets():
        for base in GOLDEN_BASES:
            text = json.dumps(golden_output(preset_id, base), ensure_ascii=False, indent=1, sort_keys=True)
            golden_path(preset_id, base).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
