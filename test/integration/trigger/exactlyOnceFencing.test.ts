// KIP-447 end to end: the Trigger in exactly-once mode hands the Producer the group member that owned
// the partition (kafkaSource.member), and the Producer commits the consumed offsets with it. A commit
// from a member the group has fenced since (an older generation: the execution of a zombie that lost
// the partition in a rebalance) is refused by the broker, so the zombie's output is aborted, never
// read_committed, and the offsets stay where the live member put them.
import type { Admin, Kafka } from 'kafkajs';
import type { INodeExecutionData } from 'n8n-workflow';
import { clientPool } from '../../../nodes/shared';
import { waitFor } from '../../helpers/n8nContext';
import { committedOffsets, createTopic, openAdmin, rawKafka, readJsonUntilMarker, runProducer, startTrigger, transactionalProducerParameters, unique } from './harness';

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

interface Source {
  groupId: string;
  offset: string;
  member?: { generationId: number; memberId: string };
}

test('a zombie execution (the member of an older generation) cannot commit output; the live member can', async () => {
  const input = await createTopic(admin, unique('kip447-in'), 1);
  const output = await createTopic(admin, unique('kip447-out'), 1);
  const groupId = unique('kip447-group');
  const transactionalId = unique('kip447-tx');
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: input, messages: [0, 1, 2].map((id) => ({ value: JSON.stringify({ id }) })) });
  await producer.disconnect();

  const producerParameters = transactionalProducerParameters(output, transactionalId);
  const asZombie = (items: INodeExecutionData[]): INodeExecutionData[] =>
    items.map((item) => {
      const source = item.json.kafkaSource as unknown as Source;
      return { json: { ...item.json, kafkaSource: { ...source, member: { ...source.member!, generationId: source.member!.generationId - 1 } } } };
    });

  const sources: Source[] = [];
  const zombieErrors: unknown[] = [];
  const trigger = await startTrigger(
    {
      topicSelection: 'names',
      topics: input,
      groupId,
      startFrom: 'earliest',
      deliveryMode: 'exactlyOnce',
      valueFormat: 'json',
      options: { batchSize: 10, batchWindowMs: 200 },
    },
    async ({ data }) => {
      const items = data[0];
      for (const item of items) sources.push(item.json.kafkaSource as unknown as Source);
      zombieErrors.push(await runProducer(producerParameters, asZombie(items)).then(() => undefined, (error: unknown) => error));
      await runProducer(producerParameters, items);
      return 'success';
    },
  );
  try {
    await waitFor(async () => (await committedOffsets(admin, groupId, input))[0] === '3', { what: 'offset 3 committed by the live member', timeoutMs: 60_000 });
  } finally {
    await trigger.close();
  }

  // Every item says which member consumed it: this generation's id and the member id the group knows.
  expect(sources).toHaveLength(3);
  for (const source of sources) {
    expect(source.groupId).toBe(groupId);
    expect(source.member?.memberId).toEqual(expect.any(String));
    expect(source.member!.memberId.length).toBeGreaterThan(0);
    expect(source.member!.generationId).toBeGreaterThanOrEqual(1);
  }
  // The zombie's transaction was refused by the group coordinator (the stale generation), every time.
  expect(zombieErrors.length).toBeGreaterThan(0);
  for (const error of zombieErrors) {
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message) + JSON.stringify((error as { description?: string }).description ?? '')).toMatch(/ILLEGAL_GENERATION|generation/i);
  }
  // Only the live member's output is visible: each input exactly once.
  const ids = (await readJsonUntilMarker(kafka, output)).map((value) => value.id as number);
  expect(ids.sort()).toEqual([0, 1, 2]);
}, 120_000);
