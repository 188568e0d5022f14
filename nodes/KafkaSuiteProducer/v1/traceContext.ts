import { randomBytes } from 'node:crypto';

// W3C Trace Context (https://www.w3.org/TR/trace-context/): version 00, 16-byte trace id,
// 8-byte parent (span) id, flags. All-zero ids are invalid by the spec.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface TraceParent {
  traceId: string;
  spanId: string;
  flags: string;
}

export function parseTraceparent(value: unknown): TraceParent | undefined {
  const text = Buffer.isBuffer(value) ? value.toString('utf8') : Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string') return undefined;
  const match = TRACEPARENT.exec(text.trim().toLowerCase());
  if (!match || match[1] === 'ff') return undefined;
  const [, , traceId, spanId, flags] = match;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, flags };
}

function nonZeroHex(bytes: number): string {
  for (;;) {
    const hex = randomBytes(bytes).toString('hex');
    if (!/^0+$/.test(hex)) return hex;
  }
}

/** The incoming item's trace, looked up where our Trigger (headers) or a webhook/HTTP item would carry it. */
export function incomingTrace(json: Record<string, unknown>): TraceParent | undefined {
  const headers = json.headers as Record<string, unknown> | undefined;
  return parseTraceparent(headers?.traceparent) ?? parseTraceparent(json.traceparent);
}

/**
 * The `traceparent` for an outgoing message: a new span in the incoming item's trace when it has
 * one (keeping its sampled flag), otherwise a new sampled trace.
 */
export function nextTraceparent(parent?: TraceParent): string {
  const traceId = parent?.traceId ?? nonZeroHex(16);
  const flags = parent?.flags ?? '01';
  return `00-${traceId}-${nonZeroHex(8)}-${flags}`;
}
