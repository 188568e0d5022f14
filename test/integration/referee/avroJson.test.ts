// Referee: Confluent's Python client and our nodes read each other's Avro and JSON Schema records,
// keys and values, under all three subject strategies, on the real broker and registry.
// Flow per case: Python serializes and produces → our Trigger decodes (compared field by field)
// → the Trigger items go unchanged into our Producer (compared byte for byte with Python's
// records) → Python's deserializers decode what our Producer wrote (compared field by field).
import { randomUUID } from 'node:crypto';
import { consumeFromStart, rawKafka } from '../trigger/harness';
import { refereePython } from '../../setup/python';
import { clientPool } from '../../../nodes/shared';
import { STRATEGIES, natural, newTopic, normalize, producerSend, pythonConsume, pythonProduce, triggerRead, type SideSpec, type Strategy } from './harness';

const NS = `referee.r${randomUUID().slice(0, 8)}`;

const avroValue = JSON.stringify({
  type: 'record',
  name: 'Order',
  namespace: NS,
  fields: [
    { name: 'id', type: 'long' },
    { name: 'big', type: 'long' },
    { name: 'amount', type: 'double' },
    { name: 'ratio', type: 'float' },
    { name: 'qty', type: 'int' },
    { name: 'ok', type: 'boolean' },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'choice', type: ['null', 'string', 'long'], default: null },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID', 'SHIPPED'] } },
    { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 4 } },
    { name: 'payload', type: 'bytes' },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'attrs', type: { type: 'map', values: 'long' } },
    { name: 'address', type: { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }, { name: 'zip', type: ['null', 'int'], default: null }] } },
    {
      name: 'lines',
      type: { type: 'array', items: { type: 'record', name: 'Line', fields: [{ name: 'sku', type: 'string' }, { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } }] } },
    },
    { name: 'createdAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'createdMicros', type: { type: 'long', logicalType: 'timestamp-micros' } },
    { name: 'localTs', type: { type: 'long', logicalType: 'local-timestamp-millis' } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'at', type: { type: 'int', logicalType: 'time-millis' } },
    { name: 'atMicros', type: { type: 'long', logicalType: 'time-micros' } },
    { name: 'fixedDecimal', type: { type: 'fixed', name: 'Money', size: 8, logicalType: 'decimal', precision: 18, scale: 4 } },
    { name: 'uid', type: { type: 'string', logicalType: 'uuid' } },
  ],
});
const avroKey = JSON.stringify({ type: 'record', name: 'OrderKey', namespace: NS, fields: [{ name: 'id', type: 'long' }, { name: 'region', type: 'string' }] });

const avroRecords = [0, 1, 2].map((n) => ({
  key: { id: { $long: String(1000 + n) }, region: `eu-${n}` },
  value: {
    id: n,
    big: { $long: n === 0 ? '9007199254740993' : n === 1 ? '-9223372036854775808' : '9223372036854775807' },
    amount: 12.5 + n,
    ratio: 0.5,
    qty: n === 0 ? 7 : -n,
    ok: n % 2 === 0,
    note: n === 1 ? null : `note ${n} ünïcødé`,
    choice: n === 0 ? null : n === 1 ? 'text' : { $long: '77' },
    status: ['NEW', 'PAID', 'SHIPPED'][n],
    hash: { $bytes: Buffer.from([n, 0xff, 0x00, 0x7f]).toString('base64') },
    payload: { $bytes: Buffer.from([0, 1, 2, 0xfe, n]).toString('base64') },
    tags: n === 2 ? [] : ['a', `b${n}`],
    attrs: { x: { $long: '1' }, huge: { $long: '9007199254740995' } },
    address: { city: 'Zürich', zip: n === 0 ? null : 8000 + n },
    lines: [
      { sku: 'A', price: { $decimal: '19.99' } },
      { sku: 'B', price: { $decimal: `-${n}.05` } },
    ],
    createdAt: { $datetime: '2024-02-29T23:59:58.123Z' },
    createdMicros: { $datetime: `2024-01-02T03:04:05.12345${n}Z` },
    localTs: { $datetime: '2024-01-02T03:04:05.006' },
    day: { $date: n === 0 ? '1970-01-01' : '2024-02-29' },
    at: { $time: '13:14:15.016' },
    atMicros: { $time: '00:00:01.000002' },
    fixedDecimal: { $decimal: n === 1 ? '-0.0001' : '123456.7890' },
    uid: { $uuid: `5f0c6a2e-6d2b-4f7e-9c1e-7b1f0a7d2c1${n}` },
  },
}));

const jsonValue = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: `${NS}.JsonOrder`,
  type: 'object',
  properties: {
    id: { type: 'integer' },
    amount: { type: 'number' },
    ok: { type: 'boolean' },
    note: { type: ['string', 'null'] },
    status: { type: 'string', enum: ['NEW', 'PAID'] },
    tags: { type: 'array', items: { type: 'string' } },
    address: { type: 'object', properties: { city: { type: 'string' }, zip: { type: 'integer' } }, required: ['city'] },
    lines: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } }, required: ['sku', 'qty'] } },
  },
  required: ['id', 'status'],
  additionalProperties: false,
});
const jsonKey = JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', title: `${NS}.JsonKey`, type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] });
const jsonRecords = [0, 1, 2].map((n) => ({
  key: { id: 500 + n },
  value: {
    id: n,
    amount: 1.25 * n,
    ok: n === 1,
    note: n === 2 ? null : `n${n} ✓`,
    status: n % 2 ? 'PAID' : 'NEW',
    tags: ['x'],
    address: { city: 'Oslo', zip: 150 + n },
    lines: [{ sku: 'S', qty: n + 1 }],
  },
}));

interface Tally {
  fieldsCompared: number;
  bytesIdentical: number;
  records: number;
}
const tally = new Map<string, Tally>();
const record = (name: string, update: Partial<Tally>) => {
  const current = tally.get(name) ?? { fieldsCompared: 0, bytesIdentical: 0, records: 0 };
  for (const [k, v] of Object.entries(update)) current[k as keyof Tally] += v as number;
  tally.set(name, current);
};
const leaves = (value: unknown): number =>
  Array.isArray(value) ? value.reduce((sum: number, v) => sum + leaves(v), 0) : value && typeof value === 'object' ? Object.values(value).reduce((sum: number, v) => sum + leaves(v), 0) : 1;

beforeAll(() => {
  refereePython();
}, 600_000);

afterAll(async () => {
  await clientPool.closeAll();
  const lines = [...tally.entries()].map(([name, t]) => `  ${name}: ${t.records} records, ${t.fieldsCompared} fields compared, ${t.bytesIdentical} byte-identical`);
  console.log(`[referee] Avro / JSON Schema cases (format × direction × key/value × strategy):\n${lines.join('\n')}`);
});

const cases: Array<[string, 'AVRO' | 'JSON', Strategy]> = [];
for (const format of ['AVRO', 'JSON'] as const) for (const strategy of STRATEGIES) cases.push([`${format} ${strategy}`, format, strategy]);

test.each(cases)('%s: Python → Trigger → Producer (same bytes) → Python', async (_name, format, strategy) => {
  const records = format === 'AVRO' ? avroRecords : jsonRecords;
  const key: SideSpec = { format, schema: format === 'AVRO' ? avroKey : jsonKey, strategy };
  const value: SideSpec = { format, schema: format === 'AVRO' ? avroValue : jsonValue, strategy };
  const tag = `${format} ${strategy}`;

  // 1. Confluent's serializers write; our Trigger reads.
  const source = await newTopic(`referee-${format.toLowerCase()}-${strategy}`);
  const written = await pythonProduce(source, key, value, records);
  const items = await triggerRead(source, records.length);
  expect(items.map((i) => i.json.decodeError)).toEqual(records.map(() => undefined));
  items.forEach((item, index) => {
    expect(item.json.value).toEqual(natural(records[index].value));
    expect(item.json.key).toEqual(natural(records[index].key));
  });
  record(`${tag} python→trigger value`, { records: items.length, fieldsCompared: leaves(records[0].value) * items.length });
  record(`${tag} python→trigger key`, { records: items.length, fieldsCompared: leaves(records[0].key) * items.length });

  // 2. The Trigger items, unchanged, through our Producer (the subject's latest schema: Python's).
  const target = await newTopic(`referee-back-${format.toLowerCase()}-${strategy}`);
  const recordNames = strategy === 'topicName' ? {} : { recordName: `${NS}.${format === 'AVRO' ? 'Order' : 'JsonOrder'}`, keyRecordName: `${NS}.${format === 'AVRO' ? 'OrderKey' : 'JsonKey'}` };
  // The subjects of the target topic are new under the topic strategies: register Python's schema text there first.
  const fromLatest = { schemaSource: strategy === 'recordName' ? 'latest' : 'schema', keySchemaSource: strategy === 'recordName' ? 'latest' : 'schema', ...recordNames };
  const sent = await producerSend(target, items, key, value, fromLatest);
  expect(sent.map((s) => s.json.error)).toEqual(records.map(() => undefined));
  const raw = await consumeFromStart(rawKafka(), target, records.length);
  raw.sort((a, b) => Number(a.offset) - Number(b.offset));
  let identical = 0;
  raw.forEach((message, index) => {
    const theirs = written[index];
    if (format === 'AVRO') {
      // Same schema (text from the registry), same value: the very same bytes, schema id included when the subject is shared.
      const sameId = strategy === 'recordName';
      const ours = { key: message.key as Buffer, value: message.value as Buffer };
      const expectedValue = Buffer.from(theirs.value as string, 'base64');
      const expectedKey = Buffer.from(theirs.key as string, 'base64');
      if (sameId) {
        expect(ours.value.equals(expectedValue)).toBe(true);
        expect(ours.key.equals(expectedKey)).toBe(true);
      } else {
        // Another subject may give another id: everything after the 5-byte prefix is identical.
        expect(ours.value.subarray(5).equals(expectedValue.subarray(5))).toBe(true);
        expect(ours.key.subarray(5).equals(expectedKey.subarray(5))).toBe(true);
      }
      identical += 2;
    } else {
      // JSON Schema: Python's json.dumps puts spaces after separators, we write compact JSON; same document.
      expect(JSON.parse((message.value as Buffer).subarray(5).toString())).toEqual(JSON.parse(Buffer.from(theirs.value as string, 'base64').subarray(5).toString()));
    }
  });
  record(`${tag} trigger→producer (round trip)`, { records: raw.length, bytesIdentical: identical });

  // 3. Confluent's deserializers read what our Producer wrote.
  const decoded = await pythonConsume(target, records.length, key, value);
  decoded.sort((a, b) => a.offset - b.offset);
  expect(decoded.map((d) => d.valueError ?? d.keyError)).toEqual(records.map(() => undefined));
  decoded.forEach((message, index) => {
    expect(normalize(message.value)).toEqual(normalize(records[index].value));
    expect(normalize(message.key)).toEqual(normalize(records[index].key));
  });
  record(`${tag} producer→python value`, { records: decoded.length, fieldsCompared: leaves(records[0].value) * decoded.length });
  record(`${tag} producer→python key`, { records: decoded.length, fieldsCompared: leaves(records[0].key) * decoded.length });
}, 240_000);

test('schema ids in headers (Confluent 8 framing): Python → Trigger and Producer → Python', async () => {
  const key: SideSpec = { format: 'AVRO', schema: avroKey, strategy: 'topicName', headerIds: true };
  const value: SideSpec = { format: 'AVRO', schema: avroValue, strategy: 'topicName', headerIds: true };
  const source = await newTopic('referee-header-ids');
  const written = await pythonProduce(source, key, value, avroRecords);
  // The payload has no prefix: the id travels in __key_schema_id / __value_schema_id.
  expect(written[0].headers.map(([name]) => name).sort()).toEqual(['__key_schema_id', '__value_schema_id']);
  const items = await triggerRead(source, avroRecords.length);
  items.forEach((item, index) => {
    expect(item.json.decodeError).toBeUndefined();
    expect(item.json.value).toEqual(natural(avroRecords[index].value));
    expect(item.json.key).toEqual(natural(avroRecords[index].key));
  });
  const target = await newTopic('referee-header-ids-back');
  const sent = await producerSend(target, items, key, value, { schemaSource: 'schema', keySchemaSource: 'schema' });
  expect(sent.map((s) => s.json.error)).toEqual(avroRecords.map(() => undefined));
  const raw = (await consumeFromStart(rawKafka(), target, avroRecords.length)).sort((a, b) => Number(a.offset) - Number(b.offset));
  raw.forEach((message, index) => {
    // Payload bytes identical to Python's (no prefix on either side); the header is 0x00 + 4-byte id.
    expect((message.value as Buffer).equals(Buffer.from(written[index].value as string, 'base64'))).toBe(true);
    expect((message.headers?.__value_schema_id as Buffer)[0]).toBe(0);
    expect((message.headers?.__value_schema_id as Buffer).length).toBe(5);
  });
  const decoded = (await pythonConsume(target, avroRecords.length, key, value)).sort((a, b) => a.offset - b.offset);
  decoded.forEach((message, index) => {
    expect(message.valueError).toBeUndefined();
    expect(normalize(message.value)).toEqual(normalize(avroRecords[index].value));
    expect(normalize(message.key)).toEqual(normalize(avroRecords[index].key));
  });
  record('AVRO header-ids python→trigger→producer→python', { records: decoded.length * 2, fieldsCompared: (leaves(avroRecords[0].value) + leaves(avroRecords[0].key)) * decoded.length * 2 });
}, 240_000);

const DRAFTS: Array<[string, Record<string, unknown>]> = [
  ['draft-04', { $schema: 'http://json-schema.org/draft-04/schema#', properties: { n: { type: 'number', maximum: 100, exclusiveMaximum: true } } }],
  ['draft-06', { $schema: 'http://json-schema.org/draft-06/schema#', properties: { n: { type: 'number', exclusiveMaximum: 100 }, kind: { const: 'order' } } }],
  ['draft 2019-09', { $schema: 'https://json-schema.org/draft/2019-09/schema', properties: { n: { type: 'number' }, card: { type: 'string' }, cvc: { type: 'string' } }, dependentRequired: { card: ['cvc'] } }],
  ['draft 2020-12', { $schema: 'https://json-schema.org/draft/2020-12/schema', properties: { n: { type: 'number' }, pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false } } }],
];

test.each(DRAFTS)('JSON Schema %s: Python → Trigger → Producer → Python, and a value breaking a draft-specific rule is refused', async (draft, body) => {
  const schema = JSON.stringify({ title: `${NS}.Draft`, type: 'object', ...body });
  const value: SideSpec = { format: 'JSON', schema, strategy: 'topicName' };
  const records = [{ key: 'k1', value: { n: 5, kind: 'order', card: 'c', cvc: '1', pair: ['a', 1] } }].map((r) => ({
    ...r,
    value: Object.fromEntries(Object.entries(r.value).filter(([k]) => k in (body.properties as object))),
  }));
  const source = await newTopic('referee-json-draft');
  await pythonProduce(source, null, value, records);
  const items = await triggerRead(source, 1, { keyFormat: 'string' });
  expect(items[0].json.decodeError).toBeUndefined();
  expect(items[0].json.value).toEqual(records[0].value);
  const target = await newTopic('referee-json-draft-back');
  const sent = await producerSend(target, items, null, value, { schemaSource: 'schema' });
  expect(sent[0].json.error).toBeUndefined();
  const [decoded] = await pythonConsume(target, 1, null, value);
  expect(decoded.valueError).toBeUndefined();
  expect(decoded.value).toEqual(records[0].value);
  // The draft's own rule is enforced by our Producer.
  const broken = draft === 'draft 2020-12' ? { pair: ['a', 'b'] } : draft === 'draft 2019-09' ? { card: 'c' } : { n: 100 };
  const refused = await producerSend(target, [{ json: { value: broken, key: '' } }], null, value, { schemaSource: 'schema' }).then(
    () => 'sent',
    (error: Error) => error.message,
  );
  expect(refused).toMatch(/does not match the JSON schema/);
  record(`JSON ${draft} python→trigger→producer→python`, { records: 2, fieldsCompared: leaves(records[0].value) * 2 });
}, 120_000);
