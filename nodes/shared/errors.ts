import { scrubSecrets } from './secrets';

/** What went wrong, in the terms a user can act on. */
export type KafkaErrorKind =
  | 'config' // bad credential or parameter: fix the input
  | 'dns' // broker host name does not resolve
  | 'tcp' // nothing listens, or the network drops the connection
  | 'tls' // certificate or handshake problem
  | 'auth' // SASL / HTTP authentication refused
  | 'timeout' // the broker did not answer within the configured time
  | 'authorization' // authenticated, but not allowed
  | 'protocol' // the broker answered with a Kafka error code
  | 'serialization' // a value does not fit its schema or format
  | 'registry' // schema registry answered with an error
  | 'unknown';

export interface KafkaErrorContext {
  broker?: string;
  topic?: string;
  partition?: number;
  mechanism?: string;
  subject?: string;
  field?: string;
  [key: string]: string | number | undefined;
}

/**
 * The adapter's one error type: every failure leaving nodes/shared is a KafkaSuiteError, with the
 * message already scrubbed of secrets, so nodes can show it without further care.
 */
export class KafkaSuiteError extends Error {
  readonly kind: KafkaErrorKind;
  readonly retriable: boolean;
  readonly context: KafkaErrorContext;
  readonly cause?: unknown;
  readonly code?: string;

  constructor(
    message: string,
    options: { kind: KafkaErrorKind; retriable?: boolean; cause?: unknown; context?: KafkaErrorContext; code?: string },
  ) {
    super(scrubSecrets(message));
    this.name = 'KafkaSuiteError';
    this.kind = options.kind;
    this.retriable = options.retriable ?? false;
    this.cause = options.cause;
    this.context = options.context ?? {};
    this.code = options.code;
  }

  /** Local input problems are the user's to fix; everything else came from a remote system. */
  get isInputError(): boolean {
    return this.kind === 'config' || this.kind === 'serialization';
  }
}

export const isKafkaSuiteError = (error: unknown): error is KafkaSuiteError => error instanceof KafkaSuiteError;
export const isRetriable = (error: unknown): boolean => isKafkaSuiteError(error) && error.retriable;

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);
const TCP_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ETIMEDOUT']);
const TLS_CODE_PATTERN =
  /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL|DEPTH_ZERO|ALTNAME|EPROTO|BAD_DECRYPT/i;
const TLS_MESSAGE_PATTERN =
  /certificate|self[- ]signed|unable to verify|ssl|tls|handshake|wrong version number|bad decrypt|altnames/i;

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string | number;
  type?: string;
  retriable?: boolean;
  broker?: string;
  originalError?: unknown;
  cause?: unknown;
}

/** kafkajs wraps the real reason in retry/non-retriable wrappers; find the innermost one. */
function innermost(error: unknown): ErrorLike {
  let current = error as ErrorLike;
  for (let depth = 0; depth < 10 && current; depth++) {
    const inner = current.originalError ?? (current.name?.startsWith('KafkaJS') ? current.cause : undefined);
    if (!inner || typeof inner !== 'object') break;
    current = inner as ErrorLike;
  }
  return current ?? {};
}

function allMessages(error: unknown): string {
  const parts: string[] = [];
  let current = error as ErrorLike | undefined;
  for (let depth = 0; depth < 10 && current; depth++) {
    if (current.message) parts.push(current.message);
    if (current.code) parts.push(String(current.code));
    current = (current.originalError ?? current.cause) as ErrorLike | undefined;
  }
  return parts.join(' | ');
}

/** Turns anything thrown by kafkajs, node:net/tls or the registry client into a KafkaSuiteError. */
export function toKafkaSuiteError(error: unknown, context: KafkaErrorContext = {}): KafkaSuiteError {
  if (isKafkaSuiteError(error)) {
    return Object.keys(context).length
      ? new KafkaSuiteError(error.message, { ...error, context: { ...context, ...error.context }, cause: error.cause ?? error })
      : error;
  }
  const inner = innermost(error);
  const outer = (error ?? {}) as ErrorLike;
  const code = typeof inner.code === 'string' ? inner.code : typeof outer.code === 'string' ? outer.code : undefined;
  const text = allMessages(error);
  const broker = inner.broker ?? outer.broker ?? context.broker;
  const where = broker ? ` (broker ${broker})` : '';
  const ctx = { ...context, ...(broker ? { broker } : {}) };
  const innerMessage = inner.message ?? outer.message ?? String(error);

  if (inner.name === 'KafkaJSSASLAuthenticationError' || /SASL .*authentication failed|Authentication failed/i.test(text)) {
    const mechanism = context.mechanism ? ` with ${context.mechanism.toUpperCase()}` : '';
    return new KafkaSuiteError(`Authentication failed${mechanism}${where}: ${innerMessage}`, {
      kind: 'auth',
      cause: error,
      context: ctx,
      code,
    });
  }
  if (code && DNS_CODES.has(code)) {
    return new KafkaSuiteError(`Cannot resolve the broker host name${where}: ${innerMessage}`, {
      kind: 'dns',
      retriable: true,
      cause: error,
      context: ctx,
      code,
    });
  }
  if ((code && TLS_CODE_PATTERN.test(code)) || TLS_MESSAGE_PATTERN.test(text)) {
    return new KafkaSuiteError(`TLS handshake failed${where}: ${innerMessage}`, { kind: 'tls', cause: error, context: ctx, code });
  }
  if (code && TCP_CODES.has(code)) {
    return new KafkaSuiteError(`Cannot connect over TCP${where}: ${innerMessage}`, {
      kind: 'tcp',
      retriable: true,
      cause: error,
      context: ctx,
      code,
    });
  }
  if (inner.name === 'KafkaJSConnectionError' || /Connection (timeout|error|closed)/i.test(text)) {
    const kind = /timeout/i.test(text) ? 'timeout' : 'tcp';
    return new KafkaSuiteError(`Cannot reach Kafka${where}: ${innerMessage}`, { kind, retriable: true, cause: error, context: ctx, code });
  }
  if (inner.name === 'KafkaJSRequestTimeoutError' || /Request timed out|timed out/i.test(text)) {
    return new KafkaSuiteError(`Kafka did not answer in time${where}: ${innerMessage}`, {
      kind: 'timeout',
      retriable: true,
      cause: error,
      context: ctx,
      code,
    });
  }
  if (inner.type && /AUTHORIZATION_FAILED/.test(inner.type)) {
    return new KafkaSuiteError(`Not authorized${where}: ${innerMessage}`, { kind: 'authorization', cause: error, context: ctx, code: inner.type });
  }
  if (inner.name === 'KafkaJSProtocolError' || inner.type) {
    return new KafkaSuiteError(`Kafka refused the request${where}: ${innerMessage}`, {
      kind: 'protocol',
      retriable: Boolean(inner.retriable),
      cause: error,
      context: ctx,
      code: inner.type ?? code,
    });
  }
  return new KafkaSuiteError(innerMessage, {
    kind: 'unknown',
    retriable: Boolean(inner.retriable ?? outer.retriable),
    cause: error,
    context: ctx,
    code,
  });
}
