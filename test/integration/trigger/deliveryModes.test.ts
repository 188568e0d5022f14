// When offsets are committed in each delivery mode, measured with the admin API while an
// execution is still running; batches by size and window; closing during a retry backoff.
import type { Admin, Kafka } from 'kafkajs';
import { clientPool } from '../../../nodes/shared';
import { waitFor, type EmittedExecution } from '../../helpers/n8nContext';
import { committedOffsets, createTopic, openAdmin, rawKafka, startTrigger, unique } from './harness';

let kafka: Kafka;
let admin: Admin;
beforeAll(async () => {
  kafka = rawKafka();
  admin = await openAdmin(kafka);
});
afterAll(async () => {
  await admin.disconnect();
  await clientPool.closeAll();
});

async function produce(topic: string, values: string[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: values.map((value) => ({ value })) });
  await producer.disconnect();
}

const base = (topic: string, groupId: string, deliveryMode: string, options: Record<string, unknown> = {}) => ({
  topicSelection: 'names',
  topics: topic,
  groupId,
  startFrom: 'earliest',
  deliveryMode,
  valueFormat: 'string',
  options,
});

test.each(['afterSuccess', 'afterExecution'])('%s: the offset is not committed while the execution runs, and is after it ends', async (mode) => {
  const topic = await createTopic(admin, unique(`pending-${mode}`), 1);
  const groupId = unique('pending-group');
  await produce(topic, ['a']);
  const pending: EmittedExecution[] = [];
  const trigger = await startTrigger(base(topic, groupId, mode), (execution) => void pending.push(execution));
  try {
    await waitFor(() => pending.length === 1, { what: 'the execution to start' });
    // Give the trigger every chance to commit early: a commit round trip takes milliseconds.
    await waitFor(async () => (await admin.describeGroups([groupId])).groups[0].state === 'Stable', { what: 'stable group' });
    expect(await committedOffsets(admin, groupId, topic)).toEqual({ 0: '-1' });
    pending[0].finish(mode === 'afterExecution' ? 'error' : 'success');
    await waitFor(async () => (await committedOffsets(admin, groupId, topic))[0] === '1', { what: 'the commit after the execution' });
  } finally {
    await trigger.close();
  }
  // afterExecution commits a failed execution too, without retrying it.
  expect(pending).toHaveLength(1);
});

test('onReceipt: the offset is committed before the execution finishes (at-most-once)', async () => {
  const topic = await createTopic(admin, unique('receipt'), 1);
  const groupId = unique('receipt-group');
  await produce(topic, ['a', 'b']);
  const pending: EmittedExecution[] = [];
  const trigger = await startTrigger(base(topic, groupId, 'onReceipt'), (execution) => void pending.push(execution));
  try {
    await waitFor(() => pending.length === 2, { what: 'both executions' });
    expect(pending.every((execution) => execution.donePromise === undefined)).toBe(true);
    await waitFor(async () => (await committedOffsets(admin, groupId, topic))[0] === '2', { what: 'commit on receipt' });
  } finally {
    await trigger.close();
  }
});

test('closing during a retry backoff returns at once and leaves the failed message uncommitted', async () => {
  const topic = await createTopic(admin, unique('close-retry'), 1);
  const groupId = unique('close-retry-group');
  await produce(topic, ['fails']);
  let attempts = 0;
  const trigger = await startTrigger(base(topic, groupId, 'afterSuccess', { retryInitialMs: 60_000, maxAttempts: 5 }), () => {
    attempts++;
    return 'error';
  });
  await waitFor(() => attempts === 1, { what: 'the first attempt' });
  const started = Date.now();
  await trigger.close();
  const closeMs = Date.now() - started;
  expect(closeMs).toBeLessThan(5_000);
  expect(attempts).toBe(1);
  expect(await committedOffsets(admin, groupId, topic)).toEqual({ 0: '-1' });
});

test('batches: at most N messages per execution, and a window bounds how long a small batch waits', async () => {
  const topic = await createTopic(admin, unique('batch'), 1);
  const groupId = unique('batch-group');
  await produce(topic, Array.from({ length: 25 }, (_, i) => `backlog-${i}`));
  const sizes: number[] = [];
  const trigger = await startTrigger(base(topic, groupId, 'afterSuccess', { batchSize: 10, batchWindowMs: 1000 }), (execution) => {
    sizes.push(execution.data[0].length);
    return 'success';
  });
  try {
    await waitFor(() => sizes.reduce((a, b) => a + b, 0) === 25, { what: 'the backlog' });
    expect(sizes).toEqual([10, 10, 5]);
    // Five messages trickling in over ~400 ms: far fewer than 10 bytes-worth, so the fetch is held
    // until the window ends and they arrive together (at most two executions, each within the window).
    const before = sizes.length;
    const sentAt = Date.now();
    for (let i = 0; i < 5; i++) {
      await produce(topic, [`trickle-${i}`]);
      await new Promise((resolve) => setTimeout(resolve, 80));
    }
    await waitFor(() => sizes.reduce((a, b) => a + b, 0) === 30, { what: 'the trickle' });
    const latency = Date.now() - sentAt;
    expect(sizes.length - before).toBeLessThanOrEqual(2);
    expect(latency).toBeLessThan(3_000);
  } finally {
    await trigger.close();
  }
});
