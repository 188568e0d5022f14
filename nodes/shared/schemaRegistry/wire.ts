import { KafkaSuiteError } from '../errors';

/** Confluent wire format: magic byte 0, 4-byte big-endian schema id, then (Protobuf only) message indexes, then the payload. */
export function readHeader(buffer: Buffer): { schemaId: number; body: Buffer } {
  if (!Buffer.isBuffer(buffer) || buffer.length < 5 || buffer[0] !== 0) {
    throw new KafkaSuiteError('The value is not in the Confluent wire format (magic byte 0 + 4-byte schema id)', { kind: 'serialization' });
  }
  return { schemaId: buffer.readInt32BE(1), body: buffer.subarray(5) };
}

/**
 * A schema id carried in a `__key_schema_id` / `__value_schema_id` header (Confluent 8): 0x00 +
 * 4-byte id or 0x01 + 16-byte GUID, followed (Protobuf only) by the message indexes.
 */
export function readSchemaIdHeader(header: Buffer): { schemaId?: number; guid?: string; rest: Buffer } {
  if (header.length >= 5 && header[0] === 0) return { schemaId: header.readInt32BE(1), rest: header.subarray(5) };
  if (header.length >= 17 && header[0] === 1) {
    const hex = header.subarray(1, 17).toString('hex');
    const guid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    return { guid, rest: header.subarray(17) };
  }
  throw new KafkaSuiteError('The schema id header is neither 0x00 + 4-byte id nor 0x01 + 16-byte GUID', { kind: 'serialization' });
}

/** The header form of a schema id: 0x00 + 4-byte id, then the Protobuf message indexes when given. */
export function writeSchemaIdHeader(schemaId: number, messageIndexes?: Buffer): Buffer {
  return writeHeader(schemaId, messageIndexes ?? Buffer.alloc(0));
}

export function writeHeader(schemaId: number, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, body]);
}

function writeZigZagVarint(value: number, out: number[]): void {
  let zigzag = (value << 1) ^ (value >> 31);
  while (zigzag > 0x7f) {
    out.push((zigzag & 0x7f) | 0x80);
    zigzag >>>= 7;
  }
  out.push(zigzag);
}

function readZigZagVarint(buffer: Buffer, offset: number): { value: number; offset: number } {
  let result = 0;
  let shift = 0;
  let byte: number;
  do {
    if (offset >= buffer.length) throw new KafkaSuiteError('Truncated Protobuf message indexes', { kind: 'serialization' });
    // Indexes are small; more than 5 bytes is garbage, not a number worth reading on.
    if (shift > 28) throw new KafkaSuiteError('Malformed Protobuf message indexes (varint too long)', { kind: 'serialization' });
    byte = buffer[offset++];
    result |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return { value: (result >>> 1) ^ -(result & 1), offset };
}

/** Protobuf message indexes: the common case [0] is written as a single 0 byte, as Confluent does. */
export function encodeMessageIndexes(indexes: number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0]);
  const out: number[] = [];
  writeZigZagVarint(indexes.length, out);
  for (const index of indexes) writeZigZagVarint(index, out);
  return Buffer.from(out);
}

export function decodeMessageIndexes(body: Buffer): { indexes: number[]; payload: Buffer } {
  const first = readZigZagVarint(body, 0);
  if (first.value === 0) return { indexes: [0], payload: body.subarray(first.offset) };
  // Same bound as Confluent's deserializers: a negative or absurd count is a malformed payload.
  if (first.value < 0 || first.value > 100_000) throw new KafkaSuiteError(`Malformed Protobuf message indexes (count ${first.value})`, { kind: 'serialization' });
  const indexes: number[] = [];
  let offset = first.offset;
  for (let i = 0; i < first.value; i++) {
    const next = readZigZagVarint(body, offset);
    if (next.value < 0) throw new KafkaSuiteError(`Malformed Protobuf message index ${next.value}`, { kind: 'serialization' });
    indexes.push(next.value);
    offset = next.offset;
  }
  return { indexes, payload: body.subarray(offset) };
}
