import { KafkaSuiteError, type SchemaRegistryClient, type SchemaFormat, type SubjectStrategy } from '../../shared';

export type ValueSource = 'json' | 'field' | 'string' | 'binary';
export type Serialization = 'json' | 'string' | 'avro' | 'protobuf' | 'jsonSchema';

export const REGISTRY_FORMATS: Record<string, SchemaFormat> = { avro: 'AVRO', protobuf: 'PROTOBUF', jsonSchema: 'JSON' };

export interface RegistrySettings {
  strategy: SubjectStrategy;
  /** 'latest' / 'version': use what the subject holds; 'schema': the schema text given here. */
  schemaSource: 'latest' | 'version' | 'schema';
  version?: number;
  schemaText?: string;
  autoRegister?: boolean;
  recordName?: string;
  messageName?: string;
}

export interface SerializedValue {
  value: Buffer | string | null;
  schemaId?: number;
  subject?: string;
  /** Confluent 8 header form: the `__key_schema_id` / `__value_schema_id` header to add. */
  schemaIdHeader?: { name: string; value: Buffer };
}

export type KeySerialization = 'string' | 'json' | 'binary' | 'avro' | 'protobuf' | 'jsonSchema';

function serializationError(message: string, field = 'value'): KafkaSuiteError {
  return new KafkaSuiteError(message, { kind: 'serialization', context: { field } });
}

// The last path's steps: an execution asks for the same Value Field on every item (a regex, a split
// and a filter per item were 3.6% of the Producer's samples in the bench profile, test/bench/notes.md).
let lastPath: string | undefined;
let lastSteps: string[] = [];
function stepsOf(path: string): string[] {
  if (path !== lastPath) {
    lastSteps = path
      .replace(/\[(\d+)\]/g, '.$1')
      .split('.')
      .filter(Boolean);
    lastPath = path;
  }
  return lastSteps;
}

/** `a.b.c` or `a[0].b` inside the item JSON; undefined when any step is missing. */
export function getField(json: unknown, path: string): unknown {
  const steps = stepsOf(path);
  let current: unknown = json;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** The value an item contributes, before serialization (binary sources are read by the caller). */
export function pickValue(json: Record<string, unknown>, source: Exclude<ValueSource, 'binary'>, field: string, text: unknown): unknown {
  if (source === 'json') return json;
  if (source === 'field') {
    if (!field) throw new KafkaSuiteError('Value Field is empty', { kind: 'config', context: { field: 'valueField' } });
    const value = getField(json, field);
    if (value === undefined) throw serializationError(`The item has no field "${field}"`, field);
    return value;
  }
  if (text === undefined || text === null) return '';
  return typeof text === 'string' ? text : JSON.stringify(text);
}

function asObject(value: unknown, format: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch (error) {
    throw serializationError(`A ${format} value given as text must be JSON: ${(error as Error).message}`);
  }
}

/** JSON and string values (no registry), synchronously; undefined for the other serialisations. */
export function plainValue(value: unknown, serialization: Serialization): SerializedValue | undefined {
  if (serialization === 'json') {
    if (typeof value === 'string') {
      // Text given for a JSON message must already be JSON, or consumers would get an unparseable value.
      try {
        JSON.parse(value);
      } catch (error) {
        throw serializationError(`The value is not valid JSON: ${(error as Error).message}`);
      }
      return { value };
    }
    return { value: value === undefined ? null : JSON.stringify(value) };
  }
  if (serialization === 'string') {
    if (value === null || value === undefined) return { value: null };
    return { value: typeof value === 'string' ? value : JSON.stringify(value) };
  }
  return undefined;
}

/**
 * Turns an item's value into message bytes. JSON and string need no registry; Avro, Protobuf and
 * JSON Schema values are validated against their schema and written in the Confluent wire format.
 */
export async function serializeValue(
  value: unknown,
  serialization: Serialization,
  options: { topic: string; registry?: SchemaRegistryClient; settings?: RegistrySettings; isKey?: boolean; schemaIdIn?: 'prefix' | 'header' },
): Promise<SerializedValue> {
  const plain = plainValue(value, serialization);
  if (plain) return plain;
  const format = REGISTRY_FORMATS[serialization];
  if (!format) throw new KafkaSuiteError(`Unknown serialization "${String(serialization)}"`, { kind: 'config', context: { field: 'serialization' } });
  if (!options.registry || !options.settings) {
    throw new KafkaSuiteError(`${serialization} needs the Schema Registry credential`, { kind: 'config', context: { field: 'serialization' } });
  }
  const settings = options.settings;
  const encoded = await options.registry.encode({
    value: asObject(value, serialization),
    format,
    topic: options.topic,
    isKey: options.isKey ?? false,
    schemaIdIn: options.schemaIdIn,
    strategy: settings.strategy,
    schema: settings.schemaSource === 'schema' ? settings.schemaText : undefined,
    autoRegister: settings.schemaSource === 'schema' ? Boolean(settings.autoRegister) : false,
    version: settings.schemaSource === 'version' ? settings.version : 'latest',
    recordName: settings.recordName || undefined,
    messageName: settings.messageName || undefined,
  });
  const schemaIdHeader = encoded.schemaIdHeader ? { name: options.isKey ? '__key_schema_id' : '__value_schema_id', value: encoded.schemaIdHeader } : undefined;
  return { value: encoded.buffer, schemaId: encoded.schemaId, subject: encoded.subject, schemaIdHeader };
}

/**
 * The message key: text (default), JSON, bytes given as base64 (what the Trigger's keyBase64
 * holds), or a Schema Registry format with the same strategies as values (subject `<topic>-key`).
 */
export async function serializeKey(
  key: unknown,
  serialization: KeySerialization,
  options: { topic: string; registry?: SchemaRegistryClient; settings?: RegistrySettings; schemaIdIn?: 'prefix' | 'header' },
): Promise<SerializedValue> {
  const plain = plainKey(key, serialization);
  if (plain) return plain;
  // plainKey took string, binary and JSON: what is left is a registry format (or an unknown one, refused there).
  return serializeValue(key, serialization as Serialization, { ...options, isKey: true });
}

/** String, binary and JSON keys (no registry), synchronously; undefined for the registry formats. */
export function plainKey(key: unknown, serialization: KeySerialization): SerializedValue | undefined {
  if (serialization === 'string' || !serialization) return { value: keyToWire(key) };
  if (key === undefined || key === null || key === '') return { value: null };
  if (serialization === 'binary') {
    if (Buffer.isBuffer(key)) return { value: key };
    const text = typeof key === 'string' ? key.replace(/\s+/g, '') : '';
    if (!text || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw serializationError('Key is marked binary but is not base64 text', 'key');
    return { value: Buffer.from(text, 'base64') };
  }
  if (serialization === 'json') return plainValue(key, 'json');
  return undefined;
}

export function keyToWire(key: unknown): string | null {
  if (key === undefined || key === null || key === '') return null;
  return typeof key === 'string' ? key : typeof key === 'object' ? JSON.stringify(key) : String(key);
}

/** Milliseconds since the epoch from a number, a numeric string or an ISO date; empty means "now". */
export function timestampToWire(input: unknown, now = Date.now()): string {
  if (input === undefined || input === null || input === '') return String(now);
  if (typeof input === 'number' && Number.isFinite(input) && input >= 0) return String(Math.trunc(input));
  if (typeof input === 'string') {
    if (/^\d+$/.test(input.trim())) return input.trim();
    const parsed = Date.parse(input);
    if (!Number.isNaN(parsed) && parsed >= 0) return String(parsed);
  }
  if (input instanceof Date && !Number.isNaN(input.getTime())) return String(input.getTime());
  throw new KafkaSuiteError(`Timestamp "${String(input)}" is neither epoch milliseconds nor an ISO 8601 date`, { kind: 'config', context: { field: 'timestamp' } });
}
