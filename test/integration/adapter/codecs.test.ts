import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { ClientPool, openConnection, type CompressionName, type ConsumedRecord, type KafkaClusterCredential } from '../../../nodes/shared';
import { facts } from '../../setup/facts';
import { ensureCommand } from '../../setup/tools';
import { waitFor } from '../../helpers/n8nContext';

// Every codec must work both ways, and against a producer that is not ourselves: a codec that only
// round-trips with itself proves little, so kcat (librdkafka) writes and reads the same topics.

const pool = new ClientPool();
const cred = (): KafkaClusterCredential => ({ platform: 'apache', brokers: facts.bootstrap });
const connect = () => openConnection(cred(), { pool });
const sendOptions = (compression: CompressionName) => ({ acks: -1 as const, timeoutMs: 30_000, compression });
const codecs: CompressionName[] = ['gzip', 'snappy', 'lz4', 'zstd'];
let kcat: string;

beforeAll(async () => {
  kcat = ensureCommand('kcat', 'kcat');
});
afterAll(() => pool.closeAll());

async function createTopic(): Promise<string> {
  const topic = `codec-${randomUUID()}`;
  await connect().withAdmin((admin) => admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }]));
  return topic;
}

async function consumeAll(topic: string, count: number): Promise<ConsumedRecord[]> {
  const consumer = connect().consumer({
    groupId: `codec-reader-${randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    sessionTimeoutMs: 30_000,
    rebalanceTimeoutMs: 60_000,
    heartbeatIntervalMs: 3_000,
    maxBytesPerPartition: 1_048_576,
    maxBytes: 10_485_760,
    minBytes: 1,
    maxWaitMs: 500,
    concurrency: 1,
  });
  const received: ConsumedRecord[] = [];
  try {
    // Marking the batch handled moves the fetch position on; otherwise the same records come again.
    await consumer.start(async (batch) => {
      received.push(...batch.records);
      if (batch.records.length) batch.markHandled(batch.records[batch.records.length - 1].offset);
    });
    await waitFor(() => received.length >= count, { what: `${count} messages on ${topic}` });
  } finally {
    await consumer.stop();
  }
  return received;
}

describe.each(codecs)('%s', (codec) => {
  // Big, repetitive values so compression really kicks in and batches span many records.
  const values = Array.from({ length: 50 }, (_, i) => `${codec}-value-${i}-${'x'.repeat(2000)}`);

  it('round-trips through our producer and consumer', async () => {
    const topic = await createTopic();
    await connect().withProducer({ idempotent: true }, (producer) =>
      producer.send(values.map((value, i) => ({ topic, key: `k${i}`, value })), sendOptions(codec)),
    );
    const received = await consumeAll(topic, values.length);
    expect(received.map((m) => m.value?.toString())).toEqual(values);
    expect(received.map((m) => m.key?.toString())).toEqual(values.map((_, i) => `k${i}`));
  });

  it('reads what kcat (librdkafka) compressed, and kcat reads what we compressed', async () => {
    const topic = await createTopic();
    const input = values.slice(0, 10).join('\n') + '\n';
    execFileSync(kcat, ['-b', facts.bootstrap, '-t', topic, '-P', '-z', codec, '-K', ':'], {
      input: values.slice(0, 10).map((v, i) => `kc${i}:${v}`).join('\n') + '\n',
    });
    const fromKcat = await consumeAll(topic, 10);
    expect(fromKcat.map((m) => m.value?.toString())).toEqual(values.slice(0, 10));
    expect(fromKcat.map((m) => m.key?.toString())).toEqual(values.slice(0, 10).map((_, i) => `kc${i}`));

    const ours = await createTopic();
    await connect().withProducer({ idempotent: true }, (producer) =>
      producer.send(values.slice(0, 10).map((value) => ({ topic: ours, value })), sendOptions(codec)),
    );
    const read = execFileSync(kcat, ['-b', facts.bootstrap, '-t', ours, '-C', '-o', 'beginning', '-e', '-q', '-f', '%s\n'], { encoding: 'utf8' });
    expect(read).toBe(input);
  });
});
