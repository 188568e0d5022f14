import YAML from 'yaml';
import type { Files } from '../shared/generator';
import { render } from '../shared/templates';
import {
  EXPORTED_METRICS,
  JMX_EXPORTER,
  alertRules,
  grafanaDashboardProvider,
  grafanaDatasources,
  jmxExporterConfig,
  lagDashboard,
  prometheusConfig,
  throughputDashboard,
} from './monitoring';
import type { ComposeAnswers } from './schema';

/** Every image pinned to a release tag (never latest); Bitnami is deliberately absent. */
export const IMAGES = {
  kafka: 'apache/kafka:3.9.1',
  redpanda: 'docker.redpanda.com/redpandadata/redpanda:v24.2.7',
  schemaRegistry: 'confluentinc/cp-schema-registry:7.9.0',
  connect: 'confluentinc/cp-kafka-connect:7.9.0',
  kafkaUi: 'ghcr.io/kafbat/kafka-ui:v1.1.0',
  kafkaExporter: 'danielqsj/kafka-exporter:v1.8.0',
  curl: 'curlimages/curl:8.11.1',
  prometheus: 'prom/prometheus:v3.1.0',
  grafana: 'grafana/grafana:11.4.0',
  n8n: 'n8nio/n8n:2.41.1',
} as const;

/** Our own package version, installed into the n8n image. */
export const NODE_PACK = 'n8n-nodes-kafka-suite@0.2.0';
/** Fixed so a recreated stack keeps its data; any base64 UUID works. */
const CLUSTER_IDS = { main: 'ks-main-cluster-00001A', target: 'ks-target-cluster-001A' };

type Service = Record<string, unknown>;

const health = (test: string, start = '20s') => ({ test: ['CMD-SHELL', test], interval: '10s', timeout: '10s', retries: 12, start_period: start });

function kafkaNode(prefix: string, id: number, count: number, clusterId: string, externalPort: number | null): Service {
  const host = `${prefix}-${id}`;
  const voters = Array.from({ length: count }, (_, i) => `${i + 1}@${prefix}-${i + 1}:9093`).join(',');
  const rf = String(Math.min(3, count));
  return {
    image: IMAGES.kafka,
    hostname: host,
    environment: {
      KAFKA_NODE_ID: String(id),
      KAFKA_PROCESS_ROLES: 'broker,controller',
      CLUSTER_ID: clusterId,
      KAFKA_CONTROLLER_QUORUM_VOTERS: voters,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENERS: `PLAINTEXT://:9092,CONTROLLER://:9093${externalPort ? ',EXTERNAL://:9094' : ''}`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:9092${externalPort ? `,EXTERNAL://localhost:${externalPort}` : ''}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,EXTERNAL:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
      KAFKA_LOG_DIRS: '/var/lib/kafka/data',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: rf,
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: rf,
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: String(Math.min(2, count)),
      KAFKA_DEFAULT_REPLICATION_FACTOR: rf,
      KAFKA_MIN_INSYNC_REPLICAS: String(Math.min(2, count)),
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    },
    ...(externalPort ? { ports: [`${externalPort}:9094`] } : {}),
    volumes: [`${host}-data:/var/lib/kafka/data`],
    healthcheck: health('/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:9092 > /dev/null 2>&1', '30s'),
    restart: 'unless-stopped',
  };
}

function redpandaNode(prefix: string, id: number, externalPort: number | null): Service {
  const host = `${prefix}-${id}`;
  const ext = externalPort ?? 0;
  return {
    image: IMAGES.redpanda,
    hostname: host,
    command: [
      'redpanda',
      'start',
      `--kafka-addr=internal://0.0.0.0:9092${ext ? ',external://0.0.0.0:19092' : ''}`,
      `--advertise-kafka-addr=internal://${host}:9092${ext ? `,external://localhost:${ext}` : ''}`,
      '--schema-registry-addr=internal://0.0.0.0:8081',
      '--pandaproxy-addr=internal://0.0.0.0:8082',
      `--advertise-pandaproxy-addr=internal://${host}:8082`,
      `--rpc-addr=${host}:33145`,
      `--advertise-rpc-addr=${host}:33145`,
      `--seeds=${prefix}-1:33145`,
      '--mode=dev-container',
      '--smp=1',
      '--memory=1G',
      '--default-log-level=info',
    ],
    ...(ext ? { ports: [`${ext}:19092`] } : {}),
    volumes: [`${host}-data:/var/lib/redpanda/data`],
    healthcheck: health("rpk cluster health | grep -E 'Healthy:.+true'"),
    restart: 'unless-stopped',
  };
}

export function renderComposeStack(a: ComposeAnswers): Files {
  const has = (s: (typeof a.services)[number]) => a.services.includes(s);
  const prefix = a.broker === 'kafka' ? 'kafka' : 'redpanda';
  const brokerHosts = Array.from({ length: a.nodes }, (_, i) => `${prefix}-${i + 1}`);
  const bootstrap = brokerHosts.map((h) => `${h}:9092`).join(',');
  const externalPorts = brokerHosts.map((_, i) => 19092 + i * 10000);
  const services: Record<string, Service> = {};
  const volumes: Record<string, object> = {};
  const healthy = (names: string[]) => Object.fromEntries(names.map((n) => [n, { condition: 'service_healthy' }]));

  brokerHosts.forEach((host, i) => {
    services[host] = a.broker === 'kafka' ? kafkaNode(prefix, i + 1, a.nodes, CLUSTER_IDS.main, externalPorts[i]) : redpandaNode(prefix, i + 1, externalPorts[i]);
    volumes[`${host}-data`] = {};
  });

  // Redpanda has a Confluent-compatible registry built in; Kafka gets Confluent's community-licensed one.
  let registryUrl: string | null = null;
  if (has('schema-registry')) {
    if (a.broker === 'kafka') {
      services['schema-registry'] = {
        image: IMAGES.schemaRegistry,
        hostname: 'schema-registry',
        depends_on: healthy(brokerHosts),
        environment: {
          SCHEMA_REGISTRY_HOST_NAME: 'schema-registry',
          SCHEMA_REGISTRY_LISTENERS: 'http://0.0.0.0:8081',
          SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: brokerHosts.map((h) => `PLAINTEXT://${h}:9092`).join(','),
          SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR: String(Math.min(3, a.nodes)),
        },
        ports: ['8081:8081'],
        healthcheck: health('curl -fsS http://localhost:8081/subjects > /dev/null'),
        restart: 'unless-stopped',
      };
      registryUrl = 'http://schema-registry:8081';
    } else {
      services[brokerHosts[0]].ports = [...((services[brokerHosts[0]].ports as string[]) ?? []), '8081:8081'];
      registryUrl = `http://${brokerHosts[0]}:8081`;
    }
  }

  if (has('connect')) {
    const rf = String(Math.min(3, a.nodes));
    services.connect = {
      image: IMAGES.connect,
      hostname: 'connect',
      depends_on: healthy(brokerHosts),
      environment: {
        CONNECT_BOOTSTRAP_SERVERS: bootstrap,
        CONNECT_REST_ADVERTISED_HOST_NAME: 'connect',
        CONNECT_GROUP_ID: `${a.name}-connect`,
        CONNECT_CONFIG_STORAGE_TOPIC: '_connect-configs',
        CONNECT_OFFSET_STORAGE_TOPIC: '_connect-offsets',
        CONNECT_STATUS_STORAGE_TOPIC: '_connect-status',
        CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR: rf,
        CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR: rf,
        CONNECT_STATUS_STORAGE_REPLICATION_FACTOR: rf,
        CONNECT_KEY_CONVERTER: 'org.apache.kafka.connect.storage.StringConverter',
        CONNECT_VALUE_CONVERTER: 'org.apache.kafka.connect.json.JsonConverter',
        CONNECT_VALUE_CONVERTER_SCHEMAS_ENABLE: 'false',
        CONNECT_PLUGIN_PATH: '/usr/share/java,/usr/share/confluent-hub-components',
      },
      ports: ['8083:8083'],
      healthcheck: health('curl -fsS http://localhost:8083/connectors > /dev/null', '60s'),
      restart: 'unless-stopped',
    };
  }

  let targetHost: string | null = null;
  if (has('mirrormaker2')) {
    // A second single-node cluster to mirror into, of the same kind as the main one.
    targetHost = `${prefix}-target-1`;
    services[targetHost] =
      a.broker === 'kafka' ? kafkaNode(`${prefix}-target`, 1, 1, CLUSTER_IDS.target, 19192) : redpandaNode(`${prefix}-target`, 1, 19192);
    volumes[`${targetHost}-data`] = {};
    services['mirror-maker'] = {
      image: IMAGES.kafka,
      hostname: 'mirror-maker',
      depends_on: healthy([...brokerHosts, targetHost]),
      command: ['/opt/kafka/bin/connect-mirror-maker.sh', '/etc/mm2/mm2.properties'],
      volumes: ['./mm2/mm2.properties:/etc/mm2/mm2.properties:ro'],
      healthcheck: health('grep -q MirrorMaker /proc/1/cmdline', '30s'),
      restart: 'unless-stopped',
    };
  }

  if (has('kafka-ui')) {
    const env: Record<string, string> = {
      DYNAMIC_CONFIG_ENABLED: 'false',
      KAFKA_CLUSTERS_0_NAME: a.name,
      KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS: bootstrap,
    };
    if (registryUrl) env.KAFKA_CLUSTERS_0_SCHEMAREGISTRY = registryUrl;
    if (has('connect')) {
      env.KAFKA_CLUSTERS_0_KAFKACONNECT_0_NAME = 'connect';
      env.KAFKA_CLUSTERS_0_KAFKACONNECT_0_ADDRESS = 'http://connect:8083';
    }
    if (targetHost) {
      env.KAFKA_CLUSTERS_1_NAME = `${a.name}-target`;
      env.KAFKA_CLUSTERS_1_BOOTSTRAPSERVERS = `${targetHost}:9092`;
    }
    services['kafka-ui'] = {
      image: IMAGES.kafkaUi,
      hostname: 'kafka-ui',
      depends_on: healthy(brokerHosts),
      environment: env,
      ports: ['8080:8080'],
      healthcheck: health('wget -q -O /dev/null http://localhost:8080/actuator/health'),
      restart: 'unless-stopped',
    };
  }

  const files: Files = {};
  const jmx = has('monitoring') && a.broker === 'kafka';
  if (jmx) {
    // The apache/kafka image has no JMX exporter: a one-shot container fetches the agent from Maven
    // Central (checksum verified) into a volume the brokers mount read-only.
    const jar = `/opt/jmx-exporter/jmx_prometheus_javaagent-${JMX_EXPORTER.version}.jar`;
    services['jmx-exporter-agent'] = {
      image: IMAGES.curl,
      user: 'root',
      entrypoint: ['sh', '-c'],
      command: [`test -s ${jar} || (curl -fsSL -o ${jar}.part ${JMX_EXPORTER.url(JMX_EXPORTER.version)} && echo "${JMX_EXPORTER.sha1}  ${jar}.part" | sha1sum -c - && mv ${jar}.part ${jar})`],
      volumes: ['jmx-exporter:/opt/jmx-exporter'],
      healthcheck: health(`test -s ${jar}`, '5s'),
      // A failed download (network) is retried a few times; a checksum mismatch fails the same way each time.
      restart: 'on-failure:3',
    };
    volumes['jmx-exporter'] = {};
    for (const host of brokerHosts) {
      const broker = services[host] as Service & { environment: Record<string, string>; volumes: string[]; healthcheck: { test: string[] } };
      broker.environment.KAFKA_OPTS = `-javaagent:${jar}=${JMX_EXPORTER.port}:/etc/jmx-exporter/kafka-broker.yml`;
      broker.volumes.push('jmx-exporter:/opt/jmx-exporter:ro', './monitoring/jmx-exporter.yml:/etc/jmx-exporter/kafka-broker.yml:ro');
      broker.depends_on = { 'jmx-exporter-agent': { condition: 'service_completed_successfully' } };
      // Every Kafka script passes KAFKA_OPTS to its JVM: without clearing it the health check's JVM
      // would load the agent too and fail to bind the broker's metrics port.
      broker.healthcheck.test = ['CMD-SHELL', `KAFKA_OPTS= ${broker.healthcheck.test[1]}`];
    }
  }
  if (has('monitoring')) {
    services['kafka-exporter'] = {
      image: IMAGES.kafkaExporter,
      hostname: 'kafka-exporter',
      depends_on: healthy(brokerHosts),
      command: brokerHosts.map((h) => `--kafka.server=${h}:9092`),
      ports: ['9308:9308'],
      healthcheck: health('wget -q -O /dev/null http://localhost:9308/metrics'),
      restart: 'unless-stopped',
    };
    services.prometheus = {
      image: IMAGES.prometheus,
      hostname: 'prometheus',
      depends_on: healthy(['kafka-exporter']),
      command: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', '--storage.tsdb.retention.time=7d'],
      volumes: [
        './monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
        './monitoring/alert-rules.yml:/etc/prometheus/alert-rules.yml:ro',
        'prometheus-data:/prometheus',
      ],
      ports: ['9090:9090'],
      healthcheck: health('wget -q -O /dev/null http://localhost:9090/-/ready'),
      restart: 'unless-stopped',
    };
    services.grafana = {
      image: IMAGES.grafana,
      hostname: 'grafana',
      depends_on: healthy(['prometheus']),
      environment: { GF_AUTH_ANONYMOUS_ENABLED: 'true', GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer' },
      volumes: [
        './monitoring/grafana/provisioning:/etc/grafana/provisioning:ro',
        './monitoring/grafana/dashboards:/var/lib/grafana/dashboards:ro',
        'grafana-data:/var/lib/grafana',
      ],
      ports: ['3000:3000'],
      healthcheck: health('wget -q -O /dev/null http://localhost:3000/api/health'),
      restart: 'unless-stopped',
    };
    volumes['prometheus-data'] = {};
    volumes['grafana-data'] = {};
    Object.assign(files, monitoringFiles(a.nodes, a.lagAlertThreshold, jmx ? brokerHosts : []));
  }

  if (has('n8n')) {
    services.n8n = {
      build: { context: './n8n' },
      image: `${a.name}-n8n:local`,
      hostname: 'n8n',
      depends_on: healthy(brokerHosts),
      environment: {
        N8N_DIAGNOSTICS_ENABLED: 'false',
        N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
        N8N_SECURE_COOKIE: 'false',
        GENERIC_TIMEZONE: 'UTC',
        // For the credentials: brokers as seen from inside the network.
        KAFKA_BOOTSTRAP_SERVERS: bootstrap,
      },
      volumes: ['n8n-data:/home/node/.n8n'],
      ports: ['5678:5678'],
      healthcheck: health('wget -q -O /dev/null http://localhost:5678/healthz', '30s'),
      restart: 'unless-stopped',
    };
    volumes['n8n-data'] = {};
    files['n8n/Dockerfile'] = render('compose-stack/n8n.Dockerfile', { image: IMAGES.n8n, pack: NODE_PACK });
  }

  const compose = { name: a.name, services, volumes };
  files['compose.yaml'] = `# ${render('_partials/generatedBy', { generatorName: 'compose-stack' }).trim()}\n${composeYaml(compose)}`;
  if (targetHost) {
    files['mm2/mm2.properties'] = render('compose-stack/mm2.properties', {
      source: bootstrap,
      target: `${targetHost}:9092`,
      rf: Math.min(3, a.nodes),
    });
  }
  files['README.md'] = render('compose-stack/README.md', {
    ...a,
    images: Object.entries(IMAGES).map(([k, v]) => ({ k, v })),
    brokerHosts,
    externalBootstrap: externalPorts.map((p) => `localhost:${p}`).join(','),
    bootstrap,
    registryUrl: registryUrl ?? '',
    hasRegistry: has('schema-registry'),
    hasConnect: has('connect'),
    hasUi: has('kafka-ui'),
    hasMm2: has('mirrormaker2'),
    hasMonitoring: has('monitoring'),
    hasN8n: has('n8n'),
    metrics: EXPORTED_METRICS,
    pack: NODE_PACK,
  });
  return files;
}

/**
 * "8080:8080" must stay quoted: YAML 1.1 parsers read unquoted digits-colon-digits as base-60 numbers.
 */
function composeYaml(compose: object): string {
  const doc = new YAML.Document(compose);
  YAML.visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && /^[\d.:]+$/.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/** Also used to keep infra/monitoring/ (the repo's own copy) in sync with the generator. */
export function monitoringFiles(brokers: number, lagThreshold: number, jmxBrokers: string[] = ['kafka-1']): Files {
  const yaml = (v: unknown) => YAML.stringify(v, { lineWidth: 0 });
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  return {
    'monitoring/prometheus.yml': yaml(prometheusConfig({ lag: ['kafka-exporter:9308'], broker: jmxBrokers.map((h) => `${h}:${JMX_EXPORTER.port}`) })),
    ...(jmxBrokers.length ? { 'monitoring/jmx-exporter.yml': yaml(jmxExporterConfig()) } : {}),
    'monitoring/alert-rules.yml': yaml(alertRules({ brokers, lagThreshold })),
    'monitoring/grafana/provisioning/datasources/prometheus.yml': yaml(grafanaDatasources()),
    'monitoring/grafana/provisioning/dashboards/kafka.yml': yaml(grafanaDashboardProvider()),
    'monitoring/grafana/dashboards/kafka-consumer-lag.json': json(lagDashboard()),
    'monitoring/grafana/dashboards/kafka-throughput.json': json(throughputDashboard()),
  };
}
