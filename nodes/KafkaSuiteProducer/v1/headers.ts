import { KafkaSuiteError, type OutgoingHeaders } from '../../shared';

export interface HeaderEntry {
  name: string;
  value: string;
  /** 'string' sends the text as UTF-8; 'binary' decodes it from base64 first. */
  type?: 'string' | 'binary';
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function headerError(message: string, name?: string): KafkaSuiteError {
  return new KafkaSuiteError(message, { kind: 'serialization', context: { field: name ? `headers.${name}` : 'headers' } });
}

function fromBase64(name: string, text: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) throw headerError(`Header "${name}" is marked binary but its value is not base64`, name);
  return Buffer.from(compact, 'base64');
}

/** Headers from the node's list: one entry per name/value; a repeated name becomes a multi-value header. */
export function headersFromList(entries: HeaderEntry[]): OutgoingHeaders {
  const headers: OutgoingHeaders = {};
  for (const entry of entries) {
    const name = entry.name?.trim();
    if (!name) throw headerError('A header has an empty name');
    if (typeof entry.value !== 'string') throw headerError(`Header "${name}" must be a string, got ${describeType(entry.value)}`, name);
    const value: string | Buffer = entry.type === 'binary' ? fromBase64(name, entry.value) : entry.value;
    addHeader(headers, name, value);
  }
  return headers;
}

/**
 * Headers from JSON: `{ "name": "text" }`, `{ "name": { "base64": "..." } }` for bytes, or an array of
 * those for repeated headers. Numbers, booleans and other objects are refused rather than
 * stringified, because a consumer would read them back as text of a different type.
 */
export function headersFromJson(input: unknown): OutgoingHeaders {
  let parsed = input;
  if (typeof input === 'string') {
    if (!input.trim()) return {};
    try {
      parsed = JSON.parse(input);
    } catch (error) {
      throw headerError(`Headers (JSON) is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw headerError(`Headers (JSON) must be an object of name → value, got ${describeType(parsed)}`);
  const headers: OutgoingHeaders = {};
  for (const [name, raw] of Object.entries(parsed as Record<string, unknown>)) {
    const values = Array.isArray(raw) ? raw : [raw];
    for (const value of values) addHeader(headers, name, headerValue(name, value));
  }
  return headers;
}

function headerValue(name: string, value: unknown): string | Buffer {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value;
  if (value && typeof value === 'object' && typeof (value as { base64?: unknown }).base64 === 'string') {
    return fromBase64(name, (value as { base64: string }).base64);
  }
  throw headerError(`Header "${name}" must be a string or { "base64": "..." }, got ${describeType(value)}`, name);
}

function addHeader(headers: OutgoingHeaders, name: string, value: string | Buffer | null): void {
  const existing = headers[name];
  if (existing === undefined) headers[name] = value;
  else headers[name] = [...(Array.isArray(existing) ? existing : [existing]), value];
}

export function mergeHeaders(base: OutgoingHeaders, extra: OutgoingHeaders): OutgoingHeaders {
  const merged: OutgoingHeaders = { ...base };
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) continue;
    for (const single of Array.isArray(value) ? value : [value]) addHeader(merged, name, single);
  }
  return merged;
}

/** Bytes the headers take on the wire (names + values), for the size estimate. */
export function headersSize(headers: OutgoingHeaders | undefined): number {
  let total = 0;
  for (const [name, value] of Object.entries(headers ?? {})) {
    for (const single of Array.isArray(value) ? value : [value]) {
      if (single === undefined || single === null) continue;
      total += Buffer.byteLength(name) + (Buffer.isBuffer(single) ? single.length : Buffer.byteLength(String(single))) + 10;
    }
  }
  return total;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}
