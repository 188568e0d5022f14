// The share-group consumer (nodes/shared/kafka/shareGroup/consumer.ts) on a real Kafka 4.x broker:
// 3 partitions, 20 handlers at once, 10% of executions failing and retried (RELEASE with backoff,
// REJECT after the last attempt), every message finished exactly once; and the records a killed
// member had acquired, delivered again to another member once their lock expires. Runs under Node 24:
//   node scripts/node24.mjs jest --selectProjects integration --runTestsByPath test/integration/shareGroup/consumer.test.ts
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { ShareClient } from '../../../nodes/shared/kafka/shareGroup/client';
import { ShareConsumer, type ShareOutcome } from '../../../nodes/shared/kafka/shareGroup/consumer';
import { AcknowledgeType, type ShareRecord } from '../../../nodes/shared/kafka/shareGroup/protocol';
import { waitFor } from '../../helpers/n8nContext';
import { shareGroupBroker, type ShareBroker } from './broker';

const LOCK_MS = 15_000;
const MAX_ATTEMPTS = 3;

let broker: ShareBroker;
let kafka: Kafka;
const clients: ShareClient[] = [];
const consumers: ShareConsumer[] = [];
const hanging: Array<() => void> = [];

beforeAll(async () => {
  broker = await shareGroupBroker('consumer');
  kafka = new Kafka({ clientId: 'share-consumer-test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
}, 180_000);

afterEach(async () => {
  for (const resolve of hanging.splice(0)) resolve();
  await Promise.allSettled(consumers.splice(0).map((c) => c.stop(5_000)));
  await Promise.allSettled(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await broker?.dispose();
});

function newClient(): ShareClient {
  const client = new ShareClient({ brokers: [broker.bootstrap], clientId: 'share-consumer-test' });
  clients.push(client);
  return client;
}

async function topicWith(partitions: number, count: number): Promise<string> {
  const topic = `share-consumer-${randomUUID()}`;
  const admin = kafka.admin();
  // Idempotent: a send retried under load must not write a message twice (the test counts offsets).
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await Promise.all([admin.connect(), producer.connect()]);
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
    const messages = Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `m${i}`, partition: i % partitions }));
    for (let i = 0; i < messages.length; i += 100) await producer.send({ topic, messages: messages.slice(i, i + 100) });
  } finally {
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  }
  return topic;
}

async function shareGroup(client: ShareClient): Promise<string> {
  const groupId = `share-consumer-${randomUUID()}`;
  await client.setGroupConfig(groupId, { 'share.auto.offset.reset': 'earliest', 'share.record.lock.duration.ms': String(LOCK_MS) });
  return groupId;
}

test('3 partitions, 20 at once, 10% failing: every message accepted or rejected exactly once, none lost', async () => {
  const N = 300;
  const topic = await topicWith(3, N);
  const client = newClient();
  const groupId = await shareGroup(client);

  // Messages m0, m50, m100, ... fail at every attempt (rejected after MAX_ATTEMPTS); every other
  // execution fails with probability 0.1 and is retried.
  const alwaysFails = (value: string) => Number(value.slice(1)) % 50 === 0;
  const finals = new Map<string, { type: number; count: number }>();
  const deliveries = new Map<string, number[]>();
  let running = 0;
  let maxRunning = 0;
  let executions = 0;
  let failures = 0;
  const errors: Error[] = [];
  const key = (r: { topic: string; partition: number; offset: bigint }) => `${r.partition}:${r.offset}`;
  const values = new Map<string, string>();

  const handler = async (record: ShareRecord): Promise<ShareOutcome> => {
    executions++;
    running++;
    maxRunning = Math.max(maxRunning, running);
    values.set(key(record), record.value!.toString());
    deliveries.set(key(record), [...(deliveries.get(key(record)) ?? []), record.deliveryCount]);
    try {
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 25)); // the workflow's work
      const failed = alwaysFails(record.value!.toString()) || Math.random() < 0.1;
      if (!failed) return { type: 'accept' };
      failures++;
      if (record.deliveryCount >= MAX_ATTEMPTS) return { type: 'reject' };
      return { type: 'release', delayMs: 50 * 2 ** (record.deliveryCount - 1) };
    } finally {
      running--;
    }
  };
  const consumer = new ShareConsumer(
    client,
    {
      groupId,
      topics: [topic],
      concurrency: 20,
      onError: (e) => errors.push(e),
      onAcknowledged: (a) => {
        if (a.type === AcknowledgeType.RELEASE) return;
        const f = finals.get(key(a));
        finals.set(key(a), { type: a.type, count: (f?.count ?? 0) + 1 });
      },
    },
    handler,
  );
  consumers.push(consumer);
  const t0 = Date.now();
  await consumer.start();
  await waitFor(() => finals.size >= N, { timeoutMs: 90_000, intervalMs: 100, what: `${N} finished messages` });
  const elapsed = Date.now() - t0;
  await consumer.stop();

  const accepted = [...finals].filter(([, f]) => f.type === AcknowledgeType.ACCEPT);
  const rejected = [...finals].filter(([, f]) => f.type === AcknowledgeType.REJECT);
  const rejectedValues = rejected.map(([k]) => values.get(k)).sort();
  console.log(
    `share consumer: ${N} messages in ${elapsed} ms, ${executions} executions, ${failures} failed, ` +
      `${accepted.length} accepted, ${rejected.length} rejected, ${maxRunning} handlers at most at once, errors: ${errors.map((e) => e.message).join('; ') || 'none'}`,
  );
  expect(errors).toEqual([]);
  expect(finals.size).toBe(N);
  expect([...finals.values()].every((f) => f.count === 1)).toBe(true); // each finished exactly once
  // Rejected: the ones that always fail, and any other whose 3 deliveries all failed by chance.
  expect(rejectedValues).toEqual(expect.arrayContaining(Array.from({ length: N / 50 }, (_, i) => `m${i * 50}`)));
  expect(accepted.length).toBe(N - rejected.length);
  expect(values.size).toBe(N); // every message was delivered
  expect(maxRunning).toBe(20); // beyond the 3 partitions
  // Every retry was a new delivery of the same record: delivery counts 1, 2, 3 for the rejected ones.
  for (const [k] of rejected) expect(deliveries.get(k)).toEqual([1, 2, 3]);
  expect(executions).toBe([...deliveries.values()].reduce((n, d) => n + d.length, 0));
  expect(executions).toBeGreaterThan(N);

  // The group's view agrees: nothing left to deliver on any partition.
  const offsets = await client.describeOffsets(groupId, [{ topicName: topic, partitions: [0, 1, 2] }]);
  expect(offsets.topics[0].partitions.map((p) => p.lag)).toEqual([0n, 0n, 0n]);
}, 150_000);

async function heldThenTakenOver(closeConnections: boolean) {
  const topic = await topicWith(1, 10);
  const clientA = newClient();
  const groupId = await shareGroup(clientA);

  // A acquires 5 records and never finishes them (its executions hang), then dies or freezes.
  const heldByA: ShareRecord[] = [];
  const a = new ShareConsumer(clientA, { groupId, topics: [topic], concurrency: 5 }, (record) => {
    heldByA.push(record);
    return new Promise<ShareOutcome>((resolve) => hanging.push(() => resolve({ type: 'accept' })));
  });
  await a.start();
  await waitFor(() => heldByA.length === 5, { timeoutMs: 30_000, what: 'A holding 5 records' });
  const acquiredAt = Date.now();
  await a.kill({ closeConnections });

  const received: Array<{ offset: bigint; deliveryCount: number; at: number }> = [];
  const accepted = new Map<bigint, number>();
  const b = new ShareConsumer(
    newClient(),
    { groupId, topics: [topic], concurrency: 20, onAcknowledged: (r) => accepted.set(r.offset, (accepted.get(r.offset) ?? 0) + 1) },
    async (record) => {
      received.push({ offset: record.offset, deliveryCount: record.deliveryCount, at: Date.now() });
      return { type: 'accept' };
    },
  );
  consumers.push(b);
  await b.start();
  await waitFor(() => accepted.size === 10, { timeoutMs: LOCK_MS + 60_000, intervalMs: 100, what: 'all 10 accepted by B' });

  const heldOffsets = heldByA.map((r) => r.offset).sort();
  const redelivered = received.filter((r) => heldOffsets.includes(r.offset));
  const after = Math.min(...redelivered.map((r) => r.at - acquiredAt));
  console.log(`${closeConnections ? 'killed' : 'frozen'} member: ${heldOffsets.length} records redelivered ${after} ms after A acquired them (lock ${LOCK_MS} ms)`);
  expect(redelivered.map((r) => r.offset).sort()).toEqual(heldOffsets);
  expect(redelivered.every((r) => r.deliveryCount === 2)).toBe(true);
  expect(received.filter((r) => !heldOffsets.includes(r.offset)).every((r) => r.deliveryCount === 1)).toBe(true);
  expect([...accepted.values()].every((n) => n === 1)).toBe(true);
  expect(received.length).toBe(10);
  return after;
}

test('records acquired by a killed member (sockets closed) are released at once and delivered again', async () => {
  // The broker ends the share session of a closed connection and releases its records: no lock wait.
  expect(await heldThenTakenOver(true)).toBeLessThan(LOCK_MS - 1_000);
}, 150_000);

test('records acquired by a frozen member (sockets open, silent) are delivered again after the lock timeout', async () => {
  expect(await heldThenTakenOver(false)).toBeGreaterThanOrEqual(LOCK_MS - 1_000);
}, 150_000);

test('a handler running longer than the lock keeps its record: the lock is renewed, the record delivered once and accepted', async () => {
  // An n8n execution may outlast share.record.lock.duration.ms (a cold task runner took 25 s in the
  // chaos suite). Without RENEW the broker hands the record out again while it still runs, and
  // refuses its ACCEPT afterwards (INVALID_RECORD_STATE).
  const topic = await topicWith(1, 3);
  const client = newClient();
  const groupId = await shareGroup(client);
  const deliveries: Array<{ offset: bigint; deliveryCount: number }> = [];
  const accepted = new Map<bigint, number>();
  const errors: Error[] = [];
  const consumer = new ShareConsumer(
    client,
    {
      groupId,
      topics: [topic],
      concurrency: 5, // free slots: a record whose lock expired would be acquired again at once
      onError: (e) => errors.push(e),
      onAcknowledged: (a) => {
        if (a.type === AcknowledgeType.ACCEPT) accepted.set(a.offset, (accepted.get(a.offset) ?? 0) + 1);
      },
    },
    async (record) => {
      deliveries.push({ offset: record.offset, deliveryCount: record.deliveryCount });
      await new Promise((resolve) => setTimeout(resolve, LOCK_MS + 6_000)); // longer than the lock
      return { type: 'accept' };
    },
  );
  consumers.push(consumer);
  const t0 = Date.now();
  await consumer.start();
  await waitFor(() => accepted.size === 3, { timeoutMs: LOCK_MS + 40_000, intervalMs: 100, what: '3 records accepted' });
  console.log(`long handlers: 3 records held ${Date.now() - t0} ms (lock ${LOCK_MS} ms), ${deliveries.length} deliveries, errors: ${errors.map((e) => e.message).join('; ') || 'none'}`);
  expect(errors).toEqual([]);
  expect(deliveries.map((d) => d.deliveryCount)).toEqual([1, 1, 1]);
  expect([...accepted.values()]).toEqual([1, 1, 1]);
  const offsets = await client.describeOffsets(groupId, [{ topicName: topic, partitions: [0] }]);
  expect(offsets.topics[0].partitions.map((p) => p.lag)).toEqual([0n]);
}, 120_000);
