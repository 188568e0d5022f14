// The generated Mongey/kafka module and the Admin node's export, run with the real provider
// against the local broker: what a platform engineer would do with them, step by step.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ConfigResourceTypes, Kafka, logLevel, ResourcePatternTypes } from 'kafkajs';
import { clientPool } from '../../../nodes/shared';
import { runGenerator } from '../../generators/helpers/plop';
import { facts } from '../../setup/facts';
import { runNode, testKafka, unique } from '../admin/harness';
import { ensureMongeyProvider, planSummary, terraform, terraformOk, terraformOkRerunOnConnectionLoss } from './tooling';

jest.setTimeout(300_000);

/** KAFKA_SUITE_FULL=1: 30 more topics with an override and 2 ACLs each, a 100-resource import. */
const EXTRA_TOPICS = process.env.KAFKA_SUITE_FULL === '1' ? 30 : 0;

const tk = testKafka();
const dirs: string[] = [];
const log = (line: string) => process.stdout.write(`[terraform] ${line}\n`);

/** The super user of the local services, for the SASL_SSL listener (ACLs need cluster ALTER). */
function adminUser(): { name: string; password: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const services = require(facts.servicesModule) as { facts(): { users: Array<{ name: string; password: string }>; superUsers: string[] } };
  const all = services.facts();
  const admin = all.users.find((u) => all.superUsers.includes(`User:${u.name}`));
  if (!admin) throw new Error('the local services define no SCRAM super user');
  return admin;
}

/** Connection variables: SASL_SSL with SCRAM-SHA-512 and the private CA given as PEM, like production. */
function connectionVars(): Record<string, string> {
  const admin = adminUser();
  return {
    bootstrap_servers: JSON.stringify([facts.saslSslBootstrap]),
    tls_enabled: 'true',
    ca_cert: readFileSync(facts.caFile, 'utf8'),
    sasl_mechanism: 'scram-sha512',
    sasl_username: admin.name,
    sasl_password: admin.password,
  };
}

/**
 * Kafka's own kafka-configs tool (ConfigCommand, from the broker jars the services cached), so the
 * export reads quotas and SCRAM users that neither it nor kafkajs wrote.
 */
function kafkaConfigs(args: string[]): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const services = require(facts.servicesModule) as { kafkaConfigs(args: string[]): Promise<string> };
  return services.kafkaConfigs(['--alter', ...args]).then(
    () => undefined,
    (error: Error) => {
      throw new Error(`kafka-configs ${args.join(' ')}: ${error.message}`);
    },
  );
}

function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tf-${name}-`));
  dirs.push(dir);
  return dir;
}

beforeAll(() => {
  const { builtMs } = ensureMongeyProvider(log);
  if (builtMs) log(`Mongey/kafka provider built in ${(builtMs / 1000).toFixed(1)} s`);
}, 900_000);

afterAll(async () => {
  await clientPool.closeAll();
  await tk.closeAll();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function scramLogin(username: string, password: string, mechanism: 'scram-sha-256' | 'scram-sha-512'): Promise<boolean> {
  const kafka = new Kafka({ clientId: 'tf-scram-check', brokers: [facts.saslBootstrap], sasl: { mechanism, username, password } as never, logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  const admin = kafka.admin();
  try {
    await admin.connect();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect();
  }
}

async function aclsOf(principal: string) {
  const admin = await tk.admin();
  const res = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    principal,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  } as never);
  return res.resources.flatMap((r) => r.acls.map((a) => `${r.resourceType}:${r.resourceName}:${a.operation}`)).sort();
}

describe('terraform-module (kafka target) applied with the real Mongey/kafka provider', () => {
  test('init, validate, apply, plan = 0, drift is detected, destroy', async () => {
    const p = unique('tf-gen');
    const app = `${p}-app`;
    const answers = {
      target: 'kafka',
      topics: [
        { name: `${p}-orders`, partitions: 3, replicationFactor: 1, config: { 'cleanup.policy': 'delete', 'retention.ms': '86400000' } },
        { name: `${p}-customers`, partitions: 2, replicationFactor: 1, config: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '60000' } },
        { name: `${p}-audit`, partitions: 1, replicationFactor: 1 },
      ],
      acls: [
        { principal: `User:${app}`, resourceType: 'Topic', resourceName: `${p}-orders`, operation: 'Write' },
        { principal: `User:${app}`, resourceType: 'Topic', resourceName: `${p}-`, patternType: 'Prefixed', operation: 'Read' },
        { principal: `User:${app}`, resourceType: 'Group', resourceName: `${p}-`, patternType: 'Prefixed', operation: 'Read' },
        { principal: `User:${app}`, resourceType: 'TransactionalID', resourceName: `${p}-tx`, operation: 'Write' },
        { principal: `User:${app}`, resourceType: 'Cluster', resourceName: 'kafka-cluster', operation: 'IdempotentWrite' },
      ],
      quotas: [
        { entityType: 'client-id', entityName: `${p}-client`, producerByteRate: 1048576, consumerByteRate: 2097152 },
        { entityType: 'user', entityName: app, requestPercentage: 50 },
      ],
      scramUsers: [
        { username: app, mechanism: 'SCRAM-SHA-512' },
        { username: app, mechanism: 'SCRAM-SHA-256', iterations: 4096 },
        { username: `${p}-ops`, mechanism: 'SCRAM-SHA-512', passwordVersion: '1' },
      ],
    };
    const dir = tempDir('gen');
    const { failures } = await runGenerator('terraform-module', answers, dir);
    expect(failures).toEqual([]);

    const vars = { ...connectionVars(), scram_passwords: JSON.stringify({ [app]: 'app-password-0001', [`${p}-ops`]: 'ops-password-0001' }) };
    const timings: Record<string, number> = {};
    const timed = async <T>(step: string, run: () => Promise<T>): Promise<T> => {
      const started = Date.now();
      try {
        return await run();
      } finally {
        timings[step] = Date.now() - started;
      }
    };

    await timed('init', () => terraformOk(dir, ['init', '-no-color']));
    expect(readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8')).toContain('registry.terraform.io/mongey/kafka');
    await timed('validate', () => terraformOk(dir, ['validate', '-no-color']));

    // A clear message, not "Invalid index", when a SCRAM user has no password.
    const missing = await terraform(dir, ['plan', '-no-color', '-lock=false'], { ...vars, scram_passwords: JSON.stringify({ [app]: 'app-password-0001' }) });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`scram_passwords has no password for: ${p}-ops`);
    expect(missing.stderr).not.toContain('Invalid index');
    expect(missing.stderr).not.toContain('app-password-0001');

    const apply = await timed('apply', () => terraformOk(dir, ['apply', '-auto-approve', '-no-color'], vars));
    const added = Number(/Apply complete! Resources: (\d+) added, 0 changed, 0 destroyed/.exec(apply.stdout)?.[1]);
    // 3 topics + 5 ACLs + 2 quotas + 3 SCRAM credentials.
    expect(added).toBe(13);
    expect(apply.stdout).not.toContain('app-password-0001');
    // Write-only: the password reached the broker but not the state.
    expect(readFileSync(join(dir, 'terraform.tfstate'), 'utf8')).not.toContain('app-password-0001');

    // What the broker now holds, read with an independent client.
    const admin = await tk.admin();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${p}-`)).sort();
    expect(topics).toEqual([`${p}-audit`, `${p}-customers`, `${p}-orders`]);
    const [orders] = (await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: `${p}-orders`, configNames: ['retention.ms'] }], includeSynonyms: false })).resources;
    expect(orders.configEntries.find((e) => e.configName === 'retention.ms')?.configValue).toBe('86400000');
    expect(await aclsOf(`User:${app}`)).toHaveLength(5);
    expect(await scramLogin(app, 'app-password-0001', 'scram-sha-512')).toBe(true);
    expect(await scramLogin(app, 'app-password-0001', 'scram-sha-256')).toBe(true);
    expect(await scramLogin(app, 'wrong-password-01', 'scram-sha-512')).toBe(false);

    // Terraform reads every resource back (quotas included) and finds nothing to change.
    const plan = await timed('plan', () => terraform(dir, ['plan', '-detailed-exitcode', '-no-color'], vars));
    expect({ code: plan.code, err: plan.stderr }).toEqual({ code: 0, err: '' });

    // Drift made outside Terraform shows up, so plan = 0 above is a real comparison.
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: `${p}-orders`, configEntries: [{ name: 'retention.ms', value: '3600000' }, { name: 'cleanup.policy', value: 'delete' }] }] });
    const drift = await terraform(dir, ['plan', '-detailed-exitcode', '-no-color'], vars);
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(/kafka_topic\.this\[".*-orders"\] will be updated in-place/);

    const destroy = await timed('destroy', () => terraformOk(dir, ['destroy', '-auto-approve', '-no-color'], vars));
    expect(destroy.stdout).toMatch(/Destroy complete! Resources: 13 destroyed/);
    expect((await admin.listTopics()).filter((t) => t.startsWith(`${p}-`))).toEqual([]);
    expect(await aclsOf(`User:${app}`)).toEqual([]);
    expect(await scramLogin(app, 'app-password-0001', 'scram-sha-512')).toBe(false);
    log(`generated module: ${added} resources; ${Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}`);
  });
});

describe('Kafka Admin node export round trip with the real provider', () => {
  test('export (topics, overrides, ACLs, quotas, SCRAM users) -> import blocks -> plan imports all but quotas, changes nothing -> apply -> plan = 0', async () => {
    const p = unique('tf-exp');
    const principal = `User:${p}-svc`;
    await tk.createTopic(`${p}-orders`, 3, [
      { name: 'retention.ms', value: '172800000' },
      { name: 'cleanup.policy', value: 'delete' },
    ]);
    await tk.createTopic(`${p}-state`, 2, [
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'segment.bytes', value: '10485760' },
    ]);
    await tk.createTopic(`${p}-plain`, 1);
    for (let i = 0; i < EXTRA_TOPICS; i++) await tk.createTopic(`${p}-bulk-${i}`, 1, [{ name: 'retention.ms', value: String(3_600_000 * (i + 1)) }]);
    const admin = await tk.admin();
    const acl = (resourceType: AclResourceTypes, resourceName: string, resourcePatternType: ResourcePatternTypes, operation: AclOperationTypes) => ({
      resourceType,
      resourceName,
      resourcePatternType,
      principal,
      host: '*',
      operation,
      permissionType: AclPermissionTypes.ALLOW,
    });
    await admin.createAcls({
      acl: [
        acl(AclResourceTypes.TOPIC, `${p}-orders`, ResourcePatternTypes.LITERAL, AclOperationTypes.WRITE),
        acl(AclResourceTypes.TOPIC, `${p}-`, ResourcePatternTypes.PREFIXED, AclOperationTypes.READ),
        acl(AclResourceTypes.GROUP, `${p}-`, ResourcePatternTypes.PREFIXED, AclOperationTypes.READ),
        acl(AclResourceTypes.TRANSACTIONAL_ID, `${p}-tx`, ResourcePatternTypes.LITERAL, AclOperationTypes.DESCRIBE),
        ...Array.from({ length: EXTRA_TOPICS }, (_, i) => [
          acl(AclResourceTypes.TOPIC, `${p}-bulk-${i}`, ResourcePatternTypes.LITERAL, AclOperationTypes.READ),
          acl(AclResourceTypes.TOPIC, `${p}-bulk-${i}`, ResourcePatternTypes.LITERAL, AclOperationTypes.WRITE),
        ]).flat(),
      ],
    });

    const svc = `${p}-svc`;
    await Promise.all([
      // One mechanism per request: the broker refuses two changes to one user's credentials at once.
      kafkaConfigs(['--entity-type', 'users', '--entity-name', svc, '--add-config', 'SCRAM-SHA-256=[iterations=4096,password=svc-password-01]']).then(() =>
        kafkaConfigs(['--entity-type', 'users', '--entity-name', svc, '--add-config', 'SCRAM-SHA-512=[iterations=8192,password=svc-password-01]']),
      ),
      kafkaConfigs(['--entity-type', 'users', '--entity-name', `${p}-ops`, '--add-config', 'SCRAM-SHA-512=[iterations=4096,password=ops-password-01]']),
      kafkaConfigs(['--entity-type', 'clients', '--entity-name', `${p}-client`, '--add-config', 'producer_byte_rate=1048576,consumer_byte_rate=2097152']),
      kafkaConfigs(['--entity-type', 'users', '--entity-name', svc, '--add-config', 'request_percentage=50']),
    ]);

    const [item] = await runNode({ resource: 'export', operation: 'terraform', topicFilter: `${p}-*`, includeAcls: true, principalFilter: principal, includeUsers: true, userFilter: `${p}-*`, binary: false });
    const out = item.json as { topics: number; acls: number; quotas: number; scramCredentials: number; files: Record<string, string> };
    expect(out).toMatchObject({ topics: 3 + EXTRA_TOPICS, acls: 4 + 2 * EXTRA_TOPICS, quotas: 2, scramCredentials: 3 });
    expect(Object.keys(out.files)).toContain('imports.tf');
    expect(JSON.stringify(out)).not.toContain('svc-password-01');
    const dir = tempDir('export');
    for (const [name, content] of Object.entries(out.files)) writeFileSync(join(dir, name), content);

    // Passwords are a variable: the export cannot know them, the operator supplies them.
    const vars = { ...connectionVars(), scram_passwords: JSON.stringify({ [svc]: 'svc-password-01', [`${p}-ops`]: 'ops-password-01' }) };
    await terraformOk(dir, ['init', '-no-color']);
    await terraformOk(dir, ['validate', '-no-color']);
    await terraformOk(dir, ['plan', '-no-color', '-out', 'adopt.tfplan'], vars);
    const adopt = await planSummary(dir, 'adopt.tfplan');
    // 3 topics + 4 ACLs + 3 SCRAM credentials imported; the 2 quotas (no importer in the provider) are written again.
    const imports = 10 + 3 * EXTRA_TOPICS;
    expect({ imports: adopt.import.length, create: adopt.create.sort(), update: adopt.update, delete: adopt.delete }).toEqual({
      imports,
      create: [`kafka_quota.this["client-id/${p}-client"]`, `kafka_quota.this["user/${svc}"]`],
      update: [],
      delete: [],
    });

    const applied = await terraformOk(dir, ['apply', '-no-color', 'adopt.tfplan']);
    expect(applied.stdout).toContain(`Apply complete! Resources: ${imports} imported, 2 added, 0 changed, 0 destroyed`);
    // The credentials were adopted, not rewritten: the passwords set by kafka-configs still work.
    expect(await scramLogin(svc, 'svc-password-01', 'scram-sha-256')).toBe(true);
    // Once adopted, the import blocks are dropped (as the README says) and the module alone matches the cluster.
    rmSync(join(dir, 'imports.tf'));
    const plan = await terraform(dir, ['plan', '-detailed-exitcode', '-no-color'], vars);
    expect({ code: plan.code, err: plan.stderr }).toEqual({ code: 0, err: '' });
    log(`export round trip: ${adopt.import.length} imported, ${adopt.create.length} quotas rewritten, plan exit ${plan.code}`);

    await terraformOkRerunOnConnectionLoss(dir, ['destroy', '-auto-approve', '-no-color'], vars);
    expect((await admin.listTopics()).filter((t) => t.startsWith(`${p}-`))).toEqual([]);
    expect(await scramLogin(svc, 'svc-password-01', 'scram-sha-512')).toBe(false);
  });
});
