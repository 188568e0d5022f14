// An n8n of the test file's own, next to the suite's shared one, for settings that are
// process-wide in n8n (HTTPS_PROXY, NODE_EXTRA_CA_CERTS, ...). Same pinned n8n and the suite's
// package tarball; a free port; stop() ends it and waits for its process group.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { ROOT, state, type N8nClient } from './n8n';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const clientModule = require('../../scripts/n8n/client.cjs');

export interface OwnN8n {
  client: N8nClient;
  baseUrl: string;
  logFile: string;
  stop(): Promise<void>;
}

export async function startOwnN8n({ env = {}, logFile, email }: { env?: Record<string, string>; logFile: string; email?: string }): Promise<OwnN8n> {
  const child = spawn(process.execPath, [path.join(__dirname, 'n8nProcess.mjs'), JSON.stringify({ env, logFile, email, packageTarball: state().tarball })], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const ready = /^N8N_READY (.*)$/m.exec(out);
      if (ready) resolve(ready[1]);
    });
    exited.then((code) => reject(new Error(`extra n8n exited (${code}) before it was ready:\n${err.slice(-3000)}`)));
  });
  const s = JSON.parse(line);
  return {
    client: clientModule.createClient(s) as N8nClient,
    baseUrl: s.baseUrl,
    logFile: s.logFile,
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}
