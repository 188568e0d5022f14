import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import YAML from 'yaml';
import { ROOT, runGenerator } from './helpers/plop';
import { listFiles, tempDir } from './helpers/variants';

// The bin as users get it: bundled the way scripts/build.mjs bundles it (CJS, every dependency
// inside, import.meta.url defined for the ESM node-plop/inquirer), templates copied next to it as
// dist/templates. Building here keeps this test independent of tsc over the rest of the repo.
const root = tempDir('bin');
const dist = join(root, 'dist');
const bin = join(dist, 'bin', 'kafka-suite.js');
const BANNER = '#!/usr/bin/env node\nvar __importMetaUrl = require("node:url").pathToFileURL(__filename).href;';

beforeAll(async () => {
  const build = readFileSync(join(ROOT, 'scripts', 'build.mjs'), 'utf8');
  // Same options as the bin entry of scripts/build.mjs; fail loudly if that entry drifts.
  expect(build).toContain(JSON.stringify(BANNER).slice(1, -1).replace(/\\"/g, '"'));
  expect(build).toContain("define: { 'import.meta.url': '__importMetaUrl' }");
  await esbuild.build({
    entryPoints: [join(ROOT, 'bin', 'kafka-suite.ts')],
    outfile: bin,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['n8n-workflow'],
    banner: { js: BANNER },
    define: { 'import.meta.url': '__importMetaUrl' },
    logLevel: 'error',
  });
  cpSync(join(ROOT, 'templates'), join(dist, 'templates'), { recursive: true });
  await esbuild.stop();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function cli(args: string[], cwd = root) {
  // A cwd without node_modules: the bundle must not need the repo's dependencies at run time.
  const res = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

describe('kafka-suite bin (bundled)', () => {
  test('the bundle carries its dependencies: no require of handlebars/yaml/zod/node-plop left', () => {
    const text = readFileSync(bin, 'utf8');
    for (const dep of ['handlebars', 'yaml', 'zod', 'node-plop', 'inquirer']) expect(text).not.toMatch(new RegExp(`require\\(["']${dep}["']\\)`));
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  test('list shows every generator with its answers and defaults', () => {
    const { code, out } = cli(['list']);
    expect(code).toBe(0);
    for (const g of ['streams-app', 'terraform-module', 'compose-stack', 'n8n-workflow', 'mirrormaker2', 'strimzi', 'flink-job']) expect(out).toMatch(new RegExp(`^${g}: `, 'm'));
    expect(out).toMatch(/^\s+topology \[filter-map\|branch\|windowed-aggregation\|stream-table-join\] = "filter-map"/m);
    expect(out).toMatch(/^\s+processingGuarantee .*= "exactly_once_v2"/m);
  });

  test('generate compose-stack --defaults --dest writes the same files node-plop writes', async () => {
    const dest = join(root, 'tmp');
    const { code, out, err } = cli(['generate', 'compose-stack', '--defaults', '--dest', 'tmp']);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toMatch(/compose-stack: 9 files in /);
    const viaPlop = join(root, 'via-plop');
    expect((await runGenerator('compose-stack', {}, viaPlop)).failures).toEqual([]);
    expect(listFiles(dest)).toEqual(listFiles(viaPlop));
    for (const f of listFiles(dest)) expect(readFileSync(join(dest, f), 'utf8')).toBe(readFileSync(join(viaPlop, f), 'utf8'));
    expect(YAML.parse(readFileSync(join(dest, 'compose.yaml'), 'utf8')).services['kafka-1'].image).toBe('apache/kafka:3.9.1');
  });

  test('existing files are not overwritten without --force', () => {
    const dest = join(root, 'twice');
    expect(cli(['generate', 'n8n-workflow', '--defaults', '--dest', dest]).code).toBe(0);
    const file = join(dest, 'kafka-to-webhook.json');
    writeFileSync(file, 'edited by hand\n');
    const again = cli(['generate', 'n8n-workflow', '--defaults', '--dest', dest]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/refusing to overwrite existing files \(use --force\): kafka-to-webhook\.json/);
    expect(readFileSync(file, 'utf8')).toBe('edited by hand\n');
    expect(cli(['generate', 'n8n-workflow', '--defaults', '--dest', dest, '--force']).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).name).toBe('Kafka to webhook');
  });

  test('--answers: every bad field is reported at once, exit 2, nothing written', () => {
    const answers = join(root, 'bad.json');
    writeFileSync(answers, JSON.stringify({ topology: 'fan-out', javaPackage: 'com.example.Upper', inputTopic: 'my topic', windowSizeSeconds: 0 }));
    const dest = join(root, 'never');
    const { code, err } = cli(['generate', 'streams-app', '--answers', answers, '--dest', dest]);
    expect(code).toBe(2);
    for (const field of ['topology', 'javaPackage', 'inputTopic', 'windowSizeSeconds']) expect(err).toMatch(new RegExp(`^  - ${field}: `, 'm'));
    expect(existsSync(dest)).toBe(false);
  });

  test('--answers with good answers; usage errors exit 2', () => {
    const answers = join(root, 'good.json');
    writeFileSync(answers, JSON.stringify({ workflow: 'lag-alert', alertChannel: 'email', lagGroups: 'billing,shipping' }));
    const dest = join(root, 'good');
    expect(cli(['generate', 'n8n-workflow', '--answers', answers, '--dest', dest]).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dest, 'lag-alert-email.json'), 'utf8')).nodes[0].parameters).toEqual({ groups: 'billing,shipping' });
    expect(cli(['generate', 'nope', '--defaults']).code).toBe(2);
    expect(cli(['generate', '--defaults']).code).toBe(2);
    expect(cli(['frobnicate']).code).toBe(2);
    expect(cli(['generate', 'n8n-workflow', '--answers', join(root, 'missing.json')]).err).toMatch(/cannot read answers/);
  });

  test('plain plop: the bundle and the repo plopfile.cjs both work as plopfiles', () => {
    const plop = join(ROOT, 'node_modules', 'plop', 'bin', 'plop.js');
    const bypass = ['compose-stack', '--', '--name', 'demo', '--broker', 'redpanda', '--nodes', '3', '--services', 'kafka-ui'];
    for (const [label, plopfile] of [
      ['bundle', bin],
      ['repo', join(ROOT, 'plopfile.cjs')],
    ]) {
      const dest = join(root, `plop-${label}`);
      mkdirSync(dest);
      const res = spawnSync(process.execPath, [plop, '--plopfile', plopfile, '--dest', dest, ...bypass], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
      expect({ label, code: res.status, err: res.stderr.includes('ERROR') ? res.stderr : '' }).toEqual({ label, code: 0, err: '' });
      const compose = YAML.parse(readFileSync(join(dest, 'compose.yaml'), 'utf8'));
      expect(Object.keys(compose.services).sort()).toEqual(['kafka-ui', 'redpanda-1', 'redpanda-2', 'redpanda-3']);
    }
  });
});
