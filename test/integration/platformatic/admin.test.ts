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
import { openKafkajsConnection } from '../../../nodes/shared/kafka/kafkajs/connection';
import { ClientPool } from '../../../nodes/shared/pool';
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

describe('describeGroups', () => {
  // Kafka Connect's worker metadata (version, worker URL, config offset): read as consumer protocol,
  // the URL's length and first bytes make a topic count of ~1.2 million, past the end of the bytes.
  const connectMetadata = Buffer.concat([int16(1), int16(19), Buffer.from('http://worker:8083/'), Buffer.alloc(8)]);
  const str = string;
  /** The group's coordinator (FindCoordinator v2): JoinGroup and LeaveGroup must go there. */
  async function coordinatorOf(groupId: string): Promise<number> {
    const answer = await connection.withAdmin((admin) => admin.rawRequest!({ apiKey: 10, apiVersion: 2, body: Buffer.concat([str(groupId), Buffer.from([0])]) }));
    expect(answer.readInt16BE(4)).toBe(0);
    const message = answer.readInt16BE(6);
    return answer.readInt32BE(8 + Math.max(message, 0));
  }

  /**
   * A static member of `groupId` with protocolType "connect", its leader, Stable: JoinGroup v5 with a
   * group instance id (no member id round trip), then SyncGroup v3 with its own assignment (the broker
   * describes member metadata and assignments of a Stable group only).
   */
  async function joinAsConnectWorker(groupId: string, instanceId: string): Promise<{ memberId: string; assignment: Buffer }> {
    const coordinator = await coordinatorOf(groupId);
    const join = Buffer.concat([
      str(groupId), int32(6_000), int32(6_000), str(''), str(instanceId), str('connect'),
      int32(1), str('sessioned'), int32(connectMetadata.length), connectMetadata,
    ]);
    const joined = await connection.withAdmin((admin) => admin.rawRequest!({ apiKey: 11, apiVersion: 5, body: join, target: coordinator }));
    expect(joined.readInt16BE(4)).toBe(0);
    // throttle, error, generation, protocol name, leader, then our member id.
    const generation = joined.readInt32BE(6);
    let at = 10;
    at += 2 + joined.readInt16BE(at);
    at += 2 + joined.readInt16BE(at);
    const memberId = joined.subarray(at + 2, at + 2 + joined.readInt16BE(at)).toString();
    // Connect's assignment v1: version, error, leader, leader URL, config offset, no connectors, no tasks, no delay.
    const assignment = Buffer.concat([int16(1), int16(0), str(memberId), str('http://worker:8083/'), Buffer.alloc(8), int32(0), int32(0), int32(0)]);
    const sync = Buffer.concat([str(groupId), int32(generation), str(memberId), str(instanceId), int32(1), str(memberId), int32(assignment.length), assignment]);
    const synced = await connection.withAdmin((admin) => admin.rawRequest!({ apiKey: 14, apiVersion: 3, body: sync, target: coordinator }));
    expect(synced.readInt16BE(4)).toBe(0);
    return { memberId, assignment };
  }
  async function leave(groupId: string, memberId: string, instanceId: string) {
    const coordinator = await coordinatorOf(groupId);
    const body = Buffer.concat([str(groupId), int32(1), str(memberId), str(instanceId)]);
    await connection.withAdmin((admin) => admin.rawRequest!({ apiKey: 13, apiVersion: 3, body, target: coordinator }));
  }
  const within = <T>(ms: number, what: Promise<T>) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`describeGroups did not answer within ${ms} ms`)), ms)));
    return Promise.race([what, late]).finally(() => clearTimeout(timer));
  };

  it('describes a group of another protocol (Kafka Connect\'s) next to a consumer group, promptly, decoding only the consumer one; kafkajs answers the same', async () => {
    const topic = name('plt-describe');
    await reference.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
    const consumerGroup = name('plt-describe-consumer');
    const connectGroup = name('plt-describe-connect');
    const instanceId = name('worker');
    const consumer = kafka.consumer({ groupId: consumerGroup });
    const pool = new ClientPool();
    let memberId: string | undefined;
    let assignment: Buffer | undefined;
    try {
      let joined = false;
      consumer.on(consumer.events.GROUP_JOIN, () => void (joined = true));
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      await consumer.run({ eachMessage: async () => undefined });
      await waitFor(() => joined, { what: 'the consumer to join', timeoutMs: 60_000 });
      ({ memberId, assignment } = await joinAsConnectWorker(connectGroup, instanceId));

      // Every group the cluster lists too (the local services' Connect worker among them), as the catalog does.
      const listed = (await connection.withAdmin((admin) => admin.listGroups())).filter((g) => !g.groupType || g.groupType === 'classic');
      const ids = [consumerGroup, connectGroup, ...listed.map((g) => g.groupId).filter((id) => id !== consumerGroup && id !== connectGroup)];
      const ours = await within(15_000, connection.withAdmin((admin) => admin.describeGroups(ids)));
      expect(ours.map((g) => g.groupId)).toEqual(ids);
      expect(ours.every((g) => g.errorCode === 0)).toBe(true);

      const [described, connect] = ours;
      expect(described).toMatchObject({ groupId: consumerGroup, state: 'Stable', protocolType: 'consumer' });
      expect(described.members).toHaveLength(1);
      expect(described.members[0].assignment).toEqual([{ topic, partitions: [0, 1] }]);
      expect(connect).toMatchObject({ groupId: connectGroup, state: 'Stable', protocolType: 'connect', protocol: 'sessioned' });
      expect(connect.members).toHaveLength(1);
      expect(connect.members[0]).toMatchObject({ memberId, groupInstanceId: instanceId });
      expect(connect.members[0].memberMetadata).toEqual(connectMetadata);
      expect(connect.members[0].memberAssignment).toEqual(assignment);
      expect(connect.members[0].assignment).toBeUndefined();

      // The kafkajs adapter: the same groups, the same shape (no group instance id or group type there).
      const kafkajs = openKafkajsConnection({ platform: 'apache', brokers: facts.bootstrap }, { key: 'describe-groups', pool, quiet: true });
      const theirs = await within(15_000, kafkajs.withAdmin((admin) => admin.describeGroups([consumerGroup, connectGroup])));
      const shape = (g: (typeof ours)[number]) => ({
        groupId: g.groupId, state: g.state, protocolType: g.protocolType, protocol: g.protocol, errorCode: g.errorCode,
        members: g.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, memberMetadata: m.memberMetadata, memberAssignment: m.memberAssignment, assignment: m.assignment })),
      });
      // kafkajs answers in the broker's order, ours in the order asked.
      const byId = (a: { groupId: string }, b: { groupId: string }) => a.groupId.localeCompare(b.groupId);
      expect(theirs.map(shape).sort(byId)).toEqual(ours.slice(0, 2).map(shape).sort(byId));
    } finally {
      await consumer.disconnect();
      if (memberId) await leave(connectGroup, memberId, instanceId);
      await pool.closeAll();
    }
  });
});
