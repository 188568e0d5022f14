import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type nodePlopType from 'node-plop';

export const ROOT = join(__dirname, '..', '..', '..');
export const PLOPFILE = join(ROOT, 'generators', 'plopfile.ts');
const CACHE = join(ROOT, '.cache', 'jest-node-plop');

/**
 * node-plop 0.32 is ESM-only and Jest runs our TypeScript as CommonJS without VM modules, so it
 * cannot load it directly. We bundle the installed node-plop into one CommonJS file (cached,
 * rebuilt when node-plop changes) and change a single line: the `import()` that loads a plopfile
 * becomes `require()`, so Jest (ts-jest) loads generators/plopfile.ts itself. Everything else,
 * prompts bypass, action runner, failures, is node-plop's own code.
 */
export function loadNodePlop(): typeof nodePlopType {
  const source = join(ROOT, 'node_modules', 'node-plop', 'src', 'node-plop.js');
  const version = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'node-plop', 'package.json'), 'utf8')).version as string;
  const out = join(CACHE, `node-plop-${version}.cjs`);
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(source).mtimeMs) {
    mkdirSync(CACHE, { recursive: true });
    esbuild.buildSync({
      stdin: { contents: "export { default } from 'node-plop';", resolveDir: ROOT, loader: 'js' },
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'error',
      banner: { js: 'var __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
      define: { 'import.meta.url': '__importMetaUrl' },
    });
    const bundled = readFileSync(out, 'utf8');
    const IMPORT = /await import\(\(0, [\w$]+\.pathToFileURL\)\(joinedPath\)\.href\)/g;
    const hits = bundled.match(IMPORT)?.length ?? 0;
    if (hits !== 1) throw new Error(`node-plop changed: expected one plopfile import() in the bundle, found ${hits}`);
    writeFileSync(out, bundled.replace(IMPORT, 'require(joinedPath)'));
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(out) as { default: typeof nodePlopType };
  return mod.default;
}

export interface PlopRun {
  changes: { type: string; path: string }[];
  failures: { type: string; path: string; error: string }[];
}

/** nodePlop(plopfile, { destBasePath }) then runActions(answers), exactly as the acceptance asks. */
export async function runGenerator(name: string, answers: Record<string, unknown>, dest: string, opts: { force?: boolean; plopfile?: string } = {}): Promise<PlopRun> {
  const nodePlop = loadNodePlop();
  const plop = await nodePlop(opts.plopfile ?? PLOPFILE, { destBasePath: dest, force: opts.force === true });
  const generator = plop.getGenerator(name);
  return (await generator.runActions({ ...answers })) as PlopRun;
}
