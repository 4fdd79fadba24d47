// Benchmark: time from navigation start to the reference design's first render, in Debian's Chromium against the
// release build served on loopback. Median of N cold page loads (new context each, so nothing is cached).
// Budget (issue 5): 300 ms. Usage: node tools/bench-first-render.mjs [dist-dir] [runs]
//
// "First render" is the app's mark `vpn-designer:first-render`: the design is in the DOM, laid out (measuring the
// canvas makes the browser lay the page out) and the view fitted to it; the browser paints it in the next frame.
// Beside it the script reports the browser's own first contentful paint (which, headless and without a GPU, also
// waits for the frame to be rastered and presented), and the same two figures for a page holding nothing but the
// app's stylesheet and one element, served the same way: what this host's browser costs before any app code runs.
import { serveDist, launchChromium } from './dist-server.mjs';
import { mkdtempSync, readdirSync, copyFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const dist = resolve(process.argv[2] || 'dist');
const runs = Number(process.argv[3] || 9);
const BUDGET_MS = 300;
const MARKS = ['vpn-designer:start', 'vpn-designer:plan-ready', 'vpn-designer:first-render', 'first-contentful-paint'];

/** Cold loads of the page at `url`: for each, the start time of every name in MARKS (NaN when absent). */
async function coldLoads(browser, url) {
  const loads = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => performance.getEntriesByName('vpn-designer:first-render')[0]
      && performance.getEntriesByName('first-contentful-paint')[0]);
    loads.push(await page.evaluate((names) =>
      names.map((name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN), MARKS));
    await context.close();
  }
  return loads;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const column = (loads, name) => loads.map((l) => l[MARKS.indexOf(name)]);

// The baseline page: the app's stylesheet and one element, marked the way the app marks its first render (once
// the browser has laid the element out).
const blank = mkdtempSync(join(tmpdir(), 'first-render-baseline-'));
const css = readdirSync(dist).find((f) => f.endsWith('.css'));
copyFileSync(join(dist, css), join(blank, css));
writeFileSync(join(blank, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>baseline</title>
<link rel="stylesheet" href="/${css}"><script type="module">
const node = document.createElement('p'); node.textContent = 'VPN Designer'; document.body.append(node);
new ResizeObserver((_, observer) => { observer.disconnect(); performance.mark('vpn-designer:first-render'); }).observe(node);
</script></head><body></body></html>`);

const app = await serveDist(dist);
const baseline = await serveDist(blank);
const browser = await launchChromium();
const appLoads = await coldLoads(browser, app.url);
const baseLoads = await coldLoads(browser, baseline.url);
await browser.close();
app.close();
baseline.close();
rmSync(blank, { recursive: true });

const rendered = column(appLoads, 'vpn-designer:first-render');
const first = median(rendered);
console.log(`first render of the reference design: median ${first.toFixed(0)} ms over ${runs} cold loads ` +
  `(min ${Math.min(...rendered).toFixed(0)}, max ${Math.max(...rendered).toFixed(0)}); budget ${BUDGET_MS} ms`);
console.log(`  medians: app code starts at ${median(column(appLoads, 'vpn-designer:start')).toFixed(0)} ms ` +
  `(wasm fetched and compiled), plan ready at ${median(column(appLoads, 'vpn-designer:plan-ready')).toFixed(0)} ms, ` +
  `rendered at ${first.toFixed(0)} ms, first contentful paint at ` +
  `${median(column(appLoads, 'first-contentful-paint')).toFixed(0)} ms`);
console.log(`  this host's baseline (stylesheet and one element, no app): rendered at ` +
  `${median(column(baseLoads, 'vpn-designer:first-render')).toFixed(0)} ms, first contentful paint at ` +
  `${median(column(baseLoads, 'first-contentful-paint')).toFixed(0)} ms`);
process.exit(first <= BUDGET_MS ? 0 : 1);
