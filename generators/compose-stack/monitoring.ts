/**
 * Prometheus scrape config, alert rules, the JMX exporter's broker config and Grafana dashboards as
 * data. Two sources feed them:
 * - lag (job `kafka-lag`): kafka_exporter (danielqsj) in the Compose stack, or a Lag Check node
 *   serving Prometheus text from an n8n webhook. Lag Check writes kafka_exporter's names and labels
 *   (nodes/shared/lag/prometheus.ts), so one vocabulary serves both; what only Lag Check knows (time
 *   lag, Burrow status) has its own names and is listed in LAG_CHECK_ONLY.
 * - broker (job `kafka-broker`): the Prometheus JMX exporter java agent inside each Kafka broker,
 *   with the rules of jmxExporterConfig().
 */
import { LAG_METRICS } from '../../nodes/shared/lag/prometheus';

export const JOBS = { lag: 'kafka-lag', broker: 'kafka-broker' } as const;

/** io.prometheus.jmx:jmx_prometheus_javaagent on Maven Central (the newest release it serves). */
export const JMX_EXPORTER = {
  version: '1.0.1',
  sha1: 'f9c53eb0aa1828c3c9cd7647238563e43a4ed68c',
  port: 9404,
  url: (version: string) => `https://repo.maven.apache.org/maven2/io/prometheus/jmx/jmx_prometheus_javaagent/${version}/jmx_prometheus_javaagent-${version}.jar`,
};

export const BROKER_METRICS = {
  messagesIn: 'kafka_server_brokertopicmetrics_messages_in_total',
  bytesIn: 'kafka_server_brokertopicmetrics_bytes_in_total',
  bytesOut: 'kafka_server_brokertopicmetrics_bytes_out_total',
  underReplicated: 'kafka_server_replicamanager_under_replicated_partitions',
  partitions: 'kafka_server_replicamanager_partitions',
  activeController: 'kafka_controller_kafkacontroller_active_controller_count',
  offlinePartitions: 'kafka_controller_kafkacontroller_offline_partitions_count',
  requestTime: 'kafka_network_requestmetrics_total_time_ms',
} as const;

/** kafka_exporter's own names (its README): the lag metrics below that it serves too. */
export const KAFKA_EXPORTER_METRICS = [
  'kafka_consumergroup_current_offset',
  'kafka_consumergroup_lag',
  'kafka_consumergroup_lag_sum',
  'kafka_consumergroup_members',
  'kafka_topic_partition_current_offset',
] as const;

/** The metrics the rules and dashboards use, for the tests and the README. */
export const EXPORTED_METRICS = [
  LAG_METRICS.partitionLag,
  LAG_METRICS.topicLag,
  LAG_METRICS.committedOffset,
  LAG_METRICS.members,
  LAG_METRICS.groupMaxTimeLag,
  LAG_METRICS.status,
  ...Object.values(BROKER_METRICS),
].sort() as string[];

/** Served by a Lag Check node only: kafka_exporter has no time lag, Burrow status or catch-up estimate. */
export const LAG_CHECK_ONLY: string[] = [LAG_METRICS.partitionTimeLag, LAG_METRICS.groupMaxLag, LAG_METRICS.groupMaxTimeLag, LAG_METRICS.catchUp, LAG_METRICS.status];

/**
 * JMX exporter rules: only the MBeans the rules and dashboards read are queried (a Kafka broker
 * registers thousands; scraping them all costs seconds per scrape).
 */
export function jmxExporterConfig() {
  const M = BROKER_METRICS;
  const topicRate = (mbean: string, name: string) => [
    { pattern: `kafka.server<type=BrokerTopicMetrics, name=${mbean}, topic=(.+)><>Count`, name, type: 'COUNTER', labels: { topic: '$1' } },
  ];
  return {
    lowercaseOutputName: true,
    includeObjectNames: [
      'kafka.server:type=BrokerTopicMetrics,*',
      'kafka.server:type=ReplicaManager,*',
      'kafka.controller:type=KafkaController,*',
      'kafka.network:type=RequestMetrics,name=TotalTimeMs,*',
    ],
    rules: [
      ...topicRate('MessagesInPerSec', M.messagesIn),
      ...topicRate('BytesInPerSec', M.bytesIn),
      ...topicRate('BytesOutPerSec', M.bytesOut),
      { pattern: 'kafka.server<type=ReplicaManager, name=UnderReplicatedPartitions><>Value', name: M.underReplicated, type: 'GAUGE' },
      { pattern: 'kafka.server<type=ReplicaManager, name=PartitionCount><>Value', name: M.partitions, type: 'GAUGE' },
      { pattern: 'kafka.controller<type=KafkaController, name=ActiveControllerCount><>Value', name: M.activeController, type: 'GAUGE' },
      { pattern: 'kafka.controller<type=KafkaController, name=OfflinePartitionsCount><>Value', name: M.offlinePartitions, type: 'GAUGE' },
      {
        pattern: 'kafka.network<type=RequestMetrics, name=TotalTimeMs, request=(Produce|FetchConsumer|Fetch|Metadata|OffsetCommit)><>(50|99)thPercentile',
        name: M.requestTime,
        type: 'GAUGE',
        labels: { request: '$1', quantile: '0.$2' },
      },
    ],
  };
}

export interface ScrapeTargets {
  lag: string[];
  broker: string[];
  /** Compose keeps 15 s; the real-data test scrapes every second. */
  interval?: string;
  ruleFile?: string;
  /** Lag Check served by an n8n webhook: the workflow's path. */
  lagMetricsPath?: string;
}

export function prometheusConfig(t: ScrapeTargets) {
  const interval = t.interval ?? '15s';
  return {
    global: { scrape_interval: interval, evaluation_interval: interval },
    rule_files: [t.ruleFile ?? '/etc/prometheus/alert-rules.yml'],
    scrape_configs: [
      { job_name: JOBS.lag, ...(t.lagMetricsPath ? { metrics_path: t.lagMetricsPath } : {}), static_configs: [{ targets: t.lag }] },
      ...(t.broker.length ? [{ job_name: JOBS.broker, static_configs: [{ targets: t.broker }] }] : []),
    ],
  };
}

export interface RuleOptions {
  brokers: number;
  lagThreshold: number;
  /** Seconds behind (Lag Check's time lag) before KafkaConsumerTimeLagHigh. */
  timeLagThresholdSeconds?: number;
  /**
   * How long a condition must hold. Production waits minutes to ride out a rebalance; the
   * real-data test shortens every wait so an alert fires and resolves within its time budget.
   */
  pending?: { short: string; long: string; stalledWindow: string };
}

export function alertRules(opts: RuleOptions) {
  const L = LAG_METRICS;
  const B = BROKER_METRICS;
  const p = opts.pending ?? { short: '2m', long: '5m', stalledWindow: '10m' };
  const timeLag = opts.timeLagThresholdSeconds ?? 300;
  // max by, not sum by: two lag sources (kafka_exporter and a Lag Check) may report the same group.
  const groupTopicLag = `max by (consumergroup, topic) (${L.topicLag})`;
  return {
    groups: [
      {
        name: 'kafka',
        rules: [
          {
            alert: 'KafkaLagExporterDown',
            expr: `up{job="${JOBS.lag}"} == 0`,
            for: p.short,
            labels: { severity: 'critical' },
            annotations: { summary: 'The lag exporter {{ $labels.instance }} is down: consumer lag is not monitored' },
          },
          {
            alert: 'KafkaBrokerDown',
            expr: `up{job="${JOBS.broker}"} == 0`,
            for: p.short,
            labels: { severity: 'critical' },
            annotations: { summary: 'Broker {{ $labels.instance }} does not answer its metrics scrape' },
          },
          {
            alert: 'KafkaBrokersMissing',
            expr: `count(up{job="${JOBS.broker}"} == 1) < ${opts.brokers}`,
            for: p.short,
            labels: { severity: 'critical' },
            annotations: { summary: `Only {{ $value }} of ${opts.brokers} brokers are up` },
          },
          {
            alert: 'KafkaNoActiveController',
            expr: `sum(${B.activeController}) != 1`,
            for: p.short,
            labels: { severity: 'critical' },
            annotations: { summary: '{{ $value }} active controllers (expected exactly 1)' },
          },
          {
            alert: 'KafkaOfflinePartitions',
            expr: `sum(${B.offlinePartitions}) > 0`,
            for: p.short,
            labels: { severity: 'critical' },
            annotations: { summary: '{{ $value }} partitions have no leader' },
          },
          {
            alert: 'KafkaUnderReplicatedPartitions',
            expr: `sum by (instance) (${B.underReplicated}) > 0`,
            for: p.long,
            labels: { severity: 'warning' },
            annotations: { summary: 'Broker {{ $labels.instance }} leads {{ $value }} under-replicated partitions' },
          },
          {
            alert: 'KafkaConsumerLagHigh',
            expr: `${groupTopicLag} > ${opts.lagThreshold}`,
            for: p.long,
            labels: { severity: 'warning' },
            annotations: { summary: 'Group {{ $labels.consumergroup }} is {{ $value }} messages behind on {{ $labels.topic }}' },
          },
          {
            alert: 'KafkaConsumerTimeLagHigh',
            expr: `max by (consumergroup) (${L.groupMaxTimeLag}) > ${timeLag}`,
            for: p.long,
            labels: { severity: 'warning' },
            annotations: { summary: 'Group {{ $labels.consumergroup }} is {{ $value | humanizeDuration }} behind' },
          },
          {
            // Burrow's verdict (STOP, STALL or REWIND) from a Lag Check.
            alert: 'KafkaConsumerGroupError',
            expr: `max by (consumergroup) (${L.status}{status="ERR"}) == 1`,
            for: p.short,
            labels: { severity: 'critical' },
            annotations: { summary: 'Group {{ $labels.consumergroup }} is in ERR (stopped, stalled or rewound)' },
          },
          {
            // Lag without progress from any source: the group stopped consuming.
            alert: 'KafkaConsumerStalled',
            expr: `${groupTopicLag} > 0 and max by (consumergroup, topic) (rate(${L.committedOffset}[${p.stalledWindow}])) == 0`,
            for: p.stalledWindow,
            labels: { severity: 'critical' },
            annotations: { summary: `Group {{ $labels.consumergroup }} has lag on {{ $labels.topic }} and committed nothing for ${p.stalledWindow}` },
          },
        ],
      },
    ],
  };
}

export const DATASOURCE_UID = 'prometheus';

export function grafanaDatasources() {
  return {
    apiVersion: 1,
    datasources: [{ name: 'Prometheus', uid: DATASOURCE_UID, type: 'prometheus', access: 'proxy', url: 'http://prometheus:9090', isDefault: true }],
  };
}

export function grafanaDashboardProvider() {
  return {
    apiVersion: 1,
    providers: [{ name: 'kafka', folder: 'Kafka', type: 'file', disableDeletion: false, options: { path: '/var/lib/grafana/dashboards' } }],
  };
}

type Query = [expr: string, legend: string];

function panel(id: number, title: string, queries: Query[], unit: string, y: number, x = 0) {
  return {
    id,
    type: 'timeseries',
    title,
    datasource: { type: 'prometheus', uid: DATASOURCE_UID },
    gridPos: { h: 8, w: 12, x, y },
    fieldConfig: { defaults: { unit }, overrides: [] },
    options: { legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] } },
    targets: queries.map(([expr, legend], i) => ({ refId: String.fromCharCode(65 + i), datasource: { type: 'prometheus', uid: DATASOURCE_UID }, expr, legendFormat: legend })),
  };
}

function dashboard(uid: string, title: string, topicSource: string, panels: object[]) {
  return {
    uid,
    title,
    tags: ['kafka'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    templating: {
      list: [
        {
          name: 'topic',
          type: 'query',
          datasource: { type: 'prometheus', uid: DATASOURCE_UID },
          query: { query: `label_values(${topicSource}, topic)`, refId: 'topic' },
          definition: `label_values(${topicSource}, topic)`,
          includeAll: true,
          multi: true,
          current: { text: 'All', value: '$__all' },
          refresh: 2,
        },
      ],
    },
    panels,
  };
}

export function lagDashboard() {
  const L = LAG_METRICS;
  return dashboard('kafka-consumer-lag', 'Kafka consumer lag', L.topicLag, [
    panel(1, 'Lag by group and topic', [[`max by (consumergroup, topic) (${L.topicLag}{topic=~"$topic"})`, '{{consumergroup}} / {{topic}}']], 'short', 0),
    panel(2, 'Consumption rate (offsets committed/s)', [[`sum by (consumergroup, topic) (rate(${L.committedOffset}{topic=~"$topic"}[5m]))`, '{{consumergroup}} / {{topic}}']], 'ops', 0, 12),
    panel(3, 'Lag by partition', [[`${L.partitionLag}{topic=~"$topic"}`, '{{consumergroup}} {{topic}}[{{partition}}]']], 'short', 8),
    panel(4, 'Group members', [[`max by (consumergroup) (${L.members})`, '{{consumergroup}}']], 'short', 8, 12),
    panel(5, 'Time lag by group (Lag Check)', [[`max by (consumergroup) (${L.groupMaxTimeLag})`, '{{consumergroup}}']], 's', 16),
    panel(6, 'Group status (Lag Check, Burrow rules)', [[`max by (consumergroup, status) (${L.status}) == 1`, '{{consumergroup}} {{status}}']], 'short', 16, 12),
  ]);
}

export function throughputDashboard() {
  const B = BROKER_METRICS;
  return dashboard('kafka-throughput', 'Kafka throughput', B.messagesIn, [
    panel(1, 'Messages in/s by topic', [[`sum by (topic) (rate(${B.messagesIn}{topic=~"$topic"}[1m]))`, '{{topic}}']], 'ops', 0),
    panel(2, 'Bytes in and out/s by topic', [
      [`sum by (topic) (rate(${B.bytesIn}{topic=~"$topic"}[1m]))`, 'in {{topic}}'],
      [`sum by (topic) (rate(${B.bytesOut}{topic=~"$topic"}[1m]))`, 'out {{topic}}'],
    ], 'Bps', 0, 12),
    panel(3, 'Brokers up', [[`count(up{job="${JOBS.broker}"} == 1)`, 'brokers']], 'short', 8),
    panel(4, 'Under-replicated and offline partitions', [
      [`sum(${B.underReplicated})`, 'under-replicated'],
      [`sum(${B.offlinePartitions})`, 'offline'],
    ], 'short', 8, 12),
    panel(5, 'Produce request time p99 (ms)', [[`max by (instance) (${B.requestTime}{request="Produce",quantile="0.99"})`, '{{instance}}']], 'ms', 16),
    panel(6, 'Partitions per broker', [[`sum by (instance) (${B.partitions})`, '{{instance}}']], 'short', 16, 12),
  ]);
}
