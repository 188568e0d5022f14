// The two admin calls of the KafkaConnection API that @platformatic/kafka's Admin does not offer,
// built in our adapter (nodes/shared/kafka/platformatic/admin.ts) and checked against the local
// broker: validate-only topic creation, and rawRequest (the quotas and SCRAM requests of
// nodes/shared/admin/quotasScram.ts, plus their Alter counterparts encoded here). kafkajs is the
// independent check where one is needed. Runs under Node 24:
//   node scripts/node24.mjs jest --selectProjects integration --runTestsByPath test/integration/platformatic/admin.test.ts
import { pbkdf2Sync, randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaConnection } from '../../../nodes/shared/kafka/api';
import type { KafkaClusterCredential } from '../../../nodes/shared';
import { closePlatformaticClients, openPlatformaticConnection } from '../../../nodes/shared/kafka/platformatic';
import { describeClientQuotas, describeScramCredentials } from '../../../nodes/shared/admin/quotasScram';
import { isKafkaSuiteError } from '../../../nodes/shared/errors';
import { facts } from '../../setup/facts';
import { waitFor } from '../../helpers/n8nContext';

const kafka = new Kafka({ clientId: 'platformatic-admin-test', brokers: [facts.bootstrap], logLevel: logLevel.NOTHING });
const reference = kafka.admin();
// The PLAINTEXT listener's principal (ANONYMOUS) is a super user of the local services.
let connection: KafkaConnection;

beforeAll(async () => {
  await reference.connect();
  connection = openPlatformaticConnection({ platform: 'apache', brokers: facts.bootstrap });
});
afterAll(async () => {
  await reference.disconnect();
  await closePlatformaticClients();
});

const name = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

describe('createTopics with validateOnly', () => {
  it('answers true for a valid request and creates nothing; the same request without it creates the topic', async () => {
    const topic = name('plt-validate');
    const answer = await connection.withAdmin((admin) => admin.createTopics([{ topic, numPartitions: 3, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '60000' }] }], { validateOnly: true }));
    expect(answer).toBe(true);
    expect(await reference.listTopics()).not.toContain(topic);
    expect(await connection.withAdmin((admin) => admin.createTopics([{ topic, numPartitions: 3, replicationFactor: 1 }]))).toBe(true);
    const { topics } = await reference.fetchTopicMetadata({ topics: [topic] });
    expect(topics[0].partitions).toHaveLength(3);
  });

  it('answers false for a topic that exists (as kafkajs does), and changes nothing', async () => {
    const topic = name('plt-validate-exists');
    await reference.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
    const ours = await connection.withAdmin((admin) => admin.createTopics([{ topic, numPartitions: 5, replicationFactor: 1 }], { validateOnly: true }));
    const theirs = await reference.createTopics({ topics: [{ topic, numPartitions: 5, replicationFactor: 1 }], validateOnly: true });
    expect([ours, theirs]).toEqual([false, false]);
    const { topics } = await reference.fetchTopicMetadata({ topics: [topic] });
    expect(topics[0].partitions).toHaveLength(2);
  });

  it.each([
    ['an unknown config', { configEntries: [{ name: 'no.such.config', value: '1' }] }, 'INVALID_CONFIG', /no\.such\.config/],
    ['a replication factor above the broker count', { replicationFactor: 3 }, 'INVALID_REPLICATION_FACTOR', /replication factor/i],
    ['zero partitions', { numPartitions: 0 }, 'INVALID_PARTITIONS', /partitions/i],
  ])('refuses %s with the broker\'s reason, creating nothing', async (_what, extra, code, reason) => {
    const topic = name('plt-validate-bad');
    const error = await connection
      .withAdmin((admin) => admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1, ...extra }], { validateOnly: true }))
      .catch((e: unknown) => e);
    expect(isKafkaSuiteError(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'protocol', code });
    // The Admin node reads the per-topic reason from `errors`, as kafkajs gives it.
    const [first] = (error as { errors: Array<{ type: string; message: string }> }).errors;
    expect(first.type).toBe(code);
    expect(first.message).toMatch(reason);
    expect(await reference.listTopics()).not.toContain(topic);
  });
});

// Request bodies of the two Alter APIs (the Describe ones are quotasScram.ts's own).
const int16 = (v: number) => Buffer.from([(v >> 8) & 0xff, v & 0xff]);
const int32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
};
const float64 = (v: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(v);
  return b;
};
const string = (s: string) => Buffer.concat([int16(Buffer.byteLength(s)), Buffer.from(s)]);
const uvarint = (v: number) => {
  const out: number[] = [];
  for (; v > 0x7f; v >>>= 7) out.push((v & 0x7f) | 0x80);
  out.push(v);
  return Buffer.from(out);
};
const compactBytes = (b: Buffer) => Buffer.concat([uvarint(b.length + 1), b]);
const compactString = (s: string) => compactBytes(Buffer.from(s));
const NO_TAGS = Buffer.from([0]);

/** AlterClientQuotas v0 (key 49, classic encoding): one user entity, one op; answers its error code. */
async function alterUserQuota(user: string, key: string, value: number | null): Promise<number> {
  const op = Buffer.concat([string(key), float64(value ?? 0), Buffer.from([value === null ? 1 : 0])]);
  const entity = Buffer.concat([int32(1), string('user'), string(user)]);
  const body = Buffer.concat([int32(1), entity, int32(1), op, Buffer.from([0])]);
  const answer = await connection.withAdmin((admin) => admin.rawRequest!({ apiKey: 49, apiVersion: 0, body, target: 'any' }));
  // throttle, entries[1]: error code, ...
  expect(answer.readInt32BE(4)).toBe(1);
  return answer.readInt16BE(8);
}

/** AlterUserScramCredentials v0 (key 51, flexible): upsert a SCRAM-SHA-512 password or delete it; answers the user's error code. */
async function alterScram(user: string, password: string | null): Promise<number> {
  const mechanism = Buffer.from([2]); // SCRAM-SHA-512
  let body: Buffer;
  if (password === null) {
    body = Buffer.concat([uvarint(2), compactString(user), mechanism, NO_TAGS, uvarint(1), NO_TAGS]);
  } else {
    const salt = randomBytes(16);
    const iterations = 4096;
    const salted = pbkdf2Sync(password, salt, iterations, 64, 'sha512');
    const upsertion = Buffer.concat([compactString(user), mechanism, int32(iterations), compactBytes(salt), compactBytes(salted), NO_TAGS]);
    body = Buffer.concat([uvarint(1), uvarint(2), upsertion, NO_TAGS]);
  }
  const answer = await connection.withAdmin((admin) => admin.rawRequest!({ apiKey: 51, apiVersion: 0, body, target: 'controller' }));
  // throttle(4), results: compact length (1 byte here), user (compact string), error code.
  expect(answer[4]).toBe(2);
  const userLength = answer[5] - 1;
  expect(answer.subarray(6, 6 + userLength).toString()).toBe(user);
  return answer.readInt16BE(6 + userLength);
}

async function scramLogin(username: string, password: string): Promise<boolean> {
  const cred: KafkaClusterCredential = { platform: 'apache', brokers: facts.saslBootstrap, securityProtocol: 'sasl_plaintext', saslMechanism: 'scram-sha-512', username, password };
  try {
    await openPlatformaticConnection(cred).withAdmin((admin) => admin.listTopics());
    return true;
  } catch (error) {
    if (isKafkaSuiteError(error) && error.kind === 'auth') return false;
    throw error;
  }
}

describe('rawRequest', () => {
  it('client quotas: an altered user quota is described back, and removed again', async () => {
    const user = name('plt-quota-user');
    expect(await alterUserQuota(user, 'producer_byte_rate', 1_048_576)).toBe(0);
    // Quotas are applied through the metadata log: the describe may lag the alter for a moment.
    const found = await waitFor(async () => (await connection.withAdmin((admin) => describeClientQuotas(admin))).find((q) => q.entity.user === user), {
      what: 'the quota described',
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    expect(found.values).toEqual({ producer_byte_rate: 1_048_576 });
    expect(await alterUserQuota(user, 'producer_byte_rate', null)).toBe(0);
    await waitFor(async () => !(await connection.withAdmin((admin) => describeClientQuotas(admin))).some((q) => q.entity.user === user), {
      what: 'the quota gone',
      timeoutMs: 10_000,
      intervalMs: 100,
    });
  });

  it('SCRAM credentials: an upserted SCRAM-SHA-512 user is described, can log in, and is deleted again', async () => {
    const user = name('plt-scram-user');
    const password = `pw-${randomUUID()}`;
    expect(await alterScram(user, password)).toBe(0);
    const described = await waitFor(async () => (await connection.withAdmin((admin) => describeScramCredentials(admin))).filter((c) => c.user === user), {
      what: 'the SCRAM user described',
      timeoutMs: 10_000,
      intervalMs: 100,
    }).then((list) => (list.length ? list : undefined));
    expect(described).toEqual([{ user, mechanism: 'SCRAM-SHA-512', iterations: 4096 }]);
    expect(await waitFor(() => scramLogin(user, password), { what: 'a SCRAM login as the new user', timeoutMs: 15_000, intervalMs: 250 })).toBe(true);
    expect(await scramLogin(user, 'not-the-password')).toBe(false);
    expect(await alterScram(user, null)).toBe(0);
    await waitFor(async () => !(await connection.withAdmin((admin) => describeScramCredentials(admin))).some((c) => c.user === user), {
      what: 'the SCRAM user gone',
      timeoutMs: 10_000,
      intervalMs: 100,
    });
  });

  it('goes through the credential\'s SASL login: answered with the right password, refused as an auth error with a wrong one', async () => {
    const cred = (password: string): KafkaClusterCredential => ({
      platform: 'apache',
      brokers: facts.saslBootstrap,
      securityProtocol: 'sasl_plaintext',
      saslMechanism: 'scram-sha-256',
      username: facts.user.username,
      password,
    });
    const quotas = await openPlatformaticConnection(cred(facts.user.password)).withAdmin((admin) => describeClientQuotas(admin));
    expect(Array.isArray(quotas)).toBe(true);
    const wrong = `wrong-${randomUUID()}`;
    const error = await openPlatformaticConnection(cred(wrong))
      .withAdmin((admin) => describeClientQuotas(admin))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth' });
    expect((error as Error).message).toMatch(/SCRAM-SHA-256/);
    expect((error as Error).message).not.toContain(wrong);
  });

  it('a broker id that is not in the cluster is a clear error', async () => {
    const error = await connection.withAdmin((admin) => admin.rawRequest!({ apiKey: 48, apiVersion: 0, body: Buffer.concat([int32(0), Buffer.from([0])]), target: 4242 })).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'config' });
    expect((error as Error).message).toMatch(/Broker 4242 is not in the cluster metadata/);
  });
});
