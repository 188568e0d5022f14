import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';
import { isKafkaSuiteError, toKafkaSuiteError, type KafkaErrorContext } from './errors';

/**
 * The one place where adapter errors become n8n errors: input problems become NodeOperationError,
 * remote failures NodeApiError, both with the item index and a scrubbed message.
 */
export function toNodeError(node: INode, error: unknown, itemIndex?: number, context: KafkaErrorContext = {}) {
  if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
  const kafkaError = isKafkaSuiteError(error) && !Object.keys(context).length ? error : toKafkaSuiteError(error, context);
  const details = Object.entries(kafkaError.context)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}: ${value}`)
    .join(', ');
  const description = [details, kafkaError.retriable ? 'The failure is transient; a retry may succeed.' : '']
    .filter(Boolean)
    .join('. ');
  if (kafkaError.isInputError) {
    return new NodeOperationError(node, kafkaError.message, { itemIndex, description: description || undefined });
  }
  const payload: JsonObject = {
    message: kafkaError.message,
    kind: kafkaError.kind,
    retriable: kafkaError.retriable,
    ...(kafkaError.code ? { code: kafkaError.code } : {}),
  };
  return new NodeApiError(node, payload, {
    itemIndex,
    message: kafkaError.message,
    description: description || undefined,
    httpCode: kafkaError.kind === 'auth' ? '401' : undefined,
  });
}
