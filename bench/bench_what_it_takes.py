"""Benchmark: what it would take (issue #14): gap, sensitivity, growth for a chance, least stretch.

Run: .venv/bin/python bench/bench_what_it_takes.py   (prints figures; not a test, no limits asserted)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import timed_ms  # noqa: E402

from scenarios.data.dataset import load_dataset  # noqa: E402
from scenarios.model.calibration import calibration_of  # noqa: E402
from scenarios.model.outcome import compute_outcome  # noqa: E402
from scenarios.model.present import baseline_of  # noqa: E402
from scenarios.model.projection import Scenario, project  # noqa: E402
from scenarios.model.what_it_takes import (  # noqa: E402
    gap_decomposition,
    required_for_probability,
    sensitivity,
    solve_least_stretch,
)
from scenarios.words.describe import exports_summary  # noqa: E402


def main() -> None:
    dataset = load_dataset()
    baseline, macro = baseline_of(dataset), dataset.macro
    cal = calibration_of(dataset)
    vol, shocks = cal.vol, cal.shocks

    def row(label: str, figures: tuple[float, float, float]) -> None:
        med, best, p90 = figures
        print(f"  {label:<52} {med:8.2f} ms  (best {best:.2f}, p90 {p90:.2f})")

    print("what it would take (median of back-to-back runs; best and p90 in brackets)")
    for base, target, horizon in ((2025, 2030, 2035), (2021, 2027, 2050)):
        s = Scenario(base_year=base, target_year=target, horizon=horizon)
        proj = project(s, baseline)
        required_for_probability(proj, (0.5, 0.8), vol, 100, 1, macro, shocks)  # warm up
        print(f" base {base}, target {target}, horizon {horizon}, pledge growth")
        row("required_for_probability((0.5, 0.8)), 2,000 paths",
            timed_ms(lambda p=proj: required_for_probability(p, (0.5, 0.8), vol, 2000, 1, macro, shocks), 21))
        row("required_for_probability((0.5, 0.8)), 20,000 paths",
            timed_ms(lambda p=proj: required_for_probability(p, (0.5, 0.8), vol, 20_000, 1, macro, shocks), 7))
        row("gap_decomposition()", timed_ms(lambda p=proj: gap_decomposition(p), 201))
        row("sensitivity(), no paths (17 levers)",
            timed_ms(lambda x=s, p=proj: sensitivity(x, baseline, vol, macro, shocks, proj=p), 21))
        row("sensitivity(), 2,000 paths (up to 23 simulations)",
            timed_ms(lambda x=s, p=proj: sensitivity(x, baseline, vol, macro, shocks, n_paths=2000, proj=p), 7))
        row("solve_least_stretch()", timed_ms(lambda p=proj: solve_least_stretch(p, vol, baseline), 21))

    s = Scenario(base_year=2025, target_year=2030)

    def headline() -> str:  # a new scenario: its outcome, gap and sensitivity are computed afresh
        return exports_summary(compute_outcome(s, dataset, ranges=False), "en")

    def headline_before() -> None:
        compute_outcome(s, dataset, ranges=False)

    print(" the sentence under the exports chart, per new scenario (no ranges)")
    row("compute_outcome()", timed_ms(headline_before, 21))
    row("compute_outcome() + exports_summary() with the new sentences", timed_ms(headline, 21))
    app_reruns()


def app_reruns(moves: int = 30) -> None:
    """AppTest reruns after a slider move to a value not seen before (no cached outcome), panel closed and open."""
    from streamlit.testing.v1 import AppTest

    print(f" AppTest rerun after a slider move to a new value, defaults (ranges on, 2,000 paths); {moves} moves,")
    print("  the first 5 dropped")
    for is_open in (False, True):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state["open_what_it_takes"] = is_open
        at.run()
        times = []
        for i in range(moves):
            start = time.perf_counter()
            at.slider(key="semiconductors").set_value(round(2.0 + 0.3 * i, 1)).run()
            times.append((time.perf_counter() - start) * 1e3)
        times = sorted(times[5:])
        label = "panel open (waterfall, tornado with chances, ...)" if is_open else "panel closed"
        row_ms = statistics.median(times), times[0], times[int(0.9 * len(times))]
        print(f"  {label:<52} {row_ms[0]:8.2f} ms  (best {row_ms[1]:.2f}, p90 {row_ms[2]:.2f})")


if __name__ == "__main__":
    main()
