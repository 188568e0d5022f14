import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { ClientPool, compressionType, type CompressionName, type KafkaClusterCredential, type KafkaMessage } from '../../../nodes/shared';
import { facts } from '../../setup/facts';
import { ensureCommand } from '../../setup/tools';
import { waitFor } from '../../helpers/n8nContext';

// Every codec must work both ways, and against a producer that is not ourselves: a codec that only
// round-trips with itself proves little, so kcat (librdkafka) writes and reads the same topics.

const pool = new ClientPool();
const cred = (): KafkaClusterCredential => ({ platform: 'apache', brokers: facts.bootstrap });
const codecs: CompressionName[] = ['gzip', 'snappy', 'lz4', 'zstd'];
let kcat: string;

beforeAll(async () => {
  kcat = ensureCommand('kcat', 'kcat');
});
afterAll(() => pool.closeAll());

async function createTopic(): Promise<string> {
  const topic = `codec-${randomUUID()}`;
  await pool.withAdmin(cred(), (admin) => admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true }));
  return topic;
}

async function consumeAll(topic: string, count: number): Promise<KafkaMessage[]> {
  const { kafka } = pool.kafka(cred());
  const consumer = kafka.consumer({ groupId: `codec-reader-${randomUUID()}` });
  const received: KafkaMessage[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(message) });
    await waitFor(() => received.length >= count, { what: `${count} messages on ${topic}` });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

describe.each(codecs)('%s', (codec) => {
  // Big, repetitive values so compression really kicks in and batches span many records.
  const values = Array.from({ length: 50 }, (_, i) => `${codec}-value-${i}-${'x'.repeat(2000)}`);

  it('round-trips through our producer and consumer', async () => {
    const topic = await createTopic();
    await pool.withProducer(cred(), { idempotent: true }, (producer) =>
      producer.send({ topic, compression: compressionType(codec), messages: values.map((value, i) => ({ key: `k${i}`, value })) }),
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
    await pool.withProducer(cred(), { idempotent: true }, (producer) =>
      producer.send({ topic: ours, compression: compressionType(codec), messages: values.slice(0, 10).map((value) => ({ value })) }),
    );
    const read = execFileSync(kcat, ['-b', facts.bootstrap, '-t', ours, '-C', '-o', 'beginning', '-e', '-q', '-f', '%s\n'], { encoding: 'utf8' });
    expect(read).toBe(input);
  });
});
