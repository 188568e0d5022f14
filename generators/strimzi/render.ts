import { createHash } from 'node:crypto';
import YAML from 'yaml';
import type { Files } from '../shared/generator';
import { render } from '../shared/templates';
import { STRIMZI_VERSION, type StrimziAnswers } from './schema';

const API = 'kafka.strimzi.io/v1';

/** Kafka topic names allow "_" and upper case, Kubernetes names do not: such topics keep their name in spec.topicName. */
export function topicResourceName(topic: string): string {
  const clean = topic.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  if (clean === topic && clean.length <= 253) return clean;
  // A short hash keeps two topics that clean to the same name (Orders, orders) apart.
  const hash = createHash('sha1').update(topic).digest('hex').slice(0, 8);
  return `${clean.slice(0, 200) || 'topic'}-${hash}`;
}

const RESOURCE_TYPES: Record<string, string> = { Topic: 'topic', Group: 'group', Cluster: 'cluster', TransactionalID: 'transactionalId' };

function doc(kind: string, name: string, namespace: string, spec: object, labels?: Record<string, string>): object {
  return { apiVersion: API, kind, metadata: { name, namespace, ...(labels ? { labels } : {}) }, spec };
}

function yaml(docs: object[]): string {
  return docs.map((d) => YAML.stringify(d, { lineWidth: 0 })).join('---\n');
}

function storage(a: StrimziAnswers, kraftMetadata: boolean) {
  return {
    type: 'jbod',
    volumes: [{ id: 0, type: 'persistent-claim', size: `${a.storageGi}Gi`, ...(a.storageClass ? { class: a.storageClass } : {}), deleteClaim: false, ...(kraftMetadata ? { kraftMetadata: 'shared' } : {}) }],
  };
}

export function renderStrimzi(a: StrimziAnswers): Files {
  const ns = a.namespace;
  const clusterLabel = { 'strimzi.io/cluster': a.clusterName };
  const minIsr = Math.min(2, a.brokers);
  const rf = Math.min(3, a.brokers);
  const kafka = doc('Kafka', a.clusterName, ns, {
    kafka: {
      version: a.kafkaVersion,
      listeners: [{ name: 'tls', port: 9093, type: 'internal', tls: true, authentication: { type: a.authentication } }],
      authorization: { type: 'simple' },
      config: {
        'default.replication.factor': rf,
        'min.insync.replicas': minIsr,
        'offsets.topic.replication.factor': rf,
        'transaction.state.log.replication.factor': rf,
        'transaction.state.log.min.isr': minIsr,
        'auto.create.topics.enable': false,
      },
    },
    entityOperator: { topicOperator: {}, userOperator: {} },
    ...(a.kafkaExporter ? { kafkaExporter: { topicRegex: '.*', groupRegex: '.*' } } : {}),
  });
  const pools =
    a.nodePools === 'dual-role'
      ? [doc('KafkaNodePool', 'dual-role', ns, { replicas: a.brokers, roles: ['controller', 'broker'], storage: storage(a, true) }, clusterLabel)]
      : [
          doc('KafkaNodePool', 'controllers', ns, { replicas: a.controllers, roles: ['controller'], storage: storage(a, true) }, clusterLabel),
          doc('KafkaNodePool', 'brokers', ns, { replicas: a.brokers, roles: ['broker'], storage: storage(a, false) }, clusterLabel),
        ];

  const topics = a.topics.map((t) => {
    const name = topicResourceName(t.name);
    return doc('KafkaTopic', name, ns, { ...(name !== t.name ? { topicName: t.name } : {}), partitions: t.partitions, replicas: t.replicationFactor, ...(Object.keys(t.config).length ? { config: t.config } : {}) }, clusterLabel);
  });

  // One KafkaUser per user named anywhere: SCRAM users, ACL principals, quota entities.
  const userNames = [...new Set([...a.scramUsers.map((u) => u.username), ...a.acls.map((x) => x.principal.slice('User:'.length)), ...a.quotas.map((q) => q.entityName)])].sort();
  const users = userNames.map((user) => {
    const acls = a.acls
      .filter((x) => x.principal === `User:${user}`)
      .map((x) => ({
        resource: { type: RESOURCE_TYPES[x.resourceType], ...(x.resourceType === 'Cluster' ? {} : { name: x.resourceName, patternType: x.patternType === 'Prefixed' ? 'prefix' : 'literal' }) },
        operations: [x.operation],
        host: x.host,
        type: x.permission.toLowerCase(),
      }));
    const quota = a.quotas.find((q) => q.entityName === user);
    return doc(
      'KafkaUser',
      user,
      ns,
      {
        // The listener's mechanism: Strimzi creates the SCRAM password or client certificate in a Secret named like the user.
        authentication: { type: a.authentication },
        ...(acls.length ? { authorization: { type: 'simple', acls } } : {}),
        ...(quota
          ? {
              quotas: {
                ...(quota.producerByteRate !== undefined ? { producerByteRate: quota.producerByteRate } : {}),
                ...(quota.consumerByteRate !== undefined ? { consumerByteRate: quota.consumerByteRate } : {}),
                ...(quota.requestPercentage !== undefined ? { requestPercentage: quota.requestPercentage } : {}),
              },
            }
          : {}),
      },
      clusterLabel,
    );
  });

  const files: Files = {
    'kafka.yaml': yaml([kafka, ...pools]),
    'topics.yaml': yaml(topics),
    'users.yaml': yaml(users),
  };
  const resources = ['kafka.yaml', 'topics.yaml', 'users.yaml'];
  if (a.mirrorMaker2) {
    const mm2User = `${a.clusterName}-mirror-maker`;
    files['mirrormaker2.yaml'] = yaml([
      doc(
        'KafkaUser',
        mm2User,
        ns,
        {
          authentication: { type: a.authentication },
          authorization: {
            type: 'simple',
            // What MirrorMaker needs on the target: create and write mirrored and internal topics, its Connect group, offsets of mirrored groups.
            acls: [
              { resource: { type: 'topic', name: '*', patternType: 'literal' }, operations: ['All'], host: '*', type: 'allow' },
              { resource: { type: 'group', name: '*', patternType: 'literal' }, operations: ['All'], host: '*', type: 'allow' },
              { resource: { type: 'cluster' }, operations: ['Describe', 'DescribeConfigs'], host: '*', type: 'allow' },
            ],
          },
        },
        clusterLabel,
      ),
      doc('KafkaMirrorMaker2', `${a.clusterName}-mirror`, ns, {
        version: a.kafkaVersion,
        replicas: 1,
        target: {
          alias: a.clusterName,
          bootstrapServers: `${a.clusterName}-kafka-bootstrap:9093`,
          groupId: `${a.clusterName}-mirror-maker`,
          configStorageTopic: `${a.clusterName}-mirror-maker-config`,
          offsetStorageTopic: `${a.clusterName}-mirror-maker-offset`,
          statusStorageTopic: `${a.clusterName}-mirror-maker-status`,
          tls: { trustedCertificates: [{ secretName: `${a.clusterName}-cluster-ca-cert`, pattern: '*.crt' }] },
          authentication:
            a.authentication === 'tls'
              ? { type: 'tls', certificateAndKey: { secretName: mm2User, certificate: 'user.crt', key: 'user.key' } }
              : { type: 'scram-sha-512', username: mm2User, passwordSecret: { secretName: mm2User, password: 'password' } },
          config: { 'config.storage.replication.factor': -1, 'offset.storage.replication.factor': -1, 'status.storage.replication.factor': -1 },
        },
        mirrors: [
          {
            source: { alias: a.mirrorSourceAlias, bootstrapServers: a.mirrorSourceBootstrap },
            sourceConnector: { tasksMax: 2, config: { 'replication.factor': -1, 'offset-syncs.topic.replication.factor': -1, 'offset-syncs.topic.location': 'target', 'sync.topic.acls.enabled': 'false' } },
            checkpointConnector: { tasksMax: 1, config: { 'checkpoints.topic.replication.factor': -1, 'sync.group.offsets.enabled': 'true' } },
            topicsPattern: a.mirrorTopics.join('|'),
            groupsPattern: a.mirrorGroups.join('|'),
          },
        ],
      }),
    ]);
    resources.push('mirrormaker2.yaml');
  }
  files['kustomization.yaml'] = YAML.stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', namespace: ns, resources });
  files['README.md'] = render('strimzi/README.md', { ...a, strimziVersion: STRIMZI_VERSION, userNames, topicCount: topics.length, resources });
  return files;
}
