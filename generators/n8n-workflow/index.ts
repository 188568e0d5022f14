import type { GeneratorModule } from '../shared/generator';
import { renderWorkflow } from './render';
import { WORKFLOWS, workflowSchema } from './schema';

export const n8nWorkflow: GeneratorModule<typeof workflowSchema> = {
  name: 'n8n-workflow',
  description: 'n8n workflow JSON using the Kafka Suite nodes (credentials referenced by name, no secrets)',
  schema: workflowSchema,
  fields: [
    { name: 'workflow', type: 'list', message: 'Workflow', choices: WORKFLOWS },
    { name: 'topic', type: 'input', message: 'Topic (replay: the topic records go back to)', when: (a) => !['lag-alert', 'postgres-cdc'].includes(String(a.workflow)) },
    { name: 'groupId', type: 'input', message: 'Consumer group id', when: (a) => !['webhook-to-kafka', 'lag-alert'].includes(String(a.workflow)) },
    { name: 'startFrom', type: 'list', message: 'Start from (new group)', choices: ['latest', 'earliest'], when: (a) => ['kafka-to-webhook', 'kafka-to-postgres', 'kafka-to-slack'].includes(String(a.workflow)) },
    { name: 'deadLetterTopic', type: 'input', message: 'Dead-letter topic', when: (a) => a.workflow === 'dead-letter-replay' },
    { name: 'webhookUrl', type: 'input', message: 'Webhook URL to call', when: (a) => ['kafka-to-webhook', 'postgres-cdc'].includes(String(a.workflow)) },
    { name: 'postgresHost', type: 'input', message: 'PostgreSQL host (as the Connect worker reaches it)', when: (a) => a.workflow === 'postgres-cdc' },
    { name: 'postgresDatabase', type: 'input', message: 'PostgreSQL database', when: (a) => a.workflow === 'postgres-cdc' },
    { name: 'postgresUser', type: 'input', message: 'PostgreSQL user with REPLICATION', when: (a) => a.workflow === 'postgres-cdc' },
    { name: 'cdcTable', type: 'input', message: 'Table to capture (schema.table)', when: (a) => a.workflow === 'postgres-cdc' },
    { name: 'cdcTopicPrefix', type: 'input', message: 'Change topic prefix', when: (a) => a.workflow === 'postgres-cdc' },
    { name: 'connectCredential', type: 'input', message: 'Name of the Kafka Connect credential', when: (a) => a.workflow === 'postgres-cdc' },
    { name: 'webhookPath', type: 'input', message: 'Webhook path', when: (a) => a.workflow === 'webhook-to-kafka' },
    { name: 'postgresTable', type: 'input', message: 'Postgres table', when: (a) => a.workflow === 'kafka-to-postgres' },
    { name: 'alertChannel', type: 'list', message: 'Alert by', choices: ['slack', 'email'], when: (a) => a.workflow === 'lag-alert' },
    { name: 'lagGroups', type: 'input', message: 'Consumer groups to watch (comma-separated)', when: (a) => a.workflow === 'lag-alert' },
    { name: 'slackChannel', type: 'input', message: 'Slack channel', when: (a) => a.workflow === 'kafka-to-slack' || (a.workflow === 'lag-alert' && a.alertChannel === 'slack') },
    { name: 'emailTo', type: 'input', message: 'Alert recipient', when: (a) => a.workflow === 'lag-alert' && a.alertChannel === 'email' },
    { name: 'kafkaCredential', type: 'input', message: 'Name of the Kafka Suite cluster credential' },
  ],
  render: renderWorkflow,
};
