import type { INodeProperties } from 'n8n-workflow';
import { locatorField } from '../../../../shared';

/** An existing topic: picked from the cluster's list or typed. */
export const topicField: INodeProperties = locatorField({ displayName: 'Topic', name: 'topic', method: 'searchTopics', placeholder: 'orders' });

/** The name of a topic to create (nothing to pick from). */
export const newTopicField: INodeProperties = {
  displayName: 'Topic',
  name: 'topic',
  type: 'string',
  default: '',
  required: true,
  placeholder: 'orders',
};

export const configCollection = (displayName: string, name: string, description: string): INodeProperties => ({
  displayName,
  name,
  type: 'fixedCollection',
  typeOptions: { multipleValues: true },
  placeholder: 'Add Config',
  default: {},
  description,
  options: [
    {
      displayName: 'Config',
      name: 'config',
      values: [
        { displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'retention.ms' },
        { displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: '604800000' },
      ],
    },
  ],
});
