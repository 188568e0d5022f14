// One partition's batch, delivered: split into executions, each run and waited for, its outcome
// decided by the policy, and the handled offsets committed (only here, explicitly, after the
// executions covering them ended, or, at-most-once, before they start).
import type { INodeExecutionData } from 'n8n-workflow';
import { toKafkaSuiteError } from '../../shared';
import type { ConsumedRecord, KafkaConnection, PartitionBatch } from '../../shared/kafka/api';
import { chunk } from './backoff';
import { deadLetterMessage, sendDeadLetters } from './deadLetter';
import { decodeMessages, type DecodeOptions } from './decode';
import { committedPast } from './exactlyOnce';
import { decide, needsCommittedCheck, planDelivery, retryDelay, type Decision } from './policy';
import type { RunnerHost } from './runner';
import { COMMIT_EVERY_MS, DEFAULT_EXECUTION_DEADLINE_MS, type RunnerSettings } from './settings';
import type { Timers } from './timers';
import { waitForExecution, type Abandon } from './waiter';

// Commit answers meaning the group moved on (a rebalance) rather than that something is broken.
const GROUP_CHANGE_CODES = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE', 'FENCED_INSTANCE_ID']);

const nextOffset = (offset: string) => (BigInt(offset) + 1n).toString();

type Outcome = { kind: 'done' } | { kind: 'retry'; delayMs: number } | { kind: 'abandoned' } | { kind: 'split'; halves: ConsumedRecord[][] };

export interface DeliveryOptions {
  settings: RunnerSettings;
  host: RunnerHost;
  connection: KafkaConnection;
  decodeOptions: DecodeOptions;
  timers: Timers;
  /** Aborted when the trigger stops waiting for running executions. */
  abandon: Abandon;
  isClosed(): boolean;
  /** A batch was handled: the consumer works (resets the crash backoff). */
  succeeded(): void;
  /** The transactional id of exactly-once dead-letter transactions. */
  deadLetterTransactionalId: string;
}

export class Delivery {
  private readonly attempts = new Map<string, number>();
  /** Bisecting: messages found to fail on their own (`topic|partition|offset`), retried alone until they pass or are dead-lettered. */
  private readonly isolated = new Set<string>();
  private emittedManual = false;

  constructor(private readonly o: DeliveryOptions) {}

  clear(): void {
    this.attempts.clear();
    this.isolated.clear();
  }

  async handleBatch(batch: PartitionBatch): Promise<void> {
    const { topic, partition } = batch;
    const s = this.o.settings;
    const commits = s.deliveryMode !== 'onReceipt' && !s.manual;
    let finished: string | undefined;
    let lastCommit = Date.now();
    const commit = async () => {
      if (finished === undefined) return;
      const offset = nextOffset(finished);
      finished = undefined;
      try {
        await batch.commit(offset);
      } catch (error) {
        // A rebalance took the partition, or the broker is restarting: whoever consumes it next starts
        // from the last commit, so these messages run again (at-least-once). Expected around either
        // event, hence info; anything else is worth a warning.
        const failure = toKafkaSuiteError(error);
        const log = failure.retriable || GROUP_CHANGE_CODES.has(failure.code ?? '') ? this.o.host.logger.info : this.o.host.logger.warn;
        log.call(this.o.host.logger, `Kafka trigger: commit of ${topic}[${partition}] at ${offset} failed, these messages will be delivered again: ${failure.message}`);
      }
      lastCommit = Date.now();
    };
    try {
      const queue = chunk(batch.records, s.batchSize);
      for (let records = queue.shift(); records; records = queue.shift()) {
        if (records.length > 1 && this.isolated.has(`${topic}|${partition}|${records[0].offset}`)) {
          // A refetch regroups a message that failed alone into a full batch: keep it alone.
          queue.unshift([records[0]], records.slice(1));
          continue;
        }
        if (this.o.isClosed() || !batch.isActive() || (s.manual && this.emittedManual)) break;
        const outcome = await this.deliver(batch, records);
        if (outcome.kind === 'abandoned') break;
        if (outcome.kind === 'split') {
          // Bisecting a failed batch: its halves run next, in order, before anything after them.
          queue.unshift(...outcome.halves);
          continue;
        }
        if (outcome.kind === 'retry') {
          // Paused, not spinning: nothing of this partition is fetched until the timer resumes it,
          // and the unhandled message is fetched again then.
          const resume = batch.pause();
          if (!this.o.isClosed()) this.o.timers.later(outcome.delayMs, () => resume());
          break;
        }
        this.o.succeeded();
        this.isolated.delete(`${topic}|${partition}|${records[0].offset}`);
        const last = records[records.length - 1].offset;
        batch.markHandled(last);
        if (commits) finished = last;
        if (Date.now() - lastCommit >= COMMIT_EVERY_MS) await commit();
        try {
          await batch.heartbeat();
        } catch {
          // A rebalance started: hand the partition back; what finished is committed below.
          break;
        }
      }
    } finally {
      await commit();
    }
  }

  private async deliver(batch: PartitionBatch, records: ConsumedRecord[]): Promise<Outcome> {
    const s = this.o.settings;
    const { topic, partition } = batch;
    // Never throws: an undecodable message becomes an item with decodeError and its raw bytes.
    const { decodeOptions } = this.o;
    const member = decodeOptions.source ? batch.member() : undefined;
    const options = member ? { ...decodeOptions, source: { ...decodeOptions.source!, member } } : decodeOptions;
    let items = await decodeMessages(topic, partition, records, options);
    if (s.undecodable === 'deadLetter' && s.deadLetterTopic && !s.manual) {
      const kept = await this.deadLetterUndecodable(topic, partition, records, items);
      if (kept === undefined) return { kind: 'retry', delayMs: retryDelay(1, s) };
      if (!kept.length) return { kind: 'done' };
      items = kept;
    }

    const plan = planDelivery(s.deliveryMode, s.manual);
    if (plan === 'test') {
      // Another partition's handler may have emitted while this one was decoding: one test event only.
      if (this.emittedManual) return { kind: 'abandoned' };
      this.emittedManual = true;
      this.o.host.emit([items]);
      return { kind: 'done' };
    }
    if (plan === 'commitThenEmit') {
      await batch.commit(nextOffset(records[records.length - 1].offset));
      this.o.host.emit([items]);
      return { kind: 'done' };
    }

    const key = `${topic}|${partition}|${records[0].offset}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    const done = this.o.host.createDeferred();
    this.o.host.emit([items], done);
    const abandon = this.o.abandon.signal();
    const result = await waitForExecution(done.promise, {
      deadlineMs: s.executionDeadlineMs ?? DEFAULT_EXECUTION_DEADLINE_MS,
      signal: abandon.signal,
      heartbeat: () => batch.heartbeat(),
      timers: this.o.timers,
      // The partition waits on this execution: say so, or a lost execution looks like an idle trigger.
      onSlow: (waitedMs) => this.o.host.logger.info(`Kafka trigger: still waiting for the execution of ${key} (${records.length} messages) after ${Math.round(waitedMs / 1000)} s; ${topic}[${partition}] waits with it`),
    }).finally(abandon.release);
    const last = records[records.length - 1].offset;
    const committed = needsCommittedCheck(s.deliveryMode, result)
      ? await committedPast(this.o.connection, s.groupId, topic, partition, last, { logger: this.o.host.logger, isClosed: () => this.o.isClosed() })
      : false;
    const decision: Decision = decide({ mode: s.deliveryMode, result, attempt, size: records.length, committedPast: committed, settings: s });
    switch (decision.kind) {
      case 'stop':
        return { kind: 'abandoned' };
      case 'commit':
        this.attempts.delete(key);
        if (decision.reason === 'committedByTransaction') this.o.host.logger.info(`Kafka trigger: execution for ${key} failed after its transaction committed the offsets; not retried`);
        return { kind: 'done' };
      case 'bisect':
        // Each half runs as its own execution with its own attempts, down to single messages.
        this.attempts.delete(key);
        this.o.host.logger.info(`Kafka trigger: execution for ${key} (${records.length} messages) failed; running its halves separately`);
        return { kind: 'split', halves: [records.slice(0, decision.middle), records.slice(decision.middle)] };
    }
    if (decision.isolate) this.isolated.add(key);
    this.attempts.set(key, attempt);
    const error = result.kind === 'failure' ? result : { error: 'The execution failed', executionId: undefined };
    if (decision.kind === 'deadLetter') {
      try {
        await this.sendToDeadLetter(batch, records, error.error, attempt, error.executionId);
        this.attempts.delete(key);
        return { kind: 'done' };
      } catch (cause) {
        this.o.host.logger.error(`Kafka trigger: could not write ${key} to dead-letter topic ${s.deadLetterTopic}: ${toKafkaSuiteError(cause).message}`);
        return { kind: 'retry', delayMs: decision.delayMs };
      }
    }
    if (decision.exhausted) {
      // No dead-letter topic: never drop the message; keep the partition paused between attempts.
      this.o.host.logger.warn(`Kafka trigger: execution for ${key} failed ${attempt} times and no dead-letter topic is set; retrying in ${decision.delayMs} ms`);
    } else {
      this.o.host.logger.info(`Kafka trigger: execution for ${key} failed (attempt ${attempt}/${s.maxAttempts}), retrying in ${decision.delayMs} ms`);
    }
    return { kind: 'retry', delayMs: decision.delayMs };
  }

  /**
   * "Undecodable messages → dead-letter topic": those messages go there at once (no execution,
   * no retries: running them again cannot decode them) and the rest of the batch is returned.
   * Sent before the execution of the others, so a retry of the batch may copy them again
   * (at-least-once in the dead-letter topic). undefined when the dead-letter topic refused them.
   */
  private async deadLetterUndecodable(topic: string, partition: number, records: ConsumedRecord[], items: INodeExecutionData[]): Promise<INodeExecutionData[] | undefined> {
    const bad = items.flatMap((item, index) => (item.json.decodeError ? [index] : []));
    if (!bad.length) return items;
    const deadLetterTopic = this.o.settings.deadLetterTopic as string;
    const groupId = this.o.settings.groupId;
    try {
      await sendDeadLetters(
        this.o.connection,
        deadLetterTopic,
        bad.map((index) => deadLetterMessage(records[index], { topic, partition, groupId, error: String(items[index].json.decodeError), attempts: 0 })),
      );
    } catch (error) {
      this.o.host.logger.error(`Kafka trigger: could not write undecodable messages of ${topic}[${partition}] to ${deadLetterTopic}: ${toKafkaSuiteError(error).message}`);
      return undefined;
    }
    this.o.host.logger.warn(`Kafka trigger: ${bad.length} undecodable message(s) of ${topic}[${partition}] sent to ${deadLetterTopic}`);
    const sent = new Set(bad);
    return items.filter((_item, index) => !sent.has(index));
  }

  private async sendToDeadLetter(batch: PartitionBatch, records: ConsumedRecord[], error: string, attempts: number, executionId?: string): Promise<void> {
    const s = this.o.settings;
    const { topic, partition } = batch;
    const deadLetterTopic = s.deadLetterTopic as string;
    const copies = records.map((record) => deadLetterMessage(record, { topic, partition, groupId: s.groupId, error, attempts, executionId }));
    // Exactly-once: the dead-letter copy and moving the group past the message commit together.
    const transaction =
      s.deliveryMode === 'exactlyOnce'
        ? { transactionalId: this.o.deadLetterTransactionalId, groupId: s.groupId, topic, partition, nextOffset: nextOffset(records[records.length - 1].offset), member: batch.member() }
        : undefined;
    await sendDeadLetters(this.o.connection, deadLetterTopic, copies, transaction);
    this.o.host.logger.warn(`Kafka trigger: ${records.length} message(s) of ${topic}[${partition}] from offset ${records[0].offset} sent to ${deadLetterTopic} after ${attempts} attempts`);
  }
}
