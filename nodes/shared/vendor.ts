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
export { generateAuthTokenFromCredentialsProvider } from 'aws-msk-iam-sasl-signer-js';

import createSnappyCodec from 'kafkajs-snappy';
import * as lz4js from 'lz4js';
import * as lz4xxh32 from 'lz4js/xxh32';
import { ZstdCodec } from 'zstd-codec';
export { createSnappyCodec, lz4js, lz4xxh32, ZstdCodec };
