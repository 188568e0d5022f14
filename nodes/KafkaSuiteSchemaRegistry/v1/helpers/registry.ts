import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { getRegistryCredential, KafkaSuiteError, locatorField, locatorValue, SchemaRegistryClient, type SchemaFormat, type SchemaReference } from '../../../shared';

// One client per execution: it caches schemas by id, which serialising many items relies on.
const clients = new WeakMap<object, SchemaRegistryClient>();

export async function registryClient(context: IExecuteFunctions): Promise<SchemaRegistryClient> {
  let client = clients.get(context);
  if (!client) {
    client = new SchemaRegistryClient(await getRegistryCredential(context));
    clients.set(context, client);
  }
  return client;
}

export const SCHEMA_TYPES = [
  { name: 'Avro', value: 'AVRO' },
  { name: 'JSON Schema', value: 'JSON' },
  { name: 'Protobuf', value: 'PROTOBUF' },
];

export const COMPATIBILITY_LEVELS = ['BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE', 'NONE'] as const;
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

export const MODES = ['READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT'] as const;

/** Picked from the registry's subjects, or typed (a new name for Register). */
export const subjectField = (operation: string[], resource: string, required = true): INodeProperties => ({
  ...locatorField({ displayName: 'Subject', name: 'subject', method: 'searchSubjects', placeholder: 'orders-value', required }),
  description: 'Subject name, e.g. &lt;topic&gt;-value under the topic name strategy',
  displayOptions: { show: { resource: [resource], operation } },
});

/** A version of the subject above: picked from its versions (newest first), or typed. */
export const versionField = (displayOptions: INodeProperties['displayOptions']): INodeProperties => ({
  ...locatorField({ displayName: 'Version', name: 'version', method: 'searchVersions', placeholder: '1', numeric: true }),
  displayOptions,
});

/** The version number from the locator, or the plain number older workflows saved. */
export function readVersion(context: IExecuteFunctions, itemIndex: number): number {
  const raw = locatorValue(context, 'version', itemIndex);
  const version = Number(raw);
  if (!/^\d+$/.test(raw) || version < 1) throw configError(`Version must be a whole number of at least 1 (got "${raw}")`, 'version');
  return version;
}

export const scopeField = (operation: string[], resource: string): INodeProperties => ({
  displayName: 'Scope',
  name: 'scope',
  type: 'options',
  default: 'subject',
  options: [
    { name: 'Global', value: 'global', description: 'The registry-wide default' },
    { name: 'Subject', value: 'subject', description: 'One subject' },
  ],
  displayOptions: { show: { resource: [resource], operation } },
});

export const schemaFields = (operation: string[]): INodeProperties[] => [
  {
    displayName: 'Schema Type',
    name: 'schemaType',
    type: 'options',
    default: 'AVRO',
    options: SCHEMA_TYPES,
    displayOptions: { show: { resource: ['schema'], operation } },
  },
  {
    displayName: 'Schema',
    name: 'schema',
    type: 'string',
    typeOptions: { rows: 8 },
    required: true,
    default: '',
    description: 'Schema text: Avro or JSON Schema as JSON, Protobuf as .proto source',
    displayOptions: { show: { resource: ['schema'], operation } },
  },
  {
    displayName: 'References',
    name: 'references',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true },
    default: {},
    placeholder: 'Add Reference',
    description: 'Other registered schemas this one imports (Avro named types, Protobuf imports, JSON $ref)',
    displayOptions: { show: { resource: ['schema'], operation } },
    options: [
      {
        displayName: 'Reference',
        name: 'reference',
        values: [
          { displayName: 'Name', name: 'name', type: 'string', default: '', description: 'Name as used in the schema: Avro full name, .proto import path or JSON $ref' },
          { displayName: 'Subject', name: 'subject', type: 'string', default: '' },
          { displayName: 'Version', name: 'version', type: 'number', default: 1, typeOptions: { minValue: 1 } },
        ],
      },
    ],
  },
];

export function configError(message: string, field: string): KafkaSuiteError {
  return new KafkaSuiteError(message, { kind: 'config', context: { field } });
}

export function readSubject(context: IExecuteFunctions, itemIndex: number): string {
  const subject = locatorValue(context, 'subject', itemIndex);
  if (!subject) throw configError('Subject is empty: give the subject name', 'subject');
  return subject;
}

/** Schema text from the parameter; objects (from expressions) are serialised, JSON is checked locally. */
export function readSchema(context: IExecuteFunctions, itemIndex: number): { schemaType: SchemaFormat; schema: string; references: SchemaReference[] } {
  const schemaType = context.getNodeParameter('schemaType', itemIndex, 'AVRO') as SchemaFormat;
  const raw = context.getNodeParameter('schema', itemIndex, '') as unknown;
  const schema = typeof raw === 'string' ? raw.trim() : JSON.stringify(raw);
  if (!schema) throw configError('Schema is empty', 'schema');
  if (schemaType !== 'PROTOBUF') {
    try {
      JSON.parse(schema);
    } catch (error) {
      throw configError(`Schema is not valid JSON (${schemaType} schemas are JSON): ${(error as Error).message}`, 'schema');
    }
  }
  const collection = context.getNodeParameter('references', itemIndex, {}) as { reference?: Array<{ name: string; subject: string; version: number }> };
  const references = (collection.reference ?? []).map((reference, index) => {
    if (!reference.name || !reference.subject) throw configError(`Reference ${index + 1} needs a name and a subject`, 'references');
    return { name: reference.name, subject: reference.subject, version: Number(reference.version) };
  });
  return { schemaType, schema, references };
}

/** Confluent answers `compatibility` on PUT and `compatibilityLevel` on GET; some registries mix them up. */
export function levelOf(answer: { compatibility?: string; compatibilityLevel?: string } | undefined): string | undefined {
  return answer?.compatibilityLevel ?? answer?.compatibility;
}
