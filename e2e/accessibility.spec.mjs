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
