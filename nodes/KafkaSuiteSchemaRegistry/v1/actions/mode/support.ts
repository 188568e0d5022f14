import { KafkaSuiteError, isKafkaSuiteError } from '../../../../shared';

export function modeNotSupported(method: string, subject: string | undefined, what: string, cause?: unknown): KafkaSuiteError {
  const path = subject ? `/mode/${subject}` : '/mode';
  return new KafkaSuiteError(
    `This schema registry does not support modes: ${method} ${path} ${what}. Confluent Schema Registry implements /mode; Apicurio's ccompat API does not.`,
    { kind: 'registry', cause, context: { subject, status: (cause as KafkaSuiteError | undefined)?.context?.status } },
  );
}

/** A 404 without a Confluent error code (no such endpoint) means modes are not implemented. */
export function withModeSupport<T>(call: () => Promise<T>, method: string, subject: string | undefined): Promise<T> {
  return call().catch((error: unknown) =>
    Promise.reject(
      isKafkaSuiteError(error) && error.context.status === 404 && !/^40\d{3}$/.test(error.code ?? '') ? modeNotSupported(method, subject, 'answered HTTP 404', error) : error,
    ),
  );
}
