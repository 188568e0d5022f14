import type { ActionType, NodePlopAPI } from 'node-plop';
import { defaults, validate, writeFiles, type Field, type GeneratorModule } from './shared/generator';
import { generators } from './registry';

const WRITE = 'kafka-suite:write';

/** inquirer reads a numeric list default as an index and wants lists typed as text. */
function promptDefault(f: Field, value: unknown): unknown {
  if (f.type === 'list' && value !== undefined) return String(value);
  if (Array.isArray(value) && f.type !== 'checkbox') {
    return value.map((v) => (v && typeof v === 'object' && 'name' in v ? [v.name, (v as any).partitions, (v as any).replicationFactor].join(':') : String(v))).join(',');
  }
  return value;
}

function prompts(gen: GeneratorModule<any>) {
  const initial = defaults(gen) as Record<string, unknown>;
  return gen.fields.map((f: Field) => ({
    type: f.type,
    name: f.name,
    message: f.message,
    choices: f.choices ? [...f.choices] : undefined,
    default: promptDefault(f, initial[f.name]),
    when: f.when,
  }));
}

/**
 * Only a registry: each generator module owns its prompts, schema and rendering. Validation runs
 * inside the actions so that `runActions(answers)` (tests, CI) and interactive runs take the same
 * path; a bad answer becomes one failure that names every bad field, before anything is written.
 */
export default function plopfile(plop: NodePlopAPI): void {
  // Async on purpose: node-plop turns a rejected promise into { type, path, error }, while a
  // synchronous throw would reach `failures` as a bare Error without the message field.
  plop.setActionType(WRITE, async (_answers, config) => {
    const cfg = config as unknown as { files: Record<string, string>; force?: boolean };
    const written = writeFiles(plop.getDestBasePath(), cfg.files, cfg.force === true);
    return `${written.length} files: ${written.join(', ')}`;
  });
  for (const gen of generators) {
    plop.setGenerator(gen.name, {
      description: gen.description,
      prompts: prompts(gen),
      actions: (answers) => {
        let files: Record<string, string>;
        try {
          files = gen.render(validate(gen, answers));
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return [
            async () => {
              throw new Error(message);
            },
          ];
        }
        return [{ type: WRITE, files, abortOnFail: true } as unknown as ActionType];
      },
    });
  }
}
