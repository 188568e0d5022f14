import { toKafkaSuiteError, type KafkaSuiteError } from './errors';
import type { ResolvedClusterConfig } from './platforms';

/** A client the pool can hold: created unconnected, connected once, closed when idle or retired. */
export interface PooledClient<T> {
  client: T;
  connect: () => Promise<void>;
  close: () => Promise<void>;
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

export interface LeaseOptions {
  /** One user at a time (a transactional producer). */
  exclusive: boolean;
  /** Where the connect failure is reported from (never secrets). */
  resolved: ResolvedClusterConfig;
}

/**
 * Producers and admin clients are reused across executions, keyed by the connection's credential hash
 * and the client options: connecting costs a metadata round trip plus TLS and SASL, which the built-in
 * n8n nodes pay on every execution. Idle clients are closed after `idleMs`. The pool knows nothing of
 * the client library: the adapter (nodes/shared/kafka/) hands it clients with connect/close.
 */
export class ClientPool {
  /** Per-connection state that opens nothing by itself (a client library's cluster handle), kept until closeAll. */
  private readonly memo = new Map<string, unknown>();
  private readonly entries = new Map<string, Entry<unknown>>();
  private sweeper?: NodeJS.Timeout;
  private readonly idleMs: number;
  private readonly sweepEveryMs: number;

  constructor(options: PoolOptions = {}) {
    this.idleMs = options.idleMs ?? 5 * 60_000;
    this.sweepEveryMs = options.sweepEveryMs ?? 30_000;
  }

  /** The value stored under `key`, created on first use. */
  memoize<T>(key: string, create: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, create());
    return this.memo.get(key) as T;
  }

  /**
   * Runs `use` with the connected client pooled under `key`, created by `create` if there is none.
   * A caller that catches an error itself (to fail only some items) passes it to `reportFailure`, so
   * a client broken for good is retired as if the error had escaped.
   */
  async lease<T, R>(
    key: string,
    create: () => PooledClient<T>,
    options: LeaseOptions,
    use: (client: T, reportFailure: (error: unknown) => void) => Promise<R>,
  ): Promise<R> {
    const entry = this.entry(key, create, options.resolved);
    const reportFailure = (error: unknown) => {
      // Only this lease's client: a late failure from an old client must not retire its replacement.
      if (brokenForGood(toKafkaSuiteError(error)) && this.entries.get(key) === (entry as Entry<unknown>)) this.discard(key);
    };
    entry.inUse++;
    try {
      const client = await entry.ready;
      if (!options.exclusive) return await use(client, reportFailure);
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

  /** Closes every pooled client (n8n shutdown, tests). */
  async closeAll(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    const entries = [...this.entries.values()];
    this.entries.clear();
    this.memo.clear();
    await Promise.allSettled(entries.map((entry) => entry.close()));
  }

  get size(): number {
    return this.entries.size;
  }

  private entry<T>(key: string, create: () => PooledClient<T>, resolved: ResolvedClusterConfig): Entry<T> {
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
          if (this.entries.get(key) === (entry as Entry<unknown>)) this.entries.delete(key);
          void close().catch(() => undefined);
          throw toKafkaSuiteError(error, { broker: resolved.summary.brokers.join(','), mechanism: resolved.summary.mechanism });
        },
      ),
    };
    this.entries.set(key, entry as Entry<unknown>);
    this.startSweeper();
    return entry;
  }

  /** New callers get a fresh client at once; the old one closes when its current users finish. */
  discard(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    entry.retired = true;
    if (entry.inUse === 0) void entry.close().catch(() => undefined);
  }

  /** Retires every pooled client whose key starts with `prefix` (all clients of one connection). */
  discardPrefix(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.discard(key);
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
 * A client whose broker connections broke for good is dropped so the next call reconnects. Some
 * clients (kafkajs) also keep every topic they ever touched in their metadata requests, so once such a topic
 * is deleted every later call fails UNKNOWN_TOPIC_OR_PARTITION: that client is retired too.
 * An idempotent producer whose sequence state the broker no longer shares (a broker SIGKILLed and
 * restarted while batches were in flight) gets OUT_OF_ORDER_SEQUENCE_NUMBER or UNKNOWN_PRODUCER_ID
 * on every later send; kafkajs never re-initialises its producer id, so it is retired and the next
 * call starts with a new producer id (what the Java client does by bumping the epoch, KIP-360).
 * Seen in test/integration/faults/broker-kill-producing: 0 acknowledged in 90 s after the restart.
 */
const PRODUCER_STATE_LOST = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID']);
function brokenForGood(error: KafkaSuiteError): boolean {
  return error.kind === 'auth' || error.kind === 'tls' || error.code === 'UNKNOWN_TOPIC_OR_PARTITION' || PRODUCER_STATE_LOST.has(error.code ?? '');
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
