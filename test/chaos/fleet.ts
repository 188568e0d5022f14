// The n8n side of the chaos suite: real n8n processes (scripts/n8n/harness.mjs) sharing one user
// folder — a main, optionally queue-mode workers and their Redis — that a test can SIGKILL and
// start again. Each process logs to its own file under test/artifacts/chaos/, which the suite
// checks for warnings and errors about our package.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { nativeImport } from '../helpers/nativeImport';

export const ROOT = path.resolve(__dirname, '..', '..');
export const ARTIFACTS = path.join(ROOT, 'test', 'artifacts', 'chaos');

let harnessPromise: Promise<any> | undefined;
export const harness = (): Promise<any> => (harnessPromise ??= nativeImport(path.join(ROOT, 'scripts', 'n8n', 'harness.mjs')));

let tarball: string | undefined;
/** The packed package (built if stale), once per test file. */
export async function packedPackage(): Promise<string> {
  // Its own pack folder: packPackage empties the folder first, and the e2e suite may be packing too.
  tarball ??= (await harness()).packPackage({ destDir: path.join(ROOT, '.cache', 'pack-chaos') }) as string;
  return tarball;
}

const log = (msg: string) => process.stderr.write(`[chaos] ${msg}\n`);

export interface N8nProcess {
  name: string;
  pid: number;
  baseUrl: string;
  logFile: string;
  kill(signal?: string): Promise<unknown>;
  stop(options?: { timeout?: number }): Promise<void>;
  [key: string]: any;
}

/**
 * One n8n deployment: a user folder (SQLite database, encryption key), its main and, in queue mode,
 * its workers and Redis. Processes are started, killed and restarted by name; the owner login and
 * the API key survive restarts.
 */
export class Fleet {
  readonly userFolder = mkdtempSync(path.join(tmpdir(), 'kafka-suite-chaos-'));
  readonly processes = new Map<string, N8nProcess>();
  private readonly ports = new Map<string, number>();
  private readonly starts = new Map<string, number>();
  private readonly encryptionKey = randomBytes(24).toString('hex');
  private owner?: { email: string; password: string };
  private apiKey?: string;
  redis?: { port: number; stop(): Promise<void> };
  /** Milliseconds each start of a process took until ready. */
  readonly startTimes: Array<{ name: string; ms: number }> = [];

  constructor(
    readonly name: string,
    readonly mode: 'regular' | 'queue' = 'regular',
    private readonly extraEnv: Record<string, string> = {},
  ) {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The log check reads every file of this fleet: none may be left from an earlier run.
    for (const file of readdirSync(ARTIFACTS)) if (file.startsWith(`${name}-`) && file.endsWith('.log')) rmSync(path.join(ARTIFACTS, file));
  }

  private async env(processName: string): Promise<Record<string, string>> {
    const env: Record<string, string> = {
      // JSON lines carry the level, so the log check finds every warning and error.
      N8N_LOG_FORMAT: 'json',
      N8N_ENCRYPTION_KEY: this.encryptionKey,
      // Workflows may name the process they run in (a transactional id per queue-mode worker).
      KAFKA_SUITE_CHAOS_PROCESS: processName,
      N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
    };
    if (this.mode === 'queue') {
      const h = await harness();
      this.redis ??= await h.startRedis();
      Object.assign(env, h.queueModeEnv({ redisPort: this.redis!.port, encryptionKey: this.encryptionKey }));
    }
    return { ...env, ...this.extraEnv };
  }

  /** The main process (editor, API, triggers). The first start creates the owner and an API key. */
  async startMain(name = 'main'): Promise<N8nProcess> {
    return this.start(name, 'start');
  }

  /** A queue-mode worker (`n8n worker`) on the same database and Redis. */
  async startWorker(name: string, concurrency = 5): Promise<N8nProcess> {
    return this.start(name, 'worker', [`--concurrency=${concurrency}`]);
  }

  private async start(name: string, command: 'start' | 'worker', args: string[] = []): Promise<N8nProcess> {
    const h = await harness();
    const port = this.ports.get(name) ?? (await h.freePort());
    this.ports.set(name, port);
    const count = (this.starts.get(name) ?? 0) + 1;
    this.starts.set(name, count);
    const logFile = path.join(ARTIFACTS, `${this.name}-${name}-${count}.log`);
    writeFileSync(logFile, '');
    const n8n = await h.startN8n({
      port,
      brokerPort: await h.freePort(),
      userFolder: this.userFolder,
      packageTarball: await packedPackage(),
      logFile,
      command,
      args,
      env: await this.env(name),
      startTimeout: 180_000,
    });
    n8n.name = name;
    this.startTimes.push({ name: `${name}#${count}`, ms: n8n.startMs });
    this.processes.set(name, n8n);
    if (command === 'start') {
      if (!this.owner) {
        this.owner = await n8n.setupOwner({ email: `${this.name}@kafka-suite.local` });
        this.apiKey = await n8n.createApiKey(`chaos-${this.name}`);
      } else {
        await n8n.login(this.owner.email, this.owner.password);
        n8n.apiKey = this.apiKey;
      }
    }
    return n8n;
  }

  get(name = 'main'): N8nProcess {
    const found = this.processes.get(name);
    if (!found) throw new Error(`${this.name}: no process ${name}`);
    return found;
  }

  /** SIGKILL (a crash, no shutdown hook runs): the whole process group, n8n's task runner included. */
  async kill(name: string): Promise<number> {
    const at = Date.now();
    await this.get(name).kill('SIGKILL');
    this.processes.delete(name);
    log(`${this.name}: SIGKILLed ${name}`);
    return at;
  }

  /**
   * SIGKILLs a queue-mode worker while it runs an execution: waits until the last execution event
   * in its log is a start ("Worker started execution N") with no finish yet. Returns the kill time,
   * the execution that was cut off, and `inFlight`: every execution it had started and not finished
   * by its log (with two triggers, one of each flow may be cut off at once).
   */
  async killWorkerMidExecution(name: string, timeout = 60_000): Promise<{ at: number; executionId: string; inFlight: string[] }> {
    const worker = this.get(name);
    const { waitFor } = await harness();
    const events = () => [...readFileSync(worker.logFile, 'utf8').matchAll(/Worker (started|finished) execution (\d+)/g)];
    const executionId: string = await waitFor(
      () => {
        const all = events();
        const last = all[all.length - 1];
        return last && last[1] === 'started' ? last[2] : undefined;
      },
      { timeout, interval: 20, what: `${name} running an execution` },
    );
    const at = await this.kill(name);
    const open = new Set<string>();
    for (const [, what, id] of events()) {
      if (what === 'started') open.add(id);
      else open.delete(id);
    }
    return { at, executionId, inFlight: [...open] };
  }

  /** A clean shutdown (SIGTERM: n8n deactivates its triggers, which leave their groups). */
  async stopProcess(name: string): Promise<number> {
    const at = Date.now();
    // n8n's own graceful shutdown may take up to N8N_GRACEFUL_SHUTDOWN_TIMEOUT (30 s): let it.
    await this.get(name).stop({ timeout: 60_000 });
    this.processes.delete(name);
    return at;
  }

  /** Every log line of every process of this fleet so far. */
  logs(): string {
    return logFiles(this.name)
      .map(({ text }) => text)
      .join('\n');
  }

  /** The last `limit` log lines (any process of this fleet) naming one of `needles`, with their file. */
  linesAbout(needles: string[], limit = 40): string {
    const hits: string[] = [];
    for (const { file, text } of logFiles(this.name)) {
      for (const line of text.split('\n')) {
        if (needles.some((needle) => line.includes(needle))) hits.push(`  ${file}: ${line.slice(0, 400)}`);
      }
    }
    return hits.slice(-limit).join('\n');
  }

  async dispose(): Promise<void> {
    for (const [name, proc] of [...this.processes]) {
      await proc.stop().catch((error: unknown) => log(`${this.name}: stopping ${name}: ${String(error)}`));
      this.processes.delete(name);
    }
    await this.redis?.stop();
    this.redis = undefined;
    rmSync(this.userFolder, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** This fleet's process logs (`<prefix>-*.log` in the artifacts dir), in file-name order. */
function logFiles(prefix: string): Array<{ file: string; text: string }> {
  return readdirSync(ARTIFACTS)
    .filter((file) => file.startsWith(`${prefix}-`) && file.endsWith('.log'))
    .sort()
    .map((file) => ({ file, text: readFileSync(path.join(ARTIFACTS, file), 'utf8') }));
}
