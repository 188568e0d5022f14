// kafkajs' topic-offset calls crash with a TypeError when the broker asked has no partition
// metadata for a just-created topic yet; the adapter (nodes/shared/kafka/kafkajs/admin.ts) asks again
// for a few seconds, then fails with a named, retriable error. Stand-in kafkajs admin.
import { kafkajsAdmin } from '../../nodes/shared/kafka/kafkajs/admin';
import { KafkaSuiteError } from '../../nodes/shared/errors';

const metadataMissing = () => new TypeError("Cannot destructure property 'partitions' of 'high.pop(...)' as it is undefined.");

function standIn(failures: number, error: () => Error = metadataMissing) {
  let calls = 0;
  const admin = {
    fetchTopicOffsets: async () => {
      calls++;
      if (calls <= failures) throw error();
      return [{ partition: 0, offset: '5', high: '5', low: '0' }];
    },
    fetchTopicOffsetsByTimestamp: async () => {
      calls++;
      if (calls <= failures) throw error();
      return [{ partition: 0, offset: '3' }];
    },
  };
  return { adapter: kafkajsAdmin(admin as never, {} as never), calls: () => calls };
}

describe('kafkajs topic offsets while partition metadata is missing', () => {
  it('asks again until the metadata is there', async () => {
    const { adapter, calls } = standIn(2);
    await expect(adapter.fetchTopicOffsets('new-topic')).resolves.toEqual([{ partition: 0, low: '0', high: '5' }]);
    expect(calls()).toBe(3);
    const byTime = standIn(1);
    await expect(byTime.adapter.fetchTopicOffsetsByTimestamp('new-topic', 0)).resolves.toEqual([{ partition: 0, offset: '3' }]);
    expect(byTime.calls()).toBe(2);
  });

  it('gives up after ~6 s with a retriable error naming the topic', async () => {
    const { adapter, calls } = standIn(Infinity);
    const error = await adapter.fetchTopicOffsets('ghost').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KafkaSuiteError);
    expect(error).toMatchObject({ retriable: true, code: 'LEADER_NOT_AVAILABLE', message: expect.stringContaining('"ghost"') });
    expect(calls()).toBe(7);
  }, 15_000);

  it('passes other errors through at once', async () => {
    const { adapter, calls } = standIn(Infinity, () => new Error('This server does not host this topic-partition'));
    await expect(adapter.fetchTopicOffsets('x')).rejects.toThrow('does not host');
    expect(calls()).toBe(1);
  });
});
