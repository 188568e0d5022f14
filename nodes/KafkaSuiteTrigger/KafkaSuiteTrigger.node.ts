import { VersionedNodeType, type INodeTypeBaseDescription, type IVersionedNodeType } from 'n8n-workflow';
import { KafkaSuiteTriggerV1 } from './v1/KafkaSuiteTriggerV1.node';

export class KafkaSuiteTrigger extends VersionedNodeType {
  constructor() {
    const baseDescription: INodeTypeBaseDescription = {
      displayName: 'Kafka Suite Trigger',
      name: 'kafkaSuiteTrigger',
      icon: { light: 'file:kafkaSuiteTrigger.svg', dark: 'file:kafkaSuiteTrigger.dark.svg' },
      group: ['trigger'],
      description:
        'Start a workflow for Kafka messages, committing offsets only after the execution ends, with retries, a dead-letter topic, batches and Schema Registry decoding',
      defaultVersion: 1,
    };
    const nodeVersions: IVersionedNodeType['nodeVersions'] = {
      1: new KafkaSuiteTriggerV1(baseDescription),
    };
    super(nodeVersions, baseDescription);
  }
}
