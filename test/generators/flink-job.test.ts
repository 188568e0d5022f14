import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mvn } from './helpers/maven';
import { runGenerator } from './helpers/plop';
import { tempDir } from './helpers/variants';

// Generated Flink jobs are built by Maven and run by their own tests: unit tests of the transform
// and PipelineIT, which runs the job on Flink's MiniCluster against the shared broker (and
// registry), fails it once half-way and checks the output is exactly once. Flink's dependencies
// are large, so `npm test` builds one variant; KAFKA_SUITE_FULL=1 (npm run test:full) builds all.

const ALL = [
  { id: 'json-exactly-once', answers: { artifactId: 'json-exactly-once', javaPackage: 'com.example.flink.json' } },
  { id: 'avro-exactly-once', answers: { artifactId: 'avro-exactly-once', javaPackage: 'com.example.flink.avro', format: 'avro' } },
  { id: 'json-at-least-once', answers: { artifactId: 'json-at-least-once', javaPackage: 'com.example.flink.alo', deliveryGuarantee: 'at-least-once' } },
];
const VARIANTS = process.env.KAFKA_SUITE_FULL === '1' ? ALL : ALL.slice(0, 1);

const root = tempDir('flink');
let buildMs = 0;

function needEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the generators Jest project needs the global setup (test/setup/globalSetup.ts)`);
  return value;
}

type Counts = { tests: number; failures: number; errors: number; skipped: number };

function reports(dir: string): Counts {
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  if (!existsSync(dir)) return total;
  for (const f of readdirSync(dir).filter((n) => /^TEST-.*\.xml$/.test(n))) {
    const head = /<testsuite [^>]*>/.exec(readFileSync(join(dir, f), 'utf8'))?.[0] ?? '';
    for (const k of Object.keys(total) as (keyof Counts)[]) total[k] += Number(new RegExp(`\\b${k}="(\\d+)"`).exec(head)?.[1] ?? 0);
  }
  return total;
}

beforeAll(async () => {
  for (const v of VARIANTS) {
    const { failures } = await runGenerator('flink-job', v.answers, join(root, v.id));
    expect(failures).toEqual([]);
  }
  writeFileSync(
    join(root, 'pom.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>generated</groupId>
  <artifactId>all-flink-jobs</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <modules>
${VARIANTS.map((v) => `    <module>${v.id}</module>`).join('\n')}
  </modules>
</project>
`,
  );
  const ccompat = needEnv('SCHEMA_REGISTRY_URL');
  const env = {
    KAFKA_BOOTSTRAP_SERVERS: needEnv('KAFKA_BOOTSTRAP_SERVERS'),
    // The Apicurio serde talks to Apicurio's own API, beside the Confluent-compatible one.
    SCHEMA_REGISTRY_URL: ccompat.replace(/\/apis\/ccompat\/v7$/, '/apis/registry/v2'),
  };
  buildMs = mvn(['verify'], root, 25 * 60_000, env).ms;
  process.stderr.write(`[flink-job] mvn -B -q verify over ${VARIANTS.map((v) => v.id).join(', ')}: ${(buildMs / 1000).toFixed(1)} s\n`);
}, 30 * 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('generated Flink jobs build, pass their unit tests and run exactly-once on a MiniCluster against the broker', () => {
  test.each(VARIANTS.map((v) => v.id))('%s', (id) => {
    const dir = join(root, id);
    expect(reports(join(dir, 'target', 'surefire-reports'))).toEqual({ tests: 2, failures: 0, errors: 0, skipped: 0 });
    expect(reports(join(dir, 'target', 'failsafe-reports'))).toEqual({ tests: 1, failures: 0, errors: 0, skipped: 0 });
    const output = readdirSync(join(dir, 'target', 'failsafe-reports'))
      .filter((f) => f.endsWith('-output.txt'))
      .map((f) => readFileSync(join(dir, 'target', 'failsafe-reports', f), 'utf8'))
      .join('');
    const line = /PipelineIT: .*/.exec(output)?.[0];
    if (line) process.stderr.write(`[flink-job] ${id}: ${line}\n`);
  });

  test('the job jar carries the connector but not Flink itself (provided by the cluster)', () => {
    const jar = join(root, VARIANTS[0].id, 'target', 'job.jar');
    const entries = execFileSync('jar', ['tf', jar], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\n');
    expect(entries).toContain('org/apache/flink/connector/kafka/sink/KafkaSink.class');
    expect(entries).toContain('com/example/flink/json/OrderTransform.class');
    expect(entries.filter((e) => e.startsWith('org/apache/flink/runtime/'))).toEqual([]);
    expect(readFileSync(join(root, VARIANTS[0].id, 'pom.xml'), 'utf8')).toMatch(/<artifactId>flink-streaming-java<\/artifactId>\s*<version>[^<]+<\/version>\s*<scope>provided<\/scope>/);
  });
});
