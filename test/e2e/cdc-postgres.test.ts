// (f) Change data capture end to end, with real parts only: PostgreSQL from Debian's packages (a
// throwaway cluster, wal_level=logical), Debezium's PostgreSQL connector from Maven Central on a
// Kafka Connect worker this file starts (infra/local/connect-worker.cjs), and the shipped workflows
// inside the suite's n8n:
//   - postgres-cdc-connector.json creates the connector from the catalog (Admin node, Create From
//     Template): the worker validates the config, connecting to the database, before anything is
//     created; the password reaches the worker as a config-provider reference, never through n8n.
//   - postgres-cdc.json: Kafka Suite Trigger on pg.public.orders -> POST to a webhook (a loopback
//     server here). A row inserted, updated or deleted in Postgres becomes one request.
// The connector catalog is also checked against this worker (Debezium PostgreSQL 3.0.8 and JDBC sink
// 3.0.7, MirrorMaker 2, FileStream): every template whose plugin it has is accepted by the worker's
// validation with the fields a user fills in; the S3 sink (not on Maven Central) is refused by the
// node with where to get the plugin.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { ARTIFACTS, brokers, chain, clusterCredential, manualTrigger, n8n, NODE_TYPES, nodeOutput, ROOT, runWorkflow, waitFor } from './n8n';
import { kafka } from './kafka';
import { startPostgres, type Postgres } from './postgres';
import { CONNECTOR_CATALOG, catalogParameterName } from '../../nodes/shared/connect/catalog';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startConnectWorker } = require('../../infra/local/connect-worker.cjs');

const RUN = randomUUID().slice(0, 8);
const shipped = (file: string): any => JSON.parse(readFileSync(path.join(ROOT, 'workflows', file), 'utf8'));

interface Worker {
  url: string;
  dir: string;
  logFile: string;
  internalTopics: string[];
  stop(): Promise<void>;
}

describe('Postgres CDC: a row changed in PostgreSQL comes out of the Kafka Suite Trigger in n8n', () => {
  let pg: Postgres;
  let worker: Worker;
  let admin: Admin;
  let connectCredential: { id: string; name: string };
  let secretsFile: string;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    let t = Date.now();
    const [startedPg, startedWorker] = await Promise.all([
      startPostgres({ database: 'shop' }),
      startConnectWorker({
        bootstrap: brokers(),
        plugins: ['debezium-postgres', 'debezium-jdbc', 'mirror'],
        expectClasses: ['io.debezium.connector.postgresql.PostgresConnector', 'io.debezium.connector.jdbc.JdbcSinkConnector', 'org.apache.kafka.connect.mirror.MirrorSourceConnector'],
        startTimeoutMs: 170000,
      }),
    ]);
    pg = startedPg;
    worker = startedWorker;
    timings.setup = Date.now() - t;
    // What an operator does once per worker: the password in a file only the worker reads.
    secretsFile = path.join(worker.dir, 'postgres.properties');
    writeFileSync(secretsFile, `password=${pg.password}\n`, { mode: 0o600 });
    pg.sql('create table orders (id serial primary key, customer text not null, amount numeric(10,2) not null, created_at timestamptz not null default now())');
    // Present before the connector exists: arrives through Debezium's initial snapshot.
    pg.sql(`insert into orders (customer, amount) values ('snapshot-${RUN}', 1.50)`);
    connectCredential = await n8n().createCredential({ name: `e2e connect ${RUN}`, type: 'kafkaSuiteConnectApi', data: { url: worker.url } });
    admin = kafka().admin();
    await admin.connect();
    // The shipped names live on a broker that outlives the run: start from a clean topic and group.
    t = Date.now();
    await admin.deleteGroups(['n8n-orders-cdc']).catch(() => undefined);
    // (kafkajs retries a delete of a missing topic for ~10 s: only delete what exists.)
    if ((await admin.listTopics()).includes('pg.public.orders')) await admin.deleteTopics({ topics: ['pg.public.orders'] });
    timings.cleanup = Date.now() - t;
  });

  afterAll(async () => {
    try {
      if (worker) copyFileSync(worker.logFile, path.join(ARTIFACTS, 'connect-cdc.log'));
    } catch {
      /* the worker never wrote a log */
    }
    await worker?.stop();
    if (admin) {
      await admin.deleteTopics({ topics: [...(worker?.internalTopics ?? []), 'pg.public.orders'] }).catch(() => undefined);
      await admin.disconnect();
    }
    await pg?.stop();
    console.log(`[cdc] ${JSON.stringify(timings)}`);
  });

  /** Runs the Admin node on this worker once; returns its single output item. */
  async function adminRun(parameters: Record<string, unknown>): Promise<any[]> {
    const wf = chain(`cdc catalog ${RUN} ${parameters.operation} ${String(parameters.template ?? '')}`, [
      manualTrigger,
      { name: 'Admin', type: NODE_TYPES.admin, parameters: { resource: 'connector', ...parameters }, credentials: { kafkaSuiteConnectApi: connectCredential } },
    ]);
    const created = await n8n().createWorkflow(wf);
    try {
      const execution = await n8n().runManual(created.id, { timeout: 120000 });
      return nodeOutput(execution, 'Admin');
    } finally {
      await n8n().deleteWorkflow(created.id);
    }
  }

  test('catalog: the worker can run Debezium PostgreSQL and JDBC, MirrorMaker 2 and FileStream, and validates each template as filled in by a user', async () => {
    const listed = await adminRun({ operation: 'listTemplates', checkWorker: true });
    const installed = Object.fromEntries(listed.map((t) => [t.template, t.installed]));
    expect(installed).toEqual({
      debeziumPostgres: true,
      jdbcSink: true,
      s3Sink: false,
      mirrorSource: true,
      mirrorCheckpoint: true,
      mirrorHeartbeat: true,
      fileSource: true,
      fileSink: true,
    });
    expect(listed.find((t) => t.template === 'debeziumPostgres').pluginVersion).toBe('3.0.8.Final');

    const mirror = { source_cluster_alias: 'primary', source_cluster_bootstrap_servers: brokers(), target_cluster_alias: 'backup', target_cluster_bootstrap_servers: brokers() };
    const filled: Record<string, Record<string, string>> = {
      debeziumPostgres: {
        database_hostname: pg.host,
        database_port: String(pg.port),
        database_user: pg.user,
        database_password: `\${file:${secretsFile}:password}`,
        database_dbname: pg.database,
        topic_prefix: `validate${RUN}`,
        table_include_list: 'public.orders',
      },
      jdbcSink: {
        topics: `e2e-jdbc-${RUN}`,
        connection_url: `jdbc:postgresql://${pg.host}:${pg.port}/${pg.database}`,
        connection_username: pg.user,
        connection_password: `\${file:${secretsFile}:password}`,
        primary_key_fields: 'id',
      },
      mirrorSource: { ...mirror, replication_factor: '1' },
      mirrorCheckpoint: mirror,
      mirrorHeartbeat: mirror,
      fileSource: { file: path.join(worker.dir, 'in.txt'), topic: `e2e-file-${RUN}` },
      fileSink: { topics: `e2e-file-${RUN}`, file: path.join(worker.dir, 'out.txt') },
    };
    for (const [template, values] of Object.entries(filled)) {
      const entry = CONNECTOR_CATALOG.find((e) => e.id === template)!;
      const params = Object.fromEntries(Object.entries(values).map(([k, v]) => [`${template}_${k}`, v]));
      for (const p of Object.keys(params)) expect(entry.fields.map((f) => catalogParameterName(entry, f))).toContain(p);
      const [out] = await adminRun({ operation: 'createFromTemplate', template, connectorName: `validate-${template}-${RUN}`, validateOnly: true, ...params });
      expect({ template, valid: out.valid, errors: out.validation.errors }).toEqual({ template, valid: true, errors: [] });
      expect(out.created).toBe(false);
    }

    // The worker's validation is real: Debezium connects to the database, so a wrong password fails.
    const wrong = path.join(worker.dir, 'wrong.properties');
    writeFileSync(wrong, 'password=not-the-password\n');
    const [bad] = await adminRun({
      operation: 'createFromTemplate',
      template: 'debeziumPostgres',
      connectorName: `validate-bad-${RUN}`,
      validateOnly: true,
      ...Object.fromEntries(Object.entries({ ...filled.debeziumPostgres, database_password: `\${file:${wrong}:password}` }).map(([k, v]) => [`debeziumPostgres_${k}`, v])),
    });
    expect(bad.valid).toBe(false);
    expect(JSON.stringify(bad.validation.errors)).toMatch(/password authentication failed/i);

    // A template whose plugin the worker lacks is refused before anything is sent to be created
    // (continue on fail: the refusal is an item, and n8n logs no failed execution).
    const wf = chain(`cdc catalog ${RUN} s3`, [
      manualTrigger,
      {
        name: 'Admin',
        type: NODE_TYPES.admin,
        parameters: { resource: 'connector', operation: 'createFromTemplate', template: 's3Sink', connectorName: `s3-${RUN}`, s3Sink_topics: 'orders', s3Sink_s3_bucket_name: 'archive' },
        credentials: { kafkaSuiteConnectApi: connectCredential },
      },
    ]);
    wf.nodes[1].onError = 'continueRegularOutput';
    const created = await n8n().createWorkflow(wf);
    try {
      const [refused] = nodeOutput(await n8n().runManual(created.id), 'Admin');
      expect(refused.error).toBe(
        `The Connect worker at ${worker.url} has no io.confluent.connect.s3.S3SinkConnector plugin: install it on every worker (${CONNECTOR_CATALOG.find((e) => e.id === 's3Sink')!.plugin}) and restart them`,
      );
    } finally {
      await n8n().deleteWorkflow(created.id);
    }
    const names = await (await fetch(`${worker.url}/connectors`)).json();
    expect(names).toEqual([]);
  });

  test('postgres-cdc: the shipped connector workflow creates Debezium; inserts, updates and deletes reach the webhook through the trigger', async () => {
    // 1. The connector, from the shipped companion workflow. The changes a user makes after
    //    importing it: the Connect credential, where the database is, and the password field.
    const connectorWf = shipped('postgres-cdc-connector.json');
    const adminNode = connectorWf.nodes.find((n: any) => n.type === NODE_TYPES.admin);
    expect(adminNode.parameters).toMatchObject({ template: 'debeziumPostgres', debeziumPostgres_topic_prefix: 'pg', debeziumPostgres_table_include_list: 'public.orders' });
    const reference = `\${file:${secretsFile}:password}`;
    adminNode.parameters = {
      ...adminNode.parameters,
      debeziumPostgres_database_hostname: pg.host,
      debeziumPostgres_database_port: String(pg.port),
      debeziumPostgres_database_user: pg.user,
      debeziumPostgres_database_dbname: pg.database,
      debeziumPostgres_database_password: reference,
    };
    adminNode.credentials = { kafkaSuiteConnectApi: connectCredential };
    let t = Date.now();
    const execution = await runWorkflow({ ...connectorWf, name: `${connectorWf.name} (e2e ${RUN})` });
    timings.createConnector = Date.now() - t;
    const [made] = nodeOutput(execution, adminNode.name);
    expect(made).toMatchObject({ name: 'pg-shop-cdc', template: 'debeziumPostgres', created: true, valid: true });
    expect(made.config['database.password']).toBe(reference);
    // The password itself is nowhere: not in n8n's execution, not in the worker's stored config.
    expect(JSON.stringify(execution)).not.toContain(pg.password);
    const stored = await (await fetch(`${worker.url}/connectors/pg-shop-cdc`)).text();
    expect(stored).not.toContain(pg.password);
    t = Date.now();
    await waitFor(
      async () => {
        const s = await (await fetch(`${worker.url}/connectors/pg-shop-cdc/status`)).json();
        if (s.tasks?.[0]?.state === 'FAILED') throw Object.assign(new Error(`Debezium task failed: ${s.tasks[0].trace?.slice(0, 800)}`), { fatal: true });
        return s.connector?.state === 'RUNNING' && s.tasks?.[0]?.state === 'RUNNING';
      },
      { timeout: 90000, interval: 500, what: 'the Debezium connector and task RUNNING' },
    );
    timings.connectorRunning = Date.now() - t;

    // 2. The CDC workflow, published; its webhook URL points at a loopback receiver.
    const requests: Array<{ at: number; body: any }> = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests.push({ at: Date.now(), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const cdc = shipped('postgres-cdc.json');
    const trigger = cdc.nodes.find((n: any) => n.type === NODE_TYPES.trigger);
    expect(trigger.parameters).toEqual({ topics: 'pg.public.orders', groupId: 'n8n-orders-cdc', startFrom: 'earliest', deliveryMode: 'afterSuccess' });
    const cluster = await clusterCredential();
    const wfJson = {
      ...cdc,
      name: `${cdc.name} (e2e ${RUN})`,
      nodes: cdc.nodes.map((n: any) =>
        n.type === NODE_TYPES.trigger
          ? { ...n, credentials: { kafkaSuiteClusterApi: cluster } }
          : { ...n, parameters: { ...n.parameters, url: `http://127.0.0.1:${port}/hooks/orders` } },
      ),
    };
    const wf = await n8n().createWorkflow(wfJson);
    await n8n().publish(wf.id);
    const ours = () => requests.filter((r) => String(r.body.customer ?? '').endsWith(RUN) || r.body.__op === 'd');
    try {
      // The snapshot row (op "r") arrives first: the trigger reads the topic from its start.
      t = Date.now();
      await waitFor(() => ours().some((r) => r.body.__op === 'r'), { timeout: 90000, what: 'the snapshot row at the webhook' });
      timings.snapshotRowAtWebhook = Date.now() - t;

      // 3. Live changes: 3 inserts, 1 update, 1 delete, each timed from its commit to its request.
      const latencies: number[] = [];
      const change = async (sql: string, match: (b: any) => boolean, what: string) => {
        const start = Date.now();
        pg.sql(sql);
        const r = await waitFor(() => ours().find((q) => match(q.body)), { timeout: 60000, interval: 50, what });
        latencies.push(r.at - start);
        return r.body;
      };
      const inserted = [];
      for (const [i, amount] of ['12.50', '7.00', '99.99'].entries()) {
        inserted.push(
          await change(`insert into orders (customer, amount) values ('c${i}-${RUN}', ${amount})`, (b) => b.__op === 'c' && b.customer === `c${i}-${RUN}`, `insert ${i} at the webhook`),
        );
      }
      const rows = pg.rows<any>(`select id, customer, amount::text as amount from orders where customer like 'c%-${RUN}' order by id`);
      expect(inserted.map((b) => ({ id: b.id, customer: b.customer, amount: b.amount }))).toEqual(rows);
      for (const b of inserted) expect(b).toMatchObject({ __op: 'c', __table: 'orders', __deleted: 'false', created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });

      const updated = await change(`update orders set amount = 13.75 where customer = 'c0-${RUN}'`, (b) => b.__op === 'u' && b.id === rows[0].id, 'the update at the webhook');
      expect(updated).toMatchObject({ id: rows[0].id, customer: `c0-${RUN}`, amount: '13.75', __table: 'orders', __deleted: 'false' });
      const deleted = await change(`delete from orders where id = ${rows[1].id}`, (b) => b.__op === 'd' && b.id === rows[1].id, 'the delete at the webhook');
      expect(deleted).toMatchObject({ id: rows[1].id, __op: 'd', __table: 'orders', __deleted: 'true' });
      timings.latencyMsMax = Math.max(...latencies);
      timings.latencyMsMedian = [...latencies].sort((a, b) => a - b)[Math.floor(latencies.length / 2)];

      // Exactly one request per change (snapshot row + 5 changes), none twice.
      const ids = ours().map((r) => `${r.body.__op}:${r.body.id}:${r.body.__lsn}`);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ours()).toHaveLength(6);

      // n8n's side: each execution started from the trigger with the change as the item's value.
      const executions = await waitFor(
        async () => {
          const list = await n8n().executions({ workflowId: wf.id, status: 'success' });
          return list.length >= 6 ? list : undefined;
        },
        { timeout: 30000, what: '6 successful executions of the CDC workflow' },
      );
      const items = [];
      for (const e of executions) items.push(...nodeOutput(await n8n().execution(e.id), trigger.name));
      expect(items).toHaveLength(6);
      // Debezium's key is the primary key as JSON; the trigger's default key format is text.
      for (const item of items) expect(item).toMatchObject({ topic: 'pg.public.orders', key: JSON.stringify({ id: item.value.id }), value: expect.objectContaining({ __table: 'orders' }) });
      expect(items.map((i) => i.value.__op).sort()).toEqual(['c', 'c', 'c', 'd', 'r', 'u']);
      console.log(`[cdc] 1 snapshot row + 3 inserts + 1 update + 1 delete -> ${items.length} trigger items, ${ours().length} webhook requests; commit-to-request latency ms ${latencies.join(', ')}`);
    } finally {
      await n8n().unpublish(wf.id);
      await waitFor(
        async () => {
          try {
            await n8n().deleteWorkflow(wf.id);
            return true;
          } catch (err) {
            if ((err as { status?: number }).status === 409) return false;
            throw err;
          }
        },
        { timeout: 30000, what: 'CDC workflow deleted' },
      );
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fetch(`${worker.url}/connectors/pg-shop-cdc`, { method: 'DELETE' });
    }
  });
});
