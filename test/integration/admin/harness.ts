// Drives the Kafka Admin node like n8n would and gives the tests an independent kafkajs view of
// the cluster to check the node's effects with.
import { randomUUID } from 'node:crypto';
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
// Test code checks effects with its own kafkajs client, not through the adapter under test.
import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type Producer } from 'kafkajs';
import { KafkaSuiteAdmin } from '../../../nodes/KafkaSuiteAdmin/KafkaSuiteAdmin.node';
import { createExecuteContext, waitFor } from '../../helpers/n8nContext';
import { facts } from '../../setup/facts';

export const clusterCredential = () => ({ platform: 'apache', brokers: facts.bootstrap, securityProtocol: 'plaintext', clientId: 'admin-node-test' });
export const connectCredential = () => ({ url: facts.connectUrl, authType: 'none' });

export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

const v1 = () => (new KafkaSuiteAdmin().nodeVersions[1] as INodeType);

export interface RunOptions {
  continueOnFail?: boolean;
  items?: INodeExecutionData[];
}

/** Runs the node once with `parameters`; returns the items of its single output. */
export async function runNode(parameters: Record<string, unknown>, options: RunOptions = {}): Promise<INodeExecutionData[]> {
  const context = createExecuteContext({
    parameters,
    credentials: { kafkaSuiteClusterApi: clusterCredential(), kafkaSuiteConnectApi: connectCredential(), kafkaSuiteSchemaRegistryApi: { url: facts.schemaRegistryUrl, authType: 'none' } },
    continueOnFail: options.continueOnFail,
    items: options.items,
    node: { type: 'n8n-nodes-kafka-suite.kafkaSuiteAdmin', name: 'Kafka Admin' },
  });
  const result = await v1().execute!.call(context as unknown as IExecuteFunctions);
  return (result as INodeExecutionData[][])[0];
}

export const json = (items: INodeExecutionData[]) => items.map((i) => i.json as Record<string, any>);

/** An independent kafkajs client; everything it opens is closed by `closeAll`. */
export function testKafka() {
  const kafka = new Kafka({ clientId: unique('admin-test'), brokers: [facts.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  const open: Array<Admin | Producer | Consumer> = [];
  let admin: Admin | undefined;
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
    async createTopic(topic: string, numPartitions = 1, configEntries: Array<{ name: string; value: string }> = []) {
      const a = await this.admin();
      await a.createTopics({ topics: [{ topic, numPartitions, replicationFactor: 1, configEntries }], waitForLeaders: true });
    },
    async produce(topic: string, messages: Array<{ partition?: number; value: string; timestamp?: string }>) {
      const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
      await producer.connect();
      try {
        await producer.send({ topic, messages });
      } finally {
        await producer.disconnect();
      }
    },
    /** Commits offsets for a group the way a finished consumer would, leaving the group empty. */
    async commit(groupId: string, topic: string, partitions: Array<{ partition: number; offset: string }>) {
      const a = await this.admin();
      await a.setOffsets({ groupId, topic, partitions });
    },
    async committed(groupId: string, topic: string): Promise<Record<number, string>> {
      const a = await this.admin();
      const [t] = await a.fetchOffsets({ groupId, topics: [topic] });
      return Object.fromEntries(t.partitions.map((p) => [p.partition, p.offset]));
    },
    /** A live member of `groupId` subscribed to `topic`; resolves once the group is Stable. */
    async activeMember(groupId: string, topic: string): Promise<Consumer> {
      const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 500, allowAutoTopicCreation: false });
      open.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: false });
      // Never commits: the test must see only the offsets it set itself.
      await consumer.run({ autoCommit: false, eachMessage: async () => undefined });
      const a = await this.admin();
      await waitFor(async () => {
        const { groups } = await a.describeGroups([groupId]);
        return groups[0]?.state === 'Stable' && groups[0].members.length > 0;
      }, { timeoutMs: 60_000, what: `group ${groupId} to become Stable` });
      return consumer;
    },
    async closeAll() {
      await Promise.allSettled(open.splice(0).map((c) => c.disconnect()));
    },
  };
}

export { waitFor };
