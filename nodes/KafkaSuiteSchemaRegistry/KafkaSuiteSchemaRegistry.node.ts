import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { KafkaSuiteSchemaRegistryV1 } from './v1/KafkaSuiteSchemaRegistryV1.node';

export class KafkaSuiteSchemaRegistry extends VersionedNodeType {
  constructor() {
    const baseDescription: INodeTypeBaseDescription = {
      displayName: 'Kafka Schema Registry',
      name: 'kafkaSuiteSchemaRegistry',
      icon: { light: 'file:kafkaSuiteSchemaRegistry.svg', dark: 'file:kafkaSuiteSchemaRegistry.dark.svg' },
      group: ['transform'],
      description: 'Manage subjects, schemas, compatibility and modes of a Confluent-compatible schema registry, and convert values to and from the wire format',
      defaultVersion: 1,
    };
    const nodeVersions: IVersionedNodeType['nodeVersions'] = {
      1: new KafkaSuiteSchemaRegistryV1(baseDescription),
    };
    super(nodeVersions, baseDescription);
  }
}
