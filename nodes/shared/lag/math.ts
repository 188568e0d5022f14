// Offset and time arithmetic for consumer lag. Pure functions: no I/O, no clock reads (callers pass
// `now`), so the evaluation can be unit-tested and benchmarked without a broker.
import { computePartitionLag } from '../admin/lag';

/**
 * Offset lag of one partition for status evaluation: the Admin node's arithmetic (log end minus
 * committed, clamped at 0), except that a partition the group never committed to has no lag to
 * judge (null), as in Burrow, instead of 0.
 */
export function partitionLag(committed: number | null | undefined, logEnd: number | null | undefined): number | null {
  if (committed === null || committed === undefined || !Number.isFinite(committed) || committed < 0) return null;
  if (logEnd === null || logEnd === undefined || !Number.isFinite(logEnd)) return null;
  return computePartitionLag(committed, logEnd);
}

/** Kafka returns offsets as strings; "-1" means "no committed offset". */
export function parseOffset(raw: string | number | null | undefined): number | null {
  if (raw === null || raw === undefined || raw === '') return null;
  const value = typeof raw === 'number' ? raw : Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : null;
}

/**
 * A partition's log-end timeline, flat: [offset0, epochMs0, offset1, epochMs1, ...]. Flat because it
 * lives in workflow static data, which n8n clones, compares and stores on every poll: one array
 * per partition instead of one per point keeps that cheap (see test/bench/lag-evaluate.bench.mjs).
 */
export type Timeline = number[];

/**
 * Appends a (log end, time) point the way kafka-lag-exporter does: a flat run keeps only its first
 * and last point (the first says when the log reached that offset, the last that it stayed there),
 * so an idle partition does not push useful history out of a bounded table. A log end that moves
 * backwards means the topic was re-created; the old history no longer describes it.
 */
export function addTimelinePoint(points: Timeline, offset: number, at: number, maxPoints: number): Timeline {
  const n = points.length;
  if (n >= 2) {
    const lastOffset = points[n - 2];
    const lastAt = points[n - 1];
    if (at <= lastAt) return points; // clock went backwards or same instant: keep the older truth
    if (offset < lastOffset) return [offset, at];
    if (offset === lastOffset && n >= 4 && points[n - 4] === offset) {
      points[n - 1] = at;
      return points;
    }
  }
  points.push(offset, at);
  if (points.length > maxPoints * 2) points.splice(0, points.length - maxPoints * 2);
  return points;
}

export interface TimeLag {
  /** Seconds the committed position is behind the log end; 0 when caught up; null when unknown. */
  seconds: number | null;
  /** 'exact' caught up, 'interpolated' between two samples, 'lowerBound' older than the oldest sample, 'unknown' no history yet. */
  estimate: 'exact' | 'interpolated' | 'lowerBound' | 'unknown';
}

/**
 * Lag in time: now minus the interpolated moment at which the log end was at the committed offset
 * (kafka-lag-exporter's definition). Points must be in time order with non-decreasing offsets.
 */
export function interpolateTimeLag(points: readonly number[], committed: number | null, logEnd: number, now: number): TimeLag {
  if (committed === null) return { seconds: null, estimate: 'unknown' };
  if (committed >= logEnd) return { seconds: 0, estimate: 'exact' };
  const count = points.length >> 1;
  // First point whose log end is past the committed offset: the message at `committed` was
  // written between the previous point and this one.
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid * 2] > committed) hi = mid;
    else lo = mid + 1;
  }
  if (lo >= count) {
    // The timeline has not seen the current log end (it is added before evaluation normally).
    return { seconds: null, estimate: 'unknown' };
  }
  if (lo === 0) {
    if (count < 2 && now - points[1] <= 0) return { seconds: null, estimate: 'unknown' };
    return { seconds: Math.max(0, (now - points[1]) / 1000), estimate: 'lowerBound' };
  }
  const o0 = points[(lo - 1) * 2];
  const t0 = points[(lo - 1) * 2 + 1];
  const o1 = points[lo * 2];
  const t1 = points[lo * 2 + 1];
  const at = t0 + ((committed - o0) / (o1 - o0)) * (t1 - t0);
  return { seconds: Math.max(0, (now - at) / 1000), estimate: 'interpolated' };
}

export interface Rates {
  /** Committed-offset advance per second over the window (the consume rate). */
  consumePerSecond: number | null;
  /** Log-end advance per second over the window (the produce rate). */
  producePerSecond: number | null;
  /** Seconds until lag reaches 0 at the current net rate; 0 when caught up; null when not catching up or unknown. */
  catchUpSeconds: number | null;
}

/**
 * Catch-up estimate from the recent consume rate, net of the produce rate: lag / (consume − produce).
 */
export function estimateRates(samples: Samples, lag: number | null): Rates {
  const n = samples.length / 3;
  if (n < 2) return { consumePerSecond: null, producePerSecond: null, catchUpSeconds: lag === 0 ? 0 : null };
  const last = (n - 1) * 3;
  const seconds = (samples[last] - samples[0]) / 1000;
  if (seconds <= 0) return { consumePerSecond: null, producePerSecond: null, catchUpSeconds: lag === 0 ? 0 : null };
  // A rewind or topic re-creation makes the deltas meaningless; report no rate rather than a negative one.
  const consumed = samples[last + 1] - samples[1];
  const produced = samples[last + 2] - samples[2];
  const consumePerSecond = consumed >= 0 ? consumed / seconds : null;
  const producePerSecond = produced >= 0 ? produced / seconds : null;
  let catchUpSeconds: number | null = null;
  if (lag === 0) catchUpSeconds = 0;
  else if (lag !== null && consumePerSecond !== null && producePerSecond !== null && consumePerSecond > producePerSecond) {
    catchUpSeconds = lag / (consumePerSecond - producePerSecond);
  }
  return { consumePerSecond, producePerSecond, catchUpSeconds };
}

/**
 * A partition's sample window, oldest first, flat: [epochMs, committed, logEnd, epochMs, ...], one
 * triple per observation (flat for the same static-data reason as Timeline).
 */
export type Samples = readonly number[];
