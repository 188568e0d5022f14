// Pure parts of the @platformatic/kafka adapter: credential -> client options, the record filter of
// the delivery loop (control batches, offsets before the fetch position, aborted transactions),
// received headers, and error mapping. No broker, no library load.
import { resolveClusterConfig } from '../../../nodes/shared/platforms';
import { receivedHeaders, recordsOf } from '../../../nodes/shared/kafka/platformatic/consumer';
import { toBaseOptions, toSuiteError } from '../../../nodes/shared/kafka/platformatic/options';
import { nodeSupportsPlatformatic } from '../../../nodes/shared/kafka/platformatic';

type Batch = Parameters<typeof recordsOf>[2][number];
const record = (offsetDelta: number, value: string, headers: Array<[Buffer | null, Buffer | null]> = []) => ({
  length: 0,
  attributes: 0,
  timestampDelta: BigInt(offsetDelta),
  offsetDelta,
  key: null,
  value: Buffer.from(value),
  headers,
});
const batch = (firstOffset: number, producerId: number, attributes: number, values: string[]): Batch => ({
  firstOffset: BigInt(firstOffset),
  length: 0,
  partitionLeaderEpoch: 0,
  magic: 2,
  crc: 0,
  attributes,
  lastOffsetDelta: values.length - 1,
  firstTimestamp: 1000n,
  maxTimestamp: 5000n,
  producerId: BigInt(producerId),
  producerEpoch: 0,
  firstSequence: 0,
  records: values.map((v, i) => record(i, v)),
});
const TXN = 0x10;
const CONTROL = 0x30;

describe('recordsOf', () => {
  it('drops aborted transactions under read_committed, keeps the same producer once its abort marker passed', () => {
    const batches = [
      batch(0, 8, TXN, ['aborted-1', 'aborted-2']),
      batch(2, 8, CONTROL, ['marker']),
      batch(3, 9, 0, ['plain']),
      batch(4, 8, TXN, ['committed']),
      batch(5, 8, CONTROL, ['marker']),
    ];
    const aborted = [{ producerId: 8n, firstOffset: 0n }];
    const committed = recordsOf('t', 0, batches, 0n, aborted, true);
    expect(committed.records.map((r) => r.value!.toString())).toEqual(['plain', 'committed']);
    expect(committed.next).toBe(6n);
    const uncommitted = recordsOf('t', 0, batches, 0n, null, false);
    expect(uncommitted.records.map((r) => r.value!.toString())).toEqual(['aborted-1', 'aborted-2', 'plain', 'committed']);
  });

  it('skips records before the fetch position (a batch that starts earlier) and uses LogAppendTime when set', () => {
    const { records, next } = recordsOf('t', 3, [batch(10, -1, 0x08, ['a', 'b', 'c'])], 11n, null, true);
    expect(records.map((r) => [r.offset, r.value!.toString(), r.timestamp])).toEqual([
      ['11', 'b', '5000'],
      ['12', 'c', '5000'],
    ]);
    expect(next).toBe(13n);
  });

  it('a fetch of control records only still moves the position past them', () => {
    expect(recordsOf('t', 0, [batch(7, 8, CONTROL, ['marker'])], 7n, null, true)).toEqual({ records: [], next: 8n });
  });
});

it('receivedHeaders keeps repeated names as arrays, null values, and prototype-like names as own properties', () => {
  const headers = receivedHeaders([
    [Buffer.from('a'), Buffer.from('1')],
    [Buffer.from('a'), null],
    [Buffer.from('__proto__'), Buffer.from('x')],
  ]);
  expect(headers.a).toEqual([Buffer.from('1'), null]);
  expect(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value).toEqual(Buffer.from('x'));
  expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
});

describe('toBaseOptions', () => {
  it('maps brokers, timeouts, retries, TLS and SCRAM; never auto-creates topics', () => {
    const options = toBaseOptions(
      resolveClusterConfig({
        platform: 'apache',
        brokers: 'b1:9095,b2:9095',
        securityProtocol: 'sasl_ssl',
        saslMechanism: 'scram-sha-512',
        username: 'alice',
        password: 'secret',
        connectionTimeoutMs: 1234,
        requestTimeoutMs: 5678,
        retries: 3,
      }),
    );
    expect(options).toMatchObject({
      bootstrapBrokers: ['b1:9095', 'b2:9095'],
      connectTimeout: 1234,
      requestTimeout: 5678,
      retries: 3,
      autocreateTopics: false,
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'alice', password: 'secret' },
      tls: { rejectUnauthorized: true },
    });
  });

  it('OAUTHBEARER (MSK IAM) becomes a token provider the library calls at each authentication', async () => {
    const resolved = resolveClusterConfig({ platform: 'msk', brokers: 'b:9098', mskAuth: 'iam', awsRegion: 'eu-west-1', awsAccessKeyId: 'AKIA', awsSecretAccessKey: 's' });
    const options = toBaseOptions(resolved);
    expect(options.sasl?.mechanism).toBe('OAUTHBEARER');
    expect(typeof options.sasl?.token).toBe('function');
  });
});

describe('toSuiteError', () => {
  it('a SASL failure nested in the library\'s MultipleErrors: auth, mechanism named, no password', () => {
    const inner = Object.assign(new Error('SASL authentication failed.'), { code: 'PLT_KFK_PROTOCOL', apiId: 'SASL_AUTHENTICATION_FAILED', serverErrorMessage: 'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512' });
    const outer = Object.assign(new AggregateError([inner], 'Connection to broker failed.'), { code: 'PLT_KFK_MULTIPLE' });
    const mapped = toSuiteError(outer, { mechanism: 'SCRAM-SHA-512', broker: 'b:9094' });
    expect(mapped.kind).toBe('auth');
    expect(mapped.message).toContain('SCRAM-SHA-512');
  });

  it('authorization, protocol (with the Kafka code) and socket errors keep their kinds', () => {
    const protocol = (apiId: string, canRetry = false) => Object.assign(new Error(apiId), { code: 'PLT_KFK_PROTOCOL', apiId, canRetry });
    expect(toSuiteError(protocol('TOPIC_AUTHORIZATION_FAILED')).kind).toBe('authorization');
    const unknown = toSuiteError(protocol('UNKNOWN_TOPIC_OR_PARTITION', true));
    expect([unknown.kind, unknown.code, unknown.retriable]).toEqual(['protocol', 'UNKNOWN_TOPIC_OR_PARTITION', true]);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const network = Object.assign(new Error('Connection to 127.0.0.1:1 failed.'), { code: 'PLT_KFK_NETWORK', cause: refused });
    expect(toSuiteError(network).kind).toBe('tcp');
  });
});

it('the library engine floor: Node 22.22+ or 24.6+', () => {
  expect(['20.19.0', '22.21.0', '22.22.0', '24.5.0', '24.6.0', '25.0.0'].map((v) => nodeSupportsPlatformatic(v))).toEqual([false, false, true, false, true, true]);
});
