// Waiting for the execution a batch started: its result, or failure at the deadline, or "abandoned"
// once the trigger is closing and its grace period is over (the signal).
import type { IRun } from 'n8n-workflow';
import type { ExecutionResult } from './policy';
import { HEARTBEAT_EVERY_MS } from './settings';
import type { Timers } from './timers';

// Statuses after which a message counts as handled; "waiting" (a Wait node) is an execution that
// n8n will finish later on its own, so retrying it would only duplicate it.
const SUCCESS_STATUSES = new Set(['success', 'waiting']);

/** Where the workflow execution that handled a message can be found, when n8n tells us. */
export function executionIdOf(run: IRun | undefined): string | undefined {
  const candidate = (run as unknown as { id?: unknown; executionId?: unknown } | undefined) ?? {};
  const id = candidate.id ?? candidate.executionId;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/** An execution's end as n8n reports it through the done promise. */
export function runResult(run: IRun | undefined): ExecutionResult {
  // Recent n8n versions settle the done promise with undefined when the execution never ran.
  if (!run) return { kind: 'failure', error: 'n8n did not run the execution' };
  const status = run.status ?? (run.finished ? 'success' : 'error');
  if (SUCCESS_STATUSES.has(status)) return { kind: 'success' };
  const error = (run.data?.resultData?.error as { message?: string } | undefined)?.message ?? `The execution ended with status "${status}"`;
  return { kind: 'failure', error, executionId: executionIdOf(run) };
}

/**
 * One abort for every running wait of an activation. Each wait gets a signal of its own: listeners
 * piled on one long-lived AbortSignal make Node print MaxListenersExceededWarning past 10 partitions.
 */
export class Abandon {
  private aborted = false;
  private readonly waits = new Set<AbortController>();

  /** A signal for one wait; `release` when the wait is over. */
  signal(): { signal: AbortSignal; release(): void } {
    const controller = new AbortController();
    if (this.aborted) controller.abort();
    else this.waits.add(controller);
    return { signal: controller.signal, release: () => void this.waits.delete(controller) };
  }

  abort(): void {
    this.aborted = true;
    for (const controller of this.waits) controller.abort();
    this.waits.clear();
  }
}

export interface WaitOptions {
  /** The workflow timeout plus a margin (settings.executionDeadlineMs). */
  deadlineMs: number;
  /** Aborted when the trigger gives up on running executions (closing, after the grace period). */
  signal: AbortSignal;
  /** Keeps the group membership alive while the workflow runs. */
  heartbeat: () => Promise<void>;
  timers: Timers;
  /** Called every SLOW_EXECUTION_NOTE_MS while n8n has not answered (how long so far). */
  onSlow?: (waitedMs: number) => void;
}

/** A partition held by one execution for this long is worth a log line (and again at each multiple). */
export const SLOW_EXECUTION_NOTE_MS = 60_000;

export async function waitForExecution(done: Promise<IRun | undefined>, options: WaitOptions): Promise<ExecutionResult> {
  const { deadlineMs, signal, heartbeat, timers, onSlow } = options;
  if (signal.aborted) return { kind: 'abandoned' };
  const stopBeat = timers.every(HEARTBEAT_EVERY_MS, () => void heartbeat().catch(() => undefined));
  let waited = 0;
  const stopNotes = onSlow ? timers.every(SLOW_EXECUTION_NOTE_MS, () => onSlow((waited += SLOW_EXECUTION_NOTE_MS))) : () => undefined;
  const finished = new AbortController();
  let onAbort!: () => void;
  const abandoned = new Promise<ExecutionResult>((resolve) => {
    onAbort = () => resolve({ kind: 'abandoned' });
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race<ExecutionResult>([
      done.then(runResult, (error: Error) => ({ kind: 'failure', error: error?.message ?? 'The execution failed' })),
      abandoned,
      // Not knowing is not success: the messages go round again (a duplicate at worst, never a loss).
      timers.delay(deadlineMs, finished.signal).then(() => ({ kind: 'failure', error: `n8n reported no result for the execution within ${Math.round(deadlineMs / 1000)} s` })),
    ]);
  } finally {
    stopBeat();
    stopNotes();
    finished.abort();
    signal.removeEventListener('abort', onAbort);
  }
}
