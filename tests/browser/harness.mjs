// What every browser test file (and bench/browser.mjs) shares: Debian Chromium launched
// headless with the flags this machine needs, and a clean stop of the static server.
import { chromium } from 'playwright-core';

/** Flags for headless Chromium as root on a machine with a closed network. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launches Debian's Chromium (playwright-core never downloads a browser here). */
export function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * Stops a server from scripts/static-server.mjs, closing kept-alive connections.
 * @param {import('node:http').Server | undefined} server
 */
export async function stopServer(server) {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
}

/**
 * Waits until the viewer has shown itself (js/widget.js keeps it at opacity 0 until its
 * stylesheet has applied), so layout checks measure the styled page.
 * @param {import('playwright-core').Page} page
 */
export function waitStyled(page) {
  return page.waitForFunction(() => {
    const v = document.querySelector('[data-testid=viewer]');
    return v && getComputedStyle(v).opacity === '1';
  });
}
