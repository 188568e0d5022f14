import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { configError, readSubject, readVersion, registryClient } from '../../helpers/registry';
import { targetFields } from './softDelete.operation';

const properties: INodeProperties[] = [
  ...targetFields('hardDelete'),
  {
    displayName: 'A hard delete cannot be undone: schema IDs disappear and consumers can no longer decode records written with them. Only soft-deleted subjects and versions can be hard deleted.',
    name: 'hardDeleteNotice',
    type: 'notice',
    default: '',
  },
  {
    displayName: 'Confirm by Typing the Subject Name',
    name: 'confirmation',
    type: 'string',
    required: true,
    default: '',
    description: 'Must equal the subject exactly; nothing is deleted otherwise',
  },
];

export const description = updateDisplayOptions({ show: { resource: ['subject'], operation: ['hardDelete'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const subject = readSubject(this, itemIndex);
  const target = this.getNodeParameter('target', itemIndex, 'subject') as 'subject' | 'version';
  const confirmation = String(this.getNodeParameter('confirmation', itemIndex, '') ?? '');
  if (confirmation !== subject) {
    throw configError(
      confirmation
        ? `Hard delete not confirmed: the confirmation "${confirmation}" does not match the subject "${subject}"; nothing was deleted`
        : `Hard delete not confirmed: type the subject name "${subject}" into the confirmation field; nothing was deleted`,
      'confirmation',
    );
  }
  const client = await registryClient(this);
  // Checked here as well as by the registry: Confluent refuses (40405/40407) but not every
  // compatible registry does, and a permanent delete must never be the first delete.
  const live = await client.listSubjects(false);
  if (target === 'version') {
    const version = readVersion(this, itemIndex);
    if (live.includes(subject)) {
      const liveVersions = await client.listVersions(subject, false);
      if (liveVersions.includes(version)) {
        throw configError(`Version ${version} of subject "${subject}" is not soft-deleted: soft delete it first; nothing was deleted`, 'version');
      }
    }
    const deleted = await client.deleteVersion(subject, version, true);
    return { subject, deletedVersions: [deleted], permanent: true };
  }
  if (live.includes(subject)) {
    throw configError(`Subject "${subject}" is not soft-deleted: soft delete it first; nothing was deleted`, 'subject');
  }
  const everything = await client.listSubjects(true);
  if (!everything.includes(subject)) throw configError(`Subject "${subject}" does not exist (not even soft-deleted); nothing was deleted`, 'subject');
  return { subject, deletedVersions: await client.deleteSubject(subject, true), permanent: true };
}
