#!/usr/bin/env node
'use strict';
// Real Kafka broker + Apicurio schema registry + Kafka Connect for tests and local development,
// fetched from Maven Central and run as plain JVM processes. This exists because the machines we
// test on have no Docker engine; it must run on a fresh clone, hence CommonJS with no build step.
// The parts live next to it: util (ports, waits), lock, maven (downloads), kafka (versions,
// logging), certs, configs, processes, registry. This file holds the state, the CLI and the API.
//
//   node infra/local/services.cjs start [--no-connect] [--no-registry] [--json]
//   node infra/local/services.cjs stop | status [--json]
//
// As a module: start(options), stop(), status(), release(), killBroker(), startBroker(),
// stopRegistry(), startRegistry(), setScramPassword(user, mechanism, password), facts().
// Environment (read once, at load): KAFKA_VERSION, KAFKA_CONNECT_VERSION, KAFKA_SUITE_CACHE,
// KAFKA_SUITE_STATE, the *_PORT variables, KAFKA_BROKER_JVM_EXTRA, KAFKA_SUITE_CONNECT.

const fs = require('node:fs');
const path = require('node:path');
const { HOST, PORT_ENV, mkdirp, pidAlive, waitFor, tail, portOpen, httpGet, run, runAsync } = require('./util.cjs');
const { withLock: lockFolder } = require('./lock.cjs');
const maven = require('./maven.cjs');
const kafka = require('./kafka.cjs');
const { STORE_PASSWORD, CLIENT_KEY_PASSPHRASE, certFiles, makeCerts } = require('./certs.cjs');
const configs = require('./configs.cjs');
const { JAVA, JVM_COMMON, spawnJava: spawnProcess, ourPid: pidOf, terminate: stopProcess } = require('./processes.cjs');
const registry = require('./registry.cjs');

const RELEASE = kafka.release();
const KAFKA_VERSION = RELEASE.version;
const CONNECT_VERSION = RELEASE.connectVersion;
const { APICURIO_VERSION } = registry;

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = path.resolve(process.env.KAFKA_SUITE_CACHE || path.join(ROOT, '.cache'));
// Per version: a 3.9 and a 4.x broker never share a log dir or a worker's internal topics.
const STATE = path.resolve(process.env.KAFKA_SUITE_STATE || path.join(CACHE, `run-${KAFKA_VERSION}`));

function envPort(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`${name}=${raw} is not a port`);
  return n;
}

const DEFAULT_PORTS = { plaintext: 9092, ssl: 9093, sasl: 9094, saslSsl: 9095, controller: 9096, registry: 8081, connect: 8083 };
const PORTS = Object.fromEntries(Object.entries(DEFAULT_PORTS).map(([name, port]) => [name, envPort(PORT_ENV[name], port)]));

const { USERS, SASL_MECHANISMS } = configs;

const dirs = {
  m2: path.join(CACHE, 'm2'),
  kafkaLib: kafka.kafkaLibDir(CACHE, KAFKA_VERSION),
  connectLib: kafka.connectLibDir(CACHE, CONNECT_VERSION),
  registryHome: registry.registryHome(CACHE),
  certs: path.join(STATE, 'certs'),
  logs: path.join(STATE, 'logs'),
  kafkaData: path.join(STATE, 'kafka-data'),
  config: path.join(STATE, 'config'),
  pids: path.join(STATE, 'pids'),
  leases: path.join(STATE, 'leases'),
};
const certs = certFiles(dirs.certs);
const files = {
  facts: path.join(STATE, 'facts.json'),
  owner: path.join(STATE, 'owner'),
  lock: path.join(CACHE, 'services.lock'),
  serverProps: path.join(dirs.config, 'server.properties'),
  kafkaLog4j: path.join(dirs.config, 'kafka-log4j.properties'),
  connectProps: path.join(dirs.config, 'connect-distributed.properties'),
  connectLog4j: path.join(dirs.config, 'connect-log4j.properties'),
};
const logFiles = {
  broker: path.join(dirs.logs, 'kafka', 'server.log'),
  brokerOut: path.join(dirs.logs, 'kafka', 'stdout.log'),
  registry: path.join(dirs.logs, 'registry.log'),
  connect: path.join(dirs.logs, 'connect', 'connect.log'),
  connectOut: path.join(dirs.logs, 'connect', 'stdout.log'),
};

let log = (msg) => process.stderr.write(`[kafka-suite] ${msg}\n`);

// One lock for every state dir under this cache: downloads are shared.
const withLock = (fn) => lockFolder(files.lock, fn, { log });
const ourPid = (service) => pidOf(dirs.pids, service);
const terminate = (service, options = {}) => stopProcess(dirs.pids, service, { log, ...options });
const spawnJava = (service, args, logFile, java) => spawnProcess({ service, args, logFile, pidsDir: dirs.pids, cwd: STATE, java });

// ---------------------------------------------------------------------------------------------
// Downloads

const mavenFetch = (name, deps, outDir) => maven.mavenFetch(name, deps, outDir, { cache: CACHE, log });
const fetchKafka = () => kafka.fetchKafka(CACHE, KAFKA_VERSION, log);
const fetchConnect = () => kafka.fetchConnect(CACHE, CONNECT_VERSION, log);

async function ensureDownloads({ connect, registry: wantRegistry }) {
  const started = Date.now();
  const jobs = [fetchKafka().then(() => (connect ? fetchConnect() : false))];
  if (wantRegistry) jobs.push(registry.fetchRegistry(CACHE, log));
  const did = await Promise.all(jobs);
  if (did.some(Boolean)) log(`downloads finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Logging config for jars of `version` (default: the broker's). */
const log4jProps = (logFile, version = KAFKA_VERSION) => kafka.log4jProps(logFile, version);
const { logFlags } = kafka;

// ---------------------------------------------------------------------------------------------
// Processes

function formatStorage() {
  fs.rmSync(dirs.kafkaData, { recursive: true, force: true });
  const clusterId = configs.newClusterId();
  run(JAVA, ['-Xmx256m', ...logFlags(files.kafkaLog4j), '-cp', `${dirs.kafkaLib}/*`, ...configs.storageFormatArgs({ clusterId, propsFile: files.serverProps, scramUsers: USERS })]);
  return clusterId;
}

// Extra broker JVM flags (e.g. a -javaagent for the Prometheus JMX exporter), read once at load like
// the ports, so an isolated copy of this module can carry its own.
const BROKER_JVM_EXTRA = (process.env.KAFKA_BROKER_JVM_EXTRA || '').split(/\s+/).filter(Boolean);

function spawnBroker() {
  return spawnJava(
    'broker',
    [...JVM_COMMON, ...BROKER_JVM_EXTRA, ...logFlags(files.kafkaLog4j), `-Dkafka.logs.dir=${path.dirname(logFiles.broker)}`, '-cp', `${dirs.kafkaLib}/*`, 'kafka.Kafka', files.serverProps],
    logFiles.brokerOut,
  );
}

async function waitBroker(pid) {
  // The broker binds its client listeners only once it can serve them.
  await waitFor(
    'kafka broker',
    120000,
    async () => {
      for (const p of [PORTS.plaintext, PORTS.ssl, PORTS.sasl, PORTS.saslSsl]) if (!(await portOpen(p))) return false;
      return true;
    },
    { pid, logFile: logFiles.broker },
  );
}

function spawnRegistry() {
  const jar = registry.registryJar(CACHE);
  return spawnJava('registry', [...JVM_COMMON, ...registry.registryArgs(HOST, PORTS.registry), '-jar', jar], logFiles.registry, process.env.APICURIO_JAVA || JAVA);
}

async function waitRegistry(pid) {
  await waitFor(
    'schema registry',
    180000,
    async () => {
      const r = await httpGet(`http://${HOST}:${PORTS.registry}/apis/ccompat/v7/subjects`);
      return r.status === 200 && r.body.trim() === '[]';
    },
    { pid, logFile: logFiles.registry, intervalMs: 300 },
  );
}

function spawnConnect() {
  return spawnJava(
    'connect',
    [...JVM_COMMON, ...logFlags(files.connectLog4j), '-cp', `${dirs.connectLib}/*`, 'org.apache.kafka.connect.cli.ConnectDistributed', files.connectProps],
    logFiles.connectOut,
  );
}

async function waitConnect(pid) {
  await waitFor(
    'kafka connect',
    180000,
    async () => {
      // /connectors answers 200 only after the worker joined its group and read its config topic.
      const r = await httpGet(`http://${HOST}:${PORTS.connect}/connectors`);
      return r.status === 200;
    },
    { pid, logFile: logFiles.connect, intervalMs: 300 },
  );
}

/** Fresh config, certificates and storage for a broker that is not running. */
function prepareBroker(owner) {
  for (const d of [dirs.config, dirs.logs]) {
    fs.rmSync(d, { recursive: true, force: true });
    mkdirp(d);
  }
  makeCerts(dirs.certs);
  fs.writeFileSync(files.serverProps, configs.serverProperties({ ports: PORTS, dataDir: dirs.kafkaData, certs, storePassword: STORE_PASSWORD }));
  fs.writeFileSync(files.kafkaLog4j, log4jProps(logFiles.broker));
  fs.writeFileSync(files.connectProps, configs.connectProperties({ ports: PORTS }));
  fs.writeFileSync(files.connectLog4j, log4jProps(logFiles.connect, CONNECT_VERSION));
  fs.writeFileSync(files.owner, owner);
  log('formatting KRaft storage (SCRAM users alice, bob, admin) ...');
  formatStorage();
}

// ---------------------------------------------------------------------------------------------
// Facts

function facts() {
  return {
    bootstrap: {
      plaintext: `${HOST}:${PORTS.plaintext}`,
      ssl: `${HOST}:${PORTS.ssl}`,
      sasl: `${HOST}:${PORTS.sasl}`,
      saslSsl: `${HOST}:${PORTS.saslSsl}`,
    },
    controller: `${HOST}:${PORTS.controller}`,
    saslMechanisms: SASL_MECHANISMS,
    oauthbearer: 'unsecured JWS (alg "none"; claims sub, iat, exp) accepted on the SASL listeners',
    users: USERS.map((u) => ({ ...u, mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] })),
    testUser: USERS[0].name,
    testPassword: USERS[0].password,
    superUsers: ['User:ANONYMOUS', 'User:admin'],
    tls: {
      caFile: certs.ca,
      wrongCaFile: certs.wrongCa,
      clientCertFile: certs.clientCert,
      clientKeyFile: certs.clientKey,
      clientKeyPassphrase: CLIENT_KEY_PASSPHRASE,
      clientPrincipal: 'User:CN=kafka-suite-client',
      brokerKeystore: certs.keystore,
      brokerTruststore: certs.truststore,
      storePassword: STORE_PASSWORD,
    },
    schemaRegistry: {
      url: `http://${HOST}:${PORTS.registry}/apis/ccompat/v7`,
      baseUrl: `http://${HOST}:${PORTS.registry}`,
      coreApiUrl: `http://${HOST}:${PORTS.registry}/apis/registry/v3`,
      product: `Apicurio Registry ${APICURIO_VERSION} (in-memory)`,
    },
    connectUrl: `http://${HOST}:${PORTS.connect}`,
    kafkaVersion: KAFKA_VERSION,
    connectVersion: CONNECT_VERSION,
    groupProtocols: RELEASE.groupProtocols,
    shareGroups: RELEASE.shareGroups,
    servicesModule: __filename,
    stateDir: STATE,
    logs: logFiles,
  };
}

function readState() {
  const services = {};
  for (const s of ['broker', 'registry', 'connect']) services[s] = ourPid(s) || null;
  return services;
}

// ---------------------------------------------------------------------------------------------
// Leases: Jest runs of several engineers may share one set of services. Each run takes a lease;
// the last run to release stops the services, but only if a Jest run (not a developer's
// `npm run kafka:start`) started them.

function pruneLeases() {
  mkdirp(dirs.leases);
  const live = [];
  for (const f of fs.readdirSync(dirs.leases)) {
    const pid = Number(f);
    if (pidAlive(pid)) live.push(pid);
    else fs.rmSync(path.join(dirs.leases, f), { force: true });
  }
  return live;
}

// ---------------------------------------------------------------------------------------------
// Public API

// Live brokers of other state dirs under this cache (e.g. a 3.9 set when starting 4.x) on our
// plaintext port, with whether a test run started them (they stop when its last lease goes).
function otherSets() {
  let entries = [];
  try {
    entries = fs.readdirSync(CACHE).filter((d) => d.startsWith('run'));
  } catch {
    /* no cache yet */
  }
  const found = [];
  for (const d of entries) {
    const state = path.join(CACHE, d);
    if (state === STATE || !pidOf(path.join(state, 'pids'), 'broker')) continue;
    let port;
    let owner = '';
    try {
      port = Number(JSON.parse(fs.readFileSync(path.join(state, 'facts.json'), 'utf8')).bootstrap.plaintext.split(':')[1]);
      owner = fs.readFileSync(path.join(state, 'owner'), 'utf8').trim();
    } catch {
      /* an older layout: report it, do not wait for it */
    }
    if (port === undefined || port === PORTS.plaintext) found.push({ state, leased: owner === 'lease' });
  }
  return found;
}

function otherStates() {
  const found = otherSets().map((s) => s.state);
  return found.length ? ` (running here: ${found.join(', ')}; stop with KAFKA_SUITE_STATE=<dir> node infra/local/services.cjs stop)` : '';
}

// When the default version changes, test runs still holding leases on the old version's services
// keep its broker on the default ports until their last lease goes; a new run waits for that
// (outside the lock, which their release needs) instead of failing on a busy port.
async function waitForOtherLeasedSets() {
  if (ourPid('broker')) return;
  const end = Date.now() + 20 * 60 * 1000;
  let announced = false;
  for (;;) {
    const leased = otherSets().filter((s) => s.leased);
    if (!leased.length || Date.now() > end) return;
    if (!announced) {
      log(`waiting for the test runs using ${leased.map((s) => s.state).join(', ')} to finish (same ports, another Kafka version)`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/**
 * Starts whatever is not running yet. A fresh broker gets fresh data and certificates.
 * options: { connect = env KAFKA_SUITE_CONNECT !== '0', registry = true, lease = false,
 *            log = fn(msg) }
 * Resolves to { ...facts, alreadyRunning, startedNow: [services] }.
 */
async function start(options = {}) {
  if (options.log) log = options.log;
  const wantConnect = options.connect !== undefined ? options.connect : process.env.KAFKA_SUITE_CONNECT !== '0';
  const wantRegistry = options.registry !== undefined ? options.registry : true;
  await waitForOtherLeasedSets();
  return withLock(async () => {
    const t0 = Date.now();
    mkdirp(STATE);
    const running = readState();

    await ensureDownloads({ connect: wantConnect, registry: wantRegistry });
    const pending = [];
    const startedNow = [];
    try {
      return await startMissing(options, { t0, running, wantConnect, wantRegistry, pending, startedNow });
    } catch (e) {
      // Leave nothing half-started behind: the next start() must begin from a clean slate.
      for (const s of [...startedNow].reverse()) await terminate(s, { graceMs: 10000 }).catch(() => {});
      if (e.logFile) e.logTail = tail(e.logFile);
      throw e;
    }
  });
}

// Errors are collected by allSettled later; this only keeps an early throw elsewhere from
// turning a pending wait into an unhandled rejection.
function quiet(promise) {
  promise.catch(() => {});
  return promise;
}

async function startMissing(options, { t0, running, wantConnect, wantRegistry, pending, startedNow }) {
  let brokerPid = running.broker;
  if (!brokerPid) {
    for (const [name, port] of Object.entries(PORTS)) {
      if (name === 'registry' && (running.registry || !wantRegistry)) continue; // ours (stopped below) or not needed
      if (name === 'connect' && (running.connect || !wantConnect)) continue;
      if (await portOpen(port)) {
        throw new Error(`port ${port} (${name}) is already in use, by another program or by services started with another KAFKA_VERSION or KAFKA_SUITE_STATE${otherStates()}`);
      }
    }
    // No broker means a fresh cluster; a leftover worker or registry would carry old state.
    for (const s of ['connect', 'registry']) {
      if (running[s]) await terminate(s);
      running[s] = null;
    }
    prepareBroker(options.lease ? 'lease' : 'cli');
  }
  if (wantRegistry && !running.registry) {
    log(`starting Apicurio Registry ${APICURIO_VERSION} on ${HOST}:${PORTS.registry} ...`);
    const pid = spawnRegistry();
    startedNow.push('registry');
    pending.push(quiet(waitRegistry(pid)));
  }
  if (!brokerPid) {
    log(`starting Kafka ${KAFKA_VERSION} broker on ${HOST}:${PORTS.plaintext}-${PORTS.saslSsl} ...`);
    brokerPid = spawnBroker();
    startedNow.push('broker');
    await waitBroker(brokerPid);
    log(`broker ready after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (wantConnect && !running.connect) {
    log(`starting Kafka Connect worker on ${HOST}:${PORTS.connect} ...`);
    const pid = spawnConnect();
    startedNow.push('connect');
    pending.push(quiet(waitConnect(pid)));
  }
  const results = await Promise.allSettled(pending);
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) throw failed[0].reason;

  const out = { ...facts(), alreadyRunning: startedNow.length === 0, startedNow, pids: readState() };
  fs.writeFileSync(files.facts, JSON.stringify(facts(), null, 2) + '\n');
  if (options.lease) {
    pruneLeases();
    fs.writeFileSync(path.join(dirs.leases, String(process.pid)), '');
  }
  log(startedNow.length ? `ready after ${((Date.now() - t0) / 1000).toFixed(1)} s (started: ${startedNow.join(', ')})` : 'already running');
  return out;
}

/** Stops everything these scripts started (connect, registry, broker, in that order). */
async function stop() {
  return withLock(async () => {
    const stopped = [];
    for (const s of ['connect', 'registry', 'broker']) {
      if (await terminate(s)) stopped.push(s);
    }
    fs.rmSync(dirs.leases, { recursive: true, force: true });
    fs.rmSync(files.owner, { force: true });
    return { stopped };
  });
}

/** Drops this process's lease; stops the services if it was the last lease and a lease-holder started them. */
async function release() {
  const live = await withLock(async () => {
    fs.rmSync(path.join(dirs.leases, String(process.pid)), { force: true });
    return pruneLeases();
  });
  let owner = '';
  try {
    owner = fs.readFileSync(files.owner, 'utf8').trim();
  } catch {
    /* nothing started */
  }
  if (live.length) return { stopped: [], reason: `still used by pid ${live.join(', ')}` };
  if (owner !== 'lease') return { stopped: [], reason: 'started outside a test run; left running' };
  return stop();
}

async function status() {
  const pids = readState();
  const up = {
    broker: pids.broker ? await portOpen(PORTS.plaintext) : false,
    registry: pids.registry ? await portOpen(PORTS.registry) : false,
    connect: pids.connect ? await portOpen(PORTS.connect) : false,
  };
  return { running: Boolean(pids.broker), pids, listening: up, ...facts() };
}

/** SIGKILLs the broker (no controlled shutdown) for fault tests; data stays for startBroker(). */
async function killBroker() {
  return withLock(async () => {
    const killed = await terminate('broker', { signal: 'SIGKILL', graceMs: 10000 });
    if (!killed) throw new Error('broker is not running');
    // Ports must be free again before a restart can bind them.
    await waitFor('broker ports released', 10000, async () => !(await portOpen(PORTS.plaintext)));
  });
}

/** Restarts the broker on its existing data dir (after killBroker). */
async function startBroker() {
  return withLock(async () => {
    if (ourPid('broker')) return;
    if (!fs.existsSync(files.serverProps)) throw new Error('no broker config: run start() first');
    const pid = spawnBroker();
    await waitBroker(pid);
  });
}

async function stopRegistry() {
  return withLock(async () => {
    await terminate('registry');
    await waitFor('registry port released', 10000, async () => !(await portOpen(PORTS.registry)));
  });
}

/** Starts the registry again (in-memory storage: it comes back empty). */
async function startRegistry() {
  return withLock(async () => {
    if (ourPid('registry')) return;
    const pid = spawnRegistry();
    await waitRegistry(pid);
  });
}

/** Sets (or changes) a SCRAM credential through Kafka's own ConfigCommand on the plaintext listener. */
async function setScramPassword(user, mechanism, password) {
  if (!['SCRAM-SHA-256', 'SCRAM-SHA-512'].includes(mechanism)) {
    throw new Error(`mechanism must be SCRAM-SHA-256 or SCRAM-SHA-512 (PLAIN users are static JAAS config), got ${mechanism}`);
  }
  if (/[,=\[\]]/.test(password)) throw new Error('password must not contain , = [ ] (ConfigCommand syntax)');
  await kafkaConfigs(['--alter', '--entity-type', 'users', '--entity-name', user, '--add-config', `${mechanism}=[iterations=4096,password=${password}]`]);
}

/** Kafka's own kafka-configs (ConfigCommand of this version: core before 4.4, kafka-tools since) on the plaintext listener. */
function kafkaConfigs(args) {
  return runAsync(JAVA, ['-Xmx256m', ...logFlags(files.kafkaLog4j), '-cp', `${dirs.kafkaLib}/*`, RELEASE.configCommand, '--bootstrap-server', `${HOST}:${PORTS.plaintext}`, ...args]);
}

module.exports = {
  start,
  stop,
  release,
  status,
  killBroker,
  startBroker,
  stopRegistry,
  startRegistry,
  setScramPassword,
  kafkaConfigs,
  facts,
  PORTS,
  STATE,
  CACHE,
  // For infra/local/connect-worker.cjs (test-owned Connect workers with extra plugins).
  HOST,
  KAFKA_VERSION,
  CONNECT_VERSION,
  JAVA,
  JVM_COMMON,
  kafkaLib: dirs.kafkaLib,
  connectLib: dirs.connectLib,
  fetchKafka,
  fetchConnect,
  mavenFetch,
  log4jProps,
  logFlags,
};

// ---------------------------------------------------------------------------------------------
// CLI

function printFacts(f) {
  const lines = [
    `Kafka ${f.kafkaVersion}`,
    `  PLAINTEXT       ${f.bootstrap.plaintext}`,
    `  SSL (mTLS)      ${f.bootstrap.ssl}`,
    `  SASL_PLAINTEXT  ${f.bootstrap.sasl}   (${f.saslMechanisms.join(', ')})`,
    `  SASL_SSL        ${f.bootstrap.saslSsl}`,
    `  controller      ${f.controller}`,
    `Users (PLAIN + SCRAM-SHA-256/512): ${f.users.map((u) => `${u.name}/${u.password}`).join(', ')}`,
    `CA                ${f.tls.caFile}`,
    `Wrong CA          ${f.tls.wrongCaFile}`,
    `Client cert       ${f.tls.clientCertFile}`,
    `Client key        ${f.tls.clientKeyFile} (passphrase: ${f.tls.clientKeyPassphrase})`,
    `Schema registry   ${f.schemaRegistry.url}  (${f.schemaRegistry.product})`,
    `Kafka Connect     ${f.connectUrl}  (Connect ${f.connectVersion})`,
    `Facts JSON        ${files.facts}`,
    `Logs              ${dirs.logs}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

async function main(argv) {
  const [cmd, ...flags] = argv;
  const json = flags.includes('--json');
  if (cmd === 'start') {
    const f = await start({
      connect: flags.includes('--no-connect') ? false : undefined,
      registry: flags.includes('--no-registry') ? false : undefined,
    });
    if (json) process.stdout.write(JSON.stringify(f, null, 2) + '\n');
    else printFacts(f);
  } else if (cmd === 'stop') {
    const r = await stop();
    process.stdout.write(r.stopped.length ? `stopped: ${r.stopped.join(', ')}\n` : 'nothing was running\n');
  } else if (cmd === 'status') {
    const s = await status();
    if (json) process.stdout.write(JSON.stringify(s, null, 2) + '\n');
    else {
      for (const [k, v] of Object.entries(s.pids)) process.stdout.write(`${k.padEnd(9)} ${v ? `running (pid ${v})` : 'stopped'}\n`);
      if (s.running) printFacts(s);
    }
  } else {
    process.stderr.write('usage: node infra/local/services.cjs start [--no-connect] [--no-registry] [--json] | stop | status [--json]\n');
    process.exit(2);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`\n${e.message}\n`);
      if (e.logFile) process.stderr.write(`--- last lines of ${e.logFile} ---\n${tail(e.logFile)}\n`);
      process.exit(1);
    },
  );
}
