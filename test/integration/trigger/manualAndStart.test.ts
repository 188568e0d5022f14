// Manual test listens leave the real group alone; new groups start where they are told to.
import type { Admin, Kafka } from 'kafkajs';
import { clientPool } from '../../../nodes/shared';
import { waitFor } from '../../helpers/n8nContext';
import { committedOffsets, createTopic, emittedItems, openAdmin, rawKafka, startTrigger, unique } from './harness';

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

async function produce(topic: string, messages: Array<{ value: string; timestamp?: string }>): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages });
  await producer.disconnect();
}

test('manual test mode returns the first batch and never moves the real group offsets', async () => {
  const topic = await createTopic(admin, unique('manual'), 1);
  const groupId = unique('manual-group');
  await produce(topic, [0, 1, 2, 3, 4].map((n) => ({ value: JSON.stringify({ n }) })));
  await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '2' }] });
  const before = await committedOffsets(admin, groupId, topic);

  const listen = await startTrigger(
    { topicSelection: 'names', topics: topic, groupId, startFrom: 'earliest', deliveryMode: 'afterSuccess', valueFormat: 'json', options: { batchSize: 2 } },
    undefined,
    'manual',
  );
  try {
    await waitFor(() => listen.context.emitted.length > 0, { timeoutMs: 30_000, what: 'the test event' });
  } finally {
    // closeFunction twice (n8n may do so) must be harmless, including concurrently.
    await Promise.all([listen.close(), listen.close()]);
    await listen.close();
  }
  expect(listen.context.emitted).toHaveLength(1);
  expect(emittedItems(listen.context).map((item) => item.json.offset)).toEqual(['0', '1']);
  expect(await committedOffsets(admin, groupId, topic)).toEqual(before);
  // The throwaway group is gone again.
  const { groups } = await admin.listGroups();
  expect(groups.filter((group) => group.groupId.startsWith(`${groupId}.n8n-test.`))).toEqual([]);
});

test('a new group with "timestamp" starts at the first message at or after it', async () => {
  // Months-old record timestamps: retention.ms=-1 keeps the broker's retention check from deleting them mid-test.
  const topic = await createTopic(admin, unique('from-ts'), 1, [{ name: 'retention.ms', value: '-1' }]);
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  await produce(topic, [0, 1, 2].map((n) => ({ value: JSON.stringify({ n }), timestamp: String(t0 + n * 1000) })));
  const parameters = { topicSelection: 'names', topics: topic, groupId: unique('ts-group'), startFrom: 'timestamp', startTimestamp: new Date(t0 + 1000).toISOString(), deliveryMode: 'afterSuccess', valueFormat: 'json' };
  const trigger = await startTrigger(parameters, () => 'success');
  try {
    await waitFor(() => emittedItems(trigger.context).length >= 2, { timeoutMs: 30_000, what: 'two messages' });
  } finally {
    await trigger.close();
  }
  expect(emittedItems(trigger.context).map((item) => (item.json.value as { n: number }).n)).toEqual([1, 2]);

  // The group now has committed offsets: activating again resumes from them, not from the timestamp.
  await produce(topic, [{ value: JSON.stringify({ n: 3 }), timestamp: String(t0 + 3000) }]);
  const again = await startTrigger(parameters, () => 'success');
  try {
    await waitFor(() => emittedItems(again.context).length >= 1, { timeoutMs: 30_000, what: 'the new message' });
  } finally {
    await again.close();
  }
  expect(emittedItems(again.context).map((item) => (item.json.value as { n: number }).n)).toEqual([3]);
});

test('a new group with "latest" only sees messages sent after activation (backlog is not replayed)', async () => {
  const topic = await createTopic(admin, unique('latest'), 1);
  await produce(topic, Array.from({ length: 50 }, (_, n) => ({ value: JSON.stringify({ old: n }) })));
  const trigger = await startTrigger(
    { topicSelection: 'regex', topicPattern: `^${topic}$`, groupId: unique('latest-group'), startFrom: 'latest', deliveryMode: 'afterSuccess', valueFormat: 'json' },
    () => 'success',
  );
  try {
    // Keep sending new messages until the first one arrives: no guess about when the group is ready.
    let sent = 0;
    await waitFor(
      async () => {
        if (emittedItems(trigger.context).length > 0) return true;
        await produce(topic, [{ value: JSON.stringify({ fresh: sent++ }) }]);
        return false;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'a fresh message' },
    );
  } finally {
    await trigger.close();
  }
  const values = emittedItems(trigger.context).map((item) => item.json.value as Record<string, number>);
  expect(values.length).toBeGreaterThan(0);
  expect(values.filter((value) => 'old' in value)).toEqual([]);
});
