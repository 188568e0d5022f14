// Every message the broker accepts must become an item: decoding never throws out of the consume loop.
import { decodeMessage, decodeMessageSync, decodeMessages, type DecodeOptions } from '../../nodes/KafkaSuiteTrigger/v1/decode';
import { deadLetterMessage } from '../../nodes/KafkaSuiteTrigger/v1/deadLetter';
import { SchemaRegistryClient } from '../../nodes/shared';
import { decodeMessageIndexes, readSchemaIdHeader, writeSchemaIdHeader } from '../../nodes/shared/schemaRegistry/wire';

const message = (extra: Record<string, unknown>) => ({ key: null, value: null, timestamp: '1767225600000', attributes: 0, offset: '7', headers: {}, size: 0, ...extra }) as any;
const options = (extra: Partial<DecodeOptions> = {}): DecodeOptions => ({
  valueFormat: 'json',
  rawHeaders: true,
  binaryPropertyName: 'data',
  prepareBinaryData: async (buffer) => ({ data: buffer.toString('base64'), mimeType: 'application/octet-stream' }),
  ...extra,
});
// A registry nobody answers: decoding must fail per message, with the reason, not throw.
const deadRegistry = () => new SchemaRegistryClient({ url: 'http://127.0.0.1:9', timeoutMs: 500 } as any);

describe('hostile messages never throw', () => {
  test('null, empty and repeated header values, and a header named __proto__', async () => {
    // The shape kafkajs parses a `__proto__` header into: [Object.prototype, value].
    const headers = { a: null, b: [Buffer.from('1'), null, Buffer.from([0xff])], ['__proto__']: [Object.prototype, Buffer.from('p')], '': Buffer.alloc(0) };
    const item = decodeMessageSync('t', 0, message({ headers, value: Buffer.from('{"x":1}') }), options());
    expect(item.json.headers).toEqual({ a: null, b: ['1', null, '\uFFFD'], ['__proto__']: 'p', '': '' });
    expect(Object.getPrototypeOf(item.json.headers)).toBe(Object.prototype);
    expect(item.json.headersRaw).toEqual({ a: null, b: ['MQ==', null, '/w=='], ['__proto__']: 'cA==', '': '' });
    expect(item.json.value).toEqual({ x: 1 });
    expect(item.json.decodeError).toBeUndefined();
  });

  test('binary keys keep their bytes; empty and null keys and values', async () => {
    const binaryKey = Buffer.from([0x00, 0xff, 0xfe, 0x41]);
    const item = decodeMessageSync('t', 0, message({ key: binaryKey, value: Buffer.alloc(0) }), options());
    expect(Buffer.from(String(item.json.keyBase64), 'base64')).toEqual(binaryKey);
    expect(item.json.decodeError).toBe('Not JSON: the value is empty');
    const empty = decodeMessageSync('t', 0, message({ key: Buffer.alloc(0), value: null }), options());
    expect(empty.json).toMatchObject({ key: '', value: null });
    expect(empty.json.keyBase64).toBeUndefined();
    const text = decodeMessageSync('t', 0, message({ key: Buffer.from('plain'), value: Buffer.from('é') }), options({ valueFormat: 'string' }));
    expect(text.json).toMatchObject({ key: 'plain', value: 'é' });
    expect(text.json.valueBase64).toBeUndefined();
  });

  test('key formats: binary (base64 + binary property), JSON', async () => {
    const key = Buffer.from([1, 2, 3]);
    const item = await decodeMessage('t', 0, message({ key, value: Buffer.from('1') }), options({ keyFormat: 'binary' }));
    expect(item.json.keyBase64).toBe('AQID');
    expect(item.json.key).toBeNull();
    expect(item.binary?.key.data).toBe('AQID');
    const json = await decodeMessage('t', 0, message({ key: Buffer.from('{"id":5}') }), options({ keyFormat: 'json' }));
    expect(json.json.key).toEqual({ id: 5 });
    const notJson = await decodeMessage('t', 0, message({ key: Buffer.from('x') }), options({ keyFormat: 'json' }));
    expect(notJson.json).toMatchObject({ key: 'x', keyBase64: 'eA==' });
    expect(notJson.json.decodeError).toMatch(/^Key is not JSON/);
  });

  test('schema registry: wrong magic byte, truncated prefix, unreachable registry → decodeError with the bytes', async () => {
    const registry = deadRegistry();
    const cases = [Buffer.from([1, 0, 0, 0, 1, 2]), Buffer.from([0, 0, 0]), Buffer.alloc(0), Buffer.from([0, 0, 0, 0, 42, 9])];
    for (const value of cases) {
      const item = await decodeMessage('t', 0, message({ value, key: Buffer.from([0]) }), options({ valueFormat: 'schemaRegistry', keyFormat: 'schemaRegistry', registry }));
      expect(item.json.value).toBeNull();
      expect(item.json.valueBase64).toBe(value.toString('base64'));
      expect(item.json.keyBase64).toBe('AA==');
      expect(item.json.decodeError).toMatch(/^Key: .*; Value: /);
    }
  });

  test('a failing binary store, a broken message object: still an item with the reason', async () => {
    const failing = options({ valueFormat: 'binary', prepareBinaryData: async () => Promise.reject(new Error('disk full')) });
    const item = await decodeMessage('t', 3, message({ value: Buffer.from([9]) }), failing);
    expect(item.json).toMatchObject({ partition: 3, offset: '7', valueBase64: 'CQ==' });
    expect(item.json.decodeError).toMatch(/disk full/);
    const broken = message({ value: Buffer.from('1') });
    Object.defineProperty(broken, 'headers', {
      get() {
        throw new Error('corrupt headers');
      },
    });
    const [fromBroken] = await decodeMessages('t', 0, [broken], options());
    expect(fromBroken.json).toMatchObject({ offset: '7', valueBase64: 'MQ==' });
    expect(fromBroken.json.decodeError).toMatch(/corrupt headers/);
  });

  test('a huge header and value decode, and the batch keeps its order', async () => {
    const huge = Buffer.alloc(2 * 1024 * 1024, 0x61);
    const batch = [0, 1, 2].map((n) => message({ offset: String(n), value: n === 1 ? huge : Buffer.from(String(n)), headers: { big: huge } }));
    const items = await decodeMessages('t', 0, batch, options({ rawHeaders: false }));
    expect(items.map((i) => i.json.offset)).toEqual(['0', '1', '2']);
    expect((items[1].json.value as string).length).toBe(huge.length);
  });
});

describe('dead-letter copies of hostile messages', () => {
  test('null header values become empty bytes and are named; prototype junk is dropped', () => {
    const dead = deadLetterMessage(message({ headers: { n: null, m: [Buffer.from('a'), null], ['__proto__']: [Object.prototype, Buffer.from('p')] } }), {
      topic: 't',
      partition: 0,
      groupId: 'g',
      error: 'e',
      attempts: 0,
    });
    expect(dead.headers?.n).toEqual(Buffer.alloc(0));
    expect(dead.headers?.m).toEqual([Buffer.from('a'), Buffer.alloc(0)]);
    expect(Object.getOwnPropertyDescriptor(dead.headers, '__proto__')?.value).toEqual(Buffer.from('p'));
    expect(dead.headers?.['kafka-suite-null-headers']).toBe('n,m');
  });
});

describe('wire format guards', () => {
  test('message indexes: truncated, negative count, overlong varint are errors', () => {
    expect(() => decodeMessageIndexes(Buffer.from([0x04]))).toThrow(/Truncated/);
    expect(() => decodeMessageIndexes(Buffer.from([0x01]))).toThrow(/count -1/);
    expect(() => decodeMessageIndexes(Buffer.from([0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]))).toThrow(/too long|count/);
    expect(decodeMessageIndexes(Buffer.from([0x04, 0x02, 0x04, 0x99]))).toEqual({ indexes: [1, 2], payload: Buffer.from([0x99]) });
  });
  test('schema id headers: id form and GUID form', () => {
    expect(readSchemaIdHeader(writeSchemaIdHeader(258, Buffer.from([0])))).toEqual({ schemaId: 258, rest: Buffer.from([0]) });
    const guid = Buffer.concat([Buffer.from([1]), Buffer.from('0123456789abcdef0123456789abcdef', 'hex')]);
    expect(readSchemaIdHeader(guid).guid).toBe('01234567-89ab-cdef-0123-456789abcdef');
    expect(() => readSchemaIdHeader(Buffer.from([2, 0]))).toThrow(/neither/);
  });
});
