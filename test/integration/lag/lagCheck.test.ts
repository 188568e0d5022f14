import { clientPool } from '../../../nodes/shared';
import { json, lagCheck, testKafka, unique } from './harness';

describe('Kafka Lag Check node (real broker)', () => {
  const k = testKafka();
  const topic = unique('lag-check');
  const group = unique('lag-check-group');

  beforeAll(async () => {
    await k.createTopic(topic, 3);
    await k.produce(topic, 0, 10);
    await k.produce(topic, 1, 5);
    await k.commit(group, topic, { 0: 4, 1: 5, 2: 0 });
  });

  afterAll(async () => {
    await (await k.admin()).deleteTopics({ topics: [topic] }).catch(() => undefined);
    await k.closeAll();
    await clientPool.closeAll();
  });

  it('reports lag per partition, per topic and per group; an idle partition is 0, never NaN or negative', async () => {
    const check = lagCheck();
    const [item] = json(await check.run({ groups: group, windowSize: 3, allowedLag: 0, output: 'groups' }));
    expect(item).toMatchObject({ group, status: 'OK', complete: false, totalLag: 6, maxLag: 6, state: 'Empty', members: 0 });
    expect(item.topics).toEqual([{ topic, lag: 6, maxTimeLagSeconds: expect.any(Number), partitions: 3 }]);
    const byPartition = Object.fromEntries(item.partitions.map((p: any) => [p.partition, p]));
    expect(byPartition[0]).toMatchObject({ committedOffset: 4, logEndOffset: 10, lag: 6 });
    expect(byPartition[1]).toMatchObject({ committedOffset: 5, logEndOffset: 5, lag: 0, timeLagSeconds: 0 });
    expect(byPartition[2]).toMatchObject({ committedOffset: 0, logEndOffset: 0, lag: 0, timeLagSeconds: 0, catchUpSeconds: 0 });
    expect(JSON.stringify(item)).not.toMatch(/NaN|:-\d/);
  });

  it('interpolates the lag in seconds from log-end samples kept between runs, and estimates catch-up', async () => {
    const t = unique('lag-time');
    const g = unique('lag-time-group');
    await k.createTopic(t, 1);
    await k.produce(t, 0, 100);
    await k.commit(g, t, { 0: 0 });
    const check = lagCheck();
    const startedAt = Date.now();
    await check.run({ groups: g, windowSize: 3, output: 'groups' });
    await k.produce(t, 0, 100);
    await k.commit(g, t, { 0: 150 });
    const [item] = json(await check.run({ groups: g, windowSize: 3, output: 'groups' }));
    const p = item.partitions[0];
    expect(p).toMatchObject({ committedOffset: 150, logEndOffset: 200, lag: 50, timeLagEstimate: 'interpolated' });
    // Offset 150 lies halfway between the two log-end samples, so the lag is at most the time between runs.
    expect(p.timeLagSeconds).toBeGreaterThan(0);
    expect(p.timeLagSeconds).toBeLessThanOrEqual((Date.now() - startedAt) / 1000);
    expect(p.consumePerSecond).toBeGreaterThan(p.producePerSecond);
    expect(p.catchUpSeconds).toBeGreaterThan(0);
    expect(check.staticData.kafkaSuiteLag).toBeDefined();
    await (await k.admin()).deleteTopics({ topics: [t] });
  });

  it('selects groups by regex and outputs one item per partition', async () => {
    const items = json(await lagCheck().run({ groups: `/^${group}$/`, windowSize: 3, output: 'partitions' }));
    expect(items).toHaveLength(3);
    expect(items.map((i) => i.partition).sort()).toEqual([0, 1, 2]);
    expect(items.every((i) => i.group === group && i.groupStatus === 'OK')).toBe(true);
  });

  it('writes Prometheus text exposition', async () => {
    const [item] = json(await lagCheck().run({ groups: group, windowSize: 3, output: 'prometheus' }));
    expect(item.contentType).toMatch(/^text\/plain; version=0.0.4/);
    expect(item.metrics).toContain('# TYPE kafka_consumergroup_lag gauge');
    expect(item.metrics).toContain(`kafka_consumergroup_lag{consumergroup="${group}",topic="${topic}",partition="0"} 6`);
    expect(item.metrics).toContain(`kafka_consumergroup_lag_sum{consumergroup="${group}",topic="${topic}"} 6`);
    expect(item.metrics).toContain(`kafka_consumergroup_status{consumergroup="${group}",status="OK"} 1`);
  });

  it('fails clearly on an unknown group and keeps no samples for it', async () => {
    const check = lagCheck();
    const missing = unique('no-such-group');
    await expect(check.run({ groups: `${group}, ${missing}`, windowSize: 3 })).rejects.toThrow(`Consumer group "${missing}" not found on the cluster`);
    await expect(check.run({ groups: '/^no-such-prefix-/', windowSize: 3 })).rejects.toThrow('No consumer group on the cluster matches /^no-such-prefix-/');
    await expect(check.run({ groups: ' , ', windowSize: 3 })).rejects.toThrow(/Groups: give one or more/);
    expect(check.staticData).toEqual({});
  });

  it('reports NOTFOUND when asked to, and error items under continueOnFail', async () => {
    const missing = unique('no-such-group');
    const items = json(await lagCheck().run({ groups: `${group},${missing}`, windowSize: 3, options: { missingGroups: 'notFound' } }));
    expect(items.map((i) => [i.group, i.status])).toEqual([
      [group, 'OK'],
      [missing, 'NOTFOUND'],
    ]);
    const [failed] = json(await lagCheck().run({ groups: missing, windowSize: 3 }, { continueOnFail: true }));
    expect(failed).toMatchObject({ errorKind: 'config' });
    expect(failed.error).toContain(missing);
  });
});
