import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import { runGenerator } from './helpers/plop';
import { STREAMS_VARIANTS, tempDir } from './helpers/variants';

// The generated apps are modules of one aggregator pom, so a single `mvn -B test` pays JVM and Maven
// start-up once on these 2-core machines. CI (CI=true) builds 7 of the 18 (6 topologies x 3 serdes):
// every topology and every serde at least twice, and the three the real-broker tests run; all 18
// with KAFKA_SUITE_FULL=1 (`npm run test:generators:full`, part of `npm run test:full`). Every
// variant is still rendered and checked in render.test.ts.
const CI_VARIANTS = ['filter-map-json', 'filter-map-avro', 'branch-string', 'tumbling-json', 'hopping-avro', 'session-string', 'stream-table-join-json'];
const CI = process.env.CI === 'true' || process.env.CI === '1';
const BUILT = CI && process.env.KAFKA_SUITE_FULL !== '1' ? STREAMS_VARIANTS.filter((v) => CI_VARIANTS.includes(v.id)) : STREAMS_VARIANTS;
const root = tempDir('streams');
const timings: Record<string, number> = {};

function mvn(args: string[], cwd: string): { ms: number } {
  const started = Date.now();
  const res = spawnSync('mvn', ['-B', '-q', ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 20 * 60_000 });
  const ms = Date.now() - started;
  if (res.status !== 0) throw new Error(`mvn ${args.join(' ')} failed (exit ${res.status}, ${res.signal ?? ''}):\n${(res.stdout + res.stderr).slice(-8000)}`);
  return { ms };
}

function surefire(dir: string): { tests: number; failures: number; errors: number; skipped: number } {
  const reports = join(dir, 'target', 'surefire-reports');
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  if (!existsSync(reports)) return total;
  for (const f of readdirSync(reports).filter((n) => /^TEST-.*\.xml$/.test(n))) {
    const head = /<testsuite [^>]*>/.exec(readFileSync(join(reports, f), 'utf8'))?.[0] ?? '';
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += Number(new RegExp(`\\b${k}="(\\d+)"`).exec(head)?.[1] ?? 0);
  }
  return total;
}

beforeAll(async () => {
  for (const v of BUILT) {
    const { failures } = await runGenerator('streams-app', v.answers, join(root, v.id));
    expect(failures).toEqual([]);
  }
  writeFileSync(
    join(root, 'pom.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>generated</groupId>
  <artifactId>all-streams-apps</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <modules>
${BUILT.map((v) => `    <module>${v.id}</module>`).join('\n')}
  </modules>
</project>
`,
  );
  timings.test = mvn(['test'], root).ms;
  process.stderr.write(`[streams-app] mvn -B -q test over ${BUILT.length} generated apps: ${(timings.test / 1000).toFixed(1)} s\n`);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('generated Kafka Streams apps build and pass their TopologyTestDriver tests', () => {
  test.each(BUILT.map((v) => v.id))('%s', (id) => {
    const result = surefire(join(root, id));
    // Two tests per app: config/poison-record handling and the topology's own behaviour.
    expect(result).toEqual({ tests: 2, failures: 0, errors: 0, skipped: 0 });
  });
});

interface RunningApp {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const kafka = () => new Kafka({ clientId: 'streams-app-e2e', brokers: needEnv('KAFKA_BOOTSTRAP_SERVERS').split(','), logLevel: logLevel.NOTHING });

function needEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the generators Jest project needs the global setup (test/setup/globalSetup.ts)`);
  return value;
}

const E2E_APPS = ['filter-map-json', 'stream-table-join-json', 'filter-map-avro'];

/** Locates one packaged app (shaded jar) and creates its topics; auto topic creation is off on the broker. */
async function prepare(id: string, run: string, extraTopics: string[] = []): Promise<{ jar: string; input: string; out: string }> {
  const jar = join(root, id, 'target', 'app.jar');
  expect(existsSync(jar)).toBe(true);
  const input = `e2e-${id}-in-${run}`;
  const out = `e2e-${id}-out-${run}`;
  const admin = kafka().admin();
  await admin.connect();
  try {
    // Same partition count everywhere: a join needs its inputs co-partitioned.
    await admin.createTopics({ waitForLeaders: true, topics: [input, out, ...extraTopics].map((topic) => ({ topic, numPartitions: 2, replicationFactor: 1 })) });
  } finally {
    await admin.disconnect();
  }
  return { jar, input, out };
}

function startApp(jar: string, run: string, env: Record<string, string>): RunningApp {
  const stateDir = join(root, `state-${run}`);
  mkdirSync(stateDir, { recursive: true });
  let output = '';
  const child = spawn('java', ['-Xmx256m', '-jar', jar], {
    env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: needEnv('KAFKA_BOOTSTRAP_SERVERS'), APPLICATION_ID: `e2e-${run}`, STATE_DIR: stateDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
  started.push(child);
  return { child, output: () => output, exited };
}

/** Produces, then waits (condition with a deadline) until `count` records reach the output topic. */
async function roundTrip(app: RunningApp, input: string, out: string, messages: { key: string; value: Buffer | string }[], count: number, run: string) {
  const producer = kafka().producer();
  // read_committed (kafkajs' default): only records of committed Streams transactions are seen.
  const consumer = kafka().consumer({ groupId: `e2e-reader-${run}` });
  const received: { key: string; value: Buffer }[] = [];
  try {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic: out, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push({ key: message.key!.toString(), value: message.value! });
      },
    });
    await producer.send({ topic: input, messages });
    const deadline = Date.now() + 120_000;
    while (received.length < count && Date.now() < deadline && app.child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
  expect({ alive: app.child.exitCode === null, received: received.length }).toEqual({ alive: true, received: count });
  return received.sort((a, b) => a.key.localeCompare(b.key));
}

/** SIGTERM: the shutdown hook closes Kafka Streams (state goes to NOT_RUNNING) before the JVM exits. */
async function stopGracefully(app: RunningApp) {
  app.child.kill('SIGTERM');
  const code = await app.exited;
  expect(app.output()).toMatch(/state REBALANCING -> RUNNING/);
  expect(app.output()).toMatch(/closed cleanly: state NOT_RUNNING/);
  expect([0, 143]).toContain(code);
}

const started: ChildProcess[] = [];
const order = (id: string, amount: number, status: string) => ({ id, customerId: 'c1', amount, status });

describe('generated apps against the real broker', () => {
  beforeAll(() => {
    // One Maven run for the three shaded jars (tests already ran above).
    const { ms } = mvn(['package', '-DskipTests', '-pl', E2E_APPS.join(',')], root);
    process.stderr.write(`[streams-app] mvn -B -q package of ${E2E_APPS.join(', ')}: ${(ms / 1000).toFixed(1)} s\n`);
  });

  afterAll(async () => {
    for (const child of started) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
      }
    }
  });

  // The generated default is exactly_once_v2, so this also proves transactions work against the broker.
  test('filter-map / json processes records end to end with exactly_once_v2 and shuts down cleanly', async () => {
    const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const { jar, input, out } = await prepare('filter-map-json', run);
    const app = startApp(jar, run, { INPUT_TOPIC: input, OUTPUT_TOPIC: out });
    const json = (o: ReturnType<typeof order>) => ({ key: o.id, value: JSON.stringify(o) });
    const received = await roundTrip(
      app,
      input,
      out,
      [json(order('o1', 12.345, 'paid')), json(order('o2', 50, 'cancelled')), json(order('o3', 0, 'paid')), { key: 'poison', value: '{not json' }, json(order('o4', 99.999, 'shipped'))],
      2,
      run,
    );
    expect(received.map((r) => ({ key: r.key, value: JSON.parse(r.value.toString()) }))).toEqual([
      { key: 'o1', value: order('o1', 12.35, 'PAID') },
      { key: 'o4', value: order('o4', 100, 'SHIPPED') },
    ]);
    expect(app.output()).toContain(`starting e2e-${run} against ${needEnv('KAFKA_BOOTSTRAP_SERVERS')}`);
    await stopGracefully(app);
  });

  // Stateful: a repartition topic (orders re-keyed by customer) and a changelog for the table, which
  // Kafka Streams must create itself (the broker does not auto-create), all inside EOS transactions.
  test('stream-table-join / json joins orders with the customer table on the real broker', async () => {
    const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const table = `e2e-customers-${run}`;
    const { jar, input, out } = await prepare('stream-table-join-json', run, [table]);
    const app = startApp(jar, run, { INPUT_TOPIC: input, OUTPUT_TOPIC: out, TABLE_TOPIC: table });
    const producer = kafka().producer();
    await producer.connect();
    try {
      await producer.send({ topic: table, messages: [{ key: 'c1', value: JSON.stringify({ id: 'c1', name: 'Ada', tier: 'gold' }) }] });
    } finally {
      await producer.disconnect();
    }
    const json = (o: ReturnType<typeof order>) => ({ key: o.id, value: JSON.stringify(o) });
    const received = await roundTrip(app, input, out, [json(order('o1', 10, 'paid')), json({ ...order('o2', 20, 'paid'), customerId: 'c9' })], 2, run);
    expect(received.map((r) => ({ key: r.key, value: JSON.parse(r.value.toString()) }))).toEqual([
      { key: 'c1', value: { id: 'o1', customerId: 'c1', amount: 10, status: 'paid', customerName: 'Ada', customerTier: 'gold' } },
      { key: 'c9', value: { id: 'o2', customerId: 'c9', amount: 20, status: 'paid', customerName: 'unknown', customerTier: 'unknown' } },
    ]);
    await stopGracefully(app);
  });

  // The README's wire-format claim, tested: records written by a Confluent-framing client through
  // Apicurio's Confluent-compatible API are read by the generated app (Apicurio serde), and its
  // output is Confluent framing (magic 0 + 4-byte id) that the same client decodes.
  test('filter-map / avro reads and writes Confluent-framed Avro through the Apicurio registry', async () => {
    const ccompat = needEnv('SCHEMA_REGISTRY_URL');
    expect(ccompat).toMatch(/\/apis\/ccompat\/v7$/);
    const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const { jar, input, out } = await prepare('filter-map-avro', run);
    const registry = new SchemaRegistry({ host: ccompat });
    const schema = readFileSync(join(root, 'filter-map-avro', 'src/main/resources/avro/Order.avsc'), 'utf8');
    const { id } = await registry.register({ type: SchemaType.AVRO, schema }, { subject: `${input}-value` });
    const app = startApp(jar, run, { INPUT_TOPIC: input, OUTPUT_TOPIC: out, SCHEMA_REGISTRY_URL: ccompat.replace(/\/apis\/ccompat\/v7$/, '/apis/registry/v2') });
    const avro = async (o: ReturnType<typeof order>) => ({ key: o.id, value: await registry.encode(id, o) });
    const received = await roundTrip(app, input, out, [await avro(order('o1', 12.345, 'paid')), await avro(order('o2', 5, 'cancelled'))], 1, run);
    const bytes = received[0].value;
    expect(bytes[0]).toBe(0);
    expect(bytes.length).toBeGreaterThan(5);
    expect(await registry.decode(bytes)).toEqual(order('o1', 12.35, 'PAID'));
    await stopGracefully(app);
  });
});
