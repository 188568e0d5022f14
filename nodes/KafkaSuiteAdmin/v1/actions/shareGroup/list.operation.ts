import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { nameMatcher } from '../../../../shared';
import { nameFilterField } from '../../../../shared/descriptions/options';
import { withShareAdmin } from './shared';

const STATES = ['Empty', 'Stable', 'Dead'];

const properties: INodeProperties[] = [
  nameFilterField('Name Filter', 'nameFilter', 'Only share groups whose ID matches: text to contain, a glob with * and ?, or a regular expression as /…/'),
  {
    displayName: 'States',
    name: 'states',
    type: 'multiOptions',
    default: [],
    options: STATES.map((state) => ({ name: state, value: state })),
    description: 'Only share groups in these states; none selected lists all',
  },
];

export const description = updateDisplayOptions({ show: { resource: ['shareGroup'], operation: ['list'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const matches = nameMatcher(this.getNodeParameter('nameFilter', itemIndex, '') as string);
  const states = this.getNodeParameter('states', itemIndex, []) as string[];
  return await withShareAdmin(this, async (share) => {
    const ids = (await share.listShareGroups()).map((g) => g.groupId).filter(matches);
    const out: IDataObject[] = [];
    for (let start = 0; start < ids.length; start += 50) {
      for (const g of await share.describeShareGroups(ids.slice(start, start + 50))) {
        if (!g.found || (states.length && !states.includes(g.state))) continue;
        out.push({ groupId: g.groupId, state: g.state, groupEpoch: g.groupEpoch, members: g.members.length });
      }
    }
    return out;
  });
}
