import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { routeOperations } from '../../../shared/router';
import * as compatibility from './compatibility/Compatibility.resource';
import * as mode from './mode/Mode.resource';
import type { KafkaSuiteSchemaRegistryType } from './node.type';
import * as schema from './schema/Schema.resource';
import * as subject from './subject/Subject.resource';
import * as wireFormat from './wireFormat/WireFormat.resource';

const resources: Record<KafkaSuiteSchemaRegistryType['resource'], object> = { subject, schema, compatibility, mode, wireFormat };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  return await routeOperations.call(this, resources);
}
