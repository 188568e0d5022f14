// Proves that every listener and service the global setup promises really answers, with a
// real client. When one of these fails, the other integration tests' failures are noise.
import * as http from 'node:http';
import { randomUUID } from 'node:crypto';
// The infra check talks to the broker with kafkajs itself, not through nodes/shared/, so an
// adapter bug cannot make the services look broken (or healthy).
import { Kafka, KafkaConfig, logLevel, Partitioners, Producer, Consumer, Admin, SASLOptions } from 'kafkajs';
import { facts, tlsFiles } from '../setup/facts';

const DEADLINE_MS = 60000;

// Races a promise against a deadline; the timer is cleared either way so Jest can exit.
async function within<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function getJson(url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    // agent:false = no keep-alive socket left open after the test.
    const req = http.get(url, { agent: false, timeout: 10000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        } catch (e) {
          reject(new Error(`GET ${url}: ${res.statusCode} non-JSON body ${text.slice(0, 200)}: ${String(e)}`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timeout`)));
    req.on('error', reject);
  });
}

type Client = Producer | Consumer | Admin;
const open: Client[] = [];

function kafka(config: Omit<KafkaConfig, 'clientId'>): Kafka {
  return new Kafka({
    clientId: `infra-test-${randomUUID().slice(0, 8)}`,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 10000,
    // Auth/TLS failures should surface at once instead of after a retry ladder.
    retry: { retries: 2, initialRetryTime: 200 },
    ...config,
  });
}

function producerOf(k: Kafka): Producer {
  const p = k.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  open.push(p);
  return p;
}

afterAll(async () => {
  await Promise.all(open.map((c) => c.disconnect().catch(() => undefined)));
});

describe('local Kafka services', () => {
  const topic = `infra-${randomUUID()}`;
  const sent: string[] = [];

  beforeAll(async () => {
    const admin = kafka({ brokers: [facts.bootstrap] }).admin();
    open.push(admin);
    await within('admin connect', DEADLINE_MS, admin.connect());
    // auto.create.topics.enable=false on the broker, so create it explicitly.
    await within('createTopics', DEADLINE_MS, admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }));
    await admin.disconnect();
  });

  async function produceVia(label: string, config: Omit<KafkaConfig, 'clientId'>): Promise<void> {
    const producer = producerOf(kafka(config));
    await within(`${label} connect`, DEADLINE_MS, producer.connect());
    const value = `${label}:${randomUUID()}`;
    const [meta] = await within(`${label} send`, DEADLINE_MS, producer.send({ topic, acks: -1, messages: [{ key: label, value }] }));
    expect(meta.errorCode).toBe(0);
    sent.push(value);
    await producer.disconnect();
  }

  test('PLAINTEXT listener: produce and consume round trip', async () => {
    await produceVia('plaintext', { brokers: [facts.bootstrap] });

    const consumer = kafka({ brokers: [facts.bootstrap] }).consumer({ groupId: `infra-${randomUUID()}` });
    open.push(consumer);
    await within('consumer connect', DEADLINE_MS, consumer.connect());
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = new Promise<string>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (message.value?.toString() === sent[0]) resolve(message.value.toString());
        },
      });
    });
    expect(await within('consume', DEADLINE_MS, received)).toBe(sent[0]);
    await consumer.disconnect();
  });

  const saslMechanisms = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

  test.each(saslMechanisms)('SASL_PLAINTEXT listener accepts %s', async (mechanism) => {
    const { username, password } = facts.user;
    await produceVia(`sasl-${mechanism}`, {
      brokers: [facts.saslBootstrap],
      sasl: { mechanism, username, password } as SASLOptions,
    });
  });

  test.each(saslMechanisms)('SASL_SSL listener accepts %s with the test CA', async (mechanism) => {
    const { username, password } = facts.user;
    await produceVia(`sasl-ssl-${mechanism}`, {
      brokers: [facts.saslSslBootstrap],
      ssl: { ca: [tlsFiles().ca] },
      sasl: { mechanism, username, password } as SASLOptions,
    });
  });

  test('SASL_PLAINTEXT listener accepts an unsigned OAUTHBEARER token (unsecured JWS validator)', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: 'none' })}.${b64({ sub: facts.user.username, iat: now, exp: now + 3600 })}.`;
    await produceVia('oauthbearer', {
      brokers: [facts.saslBootstrap],
      sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: token }) },
    });
  });

  test('SASL_PLAINTEXT listener rejects a wrong password', async () => {
    const producer = producerOf(
      kafka({
        brokers: [facts.saslBootstrap],
        retry: { retries: 0 },
        sasl: { mechanism: 'scram-sha-256', username: facts.user.username, password: 'not-the-password' },
      }),
    );
    await expect(within('bad-password connect', DEADLINE_MS, producer.connect())).rejects.toThrow(/SASL|authentication/i);
  });

  test('SSL listener accepts a client certificate with a passphrase-protected key (mTLS)', async () => {
    const tls = tlsFiles();
    expect(tls.key).toContain('ENCRYPTED');
    await produceVia('mtls', {
      brokers: [facts.sslBootstrap],
      ssl: { ca: [tls.ca], cert: tls.cert, key: tls.key, passphrase: tls.passphrase },
    });
  });

  test('SSL listener refuses a client without a certificate', async () => {
    const producer = producerOf(kafka({ brokers: [facts.sslBootstrap], retry: { retries: 0 }, ssl: { ca: [tlsFiles().ca] } }));
    // The broker answers the handshake with a TLS alert ("bad certificate" / "certificate required").
    await expect(within('no-cert connect', DEADLINE_MS, producer.connect())).rejects.toThrow(/certificate/i);
  });

  test('the wrong CA does not verify the broker certificate', async () => {
    const producer = producerOf(
      kafka({ brokers: [facts.saslSslBootstrap], retry: { retries: 0 }, ssl: { ca: [tlsFiles().wrongCa] }, sasl: { mechanism: 'plain', ...facts.user } }),
    );
    await expect(within('wrong-CA connect', DEADLINE_MS, producer.connect())).rejects.toThrow(/certificate/i);
  });

  test('every message produced over each listener is on the topic', async () => {
    const admin = kafka({ brokers: [facts.bootstrap] }).admin();
    open.push(admin);
    await admin.connect();
    const [partition] = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    // plaintext + 3 SASL_PLAINTEXT + OAUTHBEARER + 3 SASL_SSL + mTLS
    expect(sent).toHaveLength(9);
    expect(Number(partition.high)).toBe(sent.length);
  });
});

describe('schema registry and Kafka Connect', () => {
  test('schema registry answers the Confluent API', async () => {
    const res = await getJson(`${facts.schemaRegistryUrl}/subjects`);
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
  });

  test('Kafka Connect lists the FileStream connectors', async () => {
    const res = await getJson(`${facts.connectUrl}/connector-plugins`);
    expect(res.status).toBe(200);
    const classes = (res.body as Array<{ class: string }>).map((p) => p.class);
    expect(classes).toEqual(expect.arrayContaining(['org.apache.kafka.connect.file.FileStreamSourceConnector', 'org.apache.kafka.connect.file.FileStreamSinkConnector']));
  });
});
