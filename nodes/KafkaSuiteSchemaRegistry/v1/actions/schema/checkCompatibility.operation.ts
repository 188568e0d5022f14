import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { explainAgainst } from '../../helpers/explain';
import { readSchema, readSubject, readVersion, registryClient, schemaFields, subjectField, versionField } from '../../helpers/registry';

const properties: INodeProperties[] = [
  subjectField(['checkCompatibility'], 'schema'),
  {
    displayName: 'Against',
    name: 'against',
    type: 'options',
    default: 'latest',
    options: [
      { name: 'Latest Version', value: 'latest' },
      { name: 'A Specific Version', value: 'version' },
    ],
  },
  versionField({ show: { against: ['version'] } }),
  ...schemaFields(['checkCompatibility']),
];

export const description = updateDisplayOptions({ show: { resource: ['schema'], operation: ['checkCompatibility'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const subject = readSubject(this, itemIndex);
  const against = this.getNodeParameter('against', itemIndex, 'latest') as 'latest' | 'version';
  const version = against === 'latest' ? 'latest' : readVersion(this, itemIndex);
  const { schemaType, schema, references } = readSchema(this, itemIndex);
  const client = await registryClient(this);
  const answer = await client.checkCompatibility(subject, version, schemaType, schema, references);
  const registryMessages = (answer.messages ?? []).map(String);
  const result: IDataObject = { subject, against: version, compatible: answer.is_compatible === true, registryMessages };
  if (answer.is_compatible === true) return { ...result, messages: [], explanation: 'Compatible' };
  const local = await explainAgainst(client, subject, version, schemaType, schema, references).catch(() => undefined);
  if (local) result.compatibilityLevel = local.level;
  // The registry's own words when it gives them (Confluent with ?verbose=true); ours otherwise.
  const messages = registryMessages.length ? registryMessages : (local?.messages ?? []);
  result.messages = messages;
  result.explanationSource = registryMessages.length ? 'registry' : local?.messages.length ? 'local' : 'none';
  result.explanation = messages.length
    ? `Incompatible under ${local?.level ?? 'the subject level'}: ${messages.join('; ')}`
    : `Incompatible under ${local?.level ?? 'the subject level'}; the registry gave no reason${schemaType === 'AVRO' ? '' : ` and local explanations cover Avro only (this is ${schemaType})`}`;
  return result;
}
