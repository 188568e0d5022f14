/**
 * Capacity planning: partitions, brokers and storage from the load a topic must carry, with every
 * step of the arithmetic returned as text so a user (or an AI agent) can check and adjust it.
 * Units: MB = 10^6 bytes, GB = 10^9 bytes (what disks and network links are sold in).
 */
import { KafkaSuiteError } from '../errors';

export interface CapacityInput {
  /** Peak messages per second produced to the topic. */
  messagesPerSecond: number;
  /** Average serialized message size in bytes (key + value + headers). */
  messageBytes: number;
  retentionHours: number;
  /** Consumers of one group that must work in parallel (each needs a partition of its own). */
  consumerParallelism: number;
  /** Messages per second one consumer instance processes. */
  consumerMessagesPerSecond: number;
  replicationFactor: number;
  /** Consumer groups reading the whole topic (each one is a full copy of the traffic out of the brokers). */
  consumerGroups: number;
  /** Load the plan must still carry later; partitions cannot be removed, so size for it now. */
  growthFactor: number;
  /** Produce throughput one partition sustains, MB/s. */
  partitionWriteMBps: number;
  /** Network a broker can use in each direction, MB/s (125 = 1 Gbit/s). */
  brokerNetworkMBps: number;
  /** Usable disk per broker, GB. */
  brokerDiskGB: number;
  /** Share of network and disk a plan may use, leaving headroom for a broker failure and bursts. */
  targetUtilization: number;
  /** Size on disk divided by size produced (e.g. 0.5 with compression halving the data). */
  compressionRatio: number;
  /** Replicas one broker should host at most (KRaft clusters handle more; 4000 is a conservative figure). */
  maxReplicasPerBroker: number;
}

export const CAPACITY_DEFAULTS: Omit<CapacityInput, 'messagesPerSecond' | 'messageBytes' | 'retentionHours' | 'consumerParallelism'> = {
  consumerMessagesPerSecond: 1000,
  replicationFactor: 3,
  consumerGroups: 1,
  growthFactor: 1,
  partitionWriteMBps: 10,
  brokerNetworkMBps: 125,
  brokerDiskGB: 1000,
  targetUtilization: 0.7,
  compressionRatio: 1,
  maxReplicasPerBroker: 4000,
};

export interface CapacityPlan {
  partitions: number;
  brokers: number;
  replicationFactor: number;
  minInsyncReplicas: number;
  storage: { totalGB: number; perBrokerGB: number; perPartitionReplicaGB: number };
  throughput: { ingressMBps: number; brokerInMBps: number; brokerOutMBps: number };
  /** Which requirement set each figure, e.g. "partitions: consumer throughput". */
  drivers: { partitions: string; brokers: string };
  arithmetic: string[];
  warnings: string[];
}

const fmt = (value: number, digits = 2) => (Number.isInteger(value) ? String(value) : value.toFixed(digits).replace(/\.?0+$/, ''));
const ceil = (value: number) => Math.ceil(value - 1e-9);

function check(input: CapacityInput): void {
  const positive: Array<keyof CapacityInput> = [
    'messagesPerSecond',
    'messageBytes',
    'retentionHours',
    'consumerParallelism',
    'consumerMessagesPerSecond',
    'replicationFactor',
    'consumerGroups',
    'growthFactor',
    'partitionWriteMBps',
    'brokerNetworkMBps',
    'brokerDiskGB',
    'targetUtilization',
    'compressionRatio',
    'maxReplicasPerBroker',
  ];
  for (const field of positive) {
    const value = input[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new KafkaSuiteError(`${field} must be a number above 0 (got ${String(value)})`, { kind: 'config', context: { field } });
    }
  }
  for (const field of ['consumerParallelism', 'replicationFactor', 'consumerGroups', 'maxReplicasPerBroker'] as const) {
    if (!Number.isInteger(input[field])) throw new KafkaSuiteError(`${field} must be a whole number (got ${input[field]})`, { kind: 'config', context: { field } });
  }
  if (input.targetUtilization > 1) throw new KafkaSuiteError(`targetUtilization is a share between 0 and 1 (got ${input.targetUtilization})`, { kind: 'config', context: { field: 'targetUtilization' } });
}

export function planCapacity(input: CapacityInput): CapacityPlan {
  check(input);
  const a: string[] = [];
  const warnings: string[] = [];
  const rf = input.replicationFactor;
  const g = input.growthFactor;
  const u = input.targetUtilization;

  const msgs = input.messagesPerSecond * g;
  const ingress = (msgs * input.messageBytes) / 1e6;
  a.push(`sized load = ${fmt(input.messagesPerSecond)} msg/s × growth ${fmt(g)} = ${fmt(msgs)} msg/s`);
  a.push(`ingress = ${fmt(msgs)} msg/s × ${fmt(input.messageBytes)} B = ${fmt(ingress, 3)} MB/s`);

  const byWrite = ceil(ingress / input.partitionWriteMBps);
  const byConsumers = ceil(msgs / input.consumerMessagesPerSecond);
  const byParallelism = input.consumerParallelism;
  a.push(`partitions for producers = ⌈${fmt(ingress, 3)} MB/s ÷ ${fmt(input.partitionWriteMBps)} MB/s per partition⌉ = ${byWrite}`);
  a.push(`partitions for consumer throughput = ⌈${fmt(msgs)} msg/s ÷ ${fmt(input.consumerMessagesPerSecond)} msg/s per consumer⌉ = ${byConsumers}`);
  a.push(`partitions for consumer parallelism = ${byParallelism}`);
  const needed = Math.max(byWrite, byConsumers, byParallelism);
  // A multiple of the parallelism gives every consumer the same number of partitions.
  const partitions = ceil(needed / byParallelism) * byParallelism;
  const partitionDriver = needed === byConsumers && byConsumers >= byWrite && byConsumers > byParallelism ? 'consumer throughput' : needed === byWrite && byWrite > byParallelism ? 'producer throughput' : 'consumer parallelism';
  a.push(
    `partitions = max(${byWrite}, ${byConsumers}, ${byParallelism}) = ${needed}` +
      (partitions !== needed ? `, rounded up to a multiple of ${byParallelism} consumers = ${partitions}` : ''),
  );

  const retentionSeconds = input.retentionHours * 3600;
  const totalGB = (ingress * retentionSeconds * rf * input.compressionRatio) / 1000;
  a.push(
    `storage = ${fmt(ingress, 3)} MB/s × ${fmt(retentionSeconds)} s retention × RF ${rf}` +
      (input.compressionRatio !== 1 ? ` × compression ${fmt(input.compressionRatio)}` : '') +
      ` = ${fmt(totalGB)} GB`,
  );

  const brokerIn = ingress * rf; // leaders take producer traffic, followers fetch it again
  const brokerOut = ingress * (input.consumerGroups + rf - 1);
  a.push(`cluster inbound = ingress × RF ${rf} = ${fmt(brokerIn, 3)} MB/s (producers to leaders + replication to followers)`);
  a.push(`cluster outbound = ingress × (${input.consumerGroups} consumer group(s) + ${rf - 1} follower fetch(es)) = ${fmt(brokerOut, 3)} MB/s`);
  const usableNet = input.brokerNetworkMBps * u;
  const byNetwork = ceil(Math.max(brokerIn, brokerOut) / usableNet);
  const usableDisk = input.brokerDiskGB * u;
  const byDisk = ceil(totalGB / usableDisk);
  const byReplicas = ceil((partitions * rf) / input.maxReplicasPerBroker);
  a.push(`brokers for network = ⌈${fmt(Math.max(brokerIn, brokerOut), 3)} MB/s ÷ (${fmt(input.brokerNetworkMBps)} MB/s × ${fmt(u)})⌉ = ${byNetwork}`);
  a.push(`brokers for storage = ⌈${fmt(totalGB)} GB ÷ (${fmt(input.brokerDiskGB)} GB × ${fmt(u)})⌉ = ${byDisk}`);
  a.push(`brokers for replica count = ⌈${partitions} partitions × RF ${rf} ÷ ${input.maxReplicasPerBroker} per broker⌉ = ${byReplicas}`);
  a.push(`brokers for replication factor = ${rf}`);
  const brokers = Math.max(byNetwork, byDisk, byReplicas, rf);
  const brokerDriver = brokers === rf && rf >= Math.max(byNetwork, byDisk, byReplicas) ? 'replication factor' : brokers === byDisk ? 'storage' : brokers === byNetwork ? 'network' : 'replica count';
  a.push(`brokers = max(${byNetwork}, ${byDisk}, ${byReplicas}, ${rf}) = ${brokers}`);
  const perBrokerGB = totalGB / brokers;
  const perReplicaGB = totalGB / (partitions * rf);
  a.push(`storage per broker = ${fmt(totalGB)} GB ÷ ${brokers} = ${fmt(perBrokerGB)} GB; per partition replica = ${fmt(totalGB)} GB ÷ (${partitions} × ${rf}) = ${fmt(perReplicaGB)} GB`);

  const minIsr = rf >= 3 ? 2 : 1;
  if (rf < 3) warnings.push(`Replication factor ${rf} cannot survive a broker loss with min.insync.replicas 2; use 3 for production data.`);
  if (perReplicaGB > 100) warnings.push(`Each partition replica holds ${fmt(perReplicaGB)} GB: moving or recovering one takes long; consider more partitions or shorter retention.`);
  if (partitions > 1000) warnings.push(`${partitions} partitions for one topic is unusual; check the per-consumer throughput figure.`);
  return {
    partitions,
    brokers,
    replicationFactor: rf,
    minInsyncReplicas: minIsr,
    storage: { totalGB: Number(fmt(totalGB)), perBrokerGB: Number(fmt(perBrokerGB)), perPartitionReplicaGB: Number(fmt(perReplicaGB)) },
    throughput: { ingressMBps: Number(fmt(ingress, 3)), brokerInMBps: Number(fmt(brokerIn, 3)), brokerOutMBps: Number(fmt(brokerOut, 3)) },
    drivers: { partitions: partitionDriver, brokers: brokerDriver },
    arithmetic: a,
    warnings,
  };
}
