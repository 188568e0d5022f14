// The import point of the shared code's third-party runtime libraries (schema-registry serdes, the
// MSK IAM signer). scripts/build.mjs bundles this file with esbuild into dist/nodes/shared/vendor.js,
// so the published package has no runtime `dependencies`. The Kafka client libraries are not here:
// each has its own bundling entry inside the adapter (kafka/kafkajs/vendor.ts,
// kafka/platformatic/vendor.ts), so nothing outside nodes/shared/kafka/ can reach one (issue 12).
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
