// KafkaConnection (api.ts) on kafkajs: one `Kafka` per credential hash, pooled producers and admins.
import type { KafkaClusterCredential } from '../../credentialTypes';
import { kafkajsLogCreator } from '../../logging';
import { resolveClusterConfig, type ResolvedClusterConfig } from '../../platforms';
import { registerLegacyKafkajsAccess, type ClientPool } from '../../pool';
import { Kafka, Partitioners, logLevel, type Admin, type Producer, type ProducerConfig } from '../../vendor';
import type { KafkaConnection, ProducerOptions } from '../api';
import type { OpenContext } from '../index';
import { kafkajsAdmin } from './admin';
import { registerCompressionCodecs } from './codecs';
import { createKafkajsConsumer } from './consumer';
import { kafkajsProducer } from './producer';

interface KafkajsCluster {
  kafka: Kafka;
  resolved: ResolvedClusterConfig;
}

/** The cluster's `Kafka` (opens no connection by itself), resolved from the credential once per process. */
function clusterFor(pool: ClientPool, key: string, cred: KafkaClusterCredential, quiet = false): KafkajsCluster {
  return pool.memoize(`kafkajs:${key}`, () => {
    registerCompressionCodecs();
    const resolved = resolveClusterConfig(cred);
    const kafka = new Kafka({ ...resolved.kafka, logLevel: quiet ? logLevel.NOTHING : logLevel.WARN, logCreator: kafkajsLogCreator });
    return { kafka, resolved };
  });
}

function producerConfig(options: ProducerOptions): ProducerConfig {
  return {
    idempotent: options.idempotent ?? true,
    transactionalId: options.transactionalId,
    transactionTimeout: options.transactionTimeoutMs,
    // Idempotence in kafkajs requires at most one in-flight request per connection to keep order.
    maxInFlightRequests: options.idempotent === false ? undefined : 1,
    allowAutoTopicCreation: false,
    // Java-compatible murmur2 key hashing, so keyed messages land where Java/librdkafka clients put them.
    createPartitioner: Partitioners.DefaultPartitioner,
  };
}

function rawProducer<R>(pool: ClientPool, key: string, cluster: KafkajsCluster, options: ProducerOptions, use: (producer: Producer, reportFailure: (error: unknown) => void) => Promise<R>): Promise<R> {
  // The options are part of the key: an idempotent and a transactional producer are different clients.
  const entryKey = `${key}:producer:${options.idempotent ?? true}:${options.transactionalId ?? ''}:${options.transactionTimeoutMs ?? ''}`;
  return pool.lease(
    entryKey,
    () => {
      const producer = cluster.kafka.producer(producerConfig(options));
      return { client: producer, connect: () => producer.connect(), close: () => producer.disconnect() };
    },
    { exclusive: Boolean(options.transactionalId), resolved: cluster.resolved },
    use,
  );
}

function rawAdmin<R>(pool: ClientPool, key: string, cluster: KafkajsCluster, use: (admin: Admin) => Promise<R>): Promise<R> {
  return pool.lease(
    `${key}:admin`,
    () => {
      const admin = cluster.kafka.admin();
      return { client: admin, connect: () => admin.connect(), close: () => admin.disconnect() };
    },
    { exclusive: false, resolved: cluster.resolved },
    (admin) => use(admin),
  );
}

export function openKafkajsConnection(cred: KafkaClusterCredential, { key, pool, quiet }: OpenContext): KafkaConnection {
  const cluster = clusterFor(pool, key, cred, quiet);
  return {
    key,
    resolved: cluster.resolved,
    clientLibrary: 'kafkajs',
    withProducer: (options, use) => rawProducer(pool, key, cluster, options, (producer, reportFailure) => use(kafkajsProducer(producer), reportFailure)),
    withAdmin: (use) => rawAdmin(pool, key, cluster, (admin) => use(kafkajsAdmin(admin, cluster.kafka))),
    consumer: (options) => createKafkajsConsumer(cluster.kafka, options),
    // kafkajs refreshes a topic's metadata itself when a request about it fails, and a client that
    // keeps asking about a deleted topic is retired by the pool (reportFailure): nothing to drop here.
    forgetTopics: () => undefined,
  };
}

// Transitional (issue 12): raw kafkajs clients for code not yet on the API; removed with its last user.
export function registerKafkajsLegacyAccess(hash: (cred: KafkaClusterCredential) => string): void {
  registerLegacyKafkajsAccess({
    kafka: (pool, cred) => {
      const key = hash(cred);
      return { ...clusterFor(pool, key, cred), key };
    },
    withProducer: (pool, cred, options, use) => {
      const key = hash(cred);
      const o = options as { idempotent?: boolean; transactionalId?: string; transactionTimeout?: number };
      return rawProducer(pool, key, clusterFor(pool, key, cred), { idempotent: o.idempotent, transactionalId: o.transactionalId, transactionTimeoutMs: o.transactionTimeout }, use);
    },
    withAdmin: (pool, cred, use) => {
      const key = hash(cred);
      return rawAdmin(pool, key, clusterFor(pool, key, cred), use);
    },
  });
}
