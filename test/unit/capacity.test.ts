import { CAPACITY_DEFAULTS, planCapacity, type CapacityInput } from '../../nodes/shared';

const plan = (input: Partial<CapacityInput>) => planCapacity({ ...CAPACITY_DEFAULTS, messagesPerSecond: 1, messageBytes: 1, retentionHours: 1, consumerParallelism: 1, ...input });

describe('capacity planning arithmetic', () => {
  test('storage-bound: 5,000 msg/s of 1 kB kept 7 days', () => {
    const p = plan({ messagesPerSecond: 5000, messageBytes: 1000, retentionHours: 168, consumerParallelism: 6 });
    // 5 MB/s × 604,800 s × 3 = 9,072 GB; 9,072 ÷ (1,000 × 0.7) = 12.96 → 13 brokers
    expect(p).toMatchObject({ partitions: 6, brokers: 13, replicationFactor: 3, minInsyncReplicas: 2, drivers: { partitions: 'consumer parallelism', brokers: 'storage' } });
    expect(p.storage).toEqual({ totalGB: 9072, perBrokerGB: 697.85, perPartitionReplicaGB: 504 });
    expect(p.throughput).toEqual({ ingressMBps: 5, brokerInMBps: 15, brokerOutMBps: 15 });
    expect(p.arithmetic).toEqual(
      expect.arrayContaining([
        'ingress = 5000 msg/s × 1000 B = 5 MB/s',
        'storage = 5 MB/s × 604800 s retention × RF 3 = 9072 GB',
        'brokers for storage = ⌈9072 GB ÷ (1000 GB × 0.7)⌉ = 13',
        'brokers = max(1, 13, 1, 3) = 13',
      ]),
    );
    expect(p.warnings).toEqual([expect.stringContaining('504 GB')]);
  });

  test('consumer-bound: partitions rounded up to a multiple of the parallelism, compression halves storage', () => {
    const p = plan({ messagesPerSecond: 50_000, messageBytes: 200, retentionHours: 24, consumerParallelism: 4, consumerMessagesPerSecond: 2000, compressionRatio: 0.5 });
    // 50,000 ÷ 2,000 = 25 partitions → 28 (multiple of 4); 10 MB/s × 86,400 s × 3 × 0.5 = 1,296 GB → 2 brokers by disk, 3 by RF
    expect(p).toMatchObject({ partitions: 28, brokers: 3, drivers: { partitions: 'consumer throughput', brokers: 'replication factor' } });
    expect(p.storage.totalGB).toBe(1296);
    expect(p.arithmetic).toContain('partitions = max(1, 25, 4) = 25, rounded up to a multiple of 4 consumers = 28');
    expect(p.warnings).toEqual([]);
  });

  test('network-bound: 1 GB/s ingress read by two groups', () => {
    const p = plan({ messagesPerSecond: 100_000, messageBytes: 10_000, retentionHours: 1, consumerParallelism: 10, consumerMessagesPerSecond: 10_000, consumerGroups: 2 });
    // out = 1000 × (2 + 2) = 4,000 MB/s ÷ (125 × 0.7) = 45.7 → 46 brokers
    expect(p).toMatchObject({ partitions: 100, brokers: 46, drivers: { partitions: 'producer throughput', brokers: 'network' } });
    expect(p.throughput).toEqual({ ingressMBps: 1000, brokerInMBps: 3000, brokerOutMBps: 4000 });
  });

  test('growth factor scales the load before sizing', () => {
    const p = plan({ messagesPerSecond: 3000, messageBytes: 100, retentionHours: 1, consumerParallelism: 2, growthFactor: 2 });
    expect(p.partitions).toBe(6);
    expect(p.arithmetic[0]).toBe('sized load = 3000 msg/s × growth 2 = 6000 msg/s');
  });

  test('replication factor below 3 is warned about; impossible inputs are refused with the field name', () => {
    expect(plan({ replicationFactor: 2 }).warnings).toEqual([expect.stringContaining('Replication factor 2')]);
    expect(() => plan({ messageBytes: 0 })).toThrow('messageBytes must be a number above 0 (got 0)');
    expect(() => plan({ consumerParallelism: 1.5 })).toThrow('consumerParallelism must be a whole number');
    expect(() => plan({ targetUtilization: 1.2 })).toThrow('targetUtilization is a share between 0 and 1');
  });
});
