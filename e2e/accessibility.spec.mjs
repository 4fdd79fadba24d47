// Accessibility: axe-core (the engine behind Lighthouse's accessibility audit) on the main screens, WCAG 2.1
// A and AA rules. Any violation fails, with the rule, its impact and the elements it names.
import { test, expect, openApp, artifacts } from './fixtures.mjs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

async function violations(page) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
}

test('the main screens have no WCAG 2.1 A or AA violations axe can find', async ({ page }) => {
  await openApp(page);
  await expect(page.getByTestId('review-badge')).toHaveText(/^0 errors/);
  const found = {};
  found['design'] = await violations(page);
  await page.getByTestId('node-az-vpngw').click();
  await expect(page.getByTestId('selected-kind')).toHaveText('Azure VPN gateway');
  found['gateway selected'] = await violations(page);
  await page.getByTestId('node-aws-sg-app').click();
  found['security group selected'] = await violations(page);
  await page.getByTestId('open-plans').click();
  found['plans'] = await violations(page);
  await page.keyboard.press('Escape');
  await page.getByTestId('open-export').click();
  found['export'] = await violations(page);
  await page.getByTestId('open-export').click();
  // A drawn trace, and a design with errors, badges and fixes.
  await page.getByTestId('review-badge').click();
  await page.getByTestId('trace-flow-azure-to-aws').click();
  await expect(page.getByTestId('trace-path')).toBeAttached();
  found['trace drawn'] = await violations(page);
  await page.getByTestId('node-aws-cgw-1').click();
  await page.getByTestId('field-bgp_asn').fill('65010');
  await page.getByTestId('field-bgp_asn').press('Enter');
  await page.getByTestId('review-badge').click();
  await expect(page.locator('[data-testid^="fix-"]').first()).toBeVisible();
  found['findings'] = await violations(page);
  for (const [screen, list] of Object.entries(found)) {
    expect(list, `${screen}: ${JSON.stringify(list, null, 1)}`).toEqual([]);
  }
});

test('Tab reads the canvas network by network, each line after the objects it joins, then leaves it', async ({ page }) => {
  await openApp(page);
  const nodes = await page.locator('svg [data-testid^="node-"][tabindex="0"]').count();
  const lines = await page.locator('svg [data-testid^="edge-"][tabindex="0"]').count();
  await page.getByTestId('canvas').focus();
  const seen = [];
  for (let i = 0; i < nodes + lines + 1; i += 1) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName));
  }
  const stops = seen.slice(0, nodes + lines);
  // Every object once; after the last, the focus has left the canvas for the next control.
  expect(new Set(stops).size).toBe(nodes + lines);
  expect(stops.filter((s) => !/^(node|edge)-/.test(s)), seen.join(" ")).toEqual([]);
  const left = await page.evaluate(() => !document.querySelector('svg.canvas').contains(document.activeElement));
  expect(left, `after the canvas: ${seen.at(-1)}`).toBe(true);
  // Shift+Tab from there comes back to where Tab left, the last object in reading order (not the last drawn).
  await page.keyboard.press('Shift+Tab');
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(seen[nodes + lines - 1]);
  const at = (id) => stops.indexOf(id);
  // Network by network: the VNet, what it holds, then the VPC; the first stop is an object, not a line.
  expect(stops[0]).toMatch(/^node-/);
  expect(at('node-az-vnet')).toBeLessThan(at('node-az-snet-app'));
  expect(at('node-az-vpngw')).toBeLessThan(at('node-aws-vpc'));
  expect(at('node-aws-vpc')).toBeLessThan(at('node-aws-snet-app'));
  // A tunnel after both its ends (the Azure side's local network gateway and the customer gateway), a
  // connection after its gateway and local network gateway.
  expect(at('edge-aws-vpn-1-tunnel1')).toBeGreaterThan(at('node-aws-cgw-1'));
  expect(at('edge-aws-vpn-1-tunnel1')).toBeGreaterThan(at('node-az-lng-vpn-1-t1'));
  expect(at('edge-az-conn-vpn-1-t1')).toBeGreaterThan(at('node-az-lng-vpn-1-t1'));
  expect(at('edge-az-conn-vpn-1-t1')).toBeGreaterThan(at('node-az-vpngw'));
  // Shift+Tab walks back the same way, and from the first object returns to the canvas.
  await page.getByTestId(stops[1]).focus();
  await page.keyboard.press('Shift+Tab');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(stops[0]);
  await page.keyboard.press('Shift+Tab');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('canvas');
});
