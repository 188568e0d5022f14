import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeBaseDescription, INodeTypeDescription } from 'n8n-workflow';
import { credentialTests, listSearch } from '../../shared';
import { execute } from './actions/send.operation';
import { versionDescription } from './description';

// The icon comes from the base description in ../KafkaSuiteProducer.node.ts; the lint rule resolves
// file: paths relative to this file, which would point the runtime icon at the wrong folder.
// eslint-disable-next-line @n8n/community-nodes/icon-validation
export class KafkaSuiteProducerV1 implements INodeType {
  description: INodeTypeDescription;

  methods = { credentialTest: credentialTests, listSearch };

  constructor(baseDescription: INodeTypeBaseDescription) {
    this.description = versionDescription(baseDescription);
  }

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return execute.call(this);
  }
}
