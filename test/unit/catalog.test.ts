import { renderCatalog, renderMermaid, sourceConnectorTopics } from '../../nodes/shared';

const topic = (name: string) => ({ name, partitions: 1, replicationFactor: 1, overrides: {}, retainedMessages: 0, recentMessages: 0, schemas: [] });

describe('topic catalog rendering', () => {
  test('group IDs with quotes, angle brackets and pipes stay inside their Mermaid label and table cell', () => {
    const groups = [{ groupId: 'team "a" <b>|c', state: 'Stable', members: 1, topics: ['orders'], lag: 0 }];
    const mermaid = renderMermaid({ topics: [topic('orders')], groups, producers: [] });
    expect(mermaid.split('\n')).toEqual([
      'flowchart LR',
      '  g0{{"team #quot;a#quot; #lt;b#gt;|c"}}',
      '  t0[("orders")]',
      '  t0 --> g0',
      '  classDef producer fill:#e8f4ea,stroke:#2e7d32;',
      '  classDef topic fill:#e3f2fd,stroke:#1565c0;',
      '  classDef group fill:#fff3e0,stroke:#ef6c00;',
      '  class t0 topic;',
      '  class g0 group;',
    ]);
    const { markdown } = renderCatalog({ title: 'T', generatedAt: 'now', brokers: ['b:9092'], windowMs: 60_000, topics: [topic('orders')], groups, producers: [], notes: [] });
    expect(markdown).toContain('| team "a" <b>\\|c | Stable | 1 | orders | 0 |');
  });

  test('producers and groups of topics outside the catalog draw no edge', () => {
    const mermaid = renderMermaid({
      topics: [topic('a')],
      groups: [{ groupId: 'g', state: 'Empty', members: 0, topics: ['elsewhere'], lag: 0 }],
      producers: [{ name: 'p', kind: 'declared', topics: ['elsewhere'] }],
    });
    expect(mermaid).not.toContain('-->');
  });

  test('a schema containing backticks gets a longer fence', () => {
    const schema = { subject: 'a-value', role: 'value' as const, version: 1, id: 1, schemaType: 'PROTOBUF', schema: 'syntax = "proto3";\n// ``` in a comment\nmessage A {}' };
    const { markdown } = renderCatalog({ title: 'T', generatedAt: 'now', brokers: [], windowMs: 0, topics: [{ ...topic('a'), schemas: [schema] }], groups: [], producers: [], notes: [] });
    expect(markdown).toContain('````protobuf\nsyntax = "proto3";\n// ``` in a comment\nmessage A {}\n````');
  });

  test('source connector topics: fixed topic, list, Debezium prefix, MirrorMaker alias', () => {
    const topics = ['orders', 'pg.public.users', 'pg.public.items', 'eu.orders', 'other'];
    expect(sourceConnectorTopics({ topic: 'orders' }, topics)).toEqual(['orders']);
    expect(sourceConnectorTopics({ 'topic.prefix': 'pg' }, topics)).toEqual(['pg.public.items', 'pg.public.users']);
    expect(sourceConnectorTopics({ 'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector', 'source.cluster.alias': 'eu' }, topics)).toEqual(['eu.orders']);
    expect(sourceConnectorTopics({ topics: 'orders, other' }, topics)).toEqual(['orders', 'other']);
  });
});
