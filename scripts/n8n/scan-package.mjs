#!/usr/bin/env node
// Runs n8n's community-package scanner (@n8n/scan-community-package) on a LOCAL tarball.
//
//   node scripts/n8n/scan-package.mjs [path/to/package.tgz]   (default: npm pack of this repo)
//   exit 0 = passed; prints the scanner's ESLint report otherwise.
//
// The scanner's CLI only takes a package NAME: analyzePackageByName() fetches the packument from
// https://registry.npmjs.org/<name>, fails unless the version was published with npm provenance
// (dist.attestations.provenance), fetches the attestation from registry.npmjs.org/-/npm/v1/attestations,
// downloads the attested source from codeload.github.com and the tarball with `npm pack <name>@<v>`.
// None of that works for an unpublished local build (and github.com is unreachable here). What it
// then runs is analyzePackage(dir, patterns), an exported function: ESLint with n8n's
// community-node rules, once on the attested source (package.json + nodes/credentials sources) and
// once on the tarball (compiled .js + package.json). We call those two legs directly: the tarball
// leg on the unpacked tarball, the source leg on this repository's checkout. Only the provenance
// leg cannot be reproduced offline.
//
// The scanner is installed once into the n8n cache (not a devDependency): its dependency
// eslint-plugin-n8n-nodes-base has a preinstall `npx only-allow pnpm` that makes `npm install`
// fail, so we install it with --ignore-scripts (none of its packages needs a script).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cacheDir } from './ensure-n8n.mjs';
import { packPackage, repoRoot } from './harness.mjs';

export const SCANNER_VERSION = process.env.KAFKA_SUITE_SCANNER_VERSION || '0.32.0';
const log = (msg) => process.stderr.write(`[scan-package] ${msg}\n`);

/** Installs the scanner under <cache>/scanner once; returns the path of its scanner.mjs. */
export function ensureScanner() {
  const dir = join(cacheDir, 'scanner');
  const marker = join(dir, 'installed.json');
  const entry = join(dir, 'node_modules', '@n8n', 'scan-community-package', 'scanner', 'scanner.mjs');
  try {
    if (JSON.parse(readFileSync(marker, 'utf8')).version === SCANNER_VERSION && existsSync(entry)) return entry;
  } catch {
    /* not installed */
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'kafka-suite-scanner', private: true }, null, 2));
  log(`installing @n8n/scan-community-package@${SCANNER_VERSION} (once)`);
  const t = Date.now();
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', `@n8n/scan-community-package@${SCANNER_VERSION}`], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`installing the scanner failed:\n${r.stdout}\n${r.stderr}`);
  writeFileSync(marker, JSON.stringify({ version: SCANNER_VERSION }));
  log(`installed in ${Math.round((Date.now() - t) / 1000)} s`);
  return entry;
}

/** Scans a tarball; resolves to { passed, dist, source } with the scanner's own result objects. */
export async function scanTarball(tarball, { sourceDir = repoRoot } = {}) {
  const entry = ensureScanner();
  const scanner = await import(pathToFileURL(entry).href);
  const work = mkdtempSync(join(tmpdir(), 'kafka-suite-scan-'));
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', work, '--strip-components=1']);
    // Same file patterns as analyzePackageByName uses for each leg.
    const dist = await scanner.analyzePackage(work, ['**/*.js', 'package.json']);
    const source = await scanner.analyzePackage(sourceDir, scanner.SOURCE_FILE_PATTERNS);
    return { passed: Boolean(dist.passed && source.passed), dist, source };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const tarball = process.argv[2] ? resolve(process.argv[2]) : packPackage();
  scanTarball(tarball)
    .then((r) => {
      for (const [leg, res] of [['tarball (compiled .js + package.json)', r.dist], ['source (package.json + nodes/credentials)', r.source]]) {
        console.log(`${res.passed ? 'PASS' : 'FAIL'} ${leg}${res.message ? `: ${res.message}` : ''}`);
        if (res.details) console.log(res.details);
      }
      console.log('NOT RUN: npm provenance check (needs the version published to registry.npmjs.org with --provenance)');
      process.exit(r.passed ? 0 : 1);
    })
    .catch((err) => {
      console.error(err.stack || String(err));
      process.exit(2);
    });
}
