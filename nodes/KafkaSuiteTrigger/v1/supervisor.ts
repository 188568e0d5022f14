// Keeps one consumer running for a Trigger activation: builds it, starts it after the crash backoff,
// and when the client gives up, reports the crash to n8n (which restarts the activation) or, with no
// one to report to, rebuilds the consumer itself.
import { toKafkaSuiteError } from '../../shared';
import type { ConsumerEvents, KafkaConsumer, PartitionBatch } from '../../shared/kafka/api';
import { backoffDelay } from './backoff';
import type { RunnerHost } from './runner';
import type { Timers } from './timers';

// Consecutive crashes that stopped consumption, per group, in this process. Kept outside the
// activation because a reported crash makes n8n close it and start a new one: the backoff must keep
// growing across those until a batch succeeds, or a crash loop retries every second for ever.
const crashLedger = new Map<string, number>();
export const CRASH_BACKOFF = { initialMs: 1000, maxMs: 5 * 60_000 };

export interface SupervisorOptions {
  groupId: string;
  /** A test listen never waits for an earlier crash's backoff. */
  manual: boolean;
  /** A new consumer (the connection's consumer factory with the Trigger's options). */
  build(): KafkaConsumer;
  /** Work before each start (planning start offsets); a failure counts as a crash. */
  prepare(): Promise<void>;
  handler(batch: PartitionBatch): Promise<void>;
  assigned: NonNullable<ConsumerEvents['assigned']>;
  /** Adds where the consumer tried to connect to a start failure. */
  describeFailure(error: unknown): Error;
  host: Pick<RunnerHost, 'logger' | 'reportError'>;
  timers: Timers;
  isClosed(): boolean;
}

export class Supervisor {
  private consumer?: KafkaConsumer;

  constructor(private readonly o: SupervisorOptions) {}

  /** Consecutive crashes of this group so far. */
  static crashes(groupId: string): number {
    return crashLedger.get(groupId) ?? 0;
  }

  /** Starts consuming now, or after the backoff when the group crashed before. */
  async start(): Promise<void> {
    const crashes = this.o.manual ? 0 : Supervisor.crashes(this.o.groupId);
    if (crashes > 0) {
      // Reactivated after a crash: activation succeeds now, consuming starts after the backoff.
      const delay = backoffDelay(crashes, CRASH_BACKOFF);
      this.o.host.logger.info(`Kafka trigger: group ${this.o.groupId} crashed ${crashes} time(s) in a row; consuming again in ${delay} ms`);
      this.later(delay, () => this.startOrCrash());
      return;
    }
    await this.o.prepare();
    await this.run();
  }

  /** A batch was delivered: the consumer works, the crash count starts again. */
  succeeded(): void {
    crashLedger.delete(this.o.groupId);
  }

  seek(topic: string, partition: number, offset: string): void {
    this.consumer?.seek(topic, partition, offset);
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }

  private later(delayMs: number, fn: () => Promise<void>): void {
    if (this.o.isClosed()) return;
    this.o.timers.later(delayMs, () => {
      if (!this.o.isClosed()) void fn();
    });
  }

  private async startOrCrash(): Promise<void> {
    try {
      await this.o.prepare();
      await this.run();
    } catch (error) {
      this.crashed(error);
    }
  }

  private async run(): Promise<void> {
    const consumer = this.o.build();
    this.consumer = consumer;
    try {
      await consumer.start(this.o.handler, {
        // The crash backoff is not reset on a join: a consumer that joins and crashes again at once
        // would otherwise retry every second for ever. Only a delivered batch proves it works.
        assigned: this.o.assigned,
        crashed: (error) => this.crashed(error, consumer),
        // A retriable crash the client restarts itself (a broker restarting, a rebalance): detail, not a problem.
        recovering: (error) => this.o.host.logger.info(`Kafka trigger: consumer crashed, the client restarts it: ${toKafkaSuiteError(error).message}`),
      });
    } catch (error) {
      await consumer.stop().catch(() => undefined);
      throw this.o.describeFailure(error);
    }
    if (this.o.isClosed()) await consumer.stop().catch(() => undefined);
  }

  /**
   * Consumption stopped and the client will not restart it. Reported to n8n when the host can (n8n
   * shows the error, runs the error workflow, closes this activation and activates the workflow
   * again, which starts after the grown backoff); otherwise this supervisor rebuilds the consumer.
   */
  private crashed(error: unknown, consumer?: KafkaConsumer): void {
    if (this.o.isClosed()) return;
    const crashes = Supervisor.crashes(this.o.groupId) + 1;
    crashLedger.set(this.o.groupId, crashes);
    const failure = toKafkaSuiteError(error);
    const { logger, reportError } = this.o.host;
    if (reportError) {
      logger.warn(`Kafka trigger: consumer of group ${this.o.groupId} crashed (crash ${crashes} in a row, reported to n8n, which restarts the trigger): ${failure.message}`);
      reportError(failure);
      return;
    }
    logger.warn(`Kafka trigger: consumer crashed (restarting it): ${failure.message}`);
    const crashedConsumer = consumer ?? this.consumer;
    this.later(backoffDelay(crashes, CRASH_BACKOFF), async () => {
      if (this.consumer !== crashedConsumer) return;
      await crashedConsumer?.stop().catch(() => undefined);
      if (this.o.isClosed()) return;
      try {
        await this.run();
      } catch (restartError) {
        this.crashed(restartError);
      }
    });
  }
}
