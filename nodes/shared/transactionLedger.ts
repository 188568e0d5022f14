/**
 * Consumed offsets that a transactional Producer committed (via sendOffsets), remembered in this
 * process so the Trigger can tell, exactly and at once, that a failed execution's output is already
 * committed. The broker cannot tell it reliably right after the commit: transaction markers for
 * __consumer_offsets are written asynchronously, and OffsetFetch without `require_stable` (kafkajs sends none) may not see them.
 * Keyed by group/topic/partition, so its size is bounded by the partitions in use.
 */
const committed = new Map<string, bigint>();
const keyOf = (groupId: string, topic: string, partition: number) => `${groupId}\u0000${topic}\u0000${partition}`;

export function recordTransactionalOffset(groupId: string, topic: string, partition: number, nextOffset: bigint): void {
  const key = keyOf(groupId, topic, partition);
  const known = committed.get(key);
  if (known === undefined || known < nextOffset) committed.set(key, nextOffset);
}

/** The next offset a committed transaction moved the group to, if one did in this process. */
export function transactionalOffset(groupId: string, topic: string, partition: number): bigint | undefined {
  return committed.get(keyOf(groupId, topic, partition));
}
