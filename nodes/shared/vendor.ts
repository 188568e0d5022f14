// The single import point for third-party runtime libraries. scripts/build.mjs bundles this file
// (and only this file) with esbuild into dist/nodes/shared/vendor.js, so the published package has
// no runtime `dependencies`; the lint rule in eslint.config.mjs keeps these imports inside the adapter.
export {
  Kafka,
  CompressionTypes,
  CompressionCodecs,
  logLevel,
  Partitioners,
  ConfigResourceTypes,
  AclResourceTypes,
  AclOperationTypes,
  AclPermissionTypes,
  ResourcePatternTypes,
  AssignerProtocol,
} from 'kafkajs';
export type {
  KafkaConfig,
  SASLOptions,
  Producer,
  ProducerConfig,
  ProducerRecord,
  ProducerBatch,
  Consumer,
  ConsumerConfig,
  Admin,
  Message,
  RecordMetadata,
  IHeaders,
  KafkaMessage,
  EachBatchPayload,
  EachMessagePayload,
  LogEntry,
  logCreator,
  Transaction,
  ITopicConfig,
  GroupDescription,
  TopicPartitionOffsetAndMetadata,
} from 'kafkajs';
export { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
// The serde library's own avsc (one module instance), for exact longs, base64 bytes and natural logical types.
export * as avsc from 'avsc';
// protobufjs' bundled well-known types (google/protobuf/*.proto), added to parsed schemas that import them.
export { common as protobufCommon, Root as ProtobufRoot, MapField as ProtobufMapField } from 'protobufjs';
// Schemas registered as serialized FileDescriptorProtos (Confluent's own Protobuf serializers do so).
export { FileDescriptorProto, FileDescriptorSet } from 'protobufjs/ext/descriptor';
// The serde library's ajv, with the 2019-09 and 2020-12 dialects and the draft-06 meta-schema.
export { Ajv } from 'ajv';
export { Ajv2019 } from 'ajv/dist/2019';
export { Ajv2020 } from 'ajv/dist/2020';
import draft06MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json';
export { draft06MetaSchema };
export { generateAuthTokenFromCredentialsProvider } from 'aws-msk-iam-sasl-signer-js';

import createSnappyCodec from 'kafkajs-snappy';
import * as lz4js from 'lz4js';
import * as lz4xxh32 from 'lz4js/xxh32';
import { ZstdCodec } from 'zstd-codec';
export { createSnappyCodec, lz4js, lz4xxh32, ZstdCodec };

// kafkajs 2.2.4's request queue schedules its throttle check `throttledUntil - Date.now()` ms ahead
// even when it was never throttled (throttledUntil = -1), i.e. about -1.7e12 ms. Node >= 24 warns
// about every negative timeout (TimeoutNegativeWarning), so n8n logged one at every trigger start.
// Same schedule, never negative. Patched on the class kafkajs itself requires (one module instance).
import RequestQueue from 'kafkajs/src/network/requestQueue';
const CHECK_PENDING_REQUESTS_MS = 10;
RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: InstanceType<typeof RequestQueue>) {
  if (this.throttleCheckTimeoutId) return;
  const throttledFor = this.throttledUntil - Date.now();
  const delay = throttledFor > 0 ? throttledFor : this.pending.length > 0 ? CHECK_PENDING_REQUESTS_MS : 0;
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, delay);
};
