import type { INodeTypeBaseDescription, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { resourceField } from '../../../shared/descriptions/resource';
import * as acl from './acl/Acl.resource';
import * as advisor from './advisor/Advisor.resource';
import * as cluster from './cluster/Cluster.resource';
import * as connector from './connector/Connector.resource';
import * as exportResource from './export/Export.resource';
import * as group from './group/Group.resource';
import * as shareGroup from './shareGroup/ShareGroup.resource';
import * as topic from './topic/Topic.resource';

/** Version 1 on top of the base description (name, icon, group) in the node's .node.ts. */
export const versionDescription = (base: INodeTypeBaseDescription): INodeTypeDescription => ({
  ...base,
  version: 1,
  subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
  // Longer than the base description, which is what the nodes panel lists.
  description: 'Manage Kafka topics, consumer and share groups, ACLs, brokers and Kafka Connect connectors; audit the cluster and plan capacity',
  defaults: { name: 'Kafka Admin' },
  usableAsTool: true,
  inputs: [NodeConnectionTypes.Main],
  outputs: [NodeConnectionTypes.Main],
  credentials: [
    {
      name: 'kafkaSuiteClusterApi',
      required: true,
      testedBy: 'kafkaSuiteClusterConnectionTest',
      // Capacity planning is arithmetic only: usable (also as an AI tool) before a cluster exists.
      displayOptions: { hide: { resource: ['connector'], operation: ['capacity'] } },
    },
    {
      name: 'kafkaSuiteConnectApi',
      required: true,
      testedBy: 'kafkaSuiteConnectConnectionTest',
      // Shown for the connector resource, and for the catalog when it lists source connectors
      // (credential display rules cannot say "connector OR catalog", hence hide rules).
      displayOptions: { hide: { resource: ['acl', 'advisor', 'cluster', 'group', 'shareGroup', 'topic'], operation: ['terraform'], catalogConnectors: [false] } },
    },
    {
      name: 'kafkaSuiteSchemaRegistryApi',
      required: true,
      testedBy: 'kafkaSuiteSchemaRegistryConnectionTest',
      displayOptions: { show: { catalogSchemas: [true] } },
    },
  ],
  properties: [
    resourceField('topic', [
      { name: 'ACL', value: 'acl' },
      { name: 'Advisor', value: 'advisor' },
      { name: 'Cluster', value: 'cluster' },
      { name: 'Connector (Kafka Connect)', value: 'connector' },
      { name: 'Consumer Group', value: 'group' },
      { name: 'Export', value: 'export' },
      { name: 'Share Group', value: 'shareGroup' },
      { name: 'Topic', value: 'topic' },
    ]),
    ...topic.description,
    ...group.description,
    ...shareGroup.description,
    ...acl.description,
    ...cluster.description,
    ...exportResource.description,
    ...connector.description,
    ...advisor.description,
  ],
});
