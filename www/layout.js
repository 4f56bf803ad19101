// A small deterministic layout for the vm-state graph, computed from transitions().
//
// Nothing here knows Nova's rules: it only looks at the shape of the graph it is given.
//  * "Hubs" are states almost every state can reach (in Nova: deleted, soft-delete). Drawing
//    one line from every state into each of them would bury the diagram, so their incoming
//    edges are drawn as one bundled arrow per hub, labelled with the actions and the states it
//    comes from; the bundle is highlighted whenever one of its sources is.
//  * The state with the most other edges goes in the centre; the rest sit on an ellipse around
//    it, in the order (found by pairwise swaps) that keeps the edges between them shortest.
//    The slot above the centre is kept free for its self-loop, the slot below for edges from
//    the hubs.
//  * Labels are placed along their edge at the first spot that overlaps no node and no label.

export const W = 1180;
export const H = 700;
const NODE_H = 34;
const CHAR_W = 6.9; // width of one character of the 12px label font, generously
const LINE_H = 14;
const MARGIN = 110; // labels may stick out sideways this far; the view is cropped to fit

export function nodeWidth(name) {
  return Math.max(86, name.length * 8.2 + 26);
}

/** Groups transitions into one edge per (from, to) with its distinct actions, in order. */
export function groupEdges(transitions) {
  const byKey = new Map();
  for (const t of transitions) {
    const key = `${t.from}\u0000${t.to}`;
    let e = byKey.get(key);
    if (!e) {
      e = { from: t.from, to: t.to, actions: [], vias: [] };
      byKey.set(key, e);
    }
    if (!e.actions.includes(t.action)) {
      e.actions.push(t.action);
      e.vias.push(t.via ?? null);
    }
  }
  return [...byKey.values()];
}

/** Wraps a label's actions into lines of at most `max` characters (one action at least). */
function labelLines(actions, max) {
  const lines = [];
  let line = [];
  for (const a of actions) {
    if (line.length && [...line, a].join(', ').length > max) {
      lines.push(line);
      line = [];
    }
    line.push(a);
  }
  if (line.length) lines.push(line);
  return lines;
}

function boxOverlap(a, b, pad = 3) {
  const x = Math.min(a.x + a.w + pad, b.x + b.w + pad) - Math.max(a.x - pad, b.x - pad);
  const y = Math.min(a.y + a.h + pad, b.y + b.h + pad) - Math.max(a.y - pad, b.y - pad);
  return x > 0 && y > 0 ? x * y : 0;
}

/** Point on a quadratic Bézier. */
function qpoint(p0, c, p1, t) {
  const u = 1 - t;
  return { x: u * u * p0.x + 2 * u * t * c.x + t * t * p1.x, y: u * u * p0.y + 2 * u * t * c.y + t * t * p1.y };
}

/** Where the segment from the centre of box n towards point p leaves the box. */
function boxExit(n, p) {
  const dx = p.x - n.x;
  const dy = p.y - n.y;
  if (dx === 0 && dy === 0) return { x: n.x, y: n.y };
  const sx = dx === 0 ? Infinity : n.w / 2 / Math.abs(dx);
  const sy = dy === 0 ? Infinity : n.h / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  return { x: n.x + dx * s, y: n.y + dy * s };
}

/**
 * Lays out `states` (string[]) and `transitions` ({from,to,action,via}[]).
 * Returns { nodes: Map name -> {name,x,y,w,h}, edges: [...], bundles: [...], width, height }.
 */
export function layout(states, transitions) {
  const edges = groupEdges(transitions);
  const n = states.length;

  // Hubs: reached from every other state, or all but one.
  const sourcesOf = new Map(states.map((s) => [s, new Set()]));
  for (const e of edges) sourcesOf.get(e.to)?.add(e.from);
  const hubs = states.filter((s) => [...sourcesOf.get(s)].filter((f) => f !== s).length >= n - 2);
  const isHub = new Set(hubs);

  const plain = edges.filter((e) => !isHub.has(e.to));
  const intoHubs = edges.filter((e) => isHub.has(e.to));

  // Centre: most edges to other non-hub states.
  const rest = states.filter((s) => !isHub.has(s));
  const degree = (s) => plain.filter((e) => e.from !== e.to && (e.from === s || e.to === s)).length;
  let centre = rest[0];
  for (const s of rest) if (degree(s) > degree(centre)) centre = s;
  const ring = rest.filter((s) => s !== centre);

  const cx = W / 2;
  const cy = 318;
  const rx = 440;
  const ry = 250;
  const centreLoop = plain.some((e) => e.from === centre && e.to === centre);
  const fromHubToCentre = plain.some((e) => isHub.has(e.from));
  // Slots around the ellipse, starting at the top and going clockwise.
  const slotCount = ring.length + (centreLoop ? 1 : 0) + (fromHubToCentre ? 1 : 0);
  const reserved = new Set();
  if (centreLoop) reserved.add(0);
  if (fromHubToCentre) reserved.add(Math.round(slotCount / 2));
  const slots = [];
  for (let i = 0; i < slotCount; i++) {
    if (reserved.has(i)) continue;
    const a = -Math.PI / 2 + (2 * Math.PI * i) / slotCount;
    slots.push({ x: cx + rx * Math.cos(a), y: cy + ry * Math.sin(a) });
  }

  // Order the ring so edges between ring states are short: start in data order, swap pairs
  // while that helps (deterministic; 9 states take a few hundred evaluations).
  const ringEdges = plain.filter((e) => e.from !== e.to && ring.includes(e.from) && ring.includes(e.to));
  const segEdges = plain.filter((e) => e.from !== e.to && !isHub.has(e.from));
  // Work on indices and flat arrays (this runs before the first paint): state k of the ring
  // sits in slot slotOf[k]; index ring.length stands for the centre.
  const C = ring.length;
  const idx = (name) => (name === centre ? C : ring.indexOf(name));
  const ringIdx = Int32Array.from(ringEdges.flatMap((e) => [idx(e.from), idx(e.to)]));
  const segIdx = segEdges.map((e) => [idx(e.from), idx(e.to)]);
  const quads = [];
  for (let i = 0; i < segIdx.length; i++) {
    for (let j = i + 1; j < segIdx.length; j++) {
      const [p, q] = segIdx[i];
      const [r, t] = segIdx[j];
      if (p !== r && p !== t && q !== r && q !== t) quads.push(p, q, r, t);
    }
  }
  const pairsToTest = Int32Array.from(quads);
  const slotOf = Int32Array.from(ring.map((_, k) => k));
  const px = new Float64Array(C + 1);
  const py = new Float64Array(C + 1);
  const orient = (p, q, r) => Math.sign((px[q] - px[p]) * (py[r] - py[p]) - (py[q] - py[p]) * (px[r] - px[p]));
  const cost = () => {
    for (let k = 0; k < C; k++) {
      px[k] = slots[slotOf[k]].x;
      py[k] = slots[slotOf[k]].y;
    }
    px[C] = cx;
    py[C] = cy;
    let c = 0;
    for (let i = 0; i < ringIdx.length; i += 2) c += Math.hypot(px[ringIdx[i]] - px[ringIdx[i + 1]], py[ringIdx[i]] - py[ringIdx[i + 1]]);
    // A crossing costs as much as a long edge.
    for (let i = 0; i < pairsToTest.length; i += 4) {
      const p = pairsToTest[i];
      const q = pairsToTest[i + 1];
      const r = pairsToTest[i + 2];
      const t = pairsToTest[i + 3];
      if (orient(p, q, r) * orient(p, q, t) < 0 && orient(r, t, p) * orient(r, t, q) < 0) c += 260;
    }
    return c;
  };
  let best = cost();
  for (let improved = true, rounds = 0; improved && rounds < 20; rounds++) {
    improved = false;
    for (let i = 0; i < C; i++) {
      for (let j = i + 1; j < C; j++) {
        [slotOf[i], slotOf[j]] = [slotOf[j], slotOf[i]];
        const c = cost();
        if (c < best - 1e-6) {
          best = c;
          improved = true;
        } else {
          [slotOf[i], slotOf[j]] = [slotOf[j], slotOf[i]];
        }
      }
    }
  }
  const order = [];
  ring.forEach((name, k) => { order[slotOf[k]] = name; });

  const nodes = new Map();
  const place = (name, x, y) => nodes.set(name, { name, x, y, w: nodeWidth(name), h: NODE_H });
  place(centre, cx, cy);
  order.forEach((s, i) => place(s, slots[i].x, slots[i].y));
  // Hubs in a row along the bottom; the one with edges to the centre sits under it.
  const hubY = H - 30;
  const hubOrder = hubs.slice().sort((a, b) => {
    const ta = plain.some((e) => e.from === a) ? 0 : 1;
    const tb = plain.some((e) => e.from === b) ? 0 : 1;
    return ta - tb;
  });
  hubOrder.forEach((h, i) => place(h, cx + (i === 0 ? 0 : (i % 2 ? 1 : -1) * Math.ceil(i / 2) * 330), hubY));
  // Keep the ring clear of the hub row.
  for (const s of order) {
    const nd = nodes.get(s);
    nd.x = Math.max(nd.w / 2 + 8, Math.min(W - nd.w / 2 - 8, nd.x));
  }

  const occupied = [...nodes.values()].map((nd) => ({ x: nd.x - nd.w / 2, y: nd.y - nd.h / 2, w: nd.w, h: nd.h }));
  const placedLabels = [];

  const labelBox = (lines, at) => {
    const w = Math.max(...lines.map((l) => l.join(', ').length)) * CHAR_W + 10;
    const h = lines.length * LINE_H + 6;
    return { x: at.x - w / 2, y: at.y - h / 2, w, h };
  };
  const fits = (box) =>
    box.x >= -MARGIN && box.y >= 2 && box.x + box.w <= W + MARGIN && box.y + box.h <= H - 2 &&
    !occupied.some((o) => boxOverlap(o, box)) && !placedLabels.some((o) => boxOverlap(o, box));
  const badness = (box) => {
    let s = 0;
    for (const o of occupied) s += boxOverlap(o, box) * 10;
    for (const o of placedLabels) s += boxOverlap(o, box) * 10;
    if (box.x < -MARGIN || box.x + box.w > W + MARGIN || box.y < 2 || box.y + box.h > H - 2) s += 1e6;
    return s;
  };

  // Bundled arrows into hubs: a short arrow above each hub with a label of its own.
  const bundles = hubs.map((h) => {
    const into = intoHubs.filter((e) => e.to === h);
    const actions = [];
    for (const e of into) for (const act of e.actions) if (!actions.includes(act)) actions.push(act);
    const sources = states.filter((s) => into.some((e) => e.from === s));
    const node = nodes.get(h);
    // A hub with edges leaving it (they leave from its top centre) takes the bundle on its
    // right-hand side, with the label running rightwards, clear of those edges.
    const aside = plain.some((e) => e.from === h);
    const x = aside ? node.x + node.w / 2 - 16 : node.x;
    const y0 = node.y - node.h / 2 - 34;
    const y1 = node.y - node.h / 2 - 3;
    return {
      to: h, actions, sources, edges: into, d: `M${x},${y0} L${x},${y1}`,
      labelAt: { x: aside ? x - 12 : x, y: y0 - 6 }, anchor: aside ? 'start' : 'middle',
    };
  });

  for (const b of bundles) {
    // Two lines of text above the arrow: the actions, then where from.
    const w = Math.max(b.actions.join(', ').length * CHAR_W, 200) + 10;
    const left = b.anchor === 'start' ? b.labelAt.x - 4 : b.labelAt.x - w / 2;
    occupied.push({ x: left, y: b.labelAt.y - 28, w, h: 34 });
    const arrowX = Number(b.d.slice(1, b.d.indexOf(',')));
    occupied.push({ x: arrowX - 4, y: b.labelAt.y, w: 8, h: 34 });
  }
  const out = [];
  const pairs = new Set(plain.map((e) => `${e.from}\u0000${e.to}`));
  // Self-loops first (their place is fixed), then longest labels first.
  const ordered = plain.slice().sort((a, b) => (a.from === a.to ? 0 : 1) - (b.from === b.to ? 0 : 1) || b.actions.length - a.actions.length);
  const geometry = [];
  for (const e of ordered) {
    const samples = [];
    const a = nodes.get(e.from);
    const b = nodes.get(e.to);
    let d;
    let candidates;
    const lines = labelLines(e.actions, 24);
    if (e.from === e.to) {
      // Loop away from the centre (upwards for the centre itself).
      let ux = a.x - cx;
      let uy = a.y - cy;
      if (e.from === centre) [ux, uy] = [0, -1];
      const len = Math.hypot(ux, uy) || 1;
      ux /= len;
      uy /= len;
      const px = -uy;
      const py = ux;
      // Start/end on the node's border.
      const s = boxExit(a, { x: a.x + (ux + px * 0.6) * 400, y: a.y + (uy + py * 0.6) * 400 });
      const t = boxExit(a, { x: a.x + (ux - px * 0.6) * 400, y: a.y + (uy - py * 0.6) * 400 });
      const far = 46;
      d = `M${s.x.toFixed(1)},${s.y.toFixed(1)} C${(s.x + ux * far + px * 22).toFixed(1)},${(s.y + uy * far + py * 22).toFixed(1)} ${(t.x + ux * far - px * 22).toFixed(1)},${(t.y + uy * far - py * 22).toFixed(1)} ${t.x.toFixed(1)},${t.y.toFixed(1)}`;
      const c1 = { x: s.x + ux * far + px * 22, y: s.y + uy * far + py * 22 };
      const c2 = { x: t.x + ux * far - px * 22, y: t.y + uy * far - py * 22 };
      for (let k = 1; k < 12; k++) {
        const q = k / 12;
        const u = 1 - q;
        samples.push({
          x: u * u * u * s.x + 3 * u * u * q * c1.x + 3 * u * q * q * c2.x + q * q * q * t.x,
          y: u * u * u * s.y + 3 * u * u * q * c1.y + 3 * u * q * q * c2.y + q * q * q * t.y,
        });
      }
      const tip = { x: a.x + ux * (a.h / 2 + 40), y: a.y + uy * (a.h / 2 + 40) };
      const probe = labelBox(lines, tip);
      candidates = [];
      for (const k of [0.5, 0.65, 0.8, 1, 1.2]) {
        candidates.push({ x: tip.x + ux * (probe.h * k + 4), y: tip.y + uy * (probe.h * k + 4) });
        candidates.push({ x: tip.x + ux * (probe.w * k * 0.5), y: tip.y + uy * (probe.h * k + 4) });
      }
      candidates.push({ x: tip.x + px * (probe.w / 2 + 20), y: tip.y + py * (probe.w / 2 + 20) });
      candidates.push({ x: tip.x - px * (probe.w / 2 + 20), y: tip.y - py * (probe.w / 2 + 20) });
      // Then all round the node, nearest first.
      for (const k of [0, 1, 2]) {
        const gap = 8 + k * 16;
        candidates.push({ x: a.x, y: a.y - a.h / 2 - probe.h / 2 - gap });
        candidates.push({ x: a.x, y: a.y + a.h / 2 + probe.h / 2 + gap });
        candidates.push({ x: a.x - a.w / 2 - probe.w / 2 - gap, y: a.y });
        candidates.push({ x: a.x + a.w / 2 + probe.w / 2 + gap, y: a.y });
        for (const sx of [-1, 1]) for (const sy of [-1, 1]) candidates.push({ x: a.x + sx * (a.w / 2 + probe.w / 2 - 10), y: a.y + sy * (a.h / 2 + probe.h / 2 + gap) });
      }
    } else {
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const len = Math.hypot(dx, dy) || 1;
      // Bend each edge to its right; a pair of opposite edges then separates.
      const both = pairs.has(`${e.to}\u0000${e.from}`);
      const bend = both ? 26 : 12;
      const c = { x: (a.x + b.x) / 2 + (-dy / len) * bend, y: (a.y + b.y) / 2 + (dx / len) * bend };
      const p0 = boxExit(a, c);
      const p1 = boxExit(b, c);
      // Leave a little gap before the target so the arrowhead is visible.
      const gl = Math.hypot(p1.x - c.x, p1.y - c.y) || 1;
      const p1g = { x: p1.x + ((c.x - p1.x) / gl) * 3, y: p1.y + ((c.y - p1.y) / gl) * 3 };
      d = `M${p0.x.toFixed(1)},${p0.y.toFixed(1)} Q${c.x.toFixed(1)},${c.y.toFixed(1)} ${p1g.x.toFixed(1)},${p1g.y.toFixed(1)}`;
      for (let k = 1; k < 40; k++) samples.push(qpoint(p0, c, p1, k / 40));
      candidates = [0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73, 0.2, 0.8].map((t) => qpoint(p0, c, p1, t));
      // Then nudged sideways from each.
      const side = [];
      for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {
        const p = qpoint(p0, c, p1, t);
        for (const k of [1, -1, 2, -2, 3, -3]) side.push({ x: p.x + (-dy / len) * 16 * k, y: p.y + (dx / len) * 16 * k });
      }
      candidates.push(...side);
    }
    geometry.push({ e, d, candidates, lines, samples });
  }

  // Labels: the first candidate spot clear of nodes, labels and other edges' lines wins;
  // failing that, the one that covers least.
  const inside = (pt, box) => pt.x > box.x - 2 && pt.x < box.x + box.w + 2 && pt.y > box.y - 2 && pt.y < box.y + box.h + 2;
  const CELL = 40;
  const grid = new Map();
  geometry.forEach((g, gi) => {
    for (const pt of g.samples) {
      const k = Math.floor(pt.x / CELL) * 4096 + Math.floor(pt.y / CELL);
      if (!grid.has(k)) grid.set(k, []);
      grid.get(k).push({ x: pt.x, y: pt.y, gi });
    }
  });
  const lineHits = (box, gi) => {
    let hits = 0;
    for (let x = Math.floor((box.x - 2) / CELL); x <= Math.floor((box.x + box.w + 2) / CELL); x++) {
      for (let y = Math.floor((box.y - 2) / CELL); y <= Math.floor((box.y + box.h + 2) / CELL); y++) {
        const cell = grid.get(x * 4096 + y);
        if (cell) for (const pt of cell) if (pt.gi !== gi && inside(pt, box)) hits++;
      }
    }
    return hits;
  };
  for (const [gi, g] of geometry.entries()) {
    let chosen = null;
    let chosenBad = Infinity;
    for (const at of g.candidates) {
      const box = labelBox(g.lines, at);
      const hits = lineHits(box, gi);
      if (hits === 0 && fits(box)) {
        chosen = box;
        break;
      }
      const bad = badness(box) + hits * 400;
      if (bad < chosenBad) {
        chosenBad = bad;
        chosen = box;
      }
    }
    placedLabels.push(chosen);
    out.push({ ...g.e, d: g.d, label: { ...chosen, lines: g.lines } });
  }

  // Crop the drawing to what is on it.
  const boxes = [...occupied, ...placedLabels];
  const pts = geometry.flatMap((g) => g.samples);
  const minX = Math.min(...boxes.map((b) => b.x), ...pts.map((p) => p.x)) - 8;
  const minY = Math.min(...boxes.map((b) => b.y), ...pts.map((p) => p.y)) - 8;
  const maxX = Math.max(...boxes.map((b) => b.x + b.w), ...pts.map((p) => p.x)) + 8;
  const maxY = Math.max(...boxes.map((b) => b.y + b.h), ...pts.map((p) => p.y)) + 8;
  const viewBox = [minX, minY, maxX - minX, maxY - minY].map((v) => Math.round(v));
  return { nodes, edges: out, bundles, hubs, centre, width: W, height: H, viewBox };
}
