// The first screen: the reference design on the canvas, pan and zoom, selection and the properties panel.
import { test, expect, openApp, zoomOf, artifacts } from './fixtures.mjs';
import { join } from 'node:path';

const referenceObjects = [
  'az-vnet', 'az-snet-app', 'az-snet-gateway', 'az-vpngw', 'az-pip-1', 'az-pip-2',
  'az-lng-vpn-1-t1', 'az-lng-vpn-1-t2', 'az-lng-vpn-2-t1', 'az-lng-vpn-2-t2', 'az-nsg-app', 'az-rt-app',
  'aws-vpc', 'aws-snet-app', 'aws-vgw', 'aws-cgw-1', 'aws-cgw-2', 'aws-vpn-1', 'aws-vpn-2', 'aws-sg-app', 'aws-rt-app',
];

test('the app opens on the reference design with every object on the canvas', async ({ page }) => {
  await openApp(page);
  await expect(page).toHaveTitle('VPN Designer');
  await expect(page.getByTestId('design-name')).toHaveText('Azure ⇄ AWS reference (BGP)');
  for (const id of referenceObjects) {
    await expect(page.getByTestId(`node-${id}`), id).toBeVisible();
  }
  await expect(page.getByTestId('node-cloud-azure')).toBeVisible();
  await expect(page.getByTestId('node-cloud-aws')).toBeVisible();
  // Four tunnels, labelled with their inside /30s.
  for (const [edge, cidr] of [['aws-vpn-1-tunnel1', '169.254.21.0/30'], ['aws-vpn-1-tunnel2', '169.254.22.0/30'],
    ['aws-vpn-2-tunnel1', '169.254.21.4/30'], ['aws-vpn-2-tunnel2', '169.254.22.4/30']]) {
    await expect(page.getByTestId(`edge-${edge}`)).toContainText(cidr);
  }
  // Objects have accessible names people can find them by.
  await expect(page.getByRole('button', { name: /^Azure VPN gateway vpngw-app/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^AWS virtual private gateway vgw-app/ })).toBeVisible();
  // The summary lists the declared flows.
  await expect(page.getByTestId('flow-list')).toContainText('Azure app → AWS app (HTTPS) — TCP 443');
  await page.screenshot({ path: join(artifacts, 'first-screen.png') });
});

test('at 1280×720 the whole reference design is on screen with node titles at least 8 px high', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  const canvas = await page.getByTestId('canvas').boundingBox();
  for (const id of [...referenceObjects, 'cloud-azure', 'cloud-aws']) {
    const b = await page.getByTestId(`node-${id}`).boundingBox();
    expect(b.x, id).toBeGreaterThanOrEqual(canvas.x - 1);
    expect(b.y, id).toBeGreaterThanOrEqual(canvas.y - 1);
    expect(b.x + b.width, id).toBeLessThanOrEqual(canvas.x + canvas.width + 1);
    expect(b.y + b.height, id).toBeLessThanOrEqual(canvas.y + canvas.height + 1);
  }
  // Measured as drawn: the rendered height of a node's title text.
  const title = await page.getByTestId('node-az-lng-vpn-1-t1').locator('text.node-title').boundingBox();
  expect(title.height).toBeGreaterThanOrEqual(8);
  expect(await zoomOf(page)).toBeGreaterThan(0.6);
  // The view was fitted before the canvas was in the page, to the size the stylesheet gives it: measuring the
  // canvas found that size, so the design was laid out once, not again at a corrected fit.
  expect(await page.evaluate(() => performance.getEntriesByName('vpn-designer:refit').length)).toBe(0);
  await page.screenshot({ path: join(artifacts, 'first-screen-1280x720.png') });
});

test('down to 768 px wide the page fits without scrolling sideways, every toolbar control in view', async ({ page }) => {
  // A first visit at each width: no saved plan or view to restore, so the view is fitted to the estimated canvas.
  await page.addInitScript(() => localStorage.clear());
  const zooms = new Set();
  for (const width of [1024, 1023, 1000, 800, 768]) {
    await page.setViewportSize({ width, height: 600 });
    await openApp(page);
    const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    expect(scroll, `${width} px`).toBeLessThanOrEqual(client);
    for (const id of ['review-badge', 'undo', 'redo', 'zoom-out', 'zoom-in', 'zoom-fit', 'arrange', 'open-plans', 'open-export']) {
      const box = await page.getByTestId(id).boundingBox();
      expect(box, `${id} at ${width} px`).not.toBeNull();
      expect(box.x + box.width, `${id} at ${width} px`).toBeLessThanOrEqual(width);
    }
    await expect(page.getByTestId('node-az-vpngw')).toBeInViewport();
    expect(await page.evaluate(() => performance.getEntriesByName('vpn-designer:refit').length), `${width} px`).toBe(0);
    zooms.add(await zoomOf(page));
  }
  expect(zooms.size, 'each width was fitted on opening').toBeGreaterThan(2);
  // Long counts are cut short rather than pushing the toolbar off the page.
  await page.getByTestId('node-aws-cgw-1').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('field-bgp_asn').fill('65010');
  await page.getByTestId('field-bgp_asn').press('Enter');
  await expect(page.getByTestId('review-badge')).toContainText('error');
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll).toBeLessThanOrEqual(client);
  await page.screenshot({ path: join(artifacts, 'first-screen-768.png') });
});

test('selecting an object shows all its properties, and keys stay masked', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('node-az-vpngw').click();
  const panel = page.getByTestId('properties-panel');
  await expect(page.getByTestId('selected-kind')).toHaveText('Azure VPN gateway');
  await expect(page.getByTestId('selected-name')).toHaveText('vpngw-app');
  await expect(page.getByTestId('node-az-vpngw')).toHaveClass(/selected/);
  for (const [key, value] of [['sku', 'VpnGw2AZ'], ['generation', 'Generation2'], ['vpn_type', 'RouteBased'], ['asn', '65515'],
    ['ip_configurations[1].apipa_addresses', '169.254.21.6, 169.254.22.6']]) {
    await expect(page.getByTestId(`field-${key}`), key).toHaveValue(value);
  }
  await page.screenshot({ path: join(artifacts, 'gateway-selected.png') });

  // A tunnel selects its AWS VPN connection, whose tunnel options are all listed.
  await page.getByTestId('edge-aws-vpn-2-tunnel2').click();
  await expect(page.getByTestId('selected-id')).toHaveText('aws-vpn-2');
  // Labelled in words, each with its plan path as the label's title.
  for (const text of ['Tunnel 2 · Inside CIDR', 'Tunnel 1 · Phase 1 DH groups', 'Tunnel 1 · Startup action', 'Tunnel 1 · Pre-shared key']) {
    await expect(panel).toContainText(text);
  }
  await expect(page.getByTestId('field-tunnels[1].inside_cidr')).toHaveValue('169.254.22.4/30');
  await expect(panel.locator('label[title="tunnels[1].inside_cidr"]')).toHaveText('Tunnel 2 · Inside CIDR');
  // Fields that name another object pick from the objects they may name.
  const cgw = page.getByTestId('field-customer_gateway');
  await expect(cgw).toHaveValue('aws-cgw-2');
  await expect(cgw.locator('option')).toHaveText(['aws-cgw-1', 'aws-cgw-2']);
  // Escape, then a click on empty canvas, return to the design summary.
  await page.getByTestId('canvas').press('Escape');
  await expect(page.getByTestId('design-summary')).toBeVisible();
  await page.getByTestId('node-aws-sg-app').click();
  await expect(page.getByTestId('selected-name')).toHaveText('app-sg');
  const box = await page.getByTestId('canvas').boundingBox();
  await page.mouse.click(box.x + 8, box.y + box.height - 8);
  await expect(page.getByTestId('design-summary')).toBeVisible();
});

test('keyboard users can reach and select objects', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('node-aws-vgw').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('selected-name')).toHaveText('vgw-app');
  await page.keyboard.press('Tab');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('selected-name')).not.toHaveText('vgw-app');
});

test('zoom buttons, wheel zoom about the cursor, pan and fit', async ({ page }) => {
  await openApp(page);
  const fitted = await zoomOf(page);
  expect(fitted).toBeGreaterThan(0.1);

  await page.getByTestId('zoom-in').click();
  expect(await zoomOf(page)).toBeCloseTo(fitted * 1.25, 3);
  await page.getByTestId('zoom-out').click();
  expect(await zoomOf(page)).toBeCloseTo(fitted, 3);

  // Wheel zoom keeps the object under the cursor where it is.
  const node = page.getByTestId('node-az-vpngw');
  const before = await node.boundingBox();
  const cx = before.x + before.width / 2;
  const cy = before.y + before.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.wheel(0, -300);
  await expect.poll(() => zoomOf(page)).toBeGreaterThan(fitted * 1.3);
  const after = await node.boundingBox();
  expect(after.width).toBeGreaterThan(before.width * 1.3);
  expect(Math.abs(after.x + after.width / 2 - cx)).toBeLessThan(3);
  expect(Math.abs(after.y + after.height / 2 - cy)).toBeLessThan(3);
  // The wheel zoomed the canvas, not the page.
  expect(await page.evaluate(() => window.scrollY)).toBe(0);

  // Dragging the background pans by exactly the drag.
  const canvas = await page.getByTestId('canvas').boundingBox();
  const start = await node.boundingBox();
  await page.mouse.move(canvas.x + 10, canvas.y + canvas.height - 10);
  await page.mouse.down();
  await page.mouse.move(canvas.x + 110, canvas.y + canvas.height - 60, { steps: 8 });
  await page.mouse.up();
  const panned = await node.boundingBox();
  expect(panned.x - start.x).toBeCloseTo(100, 0);
  expect(panned.y - start.y).toBeCloseTo(-50, 0);

  // Fit brings the whole design back into view.
  await page.getByTestId('zoom-fit').click();
  expect(await zoomOf(page)).toBeCloseTo(fitted, 3);
  for (const id of ['node-cloud-azure', 'node-cloud-aws']) {
    const b = await page.getByTestId(id).boundingBox();
    expect(b.x).toBeGreaterThanOrEqual(canvas.x - 1);
    expect(b.x + b.width).toBeLessThanOrEqual(canvas.x + canvas.width + 1);
  }
});

test('the reference design reviews clean; without its closing NSG deny, SEC-008 badges the NSG and its subnet', async ({ page }) => {
  await openApp(page);
  const counts = page.getByTestId('review-counts');
  await expect(counts).toHaveText('0 errors · 0 warnings · 0 info');
  await expect(page.getByTestId('review-clean')).toHaveText('Nothing to report: every check passes.');
  const findings = page.getByTestId('review-panel').locator('li.finding');
  await expect(findings).toHaveCount(0);

  // The NSG's last inbound rule denies the rest of the AWS VPC; removing it lets Azure's AllowVNetInBound admit
  // everything the VPC sends, which the review reports.
  await page.getByTestId('node-az-nsg-app').click();
  await page.getByTestId('remove-rule-az-nsg-app-in-deny-aws').click();
  // The toolbar's counts follow at once; the side panel shows the NSG until the selection is cleared.
  await expect(page.getByTestId('review-badge')).toHaveText('0 errors · 0 warnings · 1 info');
  await page.getByTestId('clear-selection').click();
  await expect(counts).toHaveText('0 errors · 0 warnings · 1 info');
  await expect(page.getByTestId('review-clean')).toHaveCount(0);
  const finding = findings.first();
  await expect(finding).toHaveAttribute('data-code', 'SEC-008');
  await expect(finding).toContainText('AllowVNetInBound');
  // Its objects carry a badge on the canvas, and selecting one lists the finding under its properties.
  const subjects = (await finding.locator('.finding-meta button').textContent()).split(', ');
  expect(subjects).toEqual(['az-nsg-app', 'az-snet-app']);
  for (const id of subjects) {
    await expect(page.getByTestId(`badge-${id}`)).toBeVisible();
  }
  await finding.locator('.finding-meta button').click();
  await expect(page.getByTestId('selected-id')).toHaveText(subjects[0]);
  await expect(page.getByTestId('object-findings')).toContainText('SEC-008');
  await page.getByTestId('clear-selection').click();
  await page.screenshot({ path: join(artifacts, 'review-panel.png') });
});
