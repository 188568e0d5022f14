import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** Every topology x every serde: 6 x 3 = 18 apps. */
export const STREAMS_VARIANTS = (['filter-map', 'branch', 'tumbling', 'hopping', 'session', 'stream-table-join'] as const).flatMap((kind) =>
  (['string', 'json', 'avro'] as const).map((serde) => {
    const windowed = ['tumbling', 'hopping', 'session'].includes(kind);
    return {
      id: `${kind}-${serde}`,
      answers: {
        artifactId: `${kind}-${serde}`,
        javaPackage: `com.example.${kind.replace(/-/g, '')}.${serde}`,
        topology: windowed ? 'windowed-aggregation' : kind,
        ...(windowed ? { window: kind } : {}),
        serde,
      },
    };
  }),
);

export const TERRAFORM_VARIANTS = [
  { id: 'kafka', answers: { target: 'kafka' } },
  {
    id: 'kafka-custom',
    answers: {
      target: 'kafka',
      topics: 'payments:12:3,audit.log:1:1',
      acls: [{ principal: 'User:billing', resourceType: 'TransactionalID', resourceName: 'billing-', patternType: 'Prefixed', operation: 'Write' }],
      quotas: [{ entityType: 'user', entityName: 'billing', requestPercentage: 50 }],
      scramUsers: [],
    },
  },
  { id: 'msk-iam', answers: { target: 'msk' } },
  { id: 'msk-all-auth', answers: { target: 'msk', mskAuth: ['iam', 'scram', 'tls'], mskBrokerCount: 6 } },
  { id: 'msk-scram', answers: { target: 'msk', mskAuth: 'scram' } },
  { id: 'event-hubs-standard', answers: { target: 'event-hubs' } },
  { id: 'event-hubs-premium', answers: { target: 'event-hubs', eventHubsSku: 'Premium', eventHubsCapacity: 2 } },
  { id: 'confluent-basic', answers: { target: 'confluent-cloud' } },
  { id: 'confluent-standard', answers: { target: 'confluent-cloud', confluentClusterType: 'standard', confluentCloud: 'GCP', confluentRegion: 'europe-west1' } },
];

const ALL_SERVICES = ['schema-registry', 'connect', 'kafka-ui', 'mirrormaker2', 'monitoring', 'n8n'];
/** Both brokers x 1/3 nodes, bare and with every optional service: 8 stacks, plus the defaults. */
export const COMPOSE_VARIANTS = [
  { id: 'defaults', answers: {} },
  ...(['kafka', 'redpanda'] as const).flatMap((broker) =>
    [1, 3].flatMap((nodes) => [
      { id: `${broker}-${nodes}-bare`, answers: { broker, nodes, services: [] } },
      { id: `${broker}-${nodes}-full`, answers: { broker, nodes, services: ALL_SERVICES, name: `${broker}-full` } },
    ]),
  ),
];

export const WORKFLOW_VARIANTS = [
  ...['kafka-to-webhook', 'webhook-to-kafka', 'kafka-to-postgres', 'kafka-to-slack', 'dead-letter-replay', 'postgres-cdc'].map((workflow) => ({ id: workflow, answers: { workflow } })),
  { id: 'lag-alert-slack', answers: { workflow: 'lag-alert', alertChannel: 'slack' } },
  { id: 'lag-alert-email', answers: { workflow: 'lag-alert', alertChannel: 'email' } },
];

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `kafka-suite-${prefix}-`));
}

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}
