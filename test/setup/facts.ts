// Connection facts for integration tests, read from the env vars the global setup publishes
// (test/setup/globalSetup.ts). A missing value throws with the variable's name instead of
// letting a test run against `undefined`.
import { readFileSync } from 'node:fs';

function need(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(
      `${name} is not set. The Jest global setup publishes it when it starts the local services ` +
        `(infra/local/services.cjs); with KAFKA_BOOTSTRAP_SERVERS pointing at your own cluster, set ${name} too.`,
    );
  }
  return value;
}

export interface TestUser {
  username: string;
  password: string;
}

/** Shape of what infra/local/services.cjs exports, for fault-injection tests. */
export interface LocalServices {
  killBroker(): Promise<void>;
  startBroker(): Promise<void>;
  stopRegistry(): Promise<void>;
  startRegistry(): Promise<void>;
  setScramPassword(user: string, mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512', password: string): Promise<void>;
  status(): Promise<{ running: boolean; pids: Record<string, number | null> }>;
}

export const facts = {
  /** PLAINTEXT listener (no auth; super user ANONYMOUS). */
  get bootstrap(): string {
    return need('KAFKA_BOOTSTRAP_SERVERS');
  },
  /** SSL listener that requires a client certificate (mTLS). */
  get sslBootstrap(): string {
    return need('KAFKA_SSL_BOOTSTRAP');
  },
  /** SASL_PLAINTEXT: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER (unsecured JWS). */
  get saslBootstrap(): string {
    return need('KAFKA_SASL_BOOTSTRAP');
  },
  /** SASL_SSL: same mechanisms, server-auth TLS only. */
  get saslSslBootstrap(): string {
    return need('KAFKA_SASL_SSL_BOOTSTRAP');
  },
  get caFile(): string {
    return need('KAFKA_CA_FILE');
  },
  /** A CA that did not sign the broker certificate. */
  get wrongCaFile(): string {
    return need('KAFKA_WRONG_CA_FILE');
  },
  get clientCertFile(): string {
    return need('KAFKA_CLIENT_CERT_FILE');
  },
  /** Encrypted PKCS#8 key; see clientKeyPassphrase. */
  get clientKeyFile(): string {
    return need('KAFKA_CLIENT_KEY_FILE');
  },
  get clientKeyPassphrase(): string {
    return need('KAFKA_CLIENT_KEY_PASSPHRASE');
  },
  /** Valid for PLAIN and both SCRAM mechanisms. */
  get user(): TestUser {
    return { username: need('KAFKA_TEST_USER'), password: need('KAFKA_TEST_PASSWORD') };
  },
  /** Confluent-compatible base URL (Apicurio's /apis/ccompat/v7 locally). */
  get schemaRegistryUrl(): string {
    return need('SCHEMA_REGISTRY_URL');
  },
  get connectUrl(): string {
    return need('KAFKA_CONNECT_URL');
  },
  /** Absolute path of infra/local/services.cjs; set only when the local services are in use. */
  get servicesModule(): string {
    return need('KAFKA_SUITE_SERVICES_MODULE');
  },
};

/** PEM contents, ready for kafkajs/Node `ssl` options. */
export function tlsFiles(): { ca: string; wrongCa: string; cert: string; key: string; passphrase: string } {
  return {
    ca: readFileSync(facts.caFile, 'utf8'),
    wrongCa: readFileSync(facts.wrongCaFile, 'utf8'),
    cert: readFileSync(facts.clientCertFile, 'utf8'),
    key: readFileSync(facts.clientKeyFile, 'utf8'),
    passphrase: facts.clientKeyPassphrase,
  };
}

/** The local services module (kill/restart broker, stop registry, change SCRAM passwords). */
export function localServices(): LocalServices {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(facts.servicesModule) as LocalServices;
}
