#!/usr/bin/env node
// Runs the integration project against a Kafka version of its own choosing, on services that
// cannot meet the default ones: their own ports (broker 29092-29096, registry 29097, Connect 29098) and
// their own state dir (.cache/run-<version>-isolated). The Jest global setup starts them under a
// lease and stops them at the end, as for `npm test`.
//
//   node test/setup/run-on-kafka.mjs 3.9.1            # the client-facing selection below
//   node test/setup/run-on-kafka.mjs 3.9.1 --full     # the whole integration project
//   node test/setup/run-on-kafka.mjs 3.9.1 -- <more jest arguments>
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import util from '../../infra/local/util.cjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

// What CI runs on the second Kafka version: every client-facing area (producer, trigger, admin,
// lag, transactions, faults, schema registry, the adapter), leaving out only what does not depend on
// the broker version or repeats a longer path already covered (see README, "Kafka versions").
export const SELECTION = [
  'test/integration/infra.test.ts',
  'test/integration/adapter/',
  'test/integration/platformatic/(producer|consumer)\\.test',
  'test/integration/producer/',
  'test/integration/trigger/(deliveryModes|exactlyOnce|deadLetter|manualAndStart|atLeastOnce)',
  // catalog and advisor are reports over the describe calls the admin tests already make: --full.
  'test/integration/admin/(topics|groups|acl-cluster|connect|listSearch)\\.test',
  'test/integration/lag/',
  // broker-kill-consuming (4.5 min of a 19 min loaded run) and admin/export (4.5 min: Terraform
  // provider and generator work, not broker calls) are left to --full: the kill/restart path
  // runs in broker-kill-producing, and the consumer's recovery in atLeastOnce's restarts.
  'test/integration/faults/(broker-kill-producing|sasl-password-changed)',
  'test/integration/schema-registry/wireFormat',
];

const PORT_BASE = 29092;

function main(argv) {
  const sep = argv.indexOf('--');
  const own = sep === -1 ? argv : argv.slice(0, sep);
  const jestExtra = sep === -1 ? [] : argv.slice(sep + 1);
  const version = own.find((a) => /^\d+\.\d+\.\d+$/.test(a));
  if (!version) {
    process.stderr.write('usage: node test/setup/run-on-kafka.mjs <kafka version> [--full] [-- <jest args>]\n');
    process.exit(2);
  }
  const cache = resolve(process.env.KAFKA_SUITE_CACHE || join(ROOT, '.cache'));
  const env = {
    ...process.env,
    KAFKA_VERSION: version,
    KAFKA_SUITE_STATE: join(cache, `run-${version}-isolated`),
    ...util.portBlockEnv(PORT_BASE),
    // The local services of this version, never a cluster or containers brought from outside.
    KAFKA_SUITE_LOCAL: '1',
  };
  for (const key of ['KAFKA_BOOTSTRAP_SERVERS', 'KAFKA_CONNECT_VERSION']) delete env[key];
  const selection = own.includes('--full') ? [] : SELECTION;
  // The new consumer group protocol (KIP-848) exists from Kafka 4.0 only (the selection never names it).
  const patterns = selection.length ? [selection.join('|')] : Number(version.split('.')[0]) < 4 ? ['^(?!.*trigger/groupProtocol\\.test)'] : [];
  const args = [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--selectProjects', 'integration', ...(patterns.length ? ['--testPathPattern', ...patterns] : []), ...jestExtra];
  process.stderr.write(`[run-on-kafka] Kafka ${version}: ${selection.length ? `${selection.length} selected areas` : 'the whole integration project'}\n`);
  // Under Node 24 (n8n's own Node since 2.36), so the @platformatic/kafka tests in the selection run
  // too; the main `npm test` run covers the system Node.
  const node24 = spawnSync(process.execPath, [join(ROOT, 'scripts', 'node24.mjs'), '--print'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (node24.status !== 0) process.exit(node24.status ?? 1);
  const child = spawn(node24.stdout.trim().split('\n').pop(), args, { cwd: ROOT, env, stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main(process.argv.slice(2));
