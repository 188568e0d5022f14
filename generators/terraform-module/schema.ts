import { z } from 'zod';
import { commaList, identifier, positiveInt, topicName } from '../shared/validators';

export const TARGETS = ['kafka', 'msk', 'event-hubs', 'confluent-cloud'] as const;

export const topicSchema = z
  .object({
    name: topicName,
    partitions: positiveInt(10_000).default(6),
    replicationFactor: positiveInt(32).default(3),
    config: z.record(z.string().regex(/^[a-z0-9.]+$/, 'not a Kafka config name'), z.coerce.string()).default({}),
  })
  .strict();

/** Prompts accept "name:partitions:replication" items; answers.json may use full objects. */
const topicItem = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  const [name, partitions, replicationFactor] = v.split(':');
  return { name, partitions: partitions || undefined, replicationFactor: replicationFactor || undefined };
}, topicSchema);

export const aclSchema = z
  .object({
    principal: z.string().regex(/^(User|Group):[^\s"]+$/, 'principal must look like User:<name>'),
    resourceType: z.enum(['Topic', 'Group', 'Cluster', 'TransactionalID']),
    resourceName: z.string().min(1).regex(/^[^\s"]+$/, 'no spaces or quotes'),
    patternType: z.enum(['Literal', 'Prefixed']).default('Literal'),
    operation: z.enum(['All', 'Read', 'Write', 'Create', 'Delete', 'Alter', 'Describe', 'ClusterAction', 'DescribeConfigs', 'AlterConfigs', 'IdempotentWrite']),
    permission: z.enum(['Allow', 'Deny']).default('Allow'),
    host: z.string().default('*'),
  })
  .strict();

export const quotaSchema = z
  .object({
    entityType: z.enum(['user', 'client-id']),
    entityName: z.string().min(1).regex(/^[^\s"]+$/, 'no spaces or quotes'),
    producerByteRate: positiveInt(2 ** 31 - 1).optional(),
    consumerByteRate: positiveInt(2 ** 31 - 1).optional(),
    requestPercentage: positiveInt(10_000).optional(),
  })
  .strict();

export const scramUserSchema = z
  .object({
    username: z.string().regex(/^[A-Za-z0-9._-]+$/, 'user names may only contain letters, digits, ".", "_" and "-"'),
    mechanism: z.enum(['SCRAM-SHA-256', 'SCRAM-SHA-512']).default('SCRAM-SHA-512'),
    iterations: z.coerce.number().int().min(4096).max(16384).default(8192),
    passwordVersion: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a short version label such as 1 or 2026-12').optional(),
  })
  .strict();

const DEFAULT_TOPICS = [
  { name: 'orders', partitions: 6, replicationFactor: 3, config: { 'cleanup.policy': 'delete', 'retention.ms': '604800000' } },
  { name: 'customers', partitions: 3, replicationFactor: 3, config: { 'cleanup.policy': 'compact' } },
];
const DEFAULT_ACLS = [
  { principal: 'User:orders-app', resourceType: 'Topic', resourceName: 'orders', patternType: 'Literal', operation: 'Write', permission: 'Allow', host: '*' },
  { principal: 'User:orders-app', resourceType: 'Topic', resourceName: 'orders', patternType: 'Literal', operation: 'Read', permission: 'Allow', host: '*' },
  { principal: 'User:orders-app', resourceType: 'Group', resourceName: 'orders-', patternType: 'Prefixed', operation: 'Read', permission: 'Allow', host: '*' },
];

export const terraformSchema = z
  .object({
    target: z.enum(TARGETS).default('kafka'),
    /** Prefix for cloud resource names (cluster, namespace, environment). */
    name: identifier.default('events'),
    topics: commaList(topicItem).default(DEFAULT_TOPICS as never),
    acls: z.array(aclSchema).default(DEFAULT_ACLS as never),
    quotas: z.array(quotaSchema).default([{ entityType: 'client-id', entityName: 'orders-app', producerByteRate: 1048576, consumerByteRate: 2097152 }] as never),
    scramUsers: z.array(scramUserSchema).default([{ username: 'orders-app', mechanism: 'SCRAM-SHA-512', iterations: 8192 }] as never),
    // MSK
    mskKafkaVersion: z.string().regex(/^\d+\.\d+\.(\d+|x)(\.kraft)?$/, 'an MSK Kafka version such as 3.9.x').default('3.9.x'),
    mskBrokerCount: positiveInt(90).default(3),
    mskInstanceType: z.string().regex(/^(kafka|express)\.[a-z0-9]+\.[a-z0-9]+$/, 'an MSK broker instance type such as kafka.m7g.large').default('kafka.m7g.large'),
    mskVolumeSizeGb: positiveInt(16_384).default(100),
    mskAuth: commaList(z.enum(['iam', 'scram', 'tls'])).refine((a) => a.length > 0, 'choose at least one').default(['iam'] as never),
    // Event Hubs
    azureLocation: z.string().regex(/^[a-z0-9]+$/, 'an Azure region name such as westeurope').default('westeurope'),
    eventHubsSku: z.enum(['Standard', 'Premium']).default('Standard'),
    eventHubsCapacity: positiveInt(40).default(1),
    // Confluent Cloud
    confluentCloud: z.enum(['AWS', 'GCP', 'AZURE']).default('AWS'),
    confluentRegion: z.string().regex(/^[a-z0-9-]+$/, 'a cloud region such as eu-west-1').default('eu-west-1'),
    confluentClusterType: z.enum(['basic', 'standard']).default('basic'),
  })
  .strict()
  .superRefine((a, ctx) => {
    const seen = new Set<string>();
    a.topics.forEach((t, i) => {
      if (seen.has(t.name)) ctx.addIssue({ code: 'custom', path: ['topics', i, 'name'], message: `duplicate topic ${t.name}` });
      seen.add(t.name);
    });
    const users = new Set<string>();
    a.scramUsers.forEach((u, i) => {
      const key = `${u.username}|${u.mechanism}`;
      if (users.has(key)) ctx.addIssue({ code: 'custom', path: ['scramUsers', i], message: `${u.username} appears twice with ${u.mechanism}` });
      users.add(key);
    });
    a.quotas.forEach((q, i) => {
      if (q.producerByteRate === undefined && q.consumerByteRate === undefined && q.requestPercentage === undefined) {
        ctx.addIssue({ code: 'custom', path: ['quotas', i], message: 'a quota needs at least one limit' });
      }
    });
  });

export type TerraformAnswers = z.output<typeof terraformSchema>;
