/**
 * Terraform rendering, on the adapter side because the Kafka Admin node's Terraform export calls
 * renderMongeyModule() on a live cluster's topics and ACLs; the terraform-module generator
 * (generators/terraform-module) renders with the same code and templates. Free of plop and zod:
 * only handlebars (through ../templates) and node built-ins are imported.
 */
import { render } from '../templates';
import { formatHcl, hclString, hclValue } from './hcl';

/** Relative path -> file content (the generators' Files). */
export type Files = Record<string, string>;

/** Provider constraints: major.minor pinned; the lock file written by `terraform init` pins the build. */
export const PROVIDER_VERSIONS = {
  kafka: '~> 0.13.1',
  aws: '~> 6.0',
  azurerm: '~> 4.0',
  confluent: '~> 2.0',
} as const;

export interface MongeyTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  config?: Record<string, string | number | boolean>;
}

export interface MongeyAcl {
  principal: string;
  /** Topic, Group, Cluster, TransactionalID (any case; TRANSACTIONAL_ID and kafkajs-style names are accepted). */
  resourceType: string;
  resourceName: string;
  patternType?: string;
  operation: string;
  permission?: string;
  host?: string;
}

export interface MongeyQuota {
  entityType: 'user' | 'client-id';
  entityName: string;
  producerByteRate?: number;
  consumerByteRate?: number;
  requestPercentage?: number;
}

export interface MongeyScramUser {
  username: string;
  mechanism?: 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
  iterations?: number;
  /** Bumped to rotate: write-only passwords are invisible to Terraform's diff. */
  passwordVersion?: string;
}

export interface MongeyModuleInput {
  topics: MongeyTopic[];
  acls?: MongeyAcl[];
  quotas?: MongeyQuota[];
  scramUsers?: MongeyScramUser[];
  bootstrapServers?: string[];
  /** Heading of the README. */
  title?: string;
  /**
   * Adds imports.tf: one import block per topic, ACL and SCRAM credential, so the first plan of a
   * module exported from a live cluster adopts what exists instead of trying to create it.
   */
  importExisting?: boolean;
}

const RESOURCE_TYPES = ['Topic', 'Group', 'Cluster', 'TransactionalID'];
const OPERATIONS = ['All', 'Read', 'Write', 'Create', 'Delete', 'Alter', 'Describe', 'ClusterAction', 'DescribeConfigs', 'AlterConfigs', 'IdempotentWrite'];

/** "TRANSACTIONAL_ID", "transactionalId", "Transactional_Id" -> "TransactionalID". */
function canonical(value: string, allowed: string[], what: string, problems: string[]): string {
  const flat = value.replace(/[_\s-]/g, '').toLowerCase();
  const hit = allowed.find((a) => a.toLowerCase() === flat);
  if (!hit) problems.push(`${what}: "${value}" is not one of ${allowed.join(', ')}`);
  return hit ?? value;
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const isCount = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 1;

/** Variable defaults in the shape variables.tf declares; throws listing every problem at once. */
function mongeyDefaults(input: MongeyModuleInput) {
  const problems: string[] = [];
  const topics: Record<string, unknown> = {};
  for (const [i, t] of input.topics.entries()) {
    if (!TOPIC_NAME.test(t.name) || t.name === '.' || t.name === '..') problems.push(`topics[${i}].name: invalid topic name ${JSON.stringify(t.name)}`);
    if (!isCount(t.partitions)) problems.push(`topics[${i}].partitions: must be a whole number >= 1`);
    if (!isCount(t.replicationFactor)) problems.push(`topics[${i}].replicationFactor: must be a whole number >= 1`);
    if (t.name in topics) problems.push(`topics[${i}].name: duplicate topic ${t.name}`);
    const config = Object.fromEntries(
      Object.entries(t.config ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, String(v)]),
    );
    topics[t.name] = { partitions: t.partitions, replication_factor: t.replicationFactor, config };
  }
  const acls = (input.acls ?? []).map((a, i) => {
    if (!/^(User|Group):.+$/.test(a.principal)) problems.push(`acls[${i}].principal: must look like User:<name>`);
    return {
      principal: a.principal,
      resource_type: canonical(a.resourceType, RESOURCE_TYPES, `acls[${i}].resourceType`, problems),
      resource_name: a.resourceName,
      pattern_type: canonical(a.patternType ?? 'Literal', ['Literal', 'Prefixed'], `acls[${i}].patternType`, problems),
      operation: canonical(a.operation, OPERATIONS, `acls[${i}].operation`, problems),
      permission: canonical(a.permission ?? 'Allow', ['Allow', 'Deny'], `acls[${i}].permission`, problems),
      host: a.host ?? '*',
    };
  });
  const quotas = (input.quotas ?? []).map((q) => ({
    entity_type: q.entityType,
    entity_name: q.entityName,
    config: Object.fromEntries(
      [
        ['producer_byte_rate', q.producerByteRate],
        ['consumer_byte_rate', q.consumerByteRate],
        ['request_percentage', q.requestPercentage],
      ]
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    ),
  }));
  const scramUsers = (input.scramUsers ?? []).map((u, i) => {
    if (!/^[A-Za-z0-9._@=-]+$/.test(u.username)) problems.push(`scramUsers[${i}].username: ${JSON.stringify(u.username)} has characters a SCRAM user name cannot carry here`);
    return {
      username: u.username,
      mechanism: u.mechanism ?? 'SCRAM-SHA-512',
      iterations: u.iterations ?? 8192,
      ...(u.passwordVersion === undefined ? {} : { password_version: u.passwordVersion }),
    };
  });
  if (problems.length) throw new Error(`cannot render the Terraform module:\n  - ${problems.join('\n  - ')}`);
  return { topics, acls, quotas, scramUsers, bootstrapServers: input.bootstrapServers ?? ['localhost:9092'] };
}

/** Lists `variable "x"` / `output "x"` blocks of rendered files for the README tables. */
function declared(hcl: string, kind: 'variable' | 'output') {
  const out: { name: string; sensitive: boolean; hasDefault: boolean }[] = [];
  const re = new RegExp(`^${kind} "([^"]+)" \\{\\n([\\s\\S]*?)^\\}`, 'gm');
  for (const m of hcl.matchAll(re)) out.push({ name: m[1], sensitive: /^\s+sensitive\s+= true/m.test(m[2]), hasDefault: /^\s+default\s+=/m.test(m[2]) });
  return out;
}

interface ModuleParts {
  dir: string;
  data: Record<string, unknown>;
  title: string;
  description: string;
  exampleEnv: string[];
  exampleTfvars: Record<string, unknown>;
  notes?: string[];
}

function renderModule(parts: ModuleParts): Files {
  const data = { ...parts.data, versions: PROVIDER_VERSIONS };
  const files: Files = {};
  for (const name of ['versions.tf', 'variables.tf', 'main.tf', 'outputs.tf']) {
    files[name] = formatHcl(render(`terraform-module/${parts.dir}/${name}`, data));
  }
  const tfvars = formatHcl(
    Object.entries(parts.exampleTfvars)
      .map(([k, v]) => `${k} = ${hclValue(v)}`)
      .join('\n'),
  ).trimEnd();
  files['README.md'] = render('terraform-module/README.md', {
    title: parts.title,
    description: parts.description,
    exampleEnv: parts.exampleEnv,
    exampleTfvars: tfvars,
    inputs: declared(files['variables.tf'], 'variable'),
    outputs: declared(files['outputs.tf'], 'output').map((o) => o.name),
    notes: parts.notes ?? [],
  });
  return files;
}

type MongeyDefaults = ReturnType<typeof mongeyDefaults>;

/**
 * Import blocks whose `to` keys are the for_each keys of main.tf and whose ids are the provider's
 * import formats (topic name; principal|host|operation|permission|type|name|pattern for ACLs;
 * user|mechanism for SCRAM credentials). Quotas have no importer in Mongey/kafka 0.13: their create
 * is an upsert, so the first apply rewrites the same limits instead.
 */
function importBlocks(d: MongeyDefaults): string {
  const block = (to: string, id: string) => `import {\n  to = ${to}\n  id = ${hclString(id)}\n}`;
  const blocks = [
    ...Object.keys(d.topics).map((name) => block(`kafka_topic.this[${hclString(name)}]`, name)),
    ...d.acls.map((a) =>
      block(
        `kafka_acl.this[${hclString([a.principal, a.resource_type, a.pattern_type, a.resource_name, a.operation, a.permission, a.host].join('|'))}]`,
        [a.principal, a.host, a.operation, a.permission, a.resource_type, a.resource_name, a.pattern_type].join('|'),
      ),
    ),
    ...d.scramUsers.map((u) => block(`kafka_user_scram_credential.this[${hclString(`${u.username}|${u.mechanism}`)}]`, `${u.username}|${u.mechanism}`)),
  ];
  const header = [
    '# Adopts the resources that already exist in the cluster this module was exported from.',
    '# Plan, check that it only imports, apply once, then delete this file: an import block for an',
    '# object that no longer exists fails the plan.',
    ...(d.quotas.length ? ['# Client quotas cannot be imported (the provider has no importer); the first apply writes the', '# same limits again.'] : []),
  ];
  return `${header.join('\n')}\n\n${blocks.join('\n\n')}\n`;
}

/**
 * Topics, ACLs, quotas and SCRAM users for Apache Kafka or Redpanda through the Mongey/kafka
 * provider. Pure: same input, same files.
 */
export function renderMongeyModule(input: MongeyModuleInput): Files {
  const d = mongeyDefaults(input);
  const files = renderModule({
    dir: 'kafka',
    data: {
      defaults: {
        bootstrapServers: hclValue(d.bootstrapServers, 2),
        topics: hclValue(d.topics, 2),
        acls: hclValue(d.acls, 2),
        quotas: hclValue(d.quotas, 2),
        scramUsers: hclValue(d.scramUsers, 2),
      },
    },
    title: input.title ?? 'Kafka topics, ACLs, quotas and SCRAM users',
    description:
      'Manages topics, ACL bindings, client quotas and SCRAM credentials of an Apache Kafka or Redpanda cluster through the [Mongey/kafka](https://registry.terraform.io/providers/Mongey/kafka) provider. The variable defaults hold the desired state; override them in a `.tfvars` file.',
    exampleEnv: ['TF_VAR_sasl_username=admin', "TF_VAR_sasl_password='...'", 'TF_VAR_ca_cert="$(cat ca.pem)"', `TF_VAR_scram_passwords='{"orders-app":"..."}'`],
    exampleTfvars: { bootstrap_servers: ['broker-1:9092', 'broker-2:9092'], tls_enabled: true, sasl_mechanism: 'scram-sha512' },
    notes: [
      input.importExisting
        ? '`imports.tf` adopts the exported topics, ACLs and SCRAM credentials: run `terraform plan` (it must show only imports, plus the quotas, which cannot be imported and are written again with the same limits), apply once, then delete `imports.tf`. The export cannot read passwords: `scram_passwords` must name every user, but an adopted credential keeps its current password until you set its `password_version`.'
        : 'Existing topics, ACLs and SCRAM credentials can be adopted with import blocks (ids: topic name; `principal|host|operation|permission|resource_type|resource_name|pattern_type`; `user|mechanism`) before the first apply; the Admin node’s Terraform export writes them for you.',
      'SCRAM passwords are write-only (`password_wo`, Terraform >= 1.11): they never reach the state. Terraform cannot see a changed password, so rotate one by changing its `password_version`.',
      'Redpanda supports topics, ACLs, SCRAM users and client quotas through the Kafka API; older Redpanda versions lack quotas.',
    ],
  });
  if (input.importExisting) files['imports.tf'] = formatHcl(importBlocks(d));
  return files;
}

export interface TerraformRenderInput {
  target: 'kafka' | 'msk' | 'event-hubs' | 'confluent-cloud';
  name: string;
  topics: MongeyTopic[];
  acls: MongeyAcl[];
  quotas: MongeyQuota[];
  scramUsers: MongeyScramUser[];
  mskKafkaVersion: string;
  mskBrokerCount: number;
  mskInstanceType: string;
  mskVolumeSizeGb: number;
  mskAuth: ('iam' | 'scram' | 'tls')[];
  azureLocation: string;
  eventHubsSku: 'Standard' | 'Premium';
  eventHubsCapacity: number;
  confluentCloud: 'AWS' | 'GCP' | 'AZURE';
  confluentRegion: string;
  confluentClusterType: 'basic' | 'standard';
}

const DAY_MS = 86_400_000;
const upperSnake = (s: string) => s.replace(/([a-z])([A-Z])/g, '$1_$2').replace(/ID$/, '_ID').replace(/__/g, '_').toUpperCase();

export function renderTerraformModule(a: TerraformRenderInput): Files {
  const slug = a.name.replace(/_/g, '-');
  switch (a.target) {
    case 'kafka':
      return renderMongeyModule({ topics: a.topics, acls: a.acls, quotas: a.quotas, scramUsers: a.scramUsers });
    case 'msk':
      return renderModule({
        dir: 'msk',
        data: { clusterName: slug, ...a },
        title: `Amazon MSK cluster ${slug}`,
        description: `A provisioned Amazon MSK cluster (${a.mskBrokerCount} x ${a.mskInstanceType}, ${a.mskVolumeSizeGb} GiB each) with ${a.mskAuth.join(', ')} authentication, TLS in transit, encryption at rest, broker logs in CloudWatch and Prometheus JMX/node exporters enabled.`,
        exampleEnv: ['AWS_PROFILE=...', ...(a.mskAuth.includes('scram') ? [`TF_VAR_scram_users='{"orders-app":"..."}'`] : [])],
        exampleTfvars: {
          subnet_ids: ['subnet-aaaa', 'subnet-bbbb', 'subnet-cccc'],
          security_group_ids: ['sg-0123456789abcdef0'],
          ...(a.mskAuth.includes('tls') ? { tls_certificate_authority_arns: ['arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/example'] } : {}),
        },
        notes: ['Topics on MSK are managed with the Kafka API: combine this module with the `kafka` target (Mongey/kafka supports `aws-iam`).'],
      });
    case 'event-hubs': {
      const hubs = Object.fromEntries(
        a.topics.map((t) => {
          const retentionMs = Number(t.config?.['retention.ms'] ?? DAY_MS);
          const days = Math.min(a.eventHubsSku === 'Premium' ? 90 : 7, Math.max(1, Math.ceil(retentionMs / DAY_MS)));
          return [t.name, { partition_count: t.partitions, message_retention: days }];
        }),
      );
      return renderModule({
        dir: 'event-hubs',
        data: { namespaceName: `${slug}-ns`.padEnd(6, '0'), resourceGroupName: `${slug}-rg`, defaults: { hubs: hclValue(hubs, 2) }, ...a },
        title: `Azure Event Hubs namespace ${slug}-ns`,
        description: `An Event Hubs namespace (${a.eventHubsSku}, ${a.eventHubsCapacity} unit(s)) with one event hub per Kafka topic and a send/listen authorization rule for Kafka clients. Replication factor and other topic configs do not apply: Event Hubs manages replication, and retention is set in days.`,
        exampleEnv: ['ARM_SUBSCRIPTION_ID=...', 'TF_VAR_subscription_id=$ARM_SUBSCRIPTION_ID'],
        exampleTfvars: { location: a.azureLocation, capacity: a.eventHubsCapacity },
        notes: [
          'Kafka clients connect with SASL_SSL, mechanism PLAIN, user `$ConnectionString` and the `kafka_connection_string` output as password.',
        ],
      });
    }
    case 'confluent-cloud': {
      const topics = Object.fromEntries(a.topics.map((t) => [t.name, { partitions: t.partitions, config: Object.fromEntries(Object.entries(t.config ?? {}).map(([k, v]) => [k, String(v)])) }]));
      const acls = a.acls.map((x) => ({
        resource_type: upperSnake(x.resourceType),
        resource_name: x.resourceName,
        pattern_type: (x.patternType ?? 'Literal').toUpperCase(),
        operation: upperSnake(x.operation),
        permission: (x.permission ?? 'Allow').toUpperCase(),
      }));
      return renderModule({
        dir: 'confluent-cloud',
        data: {
          environmentName: slug,
          clusterName: slug,
          clusterType: a.confluentClusterType,
          defaults: { topics: hclValue(topics, 2), acls: hclValue(acls, 2) },
          ...a,
        },
        title: `Confluent Cloud environment and cluster ${slug}`,
        description: `A Confluent Cloud environment with a ${a.confluentClusterType} Kafka cluster on ${a.confluentCloud} ${a.confluentRegion}, its topics, a manager service account (CloudClusterAdmin role binding, used by Terraform for topics and ACLs) and an application service account with an API key and only the ACLs in \`app_acls\`.`,
        exampleEnv: ["TF_VAR_confluent_cloud_api_key='...'", "TF_VAR_confluent_cloud_api_secret='...'"],
        exampleTfvars: { region: a.confluentRegion, cloud: a.confluentCloud },
        notes: ['The principals of the ACL answers are replaced by the generated application service account.'],
      });
    }
  }
}
