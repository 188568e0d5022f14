// Bundling entry of kafkajs, its compression codecs and our patch of its request queue (issue 12).
// scripts/build.mjs bundles this file with esbuild into dist/nodes/shared/kafka/kafkajs/vendor.js.
// It lives inside the adapter so that only nodes/shared/kafka/** can import a kafkajs value or type:
// the shared code outside it speaks the suite's own types (platforms.ts, logging.ts).
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
