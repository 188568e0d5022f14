import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { KafkaSuiteError, toNodeError } from '../../../../shared';
import { explainAgainst } from '../../helpers/explain';
import { readSchema, readSubject, registryClient, schemaFields, subjectField } from '../../helpers/registry';

const properties: INodeProperties[] = [subjectField(['register'], 'schema'), ...schemaFields(['register'])];

export const description = updateDisplayOptions({ show: { resource: ['schema'], operation: ['register'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const subject = readSubject(this, itemIndex);
  const { schemaType, schema, references } = readSchema(this, itemIndex);
  const client = await registryClient(this);
  let id: number;
  try {
    ({ id } = await client.register(subject, schemaType, schema, references));
  } catch (error) {
    const status = (error as KafkaSuiteError)?.context?.status;
    if (status !== 409) throw toNodeError(this.getNode(), error, itemIndex);
    // The registry refused an incompatible schema; say which change breaks it.
    const explanation = await explainAgainst(client, subject, 'latest', schemaType, schema, references).catch(() => undefined);
    const why = explanation?.messages.length ? ` What breaks (${explanation.level}): ${explanation.messages.join('; ')}.` : '';
    const refused = new KafkaSuiteError(`${(error as Error).message}.${why} Nothing was registered.`, {
      kind: 'registry',
      cause: error,
      code: (error as KafkaSuiteError).code,
      context: { subject, status: 409 },
    });
    throw toNodeError(this.getNode(), refused, itemIndex);
  }
  // Registering returns only the id; the version comes from looking the schema up.
  const found = await client.lookup(subject, schemaType, schema, references).catch(() => undefined);
  return { subject, id, ...(found?.version !== undefined ? { version: found.version } : {}), schemaType };
}
