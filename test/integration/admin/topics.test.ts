import { clientPool } from '../../../nodes/shared';
import { json, runNode, testKafka, unique } from './harness';

const tk = testKafka();

afterAll(async () => {
  await clientPool.closeAll();
  await tk.closeAll();
});

const topicOps = (operation: string, extra: Record<string, unknown>) => runNode({ resource: 'topic', operation, ...extra });

describe('Kafka Admin node: topics', () => {
  test('create with partitions, replication factor and configs; describe shows partitions, leaders, ISR and configs', async () => {
    const topic = unique('adm-create');
    const created = json(
      await topicOps('create', {
        topic,
        partitions: 3,
        replicationFactor: 1,
        configs: { config: [{ name: 'retention.ms', value: '3600000' }, { name: 'cleanup.policy', value: 'compact' }] },
        options: {},
      }),
    );
    expect(created[0]).toMatchObject({ topic, created: true, partitions: 3 });

    const admin = await tk.admin();
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(topics[0].partitions).toHaveLength(3);
    const described = json(await topicOps('describe', { topic, options: { includeDefaults: false } }))[0];
    expect(described.partitionCount).toBe(3);
    expect(described.replicationFactor).toBe(1);
    expect(described.partitions.map((p: any) => p.partition)).toEqual([0, 1, 2]);
    for (const p of described.partitions) {
      expect(typeof p.leader).toBe('number');
      expect(p.replicas).toEqual([p.leader]);
      expect(p.isr).toEqual([p.leader]);
      expect(p.logEndOffset).toBe('0');
    }
    expect(described.overrides).toEqual({ 'cleanup.policy': 'compact', 'retention.ms': '3600000' });
    expect(described.configs.map((c: any) => c.name).sort()).toEqual(['cleanup.policy', 'retention.ms']);
  });

  test('create: an existing topic and an invalid config name are clear errors and create nothing', async () => {
    const topic = unique('adm-dup');
    await tk.createTopic(topic, 1);
    await expect(topicOps('create', { topic, partitions: 2, replicationFactor: 1, configs: {}, options: {} })).rejects.toThrow(`Topic "${topic}" already exists`);
    const { topics } = await (await tk.admin()).fetchTopicMetadata({ topics: [topic] });
    expect(topics[0].partitions).toHaveLength(1);

    const bad = unique('adm-badcfg');
    await expect(
      topicOps('create', { topic: bad, partitions: 1, replicationFactor: 1, configs: { config: [{ name: 'no.such.config', value: '1' }] }, options: {} }),
    ).rejects.toThrow(/Kafka refused to create topic .*INVALID_CONFIG.*no\.such\.config/);
    expect(await (await tk.admin()).listTopics()).not.toContain(bad);
  });

  test('replication factor -1 takes the broker default; validate only creates nothing', async () => {
    const topic = unique('adm-rf');
    const validated = json(await topicOps('create', { topic, partitions: 2, replicationFactor: -1, configs: {}, options: { validateOnly: true } }))[0];
    expect(validated).toMatchObject({ topic, created: false, validatedOnly: true });
    expect(await (await tk.admin()).listTopics()).not.toContain(topic);
    await topicOps('create', { topic, partitions: 2, replicationFactor: -1, configs: {}, options: {} });
    const { topics } = await (await tk.admin()).fetchTopicMetadata({ topics: [topic] });
    expect(topics[0].partitions.map((p) => p.replicas.length)).toEqual([1, 1]);
    expect(json(await topicOps('create', { topic, partitions: 2, replicationFactor: -1, configs: {}, options: { ignoreIfExists: true } }))[0]).toEqual({
      topic,
      created: false,
      existed: true,
    });
  });

  test('list with a filter returns only matching topics with partition counts', async () => {
    const prefix = unique('adm-list');
    await tk.createTopic(`${prefix}-a`, 2);
    await tk.createTopic(`${prefix}-b`, 1);
    await tk.createTopic(unique('adm-other'), 1);
    const listed = json(await topicOps('list', { nameFilter: `${prefix}-*`, options: {} }));
    expect(listed).toEqual([
      { name: `${prefix}-a`, partitions: 2, replicationFactor: 1 },
      { name: `${prefix}-b`, partitions: 1, replicationFactor: 1 },
    ]);
    const regex = json(await topicOps('list', { nameFilter: `/^${prefix}-b$/`, options: { includeDetails: false } }));
    expect(regex).toEqual([{ name: `${prefix}-b` }]);
  });

  test('describe / update of an unknown topic is a clear error', async () => {
    const missing = unique('adm-missing');
    await expect(topicOps('describe', { topic: missing, options: {} })).rejects.toThrow(`Topic "${missing}" does not exist`);
    await expect(topicOps('updateConfigs', { topic: missing, configs: { config: [{ name: 'retention.ms', value: '1000' }] }, removeConfigs: '' })).rejects.toThrow(
      'does not exist',
    );
    expect(await (await tk.admin()).listTopics()).not.toContain(missing);
  });

  test('update configs keeps other overrides; an invalid config name changes nothing', async () => {
    const topic = unique('adm-cfg');
    await tk.createTopic(topic, 1, [
      { name: 'retention.ms', value: '3600000' },
      { name: 'segment.bytes', value: '10485760' },
    ]);
    const result = json(await topicOps('updateConfigs', { topic, configs: { config: [{ name: 'max.message.bytes', value: '2097152' }] }, removeConfigs: 'segment.bytes' }))[0];
    expect(result.changed).toEqual([
      { name: 'max.message.bytes', before: null, after: '2097152' },
      { name: 'segment.bytes', before: '10485760', after: null },
    ]);
    const overrides = async () => json(await topicOps('describe', { topic, options: { includeDefaults: false } }))[0].overrides;
    expect(await overrides()).toEqual({ 'max.message.bytes': '2097152', 'retention.ms': '3600000' });

    await expect(topicOps('updateConfigs', { topic, configs: { config: [{ name: 'retention.mss', value: '1' }, { name: 'retention.ms', value: '5' }] }, removeConfigs: '' })).rejects.toThrow(
      'Unknown topic config name: retention.mss',
    );
    expect(await overrides()).toEqual({ 'max.message.bytes': '2097152', 'retention.ms': '3600000' });
  });

  test('add partitions raises the count; a count that is not higher is refused', async () => {
    const topic = unique('adm-parts');
    await tk.createTopic(topic, 2);
    await expect(topicOps('addPartitions', { topic, totalPartitions: 2 })).rejects.toThrow('already has 2 partitions');
    expect(json(await topicOps('addPartitions', { topic, totalPartitions: 5 }))[0]).toEqual({ topic, partitionsBefore: 2, partitionsAfter: 5 });
    const { topics } = await (await tk.admin()).fetchTopicMetadata({ topics: [topic] });
    expect(topics[0].partitions).toHaveLength(5);
  });

  test('delete records needs the typed topic name; then moves the log start to the offset', async () => {
    const topic = unique('adm-records');
    await tk.createTopic(topic, 1);
    await tk.produce(topic, Array.from({ length: 10 }, (_, i) => ({ partition: 0, value: `m${i}` })));
    const admin = await tk.admin();
    await expect(topicOps('deleteRecords', { topic, partitionNumbers: '', beforeOffset: '4' })).rejects.toThrow('confirmation');
    await expect(topicOps('deleteRecords', { topic, partitionNumbers: '', beforeOffset: '4', confirmation: 'wrong' })).rejects.toThrow('does not match');
    expect((await admin.fetchTopicOffsets(topic))[0]).toMatchObject({ low: '0', high: '10' });
    await expect(topicOps('deleteRecords', { topic, partitionNumbers: '', beforeOffset: '11', confirmation: topic })).rejects.toThrow('beyond the end');
    const result = json(await topicOps('deleteRecords', { topic, partitionNumbers: '0', beforeOffset: '4', confirmation: topic }))[0];
    expect(result.partitions).toEqual([{ partition: 0, logStartBefore: '0', logStartAfter: '4', logEnd: '10' }]);
    expect((await admin.fetchTopicOffsets(topic))[0]).toMatchObject({ low: '4', high: '10' });
  });

  test('delete needs the typed topic name; unknown topics are a clear error', async () => {
    const topic = unique('adm-del');
    await tk.createTopic(topic, 1);
    const admin = await tk.admin();
    await expect(topicOps('delete', { topic })).rejects.toThrow(`Type the topic name "${topic}"`);
    await expect(topicOps('delete', { topic, confirmation: `${topic}x` })).rejects.toThrow('does not match');
    expect(await admin.listTopics()).toContain(topic);
    const missing = unique('adm-del-missing');
    await expect(topicOps('delete', { topic: missing, confirmation: missing })).rejects.toThrow(`Topic "${missing}" does not exist`);
    expect(json(await topicOps('delete', { topic, confirmation: topic }))[0]).toEqual({ topic, deleted: true });
    expect(await admin.listTopics()).not.toContain(topic);
  });

  test('continueOnFail turns a failure into an error item that keeps pairedItem', async () => {
    const missing = unique('adm-cof');
    const items = await runNode({ resource: 'topic', operation: 'describe', topic: missing, options: {} }, { continueOnFail: true, items: [{ json: {} }, { json: {} }] });
    expect(items).toHaveLength(2);
    expect(items[1]).toMatchObject({ json: { error: `Topic "${missing}" does not exist` }, pairedItem: { item: 1 } });
  });
});
