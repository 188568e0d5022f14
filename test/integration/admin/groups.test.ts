import { clientPool } from '../../../nodes/shared';
import { json, runNode, testKafka, unique, waitFor } from './harness';

const tk = testKafka();

afterAll(async () => {
  await clientPool.closeAll();
  await tk.closeAll();
});

const groupOps = (operation: string, extra: Record<string, unknown>) => runNode({ resource: 'group', operation, ...extra });

/** A topic with 2 partitions x 10 records (timestamps 1000 apart) and a group that committed 6 and 8. */
async function committedGroup() {
  const topic = unique('adm-grp-topic');
  const groupId = unique('adm-grp');
  await tk.createTopic(topic, 2);
  const base = Date.now() - 60_000;
  for (const partition of [0, 1]) {
    await tk.produce(topic, Array.from({ length: 10 }, (_, i) => ({ partition, value: `p${partition}-m${i}`, timestamp: String(base + i * 1000) })));
  }
  await tk.commit(groupId, topic, [
    { partition: 0, offset: '6' },
    { partition: 1, offset: '8' },
  ]);
  expect(await tk.committed(groupId, topic)).toEqual({ 0: '6', 1: '8' });
  return { topic, groupId, base };
}

describe('Kafka Admin node: consumer groups', () => {
  test('list shows groups with their state; describe shows committed offsets and lag', async () => {
    const { topic, groupId } = await committedGroup();
    const listed = json(await groupOps('list', { nameFilter: groupId, states: [] }));
    expect(listed).toEqual([{ groupId, state: 'Empty', protocolType: 'consumer', protocol: '', members: 0 }]);
    expect(json(await groupOps('list', { nameFilter: groupId, states: ['Stable'] }))).toEqual([]);

    const described = json(await groupOps('describe', { groupId }))[0];
    expect(described).toMatchObject({ groupId, state: 'Empty', members: [], totalLag: 6 });
    expect(described.offsets).toEqual([
      { topic, partition: 0, committedOffset: '6', logEndOffset: '10', logStartOffset: '0', lag: 4, memberId: null },
      { topic, partition: 1, committedOffset: '8', logEndOffset: '10', logStartOffset: '0', lag: 2, memberId: null },
    ]);
  });

  test('describe of an active group shows members and their assignments', async () => {
    const { topic, groupId } = await committedGroup();
    const consumer = await tk.activeMember(groupId, topic);
    try {
      const described = json(await groupOps('describe', { groupId }))[0];
      expect(described.state).toBe('Stable');
      expect(described.members).toHaveLength(1);
      expect(described.members[0].assignment).toEqual([{ topic, partitions: [0, 1] }]);
      expect(described.offsets.every((o: any) => o.memberId === described.members[0].memberId)).toBe(true);
      const listed = json(await groupOps('list', { nameFilter: groupId, states: ['Stable'] }));
      expect(listed).toEqual([expect.objectContaining({ groupId, state: 'Stable', members: 1 })]);
    } finally {
      await consumer.disconnect();
    }
  });

  test('reset is a dry run by default: it returns the before/after table and changes nothing', async () => {
    const { topic, groupId } = await committedGroup();
    const result = json(await groupOps('resetOffsets', { groupId, topics: topic, partitionNumbers: '', target: 'earliest' }))[0];
    expect(result).toMatchObject({ groupId, dryRun: true, applied: false, groupState: 'Empty' });
    expect(result.partitions).toEqual([
      { topic, partition: 0, before: '6', after: '0', clamped: false, lagBefore: 4, lagAfter: 10 },
      { topic, partition: 1, before: '8', after: '0', clamped: false, lagBefore: 2, lagAfter: 10 },
    ]);
    expect(result.undo).toEqual({ groupId, offsets: [{ topic, partition: 0, offset: '6' }, { topic, partition: 1, offset: '8' }], uncommitted: [] });
    expect(await tk.committed(groupId, topic)).toEqual({ 0: '6', 1: '8' });
  });

  test('applying needs the typed group name; a wrong or missing confirmation changes nothing', async () => {
    const { topic, groupId } = await committedGroup();
    await expect(groupOps('resetOffsets', { groupId, topics: topic, partitionNumbers: '', target: 'earliest', dryRun: false })).rejects.toThrow(
      `Type the group name "${groupId}"`,
    );
    await expect(groupOps('resetOffsets', { groupId, topics: topic, partitionNumbers: '', target: 'earliest', dryRun: false, confirmation: 'other' })).rejects.toThrow('does not match');
    expect(await tk.committed(groupId, topic)).toEqual({ 0: '6', 1: '8' });
  });

  test('reset to earliest applies; the undo snapshot given to Set Offsets restores the previous offsets exactly', async () => {
    const { topic, groupId } = await committedGroup();
    const reset = json(await groupOps('resetOffsets', { groupId, topics: topic, partitionNumbers: '', target: 'earliest', dryRun: false, confirmation: groupId }))[0];
    expect(reset).toMatchObject({ applied: true, verified: true, dryRun: false });
    expect(await tk.committed(groupId, topic)).toEqual({ 0: '0', 1: '0' });

    // A dry run of the undo shows the way back without applying it.
    const preview = json(await groupOps('setOffsets', { groupId, offsets: JSON.stringify(reset.undo), dryRun: true }))[0];
    expect(preview.partitions.map((p: any) => [p.partition, p.before, p.after])).toEqual([
      [0, '0', '6'],
      [1, '0', '8'],
    ]);
    expect(await tk.committed(groupId, topic)).toEqual({ 0: '0', 1: '0' });

    const undone = json(await groupOps('setOffsets', { groupId, offsets: reset.undo, dryRun: false, confirmation: groupId }))[0];
    expect(undone).toMatchObject({ applied: true, verified: true });
    expect(await tk.committed(groupId, topic)).toEqual({ 0: '6', 1: '8' });
  });

  test('reset to latest, to an exact offset (clamped), by a shift and to a timestamp', async () => {
    const { topic, groupId, base } = await committedGroup();
    const apply = async (extra: Record<string, unknown>) =>
      json(await groupOps('resetOffsets', { groupId, topics: topic, partitionNumbers: '', dryRun: false, confirmation: groupId, ...extra }))[0];

    await apply({ target: 'latest' });
    expect(await tk.committed(groupId, topic)).toEqual({ 0: '10', 1: '10' });

    const exact = await apply({ target: 'offset', offset: '3' });
    expect(exact.partitions.map((p: any) => p.after)).toEqual(['3', '3']);
    expect(await tk.committed(groupId, topic)).toEqual({ 0: '3', 1: '3' });

    const beyond = await apply({ target: 'offset', offset: '25' });
    expect(beyond.partitions.map((p: any) => [p.after, p.clamped])).toEqual([
      ['10', true],
      ['10', true],
    ]);

    await apply({ target: 'shift', shiftBy: -4 });
    expect(await tk.committed(groupId, topic)).toEqual({ 0: '6', 1: '6' });
    await apply({ target: 'shift', shiftBy: 2 });
    expect(await tk.committed(groupId, topic)).toEqual({ 0: '8', 1: '8' });

    // Record i of each partition has timestamp base + i*1000: this points at record 5.
    await apply({ target: 'timestamp', timestamp: new Date(base + 4500).toISOString() });
    expect(await tk.committed(groupId, topic)).toEqual({ 0: '5', 1: '5' });

    // One partition only.
    await apply({ target: 'earliest', partitionNumbers: '1' });
    expect(await tk.committed(groupId, topic)).toEqual({ 0: '5', 1: '0' });
  });

  test('without topics, a reset covers every topic the group committed on, in one go; undo restores both', async () => {
    const { topic, groupId } = await committedGroup();
    const second = unique('adm-grp-topic2');
    await tk.createTopic(second, 1);
    await tk.produce(second, Array.from({ length: 5 }, (_, i) => ({ partition: 0, value: `x${i}` })));
    await tk.commit(groupId, second, [{ partition: 0, offset: '2' }]);
    // A topic deleted after the group committed on it: "all topics" must skip it, not fail.
    const gone = unique('adm-grp-gone');
    await tk.createTopic(gone, 1);
    await tk.commit(groupId, gone, [{ partition: 0, offset: '0' }]);
    await (await tk.admin()).deleteTopics({ topics: [gone] });
    const started = Date.now();
    const reset = json(await groupOps('resetOffsets', { groupId, topics: '', partitionNumbers: '', target: 'latest', dryRun: false, confirmation: groupId }))[0];
    const tookMs = Date.now() - started;
    expect(reset.partitions.map((p: any) => `${p.topic}/${p.partition}:${p.before}->${p.after}`).sort()).toEqual(
      [`${topic}/0:6->10`, `${topic}/1:8->10`, `${second}/0:2->5`].sort(),
    );
    expect(await tk.committed(groupId, topic)).toEqual({ 0: '10', 1: '10' });
    expect(await tk.committed(groupId, second)).toEqual({ 0: '5' });
    // kafkajs' admin.setOffsets waits a 5 s fetch per topic; the node commits both topics in one short join.
    expect(tookMs).toBeLessThan(5000);
    await groupOps('setOffsets', { groupId, offsets: reset.undo, dryRun: false, confirmation: groupId });
    expect(await tk.committed(groupId, topic)).toEqual({ 0: '6', 1: '8' });
    expect(await tk.committed(groupId, second)).toEqual({ 0: '2' });
  });

  test('a reset on a group with an active member is refused and changes nothing; the dry run warns', async () => {
    const { topic, groupId } = await committedGroup();
    const consumer = await tk.activeMember(groupId, topic);
    try {
      await expect(groupOps('resetOffsets', { groupId, topics: topic, partitionNumbers: '', target: 'earliest', dryRun: false, confirmation: groupId })).rejects.toThrow(
        /is active \(state Stable, 1 member\(s\)\)/,
      );
      await expect(groupOps('setOffsets', { groupId, offsets: [{ topic, partition: 0, offset: '1' }], dryRun: false, confirmation: groupId })).rejects.toThrow('is active');
      const dry = json(await groupOps('resetOffsets', { groupId, topics: topic, partitionNumbers: '', target: 'earliest' }))[0];
      expect(dry).toMatchObject({ dryRun: true, applied: false, activeMembers: 1 });
      expect(dry.warning).toMatch(/active/);
      expect(await tk.committed(groupId, topic)).toEqual({ 0: '6', 1: '8' });
    } finally {
      await consumer.disconnect();
    }
    // Once the member left, the same reset goes through.
    const admin = await tk.admin();
    await waitFor(async () => (await admin.describeGroups([groupId])).groups[0].state === 'Empty', { what: 'group to become Empty' });
    await groupOps('resetOffsets', { groupId, topics: topic, partitionNumbers: '', target: 'earliest', dryRun: false, confirmation: groupId });
    expect(await tk.committed(groupId, topic)).toEqual({ 0: '0', 1: '0' });
  });

  test('bad input is a clear error and changes nothing', async () => {
    const { topic, groupId } = await committedGroup();
    const missingGroup = unique('adm-nogroup');
    await expect(groupOps('describe', { groupId: missingGroup })).rejects.toThrow(`Consumer group "${missingGroup}" does not exist`);
    await expect(groupOps('resetOffsets', { groupId: missingGroup, topics: topic, partitionNumbers: '', target: 'earliest', dryRun: false, confirmation: missingGroup })).rejects.toThrow(
      'does not exist',
    );
    const missingTopic = unique('adm-notopic');
    await expect(groupOps('resetOffsets', { groupId, topics: missingTopic, partitionNumbers: '', target: 'earliest', dryRun: false, confirmation: groupId })).rejects.toThrow(
      `Topic "${missingTopic}" does not exist`,
    );
    await expect(groupOps('resetOffsets', { groupId, topics: topic, partitionNumbers: '7', target: 'earliest' })).rejects.toThrow('has no partition 7');
    await expect(groupOps('setOffsets', { groupId, offsets: { groupId: 'someone-else', offsets: [{ topic, partition: 0, offset: '1' }] }, dryRun: false, confirmation: groupId })).rejects.toThrow(
      'taken from group "someone-else"',
    );
    await expect(groupOps('setOffsets', { groupId, offsets: '[{"topic": "x"', dryRun: true })).rejects.toThrow('not valid JSON');
    await expect(groupOps('setOffsets', { groupId, offsets: [{ topic, partition: 9, offset: '1' }], dryRun: true })).rejects.toThrow(`${topic}/9 do not exist`);
    expect(await tk.committed(groupId, topic)).toEqual({ 0: '6', 1: '8' });
  });

  test('delete needs the typed group name, refuses unknown and active groups, then deletes', async () => {
    const { topic, groupId } = await committedGroup();
    const admin = await tk.admin();
    await expect(groupOps('delete', { groupId })).rejects.toThrow(`Type the group name "${groupId}"`);
    const missing = unique('adm-nogroup');
    await expect(groupOps('delete', { groupId: missing, confirmation: missing })).rejects.toThrow('does not exist');
    const consumer = await tk.activeMember(groupId, topic);
    try {
      await expect(groupOps('delete', { groupId, confirmation: groupId })).rejects.toThrow('active member');
    } finally {
      await consumer.disconnect();
    }
    await waitFor(async () => (await admin.describeGroups([groupId])).groups[0].state === 'Empty', { what: 'group to become Empty' });
    expect(await tk.committed(groupId, topic)).toEqual({ 0: '6', 1: '8' });
    expect(json(await groupOps('delete', { groupId, confirmation: groupId }))[0]).toEqual({ groupId, deleted: true });
    expect((await admin.describeGroups([groupId])).groups[0].state).toBe('Dead');
    expect(await tk.committed(groupId, topic)).toEqual({ 0: '-1', 1: '-1' });
  });
});
