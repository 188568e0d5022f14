import type { INodeProperties, INodeTypeBaseDescription, INodeTypeDescription } from 'n8n-workflow';
import { locatorField } from '../../shared';
import { optionsCollection } from '../../shared/descriptions/options';

const KEY_FORMATS = [
  { name: 'Binary (keyBase64 and a Binary Property)', value: 'binary' },
  { name: 'JSON', value: 'json' },
  { name: 'Schema Registry (Avro, Protobuf, JSON Schema)', value: 'schemaRegistry' },
  { name: 'Text (UTF-8)', value: 'string' },
];

export const properties: INodeProperties[] = [
  {
    displayName: 'Subscribe To',
    name: 'topicSelection',
    type: 'options',
    default: 'names',
    options: [
      { name: 'Topic Names', value: 'names' },
      { name: 'Topics Matching a Regex', value: 'regex' },
    ],
  },
  {
    ...locatorField({
      displayName: 'Topics',
      name: 'topics',
      method: 'searchTopics',
      placeholder: 'orders, payments',
      nameMode: { displayName: 'By Names', hint: 'One or more topic names, separated by commas' },
    }),
    description: 'A topic picked from the cluster, or one or more names separated by commas',
    displayOptions: { show: { topicSelection: ['names'] } },
  },
  {
    displayName: 'Topic Regex',
    name: 'topicPattern',
    type: 'string',
    required: true,
    default: '',
    placeholder: '^orders\\..*',
    description: 'Topics whose names match when the trigger starts (topics created later need a restart of the workflow)',
    displayOptions: { show: { topicSelection: ['regex'] } },
  },
  {
    ...locatorField({ displayName: 'Group ID', name: 'groupId', method: 'searchGroups', placeholder: 'n8n-orders' }),
    description: 'Consumer group, picked from the cluster or typed (a new name starts a new group); its committed offsets decide where consumption resumes',
  },
  {
    displayName: 'Start From (New Group)',
    name: 'startFrom',
    type: 'options',
    default: 'latest',
    options: [
      { name: 'Latest (Only New Messages)', value: 'latest' },
      { name: 'Earliest (Whole Backlog)', value: 'earliest' },
      { name: 'Timestamp', value: 'timestamp' },
    ],
    description: 'Where a group without committed offsets begins; a group that has committed offsets always resumes from them',
  },
  {
    displayName: 'Start Timestamp',
    name: 'startTimestamp',
    type: 'dateTime',
    default: '',
    displayOptions: { show: { startFrom: ['timestamp'] } },
  },
  {
    displayName: 'Delivery',
    name: 'deliveryMode',
    type: 'options',
    default: 'afterSuccess',
    options: [
      // Alphabetical, as n8n's lint wants for five options and more.
      { name: 'Commit After the Execution Ends, Whatever Its Status', value: 'afterExecution' },
      {
        name: 'Commit After the Execution Succeeds (At-Least-Once)',
        value: 'afterSuccess',
        description: 'Failed executions are retried, then sent to the dead-letter topic if one is set',
      },
      { name: 'Commit on Receipt (At-Most-Once)', value: 'onReceipt' },
      {
        name: 'Exactly-Once With a Transactional Kafka Producer (Suite)',
        value: 'exactlyOnce',
        description:
          "Items carry a kafkaSource field; a Kafka Producer (Suite) with Transactional and Commit Consumed Offsets on commits them inside its transaction",
      },
      {
        name: 'Share Group: Each Message Acknowledged on Its Own (Kafka 4.x Queue)',
        value: 'shareGroup',
        description:
          'Group ID names a share group (KIP-932, Kafka 4.1+). One execution per message, Concurrency at once whatever the partition count, no order; a failed message is released for redelivery, then rejected or dead-lettered after Max Attempts.',
      },
    ],
  },
  {
    displayName: 'Value Format',
    name: 'valueFormat',
    type: 'options',
    default: 'json',
    options: [
      { name: 'JSON (Text if Not JSON)', value: 'json' },
      { name: 'Text (UTF-8)', value: 'string' },
      { name: 'Binary', value: 'binary' },
      { name: 'Schema Registry (Avro, Protobuf, JSON Schema)', value: 'schemaRegistry' },
    ],
  },
  // Two parameters of one name: the Schema Registry choice is offered only where its credential is shown.
  {
    displayName: 'Key Format',
    name: 'keyFormat',
    type: 'options',
    default: 'string',
    options: KEY_FORMATS.filter((option) => option.value !== 'schemaRegistry'),
    description: 'How the message key is decoded; keys that are not valid UTF-8 always get keyBase64 too',
    displayOptions: { hide: { valueFormat: ['schemaRegistry'] } },
  },
  {
    displayName: 'Key Format',
    name: 'keyFormat',
    type: 'options',
    default: 'string',
    options: KEY_FORMATS,
    description: 'How the message key is decoded; keys that are not valid UTF-8 always get keyBase64 too',
    displayOptions: { show: { valueFormat: ['schemaRegistry'] } },
  },
  optionsCollection([
    {
      displayName: 'Batch Size',
      name: 'batchSize',
      type: 'number',
      default: 1,
      typeOptions: { minValue: 1 },
      description: 'Most messages of one partition given to one execution (one item each)',
    },
    {
      displayName: 'Batch Window (Ms)',
      name: 'batchWindowMs',
      type: 'number',
      default: 500,
      typeOptions: { minValue: 1 },
      description: 'How long a fetch may wait for more messages before a smaller batch starts an execution',
    },
    {
      displayName: 'Binary Property',
      name: 'binaryPropertyName',
      type: 'string',
      default: 'data',
      description: 'Binary property for the value when Value Format is Binary',
    },
    {
      displayName: 'Close Grace Period (Ms)',
      name: 'closeGraceMs',
      type: 'number',
      default: 30000,
      description: 'When the workflow is deactivated, how long running executions may finish so their offsets are committed',
    },
    {
      displayName: 'Dead-Letter Topic',
      name: 'deadLetterTopic',
      type: 'string',
      default: '',
      description:
        'Topic that receives a message whose execution failed Max Attempts times, with its key, value, headers and the error; empty keeps retrying instead',
    },
    {
      displayName: 'Group Protocol',
      name: 'groupProtocol',
      type: 'options',
      default: 'classic',
      options: [
        { name: 'Classic', value: 'classic' },
        { name: 'Consumer (KIP-848, Kafka 4.0+)', value: 'consumer' },
      ],
      description:
        'Consumer: the broker assigns partitions and a rebalance moves only the partitions that change owner, so other members keep running (needs Kafka 4.0+ and the default client library). The group keeps the protocol it was created with while it has members; Session Timeout is then the broker\'s group.consumer.session.timeout.ms. Not for the Share Group delivery mode.',
    },
    {
      displayName: 'Isolate Failing Messages',
      name: 'bisectFailures',
      type: 'boolean',
      default: false,
      description:
        'Whether a failed batch is split in halves, run as separate executions down to single messages, so only the failing message is retried and dead-lettered; costs extra executions on failures only',
    },
    {
      displayName: 'Key Binary Property',
      name: 'keyBinaryPropertyName',
      type: 'string',
      default: 'key',
      description: 'Binary property for the key when Key Format is Binary',
    },
    {
      displayName: 'Logical Types (Avro)',
      name: 'logicalTypes',
      type: 'options',
      default: 'natural',
      options: [
        { name: 'Natural JSON (ISO Timestamps, YYYY-MM-DD Dates, Decimal Strings)', value: 'natural' },
        { name: 'Raw (Numbers and Bytes as Encoded)', value: 'raw' },
      ],
      description: 'How Avro logical types appear in the output; the Producer accepts both forms',
    },
    {
      displayName: 'Max Attempts',
      name: 'maxAttempts',
      type: 'number',
      default: 3,
      typeOptions: { minValue: 1 },
      description: 'Executions per message (first try included) before it goes to the dead-letter topic',
    },
    {
      displayName: 'Max Bytes per Partition',
      name: 'maxBytesPerPartition',
      type: 'number',
      default: 1048576,
      description: 'Largest fetch per partition; bounds the memory a backlog can take',
    },
    {
      displayName: 'Parallel Partitions',
      name: 'concurrency',
      type: 'number',
      default: 1,
      typeOptions: { minValue: 1 },
      description: 'How many partitions run executions at the same time; order within a partition is always kept',
    },
    {
      displayName: 'Raw Headers',
      name: 'rawHeaders',
      type: 'boolean',
      default: false,
      description: 'Whether to add headersRaw with the header bytes as base64, next to the decoded text',
    },
    {
      displayName: 'Retry Initial Delay (Ms)',
      name: 'retryInitialMs',
      type: 'number',
      default: 1000,
      description: 'Wait before the second attempt; doubles each attempt. The partition is paused while it waits.',
    },
    {
      displayName: 'Retry Max Delay (Ms)',
      name: 'retryMaxMs',
      type: 'number',
      default: 60000,
    },
    {
      displayName: 'Session Timeout (Ms)',
      name: 'sessionTimeout',
      type: 'number',
      default: 10000,
      description:
        'How long the group waits for a member that stopped heartbeating (n8n killed, host lost) before its partitions move; heartbeats go every 3 s, also while an execution runs',
    },
    {
      displayName: 'Undecodable Messages',
      name: 'undecodable',
      type: 'options',
      default: 'emit',
      options: [
        { name: 'Deliver With decodeError and the Raw Bytes', value: 'emit' },
        { name: 'Send to the Dead-Letter Topic', value: 'deadLetter' },
      ],
      description: 'What happens to a message whose key or value cannot be decoded; it never stops its partition',
    },
  ]),
];

export const versionDescription = (base: INodeTypeBaseDescription): INodeTypeDescription => ({
  ...base,
  version: 1,
  subtitle: '={{$parameter["topics"] || $parameter["topicPattern"]}}',
  defaults: { name: 'Kafka Suite Trigger' },
  inputs: [],
  outputs: ['main'],
  credentials: [
    { name: 'kafkaSuiteClusterApi', required: true, testedBy: 'kafkaSuiteClusterConnectionTest' },
    {
      name: 'kafkaSuiteSchemaRegistryApi',
      required: true,
      testedBy: 'kafkaSuiteSchemaRegistryConnectionTest',
      displayOptions: { show: { valueFormat: ['schemaRegistry'] } },
    },
  ],
  properties,
});
