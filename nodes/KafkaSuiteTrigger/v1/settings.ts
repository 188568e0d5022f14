import { randomUUID } from 'node:crypto';
import type { ITriggerFunctions } from 'n8n-workflow';
import { KafkaSuiteError, locatorValue } from '../../shared';
import type { ConsumerOptions, GroupProtocol } from '../../shared/kafka/api';
import type { KeyFormat, ValueFormat } from './decode';

/** shareGroup: a KIP-932 share group (Kafka 4.x queue), each message acknowledged on its own (./shareRunner.ts). */
export type DeliveryMode = 'afterSuccess' | 'afterExecution' | 'onReceipt' | 'exactlyOnce' | 'shareGroup';
export type StartFrom = 'latest' | 'earliest' | 'timestamp';

/** Everything the Trigger's parts read; built only by readSettings (defaults and clamping live there). */
export interface RunnerSettings {
  topics: string[] | RegExp;
  groupId: string;
  startFrom: StartFrom;
  startTimestamp?: number;
  deliveryMode: DeliveryMode;
  valueFormat: ValueFormat;
  keyFormat?: KeyFormat;
  keyBinaryPropertyName?: string;
  /** Avro logical types as natural JSON (default) or raw. */
  logicalTypes?: 'natural' | 'raw';
  /** Messages that cannot be decoded: delivered with decodeError (default) or sent to the dead-letter topic. */
  undecodable?: 'emit' | 'deadLetter';
  batchSize: number;
  batchWindowMs: number;
  concurrency: number;
  maxAttempts: number;
  /** When a batch's execution fails, run its halves as separate executions (recursively) to isolate the failing message. */
  bisectFailures?: boolean;
  retryInitialMs: number;
  retryMaxMs: number;
  deadLetterTopic?: string;
  rawHeaders: boolean;
  binaryPropertyName: string;
  sessionTimeout: number;
  /** classic (default) or consumer (KIP-848: broker-side assignment, Kafka 4.0+). */
  groupProtocol: GroupProtocol;
  maxBytesPerPartition: number;
  closeGraceMs: number;
  /**
   * How long to wait for an execution's result before treating it as failed (its messages are
   * delivered again): the workflow's timeout plus a margin, so a done promise n8n never settles
   * (a queue-mode worker that died) cannot stall the partition for ever.
   */
  executionDeadlineMs?: number;
  /** "Listen for test event": throwaway group, no commits, first batch only. */
  manual: boolean;
}

/** Heartbeats while an execution runs, and the consumer's heartbeat interval at most. */
export const HEARTBEAT_EVERY_MS = 3000;
/** Finished offsets of a partition are committed at least this often while its batch runs. */
export const COMMIT_EVERY_MS = 2000;

/** The consumer the settings ask for. */
export function settingsToConsumerOptions(s: RunnerSettings): ConsumerOptions {
  return {
    groupId: s.groupId,
    topics: s.topics,
    fromBeginning: s.startFrom === 'earliest',
    groupProtocol: s.groupProtocol,
    sessionTimeoutMs: s.sessionTimeout,
    rebalanceTimeoutMs: Math.max(60_000, s.sessionTimeout),
    heartbeatIntervalMs: Math.min(HEARTBEAT_EVERY_MS, Math.floor(s.sessionTimeout / 3)),
    maxBytesPerPartition: s.maxBytesPerPartition,
    // kafkajs' default; the per-partition limit is what bounds one partition's share.
    maxBytes: Math.max(s.maxBytesPerPartition, 10 * 1024 * 1024),
    maxWaitMs: s.batchWindowMs,
    // Batches: ask the broker to hold the fetch until about a batch worth of data (or the window ends).
    minBytes: s.batchSize > 1 ? Math.min(s.batchSize * 64, s.maxBytesPerPartition) : 1,
    concurrency: Math.max(1, s.concurrency),
    // read_committed in every mode: messages of aborted transactions never start an execution.
    readCommitted: true,
  };
}

interface TriggerOptions {
  batchSize?: number;
  batchWindowMs?: number;
  binaryPropertyName?: string;
  closeGraceMs?: number;
  deadLetterTopic?: string;
  maxAttempts?: number;
  bisectFailures?: boolean;
  concurrency?: number;
  rawHeaders?: boolean;
  retryInitialMs?: number;
  retryMaxMs?: number;
  sessionTimeout?: number;
  groupProtocol?: GroupProtocol;
  maxBytesPerPartition?: number;
  keyBinaryPropertyName?: string;
  logicalTypes?: 'natural' | 'raw';
  undecodable?: 'emit' | 'deadLetter';
}

function configError(message: string, field: string): KafkaSuiteError {
  return new KafkaSuiteError(message, { kind: 'config', context: { field } });
}

/** Comma-separated topic names, trimmed, empty entries dropped. */
export function parseTopicList(text: string): string[] {
  return [...new Set(text.split(',').map((topic) => topic.trim()).filter(Boolean))];
}

const positive = (value: unknown, fallback: number) => (Number.isFinite(Number(value)) && Number(value) > 0 ? Math.floor(Number(value)) : fallback);

// Without a workflow timeout, an execution may run an hour before the trigger stops waiting for it.
export const DEFAULT_EXECUTION_DEADLINE_MS = 60 * 60_000;
// After the workflow timeout n8n needs a moment to cancel the execution and report it.
const DEADLINE_MARGIN_MS = 30_000;

/** The workflow's own timeout (settings.executionTimeout, seconds; -1 or absent = none) plus a margin. */
export function executionDeadlineMs(ctx: Partial<Pick<ITriggerFunctions, 'getWorkflowSettings'>>): number {
  const timeout = Number(ctx.getWorkflowSettings?.()?.executionTimeout);
  return Number.isFinite(timeout) && timeout > 0 ? timeout * 1000 + DEADLINE_MARGIN_MS : DEFAULT_EXECUTION_DEADLINE_MS;
}

/** The trigger's parameters, validated, in the runner's terms. */
export function readSettings(ctx: Pick<ITriggerFunctions, 'getNodeParameter' | 'getMode'> & Partial<Pick<ITriggerFunctions, 'getWorkflowSettings'>>): RunnerSettings {
  const selection = ctx.getNodeParameter('topicSelection', 'names') as 'names' | 'regex';
  let topics: string[] | RegExp;
  if (selection === 'regex') {
    const pattern = String(ctx.getNodeParameter('topicPattern', '') ?? '').trim();
    if (!pattern) throw configError('Topic Regex is empty', 'topicPattern');
    try {
      topics = new RegExp(pattern);
    } catch (error) {
      throw configError(`Topic Regex is not a valid regular expression: ${(error as Error).message}`, 'topicPattern');
    }
  } else {
    topics = parseTopicList(locatorValue(ctx, 'topics'));
    if (!topics.length) throw configError('Topics is empty: give at least one topic name', 'topics');
  }
  const groupId = locatorValue(ctx, 'groupId');
  if (!groupId) throw configError('Group ID is empty', 'groupId');
  const startFrom = ctx.getNodeParameter('startFrom', 'latest') as StartFrom;
  let startTimestamp: number | undefined;
  if (startFrom === 'timestamp') {
    const raw = ctx.getNodeParameter('startTimestamp', '') as string | number;
    startTimestamp = typeof raw === 'number' ? raw : Date.parse(String(raw));
    if (!Number.isFinite(startTimestamp)) throw configError(`Start Timestamp "${String(raw)}" is not a date`, 'startTimestamp');
  }
  const options = (ctx.getNodeParameter('options', {}) ?? {}) as TriggerOptions;
  const manual = ctx.getMode() === 'manual';
  const retryInitialMs = positive(options.retryInitialMs, 1000);
  const deadLetterTopic = options.deadLetterTopic?.trim() || undefined;
  const undecodable = options.undecodable === 'deadLetter' ? 'deadLetter' : 'emit';
  if (undecodable === 'deadLetter' && !deadLetterTopic) {
    throw configError('Undecodable Messages is set to the dead-letter topic, but Dead-Letter Topic is empty', 'deadLetterTopic');
  }
  return {
    topics,
    // A test listen must never move the real group's offsets, so it gets a group of its own.
    groupId: manual ? `${groupId}.n8n-test.${randomUUID().slice(0, 8)}` : groupId,
    startFrom,
    startTimestamp,
    deliveryMode: ctx.getNodeParameter('deliveryMode', 'afterSuccess') as DeliveryMode,
    valueFormat: ctx.getNodeParameter('valueFormat', 'json') as ValueFormat,
    batchSize: positive(options.batchSize, 1),
    batchWindowMs: positive(options.batchWindowMs, 500),
    concurrency: positive(options.concurrency, 1),
    maxAttempts: positive(options.maxAttempts, 3),
    bisectFailures: Boolean(options.bisectFailures),
    retryInitialMs,
    retryMaxMs: Math.max(retryInitialMs, positive(options.retryMaxMs, 60_000)),
    deadLetterTopic,
    keyFormat: ctx.getNodeParameter('keyFormat', 'string') as KeyFormat,
    keyBinaryPropertyName: options.keyBinaryPropertyName || 'key',
    logicalTypes: options.logicalTypes === 'raw' ? 'raw' : 'natural',
    undecodable,
    rawHeaders: Boolean(options.rawHeaders),
    binaryPropertyName: options.binaryPropertyName || 'data',
    // 10 s, not kafkajs' 30 s: after a crash the partitions move 20 s sooner, and the chaos suite saw
    // no unplanned rebalance with it on a 2-core machine at load 15-27 (nodes/KafkaSuiteTrigger/README.md).
    sessionTimeout: positive(options.sessionTimeout, 10_000),
    groupProtocol: options.groupProtocol === 'consumer' ? 'consumer' : 'classic',
    maxBytesPerPartition: positive(options.maxBytesPerPartition, 1024 * 1024),
    executionDeadlineMs: executionDeadlineMs(ctx),
    closeGraceMs: Number.isFinite(Number(options.closeGraceMs)) && Number(options.closeGraceMs) >= 0 ? Number(options.closeGraceMs) : 30_000,
    manual,
  };
}
