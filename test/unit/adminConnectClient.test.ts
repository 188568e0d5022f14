import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectClient, testConnectConnection } from '../../nodes/shared/connect/client';

/** A stand-in worker that records requests and answers 401 unless the right basic auth is sent. */
function fakeWorker() {
  const seen: Array<{ method?: string; url?: string; authorization?: string; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body });
      res.setHeader('connection', 'close');
      if (req.headers.authorization !== `Basic ${Buffer.from('connect-user:s3cret-pw').toString('base64')}`) {
        res.statusCode = 401;
        // Echoes what it got, as some proxies do: the client must not pass the secret on.
        res.end(JSON.stringify({ error_code: 401, message: `bad credentials ${req.headers.authorization ?? ''}` }));
        return;
      }
      if (req.url === '/') res.end(JSON.stringify({ version: '3.9.1', commit: 'x', kafka_cluster_id: 'c1' }));
      else if (req.url === '/connectors') res.end('[]');
      else res.end(JSON.stringify({ name: 'a b/c', config: { 'connector.class': 'X' }, tasks: [] }));
    });
  });
  return { server, seen };
}

describe('ConnectClient', () => {
  const { server, seen } = fakeWorker();
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('sends basic auth and JSON bodies; path segments are encoded', async () => {
    const client = new ConnectClient({ url, authType: 'basic', username: 'connect-user', password: 's3cret-pw' });
    expect(client.baseUrl).toBe(url.replace(/\/$/, ''));
    expect(await client.upsert('a b/c', { 'connector.class': 'X' })).toEqual({ created: true, info: { name: 'a b/c', config: { 'connector.class': 'X' }, tasks: [] } });
    const put = seen.find((s) => s.method === 'PUT');
    expect(put).toMatchObject({ url: '/connectors/a%20b%2Fc/config', body: '{"connector.class":"X"}' });
    expect(put?.authorization).toBe(`Basic ${Buffer.from('connect-user:s3cret-pw').toString('base64')}`);
    expect(await testConnectConnection({ url, authType: 'basic', username: 'connect-user', password: 's3cret-pw' })).toEqual({
      ok: true,
      message: 'Connected to Kafka Connect 3.9.1 (Kafka cluster c1)',
    });
  });

  test('a refused login is an auth error that does not repeat the secret', async () => {
    const wrong = new ConnectClient({ url, authType: 'basic', username: 'connect-user', password: 'wrong-pw-123' });
    const error = await wrong.serverInfo().catch((e: unknown) => e as Error & { kind?: string });
    expect(error).toMatchObject({ kind: 'auth' });
    expect(error.message).toContain('HTTP 401');
    expect(error.message).not.toContain('wrong-pw-123');
    expect(error.message).not.toContain(Buffer.from('connect-user:wrong-pw-123').toString('base64'));
  });

  test('bad credential input is a config error', () => {
    expect(() => new ConnectClient({ url: 'connect:8083' })).toThrow('must start with http');
    expect(() => new ConnectClient({ url: 'not a url' })).toThrow('is not a URL');
    expect(() => new ConnectClient({ url, authType: 'basic' })).toThrow('needs a username');
  });
});
