'use strict';
// Downloads from Maven Central into the cache that survives between runs: whole runtime
// classpaths through mvn (a throwaway pom + dependency:copy-dependencies), single files over
// HTTPS checked against the SHA-1 Central publishes next to them.

const fs = require('node:fs');
const path = require('node:path');
const https = require('node:https');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { mkdirp, runAsync } = require('./util.cjs');

const MAVEN_CENTRAL = 'https://repo.maven.apache.org/maven2';
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

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

/** mvn arguments that copy the runtime classpath of `pom` into outDir, with the shared repository. */
function copyDependenciesArgs(pom, m2, outDir) {
  return ['-B', '-q', '-f', pom, `-Dmaven.repo.local=${m2}`, `${DEPENDENCY_PLUGIN}:copy-dependencies`, '-DincludeScope=runtime', `-DoutputDirectory=${outDir}`];
}

function prepare(name, deps, outDir, cache) {
  const work = path.join(cache, 'poms', name);
  mkdirp(work);
  fs.rmSync(outDir, { recursive: true, force: true });
  mkdirp(outDir);
  const pom = path.join(work, 'pom.xml');
  fs.writeFileSync(pom, pomXml(name, deps));
  return pom;
}

/**
 * Copies the runtime classpath of `deps` ({g, a, v, type?, classifier?, noTransitive?}) into outDir
 * once; a marker file makes an interrupted download start over next time. Resolves to whether it
 * downloaded. The Maven repository is <cache>/m2, shared by everything that fetches.
 */
async function mavenFetch(name, deps, outDir, { cache, log = () => {} }) {
  const marker = path.join(outDir, '.complete');
  if (fs.existsSync(marker)) return false;
  const m2 = path.join(cache, 'm2');
  const pom = prepare(name, deps, outDir, cache);
  const started = Date.now();
  log(`downloading ${name} from Maven Central into ${outDir} ...`);
  const ticker = setInterval(() => {
    const secs = Math.round((Date.now() - started) / 1000);
    log(`  ${name}: ${secs} s, ${dirSizeMb(outDir)} MB copied, maven cache ${dirSizeMb(m2)} MB`);
  }, 10000);
  try {
    await runAsync('mvn', copyDependenciesArgs(pom, m2, outDir));
  } finally {
    clearInterval(ticker);
  }
  log(`  ${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s (${dirSizeMb(outDir)} MB)`);
  fs.writeFileSync(marker, new Date().toISOString());
  return true;
}

/** mavenFetch for synchronous callers (test helpers that run inside one synchronous step). */
function mavenFetchSync(name, deps, outDir, { cache, timeoutMs = 20 * 60_000 }) {
  const marker = path.join(outDir, '.complete');
  if (fs.existsSync(marker)) return false;
  const pom = prepare(name, deps, outDir, cache);
  const r = spawnSync('mvn', copyDependenciesArgs(pom, path.join(cache, 'm2'), outDir), { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs });
  if (r.status !== 0) throw new Error(`mvn copy-dependencies for ${name} failed (exit ${r.status}, ${r.signal ?? ''}):\n${((r.stdout || '') + (r.stderr || '')).slice(-8000)}`);
  fs.writeFileSync(marker, new Date().toISOString());
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

/**
 * Downloads url to dest (through a .part file) unless dest exists, and checks its SHA-1: `sha1`
 * when the caller pins one, else the .sha1 file Central publishes next to the artifact.
 */
async function downloadVerified(url, dest, { sha1, progress = () => {} } = {}) {
  if (fs.existsSync(dest)) return false;
  mkdirp(path.dirname(dest));
  const expected = sha1 || (await httpsGetBuffer(`${url}.sha1`)).toString('utf8').trim().split(/\s+/)[0];
  const partial = `${dest}.download`;
  await httpsDownload(url, partial, progress);
  const actual = crypto.createHash('sha1').update(fs.readFileSync(partial)).digest('hex');
  if (actual !== expected) {
    fs.rmSync(partial, { force: true });
    throw new Error(`SHA-1 mismatch for ${url}: got ${actual}, expected ${expected}`);
  }
  fs.renameSync(partial, dest);
  return true;
}

/** The URL of an artifact file on Central. */
function centralUrl({ g, a, v, classifier, type = 'jar' }) {
  return `${MAVEN_CENTRAL}/${g.replace(/\./g, '/')}/${a}/${v}/${a}-${v}${classifier ? `-${classifier}` : ''}.${type}`;
}

module.exports = { MAVEN_CENTRAL, DEPENDENCY_PLUGIN, pomXml, copyDependenciesArgs, mavenFetch, mavenFetchSync, httpsGetBuffer, httpsDownload, downloadVerified, centralUrl, dirSizeMb };
