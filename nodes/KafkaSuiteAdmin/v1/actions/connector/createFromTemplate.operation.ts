import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { scrubSecrets, toKafkaSuiteError } from '../../../../shared';
import { CONNECTOR_CATALOG, buildCatalogConfig, catalogEntry, catalogParameterName, redactCatalogConfig } from '../../../../shared/connect/catalog';
import { jsonParameter, requiredString } from '../../helpers/utils';
import { connectClient } from './helpers';

const show = { resource: ['connector'], operation: ['createFromTemplate'] };

const fieldProperties: INodeProperties[] = CONNECTOR_CATALOG.flatMap((entry) =>
  entry.fields.map(
    (field): INodeProperties => ({
      displayName: field.displayName,
      name: catalogParameterName(entry, field),
      type: 'string',
      ...(field.secret ? { typeOptions: { password: true } } : {}),
      // A literal default for n8n's lint (it cannot read a computed one), then the field's own.
      default: '',
      ...(field.default ? { default: field.default } : {}),
      required: field.required,
      ...(field.placeholder ? { placeholder: field.placeholder } : {}),
      description: `${field.description} (${field.key})`,
      displayOptions: { show: { ...show, template: [entry.id] } },
    }),
  ),
);

export const description: INodeProperties[] = [
  {
    displayName: 'Template',
    name: 'template',
    type: 'options',
    default: 'debeziumPostgres',
    options: [...CONNECTOR_CATALOG]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((entry) => ({ name: entry.name, value: entry.id, description: entry.description })),
    description: 'Ready connector config to start from; the worker must have its plugin installed (List Templates shows which it has)',
    displayOptions: { show },
  },
  {
    displayName: 'Connector Name',
    name: 'connectorName',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'shop-orders-cdc',
    displayOptions: { show },
  },
  ...fieldProperties,
  {
    displayName: 'Extra Config (JSON)',
    name: 'extraConfig',
    type: 'json',
    default: '{}',
    description: 'More config keys, or overrides of the preset ones, as a JSON object of strings',
    displayOptions: { show },
  },
  {
    displayName: 'Validate Only',
    name: 'validateOnly',
    type: 'boolean',
    default: false,
    description: 'Whether to only have the worker validate the config and report, creating nothing',
    displayOptions: { show },
  },
];

/**
 * Builds the template's config, checks the worker has the plugin, has the worker validate the
 * config (PUT /connector-plugins/{class}/config/validate) and creates or replaces the connector
 * only when it reports no error. Secret values never appear in the output.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const node = this.getNode();
  const entry = (() => {
    try {
      return catalogEntry(this.getNodeParameter('template', itemIndex) as string);
    } catch (error) {
      throw new NodeOperationError(node, toKafkaSuiteError(error).message, { itemIndex });
    }
  })();
  const name = requiredString(this, 'connectorName', itemIndex, 'Connector name');
  const values: Record<string, string> = {};
  for (const field of entry.fields) values[field.key] = String(this.getNodeParameter(catalogParameterName(entry, field), itemIndex, '') ?? '');
  const rawExtra = jsonParameter(this, 'extraConfig', itemIndex, 'Extra config');
  if (!rawExtra || typeof rawExtra !== 'object' || Array.isArray(rawExtra)) throw new NodeOperationError(node, 'Extra config must be a JSON object', { itemIndex });
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawExtra as Record<string, unknown>)) {
    if (value === null || typeof value === 'object') throw new NodeOperationError(node, `Extra config value of "${key}" must be a string, number or boolean`, { itemIndex });
    extra[key] = String(value);
  }
  let config: Record<string, string>;
  try {
    config = { ...buildCatalogConfig(entry, values, extra), name };
  } catch (error) {
    throw new NodeOperationError(node, toKafkaSuiteError(error).message, { itemIndex });
  }

  const client = await connectClient(this);
  const plugins = await client.connectorPlugins();
  if (!plugins.some((p) => p.class === entry.connectorClass)) {
    throw new NodeOperationError(node, `The Connect worker at ${client.baseUrl} has no ${entry.connectorClass} plugin: install it on every worker (${entry.plugin}) and restart them`, {
      itemIndex,
      description: `Installed: ${plugins.map((p) => p.class).join(', ') || 'none'}.`,
    });
  }
  const problems = await client.validate(config);
  const shown = redactCatalogConfig(entry, config);
  // The worker's messages may quote values (a JDBC URL with a password in it, say).
  const validation = { errorCount: problems.reduce((n, p) => n + p.errors.length, 0), errors: problems.map((p) => ({ key: p.name, errors: p.errors.map(scrubSecrets) })) };
  if (this.getNodeParameter('validateOnly', itemIndex, false) === true) {
    return { name, template: entry.id, valid: validation.errorCount === 0, validation, config: shown, created: false, updated: false };
  }
  if (validation.errorCount > 0) {
    throw new NodeOperationError(node, `Kafka Connect rejected the ${entry.name} config: ${validation.errors.map((p) => `${p.key}: ${p.errors.join(' ')}`).join('; ')}`, {
      itemIndex,
      description: 'Nothing was created or changed.',
    });
  }
  const { created, info } = await client.upsert(name, config);
  return { name, template: entry.id, valid: true, validation, created, updated: !created, config: redactCatalogConfig(entry, info.config ?? config), tasks: info.tasks as unknown as IDataObject[] };
}
