// The web page in headless Chromium at the sizes operators use (1366×768, 1920×1080, 390×844):
// builds www/ with Vite, serves it with scripts/serve.mjs on an ephemeral port, and checks what a
// person sees against what the installed package says. Screenshots go to tests/out/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
// What the page should show, from the package itself (the page's checks are the main entry's,
// its descriptive parts nova-states/describe's: the same answers).
import { transitions, checkAction, allowedActions, actions, vmStates, shortestPath, validateServers, toDot } from 'nova-states/describe';
import { parsePolicy } from '../../www/policy.js';
import { start, CSP } from '../../scripts/serve.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const out = join(repo, 'tests/out');
const samples = join(repo, '../shared/samples/nova-api');
mkdirSync(out, { recursive: true });

const LAPTOP = { width: 1366, height: 768 };
const DESKTOP = { width: 1920, height: 1080 };
const PHONE = { width: 390, height: 844 };
const LATEST = '2.104';

let server;
let browser;

before(async () => {
  if (!process.env.PAGE_NO_BUILD) {
    execFileSync(join(repo, 'node_modules/.bin/vite'), ['build', '--config', 'www/vite.config.js', '--logLevel', 'warn'], { cwd: repo, stdio: 'inherit' });
  }
  server = await start({ root: join(repo, 'www/dist'), port: 0 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the page; collects errors and dialogs; resolves when the module is loaded. */
async function open(viewport = LAPTOP, query = '') {
  const context = await browser.newContext({ viewport, ...(viewport === PHONE ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  const page = await context.newPage();
  const problems = [];
  const dialogs = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  const offsite = [];
  page.on('request', (r) => { if (!r.url().startsWith(server.url)) offsite.push(r.url()); });
  await page.goto(server.url + query);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
  return { page, context, problems, dialogs, offsite };
}

/** A plain server in `vm` with the page's facts; launched and host left out mean "as the state implies". */
/** Clicks "Find path" and waits for the search to finish (it may load nova-states/describe first). */
async function findPathIn(page) {
  const before = await page.evaluate(() => Number(document.body.dataset.paths ?? 0));
  await page.click('#find-path');
  await page.waitForFunction((n) => Number(document.body.dataset.paths ?? 0) > n, before);
}

function plainIn(vm, f = {}) {
  const s = { vmState: vm, taskState: f.taskState ?? null, locked: f.locked ?? false };
  if (f.launched !== undefined) s.launched = f.launched;
  if (f.host !== undefined) s.host = f.host ? 'compute' : null;
  return s;
}

function mvNum(v) {
  const [a, b] = v.split('.').map(Number);
  return a * 1000 + b;
}
function whenHolds(when, mv) {
  let m = /microversion before (\d+\.\d+)/.exec(when ?? '');
  if (m) return mvNum(mv) < mvNum(m[1]);
  m = /microversion (\d+\.\d+) or later/.exec(when ?? '');
  if (m) return mvNum(mv) >= mvNum(m[1]);
  return true;
}

/** The (from -> to) pairs the package says are allowed from `vm` under the facts. */
function expectedEdges(vm, f = {}) {
  const mv = f.microversion ?? LATEST;
  const allowed = new Set(allowedActions(plainIn(vm, f), { admin: f.admin ?? false, microversion: mv }));
  return [...new Set(transitions().filter((t) => t.from === vm && allowed.has(t.action) && whenHolds(t.when, mv)).map((t) => `${t.from}->${t.to}`))].sort();
}

async function highlighted(page, vm) {
  return page.evaluate((sel) => {
    const pairs = [...document.querySelectorAll('#diagram .edge.hl')].map((g) => `${g.getAttribute('data-from') === '@any' ? sel : g.getAttribute('data-from')}->${g.getAttribute('data-to')}`);
    return [...new Set(pairs)].sort();
  }, vm);
}

/** The answer panel as a person reads it: allowed and refused actions with their group titles. */
async function answer(page) {
  return page.evaluate(() => {
    const groups = [...document.querySelectorAll('#groups details')].map((d) => ({
      id: d.id,
      title: d.querySelector('summary').textContent,
      items: [...d.querySelectorAll('ul.acts > li')].map((li) => ({
        action: li.getAttribute('data-action'),
        rest: li.querySelector('.rest')?.textContent ?? '',
        cli: li.querySelector('.cli')?.textContent ?? '',
        notes: li.querySelector('.notes')?.textContent ?? '',
        msg: li.querySelector('.msg')?.textContent ?? null,
      })),
    }));
    const allowed = groups.filter((g) => !g.id.startsWith('g-refused')).flatMap((g) => g.items.map((i) => i.action));
    const refused = groups.filter((g) => g.id.startsWith('g-refused')).flatMap((g) => g.items);
    return { groups, allowed, refused, title: document.getElementById('answer-title').textContent };
  });
}

/** How much of an element is inside the viewport (0..1). */
async function inView(page, selector) {
  return page.$eval(selector, (e) => {
    const r = e.getBoundingClientRect();
    const h = Math.min(r.bottom, window.innerHeight) - Math.max(r.top, 0);
    const w = Math.min(r.right, window.innerWidth) - Math.max(r.left, 0);
    return h > 0 && w > 0 ? (h * w) / Math.max(1, r.height * r.width) : 0;
  });
}

/** Replays a path: every step allowed by checkAction under the facts at that step (the start's
 * facts first, then no task, launched, the same lock, the host each step leaves), following at
 * each step an end of the action that still reaches `to`. */
function assertPathAllowed(from, to, names, f) {
  const mv = f.microversion ?? LATEST;
  const walk = (at, i, host, first) => {
    if (i === names.length) return at === to ? [] : null;
    const action = names[i];
    const server = first ? plainIn(at, f) : plainIn(at, { locked: f.locked, host, launched: true });
    const v = checkAction(action, server, { admin: f.admin ?? false, microversion: mv });
    assert.equal(v.allowed, true, `${from}->${to}: ${action} from ${at} refused: ${v.allowed ? '' : v.denials[0].message}`);
    for (const t of transitions().filter((x) => x.from === at && x.action === action && whenHolds(x.when, mv))) {
      const nextHost = t.to === 'shelved_offloaded' ? false : at === 'shelved_offloaded' ? true : host;
      const rest = walk(t.to, i + 1, nextHost, false);
      if (rest) return [t, ...rest];
    }
    return null;
  };
  assert.ok(walk(from, 0, f.host ?? from !== 'shelved_offloaded', true), `${names.join(', ')} takes ${from} to ${to}`);
}

test('the page is built without inline scripts and served with a CSP', async () => {
  const html = readFileSync(join(repo, 'www/dist/index.html'), 'utf8');
  for (const m of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
    assert.match(m[0], /\bsrc=/, 'every script is external');
    assert.equal(m[1].trim(), '', 'no inline script body');
  }
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
  const res = await fetch(server.url);
  assert.equal(res.headers.get('content-security-policy'), CSP);
  // The package inlines its WebAssembly module: no .wasm file to serve.
  assert.equal(readdirSync(join(repo, 'www/dist/assets')).filter((f) => f.endsWith('.wasm')).length, 0);
  for (const bad of ['..%2f..%2fpackage.json', '%2e%2e/%2e%2e/package.json', '..%5c..%5cpackage.json']) {
    const r = await fetch(server.url + bad);
    assert.ok(r.status === 403 || r.status === 404, `${bad} -> ${r.status}`);
  }
  // The layout engine runs at build time: none of it is shipped.
  const js = readdirSync(join(repo, 'www/dist/assets')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(repo, 'www/dist/assets', f), 'utf8')).join('\n');
  assert.doesNotMatch(js, /renderJSON|graphvizVersion|viz\.wasm/, 'no Graphviz in the page');
});

for (const [name, viewport] of [['laptop', LAPTOP], ['desktop', DESKTOP]]) {
  test(`${name} ${viewport.width}×${viewport.height}: active is selected on load and its answer sits beside the diagram, in view`, async () => {
    const { page, context, problems, offsite } = await open(viewport);
    assert.equal(await page.$eval('#diagram .node[data-state="active"]', (g) => g.getAttribute('aria-pressed')), 'true');
    assert.deepEqual(await highlighted(page, 'active'), expectedEdges('active'));
    const a = await answer(page);
    assert.equal(a.title, 'From active');
    assert.deepEqual(a.allowed.slice().sort(), allowedActions(plainIn('active'), {}).slice().sort());
    const diagram = await page.$eval('#diagram', (e) => e.getBoundingClientRect().toJSON());
    const side = await page.$eval('#side', (e) => e.getBoundingClientRect().toJSON());
    assert.ok(side.left >= diagram.right - 1, `the answer is beside the diagram (${side.left} >= ${diagram.right})`);
    assert.ok(await inView(page, '#diagram') > 0.8, 'the diagram is in view');
    assert.equal(await inView(page, '#answer-title'), 1, 'the answer title is in view');
    assert.equal(await inView(page, '#g-change summary'), 1, 'the first group of the answer is in view');
    const emptyRight = viewport.width - side.right;
    assert.ok(emptyRight < 40, `no wide empty margin (${emptyRight}px)`);
    await page.screenshot({ path: join(out, `${name}-initial.png`) });
    // Scrolled down to the servers, a newly selected state's answer is still in view (sticky).
    await page.$eval('#exports', (e) => e.scrollIntoView());
    await page.click('#state-list button[data-state="stopped"]', { force: true }).catch(() => {});
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.click('#diagram .node[data-state="paused"]');
    assert.match((await answer(page)).title, /paused/);
    assert.equal(await inView(page, '#answer-title'), 1);
    assert.deepEqual(problems, []);
    assert.deepEqual(offsite, [], 'nothing loaded from elsewhere');
    await context.close();
  });
}

test('laptop: every state highlights exactly its allowed transitions and lists every action once', async () => {
  const { page, context, problems } = await open(LAPTOP);
  const nodes = await page.$$eval('#diagram .node[data-state]', (gs) => gs.map((g) => g.getAttribute('data-state')));
  assert.deepEqual(nodes.slice().sort(), vmStates().slice().sort());
  for (const vm of vmStates()) {
    await page.click(`#diagram .node[data-state="${vm}"]`);
    assert.deepEqual(await highlighted(page, vm), expectedEdges(vm), `edges from ${vm}`);
    const { allowed, refused } = await answer(page);
    assert.deepEqual(allowed.slice().sort(), allowedActions(plainIn(vm), {}).slice().sort(), `allowed from ${vm}`);
    for (const r of refused) {
      const v = checkAction(r.action, plainIn(vm), {});
      assert.equal(v.allowed, false);
      assert.equal(r.msg, v.denials[0].message);
    }
    assert.equal(allowed.length + refused.length, actions().length);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('actions carry REST name, CLI command and notes, grouped; refusals titled by their HTTP answer', async () => {
  const { page, context } = await open(LAPTOP);
  const a = await answer(page);
  const ids = a.groups.map((g) => g.id);
  assert.ok(ids.includes('g-change') && ids.includes('g-stay') && ids.includes('g-data'), ids.join(' '));
  const stop = a.groups.find((g) => g.id === 'g-change').items.find((i) => i.action === 'stop');
  assert.match(stop.rest, /os-stop/);
  assert.match(stop.cli, /^openstack server stop/);
  const snap = a.groups.flatMap((g) => g.items).find((i) => i.action === 'snapshot');
  assert.match(snap.rest, /createImage/);
  assert.match(snap.cli, /openstack server image create/);
  const byName = new Map(actions().map((x) => [x.name, x]));
  for (const item of a.groups.flatMap((g) => g.items)) assert.equal(item.notes, byName.get(item.action).notes ?? '', `${item.action} notes`);
  assert.ok(a.groups.find((g) => g.id === 'g-data').items.some((i) => i.action === 'get_vnc_console'), 'consoles under consoles and data');
  // Refused groups are titled by the HTTP status each holds.
  for (const g of a.groups.filter((x) => x.id.startsWith('g-refused-'))) {
    const code = Number(g.id.slice('g-refused-'.length));
    assert.match(g.title, new RegExp(`^Refused: ${code}`));
    for (const i of g.items) assert.equal(checkAction(i.action, plainIn('active'), {}).denials[0].httpStatus, code, i.action);
  }
  // At 2.1 a REST entry that does not exist yet is a 404, titled so.
  await page.selectOption('#microversion', '2.1');
  const old = await answer(page);
  assert.ok(old.groups.some((g) => g.id === 'g-refused-404' && /^Refused: 404/.test(g.title)));
  await context.close();
});

test('the chosen microversion applies to every condition: evacuate at 2.94 stays active', async () => {
  const { page, context } = await open(LAPTOP, '?state=active&mv=2.94');
  const evac = await page.$eval('#groups li[data-action="evacuate"] .to', (s) => s.textContent);
  assert.doesNotMatch(evac, /stopped|microversion/);
  const struck = await page.$eval('#diagram .elabel[data-from="active"][data-to="stopped"] .act[data-action="evacuate"]', (t) => t.classList.contains('no'));
  assert.equal(struck, true, 'evacuate does not lead from active to stopped at 2.94');
  await page.selectOption('#microversion', '2.95');
  assert.match(await page.$eval('#groups li[data-action="evacuate"] .to', (s) => s.textContent), /stopped/);
  assert.equal(await page.$eval('#diagram .elabel[data-from="active"][data-to="stopped"] .act[data-action="evacuate"]', (t) => t.classList.contains('no')), false);
  await context.close();
});

test('the release selector applies that release\'s rules and microversions, and the URL keeps it', async () => {
  const { page, context } = await open(LAPTOP, '?state=active');
  const releases = await page.$$eval('#release option', (os) => os.map((o) => o.value));
  assert.deepEqual(releases, ['', '2026.2', '2026.1', '2025.2', '2025.1', '2024.2', '2024.1', '2023.2', '2023.1']);
  assert.match(await page.$eval('#provenance', (p) => p.textContent), /27\.5\.1 \(2023\.1\) to 34\.0\.0 \(2026\.2\)/);
  // get_rdp_console: a console in 2023.2, a 400 from 2024.1 on.
  const rdp = async () => page.$eval('#answer', (a) => {
    const item = a.querySelector('li[data-action="get_rdp_console"]');
    return item ? item.closest('details')?.id ?? item.closest('[id]')?.id : null;
  });
  await page.selectOption('#release', '2023.2');
  assert.equal(await page.$eval('#microversion', (s) => s.options[0].value), '2.95', 'the release serves up to 2.95');
  assert.equal(await page.$eval('#microversion', (s) => s.value), '2.95');
  assert.equal(await rdp(), 'g-data');
  assert.match(page.url(), /release=2023\.2/);
  await page.selectOption('#release', '2024.1');
  assert.equal(await page.$eval('#microversion', (s) => s.options[0].value), '2.96');
  assert.equal(await rdp(), 'g-refused-400');
  assert.equal(checkAction('get_rdp_console', plainIn('active'), { release: '2024.1' }).denials[0].httpStatus, 400);
  // The link reproduces the release and its microversion.
  const link = page.url();
  await context.close();
  const again = await open(LAPTOP, new URL(link).search);
  assert.equal(await again.page.$eval('#release', (s) => s.value), '2024.1');
  assert.equal(await again.page.$eval('#microversion', (s) => s.value), '2.96');
  await again.context.close();
});

test('facts change every answer: task state, launched, host, lock, admin, microversion', async () => {
  const { page, context, problems } = await open(LAPTOP);
  const cases = [
    [{ taskState: 'rebooting' }, async () => page.selectOption('#task', 'rebooting')],
    [{ taskState: 'rebooting', locked: true }, async () => page.check('#locked')],
    [{ taskState: 'rebooting', locked: true, admin: true }, async () => page.check('#admin')],
    [{ taskState: null, locked: true, admin: true }, async () => page.selectOption('#task', '')],
    [{ locked: false, admin: true, host: false }, async () => { await page.uncheck('#locked'); await page.selectOption('#host', 'no'); }],
    [{ admin: true, host: false, launched: false }, async () => page.selectOption('#launched', 'no')],
    [{ admin: false, microversion: '2.1' }, async () => { await page.uncheck('#admin'); await page.selectOption('#host', ''); await page.selectOption('#launched', ''); await page.selectOption('#microversion', '2.1'); }],
  ];
  for (const [f, act] of cases) {
    await act();
    const opts = { admin: f.admin ?? false, microversion: f.microversion ?? LATEST };
    assert.deepEqual(await highlighted(page, 'active'), expectedEdges('active', f), JSON.stringify(f));
    const a = await answer(page);
    assert.deepEqual(a.allowed.slice().sort(), allowedActions(plainIn('active', f), opts).slice().sort(), JSON.stringify(f));
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('the path finder proposes only allowed steps under the facts, and the path is drawn in view', async () => {
  const { page, context, problems } = await open(LAPTOP);
  const findPath = async (from, to) => {
    await page.selectOption('#path-from', from);
    await page.selectOption('#path-to', to);
    await findPathIn(page);
    return page.$$eval('#path-result li code', (n) => n.map((c) => c.textContent));
  };
  // A never-launched server is deleted for good: no soft_delete + restore out of building.
  assert.deepEqual(await findPath('building', 'active'), []);
  assert.match(await page.$eval('#path-message', (p) => p.textContent), /No sequence/);
  // With a soft reboot running, stop is refused, so the path does not start with it.
  await page.selectOption('#task', 'rebooting');
  const steps = await findPath('active', 'stopped');
  assert.notEqual(steps[0], 'stop');
  assert.deepEqual(steps, shortestPath('active', 'stopped', { taskState: 'rebooting' }));
  assertPathAllowed('active', 'stopped', steps, { taskState: 'rebooting' });
  await page.selectOption('#task', '');
  for (const [a, b] of [['active', 'shelved_offloaded'], ['paused', 'rescued'], ['shelved_offloaded', 'stopped'], ['error', 'resized'], ['deleted', 'active']]) {
    const got = await findPath(a, b);
    const want = shortestPath(a, b, {});
    assert.deepEqual(got, want ?? [], `${a} -> ${b}`);
    if (want) {
      assertPathAllowed(a, b, got, {});
      assert.ok(await page.$$eval('#diagram .edge.onpath', (n) => n.length) >= 1);
    }
  }
  // The exports follow the same facts: with a soft reboot running, active -> stopped has no stop.
  await page.selectOption('#task', 'rebooting');
  await page.click('[data-export="dot"]');
  await page.waitForFunction(() => document.getElementById('export-text').value.startsWith('digraph'));
  const dot = await page.$eval('#export-text', (t) => t.value);
  assert.doesNotMatch(dot, /"active" -> "stopped" \[label="stop/);
  assert.equal(dot, toDot({ taskState: 'rebooting' }));
  await page.selectOption('#task', '');
  await findPath('active', 'shelved_offloaded');
  assert.ok(await inView(page, '#diagram .edge.onpath') > 0, 'the drawn path is in view');
  assert.equal(await inView(page, '#path-result'), 1, 'the steps are in view');
  await page.screenshot({ path: join(out, 'laptop-path.png') });
  // Every pair under three fact sets: each proposed step is allowed by checkAction.
  for (const f of [{}, { taskState: 'rebooting', locked: true, admin: true }, { launched: false, host: false, microversion: '2.50' }]) {
    for (const a of vmStates()) {
      for (const b of vmStates()) {
        const names = shortestPath(a, b, { ...f, ...(f.host === undefined ? {} : { host: f.host ? 'compute' : null }) });
        if (names) assertPathAllowed(a, b, names, f);
      }
    }
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('clicking an allowed action steps to the state it leads to; the URL reproduces the view', async () => {
  const { page, context } = await open(LAPTOP);
  await page.click('#groups li[data-action="stop"] button.go');
  assert.equal(await page.$eval('#diagram .node[data-state="stopped"]', (g) => g.getAttribute('aria-pressed')), 'true');
  assert.equal((await answer(page)).title, 'From stopped');
  await page.check('#locked');
  await page.selectOption('#microversion', '2.60');
  await page.selectOption('#task', 'powering-on');
  await page.selectOption('#path-to', 'shelved');
  await findPathIn(page);
  const url = page.url();
  assert.match(url, /state=stopped/);
  const before = await answer(page);
  const pathBefore = await page.$$eval('#path-result li code', (n) => n.map((c) => c.textContent));
  const again = await open(DESKTOP, new URL(url).search);
  assert.equal(await again.page.$eval('#locked', (c) => c.checked), true);
  assert.equal(await again.page.$eval('#microversion', (s) => s.value), '2.60');
  assert.equal(await again.page.$eval('#task', (s) => s.value), 'powering-on');
  const after = await answer(again.page);
  assert.deepEqual(after.allowed, before.allowed);
  assert.equal(after.title, before.title);
  assert.deepEqual(await again.page.$$eval('#path-result li code', (n) => n.map((c) => c.textContent)), pathBefore);
  await again.context.close();
  await context.close();
});

test('no state looks disconnected: build completes and failures are drawn dashed and labelled', async () => {
  const { page, context } = await open(LAPTOP);
  const sys = await page.$$eval('#diagram .elabel.system', (n) => n.map((g) => [g.getAttribute('data-from'), g.getAttribute('data-to'), g.textContent]));
  assert.ok(sys.some(([f, t, x]) => f === 'building' && t === 'active' && /build completes/.test(x)));
  assert.ok(sys.some(([, t, x]) => t === 'error' && /fails/.test(x)));
  const dash = await page.$eval('#diagram .edge.system path', (p) => getComputedStyle(p).strokeDasharray);
  assert.notEqual(dash, 'none');
  const ends = await page.$$eval('#diagram .edge', (n) => n.flatMap((g) => [g.getAttribute('data-from'), g.getAttribute('data-to')]));
  for (const vm of vmStates()) assert.ok(ends.includes(vm), `${vm} has an edge`);
  // Labels sit on their edges: each label's centre is near its edge's path.
  const far = await page.evaluate(() => [...document.querySelectorAll('#diagram .elabel')].map((g) => {
    const i = g.getAttribute('data-i');
    const path = document.querySelector(`#diagram .edge[data-i="${i}"] path`);
    const b = g.getBBox();
    const cx = b.x + b.width / 2;
    const cy = b.y + b.height / 2;
    const len = path.getTotalLength();
    let best = Infinity;
    for (let s = 0; s <= 100; s++) {
      const p = path.getPointAtLength((len * s) / 100);
      best = Math.min(best, Math.hypot(p.x - cx, p.y - cy) - Math.max(b.width, b.height) / 2);
    }
    return [i, g.textContent, best];
  }).filter(([, , d]) => d > 30));
  assert.deepEqual(far, [], 'every label is within 30 px of its edge');
  await (await page.$('.diagram-wrap')).screenshot({ path: join(out, 'laptop-diagram.png') });
  await context.close();
});

test('a /servers/detail response becomes a table; a row places its server on the diagram', async () => {
  const { page, context, problems } = await open(LAPTOP);
  // Records Nova's own view builder wrote (the oracle's fixtures, the project's own), and when
  // ../shared is beside the clone, Nova's API sample of a /servers/detail response too.
  const fixtures = JSON.parse(readFileSync(join(repo, 'tests/oracle/servers-34.0.0.json'), 'utf8'));
  // One record per vm state, so every row is drawn at once.
  const list = [...new Map(fixtures.servers.map((s) => [s.record.body.server['OS-EXT-STS:vm_state'], s.record.body.server])).values()];
  if (existsSync(samples)) {
    const files = readdirSync(samples).filter((f) => /servers-details-resp/.test(f)).sort();
    if (files.length) list.push(...JSON.parse(readFileSync(join(samples, files.at(-1)), 'utf8')).servers);
  }
  const text = JSON.stringify({ servers: list });
  await page.fill('#record', text);
  await page.click('#inspect');
  await page.waitForSelector('#table-wrap:not([hidden])');
  const rows = await page.$$eval('#server-rows .vrow', (r) => r.map((x) => [...x.children].map((c) => c.textContent)));
  assert.equal(rows.length, list.length);
  const validations = validateServers(list);
  rows.forEach((cells, i) => {
    assert.equal(cells[0], list[i].name);
    assert.equal(cells[1], list[i].id);
    assert.equal(cells[2], validations[i].status);
  });
  await page.click('#server-rows .vrow[data-index="0"] .rowbtn');
  const vm = list[0]['OS-EXT-STS:vm_state'];
  assert.equal(await page.$eval(`#diagram .node[data-state="${vm}"]`, (g) => g.classList.contains('inspected')), true);
  const a = await answer(page);
  assert.match(a.title, new RegExp(list[0].name));
  assert.deepEqual(a.allowed.slice().sort(), allowedActions(list[0], {}).slice().sort());
  for (const r of a.refused) assert.equal(r.msg, checkAction(r.action, list[0], {}).denials[0].message);
  assert.equal(await inView(page, '#answer-title'), 1, 'the inspected server is in view');
  const facts = await page.$eval('#server-facts', (d) => d.textContent);
  assert.match(facts, new RegExp(list[0].id));
  await page.screenshot({ path: join(out, 'laptop-servers.png') });
  // The page's own examples all read cleanly.
  const count = await page.$$eval('#example option', (o) => o.length - 1);
  for (let i = 0; i < count; i++) {
    await page.selectOption('#example', String(i));
    await page.waitForSelector('#table-wrap:not([hidden])');
    assert.notEqual(await page.$eval('#inspect-message', (p) => p.className), 'error', `example ${i}`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('thousands of servers (20 MB) stay responsive: rows are drawn only where they are seen', async () => {
  const { page, context, problems } = await open(LAPTOP);
  const t0 = Date.now();
  const result = await page.evaluate(() => {
    const states = [['active', null, 'ACTIVE'], ['stopped', null, 'SHUTOFF'], ['active', 'rebooting', 'REBOOT'], ['shelved_offloaded', null, 'SHELVED_OFFLOADED'], ['error', null, 'ERROR']];
    const servers = [];
    const pad = 'x'.repeat(1500);
    for (let i = 0; servers.length < 12000; i++) {
      const [vm, task, status] = states[i % states.length];
      servers.push({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `srv-${i}`, status, locked: i % 7 === 0, 'OS-EXT-STS:vm_state': vm, 'OS-EXT-STS:task_state': task, 'OS-EXT-STS:power_state': vm === 'active' ? 1 : 4, 'OS-SRV-USG:launched_at': '2026-01-01T00:00:00.000000', 'OS-EXT-SRV-ATTR:host': vm === 'shelved_offloaded' ? null : `compute-${i % 40}`, description: pad });
    }
    const text = JSON.stringify({ servers });
    const area = document.getElementById('record');
    const data = new DataTransfer();
    data.setData('text/plain', text);
    area.focus();
    const t = performance.now();
    area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    return { mb: text.length / 1048576, took: performance.now() - t, boxLength: area.value.length };
  });
  assert.ok(result.mb > 19, `${result.mb.toFixed(1)} MB pasted`);
  assert.equal(result.boxLength, 0, 'the big text is kept out of the text area');
  assert.match(await page.$eval('#inspect-message', (p) => p.textContent), /12,000 servers read/);
  const drawn = await page.$$eval('#server-rows .vrow', (r) => r.length);
  assert.ok(drawn > 5 && drawn < 60, `${drawn} rows in the DOM`);
  await page.$eval('#server-rows', (b) => { b.scrollTop = 44 * 9000; b.dispatchEvent(new Event('scroll')); });
  await page.waitForSelector('#server-rows .vrow[data-index="9002"]');
  await page.click('#server-rows .vrow[data-index="9002"] .rowbtn');
  assert.match((await answer(page)).title, /srv-9002/);
  const took = Date.now() - t0;
  assert.ok(result.took < 5000 && took < 15000, `read in ${result.took.toFixed(0)} ms, whole test ${took} ms`);
  // Past the limit: a message, nothing frozen.
  const over = await page.evaluate(() => {
    const area = document.getElementById('record');
    const data = new DataTransfer();
    data.setData('text/plain', `{"servers": [${'1,'.repeat(34 * 1024 * 1024)}1]}`);
    area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    return document.getElementById('inspect-message').textContent;
  });
  assert.match(over, /reads up to 64 MB/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('hostile and malformed input gets a message and never runs', async () => {
  const { page, context, problems, dialogs } = await open(LAPTOP);
  const hostile = [
    '{"server": {"OS-EXT-STS:vm_state": "<img src=x onerror=\\"window.__pwned=1;alert(1)\\">", "name": "<script>window.__pwned=2</script>"}}',
    '<script>window.__pwned=3;alert(3)</script>',
    '{"server": {"OS-EXT-STS:vm_state": "active", "OS-EXT-STS:task_state": "<svg onload=alert(4)>"}}',
    '{"servers": [{"name": "<img src=x onerror=alert(5)>", "id": "<b>x</b>", "OS-EXT-STS:vm_state": "active", "OS-EXT-SRV-ATTR:host": "<svg onload=alert(6)>"}]}',
    '{"vmState": 42}',
    '{"server": ',
    '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]',
    'null',
  ];
  for (const text of hostile) {
    await page.fill('#record', text);
    await page.click('#inspect');
    const msg = await page.$eval('#inspect-message', (p) => p.textContent);
    assert.ok(msg.length > 0, `a message for ${text.slice(0, 40)}`);
    assert.equal(await page.$eval('#inspect-message', (p) => p.children.length), 0, 'the message is text only');
    if (await page.$('#table-wrap:not([hidden]) .rowbtn')) await page.click('#table-wrap:not([hidden]) .rowbtn');
  }
  // 10 MB of one record that is not a server: a message, promptly.
  const t0 = Date.now();
  await page.evaluate(() => {
    const area = document.getElementById('record');
    const data = new DataTransfer();
    data.setData('text/plain', `{"server": {"name": "${'x'.repeat(10 * 1024 * 1024)}"}}`);
    area.focus();
    area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  assert.match(await page.$eval('#inspect-message', (p) => p.textContent), /not a server record/);
  assert.ok(Date.now() - t0 < 8000);
  await page.click('#diagram .node[data-state="stopped"]');
  assert.deepEqual(await highlighted(page, 'stopped'), expectedEdges('stopped'));
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.$$eval('img, script:not([src])', (n) => n.length), 0);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('keyboard: Tab moves focus without selecting or rewriting other controls; only the changed answer is announced', async () => {
  const { page, context, problems } = await open(LAPTOP);
  await page.selectOption('#path-from', 'error');
  const reached = [];
  for (let i = 0; i < 60 && reached.length < vmStates().length; i++) {
    await page.keyboard.press('Tab');
    const s = await page.evaluate(() => document.activeElement?.getAttribute?.('data-state') ?? null);
    if (s && !reached.includes(s)) reached.push(s);
  }
  assert.deepEqual(reached.slice().sort(), vmStates().slice().sort(), 'every state takes focus');
  assert.equal(await page.$eval('#path-from', (s) => s.value), 'error', 'focus does not rewrite From');
  assert.equal((await answer(page)).title, 'From active', 'focus does not select');
  await page.focus('#diagram .node[data-state="paused"]');
  await page.keyboard.press('Enter');
  assert.equal((await answer(page)).title, 'From paused');
  assert.deepEqual(await highlighted(page, 'paused'), expectedEdges('paused'));
  await page.waitForFunction(() => document.getElementById('announce').textContent.length > 0);
  const said = await page.$eval('#announce', (a) => a.textContent);
  assert.match(said, /^paused: \d+ allowed, \d+ refused$/);
  const live = await page.$$eval('[aria-live]', (n) => n.map((x) => x.id));
  assert.deepEqual(live, ['announce'], 'one small live region');
  await page.focus('#diagram .node[data-state="stopped"]');
  await page.keyboard.press(' ');
  assert.equal(await page.$eval('#diagram .node[data-state="stopped"]', (g) => g.getAttribute('aria-pressed')), 'true');
  await page.screenshot({ path: join(out, 'laptop-keyboard-focus.png') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('phone 390×844: the diagram becomes a list, targets are 44 px, text is readable, answers come into view', async () => {
  const { page, context, problems } = await open(PHONE);
  await page.screenshot({ path: join(out, 'phone-initial.png') });
  assert.ok(await inView(page, '#state-list button[data-state="active"]') === 1, 'the states come first, the facts folded');
  await page.click('#facts-summary');
  await page.selectOption('#task', 'rebooting');
  assert.match(await page.$eval('#facts-summary', (s) => s.textContent), /task rebooting/);
  await page.selectOption('#task', '');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page itself does not scroll sideways (${overflow}px)`);
  assert.equal(await page.$eval('#state-list', (l) => getComputedStyle(l).display), 'block');
  await page.click('#state-list button[data-state="stopped"]');
  assert.equal((await answer(page)).title, 'From stopped');
  assert.ok(await inView(page, '#answer-title') === 1, 'the answer is scrolled into view');
  await page.screenshot({ path: join(out, 'phone-answer.png') });
  const small = await page.evaluate(() => {
    const bad = [];
    for (const e of document.querySelectorAll('button, select, input, summary, .state-list button')) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 || e.closest('[hidden]') || getComputedStyle(e).display === 'none') continue;
      const h = e.type === 'checkbox' ? e.closest('label').getBoundingClientRect().height : r.height;
      if (h < 43.5) bad.push(`${e.tagName}#${e.id || e.textContent.slice(0, 20)} ${h.toFixed(0)}px`);
    }
    for (const e of document.querySelectorAll('#answer li, #answer p, #state-list .to, .meta, .msg, .notes')) {
      const px = parseFloat(getComputedStyle(e).fontSize);
      if (px < 13.9 && e.getBoundingClientRect().width > 0) bad.push(`${e.className || e.tagName} font ${px}px`);
    }
    return [...new Set(bad)];
  });
  assert.deepEqual(small, []);
  // A server list on a phone: rows, and a row's answer comes into view.
  await page.selectOption('#example', '0');
  await page.waitForSelector('#table-wrap:not([hidden])');
  await page.click('#server-rows .vrow[data-index="1"] .rowbtn');
  assert.match((await answer(page)).title, /db-02/);
  assert.equal(await inView(page, '#answer-title'), 1);
  await page.screenshot({ path: join(out, 'phone-full.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});

test('no label overlaps a node or another label on the diagram', async () => {
  const { page, context } = await open(DESKTOP);
  const boxes = await page.evaluate(() => [...document.querySelectorAll('#diagram .elabel text, #diagram .node')].map((g) => {
    const b = g.getBBox();
    const owner = g.closest('.elabel');
    return { id: owner ? `label ${owner.getAttribute('data-from')}->${owner.getAttribute('data-to')}: ${g.textContent}` : `node ${g.getAttribute('data-state') ?? 'any'}`, group: owner ? owner.getAttribute('data-i') : null, x: b.x, y: b.y, w: b.width, h: b.height };
  }));
  const clashes = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      if (a.group !== null && a.group === b.group) continue; // lines of one label
      const ox = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
      const oy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
      if (ox > 2 && oy > 2) clashes.push(`${a.id} / ${b.id}`);
    }
  }
  assert.deepEqual(clashes, []);
  await context.close();
});

test('shortestPath takes the start\'s facts with a plain server\'s names', () => {
  assert.equal(shortestPath('building', 'active'), null, 'a never-launched server is deleted for good');
  assert.deepEqual(shortestPath('building', 'active', { launched: true }), ['soft_delete', 'restore']);
  assert.deepEqual(shortestPath('active', 'stopped'), ['stop']);
  assert.deepEqual(shortestPath('active', 'stopped', { taskState: 'rebooting' }), ['reboot_hard', 'stop']);
  assert.equal(shortestPath('active', 'stopped', { locked: true }), null);
  assert.deepEqual(shortestPath('active', 'stopped', { locked: true, admin: true }), ['stop']);
  assert.deepEqual(shortestPath('shelved_offloaded', 'active', { host: null }), ['unshelve']);
  for (const [bad, said] of [[{ taskState: 'nope' }, /nope/], [{ launched: 'yes' }, /launched/], [{ host: 42 }, /host/]]) {
    assert.throws(() => shortestPath('active', 'stopped', bad), (err) => err instanceof Error && said.test(err.message));
  }
  assert.deepEqual(shortestPath('active', 'paused'), ['pause'], 'still working after bad input');
});

// ---------------------------------------------------------------------------------------------
// Who is asking: role presets, typed roles, a pasted policy.yaml

const PROJECT = 'project-a';
const USER = 'user-1';
const creds = (roles, projectId = PROJECT) => ({ credentials: { roles, projectId, userId: USER } });
const asReader = creds(['reader']);
const asMember = creds(['member', 'reader']);
const inProject = (vm, f = {}) => ({ ...plainIn(vm, f), projectId: PROJECT, userId: USER });

/** The answer's entry for `action`, with its group and the policy lines. */
async function entry(page, action) {
  return page.$eval(`#groups li[data-action="${action}"]`, (li) => ({
    group: li.closest('details').id,
    msg: li.querySelector('.msg')?.textContent ?? null,
    who: li.querySelector('.who')?.textContent ?? null,
    rule: li.querySelector('.who .rule')?.textContent ?? null,
  }));
}

async function pastePolicy(page, text) {
  await page.$eval('#policy-box', (d) => { d.open = true; });
  await page.fill('#policy-text', text);
  await page.click('#policy-apply');
  await page.waitForFunction(() => !/Reading/.test(document.getElementById('policy-message').textContent));
  return page.$eval('#policy-message', (p) => ({ text: p.textContent, cls: p.className, children: p.children.length }));
}

test('role presets: a reader is refused stop with the 403 and the rule, a member may stop, another project\'s member gets the 404', async () => {
  const { page, context, problems } = await open(LAPTOP, '?state=active');
  assert.equal(await page.$eval('#who', (s) => s.value), '', 'nobody in particular by default');
  assert.equal(await page.$eval('#roles', (i) => i.closest('label').hidden), true);
  await page.selectOption('#who', 'reader');
  assert.equal(await page.$eval('#roles', (i) => i.value), 'reader');
  assert.equal(await page.$eval('#admin', (c) => c.disabled), true, 'admin is derived, not passed');
  const stop = await entry(page, 'stop');
  const want = checkAction('stop', inProject('active'), asReader);
  assert.equal(want.denials[0].httpStatus, 403);
  assert.equal(stop.group, 'g-refused-403');
  assert.equal(stop.msg, "Policy doesn't allow os_compute_api:servers:stop to be performed.");
  assert.equal(stop.rule, 'os_compute_api:servers:stop');
  assert.ok(stop.who.includes(want.denials[0].text), stop.who);
  assert.match(await page.$eval('#g-refused-403 summary', (s) => s.textContent), /^Refused: 403/);
  // Every answer follows the reader: the panel, the diagram, the URL.
  const a = await answer(page);
  assert.deepEqual(a.allowed.slice().sort(), allowedActions(inProject('active'), asReader).slice().sort());
  assert.deepEqual(await highlighted(page, 'active'), []);
  assert.equal(await page.$eval('#diagram .elabel[data-from="active"][data-to="stopped"] .act[data-action="stop"]', (t) => t.classList.contains('no')), true);
  assert.match(page.url(), /who=reader/);
  await page.screenshot({ path: join(out, 'laptop-reader.png') });
  // A member may stop an active server (and the diagram draws it).
  await page.selectOption('#who', 'member');
  assert.equal(await page.$eval('#roles', (i) => i.value), 'member, reader', 'the roles a token lists');
  assert.equal((await entry(page, 'stop')).group, 'g-change');
  assert.deepEqual((await answer(page)).allowed.slice().sort(), allowedActions(inProject('active'), asMember).slice().sort());
  assert.ok((await highlighted(page, 'active')).includes('active->stopped'));
  // A reader stopping a stopped server: the 403 comes before the 409.
  await page.click('#diagram .node[data-state="stopped"]');
  await page.selectOption('#who', 'reader');
  assert.equal((await entry(page, 'stop')).group, 'g-refused-403');
  // Another project's member: Nova's 404, every action.
  await page.click('#diagram .node[data-state="active"]');
  await page.selectOption('#who', 'other');
  assert.notEqual(await page.$eval('#caller-project', (i) => i.value), PROJECT);
  const other = await entry(page, 'stop');
  assert.equal(other.group, 'g-refused-404');
  assert.match(other.who, /another project/);
  assert.equal((await answer(page)).allowed.length, 0);
  // Admin (with manager in 2025.2+) may do what a member may and more; before 2025.2 no manager.
  await page.selectOption('#who', 'admin');
  assert.equal(await page.$eval('#roles', (i) => i.value), 'admin, manager, member, reader');
  const adminCreds = creds(['admin', 'manager', 'member', 'reader']);
  assert.deepEqual((await answer(page)).allowed.slice().sort(), allowedActions(inProject('active'), adminCreds).slice().sort());
  await page.selectOption('#release', '2025.1');
  assert.equal(await page.$eval('#roles', (i) => i.value), 'admin, member, reader');
  // Typed roles are "roles as typed", and the link keeps them.
  await page.selectOption('#release', '');
  await page.fill('#roles', 'member');
  assert.equal(await page.$eval('#who', (s) => s.value), 'custom');
  const onlyMember = creds(['member']);
  assert.deepEqual((await answer(page)).allowed.slice().sort(), allowedActions(inProject('active'), onlyMember).slice().sort());
  const link = page.url();
  assert.match(link, /who=custom/);
  assert.match(link, /roles=member/);
  await context.close();
  const again = await open(LAPTOP, new URL(link).search);
  assert.equal(await again.page.$eval('#who', (s) => s.value), 'custom');
  assert.equal(await again.page.$eval('#roles', (i) => i.value), 'member');
  assert.deepEqual((await answer(again.page)).allowed.slice().sort(), allowedActions(inProject('active'), onlyMember).slice().sort());
  await again.context.close();
  // Back to nobody in particular: today's behaviour with the admin checkbox.
  const plainPage = await open(LAPTOP, '?who=reader');
  await plainPage.page.selectOption('#who', '');
  assert.equal(await plainPage.page.$eval('#admin', (c) => c.disabled), false);
  assert.deepEqual((await answer(plainPage.page)).allowed.slice().sort(), allowedActions(plainIn('active'), {}).slice().sort());
  assert.deepEqual(problems, []);
  await plainPage.context.close();
});

test('the path finder, the exports and the servers table follow who is asking', async () => {
  const { page, context, problems } = await open(LAPTOP, '?state=active&who=member');
  await page.selectOption('#path-from', 'active');
  await page.selectOption('#path-to', 'stopped');
  await findPathIn(page);
  assert.deepEqual(await page.$$eval('#path-result li code', (n) => n.map((c) => c.textContent)), ['stop']);
  await page.selectOption('#who', 'reader');
  await findPathIn(page);
  assert.deepEqual(await page.$$eval('#path-result li code', (n) => n.map((c) => c.textContent)), []);
  assert.match(await page.$eval('#path-message', (p) => p.textContent), /No sequence/);
  // A manager (2025.2+) may live-migrate; a member may not: the path from active to active
  // through migration is not offered to the member. Every proposed member step is allowed.
  await page.selectOption('#who', 'member');
  for (const [a, b] of [['active', 'shelved_offloaded'], ['stopped', 'rescued'], ['shelved_offloaded', 'stopped']]) {
    await page.selectOption('#path-from', a);
    await page.selectOption('#path-to', b);
    await findPathIn(page);
    const steps = await page.$$eval('#path-result li code', (n) => n.map((c) => c.textContent));
    assert.ok(steps.length > 0, `${a} -> ${b}`);
    for (const s of steps) assert.equal(checkAction(s, inProject('active'), asMember).denials.some((d) => d.kind === 'policy'), false, s);
  }
  // The DOT export (the package's toDot, given the credentials) leaves out what the policy
  // refuses: a reader's graph has no stop.
  await page.selectOption('#who', 'reader');
  await page.click('[data-export="dot"]');
  await page.waitForFunction(() => document.getElementById('export-text').value.includes('digraph'));
  const dot = await page.$eval('#export-text', (t) => t.value);
  assert.doesNotMatch(dot, /"active" -> "stopped"/);
  assert.equal((dot.match(/->/g) ?? []).length, 0, 'a reader may change no state');
  await page.selectOption('#who', 'member');
  await page.click('[data-export="mermaid"]');
  await page.waitForFunction(() => /active -->/.test(document.getElementById('export-text').value));
  const mmd = await page.$eval('#export-text', (t) => t.value);
  assert.match(mmd, /active -->\|"[^"]*stop/);
  assert.doesNotMatch(mmd, /reset_state/, 'reset_state is for admins');
  // The servers table: each server's tenant_id is the target.
  const servers = [
    { id: 'a1', name: 'mine', tenant_id: PROJECT, status: 'ACTIVE', 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:task_state': null, locked: false },
    { id: 'b2', name: 'theirs', tenant_id: 'project-z', status: 'ACTIVE', 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:task_state': null, locked: false },
  ];
  await page.fill('#record', JSON.stringify({ servers }));
  await page.click('#inspect');
  await page.waitForSelector('#table-wrap:not([hidden])');
  const cells = await page.$$eval('#server-rows .vrow', (r) => r.map((x) => x.lastElementChild.textContent));
  assert.match(cells[0], /stop/);
  assert.match(cells[1], /404/);
  await page.click('#server-rows .vrow[data-index="1"] .rowbtn');
  assert.equal((await entry(page, 'stop')).group, 'g-refused-404');
  await page.click('#server-rows .vrow[data-index="0"] .rowbtn');
  assert.deepEqual((await answer(page)).allowed.slice().sort(), allowedActions(servers[0], asMember).slice().sort());
  await page.screenshot({ path: join(out, 'laptop-member-servers.png') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a pasted policy.yaml: stop for readers lets the reader stop; undecided rules may be refused; bad YAML gets a message', async () => {
  const { page, context, problems } = await open(LAPTOP, '?state=active&who=reader');
  assert.equal(await page.evaluate(() => performance.getEntriesByType('resource').some((r) => /browser-|yaml/.test(r.name))), false, 'the YAML reader is not loaded up front');
  const r = await pastePolicy(page, '# a deployment\n"os_compute_api:servers:stop": "role:reader"\n');
  assert.equal(r.cls, 'ok', r.text);
  assert.match(await page.$eval('#policy-summary', (s) => s.textContent), /1 rule/);
  assert.equal((await entry(page, 'stop')).group, 'g-change');
  const pol = { 'os_compute_api:servers:stop': 'role:reader' };
  assert.deepEqual((await answer(page)).allowed.slice().sort(), allowedActions(inProject('active'), { ...asReader, policy: pol }).slice().sort());
  assert.ok((await highlighted(page, 'active')).includes('active->stopped'));
  // An http: check cannot be decided here: "may be refused".
  await pastePolicy(page, 'os_compute_api:servers:stop: "http://policy.example/check"\n');
  const maybe = await entry(page, 'stop');
  assert.equal(maybe.group, 'g-refused-maybe');
  assert.match(maybe.who, /may be refused/);
  assert.match(await page.$eval('#g-refused-maybe summary', (s) => s.textContent), /^May be refused/);
  assert.equal(await page.$eval('#diagram .elabel[data-from="active"][data-to="stopped"] .act[data-action="stop"]', (t) => t.classList.contains('maybe')), true);
  await page.screenshot({ path: join(out, 'laptop-policy-maybe.png') });
  // Bad input: a message, and the policy before it stays.
  for (const [text, said] of [
    ['"os_compute_api:servers:stop": [unclosed', /Not valid YAML/],
    ['- role:reader\n- role:admin\n', /mapping/],
    ['"os_compute_api:servers:stop": 5\n', /number 5/],
    ['"os_compute_api:servers:stop": {a: b}\n', /mapping/],
    ['"a": x\n"a": y\n', /Not valid YAML/],
    ['', /empty/],
    ['# all commented out\n', /no rules/],
  ]) {
    const m = await pastePolicy(page, text);
    assert.equal(m.cls, 'error', `${JSON.stringify(text)}: ${m.text}`);
    assert.match(m.text, said, JSON.stringify(text));
    assert.equal(m.children, 0, 'the message is text only');
  }
  assert.equal((await entry(page, 'stop')).group, 'g-refused-maybe', 'a bad paste keeps the policy before it');
  await page.click('#policy-clear');
  assert.equal((await entry(page, 'stop')).group, 'g-refused-403');
  assert.deepEqual(problems, []);
  await context.close();
});

test('parsePolicy: sizes, shapes and names', async () => {
  assert.equal((await parsePolicy('x'.repeat(3 * 1024 * 1024))).ok, false);
  const r = await parsePolicy('__proto__: "role:admin"\nconstructor: "!"\n"os_compute_api:servers:stop": ""\n');
  assert.equal(r.ok, true);
  assert.equal(Object.getPrototypeOf(r.policy), Object.prototype);
  assert.deepEqual(Object.keys(r.policy), ['__proto__', 'constructor', 'os_compute_api:servers:stop']);
  assert.equal(({}).polluted, undefined);
  const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]\n${Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`).join('\n')}\n`;
  assert.equal((await parsePolicy(bomb)).ok, false, 'an alias bomb is refused');
  const num = await parsePolicy('1: "role:x"');
  assert.equal(num.ok, false, 'a key that is not a rule name is refused');
  assert.match(num.message, /number 1/);
});

test('hostile policy and roles never run: <img onerror> in YAML keys, values and roles', async () => {
  const { page, context, problems, dialogs } = await open(LAPTOP, '?state=active&who=custom&roles=%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D1%3Balert(1)%22%3E&cp=%3Csvg%20onload%3Dalert(2)%3E');
  assert.equal(await page.$eval('#roles', (i) => i.value), '<img src=x onerror="window.__pwned=1;alert(1)">');
  await page.fill('#roles', 'member, <img src=x onerror=alert(3)>, reader');
  const hostile = [
    '"<img src=x onerror=\\"window.__pwned=4;alert(4)\\">": "role:<script>window.__pwned=5</script>"\n"os_compute_api:servers:stop": "role:<img src=x onerror=alert(6)>"\n',
    '"os_compute_api:servers:stop": "http://<img src=x onerror=alert(7)>"\n',
    '"<svg onload=alert(8)>": [unclosed <img src=x onerror=alert(9)>',
    '"os_compute_api:servers:stop": {"<img src=x onerror=alert(10)>": 1}\n',
  ];
  for (const text of hostile) {
    await pastePolicy(page, text);
    await page.click('#diagram .node[data-state="active"]');
    await page.selectOption('#path-to', 'stopped');
    await findPathIn(page);
  }
  // The rule names and check strings reach the panel as text only.
  await pastePolicy(page, hostile[0]);
  assert.equal((await entry(page, 'stop')).group, 'g-refused-404', 'the caller\'s project is not the server\'s');
  await page.fill('#caller-project', PROJECT);
  const stop = await entry(page, 'stop');
  assert.equal(stop.group, 'g-refused-403');
  assert.equal(stop.rule, 'os_compute_api:servers:stop');
  assert.equal(await page.$eval('#groups li[data-action="stop"]', (li) => li.querySelectorAll('img, svg, script').length), 0);
  await page.click('[data-export="dot"]');
  await page.selectOption('#example', '0');
  await page.waitForSelector('#table-wrap:not([hidden])');
  await page.click('#server-rows .vrow[data-index="0"] .rowbtn');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.$$eval('img, svg:not(#diagram) , script:not([src])', (n) => n.length), 0);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('phone 390×844: who is asking and the policy box fit, with 44 px targets', async () => {
  const { page, context, problems } = await open(PHONE, '?state=active&who=reader');
  await page.click('#facts-summary');
  await page.click('#policy-summary');
  await page.fill('#policy-text', '"os_compute_api:servers:stop": "role:reader"');
  await page.click('#policy-apply');
  await page.waitForFunction(() => /rule/.test(document.getElementById('policy-message').textContent));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no sideways scroll (${overflow}px)`);
  const small = await page.evaluate(() => {
    const bad = [];
    for (const e of document.querySelectorAll('#facts button, #facts select, #facts input, #facts summary')) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 || e.closest('[hidden]')) continue;
      const h = e.type === 'checkbox' || e.type === 'file' ? Math.max(r.height, e.closest('label').getBoundingClientRect().height) : r.height;
      if (h < 43.5) bad.push(`${e.tagName}#${e.id} ${h.toFixed(0)}px`);
    }
    return bad;
  });
  assert.deepEqual(small, []);
  await page.screenshot({ path: join(out, 'phone-who.png'), fullPage: true });
  await page.click('#state-list button[data-state="stopped"]');
  assert.equal((await entry(page, 'start')).group, 'g-refused-403');
  await page.screenshot({ path: join(out, 'phone-who-answer.png') });
  assert.deepEqual(problems, []);
  await context.close();
});
