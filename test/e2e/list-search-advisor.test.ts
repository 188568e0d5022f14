// Resource locator lists and the cluster advisor inside the real n8n: the editor's own endpoint
// (POST /rest/dynamic-node-parameters/resource-locator-results) answers every list our fields
// name from the live broker, registry and Connect worker; the audit finds planted problems.
import { randomUUID } from 'node:crypto';
import { chain, clusterCredential, manualTrigger, n8n, NODE_TYPES, nodeOutput, registryCredential, registryUrl, runWorkflow, waitFor } from './n8n';
import { createTopics, kafka, produce, uniqueName } from './kafka';

const connectUrl = () => {
  const url = process.env.KAFKA_CONNECT_URL;
  if (!url) throw new Error('KAFKA_CONNECT_URL is not set (test/setup/globalSetup.ts exports it)');
  return url;
};
const connectors: string[] = [];
let connectCred: { id: string; name: string } | undefined;

afterAll(async () => {
  for (const name of connectors) await fetch(`${connectUrl()}/connectors/${name}`, { method: 'DELETE' });
});

async function connectCredential() {
  connectCred ??= await n8n().createCredential({ name: `e2e connect ${randomUUID().slice(0, 8)}`, type: 'kafkaSuiteConnectApi', data: { url: connectUrl(), authType: 'none' } });
  return connectCred;
}

/** What the editor asks when a user opens a locator's list. */
async function listSearch(node: string, field: string, methodName: string, credentials: Record<string, { id: string; name: string }>, filter: string, parameters: Record<string, unknown> = {}) {
  const response = await n8n().rest('POST', '/rest/dynamic-node-parameters/resource-locator-results', {
    nodeTypeAndVersion: { name: node, version: 1 },
    path: `parameters.${field}`,
    methodName,
    currentNodeParameters: parameters,
    credentials,
    filter,
  });
  return (response.data ?? response) as { results: Array<{ name: string; value: string | number }>; paginationToken?: string };
}

describe('resource locators in n8n', () => {
  test('every node lists topics, groups, subjects, versions, connectors and principals from the live services', async () => {
    const prefix = uniqueName('ls');
    const topic = `${prefix}-orders`;
    const group = `${prefix}-billing`;
    await createTopics([topic]);
    const admin = kafka().admin();
    await admin.connect();
    try {
      await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '0' }] });
    } finally {
      await admin.disconnect();
    }
    const subject = `${topic}-value`;
    for (const fields of [[{ name: 'id', type: 'string' }], [{ name: 'id', type: 'string' }, { name: 'note', type: ['null', 'string'], default: null }]]) {
      const registered = await fetch(`${registryUrl()}/subjects/${subject}/versions`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
        body: JSON.stringify({ schema: JSON.stringify({ type: 'record', name: 'Order', fields }) }),
      });
      expect(registered.status).toBe(200);
    }
    const connector = `${prefix}-sink`;
    connectors.push(connector);
    const put = await fetch(`${connectUrl()}/connectors/${connector}/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', 'tasks.max': '1', topics: topic, file: `/tmp/${connector}.txt` }),
    });
    expect(put.status).toBe(201);
    const cluster = { kafkaSuiteClusterApi: await clusterCredential() };
    const registry = { kafkaSuiteSchemaRegistryApi: await registryCredential() };
    const connect = { kafkaSuiteConnectApi: await connectCredential() };
    const principal = `User:${prefix}-app`;
    await runWorkflow(
      chain('e2e acl for list search', [
        manualTrigger,
        {
          name: 'ACL',
          type: NODE_TYPES.admin,
          parameters: { resource: 'acl', operation: 'create', aclResourceType: 'TOPIC', aclResourceName: topic, aclPatternType: 'LITERAL', aclPrincipal: { __rl: true, mode: 'name', value: principal }, aclHost: '*', aclOperation: 'READ', aclPermission: 'ALLOW' },
          credentials: cluster,
        },
      ]),
    );

    const values = (r: { results: Array<{ value: unknown }> }) => r.results.map((x) => x.value);
    expect(values(await listSearch(NODE_TYPES.admin, 'topic', 'searchTopics', cluster, prefix, { resource: 'topic', operation: 'describe' }))).toEqual([topic]);
    expect(values(await listSearch(NODE_TYPES.producer, 'topic', 'searchTopics', cluster, prefix))).toEqual([topic]);
    expect(values(await listSearch(NODE_TYPES.trigger, 'topics', 'searchTopics', cluster, prefix))).toEqual([topic]);
    expect(values(await listSearch(NODE_TYPES.trigger, 'groupId', 'searchGroups', cluster, group))).toEqual([group]);
    expect(values(await listSearch(NODE_TYPES.admin, 'groupId', 'searchGroups', cluster, group, { resource: 'group', operation: 'describe' }))).toEqual([group]);
    expect(values(await listSearch(NODE_TYPES.lagCheck, 'groups', 'searchGroups', cluster, group))).toEqual([group]);
    expect(values(await listSearch(NODE_TYPES.lagTrigger, 'groups', 'searchGroups', cluster, group))).toEqual([group]);
    expect(values(await listSearch(NODE_TYPES.admin, 'aclPrincipal', 'searchPrincipals', cluster, prefix, { resource: 'acl', operation: 'describe' }))).toEqual([principal]);
    expect(values(await listSearch(NODE_TYPES.schemaRegistry, 'subject', 'searchSubjects', registry, prefix, { resource: 'schema', operation: 'get' }))).toEqual([subject]);
    const versions = await listSearch(NODE_TYPES.schemaRegistry, 'version', 'searchVersions', registry, '', {
      resource: 'schema',
      operation: 'get',
      by: 'version',
      subject: { __rl: true, mode: 'list', value: subject },
    });
    expect(versions.results).toEqual([expect.objectContaining({ name: '2 (latest)', value: 2 }), expect.objectContaining({ name: '1', value: 1 })]);
    const listed = await waitFor(
      async () => {
        const found = await listSearch(NODE_TYPES.admin, 'connector', 'searchConnectors', connect, prefix, { resource: 'connector', operation: 'pause' });
        return found.results.length ? found : undefined;
      },
      { timeout: 30_000, what: `connector ${connector} in the list` },
    );
    expect(values(listed)).toEqual([connector]);

    // Values picked from the lists run the operations.
    const execution = await runWorkflow(
      chain('e2e picked from lists', [
        manualTrigger,
        { name: 'Describe', type: NODE_TYPES.admin, parameters: { resource: 'topic', operation: 'describe', topic: { __rl: true, mode: 'list', value: topic } }, credentials: cluster },
        {
          name: 'Schema',
          type: NODE_TYPES.schemaRegistry,
          parameters: { resource: 'schema', operation: 'get', by: 'version', subject: { __rl: true, mode: 'list', value: subject }, version: { __rl: true, mode: 'list', value: 1 } },
          credentials: registry,
        },
      ]),
    );
    expect(nodeOutput(execution, 'Describe')[0]).toMatchObject({ topic, partitionCount: 1 });
    expect(nodeOutput(execution, 'Schema')[0]).toMatchObject({ subject, version: 1 });
  });
});

describe('cluster advisor in n8n', () => {
  test('audit finds the planted problems and nothing on the healthy topic; capacity runs without a credential', async () => {
    const prefix = uniqueName('adv');
    const admin = kafka().admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [
          { topic: `${prefix}-unclean`, numPartitions: 1, configEntries: [{ name: 'unclean.leader.election.enable', value: 'true' }] },
          { topic: `${prefix}-minisr`, numPartitions: 1, configEntries: [{ name: 'min.insync.replicas', value: '2' }] },
          { topic: `${prefix}-healthy`, numPartitions: 3 },
        ],
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }
    // kafkajs' default producer is not idempotent.
    await produce(`${prefix}-unclean`, [{ value: 'x' }]);
    const execution = await runWorkflow(
      chain('e2e advisor', [
        manualTrigger,
        { name: 'Audit', type: NODE_TYPES.admin, parameters: { resource: 'advisor', operation: 'audit', topicFilter: `${prefix}-*`, output: 'findings' }, credentials: { kafkaSuiteClusterApi: await clusterCredential() } },
      ]),
    );
    const findings = nodeOutput(execution, 'Audit') as Array<Record<string, any>>;
    const rules = (resource: string) => findings.filter((f) => f.resource === resource).map((f) => f.rule).sort();
    expect(rules(`${prefix}-unclean`)).toEqual(['producer-without-idempotence', 'unclean-leader-election']);
    expect(rules(`${prefix}-minisr`)).toEqual(['min-insync-above-replication']);
    expect(rules(`${prefix}-healthy`)).toEqual([]);
    expect(findings.find((f) => f.rule === 'min-insync-above-replication')).toMatchObject({ severity: 'critical', cause: { config: 'min.insync.replicas', value: '2', source: 'TOPIC' } });

    const capacity = await runWorkflow(
      chain('e2e capacity', [
        manualTrigger,
        { name: 'Capacity', type: NODE_TYPES.admin, parameters: { resource: 'advisor', operation: 'capacity', messagesPerSecond: 5000, messageBytes: 1000, retentionHours: 168, consumerParallelism: 6 } },
      ]),
    );
    expect(nodeOutput(capacity, 'Capacity')[0]).toMatchObject({ partitions: 6, brokers: 13, storage: { totalGB: 9072 } });
  });

  test('n8n offers the Admin node as an AI-agent tool with the advisor operations', async () => {
    const types: Array<{ name: string; displayName: string; properties: Array<{ name: string; options?: Array<{ value: unknown }> }> }> = await n8n().rest('GET', '/types/nodes.json');
    const tool = types.find((t) => t.name === `${NODE_TYPES.admin}Tool`);
    expect(tool?.displayName).toBe('Kafka Admin (Suite) Tool');
    const operations = (tool?.properties ?? []).filter((p) => p.name === 'operation').flatMap((p) => (p.options ?? []).map((o) => o.value));
    expect(operations).toEqual(expect.arrayContaining(['audit', 'capacity', 'catalog']));
  });
});
