import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { CAPACITY_DEFAULTS, planCapacity, type CapacityInput } from '../../../../shared';
import { asData } from '../../helpers/utils';

const number = (displayName: string, name: keyof CapacityInput, def: number, description: string, precision = 0): INodeProperties => ({
  displayName,
  name,
  type: 'number',
  typeOptions: { minValue: 0, ...(precision ? { numberPrecision: precision } : {}) },
  default: def,
  description,
});

const properties: INodeProperties[] = [
  { ...number('Messages per Second', 'messagesPerSecond', 1000, 'Peak rate producers write to the topic'), required: true },
  { ...number('Message Size (Bytes)', 'messageBytes', 1024, 'Average serialized size of key, value and headers'), required: true },
  { ...number('Retention (Hours)', 'retentionHours', 168, 'How long messages are kept (168 hours = 7 days)', 2), required: true },
  { ...number('Consumer Parallelism', 'consumerParallelism', 6, 'Consumers of one group that must read in parallel; each needs a partition of its own'), required: true },
  {
    displayName: 'Assumptions',
    name: 'assumptions',
    type: 'collection',
    placeholder: 'Add Assumption',
    default: {},
    options: [
      number('Broker Disk (GB)', 'brokerDiskGB', CAPACITY_DEFAULTS.brokerDiskGB, 'Usable disk per broker for Kafka data'),
      number('Broker Network (MB/s)', 'brokerNetworkMBps', CAPACITY_DEFAULTS.brokerNetworkMBps, 'Network per broker in each direction (125 MB/s = 1 Gbit/s)'),
      number('Compression Ratio', 'compressionRatio', CAPACITY_DEFAULTS.compressionRatio, 'Size on disk ÷ size produced (0.5 if compression halves the data)', 2),
      number('Consumer Groups', 'consumerGroups', CAPACITY_DEFAULTS.consumerGroups, 'Groups reading the whole topic; each is another copy of the traffic out of the brokers'),
      number('Consumer Throughput (Messages/s)', 'consumerMessagesPerSecond', CAPACITY_DEFAULTS.consumerMessagesPerSecond, 'Messages one consumer instance processes per second'),
      number('Growth Factor', 'growthFactor', CAPACITY_DEFAULTS.growthFactor, 'Size for this multiple of today’s load; partitions cannot be removed later', 2),
      number('Max Replicas per Broker', 'maxReplicasPerBroker', CAPACITY_DEFAULTS.maxReplicasPerBroker, 'Partition replicas one broker should host at most'),
      number('Partition Write Throughput (MB/s)', 'partitionWriteMBps', CAPACITY_DEFAULTS.partitionWriteMBps, 'What one partition sustains for producers (measure yours with kafka-producer-perf-test)', 2),
      number('Replication Factor', 'replicationFactor', CAPACITY_DEFAULTS.replicationFactor, 'Copies of each partition'),
      number('Target Utilization', 'targetUtilization', CAPACITY_DEFAULTS.targetUtilization, 'Share of disk and network the plan may use (0.7 leaves room for a broker failure and bursts)', 2),
    ],
  },
];

export const description = updateDisplayOptions({ show: { resource: ['advisor'], operation: ['capacity'] } }, properties);

/** Pure arithmetic: needs no credential, so an AI agent can size a topic before it exists. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const read = (name: string) => Number(this.getNodeParameter(name, itemIndex));
  const assumptions = this.getNodeParameter('assumptions', itemIndex, {}) as Partial<CapacityInput>;
  const input: CapacityInput = {
    ...CAPACITY_DEFAULTS,
    ...Object.fromEntries(Object.entries(assumptions).filter(([, v]) => v !== undefined && v !== null && String(v) !== '').map(([k, v]) => [k, Number(v)])),
    messagesPerSecond: read('messagesPerSecond'),
    messageBytes: read('messageBytes'),
    retentionHours: read('retentionHours'),
    consumerParallelism: read('consumerParallelism'),
  };
  const plan = planCapacity(input);
  return { ...asData(plan), input: asData(input) };
}
