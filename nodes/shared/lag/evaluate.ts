// Turns one broker snapshot plus the samples kept between runs into per-partition, per-topic and
// per-group lag results. Pure: the caller owns I/O and persistence (n8n workflow static data), so
// the state here is plain JSON.
import { evaluatePartition, groupStatusOf, worseOf, type GroupStatus, type PartitionStatus } from './burrow';
import { addTimelinePoint, partitionLag, estimateRates, interpolateTimeLag, type Timeline } from './math';

export interface PartitionSnapshot {
  topic: string;
  partition: number;
  /** null when the group has no committed offset for the partition. */
  committed: number | null;
  logEnd: number;
}

export interface GroupSnapshot {
  group: string;
  found: boolean;
  /** Kafka group state (Stable, Empty, PreparingRebalance, Dead, ...). */
  state?: string;
  members?: number;
  partitions: PartitionSnapshot[];
}

export interface LagSnapshot {
  /** When the offsets were read (epoch ms). */
  at: number;
  groups: GroupSnapshot[];
}

export interface LagState {
  version: 2;
  /** Per group: per "topic|partition" the last `windowSize` samples (flat triples, see math.ts). */
  groups: Record<string, { seen: number; parts: Record<string, number[]> }>;
  /** Per "topic|partition": log-end history for time-lag interpolation (flat, see math.ts). */
  timeline: Record<string, Timeline>;
}

export interface EvaluateOptions {
  windowSize: number;
  allowedLag: number;
  /** Log-end points kept per partition (kafka-lag-exporter keeps about 60). */
  maxTimelinePoints?: number;
  /** State of groups and partitions not seen for this long is dropped. */
  retentionMs?: number;
}

export interface PartitionResult {
  topic: string;
  partition: number;
  committedOffset: number | null;
  logEndOffset: number;
  lag: number | null;
  timeLagSeconds: number | null;
  timeLagEstimate: string;
  status: PartitionStatus;
  consumePerSecond: number | null;
  producePerSecond: number | null;
  catchUpSeconds: number | null;
}

export interface TopicResult {
  topic: string;
  lag: number;
  maxTimeLagSeconds: number | null;
  partitions: number;
}

export interface GroupResult {
  group: string;
  status: GroupStatus;
  /** The worst partition status behind an ERR (STOP, STALL or REWIND) or WARN. */
  worstPartitionStatus: PartitionStatus | null;
  /** True when every partition's window is full, i.e. the status is a Burrow judgement, not a default. */
  complete: boolean;
  samples: number;
  windowSize: number;
  allowedLag: number;
  state: string | null;
  members: number | null;
  totalLag: number;
  maxLag: number;
  maxTimeLagSeconds: number | null;
  consumePerSecond: number | null;
  producePerSecond: number | null;
  catchUpSeconds: number | null;
  evaluatedAt: string;
  topics: TopicResult[];
  partitions: PartitionResult[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function emptyLagState(): LagState {
  return { version: 2, groups: {}, timeline: {} };
}

/** Accepts whatever static data holds; anything not shaped like our state starts afresh. */
export function asLagState(value: unknown): LagState {
  const candidate = value as LagState | undefined;
  if (candidate && candidate.version === 2 && typeof candidate.groups === 'object' && typeof candidate.timeline === 'object') return candidate;
  return emptyLagState();
}

export const partitionKey = (topic: string, partition: number): string => `${topic}|${partition}`;

/** Groups with live members; STALL versus STOP hinges on it (see burrow.ts). */
function hasActiveMembers(group: GroupSnapshot): boolean {
  if (group.members !== undefined) return group.members > 0;
  return group.state === 'Stable' || group.state === 'PreparingRebalance' || group.state === 'CompletingRebalance';
}

/**
 * Records the snapshot into `state` (mutated and returned) and evaluates every group in it.
 */
export function evaluateSnapshot(stateIn: LagState | undefined, snapshot: LagSnapshot, options: EvaluateOptions): { state: LagState; groups: GroupResult[] } {
  const state = stateIn ?? emptyLagState();
  const windowSize = Math.max(2, Math.floor(options.windowSize));
  const allowedLag = Math.max(0, options.allowedLag);
  const maxPoints = Math.max(2, options.maxTimelinePoints ?? 60);
  const retentionMs = options.retentionMs ?? DAY_MS;
  const now = snapshot.at;

  const logEndSeen = new Set<string>();
  for (const group of snapshot.groups) {
    for (const p of group.partitions) {
      const key = partitionKey(p.topic, p.partition);
      if (logEndSeen.has(key)) continue;
      logEndSeen.add(key);
      state.timeline[key] = addTimelinePoint(state.timeline[key] ?? [], p.logEnd, now, maxPoints);
    }
  }

  const results: GroupResult[] = [];
  for (const group of snapshot.groups) {
    if (!group.found) {
      // A vanished group's old offsets say nothing about a group re-created under the same name.
      delete state.groups[group.group];
      results.push(notFound(group.group, windowSize, allowedLag, now));
      continue;
    }
    const stored = state.groups[group.group] ?? { seen: now, parts: {} };
    const parts: Record<string, number[]> = {};
    const active = hasActiveMembers(group);
    const partitionResults: PartitionResult[] = [];
    const topics = new Map<string, TopicResult>();
    let worst: PartitionStatus = 'OK';
    let complete = true;
    let samplesInWindow = Number.POSITIVE_INFINITY;
    let totalLag = 0;
    let maxLag = 0;
    let maxTimeLag: number | null = null;
    let consume: number | null = null;
    let produce: number | null = null;
    let catchUp: number | null = 0;

    for (const p of group.partitions) {
      const key = partitionKey(p.topic, p.partition);
      const lag = partitionLag(p.committed, p.logEnd);
      let status: PartitionStatus = 'OK';
      let window: number[] = stored.parts[key] ?? [];
      if (lag !== null && p.committed !== null) {
        const previousAt = window.length ? window[window.length - 3] : undefined;
        if (previousAt === undefined || previousAt < now) window.push(now, p.committed, p.logEnd);
        if (window.length > windowSize * 3) window = window.slice(window.length - windowSize * 3);
        parts[key] = window;
        const evaluation = evaluatePartition(window, windowSize, allowedLag, active);
        status = evaluation.status;
        if (!evaluation.complete) complete = false;
        samplesInWindow = Math.min(samplesInWindow, window.length / 3);
      }
      const timeLag = interpolateTimeLag(state.timeline[key] ?? [], p.committed, p.logEnd, now);
      const rates = estimateRates(window, lag);
      worst = worseOf(worst, status);
      if (lag !== null) {
        totalLag += lag;
        if (lag > maxLag) maxLag = lag;
        if (rates.consumePerSecond !== null) consume = (consume ?? 0) + rates.consumePerSecond;
        if (rates.producePerSecond !== null) produce = (produce ?? 0) + rates.producePerSecond;
        if (lag > 0) catchUp = catchUp === null || rates.catchUpSeconds === null ? null : Math.max(catchUp, rates.catchUpSeconds);
      }
      if (timeLag.seconds !== null && (maxTimeLag === null || timeLag.seconds > maxTimeLag)) maxTimeLag = timeLag.seconds;
      const topic = topics.get(p.topic) ?? { topic: p.topic, lag: 0, maxTimeLagSeconds: null, partitions: 0 };
      topic.partitions++;
      topic.lag += lag ?? 0;
      if (timeLag.seconds !== null && (topic.maxTimeLagSeconds === null || timeLag.seconds > topic.maxTimeLagSeconds)) topic.maxTimeLagSeconds = timeLag.seconds;
      topics.set(p.topic, topic);
      partitionResults.push({
        topic: p.topic,
        partition: p.partition,
        committedOffset: p.committed,
        logEndOffset: p.logEnd,
        lag,
        timeLagSeconds: timeLag.seconds,
        timeLagEstimate: timeLag.estimate,
        status,
        consumePerSecond: rates.consumePerSecond,
        producePerSecond: rates.producePerSecond,
        catchUpSeconds: rates.catchUpSeconds,
      });
    }
    // A group with no committed partition yet has not been judged at all: not a complete OK window.
    if (samplesInWindow === Number.POSITIVE_INFINITY) complete = false;
    state.groups[group.group] = { seen: now, parts };
    const groupStatus = groupStatusOf(worst);
    results.push({
      group: group.group,
      status: groupStatus,
      worstPartitionStatus: worst,
      complete,
      samples: Number.isFinite(samplesInWindow) ? samplesInWindow : 0,
      windowSize,
      allowedLag,
      state: group.state ?? null,
      members: group.members ?? null,
      totalLag,
      maxLag,
      maxTimeLagSeconds: maxTimeLag,
      consumePerSecond: consume,
      producePerSecond: produce,
      catchUpSeconds: catchUp,
      evaluatedAt: new Date(now).toISOString(),
      topics: [...topics.values()],
      partitions: partitionResults,
    });
  }

  pruneState(state, now, retentionMs);
  return { state, groups: results };
}

function notFound(group: string, windowSize: number, allowedLag: number, now: number): GroupResult {
  return {
    group,
    status: 'NOTFOUND',
    worstPartitionStatus: null,
    complete: false,
    samples: 0,
    windowSize,
    allowedLag,
    state: null,
    members: null,
    totalLag: 0,
    maxLag: 0,
    maxTimeLagSeconds: null,
    consumePerSecond: null,
    producePerSecond: null,
    catchUpSeconds: null,
    evaluatedAt: new Date(now).toISOString(),
    topics: [],
    partitions: [],
  };
}

function pruneState(state: LagState, now: number, retentionMs: number): void {
  for (const [group, stored] of Object.entries(state.groups)) {
    if (now - stored.seen > retentionMs) delete state.groups[group];
  }
  for (const [key, points] of Object.entries(state.timeline)) {
    const lastAt = points[points.length - 1];
    if (lastAt === undefined || now - lastAt > retentionMs) delete state.timeline[key];
  }
}
