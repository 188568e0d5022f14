// (f) The n8n editor in a real browser (Debian's chromium driven by playwright-core): log in,
// search the node panel for each of our nodes, add Kafka Producer (Suite) to a canvas and open
// its credential dialog. Screenshots go to test/artifacts/editor-*.png. Fails when a node is
// missing from the panel or its panel shows an error.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ensureCommand } from '../setup/tools';
import { ARTIFACTS, n8n, NODE_TYPES, state } from './n8n';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

describe('n8n editor in chromium', () => {
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  let displayNames: Record<string, string>;
  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `editor-${name}.png`), fullPage: true });

  beforeAll(async () => {
    const executablePath = ensureCommand('chromium', 'chromium');
    mkdirSync(ARTIFACTS, { recursive: true });
    userDataDir = mkdtempSync(path.join(tmpdir(), 'kafka-suite-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: ARGS,
      viewport: { width: 1600, height: 1000 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30000);
    const types: Array<{ name: string; displayName: string }> = await n8n().rest('GET', '/types/nodes.json');
    displayNames = Object.fromEntries(
      Object.values(NODE_TYPES).map((t) => [t, types.find((d) => d.name === t)?.displayName ?? '']),
    );
  });

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  test('logs in to the editor', async () => {
    const { baseUrl, owner } = state();
    await page.goto(`${baseUrl}/signin`);
    await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(owner.email);
    await page.locator('input[type="password"]').first().fill(owner.password);
    await page.locator('[data-test-id="form-submit-button"], button[type="submit"]').first().click();
    await page.waitForURL((u) => !u.pathname.includes('signin'), { timeout: 30000 });
    await shot('01-after-login');
  });

  test('every node of the package is installed (in /types/nodes.json)', () => {
    const missing = Object.entries(displayNames).filter(([, name]) => !name).map(([t]) => t);
    expect(missing).toEqual([]);
  });

  test('the node panel finds each of our nodes', async () => {
    const { baseUrl } = state();
    await page.goto(`${baseUrl}/workflow/new`);
    await page.locator('[data-test-id="canvas-add-button"], [data-test-id="canvas-plus-button"]').first().waitFor();
    await shot('02-new-workflow');
    const notFound: string[] = [];
    for (const [type, displayName] of Object.entries(displayNames)) {
      if (!displayName) {
        notFound.push(`${type} (not installed)`);
        continue;
      }
      await openNodeCreator(page);
      const search = page.locator('[data-test-id="node-creator-search-bar"] input, [data-test-id="node-creator-search-bar"]').first();
      await search.fill(displayName);
      const item = page.locator('[data-test-id="node-creator-item-name"]', { hasText: displayName }).first();
      try {
        await item.waitFor({ timeout: 10000 });
      } catch {
        notFound.push(`${type} ("${displayName}")`);
      }
      await shot(`03-search-${type.split('.')[1]}`);
      await page.keyboard.press('Escape');
    }
    expect(notFound).toEqual([]);
  });

  test('adds Kafka Producer (Suite) to the canvas and opens its credential dialog', async () => {
    const displayName = displayNames[NODE_TYPES.producer];
    expect(displayName).toBeTruthy();
    // A trigger first (the producer is not a trigger), then the producer after it.
    await openNodeCreator(page);
    const search = page.locator('[data-test-id="node-creator-search-bar"] input, [data-test-id="node-creator-search-bar"]').first();
    await search.fill('Manual Trigger');
    await page.keyboard.press('Enter');
    await page.locator('[data-test-id="canvas-node"]').first().waitFor();
    await page.keyboard.press('Escape'); // close the trigger's panel if it opened
    await openNodeCreator(page);
    await search.fill(displayName);
    await page.locator('[data-test-id="node-creator-item-name"]', { hasText: displayName }).first().click();
    // n8n 2.41 shows a community node's details ("Installed", "Via npm") with an "Add to workflow" button.
    await page.getByRole('button', { name: 'Add to workflow' }).click();
    const ndv = page.locator('[data-test-id="ndv"]');
    try {
      await ndv.waitFor({ timeout: 15000 });
    } finally {
      await shot('04-producer-panel');
    }
    const panelText = await ndv.innerText();
    expect(panelText).not.toMatch(/There was a problem|could not be loaded|Install this node|node is not currently installed|not installed/i);
    expect(panelText).toContain('Topic');

    // Without credentials of the type, 2.41 shows a "Connect to <credential>" button; with some, a select.
    const connect = ndv.getByText(/Connect to Kafka Cluster/).first();
    const select = ndv.locator('[data-test-id="node-credentials-select"]').first();
    await connect.or(select).first().waitFor();
    if (await connect.isVisible()) {
      await connect.click();
    } else {
      await select.click();
      await page.locator('[data-test-id="node-credentials-select-item-new"]').first().click();
    }
    const modal = page.locator('[data-test-id="editCredential-modal"]');
    await modal.waitFor({ timeout: 15000 });
    await shot('05-credential-dialog');
    const modalText = await modal.innerText();
    expect(modalText).toMatch(/Kafka Cluster \(Kafka Suite\)|Brokers/);
    expect(modalText).not.toMatch(/There was a problem|could not be loaded/i);
  });
});

async function openNodeCreator(page: Page): Promise<void> {
  const opener = page.locator('[data-test-id="node-creator-plus-button"], [data-test-id="canvas-add-button"], [data-test-id="canvas-plus-button"]').first();
  await opener.click();
  await page.locator('[data-test-id="node-creator"]').first().waitFor();
}
