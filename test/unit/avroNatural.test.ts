// Avro ↔ n8n JSON without loss: exact longs, base64 bytes, natural logical types both ways.
import { avroOptions } from '../../nodes/shared/schemaRegistry/avro';
import { avsc } from '../../nodes/shared/vendor';

const schema = {
  type: 'record',
  name: 'All',
  namespace: 't',
  fields: [
    { name: 'big', type: 'long' },
    { name: 'small', type: ['null', 'long'] },
    { name: 'blob', type: 'bytes' },
    { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'tsMicros', type: { type: 'long', logicalType: 'timestamp-micros' } },
    { name: 'local', type: { type: 'long', logicalType: 'local-timestamp-millis' } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'time', type: { type: 'int', logicalType: 'time-millis' } },
    { name: 'timeMicros', type: { type: 'long', logicalType: 'time-micros' } },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 20, scale: 4 } },
    { name: 'fixedAmount', type: { type: 'fixed', name: 'Money', size: 8, logicalType: 'decimal', precision: 18, scale: 2 } },
    { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 2 } },
  ],
};
const natural = {
  big: '9007199254740993',
  small: 42,
  blob: 'AAEC/w==',
  ts: '2024-02-29T23:59:58.123Z',
  tsMicros: '1969-12-31T23:59:59.999999Z',
  local: '2024-01-02T03:04:05.006',
  day: '2024-02-29',
  time: '13:14:15.016',
  timeMicros: '00:00:01.000002',
  amount: '-12345678.9012',
  fixedAmount: '0.05',
  id: '5f0c6a2e-6d2b-4f7e-9c1e-7b1f0a7d2c11',
  hash: 'q80=',
};
const json = (value: unknown) =>
  JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v?.type === 'Buffer' ? Buffer.from(v.data).toString('base64') : v)));

test('natural JSON in, the same natural JSON out', () => {
  const type = avsc.Type.forSchema(schema as any, avroOptions('natural') as any);
  const bytes = type.toBuffer(natural);
  expect(json(type.fromBuffer(bytes))).toEqual(natural);
  // Raw forms are accepted too and give the same bytes.
  const raw = { ...natural, ts: 1709251198123, day: 19782, time: 47655016, big: 9007199254740993n, blob: Buffer.from([0, 1, 2, 255]) };
  expect(type.toBuffer(raw).equals(bytes)).toBe(true);
});

test('raw mode: encoded values, longs still exact', () => {
  const naturalType = avsc.Type.forSchema(schema as any, avroOptions('natural') as any);
  const rawType = avsc.Type.forSchema(schema as any, avroOptions('raw') as any);
  const out = json(rawType.fromBuffer(naturalType.toBuffer(natural)));
  expect(out).toMatchObject({ big: '9007199254740993', ts: 1709251198123, day: 19782, time: 47655016 });
  // What raw mode emits, the Producer (natural serde) accepts unchanged: same bytes.
  expect(naturalType.toBuffer(out).equals(naturalType.toBuffer(natural))).toBe(true);
});

test('values that do not fit are refused', () => {
  const type = avsc.Type.forSchema(schema as any, avroOptions('natural') as any);
  expect(type.isValid({ ...natural, amount: '1.00001' })).toBe(false);
  expect(type.isValid({ ...natural, big: '9223372036854775808' })).toBe(false);
  expect(type.isValid({ ...natural, day: '2024-13-45x' })).toBe(false);
  expect(type.isValid({ ...natural, blob: 'not base64!' })).toBe(false);
});
