// The delivery policy, branch by branch, and the execution waiter's deadline and abort.
import { getEventListeners } from 'node:events';
import type { IRun } from 'n8n-workflow';
import { decide, needsCommittedCheck, planDelivery, type ExecutionResult, type PolicyInput } from '../../nodes/KafkaSuiteTrigger/v1/policy';
import { Timers } from '../../nodes/KafkaSuiteTrigger/v1/timers';
import { Abandon, runResult, waitForExecution } from '../../nodes/KafkaSuiteTrigger/v1/waiter';
import { waitFor } from '../helpers/n8nContext';

const failure: ExecutionResult = { kind: 'failure', error: 'boom' };
const base: PolicyInput = {
  mode: 'afterSuccess',
  result: failure,
  attempt: 1,
  size: 1,
  settings: { maxAttempts: 3, retryInitialMs: 100, retryMaxMs: 1000 },
  random: () => 0.5,
};
const run = (extra: Partial<PolicyInput>) => decide({ ...base, ...extra, settings: { ...base.settings, ...extra.settings } });

describe('delivery policy', () => {
  test('before the execution: a test listen, at-most-once, or run and wait', () => {
    expect(planDelivery('afterSuccess', true)).toBe('test');
    expect(planDelivery('onReceipt', true)).toBe('test');
    expect(planDelivery('onReceipt', false)).toBe('commitThenEmit');
    for (const mode of ['afterSuccess', 'afterExecution', 'exactlyOnce'] as const) expect(planDelivery(mode, false)).toBe('execute');
  });

  test('a success commits in every mode', () => {
    for (const mode of ['afterSuccess', 'afterExecution', 'exactlyOnce'] as const) expect(run({ mode, result: { kind: 'success' } })).toEqual({ kind: 'commit', reason: 'success' });
  });

  test('an abandoned wait (closing) stops without committing, whatever the attempts', () => {
    expect(run({ result: { kind: 'abandoned' }, attempt: 99 })).toEqual({ kind: 'stop' });
  });

  test('"after execution" commits a failure too', () => {
    expect(run({ mode: 'afterExecution' })).toEqual({ kind: 'commit', reason: 'afterExecution' });
  });

  test('exactly-once: a failure whose transaction already committed is not run again', () => {
    expect(needsCommittedCheck('exactlyOnce', failure)).toBe(true);
    expect(needsCommittedCheck('exactlyOnce', { kind: 'success' })).toBe(false);
    expect(needsCommittedCheck('afterSuccess', failure)).toBe(false);
    expect(run({ mode: 'exactlyOnce', committedPast: true })).toEqual({ kind: 'commit', reason: 'committedByTransaction' });
    expect(run({ mode: 'exactlyOnce', committedPast: false }).kind).toBe('retry');
    // Only exactly-once trusts the transaction's commit.
    expect(run({ mode: 'afterSuccess', committedPast: true }).kind).toBe('retry');
  });

  test('isolating failing messages bisects a failed batch, and retries a single message alone', () => {
    expect(run({ size: 8, settings: { bisectFailures: true } as any })).toEqual({ kind: 'bisect', middle: 4 });
    expect(run({ size: 3, settings: { bisectFailures: true } as any })).toEqual({ kind: 'bisect', middle: 2 });
    expect(run({ size: 1, settings: { bisectFailures: true } as any })).toEqual({ kind: 'retry', delayMs: 100, attempt: 1, isolate: true, exhausted: false });
    expect(run({ size: 8 })).toMatchObject({ kind: 'retry', isolate: false });
  });

  test('retries with a growing delay below Max Attempts', () => {
    expect([1, 2].map((attempt) => run({ attempt }))).toEqual([
      { kind: 'retry', delayMs: 100, attempt: 1, isolate: false, exhausted: false },
      { kind: 'retry', delayMs: 200, attempt: 2, isolate: false, exhausted: false },
    ]);
  });

  test('at Max Attempts: dead-letter when a topic is set, else retry for ever (never drop)', () => {
    expect(run({ attempt: 3, settings: { deadLetterTopic: 'dlq' } as any })).toEqual({ kind: 'deadLetter', delayMs: 400, attempt: 3, isolate: false });
    expect(run({ attempt: 5, settings: { deadLetterTopic: 'dlq' } as any })).toEqual({ kind: 'deadLetter', delayMs: 1000, attempt: 5, isolate: false });
    expect(run({ attempt: 3 })).toEqual({ kind: 'retry', delayMs: 400, attempt: 3, isolate: false, exhausted: true });
  });
});

describe('execution waiter', () => {
  const timers = new Timers();
  afterEach(() => timers.cancelAll());
  const options = (extra: Partial<Parameters<typeof waitForExecution>[1]> = {}) => ({ deadlineMs: 10_000, signal: new AbortController().signal, heartbeat: async () => undefined, timers, ...extra });

  test('n8n statuses: success and waiting are handled; anything else fails with the workflow error', () => {
    expect(runResult({ status: 'success' } as IRun)).toEqual({ kind: 'success' });
    expect(runResult({ status: 'waiting' } as IRun)).toEqual({ kind: 'success' });
    expect(runResult({ finished: true } as IRun)).toEqual({ kind: 'success' });
    expect(runResult(undefined)).toEqual({ kind: 'failure', error: 'n8n did not run the execution' });
    expect(runResult({ status: 'error', id: 42, data: { resultData: { error: { message: 'node failed' } } } } as unknown as IRun)).toEqual({ kind: 'failure', error: 'node failed', executionId: '42' });
    expect(runResult({ status: 'crashed', data: { resultData: {} } } as unknown as IRun)).toEqual({ kind: 'failure', error: 'The execution ended with status "crashed"', executionId: undefined });
  });

  test('a rejected done promise is a failure', async () => {
    expect(await waitForExecution(Promise.reject(new Error('worker died')), options())).toEqual({ kind: 'failure', error: 'worker died' });
  });

  test('no result by the deadline is a failure, and the heartbeat ran meanwhile', async () => {
    const started = Date.now();
    const result = await waitForExecution(new Promise<IRun>(() => undefined), options({ deadlineMs: 300 }));
    expect(result).toEqual({ kind: 'failure', error: 'n8n reported no result for the execution within 0 s' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(timers.size).toBe(0);
  });

  test('aborting the signal ends the wait as abandoned, and an aborted signal does not wait at all', async () => {
    const controller = new AbortController();
    const waiting = waitForExecution(new Promise<IRun>(() => undefined), options({ signal: controller.signal }));
    controller.abort();
    expect(await waiting).toEqual({ kind: 'abandoned' });
    expect(timers.size).toBe(0);
    expect(await waitForExecution(new Promise<IRun>(() => undefined), options({ signal: controller.signal }))).toEqual({ kind: 'abandoned' });
  });

  test('a long wait is noted every minute (a lost execution must not look like an idle trigger), and the notes end with the wait', async () => {
    jest.useFakeTimers();
    try {
      const notes: number[] = [];
      let finish!: (run: IRun) => void;
      const waiting = waitForExecution(new Promise<IRun>((resolve) => (finish = resolve)), options({ deadlineMs: 3_600_000, onSlow: (ms) => notes.push(ms) }));
      await jest.advanceTimersByTimeAsync(150_000);
      expect(notes).toEqual([60_000, 120_000]);
      finish({ status: 'success' } as IRun);
      expect(await waiting).toEqual({ kind: 'success' });
      await jest.advanceTimersByTimeAsync(120_000);
      expect(notes).toEqual([60_000, 120_000]);
      expect(timers.size).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  test('the heartbeat keeps the membership alive while the workflow runs; its failure does not end the wait', async () => {
    let beats = 0;
    let finish!: (run: IRun) => void;
    const waiting = waitForExecution(new Promise<IRun>((resolve) => (finish = resolve)), options({ heartbeat: async () => Promise.reject(new Error(`rebalancing ${++beats}`)) }));
    // HEARTBEAT_EVERY_MS is 3 s: wait for one beat, then let the execution end.
    await waitFor(() => beats >= 1, { timeoutMs: 5000, what: 'a heartbeat' });
    finish({ status: 'success' } as IRun);
    expect(await waiting).toEqual({ kind: 'success' });
  });

  test('closing abandons many waits at once, each on a signal of its own (Node warns past 10 listeners on one AbortSignal)', async () => {
    const never = () => new Promise<IRun>(() => undefined);
    const abandon = new Abandon();
    const signals: AbortSignal[] = [];
    const waits = Array.from({ length: 20 }, () => {
      const { signal, release } = abandon.signal();
      signals.push(signal);
      return waitForExecution(never(), options({ signal })).finally(release);
    });
    expect(Math.max(...signals.map((signal) => getEventListeners(signal, 'abort').length))).toBe(1);
    abandon.abort();
    expect(await Promise.all(waits)).toEqual(Array.from({ length: 20 }, () => ({ kind: 'abandoned' })));
    expect(signals.map((signal) => getEventListeners(signal, 'abort').length)).toEqual(Array.from({ length: 20 }, () => 0));
    // A wait that starts after closing is abandoned at once.
    expect(await waitForExecution(never(), options({ signal: abandon.signal().signal }))).toEqual({ kind: 'abandoned' });
    expect(timers.size).toBe(0);
  });
});
