// How the fault tests produce: one n8n execution of our Producer node (its pooled producer), with
// Continue On Fail so every item reports on its own whether the broker acknowledged it.
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { KafkaSuiteProducer } from '../../../nodes/KafkaSuiteProducer/KafkaSuiteProducer.node';
import { clientPool } from '../../../nodes/shared';
import { createExecuteContext } from '../../helpers/n8nContext';

const producerNode = new KafkaSuiteProducer().getNodeType(1) as INodeType;

export interface ExecutionResult {
  /** Values the broker acknowledged (the item came back with an offset). */
  acked: string[];
  failed: { value: string; error: string; kind?: string }[];
  /** The execution itself threw (nothing was acknowledged). */
  thrown?: Error;
}

export function clusterCredential(brokers: string, extra: Record<string, unknown> = {}) {
  return { platform: 'apache', brokers, clientId: 'faults-producer', ...extra };
}

export async function produceExecution(
  credential: Record<string, unknown>,
  topic: string,
  values: string[],
  extraParameters: Record<string, unknown> = {},
  extraCredentials: Record<string, unknown> = {},
): Promise<ExecutionResult> {
  const items: INodeExecutionData[] = values.map((value) => ({ json: { value } }));
  const parameters: Record<string, unknown> = {
    topic,
    valueSource: 'field',
    valueField: 'value',
    serialization: 'string',
    partitioning: 'keyHash',
    headersMode: 'none',
    options: { acks: 'all' },
    ...extraParameters,
  };
  const context = createExecuteContext({
    // The key is an expression per item in n8n ({{ $json.value }}); here it is resolved per item.
    parameters: (name, itemIndex) => (name === 'key' ? values[itemIndex] : parameters[name]),
    credentials: { kafkaSuiteClusterApi: credential, ...extraCredentials },
    items,
    continueOnFail: true,
    node: { type: 'n8n-nodes-kafka-suite.kafkaSuiteProducer', name: 'Kafka Producer (Suite)' },
  });
  try {
    const [output] = (await producerNode.execute!.call(context as unknown as IExecuteFunctions)) as INodeExecutionData[][];
    const result: ExecutionResult = { acked: [], failed: [] };
    output.forEach((item, index) => {
      if (item.json.offset !== undefined && item.json.offset !== null && !item.json.error) result.acked.push(values[index]);
      else result.failed.push({ value: values[index], error: String(item.json.error), kind: item.json.errorKind as string | undefined });
    });
    return result;
  } catch (error) {
    return { acked: [], failed: values.map((value) => ({ value, error: (error as Error).message })), thrown: error as Error };
  }
}

export async function closeProducers(): Promise<void> {
  await clientPool.closeAll();
}
