// The pure parts of the share-group mode: the per-message policy, acknowledgement batching, the
// records a ShareFetch acquired (gaps included), the record as the Trigger's ConsumedRecord, and the
// start position as share.auto.offset.reset. The wire encodings are tested against a real broker in
// test/integration/shareGroup/.
import { toConsumedRecord } from '../../../nodes/shared/kafka/shareGroup';
import { AcknowledgeType, acquiredRecordsOf, toAcknowledgementBatches, type ShareFetchPartition } from '../../../nodes/shared/kafka/shareGroup/protocol';
import { attemptsFor, BROKER_DELIVERY_LIMIT, decideShare, type SharePolicySettings } from '../../../nodes/KafkaSuiteTrigger/v1/sharePolicy';
import { shareStartConfig } from '../../../nodes/KafkaSuiteTrigger/v1/shareRunner';

const settings: SharePolicySettings = { maxAttempts: 3, retryInitialMs: 100, retryMaxMs: 1000 };
const failure = { kind: 'failure' as const, error: 'boom' };
const half = () => 0.5; // no jitter

describe('share-group policy', () => {
  test('success is accepted whatever the delivery count', () => {
    for (const deliveryCount of [1, 3, 5]) expect(decideShare({ result: { kind: 'success' }, deliveryCount, settings })).toEqual({ kind: 'accept', reason: 'success' });
  });

  test('a failure is released with a growing backoff until the last attempt, then rejected', () => {
    expect(decideShare({ result: failure, deliveryCount: 1, settings, random: half })).toEqual({ kind: 'release', delayMs: 100, reason: 'retry' });
    expect(decideShare({ result: failure, deliveryCount: 2, settings, random: half })).toEqual({ kind: 'release', delayMs: 200, reason: 'retry' });
    expect(decideShare({ result: failure, deliveryCount: 3, settings, random: half })).toEqual({ kind: 'reject' });
    expect(decideShare({ result: failure, deliveryCount: 4, settings, random: half })).toEqual({ kind: 'reject' });
  });

  test('with a dead-letter topic the last attempt is copied there (then accepted)', () => {
    const dlq = { ...settings, deadLetterTopic: 'dlq' };
    expect(decideShare({ result: failure, deliveryCount: 2, settings: dlq, random: half }).kind).toBe('release');
    expect(decideShare({ result: failure, deliveryCount: 3, settings: dlq, random: half })).toEqual({ kind: 'deadLetter', delayMs: 400 });
  });

  test('attempts never reach the broker delivery limit, where a RELEASE is an archive', () => {
    expect(attemptsFor({ maxAttempts: 10 })).toBe(BROKER_DELIVERY_LIMIT);
    // One delivery in reserve for a failed dead-letter copy.
    expect(attemptsFor({ maxAttempts: 10, deadLetterTopic: 'dlq' })).toBe(BROKER_DELIVERY_LIMIT - 1);
    expect(attemptsFor({ maxAttempts: 0 })).toBe(1);
    expect(decideShare({ result: failure, deliveryCount: 5, settings: { ...settings, maxAttempts: 99 } })).toEqual({ kind: 'reject' });
  });

  test('an abandoned execution (closing) is released at once for another member', () => {
    expect(decideShare({ result: { kind: 'abandoned' }, deliveryCount: 1, settings })).toEqual({ kind: 'release', delayMs: 0, reason: 'closing' });
  });
});

describe('acknowledgement batches', () => {
  test('consecutive offsets of one type share a batch; a type change or a hole starts a new one', () => {
    const A = AcknowledgeType.ACCEPT;
    const R = AcknowledgeType.RELEASE;
    const batches = toAcknowledgementBatches([
      { offset: 5n, type: A },
      { offset: 3n, type: A },
      { offset: 4n, type: A },
      { offset: 6n, type: R },
      { offset: 9n, type: R },
      { offset: 10n, type: R },
    ]);
    expect(batches).toEqual([
      { firstOffset: 3n, lastOffset: 5n, acknowledgeTypes: [A] },
      { firstOffset: 6n, lastOffset: 6n, acknowledgeTypes: [R] },
      { firstOffset: 9n, lastOffset: 10n, acknowledgeTypes: [R] },
    ]);
  });

  test('nothing to acknowledge is no batch; an offset given twice counts once', () => {
    expect(toAcknowledgementBatches([])).toEqual([]);
    expect(toAcknowledgementBatches([{ offset: 1n, type: 1 }, { offset: 1n, type: 3 }])).toEqual([{ firstOffset: 1n, lastOffset: 1n, acknowledgeTypes: [1] }]);
  });
});

describe('acquired records', () => {
  const record = (offsetDelta: number, value: string) => ({ length: 0, attributes: 0, timestampDelta: BigInt(offsetDelta), offsetDelta, key: null, value: Buffer.from(value), headers: [] });
  const partition = (acquired: Array<[bigint, bigint, number]>): ShareFetchPartition => ({
    partitionIndex: 2,
    errorCode: 0,
    errorMessage: null,
    acknowledgeErrorCode: 0,
    acknowledgeErrorMessage: null,
    currentLeader: { leaderId: 1, leaderEpoch: 0 },
    // One batch from offset 10 whose offset 12 was compacted away; the broker sends whole batches.
    batches: [{ firstOffset: 10n, firstTimestamp: 1000n, records: [record(0, 'a'), record(1, 'b'), record(3, 'd'), record(4, 'e')] } as never],
    acquiredRecords: acquired.map(([firstOffset, lastOffset, deliveryCount]) => ({ firstOffset, lastOffset, deliveryCount })),
  });

  test('only acquired offsets become records, each with its range delivery count; missing ones are gaps', () => {
    const { records, gaps } = acquiredRecordsOf('t', partition([[11n, 13n, 2], [14n, 14n, 1]]));
    expect(records.map((r) => [r.offset, r.value?.toString(), r.deliveryCount, r.timestamp, r.partition])).toEqual([
      [11n, 'b', 2, 1001n, 2],
      [13n, 'd', 2, 1003n, 2],
      [14n, 'e', 1, 1004n, 2],
    ]);
    expect(gaps).toEqual([12n]);
  });

  test('as the Trigger record: text header names, repeated names as arrays, null values kept', () => {
    const consumed = toConsumedRecord({
      topic: 't',
      partition: 0,
      offset: 7n,
      timestamp: 1700000000000n,
      key: Buffer.from('k'),
      value: null,
      headers: [
        [Buffer.from('a'), Buffer.from('1')],
        [Buffer.from('a'), Buffer.from('2')],
        [Buffer.from('n'), null],
        [Buffer.from('__proto__'), Buffer.from('x')],
      ],
      deliveryCount: 1,
    });
    expect(consumed).toMatchObject({ topic: 't', partition: 0, offset: '7', timestamp: '1700000000000', value: null });
    expect(consumed.headers.a).toEqual([Buffer.from('1'), Buffer.from('2')]);
    expect(consumed.headers.n).toBeNull();
    expect(Object.getOwnPropertyDescriptor(consumed.headers, '__proto__')?.value).toEqual(Buffer.from('x'));
  });
});

describe('start position', () => {
  test('Start From as share.auto.offset.reset', () => {
    expect(shareStartConfig({ startFrom: 'latest' })).toBe('latest');
    expect(shareStartConfig({ startFrom: 'earliest' })).toBe('earliest');
    expect(shareStartConfig({ startFrom: 'timestamp', startTimestamp: 1_000_000 }, 1_090_500)).toBe('by_duration:PT90S');
  });
});
