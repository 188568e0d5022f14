// (e) The producer/consumer workflows shipped in workflows/ (byte-identical to the n8n-workflow
// generator's output, see test/generators/workflows.test.ts) RUN inside the real n8n against the
// local broker, published as a user would after importing them; the broker side is checked
// independently with kafkajs.
//   - webhook-to-kafka: POSTs to its production webhook URL end up as messages on `orders`.
//   - kafka-to-webhook: messages produced to `orders` are POSTed to an HTTP server this test runs.
//   - dead-letter-replay: messages on `orders.dlq` end up back on `orders`.
// The others run in workflows-outbound.test.ts (Postgres, Slack and email stand-ins, lag alerts)
// and cdc-postgres.test.ts (Debezium CDC).
//
// The workflows are imported unchanged except for credentials, which are referenced by name as in
// workflows-import.test.ts, and (kafka-to-webhook only) the outgoing URL, see below. They use their
// shipped topic and group names (`orders`, `orders.dlq`, `n8n-orders`, ...), which live on a broker
// that outlives the run: every check filters on this run's id, and the topics are created if missing
// (the broker does not auto-create topics).
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, KafkaMessage } from 'kafkajs';
import { clusterCredential, n8n, nodeOutput, ROOT, state, waitFor } from './n8n';
import { createTopics, kafka, produce, uniqueName } from './kafka';

const RUN = randomUUID().slice(0, 8);

function shipped(file: string): any {
  return JSON.parse(readFileSync(path.join(ROOT, 'workflows', file), 'utf8'));
}

/** The shipped workflow with its Kafka credential reference pointing at the suite's credential. */
async function withCredentials(wf: any): Promise<any> {
  const cred = await clusterCredential();
  return {
    ...wf,
    name: `${wf.name} (e2e run ${RUN})`,
    nodes: wf.nodes.map((n: any) => (n.credentials?.kafkaSuiteClusterApi ? { ...n, credentials: { ...n.credentials, kafkaSuiteClusterApi: cred } } : n)),
  };
}

/** Unpublishes and deletes a workflow; n8n answers 409 to a delete while the unpublish finishes. */
async function retire(id: string): Promise<void> {
  await n8n().unpublish(id);
  await waitFor(
    async () => {
      try {
        await n8n().deleteWorkflow(id);
        return true;
      } catch (err) {
        if ((err as { status?: number }).status === 409) return false;
        throw err;
      }
    },
    { timeout: 30000, what: `workflow ${id} deleted` },
  );
}

const param = (wf: any, node: string, name: string): any => wf.nodes.find((n: any) => n.name === node).parameters[name];

interface Seen {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

/** Reads a topic from the beginning (fresh group) in the background; `stop()` disconnects. */
async function reader(topic: string): Promise<{ seen: Seen[]; stop: () => Promise<void> }> {
  const consumer: Consumer = kafka().consumer({ groupId: uniqueName('reader'), sessionTimeout: 10000, heartbeatInterval: 1000 });
  const seen: Seen[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }: { message: KafkaMessage; partition: number }) => {
        seen.push({
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? null,
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
          partition,
          offset: message.offset,
        });
      },
    });
  } catch (err) {
    await consumer.disconnect();
    throw err;
  }
  return { seen, stop: () => consumer.disconnect() };
}

const parse = (v: string | null): any => {
  try {
    return v === null ? null : JSON.parse(v);
  } catch {
    return v;
  }
};

/** Successful executions of a workflow, newest first, once at least `count` exist. */
async function successfulExecutions(workflowId: string, count: number): Promise<any[]> {
  return waitFor(
    async () => {
      const list = await n8n().executions({ workflowId, status: 'success' });
      return list.length >= count ? list : undefined;
    },
    { timeout: 30000, what: `${count} successful executions of workflow ${workflowId}` },
  );
}

describe('shipped producer/consumer workflows run inside n8n', () => {
  let admin: Admin;

  beforeAll(async () => {
    // The shipped topic names; the broker has auto-create off. createTopics resolves false when they exist.
    await createTopics(['orders', 'orders.dlq']);
    admin = kafka().admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
  });

  test('webhook-to-kafka: every POST to the production webhook URL becomes a message on the topic', async () => {
    const source = shipped('webhook-to-kafka.json');
    const topic = param(source, 'Produce to Kafka', 'topic');
    const hookPath = param(source, 'Webhook', 'path');
    expect([topic, hookPath]).toEqual(['orders', 'orders']);

    const client = n8n();
    const wf = await client.createWorkflow(await withCredentials(source));
    const out = await reader(topic);
    await client.publish(wf.id);
    try {
      const url = `${state().baseUrl.replace(/\/$/, '')}/webhook/${hookPath}`;
      const bodies = [1, 2, 3].map((i) => ({ run: RUN, id: `w-${i}`, amount: i * 10, customer: { name: `c${i}` } }));
      // The production webhook is registered when publishing returns; retry 404s briefly anyway.
      const post = async (body: unknown) => {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        await res.text();
        return res.status;
      };
      await waitFor(async () => (await post(bodies[0])) === 200, { timeout: 20000, what: `200 from ${url}` });
      for (const b of bodies.slice(1)) expect(await post(b)).toBe(200);

      const ours = await waitFor(
        () => {
          const m = out.seen.filter((s) => parse(s.value)?.body?.run === RUN);
          return m.length >= bodies.length ? m : undefined;
        },
        { timeout: 60000, what: `${bodies.length} messages of run ${RUN} on ${topic}` },
      );
      // Whole webhook item as the value (valueSource json), no key (key ""), one message per POST.
      expect(ours).toHaveLength(bodies.length);
      const values = ours.map((m) => parse(m.value));
      expect(values.map((v) => v.body).sort((a: any, b: any) => a.id.localeCompare(b.id))).toEqual(bodies);
      for (const v of values) {
        expect(v.executionMode).toBe('production');
        expect(v.headers['content-type']).toBe('application/json');
        expect(v.webhookUrl).toContain(`/webhook/${hookPath}`);
      }
      expect(ours.map((m) => m.key)).toEqual([null, null, null]);
      const executions = await successfulExecutions(wf.id, bodies.length);
      expect(executions.flatMap((e) => nodeOutput(e, 'Produce to Kafka'))).toHaveLength(bodies.length);
    } finally {
      await out.stop();
      await retire(wf.id);
    }
  });

  test('kafka-to-webhook: messages produced to the topic are POSTed, one request each, and committed after success', async () => {
    const source = shipped('kafka-to-webhook.json');
    const topic = param(source, 'Kafka Trigger', 'topics');
    const groupId = param(source, 'Kafka Trigger', 'groupId');
    expect([topic, groupId, param(source, 'Kafka Trigger', 'startFrom')]).toEqual(['orders', 'n8n-orders', 'latest']);
    expect(param(source, 'POST to webhook', 'url')).toBe('https://example.com/hooks/orders');

    // A loopback server stands in for the webhook receiver.
    const requests: Array<{ method: string; url: string; contentType: string; body: any }> = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests.push({ method: req.method!, url: req.url!, contentType: String(req.headers['content-type']), body: parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    // The ONE change to the shipped workflow: its outgoing URL (https://example.com/hooks/orders, a
    // placeholder the user replaces) points at the loopback server. Everything else is as shipped.
    const copy = await withCredentials(source);
    copy.nodes = copy.nodes.map((n: any) =>
      n.name === 'POST to webhook' ? { ...n, parameters: { ...n.parameters, url: `http://127.0.0.1:${port}/hooks/orders` } } : n,
    );
    const client = n8n();
    const wf = await client.createWorkflow(copy);
    await client.publish(wf.id);
    try {
      // startFrom "latest": the trigger only sees messages produced after its consumer has its
      // partitions and offsets. Produce probes until one arrives; then the consumer is live.
      await waitFor(
        async () => {
          if (requests.some((r) => r.body?.value?.run === RUN && r.body.value.probe)) return true;
          await produce(topic, [{ key: 'probe', value: JSON.stringify({ run: RUN, probe: true }) }]);
          return false;
        },
        { timeout: 60000, interval: 1000, what: `a probe of run ${RUN} at the loopback server` },
      );

      const orders = [1, 2, 3].map((i) => ({ key: `k-${i}`, value: { run: RUN, id: `o-${i}`, amount: i * 5 } }));
      const producer = kafka().producer();
      await producer.connect();
      let sent;
      try {
        sent = await producer.send({ topic, messages: orders.map((o) => ({ key: o.key, value: JSON.stringify(o.value), headers: { source: 'e2e' } })) });
      } finally {
        await producer.disconnect();
      }

      const ours = await waitFor(
        () => {
          const r = requests.filter((q) => q.body?.value?.run === RUN && !q.body.value.probe);
          return r.length >= orders.length ? r : undefined;
        },
        { timeout: 60000, what: `${orders.length} POSTs of run ${RUN} (got ${requests.length} requests)` },
      );
      expect(ours).toHaveLength(orders.length);
      for (const r of ours) {
        expect(r.method).toBe('POST');
        expect(r.url).toBe('/hooks/orders');
        expect(r.contentType).toContain('application/json');
      }
      // Each request body is the trigger's item: coordinates, key, headers, the decoded JSON value.
      const byKey = Object.fromEntries(ours.map((r) => [r.body.key, r.body]));
      for (const o of orders) {
        expect(byKey[o.key]).toEqual(expect.objectContaining({ topic, key: o.key, value: o.value, headers: expect.objectContaining({ source: 'e2e' }) }));
      }

      // deliveryMode afterSuccess: the group's committed offset moves past our messages once the
      // POSTs succeeded.
      const partition = sent[0].partition;
      const last = BigInt(sent[0].baseOffset!) + BigInt(orders.length - 1);
      await waitFor(
        async () => {
          const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
          const p = t.partitions.find((x) => x.partition === partition);
          return p && BigInt(p.offset) > last;
        },
        { timeout: 30000, what: `group ${groupId} committed past offset ${last} of ${topic}[${partition}]` },
      );
    } finally {
      // Unpublish first, so no execution is left POSTing; then close (n8n keeps sockets alive).
      await retire(wf.id).finally(async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      });
    }
  });

  test('dead-letter-replay: messages on the dead-letter topic end up back on the original topic', async () => {
    const source = shipped('dead-letter-replay.json');
    const dlq = param(source, 'Kafka Trigger', 'topics');
    const topic = param(source, 'Replay to topic', 'topic');
    expect([dlq, topic]).toEqual(['orders.dlq', 'orders']);

    // As the Kafka Trigger's dead-letter option writes them (nodes/KafkaSuiteTrigger/v1/deadLetter.ts):
    // original key, value and headers plus kafka-suite-* headers. One JSON value (odd spacing, to
    // see it is not re-encoded) and one plain-text value.
    const dlqHeaders = (i: number) => ({ source: 'e2e', 'kafka-suite-error': 'HTTP 503', 'kafka-suite-original-topic': 'orders', 'kafka-suite-original-offset': String(i) });
    const dead = [
      { key: 'd-1', value: `{"run": "${RUN}",  "id": "d-1", "amount": 1}`, headers: dlqHeaders(1) },
      { key: 'd-2', value: `plain text of run ${RUN}`, headers: dlqHeaders(2) },
    ];
    const producer = kafka().producer();
    await producer.connect();
    let dlqLast: string;
    try {
      const [r] = await producer.send({ topic: dlq, messages: dead });
      dlqLast = String(BigInt(r.baseOffset!) + BigInt(dead.length - 1));
    } finally {
      await producer.disconnect();
    }

    const out = await reader(topic);
    const client = n8n();
    const wf = await client.createWorkflow(await withCredentials(source));
    await client.publish(wf.id);
    try {
      const replayed = await waitFor(
        () => {
          // (`orders` also holds this run's messages from the tests above: match the dead-letter keys too.)
          const m = out.seen.filter((s) => dead.some((d) => d.key === s.key) && s.value?.includes(RUN));
          return m.length >= dead.length ? m : undefined;
        },
        { timeout: 60000, what: `${dead.length} replayed messages of run ${RUN} on ${topic}` },
      );
      // The replayed record is the dead-lettered one: same key, same value bytes (not the trigger's
      // item as an envelope, not re-encoded JSON), same headers.
      expect(replayed.map((m) => ({ key: m.key, value: m.value, headers: m.headers })).sort((a, b) => a.key!.localeCompare(b.key!))).toEqual(dead);
      // ...and the replay group committed the dead-letter topic past them (deliveryMode afterSuccess).
      const groupId = param(source, 'Kafka Trigger', 'groupId');
      await waitFor(
        async () => {
          const [t] = await admin.fetchOffsets({ groupId, topics: [dlq] });
          return t.partitions.some((p) => BigInt(p.offset) > BigInt(dlqLast));
        },
        { timeout: 30000, what: `group ${groupId} committed past offset ${dlqLast} of ${dlq}` },
      );
    } finally {
      await out.stop();
      await retire(wf.id);
    }
  });
});
