/**
 * Prometheus scrape config, alert rules and Grafana dashboards as data. Every metric named here is
 * exported by danielqsj/kafka-exporter (it speaks the Kafka protocol, so it works for Apache Kafka
 * and Redpanda alike); `up` is Prometheus' own.
 */
export const EXPORTER_JOB = 'kafka-exporter';

/** The metrics the rules and dashboards use, for the tests and the README. */
export const EXPORTED_METRICS = [
  'kafka_brokers',
  'kafka_topic_partition_current_offset',
  'kafka_topic_partition_under_replicated_partition',
  'kafka_consumergroup_current_offset',
  'kafka_consumergroup_lag',
  'kafka_consumergroup_members',
] as const;

export function prometheusConfig(exporterTarget: string) {
  return {
    global: { scrape_interval: '15s', evaluation_interval: '15s' },
    rule_files: ['/etc/prometheus/alert-rules.yml'],
    scrape_configs: [
      { job_name: 'prometheus', static_configs: [{ targets: ['localhost:9090'] }] },
      { job_name: EXPORTER_JOB, static_configs: [{ targets: [exporterTarget] }] },
    ],
  };
}

export function alertRules(opts: { brokers: number; lagThreshold: number }) {
  return {
    groups: [
      {
        name: 'kafka',
        rules: [
          {
            alert: 'KafkaExporterDown',
            expr: `up{job="${EXPORTER_JOB}"} == 0`,
            for: '2m',
            labels: { severity: 'critical' },
            annotations: { summary: 'kafka-exporter is down: lag and throughput are not monitored' },
          },
          {
            alert: 'KafkaBrokersMissing',
            expr: `kafka_brokers < ${opts.brokers}`,
            for: '2m',
            labels: { severity: 'critical' },
            annotations: { summary: `Only {{ $value }} of ${opts.brokers} brokers are in the cluster` },
          },
          {
            alert: 'KafkaUnderReplicatedPartitions',
            expr: 'sum by (topic) (kafka_topic_partition_under_replicated_partition) > 0',
            for: '5m',
            labels: { severity: 'warning' },
            annotations: { summary: 'Topic {{ $labels.topic }} has {{ $value }} under-replicated partitions' },
          },
          {
            alert: 'KafkaConsumerLagHigh',
            expr: `sum by (consumergroup, topic) (kafka_consumergroup_lag) > ${opts.lagThreshold}`,
            for: '5m',
            labels: { severity: 'warning' },
            annotations: { summary: 'Group {{ $labels.consumergroup }} is {{ $value }} messages behind on {{ $labels.topic }}' },
          },
          {
            // Lag without progress: the group stopped consuming (Burrow calls this STALL/STOP).
            alert: 'KafkaConsumerStalled',
            expr: 'sum by (consumergroup, topic) (kafka_consumergroup_lag) > 0 and sum by (consumergroup, topic) (rate(kafka_consumergroup_current_offset[5m])) == 0',
            for: '10m',
            labels: { severity: 'critical' },
            annotations: { summary: 'Group {{ $labels.consumergroup }} has lag on {{ $labels.topic }} and committed nothing for 10 minutes' },
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

function panel(id: number, title: string, expr: string, legend: string, unit: string, y: number, x = 0) {
  return {
    id,
    type: 'timeseries',
    title,
    datasource: { type: 'prometheus', uid: DATASOURCE_UID },
    gridPos: { h: 8, w: 12, x, y },
    fieldConfig: { defaults: { unit }, overrides: [] },
    options: { legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] } },
    targets: [{ refId: 'A', datasource: { type: 'prometheus', uid: DATASOURCE_UID }, expr, legendFormat: legend }],
  };
}

function dashboard(uid: string, title: string, panels: object[]) {
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
          query: { query: 'label_values(kafka_topic_partition_current_offset, topic)', refId: 'topic' },
          definition: 'label_values(kafka_topic_partition_current_offset, topic)',
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
  return dashboard('kafka-consumer-lag', 'Kafka consumer lag', [
    panel(1, 'Lag by group and topic', 'sum by (consumergroup, topic) (kafka_consumergroup_lag{topic=~"$topic"})', '{{consumergroup}} / {{topic}}', 'short', 0),
    panel(2, 'Consumption rate (offsets committed/s)', 'sum by (consumergroup, topic) (rate(kafka_consumergroup_current_offset{topic=~"$topic"}[5m]))', '{{consumergroup}} / {{topic}}', 'ops', 0, 12),
    panel(3, 'Lag by partition', 'kafka_consumergroup_lag{topic=~"$topic"}', '{{consumergroup}} {{topic}}[{{partition}}]', 'short', 8),
    panel(4, 'Group members', 'kafka_consumergroup_members', '{{consumergroup}}', 'short', 8, 12),
  ]);
}

export function throughputDashboard() {
  return dashboard('kafka-throughput', 'Kafka throughput', [
    panel(1, 'Messages produced/s by topic', 'sum by (topic) (rate(kafka_topic_partition_current_offset{topic=~"$topic"}[1m]))', '{{topic}}', 'ops', 0),
    panel(2, 'Messages consumed/s by group', 'sum by (consumergroup) (rate(kafka_consumergroup_current_offset{topic=~"$topic"}[1m]))', '{{consumergroup}}', 'ops', 0, 12),
    panel(3, 'Brokers', 'kafka_brokers', 'brokers', 'short', 8),
    panel(4, 'Under-replicated partitions', 'sum by (topic) (kafka_topic_partition_under_replicated_partition{topic=~"$topic"})', '{{topic}}', 'short', 8, 12),
  ]);
}
