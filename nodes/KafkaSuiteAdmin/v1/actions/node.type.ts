import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
  topic: 'list' | 'describe' | 'create' | 'delete' | 'updateConfigs' | 'addPartitions' | 'deleteRecords';
  group: 'list' | 'describe' | 'delete' | 'resetOffsets' | 'setOffsets';
  shareGroup: 'list' | 'describe' | 'resetStartOffsets' | 'setStartOffsets';
  acl: 'create' | 'describe' | 'delete';
  cluster: 'describe' | 'describeBrokerConfigs';
  export: 'terraform' | 'catalog';
  advisor: 'audit' | 'capacity';
  connector: 'list' | 'createOrUpdate' | 'createFromTemplate' | 'listTemplates' | 'pause' | 'resume' | 'restart' | 'delete';
};

export type KafkaSuiteAdminType = AllEntities<NodeMap>;
