import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import type { SchemaFormat, SubjectStrategy } from '../../../../shared';
import { SCHEMA_TYPES, configError, registryClient } from '../../helpers/registry';

const properties: INodeProperties[] = [
  {
    displayName: 'Value',
    name: 'value',
    type: 'json',
    default: '={{ $json }}',
    description: 'The value to encode; by default the whole input item',
  },
  { displayName: 'Format', name: 'format', type: 'options', default: 'AVRO', options: SCHEMA_TYPES },
  {
    displayName: 'Subject Strategy',
    name: 'subjectStrategy',
    type: 'options',
    default: 'topicName',
    options: [
      { name: 'Topic Name (<Topic>-Value / -Key)', value: 'topicName' },
      { name: 'Record Name', value: 'recordName' },
      { name: 'Topic + Record Name', value: 'topicRecordName' },
    ],
  },
  {
    displayName: 'Topic',
    name: 'topic',
    type: 'string',
    default: '',
    description: 'Topic the value is meant for; names the subject under the topic strategies',
    displayOptions: { show: { subjectStrategy: ['topicName', 'topicRecordName'] } },
  },
  {
    displayName: 'Part',
    name: 'part',
    type: 'options',
    default: 'value',
    options: [
      { name: 'Value', value: 'value' },
      { name: 'Key', value: 'key' },
    ],
    displayOptions: { show: { subjectStrategy: ['topicName'] } },
  },
  {
    displayName: 'Schema Source',
    name: 'schemaSource',
    type: 'options',
    default: 'latest',
    options: [
      { name: 'Latest Registered Version', value: 'latest' },
      { name: 'Specific Registered Version', value: 'version' },
      { name: 'Schema Text', value: 'text', description: 'Look the schema up by its text, or register it' },
    ],
  },
  { displayName: 'Version', name: 'version', type: 'number', typeOptions: { minValue: 1 }, default: 1, displayOptions: { show: { schemaSource: ['version'] } } },
  {
    displayName: 'Schema',
    name: 'schema',
    type: 'string',
    typeOptions: { rows: 6 },
    default: '',
    displayOptions: { show: { schemaSource: ['text'] } },
  },
  {
    displayName: 'Auto-Register',
    name: 'autoRegister',
    type: 'boolean',
    default: false,
    description: 'Whether to register the schema text when the subject does not have it yet',
    displayOptions: { show: { schemaSource: ['text'] } },
  },
  {
    displayName: 'Record Name',
    name: 'recordName',
    type: 'string',
    default: '',
    description: 'Fully qualified record name for the record-name strategies, when no schema text is given to read it from',
    displayOptions: { show: { subjectStrategy: ['recordName', 'topicRecordName'] } },
  },
  {
    displayName: 'Protobuf Message',
    name: 'messageName',
    type: 'string',
    default: '',
    description: 'Message of the .proto file to encode; defaults to the first',
    displayOptions: { show: { format: ['PROTOBUF'] } },
  },
  {
    displayName: 'Put Output In',
    name: 'output',
    type: 'options',
    default: 'field',
    options: [
      { name: 'Field (Base64)', value: 'field' },
      { name: 'Binary Property', value: 'binary' },
    ],
  },
  { displayName: 'Output Field', name: 'outputField', type: 'string', default: 'data', displayOptions: { show: { output: ['field'] } } },
  { displayName: 'Binary Property', name: 'binaryProperty', type: 'string', default: 'data', displayOptions: { show: { output: ['binary'] } } },
];

export const description = updateDisplayOptions({ show: { resource: ['wireFormat'], operation: ['serialize'] } }, properties);

function readValue(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw configError(`Value is not valid JSON: ${(error as Error).message}`, 'value');
  }
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
  const value = readValue(this.getNodeParameter('value', itemIndex));
  const format = this.getNodeParameter('format', itemIndex, 'AVRO') as SchemaFormat;
  const strategy = this.getNodeParameter('subjectStrategy', itemIndex, 'topicName') as SubjectStrategy;
  const topic = strategy === 'recordName' ? undefined : (this.getNodeParameter('topic', itemIndex, '') as string) || undefined;
  const isKey = strategy === 'topicName' && this.getNodeParameter('part', itemIndex, 'value') === 'key';
  const schemaSource = this.getNodeParameter('schemaSource', itemIndex, 'latest') as 'latest' | 'version' | 'text';
  const schema = schemaSource === 'text' ? String(this.getNodeParameter('schema', itemIndex, '') ?? '').trim() : undefined;
  if (schemaSource === 'text' && !schema) throw configError('Schema is empty: paste the schema text or pick a registered version', 'schema');
  const client = await registryClient(this);
  const encoded = await client.encode({
    value,
    format,
    topic,
    isKey,
    strategy,
    schema,
    autoRegister: schemaSource === 'text' ? (this.getNodeParameter('autoRegister', itemIndex, false) as boolean) : false,
    version: schemaSource === 'version' ? (this.getNodeParameter('version', itemIndex) as number) : 'latest',
    recordName: strategy === 'topicName' ? undefined : (this.getNodeParameter('recordName', itemIndex, '') as string) || undefined,
    messageName: format === 'PROTOBUF' ? (this.getNodeParameter('messageName', itemIndex, '') as string) || undefined : undefined,
  });
  const item = this.getInputData()[itemIndex];
  const meta: IDataObject = { schemaId: encoded.schemaId, subject: encoded.subject, format };
  if (this.getNodeParameter('output', itemIndex, 'field') === 'binary') {
    const property = this.getNodeParameter('binaryProperty', itemIndex, 'data') as string;
    const binary = await this.helpers.prepareBinaryData(encoded.buffer, `${encoded.subject}-${encoded.schemaId}.bin`, 'application/octet-stream');
    return [{ json: { ...item.json, wireFormat: meta }, binary: { ...(item.binary ?? {}), [property]: binary } }];
  }
  const field = this.getNodeParameter('outputField', itemIndex, 'data') as string;
  return [{ json: { ...item.json, [field]: encoded.buffer.toString('base64'), wireFormat: meta } }];
}
