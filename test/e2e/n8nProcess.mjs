// Runs one extra n8n for an e2e test file, in a plain Node process: harness.mjs is ESM, and Jest
// (without --experimental-vm-modules) cannot import() it from a test file. Reads its options as
// JSON from argv[2] ({ env, logFile, packageTarball }), prints `N8N_READY <json>` with the client state
// once n8n is ready with an owner and an API key, and stops n8n (whole process group) when stdin
// closes or on SIGTERM. See ownN8n.ts.
import { freePort, startN8n } from '../../scripts/n8n/harness.mjs';

const options = JSON.parse(process.argv[2] || '{}');
let n8n;
let stopping;
const stop = (code) => {
  stopping ??= (n8n ? n8n.stop() : Promise.resolve()).finally(() => process.exit(code));
  return stopping;
};
process.on('SIGTERM', () => stop(0));
process.stdin.on('end', () => stop(0));
process.stdin.resume();

try {
  // A free port for the task broker too (the default, port + 10000, may be taken or out of range).
  n8n = await startN8n({ port: await freePort(), brokerPort: await freePort(), packageTarball: options.packageTarball, logFile: options.logFile, env: options.env });
  await n8n.setupOwner({ email: options.email || 'extra@kafka-suite.local' });
  await n8n.createApiKey('e2e-extra');
  process.stdout.write(`N8N_READY ${JSON.stringify({ ...n8n.state(), userFolder: n8n.userFolder, logFile: n8n.logFile, startMs: n8n.startMs })}\n`);
} catch (err) {
  process.stderr.write(`${err.stack || err}\n`);
  await stop(1);
}
