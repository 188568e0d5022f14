import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runGenerator } from './helpers/plop';
import { COMPOSE_VARIANTS, STREAMS_VARIANTS, TERRAFORM_VARIANTS, WORKFLOW_VARIANTS, listFiles, tempDir } from './helpers/variants';

// Every generator and every variant through node-plop: nodePlop(plopfile, { destBasePath }) and
// runActions(answers). Any entry in `failures` fails the test with node-plop's own message.
const cases: [string, string, Record<string, unknown>][] = [
  ...STREAMS_VARIANTS.map((v) => ['streams-app', v.id, v.answers] as [string, string, Record<string, unknown>]),
  ...TERRAFORM_VARIANTS.map((v) => ['terraform-module', v.id, v.answers] as [string, string, Record<string, unknown>]),
  ...COMPOSE_VARIANTS.map((v) => ['compose-stack', v.id, v.answers] as [string, string, Record<string, unknown>]),
  ...WORKFLOW_VARIANTS.map((v) => ['n8n-workflow', v.id, v.answers] as [string, string, Record<string, unknown>]),
];

describe('every generator variant renders through node-plop', () => {
  const root = tempDir('render');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('the variant matrix covers every generator it renders (44 variants)', () => {
    expect(new Set(cases.map(([g]) => g))).toEqual(new Set(['streams-app', 'terraform-module', 'compose-stack', 'n8n-workflow']));
    expect(cases).toHaveLength(18 + 9 + 9 + 8);
  });

  test.each(cases)('%s / %s', async (generator, id, answers) => {
    const dest = join(root, generator, id);
    const { changes, failures } = await runGenerator(generator, answers, dest);
    expect(failures).toEqual([]);
    expect(changes).toHaveLength(1);
    const files = listFiles(dest);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(join(dest, f), 'utf8');
      // A mustache left in a rendered file would be a template bug (JSON/YAML legitimately carry
      // n8n expressions and Prometheus/Grafana templates, built as data, not through Handlebars).
      if (!/\.(json|yml)$/.test(f)) expect({ f, leftover: /\{\{/.test(text) }).toEqual({ f, leftover: false });
      expect(text.endsWith('\n')).toBe(true);
    }
    if (generator === 'streams-app') {
      expect(files).toEqual(expect.arrayContaining(['pom.xml', 'Dockerfile', 'README.md']));
      expect(files.filter((f) => f.startsWith('src/test/java/'))).toHaveLength(1);
      expect(files.some((f) => f.endsWith('.avsc'))).toBe(answers.serde === 'avro');
    }
    if (generator === 'terraform-module') {
      expect(files).toEqual(['README.md', 'main.tf', 'outputs.tf', 'variables.tf', 'versions.tf']);
    }
    // postgres-cdc comes with the companion workflow that creates its Debezium connector.
    if (generator === 'n8n-workflow') expect(readdirSync(dest)).toEqual(id === 'postgres-cdc' ? ['postgres-cdc-connector.json', 'postgres-cdc.json'] : [`${id}.json`]);
  });

  test('a second run refuses to overwrite and leaves the files as they were; force overwrites', async () => {
    const dest = join(root, 'again');
    expect((await runGenerator('n8n-workflow', { workflow: 'kafka-to-slack' }, dest)).failures).toEqual([]);
    const file = join(dest, 'kafka-to-slack.json');
    const before = readFileSync(file, 'utf8');
    const second = await runGenerator('n8n-workflow', { workflow: 'kafka-to-slack', topic: 'other' }, dest);
    expect(second.failures).toHaveLength(1);
    expect(second.failures[0].error).toMatch(/refusing to overwrite existing files \(use --force\): kafka-to-slack\.json/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    const forced = await runGenerator('n8n-workflow', { workflow: 'kafka-to-slack', topic: 'other' }, dest, { force: true });
    expect(forced.failures).toEqual([]);
    expect(readFileSync(file, 'utf8')).toContain('"topics": "other"');
  });
});
