import type { Files } from '../shared/generator';
import { CREDENTIAL_TYPES, credential, node, ourNodes, stableId, type N8nNode } from './nodes';
import type { WorkflowAnswers } from './schema';

interface Workflow {
  name: string;
  nodes: N8nNode[];
  connections: Record<string, { main: { node: string; type: 'main'; index: number }[][] }>;
  settings: Record<string, unknown>;
  active: boolean;
  pinData: Record<string, never>;
}

/** Nodes in a line, each feeding the next; positions step right so the canvas is readable. */
function chain(name: string, nodes: N8nNode[]): Workflow {
  const connections: Workflow['connections'] = {};
  nodes.forEach((n, i) => {
    n.position = [240 + i * 260, 300];
    if (i > 0) connections[nodes[i - 1].name] = { main: [[{ node: n.name, type: 'main', index: 0 }]] };
  });
  return { name, nodes, connections, settings: { executionOrder: 'v1', saveDataErrorExecution: 'all' }, active: false, pinData: {} };
}

const TITLES: Record<WorkflowAnswers['workflow'], string> = {
  'kafka-to-webhook': 'Kafka to webhook',
  'webhook-to-kafka': 'Webhook to Kafka',
  'kafka-to-postgres': 'Kafka to Postgres',
  'kafka-to-slack': 'Kafka to Slack',
  'dead-letter-replay': 'Dead-letter replay',
  'lag-alert': 'Consumer lag alert',
  'postgres-cdc': 'Postgres changes (CDC) to webhook',
};

export function buildWorkflow(a: WorkflowAnswers): Workflow {
  const wf = a.name ?? (a.workflow === 'lag-alert' ? `${TITLES[a.workflow]} (${a.alertChannel})` : TITLES[a.workflow]);
  const kafka = credential(CREDENTIAL_TYPES.cluster, a.kafkaCredential);
  const ours = (name: string, spec: { type: string; typeVersion: number; parameters: Record<string, unknown> }) =>
    node(wf, name, spec.type, spec.typeVersion, [0, 0], spec.parameters, kafka);
  const base = (name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, creds?: Record<string, { id: string; name: string }>) =>
    node(wf, name, type, typeVersion, [0, 0], parameters, creds);
  const trigger = (topic: string, groupId: string, startFrom: 'latest' | 'earliest') =>
    ours('Kafka Trigger', ourNodes.trigger({ topics: topic, groupId, startFrom }));

  switch (a.workflow) {
    case 'kafka-to-webhook':
      return chain(wf, [
        trigger(a.topic, a.groupId, a.startFrom),
        base('POST to webhook', 'n8n-nodes-base.httpRequest', 4.2, {
          method: 'POST',
          url: a.webhookUrl,
          sendBody: true,
          specifyBody: 'json',
          jsonBody: '={{ JSON.stringify($json) }}',
          options: {},
        }),
      ]);
    case 'webhook-to-kafka': {
      const hook = base('Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: a.webhookPath, responseMode: 'onReceived', options: {} });
      hook.webhookId = stableId(wf, 'webhook');
      return chain(wf, [hook, ours('Produce to Kafka', ourNodes.producer({ topic: a.topic, valueSource: 'json', key: '' }))]);
    }
    case 'kafka-to-postgres':
      return chain(wf, [
        trigger(a.topic, a.groupId, a.startFrom),
        base(
          'Insert into Postgres',
          'n8n-nodes-base.postgres',
          2.5,
          {
            operation: 'insert',
            schema: { __rl: true, mode: 'list', value: 'public' },
            table: { __rl: true, mode: 'name', value: a.postgresTable },
            columns: { mappingMode: 'autoMapInputData', value: {} },
            options: {},
          },
          credential('postgres', a.postgresCredential),
        ),
      ]);
    case 'kafka-to-slack':
      return chain(wf, [
        trigger(a.topic, a.groupId, a.startFrom),
        base(
          'Post to Slack',
          'n8n-nodes-base.slack',
          2.2,
          {
            select: 'channel',
            channelId: { __rl: true, mode: 'name', value: a.slackChannel },
            text: `=New message on ${a.topic}: {{ JSON.stringify($json) }}`,
            otherOptions: {},
          },
          credential('slackApi', a.slackCredential),
        ),
      ]);
    case 'dead-letter-replay':
      // Reads the dead-letter topic from the start with its own group and re-produces each record
      // to the original topic; the trigger commits only after the produce succeeded. The record is
      // replayed as it was: the value as text (not re-encoded, and not the trigger's whole item),
      // its key, and its headers (with the trigger's kafka-suite-* dead-letter headers, which say
      // where and why it failed).
      return chain(wf, [
        ours('Kafka Trigger', ourNodes.trigger({ topics: a.deadLetterTopic, groupId: `${a.groupId}-dlq-replay`, startFrom: 'earliest' }, { valueFormat: 'string' })),
        ours(
          'Replay to topic',
          ourNodes.producer(
            { topic: a.topic, valueSource: 'field', key: '={{ $json.key }}' },
            { valueField: 'value', serialization: 'string', headersMode: 'json', headersJson: '={{ $json.headers }}' },
          ),
        ),
      ]);
    case 'postgres-cdc':
      // Debezium (created by postgres-cdc-connector.json) writes one flat JSON row per change to
      // <prefix>.<schema>.<table>, with __op (c, u, d, r for snapshot rows), __table, __lsn,
      // __source_ts_ms and __deleted. The trigger reads from the start, so snapshot rows come
      // first, and commits only after the webhook accepted the change.
      return chain(wf, [
        ours('Kafka Trigger', ourNodes.trigger({ topics: `${a.cdcTopicPrefix}.${a.cdcTable}`, groupId: `${a.groupId}-cdc`, startFrom: 'earliest' })),
        base('POST change to webhook', 'n8n-nodes-base.httpRequest', 4.2, {
          method: 'POST',
          url: a.webhookUrl,
          sendBody: true,
          specifyBody: 'json',
          jsonBody: '={{ JSON.stringify($json.value) }}',
          options: {},
        }),
      ]);
    case 'lag-alert': {
      const lag = ours('Lag Trigger', ourNodes.lagTrigger({ groups: a.lagGroups }));
      const text = '=Consumer lag alert: {{ JSON.stringify($json) }}';
      const notify =
        a.alertChannel === 'slack'
          ? base(
              'Alert on Slack',
              'n8n-nodes-base.slack',
              2.2,
              { select: 'channel', channelId: { __rl: true, mode: 'name', value: a.slackChannel }, text, otherOptions: {} },
              credential('slackApi', a.slackCredential),
            )
          : base(
              'Alert by email',
              'n8n-nodes-base.emailSend',
              2.1,
              { fromEmail: a.emailFrom, toEmail: a.emailTo, subject: `Kafka consumer lag: ${a.lagGroups}`, emailFormat: 'text', text, options: {} },
              credential('smtp', a.smtpCredential),
            );
      return chain(wf, [lag, notify]);
    }
  }
}

export function fileName(a: WorkflowAnswers): string {
  return a.workflow === 'lag-alert' ? `lag-alert-${a.alertChannel}.json` : `${a.workflow}.json`;
}

/**
 * postgres-cdc's companion: run once to create the Debezium connector on the Connect worker. The
 * database password is left for the user to fill in (required field), ideally as a worker
 * config-provider reference such as ${file:/etc/kafka-connect/postgres.properties:password}.
 */
function cdcConnectorWorkflow(a: WorkflowAnswers): Workflow {
  const wf = a.name ? `${a.name} (connector)` : 'Postgres CDC: create the Debezium connector';
  return chain(wf, [
    node(wf, 'Run once', 'n8n-nodes-base.manualTrigger', 1, [0, 0], {}),
    (() => {
      const spec = ourNodes.connectorFromTemplate('debeziumPostgres', `${a.cdcTopicPrefix}-${a.postgresDatabase}-cdc`, {
        debeziumPostgres_database_hostname: a.postgresHost,
        debeziumPostgres_database_user: a.postgresUser,
        debeziumPostgres_database_dbname: a.postgresDatabase,
        debeziumPostgres_topic_prefix: a.cdcTopicPrefix,
        debeziumPostgres_table_include_list: a.cdcTable,
      });
      return node(wf, 'Create Debezium connector', spec.type, spec.typeVersion, [0, 0], spec.parameters, credential(CREDENTIAL_TYPES.connect, a.connectCredential));
    })(),
  ]);
}

export function renderWorkflow(a: WorkflowAnswers): Files {
  const files: Files = { [fileName(a)]: `${JSON.stringify(buildWorkflow(a), null, 2)}\n` };
  if (a.workflow === 'postgres-cdc') files['postgres-cdc-connector.json'] = `${JSON.stringify(cdcConnectorWorkflow(a), null, 2)}\n`;
  return files;
}
