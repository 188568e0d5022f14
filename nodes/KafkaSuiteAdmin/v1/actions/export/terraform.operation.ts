import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { MongeyAcl, MongeyQuota, MongeyScramUser, MongeyTopic } from '../../../../shared/terraform/render';
import {
  describeClientQuotas,
  describeResourceConfigs,
  describeScramCredentials,
  nameMatcher,
  topicOverrides,
  type ClientQuota,
} from '../../../../shared';
import { withAdmin } from '../../helpers/utils';
import { aclRow } from '../acl/fields';
import { nameFilterField } from '../../../../shared/descriptions/options';

const properties: INodeProperties[] = [
  nameFilterField('Topic Filter', 'topicFilter', 'Topics to export: text to contain, a glob with * and ?, or a regular expression as /…/. Empty exports every topic except internal ones.'),
  {
    displayName: 'Include ACLs',
    name: 'includeAcls',
    type: 'boolean',
    default: true,
  },
  {
    displayName: 'ACL Principal Filter',
    name: 'principalFilter',
    type: 'string',
    default: '',
    placeholder: 'User:orders-*',
    description: 'Only ACLs whose principal matches (same syntax as the topic filter); empty exports all ACLs',
    displayOptions: { show: { includeAcls: [true] } },
  },
  {
    displayName: 'Include Quotas and SCRAM Users',
    name: 'includeUsers',
    type: 'boolean',
    default: true,
    description: 'Whether to export client quotas and SCRAM credentials (user, mechanism, iterations; passwords become a sensitive variable). Needs DESCRIBE_CONFIGS and DESCRIBE on the cluster.',
  },
  {
    displayName: 'User and Client ID Filter',
    name: 'userFilter',
    type: 'string',
    default: '',
    placeholder: 'orders-*',
    description: 'Only SCRAM users and quotas whose user name or client ID matches (same syntax as the topic filter); empty exports all',
    displayOptions: { show: { includeUsers: [true] } },
  },
  {
    displayName: 'Output Files as Binary',
    name: 'binary',
    type: 'boolean',
    default: false,
    description: 'Whether to attach each file as binary data as well (for Write Binary File or a Git node)',
  },
];

export const description = updateDisplayOptions({ show: { resource: ['export'], operation: ['terraform'] } }, properties);

// The provider only models these resource types; delegation-token ACLs cannot be expressed.
const EXPORTABLE_RESOURCE_TYPES = new Set(['TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID']);

export async function execute(this: IExecuteFunctions, itemIndex: number) {
  const topicMatches = nameMatcher(this.getNodeParameter('topicFilter', itemIndex, '') as string);
  const includeAcls = this.getNodeParameter('includeAcls', itemIndex, true) as boolean;
  const principalMatches = nameMatcher(includeAcls ? (this.getNodeParameter('principalFilter', itemIndex, '') as string) : '');
  const asBinary = this.getNodeParameter('binary', itemIndex, false) as boolean;
  const includeUsers = this.getNodeParameter('includeUsers', itemIndex, true) as boolean;
  const userMatches = nameMatcher(includeUsers ? (this.getNodeParameter('userFilter', itemIndex, '') as string) : '');
  const { topics, acls, skipped, bootstrap } = await withAdmin(this, async (admin) => {
    const names = (await admin.listTopics()).filter((n) => !n.startsWith('__') && !n.startsWith('_')).filter(topicMatches).sort();
    const metadata = names.length ? await admin.fetchTopicMetadata(names) : [];
    const topics: MongeyTopic[] = [];
    for (const t of metadata.sort((a, b) => a.name.localeCompare(b.name))) {
      // Only overrides set on the topic: broker defaults belong to the cluster, not to the module.
      const config = topicOverrides(await describeResourceConfigs(admin, 'topic', t.name));
      topics.push({ name: t.name, partitions: t.partitions.length, replicationFactor: t.partitions[0]?.replicas.length ?? 1, config });
    }
    const acls: MongeyAcl[] = [];
    const skipped: IDataObject[] = [];
    if (includeAcls) {
      for (const acl of await admin.describeAcls({})) {
        const row = aclRow(acl);
        if (!principalMatches(String(row.principal))) continue;
        if (!EXPORTABLE_RESOURCE_TYPES.has(String(row.resourceType))) {
          skipped.push({ ...row, reason: 'resource type not supported by the Mongey/kafka provider' });
          continue;
        }
        if (!/^(User|Group):.+$/.test(String(row.principal))) {
          skipped.push({ ...row, reason: 'principal is not User:<name> or Group:<name>' });
          continue;
        }
        acls.push({
          principal: String(row.principal),
          resourceType: String(row.resourceType),
          resourceName: String(row.resourceName),
          patternType: String(row.patternType),
          operation: String(row.operation),
          permission: String(row.permission),
          host: String(row.host),
        });
      }
    }
    const { brokers } = await admin.describeCluster();
    return { topics, acls, skipped, bootstrap: brokers.map((b) => `${b.host}:${b.port}`).sort() };
  });
  const quotas: MongeyQuota[] = [];
  const scramUsers: MongeyScramUser[] = [];
  const skippedQuotas: IDataObject[] = [];
  if (includeUsers) {
    const [quotaList, credentials] = await withAdmin(this, async (admin) => [await describeClientQuotas(admin), await describeScramCredentials(admin)] as const);
    for (const quota of quotaList) {
      const row = quotaRow(quota, userMatches);
      if (row?.skipped) skippedQuotas.push(row.skipped);
      if (row?.quota) quotas.push(row.quota);
    }
    for (const credential of credentials) {
      if (userMatches(credential.user)) scramUsers.push({ username: credential.user, mechanism: credential.mechanism, iterations: credential.iterations });
    }
  }
  if (topics.length === 0 && acls.length === 0 && quotas.length === 0 && scramUsers.length === 0) {
    throw new NodeOperationError(this.getNode(), 'Nothing to export: no topic, ACL, quota or SCRAM user matched the filters', { itemIndex });
  }
  // Loaded on use: the renderer pulls in handlebars and the templates, which no other operation needs.
  const { renderMongeyModule } = await import('../../../../shared/terraform/render');
  const files = renderMongeyModule({ topics, acls, quotas, scramUsers, bootstrapServers: bootstrap, title: 'Kafka topics, ACLs, quotas and SCRAM users exported from a live cluster', importExisting: true });
  const json: IDataObject = {
    topics: topics.length,
    acls: acls.length,
    quotas: quotas.length,
    scramCredentials: scramUsers.length,
    skippedAcls: skipped,
    skippedQuotas,
    files,
  };
  if (!asBinary) return [{ json }];
  const binary: Record<string, Awaited<ReturnType<IExecuteFunctions['helpers']['prepareBinaryData']>>> = {};
  for (const [name, content] of Object.entries(files)) {
    binary[name.replace(/[^A-Za-z0-9]/g, '_')] = await this.helpers.prepareBinaryData(Buffer.from(content, 'utf8'), name, name.endsWith('.md') ? 'text/markdown' : 'text/plain');
  }
  return [{ json, binary }];
}

const QUOTA_KEYS: Record<string, keyof MongeyQuota> = {
  producer_byte_rate: 'producerByteRate',
  consumer_byte_rate: 'consumerByteRate',
  request_percentage: 'requestPercentage',
};

/** A quota the module can express, one it cannot (with the reason), or null when filtered out. */
function quotaRow(quota: ClientQuota, matches: (name: string) => boolean): { quota?: MongeyQuota; skipped?: IDataObject } | null {
  const types = Object.keys(quota.entity);
  const described = { entity: quota.entity, values: quota.values } as IDataObject;
  const [type] = types;
  const name = quota.entity[type];
  if (name !== null && name !== undefined && !matches(name)) return null;
  // The module keys quotas by one named entity, as the provider's kafka_quota does.
  if (types.length !== 1 || (type !== 'user' && type !== 'client-id')) return { skipped: { ...described, reason: 'only single user or client-id quotas are exported (not ip or user+client-id)' } };
  if (name === null || name === undefined) return { skipped: { ...described, reason: 'default quotas (no entity name) are not exported' } };
  const row: MongeyQuota = { entityType: type, entityName: name };
  for (const [key, value] of Object.entries(quota.values)) {
    const field = QUOTA_KEYS[key];
    if (!field) return { skipped: { ...described, reason: `quota ${key} is not supported by the module` } };
    (row as unknown as Record<string, number>)[field] = value;
  }
  return { quota: row };
}
