// Referee for Protobuf: protoc-generated classes and Confluent's framing helpers (Python) against
// our Trigger and Producer, keys and values, all three subject strategies, a nested message
// declared after map fields (protoc counts the synthetic map-entry types in the indexes), maps,
// oneofs, enums, 64-bit integers, bytes and well-known types.
import { randomUUID } from 'node:crypto';
import { SchemaRegistryClient, clientPool, subjectFor } from '../../../nodes/shared';
import { consumeFromStart, rawKafka, registryCredential, unique } from '../trigger/harness';
import { facts } from '../../setup/facts';
import { referee, refereePython } from '../../setup/python';
import { STRATEGIES, newTopic, producerSend, triggerRead, type Strategy } from './harness';

const PKG = `referee.p${randomUUID().slice(0, 8)}`;
const PROTO = `syntax = "proto3";
package ${PKG};

import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";

// A map declared before the nested messages: protoc puts CountsEntry first among Order's nested types.
message Order {
  int64 id = 1;
  uint64 big_unsigned = 2;
  map<string, int32> counts = 3;
  message Line {
    string sku = 1;
    double price = 2;
    repeated string notes = 3;
  }
  repeated Line lines = 4;
  Status status = 5;
  bytes payload = 6;
  google.protobuf.Timestamp created_at = 7;
  google.protobuf.Duration ttl = 8;
  oneof contact {
    string email = 9;
    string phone = 10;
  }
  string display_name = 11 [json_name = "label"];
  sint64 delta = 12;
  fixed32 crc = 13;
  bool ok = 14;
  map<string, Line> line_by_sku = 16;
  Address address = 17;
  message Address {
    string city = 1;
    repeated int64 codes = 2;
  }
}

enum Status {
  UNKNOWN = 0;
  NEW = 1;
  PAID = 2;
}

message OrderKey {
  int64 id = 1;
  string region = 2;
}
`;

// Canonical proto3 JSON, as protoc's json_format prints it (defaults included).
const orders = [0, 1, 2].map((n) => ({
  key: { id: String(9007199254740993n + BigInt(n)), region: `eu-${n}` },
  value: {
    id: n === 1 ? '-9223372036854775808' : String(42 + n),
    bigUnsigned: '18446744073709551615',
    counts: { a: n, b: -7 },
    lines: [{ sku: 'S1', price: 9.5, notes: ['x', 'ü'] }, { sku: 'S2', price: 0, notes: [] }],
    status: n === 2 ? 'UNKNOWN' : 'PAID',
    payload: Buffer.from([0, 0xff, n]).toString('base64'),
    createdAt: n === 0 ? '2024-02-29T23:59:58.123Z' : '1970-01-01T00:00:00Z',
    ttl: n === 0 ? '1.500s' : '-3s',
    ...(n === 1 ? { phone: '+41 00' } : { email: `a${n}@example.com` }),
    label: `Order ${n}`,
    delta: '-5',
    crc: 4294967295,
    ok: n !== 2,
    lineBySku: { k: { sku: 'K', price: 1.25, notes: ['n'] } },
    address: { city: 'Bern', codes: ['1', '9007199254740993'] },
  },
}));
const addresses = [0, 1].map((n) => ({ key: { id: String(n), region: '' }, value: { city: `City ${n}`, codes: [String(n)] } }));

const registry = new SchemaRegistryClient(registryCredential() as any);
const tally: string[] = [];

/** Ours includes unset message fields as null; protoc's JSON leaves them out. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
  return value;
}

beforeAll(() => {
  refereePython();
}, 600_000);

afterAll(async () => {
  await clientPool.closeAll();
  console.log(`[referee] Protobuf cases:\n${tally.map((line) => `  ${line}`).join('\n')}`);
});

async function register(strategy: Strategy, topic: string, isKey: boolean, message: string): Promise<number> {
  const subject = subjectFor(strategy, topic, isKey, `${PKG}.${message}`);
  return (await registry.register(subject, 'PROTOBUF', PROTO)).id;
}

const cases: Array<[string, Strategy, string]> = STRATEGIES.map((strategy) => [`Order ${strategy}`, strategy, 'Order']);
cases.push(['Order.Address (nested after two maps) recordName, given by its short name', 'recordName', 'Order.Address']);

test.each(cases)('%s: Python → Trigger → Producer (same bytes) → Python', async (_name, strategy, message) => {
  const records = message === 'Order' ? orders : addresses;
  const source = await newTopic(`referee-proto-${strategy}`);
  const valueId = await register(strategy, source, false, message);
  const keyId = await register(strategy, source, true, 'OrderKey');
  const { records: written } = await referee<{ records: Array<{ key: string; value: string; indexes: number[] }> }>('proto-produce', {
    bootstrap: facts.bootstrap,
    topic: source,
    proto: PROTO,
    value: { message: `${PKG}.${message}`, schemaId: valueId },
    key: { message: `${PKG}.OrderKey`, schemaId: keyId },
    records,
  });
  if (message === 'Order.Address') expect(written[0].indexes).toEqual([0, 3]); // protoc: CountsEntry, Line, LineBySkuEntry, Address

  // Our Trigger decodes what protoc's classes wrote.
  const items = await triggerRead(source, records.length);
  expect(items.map((i) => i.json.decodeError)).toEqual(records.map(() => undefined));
  items.forEach((item, index) => {
    expect(withoutNulls(item.json.value)).toEqual(records[index].value);
    expect(item.json.key).toEqual(records[index].key);
  });
  tally.push(`${message} ${strategy} python→trigger: ${items.length} values + ${items.length} keys equal field by field`);

  // The items, unchanged, through our Producer: same bytes after the 5-byte prefix (indexes included).
  const target = await newTopic(`referee-proto-back-${strategy}`);
  const shortName = message === 'Order.Address' ? 'Address' : message;
  const sent = await producerSend(
    target,
    items,
    { format: 'PROTOBUF', schema: PROTO, strategy },
    { format: 'PROTOBUF', schema: PROTO, strategy },
    { protobufMessage: shortName, keyProtobufMessage: 'OrderKey', schemaSource: 'schema', keySchemaSource: 'schema' },
  );
  expect(sent.map((s) => s.json.error)).toEqual(records.map(() => undefined));
  if (strategy === 'recordName') expect(sent[0].json.subject).toBe(`${PKG}.${message}`);
  const raw = (await consumeFromStart(rawKafka(), target, records.length)).sort((a, b) => Number(a.offset) - Number(b.offset));
  raw.forEach((m, index) => {
    expect((m.value as Buffer).subarray(5).toString('hex')).toBe(Buffer.from(written[index].value, 'base64').subarray(5).toString('hex'));
    expect((m.key as Buffer).subarray(5).toString('hex')).toBe(Buffer.from(written[index].key, 'base64').subarray(5).toString('hex'));
  });
  tally.push(`${message} ${strategy} trigger→producer: ${raw.length * 2} records byte-identical after the schema id`);

  // protoc's classes decode what our Producer wrote.
  const { messages } = await referee<{ messages: Array<Record<string, any>> }>('proto-consume', {
    bootstrap: facts.bootstrap,
    topic: target,
    proto: PROTO,
    group: unique('referee-proto'),
    count: records.length,
    key: true,
  });
  messages.sort((a, b) => a.offset - b.offset);
  expect(messages.map((m) => m.valueError ?? m.keyError)).toEqual(records.map(() => undefined));
  messages.forEach((m, index) => {
    expect(m.value.message).toBe(`${PKG}.${message}`);
    expect(m.value.json).toEqual(records[index].value);
    expect(m.key.json).toEqual(records[index].key);
  });
  tally.push(`${message} ${strategy} producer→python: ${messages.length} values + ${messages.length} keys equal field by field`);
}, 240_000);

test('snake_case input, strict decoding and a bad field named in the error', async () => {
  const topic = await newTopic('referee-proto-strict');
  // Original field names are accepted as well as json names.
  const [ok] = await producerSend(topic, [{ json: { value: { id: '1', big_unsigned: '2', display_name: 'x', created_at: '2024-01-01T00:00:00Z' }, key: '' } }], null, {
    format: 'PROTOBUF',
    schema: PROTO,
    strategy: 'topicName',
  }, { protobufMessage: 'Order', schemaSource: 'schema' });
  expect(ok.json.error).toBeUndefined();
  const [item] = await triggerRead(topic, 1, { keyFormat: 'string' });
  expect(item.json.value).toMatchObject({ id: '1', bigUnsigned: '2', label: 'x', createdAt: '2024-01-01T00:00:00Z' });

  // A payload cut inside a string is an error, not a shorter string.
  const full = (await consumeFromStart(rawKafka(), topic, 1))[0].value as Buffer;
  const cut = full.subarray(0, full.length - 2);
  const decoded = await registry.decode(cut).then(
    () => 'decoded',
    (error: Error) => error.message,
  );
  expect(decoded).toMatch(/runs past the end|truncated/);

  // A value that does not match: the error names the field.
  const bad = await producerSend(topic, [{ json: { value: { id: 'abc' }, key: '' } }], null, { format: 'PROTOBUF', schema: PROTO, strategy: 'topicName' }, { protobufMessage: 'Order', schemaSource: 'schema' }).then(
    () => 'sent',
    (error: Error) => error.message,
  );
  expect(bad).toMatch(/field id must be a int64/);

  // With continueOnFail: the bad item is an error item naming the nested field, the others are sent.
  const output = await producerSend(
    topic,
    [{ json: { value: { id: '7' }, key: '' } }, { json: { value: { lines: [{ sku: 'a', price: 'cheap' }] }, key: '' } }, { json: { value: { status: 'LOST' }, key: '' } }, { json: { value: { id: '8' }, key: '' } }],
    null,
    { format: 'PROTOBUF', schema: PROTO, strategy: 'topicName' },
    { protobufMessage: 'Order', schemaSource: 'schema' },
    { continueOnFail: true },
  );
  expect(output.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
  expect(output[1].json.error).toMatch(/field lines\[0\]\.price must be a number/);
  expect(output[2].json.error).toMatch(/field status must be one of UNKNOWN, NEW, PAID/);
  expect(output[0].json.offset).toBeDefined();
  expect(output[3].json.offset).toBeDefined();
}, 120_000);

test("Confluent's own ProtobufSerializer / ProtobufDeserializer: schemas registered as serialized descriptors", async () => {
  const source = await newTopic('referee-proto-serde');
  const value = { message: `${PKG}.Order`, strategy: 'topicName' };
  const key = { message: `${PKG}.OrderKey`, strategy: 'topicName' };
  const { records: written } = await referee<{ records: Array<{ key: string; value: string }> }>('proto-serde-produce', {
    bootstrap: facts.bootstrap,
    registry: facts.schemaRegistryUrl,
    topic: source,
    proto: PROTO,
    value,
    key,
    records: orders,
  });
  // Confluent's serializer registered a base64 FileDescriptorProto, and the registry serves it as such.
  const served = await registry.getSchemaByVersion(`${source}-value`, 'latest');
  expect(served.schema).toMatch(/^[A-Za-z0-9+/=]+$/);
  const items = await triggerRead(source, orders.length);
  expect(items.map((i) => i.json.decodeError)).toEqual(orders.map(() => undefined));
  items.forEach((item, index) => {
    expect(withoutNulls(item.json.value)).toEqual(orders[index].value);
    expect(item.json.key).toEqual(orders[index].key);
  });
  // Back through our Producer with the subject's latest schema (the descriptor): Python's exact bytes.
  const sent = await producerSend(
    source,
    items,
    { format: 'PROTOBUF', schema: PROTO, strategy: 'topicName' },
    { format: 'PROTOBUF', schema: PROTO, strategy: 'topicName' },
    { protobufMessage: 'Order', keyProtobufMessage: 'OrderKey', schemaSource: 'latest', keySchemaSource: 'latest' },
  );
  expect(sent.map((s) => s.json.error)).toEqual(orders.map(() => undefined));
  const raw = (await consumeFromStart(rawKafka(), source, orders.length * 2)).sort((a, b) => Number(a.offset) - Number(b.offset));
  raw.slice(orders.length).forEach((m, index) => {
    expect((m.value as Buffer).equals(Buffer.from(written[index].value, 'base64'))).toBe(true);
    expect((m.key as Buffer).equals(Buffer.from(written[index].key, 'base64'))).toBe(true);
  });
  const { messages } = await referee<{ messages: Array<Record<string, any>> }>('proto-serde-consume', {
    bootstrap: facts.bootstrap,
    registry: facts.schemaRegistryUrl,
    topic: source,
    proto: PROTO,
    group: unique('referee-proto-serde'),
    count: orders.length * 2,
    value,
    key,
  });
  messages.sort((a, b) => a.offset - b.offset);
  expect(messages.map((m) => m.valueError ?? m.keyError)).toEqual([...orders, ...orders].map(() => undefined));
  messages.forEach((m, index) => {
    expect(m.value).toEqual(orders[index % orders.length].value);
    expect(m.key).toEqual(orders[index % orders.length].key);
  });
  tally.push(`Order topicName with Confluent's ProtobufSerializer/Deserializer: ${orders.length} python→trigger, ${orders.length * 2} records byte-identical, ${orders.length * 2} read back by Python`);
}, 240_000);
