// Burrow's consumer status rules (LinkedIn Burrow, "Consumer Lag Evaluation Rules"), re-stated for
// samples taken by polling rather than by reading every commit from __consumer_offsets.
import type { Samples } from './math';

export type PartitionStatus = 'OK' | 'WARN' | 'STOP' | 'STALL' | 'REWIND';
/** Group-level status as Burrow reports it: STOP, STALL and REWIND partitions make the group ERR. */
export type GroupStatus = 'OK' | 'WARN' | 'ERR' | 'NOTFOUND';

export interface PartitionEvaluation {
  status: PartitionStatus;
  /** False until the window holds `windowSize` samples; Burrow does not judge an incomplete window. */
  complete: boolean;
}

const SEVERITY: Record<PartitionStatus, number> = { OK: 0, WARN: 1, REWIND: 2, STALL: 3, STOP: 4 };

export function worseOf(a: PartitionStatus, b: PartitionStatus): PartitionStatus {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

export function groupStatusOf(worst: PartitionStatus): GroupStatus {
  if (worst === 'OK') return 'OK';
  if (worst === 'WARN') return 'WARN';
  return 'ERR';
}

/** Lag of the sample starting at index `i` of a flat window. */
const lagAt = (samples: Samples, i: number): number => (samples[i + 2] > samples[i + 1] ? samples[i + 2] - samples[i + 1] : 0);

/**
 * Evaluates one partition's window (oldest first, newest last).
 *
 * Burrow stores one entry per commit, so "time since the last commit" is known. A poller only sees
 * the committed offset, so a commit is dated by the first sample showing the new offset. That
 * cannot tell "consumer alive but committing the same offset" (Burrow's STALL) from "consumer gone"
 * (STOP) by timing alone; the group's membership does: with live members an unmoving offset is a
 * STALL, without members it is a STOP.
 */
export function evaluatePartition(samples: Samples, windowSize: number, allowedLag: number, hasActiveMembers: boolean): PartitionEvaluation {
  const n = samples.length / 3;
  const complete = n >= windowSize;
  if (n === 0) return { status: 'OK', complete };
  const last = (n - 1) * 3;
  if (lagAt(samples, last) <= allowedLag) return { status: 'OK', complete };
  if (!complete) return { status: 'OK', complete };

  let lagWasAllowed = false;
  let rewound = false;
  let moved = false;
  let lagDecreased = false;
  let lastCommit = 0;
  for (let i = 0; i <= last; i += 3) {
    const lag = lagAt(samples, i);
    if (lag <= allowedLag) lagWasAllowed = true;
    if (i === 0) continue;
    const committed = samples[i + 1];
    const previousCommitted = samples[i - 2];
    if (committed < previousCommitted) rewound = true;
    if (committed !== previousCommitted) {
      moved = true;
      lastCommit = i;
    }
    if (lag < lagAt(samples, i - 3)) lagDecreased = true;
  }

  const now = samples[last];
  const firstAt = samples[0];
  const lastCommitAt = samples[lastCommit];
  if (!lagWasAllowed && !hasActiveMembers && now - lastCommitAt > lastCommitAt - firstAt) return { status: 'STOP', complete };
  if (rewound) return { status: 'REWIND', complete };
  if (lagWasAllowed) return { status: 'OK', complete };
  if (!moved) return { status: 'STALL', complete };
  if (!lagDecreased) return { status: 'WARN', complete };
  return { status: 'OK', complete };
}
