// The nova-states page. Every state, arrow and answer comes from the wasm module (through
// ./nova.js, the page's one import of the package); the diagram's positions were computed at
// build time by Graphviz (./build-layout.mjs). All text from data or from the user is rendered
// with textContent, never parsed as HTML.
import {
  describe, vmStates, taskStates, createChecker, statusOf,
  shortestPath, validateServers, toDot, toMermaid, model,
} from './nova.js';
import { parsePolicy, MAX_POLICY_TEXT } from './policy.js';
import LAYOUT from './layout.generated.json';
import { EXAMPLES } from './examples.js';
import { cliOf } from './cli.js';

const SVG = 'http://www.w3.org/2000/svg';
/** The largest servers text read (bytes of UTF-16 text, about the same in MB); larger is refused. */
export const MAX_TEXT = 64 * 1024 * 1024;
/** The most servers one list shows; longer lists show the first this many and say so. */
export const MAX_SERVERS = 50000;
/** Text longer than this is kept out of the text area (a huge text area is slow to edit). */
const SHOW_IN_BOX = 200 * 1024;
const ROW_H = 44;

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
  server: null, // { record, index } an inspected server, or null
  servers: [], // the read list: [{ record, validation }]
  path: [], // [{from, to, action, when, via}]
  pathTo: null,
};

let DATA; // { vms, tasks, acts, actByName, trans, maxMv }

// ---------------------------------------------------------------------------------------------
// Who is asking: Keystone roles as a token lists them (Keystone has expanded the implied roles:
// admin ⇒ manager ⇒ member ⇒ reader from 2025.2, admin ⇒ member ⇒ reader before).

const DEFAULT_PROJECT = 'project-a';
const OTHER_PROJECT = 'project-b';
const CALLER_USER = 'user-1';
const MAX_ROLE_LEN = 255;

/** Whether release `name` (null: the newest) has the manager role in its defaults (2025.2+). */
function hasManager(name) {
  const r = name ?? DATA.releases.at(-1).name;
  return r >= '2025.2';
}

/** The roles a token carries for a preset, under the chosen release. */
function presetRoles(who, release) {
  switch (who) {
    case 'admin': return hasManager(release) ? ['admin', 'manager', 'member', 'reader'] : ['admin', 'member', 'reader'];
    case 'manager': return ['manager', 'member', 'reader'];
    case 'member': case 'other': return ['member', 'reader'];
    case 'reader': return ['reader'];
    case 'none': return [];
    default: return null;
  }
}

/** The roles typed: comma-separated, trimmed, empty ones dropped, unchanged otherwise. */
function parseRoles(text) {
  return String(text).split(',').map((r) => r.trim()).filter((r) => r.length > 0);
}

/** The caller's project a preset implies: the server's, or another one for "another project's member". */
function expectedCaller(who, serverProject) {
  if (who !== 'other') return serverProject;
  return serverProject === OTHER_PROJECT ? DEFAULT_PROJECT : OTHER_PROJECT;
}

/** Sets the roles and the caller's project a chosen preset implies ("roles as typed" keeps both). */
function applyPreset() {
  const who = $('who').value;
  const roles = presetRoles(who, $('release').value || null);
  if (roles) $('roles').value = roles.join(', ');
  else if (who === '') $('roles').value = '';
  if (who && who !== 'custom') $('caller-project').value = expectedCaller(who, $('server-project').value.trim());
  // With credentials, admin is derived (context_is_admin): the checkbox gives way to the token's facts.
  const asked = who !== '';
  $('admin').disabled = asked;
  $('admin-label').hidden = asked;
  for (const e of document.querySelectorAll('#who-box .cred')) e.hidden = !asked;
}

/** The deployment's policy.yaml, once read: { policy, count, names } or null (the defaults). */
let POLICY = null;

// ---------------------------------------------------------------------------------------------
// Facts (the controls) and the URL

function facts() {
  const task = $('task').value;
  return {
    release: $('release').value || null, // null: the package's default, the newest
    taskState: task === '' ? null : task,
    launched: $('launched').value === '' ? null : $('launched').value === 'yes', // null: as the state implies
    host: $('host').value === '' ? null : $('host').value === 'yes',
    locked: $('locked').checked,
    admin: $('admin').checked,
    microversion: $('microversion').value,
    who: $('who').value, // '' : nobody in particular (no credentials, no policy)
    roles: parseRoles($('roles').value),
    callerProject: $('caller-project').value.trim(),
    serverProject: $('server-project').value.trim(),
    newDefaults: $('new-defaults').checked,
    lockedBy: $('locked-by').value || null,
  };
}

/** The Keystone credentials for the facts, or null when nobody in particular asks. */
function credentials(f = facts()) {
  if (!f.who) return null;
  // A token always names its user; the page's caller is one user, who owns the servers it
  // places on the diagram (a record's own user_id is the target for records).
  return { roles: f.roles, projectId: f.callerProject || null, userId: CALLER_USER };
}

/** A plain server settled in `vm` with the chosen facts. */
function serverIn(vm, f = facts()) {
  const s = { vmState: vm, taskState: f.taskState, locked: f.locked };
  if (f.launched !== null) s.launched = f.launched;
  if (f.host !== null) s.host = f.host ? 'compute' : null;
  if (f.who && f.serverProject) s.projectId = f.serverProject;
  if (f.who) s.userId = CALLER_USER;
  return s;
}

/** Who asks, in words. */
function whoText(f) {
  if (!f.who) return f.admin ? 'admin' : 'non-admin';
  const roles = f.roles.length ? `roles ${f.roles.join(', ')}` : 'no roles';
  const project = f.callerProject ? (f.callerProject === f.serverProject ? 'in the server\'s project' : `in project ${f.callerProject}`) : 'no project';
  const policy = POLICY ? ` · policy.yaml (${POLICY.count} rule${POLICY.count === 1 ? '' : 's'})` : '';
  return `${roles} ${project}${f.newDefaults ? '' : ' · old defaults'}${policy}`;
}

/** The facts in words, as the answer's subtitle says them. */
function factsText(f) {
  const launched = f.launched === null ? 'launched as the state implies' : f.launched ? 'launched' : 'never launched';
  const host = f.host === null ? 'host as the state implies' : f.host ? 'has a host' : 'no host';
  const release = f.release ?? `${DATA.releases.at(-1).name} (newest)`;
  return `release ${release} · task ${f.taskState ?? 'none'} · ${launched} · ${host} · ${f.locked ? `locked${f.lockedBy ? ` by ${f.lockedBy === 'owner' ? 'the owner' : 'an admin'}` : ''}` : 'unlocked'} · ${whoText(f)} · microversion ${f.microversion}`;
}

function options(f = facts()) {
  const o = { microversion: f.microversion };
  const creds = credentials(f);
  // With credentials, admin is what the policy's context_is_admin says: it is not passed.
  if (creds) {
    o.credentials = creds;
    if (POLICY) o.policy = POLICY.policy;
    if (!f.newDefaults) o.enforceNewDefaults = false;
  } else o.admin = f.admin;
  if (f.lockedBy) o.lockedBy = f.lockedBy;
  if (f.release) o.release = f.release;
  return o;
}

/** A checker for the options, compiled once per set of facts (credentials and overrides included). */
let checkerCache = { key: null, checker: null, error: null };
let policyVersion = 0;
function checker(f = facts()) {
  const opts = options(f);
  const key = JSON.stringify({ ...opts, policy: opts.policy ? policyVersion : null });
  if (checkerCache.key !== key) {
    try {
      checkerCache = { key, checker: createChecker(opts), error: null };
    } catch (err) {
      // Bad credentials or policy: say so, and answer as nobody in particular meanwhile.
      checkerCache = { key, checker: createChecker({ microversion: opts.microversion, ...(opts.release ? { release: opts.release } : {}) }), error: err };
    }
  }
  return checkerCache.checker;
}

/** The options shortestPath, toDot and toMermaid take: the start's facts with a plain server's
 * names, and who asks (the paths and drawn graphs follow the policy too). */
function pathOptions(f = facts()) {
  const { lockedBy: _l, ...o0 } = options(f);
  const o = { ...o0, taskState: f.taskState, locked: f.locked };
  if (f.launched !== null) o.launched = f.launched;
  if (f.host !== null) o.host = f.host ? 'compute' : null;
  return o;
}

function writeUrl() {
  const f = facts();
  const p = new URLSearchParams();
  if (state.selected) p.set('state', state.selected);
  if (f.taskState) p.set('task', f.taskState);
  if (f.launched !== null) p.set('launched', f.launched ? '1' : '0');
  if (f.host !== null) p.set('host', f.host ? '1' : '0');
  if (f.locked) p.set('locked', '1');
  if (f.admin) p.set('admin', '1');
  if (f.microversion !== $('microversion').options[0]?.value) p.set('mv', f.microversion);
  if (f.release) p.set('release', f.release);
  if (f.lockedBy) p.set('lockedby', f.lockedBy);
  if (f.who) {
    p.set('who', f.who);
    if (f.who === 'custom') p.set('roles', f.roles.join(','));
    if (f.callerProject !== expectedCaller(f.who, f.serverProject)) p.set('cp', f.callerProject);
    if (f.serverProject !== DEFAULT_PROJECT) p.set('sp', f.serverProject);
    if (!f.newDefaults) p.set('nd', '0');
  }
  if (state.pathTo) {
    p.set('from', $('path-from').value);
    p.set('to', state.pathTo);
  }
  const q = p.toString();
  history.replaceState(null, '', q ? `?${q}` : location.pathname);
}

function readUrl() {
  const p = new URLSearchParams(location.search);
  const pick = (id, v, allowed) => { if (v !== null && allowed.includes(v)) $(id).value = v; };
  pick('task', p.get('task'), DATA.tasks);
  pick('release', p.get('release'), [...$('release').options].map((o) => o.value));
  fillMicroversions();
  pick('microversion', p.get('mv'), [...$('microversion').options].map((o) => o.value));
  const yesNo = (v) => (v === '1' ? 'yes' : v === '0' ? 'no' : '');
  $('launched').value = yesNo(p.get('launched'));
  $('host').value = yesNo(p.get('host'));
  $('locked').checked = p.get('locked') === '1';
  $('admin').checked = p.get('admin') === '1';
  pick('locked-by', p.get('lockedby'), ['owner', 'admin']);
  pick('who', p.get('who'), [...$('who').options].map((o) => o.value));
  const text = (v, max) => (typeof v === 'string' ? v.slice(0, max) : null);
  const sp = text(p.get('sp'), MAX_ROLE_LEN);
  if (sp !== null) $('server-project').value = sp;
  applyPreset();
  if ($('who').value === 'custom') $('roles').value = text(p.get('roles'), 4096) ?? '';
  const cp = text(p.get('cp'), MAX_ROLE_LEN);
  $('caller-project').value = cp ?? expectedCaller($('who').value, $('server-project').value.trim());
  $('new-defaults').checked = p.get('nd') !== '0';
  const s = p.get('state');
  const from = p.get('from');
  const to = p.get('to');
  return {
    selected: s !== null && DATA.vms.includes(s) ? s : null,
    from: DATA.vms.includes(from) ? from : null,
    to: DATA.vms.includes(to) ? to : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Microversion conditions

function mvNum(v) {
  const m = /^(\d+)\.(\d+)$/.exec(String(v));
  return m ? Number(m[1]) * 1000 + Number(m[2]) : NaN;
}

/** Offers the microversions the chosen release serves, newest first, and chooses its newest
 * (what the package assumes for a release), unless `keep` is one it serves. */
function fillMicroversions(keep = null) {
  const chosen = DATA.releases.find((r) => r.name === $('release').value) ?? DATA.releases.at(-1);
  const [maj, max] = String(chosen.maxMicroversion).split('.').map(Number);
  const select = $('microversion');
  const mvs = [];
  for (let i = max; i >= 1; i--) mvs.push(`${maj}.${i}`);
  select.replaceChildren();
  fillSelect(select, mvs);
  select.value = mvs.includes(keep) ? keep : mvs[0];
}

/** Whether a transition's condition holds at microversion `mv`; conditions about anything else hold. */
function whenHolds(when, mv) {
  if (!when) return true;
  let m = /microversion before (\d+\.\d+)/.exec(when);
  if (m) return mvNum(mv) < mvNum(m[1]);
  m = /microversion (\d+\.\d+) or later/.exec(when);
  if (m) return mvNum(mv) >= mvNum(m[1]);
  return true;
}

/** The condition as shown at `mv`: a microversion condition that holds is dropped (it always holds there). */
function whenShown(when) {
  if (!when || /^microversion /.test(when)) return '';
  return when;
}

/** Where `action` leads from `from` at microversion `mv`. */
function leadsTo(from, action, mv = facts().microversion) {
  return DATA.trans.filter((t) => t.from === from && t.action === action && whenHolds(t.when, mv));
}

/** The REST entry of an action at microversion `mv`. */
function restAt(a, mv) {
  const n = mvNum(mv);
  return a.rest.find((r) => mvNum(r.minMicroversion) <= n && (!r.maxMicroversion || n <= mvNum(r.maxMicroversion))) ?? a.rest[0];
}

function restText(name) {
  return /^(GET|POST|PUT|DELETE) /.test(name) ? name : `POST /servers/{id}/action ${name}`;
}

// ---------------------------------------------------------------------------------------------
// Diagram

function drawDiagram() {
  const L = LAYOUT;
  const root = $('diagram');
  root.replaceChildren();
  root.setAttribute('viewBox', `0 0 ${L.width} ${L.height}`);
  const defs = svg('defs');
  for (const [id, cls] of [['arrow', 'ah'], ['arrow-hl', 'ah ah-hl'], ['arrow-path', 'ah ah-path'], ['arrow-sys', 'ah ah-sys']]) {
    const m = svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' });
    m.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: cls }));
    defs.append(m);
  }
  root.append(defs);
  const edgeLayer = svg('g', { class: 'edges' });
  const labelLayer = svg('g', { class: 'labels' });
  const nodeLayer = svg('g', { class: 'nodes' });
  const lineH = L.font * 1.2;

  L.edges.forEach((e, i) => {
    const common = { 'data-i': i, 'data-from': e.from, 'data-to': e.to, 'data-kind': e.kind };
    const g = svg('g', { ...common, class: `edge ${e.kind}` });
    const what = e.kind === 'system' ? e.text : e.actions.join(', ');
    const from = e.from === L.any ? `any of ${e.sources.join(', ')}` : e.from;
    g.append(svg('title', {}, `${from} → ${e.to}: ${what}`));
    g.append(svg('path', { d: e.d, 'marker-end': `url(#${e.kind === 'system' ? 'arrow-sys' : 'arrow'})` }));
    edgeLayer.append(g);
    const lg = svg('g', { ...common, class: `elabel ${e.kind}` });
    const top = e.label.y - (e.label.lines.length * lineH) / 2;
    e.label.lines.forEach((line, k) => {
      const t = svg('text', { x: e.label.x, y: top + lineH * (k + 0.78), 'text-anchor': 'middle' });
      if (e.kind === 'system') t.textContent = line[0];
      else {
        line.forEach((act, j) => {
          if (j > 0) t.append(svg('tspan', { class: 'sep' }, ', '));
          t.append(svg('tspan', { class: 'act', 'data-action': act }, act));
        });
      }
      lg.append(t);
    });
    labelLayer.append(lg);
  });

  for (const [name, n] of Object.entries(L.nodes)) {
    const any = name === L.any;
    const g = svg('g', any ? { class: 'node any' } : {
      class: 'node', 'data-state': name, tabindex: 0, role: 'button', 'aria-pressed': 'false',
      'aria-label': `vm state ${name}`,
    });
    g.append(svg('rect', { x: n.x - n.w / 2, y: n.y - n.h / 2, width: n.w, height: n.h, rx: 9 }));
    g.append(svg('text', { x: n.x, y: n.y + 1, 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, any ? 'any state' : name));
    if (!any) {
      g.addEventListener('click', (ev) => { ev.stopPropagation(); selectState(name); });
      g.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ' || ev.key === 'Spacebar') {
          ev.preventDefault();
          selectState(name);
        }
      });
    }
    nodeLayer.append(g);
  }
  root.append(edgeLayer, labelLayer, nodeLayer);
  performance.mark('diagram-drawn');
}

/** Once the module is ready: each state's API status in its label, and the states as a list. */
function finishDiagram() {
  for (const g of $('diagram').querySelectorAll('.node[data-state]')) {
    const name = g.getAttribute('data-state');
    g.setAttribute('aria-label', `vm state ${name}, status ${statusOf(name, null)}`);
  }
  // The same states as a list: the phone's view of the diagram, and a plain list for anyone.
  const list = $('state-list');
  for (const name of DATA.vms) {
    const b = el('button', { type: 'button', 'data-state': name, 'aria-pressed': 'false' });
    b.append(el('span', { class: 'name' }, name), el('span', { class: 'to' }, ''));
    b.addEventListener('click', () => selectState(name));
    const li = el('li');
    li.append(b);
    list.append(li);
  }
}

/** The current subject: the inspected server, or a server settled in the selected state. */
function subject() {
  if (state.server) return { record: state.server.record, vm: state.server.vm };
  if (state.selected) return { record: serverIn(state.selected), vm: state.selected };
  return null;
}

/** Whether a verdict is refused only by policy rules that cannot be decided here. */
function onlyUndecided(v) {
  return !v.allowed && v.denials.every((d) => d.reason === 'policy-undecided');
}

/** The allowed actions of a server, and those only an undecided policy rule may refuse. */
function verdictSets(record, c) {
  const allowed = new Set();
  const maybe = new Set();
  for (const { action, verdict } of c.actionsFor(record)) {
    if (verdict.allowed) allowed.add(action);
    else if (onlyUndecided(verdict)) maybe.add(action);
  }
  return { allowed, maybe };
}

/** Allowed (and may-be-refused) action sets per state under the facts (for the diagram's strike-through). */
function allowedFromAll(f) {
  const c = checker(f);
  return new Map(DATA.vms.map((s) => [s, verdictSets(serverIn(s, f), c)]));
}

/** Marks refused actions, highlights what the subject allows and the path. */
function paint() {
  const f = facts();
  const mv = f.microversion;
  const root = $('diagram');
  const sets = allowedFromAll(f);
  const sub = subject();
  const sel = sub?.vm ?? null;
  if (sub && state.server) sets.set(sel, verdictSets(sub.record, checker(f)));
  const edgeOk = (from, to, act) => sets.get(from)?.allowed.has(act) && leadsTo(from, act, mv).some((t) => t.to === to);
  const edgeMaybe = (from, to, act) => sets.get(from)?.maybe.has(act) && leadsTo(from, act, mv).some((t) => t.to === to);
  const onPath = (e) => state.path.some((s) => s.to === e.to && (e.from === LAYOUT.any ? (e.sources ?? []).includes(s.from) : s.from === e.from) && e.actions.includes(s.action));

  const targets = new Set();
  LAYOUT.edges.forEach((e, i) => {
    let hl = false;
    if (sel && e.kind !== 'system') {
      const from = e.from === LAYOUT.any ? ((e.sources ?? []).includes(sel) ? sel : null) : e.from;
      hl = from === sel && e.actions.some((a) => edgeOk(sel, e.to, a));
    }
    const path = onPath(e);
    for (const g of root.querySelectorAll(`[data-i="${i}"]`)) {
      g.classList.toggle('hl', hl);
      g.classList.toggle('onpath', path);
      g.classList.toggle('dim', Boolean(sel) && !hl && !path && e.kind !== 'system');
      if (g.classList.contains('edge')) {
        g.querySelector('path').setAttribute('marker-end', `url(#${path ? 'arrow-path' : hl ? 'arrow-hl' : e.kind === 'system' ? 'arrow-sys' : 'arrow'})`);
      } else {
        for (const t of g.querySelectorAll('.act')) {
          const act = t.getAttribute('data-action');
          let ok;
          let maybe;
          if (e.from !== LAYOUT.any) [ok, maybe] = [edgeOk(e.from, e.to, act), edgeMaybe(e.from, e.to, act)];
          else if (sel && (e.sources ?? []).includes(sel)) [ok, maybe] = [edgeOk(sel, e.to, act), edgeMaybe(sel, e.to, act)];
          else [ok, maybe] = [(e.sources ?? []).some((s) => edgeOk(s, e.to, act)), (e.sources ?? []).some((s) => edgeMaybe(s, e.to, act))];
          t.classList.toggle('no', !ok && !maybe);
          t.classList.toggle('maybe', !ok && Boolean(maybe));
          t.classList.toggle('step', path && state.path.some((s) => s.action === act && s.to === e.to));
        }
      }
    }
    if (hl) targets.add(e.to);
  });
  for (const g of root.querySelectorAll('.node[data-state]')) {
    const name = g.getAttribute('data-state');
    g.classList.toggle('selected', name === sel);
    g.setAttribute('aria-pressed', String(name === sel && !state.server));
    g.classList.toggle('target', targets.has(name) && name !== sel);
    g.classList.toggle('inspected', Boolean(state.server) && name === sel);
  }
  for (const b of $('state-list').querySelectorAll('button')) {
    const name = b.getAttribute('data-state');
    b.setAttribute('aria-pressed', String(name === sel));
    const tos = [...new Set(DATA.trans.filter((t) => t.from === name && t.to !== name && edgeOk(name, t.to, t.action)).map((t) => t.to))];
    const system = LAYOUT.edges.filter((e) => e.kind === 'system' && e.from === name).map((e) => `; ${e.text} → ${e.to}`).join('');
    b.querySelector('.to').textContent = (tos.length ? `→ ${tos.join(', ')}` : '→ nowhere by an action under these facts') + system;
  }
}

// ---------------------------------------------------------------------------------------------
// The answer panel: allowed actions grouped, refused ones titled by their HTTP answer

const REFUSAL_TITLES = {
  409: '409 Conflict — refused in this state',
  404: '404 Not Found — not at this microversion, the server is gone, or the caller cannot see it',
  400: '400 Bad Request',
  403: '403 Forbidden — the policy does not allow this caller',
  maybe: 'may be refused — a policy rule this page cannot decide',
  500: '500 Unexpected API Error — Nova does not catch this refusal',
  204: 'Not refused: Nova does something else instead',
};

function actionItem(a, from, verdict, mv) {
  const li = el('li', { 'data-action': a.name });
  const head = el('div', { class: 'act-head' });
  const ends = from ? leadsTo(from, a.name, mv) : [];
  const leaves = ends.filter((t) => t.to !== from);
  if (verdict.allowed && leaves.length) {
    const b = el('button', { type: 'button', class: 'chip go', 'data-action': a.name, title: `Follow ${a.name} to ${leaves[0].to}` }, a.name);
    b.addEventListener('click', () => selectState(leaves[0].to, { announce: `${a.name}: now ${leaves[0].to}` }));
    head.append(b);
  } else {
    head.append(el('code', { class: 'chip' }, a.name));
  }
  if (verdict.allowed) {
    if (ends.length) {
      const tasks = ends[0].via ? [ends[0].via, ...a.laterTasks] : [];
      const where = ends.map((t) => `${t.to}${whenShown(t.when) ? ` when ${whenShown(t.when)}` : ''}`).join('; or ');
      head.append(el('span', { class: 'to' }, ` → ${where}${tasks.length ? ` (task ${tasks.join(' → ')})` : ''}`));
    }
  } else {
    const d = verdict.denials[0];
    head.append(el('span', { class: 'kind' }, ` ${d.kind.replace('_', ' ')}`));
  }
  li.append(head);
  const rest = restAt(a, mv);
  const meta = el('div', { class: 'meta' });
  meta.append(el('span', { class: 'rest' }, restText(rest.name)), document.createTextNode(' · '), el('code', { class: 'cli' }, cliOf(a.name)));
  li.append(meta);
  if (!verdict.allowed) {
    const d = verdict.denials[0];
    li.append(el('div', { class: 'msg' }, d.message));
    if (d.reason === 'policy') {
      const who = el('div', { class: 'who' });
      who.append(el('span', { class: 'lbl' }, 'Who may: '), el('span', { class: 'text' }, d.text), document.createTextNode(' · rule '), el('code', { class: 'rule' }, d.rule));
      li.append(who);
    } else if (d.reason === 'policy-undecided') {
      const who = el('div', { class: 'who maybe' });
      who.append(el('span', { class: 'text' }, d.text), document.createTextNode(' · who may: '), el('span', {}, d.expected.join('; ')), document.createTextNode(' · rule '), el('code', { class: 'rule' }, d.rule));
      li.append(who);
    } else if (d.reason === 'not-visible') {
      li.append(el('div', { class: 'who' }, `Not found: ${d.text}.`));
    }
  }
  if (a.notes) li.append(el('div', { class: 'notes' }, a.notes));
  return li;
}

function renderAnswer() {
  const f = facts();
  const mv = f.microversion;
  const groups = $('groups');
  groups.replaceChildren();
  const sub = subject();
  const factsList = $('server-facts');
  const diags = $('diagnostics');
  factsList.hidden = true;
  diags.hidden = true;
  if (!sub) {
    $('answer-title').textContent = 'Pick a state';
    $('answer-status').textContent = 'Select a vm state on the diagram, or a server in your list.';
    return;
  }
  if (state.server) {
    const { record, validation, vm } = state.server;
    const s = plain(record);
    $('answer-title').textContent = `Server ${s.name ?? s.id ?? `#${state.server.index + 1}`}`;
    $('answer-status').textContent = `API status ${validation.status}; on the diagram at ${vm}. Facts from the record; caller and microversion from the controls.`;
    factsList.replaceChildren();
    const add = (k, v) => factsList.append(el('dt', {}, k), el('dd', {}, v));
    add('Name', s.name ?? '—');
    add('ID', s.id ?? '—');
    add('vm / task', `${vm} / ${s.task ?? 'none'}`);
    add('Locked', s.locked === undefined ? 'not in the record' : String(s.locked));
    add('Host', s.host === undefined ? 'not in the record' : (s.host ?? 'none'));
    add('Launched', s.launched === undefined ? 'not in the record' : (s.launched ?? 'never'));
    factsList.hidden = false;
    diags.replaceChildren();
    for (const d of validation.diagnostics) diags.append(el('li', { class: `diag ${d.severity}` }, `${d.severity}: ${d.message}`));
    const v0 = checker(f).checkAction(DATA.acts[0].name, record);
    for (const a of v0.assumptions) diags.append(el('li', { class: 'diag assumption' }, `assumed ${a.field}: ${a.assumed}`));
    diags.hidden = diags.children.length === 0;
  } else {
    const vm = sub.vm;
    $('answer-title').textContent = `From ${vm}`;
    $('answer-status').textContent = `API status ${statusOf(vm, f.taskState)} · ${factsText(f)}`;
  }
  const c = checker(f);
  const verdicts = new Map(c.actionsFor(sub.record).map(({ action, verdict }) => [action, verdict]));
  const allowed = { change: [], stay: [], data: [] };
  const refused = new Map();
  for (const a of DATA.acts) {
    const v = verdicts.get(a.name) ?? c.checkAction(a.name, sub.record);
    const item = actionItem(a, sub.vm, v, mv);
    if (v.allowed) {
      const ends = leadsTo(sub.vm, a.name, mv);
      const kind = ends.some((t) => t.to !== sub.vm) ? 'change' : ends.length ? 'stay' : 'data';
      allowed[kind].push(item);
    } else {
      const code = onlyUndecided(v) ? 'maybe' : v.denials[0].httpStatus;
      if (!refused.has(code)) refused.set(code, []);
      refused.get(code).push(item);
    }
  }
  const total = allowed.change.length + allowed.stay.length + allowed.data.length;
  const section = (id, title, items, cls) => {
    const d = el('details', { class: `group ${cls}`, id, open: '' });
    const s = el('summary');
    s.append(el('span', {}, title), el('span', { class: 'count' }, ` (${items.length})`));
    const ul = el('ul', { class: 'acts' });
    ul.append(...items);
    d.append(s, ul);
    groups.append(d);
  };
  if (total === 0) groups.append(el('p', { class: 'muted', id: 'nothing-allowed' }, 'Nova refuses every action under these facts.'));
  if (allowed.change.length) section('g-change', 'Allowed: changes the vm state', allowed.change, 'ok');
  if (allowed.stay.length) section('g-stay', 'Allowed: stays in this vm state (runs a task)', allowed.stay, 'ok');
  if (allowed.data.length) section('g-data', 'Allowed: consoles and data', allowed.data, 'ok');
  for (const code of [...refused.keys()].sort((a, b) => (a === 'maybe' ? -1 : b === 'maybe' ? 1 : a - b))) {
    if (code === 'maybe') section('g-refused-maybe', `May be refused: ${REFUSAL_TITLES.maybe.replace(/^may be refused — /, '')}`, refused.get(code), 'no maybe');
    else section(`g-refused-${code}`, `Refused: ${REFUSAL_TITLES[code] ?? `HTTP ${code}`}`, refused.get(code), 'no');
  }
  // The groups of refusals start closed: what is allowed comes first.
  for (const d of groups.querySelectorAll('details.no')) d.open = total === 0 || d.classList.contains('maybe');
  return { allowed: total, refused: DATA.acts.length - total };
}

function announce(text) {
  // Only the changed answer, in a few words: the panel itself is not a live region.
  const a = $('announce');
  a.textContent = '';
  requestAnimationFrame(() => { a.textContent = text; });
}

/** Every answer again after a fact changed, and a few words for a screen reader. */
function factsChanged() {
  if (state.servers.length) { rowsRendered = { from: -1, to: -1 }; renderRows(); }
  const counts = refreshAll();
  const sub = subject();
  if (sub) announce(`${state.server ? 'this server' : sub.vm}: ${counts.allowed} allowed, ${counts.refused} refused`);
}

function refreshAll({ path = true } = {}) {
  const f = facts();
  $('facts-summary').textContent = `Facts: ${factsText(f)} (change)`;
  checker(f);
  const whoMsg = $('who-message');
  if (checkerCache.error) {
    whoMsg.textContent = `These credentials or this policy cannot be used (answering as nobody in particular meanwhile): ${checkerCache.error.message}`;
    whoMsg.className = 'who-msg error';
  } else {
    whoMsg.textContent = '';
    whoMsg.className = 'who-msg';
  }
  paint();
  const counts = renderAnswer();
  if (path && state.pathTo) findPath({ quiet: true });
  writeUrl();
  return counts;
}

function selectState(name, { announce: said, keepServer = false } = {}) {
  if (!DATA?.acts) return; // drawn before the module is ready: answers follow in a moment
  state.selected = name;
  if (!keepServer) {
    state.server = null;
    for (const r of document.querySelectorAll('#server-rows .vrow.sel')) r.classList.remove('sel');
  }
  if (name) $('path-from').value = name;
  const counts = refreshAll();
  if (name) announce(said ?? `${name}: ${counts.allowed} allowed, ${counts.refused} refused`);
  if (name && narrow()) $('answer').scrollIntoView({ block: 'start' });
}

const narrow = () => window.matchMedia('(max-width: 899px)').matches;

// ---------------------------------------------------------------------------------------------
// Servers: a /servers/detail response (or one server) becomes a table

function inspectMessage(text, kind) {
  const m = $('inspect-message');
  m.textContent = text;
  m.className = kind ?? '';
}

/** The facts the table shows, read from a record in either form. */
function plain(record) {
  const s = record && typeof record === 'object' && record.server && typeof record.server === 'object' ? record.server : record;
  if (!s || typeof s !== 'object') return {};
  const str = (v) => (typeof v === 'string' ? v : v === null ? null : undefined);
  const pick = (...keys) => { for (const k of keys) if (k in s) return s[k]; return undefined; };
  const host = pick('OS-EXT-SRV-ATTR:host', 'host');
  const launched = pick('OS-SRV-USG:launched_at', 'launched');
  return {
    name: str(s.name) ?? undefined,
    id: str(s.id) ?? undefined,
    vm: str(pick('OS-EXT-STS:vm_state', 'vmState')),
    task: str(pick('OS-EXT-STS:task_state', 'taskState')),
    locked: 'locked' in s ? s.locked : undefined,
    host: host === undefined ? undefined : typeof host === 'string' ? host : host === true ? 'yes' : null,
    launched: launched === undefined ? undefined : typeof launched === 'string' ? launched : launched ? 'yes' : null,
  };
}

let rowsRendered = { from: -1, to: -1 };

function renderRows() {
  const body = $('server-rows');
  const n = state.servers.length;
  const view = body.clientHeight || 440;
  const first = Math.max(0, Math.floor(body.scrollTop / ROW_H) - 5);
  const last = Math.min(n, first + Math.ceil(view / ROW_H) + 10);
  if (rowsRendered.from === first && rowsRendered.to === last) return;
  rowsRendered = { from: first, to: last };
  const spacer = el('div', { class: 'spacer' });
  spacer.style.height = `${n * ROW_H}px`;
  const c = checker();
  const rows = [];
  for (let i = first; i < last; i++) {
    const { record, validation } = state.servers[i];
    const s = plain(record);
    const row = el('div', { class: 'vrow', role: 'row', 'aria-rowindex': String(i + 2), 'data-index': String(i) });
    row.style.top = `${i * ROW_H}px`;
    if (state.server?.index === i) row.classList.add('sel');
    const nameCell = el('span', { role: 'cell', class: 'c-name' });
    const b = el('button', { type: 'button', class: 'rowbtn', title: 'Place this server on the diagram' }, s.name ?? `#${i + 1}`);
    b.addEventListener('click', () => pickServer(i));
    nameCell.append(b);
    let chips = '';
    let ok = true;
    let hidden = false;
    let maybe = 0;
    try {
      const all = c.actionsFor(record);
      chips = all.filter((x) => x.verdict.allowed).map((x) => x.action);
      maybe = all.filter((x) => onlyUndecided(x.verdict)).length;
      // Another project's server: Nova's lookup does not find it (a few routes check policy first).
      hidden = chips.length === 0 && all.some((x) => !x.verdict.allowed && x.verdict.denials[0].reason === 'not-visible');
    } catch (err) {
      ok = false;
      chips = err.message;
    }
    const chipCell = el('span', { role: 'cell', class: 'c-acts' });
    if (ok && hidden) {
      chipCell.append(el('span', { class: 'error hidden-404', title: 'A caller who is not admin and not of the server\'s project does not find it' }, '404: another project\'s server'));
    } else if (ok) {
      for (const a of chips.slice(0, 6)) chipCell.append(el('code', { class: 'chip small' }, a));
      if (chips.length > 6) chipCell.append(el('span', { class: 'more' }, `+${chips.length - 6}`));
      if (!chips.length) chipCell.append(el('span', { class: 'muted' }, 'none'));
      if (maybe) chipCell.append(el('span', { class: 'more maybe-count' }, ` ${maybe} may be refused`));
    } else chipCell.append(el('span', { class: 'error' }, chips));
    row.append(
      nameCell,
      el('span', { role: 'cell', class: 'c-id' }, s.id ?? '—'),
      el('span', { role: 'cell', class: `c-status ${validation.ok ? '' : 'bad'}` }, validation.status),
      el('span', { role: 'cell' }, s.task ?? '—'),
      el('span', { role: 'cell' }, s.locked === true ? 'locked' : s.locked === false ? '—' : '?'),
      el('span', { role: 'cell', class: 'c-host' }, s.host === undefined ? '?' : (s.host ?? 'none')),
      chipCell,
    );
    rows.push(row);
  }
  body.replaceChildren(spacer, ...rows);
}

function pickServer(i) {
  const { record, validation } = state.servers[i];
  const s = plain(record);
  let vm = s.vm && DATA.vms.includes(s.vm) ? s.vm : null;
  if (!vm) {
    inspectMessage(`Server ${s.name ?? i + 1} has no vm state this page knows (${s.vm ?? 'none'}); its status is ${validation.status}.`, 'error');
    return;
  }
  state.server = { record, validation, vm, index: i };
  state.selected = vm;
  $('path-from').value = vm;
  for (const r of document.querySelectorAll('#server-rows .vrow')) r.classList.toggle('sel', r.getAttribute('data-index') === String(i));
  const counts = refreshAll();
  announce(`Server ${s.name ?? i + 1}: ${validation.status}, ${counts.allowed} actions allowed`);
  // The answer sits beside the diagram on wide screens; on a phone, bring it into view.
  if (narrow()) $('answer').scrollIntoView({ block: 'start' });
  else $('side').scrollTop = 0;
}

function readServers(text) {
  state.server = null;
  state.servers = [];
  $('table-wrap').hidden = true;
  $('server-rows').replaceChildren();
  if (text.length > MAX_TEXT) {
    inspectMessage(`That is ${(text.length / 1048576).toFixed(1)} MB; this page reads up to ${MAX_TEXT / 1048576} MB (about 60,000 servers). Split the list with the API's limit and marker parameters.`, 'error');
    refreshAll();
    return;
  }
  if (!text.trim()) {
    inspectMessage('Paste a servers response first, drop a file, or pick an example.', 'error');
    refreshAll();
    return;
  }
  let data;
  try {
    data = JSON.parse(text);
  } catch (err) {
    inspectMessage(`Not valid JSON: ${err.message}`, 'error');
    refreshAll();
    return;
  }
  let list;
  if (Array.isArray(data?.servers)) list = data.servers;
  else if (Array.isArray(data)) list = data;
  else if (data && typeof data === 'object') list = [data];
  else {
    inspectMessage('This is not a server record or a servers response: expected {"servers": [...]} or {"server": {...}}.', 'error');
    refreshAll();
    return;
  }
  if (list.length === 0) {
    inspectMessage('That list has no servers.', 'error');
    refreshAll();
    return;
  }
  let note = '';
  if (list.length > MAX_SERVERS) {
    note = ` Showing the first ${MAX_SERVERS.toLocaleString('en')} of ${list.length.toLocaleString('en')}.`;
    list = list.slice(0, MAX_SERVERS);
  }
  let validations;
  try {
    validations = validateServers(list);
  } catch (err) {
    inspectMessage(`These are not server records Nova would return: ${err.message}`, 'error');
    refreshAll();
    return;
  }
  state.servers = list.map((record, i) => ({ record, validation: validations[i] }));
  const unreadable = validations.filter((v) => v.diagnostics.some((d) => d.code === 'malformed')).length;
  if (list.length === 1 && unreadable === 1) {
    state.servers = [];
    inspectMessage(`This is not a server record Nova would return: ${validations[0].diagnostics[0].message}`, 'error');
    refreshAll();
    return;
  }
  const bad = validations.filter((v) => !v.ok).length;
  // A project's /servers/detail: its one tenant_id becomes the server's project, so the role
  // presets ask as that project's users (another project's member stays outside it).
  const tenants = new Set();
  for (const r of list) {
    const t = r && typeof r === 'object' ? (r.server && typeof r.server === 'object' ? r.server : r).tenant_id : undefined;
    tenants.add(typeof t === 'string' ? t : null);
    if (tenants.size > 1) break;
  }
  let projectNote = '';
  const [only] = tenants;
  if (tenants.size === 1 && only && only.length <= MAX_ROLE_LEN && only !== $('server-project').value.trim()) {
    $('server-project').value = only;
    const who = $('who').value;
    if (who && who !== 'custom') $('caller-project').value = expectedCaller(who, only);
    projectNote = ` Their project (tenant_id ${only}) is now the server's project under Who is asking.`;
  }
  inspectMessage(`${list.length.toLocaleString('en')} server${list.length > 1 ? 's' : ''} read${bad ? `; ${bad} with problems (status in red)` : ''}.${note}${projectNote} Click a name to place that server on the diagram.`, 'ok');
  $('table-wrap').hidden = false;
  const body = $('server-rows');
  body.scrollTop = 0;
  rowsRendered = { from: -1, to: -1 };
  renderRows();
  announce(`${list.length} servers read`);
  if (list.length === 1) pickServer(0);
  else refreshAll();
}

/** Text kept out of the text area when large: the box shows a note, the text is read from here. */
let heldText = null;

function setInput(text) {
  if (text.length > SHOW_IN_BOX) {
    heldText = text;
    $('record').value = '';
    $('record').placeholder = `(${(text.length / 1048576).toFixed(1)} MB read from a paste or file; not shown here)`;
  } else {
    heldText = null;
    $('record').value = text;
  }
}

function currentText() {
  return heldText ?? $('record').value;
}

// ---------------------------------------------------------------------------------------------
// Path finder

/** Turns a list of action names into steps, choosing at each step the end that still reaches `to`. */
function stepsOf(from, to, names, mv) {
  const walk = (at, i) => {
    if (i === names.length) return at === to ? [] : null;
    for (const t of leadsTo(at, names[i], mv)) {
      const rest = walk(t.to, i + 1);
      if (rest) return [t, ...rest];
    }
    return null;
  };
  return walk(from, 0);
}

/** How many path searches have finished (the page's tests wait on it). */
let pathsDone = 0;

async function findPath(options) {
  try {
    await searchPath(options);
  } finally {
    document.body.dataset.paths = String(++pathsDone);
  }
}

async function searchPath({ quiet = false } = {}) {
  await describe();
  const from = $('path-from').value;
  const to = $('path-to').value;
  const f = facts();
  const list = $('path-result');
  list.replaceChildren();
  state.pathTo = to;
  state.path = [];
  let names;
  // From an inspected server's own state, the path starts from that server's facts.
  let opts = pathOptions(f);
  if (state.server && from === state.server.vm) {
    const s = plain(state.server.record);
    const { lockedBy: _l, ...o0 } = options(f);
    opts = { ...o0, taskState: s.task ?? null, locked: s.locked === true };
    if (s.launched !== undefined) opts.launched = Boolean(s.launched);
    if (s.host !== undefined) opts.host = s.host;
  }
  try {
    names = shortestPath(from, to, opts);
  } catch (err) {
    $('path-message').textContent = err.message;
    return;
  }
  let msg;
  if (names === null || names === undefined) {
    msg = `No sequence of actions Nova accepts takes a server from ${from} to ${to} under these facts.`;
  } else if (names.length === 0) {
    msg = `Already there: ${from} is ${to}.`;
  } else {
    const steps = stepsOf(from, to, names, f.microversion) ?? names.map((a) => ({ action: a, from: '?', to: '?', via: null }));
    state.path = steps;
    for (const s of steps) {
      const li = el('li');
      const a = DATA.actByName.get(s.action);
      li.append(el('code', { class: 'chip' }, s.action));
      li.append(document.createTextNode(` ${s.from} → ${s.via ? `task ${s.via} → ` : ''}${s.to}${whenShown(s.when) ? ` (when ${whenShown(s.when)})` : ''}`));
      if (a) li.append(el('div', { class: 'meta' }, `${restText(restAt(a, f.microversion).name)} · ${cliOf(a.name)}`));
      list.append(li);
    }
    msg = `${names.length} action${names.length > 1 ? 's' : ''}: ${names.join(', ')}; drawn in orange.`;
  }
  $('path-message').textContent = msg;
  if (!quiet) {
    paint();
    writeUrl();
    announce(msg);
    // The path is drawn on the diagram: bring the diagram into view if it is not.
    const d = $('diagram').getBoundingClientRect();
    if (!narrow() && (d.bottom < 60 || d.top > window.innerHeight - 60)) $('diagram').scrollIntoView({ block: 'nearest' });
    $('paths').scrollIntoView({ block: 'nearest' });
  } else paint();
}

// ---------------------------------------------------------------------------------------------
// Exports

async function exportAs(kind) {
  await describe();
  const opts = pathOptions();
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
    $('export-message').textContent = 'The clipboard is not available here; select the text below and copy it.';
    area.focus();
    area.select();
  }
}

// ---------------------------------------------------------------------------------------------
// The deployment's policy.yaml: parsed in the page (the YAML reader comes on demand), checked
// once by the package, then part of every answer's options.

function policyMessage(text, kind) {
  const m = $('policy-message');
  m.textContent = text;
  m.className = kind ?? '';
}

function policySummary() {
  $('policy-summary').textContent = POLICY
    ? `Policy: policy.yaml (${POLICY.count} rule${POLICY.count === 1 ? '' : 's'})`
    : 'Policy: defaults';
}

let policyRun = 0;
async function applyPolicyText(text) {
  const run = ++policyRun;
  policyMessage('Reading the policy…', 'note');
  const r = await parsePolicy(text);
  if (run !== policyRun) return; // a newer paste won
  if (!r.ok) {
    policyMessage(r.message, 'error');
    return;
  }
  // A policy is evaluated exactly by nova-states/describe's checks.
  await describe();
  if (run !== policyRun) return;
  // The package reads every check string now, so a wrong one is reported here, by name.
  try {
    createChecker({ credentials: { roles: [] }, policy: r.policy });
  } catch (err) {
    policyMessage(`The package cannot use this policy: ${err.message}`, 'error');
    return;
  }
  POLICY = r;
  policyVersion++;
  const names = r.names.slice(0, 5).join(', ') + (r.names.length > 5 ? `, and ${r.names.length - 5} more` : '');
  policyMessage(`${r.count} rule${r.count === 1 ? '' : 's'} read (${names}).${$('who').value ? '' : ' A policy decides only when someone asks: choose who is asking above.'}`, 'ok');
  policySummary();
  factsChanged();
}

function setupPolicy() {
  $('policy-apply').addEventListener('click', () => applyPolicyText($('policy-text').value));
  $('policy-clear').addEventListener('click', () => {
    policyRun++;
    POLICY = null;
    policyVersion++;
    $('policy-text').value = '';
    $('policy-file').value = '';
    policyMessage('Back to the release\'s default policy.', 'ok');
    policySummary();
    factsChanged();
  });
  $('policy-file').addEventListener('change', async () => {
    const file = $('policy-file').files?.[0];
    if (!file) return;
    if (file.size > MAX_POLICY_TEXT) {
      policyMessage(`${file.name} is ${(file.size / 1048576).toFixed(1)} MB; this page reads up to ${MAX_POLICY_TEXT / 1048576} MB.`, 'error');
      return;
    }
    const text = await file.text();
    $('policy-text').value = text;
    applyPolicyText(text);
  });
}

// ---------------------------------------------------------------------------------------------

function fillSelect(select, values, labelOf = (v) => v) {
  for (const v of values) select.append(el('option', { value: v }, labelOf(v)));
}

async function main() {
  performance.mark('script-start');
  // The positions and labels were computed at build time from the package's own vmStates and
  // transitions: the diagram is drawn first, the answers follow.
  drawDiagram();
  performance.measure('draw', 'script-start', 'diagram-drawn');
  performance.mark('wasm-ready');
  DATA = { vms: vmStates() };
  finishDiagram();
  // The rules as data, taken from the package at build time (www/build-layout.mjs).
  const m = LAYOUT.data;
  DATA.trans = m.transitions;
  DATA.tasks = taskStates();
  DATA.acts = m.actions;
  DATA.actByName = new Map(DATA.acts.map((a) => [a.name, a]));
  DATA.maxMv = String(m.maxMicroversion);

  DATA.releases = m.releases;
  const [oldest, newest] = [m.releases[0], m.releases.at(-1)];
  $('provenance').textContent = `Rules of Nova ${oldest.novaVersion} (${oldest.name}) to ${newest.novaVersion} (${newest.name}), each release executed; microversions up to ${m.maxMicroversion}.`;
  $('task').append(el('option', { value: '' }, 'none'));
  fillSelect($('task'), DATA.tasks);
  fillMicroversions();
  // The releases, newest first after "newest" (the package's default); every answer passes
  // options.release, and the microversions offered are the chosen release's.
  fillSelect($('release'), m.releases.map((r) => r.name).reverse(), (name) => {
    const r = m.releases.find((x) => x.name === name);
    return `${name} (Nova ${r.novaVersion})`;
  });
  $('release').disabled = false;
  $('release').title = 'The Nova release whose rules apply';
  $('release').addEventListener('change', () => {
    fillMicroversions();
    if ($('who').value === 'admin') applyPreset();
  });
  fillSelect($('path-from'), DATA.vms);
  fillSelect($('path-to'), DATA.vms);
  $('path-to').value = DATA.vms.includes('shelved_offloaded') ? 'shelved_offloaded' : DATA.vms.at(-1);
  EXAMPLES.forEach((ex, i) => $('example').append(el('option', { value: String(i) }, ex.title)));
  $('limit-text').textContent = `${MAX_TEXT / 1048576} MB or ${MAX_SERVERS.toLocaleString('en')} servers`;

  const fromUrl = readUrl();
  // On a phone the facts start folded into one line, so the states come first.
  const phone = window.matchMedia('(max-width: 600px)');
  if (phone.matches) $('facts-box').open = false;
  phone.addEventListener('change', () => { if (!phone.matches) $('facts-box').open = true; });
  // A sensible selection on load: the state most servers are in.
  state.selected = fromUrl.selected ?? (DATA.vms.includes('active') ? 'active' : DATA.vms[0]);
  $('path-from').value = fromUrl.from ?? state.selected;
  if (fromUrl.to) {
    $('path-to').value = fromUrl.to;
    state.pathTo = fromUrl.to;
  }

  // Who is asking: a preset sets the roles (and the caller's project); typing roles is "roles as typed".
  $('who').addEventListener('change', applyPreset);
  $('roles').addEventListener('input', () => {
    if ($('who').value !== 'custom') {
      $('who').value = 'custom';
      applyPreset();
    }
  });
  $('server-project').addEventListener('input', () => {
    const who = $('who').value;
    if (who && who !== 'custom') $('caller-project').value = expectedCaller(who, $('server-project').value.trim());
  });
  setupPolicy();
  for (const id of ['task', 'launched', 'host', 'locked', 'admin', 'microversion', 'release', 'who', 'locked-by', 'new-defaults']) {
    $(id).addEventListener('change', factsChanged);
  }
  // Typed facts follow as they are typed.
  for (const id of ['roles', 'caller-project', 'server-project']) $(id).addEventListener('input', factsChanged);
  $('diagram').addEventListener('click', () => { if (state.selected) selectState(null); });
  $('diagram').addEventListener('keydown', (ev) => { if (ev.key === 'Escape') selectState(null); });
  $('example').addEventListener('change', () => {
    const ex = EXAMPLES[Number($('example').value)];
    if (!ex) return;
    setInput(JSON.stringify(ex.record, null, 2));
    readServers(currentText());
  });
  // A big paste goes straight to the reader, not into the text area.
  $('record').addEventListener('paste', (ev) => {
    const text = ev.clipboardData?.getData('text') ?? '';
    if (text.length > SHOW_IN_BOX) {
      ev.preventDefault();
      setInput(text);
      readServers(text);
    }
  });
  $('record').addEventListener('input', () => { heldText = null; $('record').placeholder = ''; });
  const readFile = async (file) => {
    if (!file) return;
    if (file.size > MAX_TEXT) {
      inspectMessage(`${file.name} is ${(file.size / 1048576).toFixed(1)} MB; this page reads up to ${MAX_TEXT / 1048576} MB. Split the list with the API's limit and marker parameters.`, 'error');
      return;
    }
    inspectMessage(`Reading ${file.name}…`, 'note');
    const text = await file.text();
    setInput(text);
    readServers(text);
  };
  $('file').addEventListener('change', () => readFile($('file').files?.[0]));
  const drop = $('servers');
  drop.addEventListener('dragover', (ev) => { ev.preventDefault(); drop.classList.add('drop'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('drop'));
  drop.addEventListener('drop', (ev) => {
    ev.preventDefault();
    drop.classList.remove('drop');
    readFile(ev.dataTransfer?.files?.[0]);
  });
  $('inspect').addEventListener('click', () => readServers(currentText()));
  $('clear').addEventListener('click', () => {
    setInput('');
    $('record').placeholder = '';
    state.servers = [];
    state.server = null;
    $('table-wrap').hidden = true;
    inspectMessage('', '');
    refreshAll();
  });
  let ticking = false;
  $('server-rows').addEventListener('scroll', () => {
    if (ticking) return;
    ticking = true;
    requestAnimationFrame(() => { ticking = false; renderRows(); });
  });
  $('find-path').addEventListener('click', () => findPath());
  for (const b of document.querySelectorAll('[data-export]')) b.addEventListener('click', () => exportAs(b.getAttribute('data-export')));
  refreshAll();
  document.body.dataset.ready = 'true';
}

main().catch((err) => {
  const p = $('load-error');
  p.hidden = false;
  p.textContent = `The nova-states module failed to load: ${err && err.message ? err.message : err}`;
  document.body.dataset.ready = 'error';
});
