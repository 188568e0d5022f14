import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { withAdmin } from '../../helpers/utils';
import { aclFields, aclRow, readAcl } from './fields';

export const description = updateDisplayOptions({ show: { resource: ['acl'], operation: ['delete'] } }, aclFields(true));

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const filter = readAcl(this, itemIndex, true);
  if (!filter.resourceName && !filter.principal) {
    // An all-"Any" filter deletes every ACL of the cluster; nobody means that by accident-proof design.
    throw new NodeOperationError(this.getNode(), 'Give at least a resource name or a principal: a filter matching every ACL is refused', { itemIndex });
  }
  return await withAdmin(this, async (admin) => {
    // A matching ACL Kafka could not delete fails the call (a KafkaSuiteError with Kafka's reasons).
    const matched = await admin.deleteAcls([filter]);
    return { deleted: matched.length, acls: matched.map((m) => aclRow(m)) };
  });
}
