import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { levelOf, readSubject, registryClient, scopeField, subjectField } from '../../helpers/registry';

const properties: INodeProperties[] = [
  scopeField(['get'], 'compatibility'),
  { ...subjectField(['get'], 'compatibility'), displayOptions: { show: { scope: ['subject'] } } },
];

export const description = updateDisplayOptions({ show: { resource: ['compatibility'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const scope = this.getNodeParameter('scope', itemIndex, 'subject') as 'global' | 'subject';
  const client = await registryClient(this);
  if (scope === 'global') return { scope, compatibility: levelOf(await client.getCompatibility()) ?? null };
  const subject = readSubject(this, itemIndex);
  // defaultToGlobal: a subject without its own level follows the global one, which is what applies.
  return { scope, subject, compatibility: levelOf(await client.getCompatibility(subject)) ?? null };
}
