// The trigger's failure paths inside a real n8n (regular mode), on their own broker:
//   - a poison message in a batch: retried with backoff, then dead-lettered; with "Isolate Failing
//     Messages" the good messages of its batch pass and only the poison reaches the dead-letter topic;
//   - a replay workflow (dead-letter topic -> original topic) with a loop guard: a replay counter
//     header, parked after MAX_REPLAYS;
//   - an execution that ends "waiting" (Wait node): its offset is committed when it starts waiting,
//     and n8n finishes it later, across a SIGKILL of n8n.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { isolatedServices, type IsolatedServices } from '../integration/faults/isolated';
import { chain, NODE_TYPES } from '../e2e/n8n';
import { Fleet, type N8nProcess } from './fleet';
import { problemsAboutOurPackage } from './logCheck';
import { waitFor } from './scenario';
import { createTopics, groupLag } from './traffic';

const MAX_REPLAYS = 2;
const MAX_ATTEMPTS = 2;

let services: (IsolatedServices & { dispose(): Promise<void> }) | undefined;
let fleet: Fleet | undefined;
let main: N8nProcess;
let bootstrap: string;
let credential: { id: string; name: string };

beforeAll(async () => {
  services = await isolatedServices('chaos-failures');
  await services.start({ connect: false, registry: false, log: () => undefined });
  bootstrap = services.facts().bootstrap.plaintext;
  fleet = new Fleet('failures');
  main = await fleet.startMain();
  credential = await main.createCredential({
    name: 'failure paths cluster',
    type: 'kafkaSuiteClusterApi',
    data: { platform: 'apache', brokers: bootstrap, securityProtocol: 'plaintext' },
  });
}, 300_000);

afterAll(async () => {
  await fleet?.dispose();
  await services?.dispose();
}, 180_000);

const kafka = () => new Kafka({ clientId: `chaos-failures-${randomUUID().slice(0, 6)}`, brokers: [bootstrap], logLevel: logLevel.NOTHING });

async function produce(topic: string, messages: Array<{ key: string; value: string; headers?: Record<string, string> }>): Promise<void> {
  const producer = kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

interface Read {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Everything on a topic right now (fresh group, read_committed), waiting until `atLeast` are there. */
async function readAll(topic: string, atLeast: number, timeout = 120_000): Promise<Read[]> {
  const consumer = kafka().consumer({ groupId: `chaos-read-${randomUUID()}`, maxWaitTimeInMs: 200 });
  const got = new Map<string, Read>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }: { partition: number; message: KafkaMessage }) => {
        got.set(`${partition}:${message.offset}`, {
          key: message.key?.toString() ?? '',
          value: message.value?.toString() ?? '',
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        });
      },
    });
    await waitFor(() => got.size >= atLeast, { timeout, interval: 200, what: `${atLeast} messages on ${topic} (have ${got.size})` });
  } finally {
    await consumer.disconnect();
  }
  return [...got.values()];
}

test('a poison message is retried with backoff, then dead-lettered alone (bisected out of its batch); the replay loop parks it after the replay limit', async () => {
  const id = randomUUID().slice(0, 6);
  const input = `fp-orders-${id}`;
  const output = `fp-done-${id}`;
  const dlq = `fp-orders-dlq-${id}`;
  const parked = `fp-orders-parked-${id}`;
  await createTopics(bootstrap, [input, output, dlq, parked], 1);
  const groupId = `fp-main-${id}`;

  const mainFlow = chain(`failure paths ${id}`, [
    {
      name: 'Kafka Trigger',
      type: NODE_TYPES.trigger,
      parameters: {
        topicSelection: 'names',
        topics: input,
        groupId,
        startFrom: 'earliest',
        deliveryMode: 'afterSuccess',
        valueFormat: 'json',
        options: { batchSize: 10, maxAttempts: MAX_ATTEMPTS, retryInitialMs: 500, retryMaxMs: 2000, deadLetterTopic: dlq, bisectFailures: true },
      },
      credentials: { kafkaSuiteClusterApi: credential },
    },
    {
      name: 'Process',
      type: 'n8n-nodes-base.code',
      typeVersion: 2,
      parameters: { jsCode: `for (const item of $input.all()) if (item.json.value.poison) throw new Error('poison order ' + item.json.value.n);\nreturn $input.all();` },
    },
    {
      name: 'Done',
      type: NODE_TYPES.producer,
      parameters: { topic: output, valueSource: 'field', valueField: 'value', serialization: 'json', key: '={{ $json.key }}', headersMode: 'none' },
      credentials: { kafkaSuiteClusterApi: credential },
    },
  ]);
  // The replay workflow: dead-letter topic -> original topic, with a loop guard. It keeps the
  // message's own headers, drops the trigger's diagnostics and counts replays in a header; a message
  // replayed MAX_REPLAYS times is parked instead of going round again.
  const replayFlow = chain(`replay ${id}`, [
    {
      name: 'Dead Letters',
      type: NODE_TYPES.trigger,
      parameters: { topicSelection: 'names', topics: dlq, groupId: `fp-replay-${id}`, startFrom: 'earliest', deliveryMode: 'afterSuccess', valueFormat: 'string' },
      credentials: { kafkaSuiteClusterApi: credential },
    },
    {
      name: 'Loop Guard',
      type: 'n8n-nodes-base.code',
      typeVersion: 2,
      parameters: {
        jsCode: [
          `const MAX_REPLAYS = ${MAX_REPLAYS};`,
          'return $input.all().map(({ json }) => {',
          "  const replays = Number(json.headers['kafka-suite-replay-count'] ?? 0);",
          "  const headers = Object.fromEntries(Object.entries(json.headers).filter(([name]) => !name.startsWith('kafka-suite-')));",
          '  const park = replays >= MAX_REPLAYS;',
          "  headers['kafka-suite-replay-count'] = String(park ? replays : replays + 1);",
          `  return { json: { ...json, target: park ? '${parked}' : json.headers['kafka-suite-original-topic'], replayHeaders: headers } };`,
          '});',
        ].join('\n'),
      },
    },
    {
      name: 'Replay',
      type: NODE_TYPES.producer,
      parameters: {
        topic: '={{ $json.target }}',
        valueSource: 'field',
        valueField: 'value',
        serialization: 'string',
        key: '={{ $json.key }}',
        headersMode: 'json',
        headersJson: '={{ $json.replayHeaders }}',
      },
      credentials: { kafkaSuiteClusterApi: credential },
    },
  ]);
  for (const wf of [mainFlow, replayFlow]) await main.publish((await main.createWorkflow(wf)).id);

  const orders = Array.from({ length: 30 }, (_, n) => ({ n, poison: n === 13 }));
  await produce(
    input,
    orders.map((order) => ({ key: `order-${order.n}`, value: JSON.stringify(order), headers: { source: 'chaos' } })),
  );

  // The poison goes round MAX_REPLAYS times and is then parked, with its own headers and value.
  const [parkedMessage] = await readAll(parked, 1);
  expect(parkedMessage.key).toBe('order-13');
  expect(JSON.parse(parkedMessage.value)).toEqual({ n: 13, poison: true });
  expect(parkedMessage.headers).toEqual({ source: 'chaos', 'kafka-suite-replay-count': String(MAX_REPLAYS) });

  // Dead-lettered once per round (first time + each replay), always alone, after MAX_ATTEMPTS executions.
  const dead = await readAll(dlq, MAX_REPLAYS + 1);
  expect(dead).toHaveLength(MAX_REPLAYS + 1);
  for (const message of dead) {
    expect(message.key).toBe('order-13');
    expect(message.headers['kafka-suite-attempts']).toBe(String(MAX_ATTEMPTS));
    expect(message.headers['kafka-suite-error']).toContain('poison order 13');
    expect(message.headers['kafka-suite-original-topic']).toBe(input);
  }
  expect(dead.map((m) => m.headers['kafka-suite-replay-count'] ?? '0').sort()).toEqual(['0', '1', '2']);

  // Every good order is done (its batch-mates were not dead-lettered with the poison); the poison is not.
  const done = await readAll(output, 29);
  expect(new Set(done.map((m) => m.key)).size).toBe(29);
  expect(done.some((m) => m.key === 'order-13')).toBe(false);
  await waitFor(async () => (await groupLag(bootstrap, groupId, input)) === 0, { timeout: 60_000, what: 'main group lag 0' });

  // Retried with backoff: the poison's lone executions in n8n failed at least ~retryInitialMs apart.
  const executions = await main.executions({ status: 'error', limit: 250 });
  const lone = executions
    .filter((e: any) => {
      const items = e.data?.resultData?.runData?.['Kafka Trigger']?.[0]?.data?.main?.[0] ?? [];
      return items.length === 1 && items[0].json.key === 'order-13';
    })
    .map((e: any) => Date.parse(e.startedAt))
    .sort((a: number, b: number) => a - b);
  expect(lone.length).toBeGreaterThanOrEqual(MAX_ATTEMPTS * (MAX_REPLAYS + 1));
  const gaps = lone.slice(1).map((t: number, i: number) => t - lone[i]);
  // Within one round the second attempt waits the backoff (500 ms ± 20 %).
  expect(Math.max(...gaps)).toBeGreaterThanOrEqual(400);
}, 400_000);

test('an execution that ends "waiting" (Wait node): its offset is committed when it starts waiting; n8n finishes it later, even after a SIGKILL', async () => {
  const id = randomUUID().slice(0, 6);
  const input = `fp-wait-in-${id}`;
  const urls = `fp-wait-urls-${id}`;
  const output = `fp-wait-out-${id}`;
  await createTopics(bootstrap, [input, urls, output], 1);
  const groupId = `fp-wait-${id}`;
  const wf = chain(`wait ${id}`, [
    {
      name: 'Kafka Trigger',
      type: NODE_TYPES.trigger,
      parameters: { topicSelection: 'names', topics: input, groupId, startFrom: 'earliest', deliveryMode: 'afterSuccess', valueFormat: 'json' },
      credentials: { kafkaSuiteClusterApi: credential },
    },
    {
      name: 'Resume URL',
      type: NODE_TYPES.producer,
      parameters: { topic: urls, valueSource: 'string', valueString: '={{ $execution.resumeUrl }}', serialization: 'string', key: '={{ $json.key }}', headersMode: 'none' },
      credentials: { kafkaSuiteClusterApi: credential },
    },
    { name: 'Wait', type: 'n8n-nodes-base.wait', typeVersion: 1.1, parameters: { resume: 'webhook', httpMethod: 'POST', options: {} } },
    {
      name: 'After Wait',
      type: NODE_TYPES.producer,
      parameters: { topic: output, valueSource: 'string', valueString: '={{ $("Kafka Trigger").item.json.key }}', serialization: 'string', key: 'resumed', headersMode: 'none' },
      credentials: { kafkaSuiteClusterApi: credential },
    },
  ]);
  const waitNode = wf.nodes.find((n: any) => n.name === 'Wait');
  waitNode.webhookId = randomUUID();
  const created = await main.createWorkflow(wf);
  await main.publish(created.id);
  await produce(input, [{ key: 'w-1', value: JSON.stringify({ n: 1 }) }]);

  const [resume] = await readAll(urls, 1);
  // The execution is waiting and the trigger has already committed its message.
  await waitFor(async () => (await main.executions({ workflowId: created.id, status: 'waiting' })).length === 1, { timeout: 60_000, what: 'one waiting execution' });
  await waitFor(async () => (await groupLag(bootstrap, groupId, input)) === 0, { timeout: 30_000, what: 'the waiting execution’s offset committed' });

  // n8n dies while the execution waits; after the restart the message is not delivered again and
  // the waiting execution resumes from n8n's database.
  await fleet!.kill('main');
  main = await fleet!.startMain();
  const res = await fetch(resume.value.replace(/^https?:\/\/[^/]+/, main.baseUrl), { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  expect(res.status).toBeLessThan(300);
  const [after] = await readAll(output, 1);
  expect(after.value).toBe('w-1');
  // The output record is acknowledged before n8n has saved the resumed execution as finished, and
  // n8n's public API leaves running executions out of its list: wait until it is listed.
  const executions = await waitFor(
    async () => {
      const listed = await main.executions({ workflowId: created.id });
      return listed.length && listed.every((e: any) => e.status !== 'waiting' && e.status !== 'running') ? listed : undefined;
    },
    { timeout: 30_000, what: 'the resumed execution listed as finished' },
  );
  expect(executions).toHaveLength(1);
  expect(executions[0].status).toBe('success');
  // The poison of the first test is dead-lettered on purpose (a warning each time); nothing else.
  expect(problemsAboutOurPackage(fleet!.logs(), [], [/^Kafka trigger: 1 message\(s\) of fp-orders-[0-9a-f]+\[0\] from offset \d+ sent to fp-orders-dlq-[0-9a-f]+ after 2 attempts$/])).toEqual([]);
}, 400_000);
