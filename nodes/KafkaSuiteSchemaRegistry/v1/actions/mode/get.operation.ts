import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { readSubject, registryClient, scopeField, subjectField } from '../../helpers/registry';
import { modeNotSupported, withModeSupport } from './support';

const properties: INodeProperties[] = [scopeField(['get'], 'mode'), { ...subjectField(['get'], 'mode'), displayOptions: { show: { scope: ['subject'] } } }];

export const description = updateDisplayOptions({ show: { resource: ['mode'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const scope = this.getNodeParameter('scope', itemIndex, 'subject') as 'global' | 'subject';
  const subject = scope === 'subject' ? readSubject(this, itemIndex) : undefined;
  const client = await registryClient(this);
  const answer = await withModeSupport(() => client.getMode(subject), 'GET', subject);
  if (!answer?.mode) throw modeNotSupported('GET', subject, 'answered without a mode');
  return { scope, ...(subject ? { subject } : {}), mode: answer.mode };
}
