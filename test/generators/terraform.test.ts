import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { renderMongeyModule } from '../../nodes/shared/terraform/render';
import { ROOT, runGenerator } from './helpers/plop';
import { pyCheck, unformattedHcl } from './helpers/tools';
import { TERRAFORM_VARIANTS, tempDir } from './helpers/variants';

interface ModuleReport {
  variables: string[];
  resources: string[];
  outputs: string[];
  providers: Record<string, string>;
  problems: string[];
}

describe('terraform-module output is formatted, parses and is self-consistent', () => {
  const root = tempDir('tf');
  const dirs: Record<string, string> = {};

  beforeAll(async () => {
    for (const v of TERRAFORM_VARIANTS) {
      dirs[v.id] = join(root, v.id);
      const { failures } = await runGenerator('terraform-module', v.answers, dirs[v.id]);
      expect(failures).toEqual([]);
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test.each(TERRAFORM_VARIANTS.map((v) => v.id))('%s: canonical formatting (fmt -check)', (id) => {
    const tf = readdirSync(dirs[id]).filter((f) => f.endsWith('.tf'));
    const { unformatted } = unformattedHcl(dirs[id], tf);
    expect(unformatted).toEqual([]);
  });

  test('python-hcl2 parses every module; every var.x is declared, every output names a real resource', () => {
    const reports = pyCheck<Record<string, ModuleReport>>(['hcl', ...Object.values(dirs)]);
    for (const [id, dir] of Object.entries(dirs)) {
      const report = reports[dir];
      expect({ id, problems: report.problems }).toEqual({ id, problems: [] });
      expect(report.outputs.length).toBeGreaterThan(0);
      expect(Object.values(report.providers).every((v) => /^"~> \d+\.\d+(\.\d+)?"$/.test(v))).toBe(true);
    }
    expect(reports[dirs.kafka].resources).toEqual(['kafka_acl.this', 'kafka_quota.this', 'kafka_topic.this', 'kafka_user_scram_credential.this']);
    expect(reports[dirs['msk-all-auth']].resources).toEqual(
      expect.arrayContaining(['aws_msk_cluster.this', 'aws_msk_scram_secret_association.this', 'aws_secretsmanager_secret.scram']),
    );
    expect(reports[dirs['msk-iam']].resources).not.toContain('aws_msk_scram_secret_association.this');
    expect(reports[dirs['msk-all-auth']].variables).toContain('tls_certificate_authority_arns');
    expect(reports[dirs['event-hubs-standard']].resources).toEqual(expect.arrayContaining(['azurerm_eventhub.this', 'azurerm_eventhub_namespace.this']));
    expect(reports[dirs['confluent-basic']].resources).toEqual(
      expect.arrayContaining(['confluent_environment.this', 'confluent_kafka_cluster.this', 'confluent_kafka_topic.this', 'confluent_kafka_acl.app', 'confluent_role_binding.manager_cluster_admin', 'confluent_api_key.app', 'confluent_service_account.app']),
    );
  });

  test('secrets are sensitive variables/outputs and never have a default', () => {
    const all = Object.values(dirs).map((d) => readFileSync(join(d, 'variables.tf'), 'utf8') + readFileSync(join(d, 'outputs.tf'), 'utf8'));
    const blocks = all.flatMap((text) => [...text.matchAll(/^(variable|output) "([^"]+)" \{\n([\s\S]*?)^\}/gm)]);
    const secret = blocks.filter((m) => /password|secret|connection_string/.test(m[2]) || (m[1] === 'variable' && m[2] === 'scram_users' && !/mechanism/.test(m[3])));
    expect(secret.length).toBeGreaterThanOrEqual(6);
    for (const m of secret) {
      expect({ name: m[2], sensitive: /sensitive\s+= true/.test(m[3]) }).toEqual({ name: m[2], sensitive: true });
      if (m[1] === 'variable' && m[2] !== 'scram_passwords' && m[2] !== 'sasl_password') expect({ name: m[2], def: /default\s+=/.test(m[3]) }).toEqual({ name: m[2], def: false });
    }
  });

  test('answers become variable defaults and validation blocks (kafka-custom)', () => {
    const vars = readFileSync(join(dirs['kafka-custom'], 'variables.tf'), 'utf8');
    expect(vars).toContain('"audit.log" = {');
    expect(vars).toMatch(/payments = \{\n\s+partitions\s+= 12\n\s+replication_factor = 3/);
    expect(vars).toMatch(/resource_type\s+= "TransactionalID"/);
    expect(vars).toMatch(/request_percentage = "50"/);
    expect((vars.match(/validation \{/g) ?? []).length).toBeGreaterThanOrEqual(7);
    expect(readFileSync(join(dirs['kafka-custom'], 'README.md'), 'utf8')).toMatch(/## Example[\s\S]*terraform init/);
  });
});

describe('renderMongeyModule (shared with the Admin node export)', () => {
  test('is pure: accepts kafkajs-style enum names, escapes HCL, same input gives same files', () => {
    const input = {
      topics: [
        { name: 'orders', partitions: 3, replicationFactor: 1, config: { 'retention.ms': 86400000, 'message.format': 'a"b ${x} %{y}' } },
      ],
      acls: [{ principal: 'User:alice', resourceType: 'TRANSACTIONAL_ID', resourceName: 'tx-', patternType: 'PREFIXED', operation: 'IDEMPOTENT_WRITE', permission: 'ALLOW' }],
    };
    const files = renderMongeyModule(input);
    expect(Object.keys(files).sort()).toEqual(['README.md', 'main.tf', 'outputs.tf', 'variables.tf', 'versions.tf']);
    expect(files['variables.tf']).toContain('"message.format" = "a\\"b $${x} %%{y}"');
    expect(files['variables.tf']).toContain('"retention.ms"   = "86400000"');
    expect(files['variables.tf']).toMatch(/resource_type\s+= "TransactionalID"/);
    expect(files['variables.tf']).toMatch(/operation\s+= "IdempotentWrite"/);
    expect(files['variables.tf']).toMatch(/pattern_type\s+= "Prefixed"/);
    expect(renderMongeyModule(input)).toEqual(files);
    // No ACLs, quotas or users: empty defaults, still a complete module.
    expect(renderMongeyModule({ topics: [] })['variables.tf']).toMatch(/default = \{\}/);
  });

  test('importExisting writes one import block per topic, ACL and SCRAM credential, with the provider\'s id formats', () => {
    const files = renderMongeyModule({
      topics: [{ name: 'orders', partitions: 3, replicationFactor: 1 }],
      acls: [{ principal: 'User:app', resourceType: 'Topic', resourceName: 'orders', operation: 'Read' }],
      quotas: [{ entityType: 'client-id', entityName: 'app', producerByteRate: 1024 }],
      scramUsers: [{ username: 'app', mechanism: 'SCRAM-SHA-256', iterations: 4096 }],
      importExisting: true,
    });
    const imports = files['imports.tf'];
    expect(imports.match(/^import \{/gm)).toHaveLength(3);
    expect(imports).toContain('to = kafka_topic.this["orders"]\n  id = "orders"');
    // for_each key: principal|type|pattern|name|operation|permission|host; id: principal|host|operation|permission|type|name|pattern.
    expect(imports).toContain('to = kafka_acl.this["User:app|Topic|Literal|orders|Read|Allow|*"]\n  id = "User:app|*|Read|Allow|Topic|orders|Literal"');
    expect(imports).toContain('to = kafka_user_scram_credential.this["app|SCRAM-SHA-256"]\n  id = "app|SCRAM-SHA-256"');
    expect(imports).toMatch(/quotas cannot be imported/i);
    expect(renderMongeyModule({ topics: [] })['imports.tf']).toBeUndefined();
  });

  test('a user twice with the same mechanism is refused before anything is written', async () => {
    const dest = join(tempDir('tf-dup'), 'out');
    const { changes, failures } = await runGenerator('terraform-module', { scramUsers: [{ username: 'app' }, { username: 'app', mechanism: 'SCRAM-SHA-512' }] }, dest);
    expect(changes).toEqual([]);
    expect(failures[0].error).toMatch(/scramUsers\.1: app appears twice with SCRAM-SHA-512/);
  });

  test('reports every invalid entry at once', () => {
    expect(() =>
      renderMongeyModule({
        topics: [{ name: 'bad name', partitions: 0, replicationFactor: 1 }],
        acls: [{ principal: 'alice', resourceType: 'Broker', resourceName: 'x', operation: 'Read' }],
      }),
    ).toThrow(/topics\[0\]\.name[\s\S]*topics\[0\]\.partitions[\s\S]*acls\[0\]\.principal[\s\S]*acls\[0\]\.resourceType/);
  });

  test('the renderer (nodes/shared/terraform) imports nothing from plop or zod (only handlebars through nodes/shared/templates, and node built-ins)', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^import (type )?[^'"]*['"]([^'"]+)['"]/gm)) {
        if (m[1]) continue;
        const spec = m[2];
        if (spec.startsWith('.')) visit(join(file, '..', `${spec}.ts`));
        else expect({ file, spec, allowed: spec === 'handlebars' || spec.startsWith('node:') }).toEqual({ file, spec, allowed: true });
      }
    };
    visit(join(ROOT, 'nodes', 'shared', 'terraform', 'render.ts'));
    expect(seen.size).toBeGreaterThanOrEqual(3);
  });
});
