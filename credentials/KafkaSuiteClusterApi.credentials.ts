import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';
import { tlsFields } from '../nodes/shared/descriptions/tls';

const tlsPlatforms = { platform: ['apache', 'redpanda'], securityProtocol: ['ssl', 'sasl_ssl'] };

/** The TLS block, shown wherever the connection is encrypted; only some platforms take a client certificate. */
const brokerTls = (displayOptions: INodeProperties['displayOptions'], withClientCert: boolean): INodeProperties[] =>
  tlsFields({
    displayOptions,
    caDescription: 'Certificate authority that signed the brokers’ certificates. Leave empty to trust the system CAs.',
    clientCertificate: withClientCert
      ? {
          certDescription: 'For mutual TLS: the client certificate presented to the brokers',
          keyDescription: 'For mutual TLS: the private key of the client certificate',
          passphrase: { description: 'Passphrase of an encrypted client key' },
        }
      : undefined,
    ignoreErrorsDescription: 'Whether to connect even when the broker certificate cannot be verified. Unsafe: only for tests.',
  });

export class KafkaSuiteClusterApi implements ICredentialType {
  name = 'kafkaSuiteClusterApi';

  displayName = 'Kafka Cluster (Kafka Suite)';

  icon: Icon = { light: 'file:icons/kafka.svg', dark: 'file:icons/kafka.dark.svg' };

  documentationUrl = 'https://github.com/n8n-nodes-kafka-suite/n8n-nodes-kafka-suite#credentials';

  properties: INodeProperties[] = [
    {
      displayName: 'Platform',
      name: 'platform',
      type: 'options',
      default: 'apache',
      options: [
        { name: 'Apache Kafka', value: 'apache' },
        { name: 'AWS MSK', value: 'msk' },
        { name: 'Azure Event Hubs', value: 'eventHubs' },
        { name: 'Confluent Cloud', value: 'confluentCloud' },
        { name: 'Redpanda', value: 'redpanda' },
      ],
      description: 'Where the cluster runs; only the fields that platform needs are shown',
    },
    {
      displayName: 'Brokers',
      name: 'brokers',
      type: 'string',
      default: '',
      placeholder: 'broker-1:9092,broker-2:9092',
      description: 'Bootstrap servers as host:port, comma separated',
      displayOptions: { show: { platform: ['apache', 'redpanda', 'confluentCloud', 'msk'] } },
    },
    {
      displayName: 'Client ID',
      name: 'clientId',
      type: 'string',
      default: 'n8n-kafka-suite',
      description: 'Client ID sent to the brokers (shows up in broker logs and quotas)',
    },
    {
      displayName: 'Security Protocol',
      name: 'securityProtocol',
      type: 'options',
      default: 'plaintext',
      options: [
        { name: 'PLAINTEXT', value: 'plaintext' },
        { name: 'SASL_PLAINTEXT', value: 'sasl_plaintext' },
        { name: 'SASL_SSL', value: 'sasl_ssl' },
        { name: 'SSL (TLS, Optionally Mutual)', value: 'ssl' },
      ],
      displayOptions: { show: { platform: ['apache', 'redpanda'] } },
    },
    {
      displayName: 'SASL Mechanism',
      name: 'saslMechanism',
      type: 'options',
      default: 'scram-sha-512',
      options: [
        { name: 'OAUTHBEARER (OAuth2 Client Credentials)', value: 'oauthbearer' },
        { name: 'PLAIN', value: 'plain' },
        { name: 'SCRAM-SHA-256', value: 'scram-sha-256' },
        { name: 'SCRAM-SHA-512', value: 'scram-sha-512' },
      ],
      displayOptions: { show: { platform: ['apache', 'redpanda'], securityProtocol: ['sasl_plaintext', 'sasl_ssl'] } },
    },
    {
      displayName: 'Username',
      name: 'username',
      type: 'string',
      default: '',
      displayOptions: { show: { platform: ['apache', 'redpanda'], securityProtocol: ['sasl_plaintext', 'sasl_ssl'], saslMechanism: ['plain', 'scram-sha-256', 'scram-sha-512'] } },
    },
    {
      displayName: 'Password',
      name: 'password',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      displayOptions: { show: { platform: ['apache', 'redpanda'], securityProtocol: ['sasl_plaintext', 'sasl_ssl'], saslMechanism: ['plain', 'scram-sha-256', 'scram-sha-512'] } },
    },
    {
      displayName: 'OAuth Token URL',
      name: 'oauthTokenUrl',
      type: 'string',
      default: '',
      placeholder: 'https://idp.example.com/oauth2/token',
      displayOptions: { show: { platform: ['apache', 'redpanda'], securityProtocol: ['sasl_plaintext', 'sasl_ssl'], saslMechanism: ['oauthbearer'] } },
    },
    {
      displayName: 'OAuth Client ID',
      name: 'oauthClientId',
      type: 'string',
      default: '',
      displayOptions: { show: { platform: ['apache', 'redpanda'], securityProtocol: ['sasl_plaintext', 'sasl_ssl'], saslMechanism: ['oauthbearer'] } },
    },
    {
      displayName: 'OAuth Client Secret',
      name: 'oauthClientSecret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      displayOptions: { show: { platform: ['apache', 'redpanda'], securityProtocol: ['sasl_plaintext', 'sasl_ssl'], saslMechanism: ['oauthbearer'] } },
    },
    {
      displayName: 'OAuth Scope',
      name: 'oauthScope',
      type: 'string',
      default: '',
      displayOptions: { show: { platform: ['apache', 'redpanda'], securityProtocol: ['sasl_plaintext', 'sasl_ssl'], saslMechanism: ['oauthbearer'] } },
    },
    ...brokerTls({ show: tlsPlatforms }, true),
    {
      displayName: 'API Key',
      name: 'apiKey',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description: 'Confluent Cloud cluster API key (used as SASL PLAIN user over TLS)',
      displayOptions: { show: { platform: ['confluentCloud'] } },
    },
    {
      displayName: 'API Secret',
      name: 'apiSecret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      displayOptions: { show: { platform: ['confluentCloud'] } },
    },
    {
      displayName: 'Authentication',
      name: 'mskAuth',
      type: 'options',
      default: 'iam',
      options: [
        { name: 'IAM (SigV4 Token)', value: 'iam' },
        { name: 'SASL/SCRAM-SHA-512', value: 'scram' },
        { name: 'Mutual TLS', value: 'tls' },
      ],
      displayOptions: { show: { platform: ['msk'] } },
    },
    {
      displayName: 'AWS Region',
      name: 'awsRegion',
      type: 'string',
      default: 'us-east-1',
      displayOptions: { show: { platform: ['msk'], mskAuth: ['iam'] } },
    },
    {
      displayName: 'AWS Access Key ID',
      name: 'awsAccessKeyId',
      type: 'string',
      default: '',
      displayOptions: { show: { platform: ['msk'], mskAuth: ['iam'] } },
    },
    {
      displayName: 'AWS Secret Access Key',
      name: 'awsSecretAccessKey',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      displayOptions: { show: { platform: ['msk'], mskAuth: ['iam'] } },
    },
    {
      displayName: 'AWS Session Token',
      name: 'awsSessionToken',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description: 'Only for temporary credentials',
      displayOptions: { show: { platform: ['msk'], mskAuth: ['iam'] } },
    },
    {
      displayName: 'Username',
      name: 'username',
      type: 'string',
      default: '',
      displayOptions: { show: { platform: ['msk'], mskAuth: ['scram'] } },
    },
    {
      displayName: 'Password',
      name: 'password',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      displayOptions: { show: { platform: ['msk'], mskAuth: ['scram'] } },
    },
    ...brokerTls({ show: { platform: ["msk"] } }, true),
    // eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the connection string carries the SharedAccessKey (also in scripts/n8n/scanner-allowlist.mjs)
    {
      displayName: 'Connection String',
      name: 'connectionString',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      placeholder: 'Endpoint=sb://<namespace>.servicebus.windows.net/;SharedAccessKeyName=...;SharedAccessKey=...',
      description: 'Event Hubs namespace connection string (Shared access policies in the Azure portal)',
      displayOptions: { show: { platform: ['eventHubs'] } },
    },
    ...brokerTls({ show: { platform: ['confluentCloud', 'eventHubs'] } }, false),
    {
      displayName: 'Connection Timeout (Ms)',
      name: 'connectionTimeoutMs',
      type: 'number',
      default: 10000,
      description: 'How long to wait for a broker connection before the attempt fails',
    },
    {
      displayName: 'Retries',
      name: 'retries',
      type: 'number',
      default: 5,
      description: 'How many times a failed request is retried (with exponential backoff) before the node fails',
    },
    {
      displayName: 'Client Library',
      name: 'clientLibrary',
      type: 'options',
      options: [
        { name: '@platformatic/kafka (Default)', value: 'platformatic' },
        { name: 'Kafkajs (Fallback, Removed in 0.3.0)', value: 'kafkajs' },
      ],
      default: 'platformatic',
      description:
        'Advanced: the Kafka client library behind the nodes. @platformatic/kafka (the default) is maintained and speaks the new consumer group protocol (KIP-848), KIP-447 exactly-once commits and share groups; it needs Node.js 22.22+ or 24.6+ (n8n 2.36+ runs on Node 24), and on an older Node the nodes fall back to kafkajs. Kafkajs, unmaintained since 2023, stays selectable as a fallback until release 0.3.0 (planned for 2027-03-01).',
    },
  ];
}
