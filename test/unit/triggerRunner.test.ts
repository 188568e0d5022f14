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

const settings = (extra: Partial<RunnerSettings> = {}): RunnerSettings => ({
  topics: ['t'],
  groupId: 'g',
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
