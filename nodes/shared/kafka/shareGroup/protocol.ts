// Share groups (KIP-932, "Queues for Kafka") on the wire: ShareGroupHeartbeat (76), ShareGroupDescribe
// (77), ShareFetch (78), ShareAcknowledge (79), DescribeShareGroupOffsets (90), AlterShareGroupOffsets
// (91). Written in @platformatic/kafka's own style (Writer/Reader, compact arrays, tagged fields, its
// record-batch decoder) so the module could be offered upstream.
//
// Schemas checked against the generated message classes of kafka-clients 4.4.0 (their SCHEMAS print:
// see test/integration/shareGroup/README.md); Kafka 4.4.0 serves 76 v1, 77 v1, 78 v1-2, 79 v1-2,
// 90 v0-1, 91 v0. v0 of the share APIs was the unstable preview of 4.0 and is not spoken here.
import type { KafkaRecord, Reader, RecordsBatch, Writer } from '../platformatic/vendor';
import { loadPlatformatic } from '../platformatic/load';

export const ApiKeys = {
  ShareGroupHeartbeat: 76,
  ShareGroupDescribe: 77,
  ShareFetch: 78,
  ShareAcknowledge: 79,
  DescribeShareGroupOffsets: 90,
  AlterShareGroupOffsets: 91,
} as const;

/** The versions this module can write, per API key; the broker's ApiVersions picks the newest common. */
export const SUPPORTED_VERSIONS: Record<number, [number, number]> = {
  76: [1, 1],
  77: [1, 1],
  78: [1, 2],
  79: [1, 2],
  90: [0, 1],
  91: [0, 0],
};

/**
 * Acknowledge types of KIP-932 (0 is a gap: offsets with no record, e.g. compacted or control);
 * RENEW (KIP-1222, ShareAcknowledge v2 with IsRenewAck) keeps a record acquired, its lock restarted.
 */
export const AcknowledgeType = { GAP: 0, ACCEPT: 1, RELEASE: 2, REJECT: 3, RENEW: 4 } as const;
export type AcknowledgeTypeValue = (typeof AcknowledgeType)[keyof typeof AcknowledgeType];

export interface AcknowledgementBatch {
  firstOffset: bigint;
  lastOffset: bigint;
  /** One type for the whole range, or one per offset. */
  acknowledgeTypes: number[];
}

export interface PartitionAcknowledgements {
  partitionIndex: number;
  acknowledgementBatches: AcknowledgementBatch[];
}

export interface TopicAcknowledgements {
  topicId: string;
  partitions: PartitionAcknowledgements[];
}

// ---------------------------------------------------------------- ShareGroupHeartbeat (76) v1

export interface ShareGroupHeartbeatRequest {
  groupId: string;
  memberId: string;
  /** 0 to join, -1 to leave, otherwise the epoch the coordinator last gave. */
  memberEpoch: number;
  rackId?: string | null;
  /** null when unchanged since the last heartbeat. */
  subscribedTopicNames?: string[] | null;
}

export interface ShareGroupHeartbeatResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  memberId: string | null;
  memberEpoch: number;
  heartbeatIntervalMs: number;
  /** null when the assignment did not change. */
  assignment: { topicPartitions: Array<{ topicId: string; partitions: number[] }> } | null;
}

export function writeShareGroupHeartbeat(w: Writer, r: ShareGroupHeartbeatRequest): Writer {
  return w
    .appendString(r.groupId)
    .appendString(r.memberId)
    .appendInt32(r.memberEpoch)
    .appendString(r.rackId ?? null)
    .appendArray(r.subscribedTopicNames ?? null, (w, name) => w.appendString(name), true, false)
    .appendTaggedFields();
}

export function readShareGroupHeartbeat(r: Reader): ShareGroupHeartbeatResponse {
  const out: ShareGroupHeartbeatResponse = {
    throttleTimeMs: r.readInt32(),
    errorCode: r.readInt16(),
    errorMessage: r.readNullableString(),
    memberId: r.readNullableString(),
    memberEpoch: r.readInt32(),
    heartbeatIntervalMs: r.readInt32(),
    assignment: null,
  };
  // A nullable struct is an INT8 marker (-1 null, 1 present) before its fields.
  if (r.readInt8() >= 0) {
    out.assignment = {
      topicPartitions: r.readArray((r) => ({ topicId: r.readUUID(), partitions: r.readArray((r) => r.readInt32(), true, false) })),
    };
    r.readTaggedFields();
  }
  r.readTaggedFields();
  return out;
}

// ---------------------------------------------------------------- ShareGroupDescribe (77) v1

export interface ShareGroupDescription {
  errorCode: number;
  errorMessage: string | null;
  groupId: string;
  groupState: string;
  groupEpoch: number;
  assignmentEpoch: number;
  assignorName: string;
  members: Array<{
    memberId: string;
    rackId: string | null;
    memberEpoch: number;
    clientId: string;
    clientHost: string;
    subscribedTopicNames: string[];
    assignment: Array<{ topicId: string; topicName: string; partitions: number[] }>;
  }>;
  authorizedOperations: number;
}

export function writeShareGroupDescribe(w: Writer, groupIds: string[], includeAuthorizedOperations = false): Writer {
  return w
    .appendArray(groupIds, (w, id) => w.appendString(id), true, false)
    .appendBoolean(includeAuthorizedOperations)
    .appendTaggedFields();
}

export function readShareGroupDescribe(r: Reader): { throttleTimeMs: number; groups: ShareGroupDescription[] } {
  const throttleTimeMs = r.readInt32();
  const groups = r.readArray((r) => ({
    errorCode: r.readInt16(),
    errorMessage: r.readNullableString(),
    groupId: r.readString(),
    groupState: r.readString(),
    groupEpoch: r.readInt32(),
    assignmentEpoch: r.readInt32(),
    assignorName: r.readString(),
    members: r.readArray((r) => {
      const member = {
        memberId: r.readString(),
        rackId: r.readNullableString(),
        memberEpoch: r.readInt32(),
        clientId: r.readString(),
        clientHost: r.readString(),
        subscribedTopicNames: r.readArray((r) => r.readString(), true, false),
        assignment: r.readArray((r) => ({
          topicId: r.readUUID(),
          topicName: r.readString(),
          partitions: r.readArray((r) => r.readInt32(), true, false),
        })),
      };
      r.readTaggedFields(); // the Assignment struct's own
      return member;
    }),
    authorizedOperations: r.readInt32(),
  }));
  r.readTaggedFields();
  return { throttleTimeMs, groups };
}

// ---------------------------------------------------------------- ShareFetch (78) v1-2

export interface ShareFetchRequest {
  groupId: string;
  memberId: string;
  /** 0 opens a share session, -1 closes it, otherwise increments per request. */
  shareSessionEpoch: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  /** Soft cap on records acquired by this request. */
  maxRecords: number;
  /** The batch size the broker optimises acquisition for. */
  batchSize: number;
  /** v2: 0 batch-optimized, 1 record-limit (acquire at most maxRecords strictly). */
  shareAcquireMode?: number;
  /** v2: acknowledgements that only renew the locks (RENEW, KIP-1222). */
  isRenewAck?: boolean;
  topics: Array<{ topicId: string; partitions: Array<{ partitionIndex: number; acknowledgementBatches?: AcknowledgementBatch[] }> }>;
  forgottenTopicsData?: Array<{ topicId: string; partitions: number[] }>;
}

export interface AcquiredRecords {
  firstOffset: bigint;
  lastOffset: bigint;
  deliveryCount: number;
}

export interface ShareFetchPartition {
  partitionIndex: number;
  errorCode: number;
  errorMessage: string | null;
  acknowledgeErrorCode: number;
  acknowledgeErrorMessage: string | null;
  currentLeader: { leaderId: number; leaderEpoch: number };
  /** Decoded with the library's record-batch reader (compression, CRC already handled there). */
  batches: RecordsBatch[];
  acquiredRecords: AcquiredRecords[];
}

export interface ShareFetchResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  acquisitionLockTimeoutMs: number;
  responses: Array<{ topicId: string; partitions: ShareFetchPartition[] }>;
  nodeEndpoints: NodeEndpoint[];
}

export interface NodeEndpoint {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

function writeAcknowledgementBatches(w: Writer, batches: AcknowledgementBatch[] | undefined): void {
  w.appendArray(batches ?? [], (w, b) => {
    w.appendInt64(b.firstOffset)
      .appendInt64(b.lastOffset)
      .appendArray(b.acknowledgeTypes, (w, t) => w.appendInt8(t), true, false);
  });
}

export function writeShareFetch(w: Writer, version: number, r: ShareFetchRequest): Writer {
  w.appendString(r.groupId)
    .appendString(r.memberId)
    .appendInt32(r.shareSessionEpoch)
    .appendInt32(r.maxWaitMs)
    .appendInt32(r.minBytes)
    .appendInt32(r.maxBytes)
    .appendInt32(r.maxRecords)
    .appendInt32(r.batchSize);
  if (version >= 2) w.appendInt8(r.shareAcquireMode ?? 0).appendBoolean(r.isRenewAck ?? false);
  return w
    .appendArray(r.topics, (w, t) => {
      w.appendUUID(t.topicId).appendArray(t.partitions, (w, p) => {
        w.appendInt32(p.partitionIndex);
        writeAcknowledgementBatches(w, p.acknowledgementBatches);
      });
    })
    .appendArray(r.forgottenTopicsData ?? [], (w, t) => {
      w.appendUUID(t.topicId).appendArray(t.partitions, (w, p) => w.appendInt32(p), true, false);
    })
    .appendTaggedFields();
}

function readNodeEndpoints(r: Reader): NodeEndpoint[] {
  return r.readArray((r) => ({ nodeId: r.readInt32(), host: r.readString(), port: r.readInt32(), rack: r.readNullableString() }));
}

function readLeader(r: Reader): { leaderId: number; leaderEpoch: number } {
  const leader = { leaderId: r.readInt32(), leaderEpoch: r.readInt32() };
  r.readTaggedFields();
  return leader;
}

export function readShareFetch(r: Reader): ShareFetchResponse {
  const { Reader: ReaderClass, readRecordsBatches } = loadPlatformatic();
  const throttleTimeMs = r.readInt32();
  const errorCode = r.readInt16();
  const errorMessage = r.readNullableString();
  const acquisitionLockTimeoutMs = r.readInt32();
  const responses = r.readArray((r) => ({
    topicId: r.readUUID(),
    partitions: r.readArray((r) => {
      const partitionIndex = r.readInt32();
      const errorCode = r.readInt16();
      const errorMessage = r.readNullableString();
      const acknowledgeErrorCode = r.readInt16();
      const acknowledgeErrorMessage = r.readNullableString();
      const currentLeader = readLeader(r);
      // COMPACT_RECORDS: unsigned varint length + 1 (0 = null), then the record batches.
      let batches: RecordsBatch[] = [];
      const size = r.readUnsignedVarInt();
      if (size > 1) {
        const end = r.position + size - 1;
        batches = readRecordsBatches(ReaderClass.from(r.buffer.subarray(r.position, end)));
        r.position = end;
      }
      const acquiredRecords = r.readArray((r) => ({ firstOffset: r.readInt64(), lastOffset: r.readInt64(), deliveryCount: r.readInt16() }));
      return { partitionIndex, errorCode, errorMessage, acknowledgeErrorCode, acknowledgeErrorMessage, currentLeader, batches, acquiredRecords };
    }),
  }));
  const nodeEndpoints = readNodeEndpoints(r);
  r.readTaggedFields();
  return { throttleTimeMs, errorCode, errorMessage, acquisitionLockTimeoutMs, responses, nodeEndpoints };
}

// ---------------------------------------------------------------- ShareAcknowledge (79) v1-2

export interface ShareAcknowledgeRequest {
  groupId: string;
  memberId: string;
  shareSessionEpoch: number;
  isRenewAck?: boolean;
  topics: TopicAcknowledgements[];
}

export interface ShareAcknowledgeResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  acquisitionLockTimeoutMs: number;
  responses: Array<{
    topicId: string;
    partitions: Array<{ partitionIndex: number; errorCode: number; errorMessage: string | null; currentLeader: { leaderId: number; leaderEpoch: number } }>;
  }>;
  nodeEndpoints: NodeEndpoint[];
}

export function writeShareAcknowledge(w: Writer, version: number, r: ShareAcknowledgeRequest): Writer {
  w.appendString(r.groupId).appendString(r.memberId).appendInt32(r.shareSessionEpoch);
  if (version >= 2) w.appendBoolean(r.isRenewAck ?? false);
  return w
    .appendArray(r.topics, (w, t) => {
      w.appendUUID(t.topicId).appendArray(t.partitions, (w, p) => {
        w.appendInt32(p.partitionIndex);
        writeAcknowledgementBatches(w, p.acknowledgementBatches);
      });
    })
    .appendTaggedFields();
}

export function readShareAcknowledge(r: Reader): ShareAcknowledgeResponse {
  const throttleTimeMs = r.readInt32();
  const errorCode = r.readInt16();
  const errorMessage = r.readNullableString();
  const acquisitionLockTimeoutMs = r.readInt32();
  const responses = r.readArray((r) => ({
    topicId: r.readUUID(),
    partitions: r.readArray((r) => ({
      partitionIndex: r.readInt32(),
      errorCode: r.readInt16(),
      errorMessage: r.readNullableString(),
      currentLeader: readLeader(r),
    })),
  }));
  const nodeEndpoints = readNodeEndpoints(r);
  r.readTaggedFields();
  return { throttleTimeMs, errorCode, errorMessage, acquisitionLockTimeoutMs, responses, nodeEndpoints };
}

// ---------------------------------------------------------------- DescribeShareGroupOffsets (90) v0-1

export interface ShareGroupOffsets {
  groupId: string;
  errorCode: number;
  errorMessage: string | null;
  topics: Array<{
    topicName: string;
    topicId: string;
    partitions: Array<{ partitionIndex: number; startOffset: bigint; leaderEpoch: number; lag: bigint; errorCode: number; errorMessage: string | null }>;
  }>;
}

/** topics null: every topic the group has state for. */
export function writeDescribeShareGroupOffsets(w: Writer, groups: Array<{ groupId: string; topics: Array<{ topicName: string; partitions: number[] }> | null }>): Writer {
  return w
    .appendArray(groups, (w, g) => {
      w.appendString(g.groupId).appendArray(g.topics, (w, t) => {
        w.appendString(t.topicName).appendArray(t.partitions, (w, p) => w.appendInt32(p), true, false);
      });
    })
    .appendTaggedFields();
}

export function readDescribeShareGroupOffsets(r: Reader, version: number): { throttleTimeMs: number; groups: ShareGroupOffsets[] } {
  const throttleTimeMs = r.readInt32();
  const groups = r.readArray((r) => ({
    groupId: r.readString(),
    topics: r.readArray((r) => ({
      topicName: r.readString(),
      topicId: r.readUUID(),
      partitions: r.readArray((r) => ({
        partitionIndex: r.readInt32(),
        startOffset: r.readInt64(),
        leaderEpoch: r.readInt32(),
        // v1 added the share-partition lag; -1 on v0.
        lag: version >= 1 ? r.readInt64() : -1n,
        errorCode: r.readInt16(),
        errorMessage: r.readNullableString(),
      })),
    })),
    errorCode: r.readInt16(),
    errorMessage: r.readNullableString(),
  }));
  r.readTaggedFields();
  return { throttleTimeMs, groups };
}

// ---------------------------------------------------------------- AlterShareGroupOffsets (91) v0

export function writeAlterShareGroupOffsets(w: Writer, groupId: string, topics: Array<{ topicName: string; partitions: Array<{ partitionIndex: number; startOffset: bigint }> }>): Writer {
  return w
    .appendString(groupId)
    .appendArray(topics, (w, t) => {
      w.appendString(t.topicName).appendArray(t.partitions, (w, p) => {
        w.appendInt32(p.partitionIndex).appendInt64(p.startOffset);
      });
    })
    .appendTaggedFields();
}

export interface AlterShareGroupOffsetsResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  responses: Array<{ topicName: string; topicId: string; partitions: Array<{ partitionIndex: number; errorCode: number; errorMessage: string | null }> }>;
}

export function readAlterShareGroupOffsets(r: Reader): AlterShareGroupOffsetsResponse {
  const throttleTimeMs = r.readInt32();
  const errorCode = r.readInt16();
  const errorMessage = r.readNullableString();
  const responses = r.readArray((r) => ({
    topicName: r.readString(),
    topicId: r.readUUID(),
    partitions: r.readArray((r) => ({ partitionIndex: r.readInt32(), errorCode: r.readInt16(), errorMessage: r.readNullableString() })),
  }));
  r.readTaggedFields();
  return { throttleTimeMs, errorCode, errorMessage, responses };
}

// ---------------------------------------------------------------- records

export interface ShareRecord {
  topic: string;
  partition: number;
  offset: bigint;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<[Buffer | null, Buffer | null]>;
  /** How many times this record has been delivered, this delivery included. */
  deliveryCount: number;
}

/**
 * The records of a partition that this member acquired: the batches may hold more offsets than were
 * acquired (the broker sends whole batches), and acquired ranges may cover offsets with no record
 * (compaction, transaction markers), which must be acknowledged as gaps.
 */
export function acquiredRecordsOf(topic: string, partition: ShareFetchPartition): { records: ShareRecord[]; gaps: bigint[] } {
  const byOffset = new Map<bigint, { record: KafkaRecord; batch: RecordsBatch }>();
  for (const batch of partition.batches) {
    for (const record of batch.records) byOffset.set(batch.firstOffset + BigInt(record.offsetDelta), { record, batch });
  }
  const records: ShareRecord[] = [];
  const gaps: bigint[] = [];
  for (const range of partition.acquiredRecords) {
    for (let offset = range.firstOffset; offset <= range.lastOffset; offset++) {
      const found = byOffset.get(offset);
      if (!found) {
        gaps.push(offset);
        continue;
      }
      const { record, batch } = found;
      records.push({
        topic,
        partition: partition.partitionIndex,
        offset,
        timestamp: batch.firstTimestamp + record.timestampDelta,
        key: record.key,
        value: record.value,
        headers: record.headers,
        deliveryCount: range.deliveryCount,
      });
    }
  }
  return { records, gaps };
}

/**
 * Acknowledgements of one partition as the fewest batches: consecutive offsets with the same type
 * share a batch with one type; a batch never spans a hole (offsets not acknowledged now).
 */
export function toAcknowledgementBatches(acks: Array<{ offset: bigint; type: number }>): AcknowledgementBatch[] {
  const sorted = [...acks].sort((a, b) => (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
  const batches: AcknowledgementBatch[] = [];
  let current: AcknowledgementBatch | undefined;
  for (const { offset, type } of sorted) {
    if (current && offset === current.lastOffset + 1n && current.acknowledgeTypes[0] === type) {
      current.lastOffset = offset;
      continue;
    }
    if (current && offset <= current.lastOffset) continue; // the same offset twice: the first wins
    current = { firstOffset: offset, lastOffset: offset, acknowledgeTypes: [type] };
    batches.push(current);
  }
  return batches;
}

/** The broker's name for an error code (the library's table), or the number. */
export function errorName(code: number): string {
  const names = loadPlatformatic().protocolErrorsCodesById as Record<number, string>;
  return names[code] ?? `error code ${code}`;
}
