// Global setup for `npm run test:e2e`: the local broker + registry (the shared setup in
// test/setup/globalSetup.ts), then ONE real n8n for the whole suite via scripts/n8n/harness.mjs,
// with this package (built if stale, packed) installed as a community package, an owner and an API
// key. Test files reach it through the state file named by KAFKA_SUITE_E2E_STATE (see n8n.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import servicesSetup from '../setup/globalSetup';
import servicesTeardown from '../setup/globalTeardown';
import { nativeImport } from '../helpers/nativeImport';

const ROOT = path.resolve(__dirname, '..', '..');
export const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');


export interface E2eState {
  baseUrl: string;
  apiKey: string;
  cookies: Record<string, string>;
  browserId: string;
  owner: { email: string; password: string };
  logFile: string;
  userFolder: string;
  tarball: string;
  packageName: string;
  timings: Record<string, number>;
}

declare global {
  var __KAFKA_SUITE_N8N__: { stop: () => Promise<void> } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  await servicesSetup();
  timings.services = Date.now() - t0;
  mkdirSync(ARTIFACTS, { recursive: true });
  let n8n: any;
  try {
    const harness = await nativeImport(path.join(ROOT, 'scripts', 'n8n', 'harness.mjs'));
    let t = Date.now();
    await harness.ensureN8n();
    timings.ensureN8n = Date.now() - t;
    t = Date.now();
    const tarball: string = harness.packPackage();
    timings.buildAndPack = Date.now() - t;
    const logFile = path.join(ARTIFACTS, 'n8n-e2e.log');
    writeFileSync(logFile, '');
    n8n = await harness.startN8n({
      port: Number(process.env.KAFKA_SUITE_E2E_N8N_PORT || 5679),
      packageTarball: tarball,
      logFile,
      // JSON lines carry the level, so the package check can find every warning/error about our nodes.
      env: { N8N_LOG_FORMAT: 'json' },
    });
    globalThis.__KAFKA_SUITE_N8N__ = n8n;
    timings.n8nStart = n8n.startMs;
    await n8n.setupOwner({ email: 'e2e@kafka-suite.local' });
    await n8n.createApiKey('e2e');
    const state: E2eState = {
      ...n8n.state(),
      logFile,
      userFolder: n8n.userFolder,
      tarball,
      packageName: n8n.installed.name,
      timings,
    };
    const stateFile = path.join(n8n.userFolder, 'e2e-state.json');
    writeFileSync(stateFile, JSON.stringify(state, null, 2));
    process.env.KAFKA_SUITE_E2E_STATE = stateFile;
    process.stderr.write(
      `[e2e] n8n ${n8n.runtime.n8nVersion} on ${n8n.baseUrl} with ${n8n.installed.name}@${n8n.installed.version}; ` +
        `setup ${((Date.now() - t0) / 1000).toFixed(1)} s (${Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')})\n`,
    );
  } catch (err) {
    if (n8n) await n8n.stop();
    globalThis.__KAFKA_SUITE_N8N__ = undefined;
    await servicesTeardown();
    throw err;
  }
}
