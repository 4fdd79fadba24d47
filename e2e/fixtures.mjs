// Every test fails on any page error or console error: a broken wasm build shows up only there.
import { test as base, expect } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const artifacts = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
mkdirSync(artifacts, { recursive: true });

// Console errors a test provokes on purpose (a blocked download), per page: see `allowConsoleError`.
const allowed = new WeakMap();

/** Lets `page` log console errors matching `pattern` (only what the test itself provokes). */
export function allowConsoleError(page, pattern) {
  allowed.set(page, [...(allowed.get(page) ?? []), pattern]);
}

export const test = base.extend({
  page: async ({ page }, use) => {
    const errors = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      const text = message.text();
      if (message.type() === 'error' && !(allowed.get(page) ?? []).some((p) => p.test(text))) {
        errors.push(`console.error: ${text}`);
      }
    });
    await use(page);
    expect(errors, 'the page reported errors').toEqual([]);
  },
});

export { expect };

/** Opens the app and waits until the wasm app has drawn the design. */
export async function openApp(page, path = '/') {
  await page.goto(path);
  await expect(page.getByTestId('node-az-vpngw')).toBeVisible();
}

export async function zoomOf(page) {
  return Number(await page.getByTestId('canvas').getAttribute('data-zoom'));
}
