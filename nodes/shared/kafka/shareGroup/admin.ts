// Share-group admin operations (list, describe, start offsets with lag, alter start offsets) in the
// suite's own types (api.ts KafkaShareAdmin). No Node.js client library wraps these APIs, so every
// connection, kafkajs or platformatic, is served by the share-group protocol client of this folder,
// opened on the connection's resolved credential (same brokers, TLS, SASL) for the call and closed after.
import { KafkaSuiteError, isKafkaSuiteError, toKafkaSuiteError } from '../../errors';
import type { KafkaConnection, KafkaShareAdmin, ShareGroupInfo, SharePartitionOffset, TopicPartitionOffset } from '../api';
import { nodeSupportsPlatformatic } from '../platformatic';
import { ShareClient, ShareGroupError } from './client';
import { openShareClient } from './index';
import type { ShareGroupDescription } from './protocol';

const GROUP_ID_NOT_FOUND = 69;
const UNSUPPORTED_VERSION = 35;

/** What share groups need, said the same way wherever they are refused. */
export const SHARE_GROUP_REQUIREMENTS = 'Share groups need Kafka 4.x (4.1+ with share groups enabled; on by default from 4.2) and Node.js 22.22+ or 24.6+';

/** A broker refusal (ShareGroupError) or a transport failure as a KafkaSuiteError. */
export function toShareAdminError(error: unknown, context: { group?: string } = {}): KafkaSuiteError {
  if (isKafkaSuiteError(error)) return error;
  if (error instanceof ShareGroupError) {
    const unsupported = error.code === UNSUPPORTED_VERSION;
    return new KafkaSuiteError(unsupported ? `${error.message}. ${SHARE_GROUP_REQUIREMENTS}.` : error.message, {
      kind: unsupported ? 'config' : 'protocol',
      code: error.errorName,
      cause: error,
      context,
    });
  }
  return toKafkaSuiteError(error, context);
}

const byTopicPartition = (a: { topic: string; partition: number }, b: { topic: string; partition: number }) =>
  a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1;

function toInfo(groupId: string, d: ShareGroupDescription | undefined): ShareGroupInfo {
  if (!d || d.errorCode === GROUP_ID_NOT_FOUND) {
    return { groupId, found: false, state: 'Dead', groupEpoch: -1, assignmentEpoch: -1, assignor: '', members: [] };
  }
  if (d.errorCode !== 0) throw new ShareGroupError('ShareGroupDescribe', d.errorCode, d.errorMessage);
  return {
    groupId,
    found: true,
    state: d.groupState,
    groupEpoch: d.groupEpoch,
    assignmentEpoch: d.assignmentEpoch,
    assignor: d.assignorName,
    members: d.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      rackId: m.rackId,
      memberEpoch: m.memberEpoch,
      subscribedTopics: [...m.subscribedTopicNames].sort(),
      assignment: m.assignment
        .map((a) => ({ topic: a.topicName, partitions: [...a.partitions].sort((x, y) => x - y) }))
        .sort((x, y) => (x.topic < y.topic ? -1 : x.topic > y.topic ? 1 : 0)),
    })),
  };
}

/** The KafkaShareAdmin of one ShareClient. */
export function shareAdminOf(client: ShareClient): KafkaShareAdmin {
  return {
    async listShareGroups() {
      const groups = await client.listGroups(['share']);
      return groups.map((g) => ({ groupId: g.groupId, state: g.groupState })).sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
    },

    async describeShareGroups(groupIds) {
      const described = await client.describeGroups(groupIds);
      const byId = new Map(described.map((d) => [d.groupId, d]));
      return groupIds.map((id) => toInfo(id, byId.get(id)));
    },

    async fetchShareGroupOffsets(groupId, topics) {
      let request: Array<{ topicName: string; partitions: number[] }> | null = null;
      if (topics?.length) {
        const metadata = await client.metadata(topics);
        request = [...metadata.values()].map((t) => ({ topicName: t.name, partitions: [...t.leaders.keys()].sort((a, b) => a - b) }));
      }
      const offsets = await client.describeOffsets(groupId, request);
      const rows: SharePartitionOffset[] = [];
      for (const t of offsets.topics) {
        for (const p of t.partitions) {
          if (p.errorCode !== 0) throw new ShareGroupError('DescribeShareGroupOffsets', p.errorCode, `${t.topicName}[${p.partitionIndex}] ${p.errorMessage ?? ''}`.trim());
          rows.push({
            topic: t.topicName,
            partition: p.partitionIndex,
            startOffset: p.startOffset >= 0n ? p.startOffset.toString() : null,
            lag: p.lag >= 0n ? p.lag.toString() : null,
          });
        }
      }
      return rows.sort(byTopicPartition);
    },

    async alterShareGroupOffsets(groupId, offsets: TopicPartitionOffset[]) {
      const topics = new Map<string, Array<{ partitionIndex: number; startOffset: bigint }>>();
      for (const o of offsets) {
        if (!/^\d+$/.test(o.offset)) throw new KafkaSuiteError(`Start offset "${o.offset}" for ${o.topic}/${o.partition} is not a non-negative offset`, { kind: 'config', context: { topic: o.topic, partition: o.partition } });
        const list = topics.get(o.topic) ?? [];
        list.push({ partitionIndex: o.partition, startOffset: BigInt(o.offset) });
        topics.set(o.topic, list);
      }
      await client.alterOffsets(groupId, [...topics].map(([topicName, partitions]) => ({ topicName, partitions })));
    },
  };
}

/**
 * Runs `use` with the share-group admin of the connection's cluster. Works on kafkajs and platformatic
 * connections alike; refuses with the requirements on a Node.js the protocol client cannot run on.
 * Errors come out as KafkaSuiteErrors (a broker refusal carries the broker's error name as `code`).
 */
export async function withShareAdmin<R>(connection: Pick<KafkaConnection, 'resolved'>, use: (admin: KafkaShareAdmin) => Promise<R>, group?: string): Promise<R> {
  if (!nodeSupportsPlatformatic()) {
    throw new KafkaSuiteError(`${SHARE_GROUP_REQUIREMENTS} (this n8n runs on Node.js ${process.versions.node})`, { kind: 'config' });
  }
  const client = openShareClient(connection.resolved);
  try {
    return await use(shareAdminOf(client));
  } catch (error) {
    throw toShareAdminError(error, group ? { group } : {});
  } finally {
    await client.close();
  }
}
