import { VersionedNodeType, type INodeTypeBaseDescription, type IVersionedNodeType } from 'n8n-workflow';
import { KafkaSuiteProducerV1 } from './v1/KafkaSuiteProducerV1.node';

export class KafkaSuiteProducer extends VersionedNodeType {
  constructor() {
    const baseDescription: INodeTypeBaseDescription = {
      displayName: 'Kafka Producer (Suite)',
      name: 'kafkaSuiteProducer',
      icon: { light: 'file:kafkaSuiteProducer.svg', dark: 'file:kafkaSuiteProducer.dark.svg' },
      group: ['output'],
      description: 'Send items to Apache Kafka, Confluent Cloud, Redpanda, MSK or Event Hubs, with Schema Registry, transactions and per-item offsets',
      defaultVersion: 1,
    };
    const nodeVersions: IVersionedNodeType['nodeVersions'] = {
      1: new KafkaSuiteProducerV1(baseDescription),
    };
    super(nodeVersions, baseDescription);
  }
}
