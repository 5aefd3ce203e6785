// The exports chart follows a growth or chip-cycle slider while it is held (issue 28).
//
// Streamlit sends a slider's value on release; until then only the slider's own hidden
// <input type=range> moves. While the pointer is held on one of the levers named in `data.levers`,
// this script reads every lever's current value once per animation frame and, when one changed,
// recomputes the projection exactly as scenarios.model.projection.project does:
//     V_i(t) = V_i(b) * (1 + g_i) ** (t - b) * P_i(t),  total(t) = sum of counted V_i(t),
// with P the chip price path on semiconductors (chip_price_path), and puts those rows into the
// exports chart's own Vega view (every other row, such as actuals, the reference and the USD 1 trn line,
// stays as Streamlit drew it; the simulated ranges are left out until the release, as they belong to the
// rates the engine ran). On release Streamlit reruns and replaces the table with the engine's.
// Nothing is drawn by this component itself, and the sliders, their keyboard and names are untouched.

const STATE = (window.__big10Preview = window.__big10Preview || {
  data: null, view: null, held: false, startRows: null, startValues: null, lastKey: null,
  lastMove: 0, pendingMove: 0, frames: [], drawing: false, raf: 0, listening: false,
});

const PROJECTION_KINDS = new Set(["area", "uncounted", "total"]);
const RANGE_KINDS = new Set(["band90", "band50", "median"]);

function leverInput(id) {
  return document.querySelector(`.st-key-${id} input`);
}

function leverValues(data) {
  const out = {};
  for (const id of data.levers) {
    const el = leverInput(id);
    const v = el ? parseFloat(el.value) : NaN;
    out[id] = Number.isFinite(v) ? v : data.values[id];
  }
  return out;
}

function chipPricePath(years, base, price, span, delay) {
  // scenarios.model.projection.chip_price_path
  const change = price / 100.0;
  if (change === 0) return years.map(() => 1.0);
  const k = Math.max(Math.round(span), 1);
  const d = Math.max(Math.round(delay), 0);
  return years.map((y) => 1.0 + change * Math.min(Math.max(y - base - d, 0), k) / k);
}

function round3(x) {
  // pandas' round(3) on the table Streamlit sends (half to even on the binary value; 1e-3 apart at most)
  return Math.round(x * 1000) / 1000;
}

// The projection for lever values `v`: {values: [[...per year] per series], total: [...]}.
function project(data, v) {
  const years = data.years;
  const price = chipPricePath(years, data.base_year, v.chip_price ?? data.values.chip_price ?? 0,
    v.chip_years ?? data.values.chip_years ?? 1, v.chip_delay ?? data.values.chip_delay ?? 0);
  const values = data.series.map((sid, i) => {
    const g = (v[sid] ?? data.values[sid]) / 100.0;
    const row = years.map((y) => data.base[i] * Math.pow(1.0 + g, y - data.base_year));
    return sid === data.chips ? row.map((x, j) => x * price[j]) : row;
  });
  const total = years.map((_, j) => values.reduce((s, row, i) => (data.counted[i] ? s + row[j] : s), 0.0));
  return { values, total };
}

function findView() {
  // The exports chart's Vega view, from the React state of Streamlit's chart element: the chart whose
  // table holds the stacked series (kind "area").
  for (const el of document.querySelectorAll("[data-testid=stVegaLiteChart]")) {
    const fk = Object.keys(el).find((k) => k.startsWith("__reactFiber$"));
    let f = fk ? el[fk] : null;
    for (let depth = 0; f && depth < 40; depth++, f = f.return) {
      for (let h = f.memoizedState; h && typeof h === "object" && "next" in h; h = h.next) {
        const c = h.memoizedState && h.memoizedState.current;
        if (c && typeof c.runAsync === "function" && typeof c.data === "function") {
          try {
            const rows = c.data("source");
            if (rows && rows.some((r) => r.kind === "area")) return c;
          } catch (e) { /* not this chart */ }
        }
      }
    }
  }
  return null;
}

function plain(row) {
  const out = {};
  for (const k of Object.keys(row)) out[k] = row[k];
  return out;
}

function previewRows(data, base, v) {
  const p = project(data, v);
  const index = new Map(data.years.map((y, j) => [y, j]));
  const rows = [];
  for (const r of base) {
    if (RANGE_KINDS.has(r.kind)) continue;
    const row = plain(r);
    if (PROJECTION_KINDS.has(r.kind) && index.has(r.year)) {
      const j = index.get(r.year);
      if (r.kind === "total") row.value = round3(p.total[j]);
      else if (r.order >= 0 && r.order < p.values.length) row.value = round3(p.values[r.order][j]);
    }
    rows.push(row);
  }
  return rows;
}

async function draw() {
  const data = STATE.data;
  if (!data || STATE.drawing) return;
  const v = leverValues(data);
  const key = JSON.stringify(v);
  if (key === STATE.lastKey) return;
  const view = STATE.view && STATE.view.container && STATE.view.container() && STATE.view.container().isConnected
    ? STATE.view : (STATE.view = findView());
  if (!view) return;
  if (STATE.startRows === null) STATE.startRows = view.data("source").map(plain);
  const moved = STATE.pendingMove || performance.now();
  STATE.pendingMove = 0;
  STATE.drawing = true;
  STATE.lastKey = key;
  try {
    view.data("source", previewRows(data, STATE.startRows, v));
    await view.runAsync();
    STATE.frames.push({ at: performance.now(), latency: performance.now() - moved, total: project(data, v).total });
    if (STATE.frames.length > 500) STATE.frames.splice(0, STATE.frames.length - 500);
  } finally {
    STATE.drawing = false;
  }
}

function loop() {
  if (!STATE.held) { STATE.raf = 0; return; }
  draw();
  STATE.raf = requestAnimationFrame(loop);
}

function onPointerDown(event) {
  const data = STATE.data;
  if (!data || !data.enabled) return;
  const host = event.target.closest && event.target.closest("[class*='st-key-']");
  if (!host) return;
  const id = [...host.classList].find((c) => c.startsWith("st-key-"))?.slice(7);
  if (!data.levers.includes(id) || !host.querySelector("[data-testid=stSlider]")) return;
  STATE.held = true;
  STATE.startRows = null;
  STATE.startValues = JSON.stringify(leverValues(data));
  STATE.lastKey = STATE.startValues;
  if (!STATE.raf) STATE.raf = requestAnimationFrame(loop);
}

function onPointerUp() {
  if (!STATE.held) return;
  STATE.held = false;
  // Released where it started: Streamlit will not rerun, so put its own table back.
  const view = STATE.view;
  if (view && STATE.startRows && JSON.stringify(leverValues(STATE.data)) === STATE.startValues) {
    view.data("source", STATE.startRows);
    view.runAsync();
  }
  STATE.startRows = null;
}

function onPointerMove() {
  if (STATE.held) {
    STATE.lastMove = performance.now();
    if (!STATE.pendingMove) STATE.pendingMove = STATE.lastMove;
  }
}

export default function (component) {
  const { data, parentElement } = component;
  STATE.data = data;
  STATE.view = null; // a rerun may have drawn a new chart element
  // for the browser tests: the projection at some lever values, and the chart's own table as drawn
  STATE.compute = (values) => project(STATE.data, { ...STATE.data.values, ...values });
  STATE.chartRows = () => { const v = findView(); return v ? v.data("source").map(plain) : null; };
  // This element shows nothing: keep its container from taking a row of the page's layout.
  const host = parentElement && (parentElement.host || parentElement);
  const box = host && host.closest && host.closest("[data-testid=stElementContainer]");
  if (box) box.style.display = "none";
  if (!STATE.listening) {
    STATE.listening = true;
    document.addEventListener("pointerdown", onPointerDown, true);
    window.addEventListener("pointerup", onPointerUp, true);
    window.addEventListener("pointercancel", onPointerUp, true);
    document.addEventListener("pointermove", onPointerMove, true);
  }
}
