// The adapter library: the only code that talks to Kafka or the Schema Registry. Nodes and
// credentials import from here, never from a Kafka client library or the registry client directly.
export * from './credentialTypes';
export * from './errors';
export { toNodeError } from './nodeErrors';
export { registerSecret, scrubSecrets } from './secrets';
// The suite's Kafka API: nodes open a connection per execution and use only its handle and types.
export { openConnection, clientLibraryFor, KAFKAJS_FALLBACK_UNTIL, partitionForKey, registerCompressionCodecs, withShareAdmin, SHARE_GROUP_REQUIREMENTS, type ClientLibrary, type OpenOptions } from './kafka';
export type * from './kafka/api';
export {
  resolveClusterConfig,
  parseEventHubsConnectionString,
  parseBrokers,
  buildTlsOptions,
  credentialHash,
  RETRY_DEFAULTS,
  TIMEOUT_DEFAULTS,
  type ResolvedClusterConfig,
  type EventHubsConnection,
} from './platforms';
export { createOAuthClientCredentialsProvider } from './oauth';
export { createMskIamTokenProvider } from './mskIam';
export { ClientPool, clientPool, hookPoolShutdown } from './pool';
export { setLogSink, type LogSink } from './logging';
export { httpRequest, type HttpResponse } from './http';
export { testKafkaConnection, testSchemaRegistryConnection, type ConnectionTestResult } from './diagnostics';
export { SchemaRegistryClient, registryClientFor, type EncodeOptions, type EncodedValue, type DecodedValue, type RegisteredSchema, type SchemaReference } from './schemaRegistry/client';
export { subjectFor, recordNameOf, type SubjectStrategy, type SchemaFormat } from './schemaRegistry/subjects';
export { readHeader, writeHeader, encodeMessageIndexes, decodeMessageIndexes, readSchemaIdHeader, writeSchemaIdHeader } from './schemaRegistry/wire';
// Offsets committed by transactional Producers in this process, read by the exactly-once Trigger.
export { recordTransactionalOffset, transactionalOffset } from './transactionLedger';
export { credentialTests, getClusterCredential, getRegistryCredential, itemFailure, CLUSTER_CREDENTIAL, REGISTRY_CREDENTIAL } from './n8n';
// Admin node helpers (offset resets, lag, topic configs) and the Kafka Connect REST client.
export { computePartitionLag, joinLag, totalLag, type PartitionLag, type OffsetLike } from './admin/lag';
export {
  planOffsetReset,
  undoSnapshot,
  readPartitionStates,
  topicsWithCommits,
  applyOffsetPlan,
  type ResetTarget,
  type PartitionState,
  type PlannedOffset,
  type OffsetSnapshot,
} from './admin/offsets';
export { describeGroupOrThrow, assertGroupInactive, decodeMembers, type MemberAssignmentView } from './admin/groups';
export {
  describeShareGroupOrThrow,
  assertShareGroupInactive,
  shareGroupActiveMessage,
  topicsWithShareState,
  readSharePartitionStates,
  applyShareOffsetPlan,
} from './admin/shareOffsets';
export { nameMatcher, assertTopicsExist, describeResourceConfigs, topicOverrides, updateTopicConfigs, type TopicConfigEntry } from './admin/topics';
export { ConnectClient, testConnectConnection, type ConnectCredential, type ConnectorStatus, type ConnectorInfo } from './connect/client';
export { CONNECT_CREDENTIAL, getConnectCredential } from './n8n';
// Cluster advisor (audit guardrails, capacity planning) and the Markdown topic catalog.
export { auditCluster, summarize, raiseReplicationPlan, DEFAULT_THRESHOLDS, SEVERITY_ORDER, type Finding, type Severity, type AuditThresholds, type ClusterSnapshot } from './admin/advisor';
export { collectClusterSnapshot, AUDIT_GROUP_PREFIX, type SnapshotOptions } from './admin/clusterSnapshot';
export { planCapacity, CAPACITY_DEFAULTS, type CapacityInput, type CapacityPlan } from './admin/capacity';
export { renderCatalog, renderMermaid, sourceConnectorTopics, type CatalogInput, type CatalogTopic, type CatalogSchema, type CatalogGroup, type CatalogProducer } from './admin/catalog';
export { describeClientQuotas, describeScramCredentials, type ClientQuota, type ScramCredentialInfo } from './admin/quotasScram';
// Resource locators (From List / By Name) and their list-search methods, shared by every node.
export { listSearch, locatorField, locatorValue, pageOf, type ListSearchMethod, type LocatorOptions } from './listSearch';
// Node's UTF-8 validator for the nodes' decoders: node: imports stay inside the adapter (n8n's scanner).
export { isUtf8 } from 'node:buffer';
