import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { routeOperations } from '../../../shared/router';
import * as consumerGroup from './consumerGroup/ConsumerGroup.resource';
import type { KafkaSuiteLagCheckType } from './node.type';

const resources: Record<KafkaSuiteLagCheckType['resource'], object> = { consumerGroup };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  return await routeOperations.call(this, resources);
}
