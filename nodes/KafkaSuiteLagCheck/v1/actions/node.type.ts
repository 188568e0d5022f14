import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
  consumerGroup: 'checkLag';
};

export type KafkaSuiteLagCheckType = AllEntities<NodeMap>;
