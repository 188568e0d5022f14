import * as path from 'node:path';
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import packageJson from '../../package.json';

// What n8n reads from the package: every node and credential listed in package.json loads, and
// every credential a node uses is tested by a method the node really has (the lint rule for this
// cannot follow our versioned layout, so it is checked here).

const root = path.resolve(__dirname, '..', '..');
const sourceOf = (distPath: string) => path.join(root, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));

function loadExport(distPath: string): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(sourceOf(distPath));
  const exported = Object.values(module).find((value) => typeof value === 'function');
  if (!exported) throw new Error(`${distPath} exports no class`);
  return new (exported as new () => unknown)();
}

function versionsOf(node: any): Array<{ version: number; type: INodeType }> {
  if (node.nodeVersions) {
    return Object.entries(node.nodeVersions as Record<string, INodeType>).map(([version, type]) => ({ version: Number(version), type }));
  }
  return [{ version: 1, type: node as INodeType }];
}

const credentialNames = packageJson.n8n.credentials.map((file) => loadExport(file).name as string);
const nodes = packageJson.n8n.nodes.map((file) => ({ file, node: loadExport(file) }));

describe('package.json n8n block', () => {
  it('lists the six nodes and the credentials they use', () => {
    const names = nodes.map(({ node }) => (node.description as INodeTypeDescription).name).sort();
    expect(names).toEqual(['kafkaSuiteAdmin', 'kafkaSuiteLagCheck', 'kafkaSuiteLagTrigger', 'kafkaSuiteProducer', 'kafkaSuiteSchemaRegistry', 'kafkaSuiteTrigger']);
    expect(credentialNames.sort()).toEqual(['kafkaSuiteClusterApi', 'kafkaSuiteConnectApi', 'kafkaSuiteSchemaRegistryApi']);
  });
});

describe.each(nodes.map(({ file, node }) => [file, node] as const))('%s', (_file, node) => {
  it.each(versionsOf(node).map(({ version, type }) => [version, type] as const))('version %s: credentials are known and tested by a method of the node', (_version, type) => {
    const description = type.description;
    expect(description.credentials?.length).toBeGreaterThan(0);
    for (const credential of description.credentials ?? []) {
      expect(credentialNames).toContain(credential.name);
      expect(credential.testedBy).toEqual(expect.any(String));
      const tests = (type.methods?.credentialTest ?? {}) as Record<string, unknown>;
      expect(typeof tests[credential.testedBy as string]).toBe('function');
    }
  });

  it('regular nodes are usable as AI tools; triggers have no inputs', () => {
    for (const { type } of versionsOf(node)) {
      const description = type.description;
      const isTrigger = description.group.includes('trigger') || Boolean(description.polling);
      if (isTrigger) expect(description.inputs).toEqual([]);
      else expect(description.usableAsTool).toBe(true);
    }
  });
});
