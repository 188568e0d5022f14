import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { withAdmin } from '../../helpers/utils';
import { aclFields, aclRow, readAcl } from './fields';

export const description = updateDisplayOptions({ show: { resource: ['acl'], operation: ['describe'] } }, aclFields(true));

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const filter = readAcl(this, itemIndex, true);
  return await withAdmin(this, async (admin) => {
    return (await admin.describeAcls(filter)).map((acl) => aclRow(acl));
  });
}
