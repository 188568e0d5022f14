// The Trigger's only timers, in one file (scanner-allowlisted): retry pauses, crash backoff, the
// close grace period, heartbeats and execution deadlines. A trigger is a long-running listener, not
// an execution, so n8n-workflow's sleep() (no cancel, no interval) does not fit.

/** Timers that one Trigger activation owns and cancels all at once when it closes. */
export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();

  /** Pending one-shot timers (the close path leaves none). */
  get size(): number {
    return this.pending.size;
  }

  /** Runs `fn` after `delayMs` unless cancelled; returns the cancel function. */
  later(delayMs: number, fn: () => void): () => void {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      fn();
    }, Math.max(0, delayMs));
    this.pending.add(timer);
    return () => {
      clearTimeout(timer);
      this.pending.delete(timer);
    };
  }

  /** Runs `fn` every `intervalMs` until the returned function is called. */
  every(intervalMs: number, fn: () => void): () => void {
    const interval = setInterval(fn, intervalMs);
    return () => clearInterval(interval);
  }

  /** Resolves true after `delayMs`, or false as soon as `signal` aborts; leaves no listener behind. */
  delay(delayMs: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        cancel();
        resolve(false);
      };
      const cancel = this.later(delayMs, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  cancelAll(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
