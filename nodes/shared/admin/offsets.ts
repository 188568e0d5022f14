/**
 * Consumer-group offset resets: a pure planner (what each partition would move to) and the I/O
 * around it (read current state, apply, verify). The node shows the plan as a dry run by default,
 * and the plan's `undo` is exactly what "set offsets" needs to put things back.
 */
import { KafkaSuiteError } from '../errors';
import type { KafkaAdmin } from '../kafka/api';
import { computePartitionLag } from './lag';
import { assertGroupInactive, describeGroupOrThrow } from './groups';
import { assertTopicsExist } from './topics';

export type ResetTarget =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'timestamp'; timestamp: number }
  | { kind: 'offset'; offset: string }
  | { kind: 'shift'; by: number }
  /** Per-partition offsets, e.g. an undo snapshot. */
  | { kind: 'explicit'; offsets: Array<{ topic: string; partition: number; offset: string }> };

export interface PartitionState {
  topic: string;
  partition: number;
  /** null when the group has no committed offset on the partition */
  committed: string | null;
  low: string;
  high: string;
  /** First offset at or after the requested timestamp (the log end when there is none). */
  atTimestamp?: string;
}

export interface PlannedOffset {
  topic: string;
  partition: number;
  before: string | null;
  after: string;
  /** The requested offset was outside [log start, log end] and was moved to the nearest end. */
  clamped: boolean;
  lagBefore: number;
  lagAfter: number;
}

export interface OffsetSnapshot {
  groupId: string;
  offsets: Array<{ topic: string; partition: number; offset: string }>;
  /** Partitions that had no committed offset before; setting offsets cannot "un-commit" them. */
  uncommitted: Array<{ topic: string; partition: number }>;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

function clamp(value: bigint, low: bigint, high: bigint): { value: bigint; clamped: boolean } {
  if (value < low) return { value: low, clamped: true };
  if (value > high) return { value: high, clamped: true };
  return { value, clamped: false };
}

function parseOffset(raw: string, what: string): bigint {
  if (!/^-?\d+$/.test(raw.trim())) throw new KafkaSuiteError(`${what} "${raw}" is not an integer offset`, { kind: 'config', context: { field: 'offset' } });
  return BigInt(raw.trim());
}

/** Works out, per partition, where the group would be after the reset. Pure: no I/O. */
export function planOffsetReset(states: PartitionState[], target: ResetTarget): PlannedOffset[] {
  const explicit =
    target.kind === 'explicit' ? new Map(target.offsets.map((o) => [key(o.topic, o.partition), parseOffset(String(o.offset), `Offset for ${o.topic}/${o.partition}`)])) : undefined;
  if (explicit) {
    const known = new Set(states.map((s) => key(s.topic, s.partition)));
    const missing = target.kind === 'explicit' ? target.offsets.filter((o) => !known.has(key(o.topic, o.partition))) : [];
    if (missing.length) {
      throw new KafkaSuiteError(`Partition(s) ${missing.map((m) => `${m.topic}/${m.partition}`).join(', ')} do not exist`, { kind: 'config', context: { field: 'offsets' } });
    }
  }
  const plan: PlannedOffset[] = [];
  for (const state of states) {
    const low = BigInt(state.low);
    const high = BigInt(state.high);
    let wanted: bigint;
    switch (target.kind) {
      case 'earliest':
        wanted = low;
        break;
      case 'latest':
        wanted = high;
        break;
      case 'timestamp':
        wanted = BigInt(state.atTimestamp ?? state.high);
        break;
      case 'offset':
        wanted = parseOffset(target.offset, 'Offset');
        break;
      case 'shift':
        if (state.committed === null) {
          throw new KafkaSuiteError(
            `Cannot shift ${state.topic}/${state.partition}: the group has no committed offset there. Reset to earliest, latest or an offset instead.`,
            { kind: 'config', context: { topic: state.topic, partition: state.partition } },
          );
        }
        wanted = BigInt(state.committed) + BigInt(Math.trunc(target.by));
        break;
      case 'explicit': {
        const found = explicit!.get(key(state.topic, state.partition));
        if (found === undefined) continue; // partitions not in the snapshot are left alone
        wanted = found;
        break;
      }
    }
    const { value, clamped } = clamp(wanted, low, high);
    plan.push({
      topic: state.topic,
      partition: state.partition,
      before: state.committed,
      after: value.toString(),
      clamped,
      lagBefore: computePartitionLag(state.committed, state.high),
      lagAfter: computePartitionLag(value, state.high),
    });
  }
  return plan;
}

/** The offsets to hand to "set offsets" to undo `plan`. */
export function undoSnapshot(groupId: string, plan: PlannedOffset[]): OffsetSnapshot {
  return {
    groupId,
    offsets: plan.filter((p) => p.before !== null).map((p) => ({ topic: p.topic, partition: p.partition, offset: p.before as string })),
    uncommitted: plan.filter((p) => p.before === null).map((p) => ({ topic: p.topic, partition: p.partition })),
  };
}

/** Reads committed offsets and watermarks for the group on `topics` (optionally some partitions only). */
export async function readPartitionStates(
  admin: KafkaAdmin,
  groupId: string,
  topics: string[],
  options: { partitions?: number[]; timestamp?: number } = {},
): Promise<PartitionState[]> {
  await assertTopicsExist(admin, topics);
  const committed = await admin.fetchOffsets(groupId, topics);
  const committedOf = new Map<string, string>();
  for (const t of committed) for (const p of t.partitions) committedOf.set(key(t.topic, p.partition), p.offset);
  return selectedPartitionStates(admin, topics, options, (topic, partition) => {
    const raw = committedOf.get(key(topic, partition));
    return { committed: raw !== undefined && Number(raw) >= 0 ? raw : null };
  });
}

/**
 * The selected partitions of `topics` with their watermarks (and the offset at `options.timestamp`),
 * sorted, each with the group's own position from `positionOf`: the walk consumer-group and
 * share-group resets share. An unknown partition number is a configuration error.
 */
export async function selectedPartitionStates<Position extends Pick<PartitionState, 'committed'>>(
  admin: KafkaAdmin,
  topics: string[],
  options: { partitions?: number[]; timestamp?: number },
  positionOf: (topic: string, partition: number) => Position,
): Promise<Array<PartitionState & Position>> {
  const states: Array<PartitionState & Position> = [];
  for (const topic of topics) {
    const marks = await admin.fetchTopicOffsets(topic);
    const atTime = options.timestamp !== undefined ? await admin.fetchTopicOffsetsByTimestamp(topic, options.timestamp) : [];
    const atTimeOf = new Map(atTime.map((p) => [p.partition, p.offset]));
    if (options.partitions?.length) {
      const existing = new Set(marks.map((m) => m.partition));
      const unknown = options.partitions.filter((p) => !existing.has(p));
      if (unknown.length) {
        throw new KafkaSuiteError(`Topic "${topic}" has no partition ${unknown.join(', ')} (it has ${marks.length})`, { kind: 'config', context: { topic } });
      }
    }
    for (const mark of marks) {
      if (options.partitions?.length && !options.partitions.includes(mark.partition)) continue;
      const { committed, ...extra } = positionOf(topic, mark.partition);
      states.push({
        topic,
        partition: mark.partition,
        committed,
        low: mark.low,
        high: mark.high,
        ...extra,
        ...(atTimeOf.has(mark.partition) ? { atTimestamp: atTimeOf.get(mark.partition) } : {}),
      } as PartitionState & Position);
    }
  }
  return states.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
}

/** Topics the group has committed offsets on (used when the user names no topic). */
export async function topicsWithCommits(admin: KafkaAdmin, groupId: string): Promise<string[]> {
  const all = await admin.fetchOffsets(groupId);
  return all.filter((t) => t.partitions.some((p) => Number(p.offset) >= 0)).map((t) => t.topic).sort();
}

/**
 * Commits the planned offsets, then reads them back. Refuses while the group has members:
 * Kafka only accepts commits from outside the group when it is empty, and a reset under a
 * running consumer would be overwritten by its next commit anyway.
 */
export async function applyOffsetPlan(
  admin: KafkaAdmin,
  groupId: string,
  plan: PlannedOffset[],
): Promise<{ verified: boolean; mismatches: PlannedOffset[] }> {
  await assertGroupInactive(admin, groupId);
  const topics = [...new Set(plan.map((p) => p.topic))];
  const offsets = plan.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.after }));
  if (admin.commitOffsets) await admin.commitOffsets(groupId, offsets);
  else for (const topic of topics) await admin.setOffsets(groupId, topic, offsets.filter((o) => o.topic === topic));
  const after = await admin.fetchOffsets(groupId, topics);
  const now = new Map<string, string>();
  for (const t of after) for (const p of t.partitions) now.set(key(t.topic, p.partition), p.offset);
  const mismatches = plan.filter((p) => now.get(key(p.topic, p.partition)) !== p.after);
  return { verified: mismatches.length === 0, mismatches };
}

export { describeGroupOrThrow };
