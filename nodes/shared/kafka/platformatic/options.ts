import type { ResolvedClusterConfig } from '../../platforms';
import { KafkaSuiteError, toKafkaSuiteError, type KafkaErrorContext } from '../../errors';
import type { BaseOptions, SASLOptions } from './vendor';

type OAuthProvider = () => Promise<{ value: string }>;

/**
 * The resolved credential (kafkajs-shaped, see platforms.ts) as @platformatic/kafka's client options.
 * Every platform's SASL maps: PLAIN and SCRAM as user/password, OAUTHBEARER (OAuth client credentials,
 * MSK IAM) as a token provider the library calls at each (re)authentication.
 */
export function toBaseOptions(resolved: ResolvedClusterConfig): BaseOptions {
  const config = resolved.kafka;
  if (typeof config.brokers === 'function') {
    throw new KafkaSuiteError('A broker discovery function is not supported by the @platformatic/kafka client', { kind: 'config' });
  }
  const options: BaseOptions = {
    clientId: config.clientId ?? 'n8n-kafka-suite',
    bootstrapBrokers: config.brokers,
    connectTimeout: config.connectionTimeout,
    requestTimeout: config.requestTimeout,
    timeout: config.requestTimeout,
    retries: config.retry?.retries ?? 5,
    retryDelay: config.retry?.initialRetryTime ?? 300,
    // Topics are created by the Admin node only, never by a send to a mistyped name.
    autocreateTopics: false,
  };
  if (config.ssl) options.tls = config.ssl === true ? {} : config.ssl;
  const sasl = config.sasl as unknown as { mechanism: string; username?: string; password?: string; oauthBearerProvider?: OAuthProvider } | undefined;
  if (sasl) {
    const mechanism = sasl.mechanism.toUpperCase() as SASLOptions['mechanism'];
    if (mechanism === 'OAUTHBEARER') {
      const provider = sasl.oauthBearerProvider;
      if (!provider) throw new KafkaSuiteError('OAUTHBEARER needs a token provider', { kind: 'config' });
      options.sasl = { mechanism, token: async () => (await provider()).value };
    } else {
      options.sasl = { mechanism, username: sasl.username, password: sasl.password };
    }
  }
  return options;
}

interface TreeError {
  name?: string;
  message?: string;
  code?: string;
  apiId?: string;
  canRetry?: boolean;
  errors?: unknown[];
  cause?: unknown;
  serverErrorMessage?: string | null;
}

/** The library nests errors (MultipleErrors of retries, ResponseError of per-partition errors, causes); its leaves say what happened. */
function leaves(error: unknown, out: TreeError[] = [], depth = 0): TreeError[] {
  const e = error as TreeError | undefined;
  if (!e || typeof e !== 'object' || depth > 8) return out;
  const children = [...(Array.isArray(e.errors) ? e.errors : []), ...(e.cause ? [e.cause] : [])];
  if (!children.length) out.push(e);
  for (const child of children) leaves(child, out, depth + 1);
  return out;
}

const NODE_CODE = /^(E[A-Z]+|ERR_|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/;

/** Anything the library throws as our KafkaSuiteError: same kinds as kafkajs' errors, mechanism named, no secret. */
export function toSuiteError(error: unknown, context: KafkaErrorContext = {}): KafkaSuiteError {
  if (error instanceof KafkaSuiteError) return error;
  const all = leaves(error);
  const top = (error ?? {}) as TreeError;
  const mechanism = context.mechanism ? ` with ${String(context.mechanism).toUpperCase()}` : '';
  const where = context.broker ? ` (broker ${context.broker})` : '';
  const auth = all.find((e) => e.code === 'PLT_KFK_AUTHENTICATION' || e.apiId === 'SASL_AUTHENTICATION_FAILED' || e.apiId === 'UNSUPPORTED_SASL_MECHANISM' || e.apiId === 'ILLEGAL_SASL_STATE');
  if (auth) {
    const detail = auth.serverErrorMessage || auth.message || 'authentication failed';
    return new KafkaSuiteError(`Authentication failed${mechanism}${where}: ${detail}`, { kind: 'auth', cause: error, context, code: auth.apiId });
  }
  // Socket and TLS failures carry Node's code: the shared classifier knows them.
  const nodeError = all.find((e) => typeof e.code === 'string' && NODE_CODE.test(e.code));
  if (nodeError) return toKafkaSuiteError(nodeError, context);
  const protocol = all.find((e) => e.apiId);
  if (protocol?.apiId) {
    const detail = protocol.serverErrorMessage ? `${protocol.message} ${protocol.serverErrorMessage}` : protocol.message;
    if (/AUTHORIZATION_FAILED/.test(protocol.apiId)) {
      return new KafkaSuiteError(`Not authorized${where}: ${detail}`, { kind: 'authorization', cause: error, context, code: protocol.apiId });
    }
    return new KafkaSuiteError(`Kafka refused the request${where}: ${detail} (${protocol.apiId})`, {
      kind: 'protocol',
      retriable: Boolean(protocol.canRetry),
      cause: error,
      context,
      code: protocol.apiId,
    });
  }
  const timeout = all.find((e) => e.name === 'TimeoutError' || /timed? ?out/i.test(e.message ?? ''));
  if (timeout) {
    return new KafkaSuiteError(`Kafka did not answer in time${where}: ${timeout.message}`, { kind: 'timeout', retriable: true, cause: error, context });
  }
  const network = all.find((e) => e.code === 'PLT_KFK_NETWORK');
  if (network) {
    return new KafkaSuiteError(`Cannot reach Kafka${where}: ${network.message}`, { kind: 'tcp', retriable: true, cause: error, context });
  }
  if (top.code === 'PLT_KFK_USER') return new KafkaSuiteError(top.message ?? String(error), { kind: 'config', cause: error, context });
  return toKafkaSuiteError(all[0] ?? error, context);
}
