// At-least-once under failures and restarts: 10,000 messages, ~5% of executions fail at random,
// and the trigger is closed and activated again twice mid-run. Every message must succeed at least
// once; duplicates are counted and printed (they are allowed, losses are not).
import type { Admin, Kafka } from 'kafkajs';
import { clientPool } from '../../../nodes/shared';
import { waitFor } from '../../helpers/n8nContext';
import { committedOffsets, createTopic, openAdmin, rawKafka, startTrigger, unique, type RunningTrigger } from './harness';

const TOTAL = 10_000;
const PARTITIONS = 4;

// Seeded so a failure can be replayed: mulberry32.
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

test('10,000 messages, 5% failing executions, two restarts: none lost, duplicates counted', async () => {
  const topic = await createTopic(admin, unique('alo'), PARTITIONS);
  const groupId = unique('alo-group');
  const producer = kafka.producer();
  await producer.connect();
  for (let start = 0; start < TOTAL; start += 2000) {
    const messages = Array.from({ length: Math.min(2000, TOTAL - start) }, (_, i) => ({ key: `k${(start + i) % 97}`, value: JSON.stringify({ id: start + i }) }));
    await producer.send({ topic, messages });
  }
  await producer.disconnect();

  const random = seeded(20261122);
  const successes = new Map<number, number>();
  let executions = 0;
  let failures = 0;
  const parameters = {
    topicSelection: 'names',
    topics: topic,
    groupId,
    startFrom: 'earliest',
    deliveryMode: 'afterSuccess',
    valueFormat: 'json',
    options: { concurrency: PARTITIONS, maxAttempts: 1000, retryInitialMs: 5, retryMaxMs: 50, closeGraceMs: 5000, batchWindowMs: 50 },
  };
  const onEmit = (execution: { data: Array<Array<{ json: Record<string, unknown> }>> }) => {
    executions++;
    if (random() < 0.05) {
      failures++;
      return 'error' as const;
    }
    for (const item of execution.data[0]) {
      const id = (item.json.value as { id: number }).id;
      successes.set(id, (successes.get(id) ?? 0) + 1);
    }
    return 'success' as const;
  };

  const started = Date.now();
  let trigger: RunningTrigger = await startTrigger(parameters, onEmit);
  const restarts: number[] = [];
  try {
    for (const threshold of [3000, 6500]) {
      await waitFor(() => successes.size >= threshold, { timeoutMs: 60_000, what: `${threshold} messages processed` });
      await trigger.close();
      restarts.push(successes.size);
      trigger = await startTrigger(parameters, onEmit);
    }
    await waitFor(() => successes.size >= TOTAL, { timeoutMs: 90_000, what: 'all messages processed' });
  } finally {
    await trigger.close();
  }
  const elapsed = Date.now() - started;
  const duplicates = [...successes.values()].reduce((sum, count) => sum + count - 1, 0);
  const missing = Array.from({ length: TOTAL }, (_, id) => id).filter((id) => !successes.has(id));
  // Printed for the report: the measured numbers of this run.
  console.log(
    `at-least-once: ${TOTAL} messages, ${executions} executions, ${failures} failed (${((100 * failures) / executions).toFixed(1)}%), ` +
      `restarts at ${restarts.join(' and ')} processed, ${duplicates} duplicate successes, ${missing.length} lost, ${elapsed} ms`,
  );
  expect(missing).toEqual([]);
  expect(failures).toBeGreaterThan(TOTAL * 0.03);
  expect(restarts).toHaveLength(2);
  // Everything finished is committed: the group ends at the log end of every partition.
  const committed = await committedOffsets(admin, groupId, topic);
  const ends = await admin.fetchTopicOffsets(topic);
  for (const { partition, high } of ends) expect(committed[partition]).toBe(high);
});
