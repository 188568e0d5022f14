import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientPool } from '../../../nodes/shared';
import { pyCheck, pythonTools, unformattedHcl } from '../../generators/helpers/tools';
import { json, runNode, testKafka, unique } from './harness';

const tk = testKafka();
const dirs: string[] = [];

afterAll(async () => {
  await clientPool.closeAll();
  await tk.closeAll();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const unquote = (key: string) => (key.startsWith('"') && key.endsWith('"') ? key.slice(1, -1) : key);

/** variables.tf parsed by python-hcl2 (v8 keeps the quotes of string keys and values; stripKeys drops them) (the generators' checker), defaults by variable name. */
function variableDefaults(file: string): Record<string, any> {
  const script = 'import hcl2, json, sys\nprint(json.dumps(hcl2.load(open(sys.argv[1]))))';
  const doc = JSON.parse(execFileSync(pythonTools(), ['-c', script, file], { encoding: 'utf8' }));
  const out: Record<string, any> = {};
  for (const block of doc.variable ?? []) for (const [name, body] of Object.entries<any>(block)) if (!name.startsWith('__')) out[unquote(name)] = body.default;
  return out;
}

const stripKeys = (value: any): any =>
  Array.isArray(value)
    ? value.map(stripKeys)
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('__')).map(([k, v]) => [unquote(k), stripKeys(v)]))
      : typeof value === 'string'
        ? unquote(value)
        : value;

describe('Kafka Admin node: export', () => {
  test('3 topics and 2 ACLs become a Mongey/kafka module that is canonically formatted, parses, and declares exactly those', async () => {
    const prefix = unique('adm-exp');
    const principal = `User:${prefix}-app`;
    await tk.createTopic(`${prefix}-orders`, 3, [
      { name: 'retention.ms', value: '86400000' },
      { name: 'cleanup.policy', value: 'delete' },
    ]);
    await tk.createTopic(`${prefix}-customers`, 2, [{ name: 'cleanup.policy', value: 'compact' }]);
    await tk.createTopic(`${prefix}-audit`, 1);
    await tk.createTopic(unique('adm-exp-other'), 1);
    const acl = (extra: Record<string, unknown>) =>
      runNode({ resource: 'acl', operation: 'create', aclHost: '*', aclPermission: 'ALLOW', aclPrincipal: principal, ...extra });
    await acl({ aclResourceType: 'TOPIC', aclPatternType: 'LITERAL', aclResourceName: `${prefix}-orders`, aclOperation: 'WRITE' });
    await acl({ aclResourceType: 'GROUP', aclPatternType: 'PREFIXED', aclResourceName: `${prefix}-`, aclOperation: 'READ' });
    // Kafka takes any principal type; the provider's module only User:/Group:, so this one is reported, not exported.
    await acl({ aclResourceType: 'TOPIC', aclPatternType: 'LITERAL', aclResourceName: `${prefix}-audit`, aclOperation: 'READ', aclPrincipal: `Role:${prefix}-auditors` });

    const [item] = await runNode({ resource: 'export', operation: 'terraform', topicFilter: `${prefix}-*`, includeAcls: true, principalFilter: `*:${prefix}-*`, includeUsers: false, binary: true });
    const out = item.json as Record<string, any>;
    expect(out).toMatchObject({ topics: 3, acls: 2 });
    expect(out.skippedAcls).toEqual([expect.objectContaining({ principal: `Role:${prefix}-auditors`, reason: expect.stringContaining('User:<name>') })]);
    expect(Object.keys(out.files).sort()).toEqual(['README.md', 'imports.tf', 'main.tf', 'outputs.tf', 'variables.tf', 'versions.tf']);
    expect(Object.keys(item.binary ?? {}).sort()).toEqual(['README_md', 'imports_tf', 'main_tf', 'outputs_tf', 'variables_tf', 'versions_tf']);

    const dir = mkdtempSync(join(tmpdir(), 'admin-export-'));
    dirs.push(dir);
    for (const [name, content] of Object.entries<string>(out.files)) writeFileSync(join(dir, name), content);
    const tfFiles = Object.keys(out.files).filter((f) => f.endsWith('.tf'));

    const fmt = unformattedHcl(dir, tfFiles);
    expect({ tool: fmt.tool, unformatted: fmt.unformatted }).toEqual({ tool: fmt.tool, unformatted: [] });
    const report = pyCheck<Record<string, { problems: string[]; resources: string[] }>>(['hcl', dir])[dir];
    expect(report.problems).toEqual([]);
    expect(report.resources).toEqual(expect.arrayContaining(['kafka_topic.this', 'kafka_acl.this']));

    const defaults = stripKeys(variableDefaults(join(dir, 'variables.tf')));
    expect(defaults.topics).toEqual({
      [`${prefix}-audit`]: { partitions: 1, replication_factor: 1, config: {} },
      [`${prefix}-customers`]: { partitions: 2, replication_factor: 1, config: { 'cleanup.policy': 'compact' } },
      [`${prefix}-orders`]: { partitions: 3, replication_factor: 1, config: { 'cleanup.policy': 'delete', 'retention.ms': '86400000' } },
    });
    const acls = (defaults.acls as any[]).map((a) => `${a.principal}|${a.resource_type}|${a.pattern_type}|${a.resource_name}|${a.operation}|${a.permission}|${a.host}`).sort();
    expect(acls).toEqual([`${principal}|Group|Prefixed|${prefix}-|Read|Allow|*`, `${principal}|Topic|Literal|${prefix}-orders|Write|Allow|*`].sort());
  });

  test('a filter that matches nothing is a clear error', async () => {
    const nothing = unique('adm-exp-none');
    await expect(
      runNode({ resource: 'export', operation: 'terraform', topicFilter: `${nothing}*`, includeAcls: true, principalFilter: `User:${nothing}`, includeUsers: true, userFilter: `${nothing}*`, binary: false }),
    ).rejects.toThrow('Nothing to export');
    expect(json(await runNode({ resource: 'topic', operation: 'list', nameFilter: nothing, options: {} }))).toEqual([]);
  });
});
