import { Ajv, Ajv2019, Ajv2020, draft06MetaSchema } from '../vendor';

/**
 * JSON Schema drafts 4, 6, 7, 2019-09 and 2020-12, chosen by each schema's `$schema`, behind the
 * single `ajvInstance` the serde library accepts. Draft 4 is rewritten to draft 7 (its `id` and
 * boolean exclusiveMinimum/Maximum are the only incompatible keywords); no `$schema` means draft 7,
 * as in Confluent's serializers.
 */
type Options = Record<string, unknown>;
type AnySchema = Record<string, any>;

const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependencies', 'dependentSchemas'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_ONES = ['not', 'additionalProperties', 'additionalItems', 'items', 'contains', 'propertyNames', 'if', 'then', 'else'];

export function draft4To7(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out: AnySchema = { ...(schema as AnySchema) };
  if (typeof out.id === 'string' && out.$id === undefined) {
    out.$id = out.id;
    delete out.id;
  }
  if (typeof out.$schema === 'string' && /draft-04/.test(out.$schema)) out.$schema = 'http://json-schema.org/draft-07/schema#';
  for (const [bound, exclusive] of [
    ['maximum', 'exclusiveMaximum'],
    ['minimum', 'exclusiveMinimum'],
  ] as const) {
    if (out[exclusive] === true && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      delete out[bound];
    } else if (out[exclusive] === false) delete out[exclusive];
  }
  for (const key of SCHEMA_MAPS) {
    if (out[key] && typeof out[key] === 'object') out[key] = Object.fromEntries(Object.entries(out[key]).map(([k, v]) => [k, Array.isArray(v) ? v : draft4To7(v)]));
  }
  for (const key of SCHEMA_LISTS) if (Array.isArray(out[key])) out[key] = out[key].map(draft4To7);
  for (const key of SCHEMA_ONES) {
    if (Array.isArray(out[key])) out[key] = out[key].map(draft4To7);
    else if (out[key] && typeof out[key] === 'object') out[key] = draft4To7(out[key]);
  }
  return out;
}

function draftOf(schema: AnySchema): '4' | '6' | '7' | '2019' | '2020' {
  const uri = typeof schema?.$schema === 'string' ? schema.$schema : '';
  if (uri.includes('2020-12')) return '2020';
  if (uri.includes('2019-09')) return '2019';
  if (uri.includes('draft-04')) return '4';
  if (uri.includes('draft-06')) return '6';
  return '7';
}

export class DraftAwareAjv {
  private pending: Array<[unknown, string | undefined]> = [];
  constructor(private readonly options: Options) {}

  /** Referenced schemas arrive just before the schema that uses them is compiled. */
  addSchema(schema: unknown, key?: string): this {
    this.pending.push([schema, key]);
    return this;
  }

  compile(schema: AnySchema) {
    const draft = draftOf(schema);
    const options = { strict: false, ...this.options };
    const ajv = draft === '2020' ? new Ajv2020(options) : draft === '2019' ? new Ajv2019(options) : new Ajv(options);
    if (draft === '6') ajv.addMetaSchema(draft06MetaSchema);
    const prepare = (s: unknown) => (draftOf(s as AnySchema) === '4' ? draft4To7(s) : s);
    for (const [referenced, key] of this.pending) ajv.addSchema(prepare(referenced) as AnySchema, key);
    this.pending = [];
    return ajv.compile(prepare(schema) as AnySchema);
  }
}
