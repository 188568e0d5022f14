// The delivery policy: what happens to a batch after its execution. Pure (no I/O, no clock; the
// jitter's random source is a parameter), so every branch is unit-tested on its own.
import { backoffDelay } from './backoff';
import type { DeliveryMode, RunnerSettings } from './settings';

/** How an execution ended, as the execution waiter saw it. */
export type ExecutionResult = { kind: 'success' } | { kind: 'failure'; error: string; executionId?: string } | { kind: 'abandoned' };

export type PolicySettings = Pick<RunnerSettings, 'maxAttempts' | 'bisectFailures' | 'deadLetterTopic' | 'retryInitialMs' | 'retryMaxMs'>;

export interface PolicyInput {
  mode: DeliveryMode;
  result: ExecutionResult;
  /** This attempt of the batch, 1-based. */
  attempt: number;
  /** Messages in the batch. */
  size: number;
  /** Exactly-once only: the workflow's transaction already moved the group past the batch. */
  committedPast?: boolean;
  settings: PolicySettings;
  random?: () => number;
}

export type Decision =
  /** The batch counts as handled: its offsets may be committed. */
  | { kind: 'commit'; reason: 'success' | 'afterExecution' | 'committedByTransaction' }
  /** The trigger is closing and gave up waiting: leave it uncommitted (delivered again later). */
  | { kind: 'stop' }
  /** Run the two halves, `[0, middle)` and `[middle, size)`, as separate executions. */
  | { kind: 'bisect'; middle: number }
  /**
   * Pause the partition for `delayMs` and deliver the batch again. `exhausted`: max attempts reached
   * and there is no dead-letter topic, so it is retried (never dropped) for as long as it fails.
   */
  | { kind: 'retry'; delayMs: number; attempt: number; isolate: boolean; exhausted: boolean }
  /** Send to the dead-letter topic; if the topic refuses, retry after `delayMs`. */
  | { kind: 'deadLetter'; delayMs: number; attempt: number; isolate: boolean };

/** What to do before the execution starts. */
export type Plan =
  /** "Listen for test event": emit the first batch only, never commit. */
  | 'test'
  /** At-most-once: commit, then start the execution without waiting for it. */
  | 'commitThenEmit'
  /** Start the execution and wait for its result. */
  | 'execute';

export function planDelivery(mode: DeliveryMode, manual: boolean): Plan {
  if (manual) return 'test';
  return mode === 'onReceipt' ? 'commitThenEmit' : 'execute';
}

/** Whether the decision needs to know if a transaction already committed the batch's offsets (I/O). */
export function needsCommittedCheck(mode: DeliveryMode, result: ExecutionResult): boolean {
  return mode === 'exactlyOnce' && result.kind === 'failure';
}

export function retryDelay(attempt: number, settings: Pick<RunnerSettings, 'retryInitialMs' | 'retryMaxMs'>, random: () => number = Math.random): number {
  return backoffDelay(attempt, { initialMs: settings.retryInitialMs, maxMs: settings.retryMaxMs }, random);
}

export function decide(input: PolicyInput): Decision {
  const { mode, result, attempt, size, settings } = input;
  if (result.kind === 'abandoned') return { kind: 'stop' };
  if (result.kind === 'success') return { kind: 'commit', reason: 'success' };
  // At-least-once "after execution": a failed execution still counts as handled.
  if (mode === 'afterExecution') return { kind: 'commit', reason: 'afterExecution' };
  // The workflow's transactional Producer committed these offsets before something after it failed:
  // the output is visible, and running the messages again would duplicate it.
  if (mode === 'exactlyOnce' && input.committedPast) return { kind: 'commit', reason: 'committedByTransaction' };
  // Find the failing message instead of retrying (and dead-lettering) the good ones with it.
  if (settings.bisectFailures && size > 1) return { kind: 'bisect', middle: Math.ceil(size / 2) };
  const isolate = Boolean(settings.bisectFailures);
  const delayMs = retryDelay(attempt, settings, input.random);
  if (attempt < settings.maxAttempts) return { kind: 'retry', delayMs, attempt, isolate, exhausted: false };
  if (settings.deadLetterTopic) return { kind: 'deadLetter', delayMs, attempt, isolate };
  return { kind: 'retry', delayMs, attempt, isolate, exhausted: true };
}
