// Fetches org.apache.kafka:kafka-tools (ProducerPerformance) from Maven Central into .cache/, once,
// the same way infra/local/services.cjs fetches the broker: a throwaway pom + copy-dependencies.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const KAFKA_TOOLS_VERSION = '3.9.1';

export async function ensureKafkaTools(cacheDir, log = (m) => process.stderr.write(`[bench] ${m}\n`)) {
  const lib = join(cacheDir, `kafka-tools-${KAFKA_TOOLS_VERSION}`, 'lib');
  const marker = join(lib, '.complete');
  if (existsSync(marker)) return lib;
  const work = join(cacheDir, 'poms', 'kafka-tools');
  mkdirSync(work, { recursive: true });
  rmSync(lib, { recursive: true, force: true });
  mkdirSync(lib, { recursive: true });
  const pom = join(work, 'pom.xml');
  writeFileSync(
    pom,
    `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.kafka-suite</groupId><artifactId>kafka-tools-fetch</artifactId><version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>${KAFKA_TOOLS_VERSION}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>
    <dependency><groupId>ch.qos.reload4j</groupId><artifactId>reload4j</artifactId><version>1.2.25</version></dependency>
  </dependencies>
</project>
`,
  );
  log(`fetching kafka-tools ${KAFKA_TOOLS_VERSION} from Maven Central into ${lib} ...`);
  await new Promise((resolve, reject) => {
    const child = spawn(
      'mvn',
      ['-B', '-q', '-f', pom, `-Dmaven.repo.local=${join(cacheDir, 'm2')}`, 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${lib}`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`mvn copy-dependencies for kafka-tools failed (exit ${code}):\n${out}`))));
  });
  writeFileSync(marker, new Date().toISOString());
  return lib;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureKafkaTools(process.argv[2]).then((lib) => console.log(lib));
}
