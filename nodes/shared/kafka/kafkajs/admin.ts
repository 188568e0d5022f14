// KafkaAdmin (api.ts) on a kafkajs Admin: kafkajs enums (config resources, ACL types, config
// sources) become the suite's string unions here and nowhere else.
import { KafkaSuiteError } from '../../errors';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, AssignerProtocol, ConfigResourceTypes, ResourcePatternTypes, type Admin, type Kafka } from './vendor';
import type {
  AclBinding,
  AclFilter,
  AclOperationName,
  AclPatternKind,
  AclPermission,
  AclResourceKind,
  ConfigResourceKind,
  KafkaAdmin,
  ProducerIdSample,
  TopicPartitionOffset,
} from '../api';
import { sendRawRequest } from './raw';

const RESOURCE_KINDS: Record<ConfigResourceKind, number> = {
  topic: ConfigResourceTypes.TOPIC,
  broker: ConfigResourceTypes.BROKER,
  brokerLogger: ConfigResourceTypes.BROKER_LOGGER,
  // kafkajs 2.2.4 has no GROUP (16) member; the number is Kafka's.
  group: 16,
};
const kindOf = (type: number): ConfigResourceKind => (Object.entries(RESOURCE_KINDS).find(([, value]) => value === type)?.[0] as ConfigResourceKind) ?? 'topic';

/** DescribeConfigs v1+ config sources by number (kafkajs passes the number through). */
const CONFIG_SOURCES: Record<number, string> = {
  0: 'UNKNOWN',
  1: 'DYNAMIC_TOPIC_CONFIG',
  2: 'DYNAMIC_BROKER_CONFIG',
  3: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
  4: 'STATIC_BROKER_CONFIG',
  5: 'DEFAULT_CONFIG',
  6: 'DYNAMIC_BROKER_LOGGER_CONFIG',
};

const ACL_RESOURCES: Record<AclResourceKind, number> = {
  any: AclResourceTypes.ANY,
  topic: AclResourceTypes.TOPIC,
  group: AclResourceTypes.GROUP,
  cluster: AclResourceTypes.CLUSTER,
  transactionalId: AclResourceTypes.TRANSACTIONAL_ID,
  delegationToken: AclResourceTypes.DELEGATION_TOKEN,
};
const ACL_PATTERNS: Record<AclPatternKind, number> = {
  any: ResourcePatternTypes.ANY,
  match: ResourcePatternTypes.MATCH,
  literal: ResourcePatternTypes.LITERAL,
  prefixed: ResourcePatternTypes.PREFIXED,
};
const ACL_OPERATIONS: Record<AclOperationName, number> = {
  any: AclOperationTypes.ANY,
  all: AclOperationTypes.ALL,
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  create: AclOperationTypes.CREATE,
  delete: AclOperationTypes.DELETE,
  alter: AclOperationTypes.ALTER,
  describe: AclOperationTypes.DESCRIBE,
  clusterAction: AclOperationTypes.CLUSTER_ACTION,
  describeConfigs: AclOperationTypes.DESCRIBE_CONFIGS,
  alterConfigs: AclOperationTypes.ALTER_CONFIGS,
  idempotentWrite: AclOperationTypes.IDEMPOTENT_WRITE,
};
const ACL_PERMISSIONS: Record<AclPermission, number> = { any: AclPermissionTypes.ANY, deny: AclPermissionTypes.DENY, allow: AclPermissionTypes.ALLOW };

function nameIn<K extends string>(table: Record<K, number>, value: number, what: string): K {
  const found = (Object.keys(table) as K[]).find((key) => table[key] === value);
  if (found === undefined) throw new KafkaSuiteError(`The broker answered an unknown ACL ${what} ${value}`, { kind: 'protocol' });
  return found;
}

function aclFilterOf(filter: AclFilter) {
  return {
    resourceType: ACL_RESOURCES[filter.resourceType ?? 'any'],
    resourceName: filter.resourceName,
    resourcePatternType: ACL_PATTERNS[filter.patternType ?? 'any'],
    principal: filter.principal,
    host: filter.host,
    operation: ACL_OPERATIONS[filter.operation ?? 'any'],
    permissionType: ACL_PERMISSIONS[filter.permission ?? 'any'],
  };
}

function bindingOf(
  resource: { resourceType: number; resourceName: string; resourcePatternType: number },
  acl: { principal: string; host: string; operation: number; permissionType: number },
): AclBinding {
  return {
    resourceType: nameIn(ACL_RESOURCES, resource.resourceType, 'resource type'),
    resourceName: resource.resourceName,
    patternType: nameIn(ACL_PATTERNS, resource.resourcePatternType, 'pattern type'),
    principal: acl.principal,
    host: acl.host,
    operation: nameIn(ACL_OPERATIONS, acl.operation, 'operation'),
    permission: nameIn(ACL_PERMISSIONS, acl.permissionType, 'permission'),
  };
}

const NO_OFFSET = '-1';

/** The consumer protocol's member assignment; one from a non-standard assignor decodes to no partitions. */
function decodeAssignment(bytes: Buffer | undefined): Array<{ topic: string; partitions: number[] }> {
  if (!bytes?.length) return [];
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(bytes);
    return Object.entries(decoded?.assignment ?? {}).map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) }));
  } catch {
    return [];
  }
}

export function kafkajsAdmin(admin: Admin, kafka: Kafka): KafkaAdmin {
  return {
    listTopics: () => admin.listTopics(),

    async fetchTopicMetadata(topics) {
      const { topics: found } = await admin.fetchTopicMetadata(topics ? { topics } : undefined);
      return found.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((p) => ({
          partition: p.partitionId,
          leader: p.leader,
          replicas: p.replicas ?? [],
          isr: p.isr ?? [],
          offlineReplicas: p.offlineReplicas ?? [],
        })),
      }));
    },

    createTopics: (topics, options = {}) =>
      admin.createTopics({ topics, validateOnly: options.validateOnly, timeout: options.timeoutMs, waitForLeaders: !options.validateOnly }),

    deleteTopics: (topics, timeoutMs) => admin.deleteTopics({ topics, timeout: timeoutMs }),

    async createPartitions(topic, count) {
      await admin.createPartitions({ topicPartitions: [{ topic, count }] });
    },

    deleteTopicRecords: (topic, partitions) => admin.deleteTopicRecords({ topic, partitions }),

    async describeCluster() {
      const cluster = await admin.describeCluster();
      return { clusterId: cluster.clusterId, controller: cluster.controller, brokers: cluster.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port })) };
    },

    async fetchTopicOffsets(topic) {
      const offsets = await whenPartitionsKnown(topic, () => admin.fetchTopicOffsets(topic));
      return offsets.map((o) => ({ partition: o.partition, low: o.low, high: o.high }));
    },

    async fetchTopicOffsetsByTimestamp(topic, timestampMs) {
      const offsets = await whenPartitionsKnown(topic, () => admin.fetchTopicOffsetsByTimestamp(topic, timestampMs));
      return offsets.map((o) => ({ partition: o.partition, offset: o.offset }));
    },

    async listGroups() {
      const { groups } = await admin.listGroups();
      return groups.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType }));
    },

    async describeGroups(groupIds) {
      const { groups } = await admin.describeGroups(groupIds);
      return groups.map((g) => ({
        groupId: g.groupId,
        state: g.state,
        protocolType: g.protocolType,
        protocol: g.protocol,
        errorCode: (g as { errorCode?: number }).errorCode,
        members: g.members.map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberAssignment: m.memberAssignment,
          memberMetadata: m.memberMetadata,
          ...(g.protocolType === 'consumer' ? { assignment: decodeAssignment(m.memberAssignment) } : {}),
        })),
      }));
    },

    async deleteGroups(groupIds) {
      await admin.deleteGroups(groupIds);
    },

    async fetchOffsets(groupId, topics) {
      const found = await admin.fetchOffsets(topics ? { groupId, topics } : { groupId });
      return found.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map((p) => ({ partition: p.partition, offset: p.offset ?? NO_OFFSET, metadata: p.metadata })),
      }));
    },

    setOffsets: (groupId, topic, partitions) => admin.setOffsets({ groupId, topic, partitions }),

    commitOffsets: (groupId, offsets) => commitAsTemporaryMember(kafka, groupId, offsets),

    newestProducerIds: (targets, options) => sampleProducerIds(admin, kafka, targets, options.groupId, options.timeoutMs),

    async describeConfigs(resources) {
      const response = await admin.describeConfigs({
        includeSynonyms: false,
        resources: resources.map((r) => ({ type: RESOURCE_KINDS[r.kind], name: r.name, ...(r.configNames ? { configNames: r.configNames } : {}) })),
      });
      return response.resources.map((resource) => {
        const kind = kindOf(resource.resourceType);
        if (resource.errorCode) {
          throw new KafkaSuiteError(`Cannot describe the configs of ${kind} "${resource.resourceName}": ${resource.errorMessage || `error code ${resource.errorCode}`}`, {
            kind: 'protocol',
            code: String(resource.errorCode),
          });
        }
        return {
          kind,
          name: resource.resourceName,
          entries: resource.configEntries.map((e) => ({
            name: e.configName,
            value: e.configValue ?? null,
            readOnly: e.readOnly,
            isDefault: e.isDefault,
            source: CONFIG_SOURCES[(e as { configSource?: number }).configSource ?? 0] ?? String((e as { configSource?: number }).configSource),
            isSensitive: e.isSensitive,
          })),
        };
      });
    },

    async alterConfigs(resources) {
      await admin.alterConfigs({
        validateOnly: false,
        resources: resources.map((r) => ({ type: RESOURCE_KINDS[r.kind], name: r.name, configEntries: r.entries })),
      });
    },

    async describeAcls(filter) {
      const response = await admin.describeAcls(aclFilterOf(filter) as never);
      return response.resources.flatMap((resource) => resource.acls.map((acl) => bindingOf(resource, acl)));
    },

    async createAcls(acls) {
      await admin.createAcls({
        acl: acls.map((a) => ({
          resourceType: ACL_RESOURCES[a.resourceType],
          resourceName: a.resourceName,
          resourcePatternType: ACL_PATTERNS[a.patternType],
          principal: a.principal,
          host: a.host,
          operation: ACL_OPERATIONS[a.operation],
          permissionType: ACL_PERMISSIONS[a.permission],
        })) as never,
      });
    },

    async deleteAcls(filters) {
      const response = await admin.deleteAcls({ filters: filters.map(aclFilterOf) as never });
      const matched = response.filterResponses.flatMap((r) => r.matchingAcls);
      const failed = matched.filter((m) => m.errorCode);
      if (failed.length) {
        throw new KafkaSuiteError(`Kafka could not delete ${failed.length} matching ACL(s): ${failed.map((f) => f.errorMessage ?? f.errorCode).join('; ')}`, {
          kind: 'protocol',
          code: String(failed[0].errorCode),
        });
      }
      return matched.map((m) => bindingOf(m, m));
    },

    rawRequest: (request) => sendRawRequest(kafka, request),
  };
}

/**
 * Commits offsets the way kafkajs' admin.setOffsets does (a short-lived member that joins the empty
 * group, seeks and leaves), but for all topics in one join and with a 100 ms fetch wait: setOffsets
 * waits a full default fetch (5 s) per topic, measured 5.2 s against 0.13 s here.
 */
/**
 * kafkajs' fetchTopicOffsets / fetchTopicOffsetsByTimestamp crash with a TypeError ("Cannot
 * destructure property 'partitions' of 'high.pop(...)'") when the broker it asked has no partition
 * metadata for the topic yet: a topic created a moment ago on a multi-broker cluster, whose
 * metadata reaches the other brokers asynchronously (seen in a fresh-clone run of
 * advisorThreeBrokers right after createTopics with waitForLeaders). Metadata catches up within
 * milliseconds to seconds, so this asks again for up to ~6 s, then says what is missing.
 */
async function whenPartitionsKnown<T>(topic: string, fetch: () => Promise<T>): Promise<T> {
  const pauses = [100, 200, 400, 800, 1600, 3200];
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch();
    } catch (error) {
      const metadataMissing = error instanceof TypeError && /property 'partitions'/.test(error.message);
      if (!metadataMissing) throw error;
      if (attempt >= pauses.length) {
        throw new KafkaSuiteError(`Kafka has no partition metadata for topic "${topic}" yet (created a moment ago, or no broker knows it)`, {
          kind: 'protocol',
          retriable: true,
          code: 'LEADER_NOT_AVAILABLE',
          cause: error,
          context: { topic },
        });
      }
      await new Promise((resolve) => setTimeout(resolve, pauses[attempt]));
    }
  }
}

async function commitAsTemporaryMember(kafka: Kafka, groupId: string, offsets: TopicPartitionOffset[], timeoutMs = 30_000): Promise<void> {
  const topics = [...new Set(offsets.map((p) => p.topic))];
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  let timer: NodeJS.Timeout | undefined;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    // Re-checked right before joining: a consumer that started since the first check must not be disturbed.
    const description = await consumer.describeGroup();
    if (!['Empty', 'Dead'].includes(description.state)) {
      throw new KafkaSuiteError(`Consumer group "${groupId}" became active (state ${description.state}); nothing was changed`, { kind: 'config', context: { field: 'groupId' } });
    }
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new KafkaSuiteError(`Committing offsets for group "${groupId}" did not finish within ${timeoutMs} ms`, { kind: 'timeout', retriable: true })),
        timeoutMs,
      );
      // The first fetch round happens after the seeks were committed; then the member leaves.
      consumer.on(consumer.events.FETCH, () => void consumer.stop().then(resolve, reject));
      consumer.run({ eachBatchAutoResolve: false, eachBatch: async () => undefined }).catch(reject);
      consumer.pause(topics.map((topic) => ({ topic })));
      for (const p of offsets) consumer.seek({ topic: p.topic, partition: p.partition, offset: p.offset });
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
}

/**
 * Producer id of the newest record of each partition, read by a throwaway group that seeks near
 * the log end and never commits. -1 means the batch was written by a non-idempotent producer.
 */
async function sampleProducerIds(admin: Admin, kafka: Kafka, targets: ProducerIdSample[], groupId: string, timeoutMs: number): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (!targets.length) return found;
  // read-uncommitted: the newest records may belong to an open transaction, still written by an idempotent producer.
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, allowAutoTopicCreation: false, readUncommitted: true });
  const topics = [...new Set(targets.map((t) => t.topic))];
  let timer: NodeJS.Timeout | undefined;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: false });
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(resolve, timeoutMs);
      consumer
        .run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch }) => {
            const last = batch.messages[batch.messages.length - 1] as (typeof batch.messages)[number] & { batchContext?: { producerId?: string | number } };
            if (last?.batchContext) found.set(`${batch.topic}\u0000${batch.partition}`, Number(last.batchContext.producerId));
            if (found.size >= targets.length) resolve();
          },
        })
        .catch(reject);
      for (const t of targets) consumer.seek({ topic: t.topic, partition: t.partition, offset: t.from });
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
    // The group has no offsets and would expire by itself; deleting it keeps group lists clean now.
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return found;
}
