import { randomUUID } from 'node:crypto';
import { ClientPool, KafkaSuiteError, setLogSink, type KafkaClusterCredential, type LogSink } from '../../../nodes/shared';
import { facts } from '../../setup/facts';
import { waitFor } from '../../helpers/n8nContext';

const cred = (): KafkaClusterCredential => ({ platform: 'apache', brokers: facts.bootstrap });

describe('client pool', () => {
  const pool = new ClientPool({ idleMs: 200, sweepEveryMs: 50 });
  afterAll(() => pool.closeAll());

  it('reuses one connected producer across executions with the same credential', async () => {
    const topic = `pool-${randomUUID()}`;
    await pool.withAdmin(cred(), (admin) => admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }));
    const seen = new Set<unknown>();
    for (let execution = 0; execution < 5; execution++) {
      await pool.withProducer(cred(), { idempotent: true }, async (producer) => {
        seen.add(producer);
        await producer.send({ topic, messages: [{ value: `execution-${execution}` }] });
      });
    }
    expect(seen.size).toBe(1);
    // A different credential (another client id) gets a client of its own.
    await pool.withProducer({ ...cred(), clientId: 'other' }, { idempotent: true }, async (producer) => {
      seen.add(producer);
    });
    expect(seen.size).toBe(2);
  });

  it('closes clients that stay idle, and reconnects on the next use', async () => {
    await pool.withAdmin(cred(), (admin) => admin.listTopics());
    expect(pool.size).toBeGreaterThan(0);
    await waitFor(() => pool.size === 0, { timeoutMs: 5000, what: 'idle clients to be closed' });
    const topics = await pool.withAdmin(cred(), (admin) => admin.listTopics());
    expect(Array.isArray(topics)).toBe(true);
  });

  it('does not keep a failed connection in the pool', async () => {
    const fresh = new ClientPool();
    try {
      const bad = { platform: 'apache' as const, brokers: '127.0.0.1:1', retries: 0, connectionTimeoutMs: 500 };
      await expect(fresh.withAdmin(bad, (admin) => admin.listTopics())).rejects.toBeInstanceOf(KafkaSuiteError);
      expect(fresh.size).toBe(0);
      // The next execution tries afresh instead of getting the broken client back.
      await expect(fresh.withAdmin(bad, (admin) => admin.listTopics())).rejects.toBeInstanceOf(KafkaSuiteError);
      expect(fresh.size).toBe(0);
      await fresh.withAdmin(cred(), (admin) => admin.listTopics());
      expect(fresh.size).toBe(1);
    } finally {
      await fresh.closeAll();
    }
  });

  it('recovers when a topic it used is deleted behind its back', async () => {
    const fresh = new ClientPool();
    try {
      const doomed = `pool-doomed-${randomUUID()}`;
      const survivor = `pool-survivor-${randomUUID()}`;
      await fresh.withAdmin(cred(), (admin) =>
        admin.createTopics({ topics: [{ topic: doomed, numPartitions: 1 }, { topic: survivor, numPartitions: 1 }], waitForLeaders: true }),
      );
      await fresh.withProducer(cred(), { idempotent: true }, (producer) => producer.send({ topic: doomed, messages: [{ value: 'x' }] }));
      // Deleted by someone else (another tool, another n8n instance), not through this pool.
      const outsider = new ClientPool();
      await outsider.withAdmin(cred(), (admin) => admin.deleteTopics({ topics: [doomed] }));
      await outsider.closeAll();
      await waitFor(
        async () => {
          try {
            await fresh.withProducer(cred(), { idempotent: true }, (producer) => producer.send({ topic: survivor, messages: [{ value: 'after' }] }));
            return true;
          } catch {
            return false;
          }
        },
        { timeoutMs: 30_000, what: 'the pooled producer to serve another topic after the deletion' },
      );
      const offsets = await fresh.withAdmin(cred(), (admin) => admin.fetchTopicOffsets(survivor));
      expect(offsets[0].high).toBe('1');
    } finally {
      await fresh.closeAll();
    }
  });

  it('lets one caller at a time use a transactional producer', async () => {
    const topic = `pool-tx-${randomUUID()}`;
    await pool.withAdmin(cred(), (admin) => admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }));
    let active = 0;
    let maxActive = 0;
    const run = (n: number) =>
      pool.withProducer(cred(), { idempotent: true, transactionalId: `pool-tx-${topic}` }, async (producer) => {
        active++;
        maxActive = Math.max(maxActive, active);
        const transaction = await producer.transaction();
        await transaction.send({ topic, messages: [{ value: `tx-${n}` }] });
        await transaction.commit();
        active--;
      });
    await Promise.all([run(1), run(2), run(3)]);
    expect(maxActive).toBe(1);
  });
});

describe('kafkajs → n8n log bridge', () => {
  it('forwards kafkajs errors to the n8n logger with secrets scrubbed', async () => {
    const lines: string[] = [];
    const sink: LogSink = {
      error: (message, meta) => lines.push(`${message} ${JSON.stringify(meta)}`),
      warn: (message, meta) => lines.push(`${message} ${JSON.stringify(meta)}`),
      info: () => undefined,
      debug: () => undefined,
    };
    setLogSink(sink);
    const pool = new ClientPool();
    try {
      await expect(
        pool.withAdmin(
          {
            platform: 'apache',
            brokers: facts.saslBootstrap,
            securityProtocol: 'sasl_plaintext',
            saslMechanism: 'plain',
            username: 'alice',
            password: 'log-bridge-wrong-password',
            retries: 0,
          },
          (admin) => admin.listTopics(),
        ),
      ).rejects.toThrow(/Authentication failed with PLAIN/);
      expect(lines.some((line) => /kafka-suite/.test(line))).toBe(true);
      expect(lines.join('\n')).not.toContain('log-bridge-wrong-password');
    } finally {
      await pool.closeAll();
    }
  });
});
