import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { runGenerator } from './helpers/plop';
import { STREAMS_VARIANTS, tempDir } from './helpers/variants';

// All 18 generated apps (6 topologies x 3 serdes) are modules of one aggregator pom, so a single
// `mvn -B test` pays JVM and Maven start-up once on these 2-core machines.
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
  for (const v of STREAMS_VARIANTS) {
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
${STREAMS_VARIANTS.map((v) => `    <module>${v.id}</module>`).join('\n')}
  </modules>
</project>
`,
  );
  timings.test = mvn(['test'], root).ms;
  process.stderr.write(`[streams-app] mvn -B -q test over ${STREAMS_VARIANTS.length} generated apps: ${(timings.test / 1000).toFixed(1)} s\n`);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('generated Kafka Streams apps build and pass their TopologyTestDriver tests', () => {
  test.each(STREAMS_VARIANTS.map((v) => v.id))('%s', (id) => {
    const result = surefire(join(root, id));
    // Two tests per app: config/poison-record handling and the topology's own behaviour.
    expect(result).toEqual({ tests: 2, failures: 0, errors: 0, skipped: 0 });
  });
});

describe('a generated app against the real broker', () => {
  let app: ChildProcess | undefined;
  let output = '';
  const kafka = () =>
    new Kafka({ clientId: 'streams-app-e2e', brokers: (process.env.KAFKA_BOOTSTRAP_SERVERS ?? '').split(','), logLevel: logLevel.NOTHING });

  afterAll(async () => {
    if (app && app.exitCode === null && app.signalCode === null) {
      app.kill('SIGKILL');
      await new Promise((r) => app!.once('exit', r));
    }
  });

  // The generated default is exactly_once_v2, so this also proves transactions work against the broker.
  test('filter-map / json processes records end to end with exactly_once_v2 and shuts down cleanly', async () => {
    const bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS;
    if (!bootstrap) throw new Error('KAFKA_BOOTSTRAP_SERVERS is not set: the generators Jest project needs the global setup (test/setup/globalSetup.ts)');
    const dir = join(root, 'filter-map-json');
    timings.package = mvn(['package', '-DskipTests'], dir).ms;
    const jar = join(dir, 'target', 'app.jar');
    expect(existsSync(jar)).toBe(true);

    const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const input = `e2e-orders-${run}`;
    const out = `e2e-orders-out-${run}`;
    const admin = kafka().admin();
    await admin.connect();
    try {
      // The broker has auto topic creation off: create both topics first.
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: input, numPartitions: 2, replicationFactor: 1 }, { topic: out, numPartitions: 2, replicationFactor: 1 }] });
    } finally {
      await admin.disconnect();
    }

    const stateDir = join(root, `state-${run}`);
    mkdirSync(stateDir);
    app = spawn('java', ['-Xmx256m', '-jar', jar], {
      env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: bootstrap, APPLICATION_ID: `e2e-${run}`, INPUT_TOPIC: input, OUTPUT_TOPIC: out, STATE_DIR: stateDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stdout!.on('data', (d) => (output += d));
    app.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => app!.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));

    const producer = kafka().producer();
    const consumer = kafka().consumer({ groupId: `e2e-reader-${run}` });
    const received: { key: string; value: any }[] = [];
    try {
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topic: out, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          received.push({ key: message.key!.toString(), value: JSON.parse(message.value!.toString()) });
        },
      });
      const order = (id: string, amount: number, status: string) => ({ key: id, value: JSON.stringify({ id, customerId: 'c1', amount, status }) });
      await producer.send({
        topic: input,
        messages: [order('o1', 12.345, 'paid'), order('o2', 50, 'cancelled'), order('o3', 0, 'paid'), { key: 'poison', value: '{not json' }, order('o4', 99.999, 'shipped')],
      });

      // Wait on the condition with a deadline (the app needs a few seconds to join and commit).
      const deadline = Date.now() + 120_000;
      while (received.length < 2 && Date.now() < deadline && app.exitCode === null) await new Promise((r) => setTimeout(r, 200));
      expect({ received: received.sort((a, b) => a.key.localeCompare(b.key)), alive: app.exitCode === null }).toEqual({
        received: [
          { key: 'o1', value: { id: 'o1', customerId: 'c1', amount: 12.35, status: 'PAID' } },
          { key: 'o4', value: { id: 'o4', customerId: 'c1', amount: 100, status: 'SHIPPED' } },
        ],
        alive: true,
      });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }

    // SIGTERM: the shutdown hook closes Kafka Streams (state goes to NOT_RUNNING) before the JVM exits.
    app.kill('SIGTERM');
    const code = await exited;
    expect(output).toContain(`starting e2e-${run} against ${bootstrap}`);
    expect(output).toMatch(/state REBALANCING -> RUNNING/);
    expect(output).toMatch(/state PENDING_SHUTDOWN -> NOT_RUNNING/);
    expect([0, 143]).toContain(code);
    process.stderr.write(`[streams-app] mvn package of the e2e app: ${(timings.package / 1000).toFixed(1)} s\n`);
  });
});
