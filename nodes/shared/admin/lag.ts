/**
 * Lag arithmetic shared by the Admin node (group describe) and the Lag Check node. Kept free of
 * I/O so both can feed it whatever the Kafka API (nodes/shared/kafka) returns.
 */

/** Offsets as the Kafka API reports them: decimal strings, with '-1' (or '') meaning "no committed offset". */
export type OffsetLike = string | number | bigint | null | undefined;

function toBigInt(value: OffsetLike): bigint | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  try {
    const parsed = typeof value === 'bigint' ? value : BigInt(typeof value === 'number' ? Math.trunc(value) : value.trim());
    return parsed < 0n ? undefined : parsed;
  } catch {
    // A non-numeric offset is treated like an unknown one: lag must never become NaN.
    return undefined;
  }
}

/**
 * Messages the group still has to read on one partition: logEnd − committed, clamped at 0.
 * Unknown/negative offsets (no commit yet, idle partition, compacted log end behind a stale
 * commit) give 0 rather than NaN or a negative number, which lag exporters were hated for.
 */
export function computePartitionLag(committed: OffsetLike, logEnd: OffsetLike): number {
  const end = toBigInt(logEnd);
  const done = toBigInt(committed);
  if (end === undefined || done === undefined) return 0;
  const lag = end - done;
  if (lag <= 0n) return 0;
  return lag > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(lag);
}

export interface PartitionLag {
  topic: string;
  partition: number;
  /** null when the group never committed on this partition */
  committedOffset: string | null;
  logEndOffset: string;
  logStartOffset?: string;
  lag: number;
}

/**
 * Joins a group's committed offsets with the topics' end offsets. Partitions without a commit
 * report lag 0 (the group's auto.offset.reset decides where it starts; we do not guess).
 */
export function joinLag(
  committed: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>,
  ends: Array<{ topic: string; partitions: Array<{ partition: number; high: string; low?: string }> }>,
): PartitionLag[] {
  const endOf = new Map<string, { high: string; low?: string }>();
  for (const topic of ends) for (const p of topic.partitions) endOf.set(`${topic.topic}\u0000${p.partition}`, p);
  const rows: PartitionLag[] = [];
  for (const topic of committed) {
    for (const p of topic.partitions) {
      const end = endOf.get(`${topic.topic}\u0000${p.partition}`);
      const hasCommit = toBigInt(p.offset) !== undefined;
      rows.push({
        topic: topic.topic,
        partition: p.partition,
        committedOffset: hasCommit ? p.offset : null,
        logEndOffset: end?.high ?? '0',
        ...(end?.low !== undefined ? { logStartOffset: end.low } : {}),
        lag: computePartitionLag(p.offset, end?.high),
      });
    }
  }
  return rows.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
}

export const totalLag = (rows: Array<{ lag: number }>): number => rows.reduce((sum, row) => sum + row.lag, 0);
