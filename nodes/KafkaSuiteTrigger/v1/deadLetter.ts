import type { IHeaders, KafkaMessage, Message } from '../../shared';

export interface DeadLetterContext {
  topic: string;
  partition: number;
  groupId: string;
  error: string;
  attempts: number;
  executionId?: string;
}

export const DLQ_HEADER_PREFIX = 'kafka-suite-';

/**
 * The dead-letter copy of a message: its original key, value and headers, plus why and where it
 * failed. Our headers are prefixed so they never collide with the producer's own.
 */
export function deadLetterMessage(message: KafkaMessage, context: DeadLetterContext): Message {
  const headers: IHeaders = {};
  const nullHeaders: string[] = [];
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    // kafkajs cannot write a null header value: it goes as empty bytes and its name is recorded.
    // Entries that are not header values come from kafkajs' parsing of names like `__proto__`.
    const values = (Array.isArray(value) ? value : [value]).filter((single) => single === null || Buffer.isBuffer(single) || typeof single === 'string');
    if (!values.length) continue;
    if (values.some((single) => single === null)) nullHeaders.push(name);
    const written = values.map((single) => single ?? Buffer.alloc(0)) as Buffer[];
    Object.defineProperty(headers, name, { value: written.length === 1 ? written[0] : written, enumerable: true, writable: true, configurable: true });
  }
  const add = (name: string, value: string | number | undefined) => {
    if (value !== undefined) headers[`${DLQ_HEADER_PREFIX}${name}`] = String(value);
  };
  add('error', context.error.slice(0, 4000));
  add('attempts', context.attempts);
  add('execution-id', context.executionId ?? 'unknown');
  add('original-topic', context.topic);
  add('original-partition', context.partition);
  add('original-offset', message.offset);
  add('original-timestamp', message.timestamp);
  add('group-id', context.groupId);
  if (nullHeaders.length) add('null-headers', nullHeaders.join(','));
  return { key: message.key ?? null, value: message.value ?? null, headers, timestamp: message.timestamp };
}
