// The consumer of the KafkaConnection API on @platformatic/kafka: the delivery loop we build over
// the library's group membership and Fetch (per-partition pause/resume, seek, explicit commits,
// read_committed, member metadata). kafkajs writes the input. Runs under Node 24:
//   node scripts/node24.mjs jest --selectProjects integration --runTestsByPath test/integration/platformatic/consumer.test.ts
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { ConsumedRecord, ConsumerOptions, KafkaConnection, KafkaConsumer, PartitionBatch } from '../../../nodes/shared/kafka/api';
import { closePlatformaticClients, openPlatformaticConnection } from '../../../nodes/shared/kafka/platformatic';
import { loadPlatformatic } from '../../../nodes/shared/kafka/platformatic/load';
import { facts } from '../../setup/facts';
import { waitFor } from '../../helpers/n8nContext';

const kafka = new Kafka({ clientId: 'platformatic-consumer-test', brokers: [facts.bootstrap], logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const producer = kafka.producer({ idempotent: true });
let connection: KafkaConnection;
const running: KafkaConsumer[] = [];

beforeAll(async () => {
  await Promise.all([admin.connect(), producer.connect()]);
  connection = openPlatformaticConnection({ platform: 'apache', brokers: facts.bootstrap });
});
afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all(running.splice(0).map((c) => c.stop()));
});
afterAll(async () => {
  await Promise.all([admin.disconnect(), producer.disconnect()]);
  await closePlatformaticClients();
});

async function createTopic(partitions: number): Promise<string> {
  const topic = `plt-consumer-${randomUUID()}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  return topic;
}

async function produce(topic: string, partition: number, values: string[]): Promise<void> {
  await producer.send({ topic, messages: values.map((value) => ({ partition, value, key: value })) });
}

function options(topic: string, extra: Partial<ConsumerOptions> = {}): ConsumerOptions {
  return {
    groupId: `plt-group-${randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 10_000,
    heartbeatIntervalMs: 1_000,
    maxBytesPerPartition: 1_048_576,
    maxBytes: 10_485_760,
    minBytes: 1,
    maxWaitMs: 200,
    concurrency: 2,
    ...extra,
  };
}

async function start(opts: ConsumerOptions, handler: (batch: PartitionBatch) => Promise<void>) {
  const consumer = connection.consumer(opts);
  running.push(consumer);
  const assigned: Array<Array<{ topic: string; partitions: number[] }>> = [];
  const crashed: unknown[] = [];
  await consumer.start(handler, { assigned: (a) => void assigned.push(a), crashed: (e) => void crashed.push(e) });
  return { consumer, assigned, crashed };
}

/** A handler that records every record it sees, marks all handled and commits. */
function collecting(seen: ConsumedRecord[]) {
  return async (batch: PartitionBatch) => {
    seen.push(...batch.records);
    const last = batch.records[batch.records.length - 1];
    batch.markHandled(last.offset);
    await batch.commit(String(BigInt(last.offset) + 1n));
  };
}

const values = (records: ConsumedRecord[], partition?: number) =>
  records.filter((r) => partition === undefined || r.partition === partition).map((r) => r.value!.toString());

it('delivers every partition in offset order and commits what the handler commits', async () => {
  const topic = await createTopic(3);
  for (let p = 0; p < 3; p++) await produce(topic, p, [`p${p}-a`, `p${p}-b`, `p${p}-c`]);
  const seen: ConsumedRecord[] = [];
  const opts = options(topic);
  const { assigned } = await start(opts, collecting(seen));
  await waitFor(() => seen.length >= 9, { what: '9 records' });
  for (let p = 0; p < 3; p++) expect(values(seen, p)).toEqual([`p${p}-a`, `p${p}-b`, `p${p}-c`]);
  expect(assigned[0]).toEqual([{ topic, partitions: [0, 1, 2] }]);
  await waitFor(async () => {
    const committed = await admin.fetchOffsets({ groupId: opts.groupId, topics: [topic] });
    return committed[0].partitions.every((p) => p.offset === '3');
  }, { what: 'offsets committed' });
});

it('pause holds one partition while the others keep flowing; resume continues from the held offset', async () => {
  const topic = await createTopic(2);
  await produce(topic, 0, ['a1', 'a2']);
  await produce(topic, 1, ['b1']);
  const seen: ConsumedRecord[] = [];
  let resume: (() => void) | undefined;
  await start(options(topic), async (batch) => {
    if (batch.partition === 0 && !resume) {
      // Handle only the first record, then pause: a2 must come back after the resume, once.
      seen.push(batch.records[0]);
      batch.markHandled(batch.records[0].offset);
      resume = batch.pause();
      return;
    }
    seen.push(...batch.records);
    batch.markHandled(batch.records[batch.records.length - 1].offset);
  });
  await waitFor(() => resume && values(seen, 1).includes('b1'), { what: 'partition 0 paused, partition 1 delivered' });
  await produce(topic, 1, ['b2']);
  await produce(topic, 0, ['a3']);
  await waitFor(() => values(seen, 1).includes('b2'), { what: 'partition 1 still flowing while 0 is paused' });
  expect(values(seen, 0)).toEqual(['a1']);
  resume!();
  await waitFor(() => values(seen, 0).length >= 3, { what: 'partition 0 after resume' });
  expect(values(seen, 0)).toEqual(['a1', 'a2', 'a3']);
});

it('seek moves a partition back (re-delivery) and forward (skip)', async () => {
  const topic = await createTopic(1);
  await produce(topic, 0, ['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
  const seen: ConsumedRecord[] = [];
  const { consumer } = await start(options(topic), collecting(seen));
  await waitFor(() => seen.length >= 6, { what: 'first pass' });
  consumer.seek(topic, 0, '2');
  await waitFor(() => seen.length >= 10, { what: 'replay from offset 2' });
  expect(values(seen)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r2', 'r3', 'r4', 'r5']);
  consumer.seek(topic, 0, '8');
  await produce(topic, 0, ['r6', 'r7', 'r8', 'r9']);
  await waitFor(() => seen.length >= 12, { what: 'records from offset 8' });
  expect(values(seen).slice(10)).toEqual(['r8', 'r9']);
});

it('a seek in the assigned event applies before the first fetch', async () => {
  const topic = await createTopic(1);
  await produce(topic, 0, ['s0', 's1', 's2', 's3']);
  const seen: ConsumedRecord[] = [];
  const consumer = connection.consumer(options(topic));
  running.push(consumer);
  await consumer.start(collecting(seen), { assigned: () => consumer.seek(topic, 0, '3') });
  await waitFor(() => seen.length >= 1, { what: 'first record' });
  expect(values(seen)[0]).toBe('s3');
});

it('read_committed never delivers records of aborted transactions (read_uncommitted does)', async () => {
  const topic = await createTopic(1);
  const tx = kafka.producer({ transactionalId: `plt-abort-${randomUUID()}`, idempotent: true, maxInFlightRequests: 1 });
  await tx.connect();
  try {
    const t1 = await tx.transaction();
    await t1.send({ topic, messages: [{ value: 'aborted-1' }, { value: 'aborted-2' }] });
    await t1.abort();
    const t2 = await tx.transaction();
    await t2.send({ topic, messages: [{ value: 'committed' }] });
    await t2.commit();
  } finally {
    await tx.disconnect();
  }
  const committed: ConsumedRecord[] = [];
  await start(options(topic), collecting(committed));
  await waitFor(() => committed.length >= 1, { what: 'the committed record' });
  const all: ConsumedRecord[] = [];
  await start(options(topic, { readCommitted: false }), collecting(all));
  await waitFor(() => all.length >= 3, { what: 'every record, read_uncommitted' });
  expect(values(all)).toEqual(['aborted-1', 'aborted-2', 'committed']);
  expect(values(committed)).toEqual(['committed']);
});

it('member() carries the generation and member id a KIP-447 commit needs', async () => {
  const topic = await createTopic(1);
  await produce(topic, 0, ['m']);
  const members: Array<ReturnType<PartitionBatch['member']>> = [];
  await start(options(topic), async (batch) => {
    members.push(batch.member());
    batch.markHandled(batch.records[0].offset);
  });
  await waitFor(() => members.length >= 1, { what: 'a batch' });
  expect(members[0]?.generationId).toBeGreaterThan(0);
  expect(members[0]?.memberId).toMatch(/.+/);
});

// The starting offsets of a new assignment are two requests (OffsetFetch to the coordinator, then
// ListOffsets for partitions without a commit). Either can fail, e.g. with a request timeout (the
// library's is 5 s) on a loaded machine; the partitions must still be positioned on a later turn,
// not stay assigned but never fetched until the next rebalance.
describe('a failed lookup of the starting offsets is retried', () => {
  it.each(['listCommittedOffsets', 'listOffsets'] as const)('%s failing once at assignment: every partition is still delivered', async (method) => {
    const topic = await createTopic(3);
    for (let p = 0; p < 3; p++) await produce(topic, p, [`p${p}-a`, `p${p}-b`]);
    // Only our loop's first call fails: it awaits a promise, the library's own stream passes a callback.
    const lib = loadPlatformatic();
    const prototype = lib.Consumer.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const original = prototype[method];
    let failed = 0;
    jest.spyOn(prototype, method).mockImplementation(function (this: unknown, ...args: unknown[]) {
      if (typeof args[1] === 'function' || failed > 0) return original.apply(this, args);
      failed++;
      return Promise.reject(new lib.TimeoutError('Request timed out.'));
    });
    const seen: ConsumedRecord[] = [];
    const recovering: unknown[] = [];
    const consumer = connection.consumer(options(topic));
    running.push(consumer);
    await consumer.start(collecting(seen), { recovering: (e) => void recovering.push(e) });
    await waitFor(() => seen.length >= 6, { timeoutMs: 20_000, what: `6 records after ${method} failed once` });
    expect(failed).toBe(1);
    expect(recovering[0]).toMatchObject({ kind: 'timeout', retriable: true });
    for (let p = 0; p < 3; p++) expect(values(seen, p)).toEqual([`p${p}-a`, `p${p}-b`]);
  });
});
