import type { KafkaClusterCredential } from '../../credentialTypes';
import { KafkaSuiteError, type KafkaErrorContext } from '../../errors';
import { credentialHash, resolveClusterConfig } from '../../platforms';
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

interface Entry<T> {
  client: T;
  ready: Promise<void>;
  inUse: number;
  lastUsed: number;
  lock: Promise<unknown>;
  retired?: boolean;
  close(): Promise<void>;
}

const IDLE_MS = 5 * 60_000;
const entries = new Map<string, Entry<unknown>>();
let sweeper: NodeJS.Timeout | undefined;

function sweep(now = Date.now()): void {
  for (const [key, entry] of entries) if (entry.inUse === 0 && now - entry.lastUsed >= IDLE_MS) discard(key);
  if (!entries.size && sweeper) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

function discard(key: string): void {
  const entry = entries.get(key);
  if (!entry) return;
  entries.delete(key);
  entry.retired = true;
  if (entry.inUse === 0) void entry.close().catch(() => undefined);
}

/** Closes every pooled @platformatic/kafka client (n8n shutdown, tests). */
export async function closePlatformaticClients(): Promise<void> {
  const all = [...entries.values()];
  entries.clear();
  if (sweeper) clearInterval(sweeper);
  sweeper = undefined;
  await Promise.allSettled(all.map((e) => e.close()));
}

function entry<T>(key: string, create: () => { client: T; connect: () => Promise<void>; close: () => Promise<void> }): Entry<T> {
  const found = entries.get(key) as Entry<T> | undefined;
  if (found) return found;
  const { client, connect, close } = create();
  const created: Entry<T> = { client, inUse: 0, lastUsed: Date.now(), lock: Promise.resolve(), close, ready: Promise.resolve() };
  created.ready = connect().catch((error) => {
    // A failed connect must not poison the pool: the next execution tries afresh.
    if (entries.get(key) === created) entries.delete(key);
    void close().catch(() => undefined);
    throw error;
  });
  entries.set(key, created as Entry<unknown>);
  if (!sweeper) {
    sweeper = setInterval(() => sweep(), 30_000);
    // The sweeper must never keep n8n (or a test) alive on its own.
    sweeper.unref();
  }
  return created;
}

/** A client broken for good is retired, so the next call connects afresh (as the kafkajs pool does). */
const brokenForGood = (error: KafkaSuiteError) => error.kind === 'auth' || error.kind === 'tls';

async function use<T, R>(key: string, e: Entry<T>, exclusive: boolean, context: KafkaErrorContext, run: (client: T, reportFailure: (error: unknown) => void) => Promise<R>): Promise<R> {
  const reportFailure = (error: unknown) => {
    if (brokenForGood(toSuiteError(error, context))) discard(key);
  };
  e.inUse++;
  try {
    await e.ready;
    if (!exclusive) return await run(e.client, reportFailure);
    const previous = e.lock;
    let release!: () => void;
    e.lock = new Promise<void>((resolve) => (release = resolve));
    await previous.catch(() => undefined);
    try {
      return await run(e.client, reportFailure);
    } finally {
      release();
    }
  } catch (error) {
    const mapped = toSuiteError(error, context);
    reportFailure(mapped);
    throw mapped;
  } finally {
    e.inUse--;
    e.lastUsed = Date.now();
    if (e.retired && e.inUse === 0) void e.close().catch(() => undefined);
  }
}

/** The KafkaConnection contract (../api.ts) on @platformatic/kafka. */
export function openPlatformaticConnection(cred: KafkaClusterCredential): KafkaConnection {
  if (!nodeSupportsPlatformatic()) {
    throw new KafkaSuiteError(
      `The @platformatic/kafka client needs Node.js >= 22.22 or >= 24.6 (this is ${process.versions.node}); choose the kafkajs client library in the credential`,
      { kind: 'config', context: { field: 'clientLibrary' } },
    );
  }
  const resolved = resolveClusterConfig(cred);
  const key = credentialHash(cred);
  const base: BaseOptions = toBaseOptions(resolved);
  const context = { broker: resolved.summary.brokers.join(','), mechanism: resolved.summary.mechanism };

  const adminEntry = () =>
    entry<Admin>(`admin:${key}`, () => {
      const admin = new (loadPlatformatic().Admin)({ ...base });
      // The library connects lazily; a metadata round trip proves the credential before first use.
      return { client: admin, connect: async () => void (await admin.metadata({ topics: [] })), close: () => admin.close() };
    });
  const groupCoordinator = async (groupId: string) => {
    const e = adminEntry();
    return use(`admin:${key}`, e, false, context, (admin) => new PlatformaticAdmin(admin, context).groupCoordinator(groupId));
  };

  return {
    key,
    resolved,
    clientLibrary: 'platformatic',
    withProducer<R>(options: ProducerOptions, run: (producer: KafkaProducer, reportFailure: (error: unknown) => void) => Promise<R>): Promise<R> {
      const entryKey = `producer:${key}:${credentialHash(options)}`;
      const e = entry<Producer>(entryKey, () => {
        const idempotent = options.idempotent ?? true;
        const producer = new (loadPlatformatic().Producer)({
          ...base,
          idempotent: Boolean(options.transactionalId) || idempotent,
          transactionalId: options.transactionalId,
          // The library uses its request timeout as the transaction timeout (InitProducerId), nothing else.
          ...(options.transactionalId && options.transactionTimeoutMs ? { timeout: options.transactionTimeoutMs } : {}),
          partitioner: createJavaCompatiblePartitioner(),
        });
        return {
          client: producer,
          // Idempotent producers get their producer id up front (InitProducerId), proving the credential.
          connect: async () => {
            if (idempotent || options.transactionalId) await producer.initIdempotentProducer({});
            else await producer.metadata({ topics: [] });
          },
          close: () => producer.close(),
        };
      });
      return use(entryKey, e, Boolean(options.transactionalId), context, (producer, reportFailure) =>
        run(new PlatformaticProducer({ producer, context, groupCoordinator }), reportFailure),
      );
    },
    withAdmin<R>(run: (admin: KafkaAdmin) => Promise<R>): Promise<R> {
      return use(`admin:${key}`, adminEntry(), false, context, (admin) => run(new PlatformaticAdmin(admin, context)));
    },
    consumer(options: ConsumerOptions): KafkaConsumer {
      return new PlatformaticConsumer(base, options, context);
    },
    forgetTopics(): void {
      // The library re-reads metadata when it is older than metadataMaxAge or a request says it is stale.
      for (const e of entries.values()) (e.client as { clearMetadata?: () => void }).clearMetadata?.();
    },
  };
}
