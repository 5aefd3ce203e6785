"""Wall-time helper the engine benchmarks share."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed_ms(fn: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """Median, best and 90th-percentile wall time of `repeat` calls, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    return statistics.median(times), times[0], times[min(int(0.9 * repeat), repeat - 1)]
