"""Benchmark: project() for one scenario, goal-seek, and the AppTest rerun after a slider move.

Run: .venv/bin/python bench/bench_engine.py   (prints figures; not a test, no limits asserted)
"""

from __future__ import annotations

import statistics
import sys
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenarios.data.dataset import load_dataset  # noqa: E402
from scenarios.model.goals import required_big10_growth, required_industry_growth, required_uniform_growth  # noqa: E402
from scenarios.model.present import baseline_of  # noqa: E402
from scenarios.model.projection import Scenario, project  # noqa: E402
from scenarios.model.vision import project_vision  # noqa: E402


def per_call_us(fn, number: int = 2000, repeat: int = 7) -> tuple[float, float]:
    """Median and best time per call in microseconds."""
    times = [t / number * 1e6 for t in timeit.repeat(fn, number=number, repeat=repeat)]
    return statistics.median(times), min(times)


def main() -> None:
    dataset = load_dataset()
    baseline, macro = baseline_of(dataset), dataset.macro
    project_vision(project(Scenario(), baseline), macro)  # warm up
    s2035 = Scenario(horizon=2035).with_growth(semiconductors=12.0)
    s2050 = Scenario(horizon=2050, count_services=True)
    proj = project(s2035, baseline)
    rows = [
        ("project(), base 2021, horizon 2035", lambda: project(s2035, baseline)),
        ("project(), base 2021, horizon 2050", lambda: project(s2050, baseline)),
        ("required_uniform_growth()", lambda: required_uniform_growth(proj)),
        ("required_big10_growth()", lambda: required_big10_growth(proj)),
        ("required_industry_growth() x 11", lambda: [required_industry_growth(proj, s) for s in proj.series_ids]),
        ("project_vision() (5/5/5 links), to 2035", lambda: project_vision(proj, macro)),
        ("project() + project_vision(), to 2050", lambda: project_vision(project(s2050, baseline), macro)),
    ]
    print("engine (per call, median of 7 x 2000 calls; best in brackets)")
    for name, fn in rows:
        med, best = per_call_us(fn)
        print(f"  {name:<40} {med:8.1f} us  ({best:.1f} us)")

    from streamlit.testing.v1 import AppTest

    start = time.perf_counter()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    first = (time.perf_counter() - start) * 1e3
    reruns = []
    for i in range(30):
        value = 8.0 + (i % 10)
        start = time.perf_counter()
        at.slider(key="semiconductors").set_value(value).run()
        reruns.append((time.perf_counter() - start) * 1e3)
    reruns = reruns[5:]  # warm-up
    print("AppTest (script only, no browser)")
    print(f"  first run (imports, data load)           {first:8.1f} ms")
    print(f"  rerun after a slider move: median        {statistics.median(reruns):8.1f} ms"
          f"  (p90 {sorted(reruns)[int(0.9 * len(reruns))]:.1f}, n={len(reruns)})")


if __name__ == "__main__":
    main()
