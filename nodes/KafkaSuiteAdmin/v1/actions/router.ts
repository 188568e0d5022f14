import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { routeOperations } from '../../../shared/router';
import * as acl from './acl/Acl.resource';
import * as advisor from './advisor/Advisor.resource';
import * as cluster from './cluster/Cluster.resource';
import * as connector from './connector/Connector.resource';
import * as exportResource from './export/Export.resource';
import * as group from './group/Group.resource';
import * as shareGroup from './shareGroup/ShareGroup.resource';
import type { KafkaSuiteAdminType } from './node.type';
import * as topic from './topic/Topic.resource';

const resources: Record<KafkaSuiteAdminType['resource'], object> = {
  topic,
  group,
  shareGroup,
  acl,
  cluster,
  export: exportResource,
  connector,
  advisor,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  return await routeOperations.call(this, resources);
}
