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
  const headers: IHeaders = { ...(message.headers ?? {}) };
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
  return { key: message.key ?? null, value: message.value ?? null, headers, timestamp: message.timestamp };
}
