// Drives the Lag Check node and the Lag Trigger like n8n would, with an independent kafkajs
// client for producing, consuming and committing offsets.
import { randomUUID } from 'node:crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, IPollFunctions } from 'n8n-workflow';
// Test code produces and consumes with its own kafkajs client, not through the adapter under test.
import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type Producer } from 'kafkajs';
import { KafkaSuiteLagCheck } from '../../../nodes/KafkaSuiteLagCheck/KafkaSuiteLagCheck.node';
import { KafkaSuiteLagTrigger } from '../../../nodes/KafkaSuiteLagTrigger/KafkaSuiteLagTrigger.node';
import { createExecuteContext, createPollContext } from '../../helpers/n8nContext';
import { facts } from '../../setup/facts';

export const clusterCredential = () => ({ platform: 'apache', brokers: facts.bootstrap, securityProtocol: 'plaintext', clientId: 'lag-node-test' });
export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
export const json = (items: INodeExecutionData[]) => items.map((i) => i.json as Record<string, any>);

/** Lag Check node with its own persistent static data, like one node in one workflow. */
export function lagCheck(staticData: IDataObject = {}) {
  const node = new KafkaSuiteLagCheck().nodeVersions[1] as INodeType;
  return {
    staticData,
    async run(parameters: Record<string, unknown>, options: { continueOnFail?: boolean } = {}): Promise<INodeExecutionData[]> {
      const context = createExecuteContext({
        parameters: { resource: 'consumerGroup', operation: 'checkLag', ...parameters },
        credentials: { kafkaSuiteClusterApi: clusterCredential() },
        continueOnFail: options.continueOnFail,
        staticData,
        node: { type: 'n8n-nodes-kafka-suite.kafkaSuiteLagCheck', name: 'Kafka Lag Check' },
      });
      return ((await node.execute!.call(context as unknown as IExecuteFunctions)) as INodeExecutionData[][])[0];
    },
  };
}

/** Lag Trigger whose static data survives between polls, as n8n keeps it for an active workflow. */
export function lagTrigger(parameters: Record<string, unknown>, staticData: IDataObject = {}, mode: 'trigger' | 'manual' = 'trigger') {
  const node = new KafkaSuiteLagTrigger().nodeVersions[1] as INodeType;
  const context = createPollContext({
    parameters,
    credentials: { kafkaSuiteClusterApi: clusterCredential() },
    staticData,
    mode,
    node: { type: 'n8n-nodes-kafka-suite.kafkaSuiteLagTrigger', name: 'Kafka Lag Trigger' },
  });
  return {
    staticData,
    async poll(): Promise<Array<Record<string, any>>> {
      const result = await node.poll!.call(context as unknown as IPollFunctions);
      return result ? json(result[0]) : [];
    },
  };
}

/** An independent kafkajs client; everything it opens is closed by `closeAll`. */
export function testKafka() {
  const kafka = new Kafka({ clientId: unique('lag-test'), brokers: [facts.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  const open: Array<Admin | Producer | Consumer> = [];
  let admin: Admin | undefined;
  let producer: Producer | undefined;
  return {
    kafka,
    async admin(): Promise<Admin> {
      if (!admin) {
        admin = kafka.admin();
        open.push(admin);
        await admin.connect();
      }
      return admin;
    },
    async producer(): Promise<Producer> {
      if (!producer) {
        producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
        open.push(producer);
        await producer.connect();
      }
      return producer;
    },
    async createTopic(topic: string, numPartitions = 1) {
      await (await this.admin()).createTopics({ topics: [{ topic, numPartitions, replicationFactor: 1 }], waitForLeaders: true });
    },
    async produce(topic: string, partition: number, count: number) {
      if (count <= 0) return;
      await (await this.producer()).send({ topic, messages: Array.from({ length: count }, (_, i) => ({ partition, value: `m${i}` })) });
    },
    /** Commits offsets for a group with no members (creates the group if needed). */
    async commit(groupId: string, topic: string, offsets: Record<number, number>) {
      await (await this.admin()).setOffsets({ groupId, topic, partitions: Object.entries(offsets).map(([p, o]) => ({ partition: Number(p), offset: String(o) })) });
    },
    consumer(groupId: string): Consumer {
      const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 500, retry: { retries: 3 } });
      open.push(consumer);
      return consumer;
    },
    async closeAll() {
      await Promise.allSettled(open.map((client) => client.disconnect()));
    },
  };
}
