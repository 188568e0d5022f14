import { z } from 'zod';

const JAVA_KEYWORDS = new Set(
  'abstract assert boolean break byte case catch char class const continue default do double else enum extends final finally float for goto if implements import instanceof int interface long native new package private protected public return short static strictfp super switch synchronized this throw throws transient try void volatile while true false null record yield var sealed permits'.split(
    ' ',
  ),
);

/** Kafka's own rule (Topic.validate): 1-249 chars of [a-zA-Z0-9._-], not "." or "..". */
export const topicName = z
  .string()
  .min(1, 'topic name is empty')
  .max(249, 'topic name is longer than 249 characters')
  .regex(/^[a-zA-Z0-9._-]+$/, 'topic names may only contain letters, digits, ".", "_" and "-"')
  .refine((s) => s !== '.' && s !== '..', 'topic name cannot be "." or ".."');

export const javaPackage = z
  .string()
  .regex(/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/, 'not a Java package name (lower-case identifiers separated by dots)')
  .refine((s) => s.split('.').every((part) => !JAVA_KEYWORDS.has(part)), 'a Java package segment is a reserved word');

/** Maven coordinates, Docker/compose project names, Terraform identifiers: conservative on purpose. */
export const slug = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'use lower-case letters, digits and "-", starting with a letter');
export const identifier = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'use lower-case letters, digits and "_", starting with a letter');

export const positiveInt = (max: number) => z.coerce.number().int('must be an integer').min(1, 'must be at least 1').max(max, `must be at most ${max}`);

/** Lists may arrive as arrays (answers.json) or comma-separated strings (prompts). */
export function commaList<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : v,
    z.array(item),
  );
}
