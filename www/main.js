// The nova-states page. Every state, arrow and answer comes from the wasm module; this file
// only lays things out and wires up the controls. All text from data or from the user is
// rendered with textContent, never parsed as HTML.
import init, {
  vmStates, taskStates, actions, transitions, checkAction, allowedActions, statusOf,
  statesForStatus, shortestPath, validateServer, toDot, toMermaid, model,
} from 'nova-states';
import { layout } from './layout.js';
import { EXAMPLES } from './examples.js';

const SVG = 'http://www.w3.org/2000/svg';
export const MAX_PASTE = 1024 * 1024; // refuse pastes over 1 MB: nothing should freeze

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

const state = {
  selected: null, // selected vm state
  inspected: null, // vm state(s) of an inspected server
  path: [], // [{from,to,action}]
};

let DATA; // { vms, tasks, acts, trans, lay, model }

function facts() {
  const task = $('task').value;
  return {
    taskState: task === '' ? null : task,
    locked: $('locked').checked,
    admin: $('admin').checked,
    microversion: $('microversion').value,
  };
}

/** A server settled in `vm` with the chosen facts; what the record does not say, the package assumes. */
function serverIn(vm) {
  const f = facts();
  return { vmState: vm, taskState: f.taskState, locked: f.locked };
}

function options() {
  const f = facts();
  return { admin: f.admin, microversion: f.microversion };
}

// ---------------------------------------------------------------------------------------------
// Diagram

function drawDiagram() {
  const { lay } = DATA;
  const root = $('diagram');
  root.replaceChildren();
  root.setAttribute('viewBox', lay.viewBox.join(' '));
  const defs = svg('defs');
  for (const [id, cls] of [['arrow', 'ah'], ['arrow-hl', 'ah ah-hl'], ['arrow-path', 'ah ah-path']]) {
    const m = svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    m.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: cls }));
    defs.append(m);
  }
  root.append(defs);

  const edgeLayer = svg('g', { class: 'edges' });
  const labelLayer = svg('g', { class: 'labels' });
  const nodeLayer = svg('g', { class: 'nodes' });

  for (const e of lay.edges) {
    const g = svg('g', { class: 'edge', 'data-from': e.from, 'data-to': e.to, 'data-actions': e.actions.join(' ') });
    const title = svg('title', {}, `${e.from} → ${e.to}: ${e.actions.join(', ')}`);
    const p = svg('path', { d: e.d, 'marker-end': 'url(#arrow)' });
    g.append(title, p);
    edgeLayer.append(g);
    const lg = svg('g', { class: 'elabel', 'data-from': e.from, 'data-to': e.to });
    const L = e.label;
    lg.append(svg('rect', { x: L.x, y: L.y, width: L.w, height: L.h, rx: 4 }));
    L.lines.forEach((line, i) => {
      const t = svg('text', { x: L.x + L.w / 2, y: L.y + 3 + 14 * (i + 1) - 3, 'text-anchor': 'middle' });
      line.forEach((act, j) => {
        if (j > 0) t.append(svg('tspan', { class: 'sep' }, ', '));
        t.append(svg('tspan', { class: 'act', 'data-action': act }, act));
      });
      lg.append(t);
    });
    labelLayer.append(lg);
  }

  for (const b of lay.bundles) {
    const g = svg('g', { class: 'edge bundle', 'data-to': b.to, 'data-sources': b.sources.join(' '), 'data-actions': b.actions.join(' ') });
    g.append(svg('title', {}, `${b.actions.join(', ')} from ${b.sources.join(', ')}`));
    g.append(svg('path', { d: b.d, 'marker-end': 'url(#arrow)' }));
    edgeLayer.append(g);
    const lg = svg('g', { class: 'elabel bundle-label', 'data-to': b.to });
    const others = DATA.vms.filter((s) => !b.sources.includes(s));
    const from = others.length === 0 ? 'from every state' : `from every state but ${others.join(', ')}`;
    const t1 = svg('text', { x: b.labelAt.x, y: b.labelAt.y - 14, 'text-anchor': b.anchor });
    b.actions.forEach((act, j) => {
      if (j > 0) t1.append(svg('tspan', { class: 'sep' }, ', '));
      t1.append(svg('tspan', { class: 'act', 'data-action': act }, act));
    });
    const t2 = svg('text', { x: b.labelAt.x, y: b.labelAt.y, 'text-anchor': b.anchor, class: 'from' }, from);
    lg.append(t1, t2);
    labelLayer.append(lg);
  }

  for (const name of DATA.vms) {
    const n = lay.nodes.get(name);
    const g = svg('g', {
      class: 'node' + (lay.hubs.includes(name) ? ' hub' : ''), 'data-state': name, tabindex: 0, role: 'button',
      'aria-pressed': 'false', 'aria-label': `vm state ${name}, status ${statusOf(name, null)}`,
    });
    g.append(svg('rect', { x: n.x - n.w / 2, y: n.y - n.h / 2, width: n.w, height: n.h, rx: 9 }));
    g.append(svg('text', { x: n.x, y: n.y + 1, 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, name));
    g.addEventListener('click', (ev) => {
      ev.stopPropagation();
      select(name);
    });
    g.addEventListener('focus', () => select(name));
    g.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ' || ev.key === 'Spacebar') {
        ev.preventDefault();
        select(name);
      }
    });
    nodeLayer.append(g);
  }
  root.append(edgeLayer, labelLayer, nodeLayer);
  // Escape, or a click on the background, clears the selection.
  root.addEventListener('click', () => select(null));
  root.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') select(null);
  });
  performance.mark('diagram-drawn');
}

/** Marks every action refused under the current facts, and highlights the selection. */
function paint() {
  const root = $('diagram');
  const opts = options();
  const allowedFrom = new Map(DATA.vms.map((s) => [s, new Set(allowedActions(serverIn(s), opts))]));

  for (const g of root.querySelectorAll('.elabel')) {
    const from = g.getAttribute('data-from');
    for (const t of g.querySelectorAll('.act')) {
      const act = t.getAttribute('data-action');
      // On a bundle, an action counts as allowed when it is allowed from the selected state
      // (or from any of its sources when nothing is selected).
      let ok;
      if (from) ok = allowedFrom.get(from).has(act);
      else if (state.selected) ok = allowedFrom.get(state.selected).has(act);
      else ok = DATA.vms.some((s) => allowedFrom.get(s).has(act));
      t.classList.toggle('no', !ok);
      const to = g.getAttribute('data-to');
      t.classList.toggle('step', state.path.some((st) => st.action === act && st.to === to && (!from || st.from === from)));
    }
  }

  const sel = state.selected;
  const targets = new Set();
  for (const g of root.querySelectorAll('.edge')) {
    const from = g.getAttribute('data-from');
    const to = g.getAttribute('data-to');
    const acts = g.getAttribute('data-actions').split(' ');
    let hl = false;
    if (sel) {
      if (from) hl = from === sel && acts.some((a) => allowedFrom.get(sel).has(a));
      else {
        // A bundle: highlighted when the selected state has an allowed transition into the hub.
        hl = DATA.trans.some((t) => t.from === sel && t.to === to && allowedFrom.get(sel).has(t.action));
      }
    }
    const onPath = state.path.some((s) => s.to === to && (from ? s.from === from : g.getAttribute('data-sources').split(' ').includes(s.from)));
    g.classList.toggle('hl', hl);
    g.classList.toggle('onpath', onPath);
    g.classList.toggle('dim', Boolean(sel) && !hl && !onPath);
    const p = g.querySelector('path');
    p.setAttribute('marker-end', onPath ? 'url(#arrow-path)' : hl ? 'url(#arrow-hl)' : 'url(#arrow)');
    if (hl) targets.add(to);
    const label = root.querySelector(`.elabel[data-to="${CSS.escape(to)}"]${from ? `[data-from="${CSS.escape(from)}"]` : ':not([data-from])'}`);
    if (label) {
      label.classList.toggle('hl', hl);
      label.classList.toggle('onpath', onPath);
      label.classList.toggle('dim', Boolean(sel) && !hl && !onPath);
    }
  }
  const inspected = new Set(state.inspected ?? []);
  for (const g of root.querySelectorAll('.node')) {
    const name = g.getAttribute('data-state');
    g.classList.toggle('selected', name === sel);
    g.setAttribute('aria-pressed', String(name === sel));
    g.classList.toggle('target', targets.has(name) && name !== sel);
    g.classList.toggle('inspected', inspected.has(name));
  }
  $('facts-summary').textContent = summaryOfFacts();
}

function summaryOfFacts() {
  const f = facts();
  return `Answers for a server with task state ${f.taskState ?? 'none'}, ${f.locked ? 'locked' : 'unlocked'}, ` +
    `asked by ${f.admin ? 'an admin' : 'a non-admin'} at microversion ${f.microversion}.`;
}

// ---------------------------------------------------------------------------------------------
// The selected state's panel

function leadsTo(from, action) {
  return DATA.trans.filter((t) => t.from === from && t.action === action);
}

function renderVerdicts(server, allowedList, refusedList, fromState) {
  allowedList.replaceChildren();
  refusedList.replaceChildren();
  const opts = options();
  for (const a of DATA.acts) {
    const v = checkAction(a.name, server, opts);
    if (v.allowed) {
      const li = el('li');
      li.append(el('code', {}, a.name));
      const ends = fromState ? leadsTo(fromState, a.name) : [];
      let where;
      if (ends.length === 0) where = ' — no change of vm state';
      else {
        // The task states shown on the way: the one the API sets, then the compute service's.
        const tasks = ends[0].via ? [ends[0].via, ...a.laterTasks] : [];
        const shown = tasks.length ? ` (task ${tasks.join(' → ')})` : '';
        where = ' → ' + ends.map((t) => `${t.to}${t.when ? ` when ${t.when}` : ''}`).join('; or ') + shown;
      }
      li.append(document.createTextNode(where));
      allowedList.append(li);
    } else {
      const li = el('li');
      li.append(el('code', {}, a.name));
      const d = v.denials[0];
      li.append(el('span', { class: 'kind' }, ` ${d.kind} · HTTP ${d.httpStatus}`));
      li.append(el('div', { class: 'msg' }, d.message));
      refusedList.append(li);
    }
  }
  if (!allowedList.children.length) allowedList.append(el('li', { class: 'muted' }, 'Nothing: Nova refuses every action.'));
  if (!refusedList.children.length) refusedList.append(el('li', { class: 'muted' }, 'Nothing refused.'));
}

function renderStatePanel() {
  const s = state.selected;
  if (!s) return;
  const f = facts();
  $('state-lists').hidden = false;
  $('state-title').textContent = `From ${s}`;
  $('state-status').textContent = `API status ${statusOf(s, f.taskState)} (vm state ${s}, task state ${f.taskState ?? 'none'}).`;
  renderVerdicts(serverIn(s), $('allowed'), $('refused'), s);
}

function select(name) {
  if (state.selected === name) return;
  state.selected = name;
  if (!state.selected) {
    $('state-title').textContent = 'Pick a state';
    $('state-status').textContent = 'Select a vm state on the diagram to see what Nova allows from it.';
    $('allowed').replaceChildren();
    $('refused').replaceChildren();
    $('state-lists').hidden = true;
  } else {
    $('path-from').value = state.selected;
  }
  paint();
  renderStatePanel();
}

// ---------------------------------------------------------------------------------------------
// Inspector

function inspectMessage(text, kind) {
  const m = $('inspect-message');
  m.textContent = text;
  m.className = kind ?? '';
}

function recordVmState(record) {
  const s = record && typeof record === 'object' && record.server && typeof record.server === 'object' ? record.server : record;
  const v = s?.['OS-EXT-STS:vm_state'] ?? s?.vmState;
  return typeof v === 'string' ? v : null;
}

function inspect() {
  const text = $('record').value;
  $('inspect-result').hidden = true;
  state.inspected = null;
  if (text.length > MAX_PASTE) {
    inspectMessage(`That is ${(text.length / 1048576).toFixed(1)} MB; paste one server record of at most 1 MB.`, 'error');
    paint();
    return;
  }
  if (!text.trim()) {
    inspectMessage('Paste a server record first, or pick an example.', 'error');
    paint();
    return;
  }
  let record;
  try {
    record = JSON.parse(text);
  } catch (err) {
    inspectMessage(`Not valid JSON: ${err.message}`, 'error');
    paint();
    return;
  }
  if (Array.isArray(record?.servers)) {
    if (record.servers.length === 0) {
      inspectMessage('That list has no servers.', 'error');
      return;
    }
    record = record.servers[0];
    inspectMessage('That is a list of servers; showing the first one.', 'note');
  } else {
    inspectMessage('', '');
  }
  let validation;
  try {
    validation = validateServer(record);
    // Throws with a clear message when the record cannot be read at all.
    checkAction(DATA.acts[0].name, record, options());
  } catch (err) {
    inspectMessage(`This is not a server record Nova would return: ${err.message}`, 'error');
    paint();
    return;
  }
  const vm = recordVmState(record);
  const placed = vm && DATA.vms.includes(vm) ? [vm] : statesForStatus(validation.status).vmStates;
  state.inspected = placed;

  const dl = $('inspect-facts');
  dl.replaceChildren();
  const add = (k, v) => dl.append(el('dt', {}, k), el('dd', {}, v));
  add('Status', validation.status);
  add('On the diagram', placed.join(' or ') || 'nowhere');
  add('Record', validation.ok ? 'consistent' : 'has problems (see below)');
  const diag = $('diagnostics');
  diag.replaceChildren();
  for (const d of validation.diagnostics) diag.append(el('li', { class: `diag ${d.severity}` }, `${d.severity}: ${d.message}`));
  const v0 = checkAction(DATA.acts[0].name, record, options());
  for (const a of v0.assumptions) diag.append(el('li', { class: 'diag assumption' }, `assumed ${a.field}: ${a.assumed}`));

  renderVerdicts(record, $('inspect-allowed'), $('inspect-refused'), placed.length === 1 ? placed[0] : null);
  $('inspect-result').hidden = false;
  if (!$('inspect-message').textContent) inspectMessage(`Placed on the diagram at ${placed.join(' or ')}.`, 'ok');
  paint();
}

// ---------------------------------------------------------------------------------------------
// Path finder

/** Turns a list of action names into steps, choosing at each step the end that still reaches `to`. */
function stepsOf(from, to, names) {
  const walk = (at, i) => {
    if (i === names.length) return at === to ? [] : null;
    for (const t of leadsTo(at, names[i])) {
      const rest = walk(t.to, i + 1);
      if (rest) return [t, ...rest];
    }
    return null;
  };
  return walk(from, 0);
}

function findPath() {
  const from = $('path-from').value;
  const to = $('path-to').value;
  const list = $('path-result');
  list.replaceChildren();
  const f = facts();
  let names;
  try {
    names = shortestPath(from, to, { admin: f.admin, microversion: f.microversion, locked: f.locked });
  } catch (err) {
    $('path-message').textContent = err.message;
    return;
  }
  state.path = [];
  if (names === null || names === undefined) {
    $('path-message').textContent = `No sequence of actions takes a server from ${from} to ${to} under these facts.`;
  } else if (names.length === 0) {
    $('path-message').textContent = `Already there: ${from} is ${to}.`;
  } else {
    const steps = stepsOf(from, to, names) ?? names.map((a) => ({ action: a, from: '?', to: '?', via: null }));
    state.path = steps;
    for (const s of steps) {
      const li = el('li');
      li.append(el('code', {}, s.action));
      li.append(document.createTextNode(` ${s.from} → ${s.via ? `task ${s.via} → ` : ''}${s.to}${s.when ? ` (when ${s.when})` : ''}`));
      list.append(li);
    }
    $('path-message').textContent = `${names.length} action${names.length > 1 ? 's' : ''}, shown in orange on the diagram.`;
  }
  paint();
}

// ---------------------------------------------------------------------------------------------
// Exports

async function exportAs(kind) {
  const f = facts();
  const opts = { admin: f.admin, microversion: f.microversion, locked: f.locked };
  let text;
  if (kind === 'dot') text = toDot(opts);
  else if (kind === 'mermaid') text = toMermaid(opts);
  else text = JSON.stringify(model(), null, 2);
  const area = $('export-text');
  area.value = text;
  try {
    await navigator.clipboard.writeText(text);
    $('export-message').textContent = `Copied ${kind.toUpperCase()} to the clipboard (${text.length} characters).`;
  } catch {
    $('export-message').textContent = `The clipboard is not available here; select the text below and copy it.`;
    area.focus();
    area.select();
  }
}

// ---------------------------------------------------------------------------------------------

function fillSelect(select, values, labelOf = (v) => v) {
  for (const v of values) select.append(el('option', { value: v }, labelOf(v)));
}

async function main() {
  performance.mark('script-start');
  await init();
  performance.mark('wasm-ready');
  DATA = { vms: vmStates(), trans: transitions() };
  performance.mark('layout-start');
  DATA.lay = layout(DATA.vms, DATA.trans);
  performance.measure('layout', 'layout-start');
  drawDiagram();
  // On a narrow screen the diagram scrolls sideways: start with its centre in view.
  const scroller = document.querySelector('.scroller');
  scroller.scrollLeft = (scroller.scrollWidth - scroller.clientWidth) / 2;
  const m = model();
  DATA.tasks = taskStates();
  DATA.acts = actions();

  $('provenance').textContent = `Nova ${m.novaCommit}, microversions up to ${m.maxMicroversion}.`;
  const task = $('task');
  task.append(el('option', { value: '' }, 'none'));
  fillSelect(task, DATA.tasks);
  const [maj, latest] = String(m.maxMicroversion).split('.').map(Number);
  const mvs = [];
  for (let i = latest; i >= 1; i--) mvs.push(`${maj}.${i}`);
  fillSelect($('microversion'), mvs);
  fillSelect($('path-from'), DATA.vms);
  fillSelect($('path-to'), DATA.vms);
  $('path-to').value = DATA.vms[DATA.vms.length - 1];
  EXAMPLES.forEach((ex, i) => $('example').append(el('option', { value: String(i) }, ex.title)));

  const refresh = () => {
    paint();
    renderStatePanel();
    if (!$('inspect-result').hidden) inspect();
    if (state.path.length) findPath();
  };
  for (const id of ['task', 'locked', 'admin', 'microversion']) $(id).addEventListener('change', refresh);
  $('example').addEventListener('change', () => {
    const ex = EXAMPLES[Number($('example').value)];
    if (!ex) return;
    $('record').value = JSON.stringify(ex.record, null, 2);
    inspect();
  });
  // Refuse a huge paste before it reaches the text area (a 10 MB text area alone is slow).
  $('record').addEventListener('paste', (ev) => {
    const text = ev.clipboardData?.getData('text') ?? '';
    if (text.length > MAX_PASTE) {
      ev.preventDefault();
      $('inspect-result').hidden = true;
      inspectMessage(`That paste is ${(text.length / 1048576).toFixed(1)} MB; paste one server record of at most 1 MB.`, 'error');
    }
  });
  $('inspect').addEventListener('click', inspect);
  $('clear').addEventListener('click', () => {
    $('record').value = '';
    $('inspect-result').hidden = true;
    inspectMessage('', '');
    state.inspected = null;
    paint();
  });
  $('find-path').addEventListener('click', findPath);
  for (const b of document.querySelectorAll('[data-export]')) b.addEventListener('click', () => exportAs(b.getAttribute('data-export')));
  paint();
  document.body.dataset.ready = 'true';
}

main().catch((err) => {
  const p = $('load-error');
  p.hidden = false;
  p.textContent = `The nova-states module failed to load: ${err && err.message ? err.message : err}`;
  document.body.dataset.ready = 'error';
});
