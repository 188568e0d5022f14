import { KafkaSuiteError } from '../errors';
import { registerSecret } from '../secrets';

/**
 * Ready connector configs: what a user must fill in, what we preset and why. The Admin node's
 * "Create From Catalog" turns an entry plus the user's values into a config, has the worker
 * validate it and only then creates it. Presets favour what an n8n workflow can read directly:
 * JSON without the schema envelope, Debezium rows flattened, decimals as text.
 */
export interface CatalogField {
  /** Connect config key. */
  key: string;
  displayName: string;
  description: string;
  required: boolean;
  default?: string;
  placeholder?: string;
  /** Passwords and keys: hidden in the editor, never echoed in output or messages. */
  secret?: boolean;
}

export interface CatalogEntry {
  id: string;
  name: string;
  description: string;
  connectorClass: string;
  type: 'source' | 'sink';
  /** Where the plugin comes from when the worker does not have it. */
  plugin: string;
  fields: CatalogField[];
  preset: Record<string, string>;
}

const secretHint = 'Prefer a worker config-provider reference such as ${file:/etc/kafka-connect/secrets.properties:password}: the worker resolves it and the value never enters n8n or the connector config.';

const JSON_VALUES_PLAIN = {
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'key.converter.schemas.enable': 'false',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter.schemas.enable': 'false',
};

// Source connectors create their topics through the worker (KIP-158) with the broker's default
// partitions and replication, so they also work where the brokers do not auto-create topics.
const CREATE_TOPICS = { 'topic.creation.default.partitions': '-1', 'topic.creation.default.replication.factor': '-1' };

const mirrorClusters: CatalogField[] = [
  { key: 'source.cluster.alias', displayName: 'Source Cluster Alias', description: 'Short name of the source cluster; prefixes replicated topic names (e.g. primary.orders)', required: true, placeholder: 'primary' },
  { key: 'source.cluster.bootstrap.servers', displayName: 'Source Bootstrap Servers', description: 'Brokers of the cluster to copy from', required: true, placeholder: 'primary-kafka:9092' },
  { key: 'target.cluster.alias', displayName: 'Target Cluster Alias', description: 'Short name of the target cluster', required: true, placeholder: 'backup' },
  { key: 'target.cluster.bootstrap.servers', displayName: 'Target Bootstrap Servers', description: 'Brokers of the cluster to copy to', required: true, placeholder: 'backup-kafka:9092' },
];
const BYTES = {
  'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
  'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
};

export const CONNECTOR_CATALOG: readonly CatalogEntry[] = [
  {
    id: 'debeziumPostgres',
    name: 'Debezium PostgreSQL Source (CDC)',
    description: 'Streams inserts, updates and deletes of PostgreSQL tables to one topic per table (<prefix>.<schema>.<table>), one flat JSON row per change',
    connectorClass: 'io.debezium.connector.postgresql.PostgresConnector',
    type: 'source',
    plugin: 'Maven Central io.debezium:debezium-connector-postgres (3.0.x for Kafka Connect 3.8/3.9, Java 17); PostgreSQL needs wal_level=logical',
    fields: [
      { key: 'database.hostname', displayName: 'Database Host', description: 'Host of the PostgreSQL server, as the Connect worker reaches it', required: true, placeholder: 'db.internal' },
      { key: 'database.port', displayName: 'Database Port', description: 'Port of the PostgreSQL server', required: true, default: '5432' },
      { key: 'database.user', displayName: 'Database User', description: 'A user with the REPLICATION attribute and SELECT on the tables (and CREATE on the database, to create the publication)', required: true, placeholder: 'debezium' },
      { key: 'database.password', displayName: 'Database Password', description: `Password of the database user. ${secretHint}`, required: true, secret: true },
      { key: 'database.dbname', displayName: 'Database Name', description: 'The database to capture', required: true, placeholder: 'shop' },
      { key: 'topic.prefix', displayName: 'Topic Prefix', description: 'Prefix of the change topics: changes of public.orders go to <prefix>.public.orders', required: true, placeholder: 'pg' },
      { key: 'table.include.list', displayName: 'Tables', description: 'Comma-separated schema.table names (regular expressions) to capture; empty captures every table', required: false, placeholder: 'public.orders' },
      { key: 'slot.name', displayName: 'Replication Slot', description: 'Logical replication slot this connector owns (one per connector)', required: true, default: 'debezium' },
      { key: 'publication.name', displayName: 'Publication', description: 'Publication pgoutput reads; created for the captured tables when missing', required: true, default: 'dbz_publication' },
    ],
    preset: {
      'tasks.max': '1',
      // pgoutput is built into PostgreSQL 10+: no server plugin to install.
      'plugin.name': 'pgoutput',
      'publication.autocreate.mode': 'filtered',
      'snapshot.mode': 'initial',
      ...CREATE_TOPICS,
      // Decimals as text instead of base64-encoded unscaled bytes.
      'decimal.handling.mode': 'string',
      ...JSON_VALUES_PLAIN,
      // One flat row per change (the row after the change, or before it for deletes) with the
      // operation and table beside it, instead of Debezium's before/after/source envelope; deletes
      // come as rows with __deleted = "true" rather than an empty tombstone.
      transforms: 'unwrap',
      'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
      'transforms.unwrap.add.fields': 'op,table,lsn,source.ts_ms',
      'transforms.unwrap.delete.tombstone.handling.mode': 'rewrite',
    },
  },
  {
    id: 'jdbcSink',
    name: 'JDBC Sink (Debezium)',
    description: 'Writes topics into tables of a JDBC database (PostgreSQL, MySQL, SQL Server, Oracle, Db2), upserting by key',
    connectorClass: 'io.debezium.connector.jdbc.JdbcSinkConnector',
    type: 'sink',
    plugin: 'Debezium JDBC sink plugin archive (debezium-connector-jdbc-<version>-plugin.tar.gz from Maven Central or debezium.io)',
    fields: [
      { key: 'topics', displayName: 'Topics', description: 'Comma-separated topics to write; each goes to a table named after it', required: true, placeholder: 'orders' },
      { key: 'connection.url', displayName: 'JDBC URL', description: 'JDBC URL of the target database', required: true, placeholder: 'jdbc:postgresql://db.internal:5432/warehouse' },
      { key: 'connection.username', displayName: 'Database User', description: 'User that writes (and, with schema evolution, creates) the tables', required: true },
      { key: 'connection.password', displayName: 'Database Password', description: `Password of the database user. ${secretHint}`, required: true, secret: true },
      { key: 'primary.key.fields', displayName: 'Primary Key Fields', description: 'Comma-separated fields of the record key forming the primary key; empty uses every key field', required: false },
    ],
    preset: {
      'tasks.max': '1',
      'insert.mode': 'upsert',
      'delete.enabled': 'true',
      'primary.key.mode': 'record_key',
      'schema.evolution': 'basic',
      // The sink needs typed records: JSON with the schema envelope.
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'true',
      'value.converter.schemas.enable': 'true',
    },
  },
  {
    id: 's3Sink',
    name: 'Amazon S3 Sink (Confluent)',
    description: 'Archives topics to S3 as JSON files, one object per partition and flush',
    connectorClass: 'io.confluent.connect.s3.S3SinkConnector',
    type: 'sink',
    plugin: 'Confluent Hub confluentinc/kafka-connect-s3 (Confluent Community License; not on Maven Central)',
    fields: [
      { key: 'topics', displayName: 'Topics', description: 'Comma-separated topics to archive', required: true, placeholder: 'orders' },
      { key: 's3.bucket.name', displayName: 'Bucket', description: 'S3 bucket to write to', required: true, placeholder: 'my-kafka-archive' },
      { key: 's3.region', displayName: 'Region', description: 'AWS region of the bucket', required: true, default: 'us-east-1' },
      { key: 'flush.size', displayName: 'Records per File', description: 'Records written to one S3 object before it is committed', required: true, default: '1000' },
      { key: 'aws.access.key.id', displayName: 'Access Key ID', description: "Leave empty to use the worker's AWS credential chain (instance role)", required: false },
      { key: 'aws.secret.access.key', displayName: 'Secret Access Key', description: `Leave empty to use the worker's AWS credential chain. ${secretHint}`, required: false, secret: true },
    ],
    preset: {
      'tasks.max': '1',
      'storage.class': 'io.confluent.connect.s3.storage.S3Storage',
      'format.class': 'io.confluent.connect.s3.format.json.JsonFormat',
      'partitioner.class': 'io.confluent.connect.storage.partitioner.DefaultPartitioner',
      ...JSON_VALUES_PLAIN,
    },
  },
  {
    id: 'mirrorSource',
    name: 'MirrorMaker 2 Source',
    description: 'Replicates topics (data, partitions, configs) from a source cluster into the cluster of this Connect worker',
    connectorClass: 'org.apache.kafka.connect.mirror.MirrorSourceConnector',
    type: 'source',
    plugin: 'Maven Central org.apache.kafka:connect-mirror and connect-mirror-client (ship with Apache Kafka)',
    fields: [
      ...mirrorClusters,
      { key: 'topics', displayName: 'Topics', description: 'Topics to replicate: comma-separated names or regular expressions', required: true, default: '.*' },
      { key: 'replication.factor', displayName: 'Replication Factor', description: 'Replication factor of the replicated topics on the target', required: true, default: '3' },
    ],
    preset: { 'tasks.max': '1', 'sync.topic.acls.enabled': 'false', ...BYTES },
  },
  {
    id: 'mirrorCheckpoint',
    name: 'MirrorMaker 2 Checkpoint',
    description: 'Translates consumer group offsets to the target cluster, so consumers can fail over to it',
    connectorClass: 'org.apache.kafka.connect.mirror.MirrorCheckpointConnector',
    type: 'source',
    plugin: 'Maven Central org.apache.kafka:connect-mirror and connect-mirror-client (ship with Apache Kafka)',
    fields: [
      ...mirrorClusters,
      { key: 'groups', displayName: 'Consumer Groups', description: 'Groups whose offsets are translated: comma-separated names or regular expressions', required: true, default: '.*' },
    ],
    preset: { 'tasks.max': '1', 'sync.group.offsets.enabled': 'true', 'emit.checkpoints.interval.seconds': '60', ...BYTES },
  },
  {
    id: 'mirrorHeartbeat',
    name: 'MirrorMaker 2 Heartbeat',
    description: 'Emits heartbeats so replication between the two clusters can be monitored end to end',
    connectorClass: 'org.apache.kafka.connect.mirror.MirrorHeartbeatConnector',
    type: 'source',
    plugin: 'Maven Central org.apache.kafka:connect-mirror and connect-mirror-client (ship with Apache Kafka)',
    fields: [...mirrorClusters],
    preset: { 'tasks.max': '1', 'emit.heartbeats.interval.seconds': '5', ...BYTES },
  },
  {
    id: 'fileSource',
    name: 'FileStream Source',
    description: 'Reads lines of a file on the Connect worker into a topic (demos and tests)',
    connectorClass: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    type: 'source',
    plugin: 'Maven Central org.apache.kafka:connect-file (ships with Apache Kafka)',
    fields: [
      { key: 'file', displayName: 'File', description: 'Path of the file on the Connect worker', required: true, placeholder: '/tmp/orders.txt' },
      { key: 'topic', displayName: 'Topic', description: 'Topic the lines are written to', required: true, placeholder: 'orders' },
    ],
    preset: { 'tasks.max': '1', ...CREATE_TOPICS, 'key.converter': 'org.apache.kafka.connect.storage.StringConverter', 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' },
  },
  {
    id: 'fileSink',
    name: 'FileStream Sink',
    description: 'Appends the records of topics to a file on the Connect worker (demos and tests)',
    connectorClass: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    type: 'sink',
    plugin: 'Maven Central org.apache.kafka:connect-file (ships with Apache Kafka)',
    fields: [
      { key: 'topics', displayName: 'Topics', description: 'Comma-separated topics to write', required: true, placeholder: 'orders' },
      { key: 'file', displayName: 'File', description: 'Path of the file on the Connect worker', required: true, placeholder: '/tmp/orders.txt' },
    ],
    preset: { 'tasks.max': '1', 'key.converter': 'org.apache.kafka.connect.storage.StringConverter', 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' },
  },
];

export function catalogEntry(id: string): CatalogEntry {
  const entry = CONNECTOR_CATALOG.find((e) => e.id === id);
  if (!entry) {
    throw new KafkaSuiteError(`"${id}" is not in the connector catalog (known: ${CONNECTOR_CATALOG.map((e) => e.id).join(', ')})`, { kind: 'config', context: { field: 'template' } });
  }
  return entry;
}

/** n8n parameter name of a catalog field (dots would read as nested paths). */
export const catalogParameterName = (entry: CatalogEntry, field: CatalogField): string => `${entry.id}_${field.key.replace(/[^A-Za-z0-9]+/g, '_')}`;

const isReference = (value: string): boolean => /^\$\{[^}]+\}$/.test(value.trim());

/**
 * The config for an entry: preset, then the user's field values, then extra keys (which may
 * override presets, never the connector class). Missing required fields are one error naming all
 * of them. Secret values are registered for scrubbing unless they are config-provider references.
 */
export function buildCatalogConfig(
  entry: CatalogEntry,
  values: Record<string, string | undefined>,
  extra: Record<string, string> = {},
): Record<string, string> {
  const config: Record<string, string> = { 'connector.class': entry.connectorClass, ...entry.preset };
  const missing: string[] = [];
  for (const field of entry.fields) {
    const raw = values[field.key];
    const value = raw === undefined || raw === '' ? field.default : String(raw).trim();
    if (value === undefined || value === '') {
      if (field.required) missing.push(field.displayName);
      continue;
    }
    if (field.secret && !isReference(value)) registerSecret(value);
    config[field.key] = value;
  }
  if (missing.length) {
    throw new KafkaSuiteError(`${entry.name} needs: ${missing.join(', ')}`, { kind: 'config', context: { field: 'template' } });
  }
  for (const [key, value] of Object.entries(extra)) {
    if (key === 'connector.class' && value !== entry.connectorClass) {
      throw new KafkaSuiteError(`Extra config cannot change the connector class of "${entry.name}" (${entry.connectorClass})`, { kind: 'config', context: { field: 'extraConfig' } });
    }
    config[key] = value;
  }
  return config;
}

/** The config as it may be shown: secret values masked, config-provider references kept. */
export function redactCatalogConfig(entry: CatalogEntry | undefined, config: Record<string, string>): Record<string, string> {
  const secretKeys = new Set([...(entry?.fields ?? []).filter((f) => f.secret).map((f) => f.key)]);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    const secret = secretKeys.has(key) || /password|secret|sasl\.jaas\.config/i.test(key);
    out[key] = secret && !isReference(value) ? '***' : value;
  }
  return out;
}
