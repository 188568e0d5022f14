import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { itemFailure } from '../../../shared';
import * as acl from './acl/Acl.resource';
import * as advisor from './advisor/Advisor.resource';
import * as cluster from './cluster/Cluster.resource';
import * as connector from './connector/Connector.resource';
import * as exportResource from './export/Export.resource';
import * as group from './group/Group.resource';
import type { KafkaSuiteAdminType } from './node.type';
import * as topic from './topic/Topic.resource';

type OperationModule = { execute: (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[] | INodeExecutionData[]> };

const resources: Record<KafkaSuiteAdminType['resource'], object> = {
  topic,
  group,
  acl,
  cluster,
  export: exportResource,
  connector,
  advisor,
};

const isExecutionData = (value: unknown): value is INodeExecutionData[] =>
  Array.isArray(value) && value.every((entry) => entry && typeof entry === 'object' && 'json' in entry);

/** One item in, one or more items out; failures become error items (continueOnFail) in one place. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  const items = this.getInputData();
  const resource = this.getNodeParameter('resource', 0) as KafkaSuiteAdminType['resource'];
  const operation = this.getNodeParameter('operation', 0) as string;
  const handler = (resources[resource] as Record<string, OperationModule | undefined> | undefined)?.[operation];
  if (typeof handler?.execute !== 'function') throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for resource "${resource}"`);
  const returnData: INodeExecutionData[] = [];
  for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
    try {
      const result = await handler.execute.call(this, itemIndex);
      const data = isExecutionData(result) ? result : this.helpers.returnJsonArray(result);
      returnData.push(...this.helpers.constructExecutionMetaData(data, { itemData: { item: itemIndex } }));
    } catch (error) {
      returnData.push(itemFailure(this, error, itemIndex));
    }
  }
  return [returnData];
}
