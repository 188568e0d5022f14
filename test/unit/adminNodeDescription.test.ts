import type { INodeProperties, INodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { KafkaSuiteAdmin } from '../../nodes/KafkaSuiteAdmin/KafkaSuiteAdmin.node';
import * as acl from '../../nodes/KafkaSuiteAdmin/v1/actions/acl/Acl.resource';
import * as advisor from '../../nodes/KafkaSuiteAdmin/v1/actions/advisor/Advisor.resource';
import * as cluster from '../../nodes/KafkaSuiteAdmin/v1/actions/cluster/Cluster.resource';
import * as connector from '../../nodes/KafkaSuiteAdmin/v1/actions/connector/Connector.resource';
import * as exportResource from '../../nodes/KafkaSuiteAdmin/v1/actions/export/Export.resource';
import * as group from '../../nodes/KafkaSuiteAdmin/v1/actions/group/Group.resource';
import * as shareGroup from '../../nodes/KafkaSuiteAdmin/v1/actions/shareGroup/ShareGroup.resource';
import * as topic from '../../nodes/KafkaSuiteAdmin/v1/actions/topic/Topic.resource';

const modules: Record<string, Record<string, unknown>> = { acl, advisor, cluster, connector, export: exportResource, group, shareGroup, topic };
const node = new KafkaSuiteAdmin();
const description = (node.nodeVersions[1] as INodeType).description;
const resources = (description.properties.find((p) => p.name === 'resource')?.options ?? []) as Array<{ value: string }>;

function operationsOf(resource: string): string[] {
  const selector = description.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource));
  return ((selector?.options ?? []) as Array<{ value: string }>).map((o) => o.value);
}

/** Properties n8n shows for a resource/operation (ignoring conditions on other parameters). */
function visible(resource: string, operation: string): INodeProperties[] {
  return description.properties.filter((p) => {
    const show = p.displayOptions?.show ?? {};
    const hide = p.displayOptions?.hide ?? {};
    if (show.resource && !show.resource.includes(resource)) return false;
    if (show.operation && !show.operation.includes(operation)) return false;
    if (hide.resource?.includes(resource)) return false;
    return true;
  });
}

describe('Kafka Admin node description', () => {
  test('base description: name, tool use, icon, both credentials with their tests', () => {
    expect(node.description).toMatchObject({ name: 'kafkaSuiteAdmin', displayName: 'Kafka Admin (Suite)', defaultVersion: 1 });
    expect(description.usableAsTool).toBe(true);
    expect(description.icon).toEqual({ light: 'file:kafkaSuiteAdmin.svg', dark: 'file:kafkaSuiteAdmin.dark.svg' });
    expect(description.credentials).toEqual([
      expect.objectContaining({ name: 'kafkaSuiteClusterApi', required: true, testedBy: 'kafkaSuiteClusterConnectionTest' }),
      expect.objectContaining({ name: 'kafkaSuiteConnectApi', required: true, testedBy: 'kafkaSuiteConnectConnectionTest' }),
      expect.objectContaining({ name: 'kafkaSuiteSchemaRegistryApi', required: true, testedBy: 'kafkaSuiteSchemaRegistryConnectionTest' }),
    ]);
    const methods = (node.nodeVersions[1] as INodeType).methods?.credentialTest ?? {};
    expect(Object.keys(methods)).toEqual(expect.arrayContaining(['kafkaSuiteClusterConnectionTest', 'kafkaSuiteConnectConnectionTest']));
  });

  test('every listed operation has an execute function', () => {
    expect(resources.map((r) => r.value).sort()).toEqual(Object.keys(modules).sort());
    for (const { value: resource } of resources) {
      const ops = operationsOf(resource);
      expect(ops.length).toBeGreaterThan(0);
      for (const op of ops) expect([resource, op, typeof (modules[resource][op] as { execute?: unknown })?.execute]).toEqual([resource, op, 'function']);
    }
  });

  test('no parameter name appears twice with different types for the same operation; destructive operations ask for the name', () => {
    const destructive = ['topic/delete', 'topic/deleteRecords', 'group/delete', 'group/resetOffsets', 'group/setOffsets', 'shareGroup/resetStartOffsets', 'shareGroup/setStartOffsets', 'connector/delete'];
    for (const { value: resource } of resources) {
      for (const op of operationsOf(resource)) {
        const props = visible(resource, op).filter((p) => p.name !== 'operation');
        const types = new Map<string, Set<string>>();
        for (const p of props) types.set(p.name, (types.get(p.name) ?? new Set()).add(p.type));
        const mixed = [...types].filter(([, t]) => t.size > 1).map(([n]) => n);
        expect([`${resource}/${op}`, mixed]).toEqual([`${resource}/${op}`, []]);
        const hasConfirmation = props.some((p) => p.name === 'confirmation');
        expect([`${resource}/${op}`, hasConfirmation]).toEqual([`${resource}/${op}`, destructive.includes(`${resource}/${op}`)]);
      }
    }
  });

  test('resets and set offsets default to a dry run', () => {
    for (const op of ['resetOffsets', 'setOffsets']) {
      expect(visible('group', op).find((p) => p.name === 'dryRun')).toMatchObject({ type: 'boolean', default: true });
    }
    for (const op of ['resetStartOffsets', 'setStartOffsets']) {
      expect(visible('shareGroup', op).find((p) => p.name === 'dryRun')).toMatchObject({ type: 'boolean', default: true });
    }
  });

  test('each operation asks for exactly the credentials it uses (as n8n evaluates the display rules)', () => {
    const shown = (parameters: Record<string, unknown>) =>
      (description.credentials ?? []).filter((c) => NodeHelpers.displayParameter(parameters as never, c, null, null)).map((c) => c.name);
    for (const { value: resource } of resources) {
      for (const operation of operationsOf(resource)) {
        const expected =
          resource === 'connector' ? ['kafkaSuiteConnectApi'] : operation === 'capacity' ? [] : operation === 'catalog' ? ['kafkaSuiteClusterApi', 'kafkaSuiteSchemaRegistryApi'] : ['kafkaSuiteClusterApi'];
        expect([resource, operation, shown({ resource, operation, ...(operation === 'catalog' ? { catalogSchemas: true, catalogConnectors: false } : {}) })]).toEqual([resource, operation, expected]);
      }
    }
    expect(shown({ resource: 'export', operation: 'catalog', catalogSchemas: false, catalogConnectors: true })).toEqual(['kafkaSuiteClusterApi', 'kafkaSuiteConnectApi']);
  });
});
