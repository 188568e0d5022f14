import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { INodeType, INodeTypeBaseDescription } from 'n8n-workflow';
import packageJson from '../../package.json';

// Everything the editor shows of each node and credential, as a snapshot: the description blocks are
// shared between nodes (nodes/shared/descriptions), and a refactor of them must not change a single
// field a user sees. An icon is recorded as the hash of the file n8n would load (resolved the way n8n
// resolves `file:` icons: relative to the file package.json lists), so moving an icon file is fine
// and changing the picture is not.

const root = path.resolve(__dirname, '..', '..');
const sourceOf = (distPath: string) => path.join(root, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));

function loadExport(distPath: string): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(sourceOf(distPath));
  const exported = Object.values(module).find((value) => typeof value === 'function');
  if (!exported) throw new Error(`${distPath} exports no class`);
  return new (exported as new () => unknown)();
}

function iconFile(fromDir: string, icon: string): string {
  expect(icon).toMatch(/^file:/);
  const file = path.resolve(fromDir, icon.slice('file:'.length));
  expect([icon, existsSync(file)]).toEqual([icon, true]);
  return `svg sha256:${createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16)}`;
}

function resolveIcon(fromDir: string, icon: unknown): unknown {
  if (typeof icon === 'string') return iconFile(fromDir, icon);
  if (icon && typeof icon === 'object') {
    const { light, dark } = icon as { light: string; dark: string };
    return { light: iconFile(fromDir, light), dark: iconFile(fromDir, dark) };
  }
  return icon;
}

const withIcon = <T extends { icon?: unknown }>(fromDir: string, description: T): T => ({ ...description, icon: resolveIcon(fromDir, description.icon) });

describe('what the editor shows is unchanged', () => {
  test.each(packageJson.n8n.nodes)('%s', (file) => {
    const node = loadExport(file);
    const dir = path.dirname(sourceOf(file));
    const versions = node.nodeVersions ? (node.nodeVersions as Record<string, INodeType>) : { 1: node as INodeType };
    const snapshot = {
      base: withIcon(dir, node.description as INodeTypeBaseDescription),
      versions: Object.fromEntries(
        Object.entries(versions).map(([version, type]) => [
          version,
          {
            description: withIcon(dir, type.description),
            methods: Object.fromEntries(Object.entries(type.methods ?? {}).map(([kind, table]) => [kind, Object.keys(table as object).sort()])),
            runs: ['execute', 'poll', 'trigger', 'webhook'].filter((fn) => typeof (type as unknown as Record<string, unknown>)[fn] === 'function'),
          },
        ]),
      ),
    };
    expect(snapshot).toMatchSnapshot();
  });

  test.each(packageJson.n8n.credentials)('%s', (file) => {
    const credential = loadExport(file);
    expect(withIcon(path.dirname(sourceOf(file)), { ...credential })).toMatchSnapshot();
  });
});
