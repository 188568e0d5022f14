import { KafkaSuiteError } from '../errors';

/** Confluent wire format: magic byte 0, 4-byte big-endian schema id, then (Protobuf only) message indexes, then the payload. */
export function readHeader(buffer: Buffer): { schemaId: number; body: Buffer } {
  if (!Buffer.isBuffer(buffer) || buffer.length < 5 || buffer[0] !== 0) {
    throw new KafkaSuiteError('The value is not in the Confluent wire format (magic byte 0 + 4-byte schema id)', { kind: 'serialization' });
  }
  return { schemaId: buffer.readInt32BE(1), body: buffer.subarray(5) };
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
  const indexes: number[] = [];
  let offset = first.offset;
  for (let i = 0; i < first.value; i++) {
    const next = readZigZagVarint(body, offset);
    indexes.push(next.value);
    offset = next.offset;
  }
  return { indexes, payload: body.subarray(offset) };
}
