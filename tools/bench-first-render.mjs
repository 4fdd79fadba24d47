// Benchmark: time from navigation start to the reference design's first drawn node, in Debian's Chromium against
// the release build served on loopback. Median of N cold page loads (new context each, so nothing is cached).
// Budget (issue 5): 300 ms. Usage: node tools/bench-first-render.mjs [dist-dir] [runs]
import { serveDist, launchChromium } from './dist-server.mjs';
import { resolve } from 'node:path';

const dist = resolve(process.argv[2] || 'dist');
const runs = Number(process.argv[3] || 9);
const BUDGET_MS = 300;
const { url, close } = await serveDist(dist);

const browser = await launchChromium();
const times = [];
const splits = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector('[data-testid="node-az-vpngw"]');
  // The app marks the moment its canvas effect runs with the design in the DOM; time is since navigation start.
  const mark = await page.waitForFunction(
    () => performance.getEntriesByName('vpn-designer:first-render')[0]?.startTime);
  times.push(await mark.jsonValue());
  // Where the time went: until the app's code starts (fetching and compiling the wasm), until its plan is ready,
  // and drawing the design.
  splits.push(await page.evaluate(() => ['vpn-designer:start', 'vpn-designer:plan-ready']
    .map((name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN)));
  await context.close();
}
await browser.close();
close();
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`first render of the reference design: median ${median.toFixed(0)} ms over ${runs} cold loads ` +
  `(min ${times[0].toFixed(0)}, max ${times[times.length - 1].toFixed(0)}); budget ${BUDGET_MS} ms`);
const middle = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const started = middle(splits.map((s) => s[0]));
const planned = middle(splits.map((s) => s[1]));
console.log(`  medians: app code starts at ${started.toFixed(0)} ms (wasm fetched and compiled), plan ready at ` +
  `${planned.toFixed(0)} ms, design drawn at ${median.toFixed(0)} ms`);
process.exit(median <= BUDGET_MS ? 0 : 1);
