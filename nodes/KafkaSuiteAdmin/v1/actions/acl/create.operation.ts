import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { withAdmin } from '../../helpers/utils';
import { aclFields, aclRow, readAcl } from './fields';

export const description = updateDisplayOptions({ show: { resource: ['acl'], operation: ['create'] } }, aclFields(false));

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const spec = readAcl(this, itemIndex, false);
  const entry = {
    resourceType: spec.resourceType,
    resourceName: spec.resourceName as string,
    patternType: spec.patternType,
    principal: spec.principal as string,
    host: spec.host as string,
    operation: spec.operation,
    permission: spec.permission,
  };
  return await withAdmin(this, async (admin) => {
    await admin.createAcls([entry]);
    return { created: true, acl: aclRow(entry) };
  });
}
