import { planOffsetReset, undoSnapshot, type PartitionState } from '../../nodes/shared/admin/offsets';
import { nameMatcher } from '../../nodes/shared/admin/topics';

const states: PartitionState[] = [
  { topic: 't', partition: 0, committed: '6', low: '2', high: '10', atTimestamp: '5' },
  { topic: 't', partition: 1, committed: null, low: '0', high: '4', atTimestamp: '4' },
];

describe('planOffsetReset', () => {
  test('earliest / latest / timestamp', () => {
    expect(planOffsetReset(states, { kind: 'earliest' }).map((p) => p.after)).toEqual(['2', '0']);
    expect(planOffsetReset(states, { kind: 'latest' }).map((p) => p.after)).toEqual(['10', '4']);
    expect(planOffsetReset(states, { kind: 'timestamp', timestamp: 1 }).map((p) => p.after)).toEqual(['5', '4']);
  });

  test('exact offsets are clamped to the log and flagged', () => {
    const plan = planOffsetReset(states, { kind: 'offset', offset: '1' });
    expect(plan.map((p) => [p.after, p.clamped])).toEqual([
      ['2', true],
      ['1', false],
    ]);
    expect(() => planOffsetReset(states, { kind: 'offset', offset: 'x' })).toThrow('not an integer offset');
  });

  test('shift needs a committed offset and clamps', () => {
    expect(() => planOffsetReset(states, { kind: 'shift', by: -1 })).toThrow('no committed offset');
    const only0 = [states[0]];
    expect(planOffsetReset(only0, { kind: 'shift', by: -10 })[0]).toMatchObject({ before: '6', after: '2', clamped: true, lagBefore: 4, lagAfter: 8 });
    expect(planOffsetReset(only0, { kind: 'shift', by: 3 })[0]).toMatchObject({ after: '9', clamped: false, lagAfter: 1 });
  });

  test('explicit offsets touch only the listed partitions and reject unknown ones', () => {
    const plan = planOffsetReset(states, { kind: 'explicit', offsets: [{ topic: 't', partition: 1, offset: '3' }] });
    expect(plan).toEqual([{ topic: 't', partition: 1, before: null, after: '3', clamped: false, lagBefore: 0, lagAfter: 1 }]);
    expect(() => planOffsetReset(states, { kind: 'explicit', offsets: [{ topic: 't', partition: 5, offset: '3' }] })).toThrow('t/5 do not exist');
  });

  test('the undo snapshot lists previous offsets and, separately, partitions that had none', () => {
    expect(undoSnapshot('g', planOffsetReset(states, { kind: 'earliest' }))).toEqual({
      groupId: 'g',
      offsets: [{ topic: 't', partition: 0, offset: '6' }],
      uncommitted: [{ topic: 't', partition: 1 }],
    });
  });
});

describe('nameMatcher', () => {
  test('substring, glob and /regex/', () => {
    expect(['orders', 'orders-dlq', 'payments'].filter(nameMatcher('order'))).toEqual(['orders', 'orders-dlq']);
    expect(['orders', 'orders-dlq', 'payments'].filter(nameMatcher('orders-*'))).toEqual(['orders-dlq']);
    expect(['orders', 'orders.v2', 'ordersXv2'].filter(nameMatcher('orders.v?'))).toEqual(['orders.v2']);
    expect(['a1', 'b2'].filter(nameMatcher('/^a\\d$/'))).toEqual(['a1']);
    expect(['x'].filter(nameMatcher(''))).toEqual(['x']);
    expect(() => nameMatcher('/[/')).toThrow('Invalid regular expression');
  });
});
