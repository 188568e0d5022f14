// The Java client's default partitioner for keyed records (murmur2 of the key bytes, positive, modulo
// the partition count), so keyed records land where Java and librdkafka producers put them and
// existing topics keep their key placement whichever client sends.
import { Partitioners } from './vendor';

const javaCompatible = Partitioners.DefaultPartitioner();

/** The partition the Java-compatible partitioner picks for `key` on a topic with `partitionCount` partitions. */
export function partitionForKey(key: Buffer | string | null | undefined, partitionCount: number): number {
  const partitionMetadata = Array.from({ length: partitionCount }, (_, partitionId) => ({ partitionId, leader: partitionId }));
  return javaCompatible({ topic: '', partitionMetadata: partitionMetadata as never, message: { key: key ?? null, value: null } });
}
