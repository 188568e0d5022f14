// Real monitoring parts for the alert test: the Prometheus JMX exporter java agent (Maven Central,
// cached under .cache/ and checked against its published SHA-1) and a Prometheus server (Debian's
// package) on a loopback port with its own data dir.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { JMX_EXPORTER } from '../../../generators/compose-stack/monitoring';
import { waitFor } from '../../helpers/n8nContext';

const ROOT = resolve(__dirname, '..', '..', '..');
const CACHE = resolve(process.env.KAFKA_SUITE_CACHE || join(ROOT, '.cache'));
/* eslint-disable @typescript-eslint/no-require-imports */
const { downloadVerified } = require(join(ROOT, 'infra', 'local', 'maven.cjs')) as { downloadVerified(url: string, dest: string, o: { sha1: string }): Promise<boolean> };
const util = require(join(ROOT, 'infra', 'local', 'util.cjs')) as { freePort(): Promise<number> };
/* eslint-enable @typescript-eslint/no-require-imports */

export const freePort = util.freePort;

export async function ensureJmxAgent(): Promise<string> {
  const jar = join(CACHE, 'jmx-exporter', `jmx_prometheus_javaagent-${JMX_EXPORTER.version}.jar`);
  // Pinned checksum (generators/compose-stack/monitoring.ts), not the one published next to it.
  await downloadVerified(JMX_EXPORTER.url(JMX_EXPORTER.version), jar, { sha1: JMX_EXPORTER.sha1 });
  return jar;
}

export interface PrometheusServer {
  url: string;
  query<T = Array<{ metric: Record<string, string>; value: [number, string] }>>(promql: string): Promise<T>;
  alerts(): Promise<Array<{ labels: Record<string, string>; state: string; activeAt: string; value: string }>>;
  stop(): Promise<void>;
  log(): string;
}

export async function startPrometheus(binary: string, configFile: string, dataDir: string): Promise<PrometheusServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(dataDir, 'prometheus.log');
  let output = '';
  const child: ChildProcess = spawn(binary, [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dataDir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error}`);
    return body.data;
  };
  const server: PrometheusServer = {
    url,
    async query<T>(promql: string) {
      return (await api<{ result: T }>(`/api/v1/query?query=${encodeURIComponent(promql)}`)).result;
    },
    async alerts() {
      return (await api<{ alerts: Awaited<ReturnType<PrometheusServer['alerts']>> }>('/api/v1/alerts')).alerts;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      writeFileSync(logFile, output);
    },
    log: () => output,
  };
  try {
    await waitFor(async () => (await fetch(`${url}/-/ready`)).ok, { timeoutMs: 30_000, intervalMs: 200, what: `Prometheus ready on ${url}` });
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return server;
}

export const readText = (file: string) => readFileSync(file, 'utf8');
