'use strict';
// Apicurio Registry (Confluent-compatible API at /apis/ccompat/v7), from Central's app tarball.

const fs = require('node:fs');
const path = require('node:path');
const { mkdirp, run } = require('./util.cjs');
const { centralUrl, downloadVerified } = require('./maven.cjs');

// Central has the 3.x app tarball only for 3.0.9, 3.3.2 and 3.3.3. 3.3.x is compiled for Java 21
// (class file 65) and this machine has Java 17, so 3.0.9 it is. To run 3.3.x, set
// APICURIO_VERSION and point APICURIO_JAVA at a Java 21 binary.
const APICURIO_VERSION = process.env.APICURIO_VERSION || '3.0.9';

const registryHome = (cache) => path.join(cache, `apicurio-registry-${APICURIO_VERSION}`);

// Fetched straight from Maven Central rather than through mvn: 3.0.9's parent pom
// (io.apicurio:apicurio-registry:3.0.9) is missing on Central, so Maven cannot read the
// artifact descriptor and refuses the download. The SHA-1 published next to it is checked.
async function fetchRegistry(cache, log) {
  const home = registryHome(cache);
  const marker = path.join(home, '.complete');
  if (fs.existsSync(marker)) return false;
  const url = centralUrl({ g: 'io.apicurio', a: 'apicurio-registry-app', v: APICURIO_VERSION, classifier: 'all', type: 'tar.gz' });
  const tarball = path.join(cache, `apicurio-registry-app-${APICURIO_VERSION}-all.tar.gz`);
  const started = Date.now();
  log(`downloading ${url} ...`);
  fs.rmSync(tarball, { force: true });
  await downloadVerified(url, tarball, {
    progress: (got, total) => log(`  apicurio-registry: ${Math.round(got / 1e6)}/${Math.round(total / 1e6)} MB, ${Math.round((Date.now() - started) / 1000)} s`),
  });
  fs.rmSync(home, { recursive: true, force: true });
  mkdirp(home);
  run('tar', ['xzf', tarball, '-C', home]);
  fs.rmSync(tarball, { force: true });
  fs.writeFileSync(marker, new Date().toISOString());
  log(`  apicurio-registry: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

function registryJar(cache) {
  const home = registryHome(cache);
  const found = [];
  const walk = (d, depth) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      // 3.0.x ships a legacy "-runner.jar" layout, 3.3.x the fast-jar "quarkus-app/quarkus-run.jar".
      if (e.isFile() && (e.name === 'quarkus-run.jar' || e.name.endsWith('-runner.jar'))) found.push(p);
      else if (e.isDirectory() && depth < 3) walk(p, depth + 1);
    }
  };
  walk(home, 0);
  if (!found.length) throw new Error(`no quarkus-run.jar / *-runner.jar under ${home}`);
  return found[0];
}

/** JVM system properties (before -jar) for a registry on host:port. */
function registryArgs(host, port) {
  return [
    `-Dquarkus.http.host=${host}`,
    `-Dquarkus.http.port=${port}`,
    // The management interface would take another port (9000/9001); nothing here needs it.
    '-Dquarkus.management.enabled=false',
    // Tests delete subjects/versions (Confluent API); Apicurio 3 refuses deletes by default.
    '-Dapicurio.rest.deletion.group.enabled=true',
    '-Dapicurio.rest.deletion.artifact.enabled=true',
    '-Dapicurio.rest.deletion.artifact-version.enabled=true',
    '-Dquarkus.log.console.color=false',
  ];
}

module.exports = { APICURIO_VERSION, registryHome, fetchRegistry, registryJar, registryArgs };
