import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { itemFailure } from './n8n';

/** An operation file (nodes/<Node>/v1/actions/<resource>/<operation>.operation.ts) as the router sees it. */
type OperationModule = { execute: (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[] | INodeExecutionData[]> };

const isExecutionData = (value: unknown): value is INodeExecutionData[] =>
  Array.isArray(value) && value.every((entry) => entry && typeof entry === 'object' && 'json' in entry);

/**
 * The router of the resource/operation nodes (n8n's layout: one file per operation): picks the
 * operation module for the node's resource and operation, runs it for each item, one item in and
 * one or more out, and turns failures into error items (continueOnFail) in one place.
 */
export async function routeOperations(this: IExecuteFunctions, resources: Record<string, object>): Promise<INodeExecutionData[][]> {
  const items = this.getInputData();
  const resource = this.getNodeParameter('resource', 0) as string;
  const operation = this.getNodeParameter('operation', 0) as string;
  const handler = (resources[resource] as Record<string, OperationModule | undefined> | undefined)?.[operation];
  if (typeof handler?.execute !== 'function') throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for resource "${resource}"`);
  const returnData: INodeExecutionData[] = [];
  for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
    try {
      const result = await handler.execute.call(this, itemIndex);
      const data = isExecutionData(result) ? result : this.helpers.returnJsonArray(result as IDataObject | IDataObject[]);
      returnData.push(...this.helpers.constructExecutionMetaData(data, { itemData: { item: itemIndex } }));
    } catch (error) {
      returnData.push(itemFailure(this, error, itemIndex));
    }
  }
  return [returnData];
}
