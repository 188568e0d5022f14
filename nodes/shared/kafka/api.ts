// The Kafka API the nodes program against. Only the suite's own types appear here: no client
// library type, enum or event crosses this file, so the client behind it (kafkajs today,
// @platformatic/kafka next, see issue 12) can change without a node noticing.
//
// Conventions: offsets and timestamps are decimal strings (int64 does not fit a JS number);
// keys and values are bytes or null; header values are bytes, or null where Kafka carries a null.

import type { KafkaClusterCredential } from '../credentialTypes';
import type { ResolvedClusterConfig } from '../platforms';

// ---------------------------------------------------------------------------------------------
// Records

/** A header as received: one value, several values under one name, or a null value. */
export type ReceivedHeaderValue = Buffer | null | Array<Buffer | null>;
export type ReceivedHeaders = Record<string, ReceivedHeaderValue>;
/** A header as sent: strings are written as UTF-8. */
export type OutgoingHeaderValue = Buffer | string | null | Array<Buffer | string | null>;
export type OutgoingHeaders = Record<string, OutgoingHeaderValue>;

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  /** Create or log-append time, ms since the epoch, as a decimal string. */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: ReceivedHeaders;
}

export interface OutgoingRecord {
  topic: string;
  /** Absent: the Java-compatible murmur2 partitioner places keyed records (existing topics keep placement). */
  partition?: number;
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: OutgoingHeaders;
  timestamp?: string;
}

export interface SentRecordBatch {
  topic: string;
  partition: number;
  /** Offset of the first record the request wrote to this partition; absent with acks=0. */
  baseOffset?: string;
  /** The broker's time when the topic uses LogAppendTime; absent otherwise. */
  logAppendTime?: string;
}

export type CompressionName = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export interface SendOptions {
  /** -1 = all in-sync replicas, 1 = leader only, 0 = no answer. */
  acks: -1 | 0 | 1;
  timeoutMs: number;
  compression: CompressionName;
}

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read (last processed + 1). */
  offset: string;
}

// ---------------------------------------------------------------------------------------------
// Producer

export interface ProducerOptions {
  /** Default true. */
  idempotent?: boolean;
  transactionalId?: string;
  transactionTimeoutMs?: number;
}

export interface TransactionScope {
  send(records: OutgoingRecord[], options: SendOptions): Promise<SentRecordBatch[]>;
  /**
   * Adds consumed offsets to the transaction (TxnOffsetCommit). `member`, when the client knows the
   * consuming group's generation and member id (KIP-447), fences a zombie commit after a rebalance.
   */
  sendOffsets(groupId: string, offsets: TopicPartitionOffset[], member?: GroupMemberMetadata): Promise<void>;
}

export interface GroupMemberMetadata {
  generationId: number;
  memberId: string;
  groupInstanceId?: string;
}

export interface KafkaProducer {
  send(records: OutgoingRecord[], options: SendOptions): Promise<SentRecordBatch[]>;
  /** Begins a transaction, runs `work`, commits; aborts and rethrows if `work` or the commit fails. */
  transaction<R>(work: (tx: TransactionScope) => Promise<R>): Promise<R>;
}

// ---------------------------------------------------------------------------------------------
// Consumer: a delivery loop with explicit commits, per-partition pause/resume and seek.

export type GroupProtocol = 'classic' | 'consumer';

export interface ConsumerOptions {
  groupId: string;
  topics: string[] | RegExp;
  /** Where a partition without a committed offset starts. */
  fromBeginning: boolean;
  /** 'consumer' is KIP-848's protocol (Kafka 4.x brokers); the client may refuse it. */
  groupProtocol?: GroupProtocol;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  heartbeatIntervalMs: number;
  maxBytesPerPartition: number;
  maxBytes: number;
  minBytes: number;
  maxWaitMs: number;
  /** Partitions handled at once. */
  concurrency: number;
  /** Default true: records of aborted transactions are never delivered. */
  readCommitted?: boolean;
}

/** One partition's records, handed to the delivery loop in offset order. */
export interface PartitionBatch {
  topic: string;
  partition: number;
  records: ConsumedRecord[];
  highWatermark: string;
  /** Tells the group this member is alive; call during long work. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or this partition was revoked. */
  isActive(): boolean;
  /** Commits the next offset to read for this partition (explicit, never automatic). */
  commit(nextOffset: string): Promise<void>;
  /** Marks records up to `offset` handled, so a rebalance hands on from there. */
  markHandled(offset: string): void;
  /** Stops fetching this partition until the returned function is called. */
  pause(): () => void;
  /** The group membership the batch was fetched under (for KIP-447 transactional commits). */
  member(): GroupMemberMetadata | undefined;
}

export interface ConsumerEvents {
  /** Partitions assigned after a join; seeking here applies before the first fetch. */
  assigned?(assignment: Array<{ topic: string; partitions: number[] }>): void;
  /** The client gave up (not a retriable hiccup it recovers from itself). */
  crashed?(error: unknown): void;
  /** A retriable problem the client recovers from on its own (logged at debug). */
  recovering?(error: unknown): void;
}

export interface KafkaConsumer {
  /** Connects, subscribes and starts delivering; resolves once running. */
  start(handler: (batch: PartitionBatch) => Promise<void>, events?: ConsumerEvents): Promise<void>;
  seek(topic: string, partition: number, offset: string): void;
  /** Leaves the group and closes. Idempotent. */
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Admin: the operations the nodes use.

export interface PartitionMetadata {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}
export interface TopicMetadata {
  name: string;
  partitions: PartitionMetadata[];
}
export interface BrokerInfo {
  nodeId: number;
  host: string;
  port: number;
  rack?: string | null;
}
export interface ClusterInfo {
  clusterId: string;
  controller: number | null;
  brokers: BrokerInfo[];
}
export interface PartitionOffsets {
  partition: number;
  /** Log start offset. */
  low: string;
  /** Log end offset (high watermark). */
  high: string;
}
export interface GroupListing {
  groupId: string;
  protocolType: string;
  /** 'classic' | 'consumer' | 'share' | 'streams' where the broker says. */
  groupType?: string;
}
export interface GroupMember {
  memberId: string;
  clientId: string;
  clientHost: string;
  groupInstanceId?: string | null;
  /** Raw assignment bytes (classic protocol) or undefined. */
  memberAssignment?: Buffer;
  memberMetadata?: Buffer;
  /** Decoded assignment where the client can. */
  assignment?: Array<{ topic: string; partitions: number[] }>;
}
export interface GroupDescription {
  groupId: string;
  state: string;
  protocolType: string;
  protocol: string;
  groupType?: string;
  members: GroupMember[];
  errorCode?: number;
}
export interface CommittedOffsets {
  topic: string;
  partitions: Array<{ partition: number; offset: string; metadata?: string | null }>;
}
export type ConfigResourceKind = 'topic' | 'broker' | 'brokerLogger' | 'group';
export interface ConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  isDefault: boolean;
  /** 'DYNAMIC_TOPIC_CONFIG', 'STATIC_BROKER_CONFIG', 'DEFAULT_CONFIG', ... */
  source: string;
  isSensitive: boolean;
}
export interface ResourceConfigs {
  kind: ConfigResourceKind;
  name: string;
  entries: ConfigEntry[];
}
export type AclResourceKind = 'any' | 'topic' | 'group' | 'cluster' | 'transactionalId' | 'delegationToken';
export type AclPatternKind = 'any' | 'match' | 'literal' | 'prefixed';
export type AclOperationName =
  | 'any' | 'all' | 'read' | 'write' | 'create' | 'delete' | 'alter' | 'describe'
  | 'clusterAction' | 'describeConfigs' | 'alterConfigs' | 'idempotentWrite';
export type AclPermission = 'any' | 'deny' | 'allow';
export interface AclBinding {
  resourceType: AclResourceKind;
  resourceName: string;
  patternType: AclPatternKind;
  principal: string;
  host: string;
  operation: AclOperationName;
  permission: AclPermission;
}
/** A filter: omitted fields (or 'any') match everything. */
export type AclFilter = Partial<AclBinding>;
export interface NewTopic {
  topic: string;
  numPartitions?: number;
  replicationFactor?: number;
  configEntries?: Array<{ name: string; value: string }>;
}

export interface KafkaAdmin {
  listTopics(): Promise<string[]>;
  fetchTopicMetadata(topics?: string[]): Promise<TopicMetadata[]>;
  createTopics(topics: NewTopic[], options?: { validateOnly?: boolean; timeoutMs?: number }): Promise<boolean>;
  deleteTopics(topics: string[], timeoutMs?: number): Promise<void>;
  createPartitions(topic: string, count: number): Promise<void>;
  deleteTopicRecords(topic: string, partitions: Array<{ partition: number; offset: string }>): Promise<void>;
  describeCluster(): Promise<ClusterInfo>;
  fetchTopicOffsets(topic: string): Promise<PartitionOffsets[]>;
  /** The first offset at or after `timestampMs` per partition (the end offset where none is). */
  fetchTopicOffsetsByTimestamp(topic: string, timestampMs: number): Promise<Array<{ partition: number; offset: string }>>;
  listGroups(): Promise<GroupListing[]>;
  describeGroups(groupIds: string[]): Promise<GroupDescription[]>;
  deleteGroups(groupIds: string[]): Promise<void>;
  /** Committed offsets ('-1' where none) for the topics, or for every topic the group has commits for. */
  fetchOffsets(groupId: string, topics?: string[]): Promise<CommittedOffsets[]>;
  setOffsets(groupId: string, topic: string, partitions: Array<{ partition: number; offset: string }>): Promise<void>;
  describeConfigs(resources: Array<{ kind: ConfigResourceKind; name: string; configNames?: string[] }>): Promise<ResourceConfigs[]>;
  /** Replaces the resource's whole dynamic config set (non-incremental AlterConfigs). */
  alterConfigs(resources: Array<{ kind: ConfigResourceKind; name: string; entries: Array<{ name: string; value: string }> }>): Promise<void>;
  describeAcls(filter: AclFilter): Promise<AclBinding[]>;
  createAcls(acls: AclBinding[]): Promise<void>;
  deleteAcls(filters: AclFilter[]): Promise<AclBinding[]>;
  /**
   * A request the client does not wrap, by API key and version with our own encoding (quotas,
   * SCRAM users, share groups). Bytes in, bytes out, on the controller or a given broker.
   */
  rawRequest?(request: { apiKey: number; apiVersion: number; body: Buffer; target?: 'any' | 'controller' | number }): Promise<Buffer>;
  /**
   * Commits offsets for a group with no members, all topics at once (the Admin node's offset reset).
   * Refuses if the group became active. Absent: the caller falls back to `setOffsets` per topic.
   */
  commitOffsets?(groupId: string, offsets: TopicPartitionOffset[]): Promise<void>;
  /**
   * The producer id of the newest record batch read from each partition starting at `from`
   * (read-uncommitted, by a throwaway group `groupId` that never commits and is deleted after),
   * keyed `topic\u0000partition`; -1 for a non-idempotent producer. Partitions with nothing read
   * within `timeoutMs` are missing. Absent: the client cannot see batch producer ids.
   */
  newestProducerIds?(targets: ProducerIdSample[], options: { groupId: string; timeoutMs: number }): Promise<Map<string, number>>;
}

// ---------------------------------------------------------------------------------------------
// Share groups (KIP-932): admin operations. Served by the suite's own share-group protocol client
// (kafka/shareGroup) whatever library the connection uses; needs Kafka 4.1+ and Node 22.22+/24.6+.

export interface ShareGroupListing {
  groupId: string;
  /** 'Empty' | 'Stable' | 'Dead' | ... as the broker says. */
  state: string;
}
export interface ShareGroupMemberInfo {
  memberId: string;
  clientId: string;
  clientHost: string;
  rackId: string | null;
  memberEpoch: number;
  subscribedTopics: string[];
  assignment: Array<{ topic: string; partitions: number[] }>;
}
export interface ShareGroupInfo {
  groupId: string;
  /** False when the broker does not know the group (GROUP_ID_NOT_FOUND). */
  found: boolean;
  state: string;
  groupEpoch: number;
  assignmentEpoch: number;
  assignor: string;
  members: ShareGroupMemberInfo[];
}
export interface SharePartitionOffset {
  topic: string;
  partition: number;
  /** The share-partition start offset; null where the group has no state for the partition yet. */
  startOffset: string | null;
  /** Records not yet acknowledged from the start offset to the log end (broker-computed); null when unknown. */
  lag: string | null;
}
export interface KafkaShareAdmin {
  listShareGroups(): Promise<ShareGroupListing[]>;
  describeShareGroups(groupIds: string[]): Promise<ShareGroupInfo[]>;
  /** Start offsets and lag per share-partition: of `topics`, or of every topic the group has state for. */
  fetchShareGroupOffsets(groupId: string, topics?: string[]): Promise<SharePartitionOffset[]>;
  /** Sets start offsets; the broker refuses while the group has members (a KafkaSuiteError with code GROUP_NOT_EMPTY). */
  alterShareGroupOffsets(groupId: string, offsets: TopicPartitionOffset[]): Promise<void>;
}

export interface ProducerIdSample {
  topic: string;
  partition: number;
  from: string;
}

// ---------------------------------------------------------------------------------------------
// Connection: the credential resolved and hashed once per execution.

export interface KafkaConnection {
  /** Hash of the credential: equal credentials share pooled clients. */
  readonly key: string;
  readonly resolved: ResolvedClusterConfig;
  /** Which client library serves this connection (diagnostics only). */
  readonly clientLibrary: 'kafkajs' | 'platformatic';
  /**
   * Runs `use` with a pooled, connected producer. A caller that catches a send error itself passes it
   * to `reportFailure`, so a client broken for good is retired as if the error had escaped.
   */
  withProducer<R>(options: ProducerOptions, use: (producer: KafkaProducer, reportFailure: (error: unknown) => void) => Promise<R>): Promise<R>;
  withAdmin<R>(use: (admin: KafkaAdmin) => Promise<R>): Promise<R>;
  /** A new (unpooled) consumer; the caller stops it. */
  consumer(options: ConsumerOptions): KafkaConsumer;
  /** Drops pooled clients' cached metadata for these topics (after a topic was deleted or recreated). */
  forgetTopics(topics: Iterable<string>): void;
}

export type OpenConnection = (cred: KafkaClusterCredential) => KafkaConnection;
