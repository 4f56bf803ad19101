// Build-time layout of the vm-state diagram: Graphviz (dot, through @viz-js/viz) places the
// states, routes the edges and puts each label on its edge; this script writes the positions to
// www/layout.generated.json, which the page imports. The page ships positions, not the engine.
//
// Run by www/vite.config.js before every build and dev start, or by hand:
//   node www/build-layout.mjs            (needs the nova-states package installed)
//
// What is drawn comes from the package (vmStates, transitions). Two things are added that are
// not user actions, so that no state looks disconnected (Nova's own state figure has them):
//   * building -> active, "build completes" (dashed);
//   * from any state -> error, "an action fails" (dashed).
// States almost every state can reach (deleted, soft-delete) get one bundled edge each from an
// "any state" node instead of eleven arrows; each bundle keeps the list of its real sources.
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { instance } from '@viz-js/viz';
import { actions, model, transitions, vmStates } from 'nova-states/describe';

export const OUT = fileURLToPath(new URL('./layout.generated.json', import.meta.url));
export const ANY = '@any';
const LABEL_CHARS = 12; // wrap edge labels at about this many characters (about one action a line)
const LOOP_CHARS = 12; // self-loops too: a wide loop label widens its whole rank
const FONT = 12; // px, the label font size the page uses (monospace: 0.6 em per character)
const NODE_FONT = 15;

/** Groups transitions into one edge per (from, to) with its distinct actions, in order. */
export function groupEdges(trans) {
  const byKey = new Map();
  for (const t of trans) {
    const key = `${t.from}\u0000${t.to}`;
    let e = byKey.get(key);
    if (!e) byKey.set(key, (e = { from: t.from, to: t.to, actions: [] }));
    if (!e.actions.includes(t.action)) e.actions.push(t.action);
  }
  return [...byKey.values()];
}

function wrap(words, max = LABEL_CHARS) {
  const lines = [];
  let line = [];
  for (const w of words) {
    if (line.length && [...line, w].join(', ').length > max) {
      lines.push(line);
      line = [];
    }
    line.push(w);
  }
  if (line.length) lines.push(line);
  return lines;
}

const q = (s) => `"${String(s).replace(/["\\]/g, '\\$&')}"`;

/** The graph to lay out: states, edges (grouped), bundles into hubs, and non-user edges. */
export function graphOf(states, trans) {
  const edges = groupEdges(trans);
  const n = states.length;
  // An action that leads to a state from (nearly) every other state is drawn once, from the
  // "any state" box; the target's other actions keep their own edges.
  // The sources of each (target, action), the target itself among them when the action loops.
  const sourcesOf = new Map();
  for (const e of edges) {
    for (const a of e.actions) {
      const key = `${e.to}\u0000${a}`;
      if (!sourcesOf.has(key)) sourcesOf.set(key, new Set());
      sourcesOf.get(key).add(e.from);
    }
  }
  const others = (to, a) => [...(sourcesOf.get(`${to}\u0000${a}`) ?? [])].filter((f) => f !== to).length;
  const bundled = (to, a) => others(to, a) >= n - 2;
  const plain = edges
    .map((e) => ({ ...e, actions: e.actions.filter((a) => !bundled(e.to, a)), kind: 'action' }))
    .filter((e) => e.actions.length > 0);
  const hubs = states.filter((s) => edges.some((e) => e.to === s && e.actions.some((a) => bundled(s, a))));
  const bundles = hubs.map((h) => {
    const actions = [...new Set(edges.filter((e) => e.to === h).flatMap((e) => e.actions.filter((a) => bundled(h, a))))];
    const sources = [...new Set(actions.flatMap((a) => [...sourcesOf.get(`${h}\u0000${a}`)]))];
    return { from: ANY, to: h, actions, sources, kind: 'bundle' };
  });
  const system = [];
  if (states.includes('building') && states.includes('active')) {
    system.push({ from: 'building', to: 'active', actions: [], text: 'build completes', kind: 'system' });
  }
  if (states.includes('error')) {
    system.push({ from: ANY, to: 'error', actions: [], text: 'an action fails', kind: 'system', sources: states.filter((s) => s !== 'error' && s !== 'deleted') });
  }
  return { states, hubs, edges: [...plain, ...bundles, ...system] };
}

function labelLines(e) {
  return e.kind === 'system' ? [[e.text]] : wrap(e.actions, e.from === e.to ? LOOP_CHARS : LABEL_CHARS);
}

export function dotOf(graph) {
  const lines = [
    'digraph nova {',
    '  rankdir=TB; nodesep=0.12; ranksep=0.25; splines=true; outputorder=edgesfirst; pad=0.05;',
    `  node [shape=box, style=rounded, fontname="Helvetica", fontsize=${NODE_FONT}, height=0.5, margin="0.12,0.04"];`,
    `  edge [fontname="Courier", fontsize=${FONT}, arrowsize=0.7];`,
  ];
  // Widths for the page's node font (system sans, bold), wider than Graphviz's Helvetica metrics.
  const width = (name) => Math.max(0.9, (name.length * NODE_FONT * 0.62 + 22) / 72).toFixed(2);
  for (const s of graph.states) lines.push(`  ${q(s)} [width=${width(s)}];`);
  lines.push(`  ${q(ANY)} [label="any state", style="rounded,dashed"];`);
  graph.edges.forEach((e, i) => {
    const text = labelLines(e).map((l) => l.join(', ')).join('\\n');
    const attrs = [`label=${q(text).replace(/\\\\n/g, '\\n')}`, `id="e${i}"`];
    if (e.kind === 'system') attrs.push('style=dashed');
    if (e.kind === 'bundle') attrs.push('style=bold');
    lines.push(`  ${q(e.from)} -> ${q(e.to)} [${attrs.join(', ')}];`);
  });
  lines.push('}');
  return lines.join('\n');
}

const num = (s) => s.split(',').map(Number);

/** Graphviz's spline ("e,x,y s,x,y p0 p1 ...") as an SVG path and arrow end, y flipped. */
function splineOf(pos, flip) {
  let end = null;
  let start = null;
  const pts = [];
  for (const part of pos.split(' ')) {
    if (part.startsWith('e,')) end = num(part.slice(2));
    else if (part.startsWith('s,')) start = num(part.slice(2));
    else pts.push(num(part));
  }
  const P = (p) => `${round(p[0])},${round(flip(p[1]))}`;
  let d = `M${P(start ?? pts[0])}`;
  if (start) d += `L${P(pts[0])}`;
  for (let i = 1; i + 2 < pts.length; i += 3) d += `C${P(pts[i])} ${P(pts[i + 1])} ${P(pts[i + 2])}`;
  if (end) d += `L${P(end)}`;
  return d;
}

const round = (x) => Math.round(x * 10) / 10;

export async function buildLayout(states = vmStates(), trans = transitions()) {
  const graph = graphOf(states, trans);
  const viz = await instance();
  const out = viz.renderJSON(dotOf(graph));
  const [, , W, H] = num(out.bb);
  const flip = (y) => H - y;
  const nodes = {};
  for (const o of out.objects) {
    const [x, y] = num(o.pos);
    nodes[o.name] = { x: round(x), y: round(flip(y)), w: round(o.width * 72), h: round(o.height * 72) };
  }
  const byId = new Map(out.edges.map((e) => [e.id, e]));
  const edges = graph.edges.map((e, i) => {
    const g = byId.get(`e${i}`);
    const d = splineOf(g.pos, flip);
    const [lx, ly] = num(g.lp);
    return {
      from: e.from, to: e.to, kind: e.kind, actions: e.actions, sources: e.sources ?? null, text: e.text ?? null,
      d,
      label: { x: round(lx), y: round(flip(ly)), lines: labelLines(e) },
    };
  });
  // The rules as data for the page, from the same package build: what the state panel shows of
  // each action and the releases, so the page needs only the main entry to start.
  const m = model();
  const data = { actions: actions(), transitions: trans, releases: m.releases, maxMicroversion: m.maxMicroversion };
  return { engine: `Graphviz ${viz.graphvizVersion} (dot) via @viz-js/viz`, width: round(W), height: round(H), font: FONT, nodeFont: NODE_FONT, any: ANY, hubs: graph.hubs, states, nodes, edges, data };
}

/** Writes the layout when it changed; returns the path. */
export async function writeLayout() {
  const text = `${JSON.stringify(await buildLayout(), null, 1)}\n`;
  if (!existsSync(OUT) || readFileSync(OUT, 'utf8') !== text) writeFileSync(OUT, text);
  return OUT;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`[layout] wrote ${await writeLayout()}`);
}
