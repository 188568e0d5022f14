import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';
import { basicAuthFields } from '../nodes/shared/descriptions/http';
import { tlsFields } from '../nodes/shared/descriptions/tls';

export class KafkaSuiteSchemaRegistryApi implements ICredentialType {
  name = 'kafkaSuiteSchemaRegistryApi';

  displayName = 'Kafka Schema Registry (Kafka Suite)';

  icon: Icon = { light: 'file:icons/kafka.svg', dark: 'file:icons/kafka.dark.svg' };

  documentationUrl = 'https://github.com/n8n-nodes-kafka-suite/n8n-nodes-kafka-suite#credentials';

  properties: INodeProperties[] = [
    {
      displayName: 'URL',
      name: 'url',
      type: 'string',
      default: '',
      placeholder: 'https://psrc-xxxxx.europe-west3.gcp.confluent.cloud',
      description: 'Base URL of a registry with the Confluent REST API (Confluent, Apicurio ccompat, Redpanda, Karapace)',
    },
    {
      displayName: 'Authentication',
      name: 'authType',
      type: 'options',
      default: 'none',
      options: [
        { name: 'None', value: 'none' },
        { name: 'Basic Auth (API Key / Secret)', value: 'basic' },
        { name: 'Bearer Token', value: 'bearer' },
      ],
    },
    ...basicAuthFields,
    {
      displayName: 'Token',
      name: 'token',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      displayOptions: { show: { authType: ['bearer'] } },
    },
    ...tlsFields({
      caDescription: 'For https URLs signed by a private CA',
      clientCertificate: { passphrase: false },
      ignoreErrorsDescription: 'Whether to accept an unverifiable registry certificate. Unsafe: only for tests.',
    }),
  ];
}
