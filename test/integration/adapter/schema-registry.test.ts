import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KafkaSuiteError, SchemaRegistryClient, testSchemaRegistryConnection, type SchemaFormat, type SubjectStrategy } from '../../../nodes/shared';
import { facts } from '../../setup/facts';

// Values round-trip through the real registry (Apicurio's Confluent-compatible API) in the
// Confluent wire format, under each subject naming strategy; bad values name the offending field.

const unique = () => randomUUID().slice(0, 8);

function schemasFor(suffix: string): Record<SchemaFormat, { schema: string; value: object; bad: object; badField: RegExp; recordName: string }> {
  return {
    AVRO: {
      schema: JSON.stringify({
        type: 'record',
        name: `Order${suffix}`,
        namespace: 'com.example',
        fields: [
          { name: 'id', type: 'string' },
          { name: 'amount', type: 'double' },
          { name: 'tags', type: { type: 'array', items: 'string' } },
        ],
      }),
      value: { id: 'o-1', amount: 12.5, tags: ['a', 'b'] },
      bad: { id: 'o-1', amount: 'twelve', tags: [] },
      badField: /amount/,
      recordName: `com.example.Order${suffix}`,
    },
    PROTOBUF: {
      schema: `syntax = "proto3";\npackage com.example;\nmessage Order${suffix} {\n  string id = 1;\n  double amount = 2;\n  repeated string tags = 3;\n}\nmessage Refund${suffix} {\n  string order_id = 1;\n}\n`,
      value: { id: 'o-1', amount: 12.5, tags: ['a', 'b'] },
      bad: { id: 'o-1', amount: 'twelve', tags: [] },
      badField: /amount/,
      recordName: `com.example.Order${suffix}`,
    },
    JSON: {
      schema: JSON.stringify({
        $schema: 'http://json-schema.org/draft-07/schema#',
        title: `Order${suffix}`,
        type: 'object',
        properties: { id: { type: 'string' }, amount: { type: 'number' }, tags: { type: 'array', items: { type: 'string' } } },
        required: ['id', 'amount'],
      }),
      value: { id: 'o-1', amount: 12.5, tags: ['a', 'b'] },
      bad: { id: 'o-1', amount: 'twelve', tags: [] },
      badField: /amount/,
      recordName: `Order${suffix}`,
    },
  };
}

const formats: SchemaFormat[] = ['AVRO', 'PROTOBUF', 'JSON'];
const strategies: SubjectStrategy[] = ['topicName', 'recordName', 'topicRecordName'];
const client = () => new SchemaRegistryClient({ url: facts.schemaRegistryUrl });

describe.each(formats)('%s', (format) => {
  it.each(strategies)('round-trips under the %s strategy, registering the schema under the right subject', async (strategy) => {
    const suffix = unique();
    const topic = `orders-${suffix}`;
    const { schema, value, recordName } = schemasFor(suffix)[format];
    const registry = client();
    const encoded = await registry.encode({ value, format, topic, strategy, schema, autoRegister: true });
    const expectedSubject = { topicName: `${topic}-value`, recordName, topicRecordName: `${topic}-${recordName}` }[strategy];
    expect(encoded.subject).toBe(expectedSubject);
    expect(encoded.buffer[0]).toBe(0);
    expect(encoded.buffer.readInt32BE(1)).toBe(encoded.schemaId);
    expect(await registry.listSubjects()).toContain(expectedSubject);

    // A fresh client (no caches) decodes it, as a consumer in another process would.
    const decoded = await client().decode(encoded.buffer);
    expect(decoded).toMatchObject({ schemaId: encoded.schemaId, schemaType: format, value });
  });

  it('encodes with the latest registered version when no schema text is given', async () => {
    const suffix = unique();
    const topic = `latest-${suffix}`;
    const { schema, value } = schemasFor(suffix)[format];
    const registry = client();
    const { id } = await registry.register(`${topic}-value`, format, schema);
    const encoded = await client().encode({ value, format, topic, version: 'latest' });
    expect(encoded.schemaId).toBe(id);
    expect((await registry.decode(encoded.buffer)).value).toEqual(value);
  });

  it('rejects a value that does not match, naming the field, and registers nothing new', async () => {
    const suffix = unique();
    const topic = `bad-${suffix}`;
    const { schema, bad, badField } = schemasFor(suffix)[format];
    const registry = client();
    await registry.register(`${topic}-value`, format, schema);
    const failure = await registry.encode({ value: bad, format, topic, schema, autoRegister: false }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(KafkaSuiteError);
    expect((failure as KafkaSuiteError).kind).toBe('serialization');
    expect((failure as KafkaSuiteError).message).toMatch(badField);
    expect((failure as KafkaSuiteError).message).toContain(`${topic}-value`);
    expect(await registry.listVersions(`${topic}-value`)).toEqual([1]);
  });
});

describe('Protobuf wire format', () => {
  it('writes Confluent message indexes: 0 for the first message, [1] for the second', async () => {
    const suffix = unique();
    const topic = `proto-${suffix}`;
    const { schema } = schemasFor(suffix).PROTOBUF;
    const registry = client();
    const first = await registry.encode({ value: { id: 'x' }, format: 'PROTOBUF', topic, schema, autoRegister: true });
    // magic(1) + id(4), then the single 0 byte Confluent writes for message [0]
    expect(first.buffer[5]).toBe(0);
    const second = await registry.encode({
      value: { orderId: 'o-9' },
      format: 'PROTOBUF',
      topic,
      schema,
      autoRegister: true,
      messageName: `Refund${suffix}`,
    });
    // count 1 (zigzag 2), index 1 (zigzag 2)
    expect([...second.buffer.subarray(5, 7)]).toEqual([2, 2]);
    const decoded = await client().decode(second.buffer);
    expect(decoded.value).toEqual({ orderId: 'o-9' });
  });

  it('refuses bytes that are not in the wire format', async () => {
    await expect(client().decode(Buffer.from('{"plain":"json"}'))).rejects.toThrow(/not in the Confluent wire format/);
  });
});

describe('registry errors', () => {
  it('says when auto-register is off and the schema is unknown', async () => {
    const suffix = unique();
    const { schema, value } = schemasFor(suffix).AVRO;
    await expect(client().encode({ value, format: 'AVRO', topic: `unregistered-${suffix}`, schema, autoRegister: false })).rejects.toThrow(
      /not registered under subject "unregistered-.*-value" and auto-register is off/,
    );
  });

  it('reports an unreachable registry as a connection error', async () => {
    const registry = new SchemaRegistryClient({ url: 'http://127.0.0.1:1/apis/ccompat/v7', timeoutMs: 2000 });
    const failure = await registry.listSubjects().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failure as KafkaSuiteError).kind).toBe('tcp');
  });
});

describe('registry credential test', () => {
  it('connects to the real registry', async () => {
    const result = await testSchemaRegistryConnection({ url: facts.schemaRegistryUrl });
    expect(result.ok).toBe(true);
    expect(result.message).toMatch(/Connected to the Schema Registry \(\d+ subject\(s\)\)/);
  });

  it('names TCP and authentication failures', async () => {
    const tcp = await testSchemaRegistryConnection({ url: 'http://127.0.0.1:1/apis/ccompat/v7' }, 3000);
    expect(tcp).toMatchObject({ ok: false, stage: 'TCP' });

    // A registry behind basic auth that refuses the key: a loopback server answering like Confluent Cloud does.
    const server = http.createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error_code":401,"message":"Unauthorized"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const auth = await testSchemaRegistryConnection({ url, authType: 'basic', username: 'key', password: 'registry-secret-value' }, 3000);
      expect(auth).toMatchObject({ ok: false, stage: 'authentication' });
      expect(auth.message).toMatch(/HTTP 401/);
      expect(auth.message).not.toContain('registry-secret-value');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
