// No message can stop a partition: thousands of hostile messages (anything the broker accepts)
// interleaved with good ones on several partitions, read by the real Trigger from the real broker.
// Every good message must arrive once and in order, every hostile one must be accounted for, and
// the consumer must never crash.
import { randomBytes } from 'node:crypto';
import type { INodeType, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import type { Admin, IHeaders, Kafka, Message } from 'kafkajs';
import { KafkaSuiteTrigger } from '../../../nodes/KafkaSuiteTrigger/KafkaSuiteTrigger.node';
import { SchemaRegistryClient, clientPool } from '../../../nodes/shared';
import { createTriggerContext, waitFor } from '../../helpers/n8nContext';
import { facts } from '../../setup/facts';
import { referee, refereePython } from '../../setup/python';
import { newTopic } from '../referee/harness';
import { consumeFromStart, credentials, openAdmin, rawKafka, registryCredential, unique } from './harness';

const FULL = process.env.KAFKA_SUITE_FULL === '1' || process.env.CI !== 'true';
const PARTITIONS = 4;
const GOOD_PER_PARTITION = FULL ? 500 : 150;
const HOSTILE_PER_PARTITION = FULL ? 2500 : 600;

const SCHEMA = JSON.stringify({ type: 'record', name: 'Good', namespace: 'fuzz', fields: [{ name: 'partition', type: 'int' }, { name: 'seq', type: 'long' }] });

type Expect =
  /** A good value (maybe with hostile key/headers): decoded, no decodeError. */
  | { kind: 'good'; partition: number; seq: number; headers?: (h: Record<string, unknown>) => boolean; key?: unknown }
  /** A value that cannot be decoded: decodeError and the exact bytes. */
  | { kind: 'undecodable'; bytes: Buffer }
  /** A null value: value null, no error. */
  | { kind: 'null' };

interface Planned {
  message: Message;
  expect: Expect;
  variant: string;
}

let kafka: Kafka;
let admin: Admin;
let registry: SchemaRegistryClient;
let topic: string;
let schemaId: number;
let goodValue: (partition: number, seq: number) => Promise<Buffer>;

beforeAll(async () => {
  kafka = rawKafka();
  admin = await openAdmin(kafka);
  topic = await newTopic('poison-fuzz', PARTITIONS);
  registry = new SchemaRegistryClient(registryCredential() as any);
  goodValue = async (partition, seq) => {
    const encoded = await registry.encode({ value: { partition, seq }, format: 'AVRO', topic, schema: SCHEMA, autoRegister: true });
    schemaId = encoded.schemaId;
    return encoded.buffer;
  };
  await goodValue(0, 0);
  refereePython();
}, 600_000);

afterAll(async () => {
  await clientPool.closeAll();
  await admin?.disconnect();
});

/** A deterministic mix of every hostile shape; `good` is a valid value to pair with hostile keys/headers. */
function hostile(n: number, good: Buffer, partition: number, seq: number): Planned {
  const garbage = randomBytes(1 + (n % 64));
  const valid = { partition, seq };
  const plans: Array<() => Planned> = [
    () => ({ variant: 'null header value', message: { value: good, headers: { h: null as unknown as string } }, expect: { kind: 'good', ...valid, headers: (h) => h.h === null } }),
    () => ({
      variant: 'duplicate headers with nulls',
      message: { value: good, headers: { d: [Buffer.from('a'), null, Buffer.from([0xff])] as unknown as Buffer[] } },
      expect: { kind: 'good', ...valid, headers: (h) => JSON.stringify(h.d) === JSON.stringify(['a', null, '\uFFFD']) },
    }),
    () => ({ variant: 'binary header', message: { value: good, headers: { b: garbage } }, expect: { kind: 'good', ...valid, headers: (h) => typeof h.b === 'string' } }),
    () => ({ variant: 'header named __proto__', message: { value: good, headers: { ['__proto__']: 'x' } as IHeaders }, expect: { kind: 'good', ...valid, headers: (h) => Object.getOwnPropertyDescriptor(h, '__proto__')?.value === 'x' && Object.getPrototypeOf(h) === Object.prototype } }),
    () => ({ variant: 'huge header', message: { value: good, headers: { big: Buffer.alloc(64 * 1024, 0x62) } }, expect: { kind: 'good', ...valid, headers: (h) => (h.big as string).length === 64 * 1024 } }),
    () => ({ variant: 'garbage schema id header', message: { value: good, headers: { __value_schema_id: Buffer.concat([Buffer.from([2]), garbage]) } }, expect: { kind: 'undecodable', bytes: good } }),
    () => ({ variant: 'binary key', message: { key: Buffer.from([0xff, 0x00, n & 0xff]), value: good }, expect: { kind: 'good', ...valid } }),
    () => ({ variant: 'empty key', message: { key: Buffer.alloc(0), value: good }, expect: { kind: 'good', ...valid, key: '' } }),
    () => ({ variant: 'null value', message: { key: 'k', value: null }, expect: { kind: 'null' } }),
    () => ({ variant: 'empty value', message: { value: Buffer.alloc(0) }, expect: { kind: 'undecodable', bytes: Buffer.alloc(0) } }),
    () => ({ variant: 'random bytes', message: { value: garbage }, expect: { kind: 'undecodable', bytes: garbage } }),
    () => {
      const bytes = Buffer.concat([Buffer.from([1]), good.subarray(1)]);
      return { variant: 'wrong magic byte', message: { value: bytes }, expect: { kind: 'undecodable', bytes } };
    },
    () => {
      const bytes = Buffer.from(good);
      bytes.writeInt32BE(2_000_000_000 - (n % 1000), 1);
      return { variant: 'unknown schema id', message: { value: bytes }, expect: { kind: 'undecodable', bytes } };
    },
    () => {
      const bytes = good.subarray(0, 5 + (n % 2));
      return { variant: 'truncated payload', message: { value: bytes }, expect: { kind: 'undecodable', bytes } };
    },
    () => ({ variant: 'truncated prefix', message: { value: good.subarray(0, 3) }, expect: { kind: 'undecodable', bytes: good.subarray(0, 3) } }),
  ];
  return plans[n % plans.length]();
}

async function plan(): Promise<Planned[][]> {
  const perPartition: Planned[][] = [];
  let n = 0;
  for (let partition = 0; partition < PARTITIONS; partition++) {
    const list: Planned[] = [];
    const total = GOOD_PER_PARTITION + HOSTILE_PER_PARTITION;
    let seq = 0;
    for (let i = 0; i < total; i++) {
      // Interleaved: a good message after every few hostile ones, evenly spread.
      const isGood = Math.floor(((i + 1) * GOOD_PER_PARTITION) / total) > Math.floor((i * GOOD_PER_PARTITION) / total);
      const good = await goodValue(partition, seq);
      if (isGood) list.push({ variant: 'good', message: { key: `k${seq}`, value: good }, expect: { kind: 'good', partition, seq, key: `k${seq}` } });
      else list.push(hostile(n++, good, partition, seq));
      if (isGood) seq++;
    }
    perPartition.push(list);
  }
  return perPartition;
}

type Bytes = Buffer | string | null | undefined;
const b64 = (value: Bytes) => (value === null || value === undefined ? null : Buffer.from(value).toString('base64'));

/** Null header values and the like cannot be written by kafkajs: Confluent's client (librdkafka) writes them. */
function toReferee(message: Message, partition: number) {
  const headers: Array<[string, string | null]> = [];
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    for (const single of Array.isArray(value) ? value : [value]) headers.push([name, b64(single as Bytes)]);
  }
  return { partition, key: b64(message.key as Bytes), value: b64(message.value as Bytes), headers };
}

/** Sends each partition's plan and returns the expectation per `partition|offset`. */
async function send(planned: Planned[][]): Promise<Map<string, Planned>> {
  const flat = planned.flatMap((list, partition) => list.map((p) => ({ p, partition })));
  const { delivered } = await referee<{ delivered: Array<{ partition: number; offset: number }> }>(
    'produce-raw',
    { bootstrap: facts.bootstrap, topic, messages: flat.map(({ p, partition }) => toReferee(p.message, partition)) },
    300_000,
  );
  const byOffset = new Map<string, Planned>();
  flat.forEach(({ p, partition }, index) => {
    expectPartition(delivered[index].partition, partition);
    byOffset.set(`${partition}|${delivered[index].offset}`, p);
  });
  return byOffset;
}

function expectPartition(actual: number, wanted: number): void {
  if (actual !== wanted) throw new Error(`referee wrote to partition ${actual}, not ${wanted}`);
}

async function startTrigger(parameters: Record<string, unknown>) {
  const warnings: string[] = [];
  const context = createTriggerContext({ parameters, credentials: credentials(), onEmit: () => 'success' });
  const collect = (message: string) => void warnings.push(message);
  (context as { logger: unknown }).logger = { debug: () => undefined, info: () => undefined, warn: collect, error: collect };
  const node = new KafkaSuiteTrigger().nodeVersions[1] as INodeType;
  const response = (await node.trigger!.call(context as unknown as ITriggerFunctions)) as ITriggerResponse;
  return { context, warnings, close: async () => void (await response.closeFunction?.()) };
}

const baseParameters = (groupId: string) => ({
  topicSelection: 'names',
  topics: topic,
  groupId,
  startFrom: 'earliest',
  deliveryMode: 'afterSuccess',
  valueFormat: 'schemaRegistry',
  keyFormat: 'string',
  options: { batchSize: 100, batchWindowMs: 100, concurrency: 2, maxAttempts: 1 },
});

test('hostile messages interleaved with good ones: all good delivered in order, every hostile one accounted for, no crash', async () => {
  const byOffset = await send(await plan());
  const total = byOffset.size;
  const goodSent = [...byOffset.values()].filter((p) => p.variant === 'good').length;
  const trigger = await startTrigger(baseParameters(unique('fuzz')));
  try {
    await waitFor(() => trigger.context.emitted.reduce((sum, e) => sum + (e.data[0]?.length ?? 0), 0) >= total, {
      timeoutMs: FULL ? 240_000 : 120_000,
      what: `${total} items`,
    });
  } finally {
    await trigger.close();
  }
  const items = trigger.context.emitted.flatMap((e) => e.data[0] ?? []).map((i) => ({ json: i.json as Record<string, any>, binary: i.binary }));
  const seen = new Map<string, number>();
  const lastOffset = new Map<number, bigint>();
  const lastSeq = new Map<number, number>();
  const failures: string[] = [];
  const counts = { good: 0, goodInOrder: 0, hostileAccounted: 0, duplicates: 0, undecodable: 0 };
  const variants: Record<string, number> = {};
  for (const { json } of items) {
    const id = `${json.partition}|${json.offset}`;
    seen.set(id, (seen.get(id) ?? 0) + 1);
    if (seen.get(id)! > 1) {
      counts.duplicates++;
      continue;
    }
    const previous = lastOffset.get(json.partition);
    if (previous !== undefined && BigInt(json.offset) <= previous) failures.push(`${id} after offset ${previous}`);
    lastOffset.set(json.partition, BigInt(json.offset));
    const planned = byOffset.get(id);
    if (!planned) {
      failures.push(`${id}: not a sent message`);
      continue;
    }
    const expect = planned.expect;
    let ok = false;
    if (expect.kind === 'good') {
      ok = !json.decodeError && json.value?.seq === expect.seq && json.value?.partition === expect.partition && json.schemaId === schemaId;
      if (expect.headers) ok &&= expect.headers(json.headers);
      if (expect.key !== undefined) ok &&= json.key === expect.key;
      if (planned.variant === 'good') {
        counts.good += ok ? 1 : 0;
        const before = lastSeq.get(expect.partition) ?? -1;
        if (ok && expect.seq === before + 1) counts.goodInOrder++;
        lastSeq.set(expect.partition, expect.seq);
      }
    } else if (expect.kind === 'null') {
      ok = json.value === null && !json.decodeError;
    } else {
      ok = json.value === null && typeof json.decodeError === 'string' && json.decodeError.length > 0 && json.valueBase64 === expect.bytes.toString('base64');
      if (ok) counts.undecodable++;
    }
    if (!ok) failures.push(`${id} (${planned.variant}): ${JSON.stringify(json).slice(0, 300)}`);
    else if (planned.variant !== 'good') {
      counts.hostileAccounted++;
      variants[planned.variant] = (variants[planned.variant] ?? 0) + 1;
    }
  }
  const crashes = trigger.warnings.filter((line) => /crash/i.test(line));
  console.log(
    `[poison-fuzz] partitions ${PARTITIONS}; good delivered in order ${counts.goodInOrder}/${goodSent}; hostile accounted for ${counts.hostileAccounted}/${total - goodSent} ` +
      `(undecodable with bytes + decodeError: ${counts.undecodable}); duplicates ${counts.duplicates}; consumer crashes ${crashes.length}; n8n errors ${trigger.context.errors.length}\n` +
      `[poison-fuzz] variants: ${JSON.stringify(variants)}`,
  );
  expect(failures.slice(0, 10)).toEqual([]);
  expect(counts.goodInOrder).toBe(goodSent);
  expect(counts.hostileAccounted).toBe(total - goodSent);
  expect(counts.duplicates).toBe(0);
  expect(seen.size).toBe(total);
  expect(crashes).toEqual([]);
  expect(trigger.context.errors).toEqual([]);
  expect(Object.keys(variants).length).toBe(15);
}, 400_000);

test('undecodable messages can go to the dead-letter topic instead; the rest still runs in order', async () => {
  const deadLetter = await newTopic('poison-dlq');
  const source = await newTopic('poison-src', 2);
  const plannedDlq: Array<{ message: Message; good: boolean }> = [];
  for (let i = 0; i < 60; i++) {
    const good = i % 3 === 0;
    const value = good ? await goodValue(0, i) : Buffer.concat([Buffer.from([9]), randomBytes(8)]);
    plannedDlq.push({ good, message: { key: `dlq-${i}`, value, headers: { n: null as unknown as string } } });
  }
  const { delivered } = await referee<{ delivered: Array<{ partition: number; offset: number }> }>('produce-raw', {
    bootstrap: facts.bootstrap,
    topic: source,
    messages: plannedDlq.map((p) => toReferee(p.message, 1)),
  });
  const sent = plannedDlq.map((p, i) => ({ partition: 1, offset: String(delivered[i].offset), good: p.good }));
  const first = BigInt(sent[0].offset);
  const trigger = await startTrigger({ ...baseParameters(unique('fuzz-dlq')), topics: source, options: { batchSize: 7, batchWindowMs: 100, maxAttempts: 1, deadLetterTopic: deadLetter, undecodable: 'deadLetter' } });
  const relevant = () => trigger.context.emitted.flatMap((e) => e.data[0] ?? []).filter((i) => i.json.partition === 1 && BigInt(i.json.offset as string) >= first);
  const goodCount = sent.filter((s) => s.good).length;
  try {
    await waitFor(() => relevant().length >= goodCount, { timeoutMs: 60_000, what: `${goodCount} good items` });
  } finally {
    await trigger.close();
  }
  const dead = await consumeFromStart(kafka, deadLetter, sent.length - goodCount);
  expect(relevant().map((i) => i.json.key)).toEqual(sent.flatMap((s, i) => (s.good ? [`dlq-${i}`] : [])));
  expect(relevant().every((i) => !i.json.decodeError)).toBe(true);
  const deadOffsets = dead.map((m) => m.headers?.['kafka-suite-original-offset']?.toString()).sort();
  expect(deadOffsets).toEqual(sent.filter((s) => !s.good).map((s) => s.offset).sort());
  expect(dead.every((m) => /not in the Confluent wire format/.test(String(m.headers?.['kafka-suite-error'])))).toBe(true);
  // kafkajs cannot write a null header value: the copy carries empty bytes and names the header.
  expect(dead.every((m) => String(m.headers?.['kafka-suite-null-headers']) === 'n' && Buffer.isBuffer(m.headers?.n) && (m.headers?.n as Buffer).length === 0)).toBe(true);
  expect(trigger.warnings.filter((line) => /crash/i.test(line))).toEqual([]);
}, 120_000);
