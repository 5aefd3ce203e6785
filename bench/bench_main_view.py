"""Benchmark: ui.explorer.main_view alone, timed inside an AppTest run (40 slider moves, first 10 dropped).

Run: .venv/bin/python bench/bench_main_view.py   (prints figures; not a test)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from streamlit.testing.v1 import AppTest

    import ui.explorer as explorer

    times: list[float] = []
    original = explorer.main_view

    def timed(*args, **kwargs) -> None:
        start = time.perf_counter()
        original(*args, **kwargs)
        times.append((time.perf_counter() - start) * 1e3)

    explorer.main_view = timed
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    reruns = []
    for i in range(40):
        start = time.perf_counter()
        at.slider(key="semiconductors").set_value(8.0 + (i % 10)).run()
        reruns.append((time.perf_counter() - start) * 1e3)
        if at.exception:
            raise SystemExit(f"the app raised: {at.exception[0].value}")
    print(f"main_view median {statistics.median(times[10:]):.1f} ms, "
          f"AppTest rerun median {statistics.median(reruns[10:]):.1f} ms")


if __name__ == "__main__":
    main()
