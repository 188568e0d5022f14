import { z } from 'zod';
import { topicName } from '../shared/validators';

export const WORKFLOWS = ['kafka-to-webhook', 'webhook-to-kafka', 'kafka-to-postgres', 'kafka-to-slack', 'dead-letter-replay', 'lag-alert', 'postgres-cdc'] as const;

const credentialName = z.string().min(1).max(128).regex(/^[^\n"]+$/, 'one line, no double quotes');

export const workflowSchema = z
  .object({
    workflow: z.enum(WORKFLOWS).default('kafka-to-webhook'),
    /** Workflow name in n8n; defaults to a readable form of the workflow kind. */
    name: z.string().min(1).max(128).optional(),
    topic: topicName.default('orders'),
    groupId: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'group ids may only contain letters, digits, ".", "_" and "-"').default('n8n-orders'),
    startFrom: z.enum(['latest', 'earliest']).default('latest'),
    deadLetterTopic: topicName.default('orders.dlq'),
    webhookUrl: z.url().default('https://example.com/hooks/orders'),
    webhookPath: z.string().regex(/^[A-Za-z0-9/_-]+$/, 'letters, digits, "/", "_" and "-"').default('orders'),
    postgresTable: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a lower-case SQL identifier').default('orders'),
    slackChannel: z.string().regex(/^#[a-z0-9._-]+$/, 'a Slack channel such as #alerts').default('#kafka-alerts'),
    alertChannel: z.enum(['slack', 'email']).default('slack'),
    emailTo: z.email().default('oncall@example.com'),
    emailFrom: z.email().default('n8n@example.com'),
    lagGroups: z.string().regex(/^[A-Za-z0-9._,\s-]+$/, 'comma-separated consumer group ids').default('orders-service'),
    /** postgres-cdc: where Debezium reads (as the Connect worker reaches it) and what it captures. */
    postgresHost: z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'a host name or IP address').default('localhost'),
    postgresDatabase: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a lower-case SQL identifier').default('shop'),
    postgresUser: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a lower-case SQL identifier').default('debezium'),
    cdcTable: z.string().regex(/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/, 'schema.table, lower-case').default('public.orders'),
    cdcTopicPrefix: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'letters, digits, "_" and "-"').default('pg'),
    kafkaCredential: credentialName.default('Kafka Suite cluster'),
    connectCredential: credentialName.default('Kafka Connect'),
    postgresCredential: credentialName.default('Postgres'),
    slackCredential: credentialName.default('Slack'),
    smtpCredential: credentialName.default('SMTP'),
  })
  .strict();

export type WorkflowAnswers = z.output<typeof workflowSchema>;
