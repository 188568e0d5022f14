/** The data n8n hands us for the `kafkaSuiteClusterApi` credential (see credentials/). */
export type KafkaPlatform = 'apache' | 'redpanda' | 'confluentCloud' | 'msk' | 'eventHubs';
export type SecurityProtocol = 'plaintext' | 'ssl' | 'sasl_plaintext' | 'sasl_ssl';
export type SaslMechanismName = 'plain' | 'scram-sha-256' | 'scram-sha-512' | 'oauthbearer';
export type MskAuth = 'iam' | 'scram' | 'tls';

export interface KafkaClusterCredential {
  platform: KafkaPlatform;
  clientId?: string;
  brokers?: string;
  securityProtocol?: SecurityProtocol;
  saslMechanism?: SaslMechanismName;
  username?: string;
  password?: string;
  oauthTokenUrl?: string;
  oauthClientId?: string;
  oauthClientSecret?: string;
  oauthScope?: string;
  apiKey?: string;
  apiSecret?: string;
  mskAuth?: MskAuth;
  awsRegion?: string;
  awsAccessKeyId?: string;
  awsSecretAccessKey?: string;
  awsSessionToken?: string;
  connectionString?: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsKeyPassphrase?: string;
  ignoreCertificateErrors?: boolean;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  retries?: number;
  /** Advanced: the client library behind the API (nodes/shared/kafka/index.ts: clientLibraryFor). */
  clientLibrary?: 'kafkajs' | 'platformatic';
}

/** The data n8n hands us for the `kafkaSuiteSchemaRegistryApi` credential. */
export interface SchemaRegistryCredential {
  url: string;
  authType?: 'none' | 'basic' | 'bearer';
  username?: string;
  password?: string;
  token?: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsKeyPassphrase?: string;
  ignoreCertificateErrors?: boolean;
  timeoutMs?: number;
}
