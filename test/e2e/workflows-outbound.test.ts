// (e2) The shipped workflows that talk to services outside Kafka RUN inside a real n8n, published as a
// user would after importing them:
//   - kafka-to-postgres: messages on `orders` become rows of a table in a real PostgreSQL (Debian's
//     packages, a throwaway cluster this file starts and stops).
//   - kafka-to-slack: messages on `orders` become chat.postMessage calls, recorded by a stand-in for
//     slack.com (see standins.ts: n8n reaches it through HTTPS_PROXY, trusting a throwaway CA).
//   - lag-alert-slack / lag-alert-email: a consumer group that stopped while its topic keeps growing
//     opens an incident, and the alert reaches the Slack stand-in / a recording SMTP server.
// Because n8n's proxy and CA settings are process-wide, this file runs its own n8n (free port) with
// the package installed from the suite's tarball, rather than reconfiguring the suite's shared one.
//
// Changes to the shipped JSON, and why: credentials (by reference, as after an import); the lag
// triggers judge a 2-sample window and emit on the first poll that sees the change (n8n polls at
// most once a minute, so the shipped 10-sample window would take 10 minutes). Topic, group, table,
// channel, addresses and the poll schedule are the shipped ones.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { ARTIFACTS, brokers, nodeOutput, ROOT, waitFor, type N8nClient } from './n8n';
import { startOwnN8n, type OwnN8n } from './ownN8n';
import { createTopics, kafka, produce, uniqueName } from './kafka';
import { startPostgres, type Postgres } from './postgres';
import { startSlackStandIn, startSmtpStandIn, type SlackStandIn, type SmtpStandIn } from './standins';

const RUN = randomUUID().slice(0, 8);
const shipped = (file: string): any => JSON.parse(readFileSync(path.join(ROOT, 'workflows', file), 'utf8'));
const param = (wf: any, node: string, name: string): any => wf.nodes.find((n: any) => n.name === node).parameters[name];

/** Slack node 2.1+ appends "\n_Automated with this <link|n8n workflow>_" to the text. */
function splitAttribution(text: string): [string, string] {
  const at = text.lastIndexOf('\n_Automated with this <');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

test('every workflow in workflows/ is run by an e2e test (this file, workflows-run.test.ts or cdc-postgres.test.ts)', () => {
  const runners = ['workflows-outbound.test.ts', 'workflows-run.test.ts', 'cdc-postgres.test.ts'].map((f) => readFileSync(path.join(__dirname, f), 'utf8')).join('\n');
  const run = new Set([...runners.matchAll(/'([\w.-]+\.json)'/g)].map((m) => m[1]));
  const files = readdirSync(path.join(ROOT, 'workflows')).filter((f) => f.endsWith('.json'));
  expect(files.filter((f) => !run.has(f))).toEqual([]);
  expect(files.length).toBe(9);
});

describe('shipped workflows that reach Postgres, Slack and email run inside n8n', () => {
  let pg: Postgres;
  let slack: SlackStandIn;
  let smtp: SmtpStandIn;
  let own: OwnN8n;
  let n8n: N8nClient;
  let admin: Admin;
  const creds: Record<string, { id: string; name: string }> = {};

  beforeAll(async () => {
    [pg, slack, smtp] = await Promise.all([startPostgres(), startSlackStandIn(), startSmtpStandIn()]);
    own = await startOwnN8n({
      logFile: path.join(ARTIFACTS, 'n8n-e2e-outbound.log'),
      email: 'outbound@kafka-suite.local',
      env: {
        N8N_LOG_FORMAT: 'json',
        HTTPS_PROXY: slack.proxyUrl,
        NO_PROXY: '127.0.0.1,localhost',
        NODE_EXTRA_CA_CERTS: slack.caFile,
      },
    });
    n8n = own.client;
    creds.kafkaSuiteClusterApi = await n8n.createCredential({
      name: `e2e cluster ${RUN}`,
      type: 'kafkaSuiteClusterApi',
      data: { platform: 'apache', brokers: brokers(), securityProtocol: 'plaintext' },
    });
    creds.postgres = await n8n.createCredential({
      name: `e2e postgres ${RUN}`,
      type: 'postgres',
      data: { host: pg.host, port: pg.port, database: pg.database, user: pg.user, password: pg.password, ssl: 'disable', allowUnauthorizedCerts: false, sshTunnel: false },
    });
    creds.slackApi = await n8n.createCredential({ name: `e2e slack ${RUN}`, type: 'slackApi', data: { accessToken: `xoxb-e2e-stand-in-${RUN}` } });
    creds.smtp = await n8n.createCredential({
      name: `e2e smtp ${RUN}`,
      type: 'smtp',
      data: { user: `n8n-${RUN}`, password: `smtp-${RUN}`, host: '127.0.0.1', port: smtp.port, secure: false, disableStartTls: true },
    });
    await createTopics(['orders']);
    admin = kafka().admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await own?.stop();
    await Promise.all([pg?.stop(), slack?.stop(), smtp?.stop()]);
  });

  /** The shipped workflow with credentials pointing at this file's ones, renamed for this run. */
  const prepared = (wf: any, patch: (node: any) => any = (n) => n): any => ({
    ...wf,
    name: `${wf.name} (e2e run ${RUN})`,
    nodes: wf.nodes.map((n: any) =>
      patch(n.credentials ? { ...n, credentials: Object.fromEntries(Object.keys(n.credentials).map((type) => [type, creds[type]])) } : n),
    ),
  });

  async function retire(id: string): Promise<void> {
    await n8n.unpublish(id);
    await waitFor(
      async () => {
        try {
          await n8n.deleteWorkflow(id);
          return true;
        } catch (err) {
          if ((err as { status?: number }).status === 409) return false;
          throw err;
        }
      },
      { timeout: 30000, what: `workflow ${id} deleted` },
    );
  }

  /** startFrom "latest": produce probes until one has gone through, then the consumer is live. */
  async function untilLive(topic: string, arrived: () => boolean | Promise<boolean>): Promise<void> {
    await waitFor(
      async () => {
        if (await arrived()) return true;
        await produce(topic, [{ key: 'probe', value: JSON.stringify({ run: RUN, probe: true }) }]);
        return false;
      },
      { timeout: 90000, interval: 1000, what: `a probe of run ${RUN} through the workflow` },
    );
  }

  test('kafka-to-postgres: each message becomes one row with its coordinates, key, headers and JSON value', async () => {
    const source = shipped('kafka-to-postgres.json');
    const topic = param(source, 'Kafka Trigger', 'topics');
    const table = param(source, 'Insert into Postgres', 'table').value;
    expect([topic, table, param(source, 'Insert into Postgres', 'columns').mappingMode]).toEqual(['orders', 'orders', 'autoMapInputData']);
    // "Map automatically" writes each field of the trigger's item to the column of the same name:
    // the table a user creates for this workflow has one column per field.
    pg.sql(
      `create table ${table} (topic text, partition int, "offset" bigint, "timestamp" timestamptz, "timestampMs" bigint, key text, headers jsonb, value jsonb)`,
    );

    const wf = await n8n.createWorkflow(prepared(source));
    await n8n.publish(wf.id);
    try {
      await untilLive(topic, () => pg.rows(`select 1 from ${table} where value->>'run' = '${RUN}' and value ? 'probe'`).length > 0);
      const orders = [1, 2, 3].map((i) => ({ key: `pg-${i}`, value: { run: RUN, id: `o-${i}`, amount: i * 7, customer: { name: `c${i}` } } }));
      const producer = kafka().producer();
      await producer.connect();
      let sent;
      try {
        sent = await producer.send({ topic, messages: orders.map((o) => ({ key: o.key, value: JSON.stringify(o.value), headers: { source: 'e2e', run: RUN } })) });
      } finally {
        await producer.disconnect();
      }
      const rows = await waitFor(
        () => {
          const r = pg.rows<any>(`select * from ${table} where value->>'run' = '${RUN}' and not value ? 'probe' order by "offset"`);
          return r.length >= orders.length ? r : undefined;
        },
        { timeout: 60000, what: `${orders.length} rows of run ${RUN} in ${table}` },
      );
      expect(rows).toHaveLength(orders.length);
      const base = BigInt(sent[0].baseOffset!);
      rows.forEach((row, i) => {
        expect(row).toEqual({
          topic,
          partition: sent[0].partition,
          offset: Number(base + BigInt(i)),
          timestamp: expect.any(String),
          timestampMs: expect.any(Number),
          key: orders[i].key,
          headers: { source: 'e2e', run: RUN },
          value: orders[i].value,
        });
        expect(Math.abs(new Date(row.timestamp).getTime() - row.timestampMs)).toBe(0);
      });
      // deliveryMode afterSuccess: the group commits past the rows once the inserts succeeded.
      const groupId = param(source, 'Kafka Trigger', 'groupId');
      const last = base + BigInt(orders.length - 1);
      await waitFor(
        async () => {
          const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
          return t.partitions.some((p) => p.partition === sent[0].partition && BigInt(p.offset) > last);
        },
        { timeout: 30000, what: `group ${groupId} committed past ${topic}[${sent[0].partition}]@${last}` },
      );
    } finally {
      await retire(wf.id);
    }
  });

  test('kafka-to-slack: each message is posted to the channel through chat.postMessage with the bot token', async () => {
    const source = shipped('kafka-to-slack.json');
    const topic = param(source, 'Kafka Trigger', 'topics');
    const channel = param(source, 'Post to Slack', 'channelId').value;
    expect([topic, channel]).toEqual(['orders', '#kafka-alerts']);
    const posts = () => slack.calls.filter((c) => c.path.startsWith('/api/chat.postMessage') && String(c.body?.text).includes(RUN));

    const wf = await n8n.createWorkflow(prepared(source));
    await n8n.publish(wf.id);
    try {
      await untilLive(topic, () => posts().length > 0);
      const orders = [1, 2].map((i) => ({ key: `slack-${i}`, value: JSON.stringify({ run: RUN, id: `s-${i}`, amount: i }) }));
      await produce(topic, orders);
      const ours = await waitFor(
        () => {
          const p = posts().filter((c) => orders.some((o) => c.body.text.includes(`"key":"${o.key}"`)));
          return p.length >= orders.length ? p : undefined;
        },
        { timeout: 60000, what: `${orders.length} chat.postMessage calls of run ${RUN} (got ${slack.calls.length} calls)` },
      );
      expect(ours).toHaveLength(orders.length);
      for (const [i, call] of ours.entries()) {
        expect(call.host).toBe('slack.com');
        expect(call.method).toBe('POST');
        expect(call.authorization).toBe(`Bearer xoxb-e2e-stand-in-${RUN}`);
        expect(call.body.channel).toBe(channel);
        // The text is the shipped expression (a prefix and the trigger's whole item as JSON), and
        // the Slack node's own line linking back to the workflow.
        const [text, attribution] = splitAttribution(call.body.text);
        expect(text.startsWith(`New message on ${topic}: `)).toBe(true);
        const item = JSON.parse(text.slice(`New message on ${topic}: `.length));
        expect(item).toEqual(expect.objectContaining({ topic, key: orders[i].key, value: JSON.parse(orders[i].value) }));
        expect(attribution).toContain(`workflow/${wf.id}`);
      }
      expect(slack.refused).toEqual([]);
    } finally {
      await retire(wf.id);
    }
  });

  describe('lag alerts', () => {
    // The shipped group name; a run-specific topic it "consumes" (offsets committed once, never again).
    const group = 'orders-service';
    const topic = uniqueName('lag-alert');
    let producing: NodeJS.Timeout | undefined;
    const published: Record<string, string> = {};

    // n8n polls at most once a minute (the shipped workflows keep n8n's default, every minute), so
    // the test judges a window of 2 samples and emits on the first poll that sees the change,
    // instead of the shipped 10 samples and 2 polls. Both workflows run at the same time.
    const quick = (n: any) => (n.name === 'Lag Trigger' ? { ...n, parameters: { ...n.parameters, windowSize: 2, debouncePolls: 1 } } : n);

    beforeAll(async () => {
      // A left-over group from an earlier run would carry other topics into the status.
      await admin.deleteGroups([group]).catch(() => undefined);
      await createTopics([topic]);
      await produce(topic, [{ value: 'first' }]);
      await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '0' }] });
      // The upstream keeps writing while nobody consumes: lag grows, the committed offset stays.
      producing = setInterval(() => produce(topic, [{ value: `tick ${Date.now()}` }]).catch(() => undefined), 1000);
      for (const file of ['lag-alert-slack.json', 'lag-alert-email.json']) {
        const source = shipped(file);
        expect([param(source, 'Lag Trigger', 'groups'), param(source, 'Lag Trigger', 'pollTimes')]).toEqual([group, undefined]);
        const wf = await n8n.createWorkflow(prepared(source, quick));
        await n8n.publish(wf.id);
        published[file] = wf.id;
      }
    });

    afterAll(async () => {
      for (const id of Object.values(published)) await retire(id);
      if (producing) clearInterval(producing);
      await admin.deleteGroups([group]).catch(() => undefined);
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    });

    const openItem = (text: string): any => {
      expect(text.startsWith('Consumer lag alert: ')).toBe(true);
      const item = JSON.parse(text.slice('Consumer lag alert: '.length));
      expect(item).toEqual(expect.objectContaining({ group, event: 'open', status: 'ERR', incidentId: expect.any(String) }));
      expect(item.totalLag).toBeGreaterThan(0);
      return item;
    };

    test('lag-alert-slack: a group that stopped while its topic grows opens an incident that is posted to Slack', async () => {
      const alerts = await waitFor(
        () => {
          const a = slack.calls.filter((c) => c.path.startsWith('/api/chat.postMessage') && String(c.body?.text).startsWith('Consumer lag alert: '));
          return a.length ? a : undefined;
        },
        { timeout: 150000, interval: 500, what: 'the lag alert at the Slack stand-in' },
      );
      expect(alerts).toHaveLength(1);
      expect(alerts[0].body.channel).toBe('#kafka-alerts');
      const [text, attribution] = splitAttribution(alerts[0].body.text);
      openItem(text);
      expect(attribution).toContain(`workflow/${published['lag-alert-slack.json']}`);
      const [execution] = await n8n.executions({ workflowId: published['lag-alert-slack.json'], status: 'success' });
      expect(nodeOutput(await n8n.execution(execution.id), 'Lag Trigger')).toEqual([expect.objectContaining({ group, event: 'open' })]);
    });

    test('lag-alert-email: the same incident is mailed to on-call through SMTP', async () => {
      const source = shipped('lag-alert-email.json');
      const mails = await waitFor(() => (smtp.mails.length ? smtp.mails : undefined), { timeout: 150000, interval: 500, what: 'the lag alert at the SMTP stand-in' });
      expect(mails).toHaveLength(1);
      expect(mails[0]).toEqual(
        expect.objectContaining({
          from: param(source, 'Alert by email', 'fromEmail'),
          to: [param(source, 'Alert by email', 'toEmail')],
          authUser: `n8n-${RUN}`,
          subject: `Kafka consumer lag: ${group}`,
        }),
      );
      // emailSend 2.1+ appends its attribution after a "---" line.
      const [body, attribution] = mails[0].text.split('\n\n---\n');
      openItem(body);
      expect(attribution).toBe('This email was sent automatically with n8n\nhttps://n8n.io');
    });
  });
});
