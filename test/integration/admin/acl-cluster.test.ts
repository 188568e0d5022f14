import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { clientPool } from '../../../nodes/shared';
import { json, runNode, testKafka, unique } from './harness';

const tk = testKafka();

afterAll(async () => {
  await clientPool.closeAll();
  await tk.closeAll();
});

const aclParams = (operation: string, extra: Record<string, unknown>) =>
  runNode({
    resource: 'acl',
    operation,
    aclResourceType: operation === 'create' ? 'TOPIC' : 'ANY',
    aclPatternType: operation === 'create' ? 'LITERAL' : 'ANY',
    aclOperation: operation === 'create' ? 'READ' : 'ANY',
    aclPermission: operation === 'create' ? 'ALLOW' : 'ANY',
    aclHost: operation === 'create' ? '*' : '',
    aclResourceName: '',
    aclPrincipal: '',
    ...extra,
  });

async function aclsOf(principal: string) {
  const admin = await tk.admin();
  const res = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
    principal,
  });
  return res.resources.flatMap((r) => r.acls.map((a) => ({ type: r.resourceType, name: r.resourceName, pattern: r.resourcePatternType, op: a.operation, perm: a.permissionType })));
}

describe('Kafka Admin node: ACLs', () => {
  test('create, describe with filters, delete', async () => {
    const principal = `User:${unique('adm-acl')}`;
    const topic = unique('adm-acl-topic');
    const created = json(await aclParams('create', { aclResourceName: topic, aclPrincipal: principal }))[0];
    expect(created).toEqual({
      created: true,
      acl: { principal, host: '*', operation: 'READ', permission: 'ALLOW', resourceType: 'TOPIC', resourceName: topic, patternType: 'LITERAL' },
    });
    await aclParams('create', { aclResourceType: 'GROUP', aclPatternType: 'PREFIXED', aclResourceName: 'orders-', aclOperation: 'READ', aclPrincipal: principal });
    await aclParams('create', { aclResourceName: topic, aclOperation: 'WRITE', aclPermission: 'DENY', aclPrincipal: principal });
    expect(await aclsOf(principal)).toHaveLength(3);

    const all = json(await aclParams('describe', { aclPrincipal: principal }));
    expect(all).toHaveLength(3);
    const denies = json(await aclParams('describe', { aclPrincipal: principal, aclPermission: 'DENY' }));
    expect(denies).toEqual([expect.objectContaining({ operation: 'WRITE', permission: 'DENY', resourceName: topic })]);
    const groups = json(await aclParams('describe', { aclPrincipal: principal, aclResourceType: 'GROUP' }));
    expect(groups).toEqual([expect.objectContaining({ resourceType: 'GROUP', patternType: 'PREFIXED', resourceName: 'orders-' })]);

    const deleted = json(await aclParams('delete', { aclPrincipal: principal, aclResourceType: 'TOPIC' }))[0];
    expect(deleted.deleted).toBe(2);
    expect(await aclsOf(principal)).toEqual([expect.objectContaining({ type: AclResourceTypes.GROUP })]);
  });

  test('bad input is refused and changes nothing', async () => {
    const principal = `User:${unique('adm-acl-bad')}`;
    await expect(aclParams('create', { aclResourceName: 'x', aclPrincipal: 'nobody' })).rejects.toThrow('must look like User:name');
    await expect(aclParams('create', { aclResourceName: '', aclPrincipal: principal })).rejects.toThrow('Resource name is required');
    // A filter without name or principal would match every ACL of the cluster.
    await expect(aclParams('delete', {})).rejects.toThrow('filter matching every ACL is refused');
    expect(await aclsOf(principal)).toEqual([]);
  });
});

describe('Kafka Admin node: cluster', () => {
  test('describe brokers and controller', async () => {
    const cluster = json(await runNode({ resource: 'cluster', operation: 'describe' }))[0];
    const real = await (await tk.admin()).describeCluster();
    expect(cluster.clusterId).toBe(real.clusterId);
    expect(cluster.controller).toBe(real.controller);
    expect(cluster.brokers).toEqual(real.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, isController: b.nodeId === real.controller })));
  });

  test('describe broker configs (all, non-default only, unknown broker)', async () => {
    const { brokers } = await (await tk.admin()).describeCluster();
    const all = json(await runNode({ resource: 'cluster', operation: 'describeBrokerConfigs', brokerIds: '', onlyNonDefault: false }));
    expect(all.map((b) => b.brokerId)).toEqual(brokers.map((b) => b.nodeId).sort());
    const names = all[0].configs.map((c: any) => c.name);
    expect(names).toEqual(expect.arrayContaining(['auto.create.topics.enable', 'log.retention.hours', 'num.partitions']));
    expect(all[0].configs.find((c: any) => c.name === 'auto.create.topics.enable')).toMatchObject({ value: 'false', isDefault: false });
    const nonDefault = json(await runNode({ resource: 'cluster', operation: 'describeBrokerConfigs', brokerIds: String(brokers[0].nodeId), onlyNonDefault: true }))[0];
    expect(nonDefault.configs.every((c: any) => c.isDefault === false)).toBe(true);
    expect(nonDefault.configs.length).toBeLessThan(all[0].configs.length);
    await expect(runNode({ resource: 'cluster', operation: 'describeBrokerConfigs', brokerIds: '999', onlyNonDefault: false })).rejects.toThrow('No broker with ID 999');
  });
});
