import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { BROKER_METRICS, EXPORTED_METRICS, KAFKA_EXPORTER_METRICS, LAG_CHECK_ONLY, jmxExporterConfig } from '../../generators/compose-stack/monitoring';
import { IMAGES } from '../../generators/compose-stack/render';
import { shippedMonitoring } from '../../generators/shipped';
import { ensureCommand } from '../setup/tools';
import { ROOT, runGenerator } from './helpers/plop';
import { composeSchemaPath, pyCheck } from './helpers/tools';
import { COMPOSE_VARIANTS, listFiles, tempDir } from './helpers/variants';

type Compose = { name: string; services: Record<string, any>; volumes: Record<string, unknown> };

/** Metric names in a PromQL expression: identifiers not followed by "(" and not PromQL keywords/labels. */
function metricNames(expr: string): string[] {
  const withoutStrings = expr.replace(/"[^"]*"/g, '""').replace(/\{[^}]*\}/g, '').replace(/\[[^\]]*\]/g, '');
  const keywords = new Set(['sum', 'by', 'rate', 'and', 'or', 'unless', 'without', 'max', 'min', 'avg', 'count', 'delta', 'increase', 'label_values', 'topic', 'consumergroup', 'partition', 'instance', 'status']);
  return [...withoutStrings.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)].map((m) => m[1]).filter((n) => !keywords.has(n) && !/^\d/.test(n));
}

describe('compose-stack output', () => {
  const root = tempDir('compose');
  const dirs: Record<string, string> = {};
  const composes: Record<string, Compose> = {};

  beforeAll(async () => {
    for (const v of COMPOSE_VARIANTS) {
      dirs[v.id] = join(root, v.id);
      const { failures } = await runGenerator('compose-stack', v.answers, dirs[v.id]);
      expect(failures).toEqual([]);
      composes[v.id] = YAML.parse(readFileSync(join(dirs[v.id], 'compose.yaml'), 'utf8'));
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('every compose.yaml validates against the Compose Specification JSON schema (compose-go)', () => {
    const files = Object.values(dirs).map((d) => join(d, 'compose.yaml'));
    const report = pyCheck<Record<string, string[]>>(['compose', composeSchemaPath(), ...files]);
    expect(Object.keys(report)).toHaveLength(files.length);
    for (const f of files) expect({ f, errors: report[f] }).toEqual({ f, errors: [] });
  });

  test('the schema check is not vacuous: a broken file is rejected', () => {
    const bad = join(root, 'broken.yaml');
    writeFileSync(bad, YAML.stringify({ services: { kafka: { image: 'apache/kafka:3.9.1', ports: [{ target: 'x' }], healthcheck: { test: 5 } } } }));
    const report = pyCheck<Record<string, string[]>>(['compose', composeSchemaPath(), bad]);
    expect(report[bad].length).toBeGreaterThan(0);
  });

  test.each(COMPOSE_VARIANTS.map((v) => v.id))('%s: healthchecks, named volumes, pinned images, no Bitnami', (id) => {
    const c = composes[id];
    for (const [name, svc] of Object.entries(c.services)) {
      expect({ name, healthcheck: Array.isArray(svc.healthcheck?.test) }).toEqual({ name, healthcheck: true });
      expect({ name, image: svc.image }).toEqual({ name, image: expect.stringMatching(/^[^:]+(:[^:]+)?:(?!latest$)[\w.-]+$/) });
      expect(svc.image).not.toMatch(/bitnami/);
      for (const v of svc.volumes ?? []) {
        const source = String(v).split(':')[0];
        // Data lives in named volumes; bind mounts only bring read-only config generated next to compose.yaml.
        if (!source.startsWith('./')) expect(Object.keys(c.volumes)).toContain(source);
        else expect(String(v)).toMatch(/:ro$/);
      }
      for (const dep of Object.keys(svc.depends_on ?? {})) expect(Object.keys(c.services)).toContain(dep);
    }
    const answers = COMPOSE_VARIANTS.find((v) => v.id === id)!.answers as { broker?: string; nodes?: number };
    const brokers = Object.keys(c.services).filter((s) => /^(kafka|redpanda)-\d$/.test(s));
    expect(brokers).toHaveLength(answers.nodes ?? 1);
    expect(brokers.every((b) => b.startsWith(answers.broker ?? 'kafka'))).toBe(true);
  });

  test('3-node KRaft: one quorum, replication 3, min ISR 2; 3-node Redpanda seeds the first node', () => {
    const kafka = composes['kafka-3-full'].services;
    for (const n of [1, 2, 3]) {
      expect(kafka[`kafka-${n}`].environment.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe('1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093');
      expect(kafka[`kafka-${n}`].environment.KAFKA_NODE_ID).toBe(String(n));
    }
    expect(kafka['kafka-1'].environment.KAFKA_DEFAULT_REPLICATION_FACTOR).toBe('3');
    expect(kafka['kafka-1'].environment.KAFKA_MIN_INSYNC_REPLICAS).toBe('2');
    expect(kafka['mirror-maker'].command).toEqual(['/opt/kafka/bin/connect-mirror-maker.sh', '/etc/mm2/mm2.properties']);
    expect(readFileSync(join(dirs['kafka-3-full'], 'mm2/mm2.properties'), 'utf8')).toMatch(/source\.bootstrap\.servers = kafka-1:9092,kafka-2:9092,kafka-3:9092\ntarget\.bootstrap\.servers = kafka-target-1:9092/);
    expect(readFileSync(join(dirs['kafka-3-full'], 'n8n/Dockerfile'), 'utf8')).toMatch(new RegExp(`^FROM ${IMAGES.n8n.replace(/\./g, '\\.')}$[\\s\\S]*npm install .*n8n-nodes-kafka-suite@`, 'm'));
    const rp = composes['redpanda-3-bare'].services;
    expect(rp['redpanda-3'].command).toContain('--seeds=redpanda-1:33145');
    expect(composes['redpanda-1-full'].services['kafka-ui'].environment.KAFKA_CLUSTERS_0_SCHEMAREGISTRY).toBe('http://redpanda-1:8081');
    expect(composes['kafka-1-full'].services['schema-registry'].environment.SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR).toBe('1');
  });

  test('Prometheus rules pass promtool check rules and fire as intended (promtool test rules)', () => {
    const promtool = ensureCommand('promtool', 'prometheus');
    const dir = dirs['kafka-3-full'];
    const rules = join(dir, 'monitoring/alert-rules.yml');
    execFileSync(promtool, ['check', 'rules', rules], { stdio: 'pipe' });
    execFileSync(promtool, ['check', 'config', '--syntax-only', join(dir, 'monitoring/prometheus.yml')], { stdio: 'pipe' });
    // Rule unit test: a group 1500 behind and not committing raises both lag alerts; 2 of 3 brokers up alerts too.
    const unit = {
      rule_files: [rules],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: 'kafka_consumergroup_lag_sum{job="kafka-lag",consumergroup="billing",topic="orders"}', values: '1500x20' },
            { series: 'kafka_consumergroup_current_offset{job="kafka-lag",consumergroup="billing",topic="orders",partition="0"}', values: '100x20' },
            { series: 'kafka_consumergroup_lag_sum{job="kafka-lag",consumergroup="fast",topic="orders"}', values: '10x20' },
            { series: 'kafka_consumergroup_current_offset{job="kafka-lag",consumergroup="fast",topic="orders",partition="0"}', values: '100+50x20' },
            { series: 'kafka_consumergroup_status{job="kafka-lag",consumergroup="billing",status="ERR"}', values: '1x20' },
            { series: 'kafka_consumergroup_status{job="kafka-lag",consumergroup="fast",status="ERR"}', values: '0x20' },
            { series: 'up{job="kafka-lag",instance="kafka-exporter:9308"}', values: '1x20' },
            { series: 'up{job="kafka-broker",instance="kafka-1:9404"}', values: '1x20' },
            { series: 'up{job="kafka-broker",instance="kafka-2:9404"}', values: '1x20' },
            { series: 'up{job="kafka-broker",instance="kafka-3:9404"}', values: '0x20' },
            { series: 'kafka_controller_kafkacontroller_active_controller_count{instance="kafka-1:9404"}', values: '1x20' },
            { series: 'kafka_controller_kafkacontroller_active_controller_count{instance="kafka-2:9404"}', values: '0x20' },
          ],
          alert_rule_test: [
            {
              eval_time: '15m',
              alertname: 'KafkaConsumerLagHigh',
              exp_alerts: [{ exp_labels: { severity: 'warning', consumergroup: 'billing', topic: 'orders' }, exp_annotations: { summary: 'Group billing is 1500 messages behind on orders' } }],
            },
            { eval_time: '16m', alertname: 'KafkaConsumerStalled', exp_alerts: [{ exp_labels: { severity: 'critical', consumergroup: 'billing', topic: 'orders' }, exp_annotations: { summary: 'Group billing has lag on orders and committed nothing for 10m' } }] },
            { eval_time: '5m', alertname: 'KafkaConsumerGroupError', exp_alerts: [{ exp_labels: { severity: 'critical', consumergroup: 'billing' }, exp_annotations: { summary: 'Group billing is in ERR (stopped, stalled or rewound)' } }] },
            { eval_time: '5m', alertname: 'KafkaBrokersMissing', exp_alerts: [{ exp_labels: { severity: 'critical' }, exp_annotations: { summary: 'Only 2 of 3 brokers are up' } }] },
            { eval_time: '5m', alertname: 'KafkaBrokerDown', exp_alerts: [{ exp_labels: { severity: 'critical', job: 'kafka-broker', instance: 'kafka-3:9404' }, exp_annotations: { summary: 'Broker kafka-3:9404 does not answer its metrics scrape' } }] },
            { eval_time: '5m', alertname: 'KafkaNoActiveController', exp_alerts: [] },
            { eval_time: '5m', alertname: 'KafkaLagExporterDown', exp_alerts: [] },
          ],
        },
      ],
    };
    const unitFile = join(dir, 'rules-test.yml');
    writeFileSync(unitFile, YAML.stringify(unit));
    execFileSync(promtool, ['test', 'rules', unitFile], { stdio: 'pipe' });
  });

  test('Grafana dashboards are valid JSON and query only the shared vocabulary: kafka_exporter / Lag Check names and the JMX exporter rules', () => {
    const dashboards = listFiles(dirs.defaults).filter((f) => f.startsWith('monitoring/grafana/dashboards/'));
    expect(dashboards).toEqual(['monitoring/grafana/dashboards/kafka-consumer-lag.json', 'monitoring/grafana/dashboards/kafka-throughput.json']);
    const used = new Set<string>();
    for (const f of dashboards) {
      const d = JSON.parse(readFileSync(join(dirs.defaults, f), 'utf8'));
      expect(d.uid).toMatch(/^kafka-/);
      expect(d.panels.length).toBeGreaterThanOrEqual(4);
      for (const p of d.panels) {
        expect(p.datasource.uid).toBe('prometheus');
        for (const t of p.targets) metricNames(t.expr).forEach((m) => used.add(m));
      }
    }
    const rules = YAML.parse(readFileSync(join(dirs.defaults, 'monitoring/alert-rules.yml'), 'utf8'));
    for (const r of rules.groups[0].rules) metricNames(r.expr).forEach((m) => used.add(m));
    expect(used).toEqual(new Set(['up', ...EXPORTED_METRICS]));
    // Each name has a producer: the JMX exporter config names every broker metric; every lag metric is
    // either kafka_exporter's own or one only Lag Check serves.
    const jmxNames = new Set(jmxExporterConfig().rules.map((r) => r.name));
    expect(Object.values(BROKER_METRICS).filter((m) => !jmxNames.has(m))).toEqual([]);
    const brokerNames = new Set<string>(Object.values(BROKER_METRICS));
    const lag = EXPORTED_METRICS.filter((m) => !brokerNames.has(m));
    expect(lag.filter((m) => !(KAFKA_EXPORTER_METRICS as readonly string[]).includes(m) && !LAG_CHECK_ONLY.includes(m))).toEqual([]);
    const jmx = YAML.parse(readFileSync(join(dirs.defaults, 'monitoring/jmx-exporter.yml'), 'utf8'));
    expect(jmx).toEqual(jmxExporterConfig());
    const ds = YAML.parse(readFileSync(join(dirs.defaults, 'monitoring/grafana/provisioning/datasources/prometheus.yml'), 'utf8'));
    expect(ds.datasources[0]).toMatchObject({ uid: 'prometheus', url: 'http://prometheus:9090' });
  });

  test('infra/monitoring/ is exactly what the generator produces (kafka-suite sync-shipped)', () => {
    const expected = shippedMonitoring();
    for (const [path, content] of Object.entries(expected)) {
      expect({ path, same: readFileSync(join(ROOT, 'infra/monitoring', path), 'utf8') === content }).toEqual({ path, same: true });
    }
    expect(listFiles(join(ROOT, 'infra/monitoring')).filter((f) => f !== 'README.md')).toEqual(Object.keys(expected).sort());
  });
});
