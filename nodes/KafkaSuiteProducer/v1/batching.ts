/** Per Kafka's record format v2: batch header plus per-record framing (lengths, deltas, attributes). */
export const BATCH_OVERHEAD_BYTES = 61;
export const RECORD_OVERHEAD_BYTES = 21;

export interface Sized {
  topic: string;
  partition: number;
  /** Uncompressed bytes on the wire (key + value + headers + record framing). */
  bytes: number;
}

/**
 * Splits messages (already in item order) into requests of at most `maxMessages`, keeping each
 * partition's share of a request under `maxBytesOf(topic)`: the client writes all of a partition's
 * messages in one request as a single record batch, and the broker refuses a batch larger than
 * the topic's max.message.bytes. Order within a partition is kept because requests are sent one
 * after another. Returns index lists into `messages`.
 */
export function planRequests(messages: Sized[], maxMessages: number, maxBytesOf: (topic: string) => number): number[][] {
  const requests: number[][] = [];
  let current: number[] = [];
  let perPartition = new Map<string, number>();
  const limit = Math.max(1, Math.floor(maxMessages));
  messages.forEach((message, index) => {
    const key = `${message.topic}\u0000${message.partition}`;
    const used = perPartition.get(key) ?? BATCH_OVERHEAD_BYTES;
    const fits = used + message.bytes <= maxBytesOf(message.topic) || used === BATCH_OVERHEAD_BYTES;
    if (current.length >= limit || !fits) {
      requests.push(current);
      current = [];
      perPartition = new Map();
    }
    current.push(index);
    perPartition.set(key, (perPartition.get(key) ?? BATCH_OVERHEAD_BYTES) + message.bytes);
  });
  if (current.length) requests.push(current);
  return requests;
}

/** One scope's round-robin position. */
export interface RoundRobin {
  next(partitions: number): number;
}

/**
 * Round robin per topic, kept across executions of this process so load spreads over time. A caller
 * takes a scope's counter once (per topic and execution) and asks it per message: looking the scope
 * string up per message cost 3% of a 100,000-item execution (test/bench/notes.md).
 */
const roundRobin = new Map<string, RoundRobin>();
export function roundRobinFor(scope: string): RoundRobin {
  let counter = roundRobin.get(scope);
  if (!counter) {
    let position = 0;
    counter = {
      next(partitions: number): number {
        const current = position;
        position = (position + 1) % Number.MAX_SAFE_INTEGER;
        return current % partitions;
      },
    };
    roundRobin.set(scope, counter);
  }
  return counter;
}
export function nextRoundRobin(scope: string, partitions: number): number {
  return roundRobinFor(scope).next(partitions);
}
