// The share-group client (nodes/shared/kafka/shareGroup/) over the shared local broker's secured
// listeners, opened from a credential as the Trigger's share mode opens it (openShareClient on the
// connection's resolved config): SSL with the local CA and a client certificate (the listener
// requires mTLS), SASL_PLAINTEXT with SCRAM-SHA-512, SASL_SSL with PLAIN. On each: a 1-partition topic,
// N records, a share consumer accepts all of them, each exactly once, and the share admin reports
// share lag 0. A wrong CA or a missing client certificate is refused (the TLS settings are the ones
// used); a wrong SASL password fails fast with an authentication error that names the mechanism and
// does not carry the password. Needs the shared services on Kafka 4.4+ (share.version=2) and Node 24:
//   node scripts/node24.mjs jest --selectProjects integration --runTestsByPath test/integration/shareGroup/secured.test.ts
import { randomUUID } from 'node:crypto';
import { ClientPool, KafkaSuiteError, openConnection, toKafkaSuiteError, type KafkaClusterCredential } from '../../../nodes/shared';
import { openShareClient, ShareConsumer, type ShareClient } from '../../../nodes/shared/kafka/shareGroup';
import { toShareAdminError, withShareAdmin } from '../../../nodes/shared/kafka/shareGroup/admin';
import { AcknowledgeType } from '../../../nodes/shared/kafka/shareGroup/protocol';
import { waitFor } from '../../helpers/n8nContext';
import { facts, tlsFiles } from '../../setup/facts';

jest.setTimeout(60_000);

const N = 20;
const pool = new ClientPool();
const cleanups: Array<() => Promise<unknown>> = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await pool.closeAll();
});

const listeners: Array<[string, () => KafkaClusterCredential]> = [
  [
    'SSL (mTLS, local CA)',
    () => {
      const files = tlsFiles();
      return { platform: 'apache', brokers: facts.sslBootstrap, securityProtocol: 'ssl', tlsCa: files.ca, tlsCert: files.cert, tlsKey: files.key, tlsKeyPassphrase: files.passphrase };
    },
  ],
  [
    'SASL_PLAINTEXT SCRAM-SHA-512',
    () => ({ platform: 'apache', brokers: facts.saslBootstrap, securityProtocol: 'sasl_plaintext', saslMechanism: 'scram-sha-512', username: facts.user.username, password: facts.user.password }),
  ],
  [
    'SASL_SSL PLAIN',
    () => ({ platform: 'apache', brokers: facts.saslSslBootstrap, securityProtocol: 'sasl_ssl', saslMechanism: 'plain', username: facts.user.username, password: facts.user.password, tlsCa: tlsFiles().ca }),
  ],
];

test.each(listeners)('over %s: every record accepted once, share lag 0', async (_name, credential) => {
  const started = Date.now();
  const connection = openConnection({ ...credential(), clientId: 'share-secured-test' }, { pool });
  const topic = `share-secured-${randomUUID()}`;
  const groupId = `share-secured-${randomUUID()}`;
  await connection.withAdmin((admin) => admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }]));
  cleanups.push(() => connection.withAdmin((admin) => admin.deleteTopics([topic])));
  await connection.withProducer({}, (producer) =>
    producer.send(
      Array.from({ length: N }, (_, i) => ({ topic, key: `k${i}`, value: `v${i}` })),
      { acks: -1, timeoutMs: 15_000, compression: 'none' },
    ),
  );

  // As ShareTriggerRunner.start: the client on the connection's resolved credential, the start
  // position as a group config, then the member.
  const client: ShareClient = openShareClient(connection.resolved, 'share-secured-test');
  cleanups.push(() => client.close());
  await client.setGroupConfig(groupId, { 'share.auto.offset.reset': 'earliest' });
  const handled = new Map<string, number>();
  const accepted = new Map<bigint, number>();
  const errors: Error[] = [];
  const consumer = new ShareConsumer(
    client,
    {
      groupId,
      topics: [topic],
      concurrency: 4,
      onError: (error) => errors.push(error),
      onAcknowledged: (ack) => {
        if (ack.type === AcknowledgeType.ACCEPT) accepted.set(ack.offset, (accepted.get(ack.offset) ?? 0) + 1);
      },
    },
    async (record) => {
      const value = record.value?.toString('utf8') ?? '';
      handled.set(value, (handled.get(value) ?? 0) + 1);
      return { type: 'accept' };
    },
  );
  cleanups.push(() => consumer.stop(5_000));
  await consumer.start();
  await waitFor(() => accepted.size >= N, { timeoutMs: 30_000, intervalMs: 50, what: `${N} accepted records over ${_name}` });
  await consumer.stop(5_000);

  expect([...accepted.keys()].sort((a, b) => Number(a - b))).toEqual(Array.from({ length: N }, (_, i) => BigInt(i)));
  expect([...accepted.values()].every((count) => count === 1)).toBe(true);
  expect(handled.size).toBe(N);
  expect([...handled.values()].every((count) => count === 1)).toBe(true);
  expect(errors).toEqual([]);

  // The share admin on the same credential (what the Admin node and Lag Check use).
  const offsets = await withShareAdmin(connection, (admin) => admin.fetchShareGroupOffsets(groupId, [topic]), groupId);
  expect(offsets).toHaveLength(1);
  expect(offsets[0]).toMatchObject({ topic, partition: 0, lag: '0' });
  expect(Number(offsets[0].startOffset)).toBeGreaterThanOrEqual(0);
  console.log(`share group over ${_name}: ${accepted.size}/${N} accepted once, lag ${offsets[0].lag}, start offset ${offsets[0].startOffset}, ${Date.now() - started} ms`);
});

test('the TLS settings are the ones used: a CA that did not sign the broker, or no client certificate, is refused', async () => {
  const files = tlsFiles();
  const refusal = async (credential: KafkaClusterCredential) => {
    const client = openShareClient(openConnection({ ...credential, retries: 0 }, { pool }).resolved);
    try {
      return await client.metadata([]).then(
        () => undefined,
        (error: unknown) => toKafkaSuiteError(error),
      );
    } finally {
      await client.close();
    }
  };
  const started = Date.now();
  const wrongCa = await refusal({ platform: 'apache', brokers: facts.sslBootstrap, securityProtocol: 'ssl', tlsCa: files.wrongCa, tlsCert: files.cert, tlsKey: files.key, tlsKeyPassphrase: files.passphrase });
  expect(wrongCa).toBeInstanceOf(KafkaSuiteError);
  expect(wrongCa?.kind).toBe('tls');
  const noCert = await refusal({ platform: 'apache', brokers: facts.sslBootstrap, securityProtocol: 'ssl', tlsCa: files.ca });
  expect(noCert).toBeInstanceOf(KafkaSuiteError);
  console.log(`wrong CA: "${wrongCa?.message}" (${wrongCa?.kind}); no client certificate: "${noCert?.message}" (${noCert?.kind}); ${Date.now() - started} ms`);
  expect(Date.now() - started).toBeLessThan(20_000);
});

test('a wrong SCRAM-SHA-512 password: an authentication error without the password, not a hang', async () => {
  const wrong = `wrong-share-password-${randomUUID()}`;
  const connection = openConnection(
    { platform: 'apache', brokers: facts.saslBootstrap, securityProtocol: 'sasl_plaintext', saslMechanism: 'scram-sha-512', username: facts.user.username, password: wrong, retries: 0, clientId: 'share-secured-wrong' },
    { pool },
  );
  const expectAuthError = (error: unknown, path: string) => {
    expect({ path, error }).toMatchObject({ path, error: expect.any(KafkaSuiteError) });
    const e = error as KafkaSuiteError;
    expect({ path, kind: e.kind }).toEqual({ path, kind: 'auth' });
    expect(e.message).not.toContain(wrong);
    expect(JSON.stringify(e.context ?? {})).not.toContain(wrong);
    return e;
  };
  const started = Date.now();

  // The Trigger's path: client, group config (logged as a warning when refused), member.
  const client = openShareClient(connection.resolved);
  cleanups.push(() => client.close());
  const config = await client.setGroupConfig(`share-secured-${randomUUID()}`, { 'share.auto.offset.reset': 'earliest' }).then(
    () => undefined,
    (error: unknown) => toKafkaSuiteError(error),
  );
  expectAuthError(config, 'setGroupConfig');
  const consumer = new ShareConsumer(client, { groupId: `share-secured-${randomUUID()}`, topics: ['any'], concurrency: 1 }, async () => ({ type: 'accept' }));
  const join = await consumer.start().then(
    () => undefined,
    (error: unknown) => toKafkaSuiteError(error),
  );
  const joinError = expectAuthError(join, 'ShareConsumer.start');
  // The broker's reason and the mechanism, as the library's other clients say it (not just "Connection to ... failed").
  expect(joinError.message).toContain('SCRAM-SHA-512');
  expect(joinError.message).toMatch(/invalid credentials/i);
  expect(joinError.context.broker).toBe(facts.saslBootstrap);

  // The share admin's path (Admin node, Lag Check).
  const admin = await withShareAdmin(connection, (a) => a.listShareGroups()).then(
    () => undefined,
    (error: unknown) => toShareAdminError(error),
  );
  expectAuthError(admin, 'withShareAdmin');
  const elapsed = Date.now() - started;
  console.log(`wrong password: "${joinError.message}" (${joinError.kind}); three refusals in ${elapsed} ms`);
  expect(elapsed).toBeLessThan(20_000);
});
