import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { withAdmin } from '../../helpers/utils';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions({ show: { resource: ['cluster'], operation: ['describe'] } }, properties);

export async function execute(this: IExecuteFunctions, _itemIndex: number): Promise<IDataObject> {
  return await withAdmin(this, async (admin) => {
    const cluster = await admin.describeCluster();
    return {
      clusterId: cluster.clusterId,
      controller: cluster.controller,
      brokers: cluster.brokers
        .map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, isController: b.nodeId === cluster.controller }))
        .sort((a, b) => a.nodeId - b.nodeId),
    };
  });
}
