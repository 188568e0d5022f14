// Client quotas and SCRAM credentials, read over the Kafka protocol. The client library may have no
// API for either (kafkajs has none), so we encode the two request bodies ourselves and send them
// with the adapter's rawRequest, which brings TLS, SASL and the credential's settings for free and
// handles the request/response headers (including the tagged fields of flexible versions).
//
// DescribeClientQuotas v0 (key 48) uses the classic encoding. DescribeUserScramCredentials v0
// (key 50) is "flexible": compact strings and arrays, and a tagged-field section per structure.
import type { KafkaAdmin } from '../kafka/api';
import { KafkaSuiteError } from '../errors';

export interface ClientQuota {
  entity: Record<string, string | null>;
  values: Record<string, number>;
}

export interface ScramCredentialInfo {
  user: string;
  mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
  iterations: number;
}

class Writer {
  private parts: Buffer[] = [];
  int8(v: number) {
    const b = Buffer.alloc(1);
    b.writeInt8(v);
    this.parts.push(b);
    return this;
  }
  boolean(v: boolean) {
    return this.int8(v ? 1 : 0);
  }
  int32(v: number) {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.parts.push(b);
    return this;
  }
  uvarint(v: number) {
    const bytes: number[] = [];
    let rest = v >>> 0;
    while (rest > 0x7f) {
      bytes.push((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    bytes.push(rest);
    this.parts.push(Buffer.from(bytes));
    return this;
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

class Reader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}
  int8() {
    return this.buf.readInt8(this.offset++);
  }
  int16() {
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  int32() {
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  double() {
    const v = this.buf.readDoubleBE(this.offset);
    this.offset += 8;
    return v;
  }
  uvarint() {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.buf[this.offset++];
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
      shift += 7;
      if (shift > 28) throw new Error('malformed varint in broker response');
    }
  }
  bytes(n: number) {
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }
  nullableString(): string | null {
    const n = this.int16();
    return n < 0 ? null : this.bytes(n).toString('utf8');
  }
  compactNullableString(): string | null {
    const n = this.uvarint();
    return n === 0 ? null : this.bytes(n - 1).toString('utf8');
  }
  array<T>(read: () => T): T[] {
    const n = this.int32();
    return n < 0 ? [] : Array.from({ length: n }, read);
  }
  compactArray<T>(read: () => T): T[] {
    const n = this.uvarint();
    return n === 0 ? [] : Array.from({ length: n - 1 }, read);
  }
  skipTaggedFields() {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint();
      this.bytes(this.uvarint());
    }
  }
}

function brokerError(api: string, code: number, message: string | null): KafkaSuiteError {
  // 31 CLUSTER_AUTHORIZATION_FAILED: reading quotas and SCRAM credentials needs DESCRIBE_CONFIGS / DESCRIBE on the cluster.
  if (code === 31) return new KafkaSuiteError(`${api}: not authorized; the credential needs DESCRIBE_CONFIGS and DESCRIBE on the cluster`, { kind: 'authorization', code: String(code) });
  return new KafkaSuiteError(`${api} failed with Kafka error ${code}${message ? `: ${message}` : ''}`, { kind: 'protocol', code: String(code) });
}

async function raw(admin: KafkaAdmin, apiKey: number, apiName: string, body: Writer): Promise<Reader> {
  if (!admin.rawRequest) throw new KafkaSuiteError(`${apiName} cannot be sent by this Kafka client`, { kind: 'config' });
  return new Reader(await admin.rawRequest({ apiKey, apiVersion: 0, body: body.bytes(), target: 'any' }));
}

/** Every client quota of the cluster (user, client-id, ip and their defaults). */
export async function describeClientQuotas(admin: KafkaAdmin): Promise<ClientQuota[]> {
  // No components and strict=false: every entity that has a quota.
  const r = await raw(admin, 48, 'DescribeClientQuotas', new Writer().int32(0).boolean(false));
  r.int32(); // throttle
  const errorCode = r.int16();
  const errorMessage = r.nullableString();
  const entries: ClientQuota[] = r.array(() => ({
    entity: Object.fromEntries(r.array(() => [r.nullableString() ?? '', r.nullableString()] as const)),
    values: Object.fromEntries(r.array(() => [r.nullableString() ?? '', r.double()] as const)),
  }));
  if (errorCode) throw brokerError('DescribeClientQuotas', errorCode, errorMessage);
  return entries;
}

const MECHANISMS: Record<number, ScramCredentialInfo['mechanism']> = { 1: 'SCRAM-SHA-256', 2: 'SCRAM-SHA-512' };

/** Every SCRAM credential (user, mechanism, iterations); never a password or salt, the broker keeps those. */
export async function describeScramCredentials(admin: KafkaAdmin): Promise<ScramCredentialInfo[]> {
  // users = null (all), empty tagged fields.
  const r = await raw(admin, 50, 'DescribeUserScramCredentials', new Writer().uvarint(0).uvarint(0));
  r.int32(); // throttle
  const errorCode = r.int16();
  const errorMessage = r.compactNullableString();
  const results = r.compactArray(() => {
    const user = r.compactNullableString() ?? '';
    const code = r.int16();
    const message = r.compactNullableString();
    const infos = r.compactArray(() => {
      const mechanism = r.int8();
      const iterations = r.int32();
      r.skipTaggedFields();
      return { mechanism, iterations };
    });
    r.skipTaggedFields();
    return { user, code, message, infos };
  });
  if (errorCode) throw brokerError('DescribeUserScramCredentials', errorCode, errorMessage);
  const out: ScramCredentialInfo[] = [];
  for (const result of results) {
    if (result.code) throw brokerError(`DescribeUserScramCredentials for ${result.user}`, result.code, result.message);
    for (const info of result.infos) {
      const mechanism = MECHANISMS[info.mechanism];
      if (mechanism) out.push({ user: result.user, mechanism, iterations: info.iterations });
    }
  }
  return out.sort((a, b) => a.user.localeCompare(b.user) || a.mechanism.localeCompare(b.mechanism));
}
