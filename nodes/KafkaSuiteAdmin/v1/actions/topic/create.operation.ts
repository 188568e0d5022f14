import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { toNodeError } from '../../../../shared';
import { configPairs, integerParameter, requiredString, withAdmin } from '../../helpers/utils';
import { configCollection, newTopicField } from './fields';
import { optionsCollection } from '../../../../shared/descriptions/options';

const properties: INodeProperties[] = [
  newTopicField,
  {
    displayName: 'Partitions',
    name: 'partitions',
    type: 'number',
    typeOptions: { minValue: 1 },
    default: 1,
  },
  {
    displayName: 'Replication Factor',
    name: 'replicationFactor',
    type: 'number',
    typeOptions: { minValue: -1 },
    default: -1,
    description: 'Copies of each partition; -1 uses the broker’s default.replication.factor',
  },
  configCollection('Configs', 'configs', 'Topic-level config overrides, e.g. cleanup.policy or retention.ms'),
  optionsCollection([
    {
      displayName: 'Ignore If Exists',
      name: 'ignoreIfExists',
      type: 'boolean',
      default: false,
      description: 'Whether an existing topic counts as success (its settings are not changed) instead of an error',
    },
    {
      displayName: 'Validate Only',
      name: 'validateOnly',
      type: 'boolean',
      default: false,
      description: 'Whether to have the broker check the request without creating the topic',
    },
  ]),
];

export const description = updateDisplayOptions({ show: { resource: ['topic'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const topic = requiredString(this, 'topic', itemIndex, 'Topic');
  const numPartitions = integerParameter(this, 'partitions', itemIndex, 'Partitions', 1);
  const replicationFactor = integerParameter(this, 'replicationFactor', itemIndex, 'Replication factor', -1);
  if (replicationFactor === 0) throw new NodeOperationError(this.getNode(), 'Replication factor must be -1 (broker default) or at least 1', { itemIndex });
  const config = configPairs(this, 'configs', itemIndex);
  const options = this.getNodeParameter('options', itemIndex, {}) as { ignoreIfExists?: boolean; validateOnly?: boolean };
  return await withAdmin(this, async (admin) => {
    if ((await admin.listTopics()).includes(topic)) {
      if (options.ignoreIfExists) return { topic, created: false, existed: true };
      throw new NodeOperationError(this.getNode(), `Topic "${topic}" already exists`, { itemIndex });
    }
    let refused: unknown;
    try {
      await admin.createTopics([{ topic, numPartitions, replicationFactor, configEntries: Object.entries(config).map(([name, value]) => ({ name, value })) }], {
        validateOnly: Boolean(options.validateOnly),
      });
    } catch (error) {
      refused = error;
    }
    if (refused) {
      // Per-topic failures come as one "Topic creation errors" error with the reasons inside (`errors`).
      const reasons = ((refused as { errors?: Array<{ type?: string; message?: string }> }).errors ?? []).map((e) => `${e.type ?? 'error'}: ${e.message ?? ''}`);
      if (!reasons.length) throw toNodeError(this.getNode(), refused, itemIndex);
      const configHint = reasons.some((r) => r.startsWith('INVALID_CONFIG')) && Object.keys(config).length ? ` (configs given: ${Object.keys(config).join(', ')})` : '';
      throw new NodeOperationError(this.getNode(), `Kafka refused to create topic "${topic}": ${reasons.join('; ')}${configHint}`, { itemIndex, description: 'Nothing was created.' });
    }
    return { topic, created: !options.validateOnly, validatedOnly: Boolean(options.validateOnly), partitions: numPartitions, replicationFactor, configs: config };
  });
}
