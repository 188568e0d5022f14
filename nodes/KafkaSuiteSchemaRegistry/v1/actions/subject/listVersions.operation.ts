import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { readSubject, registryClient, subjectField } from '../../helpers/registry';

const properties: INodeProperties[] = [
  subjectField(['listVersions'], 'subject'),
  {
    displayName: 'Include Deleted',
    name: 'includeDeleted',
    type: 'boolean',
    default: false,
    description: 'Whether to include soft-deleted versions (listed in deletedVersions too)',
  },
];

export const description = updateDisplayOptions({ show: { resource: ['subject'], operation: ['listVersions'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const subject = readSubject(this, itemIndex);
  const includeDeleted = this.getNodeParameter('includeDeleted', itemIndex, false) as boolean;
  const client = await registryClient(this);
  if (!includeDeleted) return { subject, versions: await client.listVersions(subject, false) };
  const all = await client.listVersions(subject, true);
  // A fully soft-deleted subject has no live versions; the registry answers 404 for it.
  const live = await client.listVersions(subject, false).catch((error) => {
    if (error?.context?.status === 404) return [] as number[];
    throw error;
  });
  const liveSet = new Set(live);
  return { subject, versions: all, deletedVersions: all.filter((version) => !liveSet.has(version)) };
}
