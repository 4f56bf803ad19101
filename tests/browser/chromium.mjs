// Debian's Chromium, headless, driven by playwright-core: the one launch every browser test
// and the page benchmark share. The flags keep it off the network this machine does not have;
// playwright gives each launch a fresh temporary profile.
import { chromium } from 'playwright-core';

export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}

/** Loads `url` in a fresh browser and returns what its script left in `window.result`, with
 * every uncaught page error: the shape of the package's own browser smoke tests. */
export async function pageResult(url) {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url);
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 15000 });
    return { errors, result: await page.evaluate(() => window.result) };
  } finally {
    await browser.close();
  }
}
