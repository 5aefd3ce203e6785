"""Load test: N concurrent browser sessions moving sliders against ONE Streamlit server on a free loopback port.

One headless Chromium (Debian's /usr/bin/chromium) holds one browser context per session, driven from one
process with Playwright's async API (20 contexts in one browser cost far less memory and CPU on a 2-core
machine than 20 Chromium processes). After a staggered ramp-up (every page loaded and idle), every session
moves sliders for --duration seconds: it alternates ArrowRight / ArrowLeft on a few sidebar sliders, and
waits for each rerun to finish before the next key press.

Per move, the latency is measured inside the page: from the keydown event's timestamp to the later of
"stApp's script state went back to notRunning" and "the last DOM mutation inside a chart", once the first
chart's content differs from what it showed before the key press and nothing changed for --settle-ms.
Errors: an stException or an error alert in the page, an uncaught page error, a move that timed out, a
lost websocket, or a Python traceback in the server log.

Server RSS is the streamlit process and its children (psutil), sampled every second.

Run:  .venv/bin/python bench/load_test.py [--sessions 20] [--duration 120] [--json out.json]
Exit: 0 no error; 1 at least one error; 2 setup failure (server or browser did not start, slider missing).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, free_port, stop_server  # noqa: E402

SLIDERS = ("Semiconductors", "Future mobility", "Secondary batteries")
CHART = "[data-testid=stVegaLiteChart]"
THUMB = "input[type=range]"
ERROR_SELECTOR = "[data-testid=stException], [data-testid=stAlertContentError]"
VIEWPORT = {"width": 1400, "height": 1200}
MiB = 1024 * 1024

# Installed before any page script: timestamps of the script-state changes and chart mutations after the
# last keydown, a content signature of the first chart, and done(settleMs) which returns the move's figures
# once the rerun is over and the chart shows something new (null until then).
TRACKER_JS = r"""
(() => {
  if (window.top !== window || window.__lt) return;
  const SEL = '[data-testid=stVegaLiteChart]';
  const now = () => performance.now();
  const R = window.__lt = {keydown: -1, chartLast: -1, idleAt: -1, running: false, before: null};
  new MutationObserver((recs) => {
    const t = now();
    for (const r of recs) {
      if (r.type === 'attributes' && r.attributeName === 'data-test-script-state') {
        const s = r.target.getAttribute('data-test-script-state');
        if (s === 'notRunning') R.idleAt = t; else R.running = true;
        continue;
      }
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (el && el.closest && el.closest(SEL)) R.chartLast = t;
    }
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  window.addEventListener('keydown', (e) => {
    R.keydown = e.timeStamp; R.chartLast = -1; R.idleAt = -1; R.running = false;
  }, true);
  const hash = (s) => {   // FNV-1a, 32 bit
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return h;
  };
  R.sig = () => {
    const c = document.querySelector(SEL);
    if (!c) return 'none';
    const cv = c.querySelector('canvas');
    if (cv) { try { return 'c' + hash(cv.toDataURL()); } catch (e) { return 'c?'; } }
    const svg = c.querySelector('svg.marks') || c.querySelector('svg');
    return svg ? 's' + hash(svg.outerHTML) : 'empty';
  };
  R.arm = () => { R.before = R.sig(); return R.before; };
  R.state = () => {
    const app = document.querySelector('[data-testid=stApp]');
    return {script: app && app.getAttribute('data-test-script-state'),
            conn: app && app.getAttribute('data-test-connection-state'),
            errors: document.querySelectorAll(
              '[data-testid=stException], [data-testid=stAlertContentError]').length};
  };
  R.done = (settleMs) => {
    const st = R.state();
    if (st.errors > 0) return {latency: null, errors: st.errors, conn: st.conn};
    if (st.script !== 'notRunning' || R.keydown < 0 || R.chartLast < 0) return null;
    const last = Math.max(R.chartLast, R.idleAt);
    if (now() - last < settleMs) return null;
    if (R.sig() === R.before) return null;
    return {latency: last - R.keydown, runDone: R.idleAt < 0 ? null : R.idleAt - R.keydown,
            chartLast: R.chartLast - R.keydown, sawRunning: R.running, errors: 0, conn: st.conn};
  };
})();
"""

IDLE_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  const charts = document.querySelectorAll('[data-testid=stVegaLiteChart]');
  const drawn = document.querySelectorAll(
    '[data-testid=stVegaLiteChart] svg.marks, [data-testid=stVegaLiteChart] canvas');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning' && charts.length > 0
    && drawn.length >= charts.length && document.querySelectorAll('[data-testid=stSkeleton]').length === 0;
}"""


# ----------------------------------------------------------------------------- server


class Server:
    """`streamlit run app.py` on a free loopback port, in its own process group, logging to a file."""

    def __init__(self, extra_args: list[str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkstemp(prefix="streamlit-load-", suffix=".log")[1])
        self.extra_args = list(extra_args or [])
        self.proc: subprocess.Popen | None = None
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._sampler: threading.Thread | None = None

    def start(self, timeout: float = 60) -> float:
        cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
               "--server.port", str(self.port), "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false", *self.extra_args]
        t0 = time.monotonic()
        with self.log.open("wb") as fh:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = t0 + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as resp:
                    if resp.read().decode().strip() == "ok":
                        self._sampler = threading.Thread(target=self._sample, daemon=True)
                        self._sampler.start()
                        return time.monotonic() - t0
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"streamlit did not become healthy within {timeout:.0f} s:\n{self.log_tail()}")

    def rss(self) -> int:
        """RSS of the server process and all its children, in bytes."""
        return 0 if self.proc is None else int(_sum_over(_tree(self.proc.pid), lambda p: p.memory_info().rss))

    def cpu_seconds(self) -> float:
        """User+system CPU seconds of the server process and all its children."""
        return 0.0 if self.proc is None else _sum_over(_tree(self.proc.pid), _cpu)

    def _sample(self) -> None:
        while not self._stop.wait(1.0) and len(self.samples) < 100_000:
            self.samples.append((time.time(), self.rss()))

    def peak_rss(self) -> int:
        return max((rss for _, rss in self.samples), default=0)

    def tracebacks(self) -> int:
        try:
            return self.log.read_text(errors="replace").count("Traceback (most recent call last)")
        except OSError:
            return 0

    def log_tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        self._stop.set()
        if self.proc is not None:
            stop_server(self.proc)   # SIGTERM, then SIGKILL, to this server's own process group only


# ----------------------------------------------------------------------------- one browser session


@dataclass
class Session:
    """One browser context and page, with what its moves measured."""

    index: int
    page: object = None
    context: object = None
    thumbs: list = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    moves: int = 0

    def error(self, msg: str) -> None:
        if len(self.errors) < 1000:
            self.errors.append(f"session {self.index}: {msg}")


async def open_session(browser, url: str, index: int, timeout_ms: float) -> Session:
    """Open the app in a fresh browser context, wait until it is idle with every chart drawn."""
    s = Session(index)
    s.context = await browser.new_context(viewport=VIEWPORT)
    await s.context.add_init_script(TRACKER_JS)
    s.page = await s.context.new_page()
    s.page.on("pageerror", lambda exc: s.error(f"page error: {exc}"))
    await s.page.goto(url, timeout=timeout_ms)
    await s.page.wait_for_function(IDLE_JS, timeout=timeout_ms, polling=200)
    for label in SLIDERS:
        thumb = s.page.locator("[data-testid=stSlider]", has_text=label).locator(THUMB).first
        if await thumb.count() == 0:
            raise RuntimeError(f"slider {label!r} not found")
        s.thumbs.append(thumb)
    n = await s.page.locator(ERROR_SELECTOR).count()
    if n:
        s.error(f"{n} error element(s) right after the page load")
    return s


async def move(s: Session, thumb, key: str, settle_ms: float, timeout_ms: float, poll_ms: float = 100
               ) -> float | None:
    """Press one arrow key on a focused slider thumb and wait for the rerun; the in-page latency in ms."""
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    s.moves += 1
    step = "focus"
    try:
        await thumb.focus(timeout=timeout_ms)
        step = "key press"
        await s.page.evaluate("window.__lt.arm()")
        await s.page.keyboard.press(key)
        step = "rerun"
        handle = await s.page.wait_for_function("(ms) => window.__lt.done(ms)", arg=settle_ms,
                                                timeout=timeout_ms, polling=poll_ms)
        res = await handle.json_value()
    except PlaywrightTimeout:
        s.error(f"move {s.moves} ({key}): {step} timed out after {timeout_ms / 1000:.0f} s; "
                f"page {await page_state(s.page)}")
        return None
    except PlaywrightError as exc:
        s.error(f"move {s.moves} ({key}): {step} failed: {str(exc).splitlines()[0]}")
        return None
    if res.get("errors"):
        s.error(f"move {s.moves}: {res['errors']} stException/error alert(s) on the page")
        return None
    if res.get("conn") not in (None, "CONNECTED"):
        s.error(f"move {s.moves}: websocket state {res['conn']}")
    s.latencies.append(res["latency"])
    return res["latency"]


async def page_state(page) -> dict | str:
    """What the page shows (script and websocket state, sliders, errors), for an error message."""
    try:
        return await asyncio.wait_for(page.evaluate("""() => ({...window.__lt.state(),
            sliders: document.querySelectorAll('[data-testid=stSlider]').length,
            charts: document.querySelectorAll('[data-testid=stVegaLiteChart]').length,
            text: (document.querySelector('[role=dialog]') || {}).innerText || null})"""), 30)
    except Exception as exc:  # noqa: BLE001 - only a diagnostic
        return f"unreadable ({str(exc).splitlines()[0]})"


async def session_loop(s: Session, start: float, duration: float, settle_ms: float, timeout_ms: float,
                       max_moves: int, poll_ms: float) -> None:
    """Alternate ArrowRight / ArrowLeft on the sliders until the duration is over (or max_moves, or 5 errors)."""
    n = 0
    while time.monotonic() - start < duration and n < max_moves and len(s.errors) < 5:
        thumb = s.thumbs[(n // 2 + s.index) % len(s.thumbs)]
        await move(s, thumb, "ArrowRight" if n % 2 == 0 else "ArrowLeft", settle_ms, timeout_ms, poll_ms)
        n += 1


# ----------------------------------------------------------------------------- figures


def _tree(pid: int, with_root: bool = True) -> list:
    """A process and its children, recursively (empty if it is gone)."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)] if with_root else root.children(recursive=True)
    except psutil.Error:
        return []


def _cpu(p) -> float:
    c = p.cpu_times()
    return c.user + c.system


def _sum_over(procs: list, measure) -> float:
    """Sum a per-process measure, skipping processes that ended meanwhile."""
    total = 0.0
    for p in procs:
        try:
            total += measure(p)
        except psutil.Error:
            pass
    return total


def tree_cpu_seconds(pid: int, exclude: int | None = None) -> float:
    """User+system CPU seconds of a process's children, recursively (here: Playwright's driver and Chromium)."""
    return _sum_over([p for p in _tree(pid, with_root=False) if p.pid != exclude], _cpu)


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy (all processes, all cores) since boot."""
    c = psutil.cpu_times()
    return sum(c) - c.idle - getattr(c, "iowait", 0.0)


def percentile(values: list[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100)."""
    if not values:
        return None
    v = sorted(values)
    k = (len(v) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def ms(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.0f} ms"


def mib(x: int) -> str:
    return f"{x / MiB:.0f} MiB"


async def run_load(args) -> dict:
    from playwright.async_api import async_playwright

    server = Server(args.st_arg)
    result: dict = {"sessions": args.sessions, "duration_s": args.duration, "settle_ms": args.settle_ms,
                    "server_args": args.st_arg, "errors": []}
    try:
        result["server_boot_s"] = round(server.start(), 2)
        result["rss_boot"] = server.rss()
        print(f"server up at {server.url} (log {server.log}); RSS {mib(result['rss_boot'])}", file=sys.stderr)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                result.update(await drive(browser, server, args))
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
    return result


async def drive(browser, server: Server, args) -> dict:
    timeout_ms = args.timeout * 1000
    load_gate = asyncio.Semaphore(args.ramp_concurrency)

    async def opened(i: int) -> Session:
        from playwright.async_api import Error as PlaywrightError

        async with load_gate:
            try:
                return await open_session(browser, server.url, i, timeout_ms)
            except PlaywrightError as exc:
                raise RuntimeError(f"session {i} could not load the page: {exc}") from exc

    t0 = time.monotonic()
    sessions = list(await asyncio.gather(*(opened(i) for i in range(args.sessions))))
    ramp_s = time.monotonic() - t0
    rss_before = server.rss()
    print(f"{len(sessions)} sessions loaded in {ramp_s:.1f} s; server RSS {mib(rss_before)}", file=sys.stderr)

    me = os.getpid()
    cpu0, browser0, busy0 = server.cpu_seconds(), tree_cpu_seconds(me, server.proc.pid), machine_busy_seconds()
    self0 = sum(psutil.Process(me).cpu_times()[:2])
    start = time.monotonic()
    await asyncio.gather(*(session_loop(s, start, args.duration, args.settle_ms, timeout_ms, args.max_moves,
                                        args.poll_ms) for s in sessions))
    elapsed = time.monotonic() - start
    cpu = server.cpu_seconds() - cpu0
    browser_cpu = tree_cpu_seconds(me, server.proc.pid) - browser0
    harness_cpu = sum(psutil.Process(me).cpu_times()[:2]) - self0
    busy = machine_busy_seconds() - busy0
    rss_after = server.rss()
    errors = [e for s in sessions for e in s.errors]
    for s in sessions:
        n = await s.page.locator(ERROR_SELECTOR).count()
        if n:
            errors.append(f"session {s.index}: {n} error element(s) on the page at the end")
    for s in sessions:
        await s.context.close()
    lat = [x for s in sessions for x in s.latencies]
    return {
        "ramp_up_s": round(ramp_s, 1),
        "elapsed_s": round(elapsed, 1),
        "moves": sum(s.moves for s in sessions),
        "moves_ok": len(lat),
        "moves_per_s": round(len(lat) / elapsed, 2) if elapsed else None,
        "moves_per_session": [s.moves for s in sessions],
        "latency_ms": {"p50": percentile(lat, 50), "p95": percentile(lat, 95), "max": max(lat, default=None),
                       "mean": statistics.fmean(lat) if lat else None},
        "latencies_ms": [round(x, 1) for x in lat],
        "rss_before": rss_before,
        "rss_after": rss_after,
        "server_cpu_s": round(cpu, 1),
        "server_cpu_per_move_ms": round(cpu * 1000 / len(lat), 1) if lat else None,
        "browser_cpu_s": round(browser_cpu, 1),
        "harness_cpu_s": round(harness_cpu, 1),
        "machine_busy_s": round(busy, 1),
        "machine_cores": psutil.cpu_count(),
        "other_cpu_s": round(busy - cpu - browser_cpu - harness_cpu, 1),
        "errors": errors,
    }


def keep_or_remove_log(result: dict) -> None:
    """The server log is kept (and named) only when something went wrong."""
    if result["errors"]:
        print(f"server log: {result['server_log']}")
    else:
        Path(result["server_log"]).unlink(missing_ok=True)


def report(r: dict) -> None:
    lat = r.get("latency_ms", {})
    print(f"sessions:        {r['sessions']} (ramp-up {r.get('ramp_up_s')} s, then {r.get('elapsed_s')} s of moves)")
    print(f"moves:           {r.get('moves')} ({r.get('moves_ok')} completed, {r.get('moves_per_s')} per s)")
    print(f"errors:          {len(r['errors'])}")
    for e in r["errors"][:20]:
        print(f"  - {e}")
    print(f"latency p50/p95: {ms(lat.get('p50'))} / {ms(lat.get('p95'))} (max {ms(lat.get('max'))})")
    if "elapsed_s" in r:
        cap = r["elapsed_s"] * r["machine_cores"]
        print(f"CPU during moves: server {r['server_cpu_s']} s ({r['server_cpu_per_move_ms']} ms per move), "
              f"Chromium+driver {r['browser_cpu_s']} s, harness {r['harness_cpu_s']} s, other processes "
              f"{r['other_cpu_s']} s; machine busy {r['machine_busy_s']} of {cap:.0f} core-s "
              f"({100 * r['machine_busy_s'] / cap:.0f} %)")
    print(f"server RSS:      boot {mib(r.get('rss_boot', 0))}, before moves {mib(r.get('rss_before', 0))}, "
          f"after moves {mib(r.get('rss_after', 0))}, peak {mib(r.get('rss_peak', 0))}, "
          f"after the sessions closed {mib(r.get('rss_after_close', 0))}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions (default 20)")
    p.add_argument("--duration", type=float, default=120, help="seconds of slider moves (default 120)")
    p.add_argument("--json", type=Path, help="write every figure (and each latency) to this file")
    p.add_argument("--settle-ms", type=float, default=200, help="quiet time that ends a move (default 200)")
    p.add_argument("--poll-ms", type=float, default=200,
                   help="how often the harness asks a page whether its move is done (default 200; the latency is "
                        "timed inside the page, so this only spaces the moves)")
    p.add_argument("--timeout", type=float, default=90, help="seconds one page load or one move may take")
    p.add_argument("--max-moves", type=int, default=10_000, help="per session, a hard cap (default 10000)")
    p.add_argument("--ramp-concurrency", type=int, default=2, help="pages loading at once during ramp-up")
    p.add_argument("--st-arg", action="append", default=[], help="extra `streamlit run` flag (repeatable)")
    args = p.parse_args(argv)
    if not 1 <= args.sessions <= 50:
        p.error("--sessions must be 1..50")
    if not 0 < args.duration <= 3600:
        p.error("--duration must be in (0, 3600] seconds")
    return args


def run_cli(args: argparse.Namespace, coroutine, report_result) -> int:
    """Run a benchmark coroutine, print its report, save its JSON; 0 ok, 1 errors seen, 2 could not run."""
    if not os.path.exists(CHROMIUM):
        coroutine.close()
        print(f"error: Chromium not found at {CHROMIUM}", file=sys.stderr)
        return 2
    try:
        result = asyncio.run(coroutine)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report_result(result)
    keep_or_remove_log(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 1 if result["errors"] else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return run_cli(args, run_load(args), report)


if __name__ == "__main__":
    sys.exit(main())
