// KIP-848 (the consumer group protocol) and KIP-447 (transactional offset commits fenced by the
// group's generation and member id) through the KafkaConnection API on @platformatic/kafka, on a
// Kafka 4.x broker (the shared one of `npm test`, or one this file starts on ports 39092-39096 when
// KAFKA_SUITE_KIP_VERSION names another version). Runs under Node 24:
//   node scripts/node24.mjs jest --selectProjects integration --runTestsByPath test/integration/platformatic/kip.test.ts
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { ConsumerOptions, GroupMemberMetadata, KafkaConnection, KafkaConsumer, PartitionBatch } from '../../../nodes/shared/kafka/api';
import { closePlatformaticClients, openPlatformaticConnection } from '../../../nodes/shared/kafka/platformatic';
import { isKafkaSuiteError } from '../../../nodes/shared/errors';
import { waitFor } from '../../helpers/n8nContext';
import { facts } from '../../setup/facts';

// The run's shared broker when it is a 4.x (`npm test`: 4.4.0); else, or with KAFKA_SUITE_KIP_VERSION,
// a broker of that version on ports of its own.
const sharedVersion = process.env.KAFKA_SHARED_BROKER_VERSION ?? '';
const useShared = !process.env.KAFKA_SUITE_KIP_VERSION && /^4\./.test(sharedVersion);
const KAFKA4 = useShared ? sharedVersion : process.env.KAFKA_SUITE_KIP_VERSION || '4.4.0';
const root = path.resolve(__dirname, '..', '..', '..');
interface OwnServices {
  start(options: object): Promise<{ bootstrap: { plaintext: string }; kafkaVersion?: string }>;
  release(): Promise<unknown>;
}
function ownServices(): OwnServices {
  // services.cjs reads its environment once, at load: this file's module registry loads its own copy.
  Object.assign(process.env, {
    KAFKA_VERSION: KAFKA4,
    KAFKA_PLAINTEXT_PORT: '39092',
    KAFKA_SSL_PORT: '39093',
    KAFKA_SASL_PORT: '39094',
    KAFKA_SASL_SSL_PORT: '39095',
    KAFKA_CONTROLLER_PORT: '39096',
    SCHEMA_REGISTRY_PORT: '38081',
    KAFKA_CONNECT_PORT: '38083',
    KAFKA_SUITE_STATE: path.join(root, '.cache', 'plt-4x', 'run'),
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../../infra/local/services.cjs') as OwnServices;
}
const services: OwnServices | undefined = useShared ? undefined : ownServices();

let bootstrap: string;
let connection: KafkaConnection;
const running: KafkaConsumer[] = [];
const send = { acks: -1 as const, timeoutMs: 30_000, compression: 'none' as const };

beforeAll(async () => {
  bootstrap = services ? (await services.start({ lease: true, connect: false, registry: false })).bootstrap.plaintext : facts.bootstrap;
  connection = openPlatformaticConnection({ platform: 'apache', brokers: bootstrap });
}, 600_000);
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
});
afterAll(async () => {
  await closePlatformaticClients();
  await services?.release();
}, 120_000);

async function createTopic(partitions: number): Promise<string> {
  const topic = `plt-kip-${randomUUID()}`;
  await connection.withAdmin((admin) => admin.createTopics([{ topic, numPartitions: partitions, replicationFactor: 1 }]));
  return topic;
}

function options(topic: string, groupId: string, extra: Partial<ConsumerOptions> = {}): ConsumerOptions {
  return {
    groupId,
    topics: [topic],
    fromBeginning: true,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 10_000,
    heartbeatIntervalMs: 500,
    maxBytesPerPartition: 1_048_576,
    maxBytes: 10_485_760,
    minBytes: 1,
    maxWaitMs: 200,
    concurrency: 1,
    ...extra,
  };
}

/** A consumer that remembers each batch's membership and marks everything handled. */
async function member(topic: string, groupId: string, extra: Partial<ConsumerOptions> = {}) {
  const seen: Array<{ partition: number; member: GroupMemberMetadata | undefined }> = [];
  const consumer = connection.consumer(options(topic, groupId, extra));
  running.push(consumer);
  await consumer.start(async (batch: PartitionBatch) => {
    seen.push({ partition: batch.partition, member: batch.member() });
    batch.markHandled(batch.records[batch.records.length - 1].offset);
  });
  return { consumer, seen };
}

async function committed(groupId: string, topic: string): Promise<string | undefined> {
  const offsets = await connection.withAdmin((admin) => admin.fetchOffsets(groupId, [topic]));
  return offsets[0]?.partitions.find((p) => p.partition === 0)?.offset;
}

it(`KIP-848 on Kafka ${KAFKA4}: a consumer with groupProtocol 'consumer' is listed as a group of type "consumer" and gets records`, async () => {
  const topic = await createTopic(2);
  const groupId = `plt-kip848-${randomUUID()}`;
  await connection.withProducer({}, (p) => p.send([0, 1].map((partition) => ({ topic, partition, value: `v${partition}` })), send));
  const { seen } = await member(topic, groupId, { groupProtocol: 'consumer' });
  await waitFor(() => new Set(seen.map((s) => s.partition)).size === 2, { what: 'records of both partitions', timeoutMs: 60_000 });
  const groups = await connection.withAdmin((admin) => admin.listGroups());
  expect(groups.find((g) => g.groupId === groupId)).toMatchObject({ groupId, groupType: 'consumer' });
  const described = await connection.withAdmin((admin) => admin.describeGroups([groupId]));
  expect(described[0].groupType).toBe('consumer');
  // The member epoch the broker assigned stands in for the generation (KIP-848).
  expect(seen[0].member?.generationId).toBeGreaterThan(0);
});

async function refusedAndCommitted(topic: string, groupId: string, zombie: GroupMemberMetadata, current: GroupMemberMetadata, expectedCode: string) {
  const transactionalId = `plt-kip447-${randomUUID()}`;
  const refused = await connection
    .withProducer({ transactionalId }, (p) =>
      p.transaction(async (tx) => {
        await tx.send([{ topic, partition: 0, value: 'zombie output' }], send);
        await tx.sendOffsets(groupId, [{ topic, partition: 0, offset: '1000' }], zombie);
      }),
    )
    .catch((e) => e);
  expect(isKafkaSuiteError(refused)).toBe(true);
  expect(refused.code).toBe(expectedCode);
  expect(await committed(groupId, topic)).not.toBe('1000');

  await connection.withProducer({ transactionalId }, (p) =>
    p.transaction(async (tx) => {
      await tx.send([{ topic, partition: 0, value: 'current output' }], send);
      await tx.sendOffsets(groupId, [{ topic, partition: 0, offset: '1001' }], current);
    }),
  );
  // The offsets a transaction commits show once the coordinator has applied its commit marker.
  await waitFor(async () => (await committed(groupId, topic)) === '1001', { what: 'the current member\'s offset committed', timeoutMs: 30_000 });
}

it('KIP-447, classic protocol: a zombie (this member id, the generation before a rebalance) is refused ILLEGAL_GENERATION; the current generation commits', async () => {
  const topic = await createTopic(2);
  const groupId = `plt-kip447-classic-${randomUUID()}`;
  const produceBoth = (value: string) => connection.withProducer({}, (p) => p.send([0, 1].map((partition) => ({ topic, partition, value })), send));
  await produceBoth('first');
  const first = await member(topic, groupId);
  await waitFor(() => first.seen.length >= 1 && first.seen[0].member, { what: 'first member got a batch', timeoutMs: 60_000 });
  const zombie = first.seen[0].member!;
  // A second member joins: the group rebalances and the first member carries on in a newer generation.
  const second = await member(topic, groupId);
  await waitFor(
    async () => {
      await produceBoth('again');
      return first.seen.some((s) => s.member && s.member.generationId > zombie.generationId) && second.seen.length > 0;
    },
    { what: 'both members consuming after the rebalance', timeoutMs: 90_000, intervalMs: 1000 },
  );
  const current = [...first.seen].reverse().find((s) => s.member && s.member.generationId > zombie.generationId)!.member!;
  expect(current.memberId).toBe(zombie.memberId);
  await refusedAndCommitted(topic, groupId, zombie, current, 'ILLEGAL_GENERATION');
});

it('KIP-447, consumer protocol (KIP-848): a commit with a member epoch behind the member\'s current one is refused (ILLEGAL_GENERATION, as TxnOffsetCommit reports a stale member epoch); the current epoch commits', async () => {
  const topic = await createTopic(1);
  const groupId = `plt-kip447-consumer-${randomUUID()}`;
  await connection.withProducer({}, (p) => p.send([{ topic, partition: 0, value: 'first' }], send));
  const only = await member(topic, groupId, { groupProtocol: 'consumer' });
  await waitFor(() => only.seen.length >= 1 && only.seen[0].member, { what: 'a batch', timeoutMs: 60_000 });
  const current = only.seen[0].member!;
  expect(current.generationId).toBeGreaterThan(1);
  // The zombie's view: the same member one epoch earlier (the epoch moves on at every reconciliation).
  await refusedAndCommitted(topic, groupId, { ...current, generationId: current.generationId - 1 }, current, 'ILLEGAL_GENERATION');
});

/** A KIP-848 member that records every value it is handed, commits each batch, and keeps the partitions it was last assigned. */
async function recordingMember(topic: string, groupId: string) {
  const values: string[] = [];
  let owned: number[] = [];
  const consumer = connection.consumer(options(topic, groupId, { groupProtocol: 'consumer' }));
  running.push(consumer);
  await consumer.start(
    async (batch: PartitionBatch) => {
      for (const r of batch.records) values.push(r.value!.toString());
      const last = batch.records[batch.records.length - 1].offset;
      await batch.commit(String(BigInt(last) + 1n));
      batch.markHandled(last);
    },
    { assigned: (assignment) => void (owned = assignment.flatMap((a) => (a.topic === topic ? a.partitions : [])).sort((x, y) => x - y)) },
  );
  return { consumer, values, owned: () => owned };
}

it(`KIP-848 on Kafka ${KAFKA4}: a second member (groupProtocol 'consumer') gets partitions within 30 s; both own some, and every record is consumed once`, async () => {
  const partitions = 4;
  const perRound = 100;
  const topic = await createTopic(partitions);
  const groupId = `plt-kip848-two-${randomUUID()}`;
  const round = (name: string) => Array.from({ length: perRound }, (_, i) => ({ topic, partition: i % partitions, value: `${name}-${i}` }));
  await connection.withProducer({}, (p) => p.send(round('a'), send));
  const first = await recordingMember(topic, groupId);
  await waitFor(() => first.values.length >= perRound, { what: 'the first member reads round a', timeoutMs: 60_000 });
  expect(first.owned()).toEqual([0, 1, 2, 3]);

  const joined = Date.now();
  const second = await recordingMember(topic, groupId);
  await waitFor(
    () => {
      const a = first.owned();
      const b = second.owned();
      return b.length > 0 && a.length > 0 && a.every((p) => !b.includes(p)) && a.length + b.length === partitions;
    },
    { what: 'the partitions split between both members', timeoutMs: 30_000, intervalMs: 100 },
  );
  const splitMs = Date.now() - joined;
  await connection.withProducer({}, (p) => p.send(round('b'), send));
  const all = () => [...first.values, ...second.values];
  await waitFor(() => all().filter((v) => v.startsWith('b-')).length >= perRound, { what: 'round b consumed', timeoutMs: 60_000 });
  // Everything once: round a by the first member (before the split), round b split by ownership.
  const counts = new Map<string, number>();
  for (const v of all()) counts.set(v, (counts.get(v) ?? 0) + 1);
  expect(counts.size).toBe(2 * perRound);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  expect(first.values.filter((v) => v.startsWith('b-')).length).toBeGreaterThan(0);
  expect(second.values.filter((v) => v.startsWith('b-')).length).toBeGreaterThan(0);
  expect(first.values.filter((v) => v.startsWith('b-')).length).toBe((perRound / partitions) * first.owned().length);
  expect(second.values.filter((v) => v.startsWith('b-')).length).toBe((perRound / partitions) * second.owned().length);
  console.log(`KIP-848 two members: split ${first.owned().join(',')} / ${second.owned().join(',')} ${splitMs} ms after the second joined`);
}, 180_000);
