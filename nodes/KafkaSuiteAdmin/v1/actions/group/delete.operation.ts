import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { describeGroupOrThrow } from '../../../../shared';
import { assertConfirmed, confirmationField, requiredLocator, withAdmin } from '../../helpers/utils';
import { groupField } from './fields';

const properties: INodeProperties[] = [groupField, confirmationField('Group', {})];

export const description = updateDisplayOptions({ show: { resource: ['group'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const groupId = requiredLocator(this, 'groupId', itemIndex, 'Group ID');
  assertConfirmed(this, itemIndex, groupId, 'group');
  return await withAdmin(this, async (admin) => {
    const group = await describeGroupOrThrow(admin, groupId);
    if (group.members.length > 0) {
      throw new NodeOperationError(this.getNode(), `Consumer group "${groupId}" still has ${group.members.length} active member(s); stop its consumers before deleting it`, { itemIndex });
    }
    await admin.deleteGroups([groupId]);
    return { groupId, deleted: true };
  });
}
