import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeBaseDescription, INodeTypeDescription } from 'n8n-workflow';
import { credentialTests, listSearch } from '../../shared';
import { router } from './actions/router';
import { versionDescription } from './actions/versionDescription';

// eslint-disable-next-line @n8n/community-nodes/icon-validation -- versioned node: the icon is in the base description (KafkaSuiteSchemaRegistry.node.ts), which n8n resolves relative to that file
export class KafkaSuiteSchemaRegistryV1 implements INodeType {
  description: INodeTypeDescription;

  constructor(baseDescription: INodeTypeBaseDescription) {
    this.description = versionDescription(baseDescription);
  }

  methods = { credentialTest: credentialTests, listSearch };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return await router.call(this);
  }
}
