import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { KafkaSuiteLagCheckV1 } from './v1/KafkaSuiteLagCheckV1.node';

export class KafkaSuiteLagCheck extends VersionedNodeType {
  constructor() {
    const baseDescription: INodeTypeBaseDescription = {
      displayName: 'Kafka Lag Check',
      name: 'kafkaSuiteLagCheck',
      icon: { light: 'file:kafkaSuiteLagCheck.svg', dark: 'file:kafkaSuiteLagCheck.dark.svg' },
      group: ['transform'],
      description: 'Consumer group lag in offsets and seconds, with Burrow-style health status',
      defaultVersion: 1,
    };
    const nodeVersions: IVersionedNodeType['nodeVersions'] = {
      1: new KafkaSuiteLagCheckV1(baseDescription),
    };
    super(nodeVersions, baseDescription);
  }
}
