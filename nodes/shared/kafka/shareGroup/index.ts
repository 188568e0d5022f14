// Share groups (KIP-932) for the suite: a ShareClient on the connection's resolved credential (same
// brokers, TLS and SASL as every other client of the connection), the consumer, and records in the
// suite's ConsumedRecord shape. No Node.js Kafka client offers share groups; this module speaks the
// protocol itself on @platformatic/kafka's connections, so it needs that library's Node floor.
import type { ResolvedClusterConfig } from '../../platforms';
import { KafkaSuiteError } from '../../errors';
import type { ConsumedRecord, ReceivedHeaders } from '../api';
import { nodeSupportsPlatformatic } from '../platformatic';
import { toBaseOptions } from '../platformatic/options';
import { ShareClient } from './client';
import type { ShareRecord } from './protocol';

export { ShareClient, ShareGroupError, type ShareClientOptions, type TopicInfo } from './client';
export { ShareConsumer, type ShareConsumerOptions, type ShareHandler, type ShareOutcome } from './consumer';
export { AcknowledgeType, type ShareGroupDescription, type ShareGroupOffsets, type ShareRecord } from './protocol';

/** A share-group client for the connection's cluster. Close it when done. */
export function openShareClient(resolved: ResolvedClusterConfig, clientId?: string): ShareClient {
  if (!nodeSupportsPlatformatic()) {
    throw new KafkaSuiteError(`Share groups need Node.js 22.22+ or 24.6+ (this n8n runs on ${process.versions.node})`, { kind: 'config' });
  }
  const base = toBaseOptions(resolved);
  return new ShareClient({
    brokers: base.bootstrapBrokers as string[],
    clientId: clientId ?? base.clientId,
    connection: { tls: base.tls, sasl: base.sasl, connectTimeout: base.connectTimeout, requestTimeout: base.requestTimeout },
  });
}

/** A share record as the suite's ConsumedRecord (header names as text, repeated names as arrays). */
export function toConsumedRecord(record: ShareRecord): ConsumedRecord {
  const headers: ReceivedHeaders = {};
  for (const [rawName, value] of record.headers) {
    const name = rawName ? rawName.toString('utf8') : '';
    const existing = Object.prototype.hasOwnProperty.call(headers, name) ? headers[name] : undefined;
    const next = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    // defineProperty: a header named __proto__ must stay a header.
    Object.defineProperty(headers, name, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return {
    topic: record.topic,
    partition: record.partition,
    offset: String(record.offset),
    timestamp: String(record.timestamp),
    key: record.key,
    value: record.value,
    headers,
  };
}
