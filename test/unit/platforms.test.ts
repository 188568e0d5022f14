import {
  KafkaSuiteError,
  credentialHash,
  parseEventHubsConnectionString,
  resolveClusterConfig,
  scrubSecrets,
  type KafkaClusterCredential,
} from '../../nodes/shared';

const PEM_CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
const PEM_KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----';
const EVENT_HUBS =
  'Endpoint=sb://orders-ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=c2VjcmV0LWtleS12YWx1ZQ==';

function expectConfigError(cred: KafkaClusterCredential, message: RegExp, field: string): KafkaSuiteError {
  let caught: unknown;
  try {
    resolveClusterConfig(cred);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(KafkaSuiteError);
  const error = caught as KafkaSuiteError;
  expect(error.kind).toBe('config');
  expect(error.message).toMatch(message);
  expect(error.context.field).toBe(field);
  return error;
}

describe('Apache Kafka and Redpanda', () => {
  it('maps PLAINTEXT to no TLS and no SASL', () => {
    const { kafka, summary } = resolveClusterConfig({ platform: 'apache', brokers: 'a:9092, b:9093' });
    expect(kafka.brokers).toEqual(['a:9092', 'b:9093']);
    expect(kafka.ssl).toBe(false);
    expect(kafka.sasl).toBeUndefined();
    expect(summary.tls).toBe(false);
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('maps SASL_SSL %s with certificate checks on by default', (mechanism) => {
    const { kafka, summary } = resolveClusterConfig({
      platform: 'redpanda',
      brokers: 'rp:9093',
      securityProtocol: 'sasl_ssl',
      saslMechanism: mechanism,
      username: 'alice',
      password: 'alice-secret',
      tlsCa: PEM_CERT,
    });
    expect(kafka.sasl).toEqual({ mechanism, username: 'alice', password: 'alice-secret' });
    expect(kafka.ssl).toMatchObject({ rejectUnauthorized: true, ca: [PEM_CERT] });
    expect(summary).toMatchObject({ platform: 'Redpanda', tls: true, mechanism: mechanism.toUpperCase() });
  });

  it('turns verification off only when asked explicitly', () => {
    const { kafka } = resolveClusterConfig({ platform: 'apache', brokers: 'a:9093', securityProtocol: 'ssl', ignoreCertificateErrors: true });
    expect(kafka.ssl).toMatchObject({ rejectUnauthorized: false });
  });

  it('passes client certificate, key and passphrase for mutual TLS', () => {
    const { kafka } = resolveClusterConfig({
      platform: 'apache',
      brokers: 'a:9093',
      securityProtocol: 'ssl',
      tlsCert: PEM_CERT,
      tlsKey: PEM_KEY,
      tlsKeyPassphrase: 'pass-phrase',
    });
    expect(kafka.ssl).toMatchObject({ cert: PEM_CERT, key: PEM_KEY, passphrase: 'pass-phrase' });
  });

  it('refuses a client certificate without its key', () => {
    expectConfigError({ platform: 'apache', brokers: 'a:9093', securityProtocol: 'ssl', tlsCert: PEM_CERT }, /certificate and its private key/, 'tlsKey');
  });

  it('refuses non-PEM certificates', () => {
    expectConfigError({ platform: 'apache', brokers: 'a:9093', securityProtocol: 'ssl', tlsCa: 'not a cert' }, /PEM/, 'tlsCa');
  });

  it('uses an OAuth token provider for OAUTHBEARER', () => {
    const { kafka } = resolveClusterConfig({
      platform: 'apache',
      brokers: 'a:9094',
      securityProtocol: 'sasl_plaintext',
      saslMechanism: 'oauthbearer',
      oauthTokenUrl: 'http://127.0.0.1:1/token',
      oauthClientId: 'client',
      oauthClientSecret: 'client-secret-value',
    });
    expect(kafka.sasl).toMatchObject({ mechanism: 'oauthbearer' });
    expect(typeof (kafka.sasl as { oauthBearerProvider?: unknown }).oauthBearerProvider).toBe('function');
  });

  it('reports a missing password and malformed brokers clearly', () => {
    expectConfigError(
      { platform: 'apache', brokers: 'a:9094', securityProtocol: 'sasl_plaintext', saslMechanism: 'plain', username: 'alice' },
      /Password is required for SASL PLAIN/,
      'password',
    );
    expectConfigError({ platform: 'apache', brokers: 'no-port-here' }, /not host:port/, 'brokers');
    expectConfigError({ platform: 'apache', brokers: '' }, /Brokers are required/, 'brokers');
  });
});

describe('Confluent Cloud', () => {
  it('maps the API key and secret to SASL_SSL PLAIN', () => {
    const { kafka, summary } = resolveClusterConfig({
      platform: 'confluentCloud',
      brokers: 'pkc-123.europe-west3.gcp.confluent.cloud:9092',
      apiKey: 'ABCDEFGH',
      apiSecret: 'confluent-api-secret',
    });
    expect(kafka.sasl).toEqual({ mechanism: 'plain', username: 'ABCDEFGH', password: 'confluent-api-secret' });
    expect(kafka.ssl).toMatchObject({ rejectUnauthorized: true });
    expect(summary).toMatchObject({ platform: 'Confluent Cloud', tls: true, mechanism: 'PLAIN' });
  });

  it('names the missing API secret', () => {
    expectConfigError({ platform: 'confluentCloud', brokers: 'pkc:9092', apiKey: 'ABCDEFGH' }, /API secret is required for Confluent Cloud/, 'apiSecret');
  });
});

describe('Azure Event Hubs', () => {
  it('derives the namespace, port 9093 and $ConnectionString PLAIN over TLS', () => {
    const parsed = parseEventHubsConnectionString(EVENT_HUBS);
    expect(parsed).toMatchObject({
      namespace: 'orders-ns',
      fullyQualifiedNamespace: 'orders-ns.servicebus.windows.net',
      broker: 'orders-ns.servicebus.windows.net:9093',
      sharedAccessKeyName: 'RootManageSharedAccessKey',
    });
    const { kafka } = resolveClusterConfig({ platform: 'eventHubs', connectionString: EVENT_HUBS });
    expect(kafka.brokers).toEqual(['orders-ns.servicebus.windows.net:9093']);
    expect(kafka.sasl).toEqual({ mechanism: 'plain', username: '$ConnectionString', password: EVENT_HUBS });
    expect(kafka.ssl).toMatchObject({ rejectUnauthorized: true });
  });

  it.each([
    ['', /connection string is required/],
    ['just garbage', /malformed/],
    ['SharedAccessKeyName=a;SharedAccessKey=b', /no Endpoint/],
    ['Endpoint=https://x.example.com/;SharedAccessKeyName=a;SharedAccessKey=b', /sb:\/\//],
    ['Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=a', /SharedAccessKey/],
  ])('rejects %j with a clear message', (connectionString, message) => {
    const error = expectConfigError({ platform: 'eventHubs', connectionString }, message, 'connectionString');
    expect(error.message).not.toContain('c2VjcmV0');
  });

  it('never echoes the key of a malformed connection string', () => {
    const error = expectConfigError(
      { platform: 'eventHubs', connectionString: 'Endpoint=ftp://ns/;SharedAccessKeyName=a;SharedAccessKey=super-secret-key' },
      /sb:\/\//,
      'connectionString',
    );
    expect(error.message).not.toContain('super-secret-key');
  });
});

describe('AWS MSK', () => {
  it('signs an IAM token that is a base64url SigV4-presigned kafka-cluster:Connect URL', async () => {
    const { kafka, summary } = resolveClusterConfig({
      platform: 'msk',
      brokers: 'b-1.cluster.kafka.eu-west-1.amazonaws.com:9098',
      mskAuth: 'iam',
      awsRegion: 'eu-west-1',
      awsAccessKeyId: 'AKIAEXAMPLEKEYID1234',
      awsSecretAccessKey: 'aws-secret-access-key-example',
      awsSessionToken: 'session-token-example',
    });
    expect(summary.mechanism).toBe('AWS_MSK_IAM');
    expect(kafka.ssl).toMatchObject({ rejectUnauthorized: true });
    const provider = (kafka.sasl as { oauthBearerProvider: () => Promise<{ value: string }> }).oauthBearerProvider;
    const { value } = await provider();
    expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    const url = new URL(Buffer.from(value, 'base64url').toString('utf8'));
    expect(url.host).toBe('kafka.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('kafka-cluster:Connect');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIAEXAMPLEKEYID1234\/\d{8}\/eu-west-1\/kafka-cluster\/aws4_request$/);
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('session-token-example');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(value).not.toContain('aws-secret-access-key-example');
    // A second call within the token's lifetime reuses it rather than re-signing.
    expect((await provider()).value).toBe(value);
  });

  it('uses SCRAM-SHA-512 for MSK SCRAM', () => {
    const { kafka } = resolveClusterConfig({ platform: 'msk', brokers: 'b-1:9096', mskAuth: 'scram', username: 'u', password: 'msk-password' });
    expect(kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'u', password: 'msk-password' });
  });

  it('names what is missing', () => {
    expectConfigError({ platform: 'msk', brokers: 'b-1:9098', mskAuth: 'iam', awsRegion: 'eu-west-1' }, /access key ID/, 'awsAccessKeyId');
    expectConfigError({ platform: 'msk', brokers: 'b-1:9098', mskAuth: 'iam', awsRegion: '' }, /AWS region is required/, 'awsRegion');
    expectConfigError({ platform: 'msk', brokers: 'b-1:9094', mskAuth: 'tls' }, /client certificate/, 'tlsCert');
  });
});

describe('secrets and identity', () => {
  it('scrubs registered secrets and well-known secret patterns from text', () => {
    resolveClusterConfig({ platform: 'confluentCloud', brokers: 'pkc:9092', apiKey: 'KEY', apiSecret: 'scrub-me-please' });
    const text = scrubSecrets('failed with scrub-me-please; SharedAccessKey=abc123; password=hunter22 http://u:pw123@host/');
    expect(text).not.toMatch(/scrub-me-please|abc123|hunter22|pw123/);
  });

  it('keys clients by credential content, not object identity', () => {
    const a = { platform: 'apache', brokers: 'a:9092', clientId: 'x' };
    const b = { clientId: 'x', brokers: 'a:9092', platform: 'apache' };
    expect(credentialHash(a)).toBe(credentialHash(b));
    expect(credentialHash(a)).not.toBe(credentialHash({ ...a, brokers: 'b:9092' }));
  });

  it('rejects an unknown platform', () => {
    expectConfigError({ platform: 'kinesis' as never }, /Unknown platform/, 'platform');
  });
});
