// Build = tsc for our own code (readable output, source maps) + esbuild for third-party runtime
// libraries. n8n's community-node rules forbid runtime `dependencies`, so everything the nodes
// need at run time is bundled into dist: nodes/shared/vendor.ts (schema-registry client, AWS signer),
// the adapter's kafka/kafkajs/vendor.ts (kafkajs, codecs) and the kafka-suite CLI (plop, handlebars, yaml, zod).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });

execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], {
  stdio: 'inherit',
});

const bundles = [
  { entry: 'nodes/shared/vendor.ts', out: 'dist/nodes/shared/vendor.js' },
  // kafkajs and its codecs, bundled inside the adapter so only nodes/shared/kafka/ can reach them (issue 12).
  { entry: 'nodes/shared/kafka/kafkajs/vendor.ts', out: 'dist/nodes/shared/kafka/kafkajs/vendor.js' },
  // @platformatic/kafka (issue 12), loaded only by connections that select it. Its ESM build reads its
  // WASM codecs next to itself and calls createRequire(import.meta.url): the `/bundled` variant
  // inlines the WASM, and import.meta.url becomes this file's URL.
  {
    entry: 'nodes/shared/kafka/platformatic/vendor.ts',
    out: 'dist/nodes/shared/kafka/platformatic/vendor.js',
    banner: 'var __importMetaUrl = require("node:url").pathToFileURL(__filename).href;',
    define: { 'import.meta.url': '__importMetaUrl' },
    alias: { '@platformatic/wasm-utils': '@platformatic/wasm-utils/bundled' },
  },
  // The Admin node's Terraform export renders with the terraform-module generator's templates
  // (handlebars, bundled in): the renderer lives on the adapter side, the generator imports it.
  { entry: 'nodes/shared/terraform/render.ts', out: 'dist/nodes/shared/terraform/render.js' },
  // node-plop and inquirer are ESM and read import.meta.url, which is empty in a CJS bundle: give them this file's URL.
  {
    entry: 'bin/kafka-suite.ts',
    out: 'dist/bin/kafka-suite.js',
    banner: '#!/usr/bin/env node\nvar __importMetaUrl = require("node:url").pathToFileURL(__filename).href;',
    define: { 'import.meta.url': '__importMetaUrl' },
  },
];
for (const bundle of bundles) {
  if (!existsSync(join(root, bundle.entry))) continue;
  await esbuild.build({
    entryPoints: [join(root, bundle.entry)],
    outfile: join(root, bundle.out),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // n8n provides n8n-workflow to community packages; bundling a second copy breaks instanceof checks.
    external: ['n8n-workflow'],
    banner: bundle.banner ? { js: bundle.banner } : undefined,
    define: bundle.define,
    alias: bundle.alias,
    logLevel: 'warning',
    legalComments: 'none',
    // Minified but with names kept: kafkajs and n8n tell errors apart by class and `name`.
    minify: true,
    keepNames: true,
  });
}

// Icons (each node's in its folder, the credentials' in credentials/icons) and other static assets
// next to the compiled files: n8n resolves a `file:` icon relative to the file package.json lists.
function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyAssets(path);
    else if (/\.(svg|png|json)$/.test(name)) {
      const target = join(dist, relative(root, path));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(path, target);
    }
  }
}
for (const dir of ['nodes', 'credentials']) if (existsSync(join(root, dir))) copyAssets(join(root, dir));
for (const dir of ['templates']) if (existsSync(join(root, dir))) cpSync(join(root, dir), join(dist, dir), { recursive: true });
console.log('build: dist/ ready');
