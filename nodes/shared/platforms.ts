import { createHash } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import type { KafkaClusterCredential, SaslMechanismName } from './credentialTypes';
import { KafkaSuiteError } from './errors';
import { createOAuthClientCredentialsProvider } from './oauth';
import { createMskIamTokenProvider } from './mskIam';
import { registerSecret } from './secrets';

/** Retry defaults in one place, in the spirit of kafkajs's own: bounded, so nothing retries forever. */
export const RETRY_DEFAULTS = { retries: 5, initialRetryTime: 300, multiplier: 2, factor: 0.2, maxRetryTime: 10_000 };
export const TIMEOUT_DEFAULTS = { connectionTimeout: 10_000, requestTimeout: 30_000, authenticationTimeout: 10_000 };

/** A token for SASL/OAUTHBEARER (OAuth client credentials, AWS MSK IAM), asked for at each (re)authentication. */
export type OAuthBearerProvider = () => Promise<{ value: string }>;

/**
 * SASL as the suite resolves it. Each client implementation in nodes/shared/kafka/ maps it to its
 * library's options (kafkajs takes this shape as is; @platformatic/kafka upper-cases the mechanism).
 */
export type ClusterSasl =
  | { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }
  | { mechanism: 'oauthbearer'; oauthBearerProvider: OAuthBearerProvider };

/** The connection settings of a credential, library-neutral (the suite's own type, issue 12). */
export interface ClusterConnectionConfig {
  clientId: string;
  brokers: string[];
  connectionTimeout: number;
  requestTimeout: number;
  authenticationTimeout: number;
  retry: typeof RETRY_DEFAULTS;
  /** TLS options, or false for plaintext. */
  ssl: ConnectionOptions | boolean;
  sasl?: ClusterSasl;
}

export interface ResolvedClusterConfig {
  /** The connection settings; each client implementation maps them to its library and adds logging. */
  kafka: ClusterConnectionConfig;
  /** What we connected with, for messages (never contains secrets). */
  summary: { platform: string; brokers: string[]; tls: boolean; mechanism?: string };
}

const configError = (message: string, field?: string) =>
  new KafkaSuiteError(message, { kind: 'config', context: field ? { field } : {} });

function required(value: string | undefined, field: string, label: string, platform: string): string {
  if (!value || !String(value).trim()) throw configError(`${label} is required for ${platform}`, field);
  return String(value).trim();
}

export function parseBrokers(list: string | undefined, platform: string): string[] {
  const brokers = (list ?? '')
    .split(/[,\s]+/)
    .map((b) => b.trim())
    .filter(Boolean);
  if (!brokers.length) throw configError(`Brokers are required for ${platform} (host:port, comma separated)`, 'brokers');
  for (const broker of brokers) {
    const match = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(broker);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
      throw configError(`Broker "${broker}" is not host:port`, 'brokers');
    }
  }
  return brokers;
}

export interface EventHubsConnection {
  namespace: string;
  fullyQualifiedNamespace: string;
  broker: string;
  sharedAccessKeyName?: string;
  entityPath?: string;
}

/**
 * Azure Event Hubs speaks Kafka on <namespace>.servicebus.windows.net:9093 with SASL PLAIN, user
 * `$ConnectionString` and the whole connection string as password. Messages never echo the key.
 */
export function parseEventHubsConnectionString(connectionString: string | undefined): EventHubsConnection {
  const text = (connectionString ?? '').trim();
  if (!text) throw configError('The Event Hubs connection string is required', 'connectionString');
  const parts = new Map<string, string>();
  for (const segment of text.split(';')) {
    if (!segment.trim()) continue;
    const eq = segment.indexOf('=');
    if (eq <= 0) throw configError('The Event Hubs connection string is malformed: expected Key=Value pairs separated by ";"', 'connectionString');
    parts.set(segment.slice(0, eq).trim().toLowerCase(), segment.slice(eq + 1).trim());
  }
  const endpoint = parts.get('endpoint');
  if (!endpoint) throw configError('The Event Hubs connection string has no Endpoint=sb://<namespace>.servicebus.windows.net/', 'connectionString');
  const hostMatch = /^sb:\/\/([^/:;]+)\/?$/i.exec(endpoint);
  if (!hostMatch) throw configError('The Event Hubs Endpoint must look like sb://<namespace>.servicebus.windows.net/', 'connectionString');
  const fullyQualifiedNamespace = hostMatch[1].toLowerCase();
  const hasKey = parts.has('sharedaccesskey') && parts.has('sharedaccesskeyname');
  const hasSignature = parts.has('sharedaccesssignature');
  if (!hasKey && !hasSignature) {
    throw configError('The Event Hubs connection string needs SharedAccessKeyName and SharedAccessKey (or a SharedAccessSignature)', 'connectionString');
  }
  return {
    namespace: fullyQualifiedNamespace.split('.')[0],
    fullyQualifiedNamespace,
    broker: `${fullyQualifiedNamespace}:9093`,
    sharedAccessKeyName: parts.get('sharedaccesskeyname'),
    entityPath: parts.get('entitypath'),
  };
}

function pemOrUndefined(value: string | undefined, field: string, marker: RegExp): string | undefined {
  if (!value || !value.trim()) return undefined;
  const text = value.trim().replace(/\\n/g, '\n');
  if (!marker.test(text)) throw configError(`${field} must be PEM text (-----BEGIN ...-----)`, field);
  return text;
}

/** TLS options shared by Kafka and the schema registry; verification is on unless switched off explicitly. */
export function buildTlsOptions(cred: {
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsKeyPassphrase?: string;
  ignoreCertificateErrors?: boolean;
}): ConnectionOptions {
  const ca = pemOrUndefined(cred.tlsCa, 'tlsCa', /-----BEGIN CERTIFICATE-----/);
  const cert = pemOrUndefined(cred.tlsCert, 'tlsCert', /-----BEGIN CERTIFICATE-----/);
  const key = pemOrUndefined(cred.tlsKey, 'tlsKey', /-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  if (Boolean(cert) !== Boolean(key)) {
    throw configError('A client certificate and its private key must be given together', cert ? 'tlsKey' : 'tlsCert');
  }
  registerSecret(key);
  registerSecret(cred.tlsKeyPassphrase);
  const options: ConnectionOptions = { rejectUnauthorized: !cred.ignoreCertificateErrors };
  if (ca) options.ca = [ca];
  if (cert && key) {
    options.cert = cert;
    options.key = key;
    if (cred.tlsKeyPassphrase) options.passphrase = cred.tlsKeyPassphrase;
  }
  return options;
}

function userPasswordSasl(mechanism: Exclude<SaslMechanismName, 'oauthbearer'>, username?: string, password?: string, platform = 'this platform'): ClusterSasl {
  const user = required(username, 'username', 'Username', platform);
  if (!password) throw configError(`Password is required for SASL ${mechanism.toUpperCase()}`, 'password');
  registerSecret(password);
  return { mechanism, username: user, password };
}

function positiveInt(value: unknown, fallback: number, field: string): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw configError(`${field} must be a non-negative number`, field);
  return Math.floor(n);
}

/** Credential → the suite's connection settings, for every platform we support. Pure except for token providers. */
export function resolveClusterConfig(cred: KafkaClusterCredential): ResolvedClusterConfig {
  const platform = cred.platform ?? 'apache';
  const base = {
    clientId: cred.clientId?.trim() || 'n8n-kafka-suite',
    connectionTimeout: positiveInt(cred.connectionTimeoutMs, TIMEOUT_DEFAULTS.connectionTimeout, 'connectionTimeoutMs'),
    requestTimeout: positiveInt(cred.requestTimeoutMs, TIMEOUT_DEFAULTS.requestTimeout, 'requestTimeoutMs'),
    authenticationTimeout: TIMEOUT_DEFAULTS.authenticationTimeout,
    retry: { ...RETRY_DEFAULTS, retries: positiveInt(cred.retries, RETRY_DEFAULTS.retries, 'retries') },
  };
  switch (platform) {
    case 'apache':
    case 'redpanda': {
      const label = platform === 'apache' ? 'Apache Kafka' : 'Redpanda';
      const brokers = parseBrokers(cred.brokers, label);
      const protocol = cred.securityProtocol ?? 'plaintext';
      const tls = protocol === 'ssl' || protocol === 'sasl_ssl';
      const usesSasl = protocol === 'sasl_plaintext' || protocol === 'sasl_ssl';
      const mechanism = cred.saslMechanism ?? 'plain';
      let sasl: ClusterSasl | undefined;
      if (usesSasl) {
        if (mechanism === 'oauthbearer') {
          sasl = {
            mechanism: 'oauthbearer',
            oauthBearerProvider: createOAuthClientCredentialsProvider({
              tokenUrl: required(cred.oauthTokenUrl, 'oauthTokenUrl', 'OAuth token URL', label),
              clientId: required(cred.oauthClientId, 'oauthClientId', 'OAuth client ID', label),
              clientSecret: required(cred.oauthClientSecret, 'oauthClientSecret', 'OAuth client secret', label),
              scope: cred.oauthScope,
            }),
          };
        } else if (['plain', 'scram-sha-256', 'scram-sha-512'].includes(mechanism)) {
          sasl = userPasswordSasl(mechanism, cred.username, cred.password, label);
        } else {
          throw configError(`Unknown SASL mechanism "${mechanism}"`, 'saslMechanism');
        }
      }
      return {
        kafka: { ...base, brokers, ssl: tls ? buildTlsOptions(cred) : false, sasl },
        summary: { platform: label, brokers, tls, mechanism: usesSasl ? mechanism.toUpperCase() : undefined },
      };
    }
    case 'confluentCloud': {
      const brokers = parseBrokers(cred.brokers, 'Confluent Cloud');
      const username = required(cred.apiKey, 'apiKey', 'API key', 'Confluent Cloud');
      const password = required(cred.apiSecret, 'apiSecret', 'API secret', 'Confluent Cloud');
      registerSecret(password);
      return {
        // Confluent Cloud only accepts SASL_SSL with PLAIN, the API key as user and the secret as password.
        kafka: { ...base, brokers, ssl: buildTlsOptions(cred), sasl: { mechanism: 'plain', username, password } },
        summary: { platform: 'Confluent Cloud', brokers, tls: true, mechanism: 'PLAIN' },
      };
    }
    case 'msk': {
      const brokers = parseBrokers(cred.brokers, 'AWS MSK');
      const auth = cred.mskAuth ?? 'iam';
      const tls = buildTlsOptions(cred);
      if (auth === 'iam') {
        const region = required(cred.awsRegion, 'awsRegion', 'AWS region', 'AWS MSK IAM');
        return {
          kafka: {
            ...base,
            brokers,
            ssl: tls,
            sasl: {
              mechanism: 'oauthbearer',
              oauthBearerProvider: createMskIamTokenProvider({
                region,
                accessKeyId: cred.awsAccessKeyId,
                secretAccessKey: cred.awsSecretAccessKey,
                sessionToken: cred.awsSessionToken,
              }),
            },
          },
          summary: { platform: 'AWS MSK', brokers, tls: true, mechanism: 'AWS_MSK_IAM' },
        };
      }
      if (auth === 'scram') {
        // MSK supports only SCRAM-SHA-512.
        return {
          kafka: { ...base, brokers, ssl: tls, sasl: userPasswordSasl('scram-sha-512', cred.username, cred.password, 'AWS MSK SCRAM') },
          summary: { platform: 'AWS MSK', brokers, tls: true, mechanism: 'SCRAM-SHA-512' },
        };
      }
      if (auth === 'tls') {
        if (!tls.cert) throw configError('AWS MSK TLS authentication needs a client certificate and key', 'tlsCert');
        return { kafka: { ...base, brokers, ssl: tls }, summary: { platform: 'AWS MSK', brokers, tls: true, mechanism: 'mTLS' } };
      }
      throw configError(`Unknown AWS MSK authentication "${auth}"`, 'mskAuth');
    }
    case 'eventHubs': {
      const connection = parseEventHubsConnectionString(cred.connectionString);
      const connectionString = String(cred.connectionString).trim();
      registerSecret(connectionString);
      return {
        kafka: {
          ...base,
          brokers: [connection.broker],
          ssl: buildTlsOptions(cred),
          sasl: { mechanism: 'plain', username: '$ConnectionString', password: connectionString },
        },
        summary: { platform: 'Azure Event Hubs', brokers: [connection.broker], tls: true, mechanism: 'PLAIN' },
      };
    }
    default:
      throw configError(`Unknown platform "${String(platform)}"`, 'platform');
  }
}

/** Stable identity of a credential, used to key pooled clients; secrets only ever enter as a hash. */
export function credentialHash(cred: object, extra: object = {}): string {
  const canonical = (value: unknown): unknown =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.keys(value as object)
            .sort()
            .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
        )
      : value;
  return createHash('sha256').update(JSON.stringify(canonical({ cred, extra }))).digest('hex');
}
