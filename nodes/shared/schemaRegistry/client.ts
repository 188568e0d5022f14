import * as https from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import type { SchemaRegistryCredential } from '../credentialTypes';
import { KafkaSuiteError, isKafkaSuiteError, toKafkaSuiteError } from '../errors';
import { httpRequest } from '../http';
import { buildTlsOptions, credentialHash } from '../platforms';
import { registerSecret } from '../secrets';
import { SchemaRegistry, SchemaType } from '../vendor';
import { avroOptions, longToJson } from './avro';
import { DraftAwareAjv } from './jsonSchema';
import { addWellKnownTypes, checkWire, firstMessageOfDescriptor, isSerializedDescriptor, messageAt, messageIndexes, protoFromJson, protoToJson } from './protobuf';
import { recordNameOf, subjectFor, type SchemaFormat, type SubjectStrategy } from './subjects';
import { decodeMessageIndexes, encodeMessageIndexes, readHeader, readSchemaIdHeader, writeHeader, writeSchemaIdHeader } from './wire';

export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

export interface RegisteredSchema {
  subject?: string;
  version?: number;
  id: number;
  schemaType: SchemaFormat;
  schema: string;
  references?: SchemaReference[];
}

export interface EncodeOptions {
  value: unknown;
  format: SchemaFormat;
  topic?: string;
  isKey?: boolean;
  strategy?: SubjectStrategy;
  /** Schema text; needed for auto-registration, optional otherwise (then the subject's version is used). */
  schema?: string;
  references?: SchemaReference[];
  autoRegister?: boolean;
  /** Used when no schema text is given: 'latest' or a version number. */
  version?: 'latest' | number;
  recordName?: string;
  /** Protobuf: which message of the file to encode; defaults to the first. */
  messageName?: string;
  /** 'header': the Confluent 8 form, id in `__key_schema_id` / `__value_schema_id`, payload without prefix. */
  schemaIdIn?: 'prefix' | 'header';
}

export interface EncodedValue {
  buffer: Buffer;
  schemaId: number;
  subject: string;
  /** Set when schemaIdIn is 'header': the header value (0x00 + id + Protobuf message indexes). */
  schemaIdHeader?: Buffer;
}

export interface DecodeOptions {
  /** One schema id can be registered under several subjects; report one of these when it is among them. */
  preferSubjects?: string[];
  /** The `__key_schema_id` / `__value_schema_id` header, when the producer put the id there. */
  schemaIdHeader?: Buffer;
  /** Avro logical types as natural JSON (default) or as their encoded values. */
  logicalTypes?: 'natural' | 'raw';
}

export interface DecodedValue {
  value: unknown;
  schemaId: number;
  schemaType: SchemaFormat;
  subject?: string;
}

interface ProtoType {
  name: string;
  parent: ProtoNamespace | null;
  fieldsArray?: unknown[];
  encode(message: unknown): { finish(): Uint8Array };
  decode(buffer: Uint8Array): unknown;
  verify(message: unknown): string | null;
  fromObject(object: unknown): unknown;
  toObject(message: unknown, options: object): Record<string, unknown>;
}
interface ProtoNamespace {
  nestedArray: Array<ProtoType | ProtoNamespace>;
  parent: ProtoNamespace | null;
  fieldsArray?: unknown[];
}

const LATEST_TTL_MS = 30_000;
const JSON_OPTIONS = { strict: false, allErrors: true, detailedErrorPaths: true };

/**
 * Schema Registry (Confluent REST API) access for the nodes: management calls over REST, and
 * Avro / Protobuf / JSON Schema encode/decode in the Confluent wire format. Serialisation is done
 * by @kafkajs/confluent-schema-registry (avsc, protobufjs, ajv); Protobuf message indexes are
 * framed here because that library writes none, which other Confluent clients cannot read.
 */
export class SchemaRegistryClient {
  readonly baseUrl: string;
  private readonly headers: Record<string, string> = {};
  private readonly tls?: ConnectionOptions;
  private readonly timeoutMs: number;
  private readonly serde: InstanceType<typeof SchemaRegistry>;
  private rawSerdeInstance?: InstanceType<typeof SchemaRegistry>;
  private readonly serdeArgs: Record<string, unknown>;
  private readonly idCache = new Map<string, { id: number; at: number }>();
  private readonly schemaCache = new Map<number, RegisteredSchema>();
  private readonly guidCache = new Map<string, number>();
  private readonly descriptorTypes = new Map<number, ProtoType>();
  private readonly subjectsOfId = new Map<number, { subjects: string[]; at: number }>();

  constructor(cred: SchemaRegistryCredential) {
    let url: URL;
    try {
      url = new URL(cred.url);
    } catch {
      throw new KafkaSuiteError(`Schema Registry URL "${cred.url}" is not a URL`, { kind: 'config', context: { field: 'url' } });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new KafkaSuiteError('Schema Registry URL must start with http:// or https://', { kind: 'config', context: { field: 'url' } });
    }
    this.baseUrl = cred.url.replace(/\/+$/, '');
    this.timeoutMs = cred.timeoutMs ?? 15_000;
    const authType = cred.authType ?? 'none';
    let auth: { username: string; password: string } | undefined;
    if (authType === 'basic') {
      if (!cred.username) throw new KafkaSuiteError('Schema Registry basic auth needs a username', { kind: 'config', context: { field: 'username' } });
      registerSecret(cred.password);
      auth = { username: cred.username, password: cred.password ?? '' };
      const basic = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
      registerSecret(basic);
      this.headers.authorization = `Basic ${basic}`;
    } else if (authType === 'bearer') {
      if (!cred.token) throw new KafkaSuiteError('Schema Registry bearer auth needs a token', { kind: 'config', context: { field: 'token' } });
      registerSecret(cred.token);
      this.headers.authorization = `Bearer ${cred.token}`;
    }
    if (url.protocol === 'https:') this.tls = buildTlsOptions(cred);
    const bearer = authType === 'bearer' ? this.headers.authorization : undefined;
    this.serdeArgs = {
        host: this.baseUrl,
        auth,
        clientId: 'n8n-kafka-suite',
        agent: this.tls ? new https.Agent({ ...this.tls, keepAlive: true }) : undefined,
        retry: { retries: 2 },
        middlewares: bearer
          ? [() => ({ request: (req: any) => req.enhance({ headers: { Authorization: bearer } }) })]
          : undefined,
    };
    this.serde = this.newSerde('natural');
  }

  private newSerde(logicalTypes: 'natural' | 'raw'): InstanceType<typeof SchemaRegistry> {
    return new SchemaRegistry(this.serdeArgs as any, {
      [SchemaType.AVRO]: avroOptions(logicalTypes),
      [SchemaType.JSON]: { ...JSON_OPTIONS, ajvInstance: new DraftAwareAjv(JSON_OPTIONS) },
    } as any);
  }

  /** Avro with logical types as their encoded values, for "Logical Types: Raw". */
  private get rawSerde(): InstanceType<typeof SchemaRegistry> {
    this.rawSerdeInstance ??= this.newSerde('raw');
    return this.rawSerdeInstance;
  }

  /** One REST call; non-2xx answers become KafkaSuiteError with the registry's own message. */
  async request<T>(method: string, path: string, body?: unknown, context: Record<string, string | number | undefined> = {}): Promise<T> {
    let response: Awaited<ReturnType<typeof httpRequest>>;
    try {
      response = await httpRequest({
        url: `${this.baseUrl}${path}`,
        method,
        headers: {
          ...this.headers,
          accept: 'application/vnd.schemaregistry.v1+json, application/json',
          ...(body !== undefined ? { 'content-type': 'application/vnd.schemaregistry.v1+json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        tls: this.tls,
        timeoutMs: this.timeoutMs,
      });
    } catch (error) {
      // The transport error names the host as a "broker"; say it is the registry that is unreachable.
      const cause = toKafkaSuiteError(error);
      throw new KafkaSuiteError(`Schema Registry at ${this.baseUrl} is unreachable: ${cause.message.replace(/ \(broker [^)]*\)/, '')}`, {
        kind: cause.kind,
        retriable: cause.retriable,
        cause: error,
        code: cause.code,
        context: { ...context, url: this.baseUrl },
      });
    }
    let parsed: any = undefined;
    if (response.text) {
      try {
        parsed = JSON.parse(response.text);
      } catch {
        parsed = response.text;
      }
    }
    if (response.status >= 200 && response.status < 300) return parsed as T;
    const registryMessage = typeof parsed === 'object' && parsed ? (parsed.message ?? parsed.detail ?? JSON.stringify(parsed)) : String(parsed ?? '');
    const errorCode = typeof parsed === 'object' && parsed ? parsed.error_code : undefined;
    const kind = response.status === 401 || response.status === 403 ? 'auth' : 'registry';
    throw new KafkaSuiteError(
      `Schema Registry ${method} ${path} answered HTTP ${response.status}${errorCode ? ` (error ${errorCode})` : ''}: ${registryMessage}`,
      { kind, retriable: response.status >= 500, code: errorCode ? String(errorCode) : String(response.status), context: { ...context, status: response.status } },
    );
  }

  // ---- management -------------------------------------------------------------------------

  listSubjects(includeDeleted = false): Promise<string[]> {
    return this.request('GET', `/subjects${includeDeleted ? '?deleted=true' : ''}`);
  }

  listVersions(subject: string, includeDeleted = false): Promise<number[]> {
    return this.request('GET', `/subjects/${encodeURIComponent(subject)}/versions${includeDeleted ? '?deleted=true' : ''}`, undefined, { subject });
  }

  async getSchemaByVersion(subject: string, version: 'latest' | number): Promise<RegisteredSchema> {
    const found = await this.request<any>('GET', `/subjects/${encodeURIComponent(subject)}/versions/${version}`, undefined, { subject });
    return { subject: found.subject, version: found.version, id: found.id, schemaType: (found.schemaType ?? 'AVRO') as SchemaFormat, schema: found.schema, references: found.references };
  }

  async getSchemaById(id: number): Promise<RegisteredSchema> {
    const cached = this.schemaCache.get(id);
    if (cached) return cached;
    const found = await this.request<any>('GET', `/schemas/ids/${id}`, undefined, { schemaId: id });
    const schema: RegisteredSchema = { id, schemaType: (found.schemaType ?? 'AVRO') as SchemaFormat, schema: found.schema, references: found.references };
    this.schemaCache.set(id, schema);
    return schema;
  }

  async register(subject: string, schemaType: SchemaFormat, schema: string, references?: SchemaReference[]): Promise<{ id: number }> {
    const body: Record<string, unknown> = { schema };
    // Confluent treats a missing schemaType as AVRO; sending it only when needed keeps older registries happy.
    if (schemaType !== 'AVRO') body.schemaType = schemaType;
    if (references?.length) body.references = references;
    return this.request('POST', `/subjects/${encodeURIComponent(subject)}/versions`, body, { subject });
  }

  /** Finds the id of an already-registered schema under a subject (POST /subjects/{subject}). */
  async lookup(subject: string, schemaType: SchemaFormat, schema: string, references?: SchemaReference[]): Promise<RegisteredSchema> {
    const body: Record<string, unknown> = { schema };
    if (schemaType !== 'AVRO') body.schemaType = schemaType;
    if (references?.length) body.references = references;
    const found = await this.request<any>('POST', `/subjects/${encodeURIComponent(subject)}`, body, { subject });
    return { subject: found.subject ?? subject, version: found.version, id: found.id, schemaType, schema, references };
  }

  checkCompatibility(
    subject: string,
    version: 'latest' | number,
    schemaType: SchemaFormat,
    schema: string,
    references?: SchemaReference[],
  ): Promise<{ is_compatible: boolean; messages?: string[] }> {
    const body: Record<string, unknown> = { schema };
    if (schemaType !== 'AVRO') body.schemaType = schemaType;
    if (references?.length) body.references = references;
    return this.request('POST', `/compatibility/subjects/${encodeURIComponent(subject)}/versions/${version}?verbose=true`, body, { subject });
  }

  deleteSubject(subject: string, permanent = false): Promise<number[]> {
    return this.request('DELETE', `/subjects/${encodeURIComponent(subject)}${permanent ? '?permanent=true' : ''}`, undefined, { subject });
  }

  deleteVersion(subject: string, version: number | 'latest', permanent = false): Promise<number> {
    return this.request('DELETE', `/subjects/${encodeURIComponent(subject)}/versions/${version}${permanent ? '?permanent=true' : ''}`, undefined, { subject });
  }

  getCompatibility(subject?: string): Promise<{ compatibilityLevel?: string; compatibility?: string }> {
    return this.request('GET', subject ? `/config/${encodeURIComponent(subject)}?defaultToGlobal=true` : '/config', undefined, { subject });
  }

  setCompatibility(level: string, subject?: string): Promise<{ compatibility: string }> {
    return this.request('PUT', subject ? `/config/${encodeURIComponent(subject)}` : '/config', { compatibility: level }, { subject });
  }

  getMode(subject?: string): Promise<{ mode: string }> {
    return this.request('GET', subject ? `/mode/${encodeURIComponent(subject)}` : '/mode', undefined, { subject });
  }

  setMode(mode: string, subject?: string): Promise<{ mode: string }> {
    return this.request('PUT', subject ? `/mode/${encodeURIComponent(subject)}` : '/mode', { mode }, { subject });
  }

  // ---- serialisation ----------------------------------------------------------------------

  /** Resolves the schema id to write with, registering the schema first when asked to. */
  async resolveSchemaId(options: Omit<EncodeOptions, 'value'>): Promise<{ id: number; subject: string }> {
    const strategy = options.strategy ?? 'topicName';
    const recordName = options.recordName ?? (options.schema ? recordNameOf(options.format, options.schema, options.messageName) : undefined);
    const subject = subjectFor(strategy, options.topic, options.isKey ?? false, recordName);
    if (options.schema) {
      const cacheKey = `schema:${subject}:${options.format}:${options.autoRegister ? 'register' : 'lookup'}:${options.schema}`;
      const cached = this.idCache.get(cacheKey);
      if (cached) return { id: cached.id, subject };
      const { id } = options.autoRegister
        ? await this.register(subject, options.format, options.schema, options.references)
        : await this.lookup(subject, options.format, options.schema, options.references).catch((error) => {
            if (isKafkaSuiteError(error) && error.context.status === 404) {
              throw new KafkaSuiteError(
                `The schema is not registered under subject "${subject}" and auto-register is off: register it first or switch auto-register on`,
                { kind: 'config', cause: error, context: { subject } },
              );
            }
            throw error;
          });
      this.idCache.set(cacheKey, { id, at: Date.now() });
      return { id, subject };
    }
    const version = options.version ?? 'latest';
    const cacheKey = `version:${subject}:${version}`;
    const cached = this.idCache.get(cacheKey);
    // A fixed version never changes; "latest" is re-read every 30 s so new versions are picked up.
    if (cached && (version !== 'latest' || Date.now() - cached.at < LATEST_TTL_MS)) return { id: cached.id, subject };
    const found = await this.getSchemaByVersion(subject, version);
    this.idCache.set(cacheKey, { id: found.id, at: Date.now() });
    return { id: found.id, subject };
  }

  async encode(options: EncodeOptions): Promise<EncodedValue> {
    const { id, subject } = await this.resolveSchemaId(options);
    const inHeader = options.schemaIdIn === 'header';
    try {
      if (options.format === 'PROTOBUF') {
        const type = await this.protoType(id, options.messageName);
        const source = (await this.getSchemaById(id)).schema;
        const payload = Buffer.from(type.encode(protoFromJson(type, options.value)).finish());
        const indexes = encodeMessageIndexes(messageIndexes(source, type));
        if (inHeader) return { buffer: payload, schemaId: id, subject, schemaIdHeader: writeSchemaIdHeader(id, indexes) };
        return { buffer: writeHeader(id, Buffer.concat([indexes, payload])), schemaId: id, subject };
      }
      const framed = await this.serde.encode(id, options.value);
      if (inHeader) return { buffer: framed.subarray(5), schemaId: id, subject, schemaIdHeader: writeSchemaIdHeader(id) };
      return { buffer: framed, schemaId: id, subject };
    } catch (error) {
      throw validationError(error, options.format, subject, id);
    }
  }

  async decode(buffer: Buffer, options: DecodeOptions = {}): Promise<DecodedValue> {
    let schemaId: number;
    let body: Buffer;
    // The header form (Confluent 8) wins over the prefix, as in Confluent's dual deserializer.
    let indexBytes: Buffer | undefined;
    if (options.schemaIdHeader) {
      const header = readSchemaIdHeader(options.schemaIdHeader);
      schemaId = header.schemaId ?? (await this.idOfGuid(header.guid as string));
      indexBytes = header.rest;
      body = buffer;
    } else {
      ({ schemaId, body } = readHeader(buffer));
    }
    const registered = await this.getSchemaById(schemaId);
    const subject = await this.subjectForId(schemaId, options.preferSubjects);
    try {
      if (registered.schemaType === 'PROTOBUF') {
        const { indexes, payload } = indexBytes ? { indexes: decodeMessageIndexes(indexBytes).indexes, payload: body } : decodeMessageIndexes(body);
        const first = await this.protoType(schemaId);
        const type = typeAtIndexes(first, indexes, registered.schema);
        // protobufjs reads past the end of a truncated field without complaint: check the framing first.
        checkWire(payload, type);
        const message = type.decode(payload);
        return { value: protoToJson(type, message), schemaId, schemaType: 'PROTOBUF', subject };
      }
      const serde = registered.schemaType === 'AVRO' && options.logicalTypes === 'raw' ? this.rawSerde : this.serde;
      const value = await serde.decode(indexBytes ? writeHeader(schemaId, body) : buffer);
      return { value: toJsonSafe(value), schemaId, schemaType: registered.schemaType, subject };
    } catch (error) {
      if (isKafkaSuiteError(error)) throw error;
      throw new KafkaSuiteError(`Could not decode a ${registered.schemaType} value with schema id ${schemaId}: ${(error as Error).message}`, {
        kind: 'serialization',
        cause: error,
        context: { schemaId, subject },
      });
    }
  }

  /** Confluent 8 GUIDs; registries without `/schemas/guids` (Apicurio's ccompat API) answer 404. */
  private async idOfGuid(guid: string): Promise<number> {
    const cached = this.guidCache.get(guid);
    if (cached !== undefined) return cached;
    const found = await this.request<{ id?: number }>('GET', `/schemas/guids/${guid}`, undefined, { guid }).catch((error) => {
      throw new KafkaSuiteError(`Schema GUID ${guid} could not be resolved by the registry: ${toKafkaSuiteError(error).message}`, {
        kind: 'serialization',
        cause: error,
        context: { guid },
      });
    });
    if (typeof found?.id !== 'number') throw new KafkaSuiteError(`The registry answered no schema id for GUID ${guid}`, { kind: 'serialization', context: { guid } });
    this.guidCache.set(guid, found.id);
    return found.id;
  }

  /** Best effort: the subject a schema id was registered under, for trigger output. */
  private async subjectForId(id: number, prefer: string[] = []): Promise<string | undefined> {
    const cached = this.subjectsOfId.get(id);
    let subjects = cached?.subjects;
    // A schema can be registered under another subject later: look again, at most every 30 s, when the preferred one is missing.
    const stale = cached && prefer.length > 0 && !prefer.some((candidate) => cached.subjects.includes(candidate)) && Date.now() - cached.at >= LATEST_TTL_MS;
    if (!subjects || stale) {
      try {
        const versions = await this.request<Array<{ subject: string; version: number }>>('GET', `/schemas/ids/${id}/versions`);
        subjects = (versions ?? []).map((entry) => entry.subject);
      } catch {
        subjects = []; // Not every registry implements this endpoint; the subject is optional output.
      }
      this.subjectsOfId.set(id, { subjects, at: Date.now() });
    }
    const found = subjects;
    return prefer.find((candidate) => found.includes(candidate)) ?? found[0];
  }

  private async protoType(id: number, messageName?: string): Promise<ProtoType> {
    const registered = await this.getSchemaById(id);
    let type: ProtoType;
    if (isSerializedDescriptor(registered.schema)) {
      const cached = this.descriptorTypes.get(id);
      type = cached ?? (firstMessageOfDescriptor(registered.schema) as ProtoType);
      this.descriptorTypes.set(id, type);
    } else {
      type = ((await this.serde.getSchema(id)) as unknown as { message: ProtoType }).message;
      addWellKnownTypes((type as any).root);
    }
    if (messageName && type.name !== messageName) {
      const scope = topLevelScope(type);
      const found = allMessages(scope).find((candidate) => candidate.name === messageName || fullName(candidate).endsWith(`.${messageName}`));
      if (!found) throw new KafkaSuiteError(`Protobuf message "${messageName}" is not in schema ${id}`, { kind: 'config', context: { field: 'messageName' } });
      type = found;
    }
    return type;
  }
}

const isType = (node: unknown): node is ProtoType => Array.isArray((node as ProtoType)?.fieldsArray);

function topLevelScope(type: ProtoType): ProtoNamespace {
  let current: ProtoType | ProtoNamespace = type;
  while (current.parent && isType(current.parent)) current = current.parent;
  return current.parent as ProtoNamespace;
}

function allMessages(scope: ProtoNamespace): ProtoType[] {
  const result: ProtoType[] = [];
  for (const node of scope.nestedArray ?? []) {
    if (isType(node)) {
      result.push(node);
      result.push(...allMessages(node as unknown as ProtoNamespace));
    }
  }
  return result;
}

function fullName(type: ProtoType): string {
  const names: string[] = [];
  let current: any = type;
  while (current && current.name) {
    names.unshift(current.name);
    current = current.parent;
  }
  return names.join('.');
}

function typeAtIndexes(anyTypeInFile: ProtoType, indexes: number[], source: string): ProtoType {
  const name = messageAt(source, indexes);
  try {
    return (topLevelScope(anyTypeInFile) as any).lookupType(name) as ProtoType;
  } catch (cause) {
    throw new KafkaSuiteError(`Protobuf message ${name} (index ${indexes.join('.')}) is not in the schema`, { kind: 'serialization', cause });
  }
}

/**
 * Decoded values as plain JSON: BigInt longs as numbers when exact (else strings), bytes as base64.
 * A walk rather than JSON.stringify, whose result for BigInt depends on a global toJSON some hosts
 * install.
 */
function toJsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return longToJson(value);
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJsonSafe);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner !== undefined) out[key] = toJsonSafe(inner);
    }
    return out;
  }
  return value;
}

/** Names the offending field(s) of a value that does not match its schema. */
function validationError(error: unknown, format: SchemaFormat, subject: string, schemaId: number): KafkaSuiteError {
  if (isKafkaSuiteError(error)) return error;
  const paths = ((error as { paths?: unknown[] }).paths ?? []) as unknown[];
  const described = paths
    .map((path) => {
      if (Array.isArray(path)) return path.join('.');
      if (path && typeof path === 'object' && 'path' in path) {
        const detailed = path as { path: string[]; message?: string };
        const field = detailed.path.join('.').replace(/^\//, '').replace(/\//g, '.') || '(root)';
        return detailed.message ? `${field} ${detailed.message}` : field;
      }
      return String(path);
    })
    .filter(Boolean);
  const field = described[0];
  const message = described.length
    ? `Value does not match the ${format} schema of subject "${subject}" (id ${schemaId}): field ${described.join('; ')}`
    : `Value does not match the ${format} schema of subject "${subject}" (id ${schemaId}): ${(error as Error).message}`;
  return new KafkaSuiteError(message, { kind: 'serialization', cause: error, context: { subject, schemaId, field } });
}

const registryClients = new Map<string, SchemaRegistryClient>();

/** One client per registry credential, so schema-id caches stay warm across executions. */
export function registryClientFor(cred: SchemaRegistryCredential): SchemaRegistryClient {
  const key = credentialHash(cred);
  let client = registryClients.get(key);
  if (!client) {
    client = new SchemaRegistryClient(cred);
    registryClients.set(key, client);
  }
  return client;
}
