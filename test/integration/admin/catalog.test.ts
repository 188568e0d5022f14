// The Markdown catalog from the live cluster, registry and Connect worker: every topic with its
// schema, the groups reading it and its producers, and a Mermaid diagram with exactly those edges.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { KafkaSuiteAdmin } from '../../../nodes/KafkaSuiteAdmin/KafkaSuiteAdmin.node';
import { clientPool } from '../../../nodes/shared';
import { createExecuteContext } from '../../helpers/n8nContext';
import { facts } from '../../setup/facts';
import { clusterCredential, runNode, testKafka, unique } from './harness';

const tk = testKafka();
const connectors: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'catalog-'));

async function rest(method: string, url: string, body?: unknown) {
  const response = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: await response.text() };
}

afterAll(async () => {
  for (const name of connectors) await rest('DELETE', `${facts.connectUrl}/connectors/${name}`);
  await clientPool.closeAll();
  await tk.closeAll();
  rmSync(dir, { recursive: true, force: true });
});

/** Mermaid edges as "from-label --> to-label", resolving the node ids the renderer chose. */
function edgesOf(mermaid: string): string[] {
  const labels = new Map<string, string>();
  for (const m of mermaid.matchAll(/^\s+([ptg]\d+)(?:\(\[|\[\(|\{\{)"([^"]*)"/gm)) labels.set(m[1], m[2]);
  return [...mermaid.matchAll(/^\s+([ptg]\d+) --> ([ptg]\d+)$/gm)].map((m) => `${labels.get(m[1])} --> ${labels.get(m[2])}`).sort();
}

describe('Kafka Admin node: Markdown catalog', () => {
  test('topics, their schemas, groups and producers, with a Mermaid diagram of producers → topics → groups', async () => {
    const p = unique('cat');
    const [orders, audit, lonely] = [`${p}-orders`, `${p}-audit`, `${p}-lonely`];
    await tk.createTopic(orders, 3, [{ name: 'retention.ms', value: '86400000' }]);
    await tk.createTopic(audit, 1, [{ name: 'cleanup.policy', value: 'compact' }]);
    await tk.createTopic(lonely, 1);
    const avro = { type: 'record', name: 'Order', namespace: 'shop', fields: [{ name: 'id', type: 'string' }, { name: 'total', type: 'double' }] };
    const registered = await rest('POST', `${facts.schemaRegistryUrl}/subjects/${orders}-value/versions`, { schema: JSON.stringify(avro) });
    expect(registered.status).toBe(200);
    const schemaId = JSON.parse(registered.body).id as number;
    await tk.produce(orders, [{ value: 'a' }, { value: 'b' }, { value: 'c' }]);
    await tk.commit(`${p}-billing`, orders, [0, 1, 2].map((partition) => ({ partition, offset: '0' })));
    await tk.commit(`${p}-auditor`, audit, [{ partition: 0, offset: '0' }]);
    const source = `${p}-file-source`;
    connectors.push(source);
    const created = await rest('PUT', `${facts.connectUrl}/connectors/${source}/config`, {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'tasks.max': '1',
      file: join(dir, 'in.txt'),
      topic: audit,
    });
    expect(created.status).toBe(201);

    const [item] = await runNode({
      resource: 'export',
      operation: 'catalog',
      topicFilter: `${p}-*`,
      catalogTitle: 'Shop topics',
      catalogSchemas: true,
      catalogConnectors: true,
      producers: { producer: [{ name: 'checkout-service', topics: `${orders}, ${p}-missing` }] },
      binary: true,
    });
    const out = item.json as Record<string, any>;
    expect(out).toMatchObject({ topics: 3, groups: 2, schemas: 1 });
    expect(out.notes).toEqual([`Producer "checkout-service" names topic(s) not in this catalog: ${p}-missing.`]);
    expect(edgesOf(out.mermaid)).toEqual([`${audit} --> ${p}-auditor`, `${orders} --> ${p}-billing`, `${source} --> ${audit}`, `checkout-service --> ${orders}`].sort());
    expect(out.mermaid).toContain(`[("${lonely}")]`);

    const md = out.markdown as string;
    expect(md.startsWith('# Shop topics\n')).toBe(true);
    expect(md).toContain('```mermaid\nflowchart LR\n');
    expect(md).toContain(`| [${orders}](#topic-${orders}) | 3 | 1 | 3 | ${orders}-value | ${p}-billing |`);
    expect(md).toContain(`| [${lonely}](#topic-${lonely}) | 1 | 1 | 0 | — | — |`);
    expect(md).toContain(`### Topic ${audit}\n`);
    expect(md).toContain('- Config overrides: `cleanup.policy=compact`');
    expect(md).toContain('- Config overrides: `retention.ms=86400000`');
    expect(md).toMatch(new RegExp(`- Written by: ${source} \\(source connector, [A-Z]+\\)`));
    expect(md).toContain(`#### Value schema \`${orders}-value\` (version 1, id ${schemaId}, AVRO)`);
    // The schema as the registry holds it, pretty-printed in a json block.
    const block = md.split(`id ${schemaId}, AVRO)\n\n\`\`\`json\n`)[1].split('\n```')[0];
    expect(JSON.parse(block)).toEqual(avro);
    expect(Buffer.from(item.binary!.catalog.data, 'base64').toString('utf8')).toBe(md);
    expect(item.binary!.catalog).toMatchObject({ fileName: 'kafka-catalog.md', mimeType: 'text/markdown' });
  });

  test('an unreachable Connect worker is said in the document instead of failing it; no matching topic is an error', async () => {
    const p = unique('cat-nc');
    await tk.createTopic(`${p}-t`, 1);
    const context = createExecuteContext({
      parameters: { resource: 'export', operation: 'catalog', topicFilter: `${p}-*`, catalogSchemas: false, catalogConnectors: true },
      // Nothing listens on port 9: the worker is unreachable.
      credentials: { kafkaSuiteClusterApi: clusterCredential(), kafkaSuiteConnectApi: { url: 'http://127.0.0.1:9', authType: 'none', timeoutMs: 2000 } },
    });
    const [[item]] = (await (new KafkaSuiteAdmin().nodeVersions[1] as INodeType).execute!.call(context as unknown as IExecuteFunctions)) as INodeExecutionData[][];
    expect(item.json).toMatchObject({ topics: 1, schemas: 0, notes: [expect.stringMatching(/^Kafka Connect at http:\/\/127\.0\.0\.1:9 could not be read \(.+\); its source connectors are not shown\.$/)] });
    expect(item.json.markdown).toContain('> Kafka Connect at http://127.0.0.1:9 could not be read');
    await expect(runNode({ resource: 'export', operation: 'catalog', topicFilter: `${p}-nothing-*`, catalogSchemas: false })).rejects.toThrow('No topic matched the filter');
  });
});
