// The delivery policy of the "Share Group" mode (KIP-932): what to acknowledge for one message after
// its execution. Pure (no I/O, no clock; the jitter's random source is a parameter).
//
// Unlike a consumer group, nothing here pauses a partition: a failed message is RELEASEd (after a
// backoff spent holding its lock) and the broker hands it out again, to this or another n8n, with
// its delivery count raised; the other messages keep flowing.
import type { ExecutionResult } from './policy';
import { retryDelay } from './policy';
import type { RunnerSettings } from './settings';

export type SharePolicySettings = Pick<RunnerSettings, 'maxAttempts' | 'deadLetterTopic' | 'retryInitialMs' | 'retryMaxMs'>;

/**
 * The broker archives a record after this many deliveries whatever the client says
 * (group.share.delivery.count.limit, default 5): a release on the last one is a silent drop, so our
 * attempts stop there at the latest and the last failure is rejected or dead-lettered by us.
 */
export const BROKER_DELIVERY_LIMIT = 5;

export type ShareDecision =
  | { kind: 'accept'; reason: 'success' }
  /** Delivered again after `delayMs` (the lock is held meanwhile). */
  | { kind: 'release'; delayMs: number; reason: 'retry' | 'closing' }
  /** Max attempts reached, no dead-letter topic: archived by the broker, counted, never redelivered. */
  | { kind: 'reject' }
  /** Max attempts reached: copy to the dead-letter topic, then ACCEPT (RELEASE with `delayMs` if the copy fails). */
  | { kind: 'deadLetter'; delayMs: number };

/**
 * Attempts before giving up. With a dead-letter topic one delivery is kept in reserve: if the copy to
 * the dead-letter topic fails, the RELEASE must not be the broker's last delivery (it would archive
 * the record, and the copy would never be made).
 */
export function attemptsFor(settings: Pick<RunnerSettings, 'maxAttempts' | 'deadLetterTopic'>): number {
  const limit = settings.deadLetterTopic ? BROKER_DELIVERY_LIMIT - 1 : BROKER_DELIVERY_LIMIT;
  return Math.max(1, Math.min(settings.maxAttempts, limit));
}

export function decideShare(input: { result: ExecutionResult; deliveryCount: number; settings: SharePolicySettings; random?: () => number }): ShareDecision {
  const { result, deliveryCount, settings } = input;
  if (result.kind === 'success') return { kind: 'accept', reason: 'success' };
  // Closing and done waiting: hand it back at once for another member (or the next activation).
  if (result.kind === 'abandoned') return { kind: 'release', delayMs: 0, reason: 'closing' };
  const delayMs = retryDelay(deliveryCount, settings, input.random);
  const attempts = attemptsFor(settings);
  if (deliveryCount < attempts) return { kind: 'release', delayMs, reason: 'retry' };
  if (settings.deadLetterTopic) return { kind: 'deadLetter', delayMs };
  return { kind: 'reject' };
}
