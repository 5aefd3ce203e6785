"""Browser latency of the app against the shared floor app, in one run, under one Streamlit configuration.

Runs ../shared/tools/latency.py (real headless Chromium) on floor_app.py, on
app.py, and on app.py with the fan charts off, all from this folder so that
the same .streamlit/config.toml applies, and prints a table of the figures
(slider -> every chart updated, median and p90; cold start; server and browser
CPU per rerun, net of idle; server memory after the first page load) with the
ratios to the floor, and issue #16's goals met or not.

Then holds the semiconductors slider (bench/drag_latency.py, issue 28): frames drawn while it is held and the
time from a move to its frame, median and p90 (--drag-runs 0 skips it).

Run: .venv/bin/python bench/latency_compare.py [--runs 20] [--drag-runs 5] [--st-arg=--runner.postScriptGC=false]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = Path(os.environ.get("LATENCY_TOOLS", ROOT.parent / "shared" / "tools"))
APPS = (("floor", TOOLS / "floor_app.py", None), ("app", ROOT / "app.py", "Semiconductors"),
        ("app, ranges off", ROOT / "bench" / "app_ranges_off.py", "Semiconductors"))


def measure(name: str, app: Path, label: str | None, runs: int, st_args: list[str], port: int) -> dict:
    out = ROOT / "bench" / "results" / f"latency_{name.replace(', ', '_').replace(' ', '_')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(TOOLS / "latency.py"), "--app", str(app), "--python", sys.executable,
           "--cwd", str(ROOT), "--runs", str(runs), "--json", str(out), "--port", str(port),
           "--apptest-runs", "0"]
    if label:
        cmd += ["--slider-label", label]
    cmd += [f"--st-arg={a}" for a in st_args]
    print(f"measuring {name} ...", file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return json.loads(out.read_text())


def figures(result: dict) -> dict[str, float]:
    s = result["summary"]
    return {
        "median": s["update_ms"]["median"],
        "p90": s["update_ms"]["p90"],
        "cold": result["cold_start"]["ready_ms"],
        "rss": result["rss"]["after_cold_load"] / 2**20,
        "server_cpu": result["cpu"]["server_net_ms_per_rerun"],
        "browser_cpu": result["cpu"]["browser_net_ms_per_rerun"],
    }


GOALS = (("median", "slider median", 1.5, "median"), ("p90", "slider p90 / floor median", 1.7, "median"),
         ("cold", "cold start", 1.3, "cold"), ("server_cpu", "server CPU per rerun", 1.5, "server_cpu"),
         ("browser_cpu", "browser CPU per rerun", 2.0, "browser_cpu"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--port", type=int, default=8599)
    parser.add_argument("--st-arg", action="append", default=[])
    parser.add_argument("--drag-runs", type=int, default=5)
    args = parser.parse_args()
    # the app as scripts/run.sh starts it: its own modules byte-compiled (as run.sh does before every start)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "scenarios", "ui"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    rows = {name: figures(measure(name, app, label, args.runs, args.st_arg, args.port))
            for name, app, label in APPS}
    floor = rows["floor"]
    print(f"{'app':<18} {'median ms':>10} {'p90 ms':>8} {'x floor':>8} {'cold ms':>8} {'x floor':>8} "
          f"{'srv CPU':>8} {'x floor':>8} {'brw CPU':>8} {'x floor':>8} {'RSS MiB':>8}")
    for name, r in rows.items():
        print(f"{name:<18} {r['median']:>10.0f} {r['p90']:>8.0f} {r['median'] / floor['median']:>8.2f} "
              f"{r['cold']:>8.0f} {r['cold'] / floor['cold']:>8.2f} {r['server_cpu']:>8.0f} "
              f"{r['server_cpu'] / floor['server_cpu']:>8.2f} {r['browser_cpu']:>8.0f} "
              f"{r['browser_cpu'] / floor['browser_cpu']:>8.2f} {r['rss']:>8.0f}")
    app = rows["app"]
    print("\nissue #16 goals (app against the floor of this run):")
    for key, what, limit, floor_key in GOALS:
        ratio = app[key] / floor[floor_key]
        print(f"  {what:<28} {ratio:5.2f}x  (goal <= {limit}x)  {'met' if ratio <= limit else 'NOT met'}")
    if args.drag_runs > 0:
        from drag_latency import measure_drag, report

        print()
        report(measure_drag(args.drag_runs))


if __name__ == "__main__":
    main()
