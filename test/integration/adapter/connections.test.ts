import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientPool, KafkaSuiteError, openConnection, testKafkaConnection, type KafkaClusterCredential } from '../../../nodes/shared';
import { facts, tlsFiles } from '../../setup/facts';

// Proves the adapter's credential → client mapping against the real broker's listeners, and that
// failures come back as errors a user can act on. Each case connects through the pool (as nodes do).

const pool = new ClientPool();
afterAll(() => pool.closeAll());

async function describeClusterWith(cred: KafkaClusterCredential) {
  return openConnection(cred, { pool }).withAdmin((admin) => admin.describeCluster());
}

const mechanisms = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

describe('SASL over SASL_PLAINTEXT and SASL_SSL', () => {
  it.each(mechanisms)('connects with %s on the SASL_PLAINTEXT listener', async (saslMechanism) => {
    const cluster = await describeClusterWith({
      platform: 'apache',
      brokers: facts.saslBootstrap,
      securityProtocol: 'sasl_plaintext',
      saslMechanism,
      username: facts.user.username,
      password: facts.user.password,
    });
    expect(cluster.brokers.length).toBe(1);
  });

  it.each(mechanisms)('connects with %s over TLS verified by the generated CA', async (saslMechanism) => {
    const cluster = await describeClusterWith({
      platform: 'redpanda',
      brokers: facts.saslSslBootstrap,
      securityProtocol: 'sasl_ssl',
      saslMechanism,
      username: facts.user.username,
      password: facts.user.password,
      tlsCa: tlsFiles().ca,
    });
    expect(cluster.brokers.length).toBe(1);
  });

  it.each(mechanisms)('a wrong %s password is an authentication error naming the mechanism, without the password', async (saslMechanism) => {
    const wrongPassword = `wrong-password-${saslMechanism}`;
    const failure = await describeClusterWith({
      platform: 'apache',
      brokers: facts.saslBootstrap,
      securityProtocol: 'sasl_plaintext',
      saslMechanism,
      username: facts.user.username,
      password: wrongPassword,
      retries: 0,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(KafkaSuiteError);
    const error = failure as KafkaSuiteError;
    expect(error.kind).toBe('auth');
    expect(error.message).toContain(saslMechanism.toUpperCase());
    expect(error.message).not.toContain(wrongPassword);
    expect(JSON.stringify(error.context)).not.toContain(wrongPassword);
  });
});

describe('TLS', () => {
  it('connects with mutual TLS using a passphrase-protected client key', async () => {
    const files = tlsFiles();
    const cluster = await describeClusterWith({
      platform: 'apache',
      brokers: facts.sslBootstrap,
      securityProtocol: 'ssl',
      tlsCa: files.ca,
      tlsCert: files.cert,
      tlsKey: files.key,
      tlsKeyPassphrase: files.passphrase,
    });
    expect(cluster.brokers.length).toBe(1);
  });

  it('a certificate from an unknown CA is a TLS error, unless certificate errors are ignored', async () => {
    const base: KafkaClusterCredential = {
      platform: 'apache',
      brokers: facts.saslSslBootstrap,
      securityProtocol: 'sasl_ssl',
      saslMechanism: 'scram-sha-512',
      username: facts.user.username,
      password: facts.user.password,
      tlsCa: tlsFiles().wrongCa,
      retries: 0,
    };
    const failure = await describeClusterWith(base).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(KafkaSuiteError);
    expect((failure as KafkaSuiteError).kind).toBe('tls');
    expect((failure as KafkaSuiteError).message).toMatch(/TLS handshake failed/);

    const cluster = await describeClusterWith({ ...base, ignoreCertificateErrors: true });
    expect(cluster.brokers.length).toBe(1);
  });
});

describe('OAUTHBEARER with an OAuth2 client-credentials token', () => {
  let server: http.Server;
  let tokenUrl: string;
  let tokensIssued = 0;

  beforeAll(async () => {
    // A real token endpoint on loopback. The broker's listener validates unsecured JWTs (Kafka's
    // default OAUTHBEARER validator), so the token must carry sub/iat/exp claims.
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const auth = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
        if (auth !== 'n8n-client:n8n-client-secret' || !body.includes('grant_type=client_credentials')) {
          res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
          return;
        }
        tokensIssued++;
        const now = Math.floor(Date.now() / 1000);
        const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
        const jwt = `${encode({ alg: 'none' })}.${encode({ sub: 'n8n-client', iat: now, exp: now + 3600, scope: 'kafka' })}.`;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: jwt, token_type: 'bearer', expires_in: 3600 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/token`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches a token, authenticates, and reuses the cached token for the next connection', async () => {
    const cred: KafkaClusterCredential = {
      platform: 'apache',
      brokers: facts.saslBootstrap,
      securityProtocol: 'sasl_plaintext',
      saslMechanism: 'oauthbearer',
      oauthTokenUrl: tokenUrl,
      oauthClientId: 'n8n-client',
      oauthClientSecret: 'n8n-client-secret',
    };
    const cluster = await describeClusterWith(cred);
    expect(cluster.brokers.length).toBe(1);
    expect(tokensIssued).toBe(1);
    await openConnection(cred, { pool }).withAdmin((admin) => admin.listTopics());
    expect(tokensIssued).toBe(1);
  });

  it('a refused client secret is an authentication error without the secret', async () => {
    const failure = await testKafkaConnection({
      platform: 'apache',
      brokers: facts.saslBootstrap,
      securityProtocol: 'sasl_plaintext',
      saslMechanism: 'oauthbearer',
      oauthTokenUrl: tokenUrl,
      oauthClientId: 'n8n-client',
      oauthClientSecret: 'not-the-secret',
    });
    expect(failure.ok).toBe(false);
    expect(failure.stage).toBe('authentication');
    expect(failure.message).toMatch(/OAuth token endpoint .* answered HTTP 401/);
    expect(failure.message).not.toContain('not-the-secret');
  });
});

describe('unreachable brokers', () => {
  it('fail with a clear error within the configured timeout, without endless retries', async () => {
    const started = Date.now();
    const failure = await describeClusterWith({
      platform: 'apache',
      // A port nothing listens on: connection refused at once on loopback, retried `retries` times.
      brokers: '127.0.0.1:1',
      connectionTimeoutMs: 1000,
      retries: 2,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    const elapsed = Date.now() - started;
    expect(failure).toBeInstanceOf(KafkaSuiteError);
    expect((failure as KafkaSuiteError).kind).toBe('tcp');
    expect((failure as KafkaSuiteError).retriable).toBe(true);
    expect((failure as KafkaSuiteError).message).toMatch(/127\.0\.0\.1:1/);
    // retries=2 with a 300 ms initial backoff doubling: well under 10 s, never an endless loop.
    expect(elapsed).toBeLessThan(10_000);
  });
});

describe('credential test says which step failed', () => {
  const sasl = (): KafkaClusterCredential => ({
    platform: 'apache',
    brokers: facts.saslSslBootstrap,
    securityProtocol: 'sasl_ssl',
    saslMechanism: 'scram-sha-256',
    username: facts.user.username,
    password: facts.user.password,
    tlsCa: tlsFiles().ca,
  });

  it('succeeds on a good credential', async () => {
    const result = await testKafkaConnection(sasl());
    expect(result).toMatchObject({ ok: true });
    expect(result.message).toMatch(/Connected to Apache Kafka \(1 broker\(s\)/);
  });

  it('names name resolution, TCP, TLS and authentication failures', async () => {
    const dns = await testKafkaConnection({ ...sasl(), brokers: 'no-such-broker.invalid:9095' }, 5000);
    expect(dns).toMatchObject({ ok: false, stage: 'name resolution' });

    const tcp = await testKafkaConnection({ ...sasl(), brokers: '127.0.0.1:1' }, 5000);
    expect(tcp).toMatchObject({ ok: false, stage: 'TCP' });
    expect(tcp.message).toMatch(/ECONNREFUSED/);

    const tls = await testKafkaConnection({ ...sasl(), tlsCa: tlsFiles().wrongCa }, 5000);
    expect(tls).toMatchObject({ ok: false, stage: 'TLS' });

    const auth = await testKafkaConnection({ ...sasl(), password: 'definitely-wrong' }, 5000);
    expect(auth).toMatchObject({ ok: false, stage: 'authentication' });
    expect(auth.message).toContain('SCRAM-SHA-256');
    expect(auth.message).not.toContain('definitely-wrong');
  });
});
