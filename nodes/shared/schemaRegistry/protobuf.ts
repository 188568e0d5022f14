import { isUtf8 } from 'node:buffer';
import { KafkaSuiteError } from '../errors';
import { FileDescriptorProto, FileDescriptorSet, ProtobufMapField, ProtobufRoot, protobufCommon } from '../vendor';

/**
 * Protobuf the way protoc and Confluent do it, on top of protobufjs' reflection types:
 * - message indexes over the real descriptor: protoc turns every `map<>` field into a nested
 *   `XxxEntry` message at the place the field is declared, which protobufjs does not model, so the
 *   declaration order is read from the .proto source itself;
 * - the proto3 canonical JSON mapping both ways (json_name and original field names accepted,
 *   enum names, 64-bit integers as strings, bytes as base64, Timestamp / Duration as strings);
 * - strict decoding: a payload cut inside a field is an error (protobufjs reads past the end of
 *   a truncated string without complaint).
 */

type AnyType = any;

// ---- declaration layout (message indexes) ---------------------------------------------------

interface LayoutNode {
  name: string;
  /** Nested message types in descriptor order: declared messages and map entries (null). */
  nested: Array<LayoutNode | null>;
}

function tokens(source: string): string[] {
  const stripped = source
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  return stripped.match(/[A-Za-z_][\w.]*|""|[{}<>;=()[\],]|[^\s\w]/g) ?? [];
}

/** A schema served as a base64 FileDescriptorProto instead of .proto text. */
export function isSerializedDescriptor(schema: string): boolean {
  const text = schema.trim();
  return text.length > 0 && !/\b(syntax|message|package|enum|edition)\b\s/.test(text) && /^[A-Za-z0-9+/=\s]+$/.test(text);
}

function descriptorOf(schema: string): AnyType {
  try {
    return (FileDescriptorProto as AnyType).decode(Buffer.from(schema.replace(/\s+/g, ''), 'base64'));
  } catch (cause) {
    throw new KafkaSuiteError(`The Protobuf schema is neither .proto text nor a serialized FileDescriptorProto: ${(cause as Error).message}`, { kind: 'serialization', cause });
  }
}

function layoutOfDescriptor(messages: AnyType[]): LayoutNode[] {
  // Map entries are real nested types in a descriptor, in protoc's order already.
  return messages.map((message) => ({ name: message.name, nested: (message.nestedType ?? []).map((nested: AnyType) => (nested.options?.mapEntry ? null : layoutOfDescriptor([nested])[0])) }));
}

/**
 * protobufjs types for a serialized FileDescriptorProto, plus the well-known types it imports;
 * returns the file's first message, as the serde library does for .proto text.
 */
export function firstMessageOfDescriptor(schema: string): AnyType {
  const file = descriptorOf(schema);
  // fromDescriptor resolves every reference at once, so the well-known types a schema imports
  // (served by no registry: protoc has them built in) go into the set beside it.
  const wellKnown = new (ProtobufRoot as AnyType)();
  // struct.proto is left out here: protobufjs cannot write its Value type back into a descriptor.
  addWellKnownJson(wellKnown, WELL_KNOWN.filter((file) => !file.endsWith('/struct.proto')));
  const set = (FileDescriptorSet as AnyType).encode({ file: [...wellKnown.toDescriptor('proto3').file, file] }).finish();
  let root: AnyType;
  try {
    root = (ProtobufRoot as AnyType).fromDescriptor(set);
  } catch (cause) {
    throw new KafkaSuiteError(`The Protobuf descriptor cannot be used: ${(cause as Error).message}`, { kind: 'serialization', cause });
  }
  restoreMapFields(root);
  applyJsonNames(root, file.package ? `${file.package}.` : '', file.messageType ?? []);
  const first = file.messageType?.[0]?.name;
  if (!first) throw new KafkaSuiteError('The Protobuf schema declares no message', { kind: 'serialization' });
  return root.lookupType(file.package ? `${file.package}.${first}` : first);
}

/** protobufjs drops the descriptor's json_name (protoc fills it for every field): put it back. */
function applyJsonNames(root: AnyType, prefix: string, messages: AnyType[]): void {
  for (const message of messages) {
    const name = `${prefix}${message.name}`;
    let type: AnyType;
    try {
      type = root.lookupType(name);
    } catch {
      continue;
    }
    for (const descriptorField of message.field ?? []) {
      const field = type.fields[descriptorField.name];
      if (field && descriptorField.jsonName) field.setOption('json_name', descriptorField.jsonName);
    }
    applyJsonNames(root, `${name}.`, message.nestedType ?? []);
  }
}

/**
 * protobufjs reads a descriptor's map fields as repeated `XxxEntry` messages (same wire bytes, but
 * a list of {key, value} in JSON): turn them back into map fields, as .proto text gives.
 */
function restoreMapFields(namespace: AnyType): void {
  for (const nested of namespace.nestedArray ?? []) {
    if (nested.fieldsArray) {
      for (const field of [...nested.fieldsArray]) {
        const entry = field.resolvedType;
        const isEntry =
          field.repeated && entry?.fieldsArray?.length === 2 && entry.fields.key?.id === 1 && entry.fields.value?.id === 2 && (entry.options?.map_entry || entry.options?.mapEntry || entry.name.endsWith('Entry'));
        if (!isEntry) continue;
        nested.remove(field);
        nested.add(new (ProtobufMapField as AnyType)(field.name, field.id, entry.fields.key.type, entry.fields.value.type, field.options));
      }
    }
    restoreMapFields(nested);
  }
  try {
    if (!namespace.parent) namespace.resolveAll();
  } catch {
    // Reported by the type that needs the missing reference.
  }
}

/** The top-level messages of a .proto file and, recursively, their nested types in protoc's order. */
export function protoLayout(source: string): LayoutNode[] {
  if (isSerializedDescriptor(source)) return layoutOfDescriptor(descriptorOf(source).messageType ?? []);
  const list = tokens(source);
  const top: LayoutNode[] = [];
  const stack: Array<LayoutNode | null> = [];
  const current = () => (stack.length ? stack[stack.length - 1] : undefined);
  for (let i = 0; i < list.length; i++) {
    const token = list[i];
    const inMessage = current();
    if ((token === 'message' || token === 'group') && /^[A-Za-z_]\w*$/.test(list[i + 1] ?? '')) {
      // `group Name = 3 {` (proto2) declares a nested type too.
      let j = i + 2;
      if (token === 'group') while (j < list.length && list[j] !== '{' && list[j] !== ';') j++;
      if (list[j] === '{') {
        const node: LayoutNode = { name: list[i + 1], nested: [] };
        if (inMessage) inMessage.nested.push(node);
        else if (stack.length === 0) top.push(node);
        stack.push(node);
        i = j;
        continue;
      }
    }
    if (token === 'map' && list[i + 1] === '<' && inMessage) {
      inMessage.nested.push(null);
      continue;
    }
    if (token === '{') stack.push(inMessage && (list[i - 2] === 'oneof' || list[i - 1] === 'oneof') ? inMessage : null);
    else if (token === '}') stack.pop();
  }
  return top;
}

/** The type's names below the package: `.pkg.Outer.Inner` → ['Outer', 'Inner']. */
function namePath(type: AnyType): string[] {
  const names: string[] = [];
  let current = type;
  while (current && current.parent && current.fieldsArray !== undefined) {
    names.unshift(current.name);
    current = current.parent;
  }
  return names;
}

export function messageIndexes(source: string, type: AnyType): number[] {
  const path = namePath(type);
  let level: Array<LayoutNode | null> = protoLayout(source);
  const indexes: number[] = [];
  for (const name of path) {
    const index = level.findIndex((node) => node?.name === name);
    if (index < 0) throw new KafkaSuiteError(`Protobuf message ${path.join('.')} is not declared in the schema`, { kind: 'serialization' });
    indexes.push(index);
    level = (level[index] as LayoutNode).nested;
  }
  return indexes;
}

/** The full name (below the package) of the message that `indexes` designate. */
export function messageAt(source: string, indexes: number[]): string {
  let level: Array<LayoutNode | null> = protoLayout(source);
  const names: string[] = [];
  for (const index of indexes) {
    const node = level[index];
    if (!node) throw new KafkaSuiteError(`Protobuf message index ${indexes.join('.')} is not a message of the schema`, { kind: 'serialization' });
    names.push(node.name);
    level = node.nested;
  }
  return names.join('.');
}

/** Full name Confluent's RecordNameStrategy uses: package + nesting, also for a short nested name. */
export function protoRecordName(source: string, messageName?: string): string | undefined {
  const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(source.replace(/\/\/[^\n]*/g, ''))?.[1];
  const layout = protoLayout(source);
  let found: string[] | undefined;
  const search = (nodes: Array<LayoutNode | null>, prefix: string[]) => {
    for (const node of nodes) {
      if (!node || found) continue;
      const path = [...prefix, node.name];
      if (!messageName || path.join('.') === messageName || (!messageName.includes('.') && node.name === messageName)) found = path;
      else search(node.nested, path);
    }
  };
  if (messageName && pkg && messageName.startsWith(`${pkg}.`)) messageName = messageName.slice(pkg.length + 1);
  search(layout, []);
  if (!found) return messageName ? (pkg ? `${pkg}.${messageName}` : messageName) : undefined;
  return pkg ? `${pkg}.${found.join('.')}` : found.join('.');
}

const WELL_KNOWN = ['any', 'duration', 'empty', 'field_mask', 'struct', 'timestamp', 'wrappers'].map((name) => `google/protobuf/${name}.proto`);

/**
 * Schemas importing google/protobuf/*.proto (Timestamp, Duration, wrappers...) get those types:
 * the registry serves such imports as names only, protoc and Confluent know them built in.
 */
function addWellKnownJson(root: AnyType, files = WELL_KNOWN): void {
  for (const file of files) {
    const json = (protobufCommon as AnyType).get(file);
    if (json?.nested) root.addJSON(json.nested);
  }
}

export function addWellKnownTypes(root: AnyType): void {
  if (!root || root.__kafkaSuiteWellKnown) return;
  addWellKnownJson(root);
  Object.defineProperty(root, '__kafkaSuiteWellKnown', { value: true });
  // Until everything is resolved, protobufjs does not apply proto3's defaults (packed repeated
  // scalars, implicit presence) and encodes differently from protoc.
  try {
    root.resolveAll();
  } catch {
    // An unresolvable import: the types that need it fail on their own, with the type's name.
  }
}

// ---- strict wire check ----------------------------------------------------------------------

function readVarint(buffer: Buffer, offset: number): { value: bigint; offset: number } {
  let value = 0n;
  for (let shift = 0n, i = 0; i < 10; i++, shift += 7n) {
    if (offset >= buffer.length) throw new Error('truncated varint');
    const byte = buffer[offset++];
    value |= BigInt(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return { value, offset };
  }
  throw new Error('varint longer than 10 bytes');
}

const PACKABLE = new Set(['double', 'float', 'int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64', 'bool']);

/** Walks the encoded fields; every length must fit, nested messages are checked too. */
export function checkWire(buffer: Buffer, type: AnyType | undefined, path = ''): void {
  let offset = 0;
  const endGroups: number[] = [];
  while (offset < buffer.length) {
    const tag = readVarint(buffer, offset);
    offset = tag.offset;
    const fieldNumber = Number(tag.value >> 3n);
    const wireType = Number(tag.value & 7n);
    if (fieldNumber === 0) throw new Error(`field number 0 at byte ${offset}`);
    const field = type?.fieldsById?.[fieldNumber];
    const where = `${path}${field ? field.name : `#${fieldNumber}`}`;
    switch (wireType) {
      case 0:
        offset = readVarint(buffer, offset).offset;
        break;
      case 1:
        if (offset + 8 > buffer.length) throw new Error(`${where}: truncated 64-bit value`);
        offset += 8;
        break;
      case 5:
        if (offset + 4 > buffer.length) throw new Error(`${where}: truncated 32-bit value`);
        offset += 4;
        break;
      case 2: {
        const length = readVarint(buffer, offset);
        offset = length.offset;
        const end = offset + Number(length.value);
        if (length.value > BigInt(buffer.length) || end > buffer.length) throw new Error(`${where}: length ${length.value} runs past the end of the payload`);
        const body = buffer.subarray(offset, end);
        if (field) {
          field.resolve?.();
          if (field.map) checkWire(body, undefined, `${where}.`);
          else if (field.resolvedType && field.resolvedType.fieldsArray) checkWire(body, field.resolvedType, `${where}.`);
          else if (field.type === 'string' && !isUtf8(body)) throw new Error(`${where}: string is not valid UTF-8`);
          else if (field.repeated && PACKABLE.has(field.type)) {
            if (['double', 'fixed64', 'sfixed64'].includes(field.type) ? body.length % 8 : ['float', 'fixed32', 'sfixed32'].includes(field.type) ? body.length % 4 : 0) {
              throw new Error(`${where}: packed values do not fill the field`);
            }
            if (!['double', 'fixed64', 'sfixed64', 'float', 'fixed32', 'sfixed32'].includes(field.type)) for (let at = 0; at < body.length; ) at = readVarint(body, at).offset;
          }
        }
        offset = end;
        break;
      }
      case 3:
        endGroups.push(fieldNumber);
        break;
      case 4:
        if (endGroups.pop() !== fieldNumber) throw new Error(`${where}: unmatched end of group`);
        break;
      default:
        throw new Error(`${where}: invalid wire type ${wireType}`);
    }
  }
  if (endGroups.length) throw new Error(`${path || 'message'}: group not closed`);
}

// ---- canonical JSON -------------------------------------------------------------------------

const TIMESTAMP = '.google.protobuf.Timestamp';
const DURATION = '.google.protobuf.Duration';
const WRAPPERS = new Set(['DoubleValue', 'FloatValue', 'Int64Value', 'UInt64Value', 'Int32Value', 'UInt32Value', 'BoolValue', 'StringValue', 'BytesValue'].map((name) => `.google.protobuf.${name}`));

function fraction(nanos: number): string {
  if (!nanos) return '';
  const text = String(nanos).padStart(9, '0');
  return `.${text.endsWith('000000') ? text.slice(0, 3) : text.endsWith('000') ? text.slice(0, 6) : text}`;
}

function timestampText(value: { seconds?: string | number; nanos?: number }): string {
  const seconds = BigInt(value.seconds ?? 0);
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) throw new Error(`Timestamp ${seconds} s is out of range`);
  return `${date.toISOString().slice(0, 19)}${fraction(value.nanos ?? 0)}Z`;
}

function durationText(value: { seconds?: string | number; nanos?: number }): string {
  const seconds = BigInt(value.seconds ?? 0);
  const nanos = value.nanos ?? 0;
  const negative = seconds < 0n || nanos < 0;
  const abs = (seconds < 0n ? -seconds : seconds).toString();
  return `${negative ? '-' : ''}${abs}${fraction(Math.abs(nanos))}s`;
}

/** A decoded message as proto3 canonical JSON (defaults included, so items keep their shape). */
export function protoToJson(type: AnyType, message: unknown): Record<string, unknown> {
  const object = type.toObject(message, { longs: String, enums: String, bytes: String, defaults: true, arrays: true, objects: true });
  return convertOut(type, object) as Record<string, unknown>;
}

function convertOut(type: AnyType, object: any): unknown {
  if (object === null || object === undefined) return object;
  const full = type.fullName;
  if (full === TIMESTAMP) return timestampText(object);
  if (full === DURATION) return durationText(object);
  if (WRAPPERS.has(full)) return object.value;
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    field.resolve();
    if (!(field.name in object)) continue;
    const value = object[field.name];
    // Descriptors keep the original snake_case names; .proto text is already camelCased by protobufjs.
    const name = field.options?.json_name ?? field.options?.jsonName ?? camel(field.name);
    const child = field.resolvedType && field.resolvedType.fieldsArray ? field.resolvedType : undefined;
    if (!child || value === null || value === undefined) out[name] = value;
    else if (field.map) out[name] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertOut(child, v)]));
    else if (field.repeated) out[name] = (value as unknown[]).map((v) => convertOut(child, v));
    else out[name] = convertOut(child, value);
  }
  return out;
}

function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function parseTimestamp(text: string, where: string): { seconds: string; nanos: number } {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text.trim());
  const ms = match ? Date.parse(`${match[1]}${match[3]}`) : NaN;
  if (!match || Number.isNaN(ms)) throw fieldError(where, `"${text}" is not an RFC 3339 timestamp`);
  return { seconds: String(Math.floor(ms / 1000)), nanos: Number((match[2] ?? '').padEnd(9, '0')) };
}

function parseDuration(text: string, where: string): { seconds: string; nanos: number } {
  const match = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(text.trim());
  if (!match) throw fieldError(where, `"${text}" is not a duration such as "1.5s"`);
  const sign = match[1] ? -1 : 1;
  const nanos = Number((match[3] ?? '').padEnd(9, '0'));
  return { seconds: `${match[1] ?? ''}${match[2]}`, nanos: sign * nanos };
}

function fieldError(where: string, message: string): Error {
  return Object.assign(new Error(message), { paths: [[`${where} ${message}`]] });
}

const INT32 = new Set(['int32', 'sint32', 'sfixed32']);
const UINT32 = new Set(['uint32', 'fixed32']);
const INT64 = new Set(['int64', 'sint64', 'sfixed64']);
const UINT64 = new Set(['uint64', 'fixed64']);

function scalarIn(field: AnyType, value: unknown, where: string): unknown {
  const type = field.type;
  const resolved = field.resolvedType;
  if (resolved && resolved.values) {
    if (typeof value === 'string' && value in resolved.values) return value;
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    throw fieldError(where, `must be one of ${Object.keys(resolved.values).join(', ')}`);
  }
  const integer = (text: unknown) => (typeof text === 'number' && Number.isInteger(text) ? BigInt(text) : typeof text === 'string' && /^-?\d+$/.test(text.trim()) ? BigInt(text.trim()) : undefined);
  if (INT32.has(type) || UINT32.has(type)) {
    const big = integer(value);
    const [min, max] = INT32.has(type) ? [-(2n ** 31n), 2n ** 31n - 1n] : [0n, 2n ** 32n - 1n];
    if (big === undefined || big < min || big > max) throw fieldError(where, `must be a ${type} (integer from ${min} to ${max})`);
    return Number(big);
  }
  if (INT64.has(type) || UINT64.has(type)) {
    const big = integer(value);
    const [min, max] = INT64.has(type) ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n];
    if (big === undefined || big < min || big > max) throw fieldError(where, `must be a ${type} (integer, as a string beyond 2^53)`);
    return big.toString();
  }
  if (type === 'double' || type === 'float') {
    if (typeof value === 'number') return value;
    if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
    if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
    throw fieldError(where, `must be a number`);
  }
  if (type === 'bool') {
    if (typeof value === 'boolean') return value;
    throw fieldError(where, 'must be true or false');
  }
  if (type === 'string') {
    if (typeof value === 'string') return value;
    throw fieldError(where, 'must be a string');
  }
  if (type === 'bytes') {
    if (typeof value === 'string' && /^[A-Za-z0-9+/\-_]*={0,2}$/.test(value.replace(/\s+/g, ''))) return Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    throw fieldError(where, 'must be base64 text');
  }
  return value;
}

function messageIn(type: AnyType, value: unknown, where: string): Record<string, unknown> {
  const full = type.fullName;
  // Zero members are left out, as protoc does for these proto3 messages.
  const nonZero = (fields: Record<string, unknown>) => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== 0 && v !== '0' && v !== '' && v !== false && !(Buffer.isBuffer(v) && !v.length)));
  if (full === TIMESTAMP && typeof value === 'string') return nonZero(parseTimestamp(value, where));
  if (full === DURATION && typeof value === 'string') return nonZero(parseDuration(value, where));
  if (WRAPPERS.has(full) && (value === null || typeof value !== 'object')) return nonZero({ value: scalarIn(type.fields.value, value, where) });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw fieldError(where || '(root)', `must be an object (message ${type.name})`);
  const byName = new Map<string, AnyType>();
  for (const field of type.fieldsArray) {
    byName.set(field.name, field);
    byName.set(camel(field.name), field);
    if (field.options?.json_name) byName.set(field.options.json_name, field);
  }
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const field = byName.get(key) ?? byName.get(camel(key));
    const at = where ? `${where}.${key}` : key;
    if (!field) throw fieldError(at, `is not a field of ${type.name}`);
    if (inner === null || inner === undefined) continue; // null is the default: the field stays unset
    field.resolve();
    const child = field.resolvedType && field.resolvedType.fieldsArray ? field.resolvedType : undefined;
    const one = (v: unknown, p: string) => (child ? messageIn(child, v, p) : scalarIn(field, v, p));
    if (field.map) {
      if (typeof inner !== 'object' || Array.isArray(inner)) throw fieldError(at, 'must be an object (map)');
      out[field.name] = Object.fromEntries(Object.entries(inner as Record<string, unknown>).map(([k, v]) => [k, one(v, `${at}.${k}`)]));
    } else if (field.repeated) {
      if (!Array.isArray(inner)) throw fieldError(at, 'must be an array');
      out[field.name] = inner.map((v, index) => one(v, `${at}[${index}]`));
    } else {
      const converted = one(inner, at);
      // proto3 implicit presence: a default value is not written (protoc and Confluent leave it out).
      if (!child && !field.hasPresence && !field.partOf && isDefaultScalar(field, converted)) continue;
      out[field.name] = converted;
    }
  }
  return out;
}

function isDefaultScalar(field: AnyType, value: unknown): boolean {
  if (field.resolvedType?.values) return value === 0 || field.resolvedType.values[value as string] === 0;
  if (Buffer.isBuffer(value)) return value.length === 0;
  return value === 0 || value === '0' || value === '' || value === false;
}

/** Canonical (or original-name) JSON → a message protobufjs can encode; errors name the field. */
export function protoFromJson(type: AnyType, value: unknown): unknown {
  return type.fromObject(messageIn(type, value, ''));
}
