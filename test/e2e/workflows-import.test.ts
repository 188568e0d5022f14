// (d) Every workflow in workflows/ and every workflow the n8n-workflow generator emits imports
// cleanly into the real n8n: the public API accepts it, every node type (ours and n8n's) is
// installed in the version the workflow uses, and every parameter name the workflow sets is one the
// node type declares (a renamed parameter would otherwise be dropped silently by the editor).
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderWorkflow } from '../../generators/n8n-workflow/render';
import { workflowSchema } from '../../generators/n8n-workflow/schema';
import { WORKFLOW_VARIANTS } from '../generators/helpers/variants';
import { clusterCredential, n8n, registryCredential, ROOT } from './n8n';

interface NodeTypeDescription {
  name: string;
  version: number | number[];
  properties: Array<{ name: string }>;
}

// Extra answer sets beyond the generator tests' variants: non-default choices end up in the JSON too.
const EXTRA_ANSWERS = [
  { workflow: 'kafka-to-webhook', topic: 'payments', groupId: 'n8n-payments', startFrom: 'earliest', webhookUrl: 'https://example.com/hook' },
  { workflow: 'kafka-to-postgres', topic: 'orders', groupId: 'pg-sink', postgresTable: 'orders_log', startFrom: 'earliest' },
  { workflow: 'dead-letter-replay', topic: 'orders', groupId: 'replayer', deadLetterTopic: 'orders.dlq' },
  { workflow: 'lag-alert', alertChannel: 'email', lagGroups: 'a, b', emailTo: 'ops@example.com' },
];

function shippedWorkflows(): Array<[string, any]> {
  const dir = path.join(ROOT, 'workflows');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [`workflows/${f}`, JSON.parse(readFileSync(path.join(dir, f), 'utf8'))]);
}

function generatedWorkflows(): Array<[string, any]> {
  const answers = [...WORKFLOW_VARIANTS.map((v) => v.answers), ...EXTRA_ANSWERS];
  return answers.flatMap((a, i) =>
    Object.entries(renderWorkflow(workflowSchema.parse(a))).map(([file, text]): [string, any] => [`generated #${i} ${file}`, JSON.parse(text)]),
  );
}

const cases = [...shippedWorkflows(), ...generatedWorkflows()];

describe('workflows import into n8n', () => {
  let types: Map<string, NodeTypeDescription[]>;
  let byType: Record<string, { id: string; name: string }>;

  beforeAll(async () => {
    const all: NodeTypeDescription[] = await n8n().rest('GET', '/types/nodes.json');
    types = new Map();
    for (const t of all) types.set(t.name, [...(types.get(t.name) ?? []), t]);
    byType = { kafkaSuiteClusterApi: await clusterCredential(), kafkaSuiteSchemaRegistryApi: await registryCredential() };
  });

  test('there is something to import', () => {
    expect(shippedWorkflows().length).toBeGreaterThan(0);
    expect(generatedWorkflows().length).toBeGreaterThan(0);
  });

  test.each(cases)('%s', async (_label, wf) => {
    const problems: string[] = [];
    for (const node of wf.nodes) {
      const versions = types.get(node.type);
      if (!versions) {
        problems.push(`node "${node.name}": type ${node.type} is not installed in n8n`);
        continue;
      }
      const description = versions.find((d) => (Array.isArray(d.version) ? d.version : [d.version]).includes(node.typeVersion));
      if (!description) {
        problems.push(`node "${node.name}": ${node.type} has no version ${node.typeVersion} (has ${versions.map((d) => d.version).join(', ')})`);
        continue;
      }
      const declared = new Set(description.properties.map((p) => p.name));
      for (const key of Object.keys(node.parameters ?? {})) {
        if (!declared.has(key)) problems.push(`node "${node.name}": parameter "${key}" is not a parameter of ${node.type} v${node.typeVersion}`);
      }
    }
    expect(problems).toEqual([]);

    // Credential references to our types point at real credentials, as `npm start` does it.
    const nodes = wf.nodes.map((n: any) => ({
      ...n,
      credentials: n.credentials
        ? Object.fromEntries(Object.entries(n.credentials).map(([type, ref]) => [type, byType[type] ?? ref]))
        : undefined,
    }));
    const created = await n8n().createWorkflow({ ...wf, nodes });
    const stored = await n8n().getWorkflow(created.id);
    expect(stored.nodes.map((n: any) => n.type)).toEqual(wf.nodes.map((n: any) => n.type));
    expect(stored.nodes.map((n: any) => n.parameters)).toEqual(wf.nodes.map((n: any) => n.parameters));
    await n8n().deleteWorkflow(created.id);
  });
});
