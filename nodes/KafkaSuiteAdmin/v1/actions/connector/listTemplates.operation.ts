import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { CONNECTOR_CATALOG, catalogParameterName } from '../../../../shared/connect/catalog';
import { connectClient } from './helpers';

const properties: INodeProperties[] = [
  {
    displayName: 'Check Worker',
    name: 'checkWorker',
    type: 'boolean',
    default: true,
    description: 'Whether to ask the Connect worker which of the templates it can run (its installed connector plugins)',
  },
];

export const description = updateDisplayOptions({ show: { resource: ['connector'], operation: ['listTemplates'] } }, properties);

/** One item per template: what it does, what to fill in, what is preset, and whether the worker has the plugin. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const check = this.getNodeParameter('checkWorker', itemIndex, true) !== false;
  const installed = check ? await (await connectClient(this)).connectorPlugins() : undefined;
  return CONNECTOR_CATALOG.map((entry) => {
    const plugin = installed?.find((p) => p.class === entry.connectorClass);
    return {
      template: entry.id,
      name: entry.name,
      description: entry.description,
      type: entry.type,
      connectorClass: entry.connectorClass,
      ...(installed ? { installed: Boolean(plugin), pluginVersion: plugin?.version ?? null } : {}),
      plugin: entry.plugin,
      fields: entry.fields.map((f) => ({
        key: f.key,
        parameter: catalogParameterName(entry, f),
        name: f.displayName,
        required: f.required,
        default: f.default ?? null,
        secret: Boolean(f.secret),
        description: f.description,
      })),
      preset: entry.preset,
    };
  });
}
