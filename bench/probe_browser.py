"""Where the browser's time goes on a slider release: React commits, what each redraws, CPU per Chromium process.

Starts a Streamlit script (the app by default, or ../shared/tools/floor_app.py with --floor) on a free port,
opens it in Debian's Chromium, moves one slider --presses times (right, left, ...) and prints:

1. per release, the React commits as (ms after the first, fibers rendered): a few large commits redraw
   nearly every element on the page (when the run starts, on the session status, on each burst of
   deltas, when it ends), so the browser's work grows with (large commits) x (elements drawn);
2. for the largest commit of one more release, the fibers rendered per element (data-testid and the
   start of its text; "wrapper" counts the fibers between an element and its block);
3. the CPU of each kind of Chromium process per release, net of the same page idle (psutil; the
   figures have the kernel's 10 ms tick as their grain, so take them over 15 or more presses).

Each release is given a fixed second: a release that takes longer on a slow machine counts some of its
commits with the next one.

A hook installed before the page loads stands in for React DevTools (``__REACT_DEVTOOLS_GLOBAL_HOOK__``):
React hands it every committed fiber tree; a fiber counts as rendered when its props object changed.
What this found is in BENCHMARKS.md (section 3, "Where the browser's time goes").

Run: .venv/bin/python bench/probe_browser.py [--floor] [--slider Semiconductors] [--presses 15]
Exit: 0 ok; 2 the server did not start, the slider was not found or no commit came.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import start_server, stop_server  # noqa: E402  (the browser tests' server: own group)

FLOOR = Path(os.environ.get("LATENCY_TOOLS", ROOT.parent / "shared" / "tools")) / "floor_app.py"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"

HOOK = """
window.__commits = []; window.__detail = null;
const containerOf = (f) => {
  for (let up = f; up; up = up.return) {
    const el = up.tag === 5 && up.stateNode && up.stateNode.getAttribute ? up.stateNode : null;
    const id = el && el.getAttribute('data-testid');
    if (id === 'stElementContainer') {
      const inner = el.querySelector('[data-testid]');
      const text = (el.innerText || '').split('\\n').join(' ').slice(0, 28);
      const side = el.closest('[data-testid=stSidebar]') ? 'sidebar ' : 'main ';
      return side + (inner ? inner.getAttribute('data-testid') : '?') + ' ' + text;
    }
    if (id === 'stSidebar' || id === 'stMain' || id === 'stHorizontalBlock' || id === 'stVerticalBlock')
      return (el.closest('[data-testid=stSidebar]') ? 'sidebar ' : 'main ') + id + ' (wrapper)';
  }
  return 'page chrome';
};
window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
  supportsFiber: true, renderers: new Map(), inject(r) { this.renderers.set(1, r); return 1; },
  onCommitFiberRoot(id, root) {
    let rendered = 0; const where = {}; const stack = [root.current];
    while (stack.length) {
      const f = stack.pop(); if (!f) continue;
      if (f.alternate && f.memoizedProps !== f.alternate.memoizedProps) {
        rendered++;
        if (window.__detail) { const w = containerOf(f); where[w] = (where[w] || 0) + 1; }
      }
      if (f.child && (!f.alternate || f.child !== f.alternate.child)) stack.push(f.child);
      if (f.sibling) stack.push(f.sibling);
    }
    window.__commits.push([performance.now(), rendered]);
    if (window.__detail) window.__detail.push([rendered, where]);
  },
  onCommitFiberUnmount() {}, onPostCommitFiberRoot() {}, checkDCE() {}, isDisabled: false,
};
"""


def chromium_cpu() -> dict[int, tuple[str, float]]:
    """CPU seconds of every Chromium process this script started, with its kind (renderer, gpu, ...)."""
    import psutil

    out = {}
    for p in psutil.Process().children(recursive=True):
        try:
            cmd = " ".join(p.cmdline())
            if "chrom" not in cmd:
                continue
            kind = next((k for k in ("renderer", "gpu-process", "utility", "zygote") if f"--type={k}" in cmd),
                        "browser" if "--type=" not in cmd else "other")
            t = p.cpu_times()
            out[p.pid] = (kind, t.user + t.system)
        except psutil.Error:
            pass
    return out


def cpu_by_kind(before: dict, after: dict) -> collections.Counter:
    used: collections.Counter = collections.Counter()
    for pid, (kind, cpu) in after.items():
        if pid in before:
            used[kind] += cpu - before[pid][1]
    return used


def probe(url: str, slider: str | None, presses: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 1600})
            context.add_init_script(HOOK)
            page = context.new_page()
            page.goto(url)
            page.wait_for_selector(IDLE, timeout=60_000)
            page.wait_for_timeout(2500)
            sliders = page.locator("[data-testid=stSlider]")
            thumb = next((sliders.nth(i).locator("input[type=range]") for i in range(sliders.count())
                          if slider is None or slider.lower() in sliders.nth(i).inner_text().lower()), None)
            if thumb is None:
                print(f"no slider labelled {slider!r}", file=sys.stderr)
                raise SystemExit(2)
            thumb.focus()
            for key in ("ArrowRight", "ArrowLeft"):  # warm-up
                page.keyboard.press(key)
                page.wait_for_timeout(1200)

            print("1. React commits per release (ms after the first, fibers rendered); large = over 300 fibers")
            totals, large = [], []
            for i in range(presses):
                page.evaluate("window.__commits = []")
                page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
                page.wait_for_timeout(1000)
                commits = page.evaluate("window.__commits")
                t0 = commits[0][0] if commits else 0
                totals.append(sum(n for _, n in commits))
                large.append(sum(n > 300 for _, n in commits))
                print(f"   {len(commits):3d} commits, {totals[-1]:5d} fibers: "
                      f"{[(round(t - t0), n) for t, n in commits if n]}")
            print(f"   mean: {sum(totals) / len(totals):.0f} fibers, {sum(large) / len(large):.1f} large commits "
                  f"per release")

            page.evaluate("window.__detail = []")
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(1000)
            detail = page.evaluate("window.__detail")
            if not detail:
                print("no React commit within a second of the release", file=sys.stderr)
                raise SystemExit(2)
            rendered, where = max(detail, key=lambda d: d[0])
            print(f"\n2. The largest commit of one release: {rendered} fibers, by element")
            for name, n in sorted(where.items(), key=lambda kv: -kv[1])[:40]:
                print(f"   {n:5d}  {name}")

            before = chromium_cpu()
            time.sleep(3)
            idle = {k: v / 3 for k, v in cpu_by_kind(before, chromium_cpu()).items()}
            before, t0 = chromium_cpu(), time.monotonic()
            for i in range(presses):
                page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
                page.wait_for_timeout(1000)
            used, seconds = cpu_by_kind(before, chromium_cpu()), time.monotonic() - t0
            net = {k: (v - idle.get(k, 0) * seconds) * 1000 / presses for k, v in used.items()}
            print(f"\n3. Chromium CPU per release, ms, net of idle ({presses} releases): "
                  + ", ".join(f"{k} {v:.0f}" for k, v in sorted(net.items(), key=lambda kv: -kv[1]))
                  + f"; all {sum(net.values()):.0f}")
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floor", action="store_true", help="probe ../shared/tools/floor_app.py instead")
    parser.add_argument("--slider", default=None, help="part of the slider's label (default: Semiconductors, "
                        "or the floor's only slider)")
    parser.add_argument("--presses", type=int, default=15)
    args = parser.parse_args()
    if args.presses < 1:
        parser.error("--presses must be at least 1")
    script = FLOOR if args.floor else ROOT / "app.py"
    slider = args.slider or (None if args.floor else "Semiconductors")
    try:
        proc, url = start_server(script=script)
    except RuntimeError as exc:
        print(f"{script}: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
    try:
        probe(url, slider, args.presses)
    finally:
        stop_server(proc)


if __name__ == "__main__":
    main()
