import {
  addTimelinePoint,
  partitionLag,
  estimateRates,
  evaluatePartition,
  evaluateSnapshot,
  interpolateTimeLag,
  parseGroupSelection,
  selectGroups,
  stepIncidents,
  toPrometheus,
  type LagSnapshot,
  type Timeline,
} from '../../nodes/shared/lag';

describe('partitionLag (reuses admin computePartitionLag)', () => {
  it('is log end minus committed', () => expect(partitionLag(90, 100)).toBe(10));
  it('is 0 for an idle, caught-up partition', () => expect(partitionLag(100, 100)).toBe(0));
  it('is never negative when the committed offset is past the log end', () => expect(partitionLag(120, 100)).toBe(0));
  it('is null, not NaN, without a committed offset', () => {
    expect(partitionLag(null, 100)).toBeNull();
    expect(partitionLag(-1, 100)).toBeNull();
    expect(partitionLag(Number.NaN, 100)).toBeNull();
  });
});

describe('timeline and time lag', () => {
  it('compresses flat runs to their first and last point', () => {
    let points: Timeline = [];
    for (const [offset, at] of [[10, 1000], [10, 2000], [10, 3000], [10, 4000], [20, 5000]] as const) points = addTimelinePoint(points, offset, at, 60);
    expect(points).toEqual([10, 1000, 10, 4000, 20, 5000]);
  });

  it('keeps at most maxPoints and restarts when the log end goes backwards (topic re-created)', () => {
    let points: Timeline = [];
    for (let i = 1; i <= 10; i++) points = addTimelinePoint(points, i * 10, i * 1000, 4);
    expect(points).toEqual([70, 7000, 80, 8000, 90, 9000, 100, 10_000]);
    points = addTimelinePoint(points, 5, 11_000, 4);
    expect(points).toEqual([5, 11_000]);
  });

  it('interpolates the moment the log end was at the committed offset', () => {
    const points: Timeline = [0, 0, 100, 10_000, 200, 20_000];
    // Offset 150 was reached at t = 15 s; now = 20 s, so the group is 5 s behind.
    expect(interpolateTimeLag(points, 150, 200, 20_000)).toEqual({ seconds: 5, estimate: 'interpolated' });
  });

  it('uses the end of a flat run: messages after it arrived later', () => {
    const points: Timeline = [100, 0, 100, 50_000, 150, 60_000];
    expect(interpolateTimeLag(points, 100, 150, 60_000)).toEqual({ seconds: 10, estimate: 'interpolated' });
  });

  it('reports 0 for caught-up partitions and a lower bound beyond the oldest sample, never negative', () => {
    const points: Timeline = [100, 10_000, 200, 20_000];
    expect(interpolateTimeLag(points, 200, 200, 30_000)).toEqual({ seconds: 0, estimate: 'exact' });
    expect(interpolateTimeLag(points, 50, 200, 30_000)).toEqual({ seconds: 20, estimate: 'lowerBound' });
    expect(interpolateTimeLag([100, 5_000], 50, 100, 5_000)).toEqual({ seconds: null, estimate: 'unknown' });
    const odd = interpolateTimeLag(points, 150, 200, 0);
    expect(odd.seconds).toBe(0);
  });
});

describe('estimateRates', () => {
  it('estimates catch-up from the net consume rate', () => {
    const samples = [0, 0, 1000, 10_000, 500, 1100];
    const rates = estimateRates(samples, 600);
    expect(rates.consumePerSecond).toBe(50);
    expect(rates.producePerSecond).toBe(10);
    expect(rates.catchUpSeconds).toBe(15);
  });
  it('gives null, not Infinity, when the group is not catching up', () => {
    expect(estimateRates([0, 0, 100, 10_000, 0, 200], 200).catchUpSeconds).toBeNull();
    expect(estimateRates([0, 0, 0], 0).catchUpSeconds).toBe(0);
  });
});

/** A flat sample window, one sample per second: [at, committed, logEnd, ...]. */
const window = (rows: Array<[number, number]>, step = 1000): number[] => rows.flatMap(([committed, logEnd], i) => [i * step, committed, logEnd]);

describe('Burrow partition rules', () => {
  it('is OK while the window is incomplete, whatever the lag', () => {
    expect(evaluatePartition(window([[0, 100], [0, 200]]), 5, 0, false)).toEqual({ status: 'OK', complete: false });
  });
  it('is OK when the current lag is within the allowed lag', () => {
    expect(evaluatePartition(window([[0, 10], [0, 20], [0, 30], [30, 35], [40, 45]]), 5, 5, true).status).toBe('OK');
  });
  it('is STOP when the offset stopped moving, nobody is in the group and lag never was allowed', () => {
    expect(evaluatePartition(window([[10, 20], [10, 30], [10, 40], [10, 50], [10, 60]]), 5, 0, false).status).toBe('STOP');
  });
  it('is STALL when members are there but the offset does not move', () => {
    expect(evaluatePartition(window([[10, 20], [10, 30], [10, 40], [10, 50], [10, 60]]), 5, 0, true).status).toBe('STALL');
  });
  it('is REWIND when the committed offset goes backwards', () => {
    expect(evaluatePartition(window([[10, 20], [12, 30], [5, 40], [8, 50], [9, 60]]), 5, 0, true).status).toBe('REWIND');
  });
  it('is WARN when offsets move but lag never decreases', () => {
    expect(evaluatePartition(window([[10, 20], [15, 30], [20, 40], [25, 50], [30, 60]]), 5, 0, true).status).toBe('WARN');
  });
  it('is OK when lag decreased at some point in the window', () => {
    expect(evaluatePartition(window([[10, 20], [15, 30], [28, 40], [30, 50], [35, 60]]), 5, 0, true).status).toBe('OK');
  });
  it('is OK when lag was zero within the window (Burrow rule 1), even with a stopped offset', () => {
    expect(evaluatePartition(window([[20, 20], [20, 30], [20, 40], [20, 50], [20, 60]]), 5, 0, false).status).toBe('OK');
  });
  it('is not STOP while the last commit is recent compared to the window span', () => {
    // Offset moved at the last sample: the consumer is alive though lag grows (WARN).
    expect(evaluatePartition(window([[10, 20], [10, 30], [10, 40], [10, 50], [11, 60]]), 5, 0, false).status).toBe('WARN');
  });
});

describe('evaluateSnapshot', () => {
  const snapshot = (at: number, committed: number, logEnd: number, extra: Partial<LagSnapshot['groups'][number]> = {}): LagSnapshot => ({
    at,
    groups: [{ group: 'g', found: true, state: 'Empty', members: 0, partitions: [{ topic: 't', partition: 0, committed, logEnd }], ...extra }],
  });

  it('keeps a sliding window and turns a stopped consumer into ERR/STOP, then OK after catching up', () => {
    let state;
    const statuses: string[] = [];
    for (let i = 0; i < 6; i++) {
      const result = evaluateSnapshot(state, snapshot(i * 1000, 100, 100 + i * 50), { windowSize: 5, allowedLag: 10 });
      state = result.state;
      statuses.push(`${result.groups[0].status}/${result.groups[0].worstPartitionStatus}`);
    }
    expect(statuses).toEqual(['OK/OK', 'OK/OK', 'OK/OK', 'OK/OK', 'OK/OK', 'ERR/STOP']);
    expect(state!.groups.g.parts['t|0']).toHaveLength(15); // 5 samples, flat triples
    const caughtUp = evaluateSnapshot(state, snapshot(6000, 400, 400, { state: 'Stable', members: 1 }), { windowSize: 5, allowedLag: 10 });
    expect(caughtUp.groups[0].status).toBe('OK');
    expect(caughtUp.groups[0].partitions[0]).toMatchObject({ lag: 0, timeLagSeconds: 0, catchUpSeconds: 0 });
  });

  it('reports time lag from the kept timeline and NOTFOUND for missing groups', () => {
    let state;
    for (let i = 0; i <= 10; i++) state = evaluateSnapshot(state, snapshot(i * 1000, 0, i * 10), { windowSize: 5, allowedLag: 0 }).state;
    const result = evaluateSnapshot(state, snapshot(11_000, 50, 110), { windowSize: 5, allowedLag: 0 });
    expect(result.groups[0].partitions[0].timeLagSeconds).toBeCloseTo(6, 5);
    expect(result.groups[0].maxTimeLagSeconds).toBeCloseTo(6, 5);
    const missing = evaluateSnapshot(result.state, { at: 12_000, groups: [{ group: 'g', found: false, partitions: [] }] }, { windowSize: 5, allowedLag: 0 });
    expect(missing.groups[0].status).toBe('NOTFOUND');
    expect(missing.state.groups.g).toBeUndefined();
  });

  it('never reports NaN or negative numbers for idle or truncated partitions', () => {
    let state;
    let result;
    for (let i = 0; i < 6; i++) {
      result = evaluateSnapshot(state, snapshot(i * 1000, i === 5 ? 500 : 100, 100), { windowSize: 5, allowedLag: 0 });
      state = result.state;
    }
    const json = JSON.stringify(result);
    expect(json).not.toMatch(/NaN|:-\d/);
    expect(result!.groups[0].partitions[0].lag).toBe(0);
  });
});

describe('group selection', () => {
  it('parses names and regexes', () => {
    expect(parseGroupSelection(' a, b ,a,')).toEqual({ kind: 'names', names: ['a', 'b'] });
    const regex = parseGroupSelection('/^orders-/i');
    expect(regex.kind).toBe('regex');
    expect(selectGroups(regex, ['Orders-1', 'payments', 'orders-2'])).toEqual({ present: ['Orders-1', 'orders-2'], missing: [] });
    expect(selectGroups(parseGroupSelection('a,x'), ['a', 'b'])).toEqual({ present: ['a'], missing: ['x'] });
  });
  it('rejects empty input and bad patterns with the field named', () => {
    expect(() => parseGroupSelection(' , ')).toThrow(/Groups: give one or more/);
    expect(() => parseGroupSelection('/(/')).toThrow(/not a valid regular expression/);
    expect(() => parseGroupSelection('/a/g')).toThrow(/stateful/);
  });
});

describe('stepIncidents', () => {
  let counter = 0;
  const options = (now: number, debouncePolls = 2) => ({ debouncePolls, now, newId: () => `inc-${++counter}` });

  it('opens once after the debounce, ignores flapping, resolves once', () => {
    let state = {};
    const seen: string[] = [];
    const feed: Array<'OK' | 'WARN' | 'ERR'> = ['OK', 'WARN', 'OK', 'WARN', 'ERR', 'ERR', 'WARN', 'OK', 'ERR', 'OK', 'OK', 'OK'];
    feed.forEach((status, i) => {
      const step = stepIncidents(state, [{ group: 'g', status }], options(i * 1000));
      state = step.state;
      seen.push(...step.events.map((e) => `${i}:${e.event}:${e.status}`));
    });
    expect(seen).toEqual(['4:open:ERR', '10:resolved:OK']);
  });

  it('carries the incident id, open time and duration into the resolved event', () => {
    let state = {};
    const events = [];
    for (const [i, status] of (['ERR', 'OK'] as const).entries()) {
      const step = stepIncidents(state, [{ group: 'g', status }], options(i * 5000, 1));
      state = step.state;
      events.push(...step.events);
    }
    expect(events[0].incidentId).toBe(events[1].incidentId);
    expect(events[1]).toMatchObject({ event: 'resolved', durationSeconds: 5, worstStatus: 'ERR' });
  });
});

describe('toPrometheus', () => {
  it('writes gauges with escaped labels and one status line per status, in kafka_exporter\'s names', () => {
    const { groups } = evaluateSnapshot(undefined, { at: 0, groups: [{ group: 'we"ird\\g', found: true, partitions: [{ topic: 't', partition: 0, committed: 5, logEnd: 9 }] }] }, { windowSize: 5, allowedLag: 0 });
    const text = toPrometheus(groups);
    expect(text).toContain('# TYPE kafka_consumergroup_lag gauge');
    expect(text).toContain('kafka_consumergroup_lag{consumergroup="we\\"ird\\\\g",topic="t",partition="0"} 4');
    expect(text).toContain('kafka_consumergroup_lag_sum{consumergroup="we\\"ird\\\\g",topic="t"} 4');
    expect(text).toContain('kafka_consumergroup_current_offset{consumergroup="we\\"ird\\\\g",topic="t",partition="0"} 5');
    expect(text).toContain('kafka_topic_partition_current_offset{topic="t",partition="0"} 9');
    expect(text).toContain('kafka_consumergroup_status{consumergroup="we\\"ird\\\\g",status="OK"} 1');
    expect(text).toContain('kafka_consumergroup_status{consumergroup="we\\"ird\\\\g",status="ERR"} 0');
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toMatch(/NaN/);
  });

  it('writes a partition log end once when two groups read the same topic', () => {
    const partitions = [{ topic: 't', partition: 0, committed: 1, logEnd: 9 }];
    const { groups } = evaluateSnapshot(undefined, { at: 0, groups: [{ group: 'a', found: true, partitions }, { group: 'b', found: true, partitions }] }, { windowSize: 5, allowedLag: 0 });
    const text = toPrometheus(groups);
    expect(text.match(/^kafka_topic_partition_current_offset\{/gm)).toHaveLength(1);
    expect(text.match(/^kafka_consumergroup_lag\{/gm)).toHaveLength(2);
  });
});
