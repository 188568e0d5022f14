// The Trigger's "Share Group" delivery mode (ShareTriggerRunner, with the Trigger's own settings
// reader, decoder, execution waiter and dead-letter writer) on a real Kafka 4.x broker: executions
// emitted through an n8n trigger context, finished later with success or error as a workflow would.
// Runs under Node 24:
//   node scripts/node24.mjs jest --selectProjects integration --runTestsByPath test/integration/shareGroup/trigger.test.ts
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { INodeType, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { KafkaSuiteTrigger } from '../../../nodes/KafkaSuiteTrigger/KafkaSuiteTrigger.node';
import { clientPool } from '../../../nodes/shared';
import { openConnection } from '../../../nodes/shared/kafka';
import { closePlatformaticClients } from '../../../nodes/shared/kafka/platformatic';
import { ShareClient } from '../../../nodes/shared/kafka/shareGroup';
import type { KafkaClusterCredential } from '../../../nodes/shared/credentialTypes';
import { readSettings } from '../../../nodes/KafkaSuiteTrigger/v1/settings';
import { ShareTriggerRunner } from '../../../nodes/KafkaSuiteTrigger/v1/shareRunner';
import type { RunnerHost } from '../../../nodes/KafkaSuiteTrigger/v1/runner';
import { createTriggerContext, waitFor, type EmittedExecution, type Params } from '../../helpers/n8nContext';
import { shareGroupBroker, type ShareBroker } from './broker';

let broker: ShareBroker;
let kafka: Kafka;
const runners: ShareTriggerRunner[] = [];

beforeAll(async () => {
  broker = await shareGroupBroker('trigger');
  kafka = new Kafka({ clientId: 'share-trigger-test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
}, 180_000);

afterEach(async () => {
  await Promise.allSettled(runners.splice(0).map((r) => r.close()));
});

afterAll(async () => {
  await clientPool.closeAll();
  await closePlatformaticClients();
  await broker?.dispose();
});

/** A seeded generator, so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function topicWith(partitions: number, count: number): Promise<string> {
  const topic = `share-trigger-${randomUUID()}`;
  const admin = kafka.admin();
  const producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
    const messages = Array.from({ length: count }, (_, id) => ({ key: `k${id}`, value: JSON.stringify({ id }) }));
    for (let i = 0; i < messages.length; i += 100) await producer.send({ topic, messages: messages.slice(i, i + 100) });
  } finally {
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  }
  return topic;
}

/** The Trigger's share-group runner, set up the way the node sets up any runner. */
async function startShareTrigger(parameters: Params, onEmit: (execution: EmittedExecution) => void): Promise<{ runner: ShareTriggerRunner; context: ReturnType<typeof createTriggerContext> }> {
  const credential = { platform: 'apache', brokers: broker.bootstrap, securityProtocol: 'plaintext', clientId: 'share-trigger-test' };
  const context = createTriggerContext({ parameters: { deliveryMode: 'shareGroup', ...parameters }, credentials: { kafkaSuiteClusterApi: credential }, onEmit });
  const settings = readSettings(context as unknown as ITriggerFunctions);
  const connection = openConnection(credential as unknown as KafkaClusterCredential);
  const host: RunnerHost = {
    emit: (data, done) => context.emit(data, undefined, done as never),
    createDeferred: () => context.helpers.createDeferredPromise() as never,
    prepareBinaryData: (buffer, fileName, mimeType) => context.helpers.prepareBinaryData(buffer, fileName, mimeType) as never,
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  };
  const runner = new ShareTriggerRunner(connection, settings, host);
  runners.push(runner);
  await runner.start();
  return { runner, context };
}

test('3 partitions, 20 executions at once, 10% failing: each message accepted once after its retries, rejects counted, none lost', async () => {
  const N = 200;
  const topic = await topicWith(3, N);
  const groupId = `share-trigger-${randomUUID()}`;
  const random = seeded(20261201);
  const alwaysFails = (id: number) => id % 50 === 0; // 4 messages fail every attempt
  const successes = new Map<number, number>();
  const attemptsOf = new Map<number, number[]>();
  let running = 0;
  let maxRunning = 0;
  let failures = 0;

  const { runner } = await startShareTrigger(
    {
      topicSelection: 'names',
      topics: topic,
      groupId,
      startFrom: 'earliest',
      valueFormat: 'json',
      options: { concurrency: 20, maxAttempts: 3, retryInitialMs: 50, retryMaxMs: 400, closeGraceMs: 5000 },
    },
    (execution) => {
      const json = execution.data[0][0].json as { value: { id: number }; deliveryCount: number };
      const id = json.value.id;
      attemptsOf.set(id, [...(attemptsOf.get(id) ?? []), json.deliveryCount]);
      running++;
      maxRunning = Math.max(maxRunning, running);
      // The workflow takes 10-40 ms, then succeeds or fails.
      setTimeout(
        () => {
          running--;
          if (alwaysFails(id) || random() < 0.1) {
            failures++;
            execution.finish('error');
          } else {
            successes.set(id, (successes.get(id) ?? 0) + 1);
            execution.finish('success');
          }
        },
        10 + random() * 30,
      );
    },
  );
  const t0 = Date.now();
  await waitFor(() => runner.counts.accepted + runner.counts.rejected >= N, { timeoutMs: 90_000, intervalMs: 100, what: `${N} messages finished` });
  const elapsed = Date.now() - t0;
  await runner.close();

  const c = runner.counts;
  console.log(
    `share-group trigger: ${N} messages, ${c.executions} executions, ${failures} failed, ${c.accepted} accepted, ${c.released} released, ` +
      `${c.rejected} rejected, ${maxRunning} executions at once, ${elapsed} ms`,
  );
  // Rejected: the 4 that always fail, and any other whose 3 attempts all failed by chance (p = 0.001).
  const rejectedIds = [...attemptsOf.keys()].filter((id) => !successes.has(id)).sort((a, b) => a - b);
  expect(rejectedIds).toEqual(expect.arrayContaining([0, 50, 100, 150]));
  expect(c.rejected).toBe(rejectedIds.length);
  for (const id of rejectedIds) expect(attemptsOf.get(id)).toEqual([1, 2, 3]);
  expect(attemptsOf.size).toBe(N); // none lost
  expect(c.accepted).toBe(N - rejectedIds.length);
  expect(successes.size).toBe(N - rejectedIds.length);
  expect([...successes.values()].every((n) => n === 1)).toBe(true); // accepted exactly once
  expect(c.executions).toBe(c.accepted + c.released + c.rejected);
  expect(c.executions).toBe(N + c.released);
  expect(maxRunning).toBe(20);

  const client = new ShareClient({ brokers: [broker.bootstrap] });
  try {
    const offsets = await client.describeOffsets(groupId, [{ topicName: topic, partitions: [0, 1, 2] }]);
    expect(offsets.topics[0].partitions.map((p) => p.lag)).toEqual([0n, 0n, 0n]);
  } finally {
    await client.close();
  }
}, 150_000);

test('after the last attempt a message goes to the dead-letter topic and is accepted', async () => {
  const N = 20;
  const topic = await topicWith(1, N);
  const deadLetterTopic = `${topic}.dlq`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: deadLetterTopic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const { runner } = await startShareTrigger(
    {
      topicSelection: 'names',
      topics: topic,
      groupId: `share-trigger-${randomUUID()}`,
      startFrom: 'earliest',
      valueFormat: 'json',
      options: { concurrency: 5, maxAttempts: 2, retryInitialMs: 20, retryMaxMs: 100, deadLetterTopic },
    },
    (execution) => {
      const id = (execution.data[0][0].json as { value: { id: number } }).value.id;
      execution.finish(id === 7 ? 'error' : 'success');
    },
  );
  await waitFor(() => runner.counts.accepted >= N, { timeoutMs: 60_000, intervalMs: 100, what: `${N} accepted` });
  expect(runner.counts).toMatchObject({ accepted: N, rejected: 0, deadLettered: 1, executions: N + 1 });

  const consumer = kafka.consumer({ groupId: `verify-${randomUUID()}` });
  const copies: Array<{ value: string; headers: Record<string, string> }> = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [deadLetterTopic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        copies.push({ value: String(message.value), headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])) });
      },
    });
    await waitFor(() => copies.length >= 1, { timeoutMs: 30_000, what: 'the dead-letter copy' });
  } finally {
    await consumer.disconnect();
  }
  expect(copies).toHaveLength(1);
  expect(copies[0].value).toBe(JSON.stringify({ id: 7 }));
  expect(copies[0].headers).toMatchObject({ 'kafka-suite-attempts': '2', 'kafka-suite-original-topic': topic, 'kafka-suite-original-offset': '7', 'kafka-suite-error': 'workflow failed' });
}, 120_000);

test('the node: Share Group mode runs as a share group; a test listen emits the first message on a throwaway share group, deleted at close', async () => {
  const topic = await topicWith(2, 6);
  const groupId = `share-node-${randomUUID()}`;
  const credential = { platform: 'apache', brokers: broker.bootstrap, securityProtocol: 'plaintext', clientId: 'share-trigger-test' };
  const node = new KafkaSuiteTrigger().nodeVersions[1] as INodeType;
  const parameters = { topicSelection: 'names', topics: topic, groupId, startFrom: 'earliest', deliveryMode: 'shareGroup', valueFormat: 'json', options: { concurrency: 3 } };
  const client = new ShareClient({ brokers: [broker.bootstrap] });
  try {
    // Activated: every message once, as its own execution, from a share group named Group ID.
    const active = createTriggerContext({ parameters, credentials: { kafkaSuiteClusterApi: credential }, onEmit: () => 'success' });
    const response = (await node.trigger!.call(active as unknown as ITriggerFunctions)) as ITriggerResponse;
    try {
      await waitFor(() => active.emitted.length >= 6, { timeoutMs: 30_000, what: '6 executions' });
      const [group] = await client.describeGroups([groupId]);
      expect(group.errorCode).toBe(0);
      expect(group.members).toHaveLength(1);
    } finally {
      await response.closeFunction?.();
    }
    const ids = active.emitted.map((e) => (e.data[0][0].json as { value: { id: number } }).value.id).sort((a, b) => a - b);
    expect(ids).toEqual([0, 1, 2, 3, 4, 5]);
    expect(active.emitted.every((e) => e.data[0].length === 1 && e.data[0][0].json.deliveryCount === 1)).toBe(true);

    // Test listen: a throwaway share group of its own, the first message only, the group deleted after.
    const manual = createTriggerContext({ parameters, credentials: { kafkaSuiteClusterApi: credential }, mode: 'manual' });
    const infos: string[] = [];
    const quiet = () => undefined;
    Object.assign(manual, { logger: { debug: quiet, warn: quiet, error: quiet, info: (message: string) => infos.push(message) } });
    const listen = (await node.trigger!.call(manual as unknown as ITriggerFunctions)) as ITriggerResponse;
    let testGroup = '';
    try {
      await listen.manualTriggerFunction?.();
      await waitFor(() => manual.emitted.length >= 1, { timeoutMs: 30_000, what: 'the test event' });
      testGroup = infos.map((m) => /joined share group (\S+)/.exec(m)?.[1]).find(Boolean) ?? '';
    } finally {
      await listen.closeFunction?.();
    }
    expect(manual.emitted).toHaveLength(1);
    expect(manual.emitted[0].donePromise).toBeUndefined();
    expect(testGroup.startsWith(`${groupId}.n8n-test.`)).toBe(true);
    const [gone] = await client.describeGroups([testGroup]);
    expect(gone.errorCode).toBe(69); // GROUP_ID_NOT_FOUND
  } finally {
    await client.close();
  }
}, 120_000);
