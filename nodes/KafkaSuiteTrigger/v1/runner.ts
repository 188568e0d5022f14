// One Trigger activation, wired from its parts: the settings, a supervisor that keeps a consumer of
// the connection running, the delivery of each partition's batches (policy, execution waiter,
// dead-letter), and the shutdown that gives running executions their grace period.
import { hostname } from 'node:os';
import type { IBinaryData, IDeferredPromise, INodeExecutionData, IRun } from 'n8n-workflow';
import { toKafkaSuiteError, type SchemaRegistryClient } from '../../shared';
import type { KafkaConnection } from '../../shared/kafka/api';
import type { DecodeOptions } from './decode';
import { Delivery } from './delivery';
import { settingsToConsumerOptions, type RunnerSettings } from './settings';
import { Supervisor } from './supervisor';
import { Timers } from './timers';
import { Abandon } from './waiter';

export type { DeliveryMode, RunnerSettings, StartFrom } from './settings';

export type Deferred<T> = IDeferredPromise<T>;

export interface RunnerHost {
  emit(data: INodeExecutionData[][], done?: Deferred<IRun>): void;
  createDeferred(): Deferred<IRun>;
  prepareBinaryData(buffer: Buffer, fileName?: string, mimeType?: string): Promise<IBinaryData>;
  /** Tells n8n that consumption stopped (ITriggerFunctions.emitError); n8n shows it and reactivates the workflow. */
  reportError?(error: Error): void;
  logger: { debug(message: string, meta?: object): void; info(message: string, meta?: object): void; warn(message: string, meta?: object): void; error(message: string, meta?: object): void };
}

export class TriggerRunner {
  private closed = false;
  private closing?: Promise<void>;
  readonly timers = new Timers();
  /** Aborted once closing started and the grace period for running executions is over. */
  private readonly abandon = new Abandon();
  /** Start offsets from the start timestamp, per `topic|partition`, applied once on assignment. */
  private readonly startOffsets = new Map<string, string>();
  private readonly supervisor: Supervisor;
  private readonly delivery: Delivery;
  readonly groupId: string;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly settings: RunnerSettings,
    private readonly host: RunnerHost,
    registry?: SchemaRegistryClient,
  ) {
    this.groupId = settings.groupId;
    const isClosed = () => this.closed;
    this.supervisor = new Supervisor({
      groupId: settings.groupId,
      manual: settings.manual,
      build: () => connection.consumer(settingsToConsumerOptions(settings)),
      prepare: () => (settings.startFrom === 'timestamp' ? this.planStartTimestamp() : Promise.resolve()),
      handler: (batch) => this.delivery.handleBatch(batch),
      assigned: (assignment) => this.assigned(assignment),
      // Same wording as the producer's: which brokers, and which SASL mechanism was refused.
      describeFailure: (error) => toKafkaSuiteError(error, { broker: connection.resolved.summary.brokers.join(','), mechanism: connection.resolved.summary.mechanism }),
      host,
      timers: this.timers,
      isClosed,
    });
    this.delivery = new Delivery({
      settings,
      host,
      connection,
      decodeOptions: this.decodeOptions(registry),
      timers: this.timers,
      abandon: this.abandon,
      isClosed,
      succeeded: () => this.supervisor.succeeded(),
      deadLetterTransactionalId: `n8n-kafka-suite-dlq-${settings.groupId}-${hostname()}`,
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  start(): Promise<void> {
    return this.supervisor.start();
  }

  /** Safe to call any number of times; every call waits for the same shutdown. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    this.timers.cancelAll();
    // Running executions get the grace period to finish; then they are abandoned (their messages
    // stay uncommitted and are delivered again later).
    const cancelGrace = this.timers.later(Math.max(0, this.settings.closeGraceMs), () => this.abandon.abort());
    try {
      await this.supervisor.stop();
    } catch (error) {
      this.host.logger.warn(`Kafka trigger: disconnect failed: ${toKafkaSuiteError(error).message}`);
    } finally {
      cancelGrace();
      this.delivery.clear();
    }
    if (this.settings.manual) {
      await this.connection
        .withAdmin((admin) => admin.deleteGroups([this.groupId]))
        .catch((error) => this.host.logger.debug(`Kafka trigger: could not delete test group ${this.groupId}: ${toKafkaSuiteError(error).message}`));
    }
  }

  /** Runs inside the join, before the first fetch of the new assignment: where "timestamp" starts. */
  private assigned(assignment: Array<{ topic: string; partitions: number[] }>): void {
    this.host.logger.info(`Kafka trigger: joined group ${this.groupId}, assigned ${assignment.map(({ topic, partitions }) => `${topic}[${partitions.join(',')}]`).join(' ') || 'nothing'}`);
    for (const { topic, partitions } of assignment) {
      for (const partition of partitions) {
        const key = `${topic}|${partition}`;
        const offset = this.startOffsets.get(key);
        if (offset === undefined) continue;
        this.startOffsets.delete(key);
        try {
          this.supervisor.seek(topic, partition, offset);
        } catch (error) {
          this.host.logger.warn(`Kafka trigger: could not start ${key} at the start timestamp: ${toKafkaSuiteError(error).message}`);
        }
      }
    }
  }

  /**
   * Where a new group starts when "timestamp" is chosen: for each partition without a committed
   * offset, the first offset at or after the timestamp. Applied by seeking once the partition is
   * assigned, so nothing is committed until an execution has finished.
   */
  private async planStartTimestamp(): Promise<void> {
    const s = this.settings;
    const timestamp = s.startTimestamp ?? Date.now();
    await this.connection.withAdmin(async (admin) => {
      const topics = Array.isArray(s.topics) ? s.topics : (await admin.listTopics()).filter((name) => (s.topics as RegExp).test(name));
      if (!topics.length) return;
      for (const { topic, partitions } of await admin.fetchOffsets(this.groupId, topics)) {
        const fresh = new Set(partitions.filter((p) => Number(p.offset) < 0).map((p) => p.partition));
        if (!fresh.size) continue;
        for (const { partition, offset } of await admin.fetchTopicOffsetsByTimestamp(topic, timestamp)) {
          if (fresh.has(partition)) this.startOffsets.set(`${topic}|${partition}`, offset);
        }
      }
    });
  }

  private decodeOptions(registry?: SchemaRegistryClient): DecodeOptions {
    const s = this.settings;
    return {
      valueFormat: s.valueFormat,
      keyFormat: s.keyFormat,
      keyBinaryPropertyName: s.keyBinaryPropertyName,
      logicalTypes: s.logicalTypes,
      rawHeaders: s.rawHeaders,
      binaryPropertyName: s.binaryPropertyName,
      registry,
      prepareBinaryData: (buffer, fileName, mimeType) => this.host.prepareBinaryData(buffer, fileName, mimeType),
      source: s.deliveryMode === 'exactlyOnce' ? { groupId: this.groupId } : undefined,
    };
  }
}
