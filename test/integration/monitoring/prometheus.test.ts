// Monitoring fired on real data: a broker of its own with the Prometheus JMX exporter java agent, a
// Lag Check node serving Prometheus text over HTTP (what an n8n Webhook -> Lag Check -> Respond to
// Webhook workflow does), and Debian's Prometheus scraping both with the generated rules. A lagging
// group makes the lag alerts fire, recovery resolves them, and every dashboard query returns data.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
// Test code produces and consumes with its own kafkajs client, not through the adapter under test.
import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type Producer } from 'kafkajs';
import YAML from 'yaml';
import { alertRules, jmxExporterConfig, lagDashboard, prometheusConfig, throughputDashboard } from '../../../generators/compose-stack/monitoring';
import { KafkaSuiteLagCheck } from '../../../nodes/KafkaSuiteLagCheck/KafkaSuiteLagCheck.node';
import { clientPool } from '../../../nodes/shared';
import { createExecuteContext, waitFor } from '../../helpers/n8nContext';
import { ensureCommand } from '../../setup/tools';
import { isolatedServices, type IsolatedServices } from '../faults/isolated';
import { ensureJmxAgent, freePort, startPrometheus, type PrometheusServer } from './tooling';

const LAG_THRESHOLD = 100;
const TOPIC = 'monitoring-orders';
const GROUP = 'monitoring-billing';
const log = (line: string) => process.stdout.write(`[monitoring] ${line}\n`);

let services: (IsolatedServices & { dispose(): Promise<void> }) | undefined;
let prometheus: PrometheusServer | undefined;
let exporter: Server | undefined;
let kafka: Kafka;
let admin: Admin | undefined;
let producer: Producer | undefined;
let consumer: Consumer | undefined;
const work = mkdtempSync(join(tmpdir(), 'monitoring-'));
let scrapes = 0;

/** Runs the Lag Check node once per scrape, keeping its static data like one node in an active workflow. */
function lagExporter(bootstrap: string): Promise<number> {
  const node = new KafkaSuiteLagCheck().nodeVersions[1] as INodeType;
  const staticData: IDataObject = {};
  exporter = createServer((req, res) => {
    const context = createExecuteContext({
      parameters: { resource: 'consumerGroup', operation: 'checkLag', groups: GROUP, windowSize: 3, allowedLag: 0, output: 'prometheus', options: { missingGroups: 'notFound' } },
      credentials: { kafkaSuiteClusterApi: { platform: 'apache', brokers: bootstrap, securityProtocol: 'plaintext', clientId: 'lag-exporter' } },
      staticData,
      node: { type: 'n8n-nodes-kafka-suite.kafkaSuiteLagCheck', name: 'Kafka Lag Check' },
    });
    (node.execute!.call(context as unknown as IExecuteFunctions) as Promise<INodeExecutionData[][]>).then(
      ([[item]]) => {
        scrapes++;
        res.writeHead(200, { 'content-type': String(item.json.contentType) }).end(String(item.json.metrics));
      },
      (error: Error) => res.writeHead(500).end(error.message),
    );
  });
  return new Promise((done) => exporter!.listen(0, '127.0.0.1', () => done((exporter!.address() as { port: number }).port)));
}

beforeAll(async () => {
  const prometheusBinary = ensureCommand('prometheus', 'prometheus');
  const agent = await ensureJmxAgent();
  const jmxPort = await freePort();
  const jmxConfig = join(work, 'jmx-exporter.yml');
  writeFileSync(jmxConfig, YAML.stringify(jmxExporterConfig()));

  // The isolated copy of the services reads KAFKA_BROKER_JVM_EXTRA when it loads.
  const saved = process.env.KAFKA_BROKER_JVM_EXTRA;
  process.env.KAFKA_BROKER_JVM_EXTRA = `-javaagent:${agent}=127.0.0.1:${jmxPort}:${jmxConfig}`;
  try {
    services = await isolatedServices('monitoring');
  } finally {
    if (saved === undefined) delete process.env.KAFKA_BROKER_JVM_EXTRA;
    else process.env.KAFKA_BROKER_JVM_EXTRA = saved;
  }
  await services.start({ connect: false, registry: false, log: () => undefined });
  const bootstrap = services.facts().bootstrap.plaintext;
  kafka = new Kafka({ clientId: 'monitoring-test', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();

  const lagPort = await lagExporter(bootstrap);
  const rules = join(work, 'alert-rules.yml');
  // Production waits minutes before an alert fires; here every wait is seconds, the expressions are the shipped ones.
  writeFileSync(rules, YAML.stringify(alertRules({ brokers: 1, lagThreshold: LAG_THRESHOLD, pending: { short: '2s', long: '3s', stalledWindow: '20s' } })));
  const config = join(work, 'prometheus.yml');
  writeFileSync(config, YAML.stringify(prometheusConfig({ lag: [`127.0.0.1:${lagPort}`], broker: [`127.0.0.1:${jmxPort}`], interval: '1s', ruleFile: rules })));
  prometheus = await startPrometheus(prometheusBinary, config, work);
}, 300_000);

afterAll(async () => {
  await consumer?.disconnect();
  await producer?.disconnect();
  await admin?.disconnect();
  await clientPool.closeAll();
  await prometheus?.stop();
  exporter?.closeAllConnections();
  await new Promise<void>((done) => (exporter ? exporter.close(() => done()) : done()));
  await services?.dispose();
  rmSync(work, { recursive: true, force: true });
}, 120_000);

const firing = async (alertname: string) => (await prometheus!.alerts()).find((a) => a.labels.alertname === alertname && a.state === 'firing' && (a.labels.consumergroup ?? GROUP) === GROUP);

async function produce(count: number) {
  await producer!.send({ topic: TOPIC, messages: Array.from({ length: count }, (_, i) => ({ key: `k${i % 7}`, value: `order-${Date.now()}-${i}` })) });
}

test('a lagging group fires the lag alerts, recovery resolves them, every dashboard query returns data', async () => {
  // Both scrape jobs are up and the broker reports a controller before anything else is judged.
  await waitFor(async () => (await prometheus!.query('up == 1')).length === 2, { timeoutMs: 60_000, intervalMs: 500, what: `both targets up\n${prometheus!.log()}` });
  expect(await firing('KafkaBrokerDown')).toBeUndefined();

  // The group commits at the start and then stops; the topic keeps growing.
  await admin!.setOffsets({ groupId: GROUP, topic: TOPIC, partitions: [0, 1, 2].map((partition) => ({ partition, offset: '0' })) });
  const lagStarted = Date.now();
  let produced = 0;
  const trickle = setInterval(() => {
    produced += 25;
    produce(25).catch(() => undefined);
  }, 250);
  let fired: number;
  try {
    const alert = await waitFor(() => firing('KafkaConsumerLagHigh'), { timeoutMs: 60_000, intervalMs: 250, what: 'KafkaConsumerLagHigh firing' });
    fired = Date.now() - lagStarted;
    expect(alert.labels).toMatchObject({ consumergroup: GROUP, topic: TOPIC, severity: 'warning' });
    expect(Number(alert.value)).toBeGreaterThan(LAG_THRESHOLD);
    // Burrow's verdict on the same data: the committed offset never moves while lag grows.
    await waitFor(() => firing('KafkaConsumerGroupError'), { timeoutMs: 30_000, intervalMs: 250, what: 'KafkaConsumerGroupError firing' });
  } finally {
    clearInterval(trickle);
  }
  log(`lag alert fired ${(fired / 1000).toFixed(1)} s after the group fell behind (${produced} produced, threshold ${LAG_THRESHOLD}, for 3 s, scrape 1 s)`);

  // Recovery: a consumer in the group reads everything and commits.
  const { offsets } = { offsets: await admin!.fetchTopicOffsets(TOPIC) };
  const end = offsets.reduce((sum, p) => sum + Number(p.high), 0);
  let consumed = 0;
  consumer = kafka.consumer({ groupId: GROUP, sessionTimeout: 10_000, heartbeatInterval: 500, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  const recoveryStarted = Date.now();
  await consumer.run({
    autoCommitInterval: 200,
    eachMessage: async () => {
      consumed++;
    },
  });
  await waitFor(() => consumed >= end, { timeoutMs: 60_000, what: `consumer to read ${end} messages` });
  // Resolved because fresh scrapes report lag 0 and status OK, not because the series went stale.
  const scraped = async (promql: string) => (await prometheus!.query(promql))[0]?.value[1];
  await waitFor(
    async () =>
      (await scraped(`max(kafka_consumergroup_lag_sum{consumergroup="${GROUP}"})`)) === '0' &&
      (await scraped(`kafka_consumergroup_status{consumergroup="${GROUP}",status="OK"}`)) === '1' &&
      !(await firing('KafkaConsumerLagHigh')) &&
      !(await firing('KafkaConsumerGroupError')),
    { timeoutMs: 60_000, intervalMs: 250, what: 'lag 0 and status OK scraped, lag alerts resolved' },
  );
  const resolved = Date.now() - recoveryStarted;
  expect(await scraped('up{job="kafka-lag"}')).toBe('1');
  log(`lag alerts resolved ${(resolved / 1000).toFixed(1)} s after the consumer started (${end} messages to read)`);

  // Broker health rules see a healthy broker: they had data and stayed quiet.
  for (const name of ['KafkaBrokerDown', 'KafkaBrokersMissing', 'KafkaNoActiveController', 'KafkaOfflinePartitions', 'KafkaUnderReplicatedPartitions', 'KafkaLagExporterDown']) {
    expect({ name, firing: await firing(name) }).toEqual({ name, firing: undefined });
  }
  const [controllers] = await prometheus!.query('sum(kafka_controller_kafkacontroller_active_controller_count)');
  expect(Number(controllers.value[1])).toBe(1);

  // Every panel query of both dashboards, with Grafana's "All" for $topic, returns at least one series.
  const panels = [...lagDashboard().panels, ...throughputDashboard().panels] as Array<{ title: string; targets: Array<{ expr: string }> }>;
  const empty: string[] = [];
  for (const panel of panels) {
    for (const target of panel.targets) {
      const expr = target.expr.replace(/\$topic/g, '.+');
      const series = await waitFor(async () => (await prometheus!.query(expr)).length, { timeoutMs: 20_000, intervalMs: 500, what: `data for "${panel.title}"` }).catch(() => 0);
      if (!series) empty.push(`${panel.title}: ${expr}`);
    }
  }
  log(`dashboard panels with data: ${panels.length - new Set(empty.map((e) => e.split(':')[0])).size}/${panels.length}; Lag Check scrapes served: ${scrapes}`);
  expect(empty).toEqual([]);
}, 300_000);
