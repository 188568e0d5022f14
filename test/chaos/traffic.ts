// The Kafka side of the chaos suite, with plain kafkajs (not nodes/shared/, so an adapter bug
// cannot hide a lost message): keyed input with a sequence number per key, a live read_committed
// reader of the output topic that notes when each message arrived, the group's end lag, and the
// verdict (lost, duplicated, out of order).
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';

export interface InputMessage {
  id: string;
  key: string;
  seq: number;
}

export interface OutputRecord extends InputMessage {
  partition: number;
  offset: string;
  arrivedAt: number;
}

export const kafkaFor = (bootstrap: string, name: string): Kafka =>
  new Kafka({
    clientId: `chaos-${name}-${randomUUID().slice(0, 6)}`,
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    // The broker is SIGKILLed mid-test: keep retrying through its restart (~10 s).
    retry: { retries: 12, initialRetryTime: 300, maxRetryTime: 3000 },
  });

export async function createTopics(bootstrap: string, topics: string[], partitions: number): Promise<void> {
  const admin = kafkaFor(bootstrap, 'admin').admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Writes input messages: `keys` keys, each with its own increasing sequence number, so per-key
 * order can be checked on the output. One idempotent producer; each call is one batch.
 */
export class InputWriter {
  private readonly producer: Producer;
  private readonly nextSeq = new Map<string, number>();
  readonly sent: InputMessage[] = [];
  private connected?: Promise<void>;

  constructor(
    bootstrap: string,
    private readonly topic: string,
    private readonly keys: number,
  ) {
    this.producer = kafkaFor(bootstrap, 'input').producer({ idempotent: true, maxInFlightRequests: 1 });
  }

  async write(count: number): Promise<void> {
    this.connected ??= this.producer.connect();
    await this.connected;
    const batch: InputMessage[] = [];
    for (let i = 0; i < count; i++) {
      const key = `k${(this.sent.length + i) % this.keys}`;
      const seq = (this.nextSeq.get(key) ?? 0) + 1;
      this.nextSeq.set(key, seq);
      batch.push({ id: `${key}-${seq}`, key, seq });
    }
    for (let start = 0; start < batch.length; start += 500) {
      const slice = batch.slice(start, start + 500);
      await this.producer.send({ topic: this.topic, acks: -1, messages: slice.map((m) => ({ key: m.key, value: JSON.stringify(m) })) });
    }
    this.sent.push(...batch);
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect().catch(() => undefined);
  }
}

/**
 * Reads the output topic from the beginning, read_committed, for the whole test, noting when each
 * record arrived. Records are counted once per (partition, offset), so a reader restart cannot
 * invent duplicates; only copies on the log count. Survives the broker kill by rebuilding itself.
 */
export class OutputReader {
  readonly records = new Map<string, OutputRecord>();
  /** Highest offset seen per partition, control records (transaction markers) included. */
  readonly position = new Map<number, bigint>();
  private consumer?: Consumer;
  private stopped = false;
  /** The reader's own crashes, for the message of a failed drain. */
  readonly crashes: string[] = [];
  private readonly groupId = `chaos-reader-${randomUUID()}`;

  constructor(
    private readonly bootstrap: string,
    private readonly topic: string,
  ) {}

  async start(): Promise<void> {
    const consumer = kafkaFor(this.bootstrap, 'reader').consumer({ groupId: this.groupId, sessionTimeout: 10_000, heartbeatInterval: 1000, maxWaitTimeInMs: 200 });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (event) => {
      const { restart, error } = event.payload as { restart: boolean; error: Error };
      this.crashes.push(`${new Date().toISOString()} ${error?.message ?? 'crash'}${restart ? ' (kafkajs restarts it)' : ''}`);
      if (!restart && !this.stopped) void consumer.disconnect().catch(() => undefined).then(() => this.restart());
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        for (const message of batch.messages) {
          const position = `${batch.partition}:${message.offset}`;
          if (this.records.has(position)) continue;
          const value = JSON.parse(message.value?.toString('utf8') ?? '{}') as InputMessage;
          this.records.set(position, { ...value, partition: batch.partition, offset: message.offset, arrivedAt: now });
        }
        const last = BigInt(batch.lastOffset());
        if (last > (this.position.get(batch.partition) ?? -1n)) this.position.set(batch.partition, last);
      },
    });
  }

  /** A reader that stops reading would fail the drain with the flow innocent: it starts again until stopped. */
  private async restart(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.start();
        return;
      } catch (error) {
        this.crashes.push(`${new Date().toISOString()} restart ${attempt} failed: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * attempt)));
      }
    }
  }

  /** Distinct message ids read so far. */
  distinct(): number {
    return new Set([...this.records.values()].map((r) => r.id)).size;
  }

  /**
   * When output was flowing again on every partition after a kill: per partition the arrival of the
   * first record at or beyond that partition's end offset when the kill was done (`ends`: nothing
   * the dead process wrote can be there), and the latest of those (a partition whose owner died
   * resumes last). undefined while some partition has no such record.
   */
  resumedAfter(ends: Map<number, bigint>): number | undefined {
    const first = new Map<number, number>();
    for (const record of this.records.values()) {
      const end = ends.get(record.partition);
      if (end === undefined || BigInt(record.offset) < end) continue;
      const known = first.get(record.partition);
      if (known === undefined || record.arrivedAt < known) first.set(record.partition, record.arrivedAt);
    }
    if ([...ends.keys()].some((p) => !first.has(p))) return undefined;
    return Math.max(...first.values());
  }

  /** The topic's end offset per partition right now. */
  async ends(): Promise<Map<number, bigint>> {
    // Read right after a broker restart too, while the partitions still have no leader: retriable
    // answers (NOT_LEADER_FOR_PARTITION) are asked again until a deadline.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const admin = kafkaFor(this.bootstrap, 'reader-admin').admin();
      try {
        await admin.connect();
        return new Map((await admin.fetchTopicOffsets(this.topic)).map((p) => [p.partition, BigInt(p.high)]));
      } catch (error) {
        if (!(error as { retriable?: boolean }).retriable || Date.now() > deadline) throw error;
      } finally {
        await admin.disconnect();
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** Whether the reader has read everything up to the topic's current end offsets. */
  async caughtUp(): Promise<boolean> {
    const admin = kafkaFor(this.bootstrap, 'reader-admin').admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(this.topic);
      return ends.every((p) => BigInt(p.high) === 0n || (this.position.get(p.partition) ?? -1n) + 1n >= BigInt(p.high));
    } finally {
      await admin.disconnect();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer?.disconnect().catch(() => undefined);
  }
}

/** Sum over partitions of (end offset − committed offset) for the group; uncommitted partitions count whole. */
export async function groupLag(bootstrap: string, groupId: string, topic: string): Promise<number> {
  return (await partitionLags(bootstrap, groupId, topic)).reduce((sum, p) => sum + p.lag, 0);
}

export interface PartitionLag {
  partition: number;
  committed: number;
  high: number;
  lag: number;
}

/** The group's committed offset against the end of each partition of `topic`. */
export async function partitionLags(bootstrap: string, groupId: string, topic: string): Promise<PartitionLag[]> {
  const admin = kafkaFor(bootstrap, 'lag').admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return ends
      .map((end) => {
        const at = Number(committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
        return { partition: end.partition, committed: at, high: Number(end.high), lag: Number(end.high) - Math.max(at, Number(end.low)) };
      })
      .sort((a, b) => a.partition - b.partition);
  } finally {
    await admin.disconnect();
  }
}

export interface Verdict {
  messagesIn: number;
  recordsOut: number;
  distinctOut: number;
  duplicates: number;
  lost: number;
  lostIds: string[];
  unexpected: number;
  orderViolations: number;
  orderExamples: string[];
  /** A few duplicated ids with where and when (epoch ms) each copy arrived, to match them with the kills. */
  duplicateExamples: Array<{ id: string; copies: Array<{ partition: number; offset: string; arrivedAt: number }> }>;
}

/**
 * Lost = sent ids never seen; duplicates = extra copies. Per-key order: the first copy of each
 * sequence number must come after the first copies of all lower ones (a redelivered old message is
 * a duplicate, not an order violation; a newer message overtaking an older one is).
 */
export function verdict(sent: InputMessage[], records: Iterable<OutputRecord>): Verdict {
  const byKey = new Map<string, OutputRecord[]>();
  let recordsOut = 0;
  for (const record of records) {
    recordsOut++;
    const list = byKey.get(record.key) ?? [];
    list.push(record);
    byKey.set(record.key, list);
  }
  const seen = new Set<string>();
  const copies = new Map<string, OutputRecord[]>();
  let orderViolations = 0;
  const orderExamples: string[] = [];
  for (const [key, list] of byKey) {
    // One key maps to one partition, so its log order is its offset order.
    list.sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
    let highest = 0;
    for (const record of list) {
      copies.set(record.id, [...(copies.get(record.id) ?? []), record]);
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      if (record.seq < highest) {
        orderViolations++;
        if (orderExamples.length < 5) orderExamples.push(`${key}: seq ${record.seq} first appeared after seq ${highest}`);
      }
      highest = Math.max(highest, record.seq);
    }
  }
  const sentIds = new Set(sent.map((m) => m.id));
  const lostIds = [...sentIds].filter((id) => !seen.has(id));
  return {
    messagesIn: sent.length,
    recordsOut,
    distinctOut: seen.size,
    duplicates: recordsOut - seen.size,
    lost: lostIds.length,
    lostIds: lostIds.slice(0, 20),
    unexpected: [...seen].filter((id) => !sentIds.has(id)).length,
    orderViolations,
    orderExamples,
    duplicateExamples: [...copies]
      .filter(([, list]) => list.length > 1)
      .slice(0, 10)
      .map(([id, list]) => ({ id, copies: list.map((r) => ({ partition: r.partition, offset: r.offset, arrivedAt: r.arrivedAt })) })),
  };
}
