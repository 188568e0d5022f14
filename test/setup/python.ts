// Confluent's Python client (librdkafka + its Schema Registry serdes) as a referee for our serdes.
// Installed on first use into a cached virtualenv under .cache/, like the Kafka jars; later runs
// reuse it. Nothing is skipped when Python is missing: this throws with the reason instead.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REFEREE_PACKAGES = [
  'confluent-kafka==2.16.1',
  'fastavro==1.13.1',
  'protobuf==7.36.2',
  'grpcio-tools==1.85.1',
  // confluent_kafka.schema_registry's Protobuf helpers import google.type (decimal, date).
  'googleapis-common-protos==1.76.0',
  'requests',
  'attrs',
  'authlib',
  'cachetools',
  'httpx',
  'jsonschema',
];

const root = resolve(__dirname, '..', '..');
const cacheRoot = process.env.KAFKA_SUITE_CACHE ? resolve(process.env.KAFKA_SUITE_CACHE) : join(root, '.cache');
const refereeScript = join(root, 'test', 'referee', 'referee.py');

function venvDir(): string {
  const hash = createHash('sha256').update(REFEREE_PACKAGES.join('\n')).digest('hex').slice(0, 10);
  return join(cacheRoot, `python-referee-${hash}`);
}

function ensurePython(): string {
  const found = spawnSync('python3', ['-c', 'import venv, ensurepip'], { encoding: 'utf8' });
  if (found.status === 0) return 'python3';
  if (process.getuid?.() !== 0) throw new Error('python3 with venv is missing: install the Debian packages "python3" and "python3-venv" (needs root)');
  execFileSync('sh', ['-c', 'apt-get install -y -q python3 python3-venv || (apt-get update -q && apt-get install -y -q python3 python3-venv)'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return 'python3';
}

/** The referee's Python interpreter, creating the virtualenv first when it is not cached yet. */
export function refereePython(): string {
  const dir = venvDir();
  const python = join(dir, 'bin', 'python');
  if (existsSync(join(dir, '.complete'))) return python;
  mkdirSync(cacheRoot, { recursive: true });
  // Test files run in parallel workers: one builds, the others wait for it instead of building too.
  const lock = `${dir}.lock`;
  if (!takeLock(lock)) {
    const deadline = Date.now() + 15 * 60_000;
    while (!existsSync(join(dir, '.complete'))) {
      if (Date.now() > deadline) throw new Error(`the referee virtualenv ${dir} was not ready within 15 min (lock ${lock})`);
      if (!existsSync(lock) || lockIsStale(lock)) return refereePython();
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
    return python;
  }
  try {
    buildVenv(dir);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return python;
}

function takeLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.pid));
    return true;
  } catch {
    return false;
  }
}

function lockIsStale(lock: string): boolean {
  try {
    process.kill(Number(readFileSync(join(lock, 'pid'), 'utf8')), 0);
    return false;
  } catch {
    rmSync(lock, { recursive: true, force: true });
    return true;
  }
}

function buildVenv(dir: string): void {
  // Built beside its final place and renamed, so parallel test files never see half an install.
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const started = Date.now();
  execFileSync(ensurePython(), ['-m', 'venv', building], { stdio: 'inherit' });
  execFileSync(join(building, 'bin', 'python'), ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', ...REFEREE_PACKAGES], { stdio: 'inherit', timeout: 600_000 });
  execFileSync('touch', [join(building, '.complete')]);
  try {
    renameSync(building, dir);
  } catch {
    // Another test file finished first: use its install.
    rmSync(building, { recursive: true, force: true });
  }
  console.log(`[referee] Python virtualenv with ${REFEREE_PACKAGES[0]} ready in ${Math.round((Date.now() - started) / 1000)} s (${dir})`);
}

/** Runs one referee command: JSON in on stdin, JSON out on stdout; a failure carries Python's stderr. */
export function referee<T = any>(command: string, input: unknown, timeoutMs = 120_000): Promise<T> {
  const python = refereePython();
  return new Promise<T>((resolvePromise, reject) => {
    const child = spawn(python, [refereeScript, command], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`referee ${command} timed out after ${timeoutMs} ms: ${err.slice(-2000)}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`referee ${command} exited with ${code}: ${err.slice(-4000)}`));
      try {
        resolvePromise(JSON.parse(out) as T);
      } catch (error) {
        reject(new Error(`referee ${command} printed no JSON (${(error as Error).message}): ${out.slice(0, 500)} ${err.slice(-2000)}`));
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}
