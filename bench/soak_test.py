"""Soak test: 1,000 reruns in ONE real browser session against ONE Streamlit server, watching the server's memory.

A single headless Chromium page (Debian's /usr/bin/chromium) focuses the "Semiconductors" slider thumb and
presses arrow keys: --span presses to the right, then --span to the left, and so on, so the values sweep
back and forth (more distinct scenarios than the app's 16-entry Monte Carlo cache holds). Each press is one
rerun through the real server (websocket, script thread, deltas, charts), and the next press waits until
that rerun has finished and the chart has changed (the same in-page tracker as bench/load_test.py).

Server RSS (the streamlit process tree, psutil) is recorded before the first rerun, every 100 reruns, at
the halfway point and after the last one. The run fails (exit 1) if any error happened (stException or
error alert, page error, a rerun that timed out, a traceback in the server log) or if RSS grew over the
second half of the reruns (the last 500 by default) by more than --max-growth-pct (15 %) of the halfway
RSS or by more than --max-growth-mib (50 MiB).

Run:  .venv/bin/python bench/soak_test.py [--reruns 1000] [--json out.json]
Exit: 0 ok; 1 an error or too much RSS growth; 2 setup failure.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_test import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ERROR_SELECTOR,
    THUMB,
    MiB,
    Server,
    mib,
    move,
    open_session,
    percentile,
    run_cli,
)

SLIDER = "Semiconductors"
STEP = 0.1   # the slider's step (scenarios/registry/levers.toml)


async def soak(args) -> dict:
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import async_playwright

    server = Server(args.st_arg)
    result: dict = {"reruns_asked": args.reruns, "span": args.span, "settle_ms": args.settle_ms,
                    "server_args": args.st_arg, "errors": [], "rss": []}
    try:
        result["server_boot_s"] = round(server.start(), 2)
        result["rss_boot"] = server.rss()
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                try:
                    s = await open_session(browser, server.url, 0, args.timeout * 1000)
                except PlaywrightError as exc:
                    raise RuntimeError(f"the page did not load: {exc}") from exc
                thumb = s.page.locator("[data-testid=stSlider]", has_text=SLIDER).locator(THUMB).first
                first_value = float(await thumb.input_value())
                half = args.reruns // 2
                result["rss"].append((0, server.rss()))
                print(f"rerun     0: server RSS {mib(result['rss'][-1][1])}", file=sys.stderr)
                start = time.monotonic()
                n = 0
                while n < args.reruns and len(s.errors) < 5 and time.monotonic() - start < args.max_seconds:
                    key = "ArrowRight" if (n // args.span) % 2 == 0 else "ArrowLeft"
                    await move(s, thumb, key, args.settle_ms, args.timeout * 1000, args.poll_ms)
                    n += 1
                    if n % 100 == 0 or n == half or n == args.reruns:
                        result["rss"].append((n, server.rss()))
                        lat = s.latencies[-100:]
                        print(f"rerun {n:5d}: server RSS {mib(result['rss'][-1][1])}, last 100 reruns p50 "
                              f"{percentile(lat, 50) or 0:.0f} ms", file=sys.stderr)
                elapsed = time.monotonic() - start
                if n < args.reruns:
                    s.error(f"stopped after {n} of {args.reruns} reruns")
                # Every press must have been exactly one step: the slider ends where the sweep says.
                net = sum(1 if (i // args.span) % 2 == 0 else -1 for i in range(n))
                expected, shown = round(first_value + STEP * net, 1), float(await thumb.input_value())
                result["slider_first_last"] = (first_value, shown)
                if abs(shown - expected) > 1e-9:
                    s.error(f"slider ended at {shown}, expected {expected} after {n} presses")
                if await s.page.locator(ERROR_SELECTOR).count():
                    s.error("error element(s) on the page at the end")
                await s.context.close()
            finally:
                await browser.close()
        await asyncio.sleep(2)
        result["rss_after_close"] = server.rss()
        result["rss_peak"] = server.peak_rss()
        tb = server.tracebacks()
        if tb:
            result["errors"].append(f"server log has {tb} Python traceback(s):\n{server.log_tail()}")
    finally:
        server.stop()
    result["server_log"] = str(server.log)
    result["errors"][:0] = s.errors
    lat = s.latencies
    result.update({
        "reruns": n, "reruns_ok": len(lat), "elapsed_s": round(elapsed, 1),
        "wall_per_rerun_ms": round(elapsed * 1000 / n, 1) if n else None,
        "latency_ms": {"p50": percentile(lat, 50), "p95": percentile(lat, 95), "max": max(lat, default=None),
                       "mean": statistics.fmean(lat) if lat else None},
        "latencies_ms": [round(x, 1) for x in lat],
    })
    checkpoints = dict(result["rss"])
    if n == args.reruns and half in checkpoints and half > 0:
        grow = checkpoints[n] - checkpoints[half]
        result["growth_second_half"] = {"from_rerun": half, "to_rerun": n, "bytes": grow,
                                        "pct": 100 * grow / checkpoints[half]}
        if grow > args.max_growth_mib * MiB or grow > checkpoints[half] * args.max_growth_pct / 100:
            result["errors"].append(
                f"server RSS grew by {mib(grow)} ({result['growth_second_half']['pct']:.1f} %) over reruns "
                f"{half}..{n}: more than {args.max_growth_pct:g} % or {args.max_growth_mib:g} MiB")
    return result


def report(r: dict) -> None:
    lat = r["latency_ms"]
    print(f"reruns:           {r['reruns']} ({r['reruns_ok']} completed) in {r['elapsed_s']} s, one session")
    print(f"time per rerun:   in-page p50 {lat['p50'] or 0:.0f} ms, p95 {lat['p95'] or 0:.0f} ms, "
          f"max {lat['max'] or 0:.0f} ms; wall {r['wall_per_rerun_ms']} ms per rerun (with the settle window)")
    print("server RSS:       " + ", ".join(f"{n}: {mib(b)}" for n, b in r["rss"])
          + f"; after the page closed {mib(r.get('rss_after_close', 0))}; peak {mib(r.get('rss_peak', 0))}")
    g = r.get("growth_second_half")
    if g:
        print(f"growth over reruns {g['from_rerun']}..{g['to_rerun']}: {g['bytes'] / MiB:+.1f} MiB "
              f"({g['pct']:+.1f} %)")
    print(f"errors:           {len(r['errors'])}")
    for e in r["errors"][:20]:
        print(f"  - {e}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reruns", type=int, default=1000, help="slider reruns in the one session (default 1000)")
    p.add_argument("--span", type=int, default=25, help="key presses in one direction before turning (default 25)")
    p.add_argument("--max-growth-pct", type=float, default=15.0, help="allowed RSS growth over the second half, %%")
    p.add_argument("--max-growth-mib", type=float, default=50.0, help="allowed RSS growth over the second half, MiB")
    p.add_argument("--json", type=Path, help="write every figure (and each latency) to this file")
    p.add_argument("--settle-ms", type=float, default=200, help="quiet time that ends a rerun (default 200)")
    p.add_argument("--poll-ms", type=float, default=50, help="how often to ask the page whether the rerun is done")
    p.add_argument("--timeout", type=float, default=60, help="seconds one page load or one rerun may take")
    p.add_argument("--max-seconds", type=float, default=3600, help="hard cap on the whole loop (default 3600)")
    p.add_argument("--st-arg", action="append", default=[], help="extra `streamlit run` flag (repeatable)")
    args = p.parse_args(argv)
    if not 2 <= args.reruns <= 20_000:
        p.error("--reruns must be 2..20000")
    if not 1 <= args.span <= 300:
        p.error("--span must be 1..300 (the slider has 700 steps; the sweep starts at 7.8 %)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return run_cli(args, soak(args), report)


if __name__ == "__main__":
    sys.exit(main())
