"""Benchmark: the Monte Carlo of export paths with the 5/5/5 links, and the volatility it uses.

Run: .venv/bin/python bench/bench_montecarlo.py   (prints figures; not a test, no limits asserted)
Budget (issue #13): 10,000 paths with the won and the market in them within 50 ms.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import timed_ms  # noqa: E402

from scenarios.data.dataset import load_dataset  # noqa: E402
from scenarios.model import uncertainty  # noqa: E402
from scenarios.model.calibration import baseline_volatility, calibration_of  # noqa: E402
from scenarios.model.present import baseline_of  # noqa: E402
from scenarios.model.projection import Scenario, project  # noqa: E402
from scenarios.model.uncertainty import total_volatility  # noqa: E402
from scenarios.model.vision import project_vision  # noqa: E402


def main() -> None:
    dataset = load_dataset()
    baseline, macro = baseline_of(dataset), dataset.macro
    vol = baseline_volatility(baseline, macro)
    shocks = calibration_of(dataset).shocks

    def simulate(proj, vol, n_paths, won_and_market=True):
        return uncertainty.simulate(proj, vol, n_paths=n_paths, macro=macro, shocks=shocks,
                                    won_and_market=won_and_market)

    scenario = Scenario(base_year=2021, target_year=2027, horizon=2050)
    proj = project(scenario, baseline)
    project_vision(proj, macro)  # warm up
    simulate(proj, vol, n_paths=100)  # warm up

    def row(label: str, figures: tuple[float, float, float]) -> None:
        med, best, p90 = figures
        print(f"  {label:<46} {med:7.1f} ms  (best {best:.1f}, p90 {p90:.1f})")

    print("simulate(): 11 series, the won and the KOSPI, base 2021, horizon 2050 (30 years), with the 5/5/5 links")
    print("  (median of 21 back-to-back runs; best and p90 in brackets)")
    for n_paths in (2_000, 10_000, 20_000):
        row(f"{n_paths:,} paths", timed_ms(lambda n=n_paths: simulate(proj, vol, n_paths=n), 21))
    row("10,000 paths, exports only (no won/KOSPI shocks)",
        timed_ms(lambda: simulate(proj, vol, n_paths=10_000, won_and_market=False), 21))
    app = project(Scenario(base_year=2025, target_year=2030, horizon=2035), baseline)
    simulate(app, vol, n_paths=100)
    print("simulate(), the app's default scenario: base 2025, horizon 2035 (11 years), won and KOSPI shocks on")
    for n_paths in (2_000, 10_000):
        row(f"{n_paths:,} paths", timed_ms(lambda n=n_paths: simulate(app, vol, n_paths=n), 21))
    threshold = uncertainty._THREAD_MIN_CELLS
    uncertainty._THREAD_MIN_CELLS = 10**12  # the same numbers, one thread
    row("10,000 paths, one thread", timed_ms(lambda: simulate(proj, vol, n_paths=10_000), 21))
    uncertainty._THREAD_MIN_CELLS = threshold
    for n_paths in (2_000, 10_000):
        sim = simulate(proj, vol, n_paths=n_paths)
        row(f"bands(), 5 targets x 5 quantiles, {n_paths:,} paths", timed_ms(sim.bands, 11))
        row(f"probabilities(), {n_paths:,} paths", timed_ms(sim.probabilities, 21))
    row("baseline_volatility() (estimate from data)", timed_ms(lambda: baseline_volatility(baseline, macro), 11))

    sim = simulate(proj, vol, n_paths=10_000)
    print("probabilities, pledge preset (7.8 % a year), 10,000 paths, seed 1:")
    print("  " + ", ".join(f"{k} {v:.3f}" for k, v in sim.probabilities().items()))

    cal = vol.calibration
    print(f"volatility of annual log growth, {vol.window[0]}-{vol.window[1]}, shrinkage k = {vol.k:g}; one common "
          f"factor, betas x {cal['beta_multiplier']:.3f} so the total swings like {cal['total_growth_years']}")
    print(f"  {'series':<20} {'n':>3} {'raw':>7} {'beta':>7} {'own':>7} {'sigma':>7} {'loading':>8}")
    for i, sid in enumerate(vol.ids):
        raw = "-" if vol.n_obs[i] < 2 else f"{vol.sigma_raw[i]:.3f}"
        print(f"  {sid:<20} {vol.n_obs[i]:>3} {raw:>7} {cal['beta'][i]:7.3f} {cal['own_sigma'][i]:7.3f} "
              f"{vol.sigma[i]:7.3f} {vol.loadings[i]:8.3f}")
    weights = dict(zip(proj.series_ids, proj.values[:, 0] * proj.counted, strict=True))
    print(f"  actual total exports (raw, for comparison)  {total_volatility(baseline):7.3f}")
    print(f"  total implied by the model at 2021 shares    {vol.portfolio_sigma(weights):7.3f}")
    sh = shocks
    print(f"the won: sigma {sh.fx_sigma:.3f}, corr with exports {sh.fx_corr:.3f}; the KOSPI: lag {sh.lag} year(s), "
          f"valuation sigma {sh.val_sigma:.3f}, corr {sh.val_corr:.3f}; shocks "
          f"{'normal' if vol.df == float('inf') else f't, df {vol.df:g}'}")


if __name__ == "__main__":
    main()
