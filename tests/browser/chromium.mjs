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
