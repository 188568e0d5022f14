// The trigger's supervisor and shutdown without a broker: a fake kafkajs consumer lets the test
// crash it the way kafkajs does when it gives up (restart: false) and watch what the runner does.
import { EventEmitter } from 'node:events';
import { clientPool } from '../../nodes/shared';
import { TriggerRunner, type RunnerHost, type RunnerSettings } from '../../nodes/KafkaSuiteTrigger/v1/runner';
import { waitFor } from '../helpers/n8nContext';

const EVENTS = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' };

class FakeConsumer extends EventEmitter {
  events = EVENTS;
  connected = 0;
  disconnected = 0;
  running = false;
  async connect() {
    this.connected++;
  }
  async subscribe() {}
  async run() {
    this.running = true;
  }
  async disconnect() {
    this.disconnected++;
    this.running = false;
  }
  seek() {}
  crash(restart: boolean) {
    this.emit(EVENTS.CRASH, { payload: { error: new Error('boom'), restart } });
  }
}

// Crash counts are kept per group across activations (see crashLedger): one group per test.
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

let consumers: FakeConsumer[] = [];
let spy: jest.SpyInstance;
beforeEach(() => {
  consumers = [];
  warnings.length = 0;
  spy = jest.spyOn(clientPool, 'kafka').mockImplementation(
    () =>
      ({
        kafka: {
          consumer: () => {
            const consumer = new FakeConsumer();
            consumers.push(consumer);
            return consumer;
          },
        },
      }) as any,
  );
});
afterEach(() => spy.mockRestore());

const cred = { platform: 'apache', brokers: 'localhost:1' } as any;

test('a crash kafkajs will not recover from is followed by a fresh consumer', async () => {
  const runner = new TriggerRunner(cred, settings(), host);
  await runner.start();
  expect(consumers).toHaveLength(1);
  consumers[0].crash(false);
  await waitFor(() => consumers.length === 2 && consumers[1].running, { timeoutMs: 5000, what: 'the replacement consumer' });
  expect(consumers[0].disconnected).toBeGreaterThanOrEqual(1);
  expect(warnings.some((w) => /crashed \(restarting it\)/.test(w))).toBe(true);
  await runner.close();
  expect(consumers[1].disconnected).toBe(1);
});

test('a crash kafkajs restarts itself is left to kafkajs', async () => {
  const runner = new TriggerRunner(cred, settings(), host);
  await runner.start();
  consumers[0].crash(true);
  await runner.close();
  expect(consumers).toHaveLength(1);
});

test('closing during the restart backoff cancels the restart; close is idempotent', async () => {
  const runner = new TriggerRunner(cred, settings(), host);
  await runner.start();
  consumers[0].crash(false);
  await Promise.all([runner.close(), runner.close()]);
  await runner.close();
  expect(runner.isClosed).toBe(true);
  // No timer is left that could start a consumer later (checked directly instead of waiting it out).
  expect((runner as unknown as { timers: Set<NodeJS.Timeout> }).timers.size).toBe(0);
  expect(consumers).toHaveLength(1);
  expect(consumers[0].disconnected).toBe(1);
});

/** A batch the fake consumer hands to the runner, whose execution n8n reports as `status`. */
function batchPayload(offset: string) {
  return {
    batch: { topic: 't', partition: 0, messages: [{ offset, key: null, value: Buffer.from('{}'), headers: {}, timestamp: String(Date.now()) }] },
    resolveOffset: () => undefined,
    heartbeat: async () => undefined,
    pause: () => () => undefined,
    commitOffsetsIfNecessary: async () => undefined,
    isRunning: () => true,
    isStale: () => false,
  };
}

test('every crash that stops consumption is reported to n8n; the next activation starts after a backoff that grows until a batch succeeds', async () => {
  const reported: Error[] = [];
  const reportingHost: RunnerHost = {
    ...host,
    reportError: (error) => void reported.push(error),
    createDeferred: () => {
      let resolve!: (run: any) => void;
      const promise = new Promise<any>((r) => (resolve = r));
      return { promise, resolve, reject: () => undefined } as any;
    },
    emit: (_data, done) => done?.resolve({ status: 'success', data: { resultData: {} } } as any),
  };
  const s = settings();
  // n8n closes the activation on emitError and activates the workflow again: a new runner each time.
  const activate = async () => {
    const runner = new TriggerRunner(cred, s, reportingHost);
    const before = consumers.length;
    const started = Date.now();
    await runner.start();
    await waitFor(() => consumers.length === before + 1 && consumers[before].running, { timeoutMs: 10_000, what: 'the consumer of the new activation' });
    return { runner, consumer: consumers[before], waitedMs: Date.now() - started };
  };

  const first = await activate();
  expect(first.waitedMs).toBeLessThan(500);
  first.consumer.crash(false);
  expect(reported).toHaveLength(1);
  await first.runner.close();

  const second = await activate();
  // 1 s ± 20 % jitter after the first crash, 2 s ± 20 % after the second.
  expect(second.waitedMs).toBeGreaterThanOrEqual(750);
  second.consumer.crash(false);
  expect(reported).toHaveLength(2);
  await second.runner.close();

  const third = await activate();
  expect(third.waitedMs).toBeGreaterThanOrEqual(1550);
  // A delivered batch proves the consumer works: the crash count starts again.
  await (third.runner as unknown as { handleBatch(p: unknown): Promise<void> }).handleBatch(batchPayload('0'));
  third.consumer.crash(false);
  expect(reported).toHaveLength(3);
  await third.runner.close();

  const fourth = await activate();
  expect(fourth.waitedMs).toBeLessThan(1300);
  await fourth.runner.close();
  // Reported crashes are n8n's to restart: no runner built a replacement consumer of its own.
  expect(consumers).toHaveLength(4);
}, 30_000);

test('isolating failing messages: a failed batch is bisected, good messages pass, the bad one is retried alone', async () => {
  const executions: string[][] = [];
  const bisectHost: RunnerHost = {
    ...host,
    createDeferred: () => {
      let resolve!: (run: any) => void;
      const promise = new Promise<any>((r) => (resolve = r));
      return { promise, resolve, reject: () => undefined } as any;
    },
    emit: (data, done) => {
      const offsets = data[0].map((item) => String(item.json.offset));
      executions.push(offsets);
      done?.resolve({ status: offsets.includes('5') ? 'error' : 'success', data: { resultData: {} } } as any);
    },
  };
  const runner = new TriggerRunner(cred, settings({ batchSize: 8, bisectFailures: true, maxAttempts: 5 }), bisectHost);
  const resolved: string[] = [];
  const payload = (from: number) => ({
    ...batchPayload('0'),
    batch: {
      topic: 't',
      partition: 0,
      messages: Array.from({ length: 8 - from }, (_, i) => ({ offset: String(from + i), key: null, value: Buffer.from('{}'), headers: {}, timestamp: String(Date.now()) })),
    },
    resolveOffset: (offset: string) => void resolved.push(offset),
  });
  const handle = (p: unknown) => (runner as unknown as { handleBatch(p: unknown): Promise<void> }).handleBatch(p);
  await handle(payload(0));
  expect(executions).toEqual([
    ['0', '1', '2', '3', '4', '5', '6', '7'],
    ['0', '1', '2', '3'],
    ['4', '5', '6', '7'],
    ['4', '5'],
    ['4'],
    ['5'],
  ]);
  expect(resolved).toEqual(['3', '4']);
  // The refetch after the backoff starts at 5 with a full batch: 5 runs alone again, not with 6 and 7.
  executions.length = 0;
  await handle(payload(5));
  expect(executions).toEqual([['5']]);
  await runner.close();
});
