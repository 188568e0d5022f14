// Throughput of a real three-node workflow inside a real n8n (scripts/n8n/harness.mjs, regular
// mode): Kafka trigger -> Set -> Kafka producer, ours vs n8n's built-in Kafka Trigger 1.3 / Kafka v1,
// at batch size 1 and 100. Each row drains a backlog already on the input topic; the rate is the
// number of messages over the time from the first to the last message on the output topic.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

const setNode = {
  name: 'Set',
  type: 'n8n-nodes-base.set',
  typeVersion: 3.4,
  parameters: { assignments: { assignments: [{ id: randomUUID(), name: 'forwardedBy', value: 'bench', type: 'string' }] }, includeOtherFields: true, options: {} },
};

function chain(name, nodes) {
  const full = nodes.map((n, i) => ({ id: randomUUID(), position: [i * 240, 0], typeVersion: 1, parameters: {}, ...n }));
  const connections = {};
  for (let i = 0; i < full.length - 1; i++) connections[full[i].name] = { main: [[{ node: full[i + 1].name, type: 'main', index: 0 }]] };
  return { name, nodes: full, connections, settings: { executionOrder: 'v1' } };
}

function workflow(kind, { input, output, groupId, batchSize, credential }) {
  if (kind === 'ours') {
    return chain(`bench ours batch ${batchSize}`, [
      {
        name: 'Kafka Trigger',
        type: 'n8n-nodes-kafka-suite.kafkaSuiteTrigger',
        parameters: { topicSelection: 'names', topics: input, groupId, startFrom: 'earliest', deliveryMode: 'afterSuccess', valueFormat: 'string', options: { batchSize } },
        credentials: { kafkaSuiteClusterApi: credential },
      },
      setNode,
      {
        name: 'Kafka Producer',
        type: 'n8n-nodes-kafka-suite.kafkaSuiteProducer',
        parameters: { topic: output, valueSource: 'field', valueField: 'value', serialization: 'string', headersMode: 'none' },
        credentials: { kafkaSuiteClusterApi: credential },
      },
    ]);
  }
  // Built-in: Resolve Offset "on success" (its at-least-once setting), same batch size.
  return chain(`bench built-in batch ${batchSize}`, [
    {
      name: 'Kafka Trigger',
      type: 'n8n-nodes-base.kafkaTrigger',
      typeVersion: 1.3,
      parameters: { topic: input, groupId, options: { fromBeginning: true, resolveOffset: 'onSuccess', batchSize, eachBatchAutoResolve: false, jsonParseMessage: false } },
      credentials: { kafka: credential },
    },
    setNode,
    {
      name: 'Kafka',
      type: 'n8n-nodes-base.kafka',
      typeVersion: 1,
      parameters: { topic: output, sendInputData: false, message: '={{ $json.message }}', options: {} },
      credentials: { kafka: credential },
    },
  ]);
}

/**
 * Runs every row in one n8n; `topic(name)` creates a topic (the bench's own helper), `fill(topic, n)`
 * writes n messages, `countOn(topic)` returns the number of messages on a topic.
 */
export async function measureN8nWorkflowRows({ root, bootstrap, topic, fill, endOffsets, log, messages }) {
  const harness = await import(join(root, 'scripts', 'n8n', 'harness.mjs'));
  const tarball = harness.packPackage({ destDir: join(root, '.cache', 'pack-bench') });
  const n8n = await harness.startN8n({ port: await harness.freePort(), brokerPort: await harness.freePort(), packageTarball: tarball, env: { N8N_LOG_LEVEL: 'warn', EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none' } });
  const rows = {};
  try {
    await n8n.setupOwner({ email: 'bench@kafka-suite.local' });
    await n8n.createApiKey('bench');
    const ours = await n8n.createCredential({ name: 'bench cluster', type: 'kafkaSuiteClusterApi', data: { platform: 'apache', brokers: bootstrap, securityProtocol: 'plaintext' } });
    const builtin = await n8n.createCredential({ name: 'bench built-in', type: 'kafka', data: { clientId: 'bench', brokers: bootstrap, ssl: false, authentication: false } });
    for (const batchSize of [1, 100]) {
      const count = batchSize === 1 ? messages.batch1 : messages.batch100;
      for (const kind of ['ours', 'builtin']) {
        const label = `${kind}Batch${batchSize}`;
        const input = await topic(`n8n-${label}-in`);
        const output = await topic(`n8n-${label}-out`);
        await fill(input, count);
        const wf = await n8n.createWorkflow(workflow(kind, { input, output, groupId: `bench-${label}-${randomUUID().slice(0, 6)}`, batchSize, credential: kind === 'ours' ? ours : builtin }));
        const published = Date.now();
        await n8n.publish(wf.id);
        let first;
        let last = 0;
        try {
          await harness.waitFor(
            async () => {
              last = await endOffsets(output);
              if (last > 0 && first === undefined) first = Date.now();
              return last >= count;
            },
            { timeout: 600_000, interval: 100, what: `${count} messages through ${label}` },
          );
          const seconds = (Date.now() - first) / 1000;
          rows[label] = { rate: count / seconds, messages: count, seconds, startupSeconds: (first - published) / 1000 };
        } catch (error) {
          rows[label] = { failed: `${String(error.message ?? error).split('\n')[0]} (had ${last})` };
        } finally {
          await n8n.unpublish(wf.id).catch(() => undefined);
        }
        log(`n8n workflow ${label}: ${JSON.stringify(rows[label])}`);
      }
    }
    rows.n8nVersion = n8n.runtime.n8nVersion;
    rows.problems = n8n.problemsAbout().length;
  } finally {
    await n8n.stop();
  }
  return rows;
}
