import * as http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ICredentialTestFunctions, ICredentialsDecrypted } from 'n8n-workflow';
import { clientPool, credentialTests } from '../../../nodes/shared';
import { facts } from '../../setup/facts';
import { json, runNode, testKafka, unique, waitFor } from './harness';

const tk = testKafka();
const dir = mkdtempSync(join(tmpdir(), 'admin-connect-'));
const created: string[] = [];

/** The worker's REST API, read directly (agent:false: no keep-alive socket outlives the test). */
function rest(method: string, path: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${facts.connectUrl}${path}`, { method, agent: false, timeout: 15_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}

const state = async (name: string) => (await rest('GET', `/connectors/${name}/status`)).body;
const waitState = (name: string, wanted: string) =>
  waitFor(
    async () => {
      const s = await state(name);
      return s?.connector?.state === wanted && s.tasks.length > 0 && s.tasks.every((t: any) => t.state === wanted);
    },
    { timeoutMs: 60_000, what: `connector ${name} and its tasks to be ${wanted}` },
  );

afterAll(async () => {
  for (const name of created) await rest('DELETE', `/connectors/${name}`).catch(() => undefined);
  await clientPool.closeAll();
  await tk.closeAll();
  rmSync(dir, { recursive: true, force: true });
});

const connectorOps = (operation: string, extra: Record<string, unknown>) => runNode({ resource: 'connector', operation, ...extra });

describe('Kafka Admin node: Kafka Connect', () => {
  test('credential test reaches the worker; a wrong URL fails with a message', async () => {
    const test = credentialTests.kafkaSuiteConnectConnectionTest;
    const ok = await test.call({} as ICredentialTestFunctions, { data: { url: facts.connectUrl } } as unknown as ICredentialsDecrypted);
    expect(ok.status).toBe('OK');
    // The version the worker itself reports (4.x runs Connect from a release with connect-file).
    const { version } = (await rest('GET', '/')).body as { version: string };
    expect(ok.message).toContain(`Kafka Connect ${version} `);
    const bad = await test.call({} as ICredentialTestFunctions, { data: { url: 'http://127.0.0.1:1' } } as unknown as ICredentialsDecrypted);
    expect(bad).toMatchObject({ status: 'Error', message: expect.stringMatching(/ECONNREFUSED|connect/i) });
    const notUrl = await test.call({} as ICredentialTestFunctions, { data: { url: 'connect:8083' } } as unknown as ICredentialsDecrypted);
    expect(notUrl.status).toBe('Error');
  });

  test('create, list with status, update, pause, resume, restart with tasks, delete', async () => {
    const topic = unique('adm-connect');
    await tk.createTopic(topic, 1);
    const name = unique('adm-sink');
    created.push(name);
    const file = join(dir, `${name}.txt`);
    const config = { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', 'tasks.max': 1, topics: topic, file };

    const first = json(await connectorOps('createOrUpdate', { connector: name, config: JSON.stringify(config), validate: true }))[0];
    expect(first).toMatchObject({ name, created: true, updated: false, config: { ...config, 'tasks.max': '1', name } });
    await waitState(name, 'RUNNING');

    const listed = json(await connectorOps('list', { nameFilter: name }));
    expect(listed).toEqual([
      expect.objectContaining({ name, type: 'sink', state: 'RUNNING', failedTasks: 0, config: expect.objectContaining({ topics: topic, file }) }),
    ]);
    expect(listed[0].tasks).toEqual([expect.objectContaining({ id: 0, state: 'RUNNING' })]);

    const second = json(await connectorOps('createOrUpdate', { connector: name, config: { ...config, 'tasks.max': '2' }, validate: true }))[0];
    expect(second).toMatchObject({ created: false, updated: true });
    // A distributed worker applies a config change through its config topic, and answers 409 or the
    // old config while it rebalances: read it back until the update shows.
    await waitFor(async () => (await rest('GET', `/connectors/${name}/config`)).body?.['tasks.max'] === '2', {
      timeoutMs: 30_000,
      what: `${name} to read back tasks.max=2`,
    });

    await connectorOps('pause', { connector: name });
    await waitState(name, 'PAUSED');
    await connectorOps('resume', { connector: name });
    await waitState(name, 'RUNNING');

    // The second task starts some time after the reconfiguration; compare against both.
    await waitFor(async () => (await state(name))?.tasks?.filter((t: any) => t.state === 'RUNNING').length === 2, {
      timeoutMs: 30_000,
      what: `${name} to run its 2 tasks`,
    });
    const tasksBefore = (await state(name)).tasks.map((t: any) => t.id);
    const restarted = json(await connectorOps('restart', { connector: name, includeTasks: true, onlyFailed: false }))[0];
    expect(restarted).toMatchObject({ name, requested: 'restart', includeTasks: true });
    // KIP-745: with includeTasks the worker answers 202 with the connector and every task scheduled for restart.
    expect(restarted.status.connector.state).toMatch(/RESTARTING|RUNNING/);
    expect(restarted.status.tasks.map((t: any) => t.id).sort()).toEqual(tasksBefore.sort());
    await waitState(name, 'RUNNING');

    await expect(connectorOps('delete', { connector: name })).rejects.toThrow(`Type the connector name "${name}"`);
    expect((await rest('GET', `/connectors/${name}`)).status).toBe(200);
    const deleted = json(await connectorOps('delete', { connector: name, confirmation: name }))[0];
    expect(deleted).toMatchObject({ name, deleted: true, config: expect.objectContaining({ topics: topic }) });
    await waitFor(async () => (await rest('GET', `/connectors/${name}`)).status === 404, { what: `connector ${name} to disappear` });
  });

  test('bad input is a clear error and creates or changes nothing', async () => {
    const name = unique('adm-bad');
    created.push(name);
    await expect(
      connectorOps('createOrUpdate', { connector: name, config: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', 'tasks.max': 'many', topics: 'x' }, validate: true }),
    ).rejects.toThrow(/Kafka Connect rejected the config: tasks\.max/);
    await expect(connectorOps('createOrUpdate', { connector: name, config: { 'connector.class': 'com.example.NoSuchConnector' }, validate: true })).rejects.toThrow(
      /NoSuchConnector/,
    );
    await expect(connectorOps('createOrUpdate', { connector: name, config: '{"connector.class": ', validate: true })).rejects.toThrow('not valid JSON');
    expect((await rest('GET', `/connectors/${name}`)).status).toBe(404);

    for (const operation of ['pause', 'resume', 'restart']) {
      await expect(connectorOps(operation, { connector: name, includeTasks: true, onlyFailed: false })).rejects.toThrow(`Connector "${name}" does not exist`);
    }
    await expect(connectorOps('delete', { connector: name, confirmation: name })).rejects.toThrow(`Connector "${name}" does not exist`);
  });
});
