import type { ICredentialTestRequest, ICredentialType, IDisplayOptions, INodeProperties, Icon } from 'n8n-workflow';
import { basicAuthFields } from '../nodes/shared/descriptions/http';
import { tlsFields } from '../nodes/shared/descriptions/tls';

// TLS settings only matter for an https:// worker URL.
const https: IDisplayOptions['show'] = { url: [{ _cnd: { startsWith: 'https://' } }] };

export class KafkaSuiteConnectApi implements ICredentialType {
  name = 'kafkaSuiteConnectApi';

  displayName = 'Kafka Connect (Kafka Suite)';

  icon: Icon = { light: 'file:icons/kafka.svg', dark: 'file:icons/kafka.dark.svg' };

  documentationUrl = 'https://github.com/n8n-nodes-kafka-suite/n8n-nodes-kafka-suite#credentials';

  properties: INodeProperties[] = [
    {
      displayName: 'Worker REST URL',
      name: 'url',
      type: 'string',
      default: '',
      required: true,
      placeholder: 'http://connect:8083',
      description: 'Base URL of a Kafka Connect worker’s REST API (any worker of the cluster)',
    },
    {
      displayName: 'Authentication',
      name: 'authType',
      type: 'options',
      default: 'none',
      options: [
        { name: 'None', value: 'none' },
        { name: 'Basic Auth', value: 'basic' },
      ],
    },
    ...basicAuthFields,
    ...tlsFields({
      displayOptions: { show: https },
      caDescription: 'Certificate authority of the worker’s HTTPS certificate. Leave empty to trust the system CAs.',
      clientCertificate: { certDescription: 'For mutual TLS: the client certificate presented to the worker' },
      ignoreErrorsDescription: 'Whether to connect even when the worker certificate cannot be verified. Unsafe: only for tests.',
    }),
  ];

  /**
   * Fallback only: the Kafka Admin node tests this credential with kafkaSuiteConnectConnectionTest
   * (testedBy), which also applies basic auth and the custom CA; n8n prefers that one.
   */
  test: ICredentialTestRequest = {
    request: {
      baseURL: '={{$credentials.url.replace(/\\/+$/, "")}}',
      url: '/',
      method: 'GET',
      skipSslCertificateValidation: '={{$credentials.ignoreCertificateErrors}}' as unknown as boolean,
    },
  };
}
