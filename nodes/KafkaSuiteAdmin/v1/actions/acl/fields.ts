import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { locatorField, locatorValue, type AclBinding, type AclOperationName, type AclPatternKind, type AclPermission, type AclResourceKind } from '../../../../shared';

const RESOURCE_TYPES = [
  { name: 'Cluster', value: 'CLUSTER' },
  { name: 'Consumer Group', value: 'GROUP' },
  { name: 'Delegation Token', value: 'DELEGATION_TOKEN' },
  { name: 'Topic', value: 'TOPIC' },
  { name: 'Transactional ID', value: 'TRANSACTIONAL_ID' },
];
const OPERATIONS = [
  { name: 'All', value: 'ALL' },
  { name: 'Alter', value: 'ALTER' },
  { name: 'Alter Configs', value: 'ALTER_CONFIGS' },
  { name: 'Cluster Action', value: 'CLUSTER_ACTION' },
  { name: 'Create', value: 'CREATE' },
  { name: 'Delete', value: 'DELETE' },
  { name: 'Describe', value: 'DESCRIBE' },
  { name: 'Describe Configs', value: 'DESCRIBE_CONFIGS' },
  { name: 'Idempotent Write', value: 'IDEMPOTENT_WRITE' },
  { name: 'Read', value: 'READ' },
  { name: 'Write', value: 'WRITE' },
];
const PATTERNS = [
  { name: 'Literal', value: 'LITERAL', description: 'The resource name exactly (or * for all)' },
  { name: 'Prefixed', value: 'PREFIXED', description: 'Every resource whose name starts with the given name' },
];
const PERMISSIONS = [
  { name: 'Allow', value: 'ALLOW' },
  { name: 'Deny', value: 'DENY' },
];
const ANY = { name: 'Any', value: 'ANY' };

/** The ACL fields; `filter` adds "Any" choices and makes names optional (describe, delete). */
export function aclFields(filter: boolean): INodeProperties[] {
  const withAny = <T>(options: T[]) => (filter ? [ANY as T, ...options] : options);
  // A call, not an inline `filter ? a : b`: n8n's lint rules cannot read a conditional default and
  // report it as missing; a call is one they accept as a computed default.
  const byMode = <T>(filterDefault: T, createDefault: T): T => (filter ? filterDefault : createDefault);
  return [
    { displayName: 'Resource Type', name: 'aclResourceType', type: 'options', options: withAny(RESOURCE_TYPES), default: byMode('ANY', 'TOPIC') },
    {
      displayName: 'Resource Name',
      name: 'aclResourceName',
      type: 'string',
      default: '',
      required: !filter,
      placeholder: 'orders',
      description: filter ? 'Empty matches any name' : 'Topic, group or transactional ID name; kafka-cluster for the cluster; * for all',
    },
    {
      displayName: 'Pattern Type',
      name: 'aclPatternType',
      type: 'options',
      options: filter ? [ANY, { name: 'Match', value: 'MATCH', description: 'ACLs that would apply to the named resource, including prefixed and wildcard ones' }, ...PATTERNS] : PATTERNS,
      default: byMode('ANY', 'LITERAL'),
    },
    {
      ...locatorField({ displayName: 'Principal', name: 'aclPrincipal', method: 'searchPrincipals', placeholder: 'User:orders-app', required: !filter }),
      description: filter ? 'A principal that has ACLs, or one typed as Type:name; empty matches any principal' : 'Who the ACL applies to, as Type:name: one that already has ACLs, or typed',
    },
    { displayName: 'Host', name: 'aclHost', type: 'string', default: byMode('', '*'), description: filter ? 'Empty matches any host' : 'Client host the ACL applies to; * for any host' },
    { displayName: 'Operation', name: 'aclOperation', type: 'options', options: withAny(OPERATIONS), default: byMode('ANY', 'READ') },
    { displayName: 'Permission', name: 'aclPermission', type: 'options', options: withAny(PERMISSIONS), default: byMode('ANY', 'ALLOW') },
  ];
}

// The node's option values are Kafka's names (TRANSACTIONAL_ID); the API's are camelCase (transactionalId).
const ACL_NAMES = {
  resource: ['ANY', ...RESOURCE_TYPES.map((o) => o.value)],
  pattern: ['ANY', 'MATCH', ...PATTERNS.map((o) => o.value)],
  operation: ['ANY', ...OPERATIONS.map((o) => o.value)],
  permission: ['ANY', ...PERMISSIONS.map((o) => o.value)],
};
const toApiName = (kafkaName: string) => kafkaName.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const toKafkaName = (apiName: string) => apiName.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

function aclValue<T extends string>(kind: keyof typeof ACL_NAMES, key: string, label: string, context: IExecuteFunctions, itemIndex: number): T {
  if (!ACL_NAMES[kind].includes(key)) throw new NodeOperationError(context.getNode(), `Unknown ${label} "${key}"`, { itemIndex });
  return toApiName(key) as T;
}

export interface AclSpec {
  resourceType: AclResourceKind;
  resourceName?: string;
  patternType: AclPatternKind;
  principal?: string;
  host?: string;
  operation: AclOperationName;
  permission: AclPermission;
}

export function readAcl(context: IExecuteFunctions, itemIndex: number, filter: boolean): AclSpec {
  const text = (name: string) => String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
  const spec: AclSpec = {
    resourceType: aclValue<AclResourceKind>('resource', context.getNodeParameter('aclResourceType', itemIndex) as string, 'resource type', context, itemIndex),
    resourceName: text('aclResourceName') || undefined,
    patternType: aclValue<AclPatternKind>('pattern', context.getNodeParameter('aclPatternType', itemIndex) as string, 'pattern type', context, itemIndex),
    principal: locatorValue(context, 'aclPrincipal', itemIndex) || undefined,
    host: text('aclHost') || undefined,
    operation: aclValue<AclOperationName>('operation', context.getNodeParameter('aclOperation', itemIndex) as string, 'operation', context, itemIndex),
    permission: aclValue<AclPermission>('permission', context.getNodeParameter('aclPermission', itemIndex) as string, 'permission', context, itemIndex),
  };
  if (spec.principal && !/^[A-Za-z]+:.+$/.test(spec.principal)) {
    throw new NodeOperationError(context.getNode(), `Principal "${spec.principal}" must look like User:name`, { itemIndex });
  }
  if (!filter) {
    if (!spec.resourceName) throw new NodeOperationError(context.getNode(), 'Resource name is required', { itemIndex });
    if (!spec.principal) throw new NodeOperationError(context.getNode(), 'Principal is required', { itemIndex });
    spec.host = spec.host ?? '*';
  }
  return spec;
}

/** An ACL in words (Kafka's names), the same shape describe returns and delete reports. */
export function aclRow(acl: AclBinding): IDataObject {
  return {
    principal: acl.principal,
    host: acl.host,
    operation: toKafkaName(acl.operation),
    permission: toKafkaName(acl.permission),
    resourceType: toKafkaName(acl.resourceType),
    resourceName: acl.resourceName,
    patternType: toKafkaName(acl.patternType),
  };
}
