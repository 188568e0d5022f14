// Consume-transform-produce: the Trigger in exactly-once mode plus a transactional Producer with
// "Commit Consumed Offsets". Executions fail before the transaction (retried) and after it
// committed (not retried), and the trigger is restarted mid-run; a read_committed reader of the
// output must see every input exactly once.
import type { Admin, Kafka } from 'kafkajs';
import type { INodeExecutionData } from 'n8n-workflow';
import { clientPool } from '../../../nodes/shared';
import * as ledger from '../../../nodes/shared/transactionLedger';
import { waitFor } from '../../helpers/n8nContext';
import { committedOffsets, createTopic, openAdmin, rawKafka, readJsonUntilMarker, runProducer, startTrigger, transactionalProducerParameters, unique, type RunningTrigger } from './harness';

const TOTAL = 300;

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

async function consumeTransformProduce(label: string): Promise<void> {
  const input = await createTopic(admin, unique('eos-in'), 2);
  const output = await createTopic(admin, unique('eos-out'), 1);
  const groupId = unique('eos-group');
  const transactionalId = unique('eos-tx');
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: input, messages: Array.from({ length: TOTAL }, (_, id) => ({ key: String(id % 7), value: JSON.stringify({ id }) })) });
  await producer.disconnect();

  let execution = 0;
  let failedBefore = 0;
  let failedAfter = 0;
  const handled = new Set<number>();
  // A field no item has: the Producer fails before its transaction begins.
  const producerParameters = (broken: boolean) => transactionalProducerParameters(output, transactionalId, broken ? 'missing' : 'value');

  const onEmit = async ({ data }: { data: INodeExecutionData[][] }) => {
    const n = execution++;
    const items = data[0];
    expect(items.every((item) => (item.json.kafkaSource as { groupId: string }).groupId === groupId)).toBe(true);
    if (n % 9 === 4) {
      failedBefore++;
      const error = await runProducer(producerParameters(true), items).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      return 'error' as const;
    }
    await runProducer(producerParameters(false), items);
    for (const item of items) handled.add((item.json.value as { id: number }).id);
    if (n % 11 === 7) {
      // The workflow fails after its Producer committed: retrying would duplicate the output.
      failedAfter++;
      return 'error' as const;
    }
    return 'success' as const;
  };
  const parameters = {
    topicSelection: 'names',
    topics: input,
    groupId,
    startFrom: 'earliest',
    deliveryMode: 'exactlyOnce',
    valueFormat: 'json',
    options: { batchSize: 10, concurrency: 2, maxAttempts: 100, retryInitialMs: 10, retryMaxMs: 100 },
  };
  let trigger: RunningTrigger = await startTrigger(parameters, onEmit);
  try {
    await waitFor(() => handled.size >= TOTAL / 2, { timeoutMs: 60_000, what: 'half the input' });
    await trigger.close();
    trigger = await startTrigger(parameters, onEmit);
    await waitFor(() => handled.size >= TOTAL, { timeoutMs: 60_000, what: 'all input' });
  } finally {
    await trigger.close();
  }

  const ids = (await readJsonUntilMarker(kafka, output)).map((value) => value.id as number);
  const duplicates = ids.length - new Set(ids).size;
  console.log(`exactly-once (${label}): ${TOTAL} inputs, ${execution} executions, ${failedBefore} failed before and ${failedAfter} after the transaction, ${ids.length} outputs, ${duplicates} duplicates`);
  expect(failedBefore).toBeGreaterThan(0);
  expect(failedAfter).toBeGreaterThan(0);
  expect(duplicates).toBe(0);
  expect(new Set(ids)).toEqual(new Set(Array.from({ length: TOTAL }, (_, id) => id)));
  const committed = await committedOffsets(admin, groupId, input);
  for (const { partition, high } of await admin.fetchTopicOffsets(input)) expect(committed[partition]).toBe(high);
}

test('every input appears exactly once in the output despite failures and a restart', () => consumeTransformProduce('same process'));

test('the same when the Producer ran in another process (queue mode): the broker is asked instead', async () => {
  // Hide the in-process record of committed transactions, as for a Producer on a queue-mode worker.
  const spy = jest.spyOn(ledger, 'transactionalOffset').mockReturnValue(undefined);
  try {
    await consumeTransformProduce('other process');
    expect(spy).toHaveBeenCalled();
  } finally {
    spy.mockRestore();
  }
});
