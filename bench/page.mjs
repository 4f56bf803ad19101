// Page benchmark: builds www/ with Vite, serves it on 127.0.0.1 and loads it in headless
// Chromium. Prints
//   * the page weight: every response the page loads, gzipped (as a server would send it),
//     summed, against the 80 KB budget (SPEC §6);
//   * the time from navigation to the diagram being in the DOM (the page's
//     performance.mark('diagram-drawn')), median of several cold loads, against 300 ms, and how
//     long drawing it took (measure 'draw'; the Graphviz layout runs at build time, not here).
// Exits non-zero when a budget is missed. Usage: node bench/page.mjs [--runs N] [--no-build]
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../tests/browser/chromium.mjs';
import { start } from '../scripts/serve.mjs';

const repo = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 7;
const WEIGHT_BUDGET = 80 * 1024;
const TIME_BUDGET = 300;

if (!args.includes('--no-build')) {
  execFileSync(join(repo, 'node_modules/.bin/vite'), ['build', '--config', 'www/vite.config.js', '--logLevel', 'warn'], { cwd: repo, stdio: 'inherit' });
}
const server = await start({ root: join(repo, 'www/dist'), port: 0 });
const browser = await launchChromium();

try {
  // Weight: one load, every response body.
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies = [];
  page.on('response', async (res) => {
    try {
      bodies.push({ url: res.url().replace(server.url, '/'), body: await res.body() });
    } catch { /* redirects have no body */ }
  });
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForLoadState('networkidle');
  await context.close();
  let total = 0;
  console.log('page weight (gzip -9 of each response):');
  for (const { url, body } of bodies.sort((a, b) => a.url.localeCompare(b.url))) {
    const gz = gzipSync(body, { level: 9 }).length;
    total += gz;
    console.log(`  ${url.padEnd(48)} ${String(body.length).padStart(8)} B raw ${String(gz).padStart(8)} B gzip`);
  }
  const weightOk = total <= WEIGHT_BUDGET;
  console.log(`page weight: ${(total / 1024).toFixed(1)} KB gzipped (budget ${WEIGHT_BUDGET / 1024} KB) ${weightOk ? 'ok' : 'OVER BUDGET'}`);

  // Time to diagram: fresh context each run (cold caches), median.
  const times = [];
  const layouts = [];
  for (let i = 0; i < runs; i++) {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await p.goto(server.url);
    await p.waitForSelector('body[data-ready="true"]');
    const [drawn, layout] = await p.evaluate(() => [
      performance.getEntriesByName('diagram-drawn')[0]?.startTime,
      performance.getEntriesByName('draw')[0]?.duration,
    ]);
    times.push(drawn);
    layouts.push(layout);
    await ctx.close();
  }
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const t = median(times);
  const timeOk = t <= TIME_BUDGET;
  console.log(`time to diagram: median ${t.toFixed(0)} ms over ${runs} cold loads (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}; drawing ${median(layouts).toFixed(1)} ms; the layout itself is computed at build time by Graphviz) (budget ${TIME_BUDGET} ms) ${timeOk ? 'ok' : 'OVER BUDGET'}`);
  process.exitCode = weightOk && timeOk ? 0 : 1;
} finally {
  await browser.close();
  await server.close();
}
