// Fault: the SASL password of a user changes on the broker while n8n still holds the old one.
// Expect a clear authentication error naming the mechanism (never the password) and no retry storm.
// Runs on the shared broker with a SCRAM user of its own, so no other test's identity changes.
import { randomUUID } from 'node:crypto';
import * as net from 'node:net';
import { facts, localServices } from '../../setup/facts';
import { waitFor } from '../../helpers/n8nContext';
import { clusterCredential, closeProducers, produceExecution } from './produce';
import { createTopic } from './readTopic';
import { activateTrigger } from './trigger';

/** A TCP proxy in front of the SASL listener that counts connection attempts (the client's bootstrap). */
class CountingProxy {
  connections: number[] = [];
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      this.connections.push(Date.now());
      const upstream = net.connect(target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  listen(): Promise<number> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as net.AddressInfo).port)));
  }

  since(t: number): number {
    return this.connections.filter((at) => at >= t).length;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const user = `faults-${randomUUID().slice(0, 8)}`;
const oldPassword = `old-${randomUUID()}`;
const newPassword = `new-${randomUUID()}`;
const topic = `faults-sasl-${randomUUID().slice(0, 8)}`;
let proxy: CountingProxy;
let credential: Record<string, unknown>;

beforeAll(async () => {
  await localServices().setScramPassword(user, 'SCRAM-SHA-512', oldPassword);
  await createTopic(facts.bootstrap, topic, 1);
  const [host, port] = facts.saslBootstrap.split(':');
  proxy = new CountingProxy({ host, port: Number(port) });
  const proxyPort = await proxy.listen();
  credential = clusterCredential(`127.0.0.1:${proxyPort}`, {
    securityProtocol: 'sasl_plaintext',
    saslMechanism: 'scram-sha-512',
    username: user,
    password: oldPassword,
  });
}, 120_000);

afterAll(async () => {
  await closeProducers();
  await proxy?.close();
  // The user is this file's own; give it a password nobody knows rather than leaving a known one.
  await localServices().setScramPassword(user, 'SCRAM-SHA-512', `retired-${randomUUID()}`);
}, 120_000);

test('SASL password changed on the broker: clear auth error, no password in it, no retry storm', async () => {
  // SCRAM credentials reach the broker's cache asynchronously: wait until the user can log in.
  await waitFor(async () => (await produceExecution(credential, topic, ['hello'])).acked.length === 1, {
    timeoutMs: 30_000,
    what: `${user} to authenticate with SCRAM-SHA-512`,
  });

  await localServices().setScramPassword(user, 'SCRAM-SHA-512', newPassword);
  // Connections already authenticated stay valid (Kafka checks credentials at login), so the
  // pooled clients are closed as on an n8n restart or an idle disconnect: the next execution logs in anew.
  await closeProducers();

  const startedAt = Date.now();
  const attempts: { connections: number; ms: number; error: string }[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = Date.now();
    const result = await produceExecution(credential, topic, [`after-change-${i}`]);
    expect(result.acked).toEqual([]);
    const error = result.thrown?.message ?? result.failed[0]?.error ?? '';
    attempts.push({ connections: proxy.since(t0), ms: Date.now() - t0, error });
  }
  // After the last failure nothing keeps knocking in the background.
  const quietFrom = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const backgroundConnections = proxy.since(quietFrom);
  console.log(
    `[faults] SASL password changed: ${JSON.stringify({ attempts, backgroundConnectionsIn5s: backgroundConnections, totalConnections: proxy.since(startedAt) }, null, 2)}`,
  );

  for (const attempt of attempts) {
    expect(attempt.error).toMatch(/Authentication failed with SCRAM-SHA-512/);
    expect(attempt.error).not.toContain(oldPassword);
    expect(attempt.error).not.toContain(newPassword);
    // Failing fast: an authentication error is not retried through the whole retry ladder.
    expect(attempt.connections).toBeLessThanOrEqual(3);
    expect(attempt.ms).toBeLessThan(15_000);
  }
  expect(backgroundConnections).toBe(0);
}, 180_000);

test('SASL password changed: the Trigger refuses to activate with a clear auth error and does not keep reconnecting', async () => {
  // Runs after the test above, so the broker already has the new password and the credential the old one.
  const t0 = Date.now();
  const error = await activateTrigger({
    credential,
    parameters: { topicSelection: 'names', topics: topic, groupId: `faults-sasl-${user}`, startFrom: 'earliest', deliveryMode: 'afterSuccess', valueFormat: 'string', options: {} },
    onEmit: () => 'success',
  }).then(
    async (trigger) => {
      await trigger.close();
      return undefined;
    },
    (e: Error) => e,
  );
  const activationMs = Date.now() - t0;
  const activationConnections = proxy.since(t0);
  const quietFrom = Date.now();
  // An observation window, not a wait for a condition: a retry loop would show up as connections here.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const backgroundConnections = proxy.since(quietFrom);
  console.log(`[faults] SASL password changed, trigger activation: ${JSON.stringify({ error: error?.message, activationMs, activationConnections, backgroundConnectionsIn5s: backgroundConnections })}`);

  expect(error?.message).toMatch(/^Authentication failed with SCRAM-SHA-512 \(broker /);
  expect(error?.message).not.toContain(oldPassword);
  expect(error?.message).not.toContain(newPassword);
  expect(activationConnections).toBeLessThanOrEqual(3);
  expect(backgroundConnections).toBe(0);
}, 120_000);
