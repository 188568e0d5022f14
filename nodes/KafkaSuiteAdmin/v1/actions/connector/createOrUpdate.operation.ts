import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { jsonParameter, requiredLocator } from '../../helpers/utils';
import { connectorField } from './fields';
import { connectClient } from './helpers';

const properties: INodeProperties[] = [
  connectorField,
  {
    displayName: 'Config (JSON)',
    name: 'config',
    type: 'json',
    default: '{\n  "connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector",\n  "tasks.max": "1",\n  "topics": "orders",\n  "file": "/tmp/orders.txt"\n}',
    required: true,
    description: 'The connector config as a JSON object. Creates the connector or replaces the whole config of an existing one.',
  },
  {
    displayName: 'Validate First',
    name: 'validate',
    type: 'boolean',
    default: true,
    description: 'Whether to have the worker validate the config first and change nothing when it reports errors',
  },
];

export const description = updateDisplayOptions({ show: { resource: ['connector'], operation: ['createOrUpdate'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const name = requiredLocator(this, 'connector', itemIndex, 'Connector name');
  const raw = jsonParameter(this, 'config', itemIndex, 'Config');
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new NodeOperationError(this.getNode(), 'Config must be a JSON object', { itemIndex });
  // Connect wants every value as a string; numbers and booleans typed as JSON are converted.
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (value === null || typeof value === 'object') throw new NodeOperationError(this.getNode(), `Config value of "${key}" must be a string, number or boolean`, { itemIndex });
    config[key] = String(value);
  }
  if (config.name !== undefined && config.name !== name) {
    throw new NodeOperationError(this.getNode(), `The config's "name" (${config.name}) differs from the connector name "${name}"`, { itemIndex });
  }
  config.name = name;
  const client = await connectClient(this);
  if (this.getNodeParameter('validate', itemIndex, true) !== false) {
    const problems = await client.validate(config);
    if (problems.length) {
      throw new NodeOperationError(this.getNode(), `Kafka Connect rejected the config: ${problems.map((p) => `${p.name}: ${p.errors.join(' ')}`).join('; ')}`, {
        itemIndex,
        description: 'Nothing was created or changed.',
      });
    }
  }
  const { created, info } = await client.upsert(name, config);
  return { name, created, updated: !created, config: info.config, tasks: info.tasks as unknown as IDataObject[] };
}
