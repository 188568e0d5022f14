import { hostname } from 'node:os';
import type { IBinaryData, IDeferredPromise, INodeExecutionData, IRun } from 'n8n-workflow';
import {
  clientPool,
  toKafkaSuiteError,
  transactionalOffset,
  type Consumer,
  type EachBatchPayload,
  type KafkaClusterCredential,
  type KafkaMessage,
  type SchemaRegistryClient,
} from '../../shared';
import { backoffDelay, chunk } from './backoff';
import { deadLetterMessage } from './deadLetter';
import { decodeMessages, type DecodeOptions, type KeyFormat, type ValueFormat } from './decode';

export type DeliveryMode = 'afterSuccess' | 'afterExecution' | 'onReceipt' | 'exactlyOnce';
export type StartFrom = 'latest' | 'earliest' | 'timestamp';

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

export type Deferred<T> = IDeferredPromise<T>;

export interface RunnerHost {
  emit(data: INodeExecutionData[][], done?: Deferred<IRun>): void;
  createDeferred(): Deferred<IRun>;
  prepareBinaryData(buffer: Buffer, fileName?: string, mimeType?: string): Promise<IBinaryData>;
  /** Tells n8n that consumption stopped (ITriggerFunctions.emitError); n8n shows it and reactivates the workflow. */
  reportError?(error: Error): void;
  logger: { debug(message: string, meta?: object): void; info(message: string, meta?: object): void; warn(message: string, meta?: object): void; error(message: string, meta?: object): void };
}

type Outcome = { kind: 'done' } | { kind: 'retry'; delayMs: number } | { kind: 'abandoned' } | { kind: 'split'; halves: KafkaMessage[][] };
type ExecutionResult = { kind: 'success' } | { kind: 'failure'; error: string; executionId?: string } | { kind: 'abandoned' };

const ABANDONED = Symbol('abandoned');
const NO_RESULT = Symbol('no result');
const DEFAULT_EXECUTION_DEADLINE_MS = 60 * 60_000;
const COMMIT_EVERY_MS = 2000;
const HEARTBEAT_EVERY_MS = 3000;
// Statuses after which a message counts as handled; "waiting" (a Wait node) is an execution that
// n8n will finish later on its own, so retrying it would only duplicate it.
const SUCCESS_STATUSES = new Set(['success', 'waiting']);

// Consecutive crashes that stopped consumption, per group, in this process. Kept outside the runner
// because a reported crash makes n8n close this activation and start a new one: the backoff must
// keep growing across those until a batch succeeds, or a crash loop retries every second for ever.
const crashLedger = new Map<string, number>();
const CRASH_BACKOFF = { initialMs: 1000, maxMs: 5 * 60_000 };

// Commit answers meaning the group moved on (a rebalance) rather than that something is broken.
const GROUP_CHANGE_CODES = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE', 'FENCED_INSTANCE_ID']);

const nextOffset = (offset: string) => (BigInt(offset) + 1n).toString();

/** Where the workflow execution that handled a message can be found, when n8n tells us. */
function executionIdOf(run: IRun | undefined): string | undefined {
  const candidate = (run as unknown as { id?: unknown; executionId?: unknown } | undefined) ?? {};
  const id = candidate.id ?? candidate.executionId;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/**
 * One trigger activation: a consumer (not pooled), a supervisor that rebuilds it after a crash
 * kafkajs will not recover from, and the delivery logic. Offsets are committed only by this class,
 * explicitly, after the executions covering them ended (or, at-most-once, before they start).
 */
export class TriggerRunner {
  private consumer?: Consumer;
  private closed = false;
  private closing?: Promise<void>;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly attempts = new Map<string, number>();
  /** Bisecting: messages found to fail on their own (`topic|partition|offset`), retried alone until they pass or are dead-lettered. */
  private readonly isolated = new Set<string>();
  /** Start offsets from the start timestamp, per `topic|partition`, applied once on assignment. */
  private readonly startOffsets = new Map<string, string>();
  private emittedManual = false;
  private closeStarted!: () => void;
  private readonly closeStartedPromise = new Promise<void>((resolve) => (this.closeStarted = resolve));
  private abandonTimer?: NodeJS.Timeout;
  private readonly abandon: Promise<typeof ABANDONED>;
  readonly groupId: string;

  constructor(
    private readonly cred: KafkaClusterCredential,
    private readonly settings: RunnerSettings,
    private readonly host: RunnerHost,
    private readonly registry?: SchemaRegistryClient,
  ) {
    this.groupId = settings.groupId;
    // Once closing starts, running executions get the grace period to finish; then they are abandoned
    // (their messages stay uncommitted and are delivered again later).
    this.abandon = this.closeStartedPromise.then(
      () =>
        new Promise<typeof ABANDONED>((resolve) => {
          this.abandonTimer = setTimeout(() => resolve(ABANDONED), Math.max(0, settings.closeGraceMs));
        }),
    );
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async start(): Promise<void> {
    const crashes = this.settings.manual ? 0 : (crashLedger.get(this.groupId) ?? 0);
    if (crashes > 0) {
      // Reactivated after a crash: activation succeeds now, consuming starts after the backoff.
      const delay = backoffDelay(crashes, CRASH_BACKOFF);
      this.host.logger.info(`Kafka trigger: group ${this.groupId} crashed ${crashes} time(s) in a row; consuming again in ${delay} ms`);
      this.later(delay, async () => {
        try {
          await this.startConsuming();
        } catch (error) {
          this.crashed(error);
        }
      });
      return;
    }
    await this.startConsuming();
  }

  private async startConsuming(): Promise<void> {
    if (this.settings.startFrom === 'timestamp') await this.planStartTimestamp();
    await this.runConsumer();
  }

  /**
   * Consumption stopped and kafkajs will not restart it. Reported to n8n when the host can (n8n
   * shows the error, runs the error workflow, closes this activation and activates the workflow
   * again, which starts after the grown backoff); otherwise this runner rebuilds its consumer.
   */
  private crashed(error: unknown, consumer?: Consumer): void {
    if (this.closed) return;
    const crashes = (crashLedger.get(this.groupId) ?? 0) + 1;
    crashLedger.set(this.groupId, crashes);
    const failure = toKafkaSuiteError(error);
    if (this.host.reportError) {
      this.host.logger.warn(`Kafka trigger: consumer of group ${this.groupId} crashed (crash ${crashes} in a row, reported to n8n, which restarts the trigger): ${failure.message}`);
      this.host.reportError(failure);
      return;
    }
    this.host.logger.warn(`Kafka trigger: consumer crashed (restarting it): ${failure.message}`);
    this.scheduleRestart(consumer ?? (this.consumer as Consumer));
  }

  /** Safe to call any number of times; every call waits for the same shutdown. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    this.closeStarted();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    try {
      await this.consumer?.disconnect();
    } catch (error) {
      this.host.logger.warn(`Kafka trigger: disconnect failed: ${toKafkaSuiteError(error).message}`);
    } finally {
      if (this.abandonTimer) clearTimeout(this.abandonTimer);
      // Resolve the abandon race for anyone still waiting, without leaving a timer behind.
      this.abandonTimer = undefined;
      this.attempts.clear();
      this.isolated.clear();
    }
    if (this.settings.manual) {
      await clientPool
        .withAdmin(this.cred, (admin) => admin.deleteGroups([this.groupId]))
        .catch((error) => this.host.logger.debug(`Kafka trigger: could not delete test group ${this.groupId}: ${toKafkaSuiteError(error).message}`));
    }
  }

  private later(delayMs: number, fn: () => void | Promise<void>): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) void fn();
    }, delayMs);
    this.timers.add(timer);
  }

  private async runConsumer(): Promise<void> {
    const { kafka, resolved } = clientPool.kafka(this.cred);
    const s = this.settings;
    const consumer = kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: s.sessionTimeout,
      rebalanceTimeout: Math.max(60_000, s.sessionTimeout),
      heartbeatInterval: Math.min(HEARTBEAT_EVERY_MS, Math.floor(s.sessionTimeout / 3)),
      maxBytesPerPartition: s.maxBytesPerPartition,
      // kafkajs' default; the per-partition limit is what bounds one partition's share.
      maxBytes: Math.max(s.maxBytesPerPartition, 10 * 1024 * 1024),
      maxWaitTimeInMs: s.batchWindowMs,
      // Batches: ask the broker to hold the fetch until about a batch worth of data (or the window ends).
      minBytes: s.batchSize > 1 ? Math.min(s.batchSize * 64, s.maxBytesPerPartition) : 1,
      // read_committed in every mode: messages of aborted transactions never start an execution.
      readUncommitted: false,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      // The crash backoff is not reset here: a consumer that joins and crashes again at once would
      // otherwise retry every second for ever. Only a delivered batch proves it works (handleBatch).
      const assignment = (event.payload as { memberAssignment: Record<string, number[]> }).memberAssignment;
      this.host.logger.info(`Kafka trigger: joined group ${this.groupId}, assigned ${Object.entries(assignment ?? {}).map(([t, p]) => `${t}[${p.join(',')}]`).join(' ') || 'nothing'}`);
      this.seekToStart(consumer, (event.payload as { memberAssignment: Record<string, number[]> }).memberAssignment);
    });
    consumer.on(consumer.events.CRASH, (event) => {
      const { error, restart } = event.payload as { error: Error; restart: boolean };
      // A retriable crash kafkajs restarts itself (a broker restarting, a rebalance): detail, not a problem.
      if (restart) this.host.logger.info(`Kafka trigger: consumer crashed, kafkajs restarts it: ${toKafkaSuiteError(error).message}`);
      else this.crashed(error, consumer);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: Array.isArray(s.topics) ? s.topics : [s.topics], fromBeginning: s.startFrom === 'earliest' });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: Math.max(1, s.concurrency),
        eachBatch: (payload) => this.handleBatch(payload),
      });
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      // Same wording as the producer's: which brokers, and which SASL mechanism was refused.
      throw toKafkaSuiteError(error, { broker: resolved.summary.brokers.join(','), mechanism: resolved.summary.mechanism });
    }
    if (this.closed) await consumer.disconnect().catch(() => undefined);
  }

  /** kafkajs gave up (non-retriable crash, or retries exhausted): build a new consumer after a backoff. */
  private scheduleRestart(crashed: Consumer): void {
    if (this.closed) return;
    const delay = backoffDelay(crashLedger.get(this.groupId) ?? 1, CRASH_BACKOFF);
    this.later(delay, async () => {
      if (this.consumer !== crashed) return;
      await crashed.disconnect().catch(() => undefined);
      if (this.closed) return;
      try {
        await this.runConsumer();
      } catch (error) {
        this.crashed(error);
      }
    });
  }

  /**
   * Where a new group starts when "timestamp" is chosen: for each partition without a committed
   * offset, the first offset at or after the timestamp. Applied by seeking once the partition is
   * assigned (see seekToStart), so nothing is committed until an execution has finished.
   */
  private async planStartTimestamp(): Promise<void> {
    const s = this.settings;
    const timestamp = s.startTimestamp ?? Date.now();
    await clientPool.withAdmin(this.cred, async (admin) => {
      const topics = Array.isArray(s.topics) ? s.topics : (await admin.listTopics()).filter((name) => (s.topics as RegExp).test(name));
      if (!topics.length) return;
      const committed = await admin.fetchOffsets({ groupId: this.groupId, topics });
      for (const { topic, partitions } of committed) {
        const fresh = new Set(partitions.filter((p) => Number(p.offset) < 0).map((p) => p.partition));
        if (!fresh.size) continue;
        for (const { partition, offset } of await admin.fetchTopicOffsetsByTimestamp(topic, timestamp)) {
          if (fresh.has(partition)) this.startOffsets.set(`${topic}|${partition}`, offset);
        }
      }
    });
  }

  /** Runs inside kafkajs' join, before the first fetch of the new assignment. */
  private seekToStart(consumer: Consumer, assignment: Record<string, number[]>): void {
    for (const [topic, partitions] of Object.entries(assignment ?? {})) {
      for (const partition of partitions) {
        const key = `${topic}|${partition}`;
        const offset = this.startOffsets.get(key);
        if (offset === undefined) continue;
        this.startOffsets.delete(key);
        try {
          consumer.seek({ topic, partition, offset });
        } catch (error) {
          this.host.logger.warn(`Kafka trigger: could not start ${key} at the start timestamp: ${toKafkaSuiteError(error).message}`);
        }
      }
    }
  }

  private decodeOptions(): DecodeOptions {
    return {
      valueFormat: this.settings.valueFormat,
      keyFormat: this.settings.keyFormat,
      keyBinaryPropertyName: this.settings.keyBinaryPropertyName,
      logicalTypes: this.settings.logicalTypes,
      rawHeaders: this.settings.rawHeaders,
      binaryPropertyName: this.settings.binaryPropertyName,
      registry: this.registry,
      prepareBinaryData: (buffer, fileName, mimeType) => this.host.prepareBinaryData(buffer, fileName, mimeType),
      source: this.settings.deliveryMode === 'exactlyOnce' ? { groupId: this.groupId } : undefined,
    };
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, pause, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    const { topic, partition } = batch;
    const commits = this.settings.deliveryMode !== 'onReceipt' && !this.settings.manual;
    let finished: string | undefined;
    let lastCommit = Date.now();
    const commit = async () => {
      if (finished === undefined) return;
      const offset = nextOffset(finished);
      finished = undefined;
      try {
        await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset }] }] });
      } catch (error) {
        // A rebalance took the partition, or the broker is restarting: whoever consumes it next starts
        // from the last commit, so these messages run again (at-least-once). Expected around either
        // event, hence info; anything else is worth a warning.
        const failure = toKafkaSuiteError(error);
        const log = failure.retriable || GROUP_CHANGE_CODES.has(failure.code ?? '') ? this.host.logger.info : this.host.logger.warn;
        log.call(this.host.logger, `Kafka trigger: commit of ${topic}[${partition}] at ${offset} failed, these messages will be delivered again: ${failure.message}`);
      }
      lastCommit = Date.now();
    };
    try {
      const queue = chunk(batch.messages, this.settings.batchSize);
      for (let messages = queue.shift(); messages; messages = queue.shift()) {
        if (messages.length > 1 && this.isolated.has(`${topic}|${partition}|${messages[0].offset}`)) {
          // A refetch regroups a message that failed alone into a full batch: keep it alone.
          queue.unshift([messages[0]], messages.slice(1));
          continue;
        }
        if (this.closed || !isRunning() || isStale() || (this.settings.manual && this.emittedManual)) break;
        const outcome = await this.deliver(topic, partition, messages, payload);
        if (outcome.kind === 'abandoned') break;
        if (outcome.kind === 'split') {
          // Bisecting a failed batch: its halves run next, in order, before anything after them.
          queue.unshift(...outcome.halves);
          continue;
        }
        if (outcome.kind === 'done') {
          crashLedger.delete(this.groupId);
          this.isolated.delete(`${topic}|${partition}|${messages[0].offset}`);
        }
        if (outcome.kind === 'retry') {
          // Paused, not spinning: nothing of this partition is fetched until the timer resumes it,
          // and the unresolved message is fetched again then.
          const resume = pause();
          this.later(outcome.delayMs, () => resume());
          break;
        }
        const last = messages[messages.length - 1].offset;
        resolveOffset(last);
        if (commits) finished = last;
        if (Date.now() - lastCommit >= COMMIT_EVERY_MS) await commit();
        try {
          await heartbeat();
        } catch {
          // A rebalance started: hand the partition back; what finished is committed below.
          break;
        }
      }
    } finally {
      await commit();
    }
  }

  private async deliver(topic: string, partition: number, messages: KafkaMessage[], payload: EachBatchPayload): Promise<Outcome> {
    const s = this.settings;
    // Never throws: an undecodable message becomes an item with decodeError and its raw bytes.
    let items = await decodeMessages(topic, partition, messages, this.decodeOptions());
    if (s.undecodable === 'deadLetter' && s.deadLetterTopic && !s.manual) {
      const kept = await this.deadLetterUndecodable(topic, partition, messages, items);
      if (kept === undefined) return { kind: 'retry', delayMs: backoffDelay(1, { initialMs: s.retryInitialMs, maxMs: s.retryMaxMs }) };
      if (!kept.length) return { kind: 'done' };
      items = kept;
    }

    if (s.manual) {
      // Another partition's handler may have emitted while this one was decoding: one test event only.
      if (this.emittedManual) return { kind: 'abandoned' };
      this.emittedManual = true;
      this.host.emit([items]);
      return { kind: 'done' };
    }
    if (s.deliveryMode === 'onReceipt') {
      // At-most-once: the offset is committed before the execution starts.
      await payload.commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: nextOffset(messages[messages.length - 1].offset) }] }] });
      this.host.emit([items]);
      return { kind: 'done' };
    }

    const key = `${topic}|${partition}|${messages[0].offset}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    const result = await this.runExecution(items, payload.heartbeat);
    if (result.kind === 'abandoned') return result;
    if (result.kind === 'success' || s.deliveryMode === 'afterExecution') {
      this.attempts.delete(key);
      return { kind: 'done' };
    }
    if (s.deliveryMode === 'exactlyOnce' && (await this.committedPast(topic, partition, messages[messages.length - 1].offset))) {
      // The workflow's transactional Producer committed these offsets before something after it
      // failed: the output is already visible, and running the messages again would duplicate it.
      this.attempts.delete(key);
      this.host.logger.info(`Kafka trigger: execution for ${key} failed after its transaction committed the offsets; not retried`);
      return { kind: 'done' };
    }
    if (s.bisectFailures && messages.length > 1) {
      // Find the failing message instead of retrying (and dead-lettering) the good ones with it:
      // each half runs as its own execution with its own attempts, down to single messages.
      this.attempts.delete(key);
      const middle = Math.ceil(messages.length / 2);
      this.host.logger.info(`Kafka trigger: execution for ${key} (${messages.length} messages) failed; running its halves separately`);
      return { kind: 'split', halves: [messages.slice(0, middle), messages.slice(middle)] };
    }
    if (s.bisectFailures) this.isolated.add(key);
    this.attempts.set(key, attempt);
    const delayMs = backoffDelay(attempt, { initialMs: s.retryInitialMs, maxMs: s.retryMaxMs });
    if (attempt < s.maxAttempts) {
      this.host.logger.info(`Kafka trigger: execution for ${key} failed (attempt ${attempt}/${s.maxAttempts}), retrying in ${delayMs} ms`);
      return { kind: 'retry', delayMs };
    }
    if (s.deadLetterTopic) {
      try {
        await this.sendToDeadLetter(topic, partition, messages, result.error, attempt, result.executionId);
        this.attempts.delete(key);
        return { kind: 'done' };
      } catch (error) {
        this.host.logger.error(`Kafka trigger: could not write ${key} to dead-letter topic ${s.deadLetterTopic}: ${toKafkaSuiteError(error).message}`);
        return { kind: 'retry', delayMs };
      }
    }
    // No dead-letter topic: never drop the message; keep the partition paused between attempts.
    this.host.logger.warn(`Kafka trigger: execution for ${key} failed ${attempt} times and no dead-letter topic is set; retrying in ${delayMs} ms`);
    return { kind: 'retry', delayMs };
  }

  /**
   * Whether a transaction (the workflow's Producer) already moved the group beyond `lastOffset`.
   * Exact for Producers in this process (the ledger); for one in another process (queue mode) the
   * broker is asked a few times, because a committed transaction's offsets become visible there
   * only once its markers are written.
   */
  private async committedPast(topic: string, partition: number, lastOffset: string): Promise<boolean> {
    const last = BigInt(lastOffset);
    const recorded = transactionalOffset(this.groupId, topic, partition);
    if (recorded !== undefined && recorded > last) return true;
    for (let check = 0; check < 3; check++) {
      try {
        const [found] = await clientPool.withAdmin(this.cred, (admin) => admin.fetchOffsets({ groupId: this.groupId, topics: [topic] }));
        const committed = found?.partitions.find((p) => p.partition === partition)?.offset;
        if (committed !== undefined && Number(committed) >= 0 && BigInt(committed) > last) return true;
      } catch (error) {
        // Unknown: retrying is the safe side (the Producer's transaction then finds the offsets
        // committed and sends nothing, see send.operation.ts); a broker restart is no reason to warn.
        const failure = toKafkaSuiteError(error);
        (failure.retriable ? this.host.logger.info : this.host.logger.warn).call(this.host.logger, `Kafka trigger: could not read committed offsets: ${failure.message}`);
        return false;
      }
      if (this.closed) return false;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    return false;
  }

  private async runExecution(items: INodeExecutionData[], heartbeat: () => Promise<void>): Promise<ExecutionResult> {
    const done = this.host.createDeferred();
    this.host.emit([items], done);
    // Keep the group membership alive while the workflow runs.
    const beat = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_EVERY_MS);
    let deadline: NodeJS.Timeout | undefined;
    const deadlineMs = this.settings.executionDeadlineMs ?? DEFAULT_EXECUTION_DEADLINE_MS;
    try {
      const outcome = await Promise.race([
        done.promise.then(
          (run) => ({ run }),
          (error: Error) => ({ error }),
        ),
        this.abandon,
        new Promise<typeof NO_RESULT>((resolve) => (deadline = setTimeout(() => resolve(NO_RESULT), deadlineMs))),
      ]);
      if (outcome === ABANDONED) return { kind: 'abandoned' };
      // Not knowing is not success: the messages go round again (a duplicate at worst, never a loss).
      if (outcome === NO_RESULT) return { kind: 'failure', error: `n8n reported no result for the execution within ${Math.round(deadlineMs / 1000)} s` };
      if ('error' in outcome) return { kind: 'failure', error: outcome.error?.message ?? 'The execution failed' };
      const run = outcome.run;
      // Recent n8n versions settle the done promise with undefined when the execution never ran.
      if (!run) return { kind: 'failure', error: 'n8n did not run the execution' };
      const status = run?.status ?? (run?.finished ? 'success' : 'error');
      if (SUCCESS_STATUSES.has(status)) return { kind: 'success' };
      const error = (run?.data?.resultData?.error as { message?: string } | undefined)?.message ?? `The execution ended with status "${status}"`;
      return { kind: 'failure', error, executionId: executionIdOf(run) };
    } finally {
      clearInterval(beat);
      clearTimeout(deadline);
    }
  }

  /**
   * "Undecodable messages → dead-letter topic": those messages go there at once (no execution,
   * no retries: running them again cannot decode them) and the rest of the batch is returned.
   * Sent before the execution of the others, so a retry of the batch may copy them again
   * (at-least-once in the dead-letter topic). undefined when the dead-letter topic refused them.
   */
  private async deadLetterUndecodable(topic: string, partition: number, messages: KafkaMessage[], items: INodeExecutionData[]): Promise<INodeExecutionData[] | undefined> {
    const bad = items.flatMap((item, index) => (item.json.decodeError ? [index] : []));
    if (!bad.length) return items;
    const record = {
      topic: this.settings.deadLetterTopic as string,
      acks: -1,
      messages: bad.map((index) => deadLetterMessage(messages[index], { topic, partition, groupId: this.groupId, error: String(items[index].json.decodeError), attempts: 0 })),
    };
    try {
      await clientPool.withProducer(this.cred, { idempotent: true }, (producer) => producer.send(record));
    } catch (error) {
      this.host.logger.error(`Kafka trigger: could not write undecodable messages of ${topic}[${partition}] to ${record.topic}: ${toKafkaSuiteError(error).message}`);
      return undefined;
    }
    this.host.logger.warn(`Kafka trigger: ${bad.length} undecodable message(s) of ${topic}[${partition}] sent to ${record.topic}`);
    const sent = new Set(bad);
    return items.filter((_item, index) => !sent.has(index));
  }

  private async sendToDeadLetter(topic: string, partition: number, messages: KafkaMessage[], error: string, attempts: number, executionId?: string): Promise<void> {
    const deadLetterTopic = this.settings.deadLetterTopic as string;
    const record = {
      topic: deadLetterTopic,
      acks: -1,
      messages: messages.map((message) => deadLetterMessage(message, { topic, partition, groupId: this.groupId, error, attempts, executionId })),
    };
    if (this.settings.deliveryMode !== 'exactlyOnce') {
      await clientPool.withProducer(this.cred, { idempotent: true }, (producer) => producer.send(record));
    } else {
      // Exactly-once: the dead-letter copy and moving the group past the message commit together.
      const transactionalId = `n8n-kafka-suite-dlq-${this.groupId}-${hostname()}`;
      const offsets = { consumerGroupId: this.groupId, topics: [{ topic, partitions: [{ partition, offset: nextOffset(messages[messages.length - 1].offset) }] }] };
      const failure = await clientPool.withProducer(this.cred, { idempotent: true, transactionalId }, async (producer): Promise<unknown> => {
        const transaction = await producer.transaction();
        try {
          await transaction.send(record);
          await transaction.sendOffsets(offsets);
          await transaction.commit();
          return undefined;
        } catch (cause) {
          await transaction.abort().catch(() => undefined);
          return cause ?? new Error('dead-letter transaction failed');
        }
      });
      if (failure !== undefined) throw toKafkaSuiteError(failure);
    }
    this.host.logger.warn(`Kafka trigger: ${messages.length} message(s) of ${topic}[${partition}] from offset ${messages[0].offset} sent to ${deadLetterTopic} after ${attempts} attempts`);
  }
}

