// The producer of the KafkaConnection API on @platformatic/kafka, against the local broker, with
// kafkajs as the independent reader and as the reference for key placement. Runs under Node 24:
//   node scripts/node24.mjs jest --selectProjects integration --runTestsByPath test/integration/platformatic/producer.test.ts
import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel, type KafkaMessage } from 'kafkajs';
import type { KafkaConnection } from '../../../nodes/shared/kafka/api';
import { openConnection } from '../../../nodes/shared/kafka';
import { ClientPool } from '../../../nodes/shared/pool';
import { closePlatformaticClients, openPlatformaticConnection } from '../../../nodes/shared/kafka/platformatic';
import { createJavaCompatiblePartitioner } from '../../../nodes/shared/kafka/platformatic/producer';
import { isKafkaSuiteError } from '../../../nodes/shared/errors';
import { registerCompressionCodecs } from '../../../nodes/shared/kafka/kafkajs/codecs';
import { facts } from '../../setup/facts';
import { waitFor } from '../../helpers/n8nContext';

const kafka = new Kafka({ clientId: 'platformatic-producer-test', brokers: [facts.bootstrap], logLevel: logLevel.NOTHING });
const admin = kafka.admin();
let connection: KafkaConnection;
const send = { acks: -1 as const, timeoutMs: 30_000, compression: 'none' as const };

beforeAll(async () => {
  await admin.connect();
  connection = openPlatformaticConnection({ platform: 'apache', brokers: facts.bootstrap });
});
afterAll(async () => {
  await admin.disconnect();
  await closePlatformaticClients();
});

async function createTopic(partitions: number): Promise<string> {
  const topic = `plt-producer-${randomUUID()}`;
  // retention.ms=-1: some records carry 2023 timestamps, which the broker's retention check would delete mid-test.
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '-1' }] }], waitForLeaders: true });
  return topic;
}

async function readAll(topic: string, count: number, isolation: 'read_committed' | 'read_uncommitted' = 'read_uncommitted') {
  const consumer = kafka.consumer({ groupId: `plt-reader-${randomUUID()}`, readUncommitted: isolation === 'read_uncommitted' });
  const received: Array<KafkaMessage & { partition: number }> = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message, partition }) => void received.push({ ...message, partition }) });
    await waitFor(() => received.length >= count, { what: `${count} records on ${topic}` });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

describe('partitioner', () => {
  it('places 1,000 keys where kafkajs DefaultPartitioner (Java murmur2) puts them, for 1 to 13 partitions', () => {
    const ours = createJavaCompatiblePartitioner();
    const reference = Partitioners.DefaultPartitioner();
    let compared = 0;
    for (const count of [1, 2, 3, 6, 7, 12, 13]) {
      const partitionMetadata = Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0 }));
      for (let i = 0; i < 1000; i++) {
        const key = Buffer.from(`key-${i}-${randomUUID()}`);
        const expected = reference({ topic: 't', partitionMetadata, message: { key, value: null } });
        // The library applies `% partitions` to what the partitioner returns.
        expect(ours({ topic: 't', key, value: Buffer.alloc(0) }, key) % count).toBe(expected);
        compared++;
      }
    }
    expect(compared).toBe(7000);
  });

  it('the library default partitioner alone does not match Java placement (why we pass ours)', async () => {
    const { loadPlatformatic } = await import('../../../nodes/shared/kafka/platformatic/load');
    const reference = Partitioners.DefaultPartitioner();
    const partitionMetadata = Array.from({ length: 7 }, (_, partitionId) => ({ partitionId, leader: 0 }));
    const { murmur2 } = loadPlatformatic();
    let differ = 0;
    for (let i = 0; i < 1000; i++) {
      const key = Buffer.from(`key-${i}`);
      // defaultPartitioner = murmur2(key) >>> 0 (unsigned), not Java's murmur2(key) & 0x7fffffff.
      if ((murmur2(key) >>> 0) % 7 !== reference({ topic: 't', partitionMetadata, message: { key, value: null } })) differ++;
    }
    expect(differ).toBeGreaterThan(100);
  });

  it('keyless records spread over every partition (compatibilityPartitioner alone sends them all to 0)', () => {
    const ours = createJavaCompatiblePartitioner();
    const seen = new Set<number>();
    for (let i = 0; i < 12; i++) seen.add(ours({ topic: 't', value: Buffer.alloc(0) }, undefined) % 6);
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('send', () => {
  it('writes keyed records to the partitions kafkajs chooses, with headers, null values and timestamps', async () => {
    const topic = await createTopic(6);
    const keys = Array.from({ length: 200 }, (_, i) => `order-${i}`);
    const batches = await connection.withProducer({}, (producer) =>
      producer.send(
        keys.map((key, i) => ({
          topic,
          key,
          value: i === 0 ? null : `v${i}`,
          headers: { h: 'one', multi: ['a', Buffer.from('b')], empty: null },
          timestamp: String(1_700_000_000_000 + i),
        })),
        send,
      ),
    );
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) expect(BigInt(b.baseOffset!)).toBeGreaterThanOrEqual(0n);

    const reference = Partitioners.DefaultPartitioner();
    const partitionMetadata = Array.from({ length: 6 }, (_, partitionId) => ({ partitionId, leader: 0 }));
    const received = await readAll(topic, keys.length);
    expect(received).toHaveLength(keys.length);
    for (const m of received) {
      const key = m.key!.toString();
      expect(m.partition).toBe(reference({ topic, partitionMetadata, message: { key, value: null } }));
      const i = Number(key.split('-')[1]);
      expect(m.value === null ? null : m.value.toString()).toBe(i === 0 ? null : `v${i}`);
      expect(m.timestamp).toBe(String(1_700_000_000_000 + i));
      expect(m.headers?.h?.toString()).toBe('one');
      expect((m.headers?.multi as Buffer[]).map(String)).toEqual(['a', 'b']);
      expect(m.headers?.empty).toBeNull();
    }
  });

  it.each(['gzip', 'snappy', 'lz4', 'zstd'] as const)('compresses with %s (kafkajs reads it back)', async (compression) => {
    const topic = await createTopic(1);
    const values = Array.from({ length: 20 }, (_, i) => `${compression}-${i}-${'x'.repeat(500)}`);
    await connection.withProducer({}, (producer) => producer.send(values.map((value) => ({ topic, value })), { ...send, compression }));
    // kafkajs reads snappy/lz4/zstd only with the codecs our kafkajs adapter registers.
    registerCompressionCodecs();
    const received = await readAll(topic, values.length);
    expect(received.map((m) => m.value!.toString())).toEqual(values);
  });

  it('refuses an explicit partition the topic does not have (the library would wrap it modulo the count)', async () => {
    const topic = await createTopic(3);
    const error = await connection.withProducer({}, (producer) => producer.send([{ topic, partition: 5, value: 'x' }], send)).catch((e) => e);
    expect(isKafkaSuiteError(error) && error.kind).toBe('config');
    expect(String(error.message)).toContain('no partition 5');
  });

  it('a send to a missing topic fails as a protocol error naming the topic, and does not create it', async () => {
    const topic = `plt-missing-${randomUUID()}`;
    const error = await connection.withProducer({}, (producer) => producer.send([{ topic, value: 'x' }], { ...send, timeoutMs: 15_000 })).catch((e) => e);
    expect(isKafkaSuiteError(error)).toBe(true);
    expect(error.context.topic).toBe(topic);
    expect(await admin.listTopics()).not.toContain(topic);
  });
});

describe('transaction', () => {
  it('commits records and consumed offsets atomically; an aborted one is invisible to read_committed', async () => {
    const topic = await createTopic(2);
    const group = `plt-tx-group-${randomUUID()}`;
    await connection.withProducer({ transactionalId: `plt-tx-${randomUUID()}` }, async (producer) => {
      await producer.transaction(async (tx) => {
        await tx.send([{ topic, key: 'a', value: 'committed' }], send);
        await tx.sendOffsets(group, [{ topic, partition: 0, offset: '42' }]);
      });
      await expect(
        producer.transaction(async (tx) => {
          await tx.send([{ topic, key: 'a', value: 'aborted' }], send);
          throw new Error('work failed');
        }),
      ).rejects.toThrow('work failed');
      await producer.transaction(async (tx) => void (await tx.send([{ topic, key: 'a', value: 'after' }], send)));
    });
    const received = await readAll(topic, 2, 'read_committed');
    expect(received.map((m) => m.value!.toString())).toEqual(['committed', 'after']);
    const offsets = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    expect(offsets[0].partitions.find((p) => p.partition === 0)?.offset).toBe('42');
  });
});

describe('one transactional id, successive producer instances', () => {
  // An n8n or worker restart, or the pool's idle close, makes a NEW producer instance for a
  // transactional id the broker already knows. Each connection here has its own pool, so each gets
  // its own producer (as two processes would).
  const platformatic = (pool: ClientPool) => {
    const conn = openConnection({ platform: 'apache', brokers: facts.bootstrap, clientLibrary: 'platformatic' }, { pool });
    expect(conn.clientLibrary).toBe('platformatic');
    return conn;
  };
  const commit = (conn: KafkaConnection, transactionalId: string, topic: string, value: string) =>
    conn.withProducer({ transactionalId }, (producer) => producer.transaction(async (tx) => void (await tx.send([{ topic, key: 'k', value }], send))));

  it('the second producer (the first one closed, as after an idle close) commits, read_committed sees both', async () => {
    const topic = await createTopic(1);
    const transactionalId = `plt-tx-reuse-${randomUUID()}`;
    const first = new ClientPool();
    const second = new ClientPool();
    try {
      await commit(platformatic(first), transactionalId, topic, 'first');
      await first.closeAll();
      await commit(platformatic(second), transactionalId, topic, 'second');
    } finally {
      await first.closeAll();
      await second.closeAll();
    }
    const received = await readAll(topic, 2, 'read_committed');
    expect(received.map((m) => m.value!.toString())).toEqual(['first', 'second']);
  }, 90_000);

  it('the second producer commits while the first is still open (a killed process never closes it)', async () => {
    const topic = await createTopic(1);
    const transactionalId = `plt-tx-zombie-${randomUUID()}`;
    const first = new ClientPool();
    const second = new ClientPool();
    try {
      await commit(platformatic(first), transactionalId, topic, 'first');
      await commit(platformatic(second), transactionalId, topic, 'second');
    } finally {
      await second.closeAll();
      await first.closeAll().catch(() => undefined);
    }
    const received = await readAll(topic, 2, 'read_committed');
    expect(received.map((m) => m.value!.toString())).toEqual(['first', 'second']);
  }, 90_000);
});

describe('errors', () => {
  it('wrong SASL password: kind auth, mechanism named, password not in the message', async () => {
    const password = `wrong-${randomUUID()}`;
    const bad = openPlatformaticConnection({
      platform: 'apache',
      brokers: facts.saslBootstrap,
      securityProtocol: 'sasl_plaintext',
      saslMechanism: 'scram-sha-512',
      username: facts.user.username,
      password,
    });
    const error = await bad.withProducer({}, (producer) => producer.send([{ topic: 'any', value: 'x' }], send)).catch((e) => e);
    expect(isKafkaSuiteError(error) && error.kind).toBe('auth');
    expect(error.message).toContain('SCRAM-SHA-512');
    expect(error.message).not.toContain(password);
  });

  it('nothing listening: kind tcp, retriable', async () => {
    const bad = openPlatformaticConnection({ platform: 'apache', brokers: '127.0.0.1:1', retries: 0, connectionTimeoutMs: 2000 });
    const error = await bad.withAdmin((a) => a.listTopics()).catch((e) => e);
    expect(isKafkaSuiteError(error) && error.kind).toBe('tcp');
    expect(error.retriable).toBe(true);
  });
});
