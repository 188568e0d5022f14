// The suite's library-neutral connection settings (platforms.ts) as kafkajs' KafkaConfig, with the
// log bridge. The only place that knows kafkajs' configuration shape (issue 12).
import type { ClusterConnectionConfig, ClusterSasl } from '../../platforms';
import { kafkajsLogCreator } from './logging';
import { logLevel, type KafkaConfig, type SASLOptions } from './vendor';

function toSasl(sasl: ClusterSasl): SASLOptions {
  if (sasl.mechanism === 'oauthbearer') return { mechanism: 'oauthbearer', oauthBearerProvider: sasl.oauthBearerProvider };
  // kafkajs types each user/password mechanism as its own member of a union; the shape is the same.
  return { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions;
}

/** `quiet` silences kafkajs' own logging (clients whose failures the caller reports itself). */
export function toKafkaConfig(config: ClusterConnectionConfig, quiet = false): KafkaConfig {
  return {
    clientId: config.clientId,
    brokers: config.brokers,
    connectionTimeout: config.connectionTimeout,
    requestTimeout: config.requestTimeout,
    authenticationTimeout: config.authenticationTimeout,
    retry: { ...config.retry },
    ssl: config.ssl,
    sasl: config.sasl ? toSasl(config.sasl) : undefined,
    logLevel: quiet ? logLevel.NOTHING : logLevel.WARN,
    logCreator: kafkajsLogCreator,
  };
}
