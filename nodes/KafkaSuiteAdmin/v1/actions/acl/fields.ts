import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, locatorField, locatorValue, ResourcePatternTypes } from '../../../../shared';

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

const enumValue = (table: Record<string, unknown>, key: string, label: string, context: IExecuteFunctions, itemIndex: number): number => {
  const value = table[key];
  if (typeof value !== 'number') throw new NodeOperationError(context.getNode(), `Unknown ${label} "${key}"`, { itemIndex });
  return value;
};

export interface AclSpec {
  resourceType: number;
  resourceName?: string;
  resourcePatternType: number;
  principal?: string;
  host?: string;
  operation: number;
  permissionType: number;
}

export function readAcl(context: IExecuteFunctions, itemIndex: number, filter: boolean): AclSpec {
  const text = (name: string) => String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
  const spec: AclSpec = {
    resourceType: enumValue(AclResourceTypes as unknown as Record<string, unknown>, context.getNodeParameter('aclResourceType', itemIndex) as string, 'resource type', context, itemIndex),
    resourceName: text('aclResourceName') || undefined,
    resourcePatternType: enumValue(ResourcePatternTypes as unknown as Record<string, unknown>, context.getNodeParameter('aclPatternType', itemIndex) as string, 'pattern type', context, itemIndex),
    principal: locatorValue(context, 'aclPrincipal', itemIndex) || undefined,
    host: text('aclHost') || undefined,
    operation: enumValue(AclOperationTypes as unknown as Record<string, unknown>, context.getNodeParameter('aclOperation', itemIndex) as string, 'operation', context, itemIndex),
    permissionType: enumValue(AclPermissionTypes as unknown as Record<string, unknown>, context.getNodeParameter('aclPermission', itemIndex) as string, 'permission', context, itemIndex),
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

const nameOf = (table: Record<string, unknown>, value: number) => Object.keys(table).find((key) => table[key] === value) ?? String(value);

/** An ACL in words, the same shape describe returns and delete reports. */
export function aclRow(resource: { resourceType: number; resourceName: string; resourcePatternType: number }, acl: { principal: string; host: string; operation: number; permissionType: number }): IDataObject {
  return {
    principal: acl.principal,
    host: acl.host,
    operation: nameOf(AclOperationTypes as unknown as Record<string, unknown>, acl.operation),
    permission: nameOf(AclPermissionTypes as unknown as Record<string, unknown>, acl.permissionType),
    resourceType: nameOf(AclResourceTypes as unknown as Record<string, unknown>, resource.resourceType),
    resourceName: resource.resourceName,
    patternType: nameOf(ResourcePatternTypes as unknown as Record<string, unknown>, resource.resourcePatternType),
  };
}
