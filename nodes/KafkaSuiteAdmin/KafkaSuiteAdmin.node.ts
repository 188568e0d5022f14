import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { KafkaSuiteAdminV1 } from './v1/KafkaSuiteAdminV1.node';

export class KafkaSuiteAdmin extends VersionedNodeType {
  constructor() {
    const baseDescription: INodeTypeBaseDescription = {
      displayName: 'Kafka Admin (Suite)',
      name: 'kafkaSuiteAdmin',
      icon: { light: 'file:kafkaSuiteAdmin.svg', dark: 'file:kafkaSuiteAdmin.dark.svg' },
      group: ['transform'],
      description: 'Manage Kafka topics, consumer groups, ACLs, brokers and Kafka Connect connectors',
      defaultVersion: 1,
    };
    const nodeVersions: IVersionedNodeType['nodeVersions'] = {
      1: new KafkaSuiteAdminV1(baseDescription),
    };
    super(nodeVersions, baseDescription);
  }
}
