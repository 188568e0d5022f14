import type { GeneratorModule } from '../shared/generator';
import { renderStrimzi } from './render';
import { strimziSchema } from './schema';

export const strimzi: GeneratorModule<typeof strimziSchema> = {
  name: 'strimzi',
  description: 'Kubernetes manifests for Strimzi: Kafka (KRaft) with node pools, KafkaTopics, KafkaUsers with ACLs and quotas, optional MirrorMaker 2',
  schema: strimziSchema,
  fields: [
    { name: 'clusterName', type: 'input', message: 'Kafka cluster name (Kubernetes name)' },
    { name: 'namespace', type: 'input', message: 'Namespace' },
    { name: 'kafkaVersion', type: 'input', message: 'Kafka version (one your Strimzi operator supports)' },
    { name: 'nodePools', type: 'list', message: 'Node pools', choices: ['separate', 'dual-role'] },
    { name: 'brokers', type: 'number', message: 'Brokers (dual-role: nodes)' },
    { name: 'controllers', type: 'list', message: 'KRaft controllers', choices: ['1', '3', '5'], when: (a) => a.nodePools !== 'dual-role' },
    { name: 'storageGi', type: 'number', message: 'Persistent volume size per node (GiB)' },
    { name: 'storageClass', type: 'input', message: 'Storage class (empty: the cluster default)' },
    { name: 'authentication', type: 'list', message: 'Client authentication', choices: ['scram-sha-512', 'tls'] },
    { name: 'topics', type: 'input', message: 'Topics as name:partitions:replication, comma-separated (answers.json may give objects with config)' },
    { name: 'kafkaExporter', type: 'confirm', message: 'Deploy Kafka Exporter (lag metrics)?' },
    { name: 'mirrorMaker2', type: 'confirm', message: 'Mirror another cluster into this one with KafkaMirrorMaker2?' },
    { name: 'mirrorSourceBootstrap', type: 'input', message: 'Source cluster bootstrap (host:port)', when: (a) => a.mirrorMaker2 === true },
  ],
  render: renderStrimzi,
};
