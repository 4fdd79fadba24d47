#!/usr/bin/env node
// Parses and renders Mermaid diagrams with the official `mermaid` package inside headless Chromium, and fails
// (exit 1) on the first diagram that does not parse or render. Usage:
//
//   node tools/check-mermaid.mjs FILE.mmd [FILE.mmd ...]
//
// For a diagram FILE.mmd with a sibling FILE.expect.txt, every non-empty line of that file must appear in the
// rendered diagram's text, and the rendered SVG must hold no <script> element: that is how the export tests
// show that hostile names come out intact and inject nothing.
//
// Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM), driven by playwright-core: nothing is downloaded.
import { chromium } from 'playwright-core';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const mermaidBundle = path.join(here, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node tools/check-mermaid.mjs FILE.mmd [FILE.mmd ...]');
  process.exit(2);
}
if (!existsSync(mermaidBundle)) {
  console.error(`check-mermaid: ${mermaidBundle} is missing: run npm ci in tools/`);
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let failed = 0;
try {
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.setContent('<!DOCTYPE html><html><body><div id="out"></div></body></html>');
  await page.addScriptTag({ path: mermaidBundle });
  await page.evaluate(() => {
    window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  });
  for (const [index, file] of files.entries()) {
    const text = readFileSync(file, 'utf8');
    const expectFile = file.replace(/\.mmd$/, '.expect.txt');
    const expected = existsSync(expectFile)
      ? readFileSync(expectFile, 'utf8').split('\n').filter((line) => line.length > 0)
      : [];
    const result = await page.evaluate(async ({ text, id }) => {
      try {
        await window.mermaid.parse(text);
        const { svg } = await window.mermaid.render(id, text);
        const holder = document.getElementById('out');
        holder.innerHTML = svg;
        const rendered = holder.querySelector('svg');
        const scripts = holder.querySelectorAll('script').length;
        // Labels are HTML inside foreignObject; innerText keeps their line breaks, textContent their text.
        const shown = rendered ? rendered.textContent : '';
        const shownLines = rendered ? (rendered.innerText || '') : '';
        holder.innerHTML = '';
        return { ok: true, bytes: svg.length, scripts, shown, shownLines };
      } catch (error) {
        return { ok: false, error: String((error && error.message) || error) };
      }
    }, { text, id: `check${index}` });
    if (!result.ok) {
      failed += 1;
      console.error(`FAIL ${file}: ${result.error}`);
      continue;
    }
    const problems = [];
    if (result.scripts > 0) problems.push(`${result.scripts} <script> element(s) in the rendered SVG`);
    for (const line of expected) {
      if (!result.shown.includes(line) && !result.shownLines.includes(line)) {
        problems.push(`expected text not shown: ${JSON.stringify(line)}`);
      }
    }
    if (problems.length > 0) {
      failed += 1;
      console.error(`FAIL ${file}:\n  ${problems.join('\n  ')}`);
    } else {
      console.log(`ok   ${file} (${result.bytes} bytes of SVG${expected.length ? `, ${expected.length} expected texts shown` : ''})`);
    }
  }
  if (pageErrors.length > 0) {
    failed += 1;
    console.error(`page errors:\n  ${pageErrors.join('\n  ')}`);
  }
} finally {
  await browser.close();
}
console.log(`${files.length - failed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
