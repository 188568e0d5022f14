import { KafkaSuiteError } from '../errors';
import { protoRecordName } from './protobuf';

export type SubjectStrategy = 'topicName' | 'recordName' | 'topicRecordName';
export type SchemaFormat = 'AVRO' | 'PROTOBUF' | 'JSON';

/**
 * Subject naming as Confluent defines it. TopicName (`<topic>-value` / `<topic>-key`) is the default
 * of every Confluent client; the JS client and n8n's built-in node default to record names instead,
 * which silently splits subjects between tools, so we default to TopicName.
 */
export function subjectFor(strategy: SubjectStrategy, topic: string | undefined, isKey: boolean, recordName: string | undefined): string {
  const suffix = isKey ? 'key' : 'value';
  switch (strategy) {
    case 'topicName':
      if (!topic) throw new KafkaSuiteError('TopicName subject strategy needs a topic', { kind: 'config', context: { field: 'topic' } });
      return `${topic}-${suffix}`;
    case 'recordName':
      if (!recordName) throw new KafkaSuiteError('RecordName subject strategy needs a record name (from the schema or given)', { kind: 'config', context: { field: 'recordName' } });
      return recordName;
    case 'topicRecordName':
      if (!topic || !recordName) {
        throw new KafkaSuiteError('TopicRecordName subject strategy needs a topic and a record name', { kind: 'config', context: { field: topic ? 'recordName' : 'topic' } });
      }
      return `${topic}-${recordName}`;
    default:
      throw new KafkaSuiteError(`Unknown subject strategy "${String(strategy)}"`, { kind: 'config', context: { field: 'subjectStrategy' } });
  }
}

/** The fully-qualified record name a schema declares: Avro namespace.name, Protobuf package.Message, JSON Schema title. */
export function recordNameOf(format: SchemaFormat, schemaText: string, messageName?: string): string | undefined {
  if (format === 'AVRO') {
    let parsed: { name?: string; namespace?: string };
    try {
      parsed = JSON.parse(schemaText);
    } catch (cause) {
      throw new KafkaSuiteError(`The Avro schema is not valid JSON: ${(cause as Error).message}`, { kind: 'config', cause, context: { field: 'schema' } });
    }
    if (!parsed.name) return undefined;
    return parsed.name.includes('.') || !parsed.namespace ? parsed.name : `${parsed.namespace}.${parsed.name}`;
  }
  // Confluent names a nested message by its full path (pkg.Outer.Inner), also when given by its short name.
  if (format === 'PROTOBUF') return protoRecordName(schemaText, messageName);
  try {
    const parsed = JSON.parse(schemaText) as { title?: string };
    return parsed.title;
  } catch (cause) {
    throw new KafkaSuiteError(`The JSON Schema is not valid JSON: ${(cause as Error).message}`, { kind: 'config', cause, context: { field: 'schema' } });
  }
}
