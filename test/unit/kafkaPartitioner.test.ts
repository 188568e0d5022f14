import { partitionForKey } from '../../nodes/shared';

// Murmur2 hashes from Apache Kafka's own UtilsTest.testMurmur2: the partition is the positive hash
// modulo the partition count, as in the Java client's default (and librdkafka's murmur2) partitioner.
const JAVA_MURMUR2: Array<[Buffer, number]> = [
  [Buffer.from('21'), -973932308],
  [Buffer.from('foobar'), -790332482],
  [Buffer.from('a-little-bit-long-string'), -985981536],
  [Buffer.from('a-little-bit-longer-string'), -1486304829],
  [Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'), -58897971],
  [Buffer.from('abc'), 479470107],
];

describe('partitionForKey (the adapter partitioner)', () => {
  it.each(JAVA_MURMUR2)('places key %s where the Java client does', (key, hash) => {
    for (const partitions of [1, 3, 7, 12, 1000]) {
      expect(partitionForKey(key, partitions)).toBe((hash & 0x7fffffff) % partitions);
    }
  });

  it('hashes a string key as its UTF-8 bytes', () => {
    expect(partitionForKey('foobar', 12)).toBe(partitionForKey(Buffer.from('foobar'), 12));
    expect(partitionForKey('ключ', 12)).toBe(partitionForKey(Buffer.from('ключ', 'utf8'), 12));
  });
});
