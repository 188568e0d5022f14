#!/usr/bin/env node
// `npm run bench`: throughput, CPU per message, latency and memory of our Kafka nodes against
// baselines measured in the same run on the same broker (raw @platformatic/kafka, raw kafkajs, n8n's
// built-in Kafka nodes, Kafka's own ProducerPerformance, kcat), printed as a table of ratios and
// written to test/bench/results.md. Our Producer and Trigger run once per client library behind the
// adapter (KAFKA_SUITE_CLIENT=kafkajs|platformatic in the case's environment).
//
// Starts the local services (infra/local/services.cjs, as a lease) unless KAFKA_BOOTSTRAP_SERVERS
// is set. Every case runs in a child process (test/bench/cases.ts, bundled by esbuild) on Node 24
// (@platformatic/kafka needs >= 22.22 / 24.6; scripts/node24.mjs finds or fetches it), so every
// client runs on the same Node; BENCH_NODE overrides the binary.
// Knobs: BENCH_REPEAT (best of N for throughput cases, default 3), BENCH_MEMORY_MESSAGES (default
// 1,000,000), BENCH_TRIGGER_MESSAGES (default 1,000,000), BENCH_ONLY (comma list of sections:
// producer,small,trigger,latency,lag,memory,n8n), BENCH_N8N_MESSAGES (backlog per real-n8n row at batch
// size 100, default 20,000; a tenth of it at batch size 1), BENCH_COMPRESSIONS (default none,lz4,zstd),
// BENCH_CLIENTS (libraries our nodes are measured on, default kafkajs,platformatic), BENCH_MESSAGES
// (messages per producer case, default 100,000; a multiple of 100), BENCH_BUILTIN=0
// (leave n8n's built-in nodes out of the producer and trigger sections), BENCH_PROFILE=<dir> (a CPU
// profile of each throughput case's measured window; summarise with test/bench/lib/profileSummary.mjs).
// Section "share" (issue 13): our Trigger in share-group mode against it in consumer-group mode on a
// Kafka 4.x broker of its own (KAFKA_SHARE_VERSION, default 4.4.0, started isolated on free ports;
// KAFKA_SHARE_BOOTSTRAP reuses a running one), one message per execution; knobs BENCH_SHARE_MESSAGES
// (default 2,000), BENCH_SHARE_CONCURRENCY (default 1,10,50), BENCH_SHARE_EXEC_MS (simulated execution
// time per message, default 5,0), BENCH_SHARE_REPEAT (best of N, default 1), BENCH_SHARE_GROUP_CLIENT
// (library of the consumer-group runs, default platformatic: the one share groups run on).
import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureKafkaTools, KAFKA_TOOLS_VERSION } from './lib/kafkaTools.mjs';
import { measureN8nWorkflowRows } from './lib/n8nWorkflowRows.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const cache = process.env.KAFKA_SUITE_CACHE || join(root, '.cache');
const work = join(cache, 'bench');
mkdirSync(work, { recursive: true });

const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const TRIGGER_MESSAGES = Number(process.env.BENCH_TRIGGER_MESSAGES ?? 1_000_000);
const MEMORY_MESSAGES = Number(process.env.BENCH_MEMORY_MESSAGES ?? 1_000_000);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : undefined;
const want = (section) => !ONLY || ONLY.has(section);
const COMPRESSIONS = (process.env.BENCH_COMPRESSIONS ?? 'none,lz4,zstd').split(',');
const CLIENTS = (process.env.BENCH_CLIENTS ?? 'kafkajs,platformatic').split(',');
const BUILTIN = process.env.BENCH_BUILTIN !== '0';
const PARTITIONS = 3;
const SHARE_VERSION = process.env.KAFKA_SHARE_VERSION || '4.4.0';
const SHARE_MESSAGES = Number(process.env.BENCH_SHARE_MESSAGES ?? 2_000);
const SHARE_CONCURRENCY = (process.env.BENCH_SHARE_CONCURRENCY ?? '1,10,50').split(',').map(Number);
const SHARE_EXEC_MS = (process.env.BENCH_SHARE_EXEC_MS ?? '5,0').split(',').map(Number);
const SHARE_REPEAT = Number(process.env.BENCH_SHARE_REPEAT ?? 1);
const SHARE_GROUP_CLIENT = process.env.BENCH_SHARE_GROUP_CLIENT || 'platformatic';
const runId = Date.now().toString(36);
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const started = Date.now();

// `node test/bench/run.mjs --report <results.json>` rebuilds results.md from a saved run (after
// editing notes.md) without measuring again.
const reportFrom = process.argv[2] === '--report' ? process.argv[3] : undefined;
let results;
let meta;
if (reportFrom) {
  ({ results, meta } = JSON.parse(readFileSync(reportFrom, 'utf8')));
} else {
  ({ results, meta } = await measure());
}

async function measure() {
// ---------------------------------------------------------------------------------------------
// Services, tools, bundle

let services;
let bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS;
let kafkaVersion = process.env.KAFKA_VERSION || 'unknown (external cluster)';
// SASL_SSL + SCRAM-SHA-512: what cloud clusters require, and where connecting per execution costs most.
let secure = process.env.KAFKA_SASL_SSL_BOOTSTRAP && process.env.KAFKA_CA_FILE && process.env.KAFKA_TEST_USER
  ? { bootstrap: process.env.KAFKA_SASL_SSL_BOOTSTRAP, caFile: process.env.KAFKA_CA_FILE, username: process.env.KAFKA_TEST_USER, password: process.env.KAFKA_TEST_PASSWORD }
  : undefined;
if (!bootstrap) {
  services = require(join(root, 'infra', 'local', 'services.cjs'));
  const facts = await services.start({ lease: true, connect: false, registry: false, log: (m) => log(m) });
  bootstrap = facts.bootstrap.plaintext;
  kafkaVersion = facts.kafkaVersion;
  secure = { bootstrap: facts.bootstrap.saslSsl, caFile: facts.tls.caFile, username: facts.testUser, password: facts.testPassword };
}

function ensureKcat() {
  if (spawnSync('sh', ['-c', 'command -v kcat']).status === 0) return;
  log('installing kcat (Debian package) ...');
  const r = spawnSync('sh', ['-c', 'apt-get install -y -q kcat || (apt-get update -q && apt-get install -y -q kcat)'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) throw new Error('kcat is missing and could not be installed (apt-get install kcat, needs root)');
}

async function ensureN8nNodesBase() {
  const script = join(root, 'scripts', 'n8n', 'ensure-n8n.mjs');
  let n8nRoot = join(cache, 'n8n-runtime', 'n8n');
  if (existsSync(script)) {
    const { ensureN8n } = await import(pathToFileURL(script).href);
    n8nRoot = (await ensureN8n()).n8nRoot;
  }
  const dir = join(n8nRoot, 'node_modules', 'n8n-nodes-base');
  if (!existsSync(join(dir, 'dist', 'nodes', 'Kafka', 'v1', 'KafkaV1.node.js'))) throw new Error(`n8n's built-in Kafka node not found under ${dir}`);
  return { dir, n8nVersion: JSON.parse(readFileSync(join(n8nRoot, 'node_modules', 'n8n', 'package.json'), 'utf8')).version };
}

/** The Node every case runs on: Node 24, which @platformatic/kafka needs, for every client alike. */
function caseNode() {
  if (process.env.BENCH_NODE) return process.env.BENCH_NODE;
  const script = join(root, 'scripts', 'node24.mjs');
  if (existsSync(script)) {
    const r = spawnSync(process.execPath, [script, '--print'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  const fetched = join(cache, 'n8n-runtime', 'node', 'bin', 'node');
  return existsSync(fetched) ? fetched : process.execPath;
}
const nodeBin = caseNode();
const nodeVersion = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
log(`cases run on Node ${nodeVersion} (${nodeBin})`);

// The machine is shared: the load average is sampled through the run and reported with the results.
const loadSamples = [];
const sampleLoad = () => loadSamples.push(os.loadavg()[0]);
sampleLoad();
const loadTimer = setInterval(sampleLoad, 10_000);

ensureKcat();
const toolsLib = await ensureKafkaTools(cache, log);
const n8n = BUILTIN || want('small') || want('latency') || want('n8n') ? await ensureN8nNodesBase() : { dir: undefined, n8nVersion: 'not used' };
const casesBundle = join(work, 'cases.cjs');
await build({
  entryPoints: [join(root, 'test', 'bench', 'cases.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  outfile: casesBundle,
  logLevel: 'warning',
});
// The adapter loads @platformatic/kafka from ./vendor.js next to the running file (the package's
// esbuild bundle, see scripts/build.mjs); build the same bundle next to cases.cjs, so our nodes
// load the library as the package does.
const platformaticEntry = join(root, 'nodes', 'shared', 'kafka', 'platformatic', 'vendor.ts');
if (existsSync(platformaticEntry)) {
  await build({
    entryPoints: [platformaticEntry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: join(work, 'vendor.js'),
    banner: { js: 'var __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    define: { 'import.meta.url': '__importMetaUrl' },
    alias: { '@platformatic/wasm-utils': '@platformatic/wasm-utils/bundled' },
    logLevel: 'warning',
  });
}

// Same 1,000 payloads (256 random capital letters each) for every producer, kcat and ProducerPerformance.
const payloadFile = join(work, 'payloads.txt');
const bulkFile = join(work, `payloads-${MESSAGES}.txt`);
{
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = Array.from({ length: 1000 }, () => Array.from({ length: 256 }, () => String.fromCharCode(65 + Math.floor(rnd() * 26))).join(''));
  writeFileSync(payloadFile, lines.join('\n') + '\n');
  writeFileSync(bulkFile, Array.from({ length: MESSAGES }, (_, i) => lines[i % 1000]).join('\n') + '\n');
}

const { Kafka, logLevel } = require('kafkajs');
const kafka = new Kafka({ clientId: 'bench-admin', brokers: [bootstrap], logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
const topics = [];
async function topic(name, partitions = PARTITIONS) {
  const full = `kafka-suite-bench-${runId}-${name}`;
  await admin.createTopics({ topics: [{ topic: full, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  topics.push(full);
  return full;
}

// ---------------------------------------------------------------------------------------------
// Running cases

function runChild(command, args, { timeoutMs = 600_000, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: env ? { ...process.env, ...env } : process.env });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err });
    });
  });
}

async function runCase(name, args, { gc = false, timeoutMs, client } = {}) {
  const t = Date.now();
  const env = client ? { KAFKA_SUITE_CLIENT: client } : undefined;
  const r = await runChild(nodeBin, [...(gc ? ['--expose-gc'] : []), casesBundle, name, JSON.stringify({ bootstrap, payloadFile, n8nNodesBase: n8n.dir, ...args })], { timeoutMs, env });
  const line = r.out.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.code !== 0 || !line) {
    const why = r.signal ? `${name}: did not finish within ${Math.round((timeoutMs ?? 600_000) / 1000)} s` : `${name} failed (exit ${r.code}): ${r.err.trim().split('\n').slice(-6).join(' | ')}`;
    log(why);
    return { failed: why };
  }
  const value = JSON.parse(line.slice(7));
  // Asked for one library, served by another: the adapter does not offer it (yet); not a measurement of it.
  if (client && value.library && value.library !== client) {
    log(`${name} on ${client}: served by ${value.library}, so ${client} is not selectable in this build`);
    return { failed: `${client} not selectable (KAFKA_SUITE_CLIENT=${client} was served by ${value.library})`, unavailable: true };
  }
  log(`${name}${client ? ` [${client}]` : ''} ${JSON.stringify(args.shape ?? args.compression ?? '')} -> ${value.failed ? `FAILED: ${value.failed}` : summary(value)} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  return value;
}

function summary(v) {
  if (v.p99 !== undefined) return `p50 ${v.p50?.toFixed(1)} ms, p99 ${v.p99?.toFixed(1)} ms (n=${v.n})`;
  if (v.rate !== undefined) return `${Math.round(v.rate).toLocaleString('en-US')} msg/s${v.cpuUsPerMsg !== undefined ? `, ${v.cpuUsPerMsg.toFixed(1)} µs CPU/msg` : ''}`;
  return JSON.stringify(v);
}

/**
 * Runs a non-Node baseline under /usr/bin/time for its CPU (user + system of the whole process, so
 * a JVM's start-up counts too; kcat starts in milliseconds).
 */
async function runTimed(command, args, opts) {
  const r = await runChild('/usr/bin/time', ['-f', 'BENCH_CPU %U %S', command, ...args], opts);
  const m = /BENCH_CPU ([\d.]+) ([\d.]+)/.exec(r.err);
  return { ...r, cpuUs: m ? (Number(m[1]) + Number(m[2])) * 1e6 : undefined };
}
const withCpu = (value, cpuUs) => (cpuUs === undefined || !value.messages ? value : { ...value, cpuUs, cpuUsPerMsg: cpuUs / value.messages });

function pickBest(list) {
  return list.filter((r) => !r.failed).sort((a, b) => b.rate - a.rate)[0] ?? list[0];
}


async function producerPerformance(topicName, compression, records, file) {
  const r = await runTimed('java', [
    '-Xmx512m',
    '-Dlog4j.configuration=file:/dev/null',
    '-cp',
    `${toolsLib}/*`,
    'org.apache.kafka.tools.ProducerPerformance',
    '--topic', topicName,
    '--num-records', String(records),
    '--payload-file', file,
    '--throughput', '-1',
    // batch.size/linger.ms as kcat's (librdkafka) defaults batch: the 3.9 defaults (16 KB, 0 ms) measured ~17k msg/s here.
    '--producer-props', `bootstrap.servers=${bootstrap}`, 'acks=all', `compression.type=${compression}`, 'linger.ms=5', 'batch.size=262144',
  ]);
  // "100000 records sent, 51948.1 records/sec (12.68 MB/sec), 1234.5 ms avg latency, ...": the last such
  // line is the summary; the ones before it are progress reports every 5 s (the first can be "1 records sent").
  const m = [...r.out.matchAll(/(\d+) records sent, ([\d.]+) records\/sec/g)].at(-1);
  if (!m) return { failed: `ProducerPerformance: exit ${r.code}: ${(r.out + r.err).trim().split('\n').slice(-3).join(' | ')}` };
  return withCpu({ messages: Number(m[1]), rate: Number(m[2]) }, r.cpuUs);
}

async function kcat(topicName, compression) {
  const t0 = performance.now();
  const r = await runTimed('kcat', ['-P', '-b', bootstrap, '-t', topicName, '-z', compression, '-X', 'acks=all', '-l', bulkFile]);
  const seconds = (performance.now() - t0) / 1000;
  if (r.code !== 0) return { failed: `kcat exit ${r.code}: ${r.err.trim().slice(-300)}` };
  return withCpu({ messages: MESSAGES, seconds, rate: MESSAGES / seconds }, r.cpuUs);
}

/** kcat reading the backlog from the beginning to the end of every partition (no group), output discarded. */
async function kcatConsume(topicName, count) {
  const t0 = performance.now();
  const r = await runTimed('sh', ['-c', 'exec kcat -C -b "$1" -t "$2" -o beginning -e -q -f "%o\\n" > /dev/null', 'kcat', bootstrap, topicName]);
  const seconds = (performance.now() - t0) / 1000;
  if (r.code !== 0) return { failed: `kcat -C exit ${r.code}: ${r.err.trim().slice(-300)}` };
  return withCpu({ messages: count, seconds, rate: count / seconds }, r.cpuUs);
}

// ---------------------------------------------------------------------------------------------
// Measurements

/** A topic holding `count` messages (written by kcat, the fastest producer here), shared by the trigger sections. */
const backlogs = new Map();
async function backlogTopic(count) {
  if (backlogs.has(count)) return backlogs.get(count);
  const t = await topic(`backlog-${count}`);
  const t0 = Date.now();
  for (let written = 0; written < count; written += MESSAGES) {
    const r = await kcat(t, 'none');
    if (r.failed) throw new Error(`filling ${t}: ${r.failed}`);
  }
  log(`backlog of ${count.toLocaleString('en-US')} messages written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  backlogs.set(count, t);
  return t;
}

const results = { producer: {}, small: {}, trigger: {}, latency: {}, lag: undefined, memory: undefined, n8n: undefined, share: undefined };
const SHAPES = { one: { executions: 1, items: MESSAGES }, many: { executions: Math.round(MESSAGES / 100), items: 100 } };

if (want('producer')) {
  for (const compression of COMPRESSIONS) {
    const t = await topic(`produce-${compression}`);
    const row = {};
    log(`--- producer, compression ${compression} ---`);
    // Ours (on each client library), raw @platformatic/kafka and raw kafkajs interleaved, REPEAT
    // rounds, best of each: drift on the shared machine hits all alike.
    const contenders = [
      ...CLIENTS.map((client) => ({ key: `ours-${client}`, name: 'produce-ours', client })),
      { key: 'platformatic', name: 'produce-platformatic' },
      { key: 'raw', name: 'produce-raw' },
    ];
    const runs = {};
    const unavailable = new Set();
    for (let i = 0; i < REPEAT; i++) {
      for (const [shapeName, shape] of [['One', SHAPES.one], ['Many', SHAPES.many]]) {
        for (const c of contenders) {
          if (unavailable.has(c.key)) continue;
          const r = await runCase(c.name, { topic: t, compression, shape }, { client: c.client });
          if (r.unavailable) unavailable.add(c.key);
          (runs[`${c.key}${shapeName}`] ??= []).push(r);
        }
      }
    }
    for (const [key, list] of Object.entries(runs)) row[key] = pickBest(list);
    if (BUILTIN && compression === 'none') {
      // One execution of 100,000 items is expected to fail (see the notes); it is given 120 s.
      row.builtinOne = await runCase('produce-builtin', { topic: t, compression, shape: SHAPES.one }, { timeoutMs: 120_000 });
      row.builtinMany = await runCase('produce-builtin', { topic: t, compression, shape: SHAPES.many });
    }
    row.java = await producerPerformance(t, compression, MESSAGES, payloadFile);
    log(`ProducerPerformance ${compression} -> ${summary(row.java)}`);
    row.kcat = await kcat(t, compression);
    log(`kcat ${compression} -> ${summary(row.kcat)}`);
    results.producer[compression] = row;
  }
}

if (want('small')) {
  log('--- 1,000 one-item executions ---');
  const t = await topic('small');
  results.small.ours = await runCase('small-ours', { topic: t, count: 1000 });
  results.small.builtin = await runCase('small-builtin', { topic: t, count: 1000, deadlineMs: 240_000 });
  if (secure) {
    results.small.oursSecure = await runCase('small-ours', { topic: t, count: 1000, secure });
    results.small.builtinSecure = await runCase('small-builtin', { topic: t, count: 1000, deadlineMs: 240_000, secure });
  }
}

if (want('trigger')) {
  log(`--- trigger throughput (${TRIGGER_MESSAGES.toLocaleString('en-US')} messages backlog) ---`);
  const t = await backlogTopic(TRIGGER_MESSAGES);
  const contenders = [
    ...CLIENTS.map((client) => ({ key: `ours-${client}`, name: 'trigger-ours', client })),
    { key: 'platformatic', name: 'trigger-platformatic' },
    { key: 'raw', name: 'trigger-raw' },
  ];
  const runs = {};
  const unavailable = new Set();
  for (let i = 0; i < REPEAT; i++) {
    for (const c of contenders) {
      if (unavailable.has(c.key)) continue;
      const r = await runCase(c.name, { topic: t, count: TRIGGER_MESSAGES, batchSize: 500 }, { client: c.client });
      if (r.unavailable) unavailable.add(c.key);
      (runs[c.key] ??= []).push(r);
    }
    const k = await kcatConsume(t, TRIGGER_MESSAGES);
    log(`kcat -C -> ${summary(k)}`);
    (runs.kcat ??= []).push(k);
  }
  for (const [key, list] of Object.entries(runs)) results.trigger[key] = pickBest(list);
  if (BUILTIN) results.trigger.builtin = await runCase('trigger-builtin', { topic: t, count: TRIGGER_MESSAGES, batchSize: 500 }, { timeoutMs: 300_000 });
}

if (want('latency')) {
  log('--- produce -> emit latency at 1,000 msg/s ---');
  // Ours and the built-in (batch size 1) interleaved, REPEAT rounds; the run with the lowest p99 of each counts
  // (a latency tail on this shared machine is mostly other processes' CPU).
  const rounds = { oursBatch1: [], builtinBatch1: [] };
  for (let i = 0; i < REPEAT; i++) {
    for (const [label, kind] of [['oursBatch1', 'ours'], ['builtinBatch1', 'builtin']]) {
      const t = await topic(`latency-${label}-${i}`);
      rounds[label].push(await runCase(`latency-${kind}`, { topic: t, rate: 1000, seconds: 12, warmup: 2, batchSize: 1 }));
    }
  }
  for (const [label, list] of Object.entries(rounds)) {
    results.latency[label] = list.filter((r) => !r.failed).sort((a, b) => a.p99 - b.p99)[0] ?? list[0];
    results.latency[label].allP99 = list.map((r) => r.p99);
  }
  const t = await topic('latency-oursBatch100');
  results.latency.oursBatch100 = await runCase('latency-ours', { topic: t, rate: 1000, seconds: 12, warmup: 2, batchSize: 100 });
}

if (want('n8n')) {
  log('--- real n8n: Trigger -> Set -> Producer, ours vs built-in ---');
  const n8nMessages = Number(process.env.BENCH_N8N_MESSAGES ?? 20_000);
  const producer = kafka.producer();
  await producer.connect();
  try {
    results.n8n = await measureN8nWorkflowRows({
      root,
      bootstrap,
      topic,
      log,
      messages: { batch1: Math.round(n8nMessages / 10), batch100: n8nMessages },
      fill: async (t, count) => {
        const payloads = readFileSync(payloadFile, 'utf8').trim().split('\n');
        for (let start = 0; start < count; start += 1000) {
          await producer.send({ topic: t, messages: Array.from({ length: Math.min(1000, count - start) }, (_, i) => ({ value: payloads[(start + i) % payloads.length] })) });
        }
      },
      endOffsets: async (t) => (await admin.fetchTopicOffsets(t)).reduce((sum, p) => sum + Number(p.high), 0),
    });
  } catch (error) {
    results.n8n = { failed: String(error.message ?? error).split('\n')[0] };
  } finally {
    await producer.disconnect();
  }
}

if (want('lag')) {
  log('--- lag check evaluation (test/bench/lag-evaluate.bench.mjs) ---');
  const script = join(root, 'test', 'bench', 'lag-evaluate.bench.mjs');
  if (!existsSync(script)) results.lag = { failed: `${script} is missing` };
  else {
    const r = await runChild(nodeBin, [script], { timeoutMs: 300_000 });
    const m = /min ([\d.]+) ms, median ([\d.]+) ms, max ([\d.]+) ms/.exec(r.out);
    const shape = /lag evaluation: (.*)/.exec(r.out)?.[1];
    results.lag = m ? { min: Number(m[1]), median: Number(m[2]), max: Number(m[3]), shape } : { failed: `exit ${r.code}: ${(r.out + r.err).trim().slice(-300)}` };
    log(`lag -> ${JSON.stringify(results.lag)}`);
  }
}

if (want('memory')) {
  log(`--- trigger memory while draining ${MEMORY_MESSAGES.toLocaleString('en-US')} messages ---`);
  const t = await backlogTopic(MEMORY_MESSAGES);
  results.memory = await runCase('memory-ours', { topic: t, count: MEMORY_MESSAGES, batchSize: 500, deadlineMs: 360_000 }, { gc: true, timeoutMs: 420_000 });
}

let shareKafka;
if (want('share')) {
  log(`--- share group vs consumer group (Kafka ${SHARE_VERSION}, ${SHARE_MESSAGES.toLocaleString('en-US')} messages, one per execution) ---`);
  const broker = await shareBroker();
  shareKafka = broker.version;
  const shareClient = new Kafka({ clientId: 'bench-share-admin', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const shareAdmin = shareClient.admin();
  const producer = shareClient.producer();
  try {
    await Promise.all([shareAdmin.connect(), producer.connect()]);
    const t = `kafka-suite-bench-${runId}-share`;
    await shareAdmin.createTopics({ topics: [{ topic: t, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
    const payloads = readFileSync(payloadFile, 'utf8').trim().split('\n');
    for (let start = 0; start < SHARE_MESSAGES; start += 500) {
      await producer.send({ topic: t, acks: -1, messages: Array.from({ length: Math.min(500, SHARE_MESSAGES - start) }, (_, i) => ({ value: payloads[(start + i) % payloads.length] })) });
    }
    const rows = {};
    for (let round = 0; round < SHARE_REPEAT; round++) {
      for (const execMs of SHARE_EXEC_MS) {
        for (const concurrency of SHARE_CONCURRENCY) {
          // Interleaved, so drift on the shared machine hits both modes alike; every run a fresh group reading the whole backlog.
          for (const [mode, client] of [['share', undefined], ['group', SHARE_GROUP_CLIENT]]) {
            // The slowest case (concurrency 1, 5 ms, one execution at a time) needs count × execMs plus start-up.
            const deadlineMs = Math.max(120_000, SHARE_MESSAGES * (execMs + 5) * 4);
            const r = await runCase('queue-ours', { bootstrap: broker.bootstrap, topic: t, count: SHARE_MESSAGES, mode, concurrency, execMs, deadlineMs }, { client, timeoutMs: deadlineMs + 60_000 });
            log(`  ${mode} concurrency ${concurrency}, ${execMs} ms per execution${client ? ` [${client}]` : ''}: ${r.failed ? 'FAILED' : `max ${r.maxInFlight} in flight`}`);
            ((rows[`${execMs}`] ??= {})[`${mode}-${concurrency}`] ??= []).push(r);
          }
        }
      }
    }
    results.share = Object.fromEntries(Object.entries(rows).map(([execMs, byCase]) => [execMs, Object.fromEntries(Object.entries(byCase).map(([k, list]) => [k, pickBest(list)]))]));
    await shareAdmin.deleteTopics({ topics: [t] }).catch((e) => log(`could not delete ${t}: ${e.message}`));
  } catch (error) {
    results.share = { failed: String(error.message ?? error).split('\n')[0] };
    log(`share section failed: ${results.share.failed}`);
  } finally {
    await Promise.allSettled([shareAdmin.disconnect(), producer.disconnect()]);
    await broker.dispose();
  }
}

/**
 * The Kafka 4.x broker of the share section: KAFKA_SHARE_BOOTSTRAP, or a copy of the local services of
 * its own (own state dir, free ports, KAFKA_SHARE_VERSION) that this run starts and stops; fresh 4.4.0
 * clusters finalize share.version=2, so share groups are on. services.cjs reads its environment at
 * load, so a fresh instance of the module loaded under a temporary environment is a separate service set
 * (what test/integration/faults/isolated.ts does with jest.isolateModules).
 */
async function shareBroker() {
  if (process.env.KAFKA_SHARE_BOOTSTRAP) return { bootstrap: process.env.KAFKA_SHARE_BOOTSTRAP, version: `${SHARE_VERSION} (KAFKA_SHARE_BOOTSTRAP)`, dispose: async () => undefined };
  const { portFree, portBlockEnv } = require(join(root, 'infra', 'local', 'util.cjs'));
  let base;
  for (let attempt = 0; attempt < 50 && base === undefined; attempt++) {
    const candidate = 40_000 + 10 * Math.floor(Math.random() * 1_500);
    let free = true;
    for (let i = 0; i < 7 && free; i++) free = await portFree(candidate + i);
    if (free) base = candidate;
  }
  if (base === undefined) throw new Error('no block of 7 free ports between 40000 and 55000 for the share-group broker');
  const stateDir = join(work, `share-${process.pid}`);
  const env = { KAFKA_SUITE_STATE: stateDir, KAFKA_VERSION: SHARE_VERSION, ...portBlockEnv(base) };
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  const file = require.resolve(join(root, 'infra', 'local', 'services.cjs'));
  const cached = require.cache[file];
  let isolated;
  try {
    Object.assign(process.env, env);
    delete require.cache[file];
    isolated = require(file);
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    if (cached) require.cache[file] = cached;
    else delete require.cache[file];
  }
  if (isolated.PORTS.plaintext !== base) throw new Error('could not load an isolated copy of infra/local/services.cjs');
  log(`starting an isolated Kafka ${isolated.KAFKA_VERSION} broker for share groups on port ${base} ...`);
  try {
    await isolated.start({ connect: false, registry: false, log: (m) => log(m) });
  } catch (error) {
    await isolated.stop().catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
  return {
    bootstrap: isolated.facts().bootstrap.plaintext,
    version: isolated.KAFKA_VERSION,
    dispose: async () => {
      await isolated.stop().catch((e) => log(`could not stop the share-group broker: ${e.message}`));
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

await admin.deleteTopics({ topics }).catch((e) => log(`could not delete bench topics: ${e.message}`));
await admin.disconnect();
if (services) await services.release();
clearInterval(loadTimer);
sampleLoad();


  const kafkajsVersion = JSON.parse(readFileSync(require.resolve('kafkajs/package.json'), 'utf8')).version;
  const platformaticPackage = join(root, 'node_modules', '@platformatic', 'kafka', 'package.json');
  const platformaticVersion = existsSync(platformaticPackage) ? JSON.parse(readFileSync(platformaticPackage, 'utf8')).version : 'not installed';
  const kcatV = /Version (\S+).*librdkafka ([\d.]+)/.exec(spawnSync('kcat', ['-V'], { encoding: 'utf8' }).stdout);
  const meta = {
    date: new Date().toISOString(),
    minutes: (Date.now() - started) / 60000,
    cpus: os.cpus().length,
    nproc: spawnSync('nproc', { encoding: 'utf8' }).stdout.trim(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown CPU',
    memory: `${Math.round(os.totalmem() / 1073741824)} GB`,
    os: `${os.type()} ${os.release()}`,
    node: nodeVersion,
    runnerNode: process.version,
    kafkajs: kafkajsVersion,
    platformatic: platformaticVersion,
    clients: CLIENTS,
    compressions: COMPRESSIONS,
    builtin: BUILTIN,
    load: { min: Math.min(...loadSamples), max: Math.max(...loadSamples), mean: loadSamples.reduce((x, y) => x + y, 0) / loadSamples.length, samples: loadSamples.length },
    kafka: kafkaVersion,
    n8n: n8n.n8nVersion,
    kafkaTools: KAFKA_TOOLS_VERSION,
    java: spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr.split('\n')[0]?.trim(),
    kcat: kcatV ? `kcat ${kcatV[1]} (librdkafka ${kcatV[2]})` : 'kcat',
    repeat: REPEAT,
    messages: MESSAGES,
    triggerMessages: TRIGGER_MESSAGES,
    memoryMessages: MEMORY_MESSAGES,
    partitions: PARTITIONS,
    share: want('share') ? { kafka: shareKafka, messages: SHARE_MESSAGES, concurrency: SHARE_CONCURRENCY, execMs: SHARE_EXEC_MS, repeat: SHARE_REPEAT, groupClient: SHARE_GROUP_CLIENT } : undefined,
    sections: ONLY ? [...ONLY] : ['producer', 'small', 'trigger', 'latency', 'lag', 'memory', 'n8n', 'share'],
  };
  const file = join(work, `results-${runId}.json`);
  writeFileSync(file, JSON.stringify({ results, meta }, null, 2));
  log(`raw results: ${file}`);
  return { results, meta };
}

// ---------------------------------------------------------------------------------------------
// Report

const fmtRate = (v) => (!v ? 'n/a' : v.unavailable ? 'not selectable in this build' : v.failed ? 'fails' : `${Math.round(v.rate).toLocaleString('en-US')}`);
const mbps = (v) => (!v || v.failed ? '' : ` (${((v.rate * 256) / 1e6).toFixed(1)} MB/s)`);
const ratio = (a, b) => (!a || !b || a.failed || b.failed ? 'n/a' : `${(a.rate / b.rate).toFixed(2)}×`);
const ms = (x) => (x === undefined || Number.isNaN(x) ? 'n/a' : `${x.toFixed(1)} ms`);
const mb = (x) => (x === undefined ? 'n/a' : `${(x / 1048576).toFixed(0)} MB`);
const pct = (x) => (x === undefined ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);
const verdict = (ok) => (ok ? 'met' : 'MISSED');
const cpu = (v) => (!v || v.failed || v.cpuUsPerMsg === undefined ? 'n/a' : v.cpuUsPerMsg.toFixed(1));
const ok = (v) => v && !v.failed;
const ONE = `1×${meta.messages.toLocaleString('en-US')}`;
const MANY = `${Math.round(meta.messages / 100).toLocaleString('en-US')}×100`;
const LIBRARY = { kafkajs: 'kafkajs', platformatic: '@platformatic/kafka' };

const lines = [];
const out = (s = '') => lines.push(s);
const want2 = (section) => meta.sections.includes(section);

out('# Benchmark results');
out();
out(`Generated by \`npm run bench\` (test/bench/run.mjs) on ${meta.date}, ${meta.minutes.toFixed(1)} min.`);
out();
out(`- Machine: ${meta.cpus} CPUs (nproc ${meta.nproc}), ${meta.cpuModel}, ${meta.memory} RAM, ${meta.os}; shared with other builds during the run${meta.load ? ` (load average ${meta.load.min.toFixed(1)}–${meta.load.max.toFixed(1)}, mean ${meta.load.mean.toFixed(1)}, sampled every 10 s)` : ''}, so every figure is compared with a baseline measured in the same run; ours, raw @platformatic/kafka and raw kafkajs producer/trigger cases are best of ${meta.repeat} interleaved runs; ProducerPerformance, kcat producer and the built-in nodes run once, kcat consumer best of ${meta.repeat}.`);
out(`- CPU per message: user + system CPU of the case's process over the measured window (process.cpuUsage; trigger cases from the first delivery on), divided by the messages; kcat and ProducerPerformance: the whole process under /usr/bin/time, start-up included (a JVM's start-up is a large part of ProducerPerformance's figure). The broker's CPU is not counted.`);
out(`- Versions: Node ${meta.node} for every case${meta.runnerNode && meta.runnerNode !== meta.node ? ` (runner ${meta.runnerNode})` : ''}, @platformatic/kafka ${meta.platformatic ?? 'n/a'}, kafkajs ${meta.kafkajs}, Kafka broker ${meta.kafka} (one local KRaft node, ${meta.partitions} partitions per topic), n8n ${meta.n8n} (n8n-nodes-base built-in Kafka v1 / Kafka Trigger 1.3, on its own kafkajs), kafka-tools ${meta.kafkaTools} (${meta.java}), ${meta.kcat}.`);
if (meta.note) out(`- ${meta.note}`);
out(`- Payload: 256-byte values (1,000 distinct random capital-letter strings, the same file for every producer), no key.`);
out();

if (want2('producer')) {
  const clients = meta.clients ?? ['kafkajs'];
  out(`## 1. Producer throughput and CPU (${meta.messages.toLocaleString('en-US')} messages × 256 B; msg/s, µs CPU per message)`);
  out();
  out(`Two shapes: one execution of ${meta.messages.toLocaleString('en-US')} items (${ONE}) and ${Math.round(meta.messages / 100).toLocaleString('en-US')} executions of 100 items (${MANY}).`);
  out();
  out(`| compression | producer | ${ONE} msg/s | µs CPU/msg | ${MANY} msg/s | µs CPU/msg |`);
  out('|---|---|---|---|---|---|');
  for (const c of meta.compressions ?? COMPRESSIONS) {
    const r = results.producer[c];
    if (!r) continue;
    for (const client of clients) out(`| ${c} | ours on ${LIBRARY[client]} | ${fmtRate(r[`ours-${client}One`])}${mbps(r[`ours-${client}One`])} | ${cpu(r[`ours-${client}One`])} | ${fmtRate(r[`ours-${client}Many`])} | ${cpu(r[`ours-${client}Many`])} |`);
    out(`| ${c} | raw @platformatic/kafka | ${fmtRate(r.platformaticOne)} | ${cpu(r.platformaticOne)} | ${fmtRate(r.platformaticMany)} | ${cpu(r.platformaticMany)} |`);
    out(`| ${c} | raw kafkajs | ${fmtRate(r.rawOne)} | ${cpu(r.rawOne)} | ${fmtRate(r.rawMany)} | ${cpu(r.rawMany)} |`);
    if (r.builtinOne || r.builtinMany) out(`| ${c} | built-in v1 | ${fmtRate(r.builtinOne)} | ${cpu(r.builtinOne)} | ${fmtRate(r.builtinMany)} | ${cpu(r.builtinMany)} |`);
    out(`| ${c} | ProducerPerformance (Java) | ${fmtRate(r.java)} | ${cpu(r.java)} | | |`);
    out(`| ${c} | kcat (librdkafka) | ${fmtRate(r.kcat)} | ${cpu(r.kcat)} | | |`);
  }
  out();
  out('Ratios of msg/s (CPU per message in brackets: x\'s µs/msg ÷ ours; above 1 means ours spends less):');
  out();
  out('| compression | shape | ours on | ours/raw @platformatic/kafka | ours/raw kafkajs | ours/ProducerPerformance | ours/kcat |');
  out('|---|---|---|---|---|---|---|');
  const cpuRatio = (a, b) => (ok(a) && ok(b) && a.cpuUsPerMsg && b.cpuUsPerMsg ? ` (${(b.cpuUsPerMsg / a.cpuUsPerMsg).toFixed(2)})` : '');
  for (const c of meta.compressions ?? COMPRESSIONS) {
    const r = results.producer[c];
    if (!r) continue;
    for (const client of clients) {
      for (const [shape, label] of [['One', ONE], ['Many', MANY]]) {
        const o = r[`ours-${client}${shape}`];
        if (!ok(o)) continue;
        const base = (x) => `${ratio(o, x)}${cpuRatio(o, x)}`;
        out(`| ${c} | ${label} | ${LIBRARY[client]} | ${base(r[`platformatic${shape}`])} | ${base(r[`raw${shape}`])} | ${shape === 'One' ? base(r.java) : ''} | ${shape === 'One' ? base(r.kcat) : ''} |`);
      }
    }
    out(`| ${c} | ${ONE} | (raw @platformatic/kafka / raw kafkajs) | | ${ratio(r.platformaticOne, r.rawOne)}${cpuRatio(r.platformaticOne, r.rawOne)} | | |`);
  }
  out();
  const b1 = results.producer.none?.builtinOne;
  if (b1?.failed) out(`Built-in node, one execution of ${meta.messages.toLocaleString('en-US')} items: **does not complete** — \`${b1.failed.replace(/\|/g, '/')}\`. It puts every item into one sendBatch, so each partition's record batch (~8 MB) exceeds the broker's 1 MB limit; left alone it ends after ~200 s with "The request included a message larger than the max message size the server will accept" (seen in a development run).`);
  out('Settings: ours = Producer node defaults (idempotent, acks all, requests of ≤ 500 messages, sent one after another), with KAFKA_SUITE_CLIENT selecting the client library behind the adapter; raw @platformatic/kafka = `producer.send()` of ≤ 500 messages one after another (idempotent, acks -1, string serialiser, pre-connected; its producer stream batches the same way, one send in flight); raw kafkajs = the same guarantees written by hand (idempotent, acks -1, sendBatch per 500 messages, pre-connected); built-in v1 = acks "on" (acks=1, its strongest), connects per execution; ProducerPerformance = Java client (idempotent) with acks=all, linger.ms=5, batch.size=256 KB, its own records/sec for a cold JVM; kcat = librdkafka defaults with acks=all, wall time of the process.');
  out();
}

if (want2('small')) {
  out('## 2. Small executions (1,000 executions of one item)');
  out();
  out('| listener | | p50 | p99 | executions/s | ours faster by |');
  out('|---|---|---|---|---|---|');
  for (const [listener, ours, builtin] of [
    ['PLAINTEXT', results.small.ours, results.small.builtin],
    ['SASL_SSL, SCRAM-SHA-512', results.small.oursSecure, results.small.builtinSecure],
  ]) {
    if (!ours && !builtin) continue;
    const ok = ours && builtin && !ours.failed && !builtin.failed;
    out(`| ${listener} | ours (pooled producer) | ${ms(ours?.p50)} | ${ms(ours?.p99)} | ${ours?.rate?.toFixed(0) ?? 'n/a'} | |`);
    out(`| ${listener} | built-in v1 (connects per execution) | ${ms(builtin?.p50)} | ${ms(builtin?.p99)} | ${builtin?.rate?.toFixed(0) ?? 'n/a'}${builtin?.cutShort ? ` (stopped after ${builtin.n})` : ''} | ${ok ? `throughput ${(ours.rate / builtin.rate).toFixed(1)}×, p50 ${(builtin.p50 / ours.p50).toFixed(1)}×, p99 ${(builtin.p99 / ours.p99).toFixed(1)}×` : 'n/a'} |`);
  }
  out();
}

if (want2('trigger') || want2('latency')) {
  out('## 3. Trigger');
  out();
}
if (want2('trigger')) {
  const tr = results.trigger;
  const clients = meta.clients ?? ['kafkajs'];
  // Reports of runs before the client dimension: `ours` was our trigger on kafkajs.
  if (tr.ours && !tr['ours-kafkajs']) tr['ours-kafkajs'] = tr.ours;
  out(`Throughput and CPU draining a ${meta.triggerMessages.toLocaleString('en-US')}-message backlog (first to last delivery), batches of 500, offsets committed after each successful execution (built-in: Resolve Offset "On Success"; raw clients auto-commit):`);
  out();
  const rows = [
    ...clients.map((client) => [`ours on ${LIBRARY[client]} (batch mode, emit())`, tr[`ours-${client}`]]),
    ['raw @platformatic/kafka stream consumer (1 MB per partition / 10 MB per fetch, auto-commit)', tr.platformatic],
    ['raw kafkajs eachBatch (auto-commit)', tr.raw],
    ...(tr.builtin ? [['built-in Kafka Trigger 1.3 (batch size 500)', tr.builtin]] : []),
    ['kcat -C (librdkafka, no group, output discarded, whole process)', tr.kcat],
  ];
  out(`| | msg/s | µs CPU/msg | ${clients.map((client) => `ours on ${LIBRARY[client]} / x`).join(' | ')} |`);
  out(`|---|---|---|${clients.map(() => '---').join('|')}|`);
  for (const [label, v] of rows) {
    out(`| ${label} | ${fmtRate(v)}${mbps(v)} | ${cpu(v)} | ${clients.map((client) => (tr[`ours-${client}`] === v ? '' : ratio(tr[`ours-${client}`], v))).join(' | ')} |`);
  }
  out();
}
if (want2('latency')) {
  const l = results.latency;
  out('End-to-end latency produce → emit at 1,000 msg/s (12 s, first 2 s discarded; load generator in its own process on the same clock, acks=1, 100 sends/s of 10 messages; latency = emit time − time the message was handed to the producer):');
  out();
  out('| | p50 | p99 | max | delivered |');
  out('|---|---|---|---|---|');
  for (const [label, name] of [
    ['oursBatch1', 'ours, batch size 1'],
    ['oursBatch100', 'ours, batch size 100 (batch window 500 ms default)'],
    ['builtinBatch1', 'built-in Kafka Trigger 1.3, batch size 1'],
  ]) {
    const v = l[label];
    out(`| ${name} | ${v?.failed ? 'fails' : ms(v?.p50)} | ${ms(v?.p99)}${v?.allP99 ? ` (runs: ${v.allP99.join(', ')} ms)` : ''} | ${ms(v?.max)} | ${v?.received ?? 'n/a'}/${v?.sent ?? 'n/a'} |`);
  }
  out();
}
if (want2('lag')) {
  const g = results.lag;
  out('## 4. Lag Check evaluation');
  out();
  out(g?.failed ? `fails: ${g.failed}` : `${g.shape}: CPU per evaluation min ${g.min} ms, median ${g.median} ms, max ${g.max} ms (test/bench/lag-evaluate.bench.mjs, pure evaluation code, no broker calls; budget 1,000 ms).`);
  out();
}
if (want2('memory')) {
  const m = results.memory;
  out(`## 5. Trigger memory while draining a ${meta.memoryMessages.toLocaleString('en-US')}-message backlog (batch size 500)`);
  out();
  if (m?.failed) out(`fails: ${m.failed}`);
  else {
    out(`| drained | time | msg/s | heap peak | RSS peak | heap after GC (early → late, after 20% warm-up) | heap growth | RSS at GC points (early → late) | growth | RSS, all samples (early → late) | growth |`);
    out('|---|---|---|---|---|---|---|---|---|---|---|');
    out(`| ${m.delivered.toLocaleString('en-US')}${m.finished ? '' : ' (deadline hit)'} | ${m.seconds.toFixed(0)} s | ${Math.round(m.rate).toLocaleString('en-US')} | ${mb(m.peakHeap)} | ${mb(m.peakRss)} | ${mb(m.heapAfterGcEarly)} → ${mb(m.heapAfterGcLate)} | ${pct(m.heapGrowth)} | ${mb(m.rssAfterGcEarly)} → ${mb(m.rssAfterGcLate)} | ${pct(m.rssAfterGcGrowth)} | ${mb(m.rssEarly)} → ${mb(m.rssLate)} | ${pct(m.rssGrowth)} |`);
    out();
    out(`Early/late = median of the first/last quarter of the samples taken after the first 20% of the backlog (warm-up); a full GC (--expose-gc) runs every 2 s, heap and RSS are also sampled every 250 ms for the peaks. Process baseline before activation: heap ${mb(m.baselineHeap)}, RSS ${mb(m.baselineRss)}.`);
  }
  out();
}

if (want2('n8n') && results.n8n) {
  const r = results.n8n;
  out('## 6. A real three-node workflow inside n8n (Trigger → Set → Producer)');
  out();
  if (r.failed) out(`fails: ${r.failed}`);
  else {
    out(`n8n ${r.n8nVersion}, regular mode, one process; each row drains a backlog of 256-byte messages already on the input topic (${PARTITIONS} partitions); rate = messages / time from the first to the last message on the output topic. Ours: Kafka Suite Trigger (after success) → Set → Kafka Producer (Suite). Built-in: Kafka Trigger 1.3 (Resolve Offset on success) → Set → Kafka v1. Executions are not saved on success (EXECUTIONS_DATA_SAVE_ON_SUCCESS=none) for both.`);
    out();
    out('| batch size | messages | ours msg/s | built-in msg/s | ours/built-in |');
    out('|---|---|---|---|---|');
    for (const size of [1, 100]) {
      const o = r[`oursBatch${size}`];
      const b = r[`builtinBatch${size}`];
      out(`| ${size} | ${o?.messages?.toLocaleString('en-US') ?? 'n/a'} | ${fmtRate(o)} | ${b?.failed ? `fails (${b.failed.replace(/\|/g, '/')})` : fmtRate(b)} | ${ratio(o, b)} |`);
    }
  }
  out();
}

if (want2('share') && results.share) {
  const r = results.share;
  const m = meta.share ?? {};
  out(`## 7. Share-group Trigger against the consumer-group Trigger (issue 13)`);
  out();
  if (r.failed) out(`fails: ${r.failed}`);
  else {
    out(`Our Trigger draining a backlog of ${m.messages?.toLocaleString('en-US')} messages (256 B, ${meta.partitions} partitions) on its own Kafka ${m.kafka} broker, every message its own execution, the execution a timer of the given length (the simulated workflow: it takes time, not CPU); rate and CPU from the first emit to the end of the last execution, best of ${m.repeat}. Share group: Delivery Mode "Share Group", Concurrency = c, each message accepted when its execution ends. Consumer group: After Success, Batch Size 1, Parallel Partitions = c on ${LIBRARY[m.groupClient] ?? m.groupClient} (at most one execution per partition, so ${meta.partitions} at most). "in flight" = the most executions running at once.`);
    out();
    out('| execution | concurrency | share msg/s | µs CPU/msg | in flight | consumer group msg/s | µs CPU/msg | in flight | share/group msg/s | share/group CPU/msg |');
    out('|---|---|---|---|---|---|---|---|---|---|');
    for (const execMs of m.execMs ?? Object.keys(r)) {
      for (const c of m.concurrency ?? []) {
        const s = r[execMs]?.[`share-${c}`];
        const g = r[execMs]?.[`group-${c}`];
        const cpuRatio = ok(s) && ok(g) && s.cpuUsPerMsg && g.cpuUsPerMsg ? `${(s.cpuUsPerMsg / g.cpuUsPerMsg).toFixed(2)}×` : 'n/a';
        out(`| ${execMs} ms | ${c} | ${fmtRate(s)} | ${cpu(s)} | ${s?.maxInFlight ?? 'n/a'} | ${fmtRate(g)} | ${cpu(g)} | ${g?.maxInFlight ?? 'n/a'} | ${ratio(s, g)} | ${cpuRatio} |`);
      }
    }
  }
  out();
}

out('## Targets');
out();
out('| target | measured | verdict |');
out('|---|---|---|');
const targetClients = meta.clients ?? ['kafkajs'];
for (const c of meta.compressions ?? COMPRESSIONS) {
  const q = results.producer[c];
  if (!q) continue;
  const target = (o1, om, b1, bm, label) => {
    if (!ok(o1) || !ok(om) || !ok(b1) || !ok(bm)) return;
    const r1 = o1.rate / b1.rate;
    const rm = om.rate / bm.rate;
    out(`| producer ≥ 0.9× ${label} (${c}) | ${r1.toFixed(2)}× (${ONE}), ${rm.toFixed(2)}× (${MANY}) | ${verdict(r1 >= 0.9 && rm >= 0.9)} |`);
  };
  if (targetClients.includes('platformatic')) target(q['ours-platformaticOne'], q['ours-platformaticMany'], q.platformaticOne, q.platformaticMany, 'raw @platformatic/kafka, ours on @platformatic/kafka');
  if (targetClients.includes('kafkajs')) target(q['ours-kafkajsOne'] ?? q.oursOne, q['ours-kafkajsMany'] ?? q.oursMany, q.rawOne, q.rawMany, 'raw kafkajs, ours on kafkajs');
}
{
  const tr = results.trigger;
  const target = (o, b, label) => {
    if (!ok(o) || !ok(b)) return;
    const t = o.rate / b.rate;
    out(`| trigger ≥ 0.9× ${label} | ${t.toFixed(2)}× (CPU/msg ${o.cpuUsPerMsg && b.cpuUsPerMsg ? `${(o.cpuUsPerMsg / b.cpuUsPerMsg).toFixed(2)}× the raw client's` : 'n/a'}) | ${verdict(t >= 0.9)} |`);
  };
  target(tr['ours-platformatic'], tr.platformatic, 'raw @platformatic/kafka, ours on @platformatic/kafka');
  target(tr['ours-kafkajs'] ?? tr.ours, tr.raw, 'raw kafkajs eachBatch, ours on kafkajs');
}
for (const [listener, ours, builtin] of [
  ['PLAINTEXT', results.small.ours, results.small.builtin],
  ['SASL_SSL + SCRAM-SHA-512', results.small.oursSecure, results.small.builtinSecure],
]) {
  if (!ours || !builtin || ours.failed || builtin.failed) continue;
  const s = ours.rate / builtin.rate;
  out(`| ≥ 10× the built-in node on one-item executions (${listener}) | ${s.toFixed(1)}× executions/s (p50 ${(builtin.p50 / ours.p50).toFixed(1)}× lower) | ${verdict(s >= 10)} |`);
}
for (const label of ['oursBatch1', 'oursBatch100']) {
  const v = results.latency[label];
  if (v && !v.failed) out(`| produce → emit p99 < 50 ms at 1,000 msg/s (${label === 'oursBatch1' ? 'batch size 1' : 'batch size 100'}) | p99 ${ms(v.p99)} | ${verdict(v.p99 < 50)} |`);
}
if (results.memory && !results.memory.failed) {
  const m = results.memory;
  out(`| memory flat within ±10% after warm-up (heap after GC) | ${pct(m.heapGrowth)} | ${verdict(Math.abs(m.heapGrowth) <= 0.1)} |`);
  out(`| memory flat within ±10% after warm-up (RSS at GC points / all samples) | ${pct(m.rssAfterGcGrowth)} / ${pct(m.rssGrowth)} | ${verdict(Math.abs(m.rssAfterGcGrowth) <= 0.1 && Math.abs(m.rssGrowth) <= 0.1)} |`);
}
out();

const skipped = ['producer', 'small', 'trigger', 'latency', 'lag', 'memory', 'n8n', 'share'].filter((section) => !meta.sections.includes(section));
if (skipped.length) {
  out(`Not measured in this run: ${skipped.join(', ')} (BENCH_ONLY); their last figures are in this file's git history (and results-n8n.md for n8n).`);
  out();
}

const notesFile = join(root, 'test', 'bench', 'notes.md');
if (existsSync(notesFile)) {
  out(readFileSync(notesFile, 'utf8').trim());
  out();
}

const text = lines.join('\n');
// A partial run (BENCH_ONLY) must not replace the full report: it gets a file of its own.
const reportName = ONLY && !reportFrom ? `results-${[...ONLY].sort().join('-')}.md` : 'results.md';
writeFileSync(join(root, 'test', 'bench', reportName), text);
process.stdout.write(`${text}\n`);
log(`wrote test/bench/${reportName}`);
