// Bundling entry of @platformatic/kafka (issue 12). scripts/build.mjs bundles this file with esbuild
// into dist/nodes/shared/kafka/platformatic/vendor.js (CommonJS, no runtime dependency), apart from
// nodes/shared/vendor.ts so the library's load time (0.45-0.85 s) is paid only by a connection
// that selects it (see ./load.ts).
export {
  Admin,
  // Carried patch in ./load.ts: an authentication failure is not retried.
  AuthenticationError,
  NetworkError,
  Consumer,
  Producer,
  compatibilityPartitioner,
  murmur2,
  ConfigResourceTypes,
  CompressionAlgorithms,
  FindCoordinatorKeyTypes,
  GroupProtocols,
  ResourceTypes,
  ResourcePatternTypes,
  ConfigSources,
  ListOffsetTimestamps,
  AclOperations,
  AclPermissionTypes,
  MessagesStreamModes,
  MessagesStreamFallbackModes,
  FetchIsolationLevels,
  ProduceAcks,
  // The share-group protocol (nodes/shared/kafka/shareGroup) speaks on the library's connections.
  Connection,
  Reader,
  Writer,
  readRecordsBatches,
  protocolErrorsCodesById,
  apiVersionsV4,
  // Member assignments of a "consumer" group, decoded by our describeGroups (./admin.ts).
  decodeConsumerProtocolAssignment,
  findCoordinatorV6,
  metadataV12,
  incrementalAlterConfigsV1,
} from '@platformatic/kafka';
export type {
  AdminOptions,
  BaseOptions,
  ClusterMetadata,
  ConnectionOptions,
  ConsumerOptions,
  Message,
  MessageToProduce,
  MessagesStream,
  ProducerOptions,
  ProduceResult,
  SASLOptions,
  RecordsBatch,
  KafkaRecord,
} from '@platformatic/kafka';
