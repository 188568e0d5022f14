// (e) Interop with kcat (librdkafka), a peer we did not write:
//   - messages kcat produces with lz4, zstd and snappy compression, keys and headers arrive intact
//     through our Kafka Suite Trigger in a published workflow (forwarded by our producer, read here);
//   - messages our Kafka Producer (Suite) sends, compressed with every codec, are read intact by kcat.
import { spawnSync } from 'node:child_process';
import { ensureCommand } from '../setup/tools';
import { brokers, chain, clusterCredential, itemsNode, manualTrigger, n8n, NODE_TYPES, nodeOutput, runWorkflow, waitFor } from './n8n';
import { consume, createTopics, uniqueName } from './kafka';

let kcat: string;
beforeAll(() => {
  kcat = ensureCommand('kcat', 'kcat');
});

function kcatRun(args: string[], input?: string): string {
  const r = spawnSync(kcat, ['-b', brokers(), ...args], { input, encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`kcat ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
  return r.stdout;
}

const CODECS_FROM_KCAT = ['lz4', 'zstd', 'snappy'] as const;

describe('kcat interop', () => {
  test('kcat-produced lz4/zstd/snappy messages with keys and headers arrive intact through our trigger', async () => {
    const topics = Object.fromEntries(CODECS_FROM_KCAT.map((c) => [c, uniqueName(`kcat-${c}`)]));
    const out = uniqueName('kcat-forwarded');
    await createTopics([...Object.values(topics), out]);
    const expected: Array<{ topic: string; key: string; value: unknown; codec: string }> = [];
    for (const codec of CODECS_FROM_KCAT) {
      const lines = [0, 1].map((i) => {
        const value = { codec, i, text: `héllo wörld ✓ ${codec} ${i}`, nested: { list: [1, 2, 3] } };
        expected.push({ topic: topics[codec], key: `${codec}-key-${i}`, value, codec });
        return `${codec}-key-${i}|${JSON.stringify(value)}`;
      });
      kcatRun(['-P', '-t', topics[codec], '-z', codec, '-K', '|', '-H', `codec=${codec}`, '-H', 'trace=kcat-ümlaut'], `${lines.join('\n')}\n`);
    }

    const cred = await clusterCredential();
    const client = n8n();
    const wf = await client.createWorkflow(
      chain('e2e kcat -> trigger', [
        {
          name: 'Kafka Trigger',
          type: NODE_TYPES.trigger,
          parameters: { topicSelection: 'names', topics: Object.values(topics).join(', '), groupId: uniqueName('kcat-group'), startFrom: 'earliest', valueFormat: 'json' },
          credentials: { kafkaSuiteClusterApi: cred },
        },
        {
          name: 'Forward',
          type: NODE_TYPES.producer,
          parameters: { topic: out, valueSource: 'json', serialization: 'json', key: '={{ $json.key }}' },
          credentials: { kafkaSuiteClusterApi: cred },
        },
      ]),
    );
    await client.publish(wf.id);
    try {
      const forwarded = await consume(out, expected.length, { timeout: 90000 });
      const byKey = Object.fromEntries(forwarded.map((m) => [m.key, JSON.parse(m.value!)]));
      for (const e of expected) {
        const item = byKey[e.key];
        expect(item).toBeDefined();
        expect(item.topic).toBe(e.topic);
        expect(item.key).toBe(e.key);
        expect(item.value).toEqual(e.value);
        expect(item.headers).toEqual(expect.objectContaining({ codec: e.codec, trace: 'kcat-ümlaut' }));
      }
    } finally {
      await client.unpublish(wf.id);
    }
  });

  test('messages our producer sends with gzip/lz4/snappy/zstd are read intact by kcat', async () => {
    const codecs = ['gzip', 'lz4', 'snappy', 'zstd'];
    const topics = Object.fromEntries(codecs.map((c) => [c, uniqueName(`ours-${c}`)]));
    await createTopics(Object.values(topics));
    const items = [0, 1, 2].map((i) => ({ id: `k-${i}`, text: `grüße ${i} ✓`, n: i }));
    const cred = await clusterCredential();
    const wf = chain('e2e producer -> kcat', [manualTrigger, itemsNode('Items', items)]);
    // One producer per codec, all fed by the Items node.
    for (const [i, codec] of codecs.entries()) {
      wf.nodes.push({
        id: `producer-${codec}`,
        name: `Producer ${codec}`,
        type: NODE_TYPES.producer,
        typeVersion: 1,
        position: [480, i * 160],
        parameters: {
          topic: topics[codec],
          valueSource: 'json',
          serialization: 'json',
          key: '={{ $json.id }}',
          headersMode: 'list',
          headerList: { header: [{ name: 'codec', value: codec, type: 'string' }, { name: 'greeting', value: 'grüß dich', type: 'string' }] },
          options: { compression: codec },
        },
        credentials: { kafkaSuiteClusterApi: cred },
      });
    }
    wf.connections.Items = { main: [codecs.map((c) => ({ node: `Producer ${c}`, type: 'main', index: 0 }))] };
    const execution = await runWorkflow(wf);
    for (const codec of codecs) expect(nodeOutput(execution, `Producer ${codec}`)).toHaveLength(items.length);

    for (const codec of codecs) {
      // %k key, %s value, %h headers (name=value,...), one message per line; -e: stop at the end.
      const text = await waitFor(
        () => {
          const o = kcatRun(['-C', '-t', topics[codec], '-o', 'beginning', '-e', '-q', '-f', '%k\t%s\t%h\n']);
          return o.trim().split('\n').filter(Boolean).length >= items.length ? o : undefined;
        },
        { timeout: 30000, what: `kcat to read ${items.length} messages from ${topics[codec]}` },
      );
      const rows = text.trim().split('\n').map((l) => l.split('\t'));
      expect(rows).toHaveLength(items.length);
      for (const [key, value, headers] of rows) {
        const item = items.find((x) => x.id === key);
        expect(item).toBeDefined();
        expect(JSON.parse(value)).toEqual(item);
        expect(headers.split(',').sort()).toEqual([`codec=${codec}`, 'greeting=grüß dich'].sort());
      }
    }
  });
});
