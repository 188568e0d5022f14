import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { isUtf8, toKafkaSuiteError, type SchemaRegistryClient } from '../../shared';
import type { ConsumedRecord, GroupMemberMetadata, ReceivedHeaders } from '../../shared/kafka/api';

export type ValueFormat = 'json' | 'string' | 'binary' | 'schemaRegistry';
export type KeyFormat = 'string' | 'json' | 'binary' | 'schemaRegistry';

export interface DecodeOptions {
  valueFormat: ValueFormat;
  /** Defaults to 'string' (UTF-8 text, with keyBase64 added when the bytes are not valid UTF-8). */
  keyFormat?: KeyFormat;
  rawHeaders: boolean;
  binaryPropertyName: string;
  /** Binary property for the key when Key Format is Binary. */
  keyBinaryPropertyName?: string;
  registry?: SchemaRegistryClient;
  /** Avro logical types as natural JSON (ISO dates, decimal strings) or as their raw encoded values. */
  logicalTypes?: 'natural' | 'raw';
  prepareBinaryData: (buffer: Buffer, fileName?: string, mimeType?: string) => Promise<IBinaryData>;
  /**
   * Added in exactly-once mode: where the message came from, for the Producer's sendOffsets, with
   * the group member that owned the partition when it was fetched (KIP-447: the broker refuses the
   * offsets of a member fenced by a rebalance since, so a zombie execution cannot commit output).
   */
  source?: { groupId: string; member?: GroupMemberMetadata };
}

// Confluent 8 wire format: the schema id may travel in these headers instead of a payload prefix.
export const KEY_SCHEMA_ID_HEADER = '__key_schema_id';
export const VALUE_SCHEMA_ID_HEADER = '__value_schema_id';

type HeaderValue = Buffer | string | null | Array<Buffer | string | null> | undefined;

const asBuffer = (value: Buffer | string): Buffer => (Buffer.isBuffer(value) ? value : Buffer.from(value));
const headerText = (value: Buffer | string | null): string | null => (value === null || value === undefined ? null : asBuffer(value).toString('utf8'));
const headerBase64 = (value: Buffer | string | null): string | null => (value === null || value === undefined ? null : asBuffer(value).toString('base64'));

/**
 * A plain property even for names such as `__proto__`: header names come from whoever produced the
 * message, and an assignment would change the object's prototype instead of adding a field.
 */
function setOwn(target: IDataObject, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Header values as UTF-8 text (repeated headers as arrays, null values as null), and base64 when
 * raw bytes are asked for. Kafka allows null header values; they must never stop decoding.
 */
export function decodeHeaders(headers: ReceivedHeaders | undefined, raw: boolean): { headers: IDataObject; headersRaw?: IDataObject } {
  const text: IDataObject = {};
  const bytes: IDataObject = {};
  for (const [name, original] of Object.entries(headers ?? {}) as Array<[string, HeaderValue]>) {
    const value = headerValues(original);
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      setOwn(text, name, value.map(headerText));
      if (raw) setOwn(bytes, name, value.map(headerBase64));
    } else {
      setOwn(text, name, headerText(value));
      if (raw) setOwn(bytes, name, headerBase64(value));
    }
  }
  return raw ? { headers: text, headersRaw: bytes } : { headers: text };
}

const isHeaderValue = (value: unknown): value is Buffer | string | null => value === null || Buffer.isBuffer(value) || typeof value === 'string';

/**
 * Only real header values: the consumer already drops anything else (a client that parses a header
 * named `__proto__` into [prototype member, value]), but decoding must never throw on a record
 * built some other way.
 */
function headerValues(value: unknown): HeaderValue {
  if (!Array.isArray(value)) return isHeaderValue(value) ? value : undefined;
  const kept = value.filter(isHeaderValue);
  if (kept.length === value.length) return kept;
  return kept.length === 1 ? kept[0] : kept.length ? kept : undefined;
}

/** The last value of a header as bytes (Confluent's deserializers also take the last one). */
export function headerBytes(headers: ReceivedHeaders | undefined, name: string): Buffer | undefined {
  if (!headers || !Object.prototype.hasOwnProperty.call(headers, name)) return undefined;
  const value = headerValues((headers as Record<string, unknown>)[name]);
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return last === null || last === undefined ? undefined : asBuffer(last);
}

function addError(json: IDataObject, message: string): void {
  json.decodeError = json.decodeError ? `${String(json.decodeError)}; ${message}` : message;
}

function baseItem(topic: string, partition: number, message: ConsumedRecord, options: DecodeOptions): INodeExecutionData {
  const timestampMs = Number(message.timestamp);
  const json: IDataObject = {
    topic,
    partition,
    offset: message.offset,
    timestamp: Number.isFinite(timestampMs) && timestampMs >= 0 ? new Date(timestampMs).toISOString() : null,
    timestampMs: Number.isFinite(timestampMs) ? timestampMs : null,
    key: null,
    ...decodeHeaders(message.headers, options.rawHeaders),
  };
  if (options.source) {
    const { groupId, member } = options.source;
    json.kafkaSource = { groupId, topic, partition, offset: message.offset, ...(member ? { member: { ...member } } : {}) };
  }
  return { json };
}

/** Keys that need no I/O. Text keys that are not valid UTF-8 also get keyBase64, so no byte is lost. */
function decodeKeySync(json: IDataObject, key: Buffer, format: KeyFormat): void {
  if (format === 'binary') {
    json.keyBase64 = key.toString('base64');
    return;
  }
  const valid = isUtf8(key);
  const text = key.toString('utf8');
  if (!valid) json.keyBase64 = key.toString('base64');
  if (format === 'json') {
    try {
      json.key = JSON.parse(text);
    } catch (error) {
      json.key = text;
      json.keyBase64 = key.toString('base64');
      addError(json, `Key is not JSON: ${(error as Error).message}`);
    }
    return;
  }
  json.key = text;
}

function decodeText(json: IDataObject, value: Buffer, format: ValueFormat): void {
  const text = value.toString('utf8');
  if (format === 'string') {
    json.value = text;
    if (!isUtf8(value)) json.valueBase64 = value.toString('base64');
    return;
  }
  try {
    json.value = JSON.parse(text);
  } catch (error) {
    json.value = text;
    if (!isUtf8(value)) json.valueBase64 = value.toString('base64');
    addError(json, value.length === 0 ? 'Not JSON: the value is empty' : `Not JSON: ${(error as Error).message}`);
  }
}

/** Whether a message can be decoded without I/O (no registry, no binary data store). */
export function decodesSync(options: DecodeOptions): boolean {
  const keyFormat = options.keyFormat ?? 'string';
  return (options.valueFormat === 'json' || options.valueFormat === 'string') && (keyFormat === 'string' || keyFormat === 'json');
}

/**
 * The item a message becomes when even the fallback failed: coordinates, raw bytes and the reason.
 * Never throws, so no message can stop its partition.
 */
function undecodable(topic: string, partition: number, message: ConsumedRecord, error: unknown): INodeExecutionData {
  const safe = (fn: () => unknown) => {
    try {
      return fn();
    } catch {
      return null;
    }
  };
  const bytes = (value: unknown) => (Buffer.isBuffer(value) ? value.toString('base64') : null);
  return {
    json: {
      topic,
      partition,
      offset: String(safe(() => message.offset) ?? ''),
      key: null,
      keyBase64: bytes(safe(() => message.key)),
      value: null,
      valueBase64: bytes(safe(() => message.value)),
      headers: {},
      decodeError: `Message could not be decoded: ${String(safe(() => toKafkaSuiteError(error).message) ?? 'unknown error')}`,
    },
  };
}

/** JSON and text values need no I/O: decoded without a promise per message (the trigger's hot path). */
export function decodeMessageSync(topic: string, partition: number, message: ConsumedRecord, options: DecodeOptions): INodeExecutionData {
  try {
    const item = baseItem(topic, partition, message, options);
    if (message.key !== null && message.key !== undefined) decodeKeySync(item.json, message.key, options.keyFormat === 'json' ? 'json' : 'string');
    if (message.value === null || message.value === undefined) item.json.value = null;
    else decodeText(item.json, message.value, options.valueFormat);
    return item;
  } catch (error) {
    return undecodable(topic, partition, message, error);
  }
}

async function decodeRegistry(
  json: IDataObject,
  bytes: Buffer,
  side: 'key' | 'value',
  topic: string,
  message: ConsumedRecord,
  options: DecodeOptions,
): Promise<void> {
  try {
    if (!options.registry) throw new Error('no Schema Registry credential');
    const decoded = await options.registry.decode(bytes, {
      preferSubjects: [`${topic}-${side}`],
      schemaIdHeader: headerBytes(message.headers, side === 'key' ? KEY_SCHEMA_ID_HEADER : VALUE_SCHEMA_ID_HEADER),
      logicalTypes: options.logicalTypes,
    });
    json[side] = decoded.value as IDataObject;
    const prefix = side === 'key' ? 'keySchema' : 'schema';
    json[`${prefix}Id`] = decoded.schemaId;
    json[`${prefix}Type`] = decoded.schemaType;
    json[side === 'key' ? 'keySubject' : 'subject'] = decoded.subject ?? null;
  } catch (error) {
    // An undecodable key or value still reaches the workflow, with its bytes and the reason.
    json[side] = null;
    json[`${side}Base64`] = bytes.toString('base64');
    addError(json, `${side === 'key' ? 'Key' : 'Value'}: ${toKafkaSuiteError(error).message}`);
  }
}

/** One output item per message: coordinates, key, headers and the decoded value. Never throws. */
export async function decodeMessage(topic: string, partition: number, message: ConsumedRecord, options: DecodeOptions): Promise<INodeExecutionData> {
  try {
    const item = baseItem(topic, partition, message, options);
    const json = item.json;
    const keyFormat = options.keyFormat ?? 'string';
    const key = message.key;
    if (key !== null && key !== undefined) {
      if (keyFormat === 'schemaRegistry') await decodeRegistry(json, key, 'key', topic, message, options);
      else decodeKeySync(json, key, keyFormat);
      if (keyFormat === 'binary') {
        item.binary = { [options.keyBinaryPropertyName || 'key']: await options.prepareBinaryData(key) };
      }
    }
    const value = message.value;
    if (value === null || value === undefined) {
      json.value = null;
      return item;
    }
    switch (options.valueFormat) {
      case 'binary':
        item.binary = { ...(item.binary ?? {}), [options.binaryPropertyName || 'data']: await options.prepareBinaryData(value) };
        json.valueSize = value.length;
        break;
      case 'schemaRegistry':
        await decodeRegistry(json, value, 'value', topic, message, options);
        break;
      default:
        decodeText(json, value, options.valueFormat);
    }
    return item;
  } catch (error) {
    return undecodable(topic, partition, message, error);
  }
}

/** A batch of one partition, in order, with the synchronous path when no I/O is needed. */
export async function decodeMessages(topic: string, partition: number, messages: ConsumedRecord[], options: DecodeOptions): Promise<INodeExecutionData[]> {
  const items: INodeExecutionData[] = [];
  if (decodesSync(options)) {
    for (const message of messages) items.push(decodeMessageSync(topic, partition, message, options));
  } else {
    for (const message of messages) items.push(await decodeMessage(topic, partition, message, options));
  }
  return items;
}
