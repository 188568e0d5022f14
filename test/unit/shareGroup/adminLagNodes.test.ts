// Share groups in the Admin and Lag Check nodes (issue 13, item 3), without a broker: the parameters of
// a start-offset reset (checked before any connection opens), the Lag Check's group type handed to the
// lag pipeline, share lag mapped into the pipeline's snapshot, and the refusal on a Node.js the share
// protocol client cannot run on. The broker side is test/integration/shareGroup/adminLag.test.ts.
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { KafkaSuiteAdmin } from '../../../nodes/KafkaSuiteAdmin/KafkaSuiteAdmin.node';
import { readResetParameters } from '../../../nodes/KafkaSuiteAdmin/v1/actions/shareGroup/resetStartOffsets.operation';
import { KafkaSuiteLagCheck } from '../../../nodes/KafkaSuiteLagCheck/KafkaSuiteLagCheck.node';
import type { KafkaAdmin, KafkaShareAdmin } from '../../../nodes/shared/kafka/api';
import { collectShareWith } from '../../../nodes/shared/lag/collect';
import { runLagPipeline } from '../../../nodes/shared/lag';
import { createExecuteContext } from '../../helpers/n8nContext';

jest.mock('../../../nodes/shared/lag', () => ({
  ...jest.requireActual('../../../nodes/shared/lag'),
  runLagPipeline: jest.fn(async () => ({ snapshot: { at: 0, groups: [] }, groups: [] })),
}));
// The Node.js floor of the share protocol client, switched per test.
let nodeFits = false;
jest.mock('../../../nodes/shared/kafka/platformatic', () => ({
  ...jest.requireActual('../../../nodes/shared/kafka/platformatic'),
  nodeSupportsPlatformatic: () => nodeFits,
}));

const credential = { platform: 'apache', brokers: '127.0.0.1:9', securityProtocol: 'plaintext', clientId: 'unit' };
const context = (parameters: Record<string, unknown>, continueOnFail = false) =>
  createExecuteContext({ parameters, credentials: { kafkaSuiteClusterApi: credential }, continueOnFail }) as unknown as IExecuteFunctions;
const reset = (extra: Record<string, unknown>) => readResetParameters(context({ shareGroupId: 'jobs', topics: 'orders', partitionNumbers: '', target: 'earliest', ...extra }), 0);

describe('Admin node, share group reset parameters', () => {
  test('dry run by default; each target becomes the planner target', () => {
    expect(reset({})).toEqual({ groupId: 'jobs', dryRun: true, topics: ['orders'], partitions: [], target: { kind: 'earliest' } });
    expect(reset({ target: 'latest', partitionNumbers: '0, 2' })).toMatchObject({ partitions: [0, 2], target: { kind: 'latest' } });
    expect(reset({ target: 'offset', offset: ' 42 ' })).toMatchObject({ target: { kind: 'offset', offset: '42' } });
    expect(reset({ target: 'timestamp', timestamp: '2026-12-01T00:00:00Z' })).toMatchObject({ target: { kind: 'timestamp', timestamp: Date.UTC(2026, 11, 1) }, timestamp: Date.UTC(2026, 11, 1) });
    expect(reset({ dryRun: false, confirmation: 'jobs' })).toMatchObject({ dryRun: false });
  });

  test('bad input is refused before any connection opens', () => {
    expect(() => reset({ shareGroupId: ' ' })).toThrow('Share Group ID is required');
    expect(() => reset({ topics: '', partitionNumbers: '0' })).toThrow('exactly one topic');
    expect(() => reset({ partitionNumbers: 'x' })).toThrow('Partition "x" is not a partition number');
    expect(() => reset({ target: 'offset', offset: '-1' })).toThrow('must be a non-negative whole number');
    expect(() => reset({ target: 'timestamp', timestamp: 'soon' })).toThrow('is not a date');
    expect(() => reset({ target: 'shift' })).toThrow('Unknown reset target "shift"');
    expect(() => reset({ dryRun: false })).toThrow('Type the group name "jobs"');
    expect(() => reset({ dryRun: false, confirmation: 'other' })).toThrow('does not match');
  });
});

describe('share groups on a Node.js below the floor', () => {
  const admin = new KafkaSuiteAdmin().nodeVersions[1] as INodeType;

  test('every share-group operation fails per item with the requirements (continueOnFail keeps the item)', async () => {
    nodeFits = false;
    for (const operation of ['list', 'describe', 'resetStartOffsets']) {
      const out = (await admin.execute!.call(context({ resource: 'shareGroup', operation, shareGroupId: 'jobs', topics: 'orders', target: 'earliest' }, true))) as INodeExecutionData[][];
      expect([operation, out[0][0].json.error]).toEqual([operation, expect.stringMatching(/^Share groups need Kafka 4\.x .* and Node\.js 22\.22\+ or 24\.6\+ \(this n8n runs on Node\.js /)]);
      expect(out[0][0].pairedItem).toEqual({ item: 0 });
    }
  });
});

describe('Lag Check node, group type', () => {
  const lagCheck = new KafkaSuiteLagCheck().nodeVersions[1] as INodeType;
  const base = { resource: 'consumerGroup', operation: 'checkLag', groups: 'jobs', windowSize: 10, allowedLag: 0, output: 'groups', options: {} };

  test('consumer groups by default, share groups when chosen', async () => {
    const pipeline = runLagPipeline as jest.MockedFunction<typeof runLagPipeline>;
    pipeline.mockClear();
    await lagCheck.execute!.call(context(base));
    await lagCheck.execute!.call(context({ ...base, groupType: 'share' }));
    expect(pipeline.mock.calls.map((c) => c[3].groupType)).toEqual(['consumer', 'share']);
    expect(pipeline.mock.calls[1][1]).toEqual({ kind: 'names', names: ['jobs'] });
  });
});

describe('share lag into the lag pipeline snapshot', () => {
  test('committed = log end - share lag, so the pipeline lag is the broker share lag; start offset where no lag', async () => {
    const share: KafkaShareAdmin = {
      listShareGroups: async () => [{ groupId: 'jobs', state: 'Stable' }, { groupId: 'other', state: 'Empty' }],
      describeShareGroups: async (ids) =>
        ids.map((groupId) => ({ groupId, found: true, state: 'Stable', groupEpoch: 3, assignmentEpoch: 3, assignor: 'simple', members: [] })),
      fetchShareGroupOffsets: async () => [
        { topic: 't', partition: 0, startOffset: '6', lag: '1' },
        { topic: 't', partition: 1, startOffset: '3', lag: null },
        { topic: 'gone', partition: 0, startOffset: '1', lag: '1' },
      ],
      alterShareGroupOffsets: async () => undefined,
    };
    const admin = {
      listTopics: async () => ['t'],
      fetchTopicOffsets: async () => [
        { partition: 0, low: '0', high: '10' },
        { partition: 1, low: '0', high: '10' },
      ],
    } as unknown as KafkaAdmin;
    const { snapshot, missing } = await collectShareWith(share, admin, { kind: 'names', names: ['jobs', 'nope'] });
    expect(missing).toEqual(['nope']);
    expect(snapshot.groups).toEqual([
      {
        group: 'jobs',
        found: true,
        state: 'Stable',
        members: 0,
        partitions: [
          { topic: 't', partition: 0, committed: 9, logEnd: 10 },
          { topic: 't', partition: 1, committed: 3, logEnd: 10 },
        ],
      },
      { group: 'nope', found: false, partitions: [] },
    ]);
  });
});
