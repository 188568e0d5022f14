import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { nameMatcher } from '../../../../shared';
import { withAdmin } from '../../helpers/utils';
import { nameFilterField } from '../../../../shared/descriptions/options';

const STATES = ['Empty', 'Stable', 'PreparingRebalance', 'CompletingRebalance', 'Dead', 'Unknown'];

const properties: INodeProperties[] = [
  nameFilterField('Name Filter', 'nameFilter', 'Only groups whose ID matches: text to contain, a glob with * and ?, or a regular expression as /…/'),
  {
    displayName: 'States',
    name: 'states',
    type: 'multiOptions',
    default: [],
    options: STATES.map((state) => ({ name: state, value: state })),
    description: 'Only groups in these states; none selected lists all',
  },
];

export const description = updateDisplayOptions({ show: { resource: ['group'], operation: ['list'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const matches = nameMatcher(this.getNodeParameter('nameFilter', itemIndex, '') as string);
  const states = this.getNodeParameter('states', itemIndex, []) as string[];
  return await withAdmin(this, async (admin) => {
    const groups = await admin.listGroups();
    const ids = groups.map((g) => g.groupId).filter(matches).sort();
    const out: IDataObject[] = [];
    // Kafka lists groups without their state; describing them in chunks keeps requests small.
    for (let start = 0; start < ids.length; start += 50) {
      const described = await admin.describeGroups(ids.slice(start, start + 50));
      for (const g of described) {
        if (states.length && !states.includes(g.state)) continue;
        out.push({ groupId: g.groupId, state: g.state, protocolType: g.protocolType, protocol: g.protocol, members: g.members.length });
      }
    }
    return out;
  });
}
