// The Trigger wired from its parts, without a broker: a fake of the suite's own connection API
// (api.ts) lets the test crash the consumer the way a client does when it gives up, hand it
// batches, and see what the runner commits, pauses, dead-letters and reports.
import type { ConsumerEvents, KafkaConnection, KafkaConsumer, OutgoingRecord, PartitionBatch, TopicPartitionOffset } from '../../nodes/shared/kafka/api';
import { TriggerRunner, type RunnerHost, type RunnerSettings } from '../../nodes/KafkaSuiteTrigger/v1/runner';
import { waitFor } from '../helpers/n8nContext';

class FakeConsumer implements KafkaConsumer {
  started = 0;
  stopped = 0;
  running = false;
  handler?: (batch: PartitionBatch) => Promise<void>;
  events: ConsumerEvents = {};
  seeks: string[] = [];
  async start(handler: (batch: PartitionBatch) => Promise<void>, events: ConsumerEvents = {}) {
    this.started++;
    this.handler = handler;
    this.events = events;
    this.running = true;
  }
  seek(topic: string, partition: number, offset: string) {
    this.seeks.push(`${topic}|${partition}|${offset}`);
  }
  private readonly inFlight = new Set<Promise<void>>();
  /** Hands a batch to the runner as a client's delivery loop does. */
  deliver(batch: PartitionBatch): Promise<void> {
    const running = this.handler!(batch).finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
    return running;
  }
  /** Like a real client: leaving waits for the batches being handled. */
  async stop() {
    this.stopped++;
    this.running = false;
    await Promise.allSettled([...this.inFlight]);
  }
  crash() {
    this.events.crashed?.(new Error('boom'));
  }
}

interface Sent {
  records: OutgoingRecord[];
  transactionalId?: string;
  offsets?: { groupId: string; offsets: TopicPartitionOffset[] };
}

let consumers: FakeConsumer[] = [];
let sent: Sent[] = [];
let refuseDeadLetters = false;
const connection: KafkaConnection = {
  key: 'fake',
  resolved: { summary: { brokers: ['localhost:1'], mechanism: 'none' } } as any,
  clientLibrary: 'kafkajs',
  consumer: () => {
    const consumer = new FakeConsumer();
    consumers.push(consumer);
    return consumer;
  },
  withProducer: async (options, use) =>
    use(
      {
        send: async (records) => {
          if (refuseDeadLetters) throw new Error('dead-letter topic refused');
          sent.push({ records });
          return [];
        },
        transaction: async (work) => {
          const entry: Sent = { records: [], transactionalId: options.transactionalId };
          const result = await work({
            send: async (records) => void entry.records.push(...records) ?? [],
            sendOffsets: async (groupId, offsets) => void (entry.offsets = { groupId, offsets }),
          });
          sent.push(entry);
          return result;
        },
      },
      () => undefined,
    ),
  withAdmin: async (use) => use({ fetchOffsets: async () => [], deleteGroups: async () => undefined } as any),
  forgetTopics: () => undefined,
};

// Crash counts are kept per group across activations (see supervisor.ts): one group per test.
let groups = 0;
const settings = (extra: Partial<RunnerSettings> = {}): RunnerSettings => ({
  topics: ['t'],
  groupId: `g-${++groups}`,
  startFrom: 'latest',
  deliveryMode: 'afterSuccess',
  valueFormat: 'json',
  batchSize: 1,
  batchWindowMs: 100,
  concurrency: 1,
  maxAttempts: 3,
  retryInitialMs: 10,
  retryMaxMs: 100,
  rawHeaders: false,
  binaryPropertyName: 'data',
  sessionTimeout: 30000,
  groupProtocol: 'classic',
  maxBytesPerPartition: 1024,
  closeGraceMs: 100,
  manual: false,
  ...extra,
});

const warnings: string[] = [];
const host: RunnerHost = {
  emit: () => undefined,
  createDeferred: () => {
    throw new Error('not used');
  },
  prepareBinaryData: async () => ({ data: '', mimeType: 'application/octet-stream' }),
  logger: { debug: () => undefined, info: () => undefined, warn: (message) => void warnings.push(message), error: () => undefined },
};

/** A host whose executions end as `status(offsets)` says ('pending' = never settled). */
function executingHost(status: (offsets: string[]) => string, executions: string[][] = []): RunnerHost {
  return {
    ...host,
    reportError: undefined,
    createDeferred: () => {
      let resolve!: (run: any) => void;
      const promise = new Promise<any>((r) => (resolve = r));
      return { promise, resolve, reject: () => undefined } as any;
    },
    emit: (data, done) => {
      const offsets = data[0].map((item) => String(item.json.offset));
      executions.push(offsets);
      const result = status(offsets);
      if (result !== 'pending') done?.resolve({ status: result, data: { resultData: { error: result === 'error' ? { message: 'node failed' } : undefined } } } as any);
    },
  };
}

/** One partition's batch as a consumer hands it over, recording what the runner does with it. */
function batchOf(from: number, count: number) {
  const log = { commits: [] as string[], handled: [] as string[], paused: 0, resumed: 0 };
  const batch: PartitionBatch = {
    topic: 't',
    partition: 0,
    records: Array.from({ length: count }, (_, i) => ({ topic: 't', partition: 0, offset: String(from + i), key: null, value: Buffer.from('{}'), headers: {}, timestamp: String(Date.now()) })),
    highWatermark: String(from + count),
    heartbeat: async () => undefined,
    isActive: () => true,
    commit: async (offset) => void log.commits.push(offset),
    markHandled: (offset) => void log.handled.push(offset),
    pause: () => {
      log.paused++;
      return () => void log.resumed++;
    },
    member: () => undefined,
  };
  return { batch, log };
}

beforeEach(() => {
  consumers = [];
  sent = [];
  refuseDeadLetters = false;
  warnings.length = 0;
});

test('a crash the client will not recover from is followed by a fresh consumer', async () => {
  const runner = new TriggerRunner(connection, settings(), host);
  await runner.start();
  expect(consumers).toHaveLength(1);
  consumers[0].crash();
  await waitFor(() => consumers.length === 2 && consumers[1].running, { timeoutMs: 5000, what: 'the replacement consumer' });
  expect(consumers[0].stopped).toBeGreaterThanOrEqual(1);
  expect(warnings.some((w) => /crashed \(restarting it\)/.test(w))).toBe(true);
  await runner.close();
  expect(consumers[1].stopped).toBe(1);
});

test('a crash the client restarts itself is left to the client', async () => {
  const runner = new TriggerRunner(connection, settings(), host);
  await runner.start();
  consumers[0].events.recovering?.(new Error('broker restarting'));
  await runner.close();
  expect(consumers).toHaveLength(1);
  expect(warnings).toEqual([]);
});

test('closing during the restart backoff cancels the restart; close is idempotent', async () => {
  const runner = new TriggerRunner(connection, settings(), host);
  await runner.start();
  consumers[0].crash();
  await Promise.all([runner.close(), runner.close()]);
  await runner.close();
  expect(runner.isClosed).toBe(true);
  // No timer is left that could start a consumer later (checked directly instead of waiting it out).
  expect(runner.timers.size).toBe(0);
  expect(consumers).toHaveLength(1);
  expect(consumers[0].stopped).toBe(1);
});

test('a start that fails names the brokers and leaves no consumer running', async () => {
  const failing: KafkaConnection = {
    ...connection,
    consumer: () => {
      const consumer = new FakeConsumer();
      consumers.push(consumer);
      consumer.start = async () => Promise.reject(new Error('Connection error: ECONNREFUSED'));
      return consumer;
    },
  };
  const runner = new TriggerRunner(failing, settings(), host);
  await expect(runner.start()).rejects.toThrow(/localhost:1/);
  expect(consumers[0].stopped).toBe(1);
  await runner.close();
});

test('every crash that stops consumption is reported to n8n; the next activation starts after a backoff that grows until a batch succeeds', async () => {
  const reported: Error[] = [];
  const reportingHost: RunnerHost = { ...executingHost(() => 'success'), reportError: (error) => void reported.push(error) };
  const s = settings();
  // n8n closes the activation on emitError and activates the workflow again: a new runner each time.
  const activate = async () => {
    const runner = new TriggerRunner(connection, s, reportingHost);
    const before = consumers.length;
    const started = Date.now();
    await runner.start();
    await waitFor(() => consumers.length === before + 1 && consumers[before].running, { timeoutMs: 10_000, what: 'the consumer of the new activation' });
    return { runner, consumer: consumers[before], waitedMs: Date.now() - started };
  };

  const first = await activate();
  expect(first.waitedMs).toBeLessThan(500);
  first.consumer.crash();
  expect(reported).toHaveLength(1);
  await first.runner.close();

  const second = await activate();
  // 1 s ± 20 % jitter after the first crash, 2 s ± 20 % after the second.
  expect(second.waitedMs).toBeGreaterThanOrEqual(750);
  second.consumer.crash();
  expect(reported).toHaveLength(2);
  await second.runner.close();

  const third = await activate();
  expect(third.waitedMs).toBeGreaterThanOrEqual(1550);
  // A delivered batch proves the consumer works: the crash count starts again.
  await third.consumer.deliver(batchOf(0, 1).batch);
  third.consumer.crash();
  expect(reported).toHaveLength(3);
  await third.runner.close();

  const fourth = await activate();
  expect(fourth.waitedMs).toBeLessThan(1300);
  await fourth.runner.close();
  // Reported crashes are n8n's to restart: no runner built a replacement consumer of its own.
  expect(consumers).toHaveLength(4);
}, 30_000);

test('successful executions are marked handled and committed at the next offset, once at the end of the batch', async () => {
  const runner = new TriggerRunner(connection, settings(), executingHost(() => 'success'));
  await runner.start();
  const { batch, log } = batchOf(10, 3);
  await consumers[0].deliver(batch);
  expect(log.handled).toEqual(['10', '11', '12']);
  expect(log.commits).toEqual(['13']);
  await runner.close();
});

test('a failed execution pauses the partition, resumes it after the backoff, and commits nothing', async () => {
  const runner = new TriggerRunner(connection, settings({ retryInitialMs: 50, retryMaxMs: 50 }), executingHost(() => 'error'));
  await runner.start();
  const { batch, log } = batchOf(0, 2);
  await consumers[0].deliver(batch);
  expect(log).toMatchObject({ commits: [], handled: [], paused: 1 });
  await waitFor(() => log.resumed === 1, { timeoutMs: 2000, what: 'the partition resumed' });
  await runner.close();
});

test('after Max Attempts the message goes to the dead-letter topic and is committed; a refusing topic means another retry', async () => {
  const executions: string[][] = [];
  const runner = new TriggerRunner(connection, settings({ maxAttempts: 2, deadLetterTopic: 'dlq' }), executingHost(() => 'error', executions));
  await runner.start();
  const first = batchOf(4, 1);
  await consumers[0].deliver(first.batch);
  expect(first.log.commits).toEqual([]);
  refuseDeadLetters = true;
  const second = batchOf(4, 1);
  await consumers[0].deliver(second.batch);
  expect(second.log).toMatchObject({ commits: [], paused: 1 });
  refuseDeadLetters = false;
  const third = batchOf(4, 1);
  await consumers[0].deliver(third.batch);
  expect(third.log.commits).toEqual(['5']);
  expect(sent).toHaveLength(1);
  expect(sent[0].records[0]).toMatchObject({ topic: 'dlq', headers: { 'kafka-suite-attempts': '3', 'kafka-suite-error': 'node failed', 'kafka-suite-original-offset': '4' } });
  expect(executions).toHaveLength(3);
  await runner.close();
});

test('exactly-once: the dead-letter copy and the group offset commit in one transaction', async () => {
  const s = settings({ maxAttempts: 1, deadLetterTopic: 'dlq', deliveryMode: 'exactlyOnce' });
  const runner = new TriggerRunner(connection, s, executingHost(() => 'error'));
  await runner.start();
  const { batch } = batchOf(7, 1);
  await consumers[0].deliver(batch);
  expect(sent).toHaveLength(1);
  expect(sent[0].transactionalId).toMatch(new RegExp(`^n8n-kafka-suite-dlq-${s.groupId}-`));
  expect(sent[0].records.map((r) => r.topic)).toEqual(['dlq']);
  expect(sent[0].offsets).toEqual({ groupId: s.groupId, offsets: [{ topic: 't', partition: 0, offset: '8' }] });
  await runner.close();
});

test('at-most-once commits before the execution starts and never waits for it', async () => {
  const order: string[] = [];
  const runner = new TriggerRunner(connection, settings({ deliveryMode: 'onReceipt' }), { ...host, emit: () => void order.push('emit') });
  await runner.start();
  const { batch } = batchOf(0, 1);
  batch.commit = async (offset) => void order.push(`commit ${offset}`);
  await consumers[0].deliver(batch);
  expect(order).toEqual(['commit 1', 'emit']);
  await runner.close();
});

test('an execution n8n never reports on fails at the deadline; closing abandons a running one after the grace period', async () => {
  const runner = new TriggerRunner(connection, settings({ executionDeadlineMs: 200, closeGraceMs: 100 }), executingHost(() => 'pending'));
  await runner.start();
  const timedOut = batchOf(0, 1);
  const started = Date.now();
  await consumers[0].deliver(timedOut.batch);
  expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  expect(timedOut.log).toMatchObject({ commits: [], paused: 1 });

  const closing = new TriggerRunner(connection, settings({ executionDeadlineMs: 60_000, closeGraceMs: 100 }), executingHost(() => 'pending'));
  await closing.start();
  const running = batchOf(0, 1);
  const handled = consumers[1].deliver(running.batch);
  const closedAt = Date.now();
  await closing.close();
  await handled;
  expect(Date.now() - closedAt).toBeLessThan(5000);
  expect(running.log).toMatchObject({ commits: [], handled: [], paused: 0 });
  await runner.close();
});

test('isolating failing messages: a failed batch is bisected, good messages pass, the bad one is retried alone', async () => {
  const executions: string[][] = [];
  const runner = new TriggerRunner(connection, settings({ batchSize: 8, bisectFailures: true, maxAttempts: 5 }), executingHost((offsets) => (offsets.includes('5') ? 'error' : 'success'), executions));
  await runner.start();
  const first = batchOf(0, 8);
  await consumers[0].deliver(first.batch);
  expect(executions).toEqual([
    ['0', '1', '2', '3', '4', '5', '6', '7'],
    ['0', '1', '2', '3'],
    ['4', '5', '6', '7'],
    ['4', '5'],
    ['4'],
    ['5'],
  ]);
  expect(first.log.handled).toEqual(['3', '4']);
  // The refetch after the backoff starts at 5 with a full batch: 5 runs alone again, not with 6 and 7.
  executions.length = 0;
  await consumers[0].deliver(batchOf(5, 3).batch);
  expect(executions).toEqual([['5']]);
  await runner.close();
});
