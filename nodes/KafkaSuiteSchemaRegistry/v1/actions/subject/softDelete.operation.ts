import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { readSubject, readVersion, registryClient, subjectField, versionField } from '../../helpers/registry';

export const targetFields = (operation: string): INodeProperties[] => [
  subjectField([operation], 'subject'),
  {
    displayName: 'Target',
    name: 'target',
    type: 'options',
    default: 'subject',
    options: [
      { name: 'Whole Subject', value: 'subject' },
      { name: 'One Version', value: 'version' },
    ],
    displayOptions: { show: { resource: ['subject'], operation: [operation] } },
  },
  versionField({ show: { resource: ['subject'], operation: [operation], target: ['version'] } }),
];

export const description = updateDisplayOptions({ show: { resource: ['subject'], operation: ['softDelete'] } }, targetFields('softDelete'));

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const subject = readSubject(this, itemIndex);
  const target = this.getNodeParameter('target', itemIndex, 'subject') as 'subject' | 'version';
  const client = await registryClient(this);
  if (target === 'version') {
    const version = readVersion(this, itemIndex);
    const deleted = await client.deleteVersion(subject, version, false);
    return { subject, deletedVersions: [deleted], permanent: false };
  }
  return { subject, deletedVersions: await client.deleteSubject(subject, false), permanent: false };
}
