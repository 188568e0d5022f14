import type { INodeExecutionData } from 'n8n-workflow';
import { backoffDelay, chunk } from '../../nodes/KafkaSuiteTrigger/v1/backoff';
import { deadLetterMessage } from '../../nodes/KafkaSuiteTrigger/v1/deadLetter';
import { decodeHeaders, decodeMessage, type DecodeOptions } from '../../nodes/KafkaSuiteTrigger/v1/decode';
import { parseTopicList, readSettings, settingsToConsumerOptions } from '../../nodes/KafkaSuiteTrigger/v1/settings';

const message = (value: Buffer | null, extra: Record<string, unknown> = {}) =>
  ({ key: Buffer.from('k'), value, timestamp: '1767225600000', attributes: 0, offset: '41', headers: { h: Buffer.from('v') }, size: 0, ...extra }) as any;
const options = (extra: Partial<DecodeOptions> = {}): DecodeOptions => ({
  valueFormat: 'json',
  rawHeaders: false,
  binaryPropertyName: 'data',
  prepareBinaryData: async (buffer) => ({ data: buffer.toString('base64'), mimeType: 'application/octet-stream' }),
  ...extra,
});

describe('backoff and batching', () => {
  test('doubles from the initial delay, capped, with bounded jitter', () => {
    const none = () => 0.5;
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, { initialMs: 100, maxMs: 1000 }, none))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(1, { initialMs: 100, maxMs: 1000 }, () => 0)).toBe(80);
    expect(backoffDelay(1, { initialMs: 100, maxMs: 1000 }, () => 0.999)).toBeLessThanOrEqual(120);
    expect(backoffDelay(10, { initialMs: 100, maxMs: 1000 }, () => 0.999)).toBe(1000);
  });
  test('chunks keep order and size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([1, 2], 0)).toEqual([[1], [2]]);
  });
});

describe('decoding', () => {
  test('headers as text, arrays for repeats, base64 on request', () => {
    expect(decodeHeaders({ a: Buffer.from('x'), b: [Buffer.from('1'), Buffer.from('2')] }, false)).toEqual({ headers: { a: 'x', b: ['1', '2'] } });
    expect(decodeHeaders({ a: Buffer.from([0xff]) }, true).headersRaw).toEqual({ a: '/w==' });
  });
  test('JSON values, with text and the reason when not JSON; null values', async () => {
    const ok = await decodeMessage('t', 2, message(Buffer.from('{"a":1}')), options());
    expect(ok.json).toMatchObject({ topic: 't', partition: 2, offset: '41', key: 'k', value: { a: 1 }, timestamp: '2026-01-01T00:00:00.000Z', headers: { h: 'v' } });
    const text = await decodeMessage('t', 0, message(Buffer.from('not json')), options());
    expect(text.json.value).toBe('not json');
    expect(text.json.decodeError).toMatch(/^Not JSON/);
    expect((await decodeMessage('t', 0, message(null, { key: null }), options())).json).toMatchObject({ value: null, key: null });
  });
  test('binary values go to the binary property; exactly-once items carry their source', async () => {
    const item: INodeExecutionData = await decodeMessage('t', 1, message(Buffer.from([1, 2])), options({ valueFormat: 'binary', source: { groupId: 'g' } }));
    expect(item.binary?.data.data).toBe('AQI=');
    expect(item.json.valueSize).toBe(2);
    expect(item.json.kafkaSource).toEqual({ groupId: 'g', topic: 't', partition: 1, offset: '41' });
  });
  test('an undecodable Schema Registry value keeps its bytes and the reason', async () => {
    const item = await decodeMessage('t', 0, message(Buffer.from('plain')), options({ valueFormat: 'schemaRegistry', registry: { decode: async () => Promise.reject(new Error('bad magic')) } as any }));
    expect(item.json).toMatchObject({ value: null, valueBase64: Buffer.from('plain').toString('base64'), decodeError: 'Value: bad magic' });
  });
});

describe('dead-letter message', () => {
  test('keeps key, value, headers and adds where and why it failed', () => {
    const dead = deadLetterMessage(message(Buffer.from('v')), { topic: 't', partition: 3, groupId: 'g', error: 'boom', attempts: 3, executionId: '99' });
    expect(dead.key).toEqual(Buffer.from('k'));
    expect(dead.value).toEqual(Buffer.from('v'));
    expect(dead.headers).toMatchObject({
      h: Buffer.from('v'),
      'kafka-suite-error': 'boom',
      'kafka-suite-attempts': '3',
      'kafka-suite-execution-id': '99',
      'kafka-suite-original-topic': 't',
      'kafka-suite-original-partition': '3',
      'kafka-suite-original-offset': '41',
      'kafka-suite-group-id': 'g',
    });
  });
});

describe('settings', () => {
  const context = (params: Record<string, unknown>, mode = 'trigger') => ({
    getNodeParameter: ((name: string, fallback: unknown) => (name in params ? params[name] : fallback)) as any,
    getMode: (() => mode) as any,
  });
  test('topic lists, validation and the throwaway group of a test listen', () => {
    expect(parseTopicList(' a, b ,,a ')).toEqual(['a', 'b']);
    expect(() => readSettings(context({ topics: ' , ', groupId: 'g' }))).toThrow(/Topics is empty/);
    expect(() => readSettings(context({ topics: 'a', groupId: '' }))).toThrow(/Group ID is empty/);
    expect(() => readSettings(context({ topicSelection: 'regex', topicPattern: '(', groupId: 'g' }))).toThrow(/not a valid regular expression/);
    expect(() => readSettings(context({ topics: 'a', groupId: 'g', startFrom: 'timestamp', startTimestamp: 'soon' }))).toThrow(/not a date/);
    const production = readSettings(context({ topics: 'a', groupId: 'g' }));
    expect(production).toMatchObject({ groupId: 'g', deliveryMode: 'afterSuccess', startFrom: 'latest', batchSize: 1, concurrency: 1, manual: false });
    const manual = readSettings(context({ topics: 'a', groupId: 'g' }, 'manual'));
    expect(manual.groupId).toMatch(/^g\.n8n-test\.[0-9a-f]{8}$/);
    expect(manual.manual).toBe(true);
  });
  test('the consumer the defaults ask for: classic protocol, 10 s session, read_committed, one partition at a time', () => {
    const context = { getNodeParameter: ((name: string, fallback: unknown) => ({ topics: 'a', groupId: 'g' } as Record<string, unknown>)[name] ?? fallback) as any, getMode: (() => 'trigger') as any };
    expect(settingsToConsumerOptions(readSettings(context))).toEqual({
      groupId: 'g',
      topics: ['a'],
      groupProtocol: 'classic',
      fromBeginning: false,
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 60_000,
      heartbeatIntervalMs: 3000,
      maxBytesPerPartition: 1024 * 1024,
      maxBytes: 10 * 1024 * 1024,
      maxWaitMs: 500,
      minBytes: 1,
      concurrency: 1,
      readCommitted: true,
    });
    const batched = readSettings({ ...context, getNodeParameter: ((name: string, fallback: unknown) => ({ topics: 'a', groupId: 'g', startFrom: 'earliest', options: { batchSize: 100, sessionTimeout: 6000 } } as Record<string, unknown>)[name] ?? fallback) as any });
    expect(settingsToConsumerOptions(batched)).toMatchObject({ fromBeginning: true, minBytes: 6400, heartbeatIntervalMs: 2000, sessionTimeoutMs: 6000 });
    // KIP-848 only when asked for; anything else is the classic protocol.
    const withProtocol = (groupProtocol: unknown) =>
      settingsToConsumerOptions(readSettings({ ...context, getNodeParameter: ((name: string, fallback: unknown) => ({ topics: 'a', groupId: 'g', options: { groupProtocol } } as Record<string, unknown>)[name] ?? fallback) as any })).groupProtocol;
    expect([withProtocol('consumer'), withProtocol('classic'), withProtocol('CONSUMER'), withProtocol(undefined)]).toEqual(['consumer', 'classic', 'classic', 'classic']);
  });
});
