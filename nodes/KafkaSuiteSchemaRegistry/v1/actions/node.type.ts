import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
  subject: 'list' | 'listVersions' | 'softDelete' | 'hardDelete';
  schema: 'get' | 'register' | 'checkCompatibility';
  compatibility: 'get' | 'set';
  mode: 'get' | 'set';
  wireFormat: 'serialize' | 'deserialize';
};

export type KafkaSuiteSchemaRegistryType = AllEntities<NodeMap>;
