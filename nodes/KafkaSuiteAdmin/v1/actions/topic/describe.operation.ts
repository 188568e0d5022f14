import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { assertTopicsExist, describeResourceConfigs, topicOverrides } from '../../../../shared';
import { requiredLocator, withAdmin } from '../../helpers/utils';
import { topicField } from './fields';
import { optionsCollection } from '../../../../shared/descriptions/options';

const properties: INodeProperties[] = [
  topicField,
  optionsCollection([
    {
      displayName: 'Include Default Configs',
      name: 'includeDefaults',
      type: 'boolean',
      default: true,
      description: 'Whether to list every effective config, or only the ones overridden on the topic',
    },
  ]),
];

export const description = updateDisplayOptions({ show: { resource: ['topic'], operation: ['describe'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const topic = requiredLocator(this, 'topic', itemIndex, 'Topic');
  const options = this.getNodeParameter('options', itemIndex, {}) as { includeDefaults?: boolean };
  return await withAdmin(this, async (admin) => {
    await assertTopicsExist(admin, [topic]);
    const [topics, marks, configs] = await Promise.all([
      admin.fetchTopicMetadata([topic]),
      admin.fetchTopicOffsets(topic),
      describeResourceConfigs(admin, 'topic', topic),
    ]);
    const markOf = new Map(marks.map((m) => [m.partition, m]));
    const partitions = [...(topics[0]?.partitions ?? [])]
      .sort((a, b) => a.partition - b.partition)
      .map((p) => ({
        partition: p.partition,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
        offlineReplicas: p.offlineReplicas,
        underReplicated: p.isr.length < p.replicas.length,
        logStartOffset: markOf.get(p.partition)?.low ?? null,
        logEndOffset: markOf.get(p.partition)?.high ?? null,
      }));
    return {
      topic,
      partitionCount: partitions.length,
      replicationFactor: partitions[0]?.replicas.length ?? 0,
      partitions,
      overrides: topicOverrides(configs),
      configs: (options.includeDefaults === false ? configs.filter((c) => c.source === 'TOPIC') : configs) as unknown as IDataObject[],
    };
  });
}
