import { planRequests, nextRoundRobin, BATCH_OVERHEAD_BYTES } from '../../nodes/KafkaSuiteProducer/v1/batching';
import { headersFromJson, headersFromList, headersSize, mergeHeaders } from '../../nodes/KafkaSuiteProducer/v1/headers';
import { getField, keyToWire, pickValue, serializeValue, timestampToWire } from '../../nodes/KafkaSuiteProducer/v1/serialize';
import { incomingTrace, nextTraceparent, parseTraceparent } from '../../nodes/KafkaSuiteProducer/v1/traceContext';

describe('headers', () => {
  test('list: text and base64 binary values, repeated names become arrays', () => {
    const headers = headersFromList([
      { name: 'a', value: 'x' },
      { name: 'b', value: Buffer.from([0, 1]).toString('base64'), type: 'binary' },
      { name: 'a', value: 'y' },
    ]);
    expect(headers.a).toEqual(['x', 'y']);
    expect(Buffer.isBuffer(headers.b) && (headers.b as Buffer).equals(Buffer.from([0, 1]))).toBe(true);
  });
  test('list: empty name and bad base64 are refused', () => {
    expect(() => headersFromList([{ name: ' ', value: 'x' }])).toThrow(/empty name/);
    expect(() => headersFromList([{ name: 'b', value: 'not base64!', type: 'binary' }])).toThrow(/not base64/);
  });
  test('json: strings, {base64}, arrays; numbers, booleans and objects are refused with the header name', () => {
    const headers = headersFromJson('{"a":"x","b":{"base64":"AAE="},"c":["1","2"]}');
    expect(headers.a).toBe('x');
    expect((headers.b as Buffer).equals(Buffer.from([0, 1]))).toBe(true);
    expect(headers.c).toEqual(['1', '2']);
    expect(() => headersFromJson({ n: 42 })).toThrow('Header "n" must be a string or { "base64": "..." }, got number');
    expect(() => headersFromJson({ t: true })).toThrow(/got boolean/);
    expect(() => headersFromJson({ o: { nested: 1 } })).toThrow(/got an object/);
    expect(() => headersFromJson('[1]')).toThrow(/must be an object/);
    expect(() => headersFromJson('{oops')).toThrow(/not valid JSON/);
    expect(headersFromJson('')).toEqual({});
  });
  test('merge and size', () => {
    expect(mergeHeaders({ a: 'x' }, { a: 'y', b: 'z' })).toEqual({ a: ['x', 'y'], b: 'z' });
    expect(headersSize({ ab: 'cd', e: [Buffer.from([1, 2, 3])] })).toBe(2 + 2 + 10 + 1 + 3 + 10);
  });
});

describe('W3C trace context', () => {
  const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  test('parses valid traceparents and refuses invalid ones', () => {
    expect(parseTraceparent(parent)).toEqual({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', flags: '01' });
    expect(parseTraceparent(Buffer.from(parent))).toBeDefined();
    expect(parseTraceparent('00-00000000000000000000000000000000-b7ad6b7169203331-01')).toBeUndefined();
    expect(parseTraceparent('ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')).toBeUndefined();
    expect(parseTraceparent('garbage')).toBeUndefined();
    expect(parseTraceparent(42)).toBeUndefined();
  });
  test('continues the incoming trace with a new span, or starts a sampled one', () => {
    const next = nextTraceparent(incomingTrace({ headers: { traceparent: parent } }));
    expect(next).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(next).not.toContain('b7ad6b7169203331');
    expect(incomingTrace({ traceparent: parent })?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    const fresh = nextTraceparent(incomingTrace({}));
    expect(parseTraceparent(fresh)?.flags).toBe('01');
    expect(fresh.slice(3, 35)).not.toBe('0af7651916cd43dd8448eb211c80319c');
  });
});

describe('values, keys and timestamps', () => {
  test('field paths with dots and indexes', () => {
    expect(getField({ a: { b: [{ c: 5 }] } }, 'a.b[0].c')).toBe(5);
    expect(getField({ a: 1 }, 'a.b')).toBeUndefined();
    expect(() => pickValue({}, 'field', 'x', undefined)).toThrow('The item has no field "x"');
    expect(pickValue({ a: 1 }, 'json', '', undefined)).toEqual({ a: 1 });
    expect(pickValue({}, 'string', '', { t: 1 })).toBe('{"t":1}');
  });
  test('JSON text must be JSON; strings stay verbatim', async () => {
    await expect(serializeValue('{bad', 'json', { topic: 't' })).rejects.toThrow(/not valid JSON/);
    await expect(serializeValue({ a: 1 }, 'json', { topic: 't' })).resolves.toEqual({ value: '{"a":1}' });
    await expect(serializeValue('plain', 'string', { topic: 't' })).resolves.toEqual({ value: 'plain' });
    await expect(serializeValue({ a: 1 }, 'avro', { topic: 't' })).rejects.toThrow(/Schema Registry credential/);
  });
  test('keys and timestamps', () => {
    expect(keyToWire('')).toBeNull();
    expect(keyToWire(5)).toBe('5');
    expect(keyToWire({ a: 1 })).toBe('{"a":1}');
    expect(timestampToWire('', 123)).toBe('123');
    expect(timestampToWire(1700000000000)).toBe('1700000000000');
    expect(timestampToWire('2026-01-01T00:00:00Z')).toBe(String(Date.parse('2026-01-01T00:00:00Z')));
    expect(() => timestampToWire('yesterday-ish')).toThrow(/neither epoch milliseconds nor an ISO 8601 date/);
  });
});

describe('request planning', () => {
  const msg = (partition: number, bytes = 100) => ({ topic: 't', partition, bytes });
  test('splits by message count', () => {
    expect(planRequests([msg(0), msg(1), msg(0), msg(1), msg(0)], 2, () => 1e9)).toEqual([[0, 1], [2, 3], [4]]);
  });
  test("keeps each partition's share of a request under the topic limit; an oversized message goes alone", () => {
    const limit = BATCH_OVERHEAD_BYTES + 250;
    expect(planRequests([msg(0), msg(0), msg(1), msg(0), msg(0, 1000), msg(0)], 100, () => limit)).toEqual([[0, 1, 2], [3], [4], [5]]);
  });
  test('round robin cycles per scope', () => {
    const scope = `scope-${Math.random()}`;
    expect([0, 1, 2, 3].map(() => nextRoundRobin(scope, 3))).toEqual([0, 1, 2, 0]);
  });
});
