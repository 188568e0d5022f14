import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { MODES, configError, readSubject, registryClient, scopeField, subjectField } from '../../helpers/registry';
import { modeNotSupported, withModeSupport } from './support';

const properties: INodeProperties[] = [
  scopeField(['set'], 'mode'),
  { ...subjectField(['set'], 'mode'), displayOptions: { show: { scope: ['subject'] } } },
  {
    displayName: 'Mode',
    name: 'mode',
    type: 'options',
    default: 'READWRITE',
    options: [
      { name: 'IMPORT', value: 'IMPORT', description: 'Accept schemas with given IDs (migrations); Confluent requires an empty registry or subject' },
      { name: 'READONLY', value: 'READONLY', description: 'Refuse new registrations and deletions' },
      { name: 'READONLY_OVERRIDE', value: 'READONLY_OVERRIDE', description: 'Read-only, overriding a subject-level mode' },
      { name: 'READWRITE', value: 'READWRITE', description: 'Normal operation' },
    ],
  },
];

export const description = updateDisplayOptions({ show: { resource: ['mode'], operation: ['set'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const scope = this.getNodeParameter('scope', itemIndex, 'subject') as 'global' | 'subject';
  const mode = String(this.getNodeParameter('mode', itemIndex, 'READWRITE')).toUpperCase();
  if (!(MODES as readonly string[]).includes(mode)) throw configError(`Mode "${mode}" is not one of ${MODES.join(', ')}`, 'mode');
  const subject = scope === 'subject' ? readSubject(this, itemIndex) : undefined;
  const client = await registryClient(this);
  const answer = await withModeSupport(() => client.setMode(mode, subject), 'PUT', subject);
  // Confluent echoes the new mode; an empty answer means the registry did not apply a mode.
  if (!answer?.mode) throw modeNotSupported('PUT', subject, 'answered without confirming the mode');
  return { scope, ...(subject ? { subject } : {}), mode: answer.mode };
}
