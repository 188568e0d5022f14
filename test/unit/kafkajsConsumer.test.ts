// The kafkajs consumer's record mapping and what it refuses; its delivery loop runs against the real
// broker in test/integration/trigger/.
import { Kafka } from 'kafkajs';
import { consumedRecord, createKafkajsConsumer, receivedHeaders } from '../../nodes/shared/kafka/kafkajs/consumer';
import type { ConsumerOptions } from '../../nodes/shared/kafka/api';

const options: ConsumerOptions = {
  groupId: 'g',
  topics: ['t'],
  fromBeginning: false,
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 60_000,
  heartbeatIntervalMs: 3000,
  maxBytesPerPartition: 1024,
  maxBytes: 10 * 1024 * 1024,
  minBytes: 1,
  maxWaitMs: 500,
  concurrency: 1,
};

test('records: string offsets and timestamps, null keys and values kept, headers as bytes, null or arrays', () => {
  const record = consumedRecord('t', 2, { key: null, value: Buffer.from('v'), timestamp: '1767225600000', attributes: 0, offset: '41', size: 0, headers: { a: Buffer.from('x'), n: null as any, m: [Buffer.from('1'), null as any] } });
  expect(record).toEqual({ topic: 't', partition: 2, offset: '41', timestamp: '1767225600000', key: null, value: Buffer.from('v'), headers: { a: Buffer.from('x'), n: null, m: [Buffer.from('1'), null] } });
});

test('header entries that are not header values (kafkajs parsing a header named __proto__) are dropped; the name stays an own property', () => {
  const headers = receivedHeaders({ ['__proto__']: [Object.prototype, Buffer.from('p')], constructor: [Object, Buffer.from('c'), Buffer.from('d')], junk: [Object.prototype] as any, s: 'text' as any });
  expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
  expect(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value).toEqual(Buffer.from('p'));
  expect(headers.constructor).toEqual([Buffer.from('c'), Buffer.from('d')]);
  expect('junk' in headers).toBe(false);
  expect(headers.s).toEqual(Buffer.from('text'));
  expect(receivedHeaders(undefined)).toEqual({});
});

test('the KIP-848 consumer protocol is refused with a configuration error, not ignored', () => {
  const kafka = new Kafka({ brokers: ['localhost:1'] });
  expect(() => createKafkajsConsumer(kafka, { ...options, groupProtocol: 'consumer' })).toThrow(expect.objectContaining({ kind: 'config', message: expect.stringMatching(/KIP-848.*kafkajs/) }));
  expect(() => createKafkajsConsumer(kafka, { ...options, groupProtocol: 'classic' })).not.toThrow();
});
