// Benchmark cases, each run in a child process of test/bench/run.mjs (bundled with esbuild):
//   node cases.cjs <case> '<json args>'   -> prints one line "RESULT {json}"
// A process per case keeps pooled clients, JIT state and heap of one case out of the next.
// Our nodes are driven through the n8n context stand-ins (test/helpers/n8nContext.ts); n8n's
// built-in Kafka nodes are loaded from the pinned n8n install and driven the same way.
// Throughput cases also report the CPU this process spent (user + system) over the measured
// window, so a client that is fast only because it had a core to itself shows up.
/* eslint-disable @typescript-eslint/no-require-imports */
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Kafka, logLevel, CompressionTypes } from 'kafkajs';
import type { IExecuteFunctions, INodeExecutionData, INodeParameters, INodeType, INodeTypeBaseDescription, ITriggerFunctions } from 'n8n-workflow';
import { KafkaSuiteProducer } from '../../nodes/KafkaSuiteProducer/KafkaSuiteProducer.node';
import { KafkaSuiteTriggerV1 } from '../../nodes/KafkaSuiteTrigger/v1/KafkaSuiteTriggerV1.node';
import { clientLibraryFor, clientPool, registerCompressionCodecs, type KafkaClusterCredential } from '../../nodes/shared';
import { createExecuteContext, createTriggerContext, waitFor } from '../helpers/n8nContext';

type Compression = 'none' | 'gzip' | 'lz4' | 'zstd';
interface Shape {
  executions: number;
  items: number;
}
interface Args {
  bootstrap: string;
  topic: string;
  compression?: Compression;
  shape?: Shape;
  payloadFile: string;
  n8nNodesBase?: string;
  count?: number;
  batchSize?: number;
  batchWindowMs?: number;
  seconds?: number;
  rate?: number;
  warmup?: number;
  deadlineMs?: number;
  /** Queue cases: 'share' (share-group mode) or 'group' (consumer group, one message per execution). */
  mode?: 'share' | 'group';
  /** Queue cases: the Trigger's Concurrency / Parallel Partitions option. */
  concurrency?: number;
  /** Queue cases: simulated execution time per message (ms). */
  execMs?: number;
  /** Run over SASL_SSL with SCRAM-SHA-512 instead of PLAINTEXT (what cloud clusters require). */
  secure?: { bootstrap: string; caFile: string; username: string; password: string };
}

const result = (value: unknown) => process.stdout.write(`RESULT ${JSON.stringify(value)}\n`);
const now = () => performance.now();

/** CPU of this process (user + system, µs) since `start`, as a total and per message. */
function cpuSince(start: NodeJS.CpuUsage, messages: number) {
  const d = process.cpuUsage(start);
  return { cpuUs: d.user + d.system, cpuUsPerMsg: (d.user + d.system) / messages };
}

/**
 * BENCH_PROFILE=<dir>: a CPU profile of the measured window only (start-up, module loading and the
 * group join left out), written as <dir>/<case>-<library>-<time>.cpuprofile for Chrome DevTools.
 */
let profiler: Session | undefined;
async function profileStart() {
  if (!process.env.BENCH_PROFILE || profiler) return;
  profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
async function profileStop(label: string) {
  if (!profiler) return;
  const { profile } = await profiler.post('Profiler.stop');
  profiler.disconnect();
  profiler = undefined;
  mkdirSync(process.env.BENCH_PROFILE!, { recursive: true });
  writeFileSync(path.join(process.env.BENCH_PROFILE!, `${label}-${process.env.KAFKA_SUITE_CLIENT ?? 'default'}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
}

/** Which client library our nodes' connection uses for this credential (KAFKA_SUITE_CLIENT or the default). */
const ourLibrary = (bootstrap: string) => clientLibraryFor(ourCredential(bootstrap).kafkaSuiteClusterApi as unknown as KafkaClusterCredential);

/**
 * @platformatic/kafka is an ES module that needs Node >= 22.22 / 24.6: loaded on first use, so the
 * kafkajs cases still run on an older Node.
 */
type Platformatic = typeof import('@platformatic/kafka');
let platformatic: Platformatic | undefined;
async function loadPlatformatic(): Promise<Platformatic> {
  platformatic ??= (await import('@platformatic/kafka')) as Platformatic;
  return platformatic;
}

function payloads(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function latencySummary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1], mean: sorted.reduce((s, x) => s + x, 0) / sorted.length };
}

const silentLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

// ---------------------------------------------------------------------------------------------
// Producers

const ourProducer = () => new KafkaSuiteProducer().getNodeType(1) as INodeType;
let secure: Args['secure'];
const ourCredential = (bootstrap: string) => ({
  kafkaSuiteClusterApi: secure
    ? {
        platform: 'apache',
        brokers: secure.bootstrap,
        clientId: 'bench-ours',
        securityProtocol: 'sasl_ssl',
        saslMechanism: 'scram-sha-512',
        username: secure.username,
        password: secure.password,
        tlsCa: readFileSync(secure.caFile, 'utf8'),
      }
    : { platform: 'apache', brokers: bootstrap, clientId: 'bench-ours' },
});
const builtinCredential = (bootstrap: string, clientId: string) =>
  secure
    ? {
        brokers: secure.bootstrap,
        clientId,
        ssl: true,
        ca: readFileSync(secure.caFile, 'utf8'),
        authentication: true,
        username: secure.username,
        password: secure.password,
        saslMechanism: 'scram-sha-512',
      }
    : { brokers: bootstrap, clientId, ssl: false, authentication: false };

function ourProducerParameters(topic: string, compression: Compression) {
  return {
    topic,
    valueSource: 'field',
    valueField: 'v',
    serialization: 'string',
    key: '',
    partitioning: 'keyHash',
    headersMode: 'none',
    options: { acks: 'all', compression },
  };
}

function itemBatches(values: string[], shape: Shape): INodeExecutionData[][] {
  const batches: INodeExecutionData[][] = [];
  let n = 0;
  for (let e = 0; e < shape.executions; e++) {
    const items: INodeExecutionData[] = [];
    for (let i = 0; i < shape.items; i++) items.push({ json: { v: values[n++ % values.length] } });
    batches.push(items);
  }
  return batches;
}

async function runOurExecution(node: INodeType, bootstrap: string, parameters: Record<string, unknown>, items: INodeExecutionData[]) {
  // node.parameters holds the raw (saved) parameters, as in n8n: the node resolves the ones without an expression once.
  const context = createExecuteContext({ parameters, credentials: ourCredential(bootstrap), items, node: { type: 'n8n-nodes-kafka-suite.kafkaSuiteProducer', parameters: parameters as INodeParameters } });
  const [output] = (await node.execute!.call(context as unknown as IExecuteFunctions)) as INodeExecutionData[][];
  const failed = output.find((item) => item.json.error);
  if (failed) throw new Error(String(failed.json.error));
  if (output.length !== items.length) throw new Error(`expected ${items.length} results, got ${output.length}`);
}

/** Our Producer node: `shape.executions` executions of `shape.items` items each, against a warm pool. */
async function produceOurs(a: Args) {
  const node = ourProducer();
  const values = payloads(a.payloadFile);
  const parameters = ourProducerParameters(a.topic, a.compression ?? 'none');
  await runOurExecution(node, a.bootstrap, parameters, itemBatches(values, { executions: 1, items: 100 })[0]); // connect + topic metadata
  const batches = itemBatches(values, a.shape!);
  await profileStart();
  const cpu0 = process.cpuUsage();
  const t0 = now();
  for (const items of batches) await runOurExecution(node, a.bootstrap, parameters, items);
  const seconds = (now() - t0) / 1000;
  const messages = a.shape!.executions * a.shape!.items;
  const cpu = cpuSince(cpu0, messages);
  await profileStop('produce-ours');
  await clientPool.closeAll();
  return { messages, seconds, rate: messages / seconds, ...cpu, library: ourLibrary(a.bootstrap) };
}

/**
 * Raw kafkajs: what a hand-written program with the same guarantees does (idempotent producer,
 * acks=-1, pre-connected), sending each execution's messages with sendBatch in requests of at most
 * 500 messages (a single request of 100,000 x 256 B exceeds the broker's 1 MB batch limit).
 */
async function produceRaw(a: Args) {
  registerCompressionCodecs(); // kafkajs has only GZIP built in; the same LZ4/ZSTD codecs as ours
  const values = payloads(a.payloadFile);
  const kafka = new Kafka({ clientId: 'bench-raw', brokers: [a.bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  const compression = { none: CompressionTypes.None, gzip: CompressionTypes.GZIP, lz4: CompressionTypes.LZ4, zstd: CompressionTypes.ZSTD }[a.compression ?? 'none'];
  await producer.sendBatch({ acks: -1, compression, topicMessages: [{ topic: a.topic, messages: values.slice(0, 100).map((value) => ({ value })) }] });
  const shape = a.shape!;
  const batches: { value: string }[][] = itemBatches(values, shape).map((items) => items.map((item) => ({ value: item.json.v as string })));
  await profileStart();
  const cpu0 = process.cpuUsage();
  const t0 = now();
  for (const messages of batches) {
    for (let i = 0; i < messages.length; i += 500) {
      await producer.sendBatch({ acks: -1, compression, topicMessages: [{ topic: a.topic, messages: messages.slice(i, i + 500) }] });
    }
  }
  const seconds = (now() - t0) / 1000;
  const messages = shape.executions * shape.items;
  const cpu = cpuSince(cpu0, messages);
  await profileStop('produce-raw');
  await producer.disconnect();
  return { messages, seconds, rate: messages / seconds, ...cpu };
}

/**
 * Raw @platformatic/kafka with the same guarantees (idempotent, acks -1, pre-connected, the same
 * codec), sent the way the library batches by itself: `send()` of each execution's messages in
 * requests of at most 500, one after another (its producer stream does the same, one send in
 * flight). The default partitioner, as a hand-written program would use it; no keys here, so
 * placement does not differ from the Java-compatible one.
 */
async function producePlatformatic(a: Args) {
  const { Producer, ProduceAcks, stringSerializers } = await loadPlatformatic();
  const values = payloads(a.payloadFile);
  const producer = new Producer({ clientId: 'bench-raw-platformatic', bootstrapBrokers: [a.bootstrap], idempotent: true, autocreateTopics: false, serializers: stringSerializers });
  const compression = a.compression ?? 'none';
  const send = (messages: { topic: string; value: string }[]) => producer.send({ messages, acks: ProduceAcks.ALL, compression });
  await send(values.slice(0, 100).map((value) => ({ topic: a.topic, value })));
  const shape = a.shape!;
  const batches = itemBatches(values, shape).map((items) => items.map((item) => item.json.v as string));
  await profileStart();
  const cpu0 = process.cpuUsage();
  const t0 = now();
  for (const values of batches) {
    for (let i = 0; i < values.length; i += 500) {
      await send(values.slice(i, i + 500).map((value) => ({ topic: a.topic, value })));
    }
  }
  const seconds = (now() - t0) / 1000;
  const messages = shape.executions * shape.items;
  const cpu = cpuSince(cpu0, messages);
  await profileStop('produce-platformatic');
  await producer.close();
  return { messages, seconds, rate: messages / seconds, ...cpu };
}

function builtinKafkaNode(a: Args): INodeType {
  const { KafkaV1 } = require(path.join(a.n8nNodesBase!, 'dist', 'nodes', 'Kafka', 'v1', 'KafkaV1.node.js'));
  return new KafkaV1({ displayName: 'Kafka', name: 'kafka', group: ['transform'], description: '', defaultVersion: 1 } as INodeTypeBaseDescription) as INodeType;
}

function builtinContext(a: Args, items: INodeExecutionData[], compression: Compression) {
  return createExecuteContext({
    parameters: (name: string, itemIndex: number) => {
      switch (name) {
        case 'options':
          // acks "on" is the strongest the v1 node offers (it maps to acks=1); GZIP is its only codec.
          return { acks: true, compression: compression === 'gzip' };
        case 'sendInputData':
          return false;
        case 'message':
          return items[itemIndex].json.v;
        case 'topic':
          return a.topic;
        case 'useSchemaRegistry':
        case 'jsonParameters':
        case 'useKey':
          return false;
        case 'headersUi':
          return {};
        default:
          return undefined;
      }
    },
    credentials: { kafka: builtinCredential(a.bootstrap, 'bench-builtin') },
    items,
    node: { type: 'n8n-nodes-base.kafka', typeVersion: 1, name: 'Kafka' },
  });
}

/** n8n's built-in Kafka node v1: connects, sends one sendBatch and disconnects on every execution. */
async function produceBuiltin(a: Args) {
  const node = builtinKafkaNode(a);
  const values = payloads(a.payloadFile);
  const batches = itemBatches(values, a.shape!);
  const t0 = now();
  try {
    for (const items of batches) await node.execute!.call(builtinContext(a, items, a.compression ?? 'none') as unknown as IExecuteFunctions);
  } catch (error) {
    return { failed: String((error as Error).message ?? error).slice(0, 300) };
  }
  const seconds = (now() - t0) / 1000;
  const messages = a.shape!.executions * a.shape!.items;
  return { messages, seconds, rate: messages / seconds };
}

/** 1,000 executions of one item each: per-execution latency. */
async function smallOurs(a: Args) {
  const node = ourProducer();
  const values = payloads(a.payloadFile);
  const parameters = ourProducerParameters(a.topic, 'none');
  await runOurExecution(node, a.bootstrap, parameters, [{ json: { v: values[0] } }]);
  const samples: number[] = [];
  const t0 = now();
  for (let i = 0; i < (a.count ?? 1000); i++) {
    const start = now();
    await runOurExecution(node, a.bootstrap, parameters, [{ json: { v: values[i % values.length] } }]);
    samples.push(now() - start);
  }
  const seconds = (now() - t0) / 1000;
  await clientPool.closeAll();
  return { ...latencySummary(samples), seconds, rate: samples.length / seconds };
}

async function smallBuiltin(a: Args) {
  const node = builtinKafkaNode(a);
  const values = payloads(a.payloadFile);
  const samples: number[] = [];
  const deadline = Date.now() + (a.deadlineMs ?? 180_000);
  const t0 = now();
  for (let i = 0; i < (a.count ?? 1000) && Date.now() < deadline; i++) {
    const items = [{ json: { v: values[i % values.length] } }];
    const start = now();
    await node.execute!.call(builtinContext(a, items, 'none') as unknown as IExecuteFunctions);
    samples.push(now() - start);
  }
  const seconds = (now() - t0) / 1000;
  return { ...latencySummary(samples), seconds, rate: samples.length / seconds, cutShort: samples.length < (a.count ?? 1000) };
}

// ---------------------------------------------------------------------------------------------
// Triggers

const triggerBase = { displayName: 'Kafka Trigger (Suite)', name: 'kafkaSuiteTrigger', group: ['trigger'], description: '' } as unknown as INodeTypeBaseDescription;

async function activateOurs(a: Args, groupId: string, fromBeginning: boolean, onItems: (items: INodeExecutionData[]) => void) {
  const context = createTriggerContext({
    parameters: {
      topicSelection: 'names',
      topics: a.topic,
      groupId,
      startFrom: fromBeginning ? 'earliest' : 'latest',
      deliveryMode: 'afterSuccess',
      valueFormat: 'string',
      options: { batchSize: a.batchSize ?? 500, ...(a.batchWindowMs ? { batchWindowMs: a.batchWindowMs } : {}) },
    },
    credentials: { kafkaSuiteClusterApi: { platform: 'apache', brokers: a.bootstrap, clientId: 'bench-trigger' } },
    mode: 'trigger',
    onEmit: (execution) => {
      onItems(execution.data[0]);
      execution.data = []; // n8n hands the data to the execution; keep nothing here
      return 'success';
    },
  });
  // The stand-in keeps every emitted execution; a bench emits millions of items, so drop them.
  context.emitted.push = () => 0;
  const response = await new KafkaSuiteTriggerV1(triggerBase).trigger.call(context as unknown as ITriggerFunctions);
  return { close: async () => void (await response.closeFunction?.()), errors: context.errors };
}

async function activateBuiltin(a: Args, groupId: string, fromBeginning: boolean, onItems: (items: INodeExecutionData[]) => void) {
  const { KafkaTriggerV1 } = require(path.join(a.n8nNodesBase!, 'dist', 'nodes', 'Kafka', 'v1', 'KafkaTriggerV1.node.js'));
  const context = createTriggerContext({
    parameters: {
      topic: a.topic,
      groupId,
      useSchemaRegistry: false,
      // The same guarantee as ours: the offset is resolved after the execution succeeded.
      resolveOffset: 'onSuccess',
      options: { fromBeginning, batchSize: a.batchSize ?? 500 },
    },
    credentials: { kafka: { brokers: a.bootstrap, clientId: 'bench-builtin-trigger', ssl: false, authentication: false } },
    mode: 'trigger',
    node: { type: 'n8n-nodes-base.kafkaTrigger', typeVersion: 1.3, name: 'Kafka Trigger' },
    onEmit: (execution) => {
      onItems(execution.data[0]);
      execution.data = [];
      return 'success';
    },
  });
  context.emitted.push = () => 0;
  const ctx = Object.assign(context, { getWorkflowSettings: () => ({}), logger: silentLogger });
  const node = new KafkaTriggerV1({ displayName: 'Kafka Trigger', name: 'kafkaTrigger', group: ['trigger'], description: '' });
  const response = await node.trigger.call(ctx as unknown as ITriggerFunctions);
  return { close: async () => void (await response.closeFunction?.()), errors: context.errors };
}

async function activateRaw(a: Args, groupId: string, fromBeginning: boolean, onItems: (items: INodeExecutionData[]) => void) {
  const kafka = new Kafka({ clientId: 'bench-raw-consumer', brokers: [a.bootstrap], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topics: [a.topic], fromBeginning });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      // The least a real handler does: turn the values into items.
      onItems(batch.messages.map((message) => ({ json: { value: message.value?.toString('utf8') } })));
    },
  });
  return { close: () => consumer.disconnect(), errors: [] as Error[] };
}

/**
 * Raw @platformatic/kafka: its stream consumer from the group's committed offsets (earliest where
 * none), auto-commit, fetch sizes 1 MB per partition / 10 MB per request (its 50 MB default costs
 * 2.5x the CPU per message here, see notes.md), each value turned into an item like raw kafkajs.
 */
async function activatePlatformatic(a: Args, groupId: string, fromBeginning: boolean, onItems: (items: INodeExecutionData[]) => void) {
  const { Consumer, MessagesStreamModes, MessagesStreamFallbackModes } = await loadPlatformatic();
  const consumer = new Consumer({ clientId: 'bench-raw-platformatic-consumer', bootstrapBrokers: [a.bootstrap], groupId, maxBytesPerPartition: 1024 * 1024, maxBytes: 10 * 1024 * 1024 });
  const stream = await consumer.consume({
    topics: [a.topic],
    mode: MessagesStreamModes.COMMITTED,
    fallbackMode: fromBeginning ? MessagesStreamFallbackModes.EARLIEST : MessagesStreamFallbackModes.LATEST,
    autocommit: true,
  });
  stream.on('data', (message: { value: Buffer | undefined }) => onItems([{ json: { value: message.value?.toString('utf8') } }]));
  return {
    close: async () => {
      await stream.close();
      await consumer.close(true);
    },
    errors: [] as Error[],
  };
}

const activators = { ours: activateOurs, builtin: activateBuiltin, raw: activateRaw, platformatic: activatePlatformatic };

/** Messages per second delivered from a pre-filled topic, first delivery to the last. */
async function triggerThroughput(kind: keyof typeof activators, a: Args) {
  const count = a.count!;
  let delivered = 0;
  let first = 0;
  let last = 0;
  let cpu0: NodeJS.CpuUsage | undefined;
  let cpuAtLast = 0;
  const activatedAt = now();
  const trigger = await activators[kind](a, `bench-${kind}-${randomUUID().slice(0, 8)}`, true, (items) => {
    if (!first) {
      first = now();
      cpu0 = process.cpuUsage();
      void profileStart();
    }
    delivered += items.length;
    last = now();
  });
  try {
    await waitFor(() => delivered >= count, { timeoutMs: a.deadlineMs ?? 300_000, intervalMs: 20, what: `${count} messages delivered` });
    // Read within 20 ms of the last delivery: the idle polling in between costs next to nothing.
    const d = process.cpuUsage(cpu0);
    cpuAtLast = d.user + d.system;
    await profileStop(`trigger-${kind}`);
  } finally {
    await trigger.close();
    await clientPool.closeAll();
  }
  const seconds = (last - first) / 1000;
  return {
    messages: delivered,
    seconds,
    rate: delivered / seconds,
    // From the first delivery on, like the rate: the group join before it is not per-message work.
    cpuUs: cpuAtLast,
    cpuUsPerMsg: cpuAtLast / delivered,
    firstDeliveryAfterMs: first - activatedAt,
    errors: trigger.errors.map((e) => e.message),
    ...(kind === 'ours' ? { library: ourLibrary(a.bootstrap) } : {}),
  };
}

/** Produce at a fixed rate (in-process, same clock) and measure produce-call -> emit latency. */
async function triggerLatency(kind: keyof typeof activators, a: Args) {
  const rate = a.rate ?? 1000;
  const seconds = a.seconds ?? 12;
  const warmup = a.warmup ?? 2;
  const samples: number[] = [];
  let received = 0;
  const trigger = await activators[kind](a, `bench-lat-${kind}-${randomUUID().slice(0, 8)}`, false, (items) => {
    const t = Date.now();
    for (const item of items) {
      const raw = (item.json.value ?? item.json.message) as string;
      const sentAt = Number(String(raw).slice(0, 13));
      const seq = Number(String(raw).slice(14, 24));
      received++;
      if (seq >= warmup * rate) samples.push(t - sentAt);
    }
  });
  // Give the new group time to take its partitions: it starts at "latest", so earlier messages would be skipped.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const total = rate * seconds;
  // The load generator runs in its own process (same machine clock), so it neither steals the
  // trigger's event loop nor gets delayed by it.
  const started = Date.now();
  const child = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    // Asynchronous on purpose: the trigger in this process must keep running while the child produces.
    const proc = spawn(process.execPath, [process.argv[1], 'rate-producer', JSON.stringify(a)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c) => (stdout += c));
    proc.stderr.on('data', (c) => (stderr += c));
    proc.on('error', reject);
    proc.on('close', (status) => resolve({ status, stdout, stderr }));
  });
  if (child.status !== 0) throw new Error(`rate producer failed: ${child.stderr}`);
  try {
    await waitFor(() => received >= total, { timeoutMs: 60_000, what: `${total} latency messages delivered` });
  } finally {
    await trigger.close();
    await clientPool.closeAll();
  }
  const produced = JSON.parse(child.stdout.split('\n').find((line) => line.startsWith('RESULT '))!.slice(7)) as { achievedRate: number };
  return { ...latencySummary(samples), sent: total, received, achievedRate: produced.achievedRate, wallSeconds: (Date.now() - started) / 1000 };
}

/** Sends `rate` messages per second for `seconds`, each value starting with its send time (ms) and sequence number. */
async function rateProducer(a: Args) {
  const rate = a.rate ?? 1000;
  const total = rate * (a.seconds ?? 12);
  const kafka = new Kafka({ clientId: 'bench-latency-producer', brokers: [a.bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const pad = 'x'.repeat(256 - 25);
  const perTick = Math.max(1, Math.round(rate / 100)); // 100 sends per second, each of rate/100 messages
  let seq = 0;
  const started = Date.now();
  const sends: Promise<unknown>[] = [];
  while (seq < total) {
    const due = started + (seq / rate) * 1000;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const messages = [];
    for (let i = 0; i < perTick && seq < total; i++, seq++) messages.push({ value: `${Date.now()}|${String(seq).padStart(10, '0')}|${pad}` });
    sends.push(producer.send({ topic: a.topic, acks: 1, messages }));
  }
  await Promise.all(sends);
  const achievedRate = total / ((Date.now() - started) / 1000);
  await producer.disconnect();
  return { sent: total, achievedRate };
}

/** Heap and RSS of our trigger while it drains a large backlog (run with --expose-gc). */
async function triggerMemory(a: Args) {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const count = a.count!;
  let delivered = 0;
  const samples: { t: number; delivered: number; heapUsed: number; rss: number; afterGc?: number }[] = [];
  let peakHeap = 0;
  let peakRss = 0;
  gc();
  const baseline = process.memoryUsage();
  const t0 = now();
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
    samples.push({ t: now() - t0, delivered, heapUsed: m.heapUsed, rss: m.rss });
  }, 250);
  const gcSampler = setInterval(() => {
    gc();
    const m = process.memoryUsage();
    samples.push({ t: now() - t0, delivered, heapUsed: m.heapUsed, rss: m.rss, afterGc: m.heapUsed });
  }, 2000);
  const trigger = await activateOurs(a, `bench-mem-${randomUUID().slice(0, 8)}`, true, (items) => {
    delivered += items.length;
  });
  let finished = true;
  try {
    await waitFor(() => delivered >= count, { timeoutMs: a.deadlineMs ?? 300_000, intervalMs: 100, what: `${count} backlog messages drained` });
  } catch {
    finished = false;
  } finally {
    clearInterval(sampler);
    clearInterval(gcSampler);
    await trigger.close();
    await clientPool.closeAll();
  }
  const seconds = (now() - t0) / 1000;
  const warm = Math.round(count * 0.2);
  const afterGc = samples.filter((s) => s.afterGc !== undefined && s.delivered >= warm);
  const rss = samples.filter((s) => s.delivered >= warm);
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const k = Math.max(1, Math.floor(afterGc.length / 4));
  const kr = Math.max(1, Math.floor(rss.length / 4));
  const heapEarly = median(afterGc.slice(0, k).map((s) => s.afterGc!));
  const heapLate = median(afterGc.slice(-k).map((s) => s.afterGc!));
  const rssEarly = median(rss.slice(0, kr).map((s) => s.rss));
  const rssLate = median(rss.slice(-kr).map((s) => s.rss));
  // RSS read right after a full GC: less noise from garbage not yet collected.
  const rssGcEarly = median(afterGc.slice(0, k).map((s) => s.rss));
  const rssGcLate = median(afterGc.slice(-k).map((s) => s.rss));
  return {
    finished,
    delivered,
    seconds,
    rate: delivered / seconds,
    baselineHeap: baseline.heapUsed,
    baselineRss: baseline.rss,
    peakHeap,
    peakRss,
    heapAfterGcEarly: heapEarly,
    heapAfterGcLate: heapLate,
    heapGrowth: heapLate / heapEarly - 1,
    rssEarly,
    rssLate,
    rssGrowth: rssLate / rssEarly - 1,
    rssAfterGcEarly: rssGcEarly,
    rssAfterGcLate: rssGcLate,
    rssAfterGcGrowth: rssGcLate / rssGcEarly - 1,
    gcSamples: afterGc.length,
  };
}

/**
 * Share group against consumer group (issue 13): our Trigger draining a backlog with every message its
 * own execution that takes `execMs` (a timer: the simulated workflow, no CPU), `concurrency`
 * executions at once. Share-group mode: Concurrency executions at once whatever the partitions, each
 * message acknowledged (ACCEPT) when its execution ends. Consumer group: After Success, batch size 1,
 * Parallel Partitions = concurrency (so at most one execution per partition: the partition count
 * caps it). Rate and CPU from the first emit to the end of the last execution.
 */
async function queueThroughput(a: Args) {
  const count = a.count!;
  const concurrency = a.concurrency ?? 1;
  const execMs = a.execMs ?? 0;
  let finished = 0;
  let first = 0;
  let last = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let cpu0: NodeJS.CpuUsage | undefined;
  const groupId = `bench-${a.mode}-${randomUUID().slice(0, 8)}`;
  const context = createTriggerContext({
    parameters: {
      topicSelection: 'names',
      topics: a.topic,
      groupId,
      startFrom: 'earliest',
      deliveryMode: a.mode === 'share' ? 'shareGroup' : 'afterSuccess',
      valueFormat: 'string',
      options: a.mode === 'share' ? { concurrency } : { batchSize: 1, concurrency },
    },
    credentials: { kafkaSuiteClusterApi: { platform: 'apache', brokers: a.bootstrap, clientId: 'bench-queue' } },
    mode: 'trigger',
    onEmit: (execution) => {
      if (!first) {
        first = now();
        cpu0 = process.cpuUsage();
        void profileStart();
      }
      const n = execution.data[0].length;
      execution.data = [];
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      const done = (): 'success' => {
        inFlight--;
        finished += n;
        last = now();
        return 'success';
      };
      return execMs > 0 ? new Promise<'success'>((resolve) => setTimeout(() => resolve(done()), execMs)) : done();
    },
  });
  context.emitted.push = () => 0;
  const activatedAt = now();
  const response = await new KafkaSuiteTriggerV1(triggerBase).trigger.call(context as unknown as ITriggerFunctions);
  let cpuUs = 0;
  try {
    await waitFor(() => finished >= count, { timeoutMs: a.deadlineMs ?? 300_000, intervalMs: 20, what: `${count} executions finished` });
    const d = process.cpuUsage(cpu0);
    cpuUs = d.user + d.system;
    await profileStop(`queue-${a.mode}-c${concurrency}-e${execMs}`);
  } finally {
    await response.closeFunction?.();
    await clientPool.closeAll();
  }
  const seconds = (last - first) / 1000;
  return {
    messages: finished,
    seconds,
    rate: finished / seconds,
    cpuUs,
    cpuUsPerMsg: cpuUs / finished,
    maxInFlight,
    firstDeliveryAfterMs: first - activatedAt,
    errors: context.errors.map((e) => e.message),
    library: ourLibrary(a.bootstrap),
  };
}

const cases: Record<string, (a: Args) => Promise<unknown>> = {
  'queue-ours': queueThroughput,
  'produce-ours': produceOurs,
  'produce-raw': produceRaw,
  'produce-platformatic': producePlatformatic,
  'produce-builtin': produceBuiltin,
  'small-ours': smallOurs,
  'small-builtin': smallBuiltin,
  'trigger-ours': (a) => triggerThroughput('ours', a),
  'trigger-raw': (a) => triggerThroughput('raw', a),
  'trigger-platformatic': (a) => triggerThroughput('platformatic', a),
  'trigger-builtin': (a) => triggerThroughput('builtin', a),
  'latency-ours': (a) => triggerLatency('ours', a),
  'latency-builtin': (a) => triggerLatency('builtin', a),
  'memory-ours': triggerMemory,
  'rate-producer': rateProducer,
};

async function main() {
  const [name, json] = process.argv.slice(2);
  const run = cases[name];
  const args = JSON.parse(json ?? '{}') as Args;
  secure = args.secure;
  if (!run) throw new Error(`unknown case ${name}; known: ${Object.keys(cases).join(', ')}`);
  result({ ...((await run(args)) as object), node: process.version });
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
