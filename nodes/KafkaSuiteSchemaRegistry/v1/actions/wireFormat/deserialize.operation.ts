import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { configError, registryClient } from '../../helpers/registry';

const properties: INodeProperties[] = [
  {
    displayName: 'Input From',
    name: 'input',
    type: 'options',
    default: 'field',
    options: [
      { name: 'Field (Base64 or Byte Array)', value: 'field' },
      { name: 'Binary Property', value: 'binary' },
    ],
  },
  {
    displayName: 'Input Field',
    name: 'inputField',
    type: 'string',
    default: 'data',
    description: 'Field holding the wire-format bytes: base64 text, an array of bytes, or a serialised Node.js Buffer',
    displayOptions: { show: { input: ['field'] } },
  },
  { displayName: 'Binary Property', name: 'binaryProperty', type: 'string', default: 'data', displayOptions: { show: { input: ['binary'] } } },
  { displayName: 'Output Field', name: 'outputField', type: 'string', default: 'value', description: 'Field to put the decoded value in' },
];

export const description = updateDisplayOptions({ show: { resource: ['wireFormat'], operation: ['deserialize'] } }, properties);

function bytesFrom(raw: unknown, field: string): Buffer {
  if (typeof raw === 'string') {
    if (!/^[A-Za-z0-9+/=\s_-]*$/.test(raw)) throw configError(`Field "${field}" is not base64 text`, 'inputField');
    return Buffer.from(raw, 'base64');
  }
  if (Array.isArray(raw) && raw.every((b) => Number.isInteger(b) && b >= 0 && b < 256)) return Buffer.from(raw);
  if (raw && typeof raw === 'object' && (raw as { type?: string }).type === 'Buffer' && Array.isArray((raw as { data?: unknown }).data)) {
    return Buffer.from((raw as { data: number[] }).data);
  }
  throw configError(`Field "${field}" holds no wire-format bytes (expected base64 text or a byte array)`, 'inputField');
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
  const item = this.getInputData()[itemIndex];
  let buffer: Buffer;
  if (this.getNodeParameter('input', itemIndex, 'field') === 'binary') {
    const property = this.getNodeParameter('binaryProperty', itemIndex, 'data') as string;
    this.helpers.assertBinaryData(itemIndex, property);
    buffer = await this.helpers.getBinaryDataBuffer(itemIndex, property);
  } else {
    const field = this.getNodeParameter('inputField', itemIndex, 'data') as string;
    if (!(field in item.json)) throw configError(`Input item has no field "${field}"`, 'inputField');
    buffer = bytesFrom(item.json[field], field);
  }
  const decoded = await registryClient(this).then((client) => client.decode(buffer));
  const output = this.getNodeParameter('outputField', itemIndex, 'value') as string;
  const meta: IDataObject = { schemaId: decoded.schemaId, schemaType: decoded.schemaType, ...(decoded.subject ? { subject: decoded.subject } : {}) };
  return [{ json: { ...item.json, [output]: decoded.value as IDataObject, wireFormat: meta }, ...(item.binary ? { binary: item.binary } : {}) }];
}
