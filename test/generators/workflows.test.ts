import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CREDENTIAL_TYPES, NODE_TYPES } from '../../generators/n8n-workflow/nodes';
import { shippedWorkflows } from '../../generators/shipped';
import { ROOT, runGenerator } from './helpers/plop';
import { WORKFLOW_VARIANTS, tempDir } from './helpers/variants';

const OUR_TYPES = new Set<string>(Object.values(NODE_TYPES));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The parts of n8n's workflow format an import relies on. */
function expectValidWorkflow(wf: any): void {
  expect(Object.keys(wf)).toEqual(expect.arrayContaining(['name', 'nodes', 'connections', 'settings']));
  expect(typeof wf.name).toBe('string');
  const names = new Set<string>();
  const ids = new Set<string>();
  for (const node of wf.nodes) {
    expect(node).toEqual(
      expect.objectContaining({
        id: expect.stringMatching(UUID),
        name: expect.any(String),
        type: expect.stringMatching(/^[\w-]+\.\w+$/),
        typeVersion: expect.any(Number),
        position: [expect.any(Number), expect.any(Number)],
        parameters: expect.any(Object),
      }),
    );
    names.add(node.name);
    ids.add(node.id);
    for (const [type, ref] of Object.entries<any>(node.credentials ?? {})) {
      expect(Object.keys(ref).sort()).toEqual(['id', 'name']);
      expect(typeof type).toBe('string');
    }
    if (OUR_TYPES.has(node.type)) {
      expect(node.typeVersion).toBe(1);
      // The Admin node's connector operations talk to Kafka Connect only.
      expect(Object.keys(node.credentials)).toEqual([node.parameters.resource === 'connector' ? CREDENTIAL_TYPES.connect : CREDENTIAL_TYPES.cluster]);
    }
  }
  expect(names.size).toBe(wf.nodes.length);
  expect(ids.size).toBe(wf.nodes.length);
  for (const [source, outputs] of Object.entries<any>(wf.connections)) {
    expect(names).toContain(source);
    for (const branch of outputs.main) for (const c of branch) {
      expect(names).toContain(c.node);
      expect(c).toEqual({ node: c.node, type: 'main', index: 0 });
    }
  }
  // Every node but the trigger has an incoming connection.
  const targets = new Set(Object.values<any>(wf.connections).flatMap((o) => o.main.flat().map((c: any) => c.node)));
  expect(wf.nodes.filter((n: any) => !targets.has(n.name))).toHaveLength(1);
}

describe('n8n-workflow output', () => {
  const root = tempDir('wf');
  const workflows: Record<string, any> = {};

  beforeAll(async () => {
    for (const v of WORKFLOW_VARIANTS) {
      const dest = join(root, v.id);
      const { failures } = await runGenerator('n8n-workflow', v.answers, dest);
      expect(failures).toEqual([]);
      workflows[v.id] = JSON.parse(readFileSync(join(dest, `${v.id}.json`), 'utf8'));
      if (v.id === 'postgres-cdc') workflows['postgres-cdc-connector'] = JSON.parse(readFileSync(join(dest, 'postgres-cdc-connector.json'), 'utf8'));
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test.each(WORKFLOW_VARIANTS.map((v) => v.id))('%s is a valid n8n workflow using our nodes', (id) => {
    const wf = workflows[id];
    expectValidWorkflow(wf);
    expect(wf.nodes.some((n: any) => OUR_TYPES.has(n.type))).toBe(true);
  });

  test('each workflow wires the nodes the issue asks for, with the agreed parameter names', () => {
    const types = (id: string) => workflows[id].nodes.map((n: any) => n.type);
    expect(types('kafka-to-webhook')).toEqual([NODE_TYPES.trigger, 'n8n-nodes-base.httpRequest']);
    expect(types('webhook-to-kafka')).toEqual(['n8n-nodes-base.webhook', NODE_TYPES.producer]);
    expect(types('kafka-to-postgres')).toEqual([NODE_TYPES.trigger, 'n8n-nodes-base.postgres']);
    expect(types('kafka-to-slack')).toEqual([NODE_TYPES.trigger, 'n8n-nodes-base.slack']);
    expect(types('dead-letter-replay')).toEqual([NODE_TYPES.trigger, NODE_TYPES.producer]);
    expect(types('lag-alert-slack')).toEqual([NODE_TYPES.lagTrigger, 'n8n-nodes-base.slack']);
    expect(types('lag-alert-email')).toEqual([NODE_TYPES.lagTrigger, 'n8n-nodes-base.emailSend']);
    expect(types('postgres-cdc')).toEqual([NODE_TYPES.trigger, 'n8n-nodes-base.httpRequest']);
    expect(workflows['postgres-cdc'].nodes[0].parameters).toEqual({ topics: 'pg.public.orders', groupId: 'n8n-orders-cdc', startFrom: 'earliest', deliveryMode: 'afterSuccess' });
    expect(workflows['kafka-to-webhook'].nodes[0].parameters).toEqual({ topics: 'orders', groupId: 'n8n-orders', startFrom: 'latest', deliveryMode: 'afterSuccess' });
    expect(workflows['webhook-to-kafka'].nodes[1].parameters).toEqual({ topic: 'orders', valueSource: 'json', key: '' });
    expect(workflows['dead-letter-replay'].nodes[0].parameters).toMatchObject({ topics: 'orders.dlq', startFrom: 'earliest' });
    expect(workflows['lag-alert-email'].nodes[0].parameters).toEqual({ groups: 'orders-service' });
  });

  test('postgres-cdc comes with the workflow that creates its Debezium connector from the catalog, password left to the user', () => {
    const wf = workflows['postgres-cdc-connector'];
    expectValidWorkflow(wf);
    expect(wf.nodes.map((n: any) => n.type)).toEqual(['n8n-nodes-base.manualTrigger', NODE_TYPES.admin]);
    expect(wf.nodes[1].parameters).toEqual({
      resource: 'connector',
      operation: 'createFromTemplate',
      template: 'debeziumPostgres',
      connectorName: 'pg-shop-cdc',
      debeziumPostgres_database_hostname: 'localhost',
      debeziumPostgres_database_user: 'debezium',
      debeziumPostgres_database_dbname: 'shop',
      debeziumPostgres_topic_prefix: 'pg',
      debeziumPostgres_table_include_list: 'public.orders',
    });
    // The change topic the connector writes is the one the CDC workflow's trigger reads.
    expect(workflows['postgres-cdc'].nodes[0].parameters.topics).toBe('pg.public.orders');
  });

  test('no secrets: credentials by name only, nothing that looks like a key or password', () => {
    for (const [id, wf] of Object.entries(workflows)) {
      const text = JSON.stringify(wf);
      expect({ id, secret: /password|secret|token|apiKey|xox[bp]-/i.test(text) }).toEqual({ id, secret: false });
    }
  });

  test('workflows/ holds exactly the generator output (regenerate with kafka-suite sync-shipped)', () => {
    const expected = shippedWorkflows();
    expect(readdirSync(join(ROOT, 'workflows')).sort()).toEqual(Object.keys(expected).sort());
    for (const [file, content] of Object.entries(expected)) {
      expect({ file, same: readFileSync(join(ROOT, 'workflows', file), 'utf8') === content }).toEqual({ file, same: true });
    }
    // ...and the shipped set is what the generator writes through node-plop for the same answers.
    for (const v of WORKFLOW_VARIANTS) expect(`${JSON.stringify(workflows[v.id], null, 2)}\n`).toBe(expected[`${v.id}.json`]);
  });
});
