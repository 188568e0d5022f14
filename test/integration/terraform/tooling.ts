// Terraform with the real Mongey/kafka provider, offline. The Terraform registry is out of reach
// here, so the provider is built once from its Go module (the Go module proxy serves it) into a
// filesystem mirror under .cache/, and every `terraform` call gets a CLI config that installs from
// that mirror only.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const MONGEY_VERSION = '0.13.1';
const MODULE = `github.com/Mongey/terraform-provider-kafka@v${MONGEY_VERSION}`;

const ROOT = resolve(__dirname, '..', '..', '..');
const CACHE = resolve(process.env.KAFKA_SUITE_CACHE || join(ROOT, '.cache'));
const TF_HOME = join(CACHE, 'terraform');
const MIRROR = join(TF_HOME, 'mirror');
const BINARY = join(MIRROR, 'registry.terraform.io', 'mongey', 'kafka', MONGEY_VERSION, 'linux_amd64', `terraform-provider-kafka_v${MONGEY_VERSION}`);
const CLI_CONFIG = join(TF_HOME, 'cli.tfrc');

function need(command: string, hint: string): void {
  try {
    execFileSync(command, ['version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`${command} is needed for the Terraform tests: ${hint}`);
  }
}

/**
 * Builds the provider into the mirror unless it is there (a fresh clone: about 2 minutes of CPU).
 * `go install …@version` cannot be used: the proxy refuses the version list; `go mod download` of
 * the exact version works, and the module cache copy is read-only, hence the writable copy.
 */
export function ensureMongeyProvider(log: (line: string) => void = () => undefined): { cliConfig: string; builtMs: number } {
  need('terraform', 'install Terraform >= 1.11 (the machine image has 1.11)');
  let builtMs = 0;
  if (!existsSync(BINARY)) {
    need('go', 'install Go >= 1.24 to build the Mongey/kafka provider');
    const started = Date.now();
    mkdirSync(TF_HOME, { recursive: true });
    const info = JSON.parse(execFileSync('go', ['mod', 'download', '-json', MODULE], { cwd: TF_HOME, encoding: 'utf8' })) as { Dir?: string; Error?: string };
    if (!info.Dir) throw new Error(`go mod download ${MODULE} failed: ${info.Error}`);
    const work = mkdtempSync(join(TF_HOME, 'build-'));
    try {
      const src = join(work, 'src');
      cpSync(info.Dir, src, { recursive: true });
      execFileSync('chmod', ['-R', 'u+w', src]);
      const out = join(work, 'provider');
      log(`building ${MODULE} (first run only)`);
      execFileSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', out, '.'], { cwd: src, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CGO_ENABLED: '0' } });
      chmodSync(out, 0o755);
      mkdirSync(join(BINARY, '..'), { recursive: true });
      // Rename is atomic: a concurrent run sees either no provider or a complete one.
      renameSync(out, BINARY);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    builtMs = Date.now() - started;
  }
  writeFileSync(
    CLI_CONFIG,
    [
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(MIRROR)}`,
      '    include = ["registry.terraform.io/mongey/kafka"]',
      '  }',
      '  direct {',
      '    exclude = ["registry.terraform.io/mongey/kafka"]',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  return { cliConfig: CLI_CONFIG, builtMs };
}

export interface TfResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** One terraform command in `dir`; never throws on a non-zero exit (the tests assert the code). */
export function terraform(dir: string, args: string[], vars: Record<string, string> = {}, cliConfig = CLI_CONFIG): Promise<TfResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    TF_PLUGIN_CACHE_DIR: '',
    ...Object.fromEntries(Object.entries(vars).map(([k, v]) => [`TF_VAR_${k}`, v])),
  };
  return new Promise((done) => {
    execFile('terraform', [`-chdir=${dir}`, ...args], { env, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** Throws with terraform's own output when the command failed; the output is what a user would read. */
export async function terraformOk(dir: string, args: string[], vars: Record<string, string> = {}): Promise<TfResult> {
  const r = await terraform(dir, args, vars);
  if (r.code !== 0) throw new Error(`terraform ${args.join(' ')} exited ${r.code}:\n${r.stderr || r.stdout}`);
  return r;
}

/**
 * The provider's Kafka client (sarama) fails a whole run on a connection it lost mid-way, e.g.
 * "kafka: broker not connected" when a request timed out under load while other resources were
 * being deleted in parallel. Terraform runs are idempotent and the fix a user applies is to run
 * again, so this runs once more on such an error only (logged), and the caller still asserts the
 * end state on the cluster.
 */
export async function terraformOkRerunOnConnectionLoss(dir: string, args: string[], vars: Record<string, string> = {}): Promise<TfResult> {
  const first = await terraform(dir, args, vars);
  if (first.code === 0) return first;
  const output = `${first.stderr}\n${first.stdout}`;
  if (!/kafka: broker not connected|client has run out of available brokers|i\/o timeout/.test(output)) {
    throw new Error(`terraform ${args.join(' ')} exited ${first.code}:\n${first.stderr || first.stdout}`);
  }
  process.stderr.write(`[terraform] ${args[0]} lost its broker connection, running it again: ${output.split('\n').find((l) => /Error:/.test(l))?.trim()}\n`);
  return terraformOk(dir, args, vars);
}

interface PlanJson {
  resource_changes?: Array<{ address: string; type: string; change: { actions: string[]; importing?: unknown } }>;
}

/** Counts of a saved plan by what Terraform will do: import, create, update, delete, replace. */
export async function planSummary(dir: string, planFile: string): Promise<{ import: string[]; create: string[]; update: string[]; delete: string[]; noop: number }> {
  const plan = JSON.parse((await terraformOk(dir, ['show', '-json', planFile])).stdout) as PlanJson;
  const out = { import: [] as string[], create: [] as string[], update: [] as string[], delete: [] as string[], noop: 0 };
  for (const rc of plan.resource_changes ?? []) {
    const actions = rc.change.actions.join(',');
    if (rc.change.importing) out.import.push(rc.address);
    if (actions === 'create') out.create.push(rc.address);
    else if (actions === 'update') out.update.push(rc.address);
    else if (actions.includes('delete')) out.delete.push(rc.address);
    else if (actions === 'no-op') out.noop++;
  }
  return out;
}
