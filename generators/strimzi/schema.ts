import { z } from 'zod';
import { commaList, positiveInt } from '../shared/validators';
import { aclSchema, quotaSchema, scramUserSchema, topicSchema } from '../terraform-module/schema';

/** Strimzi 1.2's own API model, the one its CRDs are generated from in the tests. */
export const STRIMZI_VERSION = '1.2.0';

/** Kubernetes DNS-1123 label: Strimzi derives pod, service and secret names from it. */
const dnsLabel = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters (Strimzi appends pool and pod suffixes)`)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'use lower-case letters, digits and "-", starting and ending with a letter or digit');

/** A KafkaUser's metadata.name is the Kafka user name (SCRAM) or certificate CN (TLS): a DNS-1123 subdomain. */
const k8sUserName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Prompts accept "name:partitions:replication" items, as in terraform-module. */
const topicItem = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  const [name, partitions, replicationFactor] = v.split(':');
  return { name, partitions: partitions || undefined, replicationFactor: replicationFactor || undefined };
}, topicSchema);

export const strimziSchema = z
  .object({
    clusterName: dnsLabel(40).default('events'),
    namespace: dnsLabel(63).default('kafka'),
    kafkaVersion: z.string().regex(/^\d+\.\d+\.\d+$/, 'a Kafka version such as 4.2.0').default('4.2.0'),
    /** separate: controller and broker pools; dual-role: one pool doing both (small clusters). */
    nodePools: z.enum(['separate', 'dual-role']).default('separate'),
    brokers: positiveInt(100).default(3),
    controllers: z.coerce.number().refine((n) => [1, 3, 5].includes(n), 'a KRaft quorum has 1, 3 or 5 controllers').default(3),
    storageGi: positiveInt(65_536).default(100),
    storageClass: z.preprocess((v) => (v === '' ? undefined : v), dnsLabel(63).optional()),
    /** Client authentication on the internal TLS listener (9093); there is no unauthenticated listener. */
    authentication: z.enum(['scram-sha-512', 'tls']).default('scram-sha-512'),
    // Same shapes as terraform-module, so one answers file drives both.
    topics: commaList(topicItem).default([
      { name: 'orders', partitions: 6, replicationFactor: 3, config: { 'cleanup.policy': 'delete', 'retention.ms': '604800000' } },
      { name: 'customers', partitions: 3, replicationFactor: 3, config: { 'cleanup.policy': 'compact' } },
    ] as never),
    acls: z.array(aclSchema).default([
      { principal: 'User:orders-app', resourceType: 'Topic', resourceName: 'orders', patternType: 'Literal', operation: 'Write', permission: 'Allow', host: '*' },
      { principal: 'User:orders-app', resourceType: 'Topic', resourceName: 'orders', patternType: 'Literal', operation: 'Read', permission: 'Allow', host: '*' },
      { principal: 'User:orders-app', resourceType: 'Group', resourceName: 'orders-', patternType: 'Prefixed', operation: 'Read', permission: 'Allow', host: '*' },
    ] as never),
    quotas: z.array(quotaSchema).default([{ entityType: 'user', entityName: 'orders-app', producerByteRate: 1048576, consumerByteRate: 2097152 }] as never),
    scramUsers: z.array(scramUserSchema).default([{ username: 'orders-app', mechanism: 'SCRAM-SHA-512', iterations: 8192 }] as never),
    kafkaExporter: z.boolean().default(true),
    mirrorMaker2: z.boolean().default(false),
    mirrorSourceAlias: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'lower-case letters, digits and "-"').default('source'),
    mirrorSourceBootstrap: z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/, 'host:port[,host:port]').default('source-kafka-bootstrap.kafka.svc:9092'),
    mirrorTopics: commaList(z.string().regex(/^[^\s,"]+$/, 'a regex without spaces, commas or quotes')).default(['.*'] as never),
    mirrorGroups: commaList(z.string().regex(/^[^\s,"]+$/, 'a regex without spaces, commas or quotes')).default(['.*'] as never),
    /** Unused here; accepted so a terraform-module answers file can be passed as is. */
    target: z.literal('kafka').optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    const seen = new Set<string>();
    a.topics.forEach((t, i) => {
      if (seen.has(t.name)) ctx.addIssue({ code: 'custom', path: ['topics', i, 'name'], message: `duplicate topic ${t.name}` });
      seen.add(t.name);
      if (t.replicationFactor > a.brokers) ctx.addIssue({ code: 'custom', path: ['topics', i, 'replicationFactor'], message: `${t.replicationFactor} replicas need at least ${t.replicationFactor} brokers (brokers: ${a.brokers})` });
    });
    a.acls.forEach((acl, i) => {
      if (!acl.principal.startsWith('User:')) ctx.addIssue({ code: 'custom', path: ['acls', i, 'principal'], message: 'Strimzi keeps ACLs on KafkaUsers: only User:<name> principals' });
      else if (!k8sUserName.test(acl.principal.slice(5))) ctx.addIssue({ code: 'custom', path: ['acls', i, 'principal'], message: 'the user becomes a KafkaUser name: lower-case letters, digits, "-" and "."' });
    });
    a.quotas.forEach((q, i) => {
      if (q.entityType !== 'user') ctx.addIssue({ code: 'custom', path: ['quotas', i, 'entityType'], message: 'Strimzi sets quotas per KafkaUser: use entityType user' });
      else if (!k8sUserName.test(q.entityName)) ctx.addIssue({ code: 'custom', path: ['quotas', i, 'entityName'], message: 'the user becomes a KafkaUser name: lower-case letters, digits, "-" and "."' });
      if (q.producerByteRate === undefined && q.consumerByteRate === undefined && q.requestPercentage === undefined) ctx.addIssue({ code: 'custom', path: ['quotas', i], message: 'a quota needs at least one limit' });
    });
    a.scramUsers.forEach((u, i) => {
      if (u.mechanism !== 'SCRAM-SHA-512') ctx.addIssue({ code: 'custom', path: ['scramUsers', i, 'mechanism'], message: "Strimzi's KafkaUser supports SCRAM-SHA-512 only" });
      if (!k8sUserName.test(u.username)) ctx.addIssue({ code: 'custom', path: ['scramUsers', i, 'username'], message: 'the user becomes a KafkaUser name: lower-case letters, digits, "-" and "."' });
      if (a.authentication === 'tls') ctx.addIssue({ code: 'custom', path: ['scramUsers', i], message: 'SCRAM users need authentication scram-sha-512 on the listener' });
    });
  });

export type StrimziAnswers = z.output<typeof strimziSchema>;
