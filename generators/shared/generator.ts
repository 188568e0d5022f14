import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import type { z } from 'zod';

/** Relative path → file content. Rendering is pure; writing happens in one place (writeFiles). */
export type Files = Record<string, string>;

/** One answer as shown by prompts and `kafka-suite list`; the zod schema stays the authority. */
export interface Field {
  name: string;
  message: string;
  type: 'input' | 'list' | 'confirm' | 'checkbox' | 'number';
  choices?: readonly string[];
  /** Shown only when this returns true for the answers given so far. */
  when?: (answers: Record<string, unknown>) => boolean;
}

export interface GeneratorModule<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  schema: S;
  fields: Field[];
  render(answers: z.output<S>): Files;
}

export class AnswerError extends Error {
  constructor(
    readonly generator: string,
    readonly issues: { field: string; message: string }[],
  ) {
    super(`Invalid answers for ${generator}:\n${issues.map((i) => `  - ${i.field}: ${i.message}`).join('\n')}`);
    this.name = 'AnswerError';
  }
}

/** Validates every field at once; the error lists each bad field by its dotted path. */
export function validate<S extends z.ZodType>(gen: GeneratorModule<S>, answers: unknown): z.output<S> {
  const result = gen.schema.safeParse(answers ?? {});
  if (result.success) return result.data;
  throw new AnswerError(
    gen.name,
    result.error.issues.flatMap((issue) => {
      const at = issue.path.map(String);
      // An unknown key is reported under its own name, so a typo is as easy to find as a bad value.
      if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => ({ field: [...at, k].join('.'), message: 'unknown answer' }));
      return [{ field: at.length ? at.join('.') : '(answers)', message: issue.message }];
    }),
  );
}

export function defaults<S extends z.ZodType>(gen: GeneratorModule<S>): z.output<S> {
  return validate(gen, {});
}

/** Path of a generated file below dest; refuses absolute paths and `..` so answers cannot escape dest. */
function target(dest: string, rel: string): string {
  const clean = normalize(rel);
  if (isAbsolute(clean) || clean === '..' || clean.startsWith(`..${sep}`)) throw new Error(`refusing to write outside the destination: ${rel}`);
  return join(dest, clean);
}

/**
 * Checks every target first and only then writes, so a conflict leaves dest untouched instead of
 * half-generated. Existing files are overwritten only with force.
 */
export function writeFiles(dest: string, files: Files, force: boolean): string[] {
  const paths = Object.keys(files).sort();
  const existing = paths.filter((p) => existsSync(target(dest, p)));
  if (existing.length && !force) {
    throw new Error(`refusing to overwrite existing files (use --force): ${existing.join(', ')}`);
  }
  for (const p of paths) {
    const file = target(dest, p);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, files[p]);
  }
  return paths;
}
