#!/usr/bin/env node
// Runs n8n's community-package scanner (@n8n/scan-community-package) on a LOCAL tarball.
//
//   node scripts/n8n/scan-package.mjs [--json out.json] [path/to/package.tgz]   (default: npm pack of this repo)
//   exit 0 = every finding is in scanner-allowlist.mjs and every allowlist entry matched something;
//   prints the per-rule counts, the accepted findings and anything unexpected or stale. --json writes
//   the findings and their classification (read by test/e2e/package-checks.test.ts).
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
import { classify, formatFinding, formatSummary, parseStylish } from './scanner-allowlist.mjs';

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
  // eslint-plugin-n8n-nodes-base switches to its own test-fixture mode when NODE_ENV=test (as under
  // Jest): it then takes every file for its fixture Test.node.ts / a credential and reports ~80 bogus
  // findings. It reads NODE_ENV once, when first imported, so clear it before that.
  if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;
  const scanner = await import(pathToFileURL(entry).href);
  const work = mkdtempSync(join(tmpdir(), 'kafka-suite-scan-'));
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', work, '--strip-components=1']);
    // Same file patterns as analyzePackageByName uses for each leg.
    const dist = await scanner.analyzePackage(work, ['**/*.js', 'package.json']);
    const source = await scanner.analyzePackage(sourceDir, scanner.SOURCE_FILE_PATTERNS);
    // analyzePackage() only returns ESLint's stylish text; parse it while the unpacked paths exist.
    const findings = [...parseStylish(dist.details, 'tarball', work), ...parseStylish(source.details, 'source', sourceDir)];
    // A leg that failed without a report (the scanner itself crashed) must not pass as "no findings".
    const crashed = [['tarball', dist], ['source', source]].filter(([, r]) => !r.passed && !r.details).map(([leg, r]) => `${leg}: ${r.message}`);
    return { passed: Boolean(dist.passed && source.passed), dist, source, findings, crashed };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf('--json');
  const jsonOut = jsonAt >= 0 ? resolve(args.splice(jsonAt, 2)[1]) : null;
  const tarball = args[0] ? resolve(args[0]) : packPackage();
  scanTarball(tarball)
    .then((r) => {
      const result = classify(r.findings);
      for (const [leg, res] of [['tarball (compiled .js + package.json)', r.dist], ['source (package.json + nodes/credentials)', r.source]]) {
        console.log(`scanner ${res.passed ? 'PASS' : 'FAIL'} ${leg}${res.message ? `: ${res.message}` : ''}`);
      }
      for (const { finding, entry } of result.accepted) console.log(`accepted ${formatFinding(finding)}\n    because ${entry.reason}`);
      console.log(formatSummary(result));
      for (const c of r.crashed) console.log(`SCANNER ERROR ${c}`);
      console.log('NOT RUN: npm provenance check (needs the version published to registry.npmjs.org with --provenance)');
      const ok = result.unexpected.length === 0 && result.stale.length === 0 && r.crashed.length === 0;
      console.log(ok ? 'PASS with allowlist (scripts/n8n/scanner-allowlist.mjs)' : 'FAIL with allowlist (scripts/n8n/scanner-allowlist.mjs)');
      if (jsonOut) {
        const entry = (e) => ({ rule: e.rule, leg: e.leg, files: e.files, message: e.message ? String(e.message) : undefined, reason: e.reason });
        writeFileSync(
          jsonOut,
          JSON.stringify(
            {
              ok,
              crashed: r.crashed,
              findings: r.findings.length,
              counts: result.counts,
              accepted: result.accepted.map(({ finding, entry: e }) => ({ ...finding, reason: e.reason })),
              unexpected: result.unexpected,
              stale: result.stale.map(entry),
            },
            null,
            2,
          ),
        );
      }
      process.exit(ok ? 0 : 1);
    })
    .catch((err) => {
      console.error(err.stack || String(err));
      process.exit(2);
    });
}
