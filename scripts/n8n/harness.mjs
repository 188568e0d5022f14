// Runs a real n8n (pinned, Node 24, see ensure-n8n.mjs) with this package installed as a community
// package. Used by `npm start` (scripts/start.mjs) and the end-to-end tests (test/e2e/).
//
//   import { packPackage, startN8n } from './harness.mjs';
//   const tarball = await packPackage();                       // npm run build (if stale) + npm pack
//   const n8n = await startN8n({ port: 5679, packageTarball: tarball });
//   await n8n.setupOwner(); const key = await n8n.createApiKey();
//   const cred = await n8n.createCredential({ name, type, data });
//   const wf = await n8n.createWorkflow(json); await n8n.runManual(wf.id); await n8n.activate(wf.id);
//   await n8n.stop();
//
// Community packages in n8n 2.41.1: n8n loads every package directory under
// `$N8N_USER_FOLDER/.n8n/nodes/node_modules/` whose name matches n8n-nodes-* (or @scope/n8n-nodes-*)
// at start-up; node types are `<package name>.<node name>`. We unpack the `npm pack` tarball there
// (what npm would do) instead of running `npm install`, because npm >= 7 would also install the
// peer dependency n8n-workflow next to it, and a second n8n-workflow copy breaks n8n's instanceof checks.
import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureN8n } from './ensure-n8n.mjs';
import clientModule from './client.cjs';
import localUtil from '../../infra/local/util.cjs';

const { createClient, waitFor, generatePassword, nodeOutput, executionError, logProblems } = clientModule;

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const log = (msg) => process.stderr.write(`[n8n-harness] ${msg}\n`);

// ---------------------------------------------------------------------------------------------
// Building and packing the package
// ---------------------------------------------------------------------------------------------

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/** True when dist/ is missing or older than any source the build reads. */
export function distIsStale(root = repoRoot) {
  const dist = join(root, 'dist');
  if (!existsSync(dist)) return true;
  const built = newestMtime(dist);
  const sources = ['nodes', 'credentials', 'generators', 'bin', 'templates', 'package.json', 'tsconfig.json', 'scripts/build.mjs']
    .map((p) => newestMtime(join(root, p)));
  return Math.max(...sources) > built;
}

/** `npm run build` when dist is stale, then `npm pack` into `destDir`; returns the tarball path. */
export function packPackage({ root = repoRoot, destDir = join(root, '.cache', 'pack'), build = 'if-stale' } = {}) {
  // A ready tarball (e.g. the CI artifact, or one built from a clean checkout) wins.
  if (process.env.KAFKA_SUITE_PACKAGE_TARBALL) return resolve(process.env.KAFKA_SUITE_PACKAGE_TARBALL);
  if (build === 'always' || (build === 'if-stale' && distIsStale(root))) {
    log('building the package (npm run build)');
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  }
  rmSync(destDir, { recursive: true, force: true });
  mkdirSync(destDir, { recursive: true });
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destDir], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [info] = JSON.parse(out.slice(out.indexOf('[')));
  return join(destDir, info.filename);
}

/**
 * Installs a packed community package into an n8n user folder, where n8n 2.41.1 loads it from:
 * `<userFolder>/.n8n/nodes/node_modules/<package name>` (plus a package.json listing it, as n8n's
 * own installer writes).
 */
export function installCommunityPackage(userFolder, tarball) {
  const nodesDir = join(userFolder, '.n8n', 'nodes');
  const staging = mkdtempSync(join(nodesDir.replace(/nodes$/, ''), '.unpack-'));
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', staging]);
    const pkgDir = join(staging, 'package');
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    const target = join(nodesDir, 'node_modules', ...pkg.name.split('/'));
    rmSync(target, { recursive: true, force: true });
    mkdirSync(dirname(target), { recursive: true });
    execFileSync('mv', [pkgDir, target]);
    const manifestPath = join(nodesDir, 'package.json');
    const manifest = existsSync(manifestPath)
      ? JSON.parse(readFileSync(manifestPath, 'utf8'))
      : { name: 'installed-nodes', private: true, dependencies: {} };
    manifest.dependencies = { ...manifest.dependencies, [pkg.name]: pkg.version };
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    return { name: pkg.name, version: pkg.version, dir: target, n8n: pkg.n8n };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Running n8n
// ---------------------------------------------------------------------------------------------

/** Environment for every n8n process we start (server and CLI commands share the user folder). */
export function n8nEnv({ userFolder, port, runtime, brokerPort, extra = {} }) {
  const env = { ...process.env };
  // Don't leak npm/Jest/Node 20 settings into Node 24's n8n (Jest sets NODE_ENV=test, with which
  // n8n refuses to load nodes and exits).
  for (const k of Object.keys(env)) if (/^(npm_|NODE_OPTIONS$|NODE_PATH$|NODE_ENV$|JEST_|TS_JEST)/.test(k)) delete env[k];
  return {
    ...env,
    PATH: `${runtime.nodeBinDir}:${env.PATH}`,
    N8N_USER_FOLDER: userFolder,
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_PROTOCOL: 'http',
    N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
    // n8n's task broker defaults to 5679, which would clash with a second n8n (tests) or the CLI.
    N8N_RUNNERS_BROKER_PORT: String(brokerPort ?? port + 10000),
    N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_DYNAMIC_BANNERS_ENABLED: 'false',
    N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
    N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
    // No internet here: don't fetch n8n's vetted-package list from api.n8n.io (logs an error otherwise).
    N8N_VERIFIED_PACKAGES_ENABLED: 'false',
    // ...nor the MCP server registry (same host).
    N8N_DISABLED_MODULES: 'mcp-registry',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
    N8N_SECURE_COOKIE: 'false', // plain http on 127.0.0.1
    N8N_LOG_OUTPUT: 'console',
    N8N_LOG_LEVEL: extra.N8N_LOG_LEVEL || 'info',
    N8N_HIRING_BANNER_ENABLED: 'false',
    GENERIC_TIMEZONE: 'UTC',
    TZ: 'UTC',
    NO_COLOR: '1',
    ...extra,
  };
}

/** A TCP port nobody listens on right now (for n8n CLI processes' task brokers). */
export const { freePort } = localUtil;

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts n8n headless and returns a handle. Options:
 *   port (5679), userFolder (fresh temp dir unless given), packageTarball (installed as community
 *   package), logFile (<userFolder>/n8n.log), env (extra env), startTimeout (ms), brokerPort (task
 *   runner broker), command ('start', or 'worker' for a queue-mode worker whose health server
 *   listens on `port`), args (extra CLI arguments, e.g. ['--concurrency=5']).
 * Restarting on an existing userFolder keeps its database (owner, credentials, workflows).
 */
export async function startN8n(options = {}) {
  const runtime = await ensureN8n();
  const port = options.port ?? 5679;
  const userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), 'kafka-suite-n8n-'));
  const ownsUserFolder = !options.userFolder;
  mkdirSync(join(userFolder, '.n8n', 'nodes'), { recursive: true });
  let installed;
  if (options.packageTarball) installed = installCommunityPackage(userFolder, options.packageTarball);
  const logFile = options.logFile ?? join(userFolder, 'n8n.log');
  const command = options.command ?? 'start';
  const extra = { ...options.env };
  // A queue-mode worker serves no editor: its health server (on `port`) is what readiness polls.
  if (command === 'worker') Object.assign(extra, { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port) });
  const env = n8nEnv({ userFolder, port, runtime, brokerPort: options.brokerPort, extra });
  const baseUrl = `http://127.0.0.1:${port}`;

  // Refuse to start when the port is taken: we'd be talking to someone else's n8n.
  const busy = await fetch(`${baseUrl}/healthz`).then(() => true, () => false);
  if (busy) throw new Error(`port ${port} is already serving HTTP; stop that process or choose another port`);

  const started = Date.now();
  const fd = openSync(logFile, 'a');
  // detached: n8n gets its own process group (it spawns task runners); stop() signals the group.
  const child = spawn(runtime.node, [runtime.n8nBin, command, ...(options.args ?? [])], {
    cwd: userFolder,
    env,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  let exited = null;
  const exitPromise = new Promise((r) => child.on('exit', (code, signal) => {
    exited = { code, signal };
    r(exited);
  }));
  const onParentExit = () => killGroup(child.pid, 'SIGKILL');
  process.on('exit', onParentExit);

  const client = createClient({ baseUrl });
  const handle = Object.assign(client, {
    port,
    editorUrl: `${baseUrl}/`,
    userFolder,
    logFile,
    runtime,
    installed,
    pid: child.pid,
    /** Resolves to { code, signal } when the n8n process exits. */
    exited: exitPromise,
    env,
    startMs: 0,
    readLog: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),

    /** Warning/error lines of n8n's log that mention the pattern (default: this package and its nodes). */
    problemsAbout(pattern) {
      return logProblems(handle.readLog(), pattern);
    },

    /** `n8n import:workflow --input=<file>` with Node 24 (the CLI path; same database). */
    async importCli(file) {
      return runCli({ runtime, env: { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) }, cwd: userFolder, args: ['import:workflow', `--input=${file}`] });
    },

    /** `n8n execute --id=<id> --rawOutput` in a separate Node 24 process; parsed JSON output. */
    async executeCli(id, { timeout = 180_000 } = {}) {
      return executeCli({ runtime, env: { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) }, id, timeout, cwd: userFolder });
    },

    /** Signals the whole process group (default SIGKILL: a crash) and waits until it is gone. */
    async kill(signal = 'SIGKILL') {
      process.off('exit', onParentExit);
      killGroup(child.pid, signal);
      await exitPromise;
      await waitFor(() => !groupAlive(child.pid), { timeout: 10_000, what: 'n8n process group to exit' }).catch(() => {
        killGroup(child.pid, 'SIGKILL');
      });
      return exited;
    },

    async stop({ timeout = 20_000 } = {}) {
      process.off('exit', onParentExit);
      if (!exited) {
        killGroup(child.pid, 'SIGTERM');
        const t = setTimeout(() => killGroup(child.pid, 'SIGKILL'), timeout);
        await exitPromise;
        clearTimeout(t);
      }
      // Children (task runner) must be gone too.
      await waitFor(() => !groupAlive(child.pid), { timeout: 10_000, what: 'n8n process group to exit' }).catch(() => {
        killGroup(child.pid, 'SIGKILL');
      });
      if (ownsUserFolder && !options.keepUserFolder) {
        rmSync(userFolder, { recursive: true, force: true, maxRetries: 3 });
      }
    },
  });

  try {
    await waitFor(
      async () => {
        if (exited) throw Object.assign(new Error(`n8n exited (${JSON.stringify(exited)}); see ${logFile}`), { fatal: true });
        const res = await fetch(`${baseUrl}/healthz/readiness`);
        return res.ok;
      },
      { timeout: options.startTimeout ?? 120_000, interval: 200, what: `n8n on ${baseUrl}/healthz/readiness` },
    );
    handle.startMs = Date.now() - started;
    log(`n8n ${runtime.n8nVersion} ${command} ready on ${baseUrl} in ${(handle.startMs / 1000).toFixed(1)} s (log: ${logFile})`);
  } catch (err) {
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '';
    await handle.stop();
    throw new Error(`${err.message}\n--- n8n log tail ---\n${tail}`);
  }
  return handle;
}

/** Runs an n8n CLI command with Node 24; resolves to its stdout. */
export function runCli({ runtime, env, cwd, args, timeout = 180_000 }) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(runtime.node, [runtime.n8nBin, ...args], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const timer = setTimeout(() => {
      killGroup(child.pid, 'SIGKILL');
      reject(new Error(`n8n ${args.join(' ')} timed out after ${timeout} ms\n${out}`));
    }, timeout);
    child.on('exit', (code) => {
      clearTimeout(timer);
      killGroup(child.pid, 'SIGKILL');
      if (code === 0) resolvePromise(out);
      else reject(new Error(`n8n ${args.join(' ')} exited ${code}\n${out.slice(-6000)}`));
    });
  });
}

/** `n8n execute --id=<id> --rawOutput` with Node 24; resolves to the parsed JSON it prints. */
export function executeCli({ runtime, env, id, timeout = 180_000, cwd }) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(runtime.node, [runtime.n8nBin, 'execute', `--id=${id}`, '--rawOutput'], {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const timer = setTimeout(() => {
      killGroup(child.pid, 'SIGKILL');
      reject(new Error(`n8n execute --id=${id} timed out after ${timeout} ms\n${out}\n${err}`));
    }, timeout);
    child.on('exit', (code) => {
      clearTimeout(timer);
      killGroup(child.pid, 'SIGKILL'); // leftovers (task runner), if any
      // n8n prints log lines first; the run data is the JSON document starting at a line's start.
      const m = /^\{\s*$/m.exec(out) ?? /^\{/m.exec(out);
      const start = m ? m.index : -1;
      let parsed;
      try {
        parsed = start >= 0 ? JSON.parse(out.slice(start)) : undefined;
      } catch {
        parsed = undefined;
      }
      // `n8n execute` may end by signal after printing (code null): judge by the output.
      if (parsed === undefined || (code !== 0 && code !== null)) {
        const e = new Error(`n8n execute --id=${id} exited ${code}\n--- stdout ---\n${out.slice(-6000)}\n--- stderr ---\n${err.slice(-4000)}`);
        e.stdout = out;
        e.stderr = err;
        e.code = code;
        reject(e);
      } else resolvePromise(parsed);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Queue mode: Redis (Debian's redis-server) and the environment main and workers share
// ---------------------------------------------------------------------------------------------

/** Installs Debian's redis-server when missing (root only); returns its path. */
export function ensureRedisServer() {
  const found = ['/usr/bin/redis-server', '/usr/sbin/redis-server'].find((p) => existsSync(p));
  if (found) return found;
  if (process.getuid?.() !== 0) throw new Error('redis-server is not installed (apt-get install redis-server)');
  log('installing redis-server (apt-get)');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return '/usr/bin/redis-server';
}

/**
 * A throwaway Redis on 127.0.0.1:<port> (no persistence, own process group); `stop()` ends it.
 * n8n's queue (Bull) lives there, so every test run starts from an empty queue.
 */
export async function startRedis({ port, dir = mkdtempSync(join(tmpdir(), 'kafka-suite-redis-')) } = {}) {
  const bin = ensureRedisServer();
  const redisPort = port ?? (await freePort());
  const logFile = join(dir, 'redis.log');
  const child = spawn(bin, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', logFile], {
    detached: true,
    stdio: 'ignore',
  });
  let exited = null;
  const exitPromise = new Promise((r) => child.on('exit', (code, signal) => r((exited = { code, signal }))));
  const onParentExit = () => killGroup(child.pid, 'SIGKILL');
  process.on('exit', onParentExit);
  const ping = () =>
    new Promise((resolvePromise) => {
      import('node:net').then(({ connect }) => {
        const socket = connect(redisPort, '127.0.0.1');
        let answer = '';
        socket.setTimeout(1000, () => socket.destroy());
        socket.on('connect', () => socket.write('PING\r\n'));
        socket.on('data', (d) => {
          answer += d;
          if (answer.includes('\r\n')) socket.end();
        });
        socket.on('close', () => resolvePromise(answer.startsWith('+PONG')));
        socket.on('error', () => resolvePromise(false));
      });
    });
  const handle = {
    port: redisPort,
    pid: child.pid,
    logFile,
    async stop() {
      process.off('exit', onParentExit);
      if (!exited) {
        killGroup(child.pid, 'SIGTERM');
        const t = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 10_000);
        await exitPromise;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitFor(async () => {
      if (exited) throw Object.assign(new Error(`redis-server exited (${JSON.stringify(exited)})`), { fatal: true });
      return ping();
    }, { timeout: 20_000, interval: 100, what: `redis-server on 127.0.0.1:${redisPort}` });
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}

/**
 * Environment for a queue-mode fleet (main + workers): the same Redis, user folder (so the same
 * SQLite database and encryption key) and Bull prefix in every process.
 */
export function queueModeEnv({ redisPort, encryptionKey, concurrency = 10 }) {
  return {
    EXECUTIONS_MODE: 'queue',
    QUEUE_BULL_REDIS_HOST: '127.0.0.1',
    QUEUE_BULL_REDIS_PORT: String(redisPort),
    N8N_ENCRYPTION_KEY: encryptionKey,
    N8N_CONCURRENCY_PRODUCTION_LIMIT: String(concurrency),
  };
}

export { ensureN8n, createClient, waitFor, generatePassword, nodeOutput, executionError, logProblems };
