// KafkaConnection (api.ts) on kafkajs: one `Kafka` per credential hash, pooled producers and admins.
import type { KafkaClusterCredential } from '../../credentialTypes';
import { credentialHash, resolveClusterConfig, type ResolvedClusterConfig } from '../../platforms';
import { clientPool, type ClientPool } from '../../pool';
import { Kafka, Partitioners, type Admin, type Producer, type ProducerConfig } from './vendor';
import type { KafkaAdmin, KafkaConnection, KafkaProducer, ProducerOptions } from '../api';
import type { OpenContext } from '../index';
import { kafkajsAdmin } from './admin';
import { registerCompressionCodecs } from './codecs';
import { toKafkaConfig } from './config';
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
    const kafka = new Kafka(toKafkaConfig(resolved.kafka, quiet));
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

// One wrapper per pooled client, so a caller sees the same producer object across executions.
const producers = new WeakMap<Producer, KafkaProducer>();
const admins = new WeakMap<Admin, KafkaAdmin>();
function producerOf(producer: Producer): KafkaProducer {
  let found = producers.get(producer);
  if (!found) producers.set(producer, (found = kafkajsProducer(producer)));
  return found;
}
function adminOf(admin: Admin, kafka: Kafka): KafkaAdmin {
  let found = admins.get(admin);
  if (!found) admins.set(admin, (found = kafkajsAdmin(admin, kafka)));
  return found;
}

export function openKafkajsConnection(cred: KafkaClusterCredential, { key, pool, quiet }: OpenContext): KafkaConnection {
  const cluster = clusterFor(pool, key, cred, quiet);
  return {
    key,
    resolved: cluster.resolved,
    clientLibrary: 'kafkajs',
    withProducer: (options, use) => rawProducer(pool, key, cluster, options, (producer, reportFailure) => use(producerOf(producer), reportFailure)),
    withAdmin: (use) => rawAdmin(pool, key, cluster, (admin) => use(adminOf(admin, cluster.kafka))),
    consumer: (options) => createKafkajsConsumer(cluster.kafka, options),
    // kafkajs refreshes a topic's metadata itself when a request about it fails, and a client that
    // keeps asking about a deleted topic is retired by the pool (reportFailure): nothing to drop here.
    forgetTopics: () => undefined,
  };
}

/**
 * Tests only: the pooled kafkajs Producer that openConnection(cred).withProducer(options) uses, to
 * watch its requests (the Producer node's batching is measured in Produce requests).
 */
export function withPooledKafkajsProducer<R>(cred: KafkaClusterCredential, options: ProducerOptions, use: (producer: Producer) => Promise<R>, pool: ClientPool = clientPool): Promise<R> {
  const key = `kafkajs:${credentialHash(cred)}`;
  return rawProducer(pool, key, clusterFor(pool, key, cred), options, (producer) => use(producer));
}
