import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { readSubject, readVersion, registryClient, subjectField, versionField } from '../../helpers/registry';

const properties: INodeProperties[] = [
  {
    displayName: 'Get By',
    name: 'by',
    type: 'options',
    default: 'latest',
    options: [
      { name: 'Latest Version of a Subject', value: 'latest' },
      { name: 'Version of a Subject', value: 'version' },
      { name: 'Schema ID', value: 'id' },
    ],
  },
  { ...subjectField(['get'], 'schema'), displayOptions: { show: { by: ['latest', 'version'] } } },
  versionField({ show: { by: ['version'] } }),
  { displayName: 'Schema ID', name: 'schemaId', type: 'number', typeOptions: { minValue: 0 }, default: 1, displayOptions: { show: { by: ['id'] } } },
  {
    displayName: 'Parse Schema',
    name: 'parseSchema',
    type: 'boolean',
    default: false,
    description: 'Whether to output Avro and JSON schemas as objects (schemaParsed) next to the schema text',
  },
];

export const description = updateDisplayOptions({ show: { resource: ['schema'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const by = this.getNodeParameter('by', itemIndex, 'latest') as 'latest' | 'version' | 'id';
  const parse = this.getNodeParameter('parseSchema', itemIndex, false) as boolean;
  const client = await registryClient(this);
  const found =
    by === 'id'
      ? await client.getSchemaById(this.getNodeParameter('schemaId', itemIndex) as number)
      : await client.getSchemaByVersion(readSubject(this, itemIndex), by === 'latest' ? 'latest' : readVersion(this, itemIndex));
  const result: IDataObject = {
    ...(found.subject !== undefined ? { subject: found.subject } : {}),
    ...(found.version !== undefined ? { version: found.version } : {}),
    id: found.id,
    schemaType: found.schemaType,
    schema: found.schema,
    references: (found.references ?? []) as unknown as IDataObject[],
  };
  if (parse && found.schemaType !== 'PROTOBUF') result.schemaParsed = JSON.parse(found.schema);
  return result;
}
