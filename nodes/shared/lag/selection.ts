import { KafkaSuiteError } from '../errors';

/** Which consumer groups to evaluate: explicit names, or a /regex/ over the cluster's groups. */
export type GroupSelection = { kind: 'names'; names: string[] } | { kind: 'regex'; pattern: RegExp; source: string };

/** Parses "a, b, c" or "/^orders-.*$/i". */
export function parseGroupSelection(input: string): GroupSelection {
  const text = (input ?? '').trim();
  const regex = /^\/(.+)\/([a-z]*)$/s.exec(text);
  if (regex) {
    const [, body, flags] = regex;
    if (/[gy]/.test(flags)) {
      throw new KafkaSuiteError(`Groups: the flags "g" and "y" make a pattern stateful; leave them out of ${text}`, { kind: 'config', context: { field: 'groups' } });
    }
    try {
      return { kind: 'regex', pattern: new RegExp(body, flags), source: text };
    } catch (error) {
      throw new KafkaSuiteError(`Groups: ${text} is not a valid regular expression: ${(error as Error).message}`, { kind: 'config', context: { field: 'groups' } });
    }
  }
  const names = [...new Set(text.split(',').map((name) => name.trim()).filter(Boolean))];
  if (!names.length) {
    throw new KafkaSuiteError('Groups: give one or more consumer group names separated by commas, or a /regular expression/', {
      kind: 'config',
      context: { field: 'groups' },
    });
  }
  return { kind: 'names', names };
}

/** The groups to evaluate among those the cluster lists, plus named groups it does not know. */
export function selectGroups(selection: GroupSelection, existing: readonly string[]): { present: string[]; missing: string[] } {
  if (selection.kind === 'regex') return { present: existing.filter((name) => selection.pattern.test(name)).sort(), missing: [] };
  const known = new Set(existing);
  return { present: selection.names.filter((name) => known.has(name)), missing: selection.names.filter((name) => !known.has(name)) };
}
