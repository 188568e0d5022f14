import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import * as acl from './acl/Acl.resource';
import * as cluster from './cluster/Cluster.resource';
import * as connector from './connector/Connector.resource';
import * as exportResource from './export/Export.resource';
import * as group from './group/Group.resource';
import * as topic from './topic/Topic.resource';

export const versionDescription: INodeTypeDescription = {
  displayName: 'Kafka Admin (Suite)',
  name: 'kafkaSuiteAdmin',
  icon: { light: 'file:../../icons/kafka.svg', dark: 'file:../../icons/kafka.dark.svg' },
  group: ['transform'],
  version: 1,
  subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
  description: 'Manage Kafka topics, consumer groups, ACLs, brokers and Kafka Connect connectors',
  defaults: { name: 'Kafka Admin' },
  usableAsTool: true,
  inputs: [NodeConnectionTypes.Main],
  outputs: [NodeConnectionTypes.Main],
  credentials: [
    {
      name: 'kafkaSuiteClusterApi',
      required: true,
      testedBy: 'kafkaSuiteClusterConnectionTest',
      displayOptions: { hide: { resource: ['connector'] } },
    },
    {
      name: 'kafkaSuiteConnectApi',
      required: true,
      testedBy: 'kafkaSuiteConnectConnectionTest',
      displayOptions: { show: { resource: ['connector'] } },
    },
  ],
  properties: [
    {
      displayName: 'Resource',
      name: 'resource',
      type: 'options',
      noDataExpression: true,
      options: [
        { name: 'ACL', value: 'acl' },
        { name: 'Cluster', value: 'cluster' },
        { name: 'Connector (Kafka Connect)', value: 'connector' },
        { name: 'Consumer Group', value: 'group' },
        { name: 'Export', value: 'export' },
        { name: 'Topic', value: 'topic' },
      ],
      default: 'topic',
    },
    ...topic.description,
    ...group.description,
    ...acl.description,
    ...cluster.description,
    ...exportResource.description,
    ...connector.description,
  ],
};
