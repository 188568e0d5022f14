import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import {
  collectClusterSnapshot,
  ConnectClient,
  getConnectCredential,
  getRegistryCredential,
  nameMatcher,
  registryClientFor,
  renderCatalog,
  sourceConnectorTopics,
  toKafkaSuiteError,
  type CatalogProducer,
  type CatalogSchema,
  type CatalogTopic,
} from '../../../../shared';
import { splitList, withAdmin } from '../../helpers/utils';
import { nameFilterField } from '../../../../shared/descriptions/options';

const properties: INodeProperties[] = [
  nameFilterField('Topic Filter', 'topicFilter', 'Topics to document: text to contain, a glob with * and ?, or a regular expression as /…/. Empty documents every topic except internal ones.'),
  {
    displayName: 'Title',
    name: 'catalogTitle',
    type: 'string',
    default: 'Kafka topic catalog',
  },
  {
    displayName: 'Include Schemas',
    name: 'catalogSchemas',
    type: 'boolean',
    default: true,
    description: 'Whether to add each topic’s key and value schemas (subjects named after the topic) from the Schema Registry',
  },
  {
    displayName: 'Include Kafka Connect Sources',
    name: 'catalogConnectors',
    type: 'boolean',
    default: false,
    description: 'Whether to show the source connectors of a Kafka Connect worker as producers of the topics they write',
  },
  {
    displayName: 'Known Producers',
    name: 'producers',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true },
    placeholder: 'Add Producer',
    default: {},
    description: 'Applications writing to the topics; the cluster itself does not record who produces',
    options: [
      {
        displayName: 'Producer',
        name: 'producer',
        values: [
          { displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'checkout-service' },
          { displayName: 'Topics', name: 'topics', type: 'string', default: '', placeholder: 'orders, payments', description: 'Comma-separated topic names' },
        ],
      },
    ],
  },
  {
    displayName: 'Output File as Binary',
    name: 'binary',
    type: 'boolean',
    default: false,
    description: 'Whether to attach the catalog as a Markdown file (for Write Binary File, Git or email nodes)',
  },
];

export const description = updateDisplayOptions({ show: { resource: ['export'], operation: ['catalog'] } }, properties);

const WINDOW_MS = 5 * 60_000;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
  const topicMatches = nameMatcher(this.getNodeParameter('topicFilter', itemIndex, '') as string);
  const title = String(this.getNodeParameter('catalogTitle', itemIndex, 'Kafka topic catalog') || 'Kafka topic catalog');
  const withSchemas = this.getNodeParameter('catalogSchemas', itemIndex, true) as boolean;
  const withConnectors = this.getNodeParameter('catalogConnectors', itemIndex, false) as boolean;
  const declared = (this.getNodeParameter('producers', itemIndex, {}) as { producer?: Array<{ name?: string; topics?: string }> }).producer ?? [];
  const asBinary = this.getNodeParameter('binary', itemIndex, false) as boolean;

  const snapshot = await withAdmin(this, async (admin) => collectClusterSnapshot(admin, { topicMatches, windowMs: WINDOW_MS }));
  if (!snapshot.topics.length) throw new NodeOperationError(this.getNode(), 'No topic matched the filter; nothing to document', { itemIndex });
  const names = snapshot.topics.map((t) => t.name);
  const notes: string[] = [];

  const schemasOf = new Map<string, CatalogSchema[]>();
  if (withSchemas) {
    const registry = registryClientFor(await getRegistryCredential(this));
    const subjects = await registry.listSubjects();
    for (const topic of names) {
      const mine = subjects
        .filter((s) => s === `${topic}-key` || s === `${topic}-value` || s.startsWith(`${topic}-`))
        // A longer topic name claims its own subjects: "orders-eu-value" belongs to "orders-eu", not "orders".
        .filter((s) => !names.some((other) => other.length > topic.length && other.startsWith(`${topic}-`) && s.startsWith(`${other}-`)))
        .sort();
      const schemas: CatalogSchema[] = [];
      for (const subject of mine) {
        const latest = await registry.getSchemaByVersion(subject, 'latest');
        const role = subject === `${topic}-key` ? 'key' : subject === `${topic}-value` ? 'value' : 'record';
        schemas.push({ subject, role, version: latest.version ?? 0, id: latest.id, schemaType: latest.schemaType, schema: latest.schema });
      }
      schemasOf.set(topic, schemas);
    }
  }

  const producers: CatalogProducer[] = declared
    .map((p) => ({ name: String(p.name ?? '').trim(), kind: 'declared', topics: splitList(p.topics) }))
    .filter((p) => p.name && p.topics.length);
  for (const p of producers) {
    const unknown = p.topics.filter((t) => !names.includes(t));
    if (unknown.length) notes.push(`Producer "${p.name}" names topic(s) not in this catalog: ${unknown.join(', ')}.`);
  }
  if (withConnectors) {
    const connect = new ConnectClient(await getConnectCredential(this));
    try {
      for (const c of await connect.list()) {
        if ((c.info.type ?? c.status.type) !== 'source') continue;
        const topics = sourceConnectorTopics(c.info.config, names);
        if (topics.length) producers.push({ name: c.name, kind: `source connector, ${c.status.connector.state}`, topics });
      }
    } catch (error) {
      // The catalog is still useful without Connect; the document says what is missing.
      notes.push(`Kafka Connect at ${connect.baseUrl} could not be read (${toKafkaSuiteError(error).message}); its source connectors are not shown.`);
    }
  }

  const topics: CatalogTopic[] = snapshot.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.length,
    replicationFactor: Math.max(0, ...t.partitions.map((p) => p.replicas.length)),
    overrides: Object.fromEntries(Object.entries(t.configs).filter(([, c]) => c.source === 'TOPIC' && c.value !== null).map(([k, c]) => [k, c.value as string])),
    retainedMessages: t.partitions.reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0),
    recentMessages: t.partitions.reduce((n, p) => n + p.recentMessages, 0),
    schemas: schemasOf.get(t.name) ?? [],
  }));
  const groups = snapshot.groups
    .map((g) => ({ groupId: g.groupId, state: g.state, members: g.members, topics: g.topics.filter((t) => names.includes(t)), lag: g.offsets.reduce((n, o) => n + o.lag, 0) }))
    .filter((g) => g.topics.length);
  const { markdown, mermaid } = renderCatalog({
    title,
    generatedAt: new Date().toISOString(),
    brokers: snapshot.brokers.map((b) => `${b.host}:${b.port}`),
    windowMs: WINDOW_MS,
    topics,
    groups,
    producers,
    notes,
  });
  const json: IDataObject = {
    markdown,
    mermaid,
    topics: topics.length,
    groups: groups.length,
    schemas: topics.reduce((n, t) => n + t.schemas.length, 0),
    producers: producers as unknown as IDataObject[],
    notes,
  };
  if (!asBinary) return [{ json }];
  const binary = { catalog: await this.helpers.prepareBinaryData(Buffer.from(markdown, 'utf8'), 'kafka-catalog.md', 'text/markdown') };
  return [{ json, binary }];
}
