// Which client library serves the nodes: @platformatic/kafka by default, kafkajs when the credential
// or the run (KAFKA_SUITE_CLIENT, the "kafkajs" Jest project) asks for it. A connection of each
// answers a metadata call on the real broker, so the choice is proven by use, not only by name.
import { randomUUID } from 'node:crypto';
import { ClientPool, clientLibraryFor, openConnection, type KafkaClusterCredential } from '../../../nodes/shared';
import { nodeSupportsPlatformatic } from '../../../nodes/shared/kafka/platformatic';
import { facts } from '../../setup/facts';

const cred = (extra: Partial<KafkaClusterCredential> = {}): KafkaClusterCredential => ({ platform: 'apache', brokers: facts.bootstrap, ...extra });
const pool = new ClientPool();
afterAll(() => pool.closeAll());

// On a Node below the new client's floor (n8n before 2.36) this release falls back to kafkajs.
const byDefault = nodeSupportsPlatformatic() ? 'platformatic' : 'kafkajs';
const expected = process.env.KAFKA_SUITE_CLIENT === 'kafkajs' ? 'kafkajs' : byDefault;

test(`a credential without a choice is served by ${expected} (KAFKA_SUITE_CLIENT=${process.env.KAFKA_SUITE_CLIENT ?? 'unset'}, Node ${process.versions.node})`, async () => {
  const connection = openConnection(cred(), { pool });
  expect(connection.clientLibrary).toBe(expected);
  const topic = `client-library-${randomUUID()}`;
  await connection.withAdmin((admin) => admin.createTopics([{ topic, numPartitions: 2 }]));
  const [described] = await connection.withAdmin((admin) => admin.fetchTopicMetadata([topic]));
  expect(described.partitions).toHaveLength(2);
});

test('the credential option selects the library; the run-wide override wins over it', () => {
  const saved = process.env.KAFKA_SUITE_CLIENT;
  try {
    delete process.env.KAFKA_SUITE_CLIENT;
    expect(clientLibraryFor(cred({ clientLibrary: 'kafkajs' }))).toBe('kafkajs');
    expect(clientLibraryFor(cred({ clientLibrary: 'platformatic' }))).toBe(byDefault);
    expect(clientLibraryFor(cred())).toBe(byDefault);
    process.env.KAFKA_SUITE_CLIENT = 'kafkajs';
    expect(clientLibraryFor(cred({ clientLibrary: 'platformatic' }))).toBe('kafkajs');
  } finally {
    if (saved === undefined) delete process.env.KAFKA_SUITE_CLIENT;
    else process.env.KAFKA_SUITE_CLIENT = saved;
  }
});
