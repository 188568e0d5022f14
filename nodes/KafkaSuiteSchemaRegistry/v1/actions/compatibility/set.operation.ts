import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { COMPATIBILITY_LEVELS, configError, levelOf, readSubject, registryClient, scopeField, subjectField } from '../../helpers/registry';

const LEVEL_DESCRIPTIONS: Record<string, string> = {
  BACKWARD: 'New schema reads data written with the previous version (Confluent default)',
  BACKWARD_TRANSITIVE: 'New schema reads data written with every earlier version',
  FORWARD: 'Previous version reads data written with the new schema',
  FORWARD_TRANSITIVE: 'Every earlier version reads data written with the new schema',
  FULL: 'Both BACKWARD and FORWARD against the previous version',
  FULL_TRANSITIVE: 'Both BACKWARD and FORWARD against every earlier version',
  NONE: 'No compatibility checks',
};

const properties: INodeProperties[] = [
  scopeField(['set'], 'compatibility'),
  { ...subjectField(['set'], 'compatibility'), displayOptions: { show: { scope: ['subject'] } } },
  {
    displayName: 'Compatibility Level',
    name: 'level',
    type: 'options',
    default: 'BACKWARD',
    options: COMPATIBILITY_LEVELS.map((level) => ({ name: level, value: level, description: LEVEL_DESCRIPTIONS[level] })),
  },
];

export const description = updateDisplayOptions({ show: { resource: ['compatibility'], operation: ['set'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const scope = this.getNodeParameter('scope', itemIndex, 'subject') as 'global' | 'subject';
  const level = String(this.getNodeParameter('level', itemIndex, 'BACKWARD')).toUpperCase();
  if (!(COMPATIBILITY_LEVELS as readonly string[]).includes(level)) {
    throw configError(`Compatibility level "${level}" is not one of ${COMPATIBILITY_LEVELS.join(', ')}`, 'level');
  }
  const subject = scope === 'subject' ? readSubject(this, itemIndex) : undefined;
  const client = await registryClient(this);
  const answer = await client.setCompatibility(level, subject);
  return { scope, ...(subject ? { subject } : {}), compatibility: levelOf(answer) ?? level };
}
