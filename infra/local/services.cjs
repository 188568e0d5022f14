#!/usr/bin/env node
'use strict';
// Real Kafka broker + Apicurio schema registry + Kafka Connect for tests and local development,
// fetched from Maven Central and run as plain JVM processes. This exists because the machines we
// test on have no Docker engine; it must run on a fresh clone, hence CommonJS with no build step.
//
//   node infra/local/services.cjs start [--no-connect] [--no-registry] [--json]
//   node infra/local/services.cjs stop | status [--json]
//
// As a module: start(options), stop(), status(), release(), killBroker(), startBroker(),
// stopRegistry(), startRegistry(), setScramPassword(user, mechanism, password), facts().

const fs = require('node:fs');
const path = require('node:path');
const net = require('node:net');
const http = require('node:http');
const https = require('node:https');
const crypto = require('node:crypto');
const { spawn, spawnSync } = require('node:child_process');

// The newest Kafka whose broker Maven Central serves whole. KAFKA_VERSION=3.9.1 selects the last
// 3.x line (CI runs the integration suite on both); every version keeps its own downloads and state.
const DEFAULT_KAFKA_VERSION = '3.9.1';
const KAFKA_VERSION = process.env.KAFKA_VERSION || DEFAULT_KAFKA_VERSION;
const SCALA = '2.13';

function versionAtLeast(version, min) {
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) > (b[i] || 0);
  return true;
}
const KAFKA_4 = versionAtLeast(KAFKA_VERSION, '4.0.0');
// Some 4.x releases were published to Central without connect-file (the FileStream connectors the
// shared worker runs): 4.0.1, 4.2.1, 4.3.2, 4.4.0. Their Connect worker runs from the nearest
// release that has it; Connect talks to the broker as a client, and clients of any 4.x (indeed
// 3.x) speak to a 4.x broker.
const CONNECT_FALLBACK = { '4.0.1': '4.0.0', '4.2.1': '4.2.0', '4.3.2': '4.3.1', '4.4.0': '4.3.1' };
const CONNECT_VERSION = process.env.KAFKA_CONNECT_VERSION || CONNECT_FALLBACK[KAFKA_VERSION] || KAFKA_VERSION;
// 4.4 moved ConfigCommand (our SCRAM setup) out of the broker jar into kafka-tools.
const CONFIG_COMMAND = versionAtLeast(KAFKA_VERSION, '4.4.0') ? 'org.apache.kafka.tools.ConfigCommand' : 'kafka.admin.ConfigCommand';
// Central has the 3.x app tarball only for 3.0.9, 3.3.2 and 3.3.3. 3.3.x is compiled for Java 21
// (class file 65) and this machine has Java 17, so 3.0.9 it is. To run 3.3.x, set
// APICURIO_VERSION and point APICURIO_JAVA at a Java 21 binary.
const APICURIO_VERSION = process.env.APICURIO_VERSION || '3.0.9';
const MAVEN_CENTRAL = 'https://repo.maven.apache.org/maven2';
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = path.resolve(process.env.KAFKA_SUITE_CACHE || path.join(ROOT, '.cache'));
// Per version: a 3.9 and a 4.x broker never share a log dir (4.x cannot read a 3.9 metadata log
// formatted with other features, and the reverse fails outright).
const STATE = path.resolve(process.env.KAFKA_SUITE_STATE || path.join(CACHE, `run-${KAFKA_VERSION}`));
const HOST = '127.0.0.1';

function envPort(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`${name}=${raw} is not a port`);
  return n;
}

const PORTS = {
  plaintext: envPort('KAFKA_PLAINTEXT_PORT', 9092),
  ssl: envPort('KAFKA_SSL_PORT', 9093),
  sasl: envPort('KAFKA_SASL_PORT', 9094),
  saslSsl: envPort('KAFKA_SASL_SSL_PORT', 9095),
  controller: envPort('KAFKA_CONTROLLER_PORT', 9096),
  registry: envPort('SCHEMA_REGISTRY_PORT', 8081),
  connect: envPort('KAFKA_CONNECT_PORT', 8083),
};

const USERS = [
  { name: 'alice', password: 'alice-secret' },
  { name: 'bob', password: 'bob-secret' },
  // In super.users, so ACL tests have an identity that bypasses the ACLs they create.
  { name: 'admin', password: 'admin-secret' },
];
const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'];
const STORE_PASSWORD = 'kafka-suite-store';
const CLIENT_KEY_PASSPHRASE = 'client-key-secret';
const JAVA = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const KEYTOOL = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'keytool') : 'keytool';

const dirs = {
  m2: path.join(CACHE, 'm2'),
  kafkaLib: path.join(CACHE, `kafka-${KAFKA_VERSION}`, 'lib'),
  connectLib: path.join(CACHE, `connect-${CONNECT_VERSION}`, 'lib'),
  registryHome: path.join(CACHE, `apicurio-registry-${APICURIO_VERSION}`),
  certs: path.join(STATE, 'certs'),
  logs: path.join(STATE, 'logs'),
  kafkaData: path.join(STATE, 'kafka-data'),
  config: path.join(STATE, 'config'),
  pids: path.join(STATE, 'pids'),
  leases: path.join(STATE, 'leases'),
};
const files = {
  facts: path.join(STATE, 'facts.json'),
  owner: path.join(STATE, 'owner'),
  lock: path.join(CACHE, 'services.lock'),
  serverProps: path.join(dirs.config, 'server.properties'),
  kafkaLog4j: path.join(dirs.config, 'kafka-log4j.properties'),
  connectProps: path.join(dirs.config, 'connect-distributed.properties'),
  connectLog4j: path.join(dirs.config, 'connect-log4j.properties'),
  ca: path.join(dirs.certs, 'ca.pem'),
  caKey: path.join(dirs.certs, 'ca.key'),
  wrongCa: path.join(dirs.certs, 'wrong-ca.pem'),
  wrongCaKey: path.join(dirs.certs, 'wrong-ca.key'),
  brokerKey: path.join(dirs.certs, 'broker.key'),
  brokerCert: path.join(dirs.certs, 'broker.pem'),
  keystore: path.join(dirs.certs, 'broker.keystore.p12'),
  truststore: path.join(dirs.certs, 'broker.truststore.p12'),
  clientCert: path.join(dirs.certs, 'client.pem'),
  clientKey: path.join(dirs.certs, 'client.key'),
};

let log = (msg) => process.stderr.write(`[kafka-suite] ${msg}\n`);

// ---------------------------------------------------------------------------------------------
// Small utilities

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

// Pids get reused; only act on a pid whose command line carries our service marker.
function ourPid(service) {
  const pidFile = path.join(dirs.pids, `${service}.pid`);
  let pid;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!pidAlive(pid)) return undefined;
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmd.includes(`-Dkafka.suite.service=${service}`)) return undefined;
  } catch {
    /* no /proc: trust the pid file */
  }
  return pid;
}

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

class ServiceError extends Error {
  constructor(message, logFile) {
    super(message);
    this.logFile = logFile;
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

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout || ''}${r.stderr || ''}`);
  }
  return r.stdout;
}

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

// Cross-process lock: several engineers' Jest runs may call start/stop at the same moment.
// mkdir is atomic; a lock whose owner died is taken over.
async function withLock(fn) {
  mkdirp(CACHE);
  const owner = path.join(files.lock, 'pid');
  const end = Date.now() + 20 * 60 * 1000;
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(files.lock);
      fs.writeFileSync(owner, String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let holder;
      try {
        holder = Number(fs.readFileSync(owner, 'utf8'));
      } catch {
        holder = undefined;
      }
      if (holder === process.pid) {
        // Re-entrant use from this process (e.g. startBroker inside start) runs unlocked.
        return fn();
      }
      if (holder !== undefined && !pidAlive(holder)) {
        fs.rmSync(files.lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > end) throw new Error(`timed out waiting for ${files.lock} (held by pid ${holder})`);
      if (!announced) {
        log(`waiting for another process (pid ${holder}) using the services lock`);
        announced = true;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(files.lock, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Downloads (Maven Central through mvn, into a cache that survives between runs)

function dirSizeMb(dir) {
  let total = 0;
  const walk = (d) => {
    let entries;
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        try {
          total += fs.statSync(p).size;
        } catch {
          /* file vanished mid-walk (mvn renames temp files) */
        }
      }
    }
  };
  walk(dir);
  return Math.round(total / 1e6);
}

function pomXml(artifactId, deps) {
  const depXml = deps
    .map(
      (d) => `    <dependency>
      <groupId>${d.g}</groupId><artifactId>${d.a}</artifactId><version>${d.v}</version>${
        d.type ? `<type>${d.type}</type>` : ''
      }${d.classifier ? `<classifier>${d.classifier}</classifier>` : ''}${
        d.noTransitive ? '<exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions>' : ''
      }
    </dependency>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.kafka-suite</groupId>
  <artifactId>${artifactId}</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
${depXml}
  </dependencies>
</project>
`;
}

// Fetches deps into outDir once; a marker file makes an interrupted download retry next time.
async function mavenFetch(name, deps, outDir) {
  const marker = path.join(outDir, '.complete');
  if (fs.existsSync(marker)) return false;
  const work = path.join(CACHE, 'poms', name);
  mkdirp(work);
  fs.rmSync(outDir, { recursive: true, force: true });
  mkdirp(outDir);
  const pom = path.join(work, 'pom.xml');
  fs.writeFileSync(pom, pomXml(name, deps));
  const started = Date.now();
  log(`downloading ${name} from Maven Central into ${outDir} ...`);
  const ticker = setInterval(() => {
    const secs = Math.round((Date.now() - started) / 1000);
    log(`  ${name}: ${secs} s, ${dirSizeMb(outDir)} MB copied, maven cache ${dirSizeMb(dirs.m2)} MB`);
  }, 10000);
  try {
    await runAsync('mvn', [
      '-B',
      '-q',
      '-f',
      pom,
      `-Dmaven.repo.local=${dirs.m2}`,
      `${DEPENDENCY_PLUGIN}:copy-dependencies`,
      '-DincludeScope=runtime',
      `-DoutputDirectory=${outDir}`,
    ]);
  } finally {
    clearInterval(ticker);
  }
  log(`  ${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s (${dirSizeMb(outDir)} MB)`);
  fs.writeFileSync(marker, new Date().toISOString());
  return true;
}

// Kafka's POMs carry no logging binding; 3.x logs through reload4j, 4.x through log4j2 (as the
// distributions ship them). Connect's version decides its own binding.
function loggingDeps(version) {
  if (!versionAtLeast(version, '4.0.0')) {
    return [
      { g: 'org.slf4j', a: 'slf4j-reload4j', v: '1.7.36' },
      { g: 'ch.qos.reload4j', a: 'reload4j', v: '1.2.25' },
    ];
  }
  return [
    { g: 'org.apache.logging.log4j', a: 'log4j-slf4j-impl', v: '2.24.3' },
    { g: 'org.apache.logging.log4j', a: 'log4j-core', v: '2.24.3' },
    { g: 'org.apache.logging.log4j', a: 'log4j-api', v: '2.24.3' },
  ];
}

function fetchKafka() {
  return mavenFetch(
    `kafka-${KAFKA_VERSION}`,
    [
      { g: 'org.apache.kafka', a: `kafka_${SCALA}`, v: KAFKA_VERSION },
      // 4.x: ConfigCommand (4.4+) and FeatureCommand live here.
      ...(KAFKA_4 ? [{ g: 'org.apache.kafka', a: 'kafka-tools', v: KAFKA_VERSION }] : []),
      ...loggingDeps(KAFKA_VERSION),
    ],
    dirs.kafkaLib,
  );
}

function fetchConnect() {
  return mavenFetch(
    `connect-${CONNECT_VERSION}`,
    [
      { g: 'org.apache.kafka', a: 'connect-runtime', v: CONNECT_VERSION },
      { g: 'org.apache.kafka', a: 'connect-file', v: CONNECT_VERSION },
      { g: 'org.apache.kafka', a: 'connect-json', v: CONNECT_VERSION },
      ...loggingDeps(CONNECT_VERSION),
    ],
    dirs.connectLib,
  );
}

// Fetched straight from Maven Central rather than through mvn: 3.0.9's parent pom
// (io.apicurio:apicurio-registry:3.0.9) is missing on Central, so Maven cannot read the
// artifact descriptor and refuses the download. The SHA-1 published next to it is checked.
async function fetchRegistry() {
  const marker = path.join(dirs.registryHome, '.complete');
  if (fs.existsSync(marker)) return false;
  const base = `${MAVEN_CENTRAL}/io/apicurio/apicurio-registry-app/${APICURIO_VERSION}/apicurio-registry-app-${APICURIO_VERSION}-all.tar.gz`;
  const tarball = path.join(CACHE, `apicurio-registry-app-${APICURIO_VERSION}-all.tar.gz`);
  const started = Date.now();
  log(`downloading ${base} ...`);
  const expected = (await httpsGetBuffer(`${base}.sha1`)).toString('utf8').trim().split(/\s+/)[0];
  await httpsDownload(base, tarball, (got, total) => {
    log(`  apicurio-registry: ${Math.round(got / 1e6)}/${Math.round(total / 1e6)} MB, ${Math.round((Date.now() - started) / 1000)} s`);
  });
  const actual = crypto.createHash('sha1').update(fs.readFileSync(tarball)).digest('hex');
  if (actual !== expected) {
    fs.rmSync(tarball, { force: true });
    throw new Error(`SHA-1 mismatch for ${base}: got ${actual}, expected ${expected}`);
  }
  fs.rmSync(dirs.registryHome, { recursive: true, force: true });
  mkdirp(dirs.registryHome);
  run('tar', ['xzf', tarball, '-C', dirs.registryHome]);
  fs.rmSync(tarball, { force: true });
  fs.writeFileSync(marker, new Date().toISOString());
  log(`  apicurio-registry: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

function httpsGetBuffer(url) {
  return new Promise((resolve, reject) => {
    https
      .get(url, { timeout: 30000 }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`GET ${url}: HTTP ${res.statusCode}`));
          return;
        }
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
        res.on('error', reject);
      })
      .on('timeout', function onTimeout() {
        this.destroy(new Error(`GET ${url}: timeout`));
      })
      .on('error', reject);
  });
}

function httpsDownload(url, dest, progress) {
  return new Promise((resolve, reject) => {
    const partial = `${dest}.part`;
    https
      .get(url, { timeout: 60000 }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`GET ${url}: HTTP ${res.statusCode}`));
          return;
        }
        const total = Number(res.headers['content-length'] || 0);
        let got = 0;
        let lastReport = Date.now();
        const out = fs.createWriteStream(partial);
        res.on('data', (c) => {
          got += c.length;
          if (Date.now() - lastReport > 5000) {
            lastReport = Date.now();
            progress(got, total);
          }
        });
        res.pipe(out);
        out.on('finish', () => {
          if (total && got !== total) reject(new Error(`GET ${url}: got ${got} of ${total} bytes`));
          else {
            fs.renameSync(partial, dest);
            resolve();
          }
        });
        res.on('error', reject);
        out.on('error', reject);
      })
      .on('timeout', function onTimeout() {
        this.destroy(new Error(`GET ${url}: timeout`));
      })
      .on('error', reject);
  });
}

function registryJar() {
  const found = [];
  const walk = (d, depth) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      // 3.0.x ships a legacy "-runner.jar" layout, 3.3.x the fast-jar "quarkus-app/quarkus-run.jar".
      if (e.isFile() && (e.name === 'quarkus-run.jar' || e.name.endsWith('-runner.jar'))) found.push(p);
      else if (e.isDirectory() && depth < 3) walk(p, depth + 1);
    }
  };
  walk(dirs.registryHome, 0);
  if (!found.length) throw new Error(`no quarkus-run.jar / *-runner.jar under ${dirs.registryHome}`);
  return found[0];
}

// ---------------------------------------------------------------------------------------------
// Certificates: a throwaway CA signs the broker and client certs; a second CA is deliberately
// unrelated, for "wrong CA" tests.

function openssl(args) {
  return run('openssl', args, { cwd: dirs.certs });
}

function makeCa(keyFile, certFile, cn) {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '30', '-subj', `/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
}

function signCert(name, keyFile, subject, extLines) {
  const csr = path.join(dirs.certs, `${name}.csr`);
  const ext = path.join(dirs.certs, `${name}.ext`);
  fs.writeFileSync(ext, extLines.join('\n') + '\n');
  openssl(['req', '-new', '-key', keyFile, '-passin', `pass:${CLIENT_KEY_PASSPHRASE}`, '-out', csr, '-subj', subject]);
  openssl(['x509', '-req', '-in', csr, '-CA', files.ca, '-CAkey', files.caKey, '-CAcreateserial', '-out', path.join(dirs.certs, `${name}.pem`), '-days', '30', '-sha256', '-extfile', ext]);
  fs.rmSync(csr);
  fs.rmSync(ext);
}

function makeCerts() {
  fs.rmSync(dirs.certs, { recursive: true, force: true });
  mkdirp(dirs.certs);
  makeCa(files.caKey, files.ca, 'kafka-suite test CA');
  makeCa(files.wrongCaKey, files.wrongCa, 'kafka-suite unrelated CA');

  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', files.brokerKey]);
  signCert('broker', files.brokerKey, '/CN=localhost', [
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    'extendedKeyUsage=serverAuth,clientAuth',
    'keyUsage=critical,digitalSignature,keyEncipherment',
  ]);
  openssl(['pkcs12', '-export', '-in', files.brokerCert, '-inkey', files.brokerKey, '-certfile', files.ca, '-name', 'broker', '-out', files.keystore, '-passout', `pass:${STORE_PASSWORD}`]);
  // Java only trusts PKCS12 certificate entries carrying its own "trusted" attribute, which
  // OpenSSL 3.0 (Debian 12) cannot write (-jdktrust came in 3.2); keytool writes it.
  run(KEYTOOL, ['-importcert', '-noprompt', '-alias', 'ca', '-file', files.ca, '-keystore', files.truststore, '-storetype', 'PKCS12', '-storepass', STORE_PASSWORD]);

  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-aes-256-cbc', '-pass', `pass:${CLIENT_KEY_PASSPHRASE}`, '-out', files.clientKey]);
  signCert('client', files.clientKey, '/CN=kafka-suite-client', ['extendedKeyUsage=clientAuth', 'keyUsage=critical,digitalSignature,keyEncipherment']);
}

// ---------------------------------------------------------------------------------------------
// Configuration files

// The logging config for a JVM running jars of `version`: reload4j syntax for 3.x, log4j2's
// properties syntax for 4.x. logFlags() names the file to both, so callers need not care which.
function log4jProps(logFile, version = KAFKA_VERSION) {
  if (versionAtLeast(version, '4.0.0')) {
    return `status=warn
appender.file.type=File
appender.file.name=file
appender.file.fileName=${logFile}
appender.file.append=true
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=info
rootLogger.appenderRef.file.ref=file
logger.clients.name=org.apache.kafka.clients
logger.clients.level=warn
logger.request.name=kafka.request.logger
logger.request.level=warn
logger.reflections.name=org.reflections
logger.reflections.level=error
`;
  }
  return `log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=${logFile}
log4j.appender.file.Append=true
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.org.apache.kafka.clients=WARN
log4j.logger.kafka.request.logger=WARN
log4j.logger.org.reflections=ERROR
`;
}

function logFlags(configFile) {
  return [`-Dlog4j.configuration=file:${configFile}`, `-Dlog4j2.configurationFile=${configFile}`];
}

function jaas(listener) {
  const plainUsers = USERS.map((u) => `user_${u.name}="${u.password}"`).join(' ');
  return [
    `listener.name.${listener}.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" ${plainUsers};`,
    `listener.name.${listener}.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
    `listener.name.${listener}.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
    // No server callback handler configured = Kafka's unsecured JWS validator (alg "none"
    // tokens with sub/iat/exp claims), so tests can mint tokens from a local token endpoint.
    `listener.name.${listener}.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="admin";`,
  ];
}

function serverProperties() {
  const adv = `PLAINTEXT://${HOST}:${PORTS.plaintext},SSL://${HOST}:${PORTS.ssl},SASL_PLAINTEXT://${HOST}:${PORTS.sasl},SASL_SSL://${HOST}:${PORTS.saslSsl}`;
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${HOST}:${PORTS.controller}`,
    'controller.listener.names=CONTROLLER',
    `listeners=${adv},CONTROLLER://${HOST}:${PORTS.controller}`,
    `advertised.listeners=${adv}`,
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${dirs.kafkaData}`,
    'num.partitions=1',
    'default.replication.factor=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=10',
    'min.insync.replicas=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    'delete.topic.enable=true',
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found=true',
    'super.users=User:ANONYMOUS;User:admin',
    `ssl.keystore.type=PKCS12`,
    `ssl.keystore.location=${files.keystore}`,
    `ssl.keystore.password=${STORE_PASSWORD}`,
    `ssl.key.password=${STORE_PASSWORD}`,
    `ssl.truststore.type=PKCS12`,
    `ssl.truststore.location=${files.truststore}`,
    `ssl.truststore.password=${STORE_PASSWORD}`,
    'listener.name.ssl.ssl.client.auth=required',
    'listener.name.sasl_ssl.ssl.client.auth=none',
    `sasl.enabled.mechanisms=${SASL_MECHANISMS.join(',')}`,
    ...jaas('sasl_plaintext'),
    ...jaas('sasl_ssl'),
    'log.retention.check.interval.ms=30000',
    // After a SIGKILL (killBroker) the restarted broker cannot register until the controller
    // expires its old session; the 9 s default made every restart take ~15 s.
    'broker.session.timeout.ms=4000',
    'broker.heartbeat.interval.ms=1000',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    '',
  ].join('\n');
}

function connectProperties() {
  return [
    `bootstrap.servers=${HOST}:${PORTS.plaintext}`,
    'group.id=kafka-suite-connect',
    'key.converter=org.apache.kafka.connect.json.JsonConverter',
    'value.converter=org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable=true',
    'value.converter.schemas.enable=true',
    // Connect creates these through the Admin API, so auto.create.topics=false is fine.
    'config.storage.topic=_kafka-suite-connect-configs',
    'offset.storage.topic=_kafka-suite-connect-offsets',
    'status.storage.topic=_kafka-suite-connect-status',
    'config.storage.replication.factor=1',
    'offset.storage.replication.factor=1',
    'status.storage.replication.factor=1',
    'offset.storage.partitions=1',
    'status.storage.partitions=1',
    'offset.flush.interval.ms=1000',
    `listeners=http://${HOST}:${PORTS.connect}`,
    `rest.advertised.host.name=${HOST}`,
    `rest.advertised.port=${PORTS.connect}`,
    // FileStream connectors sit on the worker classpath; service-loader discovery finds them.
    'plugin.discovery=service_load',
    // Quick group join/rebalance for tests on one worker.
    'scheduled.rebalance.max.delay.ms=0',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Processes

function spawnJava(service, args, logFile, cwd, java = JAVA) {
  mkdirp(path.dirname(logFile));
  mkdirp(dirs.pids);
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(java, [`-Dkafka.suite.service=${service}`, ...args], {
    cwd: cwd || STATE,
    detached: true, // own process group: survives the CLI / Jest process that started it
    stdio: ['ignore', fd, fd],
    env: { ...process.env, KAFKA_OPTS: '' },
  });
  fs.closeSync(fd);
  child.unref();
  fs.writeFileSync(path.join(dirs.pids, `${service}.pid`), String(child.pid));
  return child.pid;
}

const JVM_COMMON = ['-Xms512m', '-Xmx512m', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true', '-XX:TieredStopAtLevel=1'];

const logFiles = {
  broker: path.join(dirs.logs, 'kafka', 'server.log'),
  brokerOut: path.join(dirs.logs, 'kafka', 'stdout.log'),
  registry: path.join(dirs.logs, 'registry.log'),
  connect: path.join(dirs.logs, 'connect', 'connect.log'),
  connectOut: path.join(dirs.logs, 'connect', 'stdout.log'),
};

function formatStorage() {
  fs.rmSync(dirs.kafkaData, { recursive: true, force: true });
  // About one id in 64 starts with '-', which StorageTool reads as an option; Kafka's own
  // Uuid.randomUuid() draws again in that case, and so do we.
  let clusterId;
  do clusterId = crypto.randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-'));
  const args = ['-Xmx256m', ...logFlags(files.kafkaLog4j), '-cp', `${dirs.kafkaLib}/*`, 'kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId}`, '-c', files.serverProps];
  for (const u of USERS) {
    for (const m of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) args.push('--add-scram', `${m}=[name=${u.name},password=${u.password}]`);
  }
  run(JAVA, args);
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
  const jar = registryJar();
  return spawnJava(
    'registry',
    [
      ...JVM_COMMON,
      `-Dquarkus.http.host=${HOST}`,
      `-Dquarkus.http.port=${PORTS.registry}`,
      // The management interface would take another port (9000/9001); nothing here needs it.
      '-Dquarkus.management.enabled=false',
      // Tests delete subjects/versions (Confluent API); Apicurio 3 refuses deletes by default.
      '-Dapicurio.rest.deletion.group.enabled=true',
      '-Dapicurio.rest.deletion.artifact.enabled=true',
      '-Dapicurio.rest.deletion.artifact-version.enabled=true',
      '-Dquarkus.log.console.color=false',
      '-jar',
      jar,
    ],
    logFiles.registry,
    path.dirname(jar),
    process.env.APICURIO_JAVA || JAVA,
  );
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

async function terminate(service, { signal = 'SIGTERM', graceMs = 30000 } = {}) {
  const pid = ourPid(service);
  const pidFile = path.join(dirs.pids, `${service}.pid`);
  if (!pid) {
    fs.rmSync(pidFile, { force: true });
    return false;
  }
  process.kill(pid, signal);
  try {
    await waitFor(`${service} exit`, graceMs, () => !pidAlive(pid), { intervalMs: 100 });
  } catch {
    log(`${service} (pid ${pid}) ignored ${signal} for ${graceMs / 1000} s; sending SIGKILL`);
    process.kill(pid, 'SIGKILL');
    await waitFor(`${service} exit after SIGKILL`, 10000, () => !pidAlive(pid), { intervalMs: 100 });
  }
  fs.rmSync(pidFile, { force: true });
  return true;
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
      caFile: files.ca,
      wrongCaFile: files.wrongCa,
      clientCertFile: files.clientCert,
      clientKeyFile: files.clientKey,
      clientKeyPassphrase: CLIENT_KEY_PASSPHRASE,
      clientPrincipal: 'User:CN=kafka-suite-client',
      brokerKeystore: files.keystore,
      brokerTruststore: files.truststore,
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
    // Measured on 4.4.0 with Kafka's own tools: group.version=1 and share.version=2 are finalized
    // by a plain format (no config needed), group.coordinator.rebalance.protocols defaults to
    // classic,consumer,streams; a KIP-848 consumer lists as type Consumer, a share consumer as Share.
    groupProtocols: KAFKA_4 ? ['classic', 'consumer'] : ['classic'],
    shareGroups: versionAtLeast(KAFKA_VERSION, '4.4.0'),
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

async function ensureDownloads({ connect, registry }) {
  const started = Date.now();
  const jobs = [fetchKafka().then(() => (connect ? fetchConnect() : false))];
  if (registry) jobs.push(fetchRegistry());
  const did = await Promise.all(jobs);
  if (did.some(Boolean)) log(`downloads finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
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
        throw new Error(`port ${port} (${name}) is already in use, by another program or by services started with a different KAFKA_SUITE_STATE`);
      }
    }
    // No broker means a fresh cluster; a leftover worker or registry would carry old state.
    for (const s of ['connect', 'registry']) {
      if (running[s]) await terminate(s);
      running[s] = null;
    }
    for (const d of [dirs.config, dirs.logs]) {
      fs.rmSync(d, { recursive: true, force: true });
      mkdirp(d);
    }
    makeCerts();
    fs.writeFileSync(files.serverProps, serverProperties());
    fs.writeFileSync(files.kafkaLog4j, log4jProps(logFiles.broker));
    fs.writeFileSync(files.connectProps, connectProperties());
    fs.writeFileSync(files.connectLog4j, log4jProps(logFiles.connect, CONNECT_VERSION));
    fs.writeFileSync(files.owner, options.lease ? 'lease' : 'cli');
    log('formatting KRaft storage (SCRAM users alice, bob, admin) ...');
    formatStorage();
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
  await runAsync(JAVA, [
    '-Xmx256m',
    ...logFlags(files.kafkaLog4j),
    '-cp',
    `${dirs.kafkaLib}/*`,
    CONFIG_COMMAND,
    '--bootstrap-server',
    `${HOST}:${PORTS.plaintext}`,
    '--alter',
    '--entity-type',
    'users',
    '--entity-name',
    user,
    '--add-config',
    `${mechanism}=[iterations=4096,password=${password}]`,
  ]);
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
  connectLib: dirs.connectLib,
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
