import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { KafkaSuiteLagTriggerV1 } from './v1/KafkaSuiteLagTriggerV1.node';

export class KafkaSuiteLagTrigger extends VersionedNodeType {
  constructor() {
    const baseDescription: INodeTypeBaseDescription = {
      displayName: 'Kafka Lag Trigger',
      name: 'kafkaSuiteLagTrigger',
      icon: { light: 'file:kafkaSuiteLagTrigger.svg', dark: 'file:kafkaSuiteLagTrigger.dark.svg' },
      group: ['trigger'],
      description: 'Starts a workflow when a consumer group leaves OK (Burrow rules) and again when it recovers',
      defaultVersion: 1,
    };
    const nodeVersions: IVersionedNodeType['nodeVersions'] = {
      1: new KafkaSuiteLagTriggerV1(baseDescription),
    };
    super(nodeVersions, baseDescription);
  }
}
