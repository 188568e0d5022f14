import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import nodePlop from 'node-plop';
import plopfile from '../generators/plopfile';
import { findGenerator, generators } from '../generators/registry';
import { AnswerError, defaults, validate, writeFiles } from '../generators/shared/generator';
import { shippedMonitoring, shippedWorkflows } from '../generators/shipped';

const USAGE = `kafka-suite: generators for Kafka projects

  kafka-suite list                                  generators, their answers and defaults
  kafka-suite generate                              choose a generator, answer its prompts
  kafka-suite generate <generator> [--dest <dir>]   prompts for one generator
  kafka-suite generate <generator> --answers <answers.json> [--dest <dir>] [--force]
  kafka-suite generate <generator> --defaults [--dest <dir>] [--force]
  kafka-suite sync-shipped [--root <repo>]          maintainers: rewrite workflows/ and infra/monitoring/

Answers are validated before anything is written; existing files are only overwritten with --force.
Generators: ${generators.map((g) => g.name).join(', ')}`;

interface Args {
  positional: string[];
  flags: Record<string, string | true>;
}

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (inline !== undefined) flags[name] = inline;
    else if (['answers', 'dest', 'root'].includes(name)) {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags[name] = value;
    } else flags[name] = true;
  }
  return { positional, flags };
}

class UsageError extends Error {}

function list(): void {
  for (const gen of generators) {
    console.log(`${gen.name}: ${gen.description}`);
    const initial = defaults(gen) as Record<string, unknown>;
    for (const key of Object.keys(initial)) {
      const field = gen.fields.find((f) => f.name === key);
      const choices = field?.choices ? ` [${field.choices.join('|')}]` : '';
      console.log(`  ${key}${choices} = ${JSON.stringify(initial[key])}${field ? `  (${field.message})` : ''}`);
    }
    console.log('');
  }
}

async function generate(args: Args): Promise<number> {
  const [, name] = args.positional;
  const dest = resolve(typeof args.flags.dest === 'string' ? args.flags.dest : '.');
  const force = args.flags.force === true;
  if (name && !findGenerator(name)) throw new UsageError(`unknown generator "${name}" (${generators.map((g) => g.name).join(', ')})`);

  if (args.flags.answers !== undefined || args.flags.defaults === true) {
    if (!name) throw new UsageError('--answers and --defaults need a generator name');
    const gen = findGenerator(name)!;
    let answers: unknown = {};
    if (typeof args.flags.answers === 'string') {
      try {
        answers = JSON.parse(readFileSync(resolve(args.flags.answers), 'utf8'));
      } catch (error) {
        throw new UsageError(`cannot read answers from ${args.flags.answers}: ${(error as Error).message}`);
      }
    }
    const files = gen.render(validate(gen, answers));
    const written = writeFiles(dest, files, force);
    for (const file of written) console.log(`  created ${join(dest, file)}`);
    console.log(`${name}: ${written.length} files in ${dest}`);
    return 0;
  }

  // Interactive: plop's own prompts (inquirer), then the same actions the tests run.
  const plop = await nodePlop('', { destBasePath: dest, force });
  plopfile(plop);
  let chosen = name;
  if (!chosen) {
    // node-plop hands out its inquirer instance at run time; its type declarations omit it.
    const { inquirer } = plop as unknown as { inquirer: { prompt(questions: object[]): Promise<Record<string, unknown>> } };
    const { generator } = await inquirer.prompt([
      { type: 'list', name: 'generator', message: 'Generator', choices: plop.getGeneratorList().map((g) => ({ name: `${g.name}: ${g.description}`, value: g.name })) },
    ]);
    chosen = generator as string;
  }
  const generator = plop.getGenerator(chosen);
  const answers = await generator.runPrompts();
  const { changes, failures } = await generator.runActions(answers);
  for (const change of changes) console.log(`  ${change.path}`);
  for (const failure of failures) console.error(`error: ${failure.error}`);
  return failures.length ? 1 : 0;
}

function syncShipped(args: Args): number {
  const root = resolve(typeof args.flags.root === 'string' ? args.flags.root : '.');
  const w = writeFiles(join(root, 'workflows'), shippedWorkflows(), true);
  const m = writeFiles(join(root, 'infra/monitoring'), shippedMonitoring(), true);
  console.log(`wrote ${w.length} workflows and ${m.length} monitoring files under ${root}`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    const [command] = args.positional;
    if (!command || args.flags.help) {
      console.log(USAGE);
      return command || args.flags.help ? 0 : 2;
    }
    if (command === 'list') {
      list();
      return 0;
    }
    if (command === 'generate') return await generate(args);
    if (command === 'sync-shipped') return syncShipped(args);
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof AnswerError) {
      console.error(error.message);
      return 2;
    }
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
} else {
  // Loaded, not executed: the bundle doubles as a plopfile for plain `plop --plopfile <this file>`.
  // plop import()s it, and an ES import of CommonJS sees module.exports as the default export,
  // so module.exports itself must be the plopfile function.
  module.exports = Object.assign(plopfile, { main });
}
