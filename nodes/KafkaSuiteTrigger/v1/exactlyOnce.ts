// Exactly-once: whether the workflow's transactional Producer already committed a batch's offsets.
import { sleep } from 'n8n-workflow';
import { toKafkaSuiteError, transactionalOffset } from '../../shared';
import type { KafkaConnection } from '../../shared/kafka/api';
import type { RunnerHost } from './runner';

/**
 * Whether a transaction (the workflow's Producer) already moved the group beyond `lastOffset`.
 * Exact for Producers in this process (the ledger); for one in another process (queue mode) the
 * broker is asked a few times, because a committed transaction's offsets become visible there
 * only once its markers are written.
 */
export async function committedPast(
  connection: KafkaConnection,
  groupId: string,
  topic: string,
  partition: number,
  lastOffset: string,
  context: { logger: RunnerHost['logger']; isClosed(): boolean },
): Promise<boolean> {
  const last = BigInt(lastOffset);
  const recorded = transactionalOffset(groupId, topic, partition);
  if (recorded !== undefined && recorded > last) return true;
  for (let check = 0; check < 3; check++) {
    try {
      const [found] = await connection.withAdmin((admin) => admin.fetchOffsets(groupId, [topic]));
      const committed = found?.partitions.find((p) => p.partition === partition)?.offset;
      if (committed !== undefined && Number(committed) >= 0 && BigInt(committed) > last) return true;
    } catch (error) {
      // Unknown: retrying is the safe side (the Producer's transaction then finds the offsets
      // committed and sends nothing, see send.operation.ts); a broker restart is no reason to warn.
      const failure = toKafkaSuiteError(error);
      (failure.retriable ? context.logger.info : context.logger.warn).call(context.logger, `Kafka trigger: could not read committed offsets: ${failure.message}`);
      return false;
    }
    if (context.isClosed()) return false;
    await sleep(150);
  }
  return false;
}
