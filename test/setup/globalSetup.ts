// Starts (or finds) the Kafka broker, schema registry and Connect worker the integration tests
// use, and publishes how to reach them as env vars: Jest creates its workers after this hook, so
// they inherit process.env. Order of preference:
//   1. KAFKA_BOOTSTRAP_SERVERS already set: the caller brings the services (and the other vars).
//   2. A Docker engine answers: containers via testcontainers.
//   3. Otherwise: real JVM processes from infra/local/services.cjs (the path CI machines without
//      Docker take). KAFKA_SUITE_LOCAL=1 takes this path even where Docker answers (the second
//      Kafka version's run, test/setup/run-on-kafka.mjs, needs its own ports and state).
// KAFKA_VERSION picks the Kafka version in both the container and the local path.
// KAFKA_SUITE_NO_SERVICES=1 skips all of it (unit-only runs).
import * as path from 'node:path';

const SERVICES_MODULE = path.resolve(__dirname, '..', '..', 'infra', 'local', 'services.cjs');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkaRelease = (require(path.resolve(__dirname, '..', '..', 'infra', 'local', 'kafka.cjs')) as { release(): { version: string } }).release();

export interface SetupState {
  mode: 'none' | 'external' | 'containers' | 'local';
  stop?: () => Promise<void>;
}

declare global {
  // Shared with globalTeardown.ts, which Jest runs in the same process.
  var __KAFKA_SUITE_SETUP__: SetupState | undefined;
}

interface LocalFacts {
  bootstrap: { plaintext: string; ssl: string; sasl: string; saslSsl: string };
  testUser: string;
  testPassword: string;
  tls: { caFile: string; wrongCaFile: string; clientCertFile: string; clientKeyFile: string; clientKeyPassphrase: string };
  schemaRegistry: { url: string };
  connectUrl: string;
  servicesModule: string;
  kafkaVersion: string;
}

interface ServicesModule {
  start(options: { lease?: boolean; log?: (msg: string) => void }): Promise<LocalFacts>;
  release(): Promise<{ stopped: string[]; reason?: string }>;
}

async function dockerAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

// Untested: there is no Docker engine on the machines this suite was written on. Only the
// plaintext listener, the registry and Connect are published in this mode; tests that need
// TLS/SASL read facts.ts, which names the missing variable.
async function startContainers(): Promise<SetupState> {
  const { GenericContainer, Network, Wait } = await import('testcontainers');
  const network = await new Network().start();
  const kafka = await new GenericContainer(`apache/kafka:${kafkaRelease.version}`)
    .withNetwork(network)
    .withNetworkAliases('kafka')
    .withExposedPorts({ container: 9092, host: 9092 })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,INTERNAL://:19092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://127.0.0.1:9092,INTERNAL://kafka:19092',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'INTERNAL',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    })
    .withWaitStrategy(Wait.forListeningPorts())
    .start();
  const registry = await new GenericContainer('apicurio/apicurio-registry:3.0.9')
    .withExposedPorts({ container: 8080, host: 8081 })
    .withWaitStrategy(Wait.forHttp('/apis/ccompat/v7/subjects', 8080))
    .start();
  const connect = await new GenericContainer(`apache/kafka:${kafkaRelease.version}`)
    .withNetwork(network)
    .withExposedPorts({ container: 8083, host: 8083 })
    .withCommand([
      'sh',
      '-c',
      'sed -i "s/^bootstrap.servers=.*/bootstrap.servers=kafka:19092/; s/replication.factor=3/replication.factor=1/" /opt/kafka/config/connect-distributed.properties && ' +
        'echo plugin.path=/opt/kafka/libs >> /opt/kafka/config/connect-distributed.properties && ' +
        'exec /opt/kafka/bin/connect-distributed.sh /opt/kafka/config/connect-distributed.properties',
    ])
    .withWaitStrategy(Wait.forHttp('/connectors', 8083))
    .start();
  process.env.KAFKA_BOOTSTRAP_SERVERS = '127.0.0.1:9092';
  process.env.SCHEMA_REGISTRY_URL = 'http://127.0.0.1:8081/apis/ccompat/v7';
  process.env.KAFKA_CONNECT_URL = 'http://127.0.0.1:8083';
  return {
    mode: 'containers',
    stop: async () => {
      await connect.stop();
      await registry.stop();
      await kafka.stop();
      await network.stop();
    },
  };
}

async function startLocal(): Promise<SetupState> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const services = require(SERVICES_MODULE) as ServicesModule;
  let f: LocalFacts;
  try {
    // A lease, not ownership: another engineer's Jest run may share these services; the last
    // run to finish stops them (see release() in services.cjs).
    f = await services.start({ lease: true, log: (msg) => process.stderr.write(`[kafka-suite] ${msg}\n`) });
  } catch (e) {
    const err = e as Error & { logTail?: string; logFile?: string };
    if (err.logTail) process.stderr.write(`--- last lines of ${err.logFile} ---\n${err.logTail}\n`);
    throw err;
  }
  const env: Record<string, string> = {
    KAFKA_BOOTSTRAP_SERVERS: f.bootstrap.plaintext,
    KAFKA_SSL_BOOTSTRAP: f.bootstrap.ssl,
    KAFKA_SASL_BOOTSTRAP: f.bootstrap.sasl,
    KAFKA_SASL_SSL_BOOTSTRAP: f.bootstrap.saslSsl,
    KAFKA_CA_FILE: f.tls.caFile,
    KAFKA_WRONG_CA_FILE: f.tls.wrongCaFile,
    KAFKA_CLIENT_CERT_FILE: f.tls.clientCertFile,
    KAFKA_CLIENT_KEY_FILE: f.tls.clientKeyFile,
    KAFKA_CLIENT_KEY_PASSPHRASE: f.tls.clientKeyPassphrase,
    KAFKA_TEST_USER: f.testUser,
    KAFKA_TEST_PASSWORD: f.testPassword,
    SCHEMA_REGISTRY_URL: f.schemaRegistry.url,
    KAFKA_CONNECT_URL: f.connectUrl,
    KAFKA_SUITE_SERVICES_MODULE: f.servicesModule,
    // The shared broker's version, so 4.x-only tests (share groups, KIP-848) can use it instead of their own.
    KAFKA_SHARED_BROKER_VERSION: f.kafkaVersion,
  };
  Object.assign(process.env, env);
  return { mode: 'local', stop: async () => void (await services.release()) };
}

export default async function globalSetup(): Promise<void> {
  let state: SetupState;
  if (process.env.KAFKA_SUITE_NO_SERVICES === '1') state = { mode: 'none' };
  else if (process.env.KAFKA_BOOTSTRAP_SERVERS) state = { mode: 'external' };
  else if (process.env.KAFKA_SUITE_LOCAL !== '1' && (await dockerAnswers())) state = await startContainers();
  else state = await startLocal();
  globalThis.__KAFKA_SUITE_SETUP__ = state;
}
