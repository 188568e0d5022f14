// (f) The n8n editor in a real browser (Debian's chromium driven by playwright-core): log in,
// search the node panel for each of our nodes, add Kafka Producer (Suite) to a canvas and open
// its credential dialog; then build a workflow by hand: Kafka Suite Trigger with its topic picked
// from the live "From List" dropdown, "Execute step" (listen for a test event) while the test
// produces a message, the item in the output panel; Kafka Producer (Suite) after it, its topic
// picked the same way, executed, and the message read back from the broker. Screenshots go to
// test/artifacts/editor-*.png. Fails when a node is missing from the panel, its panel shows an
// error, a topic is missing from the list, or an item does not arrive.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ensureCommand } from '../setup/tools';
import { consume, createTopics, kafka, produce, uniqueName } from './kafka';
import { ARTIFACTS, clusterCredential, n8n, NODE_TYPES, state, waitFor } from './n8n';

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
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'hidden' });
  });

  // Issue 15 item 6: the way a person builds a Kafka workflow in the editor. Two fresh topics;
  // both topic fields are filled by picking from the "From List" dropdown, which n8n fills from
  // the live cluster through the node's list search (the topics exist only on the broker).
  describe('a Kafka workflow built by hand', () => {
    const marker = `browser-${randomUUID().slice(0, 8)}`;
    const inTopic = uniqueName('browser-in');
    const outTopic = uniqueName('browser-out');
    const group = uniqueName('browser-group');
    let credential: { id: string; name: string };

    beforeAll(async () => {
      await createTopics([inTopic, outTopic]);
      credential = await clusterCredential();
    });

    afterAll(async () => {
      const id = page ? /\/workflow\/([^/?#]+)/.exec(new URL(page.url()).pathname)?.[1] : undefined;
      if (id && id !== 'new') await n8n().deleteWorkflow(id).catch(() => undefined);
      await deleteTopics([inTopic, outTopic]).catch(() => undefined);
    });

    test('adds Kafka Suite Trigger, selects the credential, picks the topic from the live list', async () => {
      const { baseUrl } = state();
      await page.goto(`${baseUrl}/workflow/new`);
      await page.locator('[data-test-id="canvas-add-button"]').first().waitFor();
      await addNodeFromCreator(page, displayNames[NODE_TYPES.trigger]);
      await page.locator('[data-test-id="ndv"]').waitFor();
      await shot('10-trigger-panel');
      await selectCredential(page, credential.name);
      await pickFromList(page, 'topics', inTopic);
      await shot('11-trigger-topic-from-list');
      await typeByName(page, 'groupId', group);
      await chooseOption(page, 'startFrom', 'Earliest (Whole Backlog)');
      await shot('12-trigger-configured');
    });

    test('listens for a test event; a message produced meanwhile shows as the item in the output panel', async () => {
      const ndv = page.locator('[data-test-id="ndv"]');
      const output = page.locator('[data-test-id="output-panel"]');
      expect(await output.innerText()).not.toContain(marker);
      await ndv.locator('[data-test-id="node-execute-button"]').first().click();
      await page.getByRole('button', { name: 'Stop Listening' }).first().waitFor();
      // The listen is live when its throwaway group (<group>.n8n-test.<id>) has joined the cluster.
      await waitFor(async () => (await listGroups()).some((g) => g.startsWith(`${group}.n8n-test.`)), {
        timeout: 60000,
        interval: 250,
        what: `the test-event consumer group of ${group}`,
      });
      await shot('13-trigger-listening');
      await produce(inTopic, [{ key: 'k1', value: JSON.stringify({ marker, from: 'kafkajs' }) }]);
      try {
        await output.getByText(marker).first().waitFor({ timeout: 60000 });
      } finally {
        await shot('14-trigger-output');
      }
      const text = await output.innerText();
      expect(text).toContain(inTopic);
      expect(text).toMatch(/1 item/);
      // The test group is gone once the listen ended (the trigger deletes it).
      await waitFor(async () => !(await listGroups()).some((g) => g.startsWith(`${group}.n8n-test.`)), {
        timeout: 60000,
        interval: 250,
        what: `the test-event group of ${group} to be deleted`,
      });
    });

    test('adds Kafka Producer (Suite) after it, picks the topic from the list, executes it; the broker has the message', async () => {
      await page.locator('[data-test-id="ndv-close-button"]').first().click();
      await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden' });
      await shot('15-canvas-with-trigger');
      // The trigger is the selected node, so the node creator connects the new node after it.
      await addNodeFromCreator(page, displayNames[NODE_TYPES.producer]);
      const ndv = page.locator('[data-test-id="ndv"]');
      await ndv.waitFor();
      await selectCredential(page, credential.name);
      await pickFromList(page, 'topic', outTopic);
      // Its input is the trigger's item.
      await page.locator('[data-test-id="ndv-input-panel"]').getByText(marker).first().waitFor();
      await shot('16-producer-configured');
      await ndv.locator('[data-test-id="node-execute-button"]').first().click();
      const output = page.locator('[data-test-id="output-panel"]');
      try {
        await output.getByText(outTopic).first().waitFor({ timeout: 60000 });
      } finally {
        await shot('17-producer-output');
      }
      const [message, extra] = await consume(outTopic, 1, { timeout: 30000 });
      expect(extra).toBeUndefined();
      const sent = JSON.parse(message.value ?? '{}');
      expect(sent).toMatchObject({ topic: inTopic, value: { marker, from: 'kafkajs' } });
    });
  });
});

async function openNodeCreator(page: Page): Promise<void> {
  const opener = page.locator('[data-test-id="node-creator-plus-button"], [data-test-id="canvas-add-button"], [data-test-id="canvas-plus-button"]').first();
  await opener.click();
  await page.locator('[data-test-id="node-creator"]').first().waitFor();
}

/** Searches the node creator for a node and adds it (through the community node's details view if shown). */
async function addNodeFromCreator(page: Page, displayName: string): Promise<void> {
  await openNodeCreator(page);
  const search = page.locator('[data-test-id="node-creator-search-bar"] input, [data-test-id="node-creator-search-bar"]').first();
  await search.fill(displayName);
  await page.locator('[data-test-id="node-creator-item-name"]', { hasText: displayName }).first().click();
  const add = page.getByRole('button', { name: 'Add to workflow' });
  const ndv = page.locator('[data-test-id="ndv"]');
  await add.or(ndv).first().waitFor();
  if (await add.isVisible()) await add.click();
}

/** Makes the named credential the node's credential (n8n may have preselected another one of the type). */
async function selectCredential(page: Page, name: string): Promise<void> {
  const input = page.locator('[data-test-id="ndv"] [data-test-id="node-credentials-select"] input').first();
  await input.waitFor();
  if ((await input.inputValue()) !== name) {
    await page.locator('[data-test-id="ndv"] [data-test-id="node-credentials-select"]').first().click();
    await page.getByRole('option', { name, exact: true }).first().click();
  }
  await waitFor(async () => (await input.inputValue()) === name, { timeout: 10000, interval: 100, what: `credential "${name}" selected` });
}

/** Opens a resource locator's "From List" dropdown, searches it and clicks the item: it must come from the live list. */
async function pickFromList(page: Page, parameter: string, value: string): Promise<void> {
  const input = page.locator(`[data-test-id="parameter-input-${parameter}"] [data-test-id="rlc-input"]`).first();
  await input.click();
  const search = page.locator('[data-test-id="rlc-search"]:visible').first();
  await search.fill(value);
  await page.locator('[data-test-id="rlc-item"]:visible', { hasText: value }).first().click();
  await search.waitFor({ state: 'hidden' });
  await waitFor(async () => (await input.inputValue()) === value, { timeout: 10000, interval: 100, what: `${parameter} = ${value}` });
}

/** Switches a resource locator to "By Name" and types a value. */
async function typeByName(page: Page, parameter: string, value: string): Promise<void> {
  const field = page.locator(`[data-test-id="parameter-input-${parameter}"]`).first();
  await field.locator('[data-test-id="rlc-mode-selector"]').first().click();
  await page.getByRole('option', { name: 'By Name' }).first().click();
  await field.locator('[data-test-id="rlc-input"]').first().fill(value);
}

async function chooseOption(page: Page, parameter: string, option: string): Promise<void> {
  await page.locator(`[data-test-id="parameter-input-${parameter}"]`).first().click();
  await page.getByRole('option', { name: option }).first().click();
}

async function withAdmin<T>(fn: (admin: ReturnType<ReturnType<typeof kafka>['admin']>) => Promise<T>): Promise<T> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}
const listGroups = async (): Promise<string[]> => withAdmin(async (admin) => (await admin.listGroups()).groups.map((g) => g.groupId));
const deleteTopics = async (topics: string[]): Promise<void> => withAdmin((admin) => admin.deleteTopics({ topics }));
