// (a) Manual Trigger -> Kafka Producer (Suite) inside the real n8n, checked on the broker with kafkajs.
// (b) A published workflow whose Kafka Suite Trigger consumes those messages and forwards each
//     item with a Kafka Producer (Suite) to another topic, which the test reads; n8n's executions
//     of it are listed through the public API.
import { chain, clusterCredential, itemsNode, manualTrigger, n8n, NODE_TYPES, nodeOutput, runWorkflow, waitFor } from './n8n';
import { consume, createTopics, uniqueName } from './kafka';

const orders = [
  { id: 'o-1', amount: 10, customer: { name: 'Ada' } },
  { id: 'o-2', amount: 25.5, customer: { name: 'Grace' } },
  { id: 'o-3', amount: 7, customer: { name: 'Linus' } },
];

describe('Kafka Producer and Kafka Trigger inside n8n', () => {
  const input = uniqueName('orders');
  const output = uniqueName('orders-copy');

  beforeAll(async () => {
    await createTopics([input, output], 2);
  });

  test('(a) a Manual Trigger -> Kafka Producer workflow sends every item to the broker', async () => {
    const cred = await clusterCredential();
    const execution = await runWorkflow(
      chain('e2e producer', [
        manualTrigger,
        itemsNode('Orders', orders),
        {
          name: 'Kafka Producer',
          type: NODE_TYPES.producer,
          parameters: {
            topic: input,
            valueSource: 'json',
            serialization: 'json',
            key: '={{ $json.id }}',
            headersMode: 'list',
            headerList: { header: [{ name: 'source', value: 'n8n-e2e', type: 'string' }] },
          },
          credentials: { kafkaSuiteClusterApi: cred },
        },
      ]),
    );
    const out = nodeOutput(execution, 'Kafka Producer');
    expect(out).toHaveLength(orders.length);

    const received = await consume(input, orders.length);
    expect(received).toHaveLength(orders.length);
    const byKey = Object.fromEntries(received.map((m) => [m.key, m]));
    for (const order of orders) {
      expect(byKey[order.id]).toBeDefined();
      expect(JSON.parse(byKey[order.id].value!)).toEqual(order);
      expect(byKey[order.id].headers.source).toBe('n8n-e2e');
    }
  });

  test('(b) a published Kafka Trigger workflow consumes them and forwards them with the producer', async () => {
    const cred = await clusterCredential();
    const client = n8n();
    const wf = await client.createWorkflow(
      chain('e2e trigger -> producer', [
        {
          name: 'Kafka Trigger',
          type: NODE_TYPES.trigger,
          parameters: { topicSelection: 'names', topics: input, groupId: uniqueName('group'), startFrom: 'earliest', valueFormat: 'json' },
          credentials: { kafkaSuiteClusterApi: cred },
        },
        {
          name: 'Forward',
          type: NODE_TYPES.producer,
          parameters: { topic: output, valueSource: 'json', serialization: 'json', key: '={{ $json.key }}' },
          credentials: { kafkaSuiteClusterApi: cred },
        },
      ]),
    );
    await client.publish(wf.id);
    try {
      const forwarded = await consume(output, orders.length, { timeout: 90000 });
      const byKey = Object.fromEntries(forwarded.map((m) => [m.key, JSON.parse(m.value!)]));
      for (const order of orders) {
        const item = byKey[order.id];
        expect(item).toBeDefined();
        expect(item.topic).toBe(input);
        expect(item.key).toBe(order.id);
        expect(item.value).toEqual(order);
        expect(item.headers).toEqual(expect.objectContaining({ source: 'n8n-e2e' }));
        expect(typeof item.partition).toBe('number');
      }
      // n8n recorded the trigger's executions; the public API lists them with their data.
      const items = await waitFor(
        async () => {
          const list = await client.executions({ workflowId: wf.id, status: 'success' });
          const all = list.flatMap((e: any) => nodeOutput(e, 'Kafka Trigger'));
          return all.length >= orders.length ? all : undefined;
        },
        { timeout: 30000, what: `successful executions of workflow ${wf.id} covering ${orders.length} messages` },
      );
      expect(items.map((i: any) => i.key).sort()).toEqual(orders.map((o) => o.id).sort());
    } finally {
      await client.unpublish(wf.id);
    }
  });
});
