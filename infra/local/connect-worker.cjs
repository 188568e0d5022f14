'use strict';
// A Kafka Connect worker with connector plugins from Maven Central, owned by the test that starts
// it. The shared worker of services.cjs stays lean (FileStream only) and is never restarted under
// other engineers' tests; plugins such as Debezium load only when a worker starts, so a test that
// needs them starts its own worker on a free port, from the same Connect runtime services.cjs
// downloaded. Distributed mode, as in production (standalone 3.9.1 never answered a connector PUT
// with Debezium 3.0 here), with a group and internal topics of its own: fresh offsets, so Debezium
// snapshots a new database instead of resuming an old log position. The caller deletes
// `internalTopics` once the worker has stopped.
//
//   const { ensurePlugins, startConnectWorker } = require('./connect-worker.cjs');
//   const worker = await startConnectWorker({ bootstrap: '127.0.0.1:9092', plugins: ['debezium-postgres'] });
//   ... worker.url ...
//   await worker.stop();
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const services = require('./services.cjs');
const { freePort, tail } = require('./util.cjs');
const configs = require('./configs.cjs');

const DEBEZIUM_VERSION = '3.0.8.Final'; // built against Kafka 3.8, Java 17; the 3.1 line targets Kafka 4.0

/** Plugin folders under .cache/connect-plugins/, each fetched once (with its runtime dependencies). */
const PLUGINS = {
  // Debezium's PostgreSQL source: its jar, debezium-core/-api, the PostgreSQL JDBC driver and
  // protobuf. connect-api and connect-transforms are "provided" and come from the worker.
  'debezium-postgres': {
    dir: `debezium-connector-postgres-${DEBEZIUM_VERSION}`,
    deps: [{ g: 'io.debezium', a: 'debezium-connector-postgres', v: DEBEZIUM_VERSION }],
  },
  // Debezium's JDBC sink ships only as a plugin archive (Hibernate and the drivers inside); 3.0.8
  // was not published, 3.0.7 is the newest of the line built against Kafka 3.8.
  'debezium-jdbc': {
    dir: 'debezium-connector-jdbc-3.0.7.Final',
    archive: { g: 'io.debezium', a: 'debezium-connector-jdbc', v: '3.0.7.Final', type: 'tar.gz', classifier: 'plugin', noTransitive: true },
  },
  // MirrorMaker 2's three connectors; they ship with Kafka but not in connect-runtime.
  mirror: {
    dir: `connect-mirror-${services.CONNECT_VERSION}`,
    deps: [
      { g: 'org.apache.kafka', a: 'connect-mirror', v: services.CONNECT_VERSION, noTransitive: true },
      { g: 'org.apache.kafka', a: 'connect-mirror-client', v: services.CONNECT_VERSION, noTransitive: true },
    ],
  },
};

const pluginRoot = () => path.join(services.CACHE, 'connect-plugins');

/** Downloads the named plugins (cached) and the Connect runtime; returns their folders. */
async function ensurePlugins(names) {
  await services.fetchConnect();
  const out = [];
  for (const name of names) {
    const spec = PLUGINS[name];
    if (!spec) throw new Error(`unknown Connect plugin "${name}" (known: ${Object.keys(PLUGINS).join(', ')})`);
    const dir = path.join(pluginRoot(), spec.dir);
    if (spec.archive) {
      const archives = path.join(pluginRoot(), `${spec.dir}.archive`);
      await services.mavenFetch(`connect-plugin-${spec.dir}`, [spec.archive], archives);
      const marker = path.join(dir, '.complete');
      if (!fs.existsSync(marker)) {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir, { recursive: true });
        const tarball = fs.readdirSync(archives).find((f) => f.endsWith('.tar.gz'));
        if (!tarball) throw new Error(`no .tar.gz in ${archives}`);
        // The archive holds one top folder (debezium-connector-jdbc/) with the jars.
        const r = spawnSync('tar', ['-xzf', path.join(archives, tarball), '-C', dir, '--strip-components=1'], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`tar failed on ${tarball}: ${r.stderr}`);
        fs.writeFileSync(marker, new Date().toISOString());
      }
    } else {
      await services.mavenFetch(`connect-plugin-${spec.dir}`, spec.deps, dir);
    }
    out.push(dir);
  }
  return out;
}

async function getJson(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

/**
 * Starts a distributed worker of its own (one member). Options: bootstrap (required), plugins (names of PLUGINS), port (free
 * port by default), dir (temp dir by default, removed by stop()), startTimeoutMs (120 s).
 * Resolves when the REST API lists every plugin's connector classes; `stop()` ends the process
 * group and waits for it.
 */
async function startConnectWorker(options) {
  if (!options?.bootstrap) throw new Error('startConnectWorker needs { bootstrap }');
  const pluginDirs = await ensurePlugins(options.plugins ?? []);
  const port = options.port ?? (await freePort());
  const ownDir = !options.dir;
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-suite-connect-'));
  const logFile = path.join(dir, 'connect.log');
  const props = path.join(dir, 'worker.properties');
  const log4j = path.join(dir, 'log4j.properties');
  fs.writeFileSync(log4j, services.log4jProps(logFile, services.CONNECT_VERSION));
  // Each entry of a plugin.path folder is one plugin (one class loader): a folder per plugin, so
  // Debezium's jars share a loader. Links keep the worker to the plugins asked for.
  const pluginsDir = path.join(dir, 'plugins');
  fs.mkdirSync(pluginsDir, { recursive: true });
  for (const p of pluginDirs) fs.symlinkSync(p, path.join(pluginsDir, path.basename(p)));
  const id = `kafka-suite-connect-${randomBytes(4).toString('hex')}`;
  const internalTopics = ['configs', 'offsets', 'status'].map((t) => `_${id}-${t}`);
  fs.writeFileSync(
    props,
    configs.connectWorkerProperties({
      bootstrap: options.bootstrap,
      groupId: id,
      topics: internalTopics,
      port,
      extra: [
        `plugin.path=${pluginsDir}`,
        // Debezium 3.0's jars carry no ServiceLoader manifests for Connect's fast discovery.
        'plugin.discovery=hybrid_warn',
        // Secrets stay out of connector configs: `${file:/path/to/file.properties:password}` is
        // resolved by the worker, and its REST API shows the reference, never the value.
        'config.providers=file',
        'config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider',
      ],
    }),
  );
  const fd = fs.openSync(path.join(dir, 'stdout.log'), 'a');
  const child = spawn(
    services.JAVA,
    [...services.JVM_COMMON, ...services.logFlags(log4j), '-cp', `${services.connectLib}/*`, 'org.apache.kafka.connect.cli.ConnectDistributed', props],
    { cwd: dir, detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, KAFKA_OPTS: '' } },
  );
  fs.closeSync(fd);
  let exited = null;
  const exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => resolve((exited = { code, signal }))));
  const url = `http://${services.HOST}:${port}`;

  const stop = async () => {
    if (!exited) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 20000);
      await exitPromise;
      clearTimeout(timer);
    }
    if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
  };

  const wanted = (options.expectClasses ?? []).slice();
  const deadline = Date.now() + (options.startTimeoutMs ?? 120000);
  let lastError = 'no answer yet';
  for (;;) {
    if (exited) {
      const e = new Error(`Connect worker exited (${JSON.stringify(exited)}) before answering on ${url}\n${tail(logFile)}\n${tail(path.join(dir, 'stdout.log'))}`);
      await stop();
      throw e;
    }
    try {
      // /connectors answers only once the worker has joined its group and read its config topic.
      await getJson(`${url}/connectors`);
      const plugins = await getJson(`${url}/connector-plugins?connectorsOnly=true`);
      const classes = plugins.map((p) => p.class);
      const missing = wanted.filter((c) => !classes.includes(c));
      if (missing.length === 0) return { url, port, dir, logFile, pid: child.pid, plugins, internalTopics, stop };
      lastError = `plugins missing: ${missing.join(', ')}`;
    } catch (err) {
      lastError = err.message;
    }
    if (Date.now() > deadline) {
      const e = new Error(`Connect worker on ${url} not ready in time (${lastError})\n${tail(logFile)}`);
      await stop();
      throw e;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

module.exports = { PLUGINS, DEBEZIUM_VERSION, ensurePlugins, startConnectWorker };
