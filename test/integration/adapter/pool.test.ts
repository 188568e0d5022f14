import { randomUUID } from 'node:crypto';
import { ClientPool, KafkaSuiteError, openConnection, setLogSink, type KafkaClusterCredential, type LogSink, type SendOptions } from '../../../nodes/shared';
import { facts } from '../../setup/facts';
import { waitFor } from '../../helpers/n8nContext';

const cred = (): KafkaClusterCredential => ({ platform: 'apache', brokers: facts.bootstrap });
const SEND: SendOptions = { acks: -1, timeoutMs: 30_000, compression: 'none' };

describe('client pool behind openConnection', () => {
  const pool = new ClientPool({ idleMs: 200, sweepEveryMs: 50 });
  // Each call is one "execution": the credential is resolved and hashed afresh, the clients are pooled.
  const connect = (c: KafkaClusterCredential = cred(), p: ClientPool = pool) => openConnection(c, { pool: p });
  afterAll(() => pool.closeAll());

  it('reuses one connected producer across executions with the same credential', async () => {
    const topic = `pool-${randomUUID()}`;
    await connect().withAdmin((admin) => admin.createTopics([{ topic, numPartitions: 1 }]));
    const seen = new Set<unknown>();
    for (let execution = 0; execution < 5; execution++) {
      await connect().withProducer({ idempotent: true }, async (producer) => {
        seen.add(producer);
        await producer.send([{ topic, value: `execution-${execution}` }], SEND);
      });
    }
    expect(seen.size).toBe(1);
    // A different credential (another client id) gets a client of its own.
    await connect({ ...cred(), clientId: 'other' }).withProducer({ idempotent: true }, async (producer) => {
      seen.add(producer);
    });
    expect(seen.size).toBe(2);
    expect(connect().key).toBe(connect().key);
    expect(connect({ ...cred(), clientId: 'other' }).key).not.toBe(connect().key);
  });

  it('closes clients that stay idle, and reconnects on the next use', async () => {
    await connect().withAdmin((admin) => admin.listTopics());
    expect(pool.size).toBeGreaterThan(0);
    await waitFor(() => pool.size === 0, { timeoutMs: 5000, what: 'idle clients to be closed' });
    const topics = await connect().withAdmin((admin) => admin.listTopics());
    expect(Array.isArray(topics)).toBe(true);
  });

  it('does not keep a failed connection in the pool', async () => {
    const fresh = new ClientPool();
    try {
      const bad = { platform: 'apache' as const, brokers: '127.0.0.1:1', retries: 0, connectionTimeoutMs: 500 };
      await expect(connect(bad, fresh).withAdmin((admin) => admin.listTopics())).rejects.toBeInstanceOf(KafkaSuiteError);
      expect(fresh.size).toBe(0);
      // The next execution tries afresh instead of getting the broken client back.
      await expect(connect(bad, fresh).withAdmin((admin) => admin.listTopics())).rejects.toBeInstanceOf(KafkaSuiteError);
      expect(fresh.size).toBe(0);
      await connect(cred(), fresh).withAdmin((admin) => admin.listTopics());
      expect(fresh.size).toBe(1);
    } finally {
      await fresh.closeAll();
    }
  });

  it('refuses a credential it cannot resolve at once, with a configuration error', () => {
    expect(() => openConnection({ platform: 'apache', brokers: '' }, { pool })).toThrow(KafkaSuiteError);
  });

  it('recovers when a topic it used is deleted behind its back', async () => {
    const fresh = new ClientPool();
    try {
      const doomed = `pool-doomed-${randomUUID()}`;
      const survivor = `pool-survivor-${randomUUID()}`;
      await connect(cred(), fresh).withAdmin((admin) => admin.createTopics([{ topic: doomed, numPartitions: 1 }, { topic: survivor, numPartitions: 1 }]));
      await connect(cred(), fresh).withProducer({ idempotent: true }, (producer) => producer.send([{ topic: doomed, value: 'x' }], SEND));
      // Deleted by someone else (another tool, another n8n instance), not through this pool.
      const outsider = new ClientPool();
      await connect(cred(), outsider).withAdmin((admin) => admin.deleteTopics([doomed]));
      await outsider.closeAll();
      await waitFor(
        async () => {
          try {
            await connect(cred(), fresh).withProducer({ idempotent: true }, (producer) => producer.send([{ topic: survivor, value: 'after' }], SEND));
            return true;
          } catch {
            return false;
          }
        },
        { timeoutMs: 30_000, what: 'the pooled producer to serve another topic after the deletion' },
      );
      const offsets = await connect(cred(), fresh).withAdmin((admin) => admin.fetchTopicOffsets(survivor));
      expect(offsets[0].high).toBe('1');
    } finally {
      await fresh.closeAll();
    }
  });

  it('lets one caller at a time use a transactional producer', async () => {
    const topic = `pool-tx-${randomUUID()}`;
    await connect().withAdmin((admin) => admin.createTopics([{ topic, numPartitions: 1 }]));
    let active = 0;
    let maxActive = 0;
    const run = (n: number) =>
      connect().withProducer({ idempotent: true, transactionalId: `pool-tx-${topic}` }, async (producer) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await producer.transaction(async (tx) => {
          await tx.send([{ topic, value: `tx-${n}` }], SEND);
        });
        active--;
      });
    await Promise.all([run(1), run(2), run(3)]);
    expect(maxActive).toBe(1);
    const [marks] = await connect().withAdmin((admin) => admin.fetchTopicOffsets(topic));
    // Three records and three commit markers.
    expect(marks.high).toBe('6');
  });
});

describe('kafkajs → n8n log bridge', () => {
  it('forwards client errors to the n8n logger with secrets scrubbed', async () => {
    const lines: string[] = [];
    const sink: LogSink = {
      error: (message, meta) => lines.push(`${message} ${JSON.stringify(meta)}`),
      warn: (message, meta) => lines.push(`${message} ${JSON.stringify(meta)}`),
      info: () => undefined,
      debug: () => undefined,
    };
    setLogSink(sink);
    const pool = new ClientPool();
    // The bridge is kafkajs' logger (@platformatic/kafka has none: its errors reach n8n as node
    // errors or emitError), so this test runs on kafkajs whichever client the run selects.
    const selected = process.env.KAFKA_SUITE_CLIENT;
    process.env.KAFKA_SUITE_CLIENT = 'kafkajs';
    try {
      const connection = openConnection(
        {
          platform: 'apache',
          brokers: facts.saslBootstrap,
          securityProtocol: 'sasl_plaintext',
          saslMechanism: 'plain',
          username: 'alice',
          password: 'log-bridge-wrong-password',
          retries: 0,
        },
        { pool },
      );
      await expect(connection.withAdmin((admin) => admin.listTopics())).rejects.toThrow(/Authentication failed with PLAIN/);
      expect(lines.some((line) => /kafka-suite/.test(line))).toBe(true);
      expect(lines.join('\n')).not.toContain('log-bridge-wrong-password');
    } finally {
      if (selected === undefined) delete process.env.KAFKA_SUITE_CLIENT;
      else process.env.KAFKA_SUITE_CLIENT = selected;
      await pool.closeAll();
    }
  });
});
