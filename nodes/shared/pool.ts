import type { KafkaClusterCredential } from './credentialTypes';
import { registerCompressionCodecs } from './codecs';
import { toKafkaSuiteError, type KafkaSuiteError } from './errors';
import { kafkajsLogCreator } from './logging';
import { credentialHash, resolveClusterConfig, type ResolvedClusterConfig } from './platforms';
import { Kafka, Partitioners, logLevel, type Admin, type Producer, type ProducerConfig } from './vendor';

export interface ProducerOptions {
  idempotent?: boolean;
  transactionalId?: string;
  maxInFlightRequests?: number;
  transactionTimeout?: number;
}

interface Entry<T> {
  client: T;
  ready: Promise<T>;
  lastUsed: number;
  inUse: number;
  /** Serialises users of a client that cannot be shared concurrently (a transactional producer). */
  lock: Promise<unknown>;
  close: () => Promise<void>;
  /** Taken out of the pool; closed once nobody uses it any more. */
  retired?: boolean;
}

export interface PoolOptions {
  idleMs?: number;
  sweepEveryMs?: number;
}

/**
 * Producers and admin clients are reused across executions, keyed by a hash of the credential and
 * the client options: connecting costs a metadata round trip plus TLS and SASL, which the built-in
 * n8n nodes pay on every execution. Idle clients are closed after `idleMs`.
 */
export class ClientPool {
  private readonly kafkas = new Map<string, { kafka: Kafka; resolved: ResolvedClusterConfig }>();
  private readonly entries = new Map<string, Entry<Producer | Admin>>();
  private sweeper?: NodeJS.Timeout;
  private readonly idleMs: number;
  private readonly sweepEveryMs: number;

  constructor(options: PoolOptions = {}) {
    this.idleMs = options.idleMs ?? 5 * 60_000;
    this.sweepEveryMs = options.sweepEveryMs ?? 30_000;
  }

  /** A kafkajs client for the credential (cheap: opens no connection by itself). */
  kafka(cred: KafkaClusterCredential): { kafka: Kafka; resolved: ResolvedClusterConfig; key: string } {
    const key = credentialHash(cred);
    let found = this.kafkas.get(key);
    if (!found) {
      registerCompressionCodecs();
      const resolved = resolveClusterConfig(cred);
      const kafka = new Kafka({ ...resolved.kafka, logLevel: logLevel.WARN, logCreator: kafkajsLogCreator });
      found = { kafka, resolved };
      this.kafkas.set(key, found);
    }
    return { ...found, key };
  }

  /**
   * Runs `use` with a connected pooled producer. Transactional producers are used one caller at a time.
   * A caller that catches a send error itself (to fail only some items) passes it to `reportFailure`,
   * so a client broken for good is retired as if the error had escaped.
   */
  async withProducer<R>(
    cred: KafkaClusterCredential,
    options: ProducerOptions,
    use: (producer: Producer, reportFailure: (error: unknown) => void) => Promise<R>,
  ): Promise<R> {
    const { kafka, key, resolved } = this.kafka(cred);
    const entryKey = `producer:${key}:${credentialHash(options)}`;
    const entry = this.entry(entryKey, () => {
      const config: ProducerConfig = {
        idempotent: options.idempotent ?? true,
        transactionalId: options.transactionalId,
        transactionTimeout: options.transactionTimeout,
        // Idempotence in kafkajs requires at most one in-flight request per connection to keep order.
        maxInFlightRequests: options.idempotent === false ? options.maxInFlightRequests : 1,
        allowAutoTopicCreation: false,
        // Java-compatible murmur2 key hashing, so keyed messages land where Java/librdkafka clients put them.
        createPartitioner: Partitioners.DefaultPartitioner,
      };
      const producer = kafka.producer(config);
      return { client: producer, connect: () => producer.connect(), close: () => producer.disconnect() };
    }, resolved);
    return this.use(entry as Entry<Producer>, Boolean(options.transactionalId), use, entryKey);
  }

  async withAdmin<R>(cred: KafkaClusterCredential, use: (admin: Admin) => Promise<R>): Promise<R> {
    const { kafka, key, resolved } = this.kafka(cred);
    const entryKey = `admin:${key}`;
    const entry = this.entry(entryKey, () => {
      const admin = kafka.admin();
      return { client: admin, connect: () => admin.connect(), close: () => admin.disconnect() };
    }, resolved);
    return this.use(entry as Entry<Admin>, false, use, entryKey);
  }

  /** Closes every pooled client (n8n shutdown, tests). */
  async closeAll(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    const entries = [...this.entries.values()];
    this.entries.clear();
    this.kafkas.clear();
    await Promise.allSettled(entries.map((entry) => entry.close()));
  }

  get size(): number {
    return this.entries.size;
  }

  private entry<T extends Producer | Admin>(
    key: string,
    create: () => { client: T; connect: () => Promise<void>; close: () => Promise<void> },
    resolved: ResolvedClusterConfig,
  ): Entry<T> {
    const existing = this.entries.get(key) as Entry<T> | undefined;
    if (existing) return existing;
    const { client, connect, close } = create();
    const entry: Entry<T> = {
      client,
      lastUsed: Date.now(),
      inUse: 0,
      lock: Promise.resolve(),
      close,
      ready: connect().then(
        () => client,
        (error) => {
          // A failed connect must not poison the pool: the next execution tries afresh.
          this.entries.delete(key);
          void close().catch(() => undefined);
          throw toKafkaSuiteError(error, { broker: resolved.summary.brokers.join(','), mechanism: resolved.summary.mechanism });
        },
      ),
    };
    this.entries.set(key, entry as unknown as Entry<Producer | Admin>);
    this.startSweeper();
    return entry;
  }

  private async use<T, R>(entry: Entry<T>, exclusive: boolean, use: (client: T, reportFailure: (error: unknown) => void) => Promise<R>, key: string): Promise<R> {
    const reportFailure = (error: unknown) => {
      if (brokenForGood(toKafkaSuiteError(error))) this.discard(key);
    };
    entry.inUse++;
    try {
      const client = await entry.ready;
      if (!exclusive) return await use(client, reportFailure);
      const previous = entry.lock;
      let release!: () => void;
      entry.lock = new Promise<void>((resolve) => (release = resolve));
      await previous.catch(() => undefined);
      try {
        return await use(client, reportFailure);
      } finally {
        release();
      }
    } catch (error) {
      reportFailure(error);
      throw error;
    } finally {
      entry.inUse--;
      entry.lastUsed = Date.now();
      if (entry.retired && entry.inUse === 0) void entry.close().catch(() => undefined);
    }
  }

  /** New callers get a fresh client at once; the old one closes when its current users finish. */
  discard(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    entry.retired = true;
    if (entry.inUse === 0) void entry.close().catch(() => undefined);
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.sweep(), this.sweepEveryMs);
    // The sweeper must never keep n8n (or a test) alive on its own.
    this.sweeper.unref();
  }

  sweep(now = Date.now()): void {
    for (const [key, entry] of this.entries) {
      if (entry.inUse === 0 && now - entry.lastUsed >= this.idleMs) this.discard(key);
    }
    if (this.entries.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }
}

/**
 * A client whose broker connections broke for good is dropped so the next call reconnects. kafkajs
 * clients also keep every topic they ever touched in their metadata requests, so once such a topic
 * is deleted every later call fails UNKNOWN_TOPIC_OR_PARTITION: that client is retired too.
 */
function brokenForGood(error: KafkaSuiteError): boolean {
  return error.kind === 'auth' || error.kind === 'tls' || error.code === 'UNKNOWN_TOPIC_OR_PARTITION';
}

/** The process-wide pool every node uses. */
export const clientPool = new ClientPool();

let shutdownHooked = false;
/**
 * Close pooled connections when the host shuts down. We only attach to signals the host already
 * handles (n8n does), because adding the first SIGINT/SIGTERM listener would stop Node's default exit.
 */
export function hookPoolShutdown(): void {
  if (shutdownHooked) return;
  shutdownHooked = true;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    if (process.listenerCount(signal) > 0) process.once(signal, () => void clientPool.closeAll());
  }
}
