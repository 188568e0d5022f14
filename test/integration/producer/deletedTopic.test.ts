// A topic deleted behind the Producer's back must not break the pooled producer for every later
// execution. kafkajs keeps each topic it ever sent to in its metadata requests, so after the
// deletion each send fails UNKNOWN_TOPIC_OR_PARTITION, even to other topics. The Producer catches
// send errors per request (to fail only those items), so the pool has to hear about them to retire
// the client. @platformatic/kafka drops a deleted topic from its metadata, so there nothing fails
// at all; the test holds both clients to the same promise. Found by the browser e2e test: every
// send of that n8n failed after another test deleted a topic it had produced to.
import type { Admin, Kafka } from 'kafkajs';
import type { INodeExecutionData } from 'n8n-workflow';
import { clientPool } from '../../../nodes/shared';
import { waitFor } from '../../helpers/n8nContext';
import { createTopic, openAdmin, rawKafka, runProducer, unique } from '../trigger/harness';

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

const params = (topic: string, options: Record<string, unknown> = {}) => (name: string) =>
  ({
    topic,
    valueSource: 'field',
    valueField: 'payload',
    serialization: 'string',
    key: '',
    headersMode: 'none',
    partitioning: 'roundRobin',
    options,
  })[name];

const items: INodeExecutionData[] = [{ json: { payload: 'after the deletion' } }];

describe.each([
  ['plain', {}],
  ['transactional', { transactional: true }],
])('a %s Producer after a topic it used was deleted', (_mode, options) => {
  test('later executions send to other topics again', async () => {
    const doomed = await createTopic(admin, unique('doomed'), 1);
    const survivor = await createTopic(admin, unique('survivor'), 1);
    const transactional = { ...options, ...('transactional' in options ? { transactionalId: unique('tx-deleted') } : {}) };
    const first = await runProducer(params(doomed, transactional), [{ json: { payload: 'before' } }], { continueOnFail: true });
    expect(first[0].json.error).toBeUndefined();
    await admin.deleteTopics({ topics: [doomed] });

    let failedExecutions = 0;
    const sent = await waitFor(
      async () => {
        const [out] = await runProducer(params(survivor, transactional), items, { continueOnFail: true });
        if (out.json.error === undefined) return out;
        failedExecutions++;
        return undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'an execution that sends to another topic after the deletion' },
    );
    expect(sent.json.topic).toBe(survivor);
    // A plain send retries the refused request on a fresh producer within the same execution. A
    // transaction cannot be retried inside its execution: where the client keeps the deleted topic
    // in its metadata requests (kafkajs) the aborted transaction fails that one execution and the
    // next gets a fresh producer; a client that drops the topic (@platformatic/kafka) fails none.
    // Either way at most one execution fails, and the broker then holds exactly one committed record.
    expect(failedExecutions).toBeLessThanOrEqual('transactional' in options ? 1 : 0);
    // One record, plus the commit marker of a transaction. The coordinator writes that marker after
    // EndTxn has answered, and until then the end offset reads lower (a fresh-clone run read 0):
    // wait for the expected end offset, then assert nothing beyond it is there.
    const expectedHigh = 'transactional' in options ? '2' : '1';
    let high = '';
    await waitFor(
      async () => {
        [{ high }] = await admin.fetchTopicOffsets(survivor);
        return high === expectedHigh || Number(high) > Number(expectedHigh);
      },
      { timeoutMs: 10_000, intervalMs: 100, what: `the end offset of ${survivor} to reach ${expectedHigh}` },
    );
    expect(high).toBe(expectedHigh);
  });
});
