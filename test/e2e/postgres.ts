// A throwaway PostgreSQL cluster from Debian's packages for the end-to-end tests: initdb into a temp
// dir, `postgres` on a free loopback port (no Unix socket), password auth (SCRAM) for a superuser
// with a random password, wal_level=logical so Debezium can stream from it. Root cannot run
// PostgreSQL, so as root the cluster belongs to the `postgres` user the Debian package creates.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { waitFor } from './n8n';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { freePort } = require(path.resolve(__dirname, '..', '..', 'infra', 'local', 'util.cjs')) as { freePort(): Promise<number> };

export interface Postgres {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  dir: string;
  /** Runs SQL through psql; returns its unaligned, tuples-only output. */
  sql(text: string, o?: { database?: string }): string;
  /** Rows of a query as JSON objects (json_agg). */
  rows<T = Record<string, unknown>>(query: string): T[];
  stop(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const find = () =>
    existsSync(root)
      ? readdirSync(root)
          .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
          .sort((a, b) => Number(b) - Number(a))
      : [];
  let versions = find();
  if (!versions.length) {
    if (process.getuid?.() !== 0) throw new Error('PostgreSQL is not installed: apt-get install postgresql (needs root)');
    execFileSync('sh', ['-c', 'apt-get install -y -q postgresql || (apt-get update -q && apt-get install -y -q postgresql)'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    versions = find();
    if (!versions.length) throw new Error('initdb still missing after apt-get install postgresql');
  }
  return path.join(root, versions[0], 'bin');
}

function owner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

export async function startPostgres({ database = 'shop' } = {}): Promise<Postgres> {
  const bin = binDir();
  const run = owner();
  const dir = mkdtempSync(path.join(tmpdir(), 'kafka-suite-pg-'));
  if (run) chownSync(dir, run.uid, run.gid);
  const data = path.join(dir, 'data');
  const user = 'kafka_suite';
  const password = randomBytes(18).toString('base64url');
  const pwfile = path.join(dir, 'pw');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (run) chownSync(pwfile, run.uid, run.gid);
  execFileSync(path.join(bin, 'initdb'), ['-D', data, '-U', user, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C'], {
    stdio: 'pipe',
    ...(run ?? {}),
  });
  rmSync(pwfile);
  const port = await freePort();
  const logFile = path.join(dir, 'postgres.log');
  const args = ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'wal_level=logical', '-c', 'max_wal_senders=4', '-c', 'max_replication_slots=4', '-c', 'fsync=off'];
  const child: ChildProcess = spawn(path.join(bin, 'postgres'), args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'], ...(run ?? {}) });
  let log = '';
  child.stderr!.on('data', (c: Buffer) => (log += c.toString('utf8')));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));

  const env = { ...process.env, PGPASSWORD: password, PGHOST: '127.0.0.1', PGPORT: String(port), PGUSER: user, PGCONNECT_TIMEOUT: '5' };
  const psql = path.join(bin, 'psql');
  const sql = (text: string, o: { database?: string } = {}) =>
    execFileSync(psql, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', o.database ?? database, '-c', text], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

  const stop = async () => {
    if (!exited) {
      // SIGINT = fast shutdown: ends sessions (and replication connections) and exits cleanly.
      process.kill(child.pid!, 'SIGINT');
      const timer = setTimeout(() => !exited && process.kill(child.pid!, 'SIGKILL'), 15000);
      await exit;
      clearTimeout(timer);
    }
    writeFileSync(logFile, log);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitFor(
      () => {
        if (exited) throw new Error(`postgres exited during start-up:\n${log}`);
        try {
          sql('select 1', { database: 'postgres' });
          return true;
        } catch {
          return false;
        }
      },
      { timeout: 60000, interval: 250, what: `PostgreSQL on 127.0.0.1:${port}` },
    );
    sql(`create database ${database}`, { database: 'postgres' });
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    database,
    dir,
    sql,
    rows: <T>(query: string) => JSON.parse(sql(`select coalesce(json_agg(q), '[]'::json) from (${query}) q`) || '[]') as T[],
    stop,
  };
}

