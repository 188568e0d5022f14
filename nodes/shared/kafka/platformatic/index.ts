import type { KafkaClusterCredential } from '../../credentialTypes';
import { KafkaSuiteError, type KafkaErrorContext } from '../../errors';
import { credentialHash, resolveClusterConfig } from '../../platforms';
import { ClientPool } from '../../pool';
import type { OpenContext } from '../index';
import type { ConsumerOptions, KafkaAdmin, KafkaConnection, KafkaConsumer, KafkaProducer, ProducerOptions } from '../api';
import { PlatformaticAdmin } from './admin';
import { PlatformaticConsumer } from './consumer';
import { loadPlatformatic } from './load';
import { toBaseOptions, toSuiteError } from './options';
import { createJavaCompatiblePartitioner, PlatformaticProducer } from './producer';
import type { Admin, BaseOptions, Producer } from './vendor';

export { loadPlatformatic } from './load';

/** The library's engine floor: >= 22.22 on Node 22, >= 24.6 on Node 24. */
export function nodeSupportsPlatformatic(version = process.versions.node): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major > 24 || (major === 24 && minor >= 6) || major === 23 || (major === 22 && minor >= 22);
}

/**
 * One suite producer per pooled library producer, as on kafkajs: executions sharing a pooled client
 * share its wrapper too (the wrapper depends only on the credential, which the pool key carries).
 */
const producers = new WeakMap<Producer, KafkaProducer>();
function producerOf(producer: Producer, create: () => KafkaProducer): KafkaProducer {
  let found = producers.get(producer);
  if (!found) producers.set(producer, (found = create()));
  return found;
}

/** Pool for connections opened without one (this adapter's own tests). */
let ownPool: ClientPool | undefined;

/** Closes the clients of connections opened without a pool (tests). */
export async function closePlatformaticClients(): Promise<void> {
  await ownPool?.closeAll();
  ownPool = undefined;
}

/**
 * The KafkaConnection contract (../api.ts) on @platformatic/kafka, pooled like the kafkajs one
 * (nodes/shared/kafka/index.ts registers it as the opener of 'platformatic').
 */
export function openPlatformaticConnection(cred: KafkaClusterCredential, open?: OpenContext): KafkaConnection {
  if (!nodeSupportsPlatformatic()) {
    throw new KafkaSuiteError(
      `The @platformatic/kafka client needs Node.js >= 22.22 or >= 24.6 (this is ${process.versions.node}); choose the kafkajs client library in the credential`,
      { kind: 'config', context: { field: 'clientLibrary' } },
    );
  }
  const key = open?.key ?? `platformatic:${credentialHash(cred)}`;
  const pool = open?.pool ?? (ownPool ??= new ClientPool());
  const resolved = resolveClusterConfig(cred);
  const base: BaseOptions = toBaseOptions(resolved);
  const context: KafkaErrorContext = { broker: resolved.summary.brokers.join(','), mechanism: resolved.summary.mechanism };
  // Connect failures reach the pool already mapped (its own classifier knows kafkajs' errors only).
  const mapped = (connect: () => Promise<unknown>) => async () => {
    try {
      await connect();
    } catch (error) {
      throw toSuiteError(error, context);
    }
  };
  const leaseOptions = (exclusive: boolean) => ({ exclusive, resolved });

  const withRawAdmin = <R>(use: (admin: Admin) => Promise<R>): Promise<R> =>
    pool.lease(
      `${key}:admin`,
      () => {
        const admin = new (loadPlatformatic().Admin)({ ...base });
        // The library connects lazily; a metadata round trip proves the credential before first use.
        return { client: admin, connect: mapped(() => admin.metadata({ topics: [] })), close: () => admin.close() };
      },
      leaseOptions(false),
      (admin) => use(admin),
    );
  const groupCoordinator = (groupId: string) => withRawAdmin((admin) => new PlatformaticAdmin(admin, context).groupCoordinator(groupId));

  return {
    key,
    resolved,
    clientLibrary: 'platformatic',
    withProducer<R>(options: ProducerOptions, run: (producer: KafkaProducer, reportFailure: (error: unknown) => void) => Promise<R>): Promise<R> {
      const idempotent = options.idempotent ?? true;
      const entryKey = `${key}:producer:${idempotent}:${options.transactionalId ?? ''}:${options.transactionTimeoutMs ?? ''}`;
      return pool.lease(
        entryKey,
        () => {
          const producer: Producer = new (loadPlatformatic().Producer)({
            ...base,
            idempotent: Boolean(options.transactionalId) || idempotent,
            transactionalId: options.transactionalId,
            // The library uses its request timeout as the transaction timeout (InitProducerId), nothing else.
            ...(options.transactionalId && options.transactionTimeoutMs ? { timeout: options.transactionTimeoutMs } : {}),
            // InitProducerId must say "no producer yet" (-1/-1), as the Java client and kafkajs do. The
            // library's default 0/0 (2.12.1) asks the broker to bump the epoch of producer id 0, which it
            // does not have: every new instance of a transactional id the broker already knows (an n8n
            // or worker restart, the pool's idle close) gets PRODUCER_FENCED at every attempt, forever.
            ...(options.transactionalId ? { producerId: -1n, producerEpoch: -1 } : {}),
            partitioner: createJavaCompatiblePartitioner(),
          });
          return {
            client: producer,
            // Idempotent producers get their producer id up front (InitProducerId), proving the credential.
            connect: mapped(() => (idempotent || options.transactionalId ? producer.initIdempotentProducer({}) : producer.metadata({ topics: [] }))),
            close: () => producer.close(),
          };
        },
        leaseOptions(Boolean(options.transactionalId)),
        (producer, reportFailure) => run(producerOf(producer, () => new PlatformaticProducer({ producer, context, groupCoordinator })), reportFailure),
      );
    },
    withAdmin<R>(run: (admin: KafkaAdmin) => Promise<R>): Promise<R> {
      return withRawAdmin((admin) => run(new PlatformaticAdmin(admin, context)));
    },
    consumer(options: ConsumerOptions): KafkaConsumer {
      return new PlatformaticConsumer(base, options, context);
    },
    forgetTopics(): void {
      // Pooled clients re-read metadata when it is older than metadataMaxAge or a request says it is
      // stale; a deleted topic's cached partitions go now.
      pool.discardPrefix(`${key}:`);
    },
  };
}
