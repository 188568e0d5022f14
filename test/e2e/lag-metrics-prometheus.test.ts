// The lag exporter as a user would build it in n8n: Webhook (GET) -> Kafka Lag Check (output
// "Prometheus Text") -> Respond to Webhook, published in the real n8n, scraped every second by
// Debian's Prometheus with the shipped alert rules (waits shortened to seconds). A group that falls
// behind fires KafkaConsumerLagHigh; committing to the end resolves it. The broker-side half of the
// monitoring (JMX exporter) is proven in test/integration/monitoring/.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Admin, Producer } from 'kafkajs';
import YAML from 'yaml';
import { alertRules, prometheusConfig } from '../../generators/compose-stack/monitoring';
import { startPrometheus, type PrometheusServer } from '../integration/monitoring/tooling';
import { ensureCommand } from '../setup/tools';
import { createTopics, kafka, uniqueName } from './kafka';
import { chain, clusterCredential, n8n, NODE_TYPES, state, waitFor } from './n8n';

const LAG_THRESHOLD = 50;
const work = mkdtempSync(path.join(tmpdir(), 'e2e-lag-metrics-'));
let prometheus: PrometheusServer | undefined;
let workflowId: string | undefined;
let admin: Admin | undefined;
let producer: Producer | undefined;

afterAll(async () => {
  await prometheus?.stop();
  if (workflowId) {
    await n8n().unpublish(workflowId);
    await waitFor(
      async () => {
        try {
          await n8n().deleteWorkflow(workflowId!);
          return true;
        } catch (err) {
          if ((err as { status?: number }).status === 409) return false;
          throw err;
        }
      },
      { timeout: 30000, what: 'lag metrics workflow deleted' },
    );
  }
  await producer?.disconnect();
  await admin?.disconnect();
  rmSync(work, { recursive: true, force: true });
}, 120000);

test('an n8n webhook workflow serving Lag Check metrics drives the lag alert: fires while behind, resolves after catching up', async () => {
  const prometheusBinary = ensureCommand('prometheus', 'prometheus');
  const topic = uniqueName('lag-metrics');
  const group = uniqueName('lag-metrics-group');
  const hookPath = uniqueName('kafka-lag-metrics');
  await createTopics([topic], 2);
  admin = kafka().admin();
  await admin.connect();
  producer = kafka().producer({ allowAutoTopicCreation: false });
  await producer.connect();

  const cred = await clusterCredential();
  const wf = chain(`Kafka lag metrics for Prometheus (${hookPath})`, [
    { name: 'Scrape', type: 'n8n-nodes-base.webhook', typeVersion: 2, parameters: { httpMethod: 'GET', path: hookPath, responseMode: 'responseNode', options: {} } },
    {
      name: 'Lag Check',
      type: NODE_TYPES.lagCheck,
      parameters: { resource: 'consumerGroup', operation: 'checkLag', groups: group, windowSize: 3, allowedLag: 0, output: 'prometheus', options: { missingGroups: 'notFound' } },
      credentials: { kafkaSuiteClusterApi: cred },
    },
    {
      name: 'Metrics',
      type: 'n8n-nodes-base.respondToWebhook',
      typeVersion: 1.1,
      parameters: {
        respondWith: 'text',
        responseBody: '={{ $json.metrics }}',
        options: { responseHeaders: { entries: [{ name: 'content-type', value: 'text/plain; version=0.0.4; charset=utf-8' }] } },
      },
    },
  ]);
  const created = await n8n().createWorkflow(wf);
  workflowId = created.id;
  await n8n().publish(created.id);
  const base = new URL(state().baseUrl);
  const metricsPath = `/webhook/${hookPath}`;
  // The production webhook is registered when publishing returns; a first 404 is retried.
  const firstScrape = await waitFor(
    async () => {
      const res = await fetch(`${base.origin}${metricsPath}`);
      return res.ok ? await res.text() : false;
    },
    { timeout: 30000, what: 'the metrics webhook to answer' },
  );
  expect(firstScrape).toContain(`kafka_consumergroup_status{consumergroup="${group}",status="NOTFOUND"} 1`);

  const rules = path.join(work, 'alert-rules.yml');
  writeFileSync(rules, YAML.stringify(alertRules({ brokers: 1, lagThreshold: LAG_THRESHOLD, pending: { short: '2s', long: '3s', stalledWindow: '20s' } })));
  const config = path.join(work, 'prometheus.yml');
  // 2 s, not 1 s: an execution in n8n can take longer than a second on a loaded machine, and a timed-out
  // scrape makes the series stale, which would resolve the alert for the wrong reason.
  writeFileSync(config, YAML.stringify(prometheusConfig({ lag: [base.host], broker: [], interval: '2s', ruleFile: rules, lagMetricsPath: metricsPath })));
  prometheus = await startPrometheus(prometheusBinary, config, work);
  await waitFor(async () => (await prometheus!.query('up{job="kafka-lag"} == 1')).length === 1, { timeout: 30000, what: 'Prometheus scraping the n8n webhook' });

  const firing = async () =>
    (await prometheus!.alerts()).find((a) => a.labels.alertname === 'KafkaConsumerLagHigh' && a.labels.consumergroup === group && a.state === 'firing');

  // The group commits at the start, then the topic grows past the threshold.
  await admin.setOffsets({ groupId: group, topic, partitions: [0, 1].map((partition) => ({ partition, offset: '0' })) });
  await producer.send({ topic, messages: Array.from({ length: 200 }, (_, i) => ({ key: `k${i % 5}`, value: `v${i}` })) });
  const behindAt = Date.now();
  const alert = await waitFor(firing, { timeout: 60000, what: 'KafkaConsumerLagHigh firing from n8n-served metrics' });
  const firedAfter = Date.now() - behindAt;
  expect(alert.labels).toMatchObject({ topic, severity: 'warning' });
  expect(Number(alert.value)).toBe(200);

  const ends = await admin.fetchTopicOffsets(topic);
  // Timed from the commit request: on a loaded machine the commit itself can outlast a scrape and an evaluation.
  const caughtUpAt = Date.now();
  await admin.setOffsets({ groupId: group, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
  // Resolved because a fresh scrape reports lag 0, not because the series went stale.
  const lagNow = async () => (await prometheus!.query(`kafka_consumergroup_lag_sum{consumergroup="${group}",topic="${topic}"}`))[0]?.value[1];
  await waitFor(async () => (await lagNow()) === '0' && !(await firing()), { timeout: 60000, what: 'lag 0 scraped and KafkaConsumerLagHigh resolved' });
  expect((await prometheus!.query('up{job="kafka-lag"}'))[0].value[1]).toBe('1');
  const resolvedAfter = Date.now() - caughtUpAt;
  const executions = await n8n().executions({ workflowId: created.id, limit: 250 });
  expect(executions.length).toBeGreaterThan(3);
  expect(executions.filter((e: { status: string }) => e.status !== 'success')).toEqual([]);
  process.stdout.write(`[e2e lag metrics] fired ${(firedAfter / 1000).toFixed(1)} s after falling behind, resolved ${(resolvedAfter / 1000).toFixed(1)} s after catching up; ${executions.length} webhook executions\n`);
}, 240000);
