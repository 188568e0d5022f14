// Fault: the schema registry stops and comes back. A registry of our own (isolated.ts) is stopped,
// so the registry the other test files share is never touched; the broker is the shared one (this
// test only writes to a topic of its own there).
import { randomUUID } from 'node:crypto';
import { SchemaRegistryClient } from '../../../nodes/shared';
import { facts } from '../../setup/facts';
import { isolatedServices, type IsolatedServices } from './isolated';
import { clusterCredential, closeProducers, produceExecution } from './produce';
import { createTopic } from './readTopic';

let services: IsolatedServices & { dispose(): Promise<void> };
let registryUrl = '';
const topic = `faults-registry-${randomUUID().slice(0, 8)}`;

const schema = (name: string) =>
  JSON.stringify({ type: 'record', name, namespace: 'faults', fields: [{ name: 'value', type: 'string' }] });

function avroParameters(recordName: string) {
  return {
    valueSource: 'json',
    serialization: 'avro',
    subjectStrategy: 'topicRecordName',
    schemaSource: 'schema',
    schemaText: schema(recordName),
    autoRegister: true,
    recordName: `faults.${recordName}`,
  };
}

async function produceAvro(recordName: string, values: string[]) {
  return produceExecution(clusterCredential(facts.bootstrap), topic, values, avroParameters(recordName), {
    kafkaSuiteSchemaRegistryApi: { url: registryUrl, authType: 'none', timeoutMs: 5_000 },
  });
}

beforeAll(async () => {
  services = await isolatedServices('registry-outage');
  await services.startRegistry();
  registryUrl = services.facts().schemaRegistry.url;
  await createTopic(facts.bootstrap, topic, 1);
}, 240_000);

afterAll(async () => {
  await closeProducers();
  await services?.dispose();
}, 120_000);

test('registry stopped: clear errors naming the registry; works again once it is back', async () => {
  const before = await produceAvro('Before', ['a', 'b']);
  expect(before.failed).toEqual([]);
  expect(before.acked).toEqual(['a', 'b']);

  await services.stopRegistry();
  const host = new URL(registryUrl).host;

  // The Producer node: a schema it has never seen needs the registry, so the item fails on its own.
  const during = await produceAvro('During', ['c']);
  expect(during.acked).toEqual([]);
  console.log(`[faults] registry down, Producer item error: ${during.failed[0]?.error} (kind ${during.failed[0]?.kind})`);
  expect(during.failed[0]?.error).toMatch(/Schema Registry at .* is unreachable: .*ECONNREFUSED/);
  expect(during.failed[0]?.error).toContain(host);
  expect(during.failed[0]?.error).not.toMatch(/broker/i);
  expect(during.failed[0]?.kind).toBe('tcp');

  // The registry client itself, as the Schema Registry node uses it.
  const client = new SchemaRegistryClient({ url: registryUrl, timeoutMs: 5_000 });
  const error = await client.listSubjects().then(
    () => undefined,
    (e: Error) => e,
  );
  console.log(`[faults] registry down, client error: ${error?.message}`);
  expect(error?.message).toMatch(/Schema Registry at .* is unreachable/);
  expect(error?.message).toContain(host);
  expect(error).toMatchObject({ kind: 'tcp', retriable: true });

  await services.startRegistry();
  // Apicurio here keeps schemas in memory: it comes back empty, and auto-registration fills it again.
  const after = await produceAvro('After', ['d', 'e']);
  expect(after.failed).toEqual([]);
  expect(after.acked).toEqual(['d', 'e']);
  expect(await client.listSubjects()).toEqual(expect.arrayContaining([`${topic}-faults.After`]));
}, 300_000);
