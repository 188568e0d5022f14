import {
  KafkaSuiteError,
  createOAuthClientCredentialsProvider,
  decodeMessageIndexes,
  encodeMessageIndexes,
  readHeader,
  recordNameOf,
  subjectFor,
  toKafkaSuiteError,
  writeHeader,
} from '../../nodes/shared';

describe('OAuth2 client-credentials token provider', () => {
  function fakeTokenEndpoint(expiresIn = 100) {
    const calls: Array<{ url: string; body: string; authorization: string }> = [];
    const fetchImpl = (async (url: string, init: RequestInit) => {
      calls.push({ url, body: String(init.body), authorization: String((init.headers as Record<string, string>).authorization) });
      return new Response(JSON.stringify({ access_token: `token-${calls.length}`, expires_in: expiresIn }), { status: 200 });
    }) as unknown as typeof fetch;
    return { calls, fetchImpl };
  }

  it('sends client credentials with basic auth and caches the token until 80% of its lifetime', async () => {
    let now = 1_000_000;
    const { calls, fetchImpl } = fakeTokenEndpoint(100);
    const provider = createOAuthClientCredentialsProvider({
      tokenUrl: 'https://idp.example.com/token',
      clientId: 'client',
      clientSecret: 'oauth-secret-1',
      scope: 'kafka',
      fetchImpl,
      now: () => now,
    });
    expect(await provider()).toEqual({ value: 'token-1' });
    expect(calls[0].body).toBe('grant_type=client_credentials&scope=kafka');
    expect(Buffer.from(calls[0].authorization.replace('Basic ', ''), 'base64').toString()).toBe('client:oauth-secret-1');
    now += 79_000;
    expect(await provider()).toEqual({ value: 'token-1' });
    now += 2_000;
    expect(await provider()).toEqual({ value: 'token-2' });
    expect(calls).toHaveLength(2);
  });

  it('shares one request between concurrent connections', async () => {
    const { calls, fetchImpl } = fakeTokenEndpoint();
    const provider = createOAuthClientCredentialsProvider({ tokenUrl: 'https://idp.example.com/token', clientId: 'c', clientSecret: 's3cr3t-value', fetchImpl });
    const tokens = await Promise.all([provider(), provider(), provider()]);
    expect(new Set(tokens.map((t) => t.value)).size).toBe(1);
    expect(calls).toHaveLength(1);
  });

  it('turns a refused request into an authentication error without the secret', async () => {
    const fetchImpl = (async () => new Response('{"error":"invalid_client"}', { status: 401 })) as unknown as typeof fetch;
    const provider = createOAuthClientCredentialsProvider({ tokenUrl: 'https://idp.example.com/token', clientId: 'c', clientSecret: 'never-shown-secret', fetchImpl });
    const error = await provider().then(
      () => undefined,
      (e: unknown) => e as KafkaSuiteError,
    );
    expect(error).toBeInstanceOf(KafkaSuiteError);
    expect(error?.kind).toBe('auth');
    expect(error?.retriable).toBe(false);
    expect(error?.message).toMatch(/HTTP 401/);
    expect(error?.message).not.toContain('never-shown-secret');
  });

  it('refuses a token URL that is not a URL', () => {
    expect(() => createOAuthClientCredentialsProvider({ tokenUrl: 'idp/token', clientId: 'c', clientSecret: 's' })).toThrow(/not a URL/);
  });
});

describe('error classification', () => {
  it.each([
    [{ name: 'KafkaJSConnectionError', message: 'getaddrinfo ENOTFOUND nope', code: 'ENOTFOUND', broker: 'nope:9092' }, 'dns', true],
    [{ name: 'KafkaJSConnectionError', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED', broker: 'h:1' }, 'tcp', true],
    [{ name: 'Error', message: 'self-signed certificate in certificate chain', code: 'SELF_SIGNED_CERT_IN_CHAIN' }, 'tls', false],
    [{ name: 'KafkaJSSASLAuthenticationError', message: 'SASL SCRAM SHA256 authentication failed' }, 'auth', false],
    [{ name: 'KafkaJSProtocolError', message: 'This server does not host this topic-partition', type: 'UNKNOWN_TOPIC_OR_PARTITION', retriable: true }, 'protocol', true],
    [{ name: 'KafkaJSProtocolError', message: 'Not authorized to access topics', type: 'TOPIC_AUTHORIZATION_FAILED', retriable: false }, 'authorization', false],
  ])('%j → %s', (raw, kind, retriable) => {
    const error = toKafkaSuiteError(raw, { topic: 'orders', partition: 3 });
    expect(error.kind).toBe(kind);
    expect(error.retriable).toBe(retriable);
    expect(error.context).toMatchObject({ topic: 'orders', partition: 3 });
    expect(error.cause).toBe(raw);
  });

  it('unwraps kafkajs retry wrappers to the real reason', () => {
    const inner = { name: 'KafkaJSConnectionError', message: 'Connection timeout', broker: 'b:9092' };
    const wrapped = { name: 'KafkaJSNumberOfRetriesExceeded', message: 'Connection timeout', originalError: inner, retriable: false };
    const error = toKafkaSuiteError(wrapped);
    expect(error.kind).toBe('timeout');
    expect(error.context.broker).toBe('b:9092');
  });
});

describe('Confluent wire format', () => {
  it('writes and reads the magic byte and schema id', () => {
    const framed = writeHeader(258, Buffer.from('payload'));
    expect([...framed.subarray(0, 5)]).toEqual([0, 0, 0, 1, 2]);
    expect(readHeader(framed)).toEqual({ schemaId: 258, body: Buffer.from('payload') });
    expect(() => readHeader(Buffer.from([1, 0, 0, 0, 1]))).toThrow(/wire format/);
  });

  it.each([[[0]], [[1]], [[0, 2]], [[3, 1, 70]]])('encodes Protobuf message indexes %j and reads them back', (indexes) => {
    const encoded = Buffer.concat([encodeMessageIndexes(indexes), Buffer.from([0x0a, 0x01, 0x78])]);
    expect(decodeMessageIndexes(encoded)).toEqual({ indexes, payload: Buffer.from([0x0a, 0x01, 0x78]) });
  });
});

describe('subject strategies', () => {
  it('names subjects the Confluent way', () => {
    expect(subjectFor('topicName', 'orders', false, undefined)).toBe('orders-value');
    expect(subjectFor('topicName', 'orders', true, undefined)).toBe('orders-key');
    expect(subjectFor('recordName', 'orders', false, 'com.acme.Order')).toBe('com.acme.Order');
    expect(subjectFor('topicRecordName', 'orders', false, 'com.acme.Order')).toBe('orders-com.acme.Order');
    expect(() => subjectFor('recordName', 'orders', false, undefined)).toThrow(/record name/);
  });

  it('reads record names from Avro, Protobuf and JSON Schema', () => {
    expect(recordNameOf('AVRO', '{"type":"record","name":"Order","namespace":"com.acme","fields":[]}')).toBe('com.acme.Order');
    expect(recordNameOf('PROTOBUF', 'syntax = "proto3";\npackage com.acme;\nmessage Order { string id = 1; }')).toBe('com.acme.Order');
    expect(recordNameOf('JSON', '{"title":"Order","type":"object"}')).toBe('Order');
    expect(() => recordNameOf('AVRO', '{not json')).toThrow(/not valid JSON/);
  });
});
