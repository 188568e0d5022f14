// Activating on a large backlog must not exhaust memory: the trigger holds at most
// batch size × parallel partitions messages (plus kafkajs' fetch buffers, bounded in bytes).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Admin, Kafka } from 'kafkajs';
import { clientPool } from '../../../nodes/shared';
import { waitFor } from '../../helpers/n8nContext';
import { committedOffsets, createTopic, openAdmin, rawKafka, startTrigger, unique, type RunningTrigger } from './harness';

const TOTAL = 200_000;
const PARTITIONS = 4;
const BATCH = 500;
// Retained heap (measured after a forced GC) may grow at most this much. Holding the backlog as
// decoded items would take well over 100 MB; a bounded drain measured a few MB.
const RETAINED_GROWTH_LIMIT_MB = 48;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

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

test('draining a 200,000-message backlog keeps heap growth bounded', async () => {
  const topic = await createTopic(admin, unique('backlog'), PARTITIONS);
  const groupId = unique('backlog-group');
  const producer = kafka.producer();
  await producer.connect();
  const padding = 'x'.repeat(120);
  for (let start = 0; start < TOTAL; start += 10_000) {
    await producer.send({ topic, messages: Array.from({ length: 10_000 }, (_, i) => ({ key: String((start + i) % 1000), value: JSON.stringify({ id: start + i, padding }) })) });
  }
  await producer.disconnect();

  gc();
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  let retainedPeak = baseline;
  let processed = 0;
  let largestExecution = 0;
  let running = 0;
  let mostRunning = 0;
  // heapUsed between collections includes garbage not yet collected; the retained size (after a
  // forced GC) is what shows whether the trigger holds on to messages.
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 20);
  const retainedSampler = setInterval(() => {
    gc();
    retainedPeak = Math.max(retainedPeak, process.memoryUsage().heapUsed);
  }, 1500);
  const started = Date.now();
  let trigger: RunningTrigger | undefined;
  try {
    trigger = await startTrigger(
      {
        topicSelection: 'names',
        topics: topic,
        groupId,
        startFrom: 'earliest',
        deliveryMode: 'afterSuccess',
        valueFormat: 'json',
        options: { batchSize: BATCH, concurrency: PARTITIONS, batchWindowMs: 100 },
      },
      async (execution) => {
        running++;
        mostRunning = Math.max(mostRunning, running);
        largestExecution = Math.max(largestExecution, execution.data[0].length);
        processed += execution.data[0].length;
        // The test context keeps every emitted execution; drop them so only the trigger's memory is measured.
        trigger?.context.emitted.splice(0);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
        return 'success' as const;
      },
    );
    await waitFor(() => processed >= TOTAL, { timeoutMs: 100_000, intervalMs: 100, what: `${TOTAL} messages drained` });
  } finally {
    clearInterval(sampler);
    clearInterval(retainedSampler);
    await trigger?.close();
  }
  const elapsed = Date.now() - started;
  const growthMb = (peak - baseline) / 1024 / 1024;
  const retainedMb = (retainedPeak - baseline) / 1024 / 1024;
  console.log(
    `backlog drain: ${TOTAL} messages in ${elapsed} ms (${Math.round(TOTAL / (elapsed / 1000))} msg/s), retained heap growth ${retainedMb.toFixed(1)} MB ` +
      `(limit ${RETAINED_GROWTH_LIMIT_MB} MB), peak heapUsed growth incl. garbage ${growthMb.toFixed(1)} MB, largest execution ${largestExecution} items, ` +
      `at most ${mostRunning} executions at once`,
  );
  expect(processed).toBe(TOTAL);
  expect(largestExecution).toBeLessThanOrEqual(BATCH);
  expect(mostRunning).toBeLessThanOrEqual(PARTITIONS);
  expect(retainedMb).toBeLessThan(RETAINED_GROWTH_LIMIT_MB);
  const committed = await committedOffsets(admin, groupId, topic);
  const ends = await admin.fetchTopicOffsets(topic);
  for (const { partition, high } of ends) expect(committed[partition]).toBe(high);
});
