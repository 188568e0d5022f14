import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { assertTopicsExist } from '../../../../shared';
import { assertConfirmed, confirmationField, requiredLocator, withAdmin } from '../../helpers/utils';
import { topicField } from './fields';

const show = { resource: ['topic'], operation: ['delete'] };
const properties: INodeProperties[] = [topicField, confirmationField('Topic', {})];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const topic = requiredLocator(this, 'topic', itemIndex, 'Topic');
  assertConfirmed(this, itemIndex, topic, 'topic');
  return await withAdmin(this, async (admin) => {
    await assertTopicsExist(admin, [topic]);
    await admin.deleteTopics([topic]);
    return { topic, deleted: true };
  });
}
