// Shared by the Producer and Trigger integration tests: credentials for the local services, a raw
// kafkajs client for independent checks, and drivers that run the nodes through the n8n contexts.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Consumer, type KafkaMessage } from 'kafkajs';
import type { INodeExecutionData, INodeType, ITriggerFunctions, ITriggerResponse, IExecuteFunctions } from 'n8n-workflow';
import { KafkaSuiteProducer } from '../../../nodes/KafkaSuiteProducer/KafkaSuiteProducer.node';
import { KafkaSuiteTrigger } from '../../../nodes/KafkaSuiteTrigger/KafkaSuiteTrigger.node';
import { createExecuteContext, createTriggerContext, type EmittedExecution, type Params } from '../../helpers/n8nContext';
import { facts } from '../../setup/facts';

export const clusterCredential = () => ({ platform: 'apache', brokers: facts.bootstrap, securityProtocol: 'plaintext', clientId: 'producer-trigger-test' });
export const registryCredential = () => ({ url: facts.schemaRegistryUrl, authType: 'none' });
export const credentials = () => ({ kafkaSuiteClusterApi: clusterCredential(), kafkaSuiteSchemaRegistryApi: registryCredential() });

export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export function rawKafka(): Kafka {
  return new Kafka({ clientId: unique('verify'), brokers: [facts.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
}

/** An admin client for the whole test file; close it in afterAll. */
export async function openAdmin(kafka = rawKafka()): Promise<Admin> {
  const admin = kafka.admin();
  await admin.connect();
  return admin;
}

export async function createTopic(admin: Admin, topic: string, numPartitions = 1, configEntries: Array<{ name: string; value: string }> = []): Promise<string> {
  await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor: 1, configEntries }], waitForLeaders: true });
  return topic;
}

const producerVersion = () => new KafkaSuiteProducer().nodeVersions[1] as INodeType;
const triggerVersion = () => new KafkaSuiteTrigger().nodeVersions[1] as INodeType;

/** Runs the Producer node once over `items` and returns its first output. */
export async function runProducer(parameters: Params, items: INodeExecutionData[], options: { continueOnFail?: boolean } = {}): Promise<INodeExecutionData[]> {
  const context = createExecuteContext({ parameters, items, credentials: credentials(), continueOnFail: options.continueOnFail });
  const output = await producerVersion().execute!.call(context as unknown as IExecuteFunctions);
  return (output as INodeExecutionData[][])[0];
}

/**
 * The Producer node's parameters for consume-transform-produce: the item's `valueField` as JSON to
 * `topic`, in a transaction that also commits the consumed offsets (the items' kafkaSource).
 */
export const transactionalProducerParameters = (topic: string, transactionalId: string, valueField = 'value') => (name: string) =>
  ({
    topic,
    valueSource: 'field',
    valueField,
    serialization: 'json',
    key: '',
    headersMode: 'none',
    partitioning: 'keyHash',
    options: { transactional: true, commitConsumedOffsets: true, transactionalId },
  })[name];

/** The JSON values of `topic`, read_committed, up to a marker written now: nothing hides behind a slow reader. */
export async function readJsonUntilMarker(kafka: Kafka, topic: string): Promise<Array<Record<string, unknown>>> {
  const marker = kafka.producer();
  await marker.connect();
  await marker.send({ topic, messages: [{ value: JSON.stringify({ marker: true }) }] });
  await marker.disconnect();
  const read = await consumeFromStart(kafka, topic, 0, { until: (list) => list.some((m) => m.value?.toString().includes('marker')), timeoutMs: 30_000 });
  return read.map((m) => JSON.parse(m.value!.toString())).filter((value) => !value.marker);
}

export interface RunningTrigger {
  context: ReturnType<typeof createTriggerContext>;
  response: ITriggerResponse;
  close: () => Promise<void>;
}

/** Activates the Trigger node (or, mode "manual", starts a test listen) and returns its context. */
export async function startTrigger(
  parameters: Params,
  onEmit?: (execution: EmittedExecution) => 'success' | 'error' | void | Promise<'success' | 'error' | void>,
  mode: 'trigger' | 'manual' = 'trigger',
): Promise<RunningTrigger> {
  const context = createTriggerContext({ parameters, credentials: credentials(), onEmit, mode });
  const response = (await triggerVersion().trigger!.call(context as unknown as ITriggerFunctions)) as ITriggerResponse;
  if (mode === 'manual') await response.manualTriggerFunction?.();
  return { context, response, close: async () => void (await response.closeFunction?.()) };
}

/** All items emitted so far, flattened across executions. */
export const emittedItems = (context: RunningTrigger['context']) => context.emitted.flatMap((execution) => execution.data[0] ?? []);

/** Reads `count` messages of `topic` from the beginning with a fresh group, then closes the consumer. */
export async function consumeFromStart(
  kafka: Kafka,
  topic: string,
  count: number,
  options: { readUncommitted?: boolean; timeoutMs?: number; until?: (messages: KafkaMessage[]) => boolean } = {},
): Promise<Array<KafkaMessage & { partition: number }>> {
  const consumer: Consumer = kafka.consumer({ groupId: unique('verify'), readUncommitted: options.readUncommitted ?? false });
  const messages: Array<KafkaMessage & { partition: number }> = [];
  const done = options.until ?? ((list) => list.length >= count);
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`only ${messages.length} of ${count} messages of ${topic} within the deadline`)), options.timeoutMs ?? 30_000);
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            messages.push({ ...message, partition });
            if (done(messages)) resolve();
          },
        })
        .catch(reject);
      if (done(messages)) resolve();
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return messages;
}

/** Committed offsets of a group for a topic, by partition ("-1" when none). */
export async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<Record<number, string>> {
  const [found] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return Object.fromEntries((found?.partitions ?? []).map((p) => [p.partition, p.offset]));
}

/** Waits until the group has a stable membership (so "latest" consumers will see what is sent next). */
export async function waitForGroupStable(admin: Admin, groupId: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { groups } = await admin.describeGroups([groupId]);
    if (groups[0]?.state === 'Stable' && groups[0].members.length > 0) return;
    if (Date.now() > deadline) throw new Error(`group ${groupId} not stable within ${timeoutMs} ms (state ${groups[0]?.state})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
