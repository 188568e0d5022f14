'use strict';
// Configuration files for the broker (single-node KRaft, four client listeners) and the shared
// Connect worker, and the storage format step, as pure functions of ports, paths and version.

const crypto = require('node:crypto');
const { HOST } = require('./util.cjs');

const USERS = [
  { name: 'alice', password: 'alice-secret' },
  { name: 'bob', password: 'bob-secret' },
  // In super.users, so ACL tests have an identity that bypasses the ACLs they create.
  { name: 'admin', password: 'admin-secret' },
];
const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'];

function jaas(listener) {
  const plainUsers = USERS.map((u) => `user_${u.name}="${u.password}"`).join(' ');
  return [
    `listener.name.${listener}.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" ${plainUsers};`,
    `listener.name.${listener}.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
    `listener.name.${listener}.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
    // No server callback handler configured = Kafka's unsecured JWS validator (alg "none"
    // tokens with sub/iat/exp claims), so tests can mint tokens from a local token endpoint.
    `listener.name.${listener}.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="admin";`,
  ];
}

/**
 * The KRaft lines every node of ours carries: `nodeId` talks to a single controller (node 1) on
 * controllerPort; node 1 is also that controller. `listeners` are the client listeners, without
 * the controller's.
 */
function kraftNode({ nodeId = 1, controllerPort, listeners, protocolMap, dataDir }) {
  const controller = nodeId === 1 ? `,CONTROLLER://${HOST}:${controllerPort}` : '';
  return [
    `process.roles=${nodeId === 1 ? 'broker,controller' : 'broker'}`,
    `node.id=${nodeId}`,
    `controller.quorum.voters=1@${HOST}:${controllerPort}`,
    'controller.listener.names=CONTROLLER',
    `listeners=${listeners}${controller}`,
    `advertised.listeners=${listeners}`,
    `listener.security.protocol.map=${protocolMap},CONTROLLER:PLAINTEXT`,
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${dataDir}`,
    // One node holds the internal topics; quick first group joins for tests.
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
  ];
}

/** The shared broker: PLAINTEXT, SSL (mTLS), SASL_PLAINTEXT and SASL_SSL on `ports`. */
function serverProperties({ ports, dataDir, certs, storePassword }) {
  const adv = `PLAINTEXT://${HOST}:${ports.plaintext},SSL://${HOST}:${ports.ssl},SASL_PLAINTEXT://${HOST}:${ports.sasl},SASL_SSL://${HOST}:${ports.saslSsl}`;
  return [
    ...kraftNode({
      controllerPort: ports.controller,
      listeners: adv,
      protocolMap: 'PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL',
      dataDir,
    }),
    'num.partitions=1',
    'default.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.num.partitions=10',
    'min.insync.replicas=1',
    'delete.topic.enable=true',
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found=true',
    'super.users=User:ANONYMOUS;User:admin',
    `ssl.keystore.type=PKCS12`,
    `ssl.keystore.location=${certs.keystore}`,
    `ssl.keystore.password=${storePassword}`,
    `ssl.key.password=${storePassword}`,
    `ssl.truststore.type=PKCS12`,
    `ssl.truststore.location=${certs.truststore}`,
    `ssl.truststore.password=${storePassword}`,
    'listener.name.ssl.ssl.client.auth=required',
    'listener.name.sasl_ssl.ssl.client.auth=none',
    `sasl.enabled.mechanisms=${SASL_MECHANISMS.join(',')}`,
    ...jaas('sasl_plaintext'),
    ...jaas('sasl_ssl'),
    'log.retention.check.interval.ms=30000',
    // After a SIGKILL (killBroker) the restarted broker cannot register until the controller
    // expires its old session; the 9 s default made every restart take ~15 s.
    'broker.session.timeout.ms=4000',
    'broker.heartbeat.interval.ms=1000',
    // Share groups (4.x) keep their state in an internal topic; one replica on one node.
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    '',
  ].join('\n');
}

/**
 * A distributed Connect worker on `port` with its own group and internal topics ([configs,
 * offsets, status]), one replica each; `extra` lines follow (plugin path, discovery mode...).
 */
function connectWorkerProperties({ bootstrap, groupId, topics, port, extra = [] }) {
  return [
    `bootstrap.servers=${bootstrap}`,
    `group.id=${groupId}`,
    'key.converter=org.apache.kafka.connect.json.JsonConverter',
    'value.converter=org.apache.kafka.connect.json.JsonConverter',
    // Connect creates these through the Admin API, so auto.create.topics=false is fine.
    `config.storage.topic=${topics[0]}`,
    `offset.storage.topic=${topics[1]}`,
    `status.storage.topic=${topics[2]}`,
    'config.storage.replication.factor=1',
    'offset.storage.replication.factor=1',
    'status.storage.replication.factor=1',
    'offset.storage.partitions=1',
    'status.storage.partitions=1',
    'offset.flush.interval.ms=1000',
    // Quick group join/rebalance for tests on one worker.
    'scheduled.rebalance.max.delay.ms=0',
    `listeners=http://${HOST}:${port}`,
    `rest.advertised.host.name=${HOST}`,
    `rest.advertised.port=${port}`,
    ...extra,
    '',
  ].join('\n');
}

/** The shared worker: FileStream connectors from its classpath. */
function connectProperties({ ports }) {
  return connectWorkerProperties({
    bootstrap: `${HOST}:${ports.plaintext}`,
    groupId: 'kafka-suite-connect',
    topics: ['_kafka-suite-connect-configs', '_kafka-suite-connect-offsets', '_kafka-suite-connect-status'],
    port: ports.connect,
    // FileStream connectors sit on the worker classpath; service-loader discovery finds them.
    extra: ['key.converter.schemas.enable=true', 'value.converter.schemas.enable=true', 'plugin.discovery=service_load'],
  });
}

/** A KRaft cluster id. About one random id in 64 starts with '-', which StorageTool reads as an option; Kafka's own Uuid.randomUuid() draws again in that case, and so do we. */
function newClusterId() {
  let id;
  do id = crypto.randomBytes(16).toString('base64url');
  while (id.startsWith('-'));
  return id;
}

/** java arguments (after the JVM flags and -cp) that format a node's storage, with SCRAM users if given. */
function storageFormatArgs({ clusterId, propsFile, scramUsers = [] }) {
  const args = ['kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId}`, '-c', propsFile];
  for (const u of scramUsers) {
    for (const m of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) args.push('--add-scram', `${m}=[name=${u.name},password=${u.password}]`);
  }
  return args;
}

module.exports = { USERS, SASL_MECHANISMS, jaas, kraftNode, serverProperties, connectWorkerProperties, connectProperties, newClusterId, storageFormatArgs };
