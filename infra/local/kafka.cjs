'use strict';
// Which Kafka: versions, what each needs from Maven Central, and its logging setup. The broker and
// the Connect worker may come from different releases (some 4.x releases lack connect-file).

const path = require('node:path');
const { mavenFetch } = require('./maven.cjs');

// The newest Kafka whose broker Maven Central serves whole. KAFKA_VERSION=3.9.1 selects the last
// 3.x line (CI runs the integration suite on both).
const DEFAULT_KAFKA_VERSION = '4.4.0';
const SCALA = '2.13';

function versionAtLeast(version, min) {
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) > (b[i] || 0);
  return true;
}

// Some 4.x releases were published to Central without connect-file (the FileStream connectors the
// shared worker runs): 4.0.1, 4.2.1, 4.3.2, 4.4.0. Their Connect worker runs from the nearest
// release that has it; Connect talks to the broker as a client, and clients of any 4.x (indeed
// 3.x) speak to a 4.x broker.
const CONNECT_FALLBACK = { '4.0.1': '4.0.0', '4.2.1': '4.2.0', '4.3.2': '4.3.1', '4.4.0': '4.3.1' };

/** Everything that depends on the broker version; env KAFKA_CONNECT_VERSION overrides Connect's. */
function release(version = process.env.KAFKA_VERSION || DEFAULT_KAFKA_VERSION, connectVersion = process.env.KAFKA_CONNECT_VERSION) {
  const kafka4 = versionAtLeast(version, '4.0.0');
  return {
    version,
    kafka4,
    connectVersion: connectVersion || CONNECT_FALLBACK[version] || version,
    // 4.4 moved ConfigCommand (our SCRAM setup) out of the broker jar into kafka-tools.
    configCommand: versionAtLeast(version, '4.4.0') ? 'org.apache.kafka.tools.ConfigCommand' : 'kafka.admin.ConfigCommand',
    // Measured on 4.4.0 with Kafka's own tools: a plain format finalizes group.version=1 and
    // share.version=2 (no config needed), group.coordinator.rebalance.protocols defaults to
    // classic,consumer,streams; a KIP-848 consumer lists as type Consumer, a share consumer as Share.
    groupProtocols: kafka4 ? ['classic', 'consumer'] : ['classic'],
    shareGroups: versionAtLeast(version, '4.4.0'),
  };
}

// Kafka's POMs carry no logging binding; 3.x logs through reload4j, 4.x through log4j2 (as the
// distributions ship them).
function loggingDeps(version) {
  if (!versionAtLeast(version, '4.0.0')) {
    return [
      { g: 'org.slf4j', a: 'slf4j-reload4j', v: '1.7.36' },
      { g: 'ch.qos.reload4j', a: 'reload4j', v: '1.2.25' },
    ];
  }
  return [
    { g: 'org.apache.logging.log4j', a: 'log4j-slf4j-impl', v: '2.24.3' },
    { g: 'org.apache.logging.log4j', a: 'log4j-core', v: '2.24.3' },
    { g: 'org.apache.logging.log4j', a: 'log4j-api', v: '2.24.3' },
  ];
}

/** The logging config for a JVM running jars of `version`: reload4j syntax for 3.x, log4j2 properties for 4.x. */
function log4jProps(logFile, version, level = 'INFO') {
  if (versionAtLeast(version, '4.0.0')) {
    return `status=warn
appender.file.type=File
appender.file.name=file
appender.file.fileName=${logFile}
appender.file.append=true
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=${level.toLowerCase()}
rootLogger.appenderRef.file.ref=file
logger.clients.name=org.apache.kafka.clients
logger.clients.level=warn
logger.request.name=kafka.request.logger
logger.request.level=warn
logger.reflections.name=org.reflections
logger.reflections.level=error
`;
  }
  return `log4j.rootLogger=${level}, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=${logFile}
log4j.appender.file.Append=true
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.org.apache.kafka.clients=WARN
log4j.logger.kafka.request.logger=WARN
log4j.logger.org.reflections=ERROR
`;
}

/** JVM flags naming a log4jProps() file to both logging systems, so callers need not know which runs. */
function logFlags(configFile) {
  return [`-Dlog4j.configuration=file:${configFile}`, `-Dlog4j2.configurationFile=${configFile}`];
}

const kafkaLibDir = (cache, version) => path.join(cache, `kafka-${version}`, 'lib');
const connectLibDir = (cache, version) => path.join(cache, `connect-${version}`, 'lib');

/** Broker, StorageTool and (4.x) kafka-tools: ConfigCommand on 4.4+, FeatureCommand, the perf tools. */
function fetchKafka(cache, version, log) {
  return mavenFetch(
    `kafka-${version}`,
    [
      { g: 'org.apache.kafka', a: `kafka_${SCALA}`, v: version },
      ...(versionAtLeast(version, '4.0.0') ? [{ g: 'org.apache.kafka', a: 'kafka-tools', v: version }] : []),
      ...loggingDeps(version),
    ],
    kafkaLibDir(cache, version),
    { cache, log },
  );
}

function fetchConnect(cache, version, log) {
  return mavenFetch(
    `connect-${version}`,
    [
      { g: 'org.apache.kafka', a: 'connect-runtime', v: version },
      { g: 'org.apache.kafka', a: 'connect-file', v: version },
      { g: 'org.apache.kafka', a: 'connect-json', v: version },
      ...loggingDeps(version),
    ],
    connectLibDir(cache, version),
    { cache, log },
  );
}

module.exports = { DEFAULT_KAFKA_VERSION, SCALA, CONNECT_FALLBACK, versionAtLeast, release, loggingDeps, log4jProps, logFlags, kafkaLibDir, connectLibDir, fetchKafka, fetchConnect };
