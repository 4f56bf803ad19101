// The web page in headless Chromium: builds www/ with Vite, serves it with scripts/serve.mjs on
// an ephemeral port, and checks that what the page shows is what the installed package says.
// Screenshots go to tests/out/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { transitions, checkAction, allowedActions, actions, vmStates, taskStates, shortestPath, validateServer } from 'nova-states';
import { start, CSP } from '../../scripts/serve.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const out = join(repo, 'tests/out');
const samples = join(repo, '../shared/samples/nova-api');
mkdirSync(out, { recursive: true });

let server;
let browser;

before(async () => {
  execFileSync(join(repo, 'node_modules/.bin/vite'), ['build', '--config', 'www/vite.config.js', '--logLevel', 'warn'], { cwd: repo, stdio: 'inherit' });
  server = await start({ root: join(repo, 'www/dist'), port: 0 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the page; collects errors and dialogs; resolves when the module is loaded. */
async function open(viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  const dialogs = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  const offsite = [];
  page.on('request', (r) => { if (!r.url().startsWith(server.url)) offsite.push(r.url()); });
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10000 });
  return { page, context, problems, dialogs, offsite };
}

const serverIn = (vm, taskState = null, locked = false) => ({ vmState: vm, taskState, locked });

/** The (from -> to) pairs the package says are allowed from `vm` under the facts. */
function expectedEdges(vm, { taskState = null, locked = false, admin = false, microversion = '2.104' } = {}) {
  const allowed = new Set(allowedActions(serverIn(vm, taskState, locked), { admin, microversion }));
  return [...new Set(transitions().filter((t) => t.from === vm && allowed.has(t.action)).map((t) => `${t.from}->${t.to}`))].sort();
}

async function highlighted(page, vm) {
  return page.evaluate((sel) => {
    const pairs = [...document.querySelectorAll('#diagram .edge.hl')].map((g) => `${g.getAttribute('data-from') ?? sel}->${g.getAttribute('data-to')}`);
    return [...new Set(pairs)].sort();
  }, vm);
}

async function lists(page, allowedId, refusedId) {
  return page.evaluate(([a, r]) => ({
    allowed: [...document.querySelectorAll(`#${a} li code`)].map((c) => c.textContent),
    refused: [...document.querySelectorAll(`#${r} li`)].filter((li) => li.querySelector('code')).map((li) => ({
      action: li.querySelector('code').textContent, message: li.querySelector('.msg').textContent,
    })),
  }), [allowedId, refusedId]);
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
  assert.match(CSP, /script-src 'self' 'wasm-unsafe-eval'/);
  const wasm = readdirSync(join(repo, 'www/dist/assets')).find((f) => f.endsWith('.wasm'));
  const w = await fetch(new URL(`assets/${wasm}`, server.url));
  assert.equal(w.headers.get('content-type'), 'application/wasm');
  for (const bad of ['..%2f..%2fpackage.json', '%2e%2e/%2e%2e/package.json', '..%5c..%5cpackage.json']) {
    const r = await fetch(server.url + bad);
    assert.ok(r.status === 403 || r.status === 404, `${bad} -> ${r.status}`);
  }
});

test('the diagram shows every vm state and each state highlights exactly its allowed transitions', async () => {
  const { page, context, problems, offsite } = await open();
  const nodes = await page.$$eval('#diagram .node', (gs) => gs.map((g) => g.getAttribute('data-state')));
  assert.deepEqual(nodes, vmStates());
  const drawn = await page.evaluate(() => performance.getEntriesByName('diagram-drawn').length);
  assert.equal(drawn, 1);
  await page.screenshot({ path: join(out, 'laptop-initial.png'), fullPage: false });

  for (const vm of vmStates()) {
    await page.click(`#diagram .node[data-state="${vm}"]`);
    assert.deepEqual(await highlighted(page, vm), expectedEdges(vm), `edges from ${vm}`);
    const { allowed, refused } = await lists(page, 'allowed', 'refused');
    const want = allowedActions(serverIn(vm), { admin: false, microversion: '2.104' });
    assert.deepEqual(allowed.sort(), want.slice().sort(), `allowed from ${vm}`);
    for (const r of refused) {
      const v = checkAction(r.action, serverIn(vm), { admin: false, microversion: '2.104' });
      assert.equal(v.allowed, false);
      assert.equal(r.message, v.denials[0].message);
    }
    assert.equal(allowed.length + refused.length, actions().length);
    if (vm === 'active') await page.screenshot({ path: join(out, 'laptop-active-selected.png') });
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(offsite, [], 'nothing loaded from elsewhere');
  await context.close();
});

test('task state, lock, admin and microversion change the answers', async () => {
  const { page, context, problems } = await open();
  await page.click('#diagram .node[data-state="active"]');
  const before = await lists(page, 'allowed', 'refused');

  const task = taskStates().includes('rebooting') ? 'rebooting' : taskStates()[0];
  await page.selectOption('#task', task);
  assert.deepEqual(await highlighted(page, 'active'), expectedEdges('active', { taskState: task }));
  const withTask = await lists(page, 'allowed', 'refused');
  assert.deepEqual(withTask.allowed.sort(), allowedActions(serverIn('active', task), {}).sort());
  assert.notDeepEqual(withTask.allowed, before.allowed);

  await page.selectOption('#task', '');
  await page.check('#locked');
  assert.deepEqual(await highlighted(page, 'active'), expectedEdges('active', { locked: true }));
  const locked = await lists(page, 'allowed', 'refused');
  assert.deepEqual(locked.allowed.sort(), allowedActions(serverIn('active', null, true), {}).sort());
  assert.notDeepEqual(locked.allowed.length, before.allowed.length);
  const lockedDenial = locked.refused.find((r) => checkAction(r.action, serverIn('active', null, true)).denials[0].kind === 'locked');
  assert.ok(lockedDenial, 'a refusal because of the lock is listed');
  assert.ok(await page.$$eval('#diagram .elabel .act.no', (n) => n.length) > 0, 'refused actions are struck out on the diagram');
  await page.screenshot({ path: join(out, 'laptop-locked.png') });

  await page.check('#admin');
  const admin = await lists(page, 'allowed', 'refused');
  assert.deepEqual(admin.allowed.sort(), allowedActions(serverIn('active', null, true), { admin: true }).sort());

  await page.uncheck('#admin');
  await page.uncheck('#locked');
  await page.selectOption('#microversion', '2.1');
  const old = await lists(page, 'allowed', 'refused');
  assert.deepEqual(old.allowed.sort(), allowedActions(serverIn('active'), { microversion: '2.1' }).sort());
  assert.deepEqual(problems, []);
  await context.close();
});

test('a Nova sample record is placed on the diagram with its status and 409 texts', async () => {
  const { page, context, problems } = await open();
  const files = readdirSync(samples).filter((f) => /server-get-resp/.test(f)).sort();
  assert.ok(files.length > 0, 'samples exist');
  for (const file of files.slice(0, 4)) {
    const text = readFileSync(join(samples, file), 'utf8');
    const record = JSON.parse(text);
    await page.fill('#record', text);
    await page.click('#inspect');
    await page.waitForSelector('#inspect-result:not([hidden])');
    const status = await page.$eval('#inspect-facts dd', (d) => d.textContent);
    assert.equal(status, validateServer(record).status, file);
    const got = await lists(page, 'inspect-allowed', 'inspect-refused');
    assert.deepEqual(got.allowed.sort(), allowedActions(record, {}).sort(), file);
    for (const r of got.refused) assert.equal(r.message, checkAction(r.action, record, {}).denials[0].message, file);
    const vm = record.server['OS-EXT-STS:vm_state'];
    assert.equal(await page.$eval(`#diagram .node[data-state="${vm}"]`, (g) => g.classList.contains('inspected')), true);
  }
  // A /servers/detail list: the first server is shown, and the page says so.
  const list = readdirSync(samples).filter((f) => /servers-details-resp/.test(f)).sort()[0];
  if (list) {
    const text = readFileSync(join(samples, list), 'utf8');
    await page.fill('#record', text);
    await page.click('#inspect');
    await page.waitForSelector('#inspect-result:not([hidden])');
    assert.match(await page.$eval('#inspect-message', (p) => p.textContent), /first one/);
    assert.equal(await page.$eval('#inspect-facts dd', (d) => d.textContent), validateServer(JSON.parse(text).servers[0]).status);
  }
  await page.screenshot({ path: join(out, 'laptop-inspector.png'), fullPage: true });
  // The page's own examples all read cleanly.
  const count = await page.$$eval('#example option', (o) => o.length - 1);
  assert.ok(count >= 3);
  for (let i = 0; i < count; i++) {
    await page.selectOption('#example', String(i));
    await page.waitForSelector('#inspect-result:not([hidden])');
    assert.notEqual(await page.$eval('#inspect-message', (p) => p.className), 'error', `example ${i}`);
    assert.equal(await page.$$eval('#diagram .node.inspected', (n) => n.length), 1, `example ${i} is placed`);
  }
  await page.selectOption('#example', '2');
  await page.waitForSelector('#inspect-result:not([hidden])');
  assert.ok((await page.$$eval('#inspect-refused li .msg', (n) => n.map((x) => x.textContent))).some((m) => /lock/i.test(m)));
  assert.deepEqual(problems, []);
  await context.close();
});

test('hostile and malformed input gets a message and never runs', async () => {
  const { page, context, problems, dialogs } = await open();
  const hostile = [
    '{"server": {"OS-EXT-STS:vm_state": "<img src=x onerror=\\"window.__pwned=1;alert(1)\\">", "name": "<script>window.__pwned=2</script>"}}',
    '<script>window.__pwned=3;alert(3)</script>',
    '{"server": {"OS-EXT-STS:vm_state": "active", "OS-EXT-STS:task_state": "<svg onload=alert(4)>"}}',
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
  }
  // A 10 MB paste: refused at the paste itself, promptly, and the text area stays as it was.
  await page.fill('#record', '');
  const t0 = Date.now();
  const kept = await page.evaluate(() => {
    const area = document.getElementById('record');
    const data = new DataTransfer();
    data.setData('text/plain', `{"server": {"name": "${'x'.repeat(10 * 1024 * 1024)}"}}`);
    area.focus();
    area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    return area.value.length;
  });
  assert.equal(kept, 0);
  assert.match(await page.$eval('#inspect-message', (p) => p.textContent), /MB/);
  // 10 MB typed or dropped in some other way: refused on Inspect, before parsing.
  await page.evaluate(() => {
    document.getElementById('record').value = `{"server": {"name": "${'y'.repeat(10 * 1024 * 1024)}"}}`;
  });
  await page.click('#inspect');
  assert.match(await page.$eval('#inspect-message', (p) => p.textContent), /10\.0 MB/);
  const took = Date.now() - t0;
  assert.ok(took < 8000, `the 10 MB input is refused promptly (${took} ms)`);
  await page.screenshot({ path: join(out, 'laptop-hostile.png') });
  await page.evaluate(() => { document.getElementById('record').value = ''; });
  // Still responsive and still working.
  await page.click('#diagram .node[data-state="stopped"]');
  assert.deepEqual(await highlighted(page, 'stopped'), expectedEdges('stopped'));
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.$$eval('img', (n) => n.length), 0);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the path finder gives the package\'s shortest path and draws it', async () => {
  const { page, context, problems } = await open();
  const states = vmStates();
  const from = 'active';
  const to = states.includes('shelved_offloaded') ? 'shelved_offloaded' : states.at(-1);
  for (const [a, b] of [[from, to], ['stopped', 'active'], ['deleted', 'active']]) {
    await page.selectOption('#path-from', a);
    await page.selectOption('#path-to', b);
    await page.click('#find-path');
    const want = shortestPath(a, b, { admin: false, microversion: '2.104', locked: false });
    const steps = await page.$$eval('#path-result li code', (n) => n.map((c) => c.textContent));
    if (want === null) {
      assert.deepEqual(steps, []);
      assert.match(await page.$eval('#path-message', (p) => p.textContent), /No sequence/);
    } else {
      assert.deepEqual(steps, want);
      assert.ok(await page.$$eval('#diagram .edge.onpath', (n) => n.length) >= 1);
    }
  }
  await page.selectOption('#path-from', 'paused');
  await page.selectOption('#path-to', 'rescued');
  await page.click('#find-path');
  assert.deepEqual(await page.$$eval('#path-result li code', (n) => n.map((c) => c.textContent)),
    shortestPath('paused', 'rescued', { admin: false, microversion: '2.104', locked: false }) ?? []);
  await (await page.$('.diagram-wrap')).screenshot({ path: join(out, 'laptop-path-diagram.png') });
  await page.screenshot({ path: join(out, 'laptop-path.png') });
  // Exports fill the fallback text area whatever the clipboard does.
  for (const kind of ['dot', 'mermaid', 'json']) {
    await page.click(`[data-export="${kind}"]`);
    await page.waitForFunction(() => document.getElementById('export-text').value.length > 0);
    const text = await page.$eval('#export-text', (t) => t.value);
    if (kind === 'dot') assert.match(text, /^digraph/);
    if (kind === 'mermaid') assert.match(text, /^flowchart/);
    if (kind === 'json') assert.ok(JSON.parse(text).transitions.length === transitions().length);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('states are reachable with Tab and operable with Enter and Space', async () => {
  const { page, context, problems } = await open();
  const reached = [];
  for (let i = 0; i < 40 && reached.length < vmStates().length; i++) {
    await page.keyboard.press('Tab');
    const s = await page.evaluate(() => document.activeElement?.getAttribute?.('data-state') ?? null);
    if (s && !reached.includes(s)) reached.push(s);
  }
  assert.deepEqual(reached.sort(), vmStates().slice().sort(), 'every state takes focus');
  const pressed = (vm) => page.$eval(`#diagram .node[data-state="${vm}"]`, (g) => g.getAttribute('aria-pressed'));
  // Focus selects; Escape clears; Enter and Space select again.
  await page.focus('#diagram .node[data-state="paused"]');
  assert.equal(await pressed('paused'), 'true');
  await page.keyboard.press('Escape');
  assert.equal(await pressed('paused'), 'false');
  assert.deepEqual(await highlighted(page, 'paused'), []);
  await page.keyboard.press('Enter');
  assert.equal(await pressed('paused'), 'true');
  assert.deepEqual(await highlighted(page, 'paused'), expectedEdges('paused'));
  await page.focus('#diagram .node[data-state="stopped"]');
  await page.keyboard.press('Escape');
  assert.equal(await pressed('stopped'), 'false');
  await page.keyboard.press(' ');
  assert.equal(await pressed('stopped'), 'true');
  assert.equal(await pressed('paused'), 'false');
  assert.deepEqual(await highlighted(page, 'stopped'), expectedEdges('stopped'));
  assert.match(await page.$eval('#state-title', (h) => h.textContent), /stopped/);
  const labels = await page.$$eval('#diagram .node', (gs) => gs.map((g) => [g.getAttribute('role'), g.getAttribute('aria-label')]));
  for (const [role, label] of labels) {
    assert.equal(role, 'button');
    assert.match(label, /^vm state /);
  }
  await page.screenshot({ path: join(out, 'laptop-keyboard-focus.png') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the page works at phone size', async () => {
  const { page, context, problems } = await open({ width: 390, height: 844 });
  await page.screenshot({ path: join(out, 'phone-initial.png') });
  await page.click('#diagram .node[data-state="active"]');
  assert.deepEqual(await highlighted(page, 'active'), expectedEdges('active'));
  await page.screenshot({ path: join(out, 'phone-full.png'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page itself does not scroll sideways (${overflow}px)`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('no two labels or nodes on the diagram overlap', async () => {
  const { page, context } = await open();
  const boxes = await page.evaluate(() => {
    const all = [...document.querySelectorAll('#diagram .elabel, #diagram .node')].map((g) => {
      const b = g.getBBox();
      return { id: `${g.getAttribute('class')} ${g.getAttribute('data-from') ?? ''}->${g.getAttribute('data-to') ?? g.getAttribute('data-state')}`, x: b.x, y: b.y, w: b.width, h: b.height };
    });
    return all;
  });
  const clashes = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      const ox = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
      const oy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
      if (ox > 1 && oy > 1) clashes.push(`${a.id} / ${b.id}`);
    }
  }
  assert.deepEqual(clashes, []);
  await context.close();
});
