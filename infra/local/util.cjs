'use strict';
// Small process, port and HTTP helpers shared by the local services and the tests and scripts that
// start their own JVMs, n8n processes or servers. CommonJS with no dependencies: it runs from a
// fresh clone before anything is built.

const fs = require('node:fs');
const net = require('node:net');
const http = require('node:http');
const { spawn, spawnSync } = require('node:child_process');

const HOST = '127.0.0.1';

function mkdirp(dir) {
  fs.mkdirSync(dir, { recursive: true });
}

function pidAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return e.code === 'EPERM';
  }
  // A zombie still answers kill(0); treat it as gone.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/^\d+ \(.*\) Z /.test(stat)) return false;
  } catch {
    /* no /proc: trust kill(0) */
  }
  return true;
}

class ServiceError extends Error {
  constructor(message, logFile) {
    super(message);
    this.logFile = logFile;
  }
}

/** Polls check() until it is truthy; fails early when `pid` exits, or at the deadline. */
async function waitFor(what, deadlineMs, check, { pid, logFile, intervalMs = 200 } = {}) {
  const end = Date.now() + deadlineMs;
  let lastError;
  for (;;) {
    try {
      if (await check()) return;
    } catch (e) {
      lastError = e;
    }
    if (pid !== undefined && !pidAlive(pid)) {
      throw new ServiceError(`${what}: process ${pid} exited before becoming ready`, logFile);
    }
    if (Date.now() > end) {
      const why = lastError ? ` (last error: ${lastError.message})` : '';
      throw new ServiceError(`${what}: not ready within ${Math.round(deadlineMs / 1000)} s${why}`, logFile);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function tail(file, lines = 40) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

/** Whether something accepts connections on host:port. */
function portOpen(port, host = HOST, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Whether this process could bind host:port now. */
function portFree(port, host = HOST) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A TCP port nobody listens on right now (the kernel's pick). */
function freePort(host = HOST) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function httpGet(url, timeoutMs = 3000) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout on ${url}`)));
    req.on('error', reject);
  });
}

/** Runs a command to completion; throws with its output when it fails. */
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout || ''}${r.stderr || ''}`);
  }
  return r.stdout;
}

/** run() without blocking the event loop (progress tickers keep running). */
function runAsync(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}):\n${out}`));
    });
  });
}

// The services' ports, in block order, and the variables that set them (read by services.cjs).
const PORT_ENV = {
  plaintext: 'KAFKA_PLAINTEXT_PORT',
  ssl: 'KAFKA_SSL_PORT',
  sasl: 'KAFKA_SASL_PORT',
  saslSsl: 'KAFKA_SASL_SSL_PORT',
  controller: 'KAFKA_CONTROLLER_PORT',
  registry: 'SCHEMA_REGISTRY_PORT',
  connect: 'KAFKA_CONNECT_PORT',
};

/** Env for a set of services on the 7 ports base..base+6 (an isolated copy, a second version). */
function portBlockEnv(base) {
  return Object.fromEntries(Object.values(PORT_ENV).map((name, i) => [name, String(base + i)]));
}

module.exports = { HOST, PORT_ENV, portBlockEnv, mkdirp, pidAlive, ServiceError, waitFor, tail, portOpen, portFree, freePort, httpGet, run, runAsync };
