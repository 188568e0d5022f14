export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  multiplier?: number;
  /** Fraction of the delay randomised either way, so failing partitions do not retry in lock step. */
  jitter?: number;
}

/** Delay before attempt `attempt + 1` after `attempt` failures (1-based): initial × multiplier^(attempt−1), capped. */
export function backoffDelay(attempt: number, options: BackoffOptions, random = Math.random): number {
  const multiplier = options.multiplier ?? 2;
  const base = Math.min(options.maxMs, options.initialMs * multiplier ** Math.max(0, attempt - 1));
  const jitter = options.jitter ?? 0.2;
  const delta = base * jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(Math.min(options.maxMs, base + delta)));
}

/** Splits a fetched batch into executions of at most `size` messages, in order. */
export function chunk<T>(list: T[], size: number): T[][] {
  const step = Math.max(1, Math.floor(size));
  const chunks: T[][] = [];
  for (let start = 0; start < list.length; start += step) chunks.push(list.slice(start, start + step));
  return chunks;
}
