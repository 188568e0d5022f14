// (g) Package checks on the exact tarball the suite installed into n8n:
//   - n8n's community-package scanner (@n8n/scan-community-package), run offline on the local
//     tarball through scripts/n8n/scan-package.mjs (its CLI only scans packages published to npm
//     with provenance; see that script), report kept in test/artifacts/scan-report.txt. The scan
//     cannot pass outright (n8n Cloud rules a Kafka client breaks by design), so every finding must
//     match scripts/n8n/scanner-allowlist.mjs, every entry there must still match something, and any
//     other finding (a new one in node or credential code) fails;
//   - n8n loaded every node and credential the package declares, and its log has no warning or
//     error about our package or nodes (checked last: everything the suite ran is in the log).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ARTIFACTS, logProblemsAboutOurPackage, n8n, PKG, ROOT, state } from './n8n';

describe('package checks', () => {
  test('n8n loaded every node and credential type package.json declares', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require(path.join(ROOT, 'package.json'));
    const nodes: Array<{ name: string }> = await n8n().rest('GET', '/types/nodes.json');
    const credentials: Array<{ name: string }> = await n8n().rest('GET', '/types/credentials.json');
    const loadedNodes = new Set(nodes.filter((n) => n.name.startsWith(`${PKG}.`)).map((n) => n.name));
    const loadedCredentials = new Set(credentials.map((c) => c.name));
    const className = (file: string) => path.basename(file).replace(/\.(node|credentials)\.js$/, '');
    const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
    const missingNodes = pkg.n8n.nodes.map((f: string) => `${PKG}.${lowerFirst(className(f))}`).filter((t: string) => !loadedNodes.has(t));
    const missingCredentials = pkg.n8n.credentials.map((f: string) => lowerFirst(className(f))).filter((t: string) => !loadedCredentials.has(t));
    expect({ missingNodes, missingCredentials }).toEqual({ missingNodes: [], missingCredentials: [] });
    expect(loadedNodes.size).toBeGreaterThanOrEqual(pkg.n8n.nodes.length);
  });

  test('@n8n/scan-community-package reports only allowlisted findings on the packed tarball', () => {
    const jsonOut = path.join(ARTIFACTS, 'scan-findings.json');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'n8n', 'scan-package.mjs'), '--json', jsonOut, state().tarball], {
      encoding: 'utf8',
      timeout: 600000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const report = `${r.stdout}\n${r.stderr}`;
    writeFileSync(path.join(ARTIFACTS, 'scan-report.txt'), report);
    if (r.status !== 0 && r.status !== 1) throw new Error(`scan-package.mjs failed (exit ${r.status}):\n${report.slice(-4000)}`);
    const scan: {
      ok: boolean;
      crashed: string[];
      findings: number;
      counts: Record<string, { accepted: number; unexpected: number }>;
      unexpected: Array<{ leg: string; file: string; line: number; rule: string; message: string }>;
      stale: Array<{ leg: string; rule: string; files: string[]; reason: string }>;
    } = JSON.parse(readFileSync(jsonOut, 'utf8'));
    const summary = Object.entries(scan.counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, c]) => `  ${key}: ${c.accepted} accepted, ${c.unexpected} unexpected`);
    console.log(`scanner findings per rule (${scan.findings} in all; full report in test/artifacts/scan-report.txt):\n${summary.join('\n')}`);
    expect(scan.findings).toBeGreaterThan(0); // a scan that found nothing at all did not run its rules
    expect({
      crashed: scan.crashed,
      unexpected: scan.unexpected.map((f) => `${f.leg} ${f.file}:${f.line} ${f.rule}: ${f.message}`),
      stale: scan.stale.map((e) => `${e.leg} ${e.rule} ${e.files.join(', ')}`),
    }).toEqual({ crashed: [], unexpected: [], stale: [] });
    expect({ exit: r.status, ok: scan.ok }).toEqual({ exit: 0, ok: true });
  }, 600000);

  test("n8n's log has no warning or error about our package or nodes", () => {
    expect(logProblemsAboutOurPackage()).toEqual([]);
  });
});
