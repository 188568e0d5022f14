import { lookup } from 'node:dns/promises';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { KafkaClusterCredential, SchemaRegistryCredential } from './credentialTypes';
import { KafkaSuiteError, toKafkaSuiteError } from './errors';
import { openConnection } from './kafka';
import type { KafkaConnection } from './kafka/api';
import { buildTlsOptions } from './platforms';
import { ClientPool } from './pool';
import { SchemaRegistryClient } from './schemaRegistry/client';

export type ConnectionStage = 'configuration' | 'name resolution' | 'TCP' | 'TLS' | 'authentication' | 'Kafka' | 'HTTP';

export interface ConnectionTestResult {
  ok: boolean;
  stage?: ConnectionStage;
  message: string;
}

function splitHostPort(address: string): { host: string; port: number } {
  const index = address.lastIndexOf(':');
  return { host: address.slice(0, index).replace(/^\[|\]$/g, ''), port: Number(address.slice(index + 1)) };
}

async function probeSocket(
  host: string,
  port: number,
  tlsOptions: tls.ConnectionOptions | false,
  timeoutMs: number,
): Promise<ConnectionTestResult | undefined> {
  try {
    await lookup(host);
  } catch (error) {
    return { ok: false, stage: 'name resolution', message: `Name resolution failed: "${host}" does not resolve (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  const tcpProblem = await new Promise<string | undefined>((resolve) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(`TCP connection to ${host}:${port} timed out after ${timeoutMs} ms`);
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(`TCP connection to ${host}:${port} failed (${error.code ?? error.message})`);
    });
  });
  if (tcpProblem) return { ok: false, stage: 'TCP', message: tcpProblem };
  if (!tlsOptions) return undefined;
  const tlsProblem = await new Promise<string | undefined>((resolve) => {
    const socket = tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ...tlsOptions });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(`TLS handshake with ${host}:${port} timed out after ${timeoutMs} ms (is this port really TLS?)`);
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(`TLS handshake with ${host}:${port} failed: ${error.message}${error.code ? ` (${error.code})` : ''}`);
    });
  });
  if (tlsProblem) return { ok: false, stage: 'TLS', message: tlsProblem };
  return undefined;
}

/**
 * The credential test n8n runs on "Save": walks name resolution → TCP → TLS → SASL/metadata for the
 * first broker and says in plain words which step failed.
 */
export async function testKafkaConnection(cred: KafkaClusterCredential, timeoutMs = 10_000): Promise<ConnectionTestResult> {
  // A pool of its own: the test connects afresh (no retries, no log lines) and leaves nothing open.
  const pool = new ClientPool();
  let connection: KafkaConnection;
  try {
    connection = openConnection({ ...cred, connectionTimeoutMs: cred.connectionTimeoutMs ?? timeoutMs, retries: 0 }, { pool, quiet: true });
  } catch (error) {
    return { ok: false, stage: 'configuration', message: toKafkaSuiteError(error).message };
  }
  const resolved = connection.resolved;
  const { host, port } = splitHostPort(resolved.summary.brokers[0]);
  const socketProblem = await probeSocket(host, port, resolved.kafka.ssl ? (resolved.kafka.ssl as tls.ConnectionOptions) : false, timeoutMs);
  if (socketProblem) return socketProblem;
  try {
    const cluster = await connection.withAdmin((admin) => admin.describeCluster());
    return {
      ok: true,
      message: `Connected to ${resolved.summary.platform} (${cluster.brokers.length} broker(s), controller ${cluster.controller})${resolved.summary.mechanism ? ` with ${resolved.summary.mechanism}` : ''}`,
    };
  } catch (error) {
    const failure = toKafkaSuiteError(error, { mechanism: resolved.summary.mechanism });
    const stage: ConnectionStage = failure.kind === 'auth' ? 'authentication' : failure.kind === 'tls' ? 'TLS' : 'Kafka';
    return { ok: false, stage, message: failure.message };
  } finally {
    await pool.closeAll();
  }
}

export async function testSchemaRegistryConnection(cred: SchemaRegistryCredential, timeoutMs = 10_000): Promise<ConnectionTestResult> {
  let client: SchemaRegistryClient;
  let url: URL;
  try {
    client = new SchemaRegistryClient({ ...cred, timeoutMs });
    url = new URL(client.baseUrl);
  } catch (error) {
    return { ok: false, stage: 'configuration', message: toKafkaSuiteError(error).message };
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  let tlsOptions: tls.ConnectionOptions | false = false;
  if (url.protocol === 'https:') tlsOptions = buildTlsOptions(cred);
  const socketProblem = await probeSocket(url.hostname, port, tlsOptions, timeoutMs);
  if (socketProblem) return socketProblem;
  try {
    const subjects = await client.listSubjects();
    return { ok: true, message: `Connected to the Schema Registry (${subjects.length} subject(s))` };
  } catch (error) {
    const failure = error instanceof KafkaSuiteError ? error : toKafkaSuiteError(error);
    if (failure.kind === 'auth') return { ok: false, stage: 'authentication', message: `Authentication failed: ${failure.message}` };
    return { ok: false, stage: 'HTTP', message: failure.message };
  }
}
