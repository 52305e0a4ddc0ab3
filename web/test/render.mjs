// Opens a recount report in headless Chromium (Debian's /usr/bin/chromium) as a reader would,
// and checks it: no console errors, no page errors, no network request at all (the report is
// self-contained), and every chart drawn. Saves a full-page screenshot.
//
//   node web/test/render.mjs REPORT.html SCREENSHOT.png
//
// Prints one JSON line with what it saw; exits 0 when every check passes, 1 otherwise.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [report, screenshot] = process.argv.slice(2);
if (!report || !screenshot) {
  console.error('usage: node render.mjs REPORT.html SCREENSHOT.png');
  process.exit(2);
}

const profile = mkdtempSync(join(tmpdir(), 'recount-chromium-'));
const seen = { consoleErrors: [], pageErrors: [], requests: [], charts: 0, rendered: 0, scriptErrors: 0 };
let browser;
try {
  // The flags this machine needs (no sandbox as root, no background networking: the network is closed).
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = browser.pages()[0] || (await browser.newPage());
  page.on('console', (msg) => { if (msg.type() === 'error') seen.consoleErrors.push(msg.text()); });
  page.on('pageerror', (err) => seen.pageErrors.push(String(err)));
  const url = pathToFileURL(resolve(report)).href;
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u === url) return route.continue();
    seen.requests.push(u);
    return route.abort();
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => document.documentElement.getAttribute('data-render-done') === 'true',
                             null, { timeout: 60000 });
  const attrs = await page.evaluate(() => {
    const root = document.documentElement;
    return {
      charts: Number(root.getAttribute('data-charts')),
      rendered: Number(root.getAttribute('data-rendered') || 0),
      scriptErrors: Number(root.getAttribute('data-errors') || 0),
      svgs: document.querySelectorAll('.vega svg').length,
    };
  });
  Object.assign(seen, attrs);
  await page.screenshot({ path: screenshot, fullPage: true });
} catch (e) {
  seen.pageErrors.push('driver: ' + String(e));
} finally {
  if (browser) await browser.close();
  rmSync(profile, { recursive: true, force: true });
}

const ok = seen.consoleErrors.length === 0 && seen.pageErrors.length === 0 && seen.requests.length === 0 &&
           seen.scriptErrors === 0 && seen.charts > 0 && seen.rendered === seen.charts && seen.svgs === seen.charts;
console.log(JSON.stringify({ ok, ...seen }));
process.exit(ok ? 0 : 1);
