"""Benchmark: what --paths costs the command line's JSON (issue 28): `main(["--json"])` against
`main(["--paths", "10000", "--json"])`, alternated in one process after a warm-up, so the figures leave out
Python's start and the imports (which swing by a second on a shared machine) and keep the work itself.

Run: .venv/bin/python bench/bench_cli_paths.py [repeats]   (prints figures; not a test, no limits asserted)
"""

from __future__ import annotations

import contextlib
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenarios.cli.main import main  # noqa: E402


def run(args: list[str]) -> tuple[float, float]:
    """Wall and CPU (every thread) milliseconds of one main(args), its output dropped."""
    wall, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(io.StringIO()):
        main(args)
    return (time.perf_counter() - wall) * 1e3, (time.process_time() - cpu) * 1e3


def bench(repeats: int = 5) -> None:
    plain, paths = ["--json"], ["--paths", "10000", "--json"]
    run(plain), run(paths)  # warm-up: data, calibration
    res: dict[str, list[tuple[float, float]]] = {"without --paths": [], "--paths 10000": []}
    for _ in range(repeats):
        res["without --paths"].append(run(plain))
        res["--paths 10000"].append(run(paths))
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in res.items()}
    print(f"python -m scenarios --json, in one process, median of {repeats} alternated runs")
    for k, (w, c) in med.items():
        print(f"  {k:16s} wall {w:7.0f} ms   cpu {c:7.0f} ms   walls {[round(w) for w, _ in res[k]]}")
    (w0, c0), (w1, c1) = med.values()
    print(f"  --paths adds      wall {w1 - w0:7.0f} ms   cpu {c1 - c0:7.0f} ms")


if __name__ == "__main__":
    bench(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
