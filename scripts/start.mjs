#!/usr/bin/env node
// `npm start`: a real n8n with this package installed, wired to a local Kafka broker and schema
// registry, with every workflow in workflows/ imported. Ctrl-C stops n8n and the services.
//
//   npm start                  # editor on http://127.0.0.1:5678
//   N8N_PORT=5700 npm start    # another port
//
// Steps: build (only when dist/ is older than the sources) -> local services (infra/local/services.cjs)
// -> Node 24 + n8n (cached, scripts/n8n/ensure-n8n.mjs) -> npm pack + install as community package
// -> owner admin@kafka-suite.local with a generated password -> credentials -> workflows.
// n8n's data lives in .cache/n8n-start/ and is recreated on every start (a clean, known state).
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ensureN8n } from './n8n/ensure-n8n.mjs';
import { generatePassword, packPackage, repoRoot, startN8n, waitFor } from './n8n/harness.mjs';

const require = createRequire(import.meta.url);
const t0 = Date.now();
const timings = {};
const step = async (name, fn) => {
  const t = Date.now();
  const r = await fn();
  timings[name] = Date.now() - t;
  return r;
};
const say = (msg) => process.stdout.write(`[start] ${msg}\n`);
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

const port = Number(process.env.N8N_PORT || 5678);
const userFolder = join(repoRoot, '.cache', 'n8n-start');
const SERVICES = join(repoRoot, 'infra', 'local', 'services.cjs');

let services;
let n8n;
let stopping = false;

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  say('stopping n8n and the local services...');
  try {
    if (n8n) await n8n.stop();
  } catch (err) {
    say(`n8n stop: ${err.message}`);
  }
  try {
    if (services) {
      const r = await services.release();
      say(r.stopped?.length ? `stopped ${r.stopped.join(', ')}` : `services left running (${r.reason ?? 'not ours'})`);
    }
  } catch (err) {
    say(`services stop: ${err.message}`);
  }
  process.exit(code);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

/** Replaces every node's credential references by the ids of the credentials we created, by type. */
export function resolveCredentials(workflow, byType) {
  const nodes = workflow.nodes.map((node) => {
    if (!node.credentials) return node;
    const credentials = {};
    for (const [type, ref] of Object.entries(node.credentials)) {
      const created = byType[type];
      credentials[type] = created ? { id: created.id, name: created.name } : ref;
    }
    return { ...node, credentials };
  });
  return { ...workflow, nodes };
}

async function main() {
  // 1. Build + pack (the tarball is what a user would install from npm).
  const tarball = await step('build+pack', () => packPackage());

  // 2. Local Kafka + schema registry (lease: shared with test runs; the last user stops them).
  if (!existsSync(SERVICES)) {
    say(`waiting for ${SERVICES} (another engineer is writing it)...`);
    await waitFor(() => existsSync(SERVICES), { timeout: 10 * 60_000, interval: 2000, what: SERVICES });
  }
  services = require(SERVICES);
  const facts = await step('services', () =>
    services.start({ lease: true, connect: false, log: (m) => say(`services: ${m}`) }));
  const brokers = facts.bootstrap.plaintext;
  const registryUrl = facts.schemaRegistry.url;

  // 3. Node 24 + n8n (downloads once, ~3-5 min; then instant).
  await step('ensure-n8n', () => ensureN8n());

  // 4. n8n with a fresh user folder and our package installed as a community package.
  rmSync(userFolder, { recursive: true, force: true });
  n8n = await step('n8n-start', () => startN8n({ port, userFolder, packageTarball: tarball, logFile: join(userFolder, 'n8n.log') }));

  // 5. Owner, API key, credentials, workflows.
  const setup = await step('setup', async () => {
    const password = process.env.KAFKA_SUITE_N8N_PASSWORD || generatePassword();
    const owner = await n8n.setupOwner({ email: 'admin@kafka-suite.local', password });
    await n8n.createApiKey('npm-start');
    const byType = {};
    byType.kafkaSuiteClusterApi = await n8n.createCredential({
      name: 'Local Kafka (127.0.0.1:9092)',
      type: 'kafkaSuiteClusterApi',
      data: { platform: 'apache', brokers, securityProtocol: 'plaintext' },
    });
    byType.kafkaSuiteSchemaRegistryApi = await n8n.createCredential({
      name: 'Local Schema Registry (Apicurio ccompat v7)',
      type: 'kafkaSuiteSchemaRegistryApi',
      data: { url: registryUrl },
    });
    if (facts.connectUrl) {
      byType.kafkaSuiteConnectApi = await n8n.createCredential({
        name: `Local Kafka Connect (${facts.connectUrl.replace(/^https?:\/\//, '')})`,
        type: 'kafkaSuiteConnectApi',
        data: { url: facts.connectUrl },
      });
    }
    const imported = [];
    const dir = join(repoRoot, 'workflows');
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
    for (const file of files) {
      const json = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      try {
        const wf = await n8n.createWorkflow(resolveCredentials(json, byType));
        if (json.active === true) await n8n.publish(wf.id);
        imported.push({ file, id: wf.id, name: wf.name, published: json.active === true });
      } catch (err) {
        say(`could not import workflows/${file}: ${err.message}`);
        imported.push({ file, error: err.message });
      }
    }
    return { owner, imported };
  });

  const problems = n8n.problemsAbout();
  say('');
  say(`n8n ${n8n.runtime.n8nVersion} with ${n8n.installed.name}@${n8n.installed.version} is ready in ${secs(Date.now() - t0)}`);
  say(`  (${Object.entries(timings).map(([k, v]) => `${k} ${secs(v)}`).join(', ')})`);
  say('');
  say(`  Editor:    ${n8n.editorUrl}`);
  say(`  Login:     ${setup.owner.email}`);
  say(`  Password:  ${setup.owner.password}`);
  say(`  API key:   ${n8n.apiKey}`);
  say(`  Kafka:     ${brokers}    Schema Registry: ${registryUrl}`);
  say(`  Workflows: ${setup.imported.length ? '' : 'none in workflows/'}`);
  for (const w of setup.imported) {
    say(w.error ? `    ${w.file}: FAILED (${w.error.split('\n')[0]})` : `    ${w.file} -> ${n8n.editorUrl}workflow/${w.id}${w.published ? ' (published)' : ''}`);
  }
  if (problems.length) say(`  n8n logged problems about our package:\n${problems.map((l) => `    ${l}`).join('\n')}`);
  say(`  n8n log:   ${n8n.logFile}`);
  say('');
  say('Press Ctrl-C to stop n8n and the local services.');

  // Stay up until Ctrl-C; if n8n dies on its own, clean up and fail.
  const exit = await n8n.exited;
  if (!stopping) {
    say(`n8n exited on its own (${JSON.stringify(exit)}); see ${n8n.logFile}`);
    await shutdown(1);
  }
}

main().catch(async (err) => {
  process.stderr.write(`[start] ${err.stack || err}\n`);
  await shutdown(1);
});
