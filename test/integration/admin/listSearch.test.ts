// The lists behind every resource locator, filled from the live broker, registry and Connect
// worker through the credential, as n8n calls them (methods.listSearch with a load-options context).
import type { ILoadOptionsFunctions, INodeListSearchResult, INodeType } from 'n8n-workflow';
import { KafkaSuiteAdmin } from '../../../nodes/KafkaSuiteAdmin/KafkaSuiteAdmin.node';
import { clientPool, listSearch } from '../../../nodes/shared';
import { facts } from '../../setup/facts';
import { run1 as runRegistry } from '../schema-registry/harness';
import { clusterCredential, connectCredential, json, runNode, testKafka, unique, waitFor } from './harness';

const tk = testKafka();
const connectors: string[] = [];

afterAll(async () => {
  for (const name of connectors) await fetch(`${facts.connectUrl}/connectors/${name}`, { method: 'DELETE' });
  await clientPool.closeAll();
  await tk.closeAll();
});

/** What n8n hands a listSearch method: the credentials and the node's current parameters. */
function loadOptionsContext(parameters: Record<string, unknown> = {}): ILoadOptionsFunctions {
  const credentials: Record<string, unknown> = {
    kafkaSuiteClusterApi: clusterCredential(),
    kafkaSuiteConnectApi: connectCredential(),
    kafkaSuiteSchemaRegistryApi: { url: facts.schemaRegistryUrl, authType: 'none' },
  };
  return {
    getCredentials: async (type: string) => credentials[type],
    getCurrentNodeParameter: (name: string, options?: { extractValue?: boolean }) => {
      const value = parameters[name] as { value?: unknown } | undefined;
      return options?.extractValue && value && typeof value === 'object' ? value.value : value;
    },
  } as unknown as ILoadOptionsFunctions;
}

const values = (result: INodeListSearchResult) => result.results.map((r) => r.value);

describe('resource locator lists from the live cluster', () => {
  test('the Admin node offers every list search its fields name', () => {
    const methods = (new KafkaSuiteAdmin().nodeVersions[1] as INodeType).methods?.listSearch ?? {};
    expect(Object.keys(methods).sort()).toEqual(['searchConnectors', 'searchGroups', 'searchPrincipals', 'searchSubjects', 'searchTopics', 'searchVersions']);
  });

  test('topics: filtered, sorted, internal topics hidden unless asked for, paged by 100', async () => {
    const p = unique('ls');
    await tk.createTopic(`${p}-orders`, 1);
    await tk.createTopic(`${p}-Payments`, 1);
    const found = await listSearch.searchTopics.call(loadOptionsContext(), p);
    expect(values(found)).toEqual([`${p}-orders`, `${p}-Payments`]);
    expect(found.results[0]).toEqual({ name: `${p}-orders`, value: `${p}-orders` });
    expect(values(await listSearch.searchTopics.call(loadOptionsContext(), `${p}-PAY`))).toEqual([`${p}-Payments`]);
    const all = await listSearch.searchTopics.call(loadOptionsContext());
    expect(values(all)).not.toContain('__consumer_offsets');
    expect(values(await listSearch.searchTopics.call(loadOptionsContext(), '__consumer'))).toEqual(['__consumer_offsets']);
    const admin = await tk.admin();
    const visible = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
    expect(all.results.length).toBe(Math.min(100, visible.length));
    if (visible.length > 100) {
      expect(all.paginationToken).toBe('100');
      const next = await listSearch.searchTopics.call(loadOptionsContext(), undefined, all.paginationToken);
      expect(values(next)[0]).not.toEqual(values(all)[0]);
    } else {
      expect(all.paginationToken).toBeUndefined();
    }
  });

  test('consumer groups, ACL principals, subjects and their versions, connectors', async () => {
    const p = unique('ls2');
    await tk.createTopic(`${p}-t`, 1);
    await tk.commit(`${p}-group`, `${p}-t`, [{ partition: 0, offset: '0' }]);
    expect(values(await listSearch.searchGroups.call(loadOptionsContext(), p))).toEqual([`${p}-group`]);

    await runNode({ resource: 'acl', operation: 'create', aclHost: '*', aclPermission: 'ALLOW', aclPrincipal: `User:${p}-app`, aclResourceType: 'TOPIC', aclPatternType: 'LITERAL', aclResourceName: `${p}-t`, aclOperation: 'READ' });
    expect(values(await listSearch.searchPrincipals.call(loadOptionsContext(), p))).toEqual([`User:${p}-app`]);

    const subject = `${p}-t-value`;
    for (const fields of [[{ name: 'a', type: 'string' }], [{ name: 'a', type: 'string' }, { name: 'b', type: ['null', 'string'], default: null }]]) {
      const response = await fetch(`${facts.schemaRegistryUrl}/subjects/${subject}/versions`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
        body: JSON.stringify({ schema: JSON.stringify({ type: 'record', name: 'R', fields }) }),
      });
      expect(response.status).toBe(200);
    }
    expect(values(await listSearch.searchSubjects.call(loadOptionsContext(), p))).toEqual([subject]);
    // Versions follow the subject chosen in the same node, newest first.
    const versions = await listSearch.searchVersions.call(loadOptionsContext({ subject: { __rl: true, mode: 'list', value: subject } }));
    expect(versions.results).toEqual([
      { name: '2 (latest)', value: 2 },
      { name: '1', value: 1 },
    ]);
    expect((await listSearch.searchVersions.call(loadOptionsContext({ subject: '' }))).results).toEqual([]);

    const name = `${p}-sink`;
    connectors.push(name);
    const created = await fetch(`${facts.connectUrl}/connectors/${name}/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', 'tasks.max': '1', topics: `${p}-t`, file: `/tmp/${name}.txt` }),
    });
    expect(created.status).toBe(201);
    // A distributed worker lists a new connector once its status has been written.
    const listed = await waitFor(async () => {
      const found = await listSearch.searchConnectors.call(loadOptionsContext(), p);
      return found.results.length ? found : undefined;
    }, { timeoutMs: 30_000, what: `connector ${name} to be listed` });
    expect(listed.results).toEqual([{ name: expect.stringMatching(new RegExp(`^${name} \\(sink, [A-Z]+\\)$`)), value: name }]);
  });

  test('a value picked from the list runs the operation like a typed name, and so does the plain string of older workflows', async () => {
    const p = unique('ls3');
    await tk.createTopic(`${p}-t`, 2);
    const picked = json(await runNode({ resource: 'topic', operation: 'describe', topic: { __rl: true, mode: 'list', value: `${p}-t` } }));
    const typed = json(await runNode({ resource: 'topic', operation: 'describe', topic: { __rl: true, mode: 'name', value: `${p}-t` } }));
    const legacy = json(await runNode({ resource: 'topic', operation: 'describe', topic: `${p}-t` }));
    for (const out of [picked, typed, legacy]) expect(out[0]).toMatchObject({ topic: `${p}-t`, partitionCount: 2 });
    await expect(runNode({ resource: 'topic', operation: 'describe', topic: { __rl: true, mode: 'list', value: '' } })).rejects.toThrow('Topic is required');
  });

  test('Schema Registry node: subject and version picked from lists run; Hard Delete lists what was soft-deleted', async () => {
    const subject = `${unique('ls4')}-value`;
    for (const fields of [[{ name: 'a', type: 'string' }], [{ name: 'a', type: 'string' }, { name: 'b', type: 'int', default: 0 }]]) {
      await runRegistry({ resource: 'schema', operation: 'register', subject: { __rl: true, mode: 'name', value: subject }, schemaType: 'AVRO', schema: JSON.stringify({ type: 'record', name: 'R', fields }) });
    }
    const picked = await runRegistry({ resource: 'schema', operation: 'get', by: 'version', subject: { __rl: true, mode: 'list', value: subject }, version: { __rl: true, mode: 'list', value: 1 } });
    expect(picked).toMatchObject({ subject, version: 1 });
    // Workflows saved before the locators hold a plain number.
    expect(await runRegistry({ resource: 'schema', operation: 'get', by: 'version', subject, version: 2 })).toMatchObject({ subject, version: 2 });
    await expect(runRegistry({ resource: 'schema', operation: 'get', by: 'version', subject, version: { __rl: true, mode: 'id', value: 'two' } })).rejects.toThrow('Version must be a whole number of at least 1 (got "two")');

    await runRegistry({ resource: 'subject', operation: 'softDelete', subject: { __rl: true, mode: 'list', value: subject }, target: 'version', version: { __rl: true, mode: 'list', value: 1 } });
    const forHardDelete = loadOptionsContext({ operation: 'hardDelete', subject: { __rl: true, mode: 'list', value: subject } });
    expect((await listSearch.searchVersions.call(forHardDelete)).results).toEqual([
      { name: '2 (latest)', value: 2 },
      { name: '1 (soft-deleted)', value: 1 },
    ]);
    expect((await listSearch.searchVersions.call(loadOptionsContext({ operation: 'get', subject }))).results).toEqual([{ name: '2 (latest)', value: 2 }]);
    await runRegistry({ resource: 'subject', operation: 'softDelete', subject, target: 'subject' });
    expect(values(await listSearch.searchSubjects.call(loadOptionsContext({ operation: 'get' }), subject))).toEqual([]);
    expect((await listSearch.searchSubjects.call(forHardDelete, subject)).results).toEqual([{ name: `${subject} (soft-deleted)`, value: subject }]);
    expect((await listSearch.searchVersions.call(forHardDelete)).results.map((r) => r.name)).toEqual(['2 (soft-deleted)', '1 (soft-deleted)']);
  });
});
