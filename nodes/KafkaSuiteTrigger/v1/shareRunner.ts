// The "Share Group" delivery mode (KIP-932, Kafka 4.x queues): one Trigger activation as a member of
// a share group. Each message is its own execution, up to Concurrency at once whatever the partition
// count; its outcome is acknowledged on its own: success → ACCEPT, failure → RELEASE after a backoff
// (delivered again, to any member, its delivery count raised), after Max Attempts → REJECT, or a copy
// to the dead-letter topic then ACCEPT.
import type { INodeExecutionData } from 'n8n-workflow';
import { toKafkaSuiteError, type SchemaRegistryClient } from '../../shared';
import type { KafkaConnection } from '../../shared/kafka/api';
import { openShareClient, ShareConsumer, toConsumedRecord, type ShareClient, type ShareOutcome, type ShareRecord } from '../../shared/kafka/shareGroup';
import { deadLetterMessage, sendDeadLetters } from './deadLetter';
import { decodeMessage, type DecodeOptions } from './decode';
import type { ExecutionResult } from './policy';
import type { RunnerHost } from './runner';
import type { RunnerSettings } from './settings';
import { decideShare } from './sharePolicy';
import { Timers } from './timers';
import { Abandon, waitForExecution } from './waiter';

/** Counts since the activation started (logged at close; read by tests). */
export interface ShareCounts {
  executions: number;
  accepted: number;
  released: number;
  rejected: number;
  deadLettered: number;
}

/** share.auto.offset.reset for a group's first start: Start From, as a share group spells it. */
export function shareStartConfig(settings: Pick<RunnerSettings, 'startFrom' | 'startTimestamp'>, now = Date.now()): string {
  if (settings.startFrom === 'earliest') return 'earliest';
  if (settings.startFrom === 'timestamp') {
    const seconds = Math.max(0, Math.floor((now - (settings.startTimestamp ?? now)) / 1000));
    return `by_duration:PT${seconds}S`;
  }
  return 'latest';
}

export class ShareTriggerRunner {
  readonly timers = new Timers();
  readonly counts: ShareCounts = { executions: 0, accepted: 0, released: 0, rejected: 0, deadLettered: 0 };
  /** Gives up on running executions once closing and the grace period is over (one signal per wait). */
  private readonly abandon = new Abandon();
  private abandoned = false;
  private client: ShareClient | undefined;
  private consumer: ShareConsumer | undefined;
  private closing?: Promise<void>;
  private emittedTest = false;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly settings: RunnerSettings,
    private readonly host: RunnerHost,
    private readonly registry?: SchemaRegistryClient,
  ) {}

  get groupId(): string {
    return this.settings.groupId;
  }

  async start(): Promise<void> {
    const s = this.settings;
    if (!Array.isArray(s.topics)) {
      throw toKafkaSuiteError(new Error('A share group subscribes to topic names: choose Topic Names, not a Topic Regex'));
    }
    this.client = openShareClient(this.connection.resolved);
    try {
      // Where a new share group starts is a group config (the protocol has no reset policy field). It
      // only matters the first time a share-partition is read; an ACL may forbid altering it.
      await this.client.setGroupConfig(s.groupId, { 'share.auto.offset.reset': shareStartConfig(s) });
    } catch (error) {
      this.host.logger.warn(`Kafka trigger: could not set where share group ${s.groupId} starts (share.auto.offset.reset): ${toKafkaSuiteError(error).message}`);
    }
    this.consumer = new ShareConsumer(
      this.client,
      {
        groupId: s.groupId,
        topics: s.topics,
        concurrency: s.manual ? 1 : Math.max(1, s.concurrency),
        onError: (error) => this.host.logger.warn(`Kafka trigger (share group ${s.groupId}): ${toKafkaSuiteError(error).message}`),
      },
      (record) => this.handle(record),
    );
    await this.consumer.start();
    this.host.logger.info(`Kafka trigger: joined share group ${s.groupId} on ${s.topics.join(', ')} (member ${this.consumer.memberId})`);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const cancelGrace = this.timers.later(Math.max(0, this.settings.closeGraceMs), () => {
      this.abandoned = true;
      this.abandon.abort();
    });
    try {
      // Running executions get the grace period; what they still hold is released for other members.
      await this.consumer?.stop(this.settings.closeGraceMs + 1_000);
    } catch (error) {
      this.host.logger.warn(`Kafka trigger: leaving share group ${this.groupId} failed: ${toKafkaSuiteError(error).message}`);
    } finally {
      cancelGrace();
      this.timers.cancelAll();
      await this.client?.close();
    }
    if (this.settings.manual) {
      // The test listen's throwaway share group goes, as a consumer group's does (DeleteGroups covers both).
      await this.connection
        .withAdmin((admin) => admin.deleteGroups([this.groupId]))
        .catch((error) => this.host.logger.debug(`Kafka trigger: could not delete test share group ${this.groupId}: ${toKafkaSuiteError(error).message}`));
    }
    const c = this.counts;
    this.host.logger.info(`Kafka trigger: share group ${this.groupId} closed: ${c.executions} executions, ${c.accepted} accepted, ${c.released} released, ${c.rejected} rejected, ${c.deadLettered} dead-lettered`);
  }

  private decodeOptions(): DecodeOptions {
    const s = this.settings;
    return {
      valueFormat: s.valueFormat,
      keyFormat: s.keyFormat,
      keyBinaryPropertyName: s.keyBinaryPropertyName,
      logicalTypes: s.logicalTypes,
      rawHeaders: s.rawHeaders,
      binaryPropertyName: s.binaryPropertyName,
      registry: this.registry,
      prepareBinaryData: (buffer, fileName, mimeType) => this.host.prepareBinaryData(buffer, fileName, mimeType),
    };
  }

  private async handle(record: ShareRecord): Promise<ShareOutcome> {
    const s = this.settings;
    const consumed = toConsumedRecord(record);
    const item: INodeExecutionData = await decodeMessage(record.topic, record.partition, consumed, this.decodeOptions());
    // How often this message has been handed out, this time included: a workflow can tell retries.
    item.json.deliveryCount = record.deliveryCount;
    if (s.manual) {
      // "Listen for test event" on a throwaway group: the first message is the test event.
      if (!this.emittedTest) {
        this.emittedTest = true;
        this.host.emit([[item]]);
      }
      return { type: 'accept' };
    }
    this.counts.executions++;
    let result: ExecutionResult;
    if (this.abandoned) {
      result = { kind: 'abandoned' };
    } else {
      const done = this.host.createDeferred();
      this.host.emit([[item]], done);
      const wait = this.abandon.signal();
      try {
        result = await waitForExecution(done.promise, {
          deadlineMs: s.executionDeadlineMs ?? 60 * 60_000,
          signal: wait.signal,
          // The share consumer heartbeats on its own; an execution holds no partition.
          heartbeat: async () => undefined,
          timers: this.timers,
        });
      } finally {
        wait.release();
      }
    }
    const decision = decideShare({ result, deliveryCount: record.deliveryCount, settings: s });
    const where = `${record.topic}[${record.partition}]@${record.offset}`;
    switch (decision.kind) {
      case 'accept':
        this.counts.accepted++;
        return { type: 'accept' };
      case 'release':
        this.counts.released++;
        if (decision.reason === 'retry' && result.kind === 'failure') {
          this.host.logger.warn(`Kafka trigger: ${where} failed (delivery ${record.deliveryCount}): ${result.error}; released for redelivery in ${decision.delayMs} ms`);
        }
        return { type: 'release', delayMs: decision.delayMs };
      case 'reject':
        this.counts.rejected++;
        this.host.logger.error(`Kafka trigger: ${where} failed ${record.deliveryCount} times; rejected (no dead-letter topic): ${result.kind === 'failure' ? result.error : ''}`);
        return { type: 'reject' };
      case 'deadLetter': {
        const error = result.kind === 'failure' ? result.error : 'failed';
        try {
          const copy = deadLetterMessage(consumed, {
            topic: record.topic,
            partition: record.partition,
            groupId: this.groupId,
            error,
            attempts: record.deliveryCount,
            executionId: result.kind === 'failure' ? result.executionId : undefined,
          });
          await sendDeadLetters(this.connection, s.deadLetterTopic!, [copy]);
          this.counts.deadLettered++;
          this.counts.accepted++;
          return { type: 'accept' };
        } catch (cause) {
          this.counts.released++;
          this.host.logger.error(`Kafka trigger: ${where} could not be written to dead-letter topic ${s.deadLetterTopic}: ${toKafkaSuiteError(cause).message}; released, retried in ${decision.delayMs} ms`);
          return { type: 'release', delayMs: decision.delayMs };
        }
      }
    }
  }
}
