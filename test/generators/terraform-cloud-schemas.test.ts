// The MSK and Event Hubs modules cannot be planned here (neither provider can be downloaded or
// built offline), but their schemas can be had: HashiCorp's prebuilt CDKTF bindings on npm are
// generated from each provider's published schema (`terraform providers schema -json`) of a stated
// provider version. Every resource, block and attribute the generated modules write, and every
// attribute they read, must exist there. Confluent Cloud has no such package: its HCL stays unverified.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runGenerator, ROOT } from './helpers/plop';
import { pythonTools } from './helpers/tools';
import { TERRAFORM_VARIANTS, tempDir } from './helpers/variants';

const CACHE = join(ROOT, '.cache', 'cdktf');
/** Provider versions inside the bindings: aws 6.25.0 and azurerm 4.55.0, within the modules' ~> 6.0 / ~> 4.0 pins. */
const BINDINGS = { aws: { pkg: '@cdktf/provider-aws', version: '21.22.1', provider: '6.25.0' }, azurerm: { pkg: '@cdktf/provider-azurerm', version: '14.23.1', provider: '4.55.0' } } as const;
const META = new Set(['for_each', 'count', 'depends_on', 'lifecycle', 'provider']);

function tarball(kind: keyof typeof BINDINGS): string {
  const { pkg, version } = BINDINGS[kind];
  const file = join(CACHE, `${pkg.replace('@', '').replace('/', '-')}-${version}.tgz`);
  if (!existsSync(file)) {
    mkdirSync(CACHE, { recursive: true });
    execFileSync('npm', ['pack', `${pkg}@${version}`, '--pack-destination', CACHE, '--silent'], { stdio: 'ignore' });
  }
  return file;
}

/**
 * Unpacks only the files asked for (the tarballs hold thousands of resources), in one pass per
 * package, into .cache/cdktf/<package>/; later runs read the unpacked copies.
 */
function unpack(kind: keyof typeof BINDINGS, dirs: string[]): string {
  const { pkg, version } = BINDINGS[kind];
  const dest = join(CACHE, `${pkg.replace('@', '').replace('/', '-')}-${version}`);
  const members = ['package/package.json', ...dirs.map((d) => `package/lib/${d}/index.js`)].filter((m) => !existsSync(join(dest, m)));
  if (members.length) {
    mkdirSync(dest, { recursive: true });
    execFileSync('tar', ['xzf', tarball(kind), '-C', dest, ...members]);
  }
  const declared = JSON.parse(readFileSync(join(dest, 'package', 'package.json'), 'utf8')).cdktf.provider.version;
  expect({ pkg, provider: declared }).toEqual({ pkg, provider: BINDINGS[kind].provider });
  return join(dest, 'package', 'lib');
}

const bindingDir = (type: string) => type.replace(/^(aws|azurerm)_/, '').replace(/_/g, '-');

/** key -> nested block's converter function (or null for an attribute), from a `return { ... }` body. */
function keysOf(body: string): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const m of body.matchAll(/^\s+([a-z0-9_]+): (.*)$/gm)) {
    const child = [...m[2].matchAll(/(^|[^.\w])([a-z][A-Za-z0-9]*ToTerraform)\b/g)].map((c) => c[2])[0] ?? null;
    out.set(m[1], child);
  }
  return out;
}

function functionBody(source: string, name: string): string {
  const start = source.indexOf(`function ${name}(struct) {`);
  if (start < 0) throw new Error(`${name} not in the binding`);
  const ret = source.indexOf('return {', start);
  return source.slice(ret, source.indexOf('\n    };', ret));
}

function topLevel(source: string, method: 'synthesizeAttributes'): string {
  const start = source.indexOf(`${method}() {`);
  return source.slice(source.indexOf('return {', start), source.indexOf('\n        };', start));
}

const unquote = (k: string) => k.replace(/^"|"$/g, '');

/** Walks a python-hcl2 body against the binding; returns every key the schema does not have. */
function check(source: string, schema: Map<string, string | null>, body: Record<string, unknown>, path: string, problems: string[]) {
  for (const [rawKey, value] of Object.entries(body)) {
    const key = unquote(rawKey);
    if (key.startsWith('__') || META.has(key)) continue;
    if (!schema.has(key)) {
      problems.push(`${path}.${key}: not in the provider schema`);
      continue;
    }
    const child = schema.get(key);
    const blocks = Array.isArray(value) && value.every((v) => v && typeof v === 'object' && !Array.isArray(v)) ? (value as Record<string, unknown>[]) : [];
    if (child && blocks.length) for (const b of blocks) check(source, keysOf(functionBody(source, child)), b, `${path}.${key}`, problems);
    else if (!child && blocks.length && key !== 'tags') problems.push(`${path}.${key}: written as a block, but the schema has an attribute`);
  }
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

describe('MSK and Event Hubs modules against the providers\' published schemas (CDKTF bindings)', () => {
  const root = tempDir('tf-schemas');
  const variants = TERRAFORM_VARIANTS.filter((v) => /^(msk|event-hubs)/.test(v.id));
  const dirs: Record<string, string> = {};

  beforeAll(async () => {
    for (const v of variants) {
      dirs[v.id] = join(root, v.id);
      const { failures } = await runGenerator('terraform-module', v.answers, dirs[v.id]);
      expect(failures).toEqual([]);
    }
  }, 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('every resource, block and attribute written, and every attribute read, exists in the schema', () => {
    const script = 'import hcl2, json, sys\nprint(json.dumps([hcl2.load(open(f)) for f in sys.argv[1:]]))';
    const parsed = variants.map((v) => {
      const kind: keyof typeof BINDINGS = v.id.startsWith('msk') ? 'aws' : 'azurerm';
      const files = readdirSync(dirs[v.id]).filter((f) => f.endsWith('.tf')).map((f) => join(dirs[v.id], f));
      const docs = JSON.parse(execFileSync(pythonTools(), ['-c', script, ...files], { encoding: 'utf8' })) as Array<Record<string, any>>;
      const text = files.map((f) => readFileSync(f, 'utf8')).join('\n');
      const types = new Set<string>();
      for (const doc of docs) for (const block of doc.resource ?? []) for (const type of Object.keys(block)) types.add(unquote(type));
      for (const m of text.matchAll(/\b((?:aws|azurerm)_[a-z0-9_]+)\.[a-z0-9_]+(?:\[[^\]]*\])?\.[a-z0-9_]+/g)) types.add(m[1]);
      return { v, kind, docs, text, types };
    });
    const libs = {} as Record<keyof typeof BINDINGS, string>;
    for (const kind of ['aws', 'azurerm'] as const) {
      const types = new Set(parsed.filter((p) => p.kind === kind).flatMap((p) => [...p.types]));
      libs[kind] = unpack(kind, ['provider', ...[...types].map(bindingDir)]);
    }
    let checked = 0;
    for (const { v, kind, docs, text } of parsed) {
      const problems: string[] = [];
      const sourceOf = (type: string) => {
        const file = join(libs[kind], bindingDir(type), 'index.js');
        if (!existsSync(file)) throw new Error(`${type}: no such resource in ${BINDINGS[kind].pkg}`);
        return readFileSync(file, 'utf8');
      };
      for (const doc of docs) {
        for (const block of doc.resource ?? []) {
          for (const [type, named] of Object.entries<Record<string, Record<string, unknown>>>(block)) {
            const source = sourceOf(unquote(type));
            for (const [name, body] of Object.entries(named)) {
              check(source, keysOf(topLevel(source, 'synthesizeAttributes')), body, `${unquote(type)}.${unquote(name)}`, problems);
              checked++;
            }
          }
        }
        for (const block of doc.provider ?? []) {
          for (const [, body] of Object.entries<Record<string, unknown>>(block)) {
            const source = readFileSync(join(libs[kind], 'provider', 'index.js'), 'utf8');
            check(source, keysOf(topLevel(source, 'synthesizeAttributes')), body, `provider.${kind}`, problems);
            checked++;
          }
        }
      }
      // Attributes read from resources (outputs, cross-references) must be getters of the binding.
      for (const m of text.matchAll(/\b((?:aws|azurerm)_[a-z0-9_]+)\.[a-z0-9_]+(?:\[[^\]]*\])?\.([a-z0-9_]+)/g)) {
        if (!new RegExp(`\\bget ${camel(m[2])}\\(\\)`).test(sourceOf(m[1]))) problems.push(`${m[0]}: ${m[1]} has no attribute ${m[2]}`);
      }
      expect({ variant: v.id, problems }).toEqual({ variant: v.id, problems: [] });
    }
    expect(checked).toBeGreaterThanOrEqual(20);
  });

  test('the check is not vacuous: a misspelt nested attribute is found', () => {
    const source = readFileSync(join(unpack('aws', ['msk-cluster']), 'msk-cluster', 'index.js'), 'utf8');
    const problems: string[] = [];
    check(source, keysOf(topLevel(source, 'synthesizeAttributes')), { broker_node_group_info: [{ instance_type: 'x', storage_info: [{ ebs_storage_info: [{ volume_sizes: 1 }] }] }], cluster_nam: 'x' }, 'aws_msk_cluster.t', problems);
    expect(problems.sort()).toEqual(['aws_msk_cluster.t.broker_node_group_info.storage_info.ebs_storage_info.volume_sizes: not in the provider schema', 'aws_msk_cluster.t.cluster_nam: not in the provider schema']);
  });
});
