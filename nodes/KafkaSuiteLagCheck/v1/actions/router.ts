import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { itemFailure } from '../../../shared';
import * as consumerGroup from './consumerGroup/ConsumerGroup.resource';
import type { KafkaSuiteLagCheckType } from './node.type';

type OperationModule = { execute: (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[]> };

const resources: Record<KafkaSuiteLagCheckType['resource'], object> = { consumerGroup };

/** One item in, one or more items out; failures become error items (continueOnFail) in one place. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  const items = this.getInputData();
  const resource = this.getNodeParameter('resource', 0) as KafkaSuiteLagCheckType['resource'];
  const operation = this.getNodeParameter('operation', 0) as string;
  const handler = (resources[resource] as Record<string, OperationModule | undefined> | undefined)?.[operation];
  if (typeof handler?.execute !== 'function') throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for resource "${resource}"`);
  const returnData: INodeExecutionData[] = [];
  for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
    try {
      const result = await handler.execute.call(this, itemIndex);
      returnData.push(...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(result), { itemData: { item: itemIndex } }));
    } catch (error) {
      returnData.push(itemFailure(this, error, itemIndex));
    }
  }
  return [returnData];
}
