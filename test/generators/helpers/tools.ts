import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './plop';

const CACHE = join(ROOT, '.cache');

/** Pinned so a cached venv and a fresh one check the same way. */
const PY_REQUIREMENTS = ['python-hcl2==8.1.4', 'jsonschema==4.26.0', 'pyyaml==6.0.3'];
/** compose-go is the Compose Specification's reference implementation; it ships compose-spec.json. */
export const COMPOSE_GO = 'github.com/compose-spec/compose-go/v2@v2.16.2';
/** Used only where terraform is not installed. */
const HCLFMT = 'github.com/hashicorp/hcl/v2/cmd/hclfmt@v2.24.0';

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, ...opts });
}

/** A venv under .cache/ with the Python checkers, created once and reused while the pins match. */
export function pythonTools(): string {
  const venv = join(CACHE, 'venv-generators');
  const python = join(venv, 'bin', 'python');
  const stamp = join(venv, 'requirements.txt');
  const wanted = PY_REQUIREMENTS.join('\n');
  if (!existsSync(python) || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
    rmSync(venv, { recursive: true, force: true });
    mkdirSync(CACHE, { recursive: true });
    run('python3', ['-m', 'venv', venv]);
    run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...PY_REQUIREMENTS]);
    writeFileSync(stamp, wanted);
  }
  return python;
}

export function pyCheck<T>(args: string[]): T {
  const out = run(pythonTools(), [join(__dirname, 'check.py'), ...args]);
  return JSON.parse(out) as T;
}

/** compose-spec.json from the Go module cache (downloaded once through the Go module proxy). */
export function composeSchemaPath(): string {
  mkdirSync(CACHE, { recursive: true });
  const info = JSON.parse(run('go', ['mod', 'download', '-json', COMPOSE_GO], { cwd: CACHE })) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${COMPOSE_GO} failed: ${info.Error}`);
  const schema = join(info.Dir, 'schema', 'compose-spec.json');
  if (!existsSync(schema)) throw new Error(`${schema} missing`);
  return schema;
}

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/**
 * Files of a module that are not formatted the canonical way: `terraform fmt -check` where
 * terraform exists, otherwise hclfmt (HashiCorp's formatter, same hclwrite code) built once into
 * .cache/gobin, comparing its output with the file.
 */
export function unformattedHcl(dir: string, files: string[]): { tool: string; unformatted: string[] } {
  if (has('terraform')) {
    const res = spawnSync('terraform', ['fmt', '-check', '-list=true', dir], { encoding: 'utf8' });
    if (res.status !== 0 && res.status !== 3) throw new Error(`terraform fmt failed: ${res.stderr}`);
    return { tool: 'terraform fmt', unformatted: res.stdout.split('\n').filter(Boolean) };
  }
  const gobin = join(CACHE, 'gobin');
  const hclfmt = join(gobin, 'hclfmt');
  if (!existsSync(hclfmt)) {
    mkdirSync(gobin, { recursive: true });
    run('go', ['install', HCLFMT], { cwd: CACHE, env: { ...process.env, GOBIN: gobin } });
  }
  const unformatted = files.filter((f) => run(hclfmt, [join(dir, f)]) !== readFileSync(join(dir, f), 'utf8'));
  return { tool: 'hclfmt', unformatted };
}
