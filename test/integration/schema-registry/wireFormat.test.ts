import { clientPool } from '../../../nodes/shared';
import { avroRecord, json, run1, runNode, unique } from './harness';

const ORDER = avroRecord('Order', [
  { name: 'id', type: 'string' },
  { name: 'amount', type: 'double' },
]);

describe('Kafka Schema Registry node: wire format', () => {
  const topic = unique('orders');
  let schemaId: number;

  beforeAll(async () => {
    ({ id: schemaId } = await run1({ resource: 'schema', operation: 'register', subject: `${topic}-value`, schemaType: 'AVRO', schema: ORDER, references: {} }));
  });

  afterAll(async () => {
    await clientPool.closeAll();
  });

  it('serializes an item into the Confluent wire format and deserializes it back (Avro, latest version)', async () => {
    const [serialized] = json(
      await runNode(
        { resource: 'wireFormat', operation: 'serialize', value: { id: 'o-1', amount: 12.5 }, format: 'AVRO', subjectStrategy: 'topicName', topic, part: 'value', schemaSource: 'latest', output: 'field', outputField: 'data' },
        { items: [{ json: { keep: true } }] },
      ),
    );
    expect(serialized).toMatchObject({ keep: true, wireFormat: { schemaId, subject: `${topic}-value`, format: 'AVRO' } });
    const bytes = Buffer.from(serialized.data, 'base64');
    expect(bytes[0]).toBe(0);
    expect(bytes.readInt32BE(1)).toBe(schemaId);

    const [decoded] = json(await runNode({ resource: 'wireFormat', operation: 'deserialize', input: 'field', inputField: 'data', outputField: 'order' }, { items: [{ json: serialized }] }));
    expect(decoded.order).toEqual({ id: 'o-1', amount: 12.5 });
    expect(decoded.wireFormat).toMatchObject({ schemaId, schemaType: 'AVRO' });
  });

  it('uses binary properties both ways and takes the value from JSON text', async () => {
    const [out] = await runNode({
      resource: 'wireFormat',
      operation: 'serialize',
      value: '{"id":"o-2","amount":1}',
      format: 'AVRO',
      subjectStrategy: 'topicName',
      topic,
      part: 'value',
      schemaSource: 'version',
      version: 1,
      output: 'binary',
      binaryProperty: 'payload',
    });
    expect(out.binary?.payload).toBeDefined();
    const [decoded] = json(await runNode({ resource: 'wireFormat', operation: 'deserialize', input: 'binary', binaryProperty: 'payload', outputField: 'value' }, { items: [out] }));
    expect(decoded.value).toEqual({ id: 'o-2', amount: 1 });
  });

  it('round-trips JSON Schema and Protobuf with schema text and auto-register', async () => {
    const jsonSchema = JSON.stringify({ title: 'Sku', type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] });
    const [j] = json(
      await runNode({ resource: 'wireFormat', operation: 'serialize', value: { sku: 'A-1' }, format: 'JSON', subjectStrategy: 'topicName', topic, part: 'key', schemaSource: 'text', schema: jsonSchema, autoRegister: true, output: 'field', outputField: 'data' }),
    );
    expect(j.wireFormat.subject).toBe(`${topic}-key`);
    const [jd] = json(await runNode({ resource: 'wireFormat', operation: 'deserialize', input: 'field', inputField: 'data', outputField: 'value' }, { items: [{ json: j }] }));
    expect(jd.value).toEqual({ sku: 'A-1' });

    const proto = 'syntax = "proto3";\npackage shop;\nmessage Item {\n  string sku = 1;\n  int32 quantity = 2;\n}\n';
    const [p] = json(
      await runNode({ resource: 'wireFormat', operation: 'serialize', value: { sku: 'B-2', quantity: 3 }, format: 'PROTOBUF', subjectStrategy: 'recordName', schemaSource: 'text', schema: proto, autoRegister: true, messageName: '', output: 'field', outputField: 'data' }),
    );
    expect(p.wireFormat.subject).toBe('shop.Item');
    const [pd] = json(await runNode({ resource: 'wireFormat', operation: 'deserialize', input: 'field', inputField: 'data', outputField: 'value' }, { items: [{ json: p }] }));
    expect(pd.value).toEqual({ sku: 'B-2', quantity: 3 });
    expect(pd.wireFormat.schemaType).toBe('PROTOBUF');
  });

  it('names the offending field when a value does not fit, and rejects bytes that are not wire format', async () => {
    await expect(
      runNode({ resource: 'wireFormat', operation: 'serialize', value: { id: 'o-3', amount: 'lots' }, format: 'AVRO', subjectStrategy: 'topicName', topic, part: 'value', schemaSource: 'latest', output: 'field', outputField: 'data' }),
    ).rejects.toThrow(/does not match the AVRO schema of subject ".*-value".*amount/);
    await expect(runNode({ resource: 'wireFormat', operation: 'deserialize', input: 'field', inputField: 'data', outputField: 'value' }, { items: [{ json: { data: Buffer.from('hello').toString('base64') } }] })).rejects.toThrow(
      /magic byte|wire format|not a Confluent/i,
    );
    await expect(runNode({ resource: 'wireFormat', operation: 'deserialize', input: 'field', inputField: 'missing', outputField: 'value' })).rejects.toThrow('Input item has no field "missing"');
    await expect(
      runNode({ resource: 'wireFormat', operation: 'serialize', value: { id: 'x', amount: 1 }, format: 'AVRO', subjectStrategy: 'topicName', topic: unique('no-subject'), part: 'value', schemaSource: 'latest', output: 'field', outputField: 'data' }),
    ).rejects.toThrow(/HTTP 404 \(error 40401\)/);
  });
});
