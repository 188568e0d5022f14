// The connector catalog's own rules (config building, secrets). That each template's config is one
// the real worker accepts is proven in test/e2e/cdc-postgres.test.ts against a Connect worker with
// the Debezium and MirrorMaker plugins.
import type { INodeProperties } from 'n8n-workflow';
import { scrubSecrets } from '../../nodes/shared';
import { CONNECTOR_CATALOG, buildCatalogConfig, catalogEntry, catalogParameterName, redactCatalogConfig } from '../../nodes/shared/connect/catalog';
import { description as createFromTemplate } from '../../nodes/KafkaSuiteAdmin/v1/actions/connector/createFromTemplate.operation';

describe('connector catalog', () => {
  test('covers the connectors the issue names, each with a unique id, class and parameter names', () => {
    expect(CONNECTOR_CATALOG.map((e) => e.connectorClass)).toEqual(
      expect.arrayContaining([
        'io.debezium.connector.postgresql.PostgresConnector',
        'io.debezium.connector.jdbc.JdbcSinkConnector',
        'io.confluent.connect.s3.S3SinkConnector',
        'org.apache.kafka.connect.mirror.MirrorSourceConnector',
        'org.apache.kafka.connect.mirror.MirrorCheckpointConnector',
        'org.apache.kafka.connect.mirror.MirrorHeartbeatConnector',
        'org.apache.kafka.connect.file.FileStreamSourceConnector',
        'org.apache.kafka.connect.file.FileStreamSinkConnector',
      ]),
    );
    expect(new Set(CONNECTOR_CATALOG.map((e) => e.id)).size).toBe(CONNECTOR_CATALOG.length);
    const parameters = CONNECTOR_CATALOG.flatMap((e) => e.fields.map((f) => catalogParameterName(e, f)));
    expect(new Set(parameters).size).toBe(parameters.length);
    for (const p of parameters) expect(p).toMatch(/^[A-Za-z0-9_]+$/);
  });

  test('the node shows each template field only for its template; secrets are password fields', () => {
    const byName = new Map(createFromTemplate.map((p: INodeProperties) => [p.name, p]));
    for (const entry of CONNECTOR_CATALOG) {
      for (const field of entry.fields) {
        const p = byName.get(catalogParameterName(entry, field))!;
        expect(p.displayOptions?.show).toEqual({ resource: ['connector'], operation: ['createFromTemplate'], template: [entry.id] });
        expect(Boolean(p.typeOptions?.password)).toBe(Boolean(field.secret));
        expect(p.required).toBe(field.required);
      }
    }
    expect(catalogEntry('debeziumPostgres').fields.filter((f) => f.secret).map((f) => f.key)).toEqual(['database.password']);
  });

  test('missing required fields are named together; defaults fill the rest; presets come first, extra config last', () => {
    const pg = catalogEntry('debeziumPostgres');
    expect(() => buildCatalogConfig(pg, { 'database.hostname': 'db' })).toThrow(
      'Debezium PostgreSQL Source (CDC) needs: Database User, Database Password, Database Name, Topic Prefix',
    );
    const config = buildCatalogConfig(
      pg,
      { 'database.hostname': ' db ', 'database.user': 'cdc', 'database.password': '${file:/s.properties:pw}', 'database.dbname': 'shop', 'topic.prefix': 'pg' },
      { 'snapshot.mode': 'no_data', 'heartbeat.interval.ms': '10000' },
    );
    expect(config).toMatchObject({
      'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
      'database.hostname': 'db',
      'database.port': '5432',
      'slot.name': 'debezium',
      'plugin.name': 'pgoutput',
      'snapshot.mode': 'no_data',
      'heartbeat.interval.ms': '10000',
      'value.converter.schemas.enable': 'false',
      'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
    });
    expect(config).not.toHaveProperty('table.include.list');
    expect(() => buildCatalogConfig(catalogEntry('fileSink'), { topics: 't', file: '/tmp/f' }, { 'connector.class': 'x.Y' })).toThrow('cannot change the connector class');
  });

  test('secret values are masked in shown configs and scrubbed from messages; config-provider references stay visible', () => {
    const pg = catalogEntry('debeziumPostgres');
    const password = 'pg-Secret-4711';
    const config = buildCatalogConfig(pg, { 'database.hostname': 'db', 'database.user': 'cdc', 'database.password': password, 'database.dbname': 'shop', 'topic.prefix': 'pg' });
    expect(config['database.password']).toBe(password);
    expect(redactCatalogConfig(pg, config)['database.password']).toBe('***');
    expect(scrubSecrets(`validation failed for ${password}`)).toBe('validation failed for ***');
    const ref = '${file:/etc/kafka-connect/secrets.properties:password}';
    expect(redactCatalogConfig(pg, { ...config, 'database.password': ref })['database.password']).toBe(ref);
    // Keys that look secret are masked even without a catalog entry (configs of other connectors).
    expect(redactCatalogConfig(undefined, { 'connection.password': 'x1234', topics: 'a' })).toEqual({ 'connection.password': '***', topics: 'a' });
  });
});
