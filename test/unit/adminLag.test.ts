import { computePartitionLag, joinLag, totalLag } from '../../nodes/shared/admin/lag';

describe('computePartitionLag', () => {
  it('is log end minus committed', () => {
    expect(computePartitionLag('5', '12')).toBe(7);
    expect(computePartitionLag(5, 12)).toBe(7);
    expect(computePartitionLag(5n, 12n)).toBe(7);
  });
  it('is 0, never NaN or negative, for idle, unknown or odd partitions', () => {
    expect(computePartitionLag('-1', '12')).toBe(0);
    expect(computePartitionLag('', '12')).toBe(0);
    expect(computePartitionLag(undefined, '12')).toBe(0);
    expect(computePartitionLag('12', undefined)).toBe(0);
    expect(computePartitionLag('20', '12')).toBe(0);
    expect(computePartitionLag('abc', '12')).toBe(0);
    expect(computePartitionLag('12', '12')).toBe(0);
  });
  it('handles offsets beyond 2^53 without precision loss in the difference', () => {
    expect(computePartitionLag('9007199254740993', '9007199254740999')).toBe(6);
  });
});

describe('joinLag', () => {
  it('joins commits with log ends and marks missing commits', () => {
    const rows = joinLag(
      [{ topic: 't', partitions: [{ partition: 1, offset: '-1' }, { partition: 0, offset: '3' }] }],
      [{ topic: 't', partitions: [{ partition: 0, high: '10', low: '0' }, { partition: 1, high: '4', low: '0' }] }],
    );
    expect(rows).toEqual([
      { topic: 't', partition: 0, committedOffset: '3', logEndOffset: '10', logStartOffset: '0', lag: 7 },
      { topic: 't', partition: 1, committedOffset: null, logEndOffset: '4', logStartOffset: '0', lag: 0 },
    ]);
    expect(totalLag(rows)).toBe(7);
  });
});
