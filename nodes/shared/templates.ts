import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import Handlebars from 'handlebars';

/**
 * Templates ship as plain files next to the code: `templates/` in the repo, `dist/templates/` in
 * the package. The same code runs from source (ts-jest), from tsc output (dist/nodes/shared/...)
 * and from the esbuild bundles (dist/bin, dist/nodes/shared/terraform), each at a different depth,
 * so we look upwards.
 */
export function templatesRoot(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'templates');
    if (existsSync(join(candidate, '_partials'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`kafka-suite: templates/ not found above ${__dirname}`);
    dir = parent;
  }
}

/** A private Handlebars instance: plop's global one must not see our helpers twice, nor we its. */
const hbs = Handlebars.create();
let registered = false;
const compiled = new Map<string, Handlebars.TemplateDelegate>();

/** Escapes a value for a double-quoted HCL / Java / JSON string literal. */
export function quoteString(value: unknown): string {
  return JSON.stringify(String(value ?? ''));
}

/** Helpers and partials are registered once for every generator (and the Admin node's export). */
export function registerShared(): typeof hbs {
  if (registered) return hbs;
  registered = true;
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('includes', (list: unknown, item: unknown) => Array.isArray(list) && list.includes(item));
  // Literal strings are emitted through JSON.stringify so quotes and backslashes can never break out.
  hbs.registerHelper('q', (value: unknown) => new hbs.SafeString(quoteString(value)));
  hbs.registerHelper('json', (value: unknown) => new hbs.SafeString(JSON.stringify(value)));
  hbs.registerHelper('pascal', (value: unknown) =>
    String(value ?? '')
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join(''),
  );
  hbs.registerHelper('snake', (value: unknown) =>
    String(value ?? '')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .toLowerCase(),
  );
  hbs.registerHelper('upper', (value: unknown) => String(value ?? '').toUpperCase());
  const partials = join(templatesRoot(), '_partials');
  for (const name of readdirSync(partials)) {
    if (name.endsWith('.hbs')) hbs.registerPartial(basename(name, '.hbs'), readFileSync(join(partials, name), 'utf8'));
  }
  return hbs;
}

/** Renders `templates/<path>` (path without `.hbs`). noEscape: we emit code, not HTML. */
export function render(path: string, data: object): string {
  const env = registerShared();
  let template = compiled.get(path);
  if (!template) {
    const source = readFileSync(join(templatesRoot(), `${path}.hbs`), 'utf8');
    template = env.compile(source, { noEscape: true, strict: true });
    compiled.set(path, template);
  }
  return template(data);
}

/** Every template file below `templates/<dir>`, relative to it and without `.hbs`. */
export function listTemplates(dir: string): string[] {
  const base = join(templatesRoot(), dir);
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.hbs')) out.push(relative(base, p).slice(0, -4));
    }
  };
  walk(base);
  return out.sort();
}
