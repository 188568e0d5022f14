// Client quotas and SCRAM credentials, read over the Kafka protocol. kafkajs (2.2.4, unmaintained)
// has no API for either, so we encode the two requests ourselves and send them through a kafkajs
// cluster connection, which brings TLS, SASL and the credential's settings for free. That needs two
// of kafkajs's private symbols, looked up by their description; a missing one is a clear error.
//
// DescribeClientQuotas v0 (key 48) uses the classic encoding. DescribeUserScramCredentials v0
// (key 50) is "flexible": its request header carries an (empty) tagged-field section after the
// client id and its response header one after the correlation id. kafkajs writes the classic
// header, so the body starts with that empty section; the response body starts with the other.
import type { Kafka } from '../vendor';
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
  /** The shape kafkajs's request writer accepts in place of its own Encoder. */
  encoder() {
    const buf = Buffer.concat(this.parts);
    return { buf, buffer: buf };
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

interface RawBroker {
  [key: symbol]: (request: unknown) => Promise<unknown>;
}
interface RawCluster {
  connect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  disconnect(): Promise<void>;
  findControllerBroker(): Promise<RawBroker>;
}

function privateSymbol(target: object, description: string): symbol {
  // Instance fields (Kafka) or class methods on the prototype (Broker).
  for (let o: object | null = target; o; o = Object.getPrototypeOf(o)) {
    const symbol = Object.getOwnPropertySymbols(o).find((s) => s.description === description);
    if (symbol) return symbol;
  }
  throw new KafkaSuiteError(`kafkajs internals changed (${description} not found): quotas and SCRAM users cannot be read`, { kind: 'config' });
}

function brokerError(api: string, code: number, message: string | null): KafkaSuiteError {
  // 31 CLUSTER_AUTHORIZATION_FAILED: reading quotas and SCRAM credentials needs DESCRIBE_CONFIGS / DESCRIBE on the cluster.
  if (code === 31) return new KafkaSuiteError(`${api}: not authorized; the credential needs DESCRIBE_CONFIGS and DESCRIBE on the cluster`, { kind: 'authorization', code: String(code) });
  return new KafkaSuiteError(`${api} failed with Kafka error ${code}${message ? `: ${message}` : ''}`, { kind: 'protocol', code: String(code) });
}

async function withBroker<R>(kafka: Kafka, use: (send: (request: unknown) => Promise<unknown>) => Promise<R>): Promise<R> {
  const createCluster = (kafka as unknown as Record<symbol, (options: object) => RawCluster>)[privateSymbol(kafka, 'private:Kafka:createCluster')];
  const cluster = createCluster({ metadataMaxAge: 300_000, allowAutoTopicCreation: false, maxInFlightRequests: null, instrumentationEmitter: null });
  await cluster.connect();
  try {
    // Any broker answers both requests; the "controller" in the metadata is simply one we know.
    await cluster.refreshMetadata();
    const broker = await cluster.findControllerBroker();
    const send = broker[privateSymbol(broker, 'private:Broker:sendRequest')].bind(broker);
    return await use(send);
  } finally {
    await cluster.disconnect();
  }
}

function request(apiKey: number, apiName: string, body: Writer, decode: (r: Reader) => unknown) {
  return {
    request: { apiKey, apiVersion: 0, apiName, encode: async () => body.encoder() },
    response: { decode: async (payload: Buffer) => decode(new Reader(payload)), parse: async (data: unknown) => data },
  };
}

/** Every client quota of the cluster (user, client-id, ip and their defaults). */
export async function describeClientQuotas(kafka: Kafka): Promise<ClientQuota[]> {
  // No components and strict=false: every entity that has a quota.
  const body = new Writer().int32(0).boolean(false);
  return withBroker(kafka, async (send) => {
    const res = (await send(
      request(48, 'DescribeClientQuotas', body, (r) => {
        r.int32(); // throttle
        const errorCode = r.int16();
        const errorMessage = r.nullableString();
        const entries = r.array(() => ({
          entity: Object.fromEntries(r.array(() => [r.nullableString() ?? '', r.nullableString()] as const)),
          values: Object.fromEntries(r.array(() => [r.nullableString() ?? '', r.double()] as const)),
        }));
        return { errorCode, errorMessage, entries };
      }),
    )) as { errorCode: number; errorMessage: string | null; entries: ClientQuota[] };
    if (res.errorCode) throw brokerError('DescribeClientQuotas', res.errorCode, res.errorMessage);
    return res.entries;
  });
}

const MECHANISMS: Record<number, ScramCredentialInfo['mechanism']> = { 1: 'SCRAM-SHA-256', 2: 'SCRAM-SHA-512' };

/** Every SCRAM credential (user, mechanism, iterations); never a password or salt, the broker keeps those. */
export async function describeScramCredentials(kafka: Kafka): Promise<ScramCredentialInfo[]> {
  // Empty request-header tagged fields, users = null (all), empty body tagged fields.
  const body = new Writer().uvarint(0).uvarint(0).uvarint(0);
  return withBroker(kafka, async (send) => {
    const res = (await send(
      request(50, 'DescribeUserScramCredentials', body, (r) => {
        r.skipTaggedFields(); // response header
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
        return { errorCode, errorMessage, results };
      }),
    )) as { errorCode: number; errorMessage: string | null; results: Array<{ user: string; code: number; message: string | null; infos: Array<{ mechanism: number; iterations: number }> }> };
    if (res.errorCode) throw brokerError('DescribeUserScramCredentials', res.errorCode, res.errorMessage);
    const out: ScramCredentialInfo[] = [];
    for (const result of res.results) {
      if (result.code) throw brokerError(`DescribeUserScramCredentials for ${result.user}`, result.code, result.message);
      for (const info of result.infos) {
        const mechanism = MECHANISMS[info.mechanism];
        if (mechanism) out.push({ user: result.user, mechanism, iterations: info.iterations });
      }
    }
    return out.sort((a, b) => a.user.localeCompare(b.user) || a.mechanism.localeCompare(b.mechanism));
  });
}
