import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { toKafkaSuiteError, type IHeaders, type KafkaMessage, type SchemaRegistryClient } from '../../shared';

export type ValueFormat = 'json' | 'string' | 'binary' | 'schemaRegistry';

export interface DecodeOptions {
  valueFormat: ValueFormat;
  rawHeaders: boolean;
  binaryPropertyName: string;
  registry?: SchemaRegistryClient;
  prepareBinaryData: (buffer: Buffer, fileName?: string, mimeType?: string) => Promise<IBinaryData>;
  /** Added in exactly-once mode: where the message came from, for the Producer's sendOffsets. */
  source?: { groupId: string };
}

type HeaderValue = Buffer | string | Array<Buffer | string> | undefined;

const asBuffer = (value: Buffer | string): Buffer => (Buffer.isBuffer(value) ? value : Buffer.from(value));

/** Header values as UTF-8 text (repeated headers as arrays), and base64 when raw bytes are asked for. */
export function decodeHeaders(headers: IHeaders | undefined, raw: boolean): { headers: IDataObject; headersRaw?: IDataObject } {
  const text: IDataObject = {};
  const bytes: IDataObject = {};
  for (const [name, value] of Object.entries(headers ?? {}) as Array<[string, HeaderValue]>) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      text[name] = value.map((single) => asBuffer(single).toString('utf8'));
      if (raw) bytes[name] = value.map((single) => asBuffer(single).toString('base64'));
    } else {
      text[name] = asBuffer(value).toString('utf8');
      if (raw) bytes[name] = asBuffer(value).toString('base64');
    }
  }
  return raw ? { headers: text, headersRaw: bytes } : { headers: text };
}

function baseItem(topic: string, partition: number, message: KafkaMessage, options: DecodeOptions): INodeExecutionData {
  const timestampMs = Number(message.timestamp);
  const json: IDataObject = {
    topic,
    partition,
    offset: message.offset,
    timestamp: Number.isFinite(timestampMs) && timestampMs >= 0 ? new Date(timestampMs).toISOString() : null,
    timestampMs,
    key: message.key === null || message.key === undefined ? null : message.key.toString('utf8'),
    ...decodeHeaders(message.headers, options.rawHeaders),
  };
  if (options.source) json.kafkaSource = { groupId: options.source.groupId, topic, partition, offset: message.offset };
  return { json };
}

function decodeText(json: IDataObject, value: Buffer, format: ValueFormat): void {
  const text = value.toString('utf8');
  if (format === 'string') {
    json.value = text;
    return;
  }
  try {
    json.value = JSON.parse(text);
  } catch (error) {
    json.value = text;
    json.decodeError = `Not JSON: ${(error as Error).message}`;
  }
}

/** JSON and text values need no I/O: decoded without a promise per message (the trigger's hot path). */
export function decodeMessageSync(topic: string, partition: number, message: KafkaMessage, options: DecodeOptions): INodeExecutionData {
  const item = baseItem(topic, partition, message, options);
  if (message.value === null || message.value === undefined) item.json.value = null;
  else decodeText(item.json, message.value, options.valueFormat);
  return item;
}

/** One output item per message: coordinates, key, headers and the decoded value. */
export async function decodeMessage(topic: string, partition: number, message: KafkaMessage, options: DecodeOptions): Promise<INodeExecutionData> {
  const item = baseItem(topic, partition, message, options);
  const json = item.json;
  const value = message.value;
  if (value === null || value === undefined) {
    json.value = null;
    return item;
  }
  switch (options.valueFormat) {
    case 'binary':
      item.binary = { [options.binaryPropertyName || 'data']: await options.prepareBinaryData(value) };
      json.valueSize = value.length;
      break;
    case 'schemaRegistry':
      try {
        if (!options.registry) throw new Error('no Schema Registry credential');
        const decoded = await options.registry.decode(value, { preferSubjects: [`${topic}-value`] });
        json.value = decoded.value as IDataObject;
        json.schemaId = decoded.schemaId;
        json.schemaType = decoded.schemaType;
        json.subject = decoded.subject ?? null;
      } catch (error) {
        // A value that cannot be decoded still reaches the workflow, with its bytes and the reason.
        json.value = null;
        json.valueBase64 = value.toString('base64');
        json.decodeError = toKafkaSuiteError(error).message;
      }
      break;
    default:
      decodeText(json, value, options.valueFormat);
  }
  return item;
}
