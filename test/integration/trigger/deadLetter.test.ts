// A message whose execution always fails is retried with backoff (partition paused, not spun),
// then lands on the dead-letter topic with its key, value, headers and the error, and the group
// moves past it.
import type { Admin, Kafka } from 'kafkajs';
import { clientPool } from '../../../nodes/shared';
import { waitFor } from '../../helpers/n8nContext';
import { committedOffsets, consumeFromStart, createTopic, openAdmin, rawKafka, startTrigger, unique } from './harness';

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

test('poison message: 3 attempts with backoff, then the dead-letter topic, then the next message', async () => {
  const topic = await createTopic(admin, unique('dlq-src'), 1);
  const deadLetterTopic = await createTopic(admin, unique('dlq'), 1);
  const groupId = unique('dlq-group');
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: [
      { key: 'poison-key', value: JSON.stringify({ poison: true }), headers: { 'x-trace': 'abc', 'x-bin': Buffer.from([0, 1, 2]) } },
      { key: 'good-key', value: JSON.stringify({ poison: false }) },
    ],
  });
  await producer.disconnect();

  const attemptsAt: number[] = [];
  let goodDone = false;
  const trigger = await startTrigger(
    {
      topicSelection: 'names',
      topics: topic,
      groupId,
      startFrom: 'earliest',
      deliveryMode: 'afterSuccess',
      valueFormat: 'json',
      options: { maxAttempts: 3, retryInitialMs: 300, retryMaxMs: 5000, deadLetterTopic },
    },
    (execution) => {
      const value = execution.data[0][0].json.value as { poison: boolean };
      if (value.poison) {
        attemptsAt.push(Date.now());
        return 'error';
      }
      goodDone = true;
      return 'success';
    },
  );
  try {
    await waitFor(() => goodDone, { timeoutMs: 30_000, what: 'the message after the poison one' });
  } finally {
    await trigger.close();
  }
  expect(attemptsAt).toHaveLength(3);
  // Backoff 300 ms then 600 ms (±20% jitter): the partition waited instead of spinning.
  expect(attemptsAt[1] - attemptsAt[0]).toBeGreaterThanOrEqual(230);
  expect(attemptsAt[2] - attemptsAt[1]).toBeGreaterThanOrEqual(470);

  const [dead] = await consumeFromStart(kafka, deadLetterTopic, 1);
  expect(dead.key?.toString()).toBe('poison-key');
  expect(JSON.parse(dead.value!.toString())).toEqual({ poison: true });
  const headers = Object.fromEntries(Object.entries(dead.headers ?? {}).map(([name, value]) => [name, (value as Buffer).toString()]));
  expect(headers['x-trace']).toBe('abc');
  expect((dead.headers!['x-bin'] as Buffer).equals(Buffer.from([0, 1, 2]))).toBe(true);
  expect(headers['kafka-suite-error']).toBe('workflow failed');
  expect(headers['kafka-suite-attempts']).toBe('3');
  expect(headers['kafka-suite-original-topic']).toBe(topic);
  expect(headers['kafka-suite-original-offset']).toBe('0');
  expect(headers['kafka-suite-group-id']).toBe(groupId);
  expect(headers['kafka-suite-execution-id']).toBeDefined();
  expect(await committedOffsets(admin, groupId, topic)).toEqual({ 0: '2' });
});

test('exactly-once mode: the dead-letter copy and the offset commit in one transaction', async () => {
  const topic = await createTopic(admin, unique('dlq-eos-src'), 1);
  const deadLetterTopic = await createTopic(admin, unique('dlq-eos'), 1);
  const groupId = unique('dlq-eos-group');
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ key: 'p', value: JSON.stringify({ poison: true }) }, { key: 'g', value: JSON.stringify({ poison: false }) }] });
  await producer.disconnect();
  let attempts = 0;
  let goodDone = false;
  const trigger = await startTrigger(
    { topicSelection: 'names', topics: topic, groupId, startFrom: 'earliest', deliveryMode: 'exactlyOnce', valueFormat: 'json', options: { maxAttempts: 2, retryInitialMs: 20, deadLetterTopic } },
    (execution) => {
      if ((execution.data[0][0].json.value as { poison: boolean }).poison) {
        attempts++;
        return 'error';
      }
      goodDone = true;
      return 'success';
    },
  );
  try {
    await waitFor(() => goodDone, { timeoutMs: 30_000, what: 'the message after the poison one' });
  } finally {
    await trigger.close();
  }
  expect(attempts).toBe(2);
  // Visible to read_committed only because its transaction committed.
  const [dead] = await consumeFromStart(kafka, deadLetterTopic, 1);
  expect(dead.key?.toString()).toBe('p');
  expect(dead.headers!['kafka-suite-attempts']!.toString()).toBe('2');
  expect(await committedOffsets(admin, groupId, topic)).toEqual({ 0: '2' });
});
